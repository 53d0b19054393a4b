// Explanations: the path of an exposure hop by hop, as text and as JSON evidence, and the sentence
// that says why an internet rule of a security group does not reach its ENIs.
#pragma once

#include <string>
#include <vector>

#include "reach/exposure.h"
#include "util/json_value.h"

namespace fortress::reach {

// The grants as a report shows them: sources inside `trusted` removed (docs/configuration.md,
// trusted_cidrs; a grant left with none is dropped).
[[nodiscard]] std::vector<Grant> without_trusted(std::vector<Grant> grants, const std::vector<Cidr>& trusted);
// The analysis cuts a class's grants at every port where the admitting rules or NACL entries change
// (tcp/0-79 by one rule, tcp/80 by two, tcp/81-65535 by one again). To the reader those are one
// exposure: same family, protocol, sources, reply and way in; its ports are the union and its path
// names every rule and entry that admits part of it (each rule's hop says what that rule allows).
[[nodiscard]] std::vector<Grant> merge_port_segments(std::vector<Grant> grants);

// internet -> igw -> route (the reply's) -> NACL inbound -> NACL outbound (the reply) -> SG rule(s)
// -> ENI -> instance. For a grant via a load balancer the LB and its listener come before the ENI.
[[nodiscard]] std::vector<Hop> grant_path(const ReachClass& c, const Grant& g, const EniRef& member);
// "internet -> igw-1 -> rtb-1 (0.0.0.0/0 -> igw-1) -> acl-1 in #100, out #100 -> sg-1 sgr-2 -> eni-1 -> i-1 (web-1)"
[[nodiscard]] std::string path_text(const std::vector<Hop>& hops);
// "tcp/22 from any public IPv4 address" (+ " (replies only to client ports 32768-65535)")
[[nodiscard]] std::string grant_text(const Grant& g);
// {"family", "protocol", "ports", "sources", "reply_partial", "reply_ports", "path": [{kind,id,text}], "path_text"}
[[nodiscard]] JsonValue grant_evidence(const ReachClass& c, const Grant& g, const EniRef& member);
// The same with the path already built (grant_path), for callers that also print it.
[[nodiscard]] JsonValue grant_evidence(const Grant& g, const std::vector<Hop>& hops);
// "eni-1", "i-1 (web-1)"
[[nodiscard]] std::string member_text(const EniRef& m);
// The rule as a sentence: "sg-1 allows tcp/22 from 0.0.0.0/0 (sgr-1)".
[[nodiscard]] std::string rule_sentence(const SecurityGroup& g, const SecurityGroupRule& r);
// {"verdict", "reachable_enis", "blocked_enis", "unknown_enis", "reachable_examples", "blocked_by": [...],
//  "unknown": [...]} and, when blocked, "explanation": "<rule sentence>, but <first blocker>".
[[nodiscard]] JsonValue rule_reach_evidence(const SecurityGroup& g, const SecurityGroupRule& r, const RuleReach& rr);

}  // namespace fortress::reach
