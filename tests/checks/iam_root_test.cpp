#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "iam_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

const std::string kRoot = "arn:aws:iam::111122223333:root";

// ---- root-access-keys (CIS 1.4) -------------------------------------------------------------

TEST(RootAccessKeys, ActiveKeyFails) {
  IamAccount a;
  CredentialReportRow& r = a.root();
  r.access_keys[0].active = flag(true);
  r.access_keys[0].last_rotated = days_ago(400);
  r.access_keys[0].last_used_date = at(utc_at("2026-11-20T10:00:00Z"));
  const auto findings = run_check("root-access-keys", a.done());
  const Finding& f = only(findings);
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.resource_id, kRoot);
  EXPECT_EQ(f.region, "");
  EXPECT_EQ(f.detail, "the root user has an active access key 1 (last used 2026-11-20)");
  EXPECT_EQ(f.cis_aws_3_0, "1.4");
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_THAT(f.remediation_cli, HasSubstr("aws iam delete-access-key --access-key-id"));
}

TEST(RootAccessKeys, InactiveKeyStillExistsAndFails) {
  IamAccount a;
  a.root().access_keys[1].last_rotated = days_ago(30);
  const Finding& f = only(run_check("root-access-keys", a.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "the root user has an inactive access key 2");
}

TEST(RootAccessKeys, NoKeysPasses) {
  IamAccount a;
  a.root();
  const Finding& f = only(run_check("root-access-keys", a.done()));
  EXPECT_EQ(status_name(f.status), "PASS");
  EXPECT_EQ(f.detail, "the root user has no access keys (credential report)");
}

TEST(RootAccessKeys, AccountSummaryWhenNoReport) {
  IamAccount a;
  a.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing).summary("AccountAccessKeysPresent", 1);
  const Finding& f = only(run_check("root-access-keys", a.done()));
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail, HasSubstr("AccountAccessKeysPresent = 1"));
  IamAccount b;
  b.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing).summary("AccountAccessKeysPresent", 0);
  EXPECT_EQ(status_name(only(run_check("root-access-keys", b.done())).status), "PASS");
}

TEST(RootAccessKeys, NothingCollectedIsNotAssessed) {
  IamAccount a;
  a.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing)
      .coverage(Dataset::kAccountSummary, CoverageStatus::kError, "AccessDenied");
  const auto findings = run_check("root-access-keys", a.done());
  ASSERT_EQ(findings.size(), 2u);
  for (const Finding& f : findings) EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_EQ(findings[0].resource_id, "iam/get-credential-report");
  EXPECT_THAT(findings[1].detail, HasSubstr("AccessDenied"));
}

// ---- root-mfa (CIS 1.5) ---------------------------------------------------------------------

TEST(RootMfa, FailsPassesAndFallsBack) {
  IamAccount off;
  off.root();
  const Finding& f = only(run_check("root-mfa", off.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "MFA is not enabled for the root user (credential report mfa_active): its password alone opens the account");
  EXPECT_THAT(f.remediation_cli, HasSubstr("Assign MFA device"));

  IamAccount on;
  on.root().mfa_active = flag(true);
  EXPECT_EQ(status_name(only(run_check("root-mfa", on.done())).status), "PASS");

  IamAccount summary;
  summary.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing).summary("AccountMFAEnabled", 1);
  const Finding& s = only(run_check("root-mfa", summary.done()));
  EXPECT_EQ(status_name(s.status), "PASS");
  EXPECT_THAT(s.detail, HasSubstr("get-account-summary AccountMFAEnabled"));
}

TEST(RootMfa, NotCollectedIsNotAssessed) {
  IamAccount a;
  a.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing).coverage(Dataset::kAccountSummary, CoverageStatus::kMissing);
  const auto findings = run_check("root-mfa", a.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(count_status(findings, FindingStatus::kNotAssessed), 2u);
}

// ---- root-hardware-mfa (CIS 1.6) ------------------------------------------------------------

TEST(RootHardwareMfa, VirtualDeviceFails) {
  IamAccount a;
  a.root().mfa_active = flag(true);
  a.virtual_mfa("arn:aws:iam::111122223333:mfa/root-account-mfa-device", kRoot);
  const Finding& f = only(run_check("root-hardware-mfa", a.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail,
            "the root user's MFA is a virtual device (arn:aws:iam::111122223333:mfa/root-account-mfa-device), not a hardware one");
}

TEST(RootHardwareMfa, NoMfaAtAllFails) {
  IamAccount a;
  a.root();
  const Finding& f = only(run_check("root-hardware-mfa", a.done()));
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail, HasSubstr("no MFA at all"));
}

TEST(RootHardwareMfa, MfaWithoutVirtualDevicePasses) {
  IamAccount a;
  a.root().mfa_active = flag(true);
  a.virtual_mfa("arn:aws:iam::111122223333:mfa/alice", user_arn("alice"));  // someone else's
  EXPECT_EQ(status_name(only(run_check("root-hardware-mfa", a.done())).status), "PASS");
}

TEST(RootHardwareMfa, DevicesNotCollectedIsNotAssessed) {
  IamAccount a;
  a.root().mfa_active = flag(true);
  a.coverage(Dataset::kVirtualMfaDevices, CoverageStatus::kError, "AccessDenied");
  const Finding& f = only(run_check("root-hardware-mfa", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_EQ(f.resource_id, "iam/list-virtual-mfa-devices");
}

// ---- root-used-recently (CIS 1.7) -----------------------------------------------------------

TEST(RootUsedRecently, PasswordUseWithin90DaysFails) {
  IamAccount a;
  a.root().password_last_used = days_ago(12);
  const Finding& f = only(run_check("root-used-recently", a.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "the root user signed in with its password on 2026-11-19 (12 days before the report)");
  EXPECT_EQ(f.evidence.get("report_generated")->as_string(), "2026-12-01T08:00:00Z");
}

TEST(RootUsedRecently, KeyUseCountsToo) {
  IamAccount a;
  CredentialReportRow& r = a.root();
  r.password_last_used = days_ago(200);
  r.access_keys[1].active = flag(true);
  r.access_keys[1].last_used_date = days_ago(89);
  const Finding& f = only(run_check("root-used-recently", a.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "the root user used access key 2 on 2026-09-03 (89 days before the report)");
}

TEST(RootUsedRecently, OldOrNoUsePasses) {
  IamAccount a;
  a.root().password_last_used = days_ago(90);
  const Finding& f = only(run_check("root-used-recently", a.done()));
  EXPECT_EQ(status_name(f.status), "PASS");
  EXPECT_EQ(f.detail, "the root user was not used in the 90 days before the report");
  IamAccount never;
  never.root();
  EXPECT_EQ(status_name(only(run_check("root-used-recently", never.done())).status), "PASS");
}

TEST(RootUsedRecently, WithoutReportTimeOrReportIsNotAssessed) {
  IamAccount a;
  a.root().password_last_used = days_ago(1);
  a.iam().credential_report->generated_time.reset();
  const Finding& f = only(run_check("root-used-recently", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_THAT(f.detail, HasSubstr("GeneratedTime"));
  IamAccount missing;
  missing.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing);
  EXPECT_EQ(status_name(only(run_check("root-used-recently", missing.done())).status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
