// Lateral movement: which classes of ENIs can open connections to which others, on which ports.
//
// A connection from class S to class D is possible when, for some address of each:
//  - routing: S's route table sends D's address to the VPC's local route (same VPC) or to an active
//    peering connection between the two VPCs, and D's route table sends the reply back the same way;
//  - security groups: an egress rule of one of S's groups allows the destination (CIDR, prefix-list
//    entry, or a group D carries) and an ingress rule of one of D's groups admits the source (CIDR,
//    prefix-list entry, or a group S carries, across a same-region peering too); groups are stateful;
//  - network ACLs (when S and D are in different subnets; traffic inside a subnet crosses none): S's
//    outbound and D's inbound entries for the connection, D's outbound and S's inbound for the reply
//    to an ephemeral port (kEphemeralPorts), first match in rule-number order each.
// Computed per pair of classes (never per pair of ENIs), only for the pairs a question needs: what
// one class reaches (blast radius), or who reaches one class (shared services). A query reads an index
// built once per Lateral (rules with their peers resolved, classes per VPC) and caches what does not
// change across its pairs (the fixed side's traffic per set of matching rules, NACL decisions per
// address atom); lateral.cpp says why each shortcut gives the direct evaluation's answer.
//
// A class's addresses are its members' private addresses; a rule that covers only some of them is
// read as covering the class (the edge lists the rule, so the reader can see it is partial).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "reach/exposure.h"

namespace fortress::reach {

struct LateralEdge {
  const ReachClass* from = nullptr;
  const ReachClass* to = nullptr;
  Symbol via;  // "local" or the peering connection's ID
  PortSet tcp;
  PortSet udp;
  std::vector<int> portless;  // icmp, icmpv6, other protocol numbers; kOtherProtocols = every other protocol
  std::vector<SgRuleRef> egress_rules;   // S's rules that let it out
  std::vector<SgRuleRef> ingress_rules;  // D's rules that let it in
  std::vector<std::string> unknowns;

  [[nodiscard]] bool empty() const { return tcp.empty() && udp.empty() && portless.empty(); }
  // "tcp/5432, 3306; udp/53; icmp; every protocol"
  [[nodiscard]] std::string ports_text() const;
};

class Lateral {
 public:
  // `exposure` (and the Account behind it) must outlive the Lateral.
  explicit Lateral(const Exposure& exposure);
  ~Lateral();

  // Every class the ENIs of `source` can open connections to (itself included when it has several ENIs).
  [[nodiscard]] std::vector<LateralEdge> from(const ReachClass& source) const;
  // Every class whose ENIs can open connections to `target`.
  [[nodiscard]] std::vector<LateralEdge> to(const ReachClass& target) const;
  // The one pair (empty edge when nothing passes).
  [[nodiscard]] LateralEdge between(const ReachClass& source, const ReachClass& target) const;
  // The same pair evaluated directly from the rules and entries, with no index or cache: the
  // specification from(), to() and between() are tested against (tests/reach/lateral_property_test.cpp).
  [[nodiscard]] LateralEdge between_reference(const ReachClass& source, const ReachClass& target) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What an internet-exposed class reaches next, one and two hops out.
struct BlastRadius {
  const ReachClass* origin = nullptr;
  std::vector<LateralEdge> first_hop;
  // Second hops: (index into first_hop, edge from that class). Edges back to the origin are left out.
  std::vector<std::pair<size_t, LateralEdge>> second_hop;
};
[[nodiscard]] BlastRadius blast_radius(const Lateral& lateral, const ReachClass& origin, size_t max_second = 200);

}  // namespace fortress::reach
