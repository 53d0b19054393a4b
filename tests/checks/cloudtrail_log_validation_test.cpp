#include "baseline_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(CloudtrailLogValidation, OneFindingPerTrailInItsHomeRegion) {
  TestAccount t;
  t.covered_region("eu-west-1");
  add_trail(t, {.name = "good"});
  add_trail(t, {.name = "good"}, "eu-west-1");  // shadow copy: not a second finding
  add_trail(t, {.name = "local", .home = "eu-west-1", .multi_region = false, .validation = false}, "eu-west-1");
  const auto findings = run_check("cloudtrail-log-validation", t.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(status_of(findings, "arn:aws:cloudtrail:us-east-1:111122223333:trail/good"), "PASS");
  const Finding& f = only_finding(findings, "arn:aws:cloudtrail:eu-west-1:111122223333:trail/local");
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.region, "eu-west-1");
  EXPECT_EQ(f.remediation_cli,
            "aws cloudtrail update-trail --region eu-west-1 --name arn:aws:cloudtrail:eu-west-1:111122223333:trail/local "
            "--enable-log-file-validation");
}

TEST(CloudtrailLogValidation, OrganizationTrailOfAnotherAccountSaysWhereToFixIt) {
  TestAccount t;
  add_trail(t, {.name = "org", .validation = false, .account = "999988887777"});
  const auto findings = run_check("cloudtrail-log-validation", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].detail.str(), HasSubstr("belongs to account 999988887777"));
}

TEST(CloudtrailLogValidation, RegionWithoutTrailListIsNotAssessed) {
  TestAccount t;
  t.covered_region("eu-west-1");
  t.coverage(Dataset::kTrails, CoverageStatus::kError, "AccessDenied", "eu-west-1");
  add_trail(t, {});
  const auto findings = run_check("cloudtrail-log-validation", t.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(count_status(findings, FindingStatus::kNotAssessed), 1u);
  EXPECT_EQ(count_status(findings, FindingStatus::kPass), 1u);
}

}  // namespace
}  // namespace fortress::testing
