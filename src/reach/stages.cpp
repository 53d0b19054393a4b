#include "reach/stages.h"

#include <fmt/format.h>

#include <algorithm>

namespace fortress::reach {

std::string join_texts(std::span<const std::string> parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

bool is_load_balancer_interface(const NetworkInterface& eni) {
  if (eni.interface_type == "network_load_balancer" || eni.interface_type == "gateway_load_balancer") return true;
  // Application (and classic) load balancer interfaces are of type "interface", requester-managed
  // by ELB and described "ELB app/<name>/<id>" ("ELB net/..." for NLBs, "ELB <name>" for classic).
  return eni.requester_managed && std::string_view(eni.description).starts_with("ELB ");
}

bool rule_admits_protocol(const TrafficSpec& t, int p) {
  if (t.protocol == proto::kAll) return true;
  if (p == kOtherProtocols) return false;
  return t.protocol == p;
}

PortSet rule_ports(const TrafficSpec& t) {
  if (has_ports(t.protocol)) return ports_of(t.ports);
  return all_ports();
}

bool RegionFacts::igw_attached(std::string_view vpc, std::string_view igw) const {
  auto it = igws_by_vpc.find(vpc);
  if (it == igws_by_vpc.end()) return false;
  return std::find(it->second.begin(), it->second.end(), igw) != it->second.end();
}

RegionFacts make_region_facts(const Region& region) {
  RegionFacts f;
  f.region = &region;
  std::unordered_map<std::string_view, std::string_view, TextHash> vpc_of_gateway;
  for (const InternetGateway& igw : region.internet_gateways) {
    for (const Symbol& vpc : igw.vpc_ids) {
      f.igws_by_vpc[vpc].push_back(igw.id);
      vpc_of_gateway.emplace(igw.id, vpc);
    }
  }
  // A gateway route table is associated with an internet gateway or a virtual private gateway
  // (AssociationSet[].GatewayId). Only internet gateways carry internet ingress.
  for (const RouteTable& rt : region.route_tables) {
    for (const RouteTableAssociation& a : rt.associations) {
      if (a.gateway_id.empty() || a.state == "disassociated" || a.state == "failed") continue;
      if (!std::string_view(a.gateway_id).starts_with("igw-")) continue;
      auto vpc = vpc_of_gateway.find(a.gateway_id);
      std::string_view vpc_id = vpc == vpc_of_gateway.end() ? std::string_view(rt.vpc_id) : vpc->second;
      auto& tables = f.edge_tables_by_vpc[vpc_id];
      if (std::find(tables.begin(), tables.end(), &rt) == tables.end()) tables.push_back(&rt);
    }
  }
  return f;
}

RegionFacts::GroupInternet group_internet(const RegionFacts& f, const SecurityGroup& g) {
  RegionFacts::GroupInternet out;
  for (IpFamily family : {IpFamily::kV4, IpFamily::kV6}) {
    const int fi = family == IpFamily::kV4 ? 0 : 1;
    for (const SecurityGroupRule& r : g.rules) {
      if (!r.is_ingress() || r.peer.kind == PeerKind::kSecurityGroup) continue;
      if (r.peer.kind == PeerKind::kCidr) {
        out.admits[fi] |= r.peer.cidr.family() == family && is_public(r.peer.cidr);
        continue;
      }
      PeerSources ps = peer_sources(f, r.peer, family);
      if (ps.unknown) {
        add_unique_text(out.unknowns[fi], fmt::format("{} {} ({} from {}): {}", g.id,
                                                      r.rule_id.empty() ? "rule" : r.rule_id.str(),
                                                      r.traffic.to_string(), r.peer.to_string(), ps.unknown_reason));
      }
      out.admits[fi] |= ps.addresses.overlaps(public_space(family));
    }
  }
  return out;
}

void add_group_internet(RegionFacts& f) {
  const Region& region = *f.region;
  f.group_internet.resize(region.security_groups.size());
  for (size_t gi = 0; gi < region.security_groups.size(); ++gi) f.group_internet[gi] = group_internet(f, region.security_groups[gi]);
}

PeerSources peer_sources(const RegionFacts& facts, const RulePeer& peer, IpFamily family) {
  PeerSources out;
  out.addresses = AddressSet::none(family);
  switch (peer.kind) {
    case PeerKind::kCidr:
      out.addresses.add(peer.cidr);
      return out;
    case PeerKind::kSecurityGroup:
      return out;  // traffic from ENIs of a group: never the internet
    case PeerKind::kPrefixList: {
      const PrefixList* list = facts.region->prefix_list(peer.prefix_list_id);
      if (list == nullptr) {
        out.unknown = true;
        out.unknown_reason = "prefix list " + peer.prefix_list_id + " was not collected";
        return out;
      }
      if ((family == IpFamily::kV4 && list->address_family == "IPv6") ||
          (family == IpFamily::kV6 && list->address_family == "IPv4"))
        return out;
      if (!list->entries.has_value()) {
        // AWS-managed lists (S3, DynamoDB, CloudFront origin-facing, ...) hold AWS service ranges,
        // not internet clients at large; the same reading as checks/rule_match.cpp.
        if (list->owner_id == "AWS") return out;
        out.unknown = true;
        out.unknown_reason = "the entries of prefix list " + peer.prefix_list_id + " were not collected";
        return out;
      }
      for (const PrefixListEntry& e : *list->entries) out.addresses.add(e.cidr);
      return out;
    }
  }
  return out;
}

// --- network ACLs --------------------------------------------------------------------------------

namespace {

bool entry_matches(const NetworkAclEntry& e, int protocol, uint32_t lo, uint32_t hi) {
  if (e.traffic.protocol == proto::kAll) return true;
  if (protocol == kOtherProtocols || e.traffic.protocol != protocol) return false;
  // ICMP entries also carry a type and code; they are read as matching the protocol (a narrower
  // ICMP entry is not modelled).
  if (!has_ports(protocol)) return true;
  return e.traffic.ports.from <= lo && hi <= e.traffic.ports.to;
}

std::vector<const NetworkAclEntry*> direction_entries(const NetworkAcl& acl, bool egress) {
  std::vector<const NetworkAclEntry*> out;
  for (const NetworkAclEntry& e : acl.entries) {
    if (e.egress == egress) out.push_back(&e);
  }
  // Rules are evaluated starting with the lowest numbered rule (the loader already sorts them).
  if (!std::is_sorted(out.begin(), out.end(), [](auto* a, auto* b) { return a->rule_number < b->rule_number; }))
    std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->rule_number < b->rule_number; });
  return out;
}

}  // namespace

NaclEval eval_nacl(const NetworkAcl& acl, bool egress, int protocol, uint32_t port_lo, uint32_t port_hi,
                   const AddressSet& universe) {
  NaclEval out;
  out.allowed = AddressSet::none(universe.family);
  AddressSet remaining = universe;
  for (const NetworkAclEntry* e : direction_entries(acl, egress)) {
    if (remaining.empty()) break;
    if (e->cidr.family() != universe.family || !entry_matches(*e, protocol, port_lo, port_hi)) continue;
    AddressSet block = AddressSet::of(e->cidr);
    AddressSet matched = remaining & block;
    if (matched.empty()) continue;
    if (e->allow) out.allowed |= matched;
    out.decisions.push_back({std::move(matched), e});
    remaining -= block;
  }
  if (!remaining.empty()) out.decisions.push_back({std::move(remaining), nullptr});
  return out;
}

void nacl_port_cuts(const NetworkAcl& acl, bool egress, int protocol, uint32_t lo, uint32_t hi,
                    std::vector<uint32_t>& cuts) {
  if (!has_ports(protocol)) return;
  for (const NetworkAclEntry& e : acl.entries) {
    if (e.egress != egress || e.traffic.protocol != protocol) continue;
    if (e.traffic.ports.from > lo && e.traffic.ports.from <= hi) cuts.push_back(e.traffic.ports.from);
    const uint32_t after = uint32_t(e.traffic.ports.to) + 1;
    if (after > lo && after <= hi) cuts.push_back(after);
  }
}

namespace {

// Splits [lo, hi] at the cuts into elementary segments.
std::vector<std::pair<uint32_t, uint32_t>> segments(uint32_t lo, uint32_t hi, std::vector<uint32_t>& cuts) {
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<std::pair<uint32_t, uint32_t>> out;
  uint32_t start = lo;
  for (uint32_t c : cuts) {
    if (c <= start || c > hi) continue;
    out.push_back({start, c - 1});
    start = c;
  }
  out.push_back({start, hi});
  return out;
}

}  // namespace

ReplyEval eval_reply(const NetworkAcl& acl, int protocol, const AddressSet& universe) {
  ReplyEval out;
  out.any = AddressSet::none(universe.family);
  out.all = universe;
  if (!has_ports(protocol)) {
    NaclEval e = eval_nacl(acl, true, protocol, 0, 0, universe);
    out.any = e.allowed;
    out.all = e.allowed;
    out.segments.push_back({PortSet{}, std::move(e)});
    return out;
  }
  std::vector<uint32_t> cuts;
  nacl_port_cuts(acl, true, protocol, kEphemeralPorts.from, kEphemeralPorts.to, cuts);
  for (auto [lo, hi] : segments(kEphemeralPorts.from, kEphemeralPorts.to, cuts)) {
    NaclEval e = eval_nacl(acl, true, protocol, lo, hi, universe);
    out.any |= e.allowed;
    out.all &= e.allowed;
    out.segments.push_back({PortSet::of(lo, hi), std::move(e)});
  }
  return out;
}

// --- routes --------------------------------------------------------------------------------------

namespace {

struct RouteCandidate {
  Cidr destination;
  const Route* route;
  int tier;  // 0 static CIDR route, 1 prefix-list route, 2 propagated route
};

bool is_propagated(const Route& r) {
  return r.origin == "EnableVgwRoutePropagation";
}

std::vector<RouteCandidate> route_candidates(const RegionFacts& facts, const RouteTable& table, IpFamily family,
                                             std::vector<std::string>* unknowns) {
  std::vector<RouteCandidate> out;
  for (const Route& r : table.routes) {
    if (r.destination) {
      if (r.destination->family() == family) out.push_back({*r.destination, &r, is_propagated(r) ? 2 : 0});
      continue;
    }
    const PrefixList* list = facts.region->prefix_list(r.destination_prefix_list_id);
    if (list != nullptr && ((family == IpFamily::kV4 && list->address_family == "IPv6") ||
                            (family == IpFamily::kV6 && list->address_family == "IPv4")))
      continue;
    if (list == nullptr || !list->entries.has_value()) {
      // A gateway VPC endpoint's route (S3, DynamoDB) covers AWS's own service ranges: no internet
      // client lives there, so not knowing the exact ranges changes no answer about the internet.
      if (r.target == RouteTarget::kVpcEndpoint) continue;
      if (unknowns != nullptr) {
        unknowns->push_back(fmt::format("{} routes prefix list {} to {}, and {}", table.id, r.destination_prefix_list_id,
                                        r.target_id,
                                        list == nullptr ? "the list was not collected" : "its entries were not collected"));
      }
      continue;
    }
    for (const PrefixListEntry& e : *list->entries) {
      if (e.cidr.family() == family) out.push_back({e.cidr, &r, is_propagated(r) ? 2 : 1});
    }
  }
  // Longest prefix first; for the same prefix static routes, then prefix-list routes, then
  // propagated routes (route-tables-priority.html).
  std::stable_sort(out.begin(), out.end(), [](const RouteCandidate& a, const RouteCandidate& b) {
    if (a.destination.prefix_length != b.destination.prefix_length)
      return a.destination.prefix_length > b.destination.prefix_length;
    return a.tier < b.tier;
  });
  return out;
}

bool goes_to_igw(const RegionFacts& facts, const Route& r, std::string_view vpc_id) {
  return r.active && r.target == RouteTarget::kInternetGateway && facts.igw_attached(vpc_id, r.target_id);
}

}  // namespace

RouteEval eval_routes(const RegionFacts& facts, const RouteTable& table, std::string_view vpc_id,
                      const AddressSet& universe) {
  RouteEval out;
  out.to_igw = AddressSet::none(universe.family);
  AddressSet remaining = universe;
  for (const RouteCandidate& c : route_candidates(facts, table, universe.family, &out.unknowns)) {
    if (remaining.empty()) break;
    AddressSet block = AddressSet::of(c.destination);
    AddressSet matched = remaining & block;
    if (matched.empty()) continue;
    if (goes_to_igw(facts, *c.route, vpc_id)) out.to_igw |= matched;
    out.decisions.push_back({std::move(matched), c.route, c.destination});
    remaining -= block;
  }
  if (!remaining.empty()) out.decisions.push_back({std::move(remaining), nullptr, Cidr{}});
  return out;
}

const Route* route_for(const RegionFacts& facts, const RouteTable& table, const IpAddress& dest, bool* unknown) {
  std::vector<std::string> unknowns;
  for (const RouteCandidate& c : route_candidates(facts, table, dest.family, &unknowns)) {
    if (c.destination.contains(dest)) {
      if (unknown != nullptr) *unknown = !unknowns.empty();
      return c.route;
    }
  }
  if (unknown != nullptr) *unknown = !unknowns.empty();
  return nullptr;
}

std::string route_text(const RouteTable& table, const RouteDecision& d) {
  if (d.route == nullptr) return fmt::format("{} has no route for {}", table.id, to_string(d.addresses, 2));
  std::string dest = d.route->destination ? d.route->destination->to_string()
                                          : d.route->destination_prefix_list_id.str() + " (" + d.destination.to_string() + ")";
  return fmt::format("{}: {} -> {}{}", table.id, dest, d.route->target_id, d.route->active ? "" : " (blackhole)");
}

// --- one class -----------------------------------------------------------------------------------

namespace {

std::string entry_text(const NetworkAclEntry& e) {
  return fmt::format("rule {} {} {} {} {}", e.rule_number, e.allow ? "allows" : "denies", e.traffic.to_string(),
                     e.egress ? "to" : "from", e.cidr.to_string());
}

struct RuleSources {
  SgRuleRef ref;
  AddressSet sources;
};

}  // namespace

std::vector<int> ClassEvaluator::protocols(IpFamily family) const {
  std::vector<int> out = {proto::kTcp, proto::kUdp, family == IpFamily::kV4 ? proto::kIcmp : proto::kIcmpv6};
  auto add = [&](int p) {
    if (p == proto::kAll) return;
    if ((family == IpFamily::kV4 && p == proto::kIcmpv6) || (family == IpFamily::kV6 && p == proto::kIcmp)) return;
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  };
  for (const SecurityGroup* g : class_.groups) {
    for (const SecurityGroupRule& r : g->rules) {
      if (r.is_ingress()) add(r.traffic.protocol);
    }
  }
  if (class_.nacl != nullptr) {
    for (const NetworkAclEntry& e : class_.nacl->entries) add(e.traffic.protocol);
  }
  out.push_back(kOtherProtocols);
  return out;
}

ClassEvaluator::FamilyState& ClassEvaluator::family_state(IpFamily family) {
  FamilyState& fs = family == IpFamily::kV4 ? v4_ : v6_;
  if (fs.ready) return fs;
  fs.ready = true;
  fs.universe = AddressSet::none(family);
  fs.routes.to_igw = AddressSet::none(family);
  const char* fam = family == IpFamily::kV4 ? "IPv4" : "IPv6";
  const std::string first_eni = class_.members.empty() ? std::string() : class_.members.front().eni->id.str();
  const bool has_address = family == IpFamily::kV4 ? class_.public_v4 : class_.global_v6;
  if (!has_address) {
    fs.blocker = Blocker{"public-address", first_eni,
                         family == IpFamily::kV4
                             ? "no public IPv4 address (neither an auto-assigned public IP nor an Elastic IP)"
                             : "no global IPv6 address"};
    return fs;
  }
  auto igws = facts_.igws_by_vpc.find(class_.vpc_id);
  if (igws == facts_.igws_by_vpc.end() || igws->second.empty()) {
    fs.blocker = Blocker{"internet-gateway", class_.vpc_id.str(),
                         fmt::format("no internet gateway is attached to {} (an egress-only gateway admits nothing inbound)",
                                     class_.vpc_id)};
    return fs;
  }
  fs.igws = igws->second;
  if (class_.subnet == nullptr) {
    fs.unknowns.push_back(fmt::format("the subnet of {} was not collected", first_eni));
    return fs;
  }
  if (class_.route_table == nullptr) {
    fs.unknowns.push_back(fmt::format("no route table governs {}: neither an explicit association nor a main route "
                                      "table of {} was collected",
                                      class_.subnet->id, class_.vpc_id));
    return fs;
  }
  if (class_.nacl == nullptr) {
    fs.unknowns.push_back(fmt::format("no network ACL is associated with {} in describe-network-acls", class_.subnet->id));
    return fs;
  }
  // Ingress routing: a gateway route table can send traffic for this subnet to an appliance first.
  auto edges = facts_.edge_tables_by_vpc.find(class_.vpc_id);
  if (edges != facts_.edge_tables_by_vpc.end()) {
    AddressSet subnet_space = AddressSet::none(family);
    if (family == IpFamily::kV4 && class_.subnet->ipv4_cidr) subnet_space.add(*class_.subnet->ipv4_cidr);
    if (family == IpFamily::kV6)
      for (const Cidr& c : class_.subnet->ipv6_cidrs) subnet_space.add(c);
    for (const RouteTable* edge : edges->second) {
      for (const Route& r : edge->routes) {
        if (r.target == RouteTarget::kLocal) continue;
        if (r.destination && subnet_space.overlaps(*r.destination)) {
          fs.unknowns.push_back(fmt::format("not assessed: ingress routing via {} (the gateway route table sends {} to {})",
                                            edge->id, r.destination->to_string(), r.target_id));
        } else if (!r.destination) {
          fs.unknowns.push_back(fmt::format("not assessed: ingress routing via {} (the gateway route table routes {} to {})",
                                            edge->id, r.destination_prefix_list_id, r.target_id));
        }
      }
    }
    if (!fs.unknowns.empty()) return fs;
  }
  fs.routes = eval_routes(facts_, *class_.route_table, class_.vpc_id, public_space(family));
  for (std::string& u : fs.routes.unknowns) fs.unknowns.push_back(std::move(u));
  fs.routes.unknowns.clear();
  fs.universe = fs.routes.to_igw;
  (void)fam;
  return fs;
}

const ReplyEval& ClassEvaluator::reply(IpFamily family, int protocol) {
  auto& cache = family == IpFamily::kV4 ? replies_v4_ : replies_v6_;
  for (const auto& [p, r] : cache) {
    if (p == protocol) return r;
  }
  cache.push_back({protocol, eval_reply(*class_.nacl, protocol, family_state(family).universe)});
  return cache.back().second;
}

StageResult ClassEvaluator::evaluate(IpFamily family, int protocol, const PortSet& ports_in, const AddressSet& sources,
                                     std::span<const SgRuleRef> only_rules) {
  StageResult out;
  const bool ported = has_ports(protocol);
  const PortSet ports = ported ? (ports_in.empty() ? all_ports() : ports_in) : PortSet::of(0, 0);

  // The rules admitting this protocol, with the internet sources each admits.
  std::vector<RuleSources> rules;
  auto consider = [&](const SecurityGroup* g, const SecurityGroupRule& r) {
    if (!r.is_ingress() || !rule_admits_protocol(r.traffic, protocol)) return;
    if (ported && !ports.overlaps(r.traffic.protocol == proto::kAll ? 0 : r.traffic.ports.from,
                                  r.traffic.protocol == proto::kAll ? 65535 : r.traffic.ports.to))
      return;
    PeerSources ps = peer_sources(facts_, r.peer, family);
    if (ps.unknown) {
      add_unique_text(out.unknowns, fmt::format("{} {} ({} from {}): {}", g->id, r.rule_id.empty() ? "rule" : r.rule_id.str(),
                                                r.traffic.to_string(), r.peer.to_string(), ps.unknown_reason));
    }
    AddressSet s = ps.addresses & sources & public_space(family);
    if (!s.empty()) rules.push_back({{g, &r}, std::move(s)});
  };
  if (only_rules.empty()) {
    for (const SecurityGroup* g : class_.groups) {
      for (const SecurityGroupRule& r : g->rules) consider(g, r);
    }
    for (const Symbol& g : class_.unknown_groups)
      add_unique_text(out.unknowns, fmt::format("{} is attached but was not in describe-security-groups", g));
  } else {
    for (const SgRuleRef& ref : only_rules) consider(ref.group, *ref.rule);
  }
  if (rules.empty()) return out;

  FamilyState& fs = family_state(family);
  if (fs.blocker) {
    out.blocker = fs.blocker;
    return out;
  }
  if (!fs.unknowns.empty()) {
    for (const std::string& u : fs.unknowns) add_unique_text(out.unknowns, u);
    return out;
  }

  // Elementary port segments: no rule or inbound entry boundary inside one.
  std::vector<std::pair<uint32_t, uint32_t>> segs;
  if (ported) {
    for (const auto& iv : ports.intervals()) {
      std::vector<uint32_t> cuts;
      for (const RuleSources& rs : rules) {
        const TrafficSpec& t = rs.ref.rule->traffic;
        if (t.protocol == proto::kAll) continue;
        if (t.ports.from > iv.lo && t.ports.from <= iv.hi) cuts.push_back(t.ports.from);
        if (uint32_t(t.ports.to) + 1 > iv.lo && uint32_t(t.ports.to) + 1 <= iv.hi) cuts.push_back(uint32_t(t.ports.to) + 1);
      }
      nacl_port_cuts(*class_.nacl, false, protocol, iv.lo, iv.hi, cuts);
      for (auto s : segments(iv.lo, iv.hi, cuts)) segs.push_back(s);
    }
  } else {
    segs.push_back({0, 0});
  }

  int furthest = 0;  // 1 admitted by a rule, 2 routed back, 3 through the NACL inbound
  AddressSet block_sources = AddressSet::none(family);
  std::optional<NaclEval> block_nacl;
  for (auto [lo, hi] : segs) {
    AddressSet admitted = AddressSet::none(family);
    std::vector<const RuleSources*> seg_rules;
    for (const RuleSources& rs : rules) {
      const TrafficSpec& t = rs.ref.rule->traffic;
      if (ported && t.protocol != proto::kAll && !(t.ports.from <= lo && hi <= t.ports.to)) continue;
      admitted |= rs.sources;
      seg_rules.push_back(&rs);
    }
    if (admitted.empty()) continue;
    AddressSet routed = admitted & fs.universe;
    if (routed.empty()) {
      if (furthest < 1) {
        furthest = 1;
        block_sources = admitted;
      }
      continue;
    }
    NaclEval in = eval_nacl(*class_.nacl, false, protocol, lo, hi, routed);
    if (in.allowed.empty()) {
      if (furthest < 2) {
        furthest = 2;
        block_sources = routed;
        block_nacl = std::move(in);
      }
      continue;
    }
    const ReplyEval& rep = reply(family, protocol);
    AddressSet final_sources = in.allowed & rep.any;
    if (final_sources.empty()) {
      if (furthest < 3) {
        furthest = 3;
        block_sources = in.allowed;
      }
      continue;
    }
    Grant g;
    g.family = family;
    g.protocol = protocol;
    if (ported) g.ports = PortSet::of(lo, hi);
    g.sources = final_sources;
    for (const RuleSources* rs : seg_rules) {
      if (rs->sources.overlaps(final_sources)) g.sg_rules.push_back(rs->ref);
    }
    for (const NaclDecision& d : in.decisions) {
      if (d.entry != nullptr && d.entry->allow && d.addresses.overlaps(final_sources)) g.nacl_in.push_back(d.entry);
    }
    g.reply_ports = PortSet{};
    for (const ReplyEval::Segment& s : rep.segments) {
      bool used = false;
      for (const NaclDecision& d : s.eval.decisions) {
        if (d.entry != nullptr && d.entry->allow && d.addresses.overlaps(final_sources)) {
          used = true;
          if (std::find(g.nacl_out.begin(), g.nacl_out.end(), d.entry) == g.nacl_out.end()) g.nacl_out.push_back(d.entry);
        }
      }
      if (used && ported) g.reply_ports |= s.ports;
    }
    g.reply_partial = !(final_sources - rep.all).empty();
    for (const RouteDecision& d : fs.routes.decisions) {
      if (d.route != nullptr && d.addresses.overlaps(final_sources) && d.route->target == RouteTarget::kInternetGateway &&
          std::find(g.routes.begin(), g.routes.end(), d.route) == g.routes.end()) {
        g.routes.push_back(d.route);
        if (g.igw_id.empty()) g.igw_id = d.route->target_id;
      }
    }
    // Merge with the previous grant when only the ports differ and they touch.
    if (!out.grants.empty()) {
      Grant& prev = out.grants.back();
      if (ported && prev.sources == g.sources && prev.sg_rules == g.sg_rules && prev.nacl_in == g.nacl_in &&
          prev.nacl_out == g.nacl_out && prev.reply_partial == g.reply_partial && prev.reply_ports == g.reply_ports &&
          !prev.ports.empty() && prev.ports.intervals().back().hi + 1 == lo) {
        prev.ports.add(lo, hi);
        continue;
      }
    }
    out.grants.push_back(std::move(g));
  }
  if (!out.grants.empty() || furthest == 0) return out;

  // Nothing got through: name the first component that stopped it.
  if (furthest == 1) {
    std::vector<std::string> where;
    for (const RouteDecision& d : fs.routes.decisions) {
      if (d.addresses.overlaps(block_sources) && where.size() < 2) where.push_back(route_text(*class_.route_table, d));
    }
    out.blocker = Blocker{"route", class_.route_table->id.str(),
                          "no route to an internet gateway" + (where.empty() ? std::string() : " (" + join_texts(where, "; ") + ")")};
  } else if (furthest == 2) {
    const NaclDecision* deny = nullptr;
    for (const NaclDecision& d : block_nacl->decisions) {
      if (!d.addresses.overlaps(block_sources)) continue;
      deny = &d;
      break;
    }
    if (deny != nullptr && deny->entry != nullptr) {
      out.blocker = Blocker{"nacl-in", class_.nacl->id.str(),
                            fmt::format("NACL {} inbound rule {} denies it ({})", class_.nacl->id, deny->entry->rule_number,
                                        entry_text(*deny->entry))};
    } else {
      out.blocker = Blocker{"nacl-in", class_.nacl->id.str(),
                            fmt::format("NACL {} denies it: no inbound rule allows it (the implicit deny)", class_.nacl->id)};
    }
  } else {
    const ReplyEval& rep = reply(family, protocol);
    const NetworkAclEntry* deny = nullptr;
    for (const ReplyEval::Segment& s : rep.segments) {
      for (const NaclDecision& d : s.eval.decisions) {
        if (d.addresses.overlaps(block_sources) && d.entry != nullptr && !d.entry->allow) {
          deny = d.entry;
          break;
        }
      }
      if (deny != nullptr) break;
    }
    const std::string ports = has_ports(protocol) ? " (client ports " + kEphemeralPorts.to_string() + ")" : std::string();
    out.blocker = Blocker{
        "nacl-out", class_.nacl->id.str(),
        deny != nullptr ? fmt::format("NACL {} outbound rule {} denies the reply{} ({})", class_.nacl->id, deny->rule_number,
                                      ports, entry_text(*deny))
                        : fmt::format("NACL {} denies the reply{}: no outbound rule allows it (the implicit deny)",
                                      class_.nacl->id, ports)};
  }
  return out;
}

InternetResult ClassEvaluator::evaluate_class() {
  InternetResult result;
  for (IpFamily family : {IpFamily::kV4, IpFamily::kV6}) {
    std::optional<Blocker> blocker;
    size_t before = result.grants.size();
    // Fast path: no public address (or no internet gateway) stops the whole family. One pass over the
    // rules tells whether any admits the internet (then that is the blocker) and collects unknowns.
    const bool has_address = family == IpFamily::kV4 ? class_.public_v4 : class_.global_v6;
    if (!has_address || facts_.igws_by_vpc.count(class_.vpc_id) == 0) {
      bool admits = false;
      const int fi = family == IpFamily::kV4 ? 0 : 1;
      RegionFacts::GroupInternet own;  // for facts made without add_group_internet
      for (const SecurityGroup* g : class_.groups) {
        const size_t index = size_t(g - class_.region->security_groups.data());
        const RegionFacts::GroupInternet* gi = &own;
        if (index < facts_.group_internet.size()) {
          gi = &facts_.group_internet[index];
        } else {
          own = group_internet(facts_, *g);
        }
        admits |= gi->admits[fi];
        for (const std::string& u : gi->unknowns[fi]) add_unique_text(result.unknowns, u);
      }
      for (const Symbol& g : class_.unknown_groups)
        add_unique_text(result.unknowns, fmt::format("{} is attached but was not in describe-security-groups", g));
      if (admits) blocker = family_state(family).blocker;
      (family == IpFamily::kV4 ? result.blocked_v4 : result.blocked_v6) = blocker;
      continue;
    }
    for (int p : protocols(family)) {
      StageResult r = evaluate(family, p, PortSet{}, public_space(family), {});
      for (Grant& g : r.grants) result.grants.push_back(std::move(g));
      for (std::string& u : r.unknowns) add_unique_text(result.unknowns, std::move(u));
      if (r.blocker && (!blocker || blocker_rank(r.blocker->component) > blocker_rank(blocker->component)))
        blocker = r.blocker;
    }
    if (result.grants.size() == before) (family == IpFamily::kV4 ? result.blocked_v4 : result.blocked_v6) = blocker;
  }
  if (!result.grants.empty()) {
    result.state = ClassState::kExposed;
  } else if (!result.unknowns.empty()) {
    result.state = ClassState::kNotAssessed;
  } else {
    result.state = ClassState::kNotExposed;
  }
  return result;
}

void add_unique_text(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

int blocker_rank(std::string_view component) {
  if (component == "public-address") return 0;
  if (component == "internet-gateway") return 1;
  if (component == "route") return 2;
  if (component == "nacl-in") return 3;
  if (component == "nacl-out") return 4;
  return 5;
}

}  // namespace fortress::reach
