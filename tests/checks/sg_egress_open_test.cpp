#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

using Case = GroupCase;

class EgressOpenTest : public ::testing::TestWithParam<Case> {};

TEST_P(EgressOpenTest, Evaluates) {
  const Case& c = GetParam();
  TestAccount t;
  t.prefix_list("pl-world", std::vector<std::string>{"0.0.0.0/0"});
  t.prefix_list("pl-unknown", std::nullopt);
  t.group("sg-1", c.rules);
  const auto findings = run_check("sg-egress-open", t.done());
  const Finding& f = only_finding(findings, "sg-1");
  expect_verdict(f, c);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EgressOpenTest,
    ::testing::Values(
        Case{"stock_egress",
             {egress(all_traffic(), "0.0.0.0/0", "sgr-e")},
             FindingStatus::kFail,
             "all traffic to 0.0.0.0/0 (sgr-e)"},
        Case{"ipv6", {egress(all_traffic(), "::/0")}, FindingStatus::kFail, "all traffic to ::/0"},
        Case{"https_only", {egress(tcp(443), "0.0.0.0/0")}, FindingStatus::kPass, "no egress rule"},
        Case{"all_tcp_is_not_all_protocols",
             {egress(tcp(0, 65535), "0.0.0.0/0")},
             FindingStatus::kPass,
             "no egress"},
        Case{"internal_only", {egress(all_traffic(), "10.0.0.0/8")}, FindingStatus::kPass, "no egress"},
        Case{"no_egress_rules", {}, FindingStatus::kPass, "no egress"},
        Case{"ingress_ignored", {ingress(all_traffic(), "0.0.0.0/0")}, FindingStatus::kPass, "no egress"},
        Case{"prefix_list_world",
             {egress(all_traffic(), "pl-world")},
             FindingStatus::kFail,
             "all traffic to 0.0.0.0/0 via pl-world"},
        Case{"prefix_list_unknown",
             {egress(all_traffic(), "pl-unknown")},
             FindingStatus::kNotAssessed,
             "pl-unknown"}),
    [](const auto& info) { return info.param.name; });

TEST(EgressOpen, RemediationRevokesEgress) {
  TestAccount t;
  t.group("sg-1", {egress(all_traffic(), "0.0.0.0/0", "sgr-e"), egress(tcp(443), "0.0.0.0/0", "sgr-h")});
  const auto findings = run_check("sg-egress-open", t.done());
  const Finding& f = only_finding(findings, "sg-1");
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-1 "
            "--security-group-rule-ids sgr-e");
  EXPECT_EQ(f.area, Area::kEgress);
  EXPECT_EQ(f.severity, Severity::kLow);
  EXPECT_EQ(f.evidence.get("rules")->as_array()[0].get("direction")->as_string(), "egress");
}

TEST(EgressOpen, NotAssessedWithoutGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing);
  const auto findings = run_check("sg-egress-open", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
}

}  // namespace
}  // namespace fortress::testing
