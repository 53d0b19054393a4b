// sg-public-cidr-ingress: ingress from a specific public range (not /0, not trusted).
#include "checks/network_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  const Config& config = ctx.config;
  auto untrusted_public = [&config](const Cidr& c) {
    return !c.is_any() && is_public(c) && !config.is_trusted(c);
  };
  for (const Region& region : ctx.account.regions) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      GroupVerdict verdict;
      for (const SecurityGroupRule& rule : group.rules) {
        if (!rule.is_ingress()) continue;
        if (rule.peer.kind == PeerKind::kPrefixList) {
          // AWS-managed lists hold AWS service ranges (S3, CloudFront origin-facing, Route 53 health
          // checkers), which a rule names on purpose: they are not an arbitrary public source.
          const PrefixList* list = region.prefix_list(rule.peer.prefix_list_id);
          if (list != nullptr && list->owner_id == "AWS") continue;
        }
        PeerMatch match = match_peer(region, rule.peer, untrusted_public);
        if (match.answer == PeerAnswer::kYes) {
          verdict.offenses.push_back({&rule, std::move(match), {}});
        } else if (match.answer == PeerAnswer::kUnknown) {
          verdict.unknowns.push_back(describe_exposure(rule, "", nullptr) + ": " + match.unknown_reason);
        }
      }
      record_group_verdict(region, group, std::move(verdict), "",
                           "no ingress from a public range other than /0 outside the trusted ranges", sink);
    }
  }
}

}  // namespace

Check sg_public_cidr_ingress_check() {
  return Check{
      CheckMetadata{
          .id = "sg-public-cidr-ingress",
          .title = "Security group allows ingress from an untrusted public range",
          .severity = Severity::kMedium,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "",
          .rationale =
              "A specific public range in a rule is usually a partner, a former office or a developer's home "
              "address; unless it is one the organization controls (listed in trusted_cidrs) nobody vouches "
              "for who holds those addresses today. Customer-managed prefix lists are expanded; AWS-managed "
              "lists (AWS service ranges) and 0.0.0.0/0 or ::/0 (reported by other checks) are not reported "
              "here.",
          .remediation = "Confirm who owns the range. If the organization does, add it to trusted_cidrs in "
                         "fortress.yaml; "
                         "otherwise revoke the rule.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html"},
      },
      run,
  };
}

}  // namespace fortress
