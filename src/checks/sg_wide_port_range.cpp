// sg-wide-port-range: an ingress rule that opens a wide tcp/udp port range (or every protocol) to
// another source, where a service needs only its own port(s).
#include <fmt/format.h>

#include "checks/network_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

bool is_self_reference(const SecurityGroup& group, const SecurityGroupRule& rule) {
  return rule.peer.kind == PeerKind::kSecurityGroup && rule.peer.group_id == group.id;
}

void run(const CheckContext& ctx, FindingSink& sink) {
  const uint32_t threshold = ctx.config.wide_port_range_threshold;
  for (const Region& region : ctx.account.regions) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      GroupVerdict verdict;
      for (const SecurityGroupRule& rule : group.rules) {
        if (!rule.is_ingress() || is_self_reference(group, rule)) continue;
        const TrafficSpec& t = rule.traffic;
        const bool wide = t.is_all_traffic() || (has_ports(t.protocol) && t.ports.count() > threshold);
        if (wide) verdict.offenses.push_back({&rule, {}, {}});
      }
      Finding& f = record_group_verdict(
          region, group, std::move(verdict), "",
          fmt::format("no ingress rule from another source spans more than {} ports", threshold), sink);
      f.evidence.set("threshold", threshold);
    }
  }
}

}  // namespace

Check sg_wide_port_range_check() {
  return Check{
      CheckMetadata{
          .id = "sg-wide-port-range",
          .title = "Security group opens a wide port range",
          .severity = Severity::kMedium,
          .area = Area::kSgToServices,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "",
          .rationale =
              "A service needs its callers to reach one or a few ports; a rule spanning more than "
              "wide_port_range_threshold ports (or every protocol) also exposes every other listener on the "
              "instance to that source, so one compromised caller can reach them all. Filed under "
              "sg-to-services because the usual case is one tier (a security group or subnet) admitted to "
              "another with 0-65535 instead of its service port; a group admitting itself is not reported.",
          .remediation =
              "Replace the rule with rules for the ports the service actually listens on, from the same "
              "source: authorize the narrow rule first, then revoke the wide one.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links =
              {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
               "https://docs.aws.amazon.com/cli/latest/reference/ec2/authorize-security-group-ingress.html"},
      },
      run,
  };
}

}  // namespace fortress
