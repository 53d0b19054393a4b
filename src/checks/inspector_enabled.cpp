// inspector-enabled: in every enabled region Amazon Inspector scans EC2 instances for vulnerabilities.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

// The account's own entry of batch-get-account-status (fortress asks for its own account).
const InspectorAccountStatus* own_status(const Region& region, const Account& account) {
  const InspectorAccountStatus* only = region.inspector_accounts.size() == 1 ? &region.inspector_accounts[0] : nullptr;
  for (const InspectorAccountStatus& s : region.inspector_accounts) {
    if (!account.account_id.empty() && s.account_id == account.account_id) return &s;
  }
  return account.account_id.empty() ? only : nullptr;
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region* region : regions_to_assess(ctx, sink)) {
    if (!report_coverage_gaps(*region, {Dataset::kInspectorAccountStatus}, sink)) continue;
    const InspectorAccountStatus* s = own_status(*region, ctx.account);
    if (s == nullptr) {
      sink.not_assessed(region->name, region->name, "",
                        "inspector2 batch-get-account-status does not report this account");
      continue;
    }
    JsonValue evidence = JsonValue::object();
    evidence.set("status", s->status);
    evidence.set("ec2_status", s->ec2_status);
    evidence.set("error_code", s->error_code);
    if (s->failed) {
      Finding& f = sink.not_assessed(region->name, region->name, "",
                                     fmt::format("Inspector could not report the account's status: {} {}", s->error_code,
                                                 s->error_message));
      f.evidence = std::move(evidence);
      continue;
    }
    if (s->ec2_status == "ENABLED") {
      Finding& f = sink.pass(region->name, region->name, "", "Inspector scans EC2 instances (EC2 scanning ENABLED)");
      f.evidence = std::move(evidence);
      continue;
    }
    if (s->ec2_status == "ENABLING" || (s->ec2_status.empty() && s->status == "ENABLING")) {
      Finding& f = sink.not_assessed(region->name, region->name, "", "Inspector EC2 scanning is being enabled (ENABLING)");
      f.evidence = std::move(evidence);
      continue;
    }
    if (s->ec2_status.empty() && s->status == "ENABLED") {
      Finding& f = sink.not_assessed(region->name, region->name, "",
                                     "Inspector is ENABLED but its EC2 scanning state was not reported");
      f.evidence = std::move(evidence);
      continue;
    }
    const Symbol state = s->ec2_status.empty() ? s->status : s->ec2_status;
    Finding& f = sink.fail(region->name, region->name, "",
                           fmt::format("Inspector EC2 scanning is {}: instances (web servers included) are not "
                                       "scanned for software vulnerabilities or unintended network exposure",
                                       state.empty() ? std::string("not enabled") : state.str()));
    f.evidence = std::move(evidence);
    f.remediation_cli = fmt::format("aws inspector2 enable --region {} --resource-types EC2", region->name);
  }
}

}  // namespace

Check inspector_enabled_check() {
  return Check{
      CheckMetadata{
          .id = "inspector-enabled",
          .title = "Amazon Inspector does not scan EC2 instances in a region",
          .severity = Severity::kMedium,
          .area = Area::kWebServers,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "",
          .rationale =
              "Inspector scans every EC2 instance continuously for known CVEs in its packages and for network "
              "paths that expose it, without an agent of its own (it uses SSM). Web servers are what the "
              "internet reaches first; an unpatched one is the usual way in. Judged per enabled region from "
              "batch-get-account-status (resourceState.ec2).",
          .remediation = "Activate Inspector EC2 scanning in the region (or for the organization from the delegated administrator).",
          .remediation_cli = "aws inspector2 enable --region {region} --resource-types EC2",
          .links = {"https://docs.aws.amazon.com/inspector/latest/user/scanning-ec2.html",
                    "https://docs.aws.amazon.com/inspector/latest/user/getting_started_tutorial.html"},
      },
      run,
  };
}

}  // namespace fortress
