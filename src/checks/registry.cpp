#include "checks/registry.h"

#include <algorithm>
#include <array>

#include "checks/all.h"

namespace fortress {

namespace {

bool glob_or_equal(const std::string& pattern, std::string_view value) {
  return pattern == "*" || pattern == value;
}

void apply_mutes(const Config& config, std::vector<Finding>& findings) {
  if (config.mutes.empty()) return;
  for (Finding& f : findings) {
    if (f.status != FindingStatus::kFail) continue;  // mutes never hide NOT_ASSESSED or change PASS
    for (const MuteRule& m : config.mutes) {
      if (glob_or_equal(m.check, f.check_id) && glob_or_equal(m.resource, f.resource_id) &&
          glob_or_equal(m.region, f.region) && glob_or_equal(m.account, f.account_id)) {
        f.status = FindingStatus::kMuted;
        f.mute_reason = m.reason;
        break;
      }
    }
  }
}

}  // namespace

std::span<const Check> all_checks() {
  static const std::vector<Check> kChecks = registered_checks();
  return kChecks;
}

const Check* find_check(std::string_view id) {
  for (const Check& c : all_checks()) {
    if (c.meta.id == id) return &c;
  }
  return nullptr;
}

std::vector<Finding> run_checks(const CheckContext& ctx, std::span<const std::string> only) {
  std::vector<Finding> findings;
  for (const Check& check : all_checks()) {
    if (!only.empty() && std::find(only.begin(), only.end(), check.meta.id) == only.end()) continue;
    FindingSink sink(check.meta, ctx.account, findings);
    check.run(ctx, sink);
  }
  apply_mutes(ctx.config, findings);
  return findings;
}

}  // namespace fortress
