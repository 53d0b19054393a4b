// guardduty-enabled: in every enabled region a GuardDuty detector exists and is ENABLED.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region* region : regions_to_assess(ctx, sink)) {
    // A region whose list-detectors failed is NOT_ASSESSED: never FAIL, never PASS.
    if (!report_coverage_gaps(*region, {Dataset::kGuardDutyDetectors}, sink)) continue;
    if (region->guardduty_detectors.empty()) {
      Finding& f = sink.fail(region->name, region->name, "",
                             "GuardDuty has no detector in the region: no threat detection for its CloudTrail, VPC "
                             "flow and DNS activity");
      f.remediation_cli = fmt::format(
          "aws guardduty create-detector --region {} --enable --features "
          "'[{{\"Name\":\"EBS_MALWARE_PROTECTION\",\"Status\":\"ENABLED\"}}]'",
          region->name);
      continue;
    }
    const GuardDutyDetector* enabled = nullptr;
    const GuardDutyDetector* disabled = nullptr;
    const GuardDutyDetector* unknown = nullptr;
    for (const GuardDutyDetector& d : region->guardduty_detectors) {
      if (!d.details) {
        if (!unknown) unknown = &d;
      } else if (d.details->enabled()) {
        if (!enabled) enabled = &d;
      } else if (!disabled) {
        disabled = &d;
      }
    }
    if (enabled) {
      Finding& f = sink.pass(region->name, enabled->id, "", fmt::format("detector {} is ENABLED", enabled->id));
      f.evidence.set("detector_id", enabled->id);
      continue;
    }
    if (unknown) {
      const FanOutFailure* why = region->fan_out_failure(Dataset::kGuardDutyDetector, unknown->id);
      Finding& f = sink.not_assessed(
          region->name, unknown->id, "",
          fmt::format("detector {} is listed but its status is unknown: guardduty get-detector {}", unknown->id,
                      why ? "failed: " + why->detail : std::string("was not collected for it")));
      f.evidence.set("detector_id", unknown->id);
      continue;
    }
    Finding& f = sink.fail(region->name, disabled->id, "",
                           fmt::format("detector {} exists but is {}: GuardDuty is not analysing the region",
                                       disabled->id, disabled->details->status));
    f.evidence.set("detector_id", disabled->id);
    f.evidence.set("status", disabled->details->status);
    f.remediation_cli =
        fmt::format("aws guardduty update-detector --region {} --detector-id {} --enable", region->name, disabled->id);
  }
}

}  // namespace

Check guardduty_enabled_check() {
  return Check{
      CheckMetadata{
          .id = "guardduty-enabled",
          .title = "GuardDuty is not enabled in a region",
          .severity = Severity::kHigh,
          .area = Area::kLifecycle,
          .resource_type = "AWS::GuardDuty::Detector",
          .cis_aws_3_0 = "",
          .rationale =
              "GuardDuty watches CloudTrail, VPC flow logs and DNS queries for known attack patterns: credential "
              "use from unusual places, crypto-mining, instances talking to command-and-control hosts. It is "
              "regional; an attacker with stolen keys will pick a region nobody watches. Every enabled region "
              "is judged; a region whose detector list could not be read is NOT_ASSESSED.",
          .remediation = "Create and enable a detector in the region (or enable GuardDuty organization-wide from the delegated administrator).",
          .remediation_cli = "aws guardduty create-detector --region {region} --enable",
          .links = {"https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html"},
      },
      run,
  };
}

}  // namespace fortress
