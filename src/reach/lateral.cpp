// Lateral reach between classes. References:
//  - Security group rules that reference a group, also across a VPC peering connection in the same
//    Region: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
//    https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html
//  - Peering: routes to the pcx on both sides and an active connection:
//    https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html
//  - NACLs apply to traffic entering or leaving a subnet, not within it:
//    https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
#include "reach/lateral.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "reach/stages.h"

namespace fortress::reach {

std::string LateralEdge::ports_text() const {
  std::vector<std::string> parts;
  const bool every = std::find(portless.begin(), portless.end(), kOtherProtocols) != portless.end() &&
                     tcp == all_ports() && udp == all_ports();
  if (every) return "every protocol";
  if (!tcp.empty()) parts.push_back("tcp/" + to_string(tcp));
  if (!udp.empty()) parts.push_back("udp/" + to_string(udp));
  for (int p : portless) parts.push_back(protocol_label(p));
  return join_texts(parts, "; ");
}

namespace {

// Where a route table sends every destination: local, or a peering connection.
struct RouteTargets {
  AddressSet local[2] = {AddressSet::none(IpFamily::kV4), AddressSet::none(IpFamily::kV6)};
  std::map<std::string, AddressSet> pcx[2];
  bool unknown = false;
};

int fi(IpFamily f) {
  return f == IpFamily::kV4 ? 0 : 1;
}

struct Traffic {
  PortSet tcp, udp;
  std::vector<int> portless;
  std::vector<SgRuleRef> rules;
  bool empty() const { return tcp.empty() && udp.empty() && portless.empty(); }
};

void add_portless(std::vector<int>& v, int p) {
  if (std::find(v.begin(), v.end(), p) == v.end()) v.push_back(p);
}

void add_spec(Traffic& t, const TrafficSpec& s, IpFamily family) {
  if (s.protocol == proto::kAll) {
    t.tcp = all_ports();
    t.udp = all_ports();
    add_portless(t.portless, family == IpFamily::kV4 ? proto::kIcmp : proto::kIcmpv6);
    add_portless(t.portless, kOtherProtocols);
  } else if (s.protocol == proto::kTcp) {
    t.tcp |= ports_of(s.ports);
  } else if (s.protocol == proto::kUdp) {
    t.udp |= ports_of(s.ports);
  } else {
    add_portless(t.portless, s.protocol);
  }
}

Traffic intersect(const Traffic& a, const Traffic& b) {
  Traffic out;
  out.tcp = a.tcp & b.tcp;
  out.udp = a.udp & b.udp;
  const bool a_all = std::find(a.portless.begin(), a.portless.end(), kOtherProtocols) != a.portless.end();
  const bool b_all = std::find(b.portless.begin(), b.portless.end(), kOtherProtocols) != b.portless.end();
  for (int p : a.portless) {
    if (p == kOtherProtocols) continue;
    if (b_all || std::find(b.portless.begin(), b.portless.end(), p) != b.portless.end()) add_portless(out.portless, p);
  }
  for (int p : b.portless) {
    if (p != kOtherProtocols && a_all) add_portless(out.portless, p);
  }
  if (a_all && b_all) add_portless(out.portless, kOtherProtocols);
  return out;
}

// Does a rule's peer cover some of `addresses`, or name a group `other` carries?
bool peer_covers(const RegionFacts& facts, const RulePeer& peer, const ReachClass& other, const AddressSet& addresses,
                 std::vector<std::string>& unknowns) {
  switch (peer.kind) {
    case PeerKind::kSecurityGroup:
      return other.has_group(peer.group_id);
    case PeerKind::kCidr:
      return addresses.overlaps(peer.cidr);
    case PeerKind::kPrefixList: {
      PeerSources ps = peer_sources(facts, peer, addresses.family);
      if (ps.unknown) add_unique_text(unknowns, ps.unknown_reason);
      return ps.addresses.overlaps(addresses);
    }
  }
  return false;
}

Traffic allowed_traffic(const RegionFacts& facts, const ReachClass& self, RuleDirection direction,
                        const ReachClass& other, const AddressSet& other_addresses, std::vector<std::string>& unknowns) {
  Traffic t;
  for (const SecurityGroup* g : self.groups) {
    for (const SecurityGroupRule& r : g->rules) {
      if (r.direction != direction) continue;
      if (!peer_covers(facts, r.peer, other, other_addresses, unknowns)) continue;
      add_spec(t, r.traffic, other_addresses.family);
      t.rules.push_back({g, &r});
    }
  }
  return t;
}

bool nacl_passes(const NetworkAcl* acl, bool egress, int protocol, uint32_t lo, uint32_t hi, const AddressSet& peer) {
  if (acl == nullptr) return false;
  return !eval_nacl(*acl, egress, protocol, lo, hi, peer).allowed.empty();
}

// The reply to a client port: dst's NACL outbound towards src, src's NACL inbound from dst, for a
// common ephemeral port.
bool reply_passes(const NetworkAcl* src_acl, const NetworkAcl* dst_acl, int protocol, const AddressSet& src_addresses,
                  const AddressSet& dst_addresses) {
  if (src_acl == nullptr || dst_acl == nullptr) return false;
  if (!has_ports(protocol)) {
    return nacl_passes(dst_acl, true, protocol, 0, 0, src_addresses) &&
           nacl_passes(src_acl, false, protocol, 0, 0, dst_addresses);
  }
  std::vector<uint32_t> cuts;
  nacl_port_cuts(*dst_acl, true, protocol, kEphemeralPorts.from, kEphemeralPorts.to, cuts);
  nacl_port_cuts(*src_acl, false, protocol, kEphemeralPorts.from, kEphemeralPorts.to, cuts);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  uint32_t start = kEphemeralPorts.from;
  auto try_segment = [&](uint32_t lo, uint32_t hi) {
    return nacl_passes(dst_acl, true, protocol, lo, hi, src_addresses) &&
           nacl_passes(src_acl, false, protocol, lo, hi, dst_addresses);
  };
  for (uint32_t c : cuts) {
    if (c <= start) continue;
    if (try_segment(start, c - 1)) return true;
    start = c;
  }
  return try_segment(start, kEphemeralPorts.to);
}

// The ports of `ports` (tcp or udp) that pass both NACLs for the connection and for its reply.
PortSet nacl_ports(const ReachClass& s, const ReachClass& d, int protocol, const PortSet& ports, const AddressSet& src,
                   const AddressSet& dst) {
  PortSet out;
  for (const auto& iv : ports.intervals()) {
    std::vector<uint32_t> cuts;
    nacl_port_cuts(*s.nacl, true, protocol, iv.lo, iv.hi, cuts);
    nacl_port_cuts(*d.nacl, false, protocol, iv.lo, iv.hi, cuts);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    uint32_t start = iv.lo;
    auto seg = [&](uint32_t lo, uint32_t hi) {
      if (nacl_passes(s.nacl, true, protocol, lo, hi, dst) && nacl_passes(d.nacl, false, protocol, lo, hi, src))
        out.add(lo, hi);
    };
    for (uint32_t c : cuts) {
      if (c <= start) continue;
      seg(start, c - 1);
      start = c;
    }
    seg(start, iv.hi);
  }
  if (!out.empty() && !reply_passes(s.nacl, d.nacl, protocol, src, dst)) return PortSet{};
  return out;
}

}  // namespace

struct Lateral::Impl {
  const Exposure* exposure = nullptr;
  std::vector<RegionFacts> facts;  // per region of the account (by pointer)
  std::unordered_map<const RouteTable*, RouteTargets> routes;
  std::unordered_map<std::string, std::vector<const ReachClass*>> classes_by_vpc;  // "region/vpc"
  // Active peering connections per VPC: (pcx, other VPC).
  std::unordered_map<std::string, std::vector<std::pair<Symbol, Symbol>>> peers_by_vpc;  // "region/vpc"

  const RegionFacts& facts_of(const Region* r) const {
    for (const RegionFacts& f : facts) {
      if (f.region == r) return f;
    }
    return facts.front();
  }
  const RouteTargets* targets(const RouteTable* t) const {
    auto it = routes.find(t);
    return it == routes.end() ? nullptr : &it->second;
  }

  std::vector<const ReachClass*> neighbours(const ReachClass& c) const {
    std::vector<const ReachClass*> out;
    const std::string key = fmt::format("{}/{}", c.region->name, c.vpc_id);
    if (auto it = classes_by_vpc.find(key); it != classes_by_vpc.end()) out = it->second;
    if (auto it = peers_by_vpc.find(key); it != peers_by_vpc.end()) {
      for (const auto& [pcx, vpc] : it->second) {
        auto other = classes_by_vpc.find(fmt::format("{}/{}", c.region->name, vpc));
        if (other != classes_by_vpc.end()) out.insert(out.end(), other->second.begin(), other->second.end());
      }
    }
    return out;
  }

  LateralEdge evaluate(const ReachClass& s, const ReachClass& d) const {
    LateralEdge edge;
    edge.from = &s;
    edge.to = &d;
    if (&s == &d && s.members.size() < 2) return edge;
    if (s.region != d.region) return edge;
    if (s.route_table == nullptr || d.route_table == nullptr || s.nacl == nullptr || d.nacl == nullptr) return edge;
    Symbol via = "local";
    if (s.vpc_id != d.vpc_id) {
      via = Symbol();
      auto it = peers_by_vpc.find(fmt::format("{}/{}", s.region->name, s.vpc_id));
      if (it != peers_by_vpc.end()) {
        for (const auto& [pcx, vpc] : it->second) {
          if (vpc == d.vpc_id) via = pcx;
        }
      }
      if (via.empty()) return edge;
    }
    edge.via = via;
    const RegionFacts& facts = facts_of(s.region);
    const RouteTargets* out_routes = targets(s.route_table);
    const RouteTargets* back_routes = targets(d.route_table);
    if (out_routes == nullptr || back_routes == nullptr) return edge;
    for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) {
      const AddressSet& src_all = s.addresses(f);
      const AddressSet& dst_all = d.addresses(f);
      if (src_all.empty() || dst_all.empty()) continue;
      AddressSet dst = AddressSet::none(f), src = AddressSet::none(f);
      if (via == "local") {
        dst = dst_all & out_routes->local[fi(f)];
        src = src_all & back_routes->local[fi(f)];
      } else {
        auto a = out_routes->pcx[fi(f)].find(via.str());
        auto b = back_routes->pcx[fi(f)].find(via.str());
        if (a != out_routes->pcx[fi(f)].end()) dst = dst_all & a->second;
        if (b != back_routes->pcx[fi(f)].end()) src = src_all & b->second;
      }
      if (dst.empty() || src.empty()) continue;
      Traffic egress = allowed_traffic(facts, s, RuleDirection::kEgress, d, dst, edge.unknowns);
      if (egress.empty()) continue;
      Traffic ingress = allowed_traffic(facts, d, RuleDirection::kIngress, s, src, edge.unknowns);
      if (ingress.empty()) continue;
      Traffic both = intersect(egress, ingress);
      if (both.empty()) continue;
      const bool same_subnet = s.subnet != nullptr && s.subnet == d.subnet;
      PortSet tcp = both.tcp, udp = both.udp;
      std::vector<int> portless;
      if (same_subnet) {
        portless = both.portless;
      } else {
        if (!tcp.empty()) tcp = nacl_ports(s, d, proto::kTcp, tcp, src, dst);
        if (!udp.empty()) udp = nacl_ports(s, d, proto::kUdp, udp, src, dst);
        for (int p : both.portless) {
          if (nacl_passes(s.nacl, true, p, 0, 0, dst) && nacl_passes(d.nacl, false, p, 0, 0, src) &&
              reply_passes(s.nacl, d.nacl, p, src, dst))
            portless.push_back(p);
        }
      }
      if (tcp.empty() && udp.empty() && portless.empty()) continue;
      edge.tcp |= tcp;
      edge.udp |= udp;
      for (int p : portless) add_portless(edge.portless, p);
      for (const SgRuleRef& r : egress.rules) {
        if (std::find(edge.egress_rules.begin(), edge.egress_rules.end(), r) == edge.egress_rules.end())
          edge.egress_rules.push_back(r);
      }
      for (const SgRuleRef& r : ingress.rules) {
        if (std::find(edge.ingress_rules.begin(), edge.ingress_rules.end(), r) == edge.ingress_rules.end())
          edge.ingress_rules.push_back(r);
      }
    }
    return edge;
  }
};

Lateral::Lateral(const Exposure& exposure) : impl_(std::make_unique<Impl>()) {
  impl_->exposure = &exposure;
  std::vector<const Region*> regions;
  for (const ReachClass& c : exposure.classes()) {
    if (std::find(regions.begin(), regions.end(), c.region) == regions.end()) regions.push_back(c.region);
  }
  for (const Region* r : regions) {
    impl_->facts.push_back(make_region_facts(*r));
    for (const VpcPeeringConnection& p : r->peering_connections) {
      if (!p.active() || p.requester.region != p.accepter.region) continue;  // cross-region: not modelled
      impl_->peers_by_vpc[fmt::format("{}/{}", r->name, p.requester.vpc_id)].push_back({p.id, p.accepter.vpc_id});
      impl_->peers_by_vpc[fmt::format("{}/{}", r->name, p.accepter.vpc_id)].push_back({p.id, p.requester.vpc_id});
    }
  }
  for (const ReachClass& c : exposure.classes()) {
    if (exposure.internet(c).state == ClassState::kNotEvaluated) continue;
    impl_->classes_by_vpc[fmt::format("{}/{}", c.region->name, c.vpc_id)].push_back(&c);
  }
  // Every route table of the regions (load-balancer nodes use subnets no ENI class may have).
  for (const RegionFacts& facts : impl_->facts) {
    for (const RouteTable& table : facts.region->route_tables) {
    RouteTargets t;
    for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) {
      RouteEval ev = eval_routes(facts, table, table.vpc_id, AddressSet::all(f));
      t.unknown |= !ev.unknowns.empty();
      for (const RouteDecision& d : ev.decisions) {
        if (d.route == nullptr || !d.route->active) continue;
        if (d.route->target == RouteTarget::kLocal) t.local[fi(f)] |= d.addresses;
        if (d.route->target == RouteTarget::kVpcPeering) {
          auto [it, fresh] = t.pcx[fi(f)].emplace(d.route->target_id.str(), AddressSet::none(f));
          it->second |= d.addresses;
        }
      }
    }
    impl_->routes.emplace(&table, std::move(t));
    }
  }
}

Lateral::~Lateral() = default;

LateralEdge Lateral::between(const ReachClass& source, const ReachClass& target) const {
  return impl_->evaluate(source, target);
}

std::vector<LateralEdge> Lateral::from(const ReachClass& source) const {
  std::vector<LateralEdge> out;
  if (impl_->exposure->internet(source).state == ClassState::kNotEvaluated) return out;
  for (const ReachClass* d : impl_->neighbours(source)) {
    LateralEdge e = impl_->evaluate(source, *d);
    if (!e.empty()) out.push_back(std::move(e));
  }
  return out;
}

std::vector<LateralEdge> Lateral::to(const ReachClass& target) const {
  std::vector<LateralEdge> out;
  if (impl_->exposure->internet(target).state == ClassState::kNotEvaluated) return out;
  for (const ReachClass* s : impl_->neighbours(target)) {
    LateralEdge e = impl_->evaluate(*s, target);
    if (!e.empty()) out.push_back(std::move(e));
  }
  return out;
}

BlastRadius blast_radius(const Lateral& lateral, const ReachClass& origin, size_t max_second) {
  BlastRadius b;
  b.origin = &origin;
  b.first_hop = lateral.from(origin);
  for (size_t i = 0; i < b.first_hop.size(); ++i) {
    const ReachClass* next = b.first_hop[i].to;
    if (next == &origin) continue;
    for (LateralEdge& e : lateral.from(*next)) {
      if (e.to == &origin || e.to == next) continue;
      if (b.second_hop.size() >= max_second) return b;
      b.second_hop.push_back({i, std::move(e)});
    }
  }
  return b;
}

}  // namespace fortress::reach
