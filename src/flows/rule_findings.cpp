#include "flows/rule_findings.h"

#include <fmt/format.h>

#include "checks/rule_match.h"

namespace fortress::flows {

Symbol rule_resource_id(const SecurityGroup& group, const SecurityGroupRule& rule) {
  if (!rule.rule_id.empty()) return rule.rule_id;
  return Symbol(fmt::format("{}:{}:{}:{}", group.id, rule.is_ingress() ? "ingress" : "egress",
                            rule.traffic.to_string(), rule.peer.to_string()));
}

std::string window_text(uint32_t start, uint32_t end) {
  if (end <= start || start == 0) return "no observed window";
  return fmt::format("{} ({} to {})", duration_text(end - start), time_text(start), time_text(end));
}

JsonValue rule_usage_evidence(const Region& region, const SecurityGroup& group, const SecurityGroupRule& rule,
                              const RuleHits* hits, const GroupCoverage* coverage) {
  JsonValue e = group_evidence(region, group);
  e.set("rule", rule_evidence(rule, nullptr));
  if (rule.rule_id.empty())
    e.set("rule_id_note",
          "rule IDs were not exported (ec2 describe-security-group-rules): the rule is named by group, direction, "
          "traffic and peer");
  if (hits != nullptr) {
    JsonValue u = JsonValue::object();
    u.set("flows", hits->flows);
    u.set("packets", hits->packets);
    u.set("bytes", hits->bytes);
    u.set("exclusive_flows", hits->exclusive_flows);
    u.set("ambiguous_flows", hits->ambiguous_flows);
    u.set("distinct_peers", uint64_t(hits->peers.size()));
    if (hits->flows > 0) {
      u.set("first_seen", time_text(hits->first_seen));
      u.set("last_seen", time_text(hits->last_seen));
    }
    JsonValue peers = JsonValue::array();
    for (size_t i = 0; i < hits->peers.size() && i < 10; ++i) {
      JsonValue p = JsonValue::object();
      p.set("peer", hits->peers[i].peer.to_string());
      p.set("flows", hits->peers[i].flows);
      p.set("bytes", hits->peers[i].bytes);
      peers.push(std::move(p));
    }
    u.set("top_peers", std::move(peers));
    JsonValue ports = JsonValue::array();
    for (size_t i = 0; i < hits->ports.size() && i < 10; ++i) {
      JsonValue p = JsonValue::object();
      p.set("port", port_text(hits->ports[i].protocol, hits->ports[i].port));
      p.set("flows", hits->ports[i].flows);
      ports.push(std::move(p));
    }
    u.set("ports", std::move(ports));
    JsonValue shared = JsonValue::array();
    for (const SecurityGroupRule* r : hits->shared_with)
      shared.push(r->rule_id.empty() ? describe_exposure(*r, "", nullptr) : r->rule_id.str());
    u.set("shared_with", std::move(shared));
    if (!hits->unknown.empty()) u.set("unknown", hits->unknown);
    e.set("usage", std::move(u));
  }
  if (coverage != nullptr) {
    JsonValue w = JsonValue::object();
    if (coverage->window_end > coverage->window_start && coverage->window_start > 0) {
      w.set("start", time_text(coverage->window_start));
      w.set("end", time_text(coverage->window_end));
    }
    w.set("seconds", uint64_t(coverage->window_seconds()));
    e.set("window", std::move(w));
    JsonValue c = JsonValue::object();
    c.set("enis", uint64_t(coverage->enis));
    c.set("observed", uint64_t(coverage->observed));
    c.set("skipdata_records", coverage->skipdata);
    c.set("gaps", JsonValue::strings(coverage->gaps));
    e.set("coverage", std::move(c));
  }
  return e;
}

bool report_no_flow_logs(const CheckContext& ctx, FindingSink& sink) {
  if (ctx.rule_usage != nullptr) return false;
  for (const Region& region : ctx.account.regions) {
    Finding& f = sink.not_assessed(
        region.name, "flow-logs", "",
        "no flow logs were given (fortress flows --snapshot DIR LOGS..., or fortress scan DIR --flow-logs LOGS...): "
        "rule usage was not assessed");
    f.evidence.set("flow_logs_given", false);
  }
  return true;
}

std::string coverage_gap(const RuleUsage& usage, const GroupCoverage* c) {
  if (c == nullptr || c->enis == 0)
    return "the group is attached to no in-use network interface, so no traffic can use its rules (sg-unused "
           "reports unused groups)";
  if (c->observed < c->enis) {
    std::string out = fmt::format("the traffic of {} of its {} in-use network interface(s) was not observed", c->enis - c->observed,
                                  c->enis);
    if (!c->gaps.empty()) out += ": " + c->gaps[0];
    if (c->gaps.size() > 1) out += fmt::format(" (and {} more)", c->enis - c->observed - 1);
    return out;
  }
  if (c->skipdata > 0)
    return fmt::format("{} SKIPDATA record(s) on its interfaces: some of their traffic was not logged", c->skipdata);
  if (c->window_seconds() < usage.min_window_seconds)
    return fmt::format("the observed window ({}) is shorter than --min-window {}", duration_text(c->window_seconds()),
                       duration_text(usage.min_window_seconds));
  return {};
}

Finding& rule_finding(FindingSink& sink, FindingStatus status, const Region& region, const SecurityGroup& group,
                      const SecurityGroupRule& rule, std::string detail) {
  const Symbol id = rule_resource_id(group, rule);
  const Symbol name = group_display_name(group);
  Finding& f = status == FindingStatus::kFail   ? sink.fail(region.name, id, name, detail)
               : status == FindingStatus::kPass ? sink.pass(region.name, id, name, detail)
                                                : sink.not_assessed(region.name, id, name, detail);
  f.resource_type = rule.is_ingress() ? "AWS::EC2::SecurityGroupIngress" : "AWS::EC2::SecurityGroupEgress";
  return f;
}

}  // namespace fortress::flows
