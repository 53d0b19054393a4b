#include "baseline_builder.h"

namespace fortress::testing {
namespace {

TEST(CloudtrailKms, PassesWithAKeyFailsWithout) {
  TestAccount t;
  add_trail(t, {.name = "enc"});
  add_trail(t, {.name = "plain", .kms = ""});
  const auto findings = run_check("cloudtrail-kms", t.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(status_of(findings, "arn:aws:cloudtrail:us-east-1:111122223333:trail/enc"), "PASS");
  const Finding& f = only_finding(findings, "arn:aws:cloudtrail:us-east-1:111122223333:trail/plain");
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.cis_aws_3_0, "3.5");
  EXPECT_EQ(f.remediation_cli,
            "aws cloudtrail update-trail --region us-east-1 --name arn:aws:cloudtrail:us-east-1:111122223333:trail/plain "
            "--kms-key-id <kms-key-arn>");
}

TEST(CloudtrailKms, NotAssessedWhereTrailsWereNotListed) {
  TestAccount t;
  t.coverage(Dataset::kTrails, CoverageStatus::kMissing);
  const auto findings = run_check("cloudtrail-kms", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(status_name(findings[0].status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
