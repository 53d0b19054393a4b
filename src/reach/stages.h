// The stages of the path from the internet to an interface, each as set arithmetic: routes (the
// reply's longest prefix match), network ACL entries (first match in rule-number order), security
// group rules (union of peers). Internal to src/reach; exposure.h is the interface.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/account.h"
#include "reach/exposure.h"
#include "reach/interval_set.h"

namespace fortress::reach {

[[nodiscard]] std::string join_texts(std::span<const std::string> parts, std::string_view separator);
[[nodiscard]] bool is_load_balancer_interface(const NetworkInterface& eni);
void add_unique_text(std::vector<std::string>& v, std::string s);
// A blocker's position along the path (public address, internet gateway, route, NACL in, NACL out):
// of two blockers the one further along explains more.
[[nodiscard]] int blocker_rank(std::string_view component);

// Does a rule or entry's traffic spec cover protocol `p` (an IANA number or kOtherProtocols)?
[[nodiscard]] bool rule_admits_protocol(const TrafficSpec& t, int p);
// The destination ports a spec admits (all ports for protocol -1).
[[nodiscard]] PortSet rule_ports(const TrafficSpec& t);

// Per-region facts the stages look up: internet gateways attached per VPC, gateway route tables.
struct RegionFacts {
  const Region* region = nullptr;
  std::unordered_map<std::string_view, std::vector<Symbol>, TextHash> igws_by_vpc;
  // Route tables with an edge association to a gateway attached to the VPC (ingress routing).
  std::unordered_map<std::string_view, std::vector<const RouteTable*>, TextHash> edge_tables_by_vpc;

  // Per security group of the region (by its place in region->security_groups), per family (IPv4,
  // IPv6): whether an ingress rule's peer admits public addresses, and the rules whose peers are
  // unknown (prefix lists not collected), as the classes without a way in report them. Worked out
  // once per group: a class asks about each of its groups.
  struct GroupInternet {
    bool admits[2] = {false, false};
    std::vector<std::string> unknowns[2];
  };
  std::vector<GroupInternet> group_internet;

  [[nodiscard]] bool has_edge_tables(std::string_view vpc) const { return edge_tables_by_vpc.count(vpc) != 0; }
  [[nodiscard]] bool igw_attached(std::string_view vpc, std::string_view igw) const;
};
[[nodiscard]] RegionFacts make_region_facts(const Region& region);
// One group's RegionFacts::GroupInternet; add_group_internet fills them for every group of the
// region (compute_exposure does; facts made without it are asked group by group).
[[nodiscard]] RegionFacts::GroupInternet group_internet(const RegionFacts& facts, const SecurityGroup& group);
void add_group_internet(RegionFacts& facts);
// Adds the exposures through internet-facing load balancers to the classes of their targets
// (lb.cpp); called last by compute_exposure.
void add_load_balancer_exposure(Exposure& ex, const Account& account);

// The addresses of one family a rule peer stands for. Security-group peers stand for no address
// (they never admit the internet); prefix lists for their collected entries.
struct PeerSources {
  AddressSet addresses = AddressSet::none(IpFamily::kV4);
  bool unknown = false;
  std::string unknown_reason;
};
[[nodiscard]] PeerSources peer_sources(const RegionFacts& facts, const RulePeer& peer, IpFamily family);

// --- network ACLs --------------------------------------------------------------------------------

struct NaclDecision {
  AddressSet addresses;
  const NetworkAclEntry* entry = nullptr;  // nullptr: no entry matched (the implicit deny)
};
struct NaclEval {
  AddressSet allowed;
  std::vector<NaclDecision> decisions;  // in rule order, then the implicit deny
};
// First-match evaluation of one direction of `acl` for traffic of `protocol` whose (destination) port
// lies in [port_lo, port_hi] (an elementary segment: no entry boundary inside), for the addresses of
// `universe` (the peer address: the source inbound, the destination outbound).
[[nodiscard]] NaclEval eval_nacl(const NetworkAcl& acl, bool egress, int protocol, uint32_t port_lo, uint32_t port_hi,
                                 const AddressSet& universe);
// The port boundaries (segment starts) of the entries of one direction that match `protocol`,
// within [lo, hi].
void nacl_port_cuts(const NetworkAcl& acl, bool egress, int protocol, uint32_t lo, uint32_t hi,
                    std::vector<uint32_t>& cuts);

// The reply of a connection: `acl` outbound towards the client (the addresses of `universe`) on its
// ephemeral ports. `any`: some client port gets the reply; `all`: every port of kEphemeralPorts.
struct ReplyEval {
  AddressSet any;
  AddressSet all;
  struct Segment {
    PortSet ports;
    NaclEval eval;
  };
  std::vector<Segment> segments;
};
[[nodiscard]] ReplyEval eval_reply(const NetworkAcl& acl, int protocol, const AddressSet& universe);

// --- routes --------------------------------------------------------------------------------------

struct RouteDecision {
  AddressSet addresses;
  const Route* route = nullptr;  // nullptr: no route (dropped)
  Cidr destination;              // the route's destination, or the prefix-list entry that matched
};
struct RouteEval {
  AddressSet to_igw;  // destinations whose route is an active route to an attached internet gateway
  std::vector<RouteDecision> decisions;
  std::vector<std::string> unknowns;
};
// Longest-prefix-match of `table` for the destinations in `universe`.
[[nodiscard]] RouteEval eval_routes(const RegionFacts& facts, const RouteTable& table, std::string_view vpc_id,
                                    const AddressSet& universe);
// What one destination address is routed to: the route, or nullptr. `unknown` is set when a
// prefix-list route whose entries are unknown could match.
[[nodiscard]] const Route* route_for(const RegionFacts& facts, const RouteTable& table, const IpAddress& dest,
                                     bool* unknown = nullptr);
[[nodiscard]] std::string route_text(const RouteTable& table, const RouteDecision& d);

// --- one class -----------------------------------------------------------------------------------

struct StageResult {
  std::vector<Grant> grants;
  std::optional<Blocker> blocker;  // set when the traffic was admitted by a rule but stopped later
  std::vector<std::string> unknowns;
};

class ClassEvaluator {
 public:
  ClassEvaluator(const RegionFacts& facts, const ReachClass& c) : facts_(facts), class_(c) {}

  // The protocols worth evaluating separately for a family: tcp, udp, the family's ICMP, every
  // protocol a rule or entry names, and kOtherProtocols.
  [[nodiscard]] std::vector<int> protocols(IpFamily family) const;

  // Internet traffic of `protocol` to `ports` (tcp/udp; empty = all) from `sources` (public
  // addresses), admitted by `only_rules` (empty: every ingress rule of the class's groups).
  [[nodiscard]] StageResult evaluate(IpFamily family, int protocol, const PortSet& ports, const AddressSet& sources,
                                     std::span<const SgRuleRef> only_rules);
  [[nodiscard]] InternetResult evaluate_class();

 private:
  struct FamilyState {
    bool ready = false;
    std::optional<Blocker> blocker;  // public address / IGW / ingress routing: stops the whole family
    std::vector<std::string> unknowns;
    std::vector<Symbol> igws;
    RouteEval routes;
    AddressSet universe = AddressSet::none(IpFamily::kV4);  // public ∩ routed back to an IGW
  };
  FamilyState& family_state(IpFamily family);
  const ReplyEval& reply(IpFamily family, int protocol);

  const RegionFacts& facts_;
  const ReachClass& class_;
  FamilyState v4_;
  FamilyState v6_;
  std::vector<std::pair<int, ReplyEval>> replies_v4_;
  std::vector<std::pair<int, ReplyEval>> replies_v6_;
};

}  // namespace fortress::reach
