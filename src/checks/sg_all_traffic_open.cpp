// sg-all-traffic-open: every protocol, or every tcp or udp port, from the whole internet.
#include "checks/network_checks.h"
#include "checks/reach_evidence.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

bool admits_everything(const TrafficSpec& t) {
  return t.is_all_traffic() || (has_ports(t.protocol) && t.ports.is_all());
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for_each_region(ctx, sink, [&](const Region& region, FindingSink& sink) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      GroupVerdict verdict;
      for (const SecurityGroupRule& rule : group.rules) {
        if (!rule.is_ingress() || !admits_everything(rule.traffic)) continue;
        PeerMatch match = peer_admits_internet(region, rule.peer);
        if (match.answer == PeerAnswer::kYes) {
          verdict.offenses.push_back({&rule, std::move(match), {}});
        } else if (match.answer == PeerAnswer::kUnknown) {
          verdict.unknowns.push_back(describe_exposure(rule, "", nullptr) + ": " + match.unknown_reason);
        }
      }
      GrantReachability reachability = reachability_evidence(ctx, region, group, verdict.offenses, {});
      Finding& f = record_group_verdict(region, group, std::move(verdict), "",
                                        "no ingress rule admits all traffic or all tcp/udp ports from 0.0.0.0/0 or ::/0",
                                        sink, reachability.note);
      attach_reachability(f, std::move(reachability));
    }
  });
}

}  // namespace

Check sg_all_traffic_open_check() {
  return Check{
      CheckMetadata{
          .id = "sg-all-traffic-open",
          .title = "Security group allows all traffic or all ports from the internet",
          .severity = Severity::kCritical,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "",
          .rationale =
              "A rule admitting every protocol, or all 65,536 tcp or udp ports, from 0.0.0.0/0 or ::/0 turns "
              "the security group off: every service listening on an attached interface (databases, admin "
              "consoles, debug ports) is reachable from anywhere.",
          .remediation =
              "Revoke the rule and allow only the ports the workload serves (for a web server tcp/443 and "
              "tcp/80), each from the narrowest sources that need them.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links =
              {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
               "https://docs.aws.amazon.com/cli/latest/reference/ec2/revoke-security-group-ingress.html"},
      },
      run,
  };
}

}  // namespace fortress
