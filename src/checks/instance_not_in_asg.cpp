// instance-not-in-asg (informational): running instances outside any Auto Scaling group cannot be
// rebuilt from a known-good launch template ("return to home").
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    if (!report_coverage_gaps(region, {Dataset::kInstances, Dataset::kAutoScalingInstances}, sink)) continue;
    for (const Instance& i : region.instances) {
      if (i.state != "running") continue;
      if (const AutoScalingInstance* a = region.auto_scaling_instance(i.id)) {
        Finding& f = sink.pass(region.name, i.id, i.name(),
                               fmt::format("member of Auto Scaling group {} ({})", a->group_name,
                                           !a->launch_template_name.empty() ? "launch template " + a->launch_template_name.str()
                                           : !a->launch_configuration_name.empty()
                                               ? "launch configuration " + a->launch_configuration_name.str()
                                               : std::string("no template reported")));
        f.evidence.set("auto_scaling_group", a->group_name);
        continue;
      }
      Finding& f = sink.fail(region.name, i.id, i.name(),
                             "not in an Auto Scaling group: if it is compromised or fails it must be repaired by hand; "
                             "it cannot be replaced from a known-good image and template");
      f.evidence.set("instance_id", i.id);
      f.evidence.set("subnet_id", i.subnet_id);
      f.remediation_cli = fmt::format(
          "aws autoscaling create-auto-scaling-group --region {} --auto-scaling-group-name <name> --instance-id {} "
          "--min-size 1 --max-size 1 --vpc-zone-identifier {}",
          region.name, i.id, i.subnet_id);
    }
  }
}

}  // namespace

Check instance_not_in_asg_check() {
  return Check{
      CheckMetadata{
          .id = "instance-not-in-asg",
          .title = "A running instance is not in an Auto Scaling group",
          .severity = Severity::kInfo,
          .area = Area::kEnvironment,
          .resource_type = "AWS::EC2::Instance",
          .cis_aws_3_0 = "",
          .rationale =
              "An instance launched from a template in an Auto Scaling group can be terminated and replaced by "
              "a clean copy at any time: after a compromise, for patching by replacement, or when it fails "
              "(the review's \"return to home\"). A hand-built instance holds state nobody can rebuild. "
              "Informational: some instances (bastions, licensed appliances) are singletons on purpose.",
          .remediation = "Capture the instance as an AMI and launch template, and run it in an Auto Scaling group "
                         "(even of size 1) so it can be replaced.",
          .remediation_cli = "aws autoscaling create-auto-scaling-group --region {region} --auto-scaling-group-name "
                             "<name> --instance-id {instance_id} --min-size 1 --max-size 1 --vpc-zone-identifier {subnet_id}",
          .links = {"https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-asg-from-instance.html"},
      },
      run,
  };
}

}  // namespace fortress
