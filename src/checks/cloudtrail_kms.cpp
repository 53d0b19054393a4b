// cloudtrail-kms (CIS 3.5): every trail's log files are encrypted with a KMS key the account controls.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) report_coverage_gaps(region, {Dataset::kTrails}, sink);
  for (const AccountTrail& a : account_trails(ctx.account)) {
    const Trail& t = *a.trail;
    JsonValue evidence = JsonValue::object();
    evidence.set("trail_arn", t.arn);
    evidence.set("home_region", a.home_region);
    evidence.set("kms_key_id", t.kms_key_id);
    evidence.set("s3_bucket_name", t.s3_bucket_name);
    if (!t.kms_key_id.empty()) {
      Finding& f = sink.pass(a.home_region, t.arn, t.name, fmt::format("log files are encrypted with KMS key {}", t.kms_key_id));
      f.evidence = std::move(evidence);
      continue;
    }
    std::string detail = fmt::format(
        "log files in s3://{} are encrypted only with S3-managed keys: anyone who can read the bucket reads the "
        "account's API history",
        t.s3_bucket_name);
    if (a.owned_elsewhere) {
      detail += fmt::format("; the trail belongs to account {} (an organization trail): change it there",
                            arn_account(t.arn));
    }
    Finding& f = sink.fail(a.home_region, t.arn, t.name, std::move(detail));
    f.evidence = std::move(evidence);
    f.remediation_cli = fmt::format("aws cloudtrail update-trail --region {} --name {} --kms-key-id <kms-key-arn>",
                                    a.home_region, t.arn);
  }
}

}  // namespace

Check cloudtrail_kms_check() {
  return Check{
      CheckMetadata{
          .id = "cloudtrail-kms",
          .title = "CloudTrail logs are not encrypted with a KMS key",
          .severity = Severity::kMedium,
          .area = Area::kLifecycle,
          .resource_type = "AWS::CloudTrail::Trail",
          .cis_aws_3_0 = "3.5",
          .rationale =
              "With SSE-KMS, reading a log file needs kms:Decrypt on the key as well as s3:GetObject on the "
              "bucket, and every decryption is itself logged. The API history names users, roles, IP addresses "
              "and resource layouts: it is reconnaissance material for whoever can read the bucket.",
          .remediation =
              "Create (or choose) a customer-managed KMS key in the trail's home region whose key policy lets "
              "cloudtrail.amazonaws.com encrypt for this trail and your log readers decrypt, then point the "
              "trail at it.",
          .remediation_cli = "aws cloudtrail update-trail --region {home_region} --name {trail} --kms-key-id <kms-key-arn>",
          .links = {"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
                    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html"},
      },
      run,
  };
}

}  // namespace fortress
