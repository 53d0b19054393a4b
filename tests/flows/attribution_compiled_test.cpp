// The attribution's compiled matching (per-interface candidates per side, protocol and port; CIDR peers
// as integer masks) against the reference that matches every key against every rule: random rules
// (CIDR v4/v6 of every prefix length, security-group references in the same and a peered VPC and to
// groups not in the snapshot, prefix lists with and without entries, tcp/udp ranges, ICMP types, all
// traffic, other protocols) and random keys, compared through the whole JSON report.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "flow_builder.h"
#include "report/flows_report.h"

namespace fortress::testing {
namespace {

struct RandomCase {
  TestAccount t;
  std::vector<std::string> eni_ids, eni_v4, eni_v6;
  std::vector<std::string> v4_pool, v6_pool;
};

std::string pick(std::mt19937& rng, const std::vector<std::string>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}
int uniform(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

void build(RandomCase& c, std::mt19937& rng) {
  const std::vector<uint16_t> ports = {22, 53, 80, 123, 443, 3389, 5432, 8080, 40000, 50000, 65535};
  auto port = [&] { return ports[size_t(uniform(rng, 0, int(ports.size()) - 1))]; };
  const int n_groups = 10;
  for (int i = 0; i < 24; ++i) c.v4_pool.push_back(fmt::format("10.0.{}.{}", uniform(rng, 0, 3), uniform(rng, 0, 255)));
  for (int i = 0; i < 12; ++i) c.v4_pool.push_back(fmt::format("198.51.{}.{}", uniform(rng, 100, 101), uniform(rng, 0, 255)));
  c.v4_pool.push_back("0.0.0.0");
  c.v4_pool.push_back("255.255.255.255");
  for (int i = 0; i < 12; ++i) c.v6_pool.push_back(fmt::format("2001:db8:{:x}::{:x}", uniform(rng, 0, 2), uniform(rng, 0, 0xffff)));
  c.v6_pool.push_back("::1");
  auto random_cidr = [&](bool v6) {
    if (v6) {
      const int len = std::vector<int>{0, 16, 32, 48, 64, 127, 128}[size_t(uniform(rng, 0, 6))];
      Cidr b = cidr(pick(rng, c.v6_pool) + "/128");
      b.prefix_length = uint8_t(len);
      if (len < 128) b.network.value &= ~((uint128(1) << (128 - len)) - 1);
      if (len == 0) b.network.value = 0;
      return b.to_string();
    }
    const int len = std::vector<int>{0, 1, 8, 16, 22, 24, 28, 31, 32}[size_t(uniform(rng, 0, 8))];
    Cidr b = cidr(pick(rng, c.v4_pool) + "/32");
    b.prefix_length = uint8_t(len);
    b.network.value &= ~((uint128(1) << (32 - len)) - 1);
    return b.to_string();
  };
  c.t.prefix_list("pl-known", std::vector<std::string>{random_cidr(false), random_cidr(false)});
  c.t.prefix_list("pl-known6", std::vector<std::string>{random_cidr(true)}, "IPv6");
  c.t.prefix_list("pl-unknown", std::nullopt);
  int rule_no = 0;
  for (int g = 0; g < n_groups; ++g) {
    std::vector<SecurityGroupRule> rules;
    const int n = uniform(rng, 0, 9);
    for (int r = 0; r < n; ++r) {
      TrafficSpec traffic;
      switch (uniform(rng, 0, 9)) {
        case 0: traffic = all_traffic(); break;
        case 1: traffic = icmp_all(); break;
        case 2: traffic = {proto::kIcmp, PortRange::all(), 8, -1}; break;
        case 3: traffic = {proto::kIcmpv6, PortRange::all(), uniform(rng, -1, 0) < 0 ? -1 : 128, -1}; break;
        case 4: traffic = {50, PortRange::all()}; break;
        case 5: {
          uint16_t a = port(), b = port();
          if (a > b) std::swap(a, b);
          traffic = udp(a, b);
          break;
        }
        case 6: traffic = udp(port()); break;
        case 7: {
          uint16_t a = port(), b = port();
          if (a > b) std::swap(a, b);
          traffic = tcp(a, b);
          break;
        }
        default: traffic = tcp(port()); break;
      }
      std::string peer;
      switch (uniform(rng, 0, 7)) {
        case 0: peer = fmt::format("sg-{}", uniform(rng, 0, n_groups)); break;  // sg-10 is not in the snapshot
        case 1: peer = std::vector<std::string>{"pl-known", "pl-known6", "pl-unknown", "pl-missing"}[size_t(uniform(rng, 0, 3))]; break;
        case 2: case 3: peer = random_cidr(true); break;
        default: peer = random_cidr(false); break;
      }
      // Every few rules without an ID and with the same description: ties in the "shared with" order.
      const std::string id = uniform(rng, 0, 4) == 0 ? "" : fmt::format("sgr-{:04}", rule_no);
      ++rule_no;
      rules.push_back(uniform(rng, 0, 1) ? ingress(traffic, peer, id, "same") : egress(traffic, peer, id));
    }
    c.t.group(fmt::format("sg-{}", g), std::move(rules), g % 3 == 2 ? "vpc-2" : "vpc-1");
  }
  for (int e = 0; e < 12; ++e) {
    std::vector<Symbol> groups;
    const int n = uniform(rng, 0, 3);
    for (int i = 0; i < n; ++i) groups.push_back(fmt::format("sg-{}", uniform(rng, 0, n_groups - 1)));
    const std::string id = fmt::format("eni-{:08x}", 0x1000 + e);
    const std::string v4 = fmt::format("10.0.{}.{}", e % 4, 10 + e);
    const std::string v6 = fmt::format("2001:db8:{:x}::{:x}", e % 3, 0x100 + e);
    const bool other_vpc = e % 4 == 3;
    add_eni(c.t, id, groups, v4, v6, other_vpc ? "vpc-2" : "vpc-1", other_vpc ? "subnet-2" : "subnet-1");
    c.eni_ids.push_back(id);
    c.eni_v4.push_back(v4);
    c.eni_v6.push_back(v6);
    c.v4_pool.push_back(v4);
    c.v6_pool.push_back(v6);
  }
  VpcPeeringConnection p;
  p.id = "pcx-1";
  p.status = "active";
  p.requester.vpc_id = "vpc-1";
  p.accepter.vpc_id = "vpc-2";
  c.t.region().peering_connections.push_back(p);
  c.t.flow_log("fl-1", "vpc-1");
  c.t.flow_log("fl-2", "vpc-2");
}

// Random records, with tcp-flags and flow-direction when `v5` (else the v2 default columns).
std::string records(const RandomCase& c, std::mt19937& rng, bool v5, int n) {
  std::string out;
  if (v5)
    out = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
          "log-status tcp-flags flow-direction\n";
  const std::vector<int> protocols = {6, 6, 6, 17, 17, 1, 58, 50};
  const std::vector<int> ports = {22, 53, 80, 123, 443, 1000, 3389, 5432, 8080, 40000, 40001, 50000, 61000, 65535};
  for (int i = 0; i < n; ++i) {
    const size_t e = size_t(uniform(rng, 0, int(c.eni_ids.size())));  // == size: an interface not in the snapshot
    const std::string eni = e < c.eni_ids.size() ? c.eni_ids[e] : "eni-0000ffff";
    const bool v6 = uniform(rng, 0, 3) == 0;
    const std::string local = e < c.eni_ids.size() ? (v6 ? c.eni_v6[e] : c.eni_v4[e]) : (v6 ? "2001:db8::ffff" : "10.9.9.9");
    const std::string remote = pick(rng, v6 ? c.v6_pool : c.v4_pool);
    const bool inbound = uniform(rng, 0, 1) == 1;
    const int protocol = protocols[size_t(uniform(rng, 0, int(protocols.size()) - 1))];
    const bool with_ports = protocol == 6 || protocol == 17;
    const int sp = with_ports ? ports[size_t(uniform(rng, 0, int(ports.size()) - 1))] : 0;
    const int dp = with_ports ? ports[size_t(uniform(rng, 0, int(ports.size()) - 1))] : 0;
    const std::string action = uniform(rng, 0, 5) == 0 ? "REJECT" : "ACCEPT";
    const std::string src = inbound ? remote : local, dst = inbound ? local : remote;
    const uint32_t start = kT0 + uint32_t(uniform(rng, 0, 3600));
    out += fmt::format("2 111122223333 {} {} {} {} {} {} {} {} {} {} {} OK", eni, src, dst, sp, dp, protocol,
                       uniform(rng, 1, 20), uniform(rng, 40, 9000), start, start + 60, action);
    if (v5) {
      const int flags = std::vector<int>{0, 2, 18, 3, 19, 1}[size_t(uniform(rng, 0, 5))];
      const std::string dir = uniform(rng, 0, 4) == 0 ? "-" : inbound ? "ingress" : "egress";
      out += fmt::format(" {} {}", flags, dir);
    }
    out += '\n';
  }
  return out;
}

std::string report_json(const Account& account, const flows::Aggregate& agg, const flows::RuleUsage& u) {
  FlowsReport r;
  r.tool_version = "test";
  r.generated_at = "2026-01-01T00:00:00Z";
  r.account = &account;
  r.aggregate = &agg;
  r.usage = &u;
  std::ostringstream out;
  write_flows_json(r, out);
  return out.str();
}

TEST(AttributionCompiled, SameReportAsRuleByRuleMatching) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    RandomCase c;
    build(c, rng);
    const Account& account = c.t.done();
    for (const bool v5 : {false, true}) {
      flows::Aggregate agg;
      flows::aggregate_text(records(c, rng, v5, 1500),
                            "111122223333_vpcflowlogs_us-east-1_fl-1_20251201T0000Z_0123abcd.log",
                            flows::LogFormat::default_v2(), agg);
      flows::AttributionOptions reference;
      reference.reference_matching = true;
      const flows::RuleUsage expected = flows::attribute(agg, account, reference);
      const flows::RuleUsage got = flows::attribute(agg, account);
      ASSERT_GT(expected.stats.matched, 0u) << "seed " << seed;
      ASSERT_EQ(report_json(account, agg, got), report_json(account, agg, expected)) << "seed " << seed << (v5 ? " v5" : " v2");
    }
  }
}

}  // namespace
}  // namespace fortress::testing
