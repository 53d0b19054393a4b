// exposed-admin-port: SSH (tcp/22) or RDP (tcp/3389) of an instance actually reachable from the
// internet: public address, route back to an internet gateway, NACL both ways, security groups.
#include "checks/exposure_common.h"
#include "checks/reach_checks.h"

namespace fortress {

Check exposed_admin_port_check() {
  return Check{
      CheckMetadata{
          .id = "exposed-admin-port",
          .title = "Instance reachable from the internet on SSH or RDP",
          .severity = Severity::kCritical,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::Instance",
          .cis_aws_3_0 = "5.1, 5.2, 5.3",
          .rationale =
              "Not a rule that could admit the internet, but a path that does: the interface has a public IPv4 or "
              "global IPv6 address, its subnet's route table sends the reply to an internet gateway (longest prefix "
              "match), the subnet's network ACL lets the connection in and the reply out (first match in "
              "rule-number order, both directions), and a security group admits it. An SSH or RDP login prompt "
              "on the internet is brute-forced within minutes; an unpatched daemon is a shell.",
          .remediation =
              "Revoke the security-group rules named in the path (the command below), and reach the instance "
              "through AWS Systems Manager Session Manager or an EC2 Instance Connect Endpoint, which need no "
              "inbound port. If SSH or RDP must stay, allow it only from your administrators' ranges "
              "(trusted_cidrs).",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
                    "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html"},
      },
      [](const CheckContext& ctx, FindingSink& sink) {
        reach::PortSet admin = reach::PortSet::of(22, 22);
        admin.add(3389, 3389);
        run_exposure_check(ctx, sink,
                           {"tcp/22 or tcp/3389", [admin](const std::vector<reach::Grant>& grants) {
                              return grants_on_ports(grants, proto::kTcp, admin);
                            }});
      },
  };
}

}  // namespace fortress
