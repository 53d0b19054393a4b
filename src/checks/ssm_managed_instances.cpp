// ssm-managed-instances: every running instance is managed by Systems Manager (its agent reports in),
// so it can be patched, inventoried and reached without SSH.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

std::string fix_for(const Region& region, const Instance& i) {
  if (i.iam_instance_profile_arn.empty()) {
    return fmt::format(
        "aws ec2 associate-iam-instance-profile --region {} --instance-id {} --iam-instance-profile "
        "Name=<profile-whose-role-has-AmazonSSMManagedInstanceCore>",
        region.name, i.id);
  }
  return fmt::format(
      "aws iam attach-role-policy --role-name <role-of-{}> --policy-arn "
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      i.iam_instance_profile_arn.view().substr(i.iam_instance_profile_arn.view().rfind('/') + 1));
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    if (!report_coverage_gaps(region, {Dataset::kInstances, Dataset::kSsmInstanceInformation}, sink)) continue;
    for (const Instance& i : region.instances) {
      if (i.state != "running") continue;
      const SsmInstance* m = region.ssm_instance(i.id);
      JsonValue evidence = JsonValue::object();
      evidence.set("instance_id", i.id);
      evidence.set("iam_instance_profile_arn", i.iam_instance_profile_arn);
      if (m != nullptr) {
        evidence.set("ping_status", m->ping_status);
        evidence.set("agent_version", m->agent_version);
        evidence.set("platform", m->platform_name);
      }
      if (m != nullptr && m->ping_status == "Online") {
        Finding& f = sink.pass(region.name, i.id, i.name(), fmt::format("managed by Systems Manager (agent {} Online)", m->agent_version));
        f.evidence = std::move(evidence);
        continue;
      }
      std::string detail;
      if (m != nullptr) {
        detail = fmt::format(
            "registered with Systems Manager but its agent is {}: it cannot be patched or reached through SSM until "
            "the agent reports in again",
            m->ping_status.empty() ? std::string("not reporting") : m->ping_status.str());
      } else {
        detail = "not managed by Systems Manager: no patching, inventory or Session Manager access (needs the SSM "
                 "agent, an instance role with AmazonSSMManagedInstanceCore, and a path to the SSM endpoints)";
        if (i.iam_instance_profile_arn.empty()) detail += "; the instance has no instance profile";
      }
      Finding& f = sink.fail(region.name, i.id, i.name(), std::move(detail));
      f.evidence = std::move(evidence);
      f.remediation_cli = fix_for(region, i);
    }
  }
}

}  // namespace

Check ssm_managed_instances_check() {
  return Check{
      CheckMetadata{
          .id = "ssm-managed-instances",
          .title = "A running EC2 instance is not managed by Systems Manager",
          .severity = Severity::kMedium,
          .area = Area::kEnvironment,
          .resource_type = "AWS::EC2::Instance",
          .cis_aws_3_0 = "",
          .rationale =
              "An instance Systems Manager does not manage cannot be patched by Patch Manager, is missing from "
              "the inventory and Inspector's package scans, and is usually reached by SSH with long-lived keys "
              "instead of Session Manager. Running instances are judged against describe-instance-information; "
              "a registered instance whose agent is not Online fails too.",
          .remediation =
              "Give the instance a role with AmazonSSMManagedInstanceCore (or turn on Default Host Management "
              "Configuration), make sure the SSM agent runs and can reach ssm, ssmmessages and ec2messages "
              "(directly, through NAT, or VPC endpoints).",
          .remediation_cli =
              "aws ec2 associate-iam-instance-profile --region {region} --instance-id {instance_id} "
              "--iam-instance-profile Name=<profile-whose-role-has-AmazonSSMManagedInstanceCore>",
          .links = {"https://docs.aws.amazon.com/systems-manager/latest/userguide/managed_instances.html",
                    "https://docs.aws.amazon.com/systems-manager/latest/userguide/troubleshooting-managed-instances.html"},
      },
      run,
  };
}

}  // namespace fortress
