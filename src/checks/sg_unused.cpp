// sg-unused: a group no network interface uses and no other group references.
#include <fmt/format.h>

#include <algorithm>

#include "checks/network_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

constexpr size_t kMaxListed = 10;  // ENI / group IDs listed in evidence

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    // A FAIL needs both complete: a group looks unused when the ENI using it, or the group
    // referencing it, was not loaded. A PASS only needs the one ENI or reference that was seen.
    const bool complete =
        report_coverage_gaps(region, {Dataset::kSecurityGroups, Dataset::kNetworkInterfaces}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      const Symbol name = group_display_name(group);
      if (group.is_default()) {
        sink.pass(region.name, group.id, name,
                  fmt::format("default group of {}: AWS does not allow deleting it, not evaluated",
                              group.vpc_id.empty() ? std::string("EC2-Classic") : group.vpc_id.str()));
        continue;
      }
      const auto enis = region.enis_in_group(group.id);
      if (!enis.empty()) {
        // A PASS carries no evidence (a large account has tens of thousands): the detail says why.
        sink.pass(region.name, group.id, name, fmt::format("attached to {} network interface(s)", enis.size()));
        continue;
      }
      std::vector<std::string> referencing;
      for (const Region::RuleRef& ref : region.rules_referencing(group.id)) {
        if (ref.group == &group || ref.group->id == group.id) continue;
        if (std::find(referencing.begin(), referencing.end(), ref.group->id) == referencing.end()) {
          referencing.push_back(ref.group->id.str());
        }
      }
      if (!referencing.empty()) {
        std::vector<std::string> listed(referencing.begin(),
                                        referencing.begin() + std::min(referencing.size(), kMaxListed));
        sink.pass(region.name, group.id, name,
                  fmt::format("attached to no network interface but referenced by {} other group(s): {}",
                              referencing.size(), join(listed, ", ")));
        continue;
      }
      if (!complete) continue;  // the region's NOT_ASSESSED finding covers it
      Finding& f = sink.fail(region.name, group.id, name,
                             "attached to no network interface and referenced by no other security group");
      f.evidence = group_evidence(region, group);
      f.evidence.set("rule_count", uint64_t(group.rules.size()));
      f.remediation_cli =
          fmt::format("aws ec2 delete-security-group --region {} --group-id {}", region.name, group.id);
    }
  }
}

}  // namespace

Check sg_unused_check() {
  return Check{
      CheckMetadata{
          .id = "sg-unused",
          .title = "Security group is not used",
          .severity = Severity::kLow,
          .area = Area::kLifecycle,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "",
          .rationale =
              "Unused groups accumulate permissive rules nobody reviews, and the next person to attach one "
              "inherits them. Fewer groups make the rules that matter easier to audit. A group counts as "
              "used "
              "when a network interface in the snapshot carries it or another group in the same region "
              "references it; references from other accounts or regions, launch templates and "
              "CloudFormation stacks are not visible here. Default groups cannot be deleted and pass.",
          .remediation = "Check that no launch template, Auto Scaling group, CloudFormation stack or peered "
                         "account still "
                         "names the group (aws ec2 describe-security-group-references), then delete it.",
          .remediation_cli = "aws ec2 delete-security-group --region {region} --group-id {group_id}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
                    "https://docs.aws.amazon.com/cli/latest/reference/ec2/delete-security-group.html",
                    "https://docs.aws.amazon.com/cli/latest/reference/ec2/"
                    "describe-security-group-references.html"},
      },
      run,
  };
}

}  // namespace fortress
