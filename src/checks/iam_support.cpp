#include "checks/iam_support.h"

#include <fmt/format.h>

#include "checks/iam_checks.h"
#include "iam/from_model.h"

namespace fortress {

bool uses_iam_analysis(std::string_view check_id) {
  return check_id == "admin-star-policy" || check_id == "iam-admin-equivalent" || check_id == "iam-privileged-share" ||
         check_id == "iam-data-read-broad";
}

bool account_has(const Account& account, Dataset d) {
  return account.global_coverage[size_t(d)].ok();
}

bool report_account_gaps(const Account& account, std::initializer_list<Dataset> needed, FindingSink& sink) {
  bool all_ok = true;
  for (Dataset d : needed) {
    const Coverage& c = account.global_coverage[size_t(d)];
    if (c.ok()) continue;
    all_ok = false;
    const std::string name = dataset_name(d);
    std::string detail;
    if (c.status == CoverageStatus::kError) {
      detail = fmt::format("{} failed: {}; this check could not be assessed", name,
                           c.detail.empty() ? std::string("no reason recorded") : c.detail);
    } else {
      detail = fmt::format("{} was not collected{}; this check could not be assessed", name,
                           c.detail.empty() ? std::string() : " (" + c.detail + ")");
    }
    Finding& f = sink.not_assessed("", name, "", std::move(detail));
    f.evidence.set("dataset", name);
    f.evidence.set("coverage", to_string(c.status));
    f.evidence.set("coverage_detail", c.detail);
  }
  return all_ok;
}

const iam::Analysis& iam_analysis(const CheckContext& ctx, std::optional<iam::Analysis>& local) {
  if (ctx.iam != nullptr) return *ctx.iam;
  local.emplace(iam::analyse_account(ctx.account));
  return *local;
}

std::string root_arn(const Account& account) {
  return fmt::format("arn:aws:iam::{}:root", account.account_id);
}

int64_t days_between(UtcTime from, UtcTime to) {
  return std::chrono::floor<std::chrono::days>(to - from).count();
}

std::string date_of(UtcTime t) {
  return format_utc_time(t).substr(0, 10);
}

std::string date_and_age(UtcTime t, UtcTime now) {
  const int64_t days = days_between(t, now);
  if (days < 0) return fmt::format("{} (after the report)", date_of(t));
  return fmt::format("{} ({} day{} before the report)", date_of(t), days, days == 1 ? "" : "s");
}

std::optional<UtcTime> report_time(const CredentialReport& report) {
  return report.generated_time;
}

const CredentialReport* usable_report(const Account& account, FindingSink& sink, bool needs_time) {
  if (!report_account_gaps(account, {Dataset::kCredentialReport}, sink)) return nullptr;
  const std::optional<CredentialReport>& report = account.iam.credential_report;
  if (!report) {
    sink.not_assessed("", dataset_name(Dataset::kCredentialReport), "",
                      "the credential report is marked collected but holds no report");
    return nullptr;
  }
  if (needs_time && !report->generated_time) {
    sink.not_assessed("", dataset_name(Dataset::kCredentialReport), "",
                      "the credential report has no GeneratedTime: credential ages cannot be measured");
    return nullptr;
  }
  return &*report;
}

Finding& user_finding(FindingSink& sink, FindingStatus status, const CredentialReportRow& row, std::string detail) {
  switch (status) {
    case FindingStatus::kFail: return sink.fail("", row.arn, row.user, std::move(detail));
    case FindingStatus::kPass: return sink.pass("", row.arn, row.user, std::move(detail));
    default: return sink.not_assessed("", row.arn, row.user, std::move(detail));
  }
}

std::string list_keys_command(std::string_view user) {
  return fmt::format("aws iam list-access-keys --user-name {}", user);
}

std::string_view principal_type(const iam::PrincipalAnalysis& p) {
  return p.kind == iam::PrincipalKind::kUser ? "AWS::IAM::User" : "AWS::IAM::Role";
}

std::string revoke_command(const iam::PrincipalAnalysis& p, const iam::AttachedPolicy& policy) {
  const bool user = p.kind == iam::PrincipalKind::kUser;
  if (!policy.via_group.empty()) {
    if (policy.origin == iam::PolicyOrigin::kInline) {
      return fmt::format("aws iam delete-group-policy --group-name {} --policy-name {}", policy.via_group, policy.name);
    }
    return fmt::format("aws iam remove-user-from-group --user-name {} --group-name {}", p.name, policy.via_group);
  }
  if (policy.origin == iam::PolicyOrigin::kInline) {
    return fmt::format("aws iam delete-{}-policy --{}-name {} --policy-name {}", user ? "user" : "role",
                       user ? "user" : "role", p.name, policy.name);
  }
  if (policy.origin == iam::PolicyOrigin::kTrustPolicy) {
    return fmt::format("aws iam update-assume-role-policy --role-name {} --policy-document file://trust-policy.json",
                       policy.owner.substr(policy.owner.find('/') + 1));
  }
  return fmt::format("aws iam detach-{}-policy --{}-name {} --policy-arn {}", user ? "user" : "role",
                     user ? "user" : "role", p.name, policy.arn);
}

const iam::AttachedPolicy* decisive_policy(const iam::AdminPath& path) {
  for (const iam::Step& s : path.steps) {
    if (!s.answer) continue;
    for (const iam::StatementRef& g : s.answer->grants) {
      if (!g.conditional) return g.policy;
    }
    if (!s.answer->grants.empty()) return s.answer->grants.front().policy;
  }
  return nullptr;
}

JsonValue principal_evidence(const iam::PrincipalAnalysis& p) {
  JsonValue e = JsonValue::object();
  e.set("arn", p.arn);
  e.set("name", p.name);
  e.set("type", p.kind_name());
  JsonValue policies = JsonValue::array();
  for (const iam::AttachedPolicy& a : p.policies.identity) policies.push(a.label());
  e.set("policies", std::move(policies));
  if (p.policies.boundary) e.set("permissions_boundary", p.policies.boundary->arn);
  return e;
}

}  // namespace fortress
