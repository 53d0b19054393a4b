// IAM users' access keys, from the credential report: access-keys-at-setup (CIS 1.11),
// user-multiple-active-keys (1.13), access-key-rotation-90-days (1.14). The report numbers a user's
// keys 1 and 2 but carries no key IDs; each command says how to list them.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

constexpr int64_t kRotationDays = 90;

bool active(const AccessKeyReport& k) {
  return k.active.is_true();
}

int active_count(const CredentialReportRow& row) {
  return (active(row.access_keys[0]) ? 1 : 0) + (active(row.access_keys[1]) ? 1 : 0);
}

bool keys_known(const CredentialReportRow& row) {
  return row.access_keys[0].active.cell == ReportCell::kValue && row.access_keys[1].active.cell == ReportCell::kValue;
}

JsonValue key_evidence(const AccessKeyReport& k, int number) {
  JsonValue e = JsonValue::object();
  e.set("key", number);
  e.set("active", k.active.is_true());
  if (k.last_rotated.has_time()) e.set("last_rotated", format_utc_time(k.last_rotated.time));
  if (k.last_used_date.has_time()) {
    e.set("last_used", format_utc_time(k.last_used_date.time));
  } else if (k.last_used_date.cell == ReportCell::kNotApplicable) {
    e.set("last_used", "N/A (never used)");
  }
  if (k.last_used_service.cell == ReportCell::kValue) e.set("last_used_service", k.last_used_service.value);
  return e;
}

// ---- access-keys-at-setup ---------------------------------------------------------------------

void run_at_setup(const CheckContext& ctx, FindingSink& sink) {
  const CredentialReport* report = usable_report(ctx.account, sink, false);
  if (report == nullptr) return;
  for (const CredentialReportRow& row : report->rows) {
    if (row.is_root() || !row.password_enabled.is_true()) continue;  // CIS 1.11: users with a console password
    if (!keys_known(row)) {
      user_finding(sink, FindingStatus::kNotAssessed, row, "the credential report does not say whether its keys are active");
      continue;
    }
    std::vector<int> unused;
    JsonValue keys = JsonValue::array();
    for (int k = 0; k < 2; ++k) {
      const AccessKeyReport& key = row.access_keys[k];
      if (!active(key)) continue;
      keys.push(key_evidence(key, k + 1));
      if (key.last_used_date.cell == ReportCell::kNotApplicable) unused.push_back(k + 1);
    }
    if (unused.empty()) {
      user_finding(sink, FindingStatus::kPass, row,
                   active_count(row) == 0 ? "console user without active access keys"
                                          : "console user whose active access keys have been used");
      continue;
    }
    Finding& f = user_finding(
        sink, FindingStatus::kFail, row,
        fmt::format("console user with active access key{} {} never used: created with the user, not because "
                    "something needed it",
                    unused.size() > 1 ? "s" : "", fmt::join(unused, " and ")));
    f.evidence.set("access_keys", std::move(keys));
    f.remediation_cli = fmt::format("aws iam delete-access-key --user-name {} --access-key-id <ID of key {}: {}>", row.user,
                                    fmt::join(unused, ", "), list_keys_command(row.user));
  }
}

// ---- user-multiple-active-keys ----------------------------------------------------------------

void run_multiple(const CheckContext& ctx, FindingSink& sink) {
  const CredentialReport* report = usable_report(ctx.account, sink, false);
  if (report == nullptr) return;
  for (const CredentialReportRow& row : report->rows) {
    if (row.is_root()) continue;  // root-access-keys covers the root user
    if (!keys_known(row)) {
      user_finding(sink, FindingStatus::kNotAssessed, row, "the credential report does not say whether its keys are active");
      continue;
    }
    const int n = active_count(row);
    if (n == 0) continue;  // no active key: not applicable
    if (n == 1) {
      user_finding(sink, FindingStatus::kPass, row, "one active access key");
      continue;
    }
    // Keep the key used most recently; the command deactivates the other.
    const AccessKeyReport& k1 = row.access_keys[0];
    const AccessKeyReport& k2 = row.access_keys[1];
    const auto used = [](const AccessKeyReport& k) { return k.last_used_date.has_time() ? k.last_used_date.time : UtcTime{}; };
    const int older = used(k1) < used(k2) ? 1 : 2;
    Finding& f = user_finding(sink, FindingStatus::kFail, row,
                              fmt::format("two active access keys; key {} was used less recently", older));
    JsonValue keys = JsonValue::array();
    keys.push(key_evidence(k1, 1));
    keys.push(key_evidence(k2, 2));
    f.evidence.set("access_keys", std::move(keys));
    f.remediation_cli = fmt::format("aws iam update-access-key --user-name {} --access-key-id <ID of key {}: {}> --status Inactive",
                                    row.user, older, list_keys_command(row.user));
  }
}

// ---- access-key-rotation-90-days --------------------------------------------------------------

void run_rotation(const CheckContext& ctx, FindingSink& sink) {
  const CredentialReport* report = usable_report(ctx.account, sink, true);
  if (report == nullptr) return;
  const UtcTime now = *report->generated_time;
  for (const CredentialReportRow& row : report->rows) {
    if (row.is_root()) continue;
    if (!keys_known(row)) {
      user_finding(sink, FindingStatus::kNotAssessed, row, "the credential report does not say whether its keys are active");
      continue;
    }
    if (active_count(row) == 0) continue;
    std::vector<std::string> stale;
    std::vector<int> stale_keys;
    bool unknown = false;
    JsonValue keys = JsonValue::array();
    for (int k = 0; k < 2; ++k) {
      const AccessKeyReport& key = row.access_keys[k];
      if (!active(key)) continue;
      keys.push(key_evidence(key, k + 1));
      if (!key.last_rotated.has_time()) {
        unknown = true;
        continue;
      }
      if (days_between(key.last_rotated.time, now) > kRotationDays) {
        stale.push_back(fmt::format("key {} last rotated {}", k + 1, date_and_age(key.last_rotated.time, now)));
        stale_keys.push_back(k + 1);
      }
    }
    if (!stale.empty()) {
      Finding& f = user_finding(sink, FindingStatus::kFail, row,
                                fmt::format("active access key older than {} days: {}", kRotationDays, fmt::join(stale, "; ")));
      f.evidence.set("access_keys", std::move(keys));
      // One new key at a time: a user has two key slots, so each old key is replaced in turn.
      std::vector<std::string> steps;
      for (const int k : stale_keys) {
        steps.push_back(fmt::format(
            "aws iam create-access-key --user-name {0} && (move the workload to the new key) && aws iam "
            "update-access-key --user-name {0} --access-key-id <ID of key {1}: {2}> --status Inactive",
            row.user, k, list_keys_command(row.user)));
      }
      f.remediation_cli = fmt::format("{}", fmt::join(steps, " ; then "));
      continue;
    }
    if (unknown) {
      user_finding(sink, FindingStatus::kNotAssessed, row, "an active key has no last_rotated date in the credential report");
      continue;
    }
    Finding& f = user_finding(sink, FindingStatus::kPass, row,
                              fmt::format("active access keys rotated within {} days", kRotationDays));
    (void)f;
  }
}

}  // namespace

Check access_keys_at_setup_check() {
  return Check{
      CheckMetadata{
          .id = "access-keys-at-setup",
          .title = "A console user has an access key that was never used",
          .severity = Severity::kLow,
          .area = Area::kAccess,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "1.11",
          .rationale =
              "Access keys created with a console user \"just in case\" are long-lived secrets nobody needs, and "
              "they get copied into laptops and scripts. As CIS audits it: password_enabled true and an active "
              "key whose access_key_N_last_used_date is N/A.",
          .remediation =
              "Delete keys that were never used; create a key only when a workload needs one (better: give the "
              "workload a role).",
          .remediation_cli = "aws iam delete-access-key --user-name {user} --access-key-id <ID: aws iam list-access-keys --user-name {user}>",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"},
      },
      run_at_setup,
  };
}

Check user_multiple_active_keys_check() {
  return Check{
      CheckMetadata{
          .id = "user-multiple-active-keys",
          .title = "An IAM user has two active access keys",
          .severity = Severity::kLow,
          .area = Area::kAccess,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "1.13",
          .rationale =
              "Two active keys double the secrets to protect and usually mean a rotation that was never "
              "finished. One active key per user is enough (the second slot is for rotating).",
          .remediation = "Deactivate (then delete) the key that is no longer used.",
          .remediation_cli =
              "aws iam update-access-key --user-name {user} --access-key-id <ID: aws iam list-access-keys --user-name {user}> --status Inactive",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_cli"},
      },
      run_multiple,
  };
}

Check access_key_rotation_check() {
  return Check{
      CheckMetadata{
          .id = "access-key-rotation-90-days",
          .title = "An active access key is older than 90 days",
          .severity = Severity::kMedium,
          .area = Area::kAccess,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "1.14",
          .rationale =
              "The older a key, the more places it has been copied to and the longer a leaked copy stays useful. "
              "Measured from access_key_N_last_rotated to the credential report's GeneratedTime.",
          .remediation =
              "Create a new key, move the workload to it, deactivate the old one, then delete it. Better: replace "
              "the key with a role.",
          .remediation_cli =
              "aws iam create-access-key --user-name {user} && aws iam update-access-key --user-name {user} "
              "--access-key-id <old ID: aws iam list-access-keys --user-name {user}> --status Inactive",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_cli"},
      },
      run_rotation,
  };
}

}  // namespace fortress
