// user-direct-policies (CIS 1.15): IAM users get their permissions through groups only, never from
// policies attached to or written on the user. From get-account-authorization-details.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  if (!report_account_gaps(a, {Dataset::kAccountAuthorizationDetails}, sink)) return;
  for (const IamUser& u : a.iam.users) {
    if (u.attached_policies.empty() && u.inline_policies.empty()) {
      sink.pass("", u.arn, u.name,
                u.group_names.empty() ? "no policies on the user (and no groups)" : "permissions only through groups");
      continue;
    }
    std::vector<std::string> what, commands;
    JsonValue attached = JsonValue::array(), inline_names = JsonValue::array();
    for (const fortress::AttachedPolicy& p : u.attached_policies) {
      what.push_back(fmt::format("managed policy {}", p.name));
      attached.push(p.arn);
      commands.push_back(fmt::format("aws iam detach-user-policy --user-name {} --policy-arn {}", u.name, p.arn));
    }
    for (const fortress::InlinePolicy& p : u.inline_policies) {
      what.push_back(fmt::format("inline policy {}", p.name));
      inline_names.push(p.name);
      commands.push_back(fmt::format("aws iam delete-user-policy --user-name {} --policy-name {}", u.name, p.name));
    }
    Finding& f = sink.fail("", u.arn, u.name,
                           fmt::format("permissions attached to the user itself: {}", fmt::join(what, ", ")));
    f.evidence.set("attached_managed_policies", std::move(attached));
    f.evidence.set("inline_policies", std::move(inline_names));
    f.evidence.set("groups", JsonValue::strings(u.group_names));
    f.remediation_cli = fmt::format("{}", fmt::join(commands, " && "));
  }
}

}  // namespace

Check user_direct_policies_check() {
  return Check{
      CheckMetadata{
          .id = "user-direct-policies",
          .title = "An IAM user has policies of its own instead of getting them from groups",
          .severity = Severity::kLow,
          .area = Area::kPermissions,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "1.15",
          .rationale =
              "Permissions granted user by user drift apart and are not reviewed; granted through groups "
              "(job functions) they are visible, uniform, and removed when someone changes job.",
          .remediation =
              "Attach the policies (or equivalent ones) to a group for the user's job function, add the user to "
              "it, then detach the managed policies from the user and delete its inline policies. Run the "
              "commands only after the group grants what the user needs.",
          .remediation_cli =
              "aws iam detach-user-policy --user-name {user} --policy-arn {policy_arn} && aws iam delete-user-policy "
              "--user-name {user} --policy-name {inline_policy}",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_add-remove-users.html"},
      },
      run,
  };
}

}  // namespace fortress
