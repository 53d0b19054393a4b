// Loading snapshot files held in memory: one file's bytes (the fuzz target's entry point) or a whole
// snapshot given as (path, bytes) pairs (tests). Both run exactly the code load_snapshot() runs on a
// directory, minus the file system.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "load/snapshot.h"

namespace fortress {

// A snapshot file held in memory: its path relative to the snapshot root ("us-east-1/ec2/x.json";
// the path decides the region, as on disk) and its bytes.
struct SnapshotFileBytes {
  std::string relative_path;
  std::string bytes;
};

// Loads in-memory files as load_snapshot() loads a directory: every path must end in ".json" to be
// parsed (others are listed as unknown files).
[[nodiscard]] LoadResult load_snapshot_files(const std::vector<SnapshotFileBytes>& files,
                                             const LoadOptions& options = {});

// Loads ONE file's bytes as a snapshot holding only that file at `relative_path`: `account` is
// replaced by the finalized result and the load's diagnostics are appended to `diagnostics`.
// Never writes to disk; any bytes are accepted. The bytes are fed to the parser a few at a time, so
// that the chunked reading of large files is what is exercised (load_snapshot_files hands them over
// whole, as a mapped file is).
void load_snapshot_file_for_test(std::string_view bytes, std::string_view relative_path, Account& account,
                                 std::vector<LoadDiagnostic>& diagnostics);

}  // namespace fortress
