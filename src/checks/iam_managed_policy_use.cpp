// Who has a named AWS managed policy, as CIS audits it with list-entities-for-policy:
// support-role (CIS 1.17: some role has AWSSupportAccess) and cloudshell-full-access (CIS 1.22: no
// user, group or role has AWSCloudShellFullAccess). From get-account-authorization-details'
// AttachedManagedPolicies, by ARN (arn:<partition>:iam::aws:policy/<name>).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fmt/ranges.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

bool has_policy(const std::vector<fortress::AttachedPolicy>& attached, std::string_view name) {
  return std::any_of(attached.begin(), attached.end(),
                     [&](const fortress::AttachedPolicy& p) { return iam::is_aws_managed_policy(p.arn, name); });
}

std::string partition_of(const Account& a) {
  for (const IamRole& r : a.iam.roles) {
    const std::string_view arn = r.arn;
    if (arn.starts_with("arn:")) return std::string(arn.substr(4, arn.find(':', 4) - 4));
  }
  return "aws";
}

void run_support(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  if (!report_account_gaps(a, {Dataset::kAccountAuthorizationDetails}, sink)) return;
  std::vector<std::string> roles;
  for (const IamRole& r : a.iam.roles) {
    if (has_policy(r.attached_policies, iam::kAwsSupportAccess)) roles.push_back(r.name.str());
  }
  const Symbol account = a.account_id;
  if (!roles.empty()) {
    Finding& f = sink.pass("", account, "account",
                           fmt::format("AWSSupportAccess is attached to role{} {}", roles.size() > 1 ? "s" : "", fmt::join(roles, ", ")));
    f.evidence.set("support_roles", JsonValue::strings(roles));
    return;
  }
  Finding& f = sink.fail("", account, "account",
                         "no IAM role has the AWS managed policy AWSSupportAccess: nobody can open and follow AWS Support "
                         "cases without broader rights (or the root user)");
  f.remediation_cli = fmt::format(
      "aws iam create-role --role-name aws-support --assume-role-policy-document "
      "'{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:{0}:iam::{1}:root\"}},"
      "\"Action\":\"sts:AssumeRole\"}}]}}' && aws iam attach-role-policy --role-name aws-support --policy-arn "
      "arn:{0}:iam::aws:policy/AWSSupportAccess",
      partition_of(a), a.account_id);
}

void run_cloudshell(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  if (!report_account_gaps(a, {Dataset::kAccountAuthorizationDetails}, sink)) return;
  size_t found = 0;
  const std::string policy_arn = fmt::format("arn:{}:iam::aws:policy/AWSCloudShellFullAccess", partition_of(a));
  const auto fail = [&](std::string_view type, Symbol arn, Symbol name, std::string_view kind) {
    ++found;
    Finding& f = sink.fail("", arn, name,
                           fmt::format("AWSCloudShellFullAccess is attached to {} {}: CloudShell can upload and download files "
                                       "and reach the internet from inside the account",
                                       kind, name));
    f.resource_type = type;
    f.evidence.set("policy_arn", policy_arn);
    f.remediation_cli = fmt::format("aws iam detach-{0}-policy --{0}-name {1} --policy-arn {2}", kind, name, policy_arn);
  };
  for (const IamUser& u : a.iam.users) {
    if (has_policy(u.attached_policies, iam::kCloudShellFullAccess)) fail("AWS::IAM::User", u.arn, u.name, "user");
  }
  for (const IamGroup& g : a.iam.groups) {
    if (has_policy(g.attached_policies, iam::kCloudShellFullAccess)) fail("AWS::IAM::Group", g.arn, g.name, "group");
  }
  for (const IamRole& r : a.iam.roles) {
    if (has_policy(r.attached_policies, iam::kCloudShellFullAccess)) fail("AWS::IAM::Role", r.arn, r.name, "role");
  }
  if (found == 0) {
    Finding& f = sink.pass("", a.account_id, "account", "AWSCloudShellFullAccess is attached to no user, group or role");
    f.resource_type = "AWS::::Account";
  }
}

}  // namespace

Check support_role_check() {
  return Check{
      CheckMetadata{
          .id = "support-role",
          .title = "No IAM role can manage AWS Support cases",
          .severity = Severity::kLow,
          .area = Area::kPermissions,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "1.17",
          .rationale =
              "During an incident someone must open and follow AWS Support cases. A role with the AWS managed "
              "AWSSupportAccess policy gives exactly that, to the people you allow to assume it, instead of "
              "broader rights or the root user. As CIS audits it: some role has the policy attached.",
          .remediation =
              "Create a role that your incident responders may assume and attach AWSSupportAccess to it. "
              "Narrow the trust policy to the responders' roles or group rather than the whole account.",
          .remediation_cli =
              "aws iam create-role --role-name aws-support --assume-role-policy-document file://trust.json && aws iam "
              "attach-role-policy --role-name aws-support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess",
          .links = {"https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html",
                    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSupportAccess.html"},
      },
      run_support,
  };
}

Check cloudshell_full_access_check() {
  return Check{
      CheckMetadata{
          .id = "cloudshell-full-access",
          .title = "AWSCloudShellFullAccess is attached to a user, group or role",
          .severity = Severity::kMedium,
          .area = Area::kPermissions,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "1.22",
          .rationale =
              "CloudShell with full access lets its user upload and download files and reach the internet from a "
              "shell that holds their AWS credentials: a data-transfer path outside your controls. CIS asks to "
              "restrict the AWS managed AWSCloudShellFullAccess policy.",
          .remediation =
              "Detach AWSCloudShellFullAccess; grant CloudShell with a policy that denies cloudshell:PutFileUpload "
              "and cloudshell:GetFileDownload where it is needed at all.",
          .remediation_cli =
              "aws iam detach-{entity}-policy --{entity}-name {name} --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess",
          .links = {"https://docs.aws.amazon.com/cloudshell/latest/userguide/sec-auth-with-identities.html"},
      },
      run_cloudshell,
  };
}

}  // namespace fortress
