// Loads a snapshot directory (AWS CLI JSON exports, see scripts/export-aws-cli.sh) into an Account.
//
// Files are recognized by their content (the top-level keys of the JSON object), never by name.
// The region of a file is the nearest enclosing folder named like a region ("us-east-1",
// "us-gov-west-1", "cn-north-1"); files outside any region folder are account-wide. A file that
// cannot be read or parsed is reported with its path and line and the rest still loads; its dataset
// in that region becomes CoverageStatus::kError. An empty file means "not collected".
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/account.h"
#include "util/expected.h"

namespace fortress {

struct LoadDiagnostic {
  enum class Level : uint8_t { kInfo, kWarning, kError };
  Level level = Level::kWarning;
  std::string file;  // relative to the snapshot root
  uint64_t line = 0;  // 1-based, 0 when unknown
  std::string message;
  [[nodiscard]] std::string to_string() const;  // "file:line: message"
};

struct LoadOptions {
  unsigned threads = 0;  // 0 = hardware concurrency
};

struct LoadResult {
  Account account;  // finalized
  std::vector<LoadDiagnostic> diagnostics;
  std::vector<std::string> unknown_files;  // JSON files of no recognized kind (listed with --verbose)
  size_t files_loaded = 0;
  // True when any file failed to load or any collection error was recorded: the scan is incomplete.
  [[nodiscard]] bool incomplete() const;
};

// Errors only when `root` itself is unusable (does not exist, not a directory, unreadable).
[[nodiscard]] Expected<LoadResult> load_snapshot(const std::filesystem::path& root, const LoadOptions& options = {});

// True for names like "us-east-1", "ap-southeast-4", "us-gov-west-1", "cn-northwest-1", "eu-central-2".
[[nodiscard]] bool looks_like_region(std::string_view name);

}  // namespace fortress
