#include "baseline_builder.h"

namespace fortress::testing {
namespace {

TEST(InspectorEnabled, Ec2ScanningPerRegion) {
  TestAccount t;
  t.covered_region("eu-west-1");
  enable_regions(t, {"us-east-1", "eu-west-1"});
  add_inspector(t, "ENABLED", "ENABLED");
  add_inspector(t, "DISABLED", "DISABLED", "eu-west-1");
  const auto f = run_check("inspector-enabled", t.done());
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(status_of(f, "us-east-1"), "PASS");
  const Finding& off = only_finding(f, "eu-west-1");
  EXPECT_EQ(status_name(off.status), "FAIL");
  EXPECT_EQ(off.area, Area::kWebServers);
  EXPECT_EQ(off.remediation_cli, "aws inspector2 enable --region eu-west-1 --resource-types EC2");
}

TEST(InspectorEnabled, FailedOrMissingStatusIsNotAssessed) {
  TestAccount t;
  enable_regions(t, {"us-east-1"});
  InspectorAccountStatus& s = add_inspector(t, "", "");
  s.failed = true;
  s.error_code = "ACCESS_DENIED";
  EXPECT_EQ(status_of(run_check("inspector-enabled", t.done()), "us-east-1"), "NOT_ASSESSED");

  TestAccount u;
  enable_regions(u, {"us-east-1"});
  u.coverage(Dataset::kInspectorAccountStatus, CoverageStatus::kMissing);
  const auto f = run_check("inspector-enabled", u.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
