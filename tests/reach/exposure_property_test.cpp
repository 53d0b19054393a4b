// Property test: over small random networks, a brute-force evaluator that applies the rules directly
// to single packets (one source address, one protocol, one destination port, one client port) agrees
// with the interval-arithmetic engine on every sampled packet.
#include <gtest/gtest.h>

#include <random>

#include "net_builder.h"
#include "reach/interval_set.h"

namespace fortress::testing {
namespace {

// --- the brute-force side: no interval sets, no segmentation, only the documented rules ----------

bool nacl_allows(const NetworkAcl& acl, bool egress, const IpAddress& peer, int protocol, uint16_t port) {
  std::vector<const NetworkAclEntry*> entries;
  for (const NetworkAclEntry& e : acl.entries) {
    if (e.egress == egress) entries.push_back(&e);
  }
  std::stable_sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->rule_number < b->rule_number; });
  for (const NetworkAclEntry* e : entries) {
    if (!e->cidr.contains(peer)) continue;
    if (!e->traffic.admits(protocol, port)) continue;
    return e->allow;
  }
  return false;  // the implicit deny
}

// Longest prefix, then static before prefix-list before propagated.
const Route* lpm(const Region& region, const RouteTable& t, const IpAddress& dest) {
  const Route* best = nullptr;
  int best_len = -1;
  int best_tier = 9;
  for (const Route& r : t.routes) {
    std::vector<Cidr> dests;
    int tier = r.origin == "EnableVgwRoutePropagation" ? 2 : 0;
    if (r.destination) {
      dests.push_back(*r.destination);
    } else if (const PrefixList* pl = region.prefix_list(r.destination_prefix_list_id); pl && pl->entries) {
      for (const auto& e : *pl->entries) dests.push_back(e.cidr);
      if (tier == 0) tier = 1;
    }
    for (const Cidr& d : dests) {
      if (!d.contains(dest)) continue;
      if (d.prefix_length > best_len || (d.prefix_length == best_len && tier < best_tier)) {
        best = &r;
        best_len = d.prefix_length;
        best_tier = tier;
      }
    }
  }
  return best;
}

bool brute_reachable(const Region& region, const NetworkInterface& eni, const IpAddress& src, int protocol,
                     uint16_t port, const std::vector<uint16_t>& client_ports) {
  if (classify(Cidr{src, uint8_t(src.family == IpFamily::kV4 ? 32 : 128)}) != AddressClass::kPublic) return false;
  if (src.family == IpFamily::kV4 && !eni.has_public_ipv4()) return false;
  if (src.family == IpFamily::kV6) {
    bool global = false;
    for (const IpAddress& a : eni.ipv6_addresses) global |= classify(Cidr{a, 128}) == AddressClass::kPublic;
    if (!global) return false;
  }
  const RouteTable* rt = region.route_table_for_subnet(eni.subnet_id);
  const NetworkAcl* acl = region.network_acl_for_subnet(eni.subnet_id);
  if (rt == nullptr || acl == nullptr) return false;
  const Route* back = lpm(region, *rt, src);
  if (back == nullptr || !back->active || back->target != RouteTarget::kInternetGateway) return false;
  bool attached = false;
  for (const InternetGateway& g : region.internet_gateways) {
    if (g.id == back->target_id)
      for (const Symbol& v : g.vpc_ids) attached |= v == eni.vpc_id;
  }
  if (!attached) return false;
  if (!nacl_allows(*acl, false, src, protocol, port)) return false;
  bool reply = false;
  for (uint16_t c : client_ports) reply = reply || nacl_allows(*acl, true, src, protocol, c);
  if (!reply) return false;
  for (const Symbol& gid : eni.group_ids) {
    const SecurityGroup* g = region.security_group(gid);
    if (g == nullptr) continue;
    for (const SecurityGroupRule& r : g->rules) {
      if (!r.is_ingress() || !r.traffic.admits(protocol, port)) continue;
      if (r.peer.kind == PeerKind::kCidr && r.peer.cidr.contains(src)) return true;
      if (r.peer.kind == PeerKind::kPrefixList) {
        const PrefixList* pl = region.prefix_list(r.peer.prefix_list_id);
        if (pl && pl->entries)
          for (const auto& e : *pl->entries)
            if (e.cidr.contains(src)) return true;
      }
    }
  }
  return false;
}

// --- random networks ------------------------------------------------------------------------------

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  int range(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  // Blocks drawn from a few public /8s so that rules overlap often.
  std::string block() {
    static const char* kBases[] = {"8", "9", "52", "54", "100", "203"};
    const std::string base = kBases[range(0, 5)];
    switch (range(0, 4)) {
      case 0: return "0.0.0.0/0";
      case 1: return base + ".0.0.0/8";
      case 2: return base + "." + std::to_string(range(0, 3) * 64) + ".0.0/10";
      case 3: return base + "." + std::to_string(range(0, 255)) + ".0.0/16";
      default: return "0.0.0.0/1";
    }
  }
  TrafficSpec traffic() {
    switch (range(0, 5)) {
      case 0: return all_traffic();
      case 1: return udp(uint16_t(range(0, 100)), uint16_t(range(100, 2000)));
      case 2: return tcp(22);
      case 3: {
        const uint16_t a = uint16_t(range(0, 40000));
        return tcp(a, uint16_t(std::min(65535, a + range(0, 30000))));
      }
      default: return tcp(uint16_t(range(0, 1000)), uint16_t(range(1000, 65535)));
    }
  }
  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
};

Net random_network(Gen& g) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16").subnet("subnet-1", "vpc-1", "10.0.1.0/24").igw("igw-1", "vpc-1");
  if (g.chance(0.2)) n.region().internet_gateways[0].vpc_ids.clear();  // detached
  std::vector<Route> routes;
  if (g.chance(0.9)) routes.push_back(route("0.0.0.0/0", g.chance(0.8) ? "igw-1" : "nat-1"));
  for (int i = g.range(0, 3); i > 0; --i) {
    const char* targets[] = {"igw-1", "nat-1", "tgw-1", "pcx-1"};
    routes.push_back(route(g.block(), targets[g.range(0, 3)], !g.chance(0.15), g.chance(0.2)));
  }
  if (g.chance(0.3)) {
    n.prefix_list("pl-r", std::vector<std::string>{g.block(), g.block()});
    routes.push_back(route("pl-r", g.chance(0.5) ? "igw-1" : "vgw-1"));
  }
  n.route_table("rtb-1", "vpc-1", routes, {"subnet-1"});
  std::vector<NetworkAclEntry> entries;
  for (int i = g.range(1, 5); i > 0; --i) entries.push_back(nacl_in(g.range(1, 300), g.chance(0.6), g.traffic(), g.block()));
  for (int i = g.range(1, 4); i > 0; --i) entries.push_back(nacl_out(g.range(1, 300), g.chance(0.7), g.traffic(), g.block()));
  if (g.chance(0.5)) entries.push_back(nacl_in(301, kAllow, all_traffic(), "0.0.0.0/0"));
  if (g.chance(0.6)) entries.push_back(nacl_out(301, kAllow, all_traffic(), "0.0.0.0/0"));
  // Distinct rule numbers per direction, as AWS requires.
  std::set<std::pair<bool, int>> seen;
  std::vector<NetworkAclEntry> unique;
  for (const NetworkAclEntry& e : entries) {
    if (seen.insert({e.egress, e.rule_number}).second) unique.push_back(e);
  }
  n.acl("acl-1", "vpc-1", unique, {"subnet-1"});
  std::vector<SecurityGroupRule> rules;
  for (int i = g.range(1, 4); i > 0; --i) rules.push_back(ingress(g.traffic(), g.block()));
  if (g.chance(0.3)) {
    n.prefix_list("pl-s", std::vector<std::string>{g.block(), "10.0.0.0/8"});
    rules.push_back(ingress(g.traffic(), "pl-s"));
  }
  n.group("sg-1", rules);
  n.group("sg-2", {ingress(g.traffic(), g.block())});
  std::vector<Symbol> groups = {"sg-1"};
  if (g.chance(0.4)) groups.push_back("sg-2");
  n.interface({.id = "eni-1", .subnet = "subnet-1", .groups = groups, .private_ip = "10.0.1.10",
               .public_ip = g.chance(0.85) ? "54.1.2.3" : ""});
  return n;
}

// Addresses worth probing: the edges of every block in play, and random ones.
std::vector<IpAddress> probe_addresses(const Region& r, Gen& g) {
  std::vector<IpAddress> out;
  auto edges = [&](const Cidr& c) {
    if (c.family() != IpFamily::kV4) return;
    out.push_back(c.first());
    out.push_back(c.last());
    if (c.first().value > 0) out.push_back(IpAddress::v4(uint32_t(c.first().value - 1)));
    if (c.last().value < 0xFFFFFFFFu) out.push_back(IpAddress::v4(uint32_t(c.last().value + 1)));
  };
  for (const NetworkAcl& a : r.network_acls)
    for (const auto& e : a.entries) edges(e.cidr);
  for (const RouteTable& t : r.route_tables)
    for (const Route& rt : t.routes)
      if (rt.destination) edges(*rt.destination);
  for (const PrefixList& p : r.prefix_lists)
    for (const auto& e : *p.entries) edges(e.cidr);
  for (const SecurityGroup& sg : r.security_groups)
    for (const auto& rule : sg.rules)
      if (rule.peer.kind == PeerKind::kCidr) edges(rule.peer.cidr);
  for (int i = 0; i < 40; ++i) out.push_back(IpAddress::v4(uint32_t(g.rng()())));
  return out;
}

std::vector<uint16_t> probe_ports(const Region& r, Gen& g, uint32_t lo, uint32_t hi) {
  std::set<uint32_t> s = {lo, hi};
  auto add = [&](uint32_t p) {
    if (p >= lo && p <= hi) s.insert(p);
  };
  for (const NetworkAcl& a : r.network_acls)
    for (const auto& e : a.entries) {
      add(e.traffic.ports.from);
      add(e.traffic.ports.to);
      add(uint32_t(e.traffic.ports.to) + 1);
      if (e.traffic.ports.from > 0) add(e.traffic.ports.from - 1u);
    }
  for (const SecurityGroup& sg : r.security_groups)
    for (const auto& rule : sg.rules) {
      add(rule.traffic.ports.from);
      add(rule.traffic.ports.to);
      add(uint32_t(rule.traffic.ports.to) + 1);
      if (rule.traffic.ports.from > 0) add(rule.traffic.ports.from - 1u);
    }
  for (int i = 0; i < 10; ++i) add(uint32_t(g.range(int(lo), int(hi))));
  return {s.begin(), s.end()};
}

TEST(ExposureProperty, BruteForceAgreesWithIntervalArithmetic) {
  size_t agreed_reachable = 0;
  size_t compared = 0;
  int networks_exposed = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    Gen g(seed);
    Net n = random_network(g);
    const Account& account = n.done();
    const Region& region = account.regions[0];
    const reach::Exposure ex = reach::compute_exposure(account, Config{});
    const reach::ReachClass* c = ex.class_of(kRegion, "eni-1");
    ASSERT_NE(c, nullptr);
    const reach::InternetResult& ir = ex.internet(*c);
    ASSERT_NE(ir.state, reach::ClassState::kNotAssessed) << "seed " << seed;
    networks_exposed += ir.grants.empty() ? 0 : 1;
    const NetworkInterface& eni = region.network_interfaces[0];
    const std::vector<uint16_t> client_ports = probe_ports(region, g, reach::kEphemeralPorts.from, reach::kEphemeralPorts.to);
    const std::vector<uint16_t> ports = probe_ports(region, g, 0, 65535);
    for (const IpAddress& src : probe_addresses(region, g)) {
      for (int protocol : {proto::kTcp, proto::kUdp}) {
        for (uint16_t port : ports) {
          const bool expected = brute_reachable(region, eni, src, protocol, port, client_ports);
          bool fast = false;
          for (const reach::Grant& gr : ir.grants) {
            if (gr.family == src.family && gr.protocol == protocol && gr.ports.contains(port) && gr.sources.contains(src))
              fast = true;
          }
          ++compared;
          agreed_reachable += expected ? 1 : 0;
          ASSERT_EQ(fast, expected) << "seed " << seed << " source " << src.to_string() << " " << protocol_name(protocol)
                                    << "/" << port;
        }
      }
    }
  }
  // The generator must produce both answers, or the test proves nothing.
  EXPECT_GT(networks_exposed, 40);
  EXPECT_LT(networks_exposed, 260);
  EXPECT_GT(agreed_reachable, 1000u);
  EXPECT_LT(agreed_reachable, compared);
}

}  // namespace
}  // namespace fortress::testing
