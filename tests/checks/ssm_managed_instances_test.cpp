#include "baseline_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(SsmManagedInstances, RunningInstancesMustReportIn) {
  TestAccount t;
  add_instance(t, "i-managed");
  add_instance(t, "i-lost");
  Instance& bare = add_instance(t, "i-bare");
  add_instance(t, "i-stopped", "required", "enabled", "stopped");
  add_ssm(t, "i-managed");
  add_ssm(t, "i-lost", "ConnectionLost");
  (void)bare;
  const auto f = run_check("ssm-managed-instances", t.done());
  ASSERT_EQ(f.size(), 3u) << "stopped instances are not judged";
  EXPECT_EQ(status_of(f, "i-managed"), "PASS");
  EXPECT_EQ(status_of(f, "i-lost"), "FAIL");
  EXPECT_THAT(only_finding(f, "i-lost").detail.str(), HasSubstr("ConnectionLost"));
  const Finding& b = only_finding(f, "i-bare");
  EXPECT_EQ(status_name(b.status), "FAIL");
  EXPECT_THAT(b.detail.str(), HasSubstr("no instance profile"));
  EXPECT_THAT(b.remediation_cli, HasSubstr("associate-iam-instance-profile --region us-east-1 --instance-id i-bare"));
}

TEST(SsmManagedInstances, NotAssessedWithoutInstanceInformation) {
  TestAccount t;
  add_instance(t, "i-1");
  t.coverage(Dataset::kSsmInstanceInformation, CoverageStatus::kError, "AccessDeniedException");
  const auto f = run_check("ssm-managed-instances", t.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
