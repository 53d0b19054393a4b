// sg-rule-unused: a rule no initiated connection used over the observed window, on interfaces whose
// traffic the flow logs fully cover.
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
        if (h != nullptr && h->flows > 0) {
          rule_finding(sink, FindingStatus::kPass, region, group, rule,
                       fmt::format("used: {} flow(s) from {} peer(s), last seen {}", h->flows, h->peers.size(),
                                   time_text(h->last_seen)));
          continue;
        }
        std::string why = coverage_gap(usage, cov);
        if (why.empty() && h != nullptr && !h->unknown.empty()) why = h->unknown;
        if (why.empty() && h != nullptr && h->ambiguous_flows > 0)
          why = fmt::format(
              "{} flow(s) it may have admitted could not be settled (initiator undetermined, ICMP type not logged, "
              "or members of the referenced group unknown)",
              h->ambiguous_flows);
        if (!why.empty()) {
          Finding& f = rule_finding(sink, FindingStatus::kNotAssessed, region, group, rule, "not assessed: " + why);
          f.evidence = rule_usage_evidence(region, group, rule, h, cov);
          continue;
        }
        Finding& f = rule_finding(
            sink, FindingStatus::kFail, region, group, rule,
            fmt::format("{}: no connection used it over the observed window of {}, on all {} interface(s) of the group",
                        describe_exposure(rule, "", nullptr, group.owner_id),
                        window_text(cov->window_start, cov->window_end), cov->enis));
        f.evidence = rule_usage_evidence(region, group, rule, h, cov);
        const SecurityGroupRule* one[] = {&rule};
        f.remediation_cli = revoke_command(region.name, group, rule.direction, one);
      }
    }
  }
}

}  // namespace

Check sg_rule_unused_check() {
  return Check{
      CheckMetadata{
          .id = "sg-rule-unused",
          .title = "Security group rule is not used by any observed traffic",
          .severity = Severity::kLow,
          .area = Area::kLifecycle,
          .resource_type = "AWS::EC2::SecurityGroupIngress",
          .cis_aws_3_0 = "",
          .rationale =
              "A grant no connection uses is attack surface with no benefit, and grants accumulate as systems "
              "change. fortress counts, from VPC flow logs, the connections each rule admitted: only connections "
              "the peer (ingress) or the interface (egress) initiated count, never return traffic. A rule is "
              "reported unused only when every in-use interface of its group was covered by an active flow log "
              "(traffic type ALL or ACCEPT) whose records were read, without SKIPDATA, over the whole observed "
              "window; otherwise NOT_ASSESSED says why. The window is stated: a monthly job's rule looks unused "
              "over a week.",
          .remediation =
              "Confirm with the owner that nothing uses the rule outside the observed window (batch jobs, "
              "failover, break-glass access), then revoke it. Use --min-window to require a longer window.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_id}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html",
                    "https://docs.aws.amazon.com/cli/latest/reference/ec2/revoke-security-group-ingress.html"},
      },
      run,
  };
}

}  // namespace fortress
