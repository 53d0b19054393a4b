#include "baseline_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(GuardDutyEnabled, PassFailPerRegion) {
  TestAccount t;
  t.covered_region("eu-west-1");
  t.covered_region("ap-south-1");
  enable_regions(t, {"us-east-1", "eu-west-1", "ap-south-1"});
  add_detector(t, "d-on");
  add_detector(t, "d-off", "DISABLED", "", "eu-west-1");
  const auto f = run_check("guardduty-enabled", t.done());
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(status_of(f, "d-on"), "PASS");
  const Finding& off = only_finding(f, "d-off");
  EXPECT_EQ(status_name(off.status), "FAIL");
  EXPECT_EQ(off.remediation_cli, "aws guardduty update-detector --region eu-west-1 --detector-id d-off --enable");
  const Finding& none = only_finding(f, "ap-south-1");
  EXPECT_EQ(status_name(none.status), "FAIL");
  EXPECT_THAT(none.remediation_cli, HasSubstr("aws guardduty create-detector --region ap-south-1 --enable"));
}

TEST(GuardDutyEnabled, AFailedListIsNotAssessedNeverFailOrPass) {
  TestAccount t;
  enable_regions(t, {"us-east-1"});
  t.coverage(Dataset::kGuardDutyDetectors, CoverageStatus::kError, "AccessDeniedException");
  const auto f = run_check("guardduty-enabled", t.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
  EXPECT_THAT(f[0].detail.str(), HasSubstr("AccessDeniedException"));
}

TEST(GuardDutyEnabled, DetectorWithoutDetailsIsNotAssessed) {
  TestAccount t;
  enable_regions(t, {"us-east-1"});
  add_detector(t, "d-1", std::nullopt);
  const auto f = run_check("guardduty-enabled", t.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
