// sg-too-many-rules: a group with more normalized rules than config.max_rules_per_group.
#include <fmt/format.h>

#include "checks/network_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

void run(const CheckContext& ctx, FindingSink& sink) {
  const uint32_t limit = ctx.config.max_rules_per_group;
  for (const Region& region : ctx.account.regions) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      size_t inbound = 0;
      for (const SecurityGroupRule& rule : group.rules) inbound += rule.is_ingress() ? 1 : 0;
      const size_t total = group.rules.size();
      const size_t outbound = total - inbound;
      const std::string counts = fmt::format("{} rules ({} inbound, {} outbound)", total, inbound, outbound);
      if (total <= limit) {  // a PASS carries no evidence: the detail has the counts
        sink.pass(region.name, group.id, group_display_name(group),
                  fmt::format("{}, within the limit of {}", counts, limit));
        continue;
      }
      Finding& f = sink.fail(region.name, group.id, group_display_name(group),
                             fmt::format("{}, more than the limit of {}", counts, limit));
      f.evidence = group_evidence(region, group);
      f.evidence.set("rule_count", uint64_t(total));
      f.evidence.set("inbound_rules", uint64_t(inbound));
      f.evidence.set("outbound_rules", uint64_t(outbound));
      f.evidence.set("limit", limit);
      f.remediation_cli =
          fmt::format("aws ec2 describe-security-group-rules --region {} --filters Name=group-id,Values={}",
                      region.name, group.id);
    }
  }
}

}  // namespace

Check sg_too_many_rules_check() {
  return Check{
      CheckMetadata{
          .id = "sg-too-many-rules",
          .title = "Security group has too many rules to review",
          .severity = Severity::kLow,
          .area = Area::kLifecycle,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "",
          .rationale =
              "A group with more rules than max_rules_per_group (counting each CIDR, group or prefix-list "
              "source of each permission as one rule, as describe-security-group-rules does) is past what a "
              "person reviews reliably: stale and overlapping entries hide there, and the group nears the "
              "per-group rule quota.",
          .remediation =
              "List the rules (the command below), remove stale ones, replace runs of CIDRs with a managed "
              "prefix list, and split the group by role if it serves several.",
          .remediation_cli = "aws ec2 describe-security-group-rules --region {region} --filters "
                             "Name=group-id,Values={group_id}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html"},
      },
      run,
  };
}

}  // namespace fortress
