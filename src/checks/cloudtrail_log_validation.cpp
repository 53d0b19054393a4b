// cloudtrail-log-validation (CIS 3.2): every trail writes digest files, so a deleted or edited log file
// can be detected.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  // A region whose trail list is missing may hide single-region trails of its own.
  for (const Region& region : ctx.account.regions) report_coverage_gaps(region, {Dataset::kTrails}, sink);
  for (const AccountTrail& a : account_trails(ctx.account)) {
    const Trail& t = *a.trail;
    JsonValue evidence = JsonValue::object();
    evidence.set("trail_arn", t.arn);
    evidence.set("home_region", a.home_region);
    evidence.set("multi_region", t.is_multi_region);
    evidence.set("log_file_validation_enabled", t.log_file_validation_enabled);
    if (t.log_file_validation_enabled) {
      Finding& f = sink.pass(a.home_region, t.arn, t.name, "log file validation is enabled (digest files are written)");
      f.evidence = std::move(evidence);
      continue;
    }
    std::string detail = "log file validation is off: a log file deleted or altered in the bucket cannot be detected";
    if (a.owned_elsewhere) {
      detail += fmt::format("; the trail belongs to account {} (an organization trail): change it there",
                            arn_account(t.arn));
    }
    Finding& f = sink.fail(a.home_region, t.arn, t.name, std::move(detail));
    f.evidence = std::move(evidence);
    f.remediation_cli = fmt::format("aws cloudtrail update-trail --region {} --name {} --enable-log-file-validation",
                                    a.home_region, t.arn);
  }
}

}  // namespace

Check cloudtrail_log_validation_check() {
  return Check{
      CheckMetadata{
          .id = "cloudtrail-log-validation",
          .title = "CloudTrail log file validation is not enabled",
          .severity = Severity::kMedium,
          .area = Area::kLifecycle,
          .resource_type = "AWS::CloudTrail::Trail",
          .cis_aws_3_0 = "3.2",
          .rationale =
              "With validation on, CloudTrail writes a signed digest file every hour that chains the hashes of "
              "the log files; `aws cloudtrail validate-logs` then proves whether any was deleted or modified. "
              "Without it, an intruder with write access to the bucket can erase their tracks unnoticed. Each "
              "trail is judged once, in its home region (multi-region trails are listed in every region).",
          .remediation = "Enable log file validation on the trail (no effect on existing logs; new digests start within an hour).",
          .remediation_cli = "aws cloudtrail update-trail --region {home_region} --name {trail} --enable-log-file-validation",
          .links = {"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"},
      },
      run,
  };
}

}  // namespace fortress
