#include "baseline_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(InstanceNotInAsg, MembersPassOthersAreInformational) {
  TestAccount t;
  add_instance(t, "i-web");
  add_instance(t, "i-pet");
  add_instance(t, "i-stopped", "required", "enabled", "stopped");
  add_asg_member(t, "i-web", "web-asg");
  const auto f = run_check("instance-not-in-asg", t.done());
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(status_of(f, "i-web"), "PASS");
  EXPECT_THAT(only_finding(f, "i-web").detail.str(), HasSubstr("web-asg"));
  const Finding& pet = only_finding(f, "i-pet");
  EXPECT_EQ(status_name(pet.status), "FAIL");
  EXPECT_EQ(pet.severity, Severity::kInfo);
  EXPECT_THAT(pet.remediation_cli, HasSubstr("--instance-id i-pet"));
}

TEST(InstanceNotInAsg, NotAssessedWithoutAutoScalingData) {
  TestAccount t;
  add_instance(t, "i-1");
  t.coverage(Dataset::kAutoScalingInstances, CoverageStatus::kError, "AccessDenied");
  const auto f = run_check("instance-not-in-asg", t.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
