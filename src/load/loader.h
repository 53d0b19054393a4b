// The loader's stages, between the public entry points (snapshot.h, file_parser.h) and the kind
// parsers (loader internal).
//
//   walk / in-memory files --> parse_file() per file, in parallel --> assemble() in path order
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "load/file_result.h"
#include "load/snapshot.h"

namespace fortress::load {

// The nearest enclosing folder of a relative path named like a region, or "".
[[nodiscard]] std::string region_of_path(std::string_view relative_path);

// Parses one snapshot file. `text` must be followed by at least simdjson::SIMDJSON_PADDING readable
// bytes. The parser is reused across files by one thread; the result owns all it holds.
[[nodiscard]] FileResult parse_file(std::string_view relative_path, uint32_t source, std::string_view text,
                                    simdjson::ondemand::parser& parser);

// A file read front to back in pieces (the disk, or bytes in memory).
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Copies up to `n` bytes into `out`; returns how many, 0 at the end, -1 on a read error.
  [[nodiscard]] virtual ptrdiff_t read(char* out, size_t n) = 0;
  // All of the bytes at once, when they already are in memory (a mapping, a string): then read() is
  // not used. {nullptr, 0} otherwise.
  [[nodiscard]] virtual std::string_view contiguous() { return {}; }
  // With contiguous(): bytes before `offset` will not be looked at again.
  virtual void done_before(size_t /*offset*/) {}
};

// Buffers a thread reuses across the files it streams. Their size is bounded by the chunk size
// and the largest list element, not by the file size.
struct StreamBuffers {
  std::unique_ptr<char[]> window;  // a chunk of the file, plus the unfinished element before it
  size_t window_capacity = 0;
  std::unique_ptr<char[]> element;  // one element as its own padded document
  size_t element_capacity = 0;
};

// How a file is streamed.
struct StreamOptions {
  // Stop at once, returning nothing with *deferred set, when the file's first member is the
  // describe-security-groups list: it is parsed once the rules files are known.
  bool defer_security_groups = false;
  // Groups whose IpPermissions need not be kept (FileContext::set_groups_with_rules), or nullptr.
  const std::unordered_set<std::string_view, TextHash>* groups_with_rules = nullptr;
};

// Parses one snapshot file streamed in chunks: the top-level object's list member is split into its
// elements, each parsed as its own small document, so memory does not grow with the file. Returns
// nullopt when the file is anything but a well-formed snapshot object (malformed JSON, UTF-16, an
// escaped member name, a read error...): the caller then reads it whole and calls parse_file(),
// which gives the diagnostics of every such case.
[[nodiscard]] std::optional<FileResult> parse_file_streaming(std::string_view relative_path, uint32_t source,
                                                             ByteStream& bytes, StreamBuffers& buffers,
                                                             simdjson::ondemand::parser& parser,
                                                             const StreamOptions& options, bool* deferred);

// The security groups of `results` (one region's, in path order) whose rules the
// describe-security-group-rules overlay in assemble() certainly replaces: a group with a rule that
// is the first of its ID in the region, and none of whose rule elements was skipped. Views into
// `results`.
[[nodiscard]] std::unordered_set<std::string_view, TextHash> groups_with_rules(const std::vector<const FileResult*>& results);

// A file that could not be read at all.
[[nodiscard]] FileResult unreadable_file(std::string_view relative_path, std::string reason);

// Merges the per-file results (results[i] belongs to json_paths[i], sorted) into a finalized
// account, the regions on up to `threads` threads (0: one per core). Deterministic: depends only on
// the paths and results, never on parse order or threads.
[[nodiscard]] LoadResult assemble(std::vector<std::string> json_paths, std::vector<FileResult> results,
                                  unsigned threads = 0);

}  // namespace fortress::load
