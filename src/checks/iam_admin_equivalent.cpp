// iam-admin-equivalent: users and roles that are administrators, or can make themselves one, each
// with the path that makes them so (src/iam/analysis.h lists the paths followed). Service-linked
// roles are left out: only their AWS service can use them and their policies are AWS's.
#include <fmt/format.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

constexpr size_t kMaxPathsInEvidence = 10;

std::string path_detail(const iam::AdminPath& path) {
  std::string out = path.kind == iam::PathKind::kFullAdmin ? "full administrator: " : "admin-equivalent: ";
  if (path.conditional) out = "conditionally " + out;
  out += path.summary;
  for (const iam::Step& s : path.steps) {
    if (s.trust) {
      out += "; " + s.trust->explain();
      continue;
    }
    if (s.answer && !s.answer->grants.empty()) {
      out += "; " + s.answer->explain();
      break;
    }
  }
  return out;
}

void run(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  const bool complete = report_account_gaps(a, {Dataset::kAccountAuthorizationDetails}, sink);
  std::optional<iam::Analysis> local;
  const iam::Analysis& analysis = iam_analysis(ctx, local);
  for (const iam::PrincipalAnalysis& p : analysis.principals()) {
    if (p.service_linked) continue;
    Finding* f = nullptr;
    switch (p.admin) {
      case iam::Verdict::kYes:
      case iam::Verdict::kConditional: {
        const iam::AdminPath& first = p.admin_paths.front();
        std::string detail = path_detail(first);
        if (p.admin_paths.size() > 1) {
          detail += fmt::format(" (and {} more path{} in the evidence)", p.admin_paths.size() - 1,
                                p.admin_paths.size() > 2 ? "s" : "");
        }
        f = &sink.fail("", p.arn, p.name, std::move(detail));
        JsonValue evidence = principal_evidence(p);
        evidence.set("verdict", to_string(p.admin));
        JsonValue paths = JsonValue::array();
        for (size_t i = 0; i < p.admin_paths.size() && i < kMaxPathsInEvidence; ++i) paths.push(p.admin_paths[i].to_json());
        evidence.set("paths", std::move(paths));
        if (p.admin_paths.size() > kMaxPathsInEvidence) evidence.set("paths_not_shown", p.admin_paths.size() - kMaxPathsInEvidence);
        f->evidence = evidence;
        if (const iam::AttachedPolicy* grant = decisive_policy(first); grant != nullptr) {
          f->remediation_cli = revoke_command(p, *grant);
        }
        break;
      }
      case iam::Verdict::kNo:
        if (!complete) continue;  // the account's NOT_ASSESSED finding covers it
        f = &sink.pass("", p.arn, p.name, "not admin-equivalent: no full admin, no iam:*, no known escalation path");
        break;
      case iam::Verdict::kUnknown:
        f = &sink.not_assessed("", p.arn, p.name,
                               p.admin_unknown.empty() ? std::string("could not be decided") : p.admin_unknown.front());
        f->evidence.set("unknown", JsonValue::strings(p.admin_unknown));
        break;
    }
    f->resource_type = principal_type(p);
  }
}

}  // namespace

Check iam_admin_equivalent_check() {
  return Check{
      CheckMetadata{
          .id = "iam-admin-equivalent",
          .title = "A user or role is admin-equivalent (full admin, iam:*, or a privilege-escalation path)",
          .severity = Severity::kHigh,
          .area = Area::kPermissions,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "",
          .rationale =
              "Whoever can do everything, or can give themselves everything, is an administrator whatever their "
              "policies are called: a leaked key or a phished session of theirs is the account. fortress "
              "evaluates every user's and role's identity policies (inline, managed, through groups, within "
              "its permissions boundary) with IAM's evaluation logic and follows the documented escalation "
              "paths: iam:CreatePolicyVersion/SetDefaultPolicyVersion on its own policies, "
              "Attach/Put*Policy on itself or its group, AddUserToGroup into an admin group, CreateAccessKey or "
              "login profiles of admin users, sts:AssumeRole on (or UpdateAssumeRolePolicy of) an admin role, "
              "and iam:PassRole of an admin role to EC2, Lambda or CloudFormation. Each finding names the path "
              "and the policy statements that open it. Conditions are not evaluated: a path that needs one is "
              "reported as conditional. SCPs are not in the snapshot and may restrict a principal further.",
          .remediation =
              "Keep real administrators few, behind MFA, preferably as roles assumed through IAM Identity Center. "
              "For everyone else remove the grant that opens the path (the command removes the first one found; "
              "re-scan, as there may be others in the evidence).",
          .remediation_cli = "aws iam detach-{user|role}-policy --{user|role}-name {name} --policy-arn {policy_arn}",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"},
      },
      run,
  };
}

}  // namespace fortress
