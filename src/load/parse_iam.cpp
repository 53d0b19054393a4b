// IAM (account-wide): get-account-authorization-details (four lists, one kind), get-credential-report,
// generate-credential-report (recognized, no data), get-account-summary, get-account-password-policy,
// list-virtual-mfa-devices; and organizations list-accounts.
#include <fmt/format.h>

#include "load/credential_report.h"
#include "load/kinds.h"

namespace fortress::load {

namespace {

template <typename T>
void keep_by(Element& el, std::string_view id_member, Symbol id, T&& item, std::vector<std::decay_t<T>>& out) {
  if (id.empty()) el.fail(std::string("missing ") + std::string(id_member));
  if (el.ok()) {
    out.push_back(std::forward<T>(item));
  } else {
    el.id = id.str();
  }
}

error_code read_attached(od::value& v, std::string_view member, Element& el, std::vector<AttachedPolicy>& out) {
  return for_each_item(v, member, el, [&](od::value& item) -> error_code {
    AttachedPolicy p;
    error_code e = for_each_field(item, member, el, [&](std::string_view key, od::value& f) -> error_code {
      if (key == "PolicyName") return read(f, "PolicyName", el, p.name);
      if (key == "PolicyArn") return read(f, "PolicyArn", el, p.arn);
      return SUCCESS;
    });
    if (e) return e;
    if (p.arn.empty()) {
      el.fail(fmt::format("{}: an entry without PolicyArn", member));
      return SUCCESS;
    }
    out.push_back(p);
    return SUCCESS;
  });
}

error_code read_inline(od::value& v, std::string_view member, Element& el, std::vector<InlinePolicy>& out) {
  return for_each_item(v, member, el, [&](od::value& item) -> error_code {
    InlinePolicy p;
    error_code e = for_each_field(item, member, el, [&](std::string_view key, od::value& f) -> error_code {
      if (key == "PolicyName") return read(f, "PolicyName", el, p.name);
      if (key == "PolicyDocument") return read_json_document(f, "PolicyDocument", el, p.document);
      return SUCCESS;
    });
    if (e) return e;
    if (p.name.empty()) el.fail(fmt::format("{}: an entry without PolicyName", member));
    out.push_back(std::move(p));
    return SUCCESS;
  });
}

error_code read_boundary(od::value& v, Element& el, Symbol& out) {
  return for_each_field(v, "PermissionsBoundary", el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "PermissionsBoundaryArn") return read(f, "PermissionsBoundary.PermissionsBoundaryArn", el, out);
    return SUCCESS;
  });
}

error_code read_iam_tags(od::value& v, std::string_view member, Element& el,
                         std::vector<std::pair<Symbol, Symbol>>& out) {
  Tags tags;
  if (error_code e = read_tags(v, member, el, tags)) return e;
  for (const Tag& t : tags) out.emplace_back(t.key, t.value);
  return SUCCESS;
}

}  // namespace

error_code parse_iam_user(od::value& element, Element& el) {
  IamUser u;
  u.source = el.file.source();
  error_code e = for_each_field(element, "UserDetailList", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "UserName") return read(v, key, el, u.name);
    if (key == "UserId") return read(v, key, el, u.id);
    if (key == "Arn") return read(v, key, el, u.arn);
    if (key == "Path") return read(v, key, el, u.path);
    if (key == "CreateDate") return read_time(v, key, el, u.create_date);
    if (key == "GroupList") return read_strings(v, key, el, u.group_names);
    if (key == "AttachedManagedPolicies") return read_attached(v, key, el, u.attached_policies);
    if (key == "UserPolicyList") return read_inline(v, key, el, u.inline_policies);
    if (key == "PermissionsBoundary") return read_boundary(v, el, u.permissions_boundary_arn);
    if (key == "Tags") return read_iam_tags(v, key, el, u.tags);
    return SUCCESS;
  });
  if (e) return e;
  if (u.name.empty()) el.fail("missing UserName");
  keep_by(el, "Arn", u.arn, std::move(u), el.file.result().iam.users);
  return SUCCESS;
}

error_code parse_iam_group(od::value& element, Element& el) {
  IamGroup g;
  g.source = el.file.source();
  error_code e = for_each_field(element, "GroupDetailList", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "GroupName") return read(v, key, el, g.name);
    if (key == "GroupId") return read(v, key, el, g.id);
    if (key == "Arn") return read(v, key, el, g.arn);
    if (key == "Path") return read(v, key, el, g.path);
    if (key == "CreateDate") return read_time(v, key, el, g.create_date);
    if (key == "AttachedManagedPolicies") return read_attached(v, key, el, g.attached_policies);
    if (key == "GroupPolicyList") return read_inline(v, key, el, g.inline_policies);
    return SUCCESS;
  });
  if (e) return e;
  if (g.name.empty()) el.fail("missing GroupName");
  keep_by(el, "Arn", g.arn, std::move(g), el.file.result().iam.groups);
  return SUCCESS;
}

namespace {

error_code read_instance_profile(od::value& item, Element& el, std::vector<InstanceProfile>& out) {
  InstanceProfile p;
  error_code e = for_each_field(item, "InstanceProfileList", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "InstanceProfileName") return read(v, "InstanceProfileList.InstanceProfileName", el, p.name);
    if (key == "InstanceProfileId") return read(v, "InstanceProfileList.InstanceProfileId", el, p.id);
    if (key == "Arn") return read(v, "InstanceProfileList.Arn", el, p.arn);
    if (key == "Path") return read(v, "InstanceProfileList.Path", el, p.path);
    if (key == "Roles") return read_member_of_each(v, "InstanceProfileList.Roles", "RoleName", el, p.role_names);
    return SUCCESS;
  });
  if (e) return e;
  if (p.arn.empty()) {
    el.fail("InstanceProfileList: an entry without Arn");
    return SUCCESS;
  }
  out.push_back(std::move(p));
  return SUCCESS;
}

}  // namespace

error_code parse_iam_role(od::value& element, Element& el) {
  IamRole r;
  r.source = el.file.source();
  error_code e = for_each_field(element, "RoleDetailList", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "RoleName") return read(v, key, el, r.name);
    if (key == "RoleId") return read(v, key, el, r.id);
    if (key == "Arn") return read(v, key, el, r.arn);
    if (key == "Path") return read(v, key, el, r.path);
    if (key == "CreateDate") return read_time(v, key, el, r.create_date);
    if (key == "AssumeRolePolicyDocument") return read_json_document(v, key, el, r.assume_role_policy_document);
    if (key == "AttachedManagedPolicies") return read_attached(v, key, el, r.attached_policies);
    if (key == "RolePolicyList") return read_inline(v, key, el, r.inline_policies);
    if (key == "InstanceProfileList") {
      return for_each_item(v, key, el, [&](od::value& item) { return read_instance_profile(item, el, r.instance_profiles); });
    }
    if (key == "PermissionsBoundary") return read_boundary(v, el, r.permissions_boundary_arn);
    if (key == "RoleLastUsed") {
      return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
        if (k == "LastUsedDate") return read_time(f, "RoleLastUsed.LastUsedDate", el, r.last_used);
        if (k == "Region") return read(f, "RoleLastUsed.Region", el, r.last_used_region);
        return SUCCESS;
      });
    }
    if (key == "MaxSessionDuration") return read(v, key, el, r.max_session_duration);
    if (key == "Tags") return read_iam_tags(v, key, el, r.tags);
    return SUCCESS;
  });
  if (e) return e;
  if (r.name.empty()) el.fail("missing RoleName");
  keep_by(el, "Arn", r.arn, std::move(r), el.file.result().iam.roles);
  return SUCCESS;
}

error_code parse_managed_policy(od::value& element, Element& el) {
  ManagedPolicy p;
  p.source = el.file.source();
  error_code e = for_each_field(element, "Policies", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "PolicyName") return read(v, key, el, p.name);
    if (key == "PolicyId") return read(v, key, el, p.id);
    if (key == "Arn") return read(v, key, el, p.arn);
    if (key == "Path") return read(v, key, el, p.path);
    if (key == "DefaultVersionId") return read(v, key, el, p.default_version_id);
    if (key == "AttachmentCount") return read(v, key, el, p.attachment_count);
    if (key == "PermissionsBoundaryUsageCount") return read(v, key, el, p.permissions_boundary_usage_count);
    if (key == "IsAttachable") return read(v, key, el, p.is_attachable);
    if (key == "CreateDate") return read_time(v, key, el, p.create_date);
    if (key == "UpdateDate") return read_time(v, key, el, p.update_date);
    if (key == "PolicyVersionList") {
      return for_each_item(v, key, el, [&](od::value& item) -> error_code {
        PolicyVersion version;
        error_code e2 = for_each_field(item, key, el, [&](std::string_view k, od::value& f) -> error_code {
          if (k == "VersionId") return read(f, "PolicyVersionList.VersionId", el, version.version_id);
          if (k == "IsDefaultVersion") return read(f, "PolicyVersionList.IsDefaultVersion", el, version.is_default);
          if (k == "Document") return read_json_document(f, "PolicyVersionList.Document", el, version.document);
          if (k == "CreateDate") return read_time(f, "PolicyVersionList.CreateDate", el, version.create_date);
          return SUCCESS;
        });
        if (e2) return e2;
        p.versions.push_back(std::move(version));
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  keep_by(el, "Arn", p.arn, std::move(p), el.file.result().iam.policies);
  return SUCCESS;
}

error_code parse_virtual_mfa_device(od::value& element, Element& el) {
  VirtualMfaDevice d;
  d.source = el.file.source();
  error_code e =
      for_each_field(element, "VirtualMFADevices", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "SerialNumber") return read(v, key, el, d.serial_number);
        if (key == "EnableDate") return read_time(v, key, el, d.enable_date);
        if (key == "User") {
          return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
            if (k == "Arn") return read(f, "User.Arn", el, d.user_arn);
            if (k == "UserName") return read(f, "User.UserName", el, d.user_name);
            return SUCCESS;
          });
        }
        return SUCCESS;
      });
  if (e) return e;
  keep_by(el, "SerialNumber", d.serial_number, std::move(d), el.file.result().iam.virtual_mfa_devices);
  return SUCCESS;
}

error_code parse_organization_account(od::value& element, Element& el) {
  OrganizationAccount a;
  a.source = el.file.source();
  Symbol state;
  error_code e = for_each_field(element, "Accounts", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Id") return read(v, key, el, a.id);
    if (key == "Arn") return read(v, key, el, a.arn);
    if (key == "Name") return read(v, key, el, a.name);
    if (key == "Email") return read(v, key, el, a.email);
    if (key == "Status") return read(v, key, el, a.status);
    if (key == "State") return read(v, key, el, state);
    if (key == "JoinedMethod") return read(v, key, el, a.joined_method);
    if (key == "JoinedTimestamp") return read_time(v, key, el, a.joined_timestamp);
    return SUCCESS;
  });
  if (e) return e;
  if (!state.empty()) a.status = state;  // State replaces the deprecated Status
  keep_by(el, "Id", a.id, std::move(a), el.file.result().organization_accounts);
  return SUCCESS;
}

// ---- document kinds ---------------------------------------------------------------------------

error_code parse_credential_report(od::object& top, Element& el) {
  CredentialReport report;
  report.source = el.file.source();
  std::string content;
  bool has_content = false;
  const char* content_at = nullptr;
  Symbol format;
  error_code e = for_each_field(top, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Content") {
      has_content = true;
      content_at = location_of(v);
      return read(v, key, el, content);
    }
    if (key == "ReportFormat") return read(v, key, el, format);
    if (key == "GeneratedTime") return read_time(v, key, el, report.generated_time);
    return SUCCESS;
  });
  if (e) return e;
  if (!el.ok()) return SUCCESS;
  if (!format.empty() && format != "text/csv") {
    el.fail(fmt::format("ReportFormat \"{}\" is not text/csv", format));
    return SUCCESS;
  }
  std::optional<std::string> csv = decode_base64(content);
  if (!has_content || !csv) {
    el.fail("Content is not base64");
    return SUCCESS;
  }
  ParsedCredentialReport parsed = parse_credential_report_csv(*csv);
  if (!parsed.header_ok) {
    el.fail(fmt::format("the decoded report is no credential report CSV ({})",
                        parsed.problems.empty() ? "no header" : parsed.problems.front().message));
    return SUCCESS;
  }
  FileContext& file = el.file;
  for (const CredentialReportProblem& p : parsed.problems) {
    std::string which = p.user.empty() ? std::string() : fmt::format(" (user {})", p.user);
    file.element_skipped(content_at, "credential report row", 0, "",
                         fmt::format("CSV line {}{}: {}", p.line, which, p.message));
  }
  file.result().elements_seen += parsed.rows_seen;
  report.rows = std::move(parsed.rows);
  file.result().iam.credential_report = std::move(report);
  return SUCCESS;
}

error_code parse_generate_credential_report(od::object& top, Element& el) {
  Symbol state;
  error_code e = for_each_field(top, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "State") return read(v, key, el, state);
    return SUCCESS;
  });
  if (e) return e;
  if (el.ok() && state != "STARTED" && state != "INPROGRESS" && state != "COMPLETE") {
    el.fail(fmt::format("State \"{}\" is not STARTED, INPROGRESS or COMPLETE", state));
  }
  return SUCCESS;
}

error_code parse_account_summary(od::object& top, Element& el) {
  std::unordered_map<std::string, int64_t> summary;
  error_code e = for_each_field(top, [&](std::string_view key, od::value& v) -> error_code {
    if (key != "SummaryMap") return SUCCESS;
    return for_each_field(v, key, el, [&](std::string_view name, od::value& n) -> error_code {
      std::string k(name);
      int64_t value = 0;
      if (error_code e2 = read(n, "SummaryMap." + k, el, value)) return e2;
      summary[k] = value;
      return SUCCESS;
    });
  });
  if (e) return e;
  el.file.result().iam.account_summary = std::move(summary);
  return SUCCESS;
}

error_code parse_password_policy(od::object& top, Element& el) {
  PasswordPolicy p;
  p.exists = true;
  p.source = el.file.source();
  error_code e = for_each_field(top, [&](std::string_view key, od::value& v) -> error_code {
    if (key != "PasswordPolicy") return SUCCESS;
    return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
      if (k == "MinimumPasswordLength") return read(f, k, el, p.minimum_password_length);
      if (k == "RequireSymbols") return read(f, k, el, p.require_symbols);
      if (k == "RequireNumbers") return read(f, k, el, p.require_numbers);
      if (k == "RequireUppercaseCharacters") return read(f, k, el, p.require_uppercase_characters);
      if (k == "RequireLowercaseCharacters") return read(f, k, el, p.require_lowercase_characters);
      if (k == "AllowUsersToChangePassword") return read(f, k, el, p.allow_users_to_change_password);
      if (k == "ExpirePasswords") return read(f, k, el, p.expire_passwords);
      if (k == "MaxPasswordAge") return read(f, k, el, p.max_password_age);
      if (k == "PasswordReusePrevention") return read(f, k, el, p.password_reuse_prevention);
      if (k == "HardExpiry") return read_optional(f, k, el, p.hard_expiry);
      return SUCCESS;
    });
  });
  if (e) return e;
  el.file.result().iam.password_policy = p;
  return SUCCESS;
}

}  // namespace fortress::load
