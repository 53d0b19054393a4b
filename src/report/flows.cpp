#include <fmt/format.h>

#include <algorithm>

#include "checks/rule_match.h"
#include "report/flows_report.h"
#include "report/json_stream.h"
#include "report/scan_summary.h"
#include "report/terminal_text.h"
#include "util/json_value.h"

namespace fortress {

using namespace flows;

std::string byte_size_text(uint64_t b) {
  if (b >= (uint64_t(1) << 30)) return fmt::format("{:.1f} GiB", double(b) / double(uint64_t(1) << 30));
  if (b >= (uint64_t(1) << 20)) return fmt::format("{:.1f} MiB", double(b) / double(uint64_t(1) << 20));
  if (b >= 1024) return fmt::format("{:.1f} KiB", double(b) / 1024.0);
  return fmt::format("{} B", b);
}

namespace {

JsonValue ports_json(const std::vector<PortCount>& ports) {
  JsonValue a = JsonValue::array();
  for (const PortCount& p : ports) {
    JsonValue o = JsonValue::object();
    o.set("port", port_text(p.protocol, p.port));
    o.set("flows", p.flows);
    o.set("bytes", p.bytes);
    a.push(std::move(o));
  }
  return a;
}

JsonValue egress_json(const EgressSummary& s) {
  JsonValue o = JsonValue::object();
  o.set("region", s.region ? s.region->name.view() : std::string_view());
  if (s.group) {
    o.set("group_id", s.group->id);
    o.set("group_name", s.group->group_name);
    o.set("interfaces", uint64_t(s.enis));
  } else if (s.eni) {
    o.set("interface_id", s.eni->id);
    o.set("instance_id", s.eni->instance_id);
    o.set("groups", JsonValue::strings(s.eni->group_ids));
  }
  o.set("flows", s.flows);
  o.set("packets", s.packets);
  o.set("bytes", s.bytes);
  o.set("distinct_peers", uint64_t(s.distinct_peers));
  o.set("ports", ports_json(s.ports));
  JsonValue peers = JsonValue::array();
  for (const EgressPeer& p : s.top_peers) {
    JsonValue j = JsonValue::object();
    j.set("peer", p.peer.to_string());
    j.set("flows", p.flows);
    j.set("bytes", p.bytes);
    j.set("ports", ports_json(p.ports));
    peers.push(std::move(j));
  }
  o.set("top_peers", std::move(peers));
  o.set("unusual_ports", ports_json(s.unusual));
  return o;
}

JsonValue rule_json(const RuleHits& h) {
  JsonValue j = JsonValue::object();
  j.set("region", h.region->name);
  j.set("group_id", h.group->id);
  j.set("rule_id", h.rule->rule_id);
  j.set("direction", h.rule->is_ingress() ? "ingress" : "egress");
  j.set("protocol", protocol_name(h.rule->traffic.protocol));
  j.set("ports", ports_text(h.rule->traffic));
  j.set("peer", h.rule->peer.to_string());
  j.set("flows", h.flows);
  j.set("packets", h.packets);
  j.set("bytes", h.bytes);
  j.set("exclusive_flows", h.exclusive_flows);
  j.set("ambiguous_flows", h.ambiguous_flows);
  j.set("distinct_peers", uint64_t(h.peers.size()));
  if (h.flows > 0) {
    j.set("first_seen", time_text(h.first_seen));
    j.set("last_seen", time_text(h.last_seen));
  }
  JsonValue peers = JsonValue::array();
  for (size_t i = 0; i < h.peers.size() && i < 10; ++i) {
    JsonValue p = JsonValue::object();
    p.set("peer", h.peers[i].peer.to_string());
    p.set("flows", h.peers[i].flows);
    p.set("bytes", h.peers[i].bytes);
    peers.push(std::move(p));
  }
  j.set("top_peers", std::move(peers));
  j.set("ports_used", ports_json(h.ports));
  return j;
}

JsonValue rejected_json(const RejectedSummary& s) {
  JsonValue j = JsonValue::object();
  j.set("region", s.region ? s.region->name.view() : std::string_view());
  j.set("interface_id", s.interface_id);
  j.set("in_snapshot", s.eni != nullptr);
  j.set("flows", s.flows);
  j.set("packets", s.packets);
  j.set("inbound_flows", s.inbound_flows);
  j.set("outbound_flows", s.outbound_flows);
  j.set("distinct_peers", uint64_t(s.distinct_sources));
  JsonValue peers = JsonValue::array();
  for (const PeerCount& p : s.top_sources) {
    JsonValue o = JsonValue::object();
    o.set("peer", p.peer.to_string());
    o.set("flows", p.flows);
    o.set("packets", p.packets);
    peers.push(std::move(o));
  }
  j.set("top_peers", std::move(peers));
  j.set("top_ports", ports_json(s.top_ports));
  return j;
}

}  // namespace

void write_flows_json(const FlowsReport& r, std::ostream& out) {
  const ReadStats& st = r.aggregate->stats;
  const RuleUsage& u = *r.usage;
  JsonReportWriter w(out);
  w.field(0, "tool", "fortress");
  w.field(0, "command", "flows");
  w.field(0, "version", r.tool_version);
  w.field(0, "account_id", r.account ? r.account->account_id : Symbol());
  w.field(0, "generated_at", r.generated_at);
  JsonValue input = JsonValue::object();
  input.set("from_aggregate", r.from_aggregate);
  input.set("files", st.files);
  input.set("bytes", st.bytes);
  input.set("compressed_bytes", st.compressed_bytes);
  input.set("records", st.records);
  input.set("nodata", st.nodata);
  input.set("skipdata", st.skipdata);
  input.set("malformed", st.malformed);
  input.set("unattributable", st.unattributable);
  input.set("distinct_keys", uint64_t(r.aggregate->flows.size()));
  JsonValue samples = JsonValue::array();
  for (const MalformedSample& m : st.samples) {
    JsonValue j = JsonValue::object();
    j.set("file", m.file);
    j.set("line", m.line);
    j.set("reason", m.reason);
    samples.push(std::move(j));
  }
  input.set("malformed_samples", std::move(samples));
  JsonValue issues = JsonValue::array();
  for (const FileIssue& i : st.issues) {
    JsonValue j = JsonValue::object();
    j.set("level", i.level == FileIssue::Level::kError ? "error" : "warning");
    j.set("file", i.file);
    j.set("message", i.message);
    issues.push(std::move(j));
  }
  input.set("file_issues", std::move(issues));
  w.field(0, "input", input);

  JsonValue window = JsonValue::object();
  if (u.window_end > u.window_start && u.window_start > 0) {
    window.set("start", time_text(u.window_start));
    window.set("end", time_text(u.window_end));
  }
  window.set("seconds", uint64_t(u.window_end > u.window_start ? u.window_end - u.window_start : 0));
  w.field(0, "window", window);

  const AttributionStats& a = u.stats;
  JsonValue attr = JsonValue::object();
  attr.set("keys", a.keys);
  attr.set("initiations", a.initiations);
  attr.set("matched", a.matched);
  attr.set("unmatched", a.unmatched_flows);
  attr.set("return_flows", a.return_flows);
  attr.set("undetermined", a.undetermined_flows);
  attr.set("rejected", a.rejected_flows);
  attr.set("unknown_interface_flows", a.unknown_interface_flows);
  attr.set("unknown_interfaces", uint64_t(a.unknown_interfaces));
  attr.set("unknown_interface_ids", JsonValue::strings(a.unknown_interface_ids));
  attr.set("unresolved_direction_flows", a.unresolved_direction_flows);
  attr.set("unmatched_samples", JsonValue::strings(a.unmatched_samples));
  w.field(0, "attribution", attr);

  JsonValue coverage = JsonValue::array();
  for (const auto& [region, c] : u.region_enis) {
    JsonValue j = JsonValue::object();
    j.set("region", region);
    j.set("interfaces", uint64_t(c.first));
    j.set("observed", uint64_t(c.second));
    coverage.push(std::move(j));
  }
  w.field(0, "coverage", coverage);

  JsonValue by_status = JsonValue::object();
  for (FindingStatus s : kStatusesInOrder) {
    uint64_t n = 0;
    for (const Finding& f : r.findings) n += f.status == s;
    by_status.set(std::string(to_string(s)), n);
  }
  JsonValue summary = JsonValue::object();
  summary.set("findings", uint64_t(r.findings.size()));
  summary.set("by_status", std::move(by_status));
  w.field(0, "summary", summary);


  const std::vector<const Finding*> sorted = sorted_findings(r.findings);
  w.key(0, "findings");
  w.array(1, sorted.size(), [&](std::string& text, size_t i) { append_finding_json(text, *sorted[i]); });

  // Rules with any traffic, in region, group, rule order.
  std::vector<const RuleHits*> used;
  for (const auto& [rule, h] : u.rules)
    if (h.flows > 0 || h.ambiguous_flows > 0) used.push_back(&h);
  std::sort(used.begin(), used.end(), [](const RuleHits* x, const RuleHits* y) {
    const std::string_view rx = x->region->name, ry = y->region->name, gx = x->group->id, gy = y->group->id;
    return std::tie(rx, gx, x->rule) < std::tie(ry, gy, y->rule);
  });
  w.key(0, "rules");
  w.value_array(1, used.size(), [&](size_t i) { return rule_json(*used[i]); });

  w.key(0, "egress");
  JsonValue usual = JsonValue::array();
  for (const auto& [proto, port] : u.usual_egress_ports) usual.push(port_text(proto, port));
  w.field(1, "usual_ports", usual);
  w.key(1, "by_group");
  w.value_array(2, u.egress_by_group.size(), [&](size_t i) { return egress_json(u.egress_by_group[i]); });
  w.key(1, "by_interface");
  w.value_array(2, u.egress_by_eni.size(), [&](size_t i) { return egress_json(u.egress_by_eni[i]); });
  w.close(1);

  w.key(0, "rejected");
  w.value_array(1, u.rejected.size(), [&](size_t i) { return rejected_json(u.rejected[i]); });
  w.end_document();
}

void write_flows_terminal(const FlowsReport& r, const TerminalOptions& options, std::ostream& out) {
  ScanReport scan;
  scan.tool_version = r.tool_version;
  scan.generated_at = r.generated_at;
  scan.account = r.account;
  scan.findings = r.findings;
  write_terminal(scan, options, out);

  const ReadStats& st = r.aggregate->stats;
  const RuleUsage& u = *r.usage;
  const AttributionStats& a = u.stats;
  out << "\nFLOW LOGS\n";
  if (r.from_aggregate) {
    out << fmt::format("  Input         aggregates: {} distinct keys\n", r.aggregate->flows.size());
  } else {
    out << fmt::format("  Read          {} file(s), {} of records{}, {} record(s): {} NODATA, {} SKIPDATA, {} malformed\n",
                       st.files, byte_size_text(st.bytes),
                       st.compressed_bytes ? fmt::format(" ({} compressed)", byte_size_text(st.compressed_bytes)) : "",
                       st.records, st.nodata, st.skipdata, st.malformed);
  }
  out << fmt::format("  Window        {}\n", u.window_end > u.window_start && u.window_start
                                               ? fmt::format("{} ({} to {})", duration_text(u.window_end - u.window_start),
                                                             time_text(u.window_start), time_text(u.window_end))
                                               : std::string("none (no records with times)"));
  for (const MalformedSample& m : st.samples)
    out << fmt::format("  malformed     {}:{}: {}\n", terminal_safe(m.file), m.line, terminal_safe(m.reason));
  for (const FileIssue& i : st.issues)
    out << fmt::format("  {:<13} {}: {}\n", i.level == FileIssue::Level::kError ? "error" : "warning",
                       terminal_safe(i.file), terminal_safe(i.message));
  if (st.unattributable)
    out << fmt::format("  Not used      {} record(s) of formats without the fields attribution needs\n", st.unattributable);
  out << fmt::format(
      "  Attribution   {} initiated flow(s): {} admitted by a rule, {} by none of the snapshot's rules; {} return "
      "flow(s) not counted; {} undetermined; {} rejected\n",
      a.initiations, a.matched, a.unmatched_flows, a.return_flows, a.undetermined_flows, a.rejected_flows);
  if (a.unknown_interfaces)
    out << fmt::format("  Unknown       {} interface(s) not in the snapshot ({} flows), e.g. {}\n", a.unknown_interfaces,
                       a.unknown_interface_flows, terminal_safe(a.unknown_interface_ids.empty() ? "" : a.unknown_interface_ids[0]));
  for (const std::string& s : a.unmatched_samples) out << "  no rule       " << terminal_safe(s) << '\n';
  for (const auto& [region, c] : u.region_enis)
    out << fmt::format("  Coverage      {}: {}/{} in-use interfaces observed\n", region, c.second, c.first);

  if (!u.egress_by_group.empty()) {
    out << "\nINTERNET EGRESS (connections initiated to public addresses, per security group)\n";
    for (const EgressSummary& s : u.egress_by_group) {
      std::vector<std::string> ports;
      for (size_t i = 0; i < s.ports.size() && i < 5; ++i) {
        const bool unusual = std::any_of(s.unusual.begin(), s.unusual.end(), [&](const PortCount& p) {
          return p.protocol == s.ports[i].protocol && p.port == s.ports[i].port;
        });
        ports.push_back(fmt::format("{} {}{}", port_text(s.ports[i].protocol, s.ports[i].port),
                                    byte_size_text(s.ports[i].bytes), unusual ? " (UNUSUAL)" : ""));
      }
      std::vector<std::string> peers;
      for (size_t i = 0; i < s.top_peers.size() && i < 3; ++i)
        peers.push_back(fmt::format("{} {}", s.top_peers[i].peer.to_string(), byte_size_text(s.top_peers[i].bytes)));
      out << fmt::format("  {}  {} ({})  {} interface(s), {} to {} peer(s)\n", s.region->name, s.group->id,
                         terminal_safe(s.group->group_name), s.enis, byte_size_text(s.bytes), s.distinct_peers);
      out << "      ports: " << join(ports, ", ") << '\n';
      out << "      top peers: " << join(peers, ", ") << '\n';
    }
  }
  if (!u.rejected.empty()) {
    out << "\nREJECTED TRAFFIC (what is being tried, per interface)\n";
    for (size_t n = 0; n < u.rejected.size() && (options.verbose || n < 10); ++n) {
      const RejectedSummary& s = u.rejected[n];
      std::vector<std::string> peers;
      for (size_t i = 0; i < s.top_sources.size() && i < 3; ++i)
        peers.push_back(fmt::format("{} ({})", s.top_sources[i].peer.to_string(), s.top_sources[i].flows));
      std::vector<std::string> ports;
      for (size_t i = 0; i < s.top_ports.size() && i < 5; ++i)
        ports.push_back(fmt::format("{} ({})", port_text(s.top_ports[i].protocol, s.top_ports[i].port), s.top_ports[i].flows));
      out << fmt::format("  {}  {}  {} flow(s) from {} peer(s){}\n", s.region ? s.region->name.view() : "?",
                         terminal_safe(s.interface_id), s.flows, s.distinct_sources, s.eni ? "" : " (not in the snapshot)");
      out << "      top peers: " << join(peers, ", ") << "; ports: " << join(ports, ", ") << '\n';
    }
    if (!options.verbose && u.rejected.size() > 10)
      out << fmt::format("  ... and {} more interfaces (--verbose or --format json lists them)\n", u.rejected.size() - 10);
  }
}

}  // namespace fortress
