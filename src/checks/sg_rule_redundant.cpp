// sg-rule-redundant: every connection the rule admitted was also admitted by another rule of the
// interface's groups.
#include <fmt/format.h>

#include <algorithm>

#include "checks/flow_checks.h"
#include "checks/rule_match.h"
#include "flows/rule_findings.h"

namespace fortress {

namespace {

using namespace flows;

// How much a rule admits: addresses of its peer (a referenced group: its members' addresses, at least
// one; a prefix list: its entries) times its ports. Only compares rules; not a count of anything real.
long double breadth(const Region& region, const SecurityGroupRule& r) {
  long double addresses = 1;
  switch (r.peer.kind) {
    case PeerKind::kCidr:
      addresses = static_cast<long double>(r.peer.cidr.size());
      break;
    case PeerKind::kSecurityGroup:
      addresses = std::max<size_t>(1, region.enis_in_group(r.peer.group_id).size());
      break;
    case PeerKind::kPrefixList: {
      const PrefixList* list = region.prefix_list(r.peer.prefix_list_id);
      addresses = 0;
      if (list != nullptr && list->entries)
        for (const PrefixListEntry& e : *list->entries) addresses += static_cast<long double>(e.cidr.size());
      if (addresses == 0) addresses = 1;
      break;
    }
  }
  const long double ports = r.traffic.protocol == proto::kAll ? 65536.0L * 256 : has_ports(r.traffic.protocol) ? r.traffic.ports.count() : 1;
  return addresses * ports;
}

// Of rules that only admit each other's flows (none has a flow of its own), the broadest is the one to
// remove; the narrower ones pass, naming it. Ties: the first by rule ID stays.
const SecurityGroupRule* keeper_over(const RuleUsage& usage, const Region& region, const SecurityGroupRule& rule,
                                     const RuleHits& h) {
  for (const SecurityGroupRule* o : h.shared_with) {
    const RuleHits* oh = usage.hits(*o);
    if (oh != nullptr && oh->exclusive_flows > 0) return nullptr;  // that one stays: `rule` is redundant
  }
  for (const SecurityGroupRule* o : h.shared_with) {
    const RuleHits* oh = usage.hits(*o);
    if (oh == nullptr) continue;
    const long double mine = breadth(region, rule), theirs = breadth(region, *o);
    if (theirs > mine || (theirs == mine && o->rule_id.view() > rule.rule_id.view())) return o;
  }
  return nullptr;
}

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
        if (const SecurityGroupRule* broader = keeper_over(usage, region, rule, *h)) {
          rule_finding(sink, FindingStatus::kPass, region, group, rule,
                       fmt::format("its {} flow(s) were also admitted by {}, which admits more and is the one "
                                   "sg-rule-redundant reports",
                                   h->flows, describe_exposure(*broader, "", nullptr, group.owner_id)));
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
              "and leaves fewer rules to review. When rules only admit each other's flows, the broadest one (by "
              "addresses times ports) is reported and the narrower ones pass. Judged only when every in-use "
              "interface of the group was observed; rules with no traffic are sg-rule-unused's.",
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
