// The "reachability" evidence of the security-group findings (sg-admin-port-open-*, sg-all-traffic-open,
// sg-sensitive-port-open): whether the offending grant is actually reachable from the internet on any
// ENI that carries the group, and when it is not, the first component that blocks it.
#pragma once

#include <span>

#include "checks/check.h"
#include "checks/rule_match.h"
#include "reach/exposure.h"

namespace fortress {

// {"verdict": "reachable" | "blocked" | "unknown" | "unattached", "rules": [per offending rule: verdict,
// reachable/blocked ENI counts, blocked_by [{component, resource, text, enis}], explanation]}; a null
// value when the scan has no exposure analysis.
[[nodiscard]] JsonValue reachability_evidence(const CheckContext& ctx, const Region& region,
                                              const SecurityGroup& group, std::span<const RuleOffense> offenses,
                                              const reach::TrafficFocus& focus);

}  // namespace fortress
