// admin-star-policy (CIS 1.16): no policy in use allows "*" on "*". CIS audits the attached customer
// managed policies; fortress reads every policy in use the same way (customer and AWS managed
// attached to a user, group or role, and inline policies), because each grants the same. The test
// is the statement CIS names: Effect Allow, an Action that is "*" (or "*:*"), a Resource that is "*".
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fmt/ranges.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

const iam::Pattern& every_action() {
  static const iam::Pattern p = iam::Pattern::wildcard("*:*", true);
  return p;
}
const iam::Pattern& every_resource() {
  static const iam::Pattern p = iam::Pattern::wildcard("*", false);
  return p;
}

const iam::Statement* star_statement(const iam::PolicyDocument& doc) {
  for (const iam::Statement& st : doc.statements) {
    if (st.effect != iam::Effect::kAllow || st.not_action || st.not_resource) continue;
    const bool all_actions = std::any_of(st.action_patterns.begin(), st.action_patterns.end(),
                                         [](const iam::Pattern& p) { return iam::covers(p, every_action()) == iam::Match::kYes; });
    const bool all_resources = std::any_of(st.resource_patterns.begin(), st.resource_patterns.end(), [](const iam::Pattern& p) {
      return iam::covers(p, every_resource()) == iam::Match::kYes;
    });
    if (all_actions && all_resources) return &st;
  }
  return nullptr;
}

// "user/bob" -> {"user", "bob"}
std::pair<std::string_view, std::string_view> split_entity(std::string_view entity) {
  const size_t slash = entity.find('/');
  return {entity.substr(0, slash), slash == std::string_view::npos ? std::string_view() : entity.substr(slash + 1)};
}

std::string detach_commands(const iam::PolicyRecord& r) {
  std::vector<std::string> commands;
  for (const std::string& entity : r.attached_to) {
    const auto [kind, name] = split_entity(entity);
    if (r.policy.origin == iam::PolicyOrigin::kInline) {
      commands.push_back(fmt::format("aws iam delete-{0}-policy --{0}-name {1} --policy-name {2}", kind, name, r.policy.name));
    } else {
      commands.push_back(fmt::format("aws iam detach-{0}-policy --{0}-name {1} --policy-arn {2}", kind, name, r.policy.arn));
    }
  }
  return fmt::format("{}", fmt::join(commands, " && "));
}

void run(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  if (!report_account_gaps(a, {Dataset::kAccountAuthorizationDetails}, sink)) return;
  std::optional<iam::Analysis> local;
  const iam::Analysis& analysis = iam_analysis(ctx, local);
  for (const iam::PolicyRecord& r : analysis.policies()) {
    const bool is_inline = r.policy.origin == iam::PolicyOrigin::kInline;
    const std::string id = is_inline ? fmt::format("{}/inline/{}", r.policy.owner, r.policy.name) : r.policy.arn;
    const std::string name = is_inline ? fmt::format("{} (inline, {})", r.policy.name, r.policy.owner) : r.policy.name;
    if (r.policy.document == nullptr) {
      Finding& f = sink.not_assessed("", id, name, fmt::format("{}: {}", r.policy.label(), r.policy.problem));
      f.resource_type = is_inline ? "AWS::IAM::Policy" : "AWS::IAM::ManagedPolicy";
      continue;
    }
    const iam::Statement* st = star_statement(*r.policy.document);
    if (st == nullptr) {
      Finding& f = sink.pass("", id, name, "no statement allows \"*\" on \"*\"");
      f.resource_type = is_inline ? "AWS::IAM::Policy" : "AWS::IAM::ManagedPolicy";
      continue;
    }
    std::string detail = fmt::format("{} allows \"*\" on \"*\" ({}){}; attached to {}", r.policy.label(), st->label(),
                                     st->conditional() ? ", under a Condition" : "", fmt::join(r.attached_to, ", "));
    Finding& f = sink.fail("", id, name, std::move(detail));
    f.resource_type = is_inline ? "AWS::IAM::Policy" : "AWS::IAM::ManagedPolicy";
    f.evidence.set("policy", r.policy.name);
    if (!r.policy.arn.empty()) f.evidence.set("arn", r.policy.arn);
    f.evidence.set("kind", is_inline ? "inline" : r.policy.origin == iam::PolicyOrigin::kAwsManaged ? "aws-managed" : "customer-managed");
    f.evidence.set("statement", uint64_t(st->index + 1));
    if (!st->sid.empty()) f.evidence.set("sid", st->sid);
    f.evidence.set("conditional", st->conditional());
    f.evidence.set("attached_to", JsonValue::strings(r.attached_to));
    f.remediation_cli = detach_commands(r);
  }
}

}  // namespace

Check admin_star_policy_check() {
  return Check{
      CheckMetadata{
          .id = "admin-star-policy",
          .title = "A policy in use allows \"*\" on \"*\" (full administrator)",
          .severity = Severity::kHigh,
          .area = Area::kPermissions,
          .resource_type = "AWS::IAM::ManagedPolicy",
          .cis_aws_3_0 = "1.16",
          .rationale =
              "A statement allowing every action on every resource makes whoever holds the policy a full "
              "administrator, far beyond what any job needs (least privilege). CIS audits attached customer "
              "managed policies; fortress also reports AWS managed ones (AdministratorAccess) and inline "
              "policies, which grant the same. A statement with a Condition is reported too and says so.",
          .remediation =
              "Replace the policy with one scoped to the actions and resources the job needs, then detach the "
              "full-admin policy (or delete the inline one). Keep administrator access to a few break-glass "
              "roles that require MFA.",
          .remediation_cli = "aws iam detach-{entity}-policy --{entity}-name {name} --policy-arn {policy_arn}",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html"},
      },
      run,
  };
}

}  // namespace fortress
