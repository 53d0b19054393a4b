// The calls a fixture snapshot answers: each <stem>.json (or .error.json) file mapped back to the
// collector's operation row, its region and resource ID. Shared by the endpoint's tests.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "aws/sigv4.h"
#include "collect/operations.h"

namespace fortress::endpoint::testing {

namespace fs = std::filesystem;

inline const fs::path kDemoAccount = fs::path(FORTRESS_SOURCE_DIR) / "examples/demo-account";
inline const fs::path kServicesAccount = fs::path(FORTRESS_SOURCE_DIR) / "tests/data/aws-account";

struct FixtureCall {
  std::string file;  // relative to the fixture root
  const collect::OperationSpec* spec = nullptr;
  std::string region;  // "" for account-wide calls
  std::string id;      // fan-out calls
  bool error = false;  // a .error.json record
};

inline std::vector<FixtureCall> fixture_calls(const fs::path& root) {
  std::vector<FixtureCall> out;
  if (!fs::exists(root)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    FixtureCall call;
    call.file = fs::relative(entry.path(), root).string();
    std::string stem = call.file.substr(0, call.file.size() - 5);
    if (stem.ends_with(".error")) {
      stem.resize(stem.size() - 6);
      call.error = true;
    }
    std::vector<std::string> parts;
    for (const auto& p : fs::path(stem)) parts.push_back(p.string());
    for (const collect::OperationSpec& spec : collect::collected_operations()) {
      const bool per_region = spec.scope == collect::Scope::kRegion;
      const size_t want = (per_region ? 3 : 2) + (spec.ids_from.empty() ? 0 : 1);
      if (parts.size() != want) continue;
      const size_t at = per_region ? 1 : 0;
      if (parts[at] != spec.cli_service || parts[at + 1] != spec.command) continue;
      call.spec = &spec;
      if (per_region) call.region = parts[0];
      if (!spec.ids_from.empty()) call.id = aws::uri_decode(parts.back());
      break;
    }
    if (call.spec != nullptr) out.push_back(std::move(call));
  }
  std::sort(out.begin(), out.end(), [](const FixtureCall& a, const FixtureCall& b) { return a.file < b.file; });
  return out;
}

// The regions a fixture has folders for.
inline std::vector<std::string> fixture_regions(const std::vector<FixtureCall>& calls) {
  std::vector<std::string> regions;
  for (const FixtureCall& c : calls) {
    if (!c.region.empty() && std::find(regions.begin(), regions.end(), c.region) == regions.end()) {
      regions.push_back(c.region);
    }
  }
  std::sort(regions.begin(), regions.end());
  return regions;
}

}  // namespace fortress::endpoint::testing
