// sg-admin-port-open-ipv4 / -ipv6 (CIS 5.2 / 5.3): ingress from the whole internet to SSH or RDP.
#include "checks/network_checks.h"
#include "checks/reach_evidence.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

constexpr uint16_t kAdminPorts[] = {22, 3389};

void run_admin_port_open(const CheckContext& ctx, FindingSink& sink, IpFamily family) {
  const std::string_view internet = family == IpFamily::kV4 ? "0.0.0.0/0" : "::/0";
  reach::PortSet admin = reach::PortSet::of(22, 22);
  admin.add(3389, 3389);
  for_each_region(ctx, sink, [&](const Region& region, FindingSink& sink) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      GroupVerdict verdict;
      for (const SecurityGroupRule& rule : group.rules) {
        if (!rule.is_ingress()) continue;
        std::vector<std::string> admits;
        for (uint16_t port : kAdminPorts) {
          if (rule.traffic.admits(proto::kTcp, port)) admits.push_back("tcp/" + std::to_string(port));
        }
        if (admits.empty()) continue;
        PeerMatch match = peer_admits_internet(region, rule.peer, family);
        if (match.answer == PeerAnswer::kYes) {
          verdict.offenses.push_back({&rule, std::move(match), std::move(admits)});
        } else if (match.answer == PeerAnswer::kUnknown) {
          verdict.unknowns.push_back(describe_exposure(rule, join(admits, ", "), nullptr) + ": " +
                                     match.unknown_reason);
        }
      }
      GrantReachability reachability = reachability_evidence(ctx, region, group, verdict.offenses, {proto::kTcp, admin});
      Finding& f = record_group_verdict(region, group, std::move(verdict), "",
                                        "no ingress rule admits tcp/22 or tcp/3389 from " + std::string(internet), sink,
                                        reachability.note);
      attach_reachability(f, std::move(reachability));
    }
  });
}

constexpr std::string_view kRemediation =
    "Revoke the rule. Reach instances through AWS Systems Manager Session Manager or an EC2 Instance "
    "Connect Endpoint, which need no inbound port; if SSH or RDP must stay, allow it only from your "
    "administrators' address ranges (authorize-security-group-ingress --cidr <your-range>) before revoking.";

constexpr std::string_view kRemediationCli =
    "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
    "--security-group-rule-ids {rule_ids}";

}  // namespace

Check sg_admin_port_open_ipv4_check() {
  return Check{
      CheckMetadata{
          .id = "sg-admin-port-open-ipv4",
          .title = "Security group allows SSH or RDP from 0.0.0.0/0",
          .severity = Severity::kCritical,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "5.2",
          .rationale = "SSH (tcp/22) and RDP (tcp/3389) open to every IPv4 address are scanned and "
                       "brute-forced within "
                       "minutes of exposure; one weak credential or unpatched daemon gives an attacker a "
                       "shell inside the "
                       "VPC. Rules with protocol -1, port ranges that cover 22 or 3389, and prefix lists "
                       "whose entries "
                       "include 0.0.0.0/0 count.",
          .remediation = kRemediation,
          .remediation_cli = kRemediationCli,
          .links =
              {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
               "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
               "https://docs.aws.amazon.com/cli/latest/reference/ec2/revoke-security-group-ingress.html"},
      },
      [](const CheckContext& ctx, FindingSink& sink) { run_admin_port_open(ctx, sink, IpFamily::kV4); },
  };
}

Check sg_admin_port_open_ipv6_check() {
  return Check{
      CheckMetadata{
          .id = "sg-admin-port-open-ipv6",
          .title = "Security group allows SSH or RDP from ::/0",
          .severity = Severity::kCritical,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "5.3",
          .rationale =
              "SSH (tcp/22) and RDP (tcp/3389) open to every IPv6 address expose the same login surface as "
              "0.0.0.0/0 to any instance with an IPv6 address; IPv6 rules are easy to overlook when the IPv4 "
              "rule was already tightened. Rules with protocol -1, covering port ranges and prefix lists "
              "whose "
              "entries include ::/0 count.",
          .remediation = kRemediation,
          .remediation_cli = kRemediationCli,
          .links =
              {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
               "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
               "https://docs.aws.amazon.com/cli/latest/reference/ec2/revoke-security-group-ingress.html"},
      },
      [](const CheckContext& ctx, FindingSink& sink) { run_admin_port_open(ctx, sink, IpFamily::kV6); },
  };
}

}  // namespace fortress
