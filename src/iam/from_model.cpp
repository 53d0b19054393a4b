#include "iam/from_model.h"

namespace fortress::iam {

namespace {

std::vector<std::string> policy_arns(const std::vector<fortress::AttachedPolicy>& attached) {
  std::vector<std::string> out;
  out.reserve(attached.size());
  for (const fortress::AttachedPolicy& a : attached) out.push_back(a.arn.str());
  return out;
}

std::vector<InlinePolicyText> inline_texts(const std::vector<fortress::InlinePolicy>& policies) {
  std::vector<InlinePolicyText> out;
  out.reserve(policies.size());
  for (const fortress::InlinePolicy& p : policies) out.push_back({p.name.str(), p.document});
  return out;
}

// "arn:aws-cn:iam::..." -> "aws-cn"
std::string partition_of(std::string_view arn) {
  if (!arn.starts_with("arn:")) return {};
  const size_t end = arn.find(':', 4);
  return end == std::string_view::npos ? std::string() : std::string(arn.substr(4, end - 4));
}

}  // namespace

Inventory inventory_from(const Account& account) {
  const IamData& iam = account.iam;
  Inventory inv;
  inv.account_id = account.account_id.str();
  for (const IamUser& u : iam.users) {
    UserEntity e;
    e.name = u.name.str();
    e.arn = u.arn.str();
    e.id = u.id.str();
    e.path = u.path.str();
    for (const Symbol& g : u.group_names) e.group_names.push_back(g.str());
    e.managed_policy_arns = policy_arns(u.attached_policies);
    e.inline_policies = inline_texts(u.inline_policies);
    e.boundary_arn = u.permissions_boundary_arn.str();
    if (const CredentialReportRow* row = iam.credential_row(u.name); row != nullptr) {
      if (row->password_enabled.cell == ReportCell::kValue) e.console_password = row->password_enabled.value;
    }
    inv.users.push_back(std::move(e));
  }
  for (const IamGroup& g : iam.groups) {
    GroupEntity e;
    e.name = g.name.str();
    e.arn = g.arn.str();
    e.id = g.id.str();
    e.path = g.path.str();
    e.managed_policy_arns = policy_arns(g.attached_policies);
    e.inline_policies = inline_texts(g.inline_policies);
    inv.groups.push_back(std::move(e));
  }
  for (const IamRole& r : iam.roles) {
    RoleEntity e;
    e.name = r.name.str();
    e.arn = r.arn.str();
    e.id = r.id.str();
    e.path = r.path.str();
    e.managed_policy_arns = policy_arns(r.attached_policies);
    e.inline_policies = inline_texts(r.inline_policies);
    e.boundary_arn = r.permissions_boundary_arn.str();
    e.trust_document = r.assume_role_policy_document;
    e.in_instance_profile = !r.instance_profiles.empty();
    inv.roles.push_back(std::move(e));
  }
  for (const ManagedPolicy& m : iam.policies) {
    ManagedPolicyText e;
    e.arn = m.arn.str();
    e.name = m.name.str();
    e.default_version_id = m.default_version_id.str();
    for (const PolicyVersion& v : m.versions) e.versions.push_back({v.version_id.str(), v.is_default, v.document});
    inv.policies.push_back(std::move(e));
  }
  // The partition of the account's own ARNs ("aws", "aws-cn", "aws-us-gov").
  for (const std::string* arn : {inv.users.empty() ? nullptr : &inv.users.front().arn,
                                 inv.roles.empty() ? nullptr : &inv.roles.front().arn}) {
    if (arn == nullptr) continue;
    const std::string p = partition_of(*arn);
    if (!p.empty()) {
      inv.partition = p;
      break;
    }
  }
  return inv;
}

Analysis analyse_account(const Account& account) {
  return Analysis::build(inventory_from(account));
}

}  // namespace fortress::iam
