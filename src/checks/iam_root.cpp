// The root user: root-access-keys (CIS 1.4), root-mfa (1.5), root-hardware-mfa (1.6),
// root-used-recently (1.7). From the credential report's <root_account> row, with
// get-account-summary (AccountAccessKeysPresent, AccountMFAEnabled) standing in when the report was
// not collected, and list-virtual-mfa-devices for the kind of MFA.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

constexpr int64_t kRootRecentDays = 90;  // CIS 1.7 audits the last 90 days of the report
// No command stops root use; this one shows what the root user did (CloudTrail names it "root").
constexpr std::string_view kRootActivity =
    "aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=Username,AttributeValue=root";

const CredentialReportRow* root_row(const Account& a) {
  if (!account_has(a, Dataset::kCredentialReport) || !a.iam.credential_report) return nullptr;
  return a.iam.credential_report->root();
}

Finding& root_finding(FindingSink& sink, const Account& a, FindingStatus status, std::string detail) {
  const std::string arn = root_arn(a);
  switch (status) {
    case FindingStatus::kFail: return sink.fail("", arn, "root user", std::move(detail));
    case FindingStatus::kPass: return sink.pass("", arn, "root user", std::move(detail));
    default: return sink.not_assessed("", arn, "root user", std::move(detail));
  }
}

// ---- root-access-keys -------------------------------------------------------------------------

void run_access_keys(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  if (const CredentialReportRow* root = root_row(a); root != nullptr) {
    std::vector<std::string> keys;
    JsonValue evidence = JsonValue::object();
    bool known = true;
    for (int k = 0; k < 2; ++k) {
      const AccessKeyReport& key = root->access_keys[k];
      if (key.active.cell != ReportCell::kValue) {
        known = false;
        continue;
      }
      // A key exists when it is active, or when it has a rotation date (an inactive key still
      // exists and the root user can reactivate it).
      const bool exists = key.active.value || key.last_rotated.has_time();
      JsonValue k_json = JsonValue::object();
      k_json.set("active", key.active.value);
      k_json.set("exists", exists);
      if (key.last_rotated.has_time()) k_json.set("last_rotated", format_utc_time(key.last_rotated.time));
      if (key.last_used_date.has_time()) k_json.set("last_used", format_utc_time(key.last_used_date.time));
      evidence.set(fmt::format("access_key_{}", k + 1), std::move(k_json));
      if (!exists) continue;
      std::string text = fmt::format("{} access key {}", key.active.value ? "an active" : "an inactive", k + 1);
      if (key.last_used_date.has_time()) text += fmt::format(" (last used {})", date_of(key.last_used_date.time));
      keys.push_back(std::move(text));
    }
    if (!keys.empty()) {
      Finding& f = root_finding(sink, a, FindingStatus::kFail, fmt::format("the root user has {}", fmt::join(keys, " and ")));
      f.evidence = std::move(evidence);
      f.remediation_cli =
          "aws iam delete-access-key --access-key-id <root key ID> (run with the root user's own credentials; "
          "`aws iam list-access-keys` as root lists the IDs), or delete them in the console: root user > "
          "Security credentials > Access keys";
      return;
    }
    if (known) {
      Finding& f = root_finding(sink, a, FindingStatus::kPass, "the root user has no access keys (credential report)");
      f.evidence = std::move(evidence);
      return;
    }
  }
  if (account_has(a, Dataset::kAccountSummary)) {
    if (const std::optional<int64_t> present = a.iam.summary("AccountAccessKeysPresent")) {
      if (*present > 0) {
        Finding& f = root_finding(sink, a, FindingStatus::kFail,
                                  "get-account-summary reports AccountAccessKeysPresent = 1: the root user has access keys");
        f.evidence.set("AccountAccessKeysPresent", *present);
        f.remediation_cli =
            "aws iam delete-access-key --access-key-id <root key ID> (run with the root user's own credentials)";
      } else {
        root_finding(sink, a, FindingStatus::kPass, "the root user has no access keys (get-account-summary)");
      }
      return;
    }
  }
  if (report_account_gaps(a, {Dataset::kCredentialReport, Dataset::kAccountSummary}, sink)) {
    root_finding(sink, a, FindingStatus::kNotAssessed,
                 "neither the credential report's root row nor AccountAccessKeysPresent says whether the root user "
                 "has access keys");
  }
}

// ---- root-mfa ---------------------------------------------------------------------------------

// Whether MFA is on for the root user: the credential report, else the account summary.
std::optional<bool> root_mfa_on(const Account& a, std::string* source) {
  if (const CredentialReportRow* root = root_row(a); root != nullptr && root->mfa_active.cell == ReportCell::kValue) {
    *source = "credential report mfa_active";
    return root->mfa_active.value;
  }
  if (account_has(a, Dataset::kAccountSummary)) {
    if (const std::optional<int64_t> v = a.iam.summary("AccountMFAEnabled")) {
      *source = "get-account-summary AccountMFAEnabled";
      return *v > 0;
    }
  }
  return std::nullopt;
}

constexpr std::string_view kMfaConsole =
    "(console only) sign in as the root user, then Security credentials > Multi-factor authentication (MFA) > "
    "Assign MFA device";

void run_mfa(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  std::string source;
  const std::optional<bool> on = root_mfa_on(a, &source);
  if (!on) {
    if (report_account_gaps(a, {Dataset::kCredentialReport, Dataset::kAccountSummary}, sink)) {
      root_finding(sink, a, FindingStatus::kNotAssessed, "the root user's MFA status is not in the collected data");
    }
    return;
  }
  if (*on) {
    Finding& f = root_finding(sink, a, FindingStatus::kPass, fmt::format("MFA is enabled for the root user ({})", source));
    (void)f;
    return;
  }
  Finding& f = root_finding(sink, a, FindingStatus::kFail,
                            fmt::format("MFA is not enabled for the root user ({}): its password alone opens the account", source));
  f.evidence.set("source", source);
  f.remediation_cli = std::string(kMfaConsole);
}

// ---- root-hardware-mfa ------------------------------------------------------------------------

void run_hardware_mfa(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  std::string source;
  const std::optional<bool> on = root_mfa_on(a, &source);
  if (on && !*on) {
    Finding& f = root_finding(sink, a, FindingStatus::kFail,
                              fmt::format("the root user has no MFA at all ({}), let alone a hardware device", source));
    f.remediation_cli = std::string(kMfaConsole) + " (choose a security key or hardware TOTP token)";
    return;
  }
  if (!account_has(a, Dataset::kVirtualMfaDevices)) {
    report_account_gaps(a, {Dataset::kVirtualMfaDevices}, sink);
    return;
  }
  const VirtualMfaDevice* virtual_device = nullptr;
  for (const VirtualMfaDevice& d : a.iam.virtual_mfa_devices) {
    if (d.assigned_to_root()) virtual_device = &d;
  }
  if (virtual_device != nullptr) {
    Finding& f = root_finding(sink, a, FindingStatus::kFail,
                              fmt::format("the root user's MFA is a virtual device ({}), not a hardware one",
                                          virtual_device->serial_number));
    f.evidence.set("virtual_mfa_serial", virtual_device->serial_number);
    if (virtual_device->enable_date) f.evidence.set("enabled", format_utc_time(*virtual_device->enable_date));
    f.remediation_cli = std::string(kMfaConsole) +
                        " (add a security key or hardware TOTP token, then remove the virtual device)";
    return;
  }
  if (!on) {
    if (report_account_gaps(a, {Dataset::kCredentialReport, Dataset::kAccountSummary}, sink)) {
      root_finding(sink, a, FindingStatus::kNotAssessed, "the root user's MFA status is not in the collected data");
    }
    return;
  }
  root_finding(sink, a, FindingStatus::kPass,
               fmt::format("MFA is enabled for the root user ({}) and no virtual MFA device is assigned to it", source));
}

// ---- root-used-recently -----------------------------------------------------------------------

void run_used_recently(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  if (!report_account_gaps(a, {Dataset::kCredentialReport}, sink) || !a.iam.credential_report) return;
  const CredentialReportRow* root = a.iam.credential_report->root();
  const std::optional<UtcTime> now = report_time(*a.iam.credential_report);
  if (root == nullptr || !now) {
    root_finding(sink, a, FindingStatus::kNotAssessed,
                 root == nullptr ? "the credential report has no <root_account> row"
                                 : "the credential report has no GeneratedTime to measure the last 90 days from");
    return;
  }
  struct Use {
    std::string what;
    UtcTime when;
  };
  std::vector<Use> recent;
  JsonValue evidence = JsonValue::object();
  evidence.set("report_generated", format_utc_time(*now));
  const auto consider = [&](std::string what, const ReportTime& t, std::string key) {
    if (!t.has_time()) return;
    evidence.set(key, format_utc_time(t.time));
    if (days_between(t.time, *now) < kRootRecentDays) recent.push_back({std::move(what), t.time});
  };
  consider("signed in with its password", root->password_last_used, "password_last_used");
  for (int k = 0; k < 2; ++k) {
    consider(fmt::format("used access key {}", k + 1), root->access_keys[k].last_used_date,
             fmt::format("access_key_{}_last_used", k + 1));
  }
  if (recent.empty()) {
    Finding& f = root_finding(sink, a, FindingStatus::kPass,
                              fmt::format("the root user was not used in the {} days before the report", kRootRecentDays));
    f.evidence = std::move(evidence);
    return;
  }
  std::vector<std::string> parts;
  for (const Use& u : recent) parts.push_back(fmt::format("{} on {}", u.what, date_and_age(u.when, *now)));
  Finding& f = root_finding(sink, a, FindingStatus::kFail,
                            fmt::format("the root user {}", fmt::join(parts, "; ")));
  f.evidence = std::move(evidence);
  f.remediation_cli = kRootActivity;
}

}  // namespace

Check root_access_keys_check() {
  return Check{
      CheckMetadata{
          .id = "root-access-keys",
          .title = "The root user has access keys",
          .severity = Severity::kCritical,
          .area = Area::kAccess,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "1.4",
          .rationale =
              "Root access keys give unrestricted, unconditional programmatic control of the account: no "
              "policy, permissions boundary or SCP limits the root user, and a leaked key is the whole "
              "account. An inactive key still exists and can be reactivated, so it counts too. Read from the "
              "credential report's <root_account> row (access_key_N_active, and a rotation date for an "
              "inactive key), else get-account-summary's AccountAccessKeysPresent.",
          .remediation =
              "Delete the root user's access keys (as the root user: Security credentials > Access keys). "
              "Anything that used them should use an IAM role instead.",
          .remediation_cli =
              "aws iam delete-access-key --access-key-id <root key ID> (with the root user's own credentials)",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html"},
      },
      run_access_keys,
  };
}

Check root_mfa_check() {
  return Check{
      CheckMetadata{
          .id = "root-mfa",
          .title = "The root user has no MFA",
          .severity = Severity::kCritical,
          .area = Area::kAccess,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "1.5",
          .rationale =
              "Without MFA the root user's password (or a password reset through the account's email) is "
              "enough to take the account. Read from the credential report's mfa_active for <root_account>, "
              "else get-account-summary's AccountMFAEnabled.",
          .remediation =
              "Sign in as the root user and assign an MFA device (a security key or hardware token "
              "preferably, see root-hardware-mfa).",
          .remediation_cli = kMfaConsole,
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html"},
      },
      run_mfa,
  };
}

Check root_hardware_mfa_check() {
  return Check{
      CheckMetadata{
          .id = "root-hardware-mfa",
          .title = "The root user's MFA is not a hardware device",
          .severity = Severity::kMedium,
          .area = Area::kAccess,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "1.6",
          .rationale =
              "A virtual MFA app lives on a phone that is also used for everything else; a security key or "
              "hardware token is a separate object that cannot be copied remotely. As CIS audits it: MFA on, "
              "and no virtual MFA device (list-virtual-mfa-devices) assigned to the root user.",
          .remediation =
              "Assign a FIDO security key or hardware TOTP token to the root user, then remove the virtual device.",
          .remediation_cli = kMfaConsole,
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-hw-mfa-for-root.html",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-fido-mfa-for-root.html"},
      },
      run_hardware_mfa,
  };
}

Check root_used_recently_check() {
  return Check{
      CheckMetadata{
          .id = "root-used-recently",
          .title = "The root user was used in the last 90 days",
          .severity = Severity::kHigh,
          .area = Area::kAccess,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "1.7",
          .rationale =
              "The root user is for the few tasks only it can do; daily use multiplies the chances its "
              "unlimited credentials are phished or leaked, and its actions bypass every IAM control. Reads "
              "the credential report's password_last_used and access_key_N_last_used_date for <root_account>, "
              "measured from the report's GeneratedTime (not the time of the scan).",
          .remediation =
              "Find what the root user was used for (the command lists its CloudTrail events; console sign-ins "
              "are recorded in us-east-1, other calls in their region), move that work to IAM roles or IAM "
              "Identity Center, and lock the root credentials away.",
          .remediation_cli = kRootActivity,
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#root-user-tasks"},
      },
      run_used_recently,
  };
}

}  // namespace fortress
