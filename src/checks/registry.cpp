#include "checks/registry.h"

#include <algorithm>
#include <array>
#include <iterator>

#include "checks/all.h"
#include "checks/iam_checks.h"
#include "iam/from_model.h"
#include "util/parallel.h"

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
  std::vector<const Check*> selected;
  for (const Check& check : all_checks()) {
    if (only.empty() || std::find(only.begin(), only.end(), check.meta.id) != only.end()) selected.push_back(&check);
  }
  // The IAM analysis is computed once for every check that reads it, before they run.
  std::optional<iam::Analysis> iam_analysis;
  CheckContext shared = ctx;
  if (shared.iam == nullptr &&
      std::any_of(selected.begin(), selected.end(), [](const Check* c) { return uses_iam_analysis(c->meta.id); })) {
    iam_analysis.emplace(iam::analyse_account(ctx.account));
    shared.iam = &*iam_analysis;
  }
  // Checks only read the model, so they run in parallel, each into its own list; the lists are joined
  // in registry order, so the result never depends on thread timing.
  std::vector<std::vector<Finding>> per_check(selected.size());
  parallel_for(selected.size(), 0, [&](size_t i) {
    FindingSink sink(selected[i]->meta, ctx.account, per_check[i]);
    selected[i]->run(shared, sink);
    for (Finding& f : per_check[i]) {  // the findings are kept to the end of the scan: no slack
      f.evidence.compact();
      f.remediation_cli.shrink_to_fit();
    }
  });

  size_t total = 0;
  for (const auto& v : per_check) total += v.size();
  std::vector<Finding> findings;
  findings.reserve(total);
  for (auto& v : per_check) {
    std::move(v.begin(), v.end(), std::back_inserter(findings));
    std::vector<Finding>().swap(v);  // free each list once moved: the peak holds one copy, not two
  }
  apply_mutes(ctx.config, findings);
  return findings;
}

}  // namespace fortress
