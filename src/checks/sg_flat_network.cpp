// sg-flat-network: an ingress rule admitting all traffic from the whole VPC (a block containing one
// of the VPC's CIDRs) or from a whole private range (a block containing 10.0.0.0/8, 172.16.0.0/12 or
// 192.168.0.0/16, any block of /8 or larger, or IPv6 unique-local space): every ENI of the network can
// reach every port of the group's ENIs, so one compromised host reaches them all.
#include "checks/network_checks.h"
#include "checks/reach_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

bool admits_everything(const TrafficSpec& t) {
  return t.is_all_traffic() || (has_ports(t.protocol) && t.ports.is_all());
}

const std::vector<Cidr>& private_blocks() {
  static const std::vector<Cidr> blocks = [] {
    std::vector<Cidr> out;
    for (std::string_view s : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}) {
      if (auto c = parse_cidr(s)) out.push_back(c->cidr);
    }
    return out;
  }();
  return blocks;
}

// Why the block is "the whole network", or "" when it is not.
std::string flat_reason(const Cidr& block, const Vpc* vpc) {
  if (block.is_any()) return {};  // the internet: sg-all-traffic-open's finding
  if (vpc != nullptr) {
    for (const Cidr& c : vpc->ipv4_cidrs)
      if (block.contains(c)) return "covers the whole VPC block " + c.to_string();
    for (const Cidr& c : vpc->ipv6_cidrs)
      if (block.contains(c)) return "covers the whole VPC block " + c.to_string();
  }
  for (const Cidr& p : private_blocks())
    if (block.contains(p)) return "covers the whole private range " + p.to_string();
  if (block.family() == IpFamily::kV4 && block.prefix_length <= 8) return "a /" + std::to_string(block.prefix_length) + " block";
  return {};
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups, Dataset::kVpcs}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      const Vpc* vpc = region.vpc(group.vpc_id);
      GroupVerdict verdict;
      for (const SecurityGroupRule& rule : group.rules) {
        if (!rule.is_ingress() || !admits_everything(rule.traffic)) continue;
        std::string why;
        PeerMatch match = match_peer(region, rule.peer, [&](const Cidr& c) {
          std::string r = flat_reason(c, vpc);
          if (!r.empty() && why.empty()) why = r;
          return !r.empty();
        });
        if (match.answer == PeerAnswer::kYes) {
          verdict.offenses.push_back({&rule, std::move(match), {"all traffic (" + why + ")"}});
        } else if (match.answer == PeerAnswer::kUnknown) {
          verdict.unknowns.push_back(describe_exposure(rule, "", nullptr) + ": " + match.unknown_reason);
        }
      }
      if (verdict.offenses.empty() && vpc == nullptr && region.has(Dataset::kVpcs) == false) {
        // Without the VPC's blocks only the private-range test could be made: not a PASS.
        verdict.unknowns.push_back("the VPC " + group.vpc_id.str() + " was not collected, so its CIDR blocks are unknown");
      }
      record_group_verdict(region, group, std::move(verdict), "",
                           "no ingress rule admits all traffic from the whole VPC or a whole private range", sink);
    }
  }
}

}  // namespace

Check sg_flat_network_check() {
  return Check{
      CheckMetadata{
          .id = "sg-flat-network",
          .title = "Security group admits all traffic from the whole VPC or a whole private range",
          .severity = Severity::kMedium,
          .area = Area::kEnvironment,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "",
          .rationale =
              "A rule admitting every protocol and port from the VPC's own CIDR, from 10.0.0.0/8 (or 172.16.0.0/12, "
              "192.168.0.0/16, any /8 or larger, IPv6 unique-local space) makes the network flat: every instance "
              "that is compromised can reach every port of this group's instances, so one exposed web server is "
              "one hop from the databases and the directory. Segmentation is what limits a blast radius.",
          .remediation =
              "Replace the rule by rules for the ports the workload serves, each from the security group of its "
              "clients (a group reference) rather than an address range; then revoke the all-traffic rule.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
                    "https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/welcome.html"},
      },
      run,
  };
}

}  // namespace fortress
