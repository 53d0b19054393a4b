// exposed-web (info): HTTP or HTTPS of an instance reachable from the internet: the public attack
// surface inventory. Expected for web servers; the list is what to keep patched and watched.
#include "checks/exposure_common.h"
#include "checks/reach_checks.h"

namespace fortress {

Check exposed_web_check() {
  return Check{
      CheckMetadata{
          .id = "exposed-web",
          .title = "Instance reachable from the internet on HTTP or HTTPS",
          .severity = Severity::kInfo,
          .area = Area::kWebServers,
          .resource_type = "AWS::EC2::Instance",
          .cis_aws_3_0 = "",
          .rationale =
              "The instances whose tcp/80 or tcp/443 the internet reaches directly (or through an internet-facing "
              "load balancer): the account's public web surface. Usually intended; it is the list to keep "
              "patched, behind a WAF and in front of the logs. An instance here that should sit behind a load "
              "balancer is a finding in itself.",
          .remediation =
              "Keep web servers behind an internet-facing load balancer (with AWS WAF) in private subnets; where an "
              "instance must be public, keep it patched and its other ports closed.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html",
                    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/introduction.html"},
      },
      [](const CheckContext& ctx, FindingSink& sink) {
        reach::PortSet web = reach::PortSet::of(80, 80);
        web.add(443, 443);
        run_exposure_check(ctx, sink, {"tcp/80 or tcp/443", [web](const std::vector<reach::Grant>& grants) {
                                         std::vector<reach::Grant> out = grants_on_ports(grants, proto::kTcp, web);
                                         // Behind a load balancer: its HTTP/HTTPS listener is the web surface.
                                         for (const reach::Grant& g : grants) {
                                           if (!g.via_lb.empty() && web.contains(g.via_listener_port) &&
                                               (g.ports & web).empty())
                                             out.push_back(g);
                                         }
                                         return out;
                                       }});
      },
  };
}

}  // namespace fortress
