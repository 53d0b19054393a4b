#include "load/snapshot_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "load/file_parser.h"

namespace fortress {

namespace fs = std::filesystem;

namespace {

// Files larger than this are not read just to tell what a folder is (the smallest file of a kind
// decides, and a recognizable one is nearly always small).
constexpr uintmax_t kProbeLimit = 1u << 20;
constexpr size_t kProbesPerFolder = 8;

bool hidden(const fs::path& p) { return p.filename().string().starts_with("."); }

bool is_json(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 5 && name.ends_with(".json");
}

std::string read_small(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Probe {
  fs::path path;
  std::string relative;  // to the candidate account folder
  uintmax_t size;
};

// The JSON files under `dir` (relative names prefixed with `prefix`), not following links.
void json_files(const fs::path& dir, const std::string& prefix, std::vector<Probe>& out) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (hidden(it->path())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec) || !is_json(it->path())) continue;
    std::error_code size_ec;
    const uintmax_t size = it->file_size(size_ec);
    if (size_ec || size > kProbeLimit) continue;
    out.push_back({it->path(), prefix + it->path().lexically_relative(dir).generic_string(), size});
  }
}

// True when one of the (smallest) `probes`, placed at its path relative to the candidate folder,
// is something the loader reads; `identity_only`: only an identity (or its collection error) counts.
bool recognized(std::vector<Probe> probes, bool identity_only) {
  std::sort(probes.begin(), probes.end(), [](const Probe& a, const Probe& b) { return a.size < b.size; });
  if (probes.size() > kProbesPerFolder) probes.resize(kProbesPerFolder);
  for (const Probe& p : probes) {
    LoadResult r = load_snapshot_files({SnapshotFileBytes{p.relative, read_small(p.path)}}, LoadOptions{1});
    if (r.files_loaded == 0) continue;
    if (!identity_only) return true;
    if (r.account.caller_identity ||
        r.account.global_coverage[size_t(Dataset::kCallerIdentity)].status == CoverageStatus::kError) {
      return true;
    }
  }
  return false;
}

bool is_account_snapshot(const fs::path& dir) {
  std::error_code ec;
  std::vector<Probe> identity;  // files two folders down: <dir>/<service>/<file>.json
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (hidden(it->path()) || !it->is_directory(type_ec) || it->is_symlink(type_ec)) continue;
    const std::string name = it->path().filename().string();
    if (looks_like_region(name)) {
      std::vector<Probe> regional;
      json_files(it->path(), name + "/", regional);
      if (recognized(std::move(regional), false)) return true;
      continue;
    }
    std::error_code inner;
    for (fs::directory_iterator f(it->path(), inner), fend; !inner && f != fend; f.increment(inner)) {
      std::error_code t;
      if (!f->is_regular_file(t) || !is_json(f->path())) continue;
      std::error_code s;
      const uintmax_t size = f->file_size(s);
      if (!s && size <= kProbeLimit) identity.push_back({f->path(), name + "/" + f->path().filename().string(), size});
    }
  }
  return recognized(std::move(identity), true);
}

}  // namespace

std::vector<std::string> account_snapshot_folders(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (hidden(it->path()) || !it->is_directory(type_ec) || it->is_symlink(type_ec)) continue;
    const std::string name = it->path().filename().string();
    if (looks_like_region(name)) continue;
    if (is_account_snapshot(it->path())) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Expected<SnapshotSet> load_snapshot_set(const fs::path& root, const LoadOptions& options) {
  SnapshotSet set;
  std::error_code ec;
  const bool usable = fs::is_directory(root, ec);
  const std::vector<std::string> folders = usable ? account_snapshot_folders(root) : std::vector<std::string>();
  if (folders.empty()) {
    Expected<LoadResult> single = load_snapshot(root, options);
    if (!single) return single.error();
    set.accounts.push_back(AccountSnapshot{"", std::move(*single)});
    return set;
  }
  set.multi_account = true;
  for (const std::string& folder : folders) {
    Expected<LoadResult> loaded = load_snapshot(root / folder, options);
    if (!loaded) {
      set.diagnostics.push_back(
          {LoadDiagnostic::Level::kError, folder, 0, fmt::format("cannot load this account's snapshot: {}",
                                                                 loaded.error().message)});
      continue;
    }
    set.accounts.push_back(AccountSnapshot{folder, std::move(*loaded)});
  }
  // Whatever lies outside the account folders belongs to no account.
  for (fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string relative = it->path().lexically_relative(root).generic_string();
    std::error_code type_ec;
    if (hidden(it->path())) {
      if (it->is_directory(type_ec)) it.disable_recursion_pending();
      continue;
    }
    if (it.depth() == 0 && it->is_directory(type_ec) &&
        std::binary_search(folders.begin(), folders.end(), it->path().filename().string())) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(type_ec)) continue;
    set.unknown_files.push_back(relative);
    if (is_json(it->path())) {
      set.diagnostics.push_back({LoadDiagnostic::Level::kWarning, relative, 0,
                                 "not inside any account's snapshot folder of this multi-account folder; ignored"});
    }
  }
  std::sort(set.unknown_files.begin(), set.unknown_files.end());
  return set;
}

}  // namespace fortress
