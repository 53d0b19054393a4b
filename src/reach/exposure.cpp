// Internet exposure, stage by stage. References for the semantics implemented here:
//  - Route priority (longest prefix, then static, then prefix-list, then propagated routes):
//    https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
//  - Subnet route tables (explicit association, else the main route table) and gateway route tables
//    (edge associations that redirect inbound traffic to an appliance):
//    https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
//    https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html
//  - Internet gateways (1:1 NAT of public IPv4 addresses, IPv6 global addresses; a subnet is public
//    when its route table routes to an internet gateway): https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html
//  - Egress-only internet gateways admit no connection initiated from the internet:
//    https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html
//  - Network ACLs: stateless, rules evaluated in rule-number order starting with the lowest, the first
//    match decides, "*" denies what no rule matches; replies need outbound rules for the client's
//    ephemeral ports (1024-65535 covers every client OS); traffic between addresses of one subnet
//    does not cross its NACL: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
//    https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
//  - Security groups: stateful, allow rules only, the rules of all groups of an interface are
//    aggregated: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
//  - NAT gateways do not accept connections initiated from the internet:
//    https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
#include "reach/exposure.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <type_traits>
#include <set>

#include "reach/stages.h"
#include "util/parallel.h"

namespace fortress::reach {

std::string protocol_label(int protocol) {
  if (protocol == kOtherProtocols) return "other protocols";
  if (protocol == proto::kTcp || protocol == proto::kUdp || protocol == proto::kIcmp || protocol == proto::kIcmpv6)
    return protocol_name(protocol);
  return fmt::format("protocol {}", protocol);
}

std::string Grant::traffic_text() const {
  if (!protocol_has_ports(protocol)) return protocol_label(protocol);
  return protocol_label(protocol) + "/" + to_string(ports);
}

std::string_view to_string(ClassState s) {
  switch (s) {
    case ClassState::kExposed: return "exposed";
    case ClassState::kNotExposed: return "not-exposed";
    case ClassState::kNotAssessed: return "not-assessed";
    case ClassState::kNotEvaluated: return "not-evaluated";
  }
  return "not-assessed";
}

std::string_view to_string(RuleReach::Verdict v) {
  switch (v) {
    case RuleReach::Verdict::kReachable: return "reachable";
    case RuleReach::Verdict::kBlocked: return "blocked";
    case RuleReach::Verdict::kUnknown: return "unknown";
    case RuleReach::Verdict::kUnattached: return "unattached";
  }
  return "unknown";
}

bool ReachClass::has_group(std::string_view id) const {
  return std::any_of(groups.begin(), groups.end(), [&](const SecurityGroup* g) { return g->id == id; });
}

std::string not_evaluated_reason(const NetworkInterface& eni) {
  if (eni.status == "available" || (eni.status.empty() && eni.attachment_status == "detached"))
    return "detached: the interface is not attached to anything";
  if (eni.interface_type == "nat_gateway")
    return "NAT gateway interface: a NAT gateway accepts no connection initiated from outside";
  if (is_load_balancer_interface(eni))
    return "load balancer interface: what it accepts is decided by the load balancer's listeners";
  if (eni.interface_type == "gateway_load_balancer_endpoint" || eni.interface_type == "transit_gateway")
    return "service interface (" + eni.interface_type.str() + "): it forwards traffic, it does not serve it";
  return {};
}

// ---------------------------------------------------------------------------------------------

namespace {

// Appends the bytes of `v` to a lookup key: keys made of pointers (Symbols are interned, so a text's
// address names it) and numbers, compared whole, never shown.
template <typename T>
void put_bytes(std::string& key, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  key.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// What one internet rule does on one class (rule_reach).
struct ClassOutcome {
  bool reachable = false;
  bool unknown = false;
  bool some_listener = false;  // a load balancer: some of the rule's traffic meets a listener
  std::optional<Blocker> blocker;
  std::vector<std::string> examples;
  std::vector<std::string> unknowns;
};

}  // namespace

struct Exposure::Impl {
  std::vector<RegionFacts> regions;  // one per Account region, same order
  std::unordered_map<const NetworkInterface*, uint32_t> class_by_eni;
  // By (region, group ID): Symbols are interned, so the text's address identifies the ID.
  struct GroupKey {
    const Region* region;
    const char* group;
    bool operator==(const GroupKey&) const = default;
  };
  struct GroupKeyHash {
    size_t operator()(const GroupKey& k) const {
      return std::hash<const void*>()(k.region) * 31 + std::hash<const void*>()(k.group);
    }
  };
  std::unordered_map<GroupKey, std::vector<uint32_t>, GroupKeyHash> classes_by_group;
  // rule_reach's outcomes, shared by every call (the checks ask about the same kinds of rule on the
  // same kinds of class over and over): key from outcome_key(). Filled by the checks' threads.
  // Looked up far more often than filled: readers share the lock. Found by string_view (no copy of
  // the key per lookup).
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view k) const { return std::hash<std::string_view>()(k); }
  };
  std::shared_mutex outcomes_mutex;
  std::unordered_map<std::string, ClassOutcome, KeyHash, std::equal_to<>> outcomes;
  const Config* config = nullptr;
  const Account* account = nullptr;
};

Exposure::Exposure() : impl_(std::make_unique<Impl>()) {}
Exposure::~Exposure() = default;
Exposure::Exposure(Exposure&&) noexcept = default;
Exposure& Exposure::operator=(Exposure&&) noexcept = default;

std::span<const Dataset> Exposure::needed_datasets() {
  static constexpr Dataset kNeeded[] = {Dataset::kNetworkInterfaces, Dataset::kSecurityGroups, Dataset::kSubnets,
                                        Dataset::kRouteTables,       Dataset::kNetworkAcls,    Dataset::kInternetGateways};
  return kNeeded;
}

const ReachClass* Exposure::class_of(std::string_view region, std::string_view eni_id) const {
  if (impl_->account == nullptr) return nullptr;
  const Region* r = impl_->account->region(region);
  const NetworkInterface* eni = r == nullptr ? nullptr : r->network_interface(eni_id);
  auto it = impl_->class_by_eni.find(eni);
  return it == impl_->class_by_eni.end() ? nullptr : &classes_[it->second];
}

const ReachClass* Exposure::class_of(const NetworkInterface& eni) const {
  auto it = impl_->class_by_eni.find(&eni);
  return it == impl_->class_by_eni.end() ? nullptr : &classes_[it->second];
}

std::vector<const ReachClass*> Exposure::classes_with_group(std::string_view region, std::string_view group_id) const {
  std::vector<const ReachClass*> out;
  if (impl_->account == nullptr) return out;
  const Region* r = impl_->account->region(region);
  auto it = impl_->classes_by_group.find({r, Symbol(group_id).view().data()});
  if (it == impl_->classes_by_group.end()) return out;
  for (uint32_t i : it->second) out.push_back(&classes_[i]);
  return out;
}

namespace {

const RegionFacts* facts_for(const std::vector<RegionFacts>& all, const Region* region) {
  for (const RegionFacts& f : all) {
    if (f.region == region) return &f;
  }
  return nullptr;
}

void keep_furthest(std::optional<Blocker>& into, const std::optional<Blocker>& b) {
  if (!b) return;
  if (!into || blocker_rank(b->component) > blocker_rank(into->component)) into = b;
}

}  // namespace

Exposure::Narrowed Exposure::evaluate(const ReachClass& c, IpFamily family, int protocol, const PortSet& ports,
                                      const AddressSet& sources, std::span<const SgRuleRef> only_rules) const {
  Narrowed out;
  const RegionFacts* facts = facts_for(impl_->regions, c.region);
  if (facts == nullptr) return out;
  ClassEvaluator ev(*facts, c);
  StageResult r = ev.evaluate(family, protocol, ports, sources, only_rules);
  out.grants = std::move(r.grants);
  out.blocker = std::move(r.blocker);
  out.unknowns = std::move(r.unknowns);
  return out;
}

namespace {

// What a load balancer's interfaces accept from the internet: the listener ports of an internet-facing
// ELBv2 load balancer, per protocol. `known` is false when the load balancer or its listeners were not
// collected (then nothing can be said); `why_none` says why nothing is accepted when known and empty.
struct LoadBalancerPorts {
  bool known = false;
  PortSet tcp, udp;
  std::string lb;        // its name
  std::string why_none;  // "internal load balancer prod-api", "no listener", ...
  std::string unknown;   // why not known
};

LoadBalancerPorts load_balancer_ports(const Region& region, const NetworkInterface& eni) {
  LoadBalancerPorts out;
  if (!region.has(Dataset::kLoadBalancers)) {
    out.unknown = fmt::format("{} is a load balancer interface, and elbv2 describe-load-balancers was not collected in {}",
                              eni.id, region.name);
    return out;
  }
  // "ELB app/web/50dc6c495c0c9188" is the interface of ".../loadbalancer/app/web/50dc6c495c0c9188".
  const std::string_view description = eni.description.view();
  const LoadBalancer* found = nullptr;
  for (const LoadBalancer& lb : region.load_balancers) {
    const std::string_view arn = lb.arn.view();
    const size_t p = arn.find(":loadbalancer/");
    if (p != std::string_view::npos && description.size() > 4 && arn.substr(p + 14) == description.substr(4)) found = &lb;
  }
  if (found == nullptr) {
    out.unknown = fmt::format("{} is the interface of a load balancer ({}) that describe-load-balancers does not list",
                              eni.id, description);
    return out;
  }
  out.lb = found->name.str();
  if (!found->internet_facing()) {
    out.known = true;
    out.why_none = fmt::format("{} belongs to the internal load balancer {}: it has no internet-facing listener", eni.id,
                               found->name);
    return out;
  }
  if (!found->listeners) {
    out.unknown = fmt::format("the listeners of load balancer {} were not collected", found->name);
    return out;
  }
  out.known = true;
  for (const Listener& l : *found->listeners) {
    if (!l.port) continue;
    const uint32_t port = uint32_t(*l.port);
    if (l.protocol == "UDP" || l.protocol == "TCP_UDP") out.udp.add(port, port);
    if (l.protocol != "UDP" && l.protocol != "GENEVE") out.tcp.add(port, port);
  }
  if (out.tcp.empty() && out.udp.empty()) out.why_none = fmt::format("load balancer {} has no listener", found->name);
  return out;
}

}  // namespace

RuleReach Exposure::rule_reach(const Region& region, const SecurityGroup& group, const SecurityGroupRule& rule,
                               const TrafficFocus& focus) const {
  RuleReach out;
  if (!rule.is_ingress()) return out;
  const RegionFacts* facts = facts_for(impl_->regions, &region);
  for (const auto& [r, gap] : region_gaps_) {
    if (r == region.name) {
      out.verdict = RuleReach::Verdict::kUnknown;
      out.unknowns.push_back(gap);
      return out;
    }
  }
  if (facts == nullptr) return out;
  const SgRuleRef only[] = {{&group, &rule}};

  // The rule's public sources per family: the same on every class.
  // Their public part is worked out on the first evaluation: most calls find every class's outcome
  // among those already computed.
  struct FamilySources {
    IpFamily family;
    PeerSources peer;
    std::optional<AddressSet> public_src;
    const AddressSet& src() {
      if (!public_src) public_src = peer.addresses & public_space(family);
      return *public_src;
    }
  };
  std::array<FamilySources, 2> sources = {FamilySources{IpFamily::kV4, peer_sources(*facts, rule.peer, IpFamily::kV4), {}},
                                          FamilySources{IpFamily::kV6, peer_sources(*facts, rule.peer, IpFamily::kV6), {}}};
  using Protocols = std::array<std::vector<int>, 2>;  // ClassEvaluator::protocols of IPv4, IPv6
  auto evaluate_on = [&](ClassEvaluator& ev, const Protocols& protocols, const std::optional<LoadBalancerPorts>& lb) {
    ClassOutcome o;
    for (FamilySources& fs : sources) {
      const IpFamily family = fs.family;
      if (fs.peer.unknown) {
        o.unknown = true;
        add_unique_text(o.unknowns, fs.peer.unknown_reason);
      }
      const AddressSet& src = fs.src();
      if (src.empty()) continue;
      for (int p : protocols[family == IpFamily::kV4 ? 0 : 1]) {
        if (focus.protocol != proto::kAll && focus.protocol != p) continue;
        if (!focus.ports.empty() && !protocol_has_ports(p)) continue;  // a question about ports
        if (!rule_admits_protocol(rule.traffic, p)) continue;
        PortSet pset = protocol_has_ports(p) ? rule_ports(rule.traffic) : PortSet{};
        if (protocol_has_ports(p) && !focus.ports.empty()) pset &= focus.ports;
        if (protocol_has_ports(p) && pset.empty()) continue;
        if (lb) {
          if (p != proto::kTcp && p != proto::kUdp) continue;  // listeners are tcp or udp ports
          pset &= p == proto::kTcp ? lb->tcp : lb->udp;
          if (pset.empty()) continue;
          o.some_listener = true;
        }
        StageResult sr = ev.evaluate(family, p, pset, src, only);
        for (const std::string& u : sr.unknowns) {
          o.unknown = true;
          add_unique_text(o.unknowns, u);
        }
        if (!sr.grants.empty()) {
          o.reachable = true;
          for (const Grant& g : sr.grants) {
            if (o.examples.size() < 3) o.examples.push_back(g.traffic_text() + " from " + to_string(g.sources, 2));
          }
        } else {
          keep_furthest(o.blocker, sr.blocker);
        }
      }
    }
    if (lb && !o.reachable && !o.unknown && !o.some_listener) {
      o.blocker = Blocker{"listener", lb->lb,
                          !lb->why_none.empty() ? lb->why_none
                                                : fmt::format("load balancer {} has no listener on these ports", lb->lb)};
    }
    return o;
  };
  auto count = [&](const ReachClass& c, const ClassOutcome& o) {
    for (const std::string& u : o.unknowns) add_unique_text(out.unknowns, u);
    const size_t n = c.members.size();
    if (o.reachable) {
      out.enis_reachable += n;
      if (out.reachable_examples.size() < 3) {
        const EniRef& m = c.members.front();
        std::string who = m.eni->id.str();
        if (m.instance != nullptr) {
          who += fmt::format(" ({}{}{})", m.instance->id, m.instance->name().empty() ? "" : " ", m.instance->name());
        }
        out.reachable_examples.push_back(fmt::format("{}: {}", who, join_texts(o.examples, "; ")));
      }
    } else if (o.unknown) {
      out.enis_unknown += n;
    } else if (o.blocker) {
      out.enis_blocked += n;
      auto it = std::find_if(out.blockers.begin(), out.blockers.end(),
                             [&](const auto& b) { return b.first.text == o.blocker->text; });
      if (it == out.blockers.end()) {
        out.blockers.push_back({*o.blocker, n});
        // The class's own interface (an outcome shared by classes alike names the first one's).
        if (o.blocker->component == "public-address" && !c.members.empty())
          out.blockers.back().first.resource = c.members.front().eni->id;
      } else {
        it->second += n;
      }
    }
  };

  // The rule's reach on a class depends on the class's address presence, VPC, route table and NACL
  // (the subnet too where edge routing could single it out), the rule's traffic and sources, the
  // focus, and for an all-traffic rule the protocols the class's rules and NACL entries name (each is
  // evaluated on its own) -- not on which rule or group it is, nor on what the other rules admit. So
  // every (rule, class) pair alike in those shares one evaluation, across calls: the checks ask about
  // the same few kinds of grant on the same few hundred kinds of class tens of thousands of times.
  // An outcome that would name one class's interface (no subnet collected) is not shared, one that
  // names one rule (a prefix list whose entries are unknown) only among the classes of that rule; a
  // missing public address names the interface as the blocker's resource only, which count() sets.
  const bool all_traffic = rule.traffic.protocol == proto::kAll;
  bool peer_unknown = false;
  for (const FamilySources& fs : sources) peer_unknown |= fs.peer.unknown;
  auto put = [](std::string& key, const auto& v) { put_bytes(key, v); };
  // The rule's part of the key: what evaluate_on reads of the rule and the focus. A tcp or udp rule
  // is asked about its ports within the focus (two rules whose ranges cut the same focus ports out
  // are the same question), an ICMP rule about its type and code.
  std::string rule_key;
  put(rule_key, rule.traffic.protocol);
  put(rule_key, focus.protocol);
  put(rule_key, focus.ports.empty());
  if (protocol_has_ports(rule.traffic.protocol)) {
    PortSet asked = rule_ports(rule.traffic);
    if (!focus.ports.empty()) asked &= focus.ports;
    for (const auto& iv : asked.intervals()) {
      put(rule_key, iv.lo);
      put(rule_key, iv.hi);
    }
  } else if (all_traffic) {
    for (const auto& iv : focus.ports.intervals()) {
      put(rule_key, iv.lo);
      put(rule_key, iv.hi);
    }
  } else {
    put(rule_key, rule.traffic.icmp_type);
    put(rule_key, rule.traffic.icmp_code);
  }
  put(rule_key, rule.peer.kind);
  put(rule_key, rule.peer.cidr.network.family);
  put(rule_key, rule.peer.cidr.network.value);
  put(rule_key, rule.peer.cidr.prefix_length);
  put(rule_key, rule.peer.prefix_list_id.view().data());  // interned: the address names the text
  put(rule_key, rule.peer.group_id.view().data());
  put(rule_key, peer_unknown ? &rule : nullptr);  // its unknown text names the rule and its group
  put(rule_key, peer_unknown ? &group : nullptr);
  auto group_classes = impl_->classes_by_group.find({&region, group.id.view().data()});
  const std::span<const uint32_t> class_ids =
      group_classes == impl_->classes_by_group.end() ? std::span<const uint32_t>() : std::span<const uint32_t>(group_classes->second);
  std::string key;  // one buffer for every class's key
  for (uint32_t class_id : class_ids) {
    const ReachClass* c = &classes_[class_id];
    const InternetResult& ir = internet(*c);
    // A load balancer's interfaces accept what its listeners listen on: the rule is reachable on
    // those ports only (what the load balancer then forwards is the targets' exposure, lb.cpp).
    if (ir.state == ClassState::kNotEvaluated) {
      if (c->members.empty() || !is_load_balancer_interface(*c->members.front().eni)) continue;
      std::optional<LoadBalancerPorts> lb = load_balancer_ports(region, *c->members.front().eni);
      if (!lb->known) {
        out.enis_unknown += c->members.size();
        add_unique_text(out.unknowns, lb->unknown);
        continue;
      }
      ClassEvaluator ev(*facts, *c);
      count(*c, evaluate_on(ev, {ev.protocols(IpFamily::kV4), ev.protocols(IpFamily::kV6)}, lb));  // its own listeners
      continue;
    }
    const bool names_interface = c->subnet == nullptr;  // "the subnet of eni-... was not collected"
    std::optional<ClassEvaluator> ev;
    std::optional<Protocols> protocols;
    auto evaluator = [&]() -> ClassEvaluator& {
      if (!ev) ev.emplace(*facts, *c);
      return *ev;
    };
    auto class_protocols = [&]() -> const Protocols& {
      if (!protocols) protocols = Protocols{evaluator().protocols(IpFamily::kV4), evaluator().protocols(IpFamily::kV6)};
      return *protocols;
    };
    if (names_interface) {  // cheap: the first stage stops it
      count(*c, evaluate_on(evaluator(), class_protocols(), std::nullopt));
      continue;
    }
    key.clear();
    put(key, c->route_table);
    put(key, c->nacl);
    put(key, c->vpc_id.view().data());
    put(key, c->public_v4);
    put(key, c->global_v6);
    const bool by_subnet = facts->has_edge_tables(c->vpc_id) || c->route_table == nullptr || c->nacl == nullptr;
    put(key, by_subnet ? c->subnet : nullptr);
    key += rule_key;
    if (all_traffic) {
      for (const std::vector<int>& family_protocols : class_protocols()) {
        key.push_back('|');
        for (int p : family_protocols) put(key, p);
      }
    }
    {
      std::shared_lock lock(impl_->outcomes_mutex);
      auto it = impl_->outcomes.find(std::string_view(key));
      if (it != impl_->outcomes.end()) {
        count(*c, it->second);
        continue;
      }
    }
    ClassOutcome o = evaluate_on(evaluator(), class_protocols(), std::nullopt);
    count(*c, o);
    std::unique_lock lock(impl_->outcomes_mutex);
    impl_->outcomes.emplace(key, std::move(o));  // another thread may have been first: same value
  }
  if (out.enis_reachable > 0) {
    out.verdict = RuleReach::Verdict::kReachable;
  } else if (out.enis_unknown > 0) {
    out.verdict = RuleReach::Verdict::kUnknown;
  } else if (out.enis_blocked > 0) {
    out.verdict = RuleReach::Verdict::kBlocked;
  } else {
    out.verdict = RuleReach::Verdict::kUnattached;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

namespace {

// The ENIs of one class share region, subnet, VPC, address presence, groups and why they are not
// evaluated (if they are not).
std::string class_key(const Region& region, const NetworkInterface& eni, bool v4, bool v6, const std::string& reason) {
  std::string key;
  key.reserve(48 + 8 * eni.group_ids.size() + reason.size());
  put_bytes(key, &region);
  put_bytes(key, eni.subnet_id.view().data());
  put_bytes(key, eni.vpc_id.view().data());
  put_bytes(key, v4);
  put_bytes(key, v6);
  std::vector<const char*> groups;  // as a set: in address order, once each
  groups.reserve(eni.group_ids.size());
  for (const Symbol& g : eni.group_ids) groups.push_back(g.view().data());
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  put_bytes(key, groups.size());
  for (const char* g : groups) put_bytes(key, g);
  key += reason;
  return key;
}

bool has_global_ipv6(const NetworkInterface& eni) {
  return std::any_of(eni.ipv6_addresses.begin(), eni.ipv6_addresses.end(),
                     [](const IpAddress& a) { return classify(Cidr{a, 128}) == AddressClass::kPublic; });
}

}  // namespace

Exposure compute_exposure(const Account& account, const Config& config) {
  Exposure ex;
  ex.impl_->config = &config;
  ex.impl_->account = &account;
  size_t enis = 0;
  for (const Region& region : account.regions) enis += region.network_interfaces.size();
  ex.impl_->class_by_eni.reserve(enis);
  ex.classes_.reserve(enis);  // at most one class per ENI, one result per class
  ex.internet_.reserve(enis);
  ex.impl_->regions.reserve(account.regions.size());
  ex.impl_->regions.resize(account.regions.size());
  parallel_for(account.regions.size(), 0, [&](size_t k) {  // a region's facts read that region alone
    RegionFacts& facts = ex.impl_->regions[k];
    facts = make_region_facts(account.regions[k]);
    add_group_internet(facts);
  });

  struct Pending {
    std::string reason;
  };
  std::unordered_map<std::string, uint32_t> class_index;
  class_index.reserve(enis);
  std::vector<std::string> reasons;  // per class
  for (const Region& region : account.regions) {
    std::vector<std::string> missing;
    for (Dataset d : Exposure::needed_datasets()) {
      const Coverage& cov = region.covered(d);
      if (!cov.ok()) {
        missing.push_back(fmt::format("{} {}{}", dataset_name(d),
                                      cov.status == CoverageStatus::kError ? "failed" : "was not collected",
                                      cov.detail.empty() || cov.status != CoverageStatus::kError ? "" : ": " + cov.detail));
      }
    }
    if (!missing.empty()) {
      ex.region_gaps_.push_back({region.name, "exposure not assessed in " + region.name.str() + ": " +
                                                  join_texts(missing, "; ")});
    }
    for (const NetworkInterface& eni : region.network_interfaces) {
      const bool v4 = eni.has_public_ipv4();
      const bool v6 = has_global_ipv6(eni);
      const std::string reason = not_evaluated_reason(eni);
      std::string key = class_key(region, eni, v4, v6, reason);
      auto [it, fresh] = class_index.try_emplace(std::move(key), uint32_t(ex.classes_.size()));
      if (fresh) {
        ReachClass c;
        c.id = it->second;
        c.region = &region;
        c.vpc_id = eni.vpc_id;
        c.subnet = region.subnet(eni.subnet_id);
        c.route_table = region.route_table_for_subnet(eni.subnet_id);
        c.nacl = region.network_acl_for_subnet(eni.subnet_id);
        for (const Symbol& g : eni.group_ids) {
          const SecurityGroup* sg = region.security_group(g);
          if (sg == nullptr) {
            if (std::find(c.unknown_groups.begin(), c.unknown_groups.end(), g) == c.unknown_groups.end())
              c.unknown_groups.push_back(g);
          } else if (std::find(c.groups.begin(), c.groups.end(), sg) == c.groups.end()) {
            c.groups.push_back(sg);
          }
        }
        std::sort(c.groups.begin(), c.groups.end(),
                  [](const SecurityGroup* a, const SecurityGroup* b) { return a->id < b->id; });
        c.public_v4 = v4;
        c.global_v6 = v6;
        ex.classes_.push_back(std::move(c));
        reasons.push_back(reason);
        for (const Symbol& g : eni.group_ids) ex.impl_->classes_by_group[{&region, g.view().data()}].push_back(it->second);
      }
      ReachClass& c = ex.classes_[it->second];
      EniRef ref{&eni, eni.instance_id.empty() ? nullptr : region.instance(eni.instance_id)};
      c.members.push_back(ref);
      for (const PrivateIp& p : eni.private_ips) c.addresses_v4.add(p.address);
      for (const IpAddress& a : eni.ipv6_addresses) c.addresses_v6.add(a);
      ex.impl_->class_by_eni.emplace(&eni, it->second);
    }
  }
  for (auto& [key, ids] : ex.impl_->classes_by_group) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }

  // One evaluation per distinct (route table, NACL, groups, address presence, subnet when ingress
  // routing could single it out).
  std::unordered_map<std::string, uint32_t> memo;
  memo.reserve(ex.classes_.size());
  std::vector<std::pair<uint32_t, uint32_t>> evaluations;  // (class, result slot)
  for (size_t i = 0; i < ex.classes_.size(); ++i) {
    ReachClass& c = ex.classes_[i];
    const RegionFacts* facts = facts_for(ex.impl_->regions, c.region);
    std::string gap;
    for (const auto& [r, g] : ex.region_gaps_) {
      if (r == c.region->name) gap = g;
    }
    std::string key;
    key.reserve(64 + 8 * (c.groups.size() + c.unknown_groups.size()) + reasons[i].size());
    put_bytes(key, c.region);
    put_bytes(key, c.route_table);
    put_bytes(key, c.nacl);
    put_bytes(key, c.vpc_id.view().data());
    put_bytes(key, c.public_v4);
    put_bytes(key, c.global_v6);
    put_bytes(key, facts->has_edge_tables(c.vpc_id) ? c.subnet : nullptr);
    put_bytes(key, c.groups.size());
    for (const SecurityGroup* g : c.groups) put_bytes(key, g);
    put_bytes(key, c.unknown_groups.size());
    for (const Symbol& g : c.unknown_groups) put_bytes(key, g.view().data());
    key += reasons[i];
    auto [it, fresh] = memo.try_emplace(std::move(key), uint32_t(ex.internet_.size()));
    c.internet = it->second;
    if (!fresh) continue;
    InternetResult result;
    if (!reasons[i].empty()) {
      result.state = ClassState::kNotEvaluated;
      result.reason = reasons[i];
    } else if (!gap.empty()) {
      result.state = ClassState::kNotAssessed;
      result.unknowns.push_back(gap);
    } else {
      evaluations.push_back({uint32_t(i), it->second});  // evaluated below, in parallel
    }
    ex.internet_.push_back(std::move(result));
  }
  // The evaluations are independent (each reads the const region facts and its own class), so they
  // run on every core; each writes only its own result slot.
  // A few evaluations are not worth a thread: at least 64 each.
  const unsigned threads = worker_count(0, evaluations.size() / 64 + 1);
  parallel_for(evaluations.size(), threads, [&](size_t k) {
    const ReachClass& c = ex.classes_[evaluations[k].first];
    ClassEvaluator ev(*facts_for(ex.impl_->regions, c.region), c);
    ex.internet_[evaluations[k].second] = ev.evaluate_class();
  });
  add_load_balancer_exposure(ex, account);
  return ex;
}

}  // namespace fortress::reach
