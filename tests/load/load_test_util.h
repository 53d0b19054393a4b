// Helpers for loader tests: load in-memory files, find diagnostics.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "load/file_parser.h"
#include "load/snapshot.h"

namespace fortress::testing {

inline LoadResult load_files(std::vector<SnapshotFileBytes> files, unsigned threads = 2) {
  return load_snapshot_files(files, LoadOptions{threads});
}

// The first diagnostic of `level` whose message contains `needle`, or nullptr.
inline const LoadDiagnostic* find_diagnostic(const LoadResult& r, LoadDiagnostic::Level level,
                                             std::string_view needle) {
  for (const LoadDiagnostic& d : r.diagnostics) {
    if (d.level == level && d.message.find(needle) != std::string::npos) return &d;
  }
  return nullptr;
}

inline std::string all_diagnostics(const LoadResult& r) {
  std::string out;
  for (const LoadDiagnostic& d : r.diagnostics) out += d.to_string() + "\n";
  return out;
}

inline Cidr cidr(std::string_view text) { return parse_cidr(text)->cidr; }
inline IpAddress ip(std::string_view text) { return *parse_ip(text); }

}  // namespace fortress::testing
