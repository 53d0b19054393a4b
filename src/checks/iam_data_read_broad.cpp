// iam-data-read-broad: users and roles that can read data everywhere, the exfiltration risk of
// "read-only" access: s3:GetObject on every object, secretsmanager:GetSecretValue on every secret,
// ssm:GetParameter(s) on every parameter, kms:Decrypt on every key, dynamodb reads on every table,
// or the AWS managed ReadOnlyAccess policy.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  const Account& a = ctx.account;
  const bool complete = report_account_gaps(a, {Dataset::kAccountAuthorizationDetails}, sink);
  std::optional<iam::Analysis> local;
  const iam::Analysis& analysis = iam_analysis(ctx, local);
  for (const iam::PrincipalAnalysis& p : analysis.principals()) {
    if (p.service_linked) continue;
    Finding* f = nullptr;
    if (p.data_read == iam::Verdict::kYes || p.data_read == iam::Verdict::kConditional) {
      std::vector<std::string> parts;
      JsonValue reads = JsonValue::array();
      for (const iam::DataRead& d : p.data_reads) {
        parts.push_back(d.conditional ? d.what + " (conditionally)" : d.what);
        JsonValue r = d.step.to_json();
        r.set("what", d.what);
        r.set("conditional", d.conditional);
        reads.push(std::move(r));
      }
      // The reads, then why the first one is allowed (the evidence has every one's statements).
      const iam::Step& first_step = p.data_reads.front().step;
      const std::string why = first_step.answer ? first_step.action + " " + first_step.answer->explain() : first_step.note;
      f = &sink.fail("", p.arn, p.name, fmt::format("can read {}; {}", fmt::join(parts, ", "), why));
      JsonValue evidence = principal_evidence(p);
      evidence.set("verdict", to_string(p.data_read));
      evidence.set("reads", std::move(reads));
      f->evidence = evidence;
      const iam::DataRead& first = p.data_reads.front();
      const iam::AttachedPolicy* grant = nullptr;
      if (first.step.answer && !first.step.answer->grants.empty()) grant = first.step.answer->grants.front().policy;
      if (grant == nullptr) {
        for (const iam::AttachedPolicy& pol : p.policies.identity) {
          if (iam::is_aws_managed_policy(pol.arn, iam::kReadOnlyAccess)) grant = &pol;
        }
      }
      if (grant != nullptr) f->remediation_cli = revoke_command(p, *grant);
    } else if (p.data_read == iam::Verdict::kNo) {
      if (!complete) continue;
      f = &sink.pass("", p.arn, p.name, "cannot read S3 objects, secrets, parameters, KMS keys or tables everywhere");
    } else {
      f = &sink.not_assessed("", p.arn, p.name, p.data_unknown.empty() ? std::string("could not be decided") : p.data_unknown.front());
      f->evidence.set("unknown", JsonValue::strings(p.data_unknown));
    }
    f->resource_type = principal_type(p);
  }
}

}  // namespace

Check iam_data_read_broad_check() {
  return Check{
      CheckMetadata{
          .id = "iam-data-read-broad",
          .title = "A user or role can read data everywhere (read-only exfiltration risk)",
          .severity = Severity::kMedium,
          .area = Area::kPermissions,
          .resource_type = "AWS::IAM::User",
          .cis_aws_3_0 = "",
          .rationale =
              "\"Read only\" is not harmless: reading every S3 object, every secret, every SSM parameter or "
              "every table, or decrypting with every KMS key, is how data leaves an account. fortress asks the "
              "evaluator whether the principal may perform s3:GetObject on every object, "
              "secretsmanager:GetSecretValue on every secret, ssm:GetParameter(s) on every parameter, "
              "kms:Decrypt on every key (key policies still apply; the default one lets IAM decide), "
              "dynamodb:GetItem/Scan/Query on every table, or holds AWS managed ReadOnlyAccess. Bucket, key and "
              "secret resource policies may narrow this further; they are not in the snapshot.",
          .remediation =
              "Scope reads to the buckets, secrets, parameters, keys and tables the job needs (resource ARNs, "
              "not \"*\"); replace ReadOnlyAccess with ViewOnlyAccess or SecurityAudit where people need to see "
              "configuration, not data.",
          .remediation_cli = "aws iam detach-{user|role}-policy --{user|role}-name {name} --policy-arn {policy_arn}",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
                    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html"},
      },
      run,
  };
}

}  // namespace fortress
