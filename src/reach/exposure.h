// Internet exposure: for every network interface of the account, what the internet can open a
// connection to, on which protocols and ports, from which source addresses, and through which path.
//
// AWS's documented semantics, applied exactly (the comments in exposure.cpp cite the pages):
//  - an address the internet can reach: a public IPv4 address (auto-assigned or Elastic IP) on one
//    of the ENI's private addresses, or a global IPv6 address (not unique-local, not link-local);
//  - inbound, the internet gateway attached to the VPC delivers to the ENI through the VPC's local
//    route, unless a gateway route table (edge association) redirects it: then NOT_ASSESSED;
//  - the reply to a client goes through the subnet's route table (explicit association, else the
//    VPC's main table): longest prefix match over the routes (prefix-list destinations expanded,
//    static before prefix-list before propagated routes, blackholes drop) must pick an internet
//    gateway attached to the VPC, so a more specific route to a NAT gateway, a transit gateway, a
//    VPN or a peering takes that part of the internet away. Egress-only internet gateways never
//    admit inbound connections;
//  - the subnet's network ACL: inbound entries in rule-number order, first match wins, implicit
//    deny; and, stateless, the outbound entries must let the reply reach the client's ephemeral port
//    (kEphemeralPorts): a reply allowed for only some client ports is a partial exposure;
//  - security groups: stateful (the reply is always allowed), the union of the ingress rules of all
//    the ENI's groups; CIDR peers and prefix-list entries admit their addresses, security-group
//    references never admit the internet.
//
// The work is done once per equivalence class of ENIs: same subnet (so same route table and network
// ACL), same set of security groups, same presence of a public IPv4 / global IPv6 address; classes
// whose route table, NACL and groups coincide share one evaluation. Nothing is computed per ENI pair
// or per address: every set is an IntervalSet.
//
// An Exposure is computed once per scan (compute_exposure) and read by checks and reports; it keeps
// pointers into the Account, which must outlive it and stay unmodified.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "model/account.h"
#include "reach/interval_set.h"

namespace fortress::reach {

class Exposure;
[[nodiscard]] Exposure compute_exposure(const Account& account, const Config& config);

// The client source ports a reply must be able to reach: the range AWS's NACL documentation tells
// administrators to open for clients of every operating system ("1024-65535").
inline constexpr PortRange kEphemeralPorts{1024, 65535};

// A protocol as exposure reports it: 6 (tcp), 17 (udp), 1 (icmp), 58 (icmpv6), another IANA number,
// or kOtherProtocols: every protocol not listed on its own (admitted by an all-traffic rule).
inline constexpr int kOtherProtocols = -1;
[[nodiscard]] std::string protocol_label(int protocol);  // "tcp", "udp", "icmp", "protocol 50", "other protocols"
[[nodiscard]] inline bool protocol_has_ports(int protocol) { return has_ports(protocol); }

struct SgRuleRef {
  const SecurityGroup* group = nullptr;
  const SecurityGroupRule* rule = nullptr;
  friend bool operator==(const SgRuleRef&, const SgRuleRef&) = default;
};

// One step of an explanation path, in traffic order.
struct Hop {
  std::string kind;  // internet, igw, route, nacl-in, nacl-out, sg-rule, eni, instance, lb, listener, target
  std::string id;    // igw-..., rtb-..., acl-..., sgr-... / sg-..., eni-..., i-...
  std::string text;  // "rtb-1: 0.0.0.0/0 -> igw-1 (reply)", "acl-1 inbound rule 100 allows tcp/22 from 0.0.0.0/0"
};

// One exposure: sources on the internet that can open connections to a class on these ports.
struct Grant {
  IpFamily family = IpFamily::kV4;
  int protocol = proto::kTcp;
  PortSet ports;       // tcp/udp: the destination ports; empty for protocols without ports
  AddressSet sources;  // public source addresses that get through every stage
  // The client ports (within kEphemeralPorts) the NACL lets the reply go to, for every source of the
  // grant; partial when that is not the whole range for all of them.
  PortSet reply_ports;
  bool reply_partial = false;
  std::vector<SgRuleRef> sg_rules;         // the ingress rules admitting it
  std::vector<const NetworkAclEntry*> nacl_in;   // the inbound entries that decided "allow"
  std::vector<const NetworkAclEntry*> nacl_out;  // the outbound entries that let the reply out
  std::vector<const Route*> routes;        // the routes that send the reply to the internet gateway
  Symbol igw_id;
  // Via a load balancer (lb.cpp): the LB, its listener and the target port; empty otherwise.
  Symbol via_lb;
  std::string via_detail;
  uint16_t via_listener_port = 0;
  std::string via_listener;  // "HTTPS:443 -> prod-shop-tg:8080": the listener and the target group it forwards to

  [[nodiscard]] std::string traffic_text() const;  // "tcp/22", "udp/53, 123", "icmp", "other protocols"
};

enum class ClassState : uint8_t {
  kExposed,       // at least one grant
  kNotExposed,    // evaluated: nothing reaches it
  kNotAssessed,   // data needed to decide was not collected (unknowns say what)
  kNotEvaluated,  // not an internet-facing kind of interface (detached, NAT gateway, ...): reason says
};
[[nodiscard]] std::string_view to_string(ClassState s);

// Why an ENI (or a security group's internet rule on it) is not reachable: the first component on
// the path that stops the traffic, Reachability Analyzer style.
// Interned: tens of thousands of classes are blocked for the same few reasons.
struct Blocker {
  Symbol component;  // "public-address", "internet-gateway", "route", "nacl-in", "nacl-out", "ingress-routing"
  Symbol resource;   // eni-, vpc-, rtb-, acl-
  Symbol text;       // "no public IPv4 address", "NACL acl-1 inbound rule 90 denies it"
};

struct InternetResult {
  ClassState state = ClassState::kNotExposed;
  std::vector<Grant> grants;
  std::vector<std::string> unknowns;  // kNotAssessed (or a known exposure with parts unknown)
  std::string reason;                 // kNotEvaluated: why
  // Per family, when nothing of that family is exposed, what blocks the class's internet rules first
  // (empty when no security group rule admits the internet at all).
  std::optional<Blocker> blocked_v4;
  std::optional<Blocker> blocked_v6;
};

struct EniRef {
  const NetworkInterface* eni = nullptr;
  const Instance* instance = nullptr;  // nullptr when not attached to an instance (or not collected)
};

// ENIs that behave the same: one subnet, one set of security groups, same public-address presence.
struct ReachClass {
  uint32_t id = 0;
  const Region* region = nullptr;
  Symbol vpc_id;
  const Subnet* subnet = nullptr;            // nullptr when the subnet was not collected
  const RouteTable* route_table = nullptr;   // explicit association, else the main table
  const NetworkAcl* nacl = nullptr;
  std::vector<const SecurityGroup*> groups;  // sorted by ID
  std::vector<Symbol> unknown_groups;        // named by the ENIs but absent from describe-security-groups
  bool public_v4 = false;
  bool global_v6 = false;
  std::vector<EniRef> members;
  AddressSet addresses_v4 = AddressSet::none(IpFamily::kV4);  // members' private IPv4 addresses
  AddressSet addresses_v6 = AddressSet::none(IpFamily::kV6);  // members' IPv6 addresses
  uint32_t internet = 0;  // index of its InternetResult

  [[nodiscard]] bool has_group(std::string_view id) const;
  [[nodiscard]] const AddressSet& addresses(IpFamily f) const { return f == IpFamily::kV4 ? addresses_v4 : addresses_v6; }
};

// The reachability of one security-group rule that admits some of the internet, over every ENI that
// carries the group (restricted to `focus` traffic when the caller asks about some ports only).
struct RuleReach {
  enum class Verdict : uint8_t { kReachable, kBlocked, kUnknown, kUnattached };
  Verdict verdict = Verdict::kUnattached;
  size_t enis_reachable = 0;
  size_t enis_blocked = 0;
  size_t enis_unknown = 0;
  std::vector<std::string> reachable_examples;  // "eni-1 (i-1 web-1): tcp/22 from 0.0.0.0/0"
  std::vector<std::pair<Blocker, size_t>> blockers;  // distinct first blockers, with how many ENIs
  std::vector<std::string> unknowns;
};
[[nodiscard]] std::string_view to_string(RuleReach::Verdict v);  // reachable, blocked, unknown, unattached

// The traffic a question is about: one protocol (or every protocol) and some ports, or the whole rule.
struct TrafficFocus {
  int protocol = proto::kAll;  // kAll: whatever the rule admits
  PortSet ports;               // tcp/udp ports; when set, protocols without ports are left out
};

class Exposure {
 public:
  Exposure();
  ~Exposure();
  Exposure(Exposure&&) noexcept;
  Exposure& operator=(Exposure&&) noexcept;

  [[nodiscard]] std::span<const ReachClass> classes() const { return classes_; }
  [[nodiscard]] const InternetResult& internet(const ReachClass& c) const { return internet_[c.internet]; }
  [[nodiscard]] const ReachClass* class_of(std::string_view region, std::string_view eni_id) const;
  [[nodiscard]] const ReachClass* class_of(const NetworkInterface& eni) const;  // an ENI of the Account
  // Classes whose ENIs carry the group.
  [[nodiscard]] std::vector<const ReachClass*> classes_with_group(std::string_view region,
                                                                  std::string_view group_id) const;
  // Regions where the exposure could not be computed at all, with why (a dataset not collected).
  [[nodiscard]] const std::vector<std::pair<Symbol, std::string>>& region_gaps() const { return region_gaps_; }
  // The datasets exposure needs in every region.
  [[nodiscard]] static std::span<const Dataset> needed_datasets();

  // Is this internet rule of `group` reachable on any ENI of the group? Evaluated on demand (the
  // rule's own sources and traffic, narrowed to `focus`).
  [[nodiscard]] RuleReach rule_reach(const Region& region, const SecurityGroup& group, const SecurityGroupRule& rule,
                                     const TrafficFocus& focus = {}) const;

  // The internet evaluation of one class restricted to sources and traffic (used by rule_reach and by
  // the brute-force cross-check in tests): the grants for that traffic, or the first blocker.
  struct Narrowed {
    std::vector<Grant> grants;
    std::optional<Blocker> blocker;
    std::vector<std::string> unknowns;
  };
  [[nodiscard]] Narrowed evaluate(const ReachClass& c, IpFamily family, int protocol, const PortSet& ports,
                                  const AddressSet& sources, std::span<const SgRuleRef> only_rules) const;

  // The builders inside src/reach (compute_exposure, the load-balancer stage) fill the tables.
  friend struct ExposureAccess;
  friend Exposure compute_exposure(const Account& account, const Config& config);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<ReachClass> classes_;
  std::vector<InternetResult> internet_;
  std::vector<std::pair<Symbol, std::string>> region_gaps_;
};

// Computes the exposure of every ENI of the account. `config` is read for nothing today but kept so
// thresholds can join without a signature change. Never fails: what cannot be decided is NOT_ASSESSED.
[[nodiscard]] Exposure compute_exposure(const Account& account, const Config& config);

// The first ENI-level reason an interface is not evaluated ("detached", "NAT gateway interface"), or
// "" when it is evaluated like any other.
[[nodiscard]] std::string not_evaluated_reason(const NetworkInterface& eni);

}  // namespace fortress::reach
