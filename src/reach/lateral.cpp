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
#include <array>
#include <deque>
#include <map>
#include <mutex>
#include <span>
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
  void clear() {  // keeps the storage
    tcp.clear();
    udp.clear();
    portless.clear();
    rules.clear();
  }
};

void add_portless(std::vector<int>& v, int p) {
  if (std::find(v.begin(), v.end(), p) == v.end()) v.push_back(p);
}

void add_spec(Traffic& t, const TrafficSpec& s, IpFamily family) {
  if (s.protocol == proto::kAll) {
    t.tcp.clear();
    t.tcp.add(0, 65535);
    t.udp.clear();
    t.udp.add(0, 65535);
    add_portless(t.portless, family == IpFamily::kV4 ? proto::kIcmp : proto::kIcmpv6);
    add_portless(t.portless, kOtherProtocols);
  } else if (s.protocol == proto::kTcp) {
    t.tcp.add(s.ports.from, s.ports.to);
  } else if (s.protocol == proto::kUdp) {
    t.udp.add(s.ports.from, s.ports.to);
  } else {
    add_portless(t.portless, s.protocol);
  }
}

// a ∩ b into `out` (neither a nor b), reusing its storage.
void intersect_into(const Traffic& a, const Traffic& b, Traffic& out) {
  out.clear();
  PortSet::intersect_into(a.tcp, b.tcp, out.tcp);
  PortSet::intersect_into(a.udp, b.udp, out.udp);
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
}

Traffic intersect(const Traffic& a, const Traffic& b) {
  Traffic out;
  intersect_into(a, b, out);
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

// --- the indexed evaluation ------------------------------------------------------------------------
//
// The same decision as evaluate_reference() below, made cheaper without changing a result:
//  - every rule's peer is resolved once (group ID, CIDR as an interval, prefix-list entries per family);
//  - classes are grouped by (region, VPC) once, with integer keys;
//  - for the side that stays fixed across a query (the source of from(), the target of to()), the
//    traffic its rules allow depends only on which of them match, so it is kept per set of matching
//    rules; the prefix-list unknowns a side reports do not depend on the other class at all;
//  - the side that varies is matched against that one fixed class, so which rules of each of its
//    groups match is kept per group (VaryingSide) and replayed in the reference's order;
//  - a network ACL decides the same for every address of an "atom" (an interval no entry's CIDR
//    boundary cuts), so when the peer addresses lie in one atom its allowed ports per (direction,
//    protocol) are computed once per query and intersected (the exact, address-by-interval
//    evaluation remains for sets that span atoms);
//  - when the route table's local (or peering) destinations cover a class's addresses, the
//    intersection is the class's own set, not a copy.

// A security-group rule with its peer resolved.
struct CompiledRule {
  PeerKind kind = PeerKind::kCidr;
  std::string_view group;           // kSecurityGroup: the referenced group's ID
  IpFamily family = IpFamily::kV4;  // kCidr
  uint128 lo = 0, hi = 0;           // kCidr: the block
  const PeerSources* list[2] = {nullptr, nullptr};  // kPrefixList: per family
  const TrafficSpec* traffic = nullptr;
  SgRuleRef ref;
};

// A group's rules, egress then ingress, in one storage vector shared by many groups.
struct CompiledGroup {
  std::span<const CompiledRule> egress;
  std::span<const CompiledRule> ingress;
  uint32_t index = UINT32_MAX;  // its place in the Lateral's index; UINT32_MAX: compiled for one query
};

// Appends g's rules to `storage`, which must have room for them (the spans point into it, so it
// must not reallocate).
CompiledGroup compile_group(const RegionFacts& facts, const SecurityGroup& g, std::deque<PeerSources>& lists,
                            std::vector<CompiledRule>& storage) {
  CompiledGroup out;
  const size_t start = storage.size();
  auto add = [&](const SecurityGroupRule& r) {
    CompiledRule c;
    c.kind = r.peer.kind;
    c.traffic = &r.traffic;
    c.ref = {&g, &r};
    switch (r.peer.kind) {
      case PeerKind::kSecurityGroup:
        c.group = r.peer.group_id.view();
        break;
      case PeerKind::kCidr:
        c.family = r.peer.cidr.family();
        c.lo = r.peer.cidr.first().value;
        c.hi = r.peer.cidr.last().value;
        break;
      case PeerKind::kPrefixList:
        for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) {
          lists.push_back(peer_sources(facts, r.peer, f));
          c.list[fi(f)] = &lists.back();
        }
        break;
    }
    storage.push_back(c);
  };
  for (const SecurityGroupRule& r : g.rules) {
    if (r.direction == RuleDirection::kEgress) add(r);
  }
  const size_t middle = storage.size();
  for (const SecurityGroupRule& r : g.rules) {
    if (r.direction != RuleDirection::kEgress) add(r);
  }
  out.egress = std::span<const CompiledRule>(storage.data() + start, middle - start);
  out.ingress = std::span<const CompiledRule>(storage.data() + middle, storage.size() - middle);
  return out;
}

// Does the rule's peer cover some of `addresses`, or name a group `other` carries? (peer_covers,
// without the unknowns.)
bool rule_covers(const CompiledRule& r, const ReachClass& other, const AddressSet& addresses) {
  switch (r.kind) {
    case PeerKind::kSecurityGroup:
      return other.has_group(r.group);
    case PeerKind::kCidr:
      return r.family == addresses.family && addresses.set.overlaps(r.lo, r.hi);
    case PeerKind::kPrefixList:
      return r.list[fi(addresses.family)]->addresses.overlaps(addresses);
  }
  return false;
}

// The prefix-list unknowns one side's rules report for a family, in rule order (allowed_traffic adds
// them whatever the other class is).
void side_unknowns(std::span<const CompiledGroup* const> groups, RuleDirection direction, IpFamily f,
                   std::vector<std::string>& unknowns) {
  for (const CompiledGroup* g : groups) {
    for (const CompiledRule& r : direction == RuleDirection::kEgress ? g->egress : g->ingress) {
      if (r.kind != PeerKind::kPrefixList) continue;
      const PeerSources& ps = *r.list[fi(f)];
      if (ps.unknown) add_unique_text(unknowns, ps.unknown_reason);
    }
  }
}

// allowed_traffic over compiled rules, into `t` (its storage reused).
void compiled_traffic(std::span<const CompiledGroup* const> groups, RuleDirection direction, const ReachClass& other,
                      const AddressSet& other_addresses, std::vector<std::string>& unknowns, Traffic& t) {
  t.clear();
  for (const CompiledGroup* g : groups) {
    for (const CompiledRule& r : direction == RuleDirection::kEgress ? g->egress : g->ingress) {
      if (r.kind == PeerKind::kPrefixList) {
        const PeerSources& ps = *r.list[fi(other_addresses.family)];
        if (ps.unknown) add_unique_text(unknowns, ps.unknown_reason);
      }
      if (!rule_covers(r, other, other_addresses)) continue;
      add_spec(t, *r.traffic, other_addresses.family);
      t.rules.push_back(r.ref);
    }
  }
}

// The side of a query that stays the same for every pair: its traffic per set of matching rules.
struct FixedSide {
  std::span<const CompiledGroup* const> groups;
  RuleDirection direction = RuleDirection::kEgress;
  size_t rule_count = 0;
  std::vector<std::string> unknowns[2];
  std::deque<std::pair<uint64_t, Traffic>> by_mask[2];  // deque: returned references stay valid

  FixedSide(std::span<const CompiledGroup* const> g, RuleDirection d) : groups(g), direction(d) {
    for (const CompiledGroup* cg : groups) rule_count += (d == RuleDirection::kEgress ? cg->egress : cg->ingress).size();
    for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) side_unknowns(groups, d, f, unknowns[fi(f)]);
  }

  const Traffic& traffic(const ReachClass& other, const AddressSet& other_addresses, std::vector<std::string>& out_unknowns,
                         Traffic& scratch) {
    const int f = fi(other_addresses.family);
    for (const std::string& u : unknowns[f]) add_unique_text(out_unknowns, u);
    if (rule_count > 64) {
      std::vector<std::string> ignored;
      compiled_traffic(groups, direction, other, other_addresses, ignored, scratch);
      return scratch;
    }
    uint64_t mask = 0;
    size_t bit = 0;
    for (const CompiledGroup* g : groups) {
      for (const CompiledRule& r : direction == RuleDirection::kEgress ? g->egress : g->ingress) {
        if (rule_covers(r, other, other_addresses)) mask |= uint64_t(1) << bit;
        ++bit;
      }
    }
    for (const auto& [m, t] : by_mask[f]) {
      if (m == mask) return t;
    }
    Traffic t;
    bit = 0;
    for (const CompiledGroup* g : groups) {
      for (const CompiledRule& r : direction == RuleDirection::kEgress ? g->egress : g->ingress) {
        if (mask & (uint64_t(1) << bit)) {
          add_spec(t, *r.traffic, other_addresses.family);
          t.rules.push_back(r.ref);
        }
        ++bit;
      }
    }
    by_mask[f].emplace_back(mask, std::move(t));
    return by_mask[f].back().second;
  }
};

// The side of a query that changes from pair to pair, matched against the fixed class: which rules of
// each of its groups match depends only on the group and the fixed class's addresses (and groups), so
// it is kept per group; the traffic is then the matched rules added in the reference's order.
class VaryingSide {
 public:
  // `groups`: how many groups the Lateral's index holds (CompiledGroup::index is below it).
  VaryingSide(const ReachClass& fixed, RuleDirection direction, size_t groups)
      : fixed_(fixed), direction_(direction), slot_{std::vector<uint32_t>(groups, kNone), std::vector<uint32_t>(groups, kNone)} {}

  // compiled_traffic(groups, direction, fixed, fixed_addresses, unknowns, t). `fixed_addresses` is
  // either one of the fixed class's own address sets (cached) or a restriction of it (not cached).
  void traffic(std::span<const CompiledGroup* const> groups, const AddressSet& fixed_addresses,
               std::vector<std::string>& unknowns, Traffic& t) {
    const bool cacheable = &fixed_addresses == &fixed_.addresses(fixed_addresses.family);
    if (!cacheable) {
      compiled_traffic(groups, direction_, fixed_, fixed_addresses, unknowns, t);
      return;
    }
    for (const CompiledGroup* g : groups) {
      if (g->index >= slot_[0].size()) {
        compiled_traffic(groups, direction_, fixed_, fixed_addresses, unknowns, t);
        return;
      }
    }
    t.clear();
    const int f = fi(fixed_addresses.family);
    for (const CompiledGroup* g : groups) {
      uint32_t& slot = slot_[f][g->index];
      const bool fresh = slot == kNone;
      if (fresh) {
        slot = uint32_t(matches_.size());
        matches_.emplace_back();
      }
      Matches& m = matches_[slot];
      if (fresh) {
        for (const CompiledRule& r : direction_ == RuleDirection::kEgress ? g->egress : g->ingress) {
          if (r.kind == PeerKind::kPrefixList) {
            const PeerSources& ps = *r.list[fi(fixed_addresses.family)];
            if (ps.unknown) m.unknowns.push_back(&ps.unknown_reason);
          }
          if (rule_covers(r, fixed_, fixed_addresses)) m.rules.push_back(&r);
        }
      }
      for (const std::string* u : m.unknowns) add_unique_text(unknowns, *u);
      for (const CompiledRule* r : m.rules) {
        add_spec(t, *r->traffic, fixed_addresses.family);
        t.rules.push_back(r->ref);
      }
    }
  }

 private:
  struct Matches {
    std::vector<const CompiledRule*> rules;
    std::vector<const std::string*> unknowns;
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  const ReachClass& fixed_;
  RuleDirection direction_;
  std::vector<uint32_t> slot_[2];  // per family, by CompiledGroup::index: the group's place in matches_
  std::deque<Matches> matches_;
};

// A network ACL's allowed ports per (direction, protocol) for the addresses of one atom.
class NaclCache {
 public:
  // The ports (tcp/udp; all or none for other protocols) for which `acl`'s `egress` direction allows
  // traffic of `protocol` with the peer `universe`, or nullptr when `universe` spans several atoms.
  const PortSet* allowed(const NetworkAcl& acl, bool egress, int protocol, const AddressSet& universe) {
    if (universe.empty()) return nullptr;
    const std::vector<uint128>& b = bounds(acl, universe.family);
    const uint128 lo = universe.set.intervals().front().lo;
    const uint128 hi = universe.set.intervals().back().hi;
    const size_t atom = size_t(std::upper_bound(b.begin(), b.end(), lo) - b.begin());
    if (size_t(std::upper_bound(b.begin(), b.end(), hi) - b.begin()) != atom) return nullptr;
    const Key key{&acl, egress, fi(universe.family), uint32_t(atom), protocol};
    auto [it, fresh] = ports_.try_emplace(key);
    if (fresh) {
      const AddressSet one{universe.family, IntervalSet<uint128>::of(lo, lo)};
      if (!has_ports(protocol)) {
        if (!eval_nacl(acl, egress, protocol, 0, 0, one).allowed.empty()) it->second = all_ports();
      } else {
        std::vector<uint32_t> cuts;
        nacl_port_cuts(acl, egress, protocol, 0, 65535, cuts);
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        uint32_t start = 0;
        auto seg = [&](uint32_t a, uint32_t z) {
          if (!eval_nacl(acl, egress, protocol, a, z, one).allowed.empty()) it->second.add(a, z);
        };
        for (uint32_t c : cuts) {
          if (c <= start) continue;
          seg(start, c - 1);
          start = c;
        }
        seg(start, 65535);
      }
    }
    return &it->second;
  }

 private:
  struct Key {
    const NetworkAcl* acl;
    bool egress;
    int family;
    uint32_t atom;
    int protocol;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      uint64_t h = uint64_t(reinterpret_cast<uintptr_t>(k.acl));
      h = h * 0x9E3779B97F4A7C15ull ^ (uint64_t(k.atom) << 12 | uint64_t(k.family) << 1 | uint64_t(k.egress));
      h = h * 0x9E3779B97F4A7C15ull ^ uint64_t(uint32_t(k.protocol));
      return size_t(h ^ (h >> 29));
    }
  };
  // Every entry's CIDR start and end + 1: an atom is the interval between two neighbours.
  const std::vector<uint128>& bounds(const NetworkAcl& acl, IpFamily f) {
    for (const auto& [a, b] : bounds_) {
      if (a == &acl) return b[fi(f)];
    }
    std::array<std::vector<uint128>, 2> b;
    for (const NetworkAclEntry& e : acl.entries) {
      std::vector<uint128>& v = b[fi(e.cidr.family())];
      v.push_back(e.cidr.first().value);
      const uint128 last = e.cidr.last().value;
      const uint128 top = e.cidr.family() == IpFamily::kV4 ? uint128(0xFFFFFFFFu) : ~uint128(0);
      if (last != top) v.push_back(last + 1);
    }
    for (auto& v : b) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
    }
    bounds_.emplace_back(&acl, std::move(b));
    return bounds_.back().second[fi(f)];
  }

  std::deque<std::pair<const NetworkAcl*, std::array<std::vector<uint128>, 2>>> bounds_;
  std::unordered_map<Key, PortSet, KeyHash> ports_;
};

// `all` restricted to `routed`: `all` itself when `routed` covers it (the usual case: the local
// route covers the VPC), else the intersection, kept in `scratch`.
const AddressSet& restrict_to(const AddressSet& all, const AddressSet& routed, AddressSet& scratch) {
  if (!all.empty() && routed.family == all.family &&
      routed.set.contains(all.set.intervals().front().lo, all.set.intervals().back().hi))
    return all;
  scratch = all & routed;
  return scratch;
}

const AddressSet* pcx_targets(const RouteTargets& t, IpFamily f, const Symbol& pcx) {
  auto it = t.pcx[fi(f)].find(pcx.str());
  return it == t.pcx[fi(f)].end() ? nullptr : &it->second;
}

constexpr uint32_t kNoScope = UINT32_MAX;

}  // namespace

struct Lateral::Impl {
  const Exposure* exposure = nullptr;
  std::vector<RegionFacts> facts;  // per region of the account (by pointer)
  std::unordered_map<const RouteTable*, RouteTargets> routes;

  // A (region, VPC) and its classes (those evaluated), with its active same-region peerings.
  struct Scope {
    const Region* region = nullptr;
    std::string_view vpc;
    std::vector<const ReachClass*> classes;
    std::vector<std::pair<Symbol, Symbol>> peers;  // (pcx, other VPC), in the account's order
    std::vector<uint32_t> peer_scopes;             // the other VPC's scope, kNoScope when it has no class
  };
  struct ScopeKeyHash {
    size_t operator()(const std::pair<const Region*, std::string_view>& k) const {
      return std::hash<std::string_view>{}(k.second) ^ (reinterpret_cast<uintptr_t>(k.first) * 0x9E3779B97F4A7C15ull);
    }
  };
  std::vector<Scope> scopes;
  std::unordered_map<std::pair<const Region*, std::string_view>, uint32_t, ScopeKeyHash> scope_index;
  std::vector<uint32_t> class_scope;  // by class id

  // Built on first use (the load-balancer stage only asks between()).
  mutable std::once_flag compiled_once;
  mutable std::vector<CompiledRule> rules;        // every compiled group's rules
  mutable std::vector<CompiledGroup> compiled;    // the groups the classes carry
  mutable std::deque<PeerSources> lists;
  mutable std::vector<const CompiledGroup*> class_group_list;  // class c's groups: [begin[c.id], begin[c.id + 1])
  mutable std::vector<uint32_t> class_group_begin;

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
  uint32_t scope_id(const Region* r, std::string_view vpc) {
    auto [it, fresh] = scope_index.try_emplace({r, vpc}, uint32_t(scopes.size()));
    if (fresh) {
      scopes.emplace_back();
      scopes.back().region = r;
      scopes.back().vpc = vpc;
    }
    return it->second;
  }
  uint32_t scope_of(const ReachClass& c) const {
    if (indexed(c)) return class_scope[c.id];
    auto it = scope_index.find({c.region, c.vpc_id.view()});
    return it == scope_index.end() ? kNoScope : it->second;
  }
  bool indexed(const ReachClass& c) const {
    std::span<const ReachClass> all = exposure->classes();
    return c.id < all.size() && &all[c.id] == &c;
  }

  void compile() const {
    std::call_once(compiled_once, [&] {
      std::span<const ReachClass> all = exposure->classes();
      // The distinct groups, numbered in order of first use; then their rules in one vector.
      std::unordered_map<const SecurityGroup*, uint32_t> number;
      std::vector<std::pair<const SecurityGroup*, const RegionFacts*>> order;
      std::vector<uint32_t> class_numbers;
      class_group_begin.reserve(all.size() + 1);
      size_t rule_count = 0;
      for (const ReachClass& c : all) {
        class_group_begin.push_back(uint32_t(class_numbers.size()));
        for (const SecurityGroup* g : c.groups) {
          auto [it, fresh] = number.try_emplace(g, uint32_t(order.size()));
          if (fresh) {
            order.push_back({g, &facts_of(c.region)});
            rule_count += g->rules.size();
          }
          class_numbers.push_back(it->second);
        }
      }
      class_group_begin.push_back(uint32_t(class_numbers.size()));
      rules.reserve(rule_count);
      compiled.reserve(order.size());
      for (const auto& [g, f] : order) {
        compiled.push_back(compile_group(*f, *g, lists, rules));
        compiled.back().index = uint32_t(compiled.size() - 1);
      }
      class_group_list.reserve(class_numbers.size());
      for (uint32_t n : class_numbers) class_group_list.push_back(&compiled[n]);
    });
  }

  // The compiled groups of `c`; for a class outside the exposure (a load balancer's node), compiled
  // into `own` (its rules into `own_rules`).
  struct OwnGroups {
    std::vector<CompiledRule> rules;
    std::vector<CompiledGroup> groups;
    std::vector<const CompiledGroup*> pointers;
  };
  std::span<const CompiledGroup* const> groups_of(const ReachClass& c, OwnGroups& own,
                                                  std::deque<PeerSources>& own_lists) const {
    if (indexed(c)) {
      return std::span<const CompiledGroup* const>(class_group_list.data() + class_group_begin[c.id],
                                                   class_group_begin[c.id + 1] - class_group_begin[c.id]);
    }
    size_t rule_count = 0;
    for (const SecurityGroup* g : c.groups) rule_count += g->rules.size();
    own.rules.clear();
    own.rules.reserve(rule_count);
    own.groups.clear();
    own.pointers.clear();
    own.groups.reserve(c.groups.size());
    for (const SecurityGroup* g : c.groups) own.groups.push_back(compile_group(facts_of(c.region), *g, own_lists, own.rules));
    for (const CompiledGroup& g : own.groups) own.pointers.push_back(&g);
    return own.pointers;
  }

  size_t neighbour_count(const ReachClass& c) const {
    size_t n = 0;
    for_each_neighbour(c, [&](const ReachClass&) { ++n; });
    return n;
  }

  // The neighbours' order is the reference's: the class's own VPC, then each peered VPC.
  template <typename F>
  void for_each_neighbour(const ReachClass& c, F&& fn) const {
    const uint32_t id = scope_of(c);
    if (id == kNoScope) return;
    const Scope& s = scopes[id];
    for (const ReachClass* n : s.classes) fn(*n);
    for (uint32_t other : s.peer_scopes) {
      if (other == kNoScope) continue;
      for (const ReachClass* n : scopes[other].classes) fn(*n);
    }
  }

  // Storage one query reuses from pair to pair.
  struct Scratch {
    AddressSet dst, src;
    Traffic egress, ingress, both;
    PortSet tcp, udp;
    std::vector<int> portless;
  };

  inline static const Symbol kLocal = "local";

  // How traffic from s can reach d at all: "local" (same VPC) or the ID of the active peering
  // connection between their VPCs; empty when it cannot (a class alone with itself, another region,
  // a route table or network ACL not known, no peering). Both evaluations start here.
  Symbol pair_via(const ReachClass& s, const ReachClass& d) const {
    if (&s == &d && s.members.size() < 2) return {};
    if (s.region != d.region) return {};
    if (s.route_table == nullptr || d.route_table == nullptr || s.nacl == nullptr || d.nacl == nullptr) return {};
    if (s.vpc_id == d.vpc_id) return kLocal;
    Symbol via;
    const uint32_t id = scope_of(s);
    if (id != kNoScope) {
      for (const auto& [pcx, vpc] : scopes[id].peers) {
        if (vpc == d.vpc_id) via = pcx;
      }
    }
    return via;
  }

  // One family's result added to the edge: its ports and the rules that admit them (each once).
  static void add_to_edge(LateralEdge& edge, const PortSet& tcp, const PortSet& udp, const std::vector<int>& portless,
                          const std::vector<SgRuleRef>& egress_rules, const std::vector<SgRuleRef>& ingress_rules) {
    edge.tcp |= tcp;
    edge.udp |= udp;
    for (int p : portless) add_portless(edge.portless, p);
    edge.egress_rules.reserve(edge.egress_rules.size() + egress_rules.size());
    edge.ingress_rules.reserve(edge.ingress_rules.size() + ingress_rules.size());
    for (const SgRuleRef& r : egress_rules) {
      if (std::find(edge.egress_rules.begin(), edge.egress_rules.end(), r) == edge.egress_rules.end())
        edge.egress_rules.push_back(r);
    }
    for (const SgRuleRef& r : ingress_rules) {
      if (std::find(edge.ingress_rules.begin(), edge.ingress_rules.end(), r) == edge.ingress_rules.end())
        edge.ingress_rules.push_back(r);
    }
  }

  // One pair. `fixed_source` / `fixed_target`: the side that stays the same across the query (at
  // most one); the other side's groups are `src_groups` / `dst_groups`.
  LateralEdge evaluate(const ReachClass& s, const ReachClass& d, std::span<const CompiledGroup* const> src_groups,
                       std::span<const CompiledGroup* const> dst_groups, FixedSide* fixed_source,
                       FixedSide* fixed_target, VaryingSide* varying, NaclCache& nacls, Scratch& x) const {
    LateralEdge edge;
    edge.from = &s;
    edge.to = &d;
    const Symbol via = pair_via(s, d);
    if (via.empty()) return edge;
    const bool local = via == kLocal;
    edge.via = via;
    const RouteTargets* out_routes = targets(s.route_table);
    const RouteTargets* back_routes = targets(d.route_table);
    if (out_routes == nullptr || back_routes == nullptr) return edge;
    for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) {
      const AddressSet& src_all = s.addresses(f);
      const AddressSet& dst_all = d.addresses(f);
      if (src_all.empty() || dst_all.empty()) continue;
      const AddressSet* out_set = local ? &out_routes->local[fi(f)] : pcx_targets(*out_routes, f, via);
      const AddressSet* back_set = local ? &back_routes->local[fi(f)] : pcx_targets(*back_routes, f, via);
      if (out_set == nullptr || back_set == nullptr) continue;
      const AddressSet& dst = restrict_to(dst_all, *out_set, x.dst);
      const AddressSet& src = restrict_to(src_all, *back_set, x.src);
      if (dst.empty() || src.empty()) continue;
      const Traffic* egress = &x.egress;
      if (fixed_source != nullptr) {
        egress = &fixed_source->traffic(d, dst, edge.unknowns, x.egress);
      } else if (varying != nullptr) {
        varying->traffic(src_groups, dst, edge.unknowns, x.egress);
      } else {
        compiled_traffic(src_groups, RuleDirection::kEgress, d, dst, edge.unknowns, x.egress);
      }
      if (egress->empty()) continue;
      const Traffic* ingress = &x.ingress;
      if (fixed_target != nullptr) {
        ingress = &fixed_target->traffic(s, src, edge.unknowns, x.ingress);
      } else if (varying != nullptr) {
        varying->traffic(dst_groups, src, edge.unknowns, x.ingress);
      } else {
        compiled_traffic(dst_groups, RuleDirection::kIngress, s, src, edge.unknowns, x.ingress);
      }
      if (ingress->empty()) continue;
      intersect_into(*egress, *ingress, x.both);
      if (x.both.empty()) continue;
      const bool same_subnet = s.subnet != nullptr && s.subnet == d.subnet;
      const PortSet* tcp = &x.both.tcp;
      const PortSet* udp = &x.both.udp;
      const std::vector<int>* portless = &x.both.portless;
      if (!same_subnet) {
        if (!tcp->empty()) {
          fast_nacl_ports(nacls, s, d, proto::kTcp, *tcp, src, dst, x.tcp);
          tcp = &x.tcp;
        }
        if (!udp->empty()) {
          fast_nacl_ports(nacls, s, d, proto::kUdp, *udp, src, dst, x.udp);
          udp = &x.udp;
        }
        x.portless.clear();
        for (int p : x.both.portless) {
          if (fast_portless_passes(nacls, s, d, p, src, dst)) x.portless.push_back(p);
        }
        portless = &x.portless;
      }
      if (tcp->empty() && udp->empty() && portless->empty()) continue;
      add_to_edge(edge, *tcp, *udp, *portless, egress->rules, ingress->rules);
    }
    return edge;
  }

  // The direct evaluation of one pair, kept as the specification evaluate() is tested against
  // (Lateral::between_reference): every rule and NACL entry read for this pair alone.
  LateralEdge evaluate_reference(const ReachClass& s, const ReachClass& d) const {
    LateralEdge edge;
    edge.from = &s;
    edge.to = &d;
    const Symbol via = pair_via(s, d);
    if (via.empty()) return edge;
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
      if (via == kLocal) {
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
      add_to_edge(edge, tcp, udp, portless, egress.rules, ingress.rules);
    }
    return edge;
  }

  // nacl_ports, through the atoms when both address sets lie in one, into `out`.
  static void fast_nacl_ports(NaclCache& nacls, const ReachClass& s, const ReachClass& d, int protocol,
                              const PortSet& ports, const AddressSet& src, const AddressSet& dst, PortSet& out) {
    const PortSet* s_out = nacls.allowed(*s.nacl, true, protocol, dst);
    const PortSet* d_in = nacls.allowed(*d.nacl, false, protocol, src);
    const PortSet* d_out = nacls.allowed(*d.nacl, true, protocol, src);
    const PortSet* s_in = nacls.allowed(*s.nacl, false, protocol, dst);
    if (s_out == nullptr || d_in == nullptr || d_out == nullptr || s_in == nullptr) {
      out = nacl_ports(s, d, protocol, ports, src, dst);
      return;
    }
    const bool all_out = s_out->is(0, 65535) && d_in->is(0, 65535);
    if (all_out) {
      out = ports;
    } else {
      PortSet tmp;
      PortSet::intersect_into(ports, *s_out, tmp);
      PortSet::intersect_into(tmp, *d_in, out);
    }
    if (out.empty()) return;
    if (d_out->is(0, 65535) && s_in->is(0, 65535)) return;
    const PortSet reply = *d_out & *s_in;
    if (!reply.overlaps(kEphemeralPorts.from, kEphemeralPorts.to)) out.clear();
  }
  static bool fast_portless_passes(NaclCache& nacls, const ReachClass& s, const ReachClass& d, int p,
                                   const AddressSet& src, const AddressSet& dst) {
    const PortSet* s_out = nacls.allowed(*s.nacl, true, p, dst);
    const PortSet* d_in = nacls.allowed(*d.nacl, false, p, src);
    const PortSet* d_out = nacls.allowed(*d.nacl, true, p, src);
    const PortSet* s_in = nacls.allowed(*s.nacl, false, p, dst);
    if (s_out == nullptr || d_in == nullptr || d_out == nullptr || s_in == nullptr)
      return nacl_passes(s.nacl, true, p, 0, 0, dst) && nacl_passes(d.nacl, false, p, 0, 0, src) &&
             reply_passes(s.nacl, d.nacl, p, src, dst);
    return !s_out->empty() && !d_in->empty() && !d_out->empty() && !s_in->empty();
  }
};

Lateral::Lateral(const Exposure& exposure) : impl_(std::make_unique<Impl>()) {
  impl_->exposure = &exposure;
  std::vector<const Region*> regions;
  for (const ReachClass& c : exposure.classes()) {
    if (std::find(regions.begin(), regions.end(), c.region) == regions.end()) regions.push_back(c.region);
  }
  impl_->class_scope.resize(exposure.classes().size(), kNoScope);
  for (const ReachClass& c : exposure.classes()) {
    const uint32_t id = impl_->scope_id(c.region, c.vpc_id.view());
    impl_->class_scope[c.id] = id;
    if (exposure.internet(c).state == ClassState::kNotEvaluated) continue;
    impl_->scopes[id].classes.push_back(&c);
  }
  for (const Region* r : regions) {
    impl_->facts.push_back(make_region_facts(*r));
    for (const VpcPeeringConnection& p : r->peering_connections) {
      if (!p.active() || p.requester.region != p.accepter.region) continue;  // cross-region: not modelled
      impl_->scopes[impl_->scope_id(r, p.requester.vpc_id.view())].peers.push_back({p.id, p.accepter.vpc_id});
      impl_->scopes[impl_->scope_id(r, p.accepter.vpc_id.view())].peers.push_back({p.id, p.requester.vpc_id});
    }
  }
  for (Impl::Scope& s : impl_->scopes) {
    for (const auto& [pcx, vpc] : s.peers) {
      auto it = impl_->scope_index.find({s.region, vpc.view()});
      s.peer_scopes.push_back(it == impl_->scope_index.end() ? kNoScope : it->second);
    }
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

LateralEdge Lateral::between_reference(const ReachClass& source, const ReachClass& target) const {
  return impl_->evaluate_reference(source, target);
}

LateralEdge Lateral::between(const ReachClass& source, const ReachClass& target) const {
  impl_->compile();
  Impl::OwnGroups own_s, own_d;
  std::deque<PeerSources> lists;
  NaclCache nacls;
  Impl::Scratch x;
  return impl_->evaluate(source, target, impl_->groups_of(source, own_s, lists),
                         impl_->groups_of(target, own_d, lists), nullptr, nullptr, nullptr, nacls, x);
}

std::vector<LateralEdge> Lateral::from(const ReachClass& source) const {
  std::vector<LateralEdge> out;
  if (impl_->exposure->internet(source).state == ClassState::kNotEvaluated) return out;
  impl_->compile();
  Impl::OwnGroups own_s, own_d;
  std::deque<PeerSources> lists;
  FixedSide fixed(impl_->groups_of(source, own_s, lists), RuleDirection::kEgress);
  NaclCache nacls;
  Impl::Scratch x;
  out.reserve(impl_->neighbour_count(source));
  VaryingSide targets(source, RuleDirection::kIngress, impl_->compiled.size());  // the targets' ingress rules, matched against the source
  impl_->for_each_neighbour(source, [&](const ReachClass& d) {
    LateralEdge e = impl_->evaluate(source, d, fixed.groups, impl_->groups_of(d, own_d, lists), &fixed, nullptr,
                                    &targets, nacls, x);
    if (!e.empty()) out.push_back(std::move(e));
  });
  return out;
}

std::vector<LateralEdge> Lateral::to(const ReachClass& target) const {
  std::vector<LateralEdge> out;
  if (impl_->exposure->internet(target).state == ClassState::kNotEvaluated) return out;
  impl_->compile();
  Impl::OwnGroups own_s, own_d;
  std::deque<PeerSources> lists;
  FixedSide fixed(impl_->groups_of(target, own_d, lists), RuleDirection::kIngress);
  NaclCache nacls;
  Impl::Scratch x;
  out.reserve(impl_->neighbour_count(target));
  VaryingSide sources(target, RuleDirection::kEgress, impl_->compiled.size());  // the sources' egress rules, matched against the target
  impl_->for_each_neighbour(target, [&](const ReachClass& s) {
    LateralEdge e = impl_->evaluate(s, target, impl_->groups_of(s, own_s, lists), fixed.groups, nullptr, &fixed,
                                    &sources, nacls, x);
    if (!e.empty()) out.push_back(std::move(e));
  });
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
