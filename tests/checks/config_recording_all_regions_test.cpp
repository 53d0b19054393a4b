#include "baseline_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(ConfigRecordingAllRegions, EveryEnabledRegionIsJudged) {
  TestAccount t;
  t.covered_region("eu-west-1");
  t.region("ap-south-1");  // enabled but absent from the snapshot: nothing collected there
  enable_regions(t, {"us-east-1", "eu-west-1", "ap-south-1"});
  add_recorder(t, "default");
  const auto findings = run_check("config-recording-all-regions", t.done());
  ASSERT_EQ(findings.size(), 3u);
  for (const Finding& f : findings) {
    if (f.region == "us-east-1") EXPECT_EQ(status_name(f.status), "PASS");
    if (f.region == "eu-west-1") {
      EXPECT_EQ(status_name(f.status), "FAIL");
      EXPECT_THAT(f.detail.str(), HasSubstr("no configuration recorder"));
      EXPECT_THAT(f.remediation_cli, HasSubstr("put-configuration-recorder --region eu-west-1"));
      EXPECT_THAT(f.remediation_cli, HasSubstr("start-configuration-recorder --region eu-west-1"));
    }
    if (f.region == "ap-south-1") EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  }
}

TEST(ConfigRecordingAllRegions, StoppedOrPartialRecordersFail) {
  TestAccount t;
  enable_regions(t, {"us-east-1"});
  add_recorder(t, "default", true, false);
  auto f = run_check("config-recording-all-regions", t.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "FAIL");
  EXPECT_THAT(f[0].detail.str(), HasSubstr("stopped"));
  EXPECT_EQ(f[0].remediation_cli,
            "aws configservice start-configuration-recorder --region us-east-1 --configuration-recorder-name default");

  TestAccount u;
  enable_regions(u, {"us-east-1"});
  add_recorder(u, "default", false);
  f = run_check("config-recording-all-regions", u.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "FAIL");
  EXPECT_THAT(f[0].detail.str(), HasSubstr("records only 1 listed resource type"));
}

TEST(ConfigRecordingAllRegions, UnknownStatusOrListIsNotAssessed) {
  TestAccount t;
  enable_regions(t, {"us-east-1"});
  add_recorder(t, "default", true, std::nullopt);
  t.coverage(Dataset::kConfigurationRecorderStatus, CoverageStatus::kError, "AccessDenied");
  auto f = run_check("config-recording-all-regions", t.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
  EXPECT_THAT(f[0].detail.str(), HasSubstr("AccessDenied"));

  TestAccount u;
  enable_regions(u, {"us-east-1"});
  u.coverage(Dataset::kConfigurationRecorders, CoverageStatus::kError, "AccessDenied");
  f = run_check("config-recording-all-regions", u.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
}

TEST(ConfigRecordingAllRegions, UnknownEnabledRegionsAreSaid) {
  TestAccount t;  // describe-regions not collected
  add_recorder(t, "default");
  const auto f = run_check("config-recording-all-regions", t.done());
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(count_status(f, FindingStatus::kPass), 1u);
  EXPECT_EQ(count_status(f, FindingStatus::kNotAssessed), 1u);
}

}  // namespace
}  // namespace fortress::testing
