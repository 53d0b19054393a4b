// The loader's stages, between the public entry points (snapshot.h, file_parser.h) and the kind
// parsers (loader internal).
//
//   walk / in-memory files --> parse_file() per file, in parallel --> assemble() in path order
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
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

// A file that could not be read at all.
[[nodiscard]] FileResult unreadable_file(std::string_view relative_path, std::string reason);

// Merges the per-file results (results[i] belongs to json_paths[i], sorted) into a finalized
// account. Deterministic: depends only on the paths and results, never on parse order.
[[nodiscard]] LoadResult assemble(std::vector<std::string> json_paths, std::vector<FileResult> results);

}  // namespace fortress::load
