#include "baseline_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(AccessAnalyzerEnabled, ActiveExternalAccessAnalyzerPerRegion) {
  TestAccount t;
  t.covered_region("eu-west-1");
  t.covered_region("ap-south-1");
  enable_regions(t, {"us-east-1", "eu-west-1", "ap-south-1"});
  add_analyzer(t, "acct");
  add_analyzer(t, "unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE", "eu-west-1");
  const auto f = run_check("access-analyzer-enabled", t.done());
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(status_of(f, "arn:aws:access-analyzer:us-east-1:111122223333:analyzer/acct"), "PASS");
  const Finding& eu = only_finding(f, "eu-west-1");
  EXPECT_EQ(status_name(eu.status), "FAIL");
  EXPECT_THAT(eu.detail.str(), HasSubstr("unused (ACCOUNT_UNUSED_ACCESS ACTIVE)"));
  EXPECT_EQ(eu.cis_aws_3_0, "1.20");
  EXPECT_EQ(status_of(f, "ap-south-1"), "FAIL");
  EXPECT_EQ(only_finding(f, "ap-south-1").remediation_cli,
            "aws accessanalyzer create-analyzer --region ap-south-1 --analyzer-name account-external-access --type ACCOUNT");
}

TEST(AccessAnalyzerEnabled, NotAssessedWithoutTheList) {
  TestAccount t;
  enable_regions(t, {"us-east-1"});
  t.coverage(Dataset::kAccessAnalyzers, CoverageStatus::kError, "AccessDeniedException");
  const auto f = run_check("access-analyzer-enabled", t.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
