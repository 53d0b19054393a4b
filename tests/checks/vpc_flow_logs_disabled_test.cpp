#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

const std::string kCreate =
    "aws ec2 create-flow-logs --region us-east-1 --resource-type VPC --resource-ids vpc-1 --traffic-type ALL "
    "--log-destination-type s3 --log-destination arn:aws:s3:::<your-flow-log-bucket>";

TEST(VpcFlowLogs, ActiveDeliveringLogPasses) {
  TestAccount t;
  t.vpc("vpc-1").flow_log("fl-1", "vpc-1");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  const Finding& f = only_finding(findings, "vpc-1");
  EXPECT_EQ(f.status, FindingStatus::kPass);
  EXPECT_EQ(f.detail, "flow log fl-1 is active (ALL traffic, s3)");
  EXPECT_EQ(f.resource_type, "AWS::EC2::VPC");
  EXPECT_TRUE(f.remediation_cli.empty());
}

TEST(VpcFlowLogs, NoLogFails) {
  TestAccount t;
  t.vpc("vpc-1");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  const Finding& f = only_finding(findings, "vpc-1");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.detail, "no flow log on the VPC (logs on its subnets or network interfaces do not count)");
  EXPECT_EQ(f.remediation_cli, kCreate);
  EXPECT_EQ(f.cis_aws_3_0, "3.7");
  EXPECT_EQ(f.severity, Severity::kMedium);
}

TEST(VpcFlowLogs, SubnetAndEniLogsDoNotCount) {
  TestAccount t;
  t.vpc("vpc-1").flow_log("fl-s", "subnet-1").flow_log("fl-e", "eni-1");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  EXPECT_EQ(only_finding(findings, "vpc-1").status, FindingStatus::kFail);
}

TEST(VpcFlowLogs, FailedDeliveryFailsWithReason) {
  TestAccount t;
  t.vpc("vpc-1").flow_log("fl-1", "vpc-1", "ACTIVE", "FAILED");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  const Finding& f = only_finding(findings, "vpc-1");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(
      f.detail,
      "flow log fl-1 is active but its delivery FAILED (to s3 arn:aws:s3:::flow-logs): no records are being "
      "written");
  EXPECT_EQ(f.remediation_cli, kCreate);
  EXPECT_EQ(f.evidence.get("flow_logs")->as_array()[0].get("deliver_logs_status")->as_string(), "FAILED");
}

TEST(VpcFlowLogs, OneWorkingLogIsEnoughBesideAFailedOne) {
  TestAccount t;
  t.vpc("vpc-1").flow_log("fl-bad", "vpc-1", "ACTIVE", "FAILED").flow_log("fl-good", "vpc-1");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  const Finding& f = only_finding(findings, "vpc-1");
  EXPECT_EQ(f.status, FindingStatus::kPass);
  EXPECT_THAT(f.detail, HasSubstr("fl-good"));
}

TEST(VpcFlowLogs, InactiveLogFails) {
  TestAccount t;
  t.vpc("vpc-1").flow_log("fl-1", "vpc-1", "INACTIVE");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  const Finding& f = only_finding(findings, "vpc-1");
  EXPECT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.detail, "no active flow log: 1 flow log(s) on the VPC, none ACTIVE");
}

TEST(VpcFlowLogs, RejectOnlyCountsButIsNoted) {
  TestAccount t;
  t.vpc("vpc-1").flow_log("fl-1", "vpc-1", "ACTIVE", "SUCCESS", "REJECT");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  const Finding& f = only_finding(findings, "vpc-1");
  EXPECT_EQ(f.status, FindingStatus::kPass);
  EXPECT_THAT(f.detail, HasSubstr("rejected traffic only"));
  ASSERT_TRUE(f.evidence.get("note").has_value());
  EXPECT_THAT(f.evidence.get("note")->as_string(), HasSubstr("REJECT-only"));
}

TEST(VpcFlowLogs, PrefersAllTrafficLogOverRejectOnly) {
  TestAccount t;
  t.vpc("vpc-1").flow_log("fl-r", "vpc-1", "ACTIVE", "SUCCESS", "REJECT").flow_log("fl-a", "vpc-1");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  const Finding& f = only_finding(findings, "vpc-1");
  EXPECT_EQ(f.detail, "flow log fl-a is active (ALL traffic, s3)");
  EXPECT_FALSE(f.evidence.get("note").has_value());
}

TEST(VpcFlowLogs, FlowLogsNotCollectedIsNotAssessedNeverFail) {
  TestAccount t;
  t.coverage(Dataset::kFlowLogs, CoverageStatus::kMissing);
  t.vpc("vpc-1").vpc("vpc-2");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
  EXPECT_EQ(findings[0].resource_id, "ec2/describe-flow-logs");
}

TEST(VpcFlowLogs, FlowLogErrorStillPassesVpcsWithAWorkingLog) {
  TestAccount t;
  t.coverage(Dataset::kFlowLogs, CoverageStatus::kError, "Throttling");
  t.vpc("vpc-1").vpc("vpc-2").flow_log("fl-1", "vpc-1");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(only_finding(findings, "vpc-1").status, FindingStatus::kPass);
  EXPECT_EQ(only_finding(findings, "ec2/describe-flow-logs").status, FindingStatus::kNotAssessed);
}

TEST(VpcFlowLogs, VpcsNotCollectedIsNotAssessed) {
  TestAccount t;
  t.coverage(Dataset::kVpcs, CoverageStatus::kMissing);
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].resource_id, "ec2/describe-vpcs");
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
}

TEST(VpcFlowLogs, VpcErrorStillJudgesLoadedVpcs) {
  TestAccount t;
  t.coverage(Dataset::kVpcs, CoverageStatus::kError, "partial page");
  t.vpc("vpc-1");
  const auto findings = run_check("vpc-flow-logs-disabled", t.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(only_finding(findings, "vpc-1").status, FindingStatus::kFail);
}

}  // namespace
}  // namespace fortress::testing
