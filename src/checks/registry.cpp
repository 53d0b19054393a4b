#include "checks/registry.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <latch>
#include <optional>

#include "checks/all.h"
#include "checks/iam_checks.h"
#include "iam/from_model.h"
#include "reach/exposure.h"
#include "util/allocator.h"
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

bool reads_exposure(std::string_view check_id) {
  static constexpr std::string_view kReaders[] = {
      "sg-admin-port-open-ipv4", "sg-admin-port-open-ipv6", "sg-all-traffic-open", "sg-sensitive-port-open",
      "exposed-admin-port",      "exposed-sensitive-port",  "exposed-all-ports",   "exposed-web",
      "shared-service-reachable-broadly"};
  return std::find(std::begin(kReaders), std::end(kReaders), check_id) != std::end(kReaders);
}

std::vector<Finding> run_checks(const CheckContext& ctx, std::span<const std::string> only) {
  std::vector<const Check*> selected;
  for (const Check& check : all_checks()) {
    if (only.empty() || std::find(only.begin(), only.end(), check.meta.id) != only.end()) selected.push_back(&check);
  }
  // The shared analyses -- the IAM analysis, and the exposure when asked to compute it -- are
  // computed once, each as a task of its own that the checks reading it wait for; the other checks
  // run meanwhile. Tasks are taken in order, analyses first: whoever waits, the task it waits for
  // has been taken already and runs to its end, so nothing waits forever.
  auto any_selected = [&](bool (*reads)(std::string_view)) {
    return std::any_of(selected.begin(), selected.end(), [&](const Check* c) { return reads(c->meta.id); });
  };
  const bool need_iam = ctx.iam == nullptr && any_selected(uses_iam_analysis);
  const bool need_exposure = ctx.exposure == nullptr && ctx.compute_exposure && any_selected(reads_exposure);
  std::optional<iam::Analysis> iam_analysis;
  std::optional<reach::Exposure> exposure;
  std::latch iam_ready(need_iam ? 1 : 0);
  std::latch exposure_ready(need_exposure ? 1 : 0);

  constexpr size_t kIamTask = size_t(-1), kExposureTask = size_t(-2);
  std::vector<size_t> tasks;  // a check's index in `selected`, or an analysis
  if (need_iam) tasks.push_back(kIamTask);
  if (need_exposure) tasks.push_back(kExposureTask);
  for (size_t i = 0; i < selected.size(); ++i) {
    if (!(need_exposure && reads_exposure(selected[i]->meta.id))) tasks.push_back(i);
  }
  for (size_t i = 0; i < selected.size(); ++i) {
    if (need_exposure && reads_exposure(selected[i]->meta.id)) tasks.push_back(i);
  }

  // Checks only read the model, so they run in parallel, each into its own list; the lists are joined
  // in registry order, so the result never depends on thread timing.
  std::vector<std::vector<Finding>> per_check(selected.size());
  parallel_for(tasks.size(), 0, [&](size_t t) {
    const size_t task = tasks[t];
    if (task == kIamTask) {
      iam_analysis.emplace(iam::analyse_account(ctx.account));
      iam_ready.count_down();
      return;
    }
    if (task == kExposureTask) {
      exposure.emplace(reach::compute_exposure(ctx.account, ctx.config));
      exposure_ready.count_down();
      return;
    }
    const Check& check = *selected[task];
    CheckContext own = ctx;
    if (need_iam && uses_iam_analysis(check.meta.id)) {
      iam_ready.wait();
      own.iam = &*iam_analysis;
    }
    if (need_exposure && reads_exposure(check.meta.id)) {
      exposure_ready.wait();
      own.exposure = &*exposure;
    }
    FindingSink sink(check.meta, ctx.account, per_check[task]);
    check.run(own, sink);
    for (Finding& f : per_check[task]) {  // the findings are kept to the end of the scan: no slack
      f.evidence.compact();
      f.remediation_cli.shrink_to_fit();
    }
    per_check[task].shrink_to_fit();  // nor in the list, which grew by doubling while the others run
  });
  if (exposure) {
    exposure.reset();  // what the checks read of it is in their findings now
    release_free_memory();  // its pages serve the joined list below instead of staying beside it
  }

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
