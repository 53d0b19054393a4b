#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

using Case = GroupCase;

class WidePortRangeTest : public ::testing::TestWithParam<Case> {};

TEST_P(WidePortRangeTest, Evaluates) {
  const Case& c = GetParam();
  TestAccount t;
  t.group("sg-1", c.rules);
  const auto findings = run_check("sg-wide-port-range", t.done());  // default threshold: 1000
  const Finding& f = only_finding(findings, "sg-1");
  expect_verdict(f, c);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, WidePortRangeTest,
    ::testing::Values(
        Case{"all_ports_from_other_group",
             {ingress(tcp(0, 65535), "sg-app", "sgr-a")},
             FindingStatus::kFail,
             "tcp/all from sg-app (sgr-a)"},
        Case{"exactly_threshold",
             {ingress(tcp(1000, 1999), "10.0.0.0/8")},
             FindingStatus::kPass,
             "more than 1000 ports"},
        Case{"one_over_threshold",
             {ingress(tcp(1000, 2000), "10.0.0.0/8")},
             FindingStatus::kFail,
             "tcp/1000-2000 from 10.0.0.0/8"},
        Case{"udp_wide",
             {ingress(udp(1024, 65535), "0.0.0.0/0")},
             FindingStatus::kFail,
             "udp/1024-65535 from 0.0.0.0/0"},
        Case{"all_protocols_from_cidr",
             {ingress(all_traffic(), "10.1.0.0/16", "sgr-x")},
             FindingStatus::kFail,
             "all traffic from 10.1.0.0/16 (sgr-x)"},
        Case{"self_reference_is_fine",
             {ingress(all_traffic(), "sg-1"), ingress(tcp(0, 65535), "sg-1")},
             FindingStatus::kPass,
             "no ingress rule"},
        Case{"icmp_has_no_ports", {ingress(icmp_all(), "0.0.0.0/0")}, FindingStatus::kPass, "no ingress"},
        Case{"egress_ignored", {egress(all_traffic(), "0.0.0.0/0")}, FindingStatus::kPass, "no ingress"},
        Case{"prefix_list_peer_needs_no_entries",
             {ingress(tcp(0, 65535), "pl-missing")},
             FindingStatus::kFail,
             "tcp/all from pl-missing"}),
    [](const auto& info) { return info.param.name; });

TEST(WidePortRange, ThresholdComesFromConfig) {
  TestAccount t;
  t.group("sg-1", {ingress(tcp(8000, 8100), "sg-lb", "sgr-1")});
  Config config;
  config.wide_port_range_threshold = 100;
  const auto findings = run_check("sg-wide-port-range", t.done(), config);
  const Finding& f = only_finding(findings, "sg-1");
  EXPECT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.evidence.get("threshold")->as_int(), 100);
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 "
            "--security-group-rule-ids sgr-1");
  EXPECT_EQ(f.area, Area::kSgToServices);
}

TEST(WidePortRange, NotAssessedWithoutGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing);
  const auto findings = run_check("sg-wide-port-range", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
}

}  // namespace
}  // namespace fortress::testing
