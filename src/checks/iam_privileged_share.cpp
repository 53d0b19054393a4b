// iam-privileged-share: are (nearly) all human users administrators? The share of IAM users with a
// console password (credential report) that are admin-equivalent (iam-admin-equivalent, conditional
// ones included), against thresholds.iam_privileged_share_percent.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

bool over(size_t admins, size_t humans, uint32_t percent) {
  return humans > 0 && admins * 100 > size_t(percent) * humans;
}

void run(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  if (!report_account_gaps(a, {Dataset::kAccountAuthorizationDetails, Dataset::kCredentialReport}, sink)) return;
  std::optional<iam::Analysis> local;
  const iam::Analysis& analysis = iam_analysis(ctx, local);
  const uint32_t threshold = ctx.config.iam_privileged_share_percent;
  std::vector<std::string> admins, humans, unknown_human, unknown_admin;
  std::vector<std::string> commands;
  for (const iam::PrincipalAnalysis& p : analysis.principals()) {
    if (p.kind != iam::PrincipalKind::kUser) continue;
    if (!p.human) {
      unknown_human.push_back(p.name);
      continue;
    }
    if (!*p.human) continue;
    humans.push_back(p.name);
    if (p.admin == iam::Verdict::kYes || p.admin == iam::Verdict::kConditional) {
      admins.push_back(p.name);
      if (const iam::AttachedPolicy* g = decisive_policy(p.admin_paths.front()); g != nullptr) {
        commands.push_back(revoke_command(p, *g));
      }
    } else if (p.admin == iam::Verdict::kUnknown) {
      unknown_admin.push_back(p.name);
    }
  }
  JsonValue evidence = JsonValue::object();
  evidence.set("threshold_percent", threshold);
  evidence.set("human_users", JsonValue::strings(humans));
  evidence.set("admin_equivalent", JsonValue::strings(admins));
  if (!unknown_admin.empty()) evidence.set("admin_unknown", JsonValue::strings(unknown_admin));
  if (!unknown_human.empty()) evidence.set("console_unknown", JsonValue::strings(unknown_human));

  // The users whose status is unknown could go either way: decide only if they cannot change the verdict.
  const size_t n = humans.size(), k = admins.size();
  const bool fails_at_least = over(k, n + unknown_human.size(), threshold);
  const bool fails_at_most = over(k + unknown_admin.size() + unknown_human.size(), n + unknown_human.size(), threshold) ||
                             over(k + unknown_admin.size(), n, threshold);
  const bool certain = (unknown_admin.empty() && unknown_human.empty()) || fails_at_least || !fails_at_most;
  const Symbol account = a.account_id;
  if (!certain) {
    Finding& f = sink.not_assessed("", account, "account",
                                   fmt::format("{} of {} human users are admin-equivalent, but {} more could not be decided",
                                               k, n, unknown_admin.size() + unknown_human.size()));
    f.evidence = evidence;
    return;
  }
  if (n == 0) {
    Finding& f = sink.pass("", account, "account", "no IAM user has a console password (people sign in some other way)");
    f.evidence = evidence;
    return;
  }
  const size_t share = k * 100 / n;
  if (!over(k, n, threshold) && !fails_at_least) {
    Finding& f = sink.pass("", account, "account",
                           fmt::format("{} of {} human users ({}%) are admin-equivalent; threshold {}%", k, n, share, threshold));
    f.evidence = evidence;
    return;
  }
  Finding& f = sink.fail("", account, "account",
                         fmt::format("{} of {} human users ({}%) are admin-equivalent, more than {}%: {}", k, n, share,
                                     threshold, fmt::join(admins, ", ")));
  f.evidence = evidence;
  f.remediation_cli = fmt::format("{}", fmt::join(commands, " && "));
}

}  // namespace

Check iam_privileged_share_check() {
  return Check{
      CheckMetadata{
          .id = "iam-privileged-share",
          .title = "Too many human IAM users are admin-equivalent",
          .severity = Severity::kMedium,
          .area = Area::kPermissions,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "",
          .rationale =
              "When most people are administrators, least privilege has been given up: every phished password "
              "is an administrator's. Human users are IAM users with a console password (credential report); "
              "admin-equivalent is iam-admin-equivalent's verdict, conditional ones included. Fails above "
              "thresholds.iam_privileged_share_percent (default 50).",
          .remediation =
              "Give people job-function groups or roles; keep administrator rights to a few named people, "
              "behind MFA. The command removes the grant of each listed user: run it only for those who do not "
              "need administrator access.",
          .remediation_cli = "aws iam remove-user-from-group --user-name {user} --group-name {admin_group}",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"},
      },
      run,
  };
}

}  // namespace fortress
