#include "checks/reach_evidence.h"

#include <fmt/format.h>

#include <algorithm>

#include "reach/explain.h"

namespace fortress {

GrantReachability reachability_evidence(const CheckContext& ctx, const Region& region, const SecurityGroup& group,
                                        std::span<const RuleOffense> offenses, const reach::TrafficFocus& focus) {
  GrantReachability out;
  if (ctx.exposure == nullptr || offenses.empty()) return out;
  JsonValue rules = JsonValue::array();
  bool reachable = false, unknown = false, blocked = false;
  size_t reachable_enis = 0;
  std::string first_blocker, first_unknown;
  for (const RuleOffense& o : offenses) {
    const reach::RuleReach rr = ctx.exposure->rule_reach(region, group, *o.rule, focus);
    reachable |= rr.verdict == reach::RuleReach::Verdict::kReachable;
    unknown |= rr.verdict == reach::RuleReach::Verdict::kUnknown;
    blocked |= rr.verdict == reach::RuleReach::Verdict::kBlocked;
    reachable_enis = std::max(reachable_enis, rr.enis_reachable);  // the rules share the group's ENIs
    if (first_blocker.empty() && !rr.blockers.empty()) first_blocker = rr.blockers.front().first.text;
    if (first_unknown.empty() && !rr.unknowns.empty()) first_unknown = rr.unknowns.front();
    rules.push(reach::rule_reach_evidence(group, *o.rule, rr));
  }
  out.evidence = JsonValue::object();
  out.evidence.set("verdict", reachable ? "reachable" : unknown ? "unknown" : blocked ? "blocked" : "unattached");
  out.evidence.set("rules", std::move(rules));
  if (reachable) {
    out.note = fmt::format("the internet reaches it on {} network interface{}", reachable_enis,
                           reachable_enis == 1 ? "" : "s");
  } else if (unknown) {
    out.note = "whether the internet reaches it is unknown" + (first_unknown.empty() ? "" : ": " + first_unknown);
  } else if (blocked) {
    out.note = "not reachable from the internet: " + first_blocker;
  } else {
    out.note = "no network interface uses the group";
  }
  return out;
}

void attach_reachability(Finding& f, GrantReachability reachability) {
  if (f.status != FindingStatus::kFail || reachability.evidence.is_null()) return;
  f.evidence.set("reachability", std::move(reachability.evidence));
}

}  // namespace fortress
