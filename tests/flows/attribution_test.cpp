#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flow_builder.h"

namespace fortress::testing {
namespace {

using flows::RuleUsage;

// sg-web: ingress tcp/443 from 0.0.0.0/0, tcp/443 from ::/0, tcp/22 from 10.0.0.0/8; egress all to 0.0.0.0/0.
// sg-db: ingress tcp/5432 from sg-web, tcp/5432 from 10.0.0.0/16 (overlaps for VPC peers).
TestAccount base() {
  TestAccount t;
  t.group("sg-web", {ingress(tcp(443), "0.0.0.0/0", "sgr-web443"), ingress(tcp(443), "::/0", "sgr-web443v6"),
                     ingress(tcp(22), "10.0.0.0/8", "sgr-webssh"), egress(all_traffic(), "0.0.0.0/0", "sgr-webout")});
  t.group("sg-db", {ingress(tcp(5432), "sg-web", "sgr-dbweb"), ingress(tcp(5432), "10.0.0.0/16", "sgr-dbvpc")});
  add_eni(t, "eni-web", {"sg-web"}, "10.0.1.10", "2001:db8::10");
  add_eni(t, "eni-db", {"sg-db"}, "10.0.2.20");
  t.flow_log("fl-1", "vpc-1");
  return t;
}

TEST(Attribution, CidrV4AndV6Containment) {
  TestAccount t = base();
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, v2("eni-web", "198.51.100.7", "10.0.1.10", 50000, 443) +
                                      v2("eni-web", "2001:db8:ffff::1", "2001:db8::10", 50001, 443) +
                                      v2("eni-web", "10.9.9.9", "10.0.1.10", 40000, 22));
  EXPECT_EQ(hits_of(u, a, "sg-web", 0).flows, 1u);
  EXPECT_EQ(hits_of(u, a, "sg-web", 0).exclusive_flows, 1u);
  EXPECT_EQ(hits_of(u, a, "sg-web", 1).flows, 1u) << "the IPv6 flow uses the ::/0 rule";
  EXPECT_EQ(hits_of(u, a, "sg-web", 2).flows, 1u);
  EXPECT_EQ(hits_of(u, a, "sg-web", 0).peers.at(0).peer.to_string(), "198.51.100.7");
  EXPECT_EQ(u.stats.matched, 3u);
}

TEST(Attribution, ReturnTrafficIsNotUse) {
  TestAccount t = base();
  const Account& a = t.done();
  // The answer of an inbound HTTPS connection, and the answer of an outbound one.
  const RuleUsage u = usage_of(a, v2("eni-web", "10.0.1.10", "198.51.100.7", 443, 50000) +
                                      v2("eni-web", "93.184.216.34", "10.0.1.10", 443, 50002));
  EXPECT_EQ(hits_of(u, a, "sg-web", 0).flows, 0u);
  EXPECT_EQ(hits_of(u, a, "sg-web", 3).flows, 0u);
  EXPECT_EQ(u.stats.return_flows, 2u);
}

TEST(Attribution, TcpFlagsDecideTheInitiator) {
  TestAccount t = base();
  const Account& a = t.done();
  const std::string header =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
      "log-status tcp-flags\n";
  auto line = [](std::string_view src, std::string_view dst, int sp, int dp, int flags) {
    return fmt::format("2 111122223333 eni-web {} {} {} {} 6 5 500 {} {} ACCEPT OK {}\n", src, dst, sp, dp, kT0, kT0 + 60,
                       flags);
  };
  // Both ports high: ports cannot tell; SYN (2) says the source started, SYN-ACK (18) the destination.
  const RuleUsage u = usage_of(a, header + line("10.9.9.9", "10.0.1.10", 40022, 40023, 2) +
                                      line("10.0.1.10", "10.9.9.9", 40023, 40022, 18));
  EXPECT_EQ(u.stats.initiations, 1u);
  EXPECT_EQ(u.stats.return_flows, 1u);
  EXPECT_EQ(u.stats.unmatched_flows, 1u) << "no ingress rule admits tcp/40023";
}

TEST(Attribution, UndeterminedInitiatorMakesRulesAmbiguous) {
  TestAccount t;
  t.group("sg-x", {ingress(tcp(40000, 40100), "10.0.0.0/8", "sgr-in"), egress(tcp(40000, 40100), "10.0.0.0/8", "sgr-out")});
  add_eni(t, "eni-x", {"sg-x"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, v2("eni-x", "10.9.9.9", "10.0.1.10", 40050, 40060));
  EXPECT_EQ(u.stats.undetermined_flows, 1u);
  EXPECT_EQ(hits_of(u, a, "sg-x", 0).flows, 0u);
  EXPECT_EQ(hits_of(u, a, "sg-x", 0).ambiguous_flows, 1u);
}

TEST(Attribution, SecurityGroupReferenceSameVpcOverlappingRulesShareHits) {
  TestAccount t = base();
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, v2("eni-db", "10.0.1.10", "10.0.2.20", 51000, 5432) +   // from eni-web: both rules
                                      v2("eni-db", "10.0.3.3", "10.0.2.20", 51001, 5432));  // unknown host: CIDR only
  const auto& by_group = hits_of(u, a, "sg-db", 0);
  const auto& by_cidr = hits_of(u, a, "sg-db", 1);
  EXPECT_EQ(by_group.flows, 1u);
  EXPECT_EQ(by_group.exclusive_flows, 0u);
  EXPECT_EQ(by_cidr.flows, 2u);
  EXPECT_EQ(by_cidr.exclusive_flows, 1u);
  ASSERT_EQ(by_group.shared_with.size(), 1u);
  EXPECT_EQ(by_group.shared_with[0]->rule_id, "sgr-dbvpc");
}

TEST(Attribution, SecurityGroupReferenceAcrossPeering) {
  TestAccount t;
  t.group("sg-db", {ingress(tcp(5432), "sg-app", "sgr-dbapp")});
  t.group("sg-app", {}, "vpc-2");
  add_eni(t, "eni-db", {"sg-db"}, "10.0.2.20");
  add_eni(t, "eni-app", {"sg-app"}, "10.1.0.5", "", "vpc-2", "subnet-2");
  add_eni(t, "eni-other", {"sg-app"}, "10.2.0.5", "", "vpc-3", "subnet-3");
  VpcPeeringConnection p;
  p.id = "pcx-1";
  p.status = "active";
  p.requester.vpc_id = "vpc-1";
  p.accepter.vpc_id = "vpc-2";
  t.region().peering_connections.push_back(p);
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, v2("eni-db", "10.1.0.5", "10.0.2.20", 51000, 5432) +
                                      v2("eni-db", "10.2.0.5", "10.0.2.20", 51000, 5432));  // vpc-3: not peered
  EXPECT_EQ(hits_of(u, a, "sg-db", 0).flows, 1u);
  EXPECT_EQ(u.stats.unmatched_flows, 1u);
}

TEST(Attribution, PrefixListEntriesAndUnknownEntries) {
  TestAccount t;
  t.group("sg-p", {ingress(tcp(22), "pl-known", "sgr-known"), ingress(tcp(3389), "pl-unknown", "sgr-unknown")});
  t.prefix_list("pl-known", std::vector<std::string>{"84.17.32.0/27"});
  t.prefix_list("pl-unknown", std::nullopt);
  add_eni(t, "eni-p", {"sg-p"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, v2("eni-p", "84.17.32.9", "10.0.1.10", 50000, 22) +
                                      v2("eni-p", "84.17.33.9", "10.0.1.10", 50000, 22) +
                                      v2("eni-p", "84.17.32.9", "10.0.1.10", 50000, 3389));
  EXPECT_EQ(hits_of(u, a, "sg-p", 0).flows, 1u);
  EXPECT_EQ(u.stats.unmatched_flows, 1u);
  EXPECT_EQ(hits_of(u, a, "sg-p", 1).flows, 0u);
  EXPECT_EQ(hits_of(u, a, "sg-p", 1).ambiguous_flows, 1u);
  EXPECT_THAT(hits_of(u, a, "sg-p", 1).unknown, ::testing::HasSubstr("were not collected"));
}

TEST(Attribution, RejectedTrafficIsReportedNotCounted) {
  TestAccount t = base();
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, v2("eni-web", "45.1.2.3", "10.0.1.10", 50000, 3389, 6, "REJECT") +
                                      v2("eni-web", "45.1.2.3", "10.0.1.10", 50001, 23, 6, "REJECT") +
                                      v2("eni-web", "45.1.2.4", "10.0.1.10", 50001, 3389, 6, "REJECT"));
  ASSERT_EQ(u.rejected.size(), 1u);
  EXPECT_EQ(u.rejected[0].flows, 3u);
  EXPECT_EQ(u.rejected[0].top_sources[0].peer.to_string(), "45.1.2.3");
  EXPECT_EQ(u.rejected[0].top_ports[0].port, 3389);
  EXPECT_EQ(u.stats.matched, 0u);
}

TEST(Attribution, CoverageNeedsAnActiveAcceptingLogWhoseRecordsWereRead) {
  TestAccount t = base();
  add_eni(t, "eni-unlogged", {"sg-web"}, "10.5.0.1", "", "vpc-9", "subnet-9");
  add_eni(t, "eni-rejectonly", {"sg-db"}, "10.6.0.1", "", "vpc-8", "subnet-8");
  t.flow_log("fl-rej", "vpc-8", "ACTIVE", "SUCCESS", "REJECT");
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, nodata("eni-web"));
  const flows::GroupCoverage* web = u.coverage(*a.region(kRegion)->security_group("sg-web"));
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->enis, 2u);
  EXPECT_EQ(web->observed, 1u);
  EXPECT_FALSE(web->complete());
  EXPECT_THAT(web->gaps.at(0), ::testing::HasSubstr("eni-unlogged: no active flow log"));
  const flows::GroupCoverage* db = u.coverage(*a.region(kRegion)->security_group("sg-db"));
  EXPECT_THAT(db->gaps.at(0), ::testing::HasSubstr("REJECT-only"));
  // Records of another log only: fl-1 was never read.
  const RuleUsage other = usage_of(a, nodata("eni-web"), "fl-elsewhere");
  EXPECT_EQ(other.coverage(*a.region(kRegion)->security_group("sg-web"))->observed, 0u);
  EXPECT_EQ(web->window_seconds(), 86400u);
}

TEST(Attribution, InternetEgressOnUnusualPorts) {
  TestAccount t = base();
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, v2("eni-web", "10.0.1.10", "93.184.216.34", 50000, 443, 6, "ACCEPT", 10, 5000) +
                                      v2("eni-web", "10.0.1.10", "45.9.9.9", 50001, 4444, 6, "ACCEPT", 10, 90000) +
                                      v2("eni-web", "10.0.1.10", "10.0.2.20", 50002, 5432));  // private: not egress
  ASSERT_EQ(u.egress_by_eni.size(), 1u);
  const flows::EgressSummary& e = u.egress_by_eni[0];
  EXPECT_EQ(e.bytes, 95000u);
  EXPECT_EQ(e.distinct_peers, 2u);
  ASSERT_EQ(e.unusual.size(), 1u);
  EXPECT_EQ(e.unusual[0].port, 4444);
  EXPECT_EQ(e.top_peers[0].peer.to_string(), "45.9.9.9");
  ASSERT_EQ(e.unusual_rules.size(), 1u);
  EXPECT_EQ(e.unusual_rules[0]->rule_id, "sgr-webout");
  ASSERT_EQ(u.egress_by_group.size(), 1u);
  EXPECT_EQ(u.egress_by_group[0].group->id, "sg-web");
}

TEST(Attribution, UnknownInterfacesAndUnresolvedDirection) {
  TestAccount t = base();
  const Account& a = t.done();
  const RuleUsage u = usage_of(a, v2("eni-gone", "1.2.3.4", "10.0.1.10", 50000, 443) +
                                      v2("eni-web", "1.2.3.4", "5.6.7.8", 50000, 443));
  EXPECT_EQ(u.stats.unknown_interface_flows, 1u);
  EXPECT_EQ(u.stats.unknown_interface_ids, std::vector<std::string>{"eni-gone"});
  EXPECT_EQ(u.stats.unresolved_direction_flows, 1u);
}

// Which unknown interfaces and unmatched initiations the report shows must not depend on the order of
// the records (with several reader threads the table holds the keys in a different order each run).
TEST(Attribution, SamplesDoNotDependOnRecordOrder) {
  TestAccount t = base();
  const Account& a = t.done();
  std::vector<std::string> lines;
  for (int i = 0; i < 7; ++i)  // no rule of sg-db admits tcp/3306: i + 1 flows from each source
    for (int n = 0; n <= i; ++n) lines.push_back(v2("eni-db", fmt::format("198.51.100.{}", i + 1), "10.0.2.20", 50000 + n, 3306));
  for (int i = 0; i < 7; ++i)  // nor sg-web tcp/8080: one flow each
    lines.push_back(v2("eni-web", fmt::format("203.0.113.{}", i + 1), "10.0.1.10", 50000, 8080));
  for (int i = 11; i >= 0; --i) lines.push_back(v2(fmt::format("eni-gone-{:02}", i), "1.2.3.4", "10.0.1.10", 50000, 443));
  std::string forward, backward;
  for (const std::string& l : lines) forward += l;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) backward += *it;
  const RuleUsage f = usage_of(a, forward);
  const RuleUsage b = usage_of(a, backward);
  EXPECT_EQ(f.stats.unmatched_flows, 35u);
  EXPECT_EQ(f.stats.unmatched_samples, b.stats.unmatched_samples);
  ASSERT_EQ(f.stats.unmatched_samples.size(), 10u);
  for (int i = 0; i < 7; ++i)  // the most flows first
    EXPECT_EQ(f.stats.unmatched_samples[size_t(i)], fmt::format("eni-db: tcp/3306 from 198.51.100.{}", 7 - i));
  EXPECT_EQ(f.stats.unmatched_samples[7], "eni-web: tcp/8080 from 203.0.113.1");
  EXPECT_EQ(f.stats.unknown_interfaces, 12u);
  EXPECT_EQ(f.stats.unknown_interface_ids, b.stats.unknown_interface_ids);
  ASSERT_EQ(f.stats.unknown_interface_ids.size(), 10u);
  EXPECT_EQ(f.stats.unknown_interface_ids.front(), "eni-gone-00");
  EXPECT_EQ(f.stats.unknown_interface_ids.back(), "eni-gone-09");
}

}  // namespace
}  // namespace fortress::testing
