// Property test: over small random networks (two or three VPCs, peerings, several subnets and NACLs,
// groups referencing each other, CIDR and prefix-list peers, IPv6), the indexed lateral queries
// (from, to, between) give exactly the edges of the direct evaluation (between_reference): same
// pairs, same ports and protocols, same rules in the same order, same unknowns.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <tuple>

#include "net_builder.h"
#include "reach/lateral.h"

namespace fortress::testing {
namespace {

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  int range(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[size_t(range(0, int(v.size()) - 1))];
  }
  // Blocks inside and around the VPCs, some cutting a subnet in two (a NACL atom boundary inside a
  // class's addresses), some IPv6.
  std::string block() {
    static const std::vector<std::string> kBlocks = {
        "0.0.0.0/0",     "10.0.0.0/8",     "10.0.0.0/16",       "10.1.0.0/16",   "10.0.1.0/24",
        "10.0.2.0/24",   "10.0.3.0/24",    "10.1.9.0/24",       "10.0.1.0/27",   "10.0.1.16/28",
        "10.0.2.128/25", "10.0.1.20/32",   "10.1.9.0/26",       "172.16.0.0/12", "10.2.0.0/16",
        "::/0",          "2600:1f18::/56", "2600:1f18:0:1::/64"};
    return pick(kBlocks);
  }
  TrafficSpec traffic() {
    switch (range(0, 8)) {
      case 0:
        return all_traffic();
      case 1:
        return tcp(22);
      case 2:
        return tcp(5432);
      case 3:
        return tcp(uint16_t(range(0, 3000)), uint16_t(range(3000, 65535)));
      case 4:
        return udp(uint16_t(range(0, 100)), uint16_t(range(100, 2000)));
      case 5:
        return icmp_all();
      case 6:
        return TrafficSpec{50, PortRange::all()};
      case 7:
        return tcp(1024, 65535);
      default:
        return udp(1024, 65535);
    }
  }
  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
};

std::vector<NetworkAclEntry> random_acl(Gen& g) {
  std::vector<NetworkAclEntry> entries;
  if (g.chance(0.3)) return allow_all_entries();
  for (int i = g.range(0, 4); i > 0; --i)
    entries.push_back(nacl_in(g.range(1, 300), g.chance(0.6), g.traffic(), g.block()));
  for (int i = g.range(0, 4); i > 0; --i)
    entries.push_back(nacl_out(g.range(1, 300), g.chance(0.6), g.traffic(), g.block()));
  if (g.chance(0.7)) entries.push_back(nacl_in(301, kAllow, all_traffic(), "0.0.0.0/0"));
  if (g.chance(0.7)) entries.push_back(nacl_out(301, kAllow, all_traffic(), "0.0.0.0/0"));
  if (g.chance(0.5)) entries.push_back(nacl_in(302, kAllow, all_traffic(), "::/0"));
  if (g.chance(0.5)) entries.push_back(nacl_out(302, kAllow, all_traffic(), "::/0"));
  std::set<std::pair<bool, int>> seen;  // distinct rule numbers per direction, as AWS requires
  std::vector<NetworkAclEntry> unique;
  for (const NetworkAclEntry& e : entries) {
    if (seen.insert({e.egress, e.rule_number}).second) unique.push_back(e);
  }
  return unique;
}

Net random_network(Gen& g) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16", "2600:1f18::/56").vpc("vpc-2", "10.1.0.0/16").vpc("vpc-3", "10.2.0.0/16");
  n.subnet("subnet-1", "vpc-1", "10.0.1.0/24", "2600:1f18:0:1::/64")
      .subnet("subnet-2", "vpc-1", "10.0.2.0/24")
      .subnet("subnet-3", "vpc-1", "10.0.3.0/24")
      .subnet("subnet-9", "vpc-2", "10.1.9.0/24")
      .subnet("subnet-7", "vpc-3", "10.2.7.0/24");
  n.peering("pcx-1", "vpc-1", "10.0.0.0/16", "vpc-2", "10.1.0.0/16",
            g.chance(0.8) ? "active" : "pending-acceptance");
  if (g.chance(0.5)) n.peering("pcx-2", "vpc-3", "10.2.0.0/16", "vpc-1", "10.0.0.0/16");
  std::vector<Route> r1;
  if (g.chance(0.8)) r1.push_back(route(g.chance(0.7) ? "10.1.0.0/16" : "10.1.9.0/25", "pcx-1"));
  if (g.chance(0.5)) r1.push_back(route("10.2.0.0/16", "pcx-2"));
  if (g.chance(0.2)) r1.push_back(route("10.0.3.0/25", "eni-firewall"));
  if (g.chance(0.1)) r1.push_back(route("10.1.9.0/26", "pcx-1", /*active=*/false));
  n.route_table("rtb-1", "vpc-1", r1, {"subnet-1"});
  std::vector<Route> rmain;
  if (g.chance(0.6)) rmain.push_back(route("10.1.0.0/16", "pcx-1"));
  if (g.chance(0.4)) rmain.push_back(route("10.2.7.0/24", "pcx-2"));
  n.route_table("rtb-main", "vpc-1", rmain, {}, true);
  std::vector<Route> r2;
  if (g.chance(0.8)) r2.push_back(route(g.chance(0.7) ? "10.0.0.0/16" : "10.0.1.0/24", "pcx-1"));
  n.route_table("rtb-2", "vpc-2", r2, {"subnet-9"});
  std::vector<Route> r3;
  if (g.chance(0.8)) r3.push_back(route("10.0.0.0/16", "pcx-2"));
  n.route_table("rtb-3", "vpc-3", r3, {"subnet-7"});
  n.acl("acl-1", "vpc-1", random_acl(g), {"subnet-1", "subnet-2"});
  n.acl("acl-3", "vpc-1", random_acl(g), {"subnet-3"});
  n.acl("acl-9", "vpc-2", random_acl(g), {"subnet-9"});
  n.acl("acl-7", "vpc-3", random_acl(g), {"subnet-7"});
  n.prefix_list("pl-in", std::vector<std::string>{"10.0.2.0/24", g.block()});
  if (g.chance(0.3)) n.prefix_list("pl-unknown", std::nullopt);

  const std::vector<std::string> groups = {"sg-a", "sg-b", "sg-c", "sg-d", "sg-e"};
  const std::vector<std::string> vpc_of = {"vpc-1", "vpc-1", "vpc-1", "vpc-2", "vpc-3"};
  for (size_t i = 0; i < groups.size(); ++i) {
    std::vector<SecurityGroupRule> rules;
    auto peer = [&]() -> std::string {
      switch (g.range(0, 5)) {
        case 0:
        case 1:
          return g.pick(groups);
        case 2:
          return g.chance(0.8) ? "pl-in" : "pl-unknown";
        default:
          return g.block();
      }
    };
    if (g.chance(0.6)) rules.push_back(egress(all_traffic(), "0.0.0.0/0"));
    for (int k = g.range(0, 3); k > 0; --k) rules.push_back(egress(g.traffic(), peer()));
    for (int k = g.range(1, 5); k > 0; --k) rules.push_back(ingress(g.traffic(), peer()));
    n.group(groups[i], rules, vpc_of[i]);
  }
  const std::vector<std::string> subnets = {"subnet-1", "subnet-1", "subnet-2",
                                            "subnet-3", "subnet-9", "subnet-7"};
  auto address = [&](const std::string& subnet) {
    const std::string base = subnet == "subnet-9"   ? "10.1.9."
                             : subnet == "subnet-7" ? "10.2.7."
                                                    : "10.0." + subnet.substr(7) + ".";
    return base + std::to_string(g.range(10, 40));
  };
  const int enis = g.range(4, 10);
  std::vector<std::string> used;
  std::vector<std::pair<std::string, std::vector<Symbol>>> made;
  for (int i = 0; i < enis; ++i) {
    std::string subnet = g.pick(subnets);
    const size_t first = subnet == "subnet-9" ? 3 : subnet == "subnet-7" ? 4 : size_t(g.range(0, 2));
    std::vector<Symbol> sgs = {groups[first]};
    if (first < 3 && g.chance(0.4)) sgs.push_back(groups[size_t(g.range(0, 2))]);
    if (g.chance(0.1)) sgs.push_back("sg-missing");
    if (!made.empty() && g.chance(0.4)) {
      // Another member of an earlier ENI's class: a class of several addresses, which NACL and rule
      // blocks may cut.
      std::tie(subnet, sgs) = g.pick(made);
    }
    made.push_back({subnet, sgs});
    std::string ip = address(subnet);
    while (std::find(used.begin(), used.end(), ip) != used.end()) ip = address(subnet);
    used.push_back(ip);
    EniSpec spec{.id = "eni-" + std::to_string(i), .subnet = subnet, .groups = sgs, .private_ip = ip};
    if (subnet == "subnet-1" && g.chance(0.5)) spec.ipv6 = {"2600:1f18:0:1::" + std::to_string(10 + i)};
    if (g.chance(0.2)) spec.public_ip = "54.1.2." + std::to_string(i);
    if (g.chance(0.08)) spec.status = "available";  // detached: not evaluated
    n.interface(spec);
  }
  return n;
}

std::string describe(const reach::LateralEdge& e) {
  std::string s = e.from->members[0].eni->id.str() + " -> " + e.to->members[0].eni->id.str() + " via " +
                  e.via.str() + ": " + e.ports_text() + " | portless";
  for (int p : e.portless) s += " " + std::to_string(p);
  s += " | out";
  for (const reach::SgRuleRef& r : e.egress_rules)
    s += " " + r.group->id.str() + "#" + std::to_string(r.rule - r.group->rules.data());
  s += " | in";
  for (const reach::SgRuleRef& r : e.ingress_rules)
    s += " " + r.group->id.str() + "#" + std::to_string(r.rule - r.group->rules.data());
  s += " | unknown";
  for (const std::string& u : e.unknowns) s += " [" + u + "]";
  return s;
}

TEST(LateralProperty, IndexedQueriesAgreeWithTheDirectEvaluation) {
  size_t pairs = 0, edges = 0, peered_edges = 0, with_unknowns = 0, partial_ports = 0;
  for (uint32_t seed = 1; seed <= 400; ++seed) {
    Gen g(seed);
    Net n = random_network(g);
    const Account& account = n.done();
    const reach::Exposure ex = reach::compute_exposure(account, Config{});
    const reach::Lateral lateral(ex);
    for (const reach::ReachClass& s : ex.classes()) {
      const bool s_evaluated = ex.internet(s).state != reach::ClassState::kNotEvaluated;
      std::multiset<std::string> expected_from;
      std::multiset<std::string> expected_to;
      for (const reach::ReachClass& d : ex.classes()) {
        const reach::LateralEdge ref = lateral.between_reference(s, d);
        const reach::LateralEdge fast = lateral.between(s, d);
        ++pairs;
        ASSERT_EQ(describe(fast), describe(ref)) << "seed " << seed;
        ASSERT_TRUE(fast.tcp == ref.tcp && fast.udp == ref.udp) << "seed " << seed;
        const bool d_evaluated = ex.internet(d).state != reach::ClassState::kNotEvaluated;
        if (!ref.empty()) {
          ++edges;
          peered_edges += ref.via != "local" ? 1 : 0;
          with_unknowns += ref.unknowns.empty() ? 0 : 1;
          partial_ports += !ref.tcp.empty() && ref.tcp != reach::all_ports() ? 1 : 0;
          if (s_evaluated && d_evaluated) expected_from.insert(describe(ref));
        }
        const reach::LateralEdge back = lateral.between_reference(d, s);
        if (!back.empty() && s_evaluated && d_evaluated) expected_to.insert(describe(back));
      }
      std::multiset<std::string> got_from, got_to;
      for (const reach::LateralEdge& e : lateral.from(s)) got_from.insert(describe(e));
      for (const reach::LateralEdge& e : lateral.to(s)) got_to.insert(describe(e));
      ASSERT_EQ(got_from, expected_from) << "seed " << seed << " from " << s.members[0].eni->id;
      ASSERT_EQ(got_to, expected_to) << "seed " << seed << " to " << s.members[0].eni->id;
    }
  }
  // The generator must exercise every kind of answer, or the test proves little.
  EXPECT_GT(edges, pairs / 10);
  EXPECT_LT(edges, pairs * 9 / 10);
  EXPECT_GT(peered_edges, 50u);
  EXPECT_GT(with_unknowns, 20u);
  EXPECT_GT(partial_ports, 100u);
}

}  // namespace
}  // namespace fortress::testing
