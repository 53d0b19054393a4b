#include "checks/reach_evidence.h"

#include "reach/explain.h"

namespace fortress {

JsonValue reachability_evidence(const CheckContext& ctx, const Region& region, const SecurityGroup& group,
                                std::span<const RuleOffense> offenses, const reach::TrafficFocus& focus) {
  if (ctx.exposure == nullptr || offenses.empty()) return JsonValue();
  JsonValue rules = JsonValue::array();
  bool reachable = false, unknown = false, blocked = false;
  for (const RuleOffense& o : offenses) {
    const reach::RuleReach rr = ctx.exposure->rule_reach(region, group, *o.rule, focus);
    reachable |= rr.verdict == reach::RuleReach::Verdict::kReachable;
    unknown |= rr.verdict == reach::RuleReach::Verdict::kUnknown;
    blocked |= rr.verdict == reach::RuleReach::Verdict::kBlocked;
    rules.push(reach::rule_reach_evidence(group, *o.rule, rr));
  }
  JsonValue e = JsonValue::object();
  e.set("verdict", reachable ? "reachable" : unknown ? "unknown" : blocked ? "blocked" : "unattached");
  e.set("rules", std::move(rules));
  return e;
}

}  // namespace fortress
