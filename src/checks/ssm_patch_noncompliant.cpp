// ssm-patch-noncompliant: managed instances whose Patch compliance (Patch Manager's last scan) is
// NON_COMPLIANT, with the missing patches by severity; Online instances never scanned fail too.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

std::string missing_by_severity(const ComplianceSeverityCounts& c) {
  std::vector<std::string> parts;
  auto add = [&](int64_t n, std::string_view name) {
    if (n > 0) parts.push_back(fmt::format("{} {}", n, name));
  };
  add(c.critical, "critical");
  add(c.high, "high");
  add(c.medium, "medium");
  add(c.low, "low");
  add(c.informational, "informational");
  add(c.unspecified, "unspecified-severity");
  return join_words(parts);
}

JsonValue counts(const ComplianceSeverityCounts& c) {
  JsonValue o = JsonValue::object();
  o.set("critical", c.critical);
  o.set("high", c.high);
  o.set("medium", c.medium);
  o.set("low", c.low);
  o.set("informational", c.informational);
  o.set("unspecified", c.unspecified);
  return o;
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    if (!report_coverage_gaps(region, {Dataset::kSsmComplianceSummaries}, sink)) continue;
    // Every Patch summary the account reports.
    for (const ComplianceSummary& c : region.compliance_summaries) {
      if (c.compliance_type != "Patch") continue;
      const Instance* instance = region.instance(c.resource_id);
      const Symbol name = instance ? instance->name() : Symbol();
      JsonValue evidence = JsonValue::object();
      evidence.set("resource_id", c.resource_id);
      evidence.set("status", c.status);
      evidence.set("overall_severity", c.overall_severity);
      evidence.set("non_compliant", counts(c.non_compliant));
      evidence.set("compliant_count", c.compliant_count);
      evidence.set("non_compliant_count", c.non_compliant_count);
      if (c.execution_time) evidence.set("last_scan", format_utc_time(*c.execution_time));
      if (c.compliant_status()) {
        Finding& f = sink.pass(region.name, c.resource_id, name,
                               fmt::format("patch compliant ({} patches installed or not applicable)", c.compliant_count));
        f.evidence = std::move(evidence);
        continue;
      }
      const std::string missing = missing_by_severity(c.non_compliant);
      std::string detail = fmt::format(
          "missing patches: {}", missing.empty() ? fmt::format("{} (severity not reported)", c.non_compliant_count) : missing);
      if (c.non_compliant.critical > 0 || c.non_compliant.high > 0) {
        detail += "; critical/high ones are usually security updates";
      }
      if (c.execution_time) detail += fmt::format(" (last scan {})", format_utc_time(*c.execution_time));
      Finding& f = sink.fail(region.name, c.resource_id, name, std::move(detail));
      f.evidence = std::move(evidence);
      f.remediation_cli = fmt::format(
          "aws ssm send-command --region {} --document-name AWS-RunPatchBaseline --instance-ids {} --parameters "
          "Operation=Install,RebootOption=RebootIfNeeded",
          region.name, c.resource_id);
    }
    // Managed, Online instances that no patch scan has reported on: patching is not measured at all.
    if (!region.has(Dataset::kSsmInstanceInformation)) continue;
    for (const SsmInstance& m : region.ssm_instances) {
      if (m.ping_status != "Online") continue;
      bool has_patch = false;
      for (const ComplianceSummary* c : region.compliance_for(m.instance_id)) has_patch |= c->compliance_type == "Patch";
      if (has_patch) continue;
      const Instance* instance = region.instance(m.instance_id);
      Finding& f = sink.fail(region.name, m.instance_id, instance ? instance->name() : Symbol(),
                             "managed by Systems Manager but no patch scan has reported on it: whether it is "
                             "missing security updates is not known");
      f.evidence.set("resource_id", m.instance_id);
      f.evidence.set("ping_status", m.ping_status);
      f.remediation_cli = fmt::format(
          "aws ssm create-association --region {} --name AWS-RunPatchBaseline --targets Key=InstanceIds,Values={} "
          "--parameters Operation=Scan --schedule-expression \"rate(1 day)\"",
          region.name, m.instance_id);
    }
  }
}

}  // namespace

Check ssm_patch_noncompliant_check() {
  return Check{
      CheckMetadata{
          .id = "ssm-patch-noncompliant",
          .title = "A managed instance is missing patches (or is never scanned)",
          .severity = Severity::kHigh,
          .area = Area::kEnvironment,
          .resource_type = "AWS::SSM::ManagedInstanceInventory",
          .cis_aws_3_0 = "",
          .rationale =
              "Patch Manager's last scan compares each instance with its patch baseline; NON_COMPLIANT means "
              "approved patches are missing, and the critical and high ones are typically security fixes for "
              "remotely exploitable flaws. Only the Patch compliance type is read (Association and custom types "
              "say nothing about patches). An Online managed instance with no Patch result has never been "
              "scanned, so its state is unknown to you: it fails too.",
          .remediation = "Install the missing patches in a maintenance window (AWS-RunPatchBaseline, Operation=Install), "
                         "and scan every instance on a schedule.",
          .remediation_cli = "aws ssm send-command --region {region} --document-name AWS-RunPatchBaseline --instance-ids "
                             "{instance_id} --parameters Operation=Install,RebootOption=RebootIfNeeded",
          .links = {"https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager.html",
                    "https://docs.aws.amazon.com/systems-manager/latest/userguide/compliance-about.html"},
      },
      run,
  };
}

}  // namespace fortress
