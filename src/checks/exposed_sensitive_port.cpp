// exposed-sensitive-port: a port of the configuration's sensitive_ports (databases, caches, directory
// and file services, ...) actually reachable from the internet, tcp or udp.
#include "checks/exposure_common.h"
#include "checks/reach_checks.h"

namespace fortress {

Check exposed_sensitive_port_check() {
  return Check{
      CheckMetadata{
          .id = "exposed-sensitive-port",
          .title = "Instance reachable from the internet on a sensitive service port",
          .severity = Severity::kCritical,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::Instance",
          .cis_aws_3_0 = "",
          .rationale =
              "A database, cache, message broker or file service (sensitive_ports, tcp or udp) that the internet can "
              "actually open a connection to: public address, route back to an internet gateway, network ACL in "
              "and out, and a security group rule all line up. These services are mass-scanned and often run "
              "without authentication; this is where data breaches and ransom notes start.",
          .remediation =
              "Revoke the security-group rules named in the path (the command below). Clients inside AWS reach the "
              "service by security-group reference or private address; outside clients through a VPN, AWS "
              "PrivateLink or an authenticated proxy. Remove the public address if nothing else needs it.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"},
      },
      [](const CheckContext& ctx, FindingSink& sink) {
        reach::PortSet sensitive;
        for (const PortRange& r : ctx.config.sensitive_ports) sensitive.add(r.from, r.to);
        run_exposure_check(ctx, sink,
                           {"the sensitive ports (sensitive_ports)", [sensitive](const std::vector<reach::Grant>& grants) {
                              std::vector<reach::Grant> out = grants_on_ports(grants, proto::kTcp, sensitive);
                              for (reach::Grant& g : grants_on_ports(grants, proto::kUdp, sensitive))
                                out.push_back(std::move(g));
                              return out;
                            }});
      },
  };
}

}  // namespace fortress
