// The "reachability" evidence of the security-group findings (sg-admin-port-open-*, sg-all-traffic-open,
// sg-sensitive-port-open): whether the offending grant is actually reachable from the internet on any
// ENI that carries the group, and when it is not, the first component that blocks it.
#pragma once

#include <span>
#include <string>

#include "checks/check.h"
#include "checks/rule_match.h"
#include "reach/exposure.h"

namespace fortress {

struct GrantReachability {
  // {"verdict": "reachable" | "blocked" | "unknown" | "unattached", "rules": [per offending rule:
  // verdict, reachable/blocked ENI counts, blocked_by [{component, resource, text, enis}],
  // explanation]}; null when the scan has no exposure analysis.
  JsonValue evidence;
  // The verdict in a few words for the finding's one-line detail: "the internet reaches it on 2
  // network interfaces", "not reachable from the internet: NACL acl-1 rule 90 denies it", ...
  std::string note;
};

[[nodiscard]] GrantReachability reachability_evidence(const CheckContext& ctx, const Region& region,
                                                      const SecurityGroup& group,
                                                      std::span<const RuleOffense> offenses,
                                                      const reach::TrafficFocus& focus);

// On a FAIL: the evidence under "reachability". The note goes after the detail ("...; not reachable
// from the internet: ...", record_group_verdict's fail_note), so the terminal says at once whether
// the open grant is an incident.
void attach_reachability(Finding& f, GrantReachability reachability);

}  // namespace fortress
