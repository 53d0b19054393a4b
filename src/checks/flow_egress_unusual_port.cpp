// flow-egress-unusual-port: an interface that initiated connections to internet addresses on ports
// outside the usual egress set (the seed's exfiltration review).
#include <fmt/format.h>

#include <map>

#include "checks/flow_checks.h"
#include "checks/rule_match.h"
#include "flows/rule_findings.h"

namespace fortress {

namespace {

using namespace flows;

std::string bytes_text(uint64_t b) {
  if (b >= (uint64_t(1) << 30)) return fmt::format("{:.1f} GiB", double(b) / double(uint64_t(1) << 30));
  if (b >= (uint64_t(1) << 20)) return fmt::format("{:.1f} MiB", double(b) / double(uint64_t(1) << 20));
  if (b >= 1024) return fmt::format("{:.1f} KiB", double(b) / 1024.0);
  return fmt::format("{} B", b);
}

std::string usual_text(const RuleUsage& usage) {
  std::vector<std::string> out;
  for (const auto& [p, n] : usage.usual_egress_ports) out.push_back(port_text(p, n));
  return join(out, ", ");
}

void run(const CheckContext& ctx, FindingSink& sink) {
  if (report_no_flow_logs(ctx, sink)) return;
  const RuleUsage& usage = *ctx.rule_usage;
  std::map<const NetworkInterface*, const EgressSummary*> egress;
  for (const EgressSummary& e : usage.egress_by_eni) egress[e.eni] = &e;
  for (const Region& region : ctx.account.regions) {
    if (!report_coverage_gaps(region, {Dataset::kNetworkInterfaces}, sink)) continue;
    size_t unobserved = 0;
    std::string first_gap;
    for (const NetworkInterface& eni : region.network_interfaces) {
      auto cov = usage.eni_coverage.find(&eni);
      if (cov == usage.eni_coverage.end()) continue;  // not in use
      if (eni.interface_type == "nat_gateway") {
        sink.pass(region.name, eni.id, eni.name(),
                  "NAT gateway: the traffic it forwards is reported on the interfaces that send it");
        continue;
      }
      auto it = egress.find(&eni);
      const EgressSummary* e = it == egress.end() ? nullptr : it->second;
      if (e == nullptr || e->unusual.empty()) {
        if (!cov->second.observed && e == nullptr) {
          ++unobserved;
          if (first_gap.empty() && !cov->second.gaps.empty()) first_gap = cov->second.gaps[0];
          continue;
        }
        sink.pass(region.name, eni.id, eni.name(),
                  e == nullptr ? std::string("no connection to the internet observed")
                               : fmt::format("internet egress only on usual ports ({} to {} peer(s))",
                                             bytes_text(e->bytes), e->distinct_peers));
        continue;
      }
      std::vector<std::string> ports;
      uint64_t unusual_bytes = 0;
      for (const PortCount& p : e->unusual) {
        unusual_bytes += p.bytes;
        if (ports.size() < 5) ports.push_back(fmt::format("{} ({})", port_text(p.protocol, p.port), bytes_text(p.bytes)));
      }
      if (e->unusual.size() > 5) ports.push_back(fmt::format("{} more", e->unusual.size() - 5));
      std::vector<std::string> peers;
      for (const EgressPeer& p : e->unusual_peers) {
        if (peers.size() == 3) break;
        peers.push_back(p.peer.to_string());
      }
      Finding& f = sink.fail(region.name, eni.id, eni.name(),
                             fmt::format("{} to the internet on unusual ports: {}; top peers {}",
                                         bytes_text(unusual_bytes), join(ports, ", "), join(peers, ", ")));
      f.area = Area::kEgress;
      JsonValue ev = JsonValue::object();
      ev.set("interface_id", eni.id);
      ev.set("vpc_id", eni.vpc_id);
      ev.set("instance_id", eni.instance_id);
      ev.set("groups", JsonValue::strings(eni.group_ids));
      ev.set("usual_ports", usual_text(usage));
      JsonValue up = JsonValue::array();
      for (const PortCount& p : e->unusual) {
        JsonValue o = JsonValue::object();
        o.set("port", port_text(p.protocol, p.port));
        o.set("flows", p.flows);
        o.set("bytes", p.bytes);
        up.push(std::move(o));
      }
      ev.set("unusual_ports", std::move(up));
      JsonValue peers_json = JsonValue::array();
      for (const EgressPeer& p : e->unusual_peers) {
        JsonValue o = JsonValue::object();
        o.set("peer", p.peer.to_string());
        o.set("bytes", p.bytes);
        o.set("flows", p.flows);
        JsonValue pp = JsonValue::array();
        for (const PortCount& c : p.ports) pp.push(port_text(c.protocol, c.port));
        o.set("ports", std::move(pp));
        peers_json.push(std::move(o));
      }
      ev.set("unusual_peers", std::move(peers_json));
      const GroupCoverage& c = cov->second;
      ev.set("window", window_text(c.window_start, c.window_end));
      f.evidence = std::move(ev);
      // The egress rules that admitted it, group by group.
      std::map<const SecurityGroup*, std::vector<const SecurityGroupRule*>> by_group;
      for (const SecurityGroupRule* r : e->unusual_rules) {
        const RuleHits* h = usage.hits(*r);
        if (h != nullptr && h->group != nullptr) by_group[h->group].push_back(r);
      }
      std::vector<std::string> commands;
      for (const auto& [g, rules] : by_group) commands.push_back(revoke_command(region.name, *g, RuleDirection::kEgress, rules));
      f.remediation_cli = join(commands, " && ");
    }
    if (unobserved > 0) {
      Finding& f = sink.not_assessed(region.name, "flow-logs", "",
                                     fmt::format("{} in-use network interface(s) of {} were not observed by the flow "
                                                 "logs given, e.g. {}",
                                                 unobserved, region.name, first_gap));
      f.evidence.set("unobserved_interfaces", uint64_t(unobserved));
    }
  }
}

}  // namespace

Check flow_egress_unusual_port_check() {
  return Check{
      CheckMetadata{
          .id = "flow-egress-unusual-port",
          .title = "Interface sends traffic to the internet on unusual ports",
          .severity = Severity::kMedium,
          .area = Area::kEgress,
          .resource_type = "AWS::EC2::NetworkInterface",
          .cis_aws_3_0 = "",
          .rationale =
              "Most workloads reach the internet on HTTP(S), DNS and NTP. Connections an interface initiated to "
              "public addresses on other ports (IRC, SSH to unknown hosts, raw TCP on high ports) are how "
              "malware calls home and how data leaves; an allow-all egress rule lets them through unnoticed. "
              "The flow logs show which interfaces did it, to whom and how much. The usual ports are tcp/80, "
              "tcp/443, udp/443, udp/53, tcp/53 and udp/123 unless fortress flows --egress-ports says otherwise.",
          .remediation =
              "Find out what the traffic is (the peers and ports are in the evidence). If it is legitimate, "
              "allow exactly it; otherwise restrict the group's egress: authorize the ports the interface needs, "
              "then revoke the broad egress rule that admitted the rest.",
          .remediation_cli = "aws ec2 revoke-security-group-egress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_id}",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"},
      },
      run,
  };
}

}  // namespace fortress
