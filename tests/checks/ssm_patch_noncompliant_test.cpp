#include "baseline_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(SsmPatchNoncompliant, NamesMissingPatchesBySeverity) {
  TestAccount t;
  add_ssm(t, "i-old");
  add_ssm(t, "i-ok");
  add_ssm(t, "i-never");
  add_ssm(t, "i-offline", "ConnectionLost");
  ComplianceSummary& bad = add_compliance(t, "i-old", "Patch", "NON_COMPLIANT");
  bad.non_compliant.critical = 2;
  bad.non_compliant.high = 3;
  bad.non_compliant_count = 5;
  add_compliance(t, "i-ok", "Patch", "COMPLIANT");
  add_compliance(t, "i-never", "Association", "NON_COMPLIANT");  // not a patch result
  const auto f = run_check("ssm-patch-noncompliant", t.done());
  ASSERT_EQ(f.size(), 3u);
  const Finding& old = only_finding(f, "i-old");
  EXPECT_EQ(status_name(old.status), "FAIL");
  EXPECT_THAT(old.detail.str(), HasSubstr("missing patches: 2 critical and 3 high"));
  EXPECT_EQ(old.remediation_cli,
            "aws ssm send-command --region us-east-1 --document-name AWS-RunPatchBaseline --instance-ids i-old "
            "--parameters Operation=Install,RebootOption=RebootIfNeeded");
  EXPECT_EQ(status_of(f, "i-ok"), "PASS");
  const Finding& never = only_finding(f, "i-never");
  EXPECT_EQ(status_name(never.status), "FAIL");
  EXPECT_THAT(never.detail.str(), HasSubstr("no patch scan"));
}

TEST(SsmPatchNoncompliant, NotAssessedWithoutSummaries) {
  TestAccount t;
  t.coverage(Dataset::kSsmComplianceSummaries, CoverageStatus::kMissing);
  add_ssm(t, "i-1");
  const auto f = run_check("ssm-patch-noncompliant", t.done());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(status_name(f[0].status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
