// exposed-all-ports: every tcp port or every udp port (or every protocol) of an instance reachable
// from the internet.
#include "checks/exposure_common.h"
#include "checks/reach_checks.h"

namespace fortress {

namespace {

std::vector<reach::Grant> everything(const std::vector<reach::Grant>& grants) {
  std::vector<reach::Grant> out;
  for (int protocol : {proto::kTcp, proto::kUdp}) {
    for (IpFamily family : {IpFamily::kV4, IpFamily::kV6}) {
      reach::PortSet ports;
      for (const reach::Grant& g : grants) {
        if (g.protocol == protocol && g.family == family) ports |= g.ports;
      }
      if (ports != reach::all_ports()) continue;
      for (const reach::Grant& g : grants) {
        if (g.protocol == protocol && g.family == family) out.push_back(g);
      }
    }
  }
  for (const reach::Grant& g : grants) {
    if (g.protocol == reach::kOtherProtocols) out.push_back(g);
  }
  return out;
}

}  // namespace

Check exposed_all_ports_check() {
  return Check{
      CheckMetadata{
          .id = "exposed-all-ports",
          .title = "Instance reachable from the internet on every port",
          .severity = Severity::kCritical,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::Instance",
          .cis_aws_3_0 = "",
          .rationale =
              "Every tcp port, every udp port, or every protocol of the instance can be reached from the internet "
              "(the ports may be spread over several rules): whatever listens on it, debug ports and admin "
              "consoles included, is on the internet. The security groups and the network ACL are doing nothing "
              "for it.",
          .remediation =
              "Revoke the rules named in the path (the command below) and allow only the ports the workload serves, "
              "each from the narrowest sources that need them.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"},
      },
      [](const CheckContext& ctx, FindingSink& sink) {
        run_exposure_check(ctx, sink, {"every tcp port, every udp port or every protocol", everything});
      },
  };
}

}  // namespace fortress
