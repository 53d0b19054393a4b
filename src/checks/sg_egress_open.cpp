// sg-egress-open: the egress audit — every protocol allowed out to the whole internet.
#include "checks/network_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      GroupVerdict verdict;
      for (const SecurityGroupRule& rule : group.rules) {
        if (!rule.is_egress() || !rule.traffic.is_all_traffic()) continue;
        PeerMatch match = peer_admits_internet(region, rule.peer);
        if (match.answer == PeerAnswer::kYes) {
          verdict.offenses.push_back({&rule, std::move(match), {}});
        } else if (match.answer == PeerAnswer::kUnknown) {
          verdict.unknowns.push_back(describe_exposure(rule, "", nullptr) + ": " + match.unknown_reason);
        }
      }
      record_group_verdict(region, group, std::move(verdict), "",
                           "no egress rule allows all traffic to 0.0.0.0/0 or ::/0", sink);
    }
  }
}

}  // namespace

Check sg_egress_open_check() {
  return Check{
      CheckMetadata{
          .id = "sg-egress-open",
          .title = "Security group allows all outbound traffic to the internet",
          .severity = Severity::kLow,
          .area = Area::kEgress,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "",
          .rationale =
              "AWS creates every group with an allow-all egress rule. Unrestricted egress lets a compromised "
              "instance download tooling, reach command-and-control servers and exfiltrate data on any port; "
              "limiting egress to the destinations a workload needs contains that.",
          .remediation =
              "Authorize egress only to what the workload needs (for example tcp/443 to the internet or to "
              "VPC endpoints, and the database port to the database group), then revoke the allow-all rule.",
          .remediation_cli = "aws ec2 revoke-security-group-egress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
                    "https://docs.aws.amazon.com/cli/latest/reference/ec2/revoke-security-group-egress.html"},
      },
      run,
  };
}

}  // namespace fortress
