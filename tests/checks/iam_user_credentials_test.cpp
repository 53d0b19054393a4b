// The credential-report checks of IAM users: user-console-without-mfa (1.10), access-keys-at-setup
// (1.11), credentials-unused-45-days (1.12), user-multiple-active-keys (1.13),
// access-key-rotation-90-days (1.14).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "iam_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

// ---- user-console-without-mfa ---------------------------------------------------------------

TEST(UserConsoleWithoutMfa, PasswordWithoutMfaFailsWithMfaPasses) {
  IamAccount a;
  a.root();  // not this check's
  a.console_user("alice", false, 3);
  a.console_user("bob", true);
  a.row("ci-deploy");  // no password: not applicable
  const auto findings = run_check("user-console-without-mfa", a.done());
  ASSERT_EQ(findings.size(), 2u);
  const Finding& alice = only_finding(findings, user_arn("alice"));
  ASSERT_EQ(status_name(alice.status), "FAIL");
  EXPECT_EQ(alice.resource_name, "alice");
  EXPECT_EQ(alice.detail, "can sign in to the console with a password alone: no MFA device (password last used 2026-11-28)");
  EXPECT_EQ(alice.remediation_cli,
            "aws iam create-virtual-mfa-device --virtual-mfa-device-name alice --outfile alice-mfa.png --bootstrap-method "
            "QRCodePNG && aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::111122223333:mfa/alice "
            "--authentication-code1 <code> --authentication-code2 <next code>");
  EXPECT_EQ(status_name(only_finding(findings, user_arn("bob")).status), "PASS");
}

TEST(UserConsoleWithoutMfa, UnreadableCellAndMissingReport) {
  IamAccount a;
  a.console_user("carol").mfa_active = ReportFlag{ReportCell::kAbsent, false};
  EXPECT_EQ(status_name(only_finding(run_check("user-console-without-mfa", a.done()), user_arn("carol")).status),
            "NOT_ASSESSED");
  IamAccount missing;
  missing.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing);
  const Finding& f = only(run_check("user-console-without-mfa", missing.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_EQ(f.resource_id, "iam/get-credential-report");
}

// ---- access-keys-at-setup -------------------------------------------------------------------

TEST(AccessKeysAtSetup, ConsoleUserWithANeverUsedKeyFails) {
  IamAccount a;
  CredentialReportRow& dave = a.console_user("dave");
  dave.access_keys[0].active = flag(true);
  dave.access_keys[0].last_rotated = days_ago(300);  // created with the user, never used
  CredentialReportRow& erin = a.console_user("erin");
  erin.access_keys[0].active = flag(true);
  erin.access_keys[0].last_rotated = days_ago(30);
  erin.access_keys[0].last_used_date = days_ago(2);
  CredentialReportRow& svc = a.row("svc");  // no password: CIS 1.11 does not apply
  svc.access_keys[0].active = flag(true);
  const auto findings = run_check("access-keys-at-setup", a.done());
  ASSERT_EQ(findings.size(), 2u);
  const Finding& f = only_finding(findings, user_arn("dave"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "console user with active access key 1 never used: created with the user, not because something needed it");
  EXPECT_EQ(f.remediation_cli,
            "aws iam delete-access-key --user-name dave --access-key-id <ID of key 1: aws iam list-access-keys --user-name dave>");
  EXPECT_EQ(status_name(only_finding(findings, user_arn("erin")).status), "PASS");
}

TEST(AccessKeysAtSetup, UnknownKeyStateOrNoReportIsNotAssessed) {
  IamAccount a;
  a.console_user("dave").access_keys[1].active = ReportFlag{ReportCell::kAbsent, false};
  EXPECT_EQ(status_name(only(run_check("access-keys-at-setup", a.done())).status), "NOT_ASSESSED");
  IamAccount missing;
  missing.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing);
  EXPECT_EQ(only(run_check("access-keys-at-setup", missing.done())).resource_id, "iam/get-credential-report");
}

// ---- credentials-unused-45-days -------------------------------------------------------------

TEST(CredentialsUnused, PasswordAndKeysIdleFor45DaysOrMoreFail) {
  IamAccount a;
  a.console_user("frank", true, 45);  // exactly 45 days: CIS says "45 days or greater"
  a.console_user("gina", true, 44);
  CredentialReportRow& hank = a.row("hank");
  hank.access_keys[1].active = flag(true);
  hank.access_keys[1].last_rotated = days_ago(60);  // never used since
  CredentialReportRow& ivy = a.console_user("ivy");
  ivy.password_last_used = no_information();  // used before IAM tracked it
  a.row("no-credentials");
  const auto findings = run_check("credentials-unused-45-days", a.done());
  ASSERT_EQ(findings.size(), 4u);
  const Finding& frank = only_finding(findings, user_arn("frank"));
  ASSERT_EQ(status_name(frank.status), "FAIL");
  EXPECT_EQ(frank.detail, "unused for 45 days or more: console password last used 2026-10-17 (45 days before the report)");
  EXPECT_EQ(frank.remediation_cli, "aws iam delete-login-profile --user-name frank");
  EXPECT_EQ(status_name(only_finding(findings, user_arn("gina")).status), "PASS");
  const Finding& hank_f = only_finding(findings, user_arn("hank"));
  EXPECT_EQ(hank_f.detail, "unused for 45 days or more: access key 2 never used since 2026-10-02 (60 days before the report)");
  EXPECT_EQ(hank_f.remediation_cli,
            "aws iam update-access-key --user-name hank --access-key-id <ID of key 2: aws iam list-access-keys --user-name "
            "hank> --status Inactive");
  EXPECT_THAT(only_finding(findings, user_arn("ivy")).detail, HasSubstr("no_information"));
}

TEST(CredentialsUnused, ThresholdIsConfigurable) {
  IamAccount a;
  a.console_user("frank", true, 50);
  Config config;
  config.credentials_unused_days = 90;
  EXPECT_EQ(status_name(only(run_check("credentials-unused-45-days", a.done(), config)).status), "PASS");
  config.credentials_unused_days = 30;
  const Finding& f = only(run_check("credentials-unused-45-days", a.t.account, config));
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail, HasSubstr("unused for 30 days or more"));
}

TEST(CredentialsUnused, UnknownAgeAndNoReportTime) {
  IamAccount a;
  CredentialReportRow& r = a.row("jack");
  r.access_keys[0].active = flag(true);  // never used, and no rotation date either
  EXPECT_EQ(status_name(only(run_check("credentials-unused-45-days", a.done())).status), "NOT_ASSESSED");
  IamAccount b;
  b.console_user("kate", true, 100);
  b.iam().credential_report->generated_time.reset();
  const Finding& f = only(run_check("credentials-unused-45-days", b.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_THAT(f.detail, HasSubstr("no GeneratedTime"));
}

// ---- user-multiple-active-keys --------------------------------------------------------------

TEST(UserMultipleActiveKeys, TwoActiveKeysFailNamingTheLessRecentlyUsed) {
  IamAccount a;
  CredentialReportRow& lee = a.row("lee");
  lee.access_keys[0].active = flag(true);
  lee.access_keys[0].last_used_date = days_ago(1);
  lee.access_keys[1].active = flag(true);
  lee.access_keys[1].last_used_date = days_ago(40);
  CredentialReportRow& mia = a.row("mia");
  mia.access_keys[1].active = flag(true);
  a.row("ned");  // no active key: not applicable
  const auto findings = run_check("user-multiple-active-keys", a.done());
  ASSERT_EQ(findings.size(), 2u);
  const Finding& f = only_finding(findings, user_arn("lee"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "two active access keys; key 2 was used less recently");
  EXPECT_EQ(f.remediation_cli,
            "aws iam update-access-key --user-name lee --access-key-id <ID of key 2: aws iam list-access-keys --user-name lee> "
            "--status Inactive");
  EXPECT_EQ(f.evidence.get("access_keys")->as_array().size(), 2u);
  EXPECT_EQ(status_name(only_finding(findings, user_arn("mia")).status), "PASS");
}

TEST(UserMultipleActiveKeys, NoReportIsNotAssessed) {
  IamAccount a;
  a.coverage(Dataset::kCredentialReport, CoverageStatus::kError, "AccessDenied");
  const Finding f = only(run_check("user-multiple-active-keys", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_THAT(f.detail, HasSubstr("AccessDenied"));
}

// ---- access-key-rotation-90-days ------------------------------------------------------------

TEST(AccessKeyRotation, OldActiveKeyFails) {
  IamAccount a;
  CredentialReportRow& old = a.row("old");
  old.access_keys[0].active = flag(true);
  old.access_keys[0].last_rotated = days_ago(91);
  CredentialReportRow& fresh = a.row("fresh");
  fresh.access_keys[0].active = flag(true);
  fresh.access_keys[0].last_rotated = days_ago(90);
  CredentialReportRow& inactive = a.row("inactive");
  inactive.access_keys[0].last_rotated = days_ago(900);  // inactive: not this check's
  const auto findings = run_check("access-key-rotation-90-days", a.done());
  ASSERT_EQ(findings.size(), 2u);
  const Finding& f = only_finding(findings, user_arn("old"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "active access key older than 90 days: key 1 last rotated 2026-09-01 (91 days before the report)");
  EXPECT_THAT(f.remediation_cli, HasSubstr("aws iam create-access-key --user-name old"));
  EXPECT_THAT(f.remediation_cli, HasSubstr("--status Inactive"));
  EXPECT_EQ(status_name(only_finding(findings, user_arn("fresh")).status), "PASS");
}

TEST(AccessKeyRotation, NoReportIsNotAssessed) {
  IamAccount a;
  a.coverage(Dataset::kCredentialReport, CoverageStatus::kError, "ReportInProgress");
  const Finding& f = only(run_check("access-key-rotation-90-days", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_THAT(f.detail, HasSubstr("ReportInProgress"));
}

}  // namespace
}  // namespace fortress::testing
