// Locating a JSON syntax error, for messages (loader internal).
//
// simdjson tells that a document is malformed but not always where (a truncated file fails before
// anything is read). When it fails, this strict RFC 8259 scanner runs over the same bytes to find
// the first offending byte, so the diagnostic can name the line. It runs only on the error path; it
// is iterative (no recursion), so any nesting depth is safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fortress::load {

struct JsonSyntaxError {
  size_t offset = 0;  // byte offset of the problem (for an unexpected end: just past the last token)
  std::string message;
};

// The first syntax error in `text`, or nullopt when it is well-formed JSON. When `top_level_keys`
// is given, receives the member names of the top-level object read before the error (so a
// truncated file can still be recognized by its kind).
[[nodiscard]] std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text,
                                                                    std::vector<std::string>* top_level_keys = nullptr);

// 1-based line of a byte offset.
[[nodiscard]] uint64_t line_of_offset(std::string_view text, size_t offset);

}  // namespace fortress::load
