// Builds IAM model objects for the IAM check tests: users, groups, roles, managed policies,
// credential-report rows, the password policy, the account summary and virtual MFA devices. Every
// IAM dataset is collected (ok) unless a test says otherwise; the credential report was generated
// at kReportTime.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builder.h"
#include "model/account.h"
#include "model/time.h"

namespace fortress::testing {

inline constexpr std::string_view kAccountId = "111122223333";
inline constexpr std::string_view kReportTime = "2026-12-01T08:00:00Z";

inline UtcTime utc_at(std::string_view iso) {
  const std::optional<UtcTime> t = parse_utc_time(iso);
  EXPECT_TRUE(t.has_value()) << "bad time in test: " << iso;
  return t.value_or(UtcTime{});
}
// `days` whole days before the report was generated.
inline UtcTime days_before_report(int days) {
  return utc_at(kReportTime) - std::chrono::days(days);
}

inline ReportTime at(UtcTime t) { return ReportTime{ReportCell::kValue, t}; }
inline ReportTime days_ago(int days) { return at(days_before_report(days)); }
inline ReportTime not_applicable() { return ReportTime{ReportCell::kNotApplicable, {}}; }
inline ReportTime no_information() { return ReportTime{ReportCell::kNoInformation, {}}; }
inline ReportFlag flag(bool v) { return ReportFlag{ReportCell::kValue, v}; }

inline std::string user_arn(std::string_view name) { return fmt::format("arn:aws:iam::{}:user/{}", kAccountId, name); }
inline std::string role_arn(std::string_view name) { return fmt::format("arn:aws:iam::{}:role/{}", kAccountId, name); }
inline std::string group_arn(std::string_view name) { return fmt::format("arn:aws:iam::{}:group/{}", kAccountId, name); }
inline std::string policy_arn(std::string_view name) { return fmt::format("arn:aws:iam::{}:policy/{}", kAccountId, name); }
inline std::string aws_policy(std::string_view name) { return fmt::format("arn:aws:iam::aws:policy/{}", name); }

inline std::string policy_doc(std::string_view statements) {
  return fmt::format(R"({{"Version":"2012-10-17","Statement":[{}]}})", statements);
}
inline std::string allow_doc(std::string_view action, std::string_view resource = R"("*")") {
  return policy_doc(fmt::format(R"({{"Effect":"Allow","Action":{},"Resource":{}}})", action, resource));
}
inline const std::string kAdminDoc = allow_doc(R"("*")");
inline std::string trust_doc(std::string_view principal) {
  return policy_doc(fmt::format(R"({{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}})", principal));
}

class IamAccount {
 public:
  IamAccount() {
    t.account.account_id = std::string(kAccountId);
    for (Dataset d : {Dataset::kCredentialReport, Dataset::kAccountAuthorizationDetails, Dataset::kAccountSummary,
                      Dataset::kAccountPasswordPolicy, Dataset::kVirtualMfaDevices}) {
      coverage(d, CoverageStatus::kOk, "test");
    }
    iam().credential_report.emplace();
    iam().credential_report->generated_time = utc_at(kReportTime);
    iam().account_summary.emplace();
    iam().password_policy.emplace();  // collected: no policy (NoSuchEntity)
  }

  IamData& iam() { return t.account.iam; }

  IamAccount& coverage(Dataset d, CoverageStatus s, std::string detail = "") {
    t.account.global_coverage[size_t(d)] = Coverage{s, std::move(detail)};
    return *this;
  }

  // A credential-report row: no password, no MFA, both keys absent, created a year before the report.
  CredentialReportRow& row(std::string user) {
    CredentialReportRow r;
    r.user = user;
    r.arn = user == "<root_account>" ? fmt::format("arn:aws:iam::{}:root", kAccountId) : user_arn(user);
    r.user_creation_time = days_ago(365);
    r.password_enabled = user == "<root_account>" ? ReportFlag{ReportCell::kNotSupported, false} : flag(false);
    r.password_last_used = not_applicable();
    r.password_last_changed = not_applicable();
    r.mfa_active = flag(false);
    for (AccessKeyReport& k : r.access_keys) {
      k.active = flag(false);
      k.last_rotated = not_applicable();
      k.last_used_date = not_applicable();
    }
    r.line = iam().credential_report->rows.size() + 2;
    iam().credential_report->rows.push_back(std::move(r));
    return iam().credential_report->rows.back();
  }
  CredentialReportRow& root() { return row("<root_account>"); }
  // A row for a console user: password set 100 days ago and used `days` ago, with MFA as given.
  CredentialReportRow& console_user(std::string user, bool mfa = true, int used_days_ago = 1) {
    CredentialReportRow& r = row(std::move(user));
    r.password_enabled = flag(true);
    r.password_last_changed = days_ago(100);
    r.password_last_used = days_ago(used_days_ago);
    r.mfa_active = flag(mfa);
    return r;
  }

  IamUser& user(std::string name, std::vector<Symbol> groups = {}) {
    IamUser u;
    u.name = name;
    u.id = "AIDA" + name;
    u.arn = user_arn(name);
    u.path = "/";
    u.group_names = std::move(groups);
    iam().users.push_back(std::move(u));
    return iam().users.back();
  }
  IamGroup& group(std::string name) {
    IamGroup g;
    g.name = name;
    g.id = "AGPA" + name;
    g.arn = group_arn(name);
    g.path = "/";
    iam().groups.push_back(std::move(g));
    return iam().groups.back();
  }
  IamRole& role(std::string name, std::string trust) {
    IamRole r;
    r.name = name;
    r.id = "AROA" + name;
    r.arn = role_arn(name);
    r.path = "/";
    r.assume_role_policy_document = std::move(trust);
    iam().roles.push_back(std::move(r));
    return iam().roles.back();
  }
  ManagedPolicy& policy(std::string arn, std::string document) {
    ManagedPolicy m;
    m.arn = arn;
    m.name = arn.substr(arn.rfind('/') + 1);
    m.default_version_id = "v1";
    m.attachment_count = 1;
    m.versions.push_back(PolicyVersion{"v1", true, std::move(document), std::nullopt});
    iam().policies.push_back(std::move(m));
    return iam().policies.back();
  }
  static void attach(std::vector<AttachedPolicy>& to, const std::string& arn) {
    to.push_back(AttachedPolicy{arn.substr(arn.rfind('/') + 1), arn});
  }
  static void put_inline(std::vector<InlinePolicy>& to, std::string name, std::string document) {
    to.push_back(InlinePolicy{std::move(name), std::move(document)});
  }

  IamAccount& password_policy(int64_t length, std::optional<int64_t> reuse = std::nullopt) {
    PasswordPolicy& p = *iam().password_policy;
    p.exists = true;
    p.minimum_password_length = length;
    p.password_reuse_prevention = reuse;
    p.require_symbols = true;
    p.require_numbers = true;
    p.allow_users_to_change_password = true;
    return *this;
  }
  IamAccount& summary(std::string key, int64_t value) {
    (*iam().account_summary)[std::move(key)] = value;
    return *this;
  }
  IamAccount& virtual_mfa(std::string serial, std::string user_arn) {
    VirtualMfaDevice d;
    d.serial_number = serial;
    d.user_arn = user_arn;
    iam().virtual_mfa_devices.push_back(std::move(d));
    return *this;
  }

  const Account& done() { return t.done(); }

  TestAccount t;
};

// The one account-wide finding of a check that reports one (resource = the account or the root).
inline const Finding& only(const std::vector<Finding>& findings) {
  EXPECT_EQ(findings.size(), 1u);
  static const Finding kNone{.check_id = "none", .status = FindingStatus::kMuted};
  return findings.empty() ? kNone : findings.front();
}
// The same for a temporary list (`only(run_check(...))`): a copy, so nothing dangles.
inline Finding only(std::vector<Finding>&& findings) {
  return only(static_cast<const std::vector<Finding>&>(findings));
}

}  // namespace fortress::testing
