// credentials-unused-45-days (CIS 1.12): console passwords and active access keys not used for 45
// days or more (thresholds.credentials_unused_days). From the credential report, measured to its
// GeneratedTime. A credential never used counts from when it was set (password_last_changed, or the
// user's creation) or rotated; "no_information" (last used before IAM tracked it, October 2014) is
// older than any threshold.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

struct Age {
  enum Kind { kUsed, kNeverUsedSince, kUntracked, kUnknown } kind = kUnknown;
  UtcTime time{};
};

Age password_age(const CredentialReportRow& row) {
  if (row.password_last_used.has_time()) return {Age::kUsed, row.password_last_used.time};
  if (row.password_last_used.cell == ReportCell::kNoInformation) return {Age::kUntracked, {}};
  if (row.password_last_used.cell == ReportCell::kNotApplicable) {
    if (row.password_last_changed.has_time()) return {Age::kNeverUsedSince, row.password_last_changed.time};
    if (row.user_creation_time.has_time()) return {Age::kNeverUsedSince, row.user_creation_time.time};
  }
  return {};
}

Age key_age(const AccessKeyReport& k) {
  if (k.last_used_date.has_time()) return {Age::kUsed, k.last_used_date.time};
  if (k.last_used_date.cell == ReportCell::kNoInformation) return {Age::kUntracked, {}};
  if (k.last_used_date.cell == ReportCell::kNotApplicable && k.last_rotated.has_time()) {
    return {Age::kNeverUsedSince, k.last_rotated.time};
  }
  return {};
}

std::string describe(const Age& age, UtcTime now) {
  switch (age.kind) {
    case Age::kUsed: return "last used " + date_and_age(age.time, now);
    case Age::kNeverUsedSince: return "never used since " + date_and_age(age.time, now);
    case Age::kUntracked: return "last used before IAM tracked use (no_information)";
    case Age::kUnknown: return "age unknown";
  }
  return {};
}

void run(const CheckContext& ctx, FindingSink& sink) {
  const CredentialReport* report = usable_report(ctx.account, sink, true);
  if (report == nullptr) return;
  const UtcTime now = *report->generated_time;
  const int64_t limit = ctx.config.credentials_unused_days;
  for (const CredentialReportRow& row : report->rows) {
    if (row.is_root()) continue;  // root-used-recently covers the root user
    std::vector<std::string> stale, fresh, commands;
    bool unknown = false, any = false;
    JsonValue evidence = JsonValue::object();
    evidence.set("threshold_days", limit);
    const auto judge = [&](std::string what, const Age& age, std::string command) {
      any = true;
      evidence.set(what, describe(age, now));
      if (age.kind == Age::kUnknown) {
        unknown = true;
        return;
      }
      const bool old = age.kind == Age::kUntracked || days_between(age.time, now) >= limit;
      (old ? stale : fresh).push_back(fmt::format("{} {}", what, describe(age, now)));
      if (old) commands.push_back(std::move(command));
    };
    if (row.password_enabled.is_true()) {
      judge("console password", password_age(row), fmt::format("aws iam delete-login-profile --user-name {}", row.user));
    }
    for (int k = 0; k < 2; ++k) {
      const AccessKeyReport& key = row.access_keys[k];
      if (!key.active.is_true()) continue;
      judge(fmt::format("access key {}", k + 1), key_age(key),
            fmt::format("aws iam update-access-key --user-name {} --access-key-id <ID of key {}: {}> --status Inactive",
                        row.user, k + 1, list_keys_command(row.user)));
    }
    if (!any) continue;  // no console password and no active key: nothing to disable
    if (!stale.empty()) {
      Finding& f = user_finding(sink, FindingStatus::kFail, row,
                                fmt::format("unused for {} days or more: {}", limit, fmt::join(stale, "; ")));
      f.evidence = std::move(evidence);
      f.remediation_cli = fmt::format("{}", fmt::join(commands, " && "));
      continue;
    }
    if (unknown) {
      user_finding(sink, FindingStatus::kNotAssessed, row,
                   "the credential report does not say when one of its credentials was last used");
      continue;
    }
    Finding& f = user_finding(sink, FindingStatus::kPass, row,
                              fmt::format("every credential used within {} days", limit));
    f.evidence = std::move(evidence);
  }
}

}  // namespace

Check credentials_unused_check() {
  return Check{
      CheckMetadata{
          .id = "credentials-unused-45-days",
          .title = "An IAM user's password or access key has not been used for 45 days",
          .severity = Severity::kMedium,
          .area = Area::kAccess,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "1.12",
          .rationale =
              "A credential nobody uses is a credential nobody watches: if it leaks, nothing looks unusual. "
              "Disabling what has been idle for 45 days (CIS; thresholds.credentials_unused_days) removes it from "
              "the attack surface. A credential never used counts from when it was created or rotated.",
          .remediation =
              "Remove the console password (delete-login-profile) and deactivate the access key; delete the user "
              "if it is no longer needed.",
          .remediation_cli =
              "aws iam delete-login-profile --user-name {user}; aws iam update-access-key --user-name {user} "
              "--access-key-id <ID: aws iam list-access-keys --user-name {user}> --status Inactive",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html"},
      },
      run,
  };
}

}  // namespace fortress
