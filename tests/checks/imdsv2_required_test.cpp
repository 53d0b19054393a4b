#include "baseline_builder.h"

namespace fortress::testing {
namespace {

TEST(Imdsv2Required, FailsWhenTokensAreOptionalAndShowsTheExposure) {
  TestAccount t;
  Instance& web = add_instance(t, "i-web", "optional");
  web.public_ip = parse_ip("203.0.113.10").value();
  web.iam_instance_profile_arn = "arn:aws:iam::111122223333:instance-profile/web";
  const auto findings = run_check("imdsv2-required", t.done());
  const Finding& f = only_finding(findings, "i-web");
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail.str(), ::testing::HasSubstr("HttpTokens optional"));
  EXPECT_THAT(f.detail.str(), ::testing::HasSubstr("public IP (203.0.113.10)"));
  EXPECT_THAT(f.detail.str(), ::testing::HasSubstr("instance-profile/web"));
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 modify-instance-metadata-options --region us-east-1 --instance-id i-web --http-tokens required "
            "--http-endpoint enabled");
  EXPECT_EQ(f.cis_aws_3_0, "5.6");
}

TEST(Imdsv2Required, PassesWhenRequiredOrDisabledStoppedInstancesIncluded) {
  TestAccount t;
  add_instance(t, "i-v2", "required");
  add_instance(t, "i-off", "optional", "disabled");
  add_instance(t, "i-stopped", "optional", "enabled", "stopped");
  add_instance(t, "i-gone", "optional", "enabled", "terminated");
  const auto findings = run_check("imdsv2-required", t.done());
  EXPECT_EQ(status_name(only_finding(findings, "i-v2").status), "PASS");
  EXPECT_EQ(status_name(only_finding(findings, "i-off").status), "PASS");
  EXPECT_THAT(only_finding(findings, "i-off").detail.str(), ::testing::HasSubstr("turned off"));
  EXPECT_EQ(status_name(only_finding(findings, "i-stopped").status), "FAIL");
  EXPECT_EQ(findings.size(), 3u) << "terminated instances are not judged";
}

TEST(Imdsv2Required, NotAssessedWithoutMetadataOptionsOrInstances) {
  TestAccount t;
  add_instance(t, "i-old", "", "");
  t.coverage(Dataset::kInstances, CoverageStatus::kOk);
  const auto findings = run_check("imdsv2-required", t.done());
  EXPECT_EQ(status_name(only_finding(findings, "i-old").status), "NOT_ASSESSED");

  TestAccount u;
  u.coverage(Dataset::kInstances, CoverageStatus::kError, "AccessDenied");
  const auto none = run_check("imdsv2-required", u.done());
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(status_name(none[0].status), "NOT_ASSESSED");
  EXPECT_THAT(none[0].detail.str(), ::testing::HasSubstr("AccessDenied"));
}

}  // namespace
}  // namespace fortress::testing
