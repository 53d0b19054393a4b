// sg-rule-redundant: every connection the rule admitted was also admitted by another rule of the
// interface's groups.
#include <fmt/format.h>

#include "checks/flow_checks.h"
#include "checks/rule_match.h"
#include "flows/rule_findings.h"

namespace fortress {

namespace {

using namespace flows;

void run(const CheckContext& ctx, FindingSink& sink) {
  if (report_no_flow_logs(ctx, sink)) return;
  const RuleUsage& usage = *ctx.rule_usage;
  for (const Region& region : ctx.account.regions) {
    if (!report_coverage_gaps(region, {Dataset::kSecurityGroups, Dataset::kNetworkInterfaces}, sink)) continue;
    for (const SecurityGroup& group : region.security_groups) {
      const GroupCoverage* cov = usage.coverage(group);
      for (const SecurityGroupRule& rule : group.rules) {
        const RuleHits* h = usage.hits(rule);
        if (h == nullptr || h->flows == 0) continue;  // unused rules are sg-rule-unused's
        if (h->exclusive_flows > 0) {
          rule_finding(sink, FindingStatus::kPass, region, group, rule,
                       fmt::format("{} of its {} flow(s) were admitted by no other rule", h->exclusive_flows, h->flows));
          continue;
        }
        std::string why = coverage_gap(usage, cov);
        if (why.empty() && !h->unknown.empty()) why = h->unknown;
        if (why.empty() && h->ambiguous_flows > 0)
          why = fmt::format("{} flow(s) it may have admitted could not be settled", h->ambiguous_flows);
        if (!why.empty()) {
          Finding& f = rule_finding(sink, FindingStatus::kNotAssessed, region, group, rule,
                                    "not assessed: every observed flow was shared, but " + why);
          f.evidence = rule_usage_evidence(region, group, rule, h, cov);
          continue;
        }
        std::vector<std::string> others;
        for (const SecurityGroupRule* o : h->shared_with) {
          others.push_back(describe_exposure(*o, "", nullptr, group.owner_id));
          if (others.size() == 3) break;
        }
        if (h->shared_with.size() > 3) others.push_back(fmt::format("{} more", h->shared_with.size() - 3));
        Finding& f = rule_finding(
            sink, FindingStatus::kFail, region, group, rule,
            fmt::format("{}: all {} flow(s) it admitted over {} were also admitted by {}",
                        describe_exposure(rule, "", nullptr, group.owner_id), h->flows,
                        window_text(cov->window_start, cov->window_end), join(others, "; ")));
        f.evidence = rule_usage_evidence(region, group, rule, h, cov);
        const SecurityGroupRule* one[] = {&rule};
        f.remediation_cli = revoke_command(region.name, group, rule.direction, one);
      }
    }
  }
}

}  // namespace

Check sg_rule_redundant_check() {
  return Check{
      CheckMetadata{
          .id = "sg-rule-redundant",
          .title = "Security group rule only admits traffic other rules admit too",
          .severity = Severity::kLow,
          .area = Area::kLifecycle,
          .resource_type = "AWS::EC2::SecurityGroupIngress",
          .cis_aws_3_0 = "",
          .rationale =
              "Security groups are allow-lists: a connection is admitted when any rule of any group of the "
              "interface admits it. A rule whose every observed connection another rule (of the same or another "
              "group on the same interface) also admitted can be removed without changing what was observed, "
              "and leaves fewer rules to review. Judged only when every in-use interface of the group was "
              "observed; rules with no traffic are sg-rule-unused's.",
          .remediation =
              "Check that the rule that also admits the traffic is meant to stay (it may itself be too broad: "
              "see sg-rule-overbroad), then revoke the redundant rule.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_id}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html"},
      },
      run,
  };
}

}  // namespace fortress
