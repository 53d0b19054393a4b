// What the flow-log checks (sg-rule-unused, sg-rule-redundant, sg-rule-overbroad,
// flow-egress-unusual-port) share: naming a rule as a resource, its usage evidence, the window text,
// and the NOT_ASSESSED findings for "no flow logs given" and "coverage incomplete".
#pragma once

#include <string>
#include <vector>

#include "checks/check.h"
#include "flows/rule_usage.h"

namespace fortress::flows {

// The rule's ID (sgr-...), or — when describe-security-group-rules was not exported — a stable name
// "sg-0abc:ingress:tcp/22:0.0.0.0/0" (evidence then says so).
[[nodiscard]] Symbol rule_resource_id(const SecurityGroup& group, const SecurityGroupRule& rule);

// group_id, group_name, vpc_id, rule {...}, rule_id_note (when the ID is synthetic), usage {...},
// window {...}, coverage {...}.
[[nodiscard]] JsonValue rule_usage_evidence(const Region& region, const SecurityGroup& group,
                                            const SecurityGroupRule& rule, const RuleHits* hits,
                                            const GroupCoverage* coverage);

// "7d 2h (2026-12-01T00:00:00Z to 2026-12-08T02:00:00Z)"
[[nodiscard]] std::string window_text(uint32_t start, uint32_t end);

// When no flow logs were given: one NOT_ASSESSED per region, resource "flow-logs". Returns true when
// that was recorded (the check has nothing else to do).
bool report_no_flow_logs(const CheckContext& ctx, FindingSink& sink);

// Why a group's rules cannot be judged unused / redundant / over-broad ("" when they can): no in-use
// interface, interfaces not observed, SKIPDATA, window shorter than --min-window.
[[nodiscard]] std::string coverage_gap(const RuleUsage& usage, const GroupCoverage* coverage);

// Records a finding for a rule with the rule's resource type (AWS::EC2::SecurityGroupIngress/Egress).
Finding& rule_finding(FindingSink& sink, FindingStatus status, const Region& region, const SecurityGroup& group,
                      const SecurityGroupRule& rule, std::string detail);

}  // namespace fortress::flows
