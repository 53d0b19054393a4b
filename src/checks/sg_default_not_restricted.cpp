// sg-default-not-restricted (CIS 5.4): a VPC's default security group must have no rules at all.
#include <fmt/format.h>

#include "checks/network_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      if (!group.is_default()) continue;
      GroupVerdict verdict;
      size_t inbound = 0;
      for (const SecurityGroupRule& rule : group.rules) {
        verdict.offenses.push_back({&rule, {}, {}});
        if (rule.is_ingress()) ++inbound;
      }
      const size_t outbound = group.rules.size() - inbound;
      const std::string vpc = group.vpc_id.empty() ? std::string("EC2-Classic") : group.vpc_id.str();
      Finding& f = record_group_verdict(
          region, group, std::move(verdict),
          fmt::format("default group of {} has {} inbound and {} outbound rule(s): ", vpc, inbound, outbound),
          fmt::format("default group of {} has no rules", vpc), sink);
      f.evidence.set("inbound_rules", uint64_t(inbound));
      f.evidence.set("outbound_rules", uint64_t(outbound));
    }
  }
}

}  // namespace

Check sg_default_not_restricted_check() {
  return Check{
      CheckMetadata{
          .id = "sg-default-not-restricted",
          .title = "Default security group has inbound or outbound rules",
          .severity = Severity::kMedium,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "5.4",
          .rationale =
              "Every instance launched without an explicit group lands in the VPC's default group, and its "
              "stock rules let all members talk to each other on every port and reach anywhere outbound. "
              "With no rules, a resource placed there by mistake is isolated rather than silently connected.",
          .remediation =
              "Move any resource still using the default group (see attached_enis) to a purpose-built group, "
              "then revoke every inbound and outbound rule of the default group. AWS does not allow deleting "
              "it.",
          .remediation_cli =
              "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
              "--security-group-rule-ids {ingress_rule_ids} && aws ec2 revoke-security-group-egress --region "
              "{region} --group-id {group_id} --security-group-rule-ids {egress_rule_ids}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
                    "https://docs.aws.amazon.com/cli/latest/reference/ec2/revoke-security-group-egress.html"},
      },
      run,
  };
}

}  // namespace fortress
