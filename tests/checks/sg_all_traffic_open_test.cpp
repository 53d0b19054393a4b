#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

using Case = GroupCase;

class AllTrafficTest : public ::testing::TestWithParam<Case> {};

TEST_P(AllTrafficTest, Evaluates) {
  const Case& c = GetParam();
  TestAccount t;
  t.prefix_list("pl-world", std::vector<std::string>{"::/0"}, "IPv6");
  t.prefix_list("pl-unknown", std::nullopt);
  t.group("sg-1", c.rules);
  const auto findings = run_check("sg-all-traffic-open", t.done());
  const Finding& f = only_finding(findings, "sg-1");
  expect_verdict(f, c);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AllTrafficTest,
    ::testing::Values(
        Case{"all_protocols_v4",
             {ingress(all_traffic(), "0.0.0.0/0", "sgr-a")},
             FindingStatus::kFail,
             "all traffic from 0.0.0.0/0 (sgr-a)"},
        Case{"all_tcp_ports_v6", {ingress(tcp(0, 65535), "::/0")}, FindingStatus::kFail, "tcp/all from ::/0"},
        Case{"all_udp_ports",
             {ingress(udp(0, 65535), "0.0.0.0/0", "sgr-u")},
             FindingStatus::kFail,
             "udp/all from 0.0.0.0/0 (sgr-u)"},
        Case{"both",
             {ingress(tcp(22), "0.0.0.0/0", "sgr-1"), ingress(all_traffic(), "0.0.0.0/0", "sgr-2"),
              ingress(tcp(0, 65535), "::/0", "sgr-3")},
             FindingStatus::kFail,
             "all traffic from 0.0.0.0/0 (sgr-2); tcp/all from ::/0 (sgr-3)"},
        Case{
            "one_port_short", {ingress(tcp(1, 65535), "0.0.0.0/0")}, FindingStatus::kPass, "no ingress rule"},
        Case{"private_source",
             {ingress(all_traffic(), "10.0.0.0/8")},
             FindingStatus::kPass,
             "no ingress rule"},
        Case{"public_but_not_world",
             {ingress(all_traffic(), "8.8.8.0/24")},
             FindingStatus::kPass,
             "no ingress"},
        Case{"egress_is_not_ingress",
             {egress(all_traffic(), "0.0.0.0/0")},
             FindingStatus::kPass,
             "no ingress"},
        Case{"icmp_all", {ingress(icmp_all(), "0.0.0.0/0")}, FindingStatus::kPass, "no ingress"},
        Case{"prefix_list_world",
             {ingress(all_traffic(), "pl-world", "sgr-p")},
             FindingStatus::kFail,
             "all traffic from ::/0 via pl-world (sgr-p)"},
        Case{"prefix_list_unknown",
             {ingress(all_traffic(), "pl-unknown")},
             FindingStatus::kNotAssessed,
             "entries of prefix list pl-unknown were not collected"}),
    [](const auto& info) { return info.param.name; });

TEST(AllTrafficOpen, RemediationRevokesExactlyTheOffendingRules) {
  TestAccount t;
  t.group("sg-1", {ingress(tcp(22), "0.0.0.0/0", "sgr-1"), ingress(all_traffic(), "0.0.0.0/0", "sgr-2")});
  const auto findings = run_check("sg-all-traffic-open", t.done());
  const Finding& f = only_finding(findings, "sg-1");
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 "
            "--security-group-rule-ids sgr-2");
  EXPECT_EQ(evidence_rule_ids(f), std::vector<std::string>{"sgr-2"});
  EXPECT_EQ(f.severity, Severity::kCritical);
}

TEST(AllTrafficOpen, NotAssessedWithoutGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kError, "AccessDenied");
  const auto findings = run_check("sg-all-traffic-open", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
  EXPECT_EQ(findings[0].resource_id, "ec2/describe-security-groups");
  EXPECT_THAT(findings[0].detail, HasSubstr("failed in us-east-1: AccessDenied"));
}

}  // namespace
}  // namespace fortress::testing
