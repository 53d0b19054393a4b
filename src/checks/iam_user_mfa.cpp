// user-console-without-mfa (CIS 1.10): every IAM user who can sign in to the console has MFA.
// From the credential report (password_enabled, mfa_active).
#include <fmt/format.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  const CredentialReport* report = usable_report(ctx.account, sink, false);
  if (report == nullptr) return;
  for (const CredentialReportRow& row : report->rows) {
    if (row.is_root()) continue;  // root-mfa covers the root user
    if (row.password_enabled.cell != ReportCell::kValue) {
      user_finding(sink, FindingStatus::kNotAssessed, row,
                   fmt::format("the credential report's password_enabled is not a value for this user (line {})", row.line));
      continue;
    }
    if (!row.password_enabled.value) continue;  // no console password: not applicable
    if (row.mfa_active.cell != ReportCell::kValue) {
      user_finding(sink, FindingStatus::kNotAssessed, row,
                   fmt::format("the credential report's mfa_active is not a value for this user (line {})", row.line));
      continue;
    }
    if (row.mfa_active.value) {
      user_finding(sink, FindingStatus::kPass, row, "console password with MFA");
      continue;
    }
    std::string detail = "can sign in to the console with a password alone: no MFA device";
    if (row.password_last_used.has_time()) {
      detail += fmt::format(" (password last used {})", date_of(row.password_last_used.time));
    } else if (row.password_last_used.cell == ReportCell::kNotApplicable) {
      detail += " (the password was never used)";
    }
    Finding& f = user_finding(sink, FindingStatus::kFail, row, std::move(detail));
    f.evidence.set("password_enabled", true);
    f.evidence.set("mfa_active", false);
    if (row.password_last_used.has_time()) f.evidence.set("password_last_used", format_utc_time(row.password_last_used.time));
    const std::string_view account = ctx.account.account_id;
    f.remediation_cli = fmt::format(
        "aws iam create-virtual-mfa-device --virtual-mfa-device-name {0} --outfile {0}-mfa.png --bootstrap-method "
        "QRCodePNG && aws iam enable-mfa-device --user-name {0} --serial-number arn:aws:iam::{1}:mfa/{0} "
        "--authentication-code1 <code> --authentication-code2 <next code>",
        row.user, account);
  }
}

}  // namespace

Check user_console_without_mfa_check() {
  return Check{
      CheckMetadata{
          .id = "user-console-without-mfa",
          .title = "An IAM user with a console password has no MFA",
          .severity = Severity::kHigh,
          .area = Area::kAccess,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "1.10",
          .rationale =
              "A phished, reused or guessed password is enough to sign in as a user without MFA. Users without a "
              "console password are not applicable (their access keys are covered by the key checks).",
          .remediation =
              "Assign an MFA device to the user (a security key preferably), or remove the console password if "
              "the user does not need the console. Enforce it with a policy that denies everything without "
              "aws:MultiFactorAuthPresent.",
          .remediation_cli =
              "aws iam create-virtual-mfa-device --virtual-mfa-device-name {user} --outfile {user}-mfa.png "
              "--bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name {user} --serial-number "
              "arn:aws:iam::{account}:mfa/{user} --authentication-code1 <code> --authentication-code2 <next code>",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html"},
      },
      run,
  };
}

}  // namespace fortress
