#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(DefaultNotRestricted, DefaultGroupWithoutRulesPasses) {
  TestAccount t;
  t.group("sg-d", {}, "vpc-1", "default");
  const auto findings = run_check("sg-default-not-restricted", t.done());
  const Finding& f = only_finding(findings, "sg-d");
  EXPECT_EQ(f.status, FindingStatus::kPass);
  EXPECT_EQ(f.detail, "default group of vpc-1 has no rules");
}

TEST(DefaultNotRestricted, StockDefaultGroupFails) {
  TestAccount t;
  t.group("sg-d", {ingress(all_traffic(), "sg-d", "sgr-in"), egress(all_traffic(), "0.0.0.0/0", "sgr-out")},
          "vpc-1", "default");
  t.eni("eni-1", {"sg-d"});
  const auto findings = run_check("sg-default-not-restricted", t.done());
  const Finding& f = only_finding(findings, "sg-d");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.detail,
            "default group of vpc-1 has 1 inbound and 1 outbound rule(s): all traffic from sg-d (sgr-in); "
            "all traffic to 0.0.0.0/0 (sgr-out)");
  EXPECT_EQ(
      f.remediation_cli,
      "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-d --security-group-rule-ids "
      "sgr-in && aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-d "
      "--security-group-rule-ids sgr-out");
  EXPECT_EQ(f.cis_aws_3_0, "5.4");
  EXPECT_EQ(cis_controls(f.cis_aws_3_0), std::vector<std::string_view>{"5.4"});
  EXPECT_EQ(f.evidence.get("attached_enis")->as_int(), 1);
  EXPECT_EQ(f.evidence.get("inbound_rules")->as_int(), 1);
  EXPECT_EQ(f.evidence.get("outbound_rules")->as_int(), 1);
}

TEST(DefaultNotRestricted, OnlyEgressStillFails) {
  TestAccount t;
  t.group("sg-d", {egress(all_traffic(), "::/0")}, "vpc-1", "default");
  const auto findings = run_check("sg-default-not-restricted", t.done());
  const Finding& f = only_finding(findings, "sg-d");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_THAT(f.detail, HasSubstr("0 inbound and 1 outbound"));
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-d --ip-permissions "
            "'[{\"IpProtocol\":\"-1\",\"Ipv6Ranges\":[{\"CidrIpv6\":\"::/0\"}]}]'");
}

TEST(DefaultNotRestricted, OtherGroupsAreNotEvaluated) {
  TestAccount t;
  t.group("sg-1", {ingress(all_traffic(), "0.0.0.0/0")}, "vpc-1", "web");
  t.group("sg-d1", {}, "vpc-1", "default");
  t.group("sg-d2", {ingress(tcp(22), "10.0.0.0/8")}, "vpc-2", "default");
  const auto findings = run_check("sg-default-not-restricted", t.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(only_finding(findings, "sg-d1").status, FindingStatus::kPass);
  EXPECT_EQ(only_finding(findings, "sg-d2").status, FindingStatus::kFail);
}

TEST(DefaultNotRestricted, NotAssessedWithoutGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing);
  const auto findings = run_check("sg-default-not-restricted", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
  EXPECT_EQ(findings[0].resource_id, "ec2/describe-security-groups");
}

}  // namespace
}  // namespace fortress::testing
