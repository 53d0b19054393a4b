// A folder of account snapshots -- what `fortress collect --role-name ... -o OUT` writes (OUT/<id>/),
// or any folder whose subfolders are snapshots (the export script run once per account) -- or a single
// snapshot. `fortress scan DIR` reads either.
//
// Recognized by content, as every snapshot file is: an immediate subfolder of DIR (not hidden, not
// named like a region) is an account's snapshot when it holds a region folder with a file the loader
// recognizes, or an account's identity two folders down (an sts get-caller-identity output, or the
// FortressCollectionError recorded in its place when the account could not be collected). DIR is a
// set of accounts when at least one subfolder is; otherwise DIR is one snapshot, loaded as before. A
// single-account snapshot never qualifies: its own identity is one folder down (DIR/sts/...) and its
// region folders are DIR's own children.
//
// In a set, each account folder is loaded as its own snapshot; JSON files outside every account
// folder are not part of any account: they are reported (a warning naming each) and listed as
// unknown files, never merged into an account.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "load/snapshot.h"
#include "util/expected.h"

namespace fortress {

struct AccountSnapshot {
  std::string folder;  // relative to the set's root, "" for a single snapshot
  LoadResult result;   // diagnostics and unknown files relative to `folder`
};

struct SnapshotSet {
  bool multi_account = false;
  std::vector<AccountSnapshot> accounts;  // one for a single snapshot; folder order for a set
  std::vector<LoadDiagnostic> diagnostics;  // about the root itself (files outside every account folder)
  std::vector<std::string> unknown_files;   // relative to the root
};

// The immediate subfolders of `root` that are account snapshots (sorted); empty when `root` is a
// single snapshot.
[[nodiscard]] std::vector<std::string> account_snapshot_folders(const std::filesystem::path& root);

// Errors only when `root` itself is unusable (as load_snapshot). An account folder that cannot be
// loaded at all becomes an error diagnostic of the set.
[[nodiscard]] Expected<SnapshotSet> load_snapshot_set(const std::filesystem::path& root,
                                                      const LoadOptions& options = {});

}  // namespace fortress
