#include "reach/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "reach/explain.h"
#include "reach/stages.h"
#include "report/terminal_text.h"

namespace fortress::reach {

namespace {

std::string class_node_id(const ReachClass& c) {
  return fmt::format("c{}", c.id);
}

std::string class_label(const ReachClass& c) {
  std::vector<std::string> groups;
  for (const SecurityGroup* g : c.groups) {
    Symbol n = g->name().empty() ? g->group_name : g->name();
    groups.push_back(n.empty() ? g->id.str() : n.str());
  }
  std::vector<std::string> who;
  for (const EniRef& m : c.members) {
    if (who.size() == 3) {
      who.push_back(fmt::format("+{} more", c.members.size() - 3));
      break;
    }
    who.push_back(member_text(m));
  }
  return fmt::format("{} | {} | {}", groups.empty() ? std::string("(no group)") : join_texts(groups, ", "),
                     c.subnet == nullptr ? std::string("?") : c.subnet->id.str(), join_texts(who, ", "));
}

JsonValue class_node(const ReachClass& c, std::string_view kind) {
  JsonValue n = JsonValue::object();
  n.set("id", class_node_id(c));
  n.set("kind", kind);
  n.set("region", c.region->name);
  n.set("vpc_id", c.vpc_id);
  n.set("subnet_id", c.subnet == nullptr ? std::string() : c.subnet->id.str());
  JsonValue groups = JsonValue::array();
  for (const SecurityGroup* g : c.groups) groups.push(g->id);
  n.set("security_groups", std::move(groups));
  n.set("network_interfaces", uint64_t(c.members.size()));
  n.set("label", class_label(c));
  return n;
}

struct Graph {
  JsonValue nodes = JsonValue::array();
  JsonValue edges = JsonValue::array();
  std::set<uint32_t> seen;
  std::set<std::pair<uint32_t, uint32_t>> seen_edges;
  void node(const ReachClass& c, std::string_view kind) {
    if (seen.insert(c.id).second) nodes.push(class_node(c, kind));
  }
  void edge(const std::string& from, const std::string& to, const std::string& label, std::string_view kind) {
    JsonValue e = JsonValue::object();
    e.set("from", from);
    e.set("to", to);
    e.set("label", label);
    e.set("kind", kind);
    edges.push(std::move(e));
  }
  void lateral(const LateralEdge& e) {
    if (!seen_edges.insert({e.from->id, e.to->id}).second) return;
    node(*e.from, "internal");
    node(*e.to, "internal");
    edge(class_node_id(*e.from), class_node_id(*e.to), e.ports_text(), e.via == "local" ? "lateral" : "peering");
  }
};

JsonValue edge_json(const LateralEdge& e, const EniRef* exclude) {
  JsonValue j = JsonValue::object();
  std::vector<std::string> who;
  for (const EniRef& m : e.to->members) {
    if (exclude != nullptr && m.eni == exclude->eni) continue;
    if (who.size() < 5) who.push_back(member_text(m));
  }
  j.set("to", JsonValue::strings(who));
  j.set("to_class", class_node_id(*e.to));
  j.set("ports", e.ports_text());
  j.set("via", e.via);
  JsonValue rules = JsonValue::array();
  for (const SgRuleRef& r : e.ingress_rules) rules.push(rule_sentence(*r.group, *r.rule));
  j.set("admitted_by", std::move(rules));
  return j;
}

std::string first_member(const ReachClass& c, const EniRef* exclude) {
  for (const EniRef& m : c.members) {
    if (exclude == nullptr || m.eni != exclude->eni) return member_text(m);
  }
  return member_text(c.members.front());
}

}  // namespace

JsonValue reach_report(const Account& account, const Config& config, const Exposure& exposure,
                       const ReachOptions& options, std::string_view tool_version) {
  const Lateral lateral(exposure);
  JsonValue report = JsonValue::object();
  report.set("tool_version", tool_version);
  report.set("account", account.account_id);

  JsonValue gaps = JsonValue::array();
  for (const auto& [region, why] : exposure.region_gaps()) {
    JsonValue g = JsonValue::object();
    g.set("region", region);
    g.set("reason", why);
    gaps.push(std::move(g));
  }

  Graph graph;
  JsonValue internet_node = JsonValue::object();
  internet_node.set("id", "internet");
  internet_node.set("kind", "internet");
  internet_node.set("label", "internet");
  graph.nodes.push(std::move(internet_node));

  size_t enis = 0, exposed_classes = 0, not_assessed = 0;
  JsonValue exposures = JsonValue::array();
  JsonValue unknown = JsonValue::array();
  std::map<uint32_t, BlastRadius> radius;  // per exposed class
  for (const ReachClass& c : exposure.classes()) {
    enis += c.members.size();
    const InternetResult& ir = exposure.internet(c);
    if (ir.state == ClassState::kNotAssessed) {
      ++not_assessed;
      JsonValue u = JsonValue::object();
      u.set("region", c.region->name);
      u.set("class", class_node_id(c));
      u.set("label", class_label(c));
      u.set("unknown", JsonValue::strings(ir.unknowns));
      unknown.push(std::move(u));
    }
    if (ir.state != ClassState::kExposed) continue;
    // Sources inside trusted_cidrs are not the internet (docs/configuration.md); port segments of one
    // way in are one exposure, as in the exposed-* findings.
    const std::vector<Grant> grants = merge_port_segments(without_trusted(ir.grants, config.trusted_cidrs));
    if (grants.empty()) continue;
    ++exposed_classes;
    graph.node(c, "exposed");
    std::vector<std::string> labels;
    for (const Grant& g : grants) {
      const std::string t = g.traffic_text() + (g.family == IpFamily::kV6 ? " (IPv6)" : "");
      if (std::find(labels.begin(), labels.end(), t) == labels.end()) labels.push_back(t);
    }
    graph.edge("internet", class_node_id(c), join_texts(labels, "; "), "internet");
    BlastRadius b = blast_radius(lateral, c, options.max_second_hops);
    for (const LateralEdge& e : b.first_hop) graph.lateral(e);
    for (const auto& [i, e] : b.second_hop) graph.lateral(e);
    for (const EniRef& m : c.members) {
      JsonValue x = JsonValue::object();
      x.set("region", c.region->name);
      x.set("resource_id", m.instance != nullptr ? m.instance->id : m.eni->id);
      x.set("resource_type", m.instance != nullptr ? "AWS::EC2::Instance" : "AWS::EC2::NetworkInterface");
      x.set("name", m.instance != nullptr ? m.instance->name() : m.eni->name());
      x.set("network_interface", m.eni->id);
      if (m.instance != nullptr) x.set("instance_state", m.instance->state);
      x.set("class", class_node_id(c));
      JsonValue grant_list = JsonValue::array();
      for (const Grant& g : grants) grant_list.push(grant_evidence(c, g, m));
      x.set("exposures", std::move(grant_list));
      if (!ir.unknowns.empty()) x.set("unknown", JsonValue::strings(ir.unknowns));
      JsonValue first = JsonValue::array();
      std::vector<std::string> lines;
      for (const LateralEdge& e : b.first_hop) {
        if (e.to == &c && c.members.size() < 2) continue;
        first.push(edge_json(e, &m));
        lines.push_back(fmt::format("{} -> {}:{}", member_text(m), first_member(*e.to, &m), e.ports_text()));
      }
      JsonValue second = JsonValue::array();
      for (const auto& [i, e] : b.second_hop) {
        JsonValue j = edge_json(e, &m);
        j.set("through", first_member(*b.first_hop[i].to, &m));
        j.set("through_ports", b.first_hop[i].ports_text());
        second.push(std::move(j));
        if (lines.size() < 40)
          lines.push_back(fmt::format("{} -> {}:{} -> {}:{}", member_text(m), first_member(*b.first_hop[i].to, &m),
                                      b.first_hop[i].ports_text(), first_member(*e.to, &m), e.ports_text()));
      }
      JsonValue br = JsonValue::object();
      br.set("first_hop", std::move(first));
      br.set("second_hop", std::move(second));
      br.set("paths", JsonValue::strings(lines));
      x.set("blast_radius", std::move(br));
      exposures.push(std::move(x));
    }
    radius.emplace(c.id, std::move(b));
  }

  if (options.all_edges && exposure.classes().size() <= options.max_classes_for_all_edges) {
    for (const ReachClass& c : exposure.classes()) {
      for (const LateralEdge& e : lateral.from(c)) graph.lateral(e);
    }
  }

  // Internet rules that reach nothing, with the first component that blocks them.
  JsonValue blocked = JsonValue::array();
  for (const Region& region : account.regions) {
    const RegionFacts facts = make_region_facts(region);
    for (const SecurityGroup& g : region.security_groups) {
      for (const SecurityGroupRule& r : g.rules) {
        if (!r.is_ingress()) continue;
        bool internet = false;
        for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) {
          PeerSources ps = peer_sources(facts, r.peer, f);
          AddressSet pub = ps.addresses & public_space(f);
          for (const Cidr& t : config.trusted_cidrs)
            if (t.family() == f) pub -= AddressSet::of(t);
          internet |= !pub.empty();
        }
        if (!internet) continue;
        RuleReach rr = exposure.rule_reach(region, g, r);
        if (rr.verdict == RuleReach::Verdict::kReachable) continue;
        JsonValue b = rule_reach_evidence(g, r, rr);
        b.set("region", region.name);
        b.set("group_id", g.id);
        blocked.push(std::move(b));
      }
    }
  }

  JsonValue summary = JsonValue::object();
  summary.set("classes", uint64_t(exposure.classes().size()));
  summary.set("network_interfaces", uint64_t(enis));
  summary.set("exposed_classes", uint64_t(exposed_classes));
  summary.set("exposed_resources", uint64_t(exposures.as_array().size()));
  summary.set("not_assessed_classes", uint64_t(not_assessed));
  summary.set("blocked_internet_rules", uint64_t(blocked.as_array().size()));
  report.set("summary", std::move(summary));
  report.set("not_assessed_regions", std::move(gaps));
  report.set("exposures", std::move(exposures));
  report.set("blocked_internet_rules", std::move(blocked));
  report.set("not_assessed", std::move(unknown));
  JsonValue g = JsonValue::object();
  g.set("nodes", std::move(graph.nodes));
  g.set("edges", std::move(graph.edges));
  report.set("graph", std::move(g));
  return report;
}

namespace {

const std::string& str(const JsonValue& v, std::string_view key) {
  static const std::string kEmpty;
  const JsonValue* f = v.get(key);
  return f != nullptr && f->is_string() ? f->as_string() : kEmpty;
}

std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out.push_back('"');
  return out;
}

}  // namespace

void write_reach_terminal(const JsonValue& report, std::ostream& out, bool color) {
  auto paint = [color](std::string_view code, std::string_view text) {
    return color && !text.empty() ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  auto bold = [&](std::string_view t) { return paint("1", t); };
  auto safe = [](const JsonValue& v, std::string_view key) { return terminal_safe(str(v, key)); };
  // Lines of at most 100 columns, as fortress scan's: the first at `indent`, the rest at `hang`
  // (long IDs and paths break at their spaces; an ID is never cut).
  constexpr size_t kWidth = 100;
  auto wrapped = [&](size_t indent, size_t hang, const std::string& text, std::string_view code = {}) {
    const std::vector<std::string> lines = wrap_words(text, kWidth - hang);
    for (size_t i = 0; i < lines.size(); ++i)
      out << std::string(i == 0 ? indent : hang, ' ') << (code.empty() ? lines[i] : paint(code, lines[i])) << '\n';
  };
  const JsonValue& s = *report.get("summary");
  out << fmt::format("{}  account {}\n\n", bold("fortress reach"), safe(report, "account"));
  out << fmt::format("{} network interfaces in {} classes; {} classes exposed to the internet ({} resources)\n",
                     s.get("network_interfaces")->as_int(), s.get("classes")->as_int(), s.get("exposed_classes")->as_int(),
                     s.get("exposed_resources")->as_int());
  for (const JsonValue& g : report.get("not_assessed_regions")->as_array())
    out << paint("33", "NOT ASSESSED  " + safe(g, "reason")) << '\n';
  out << '\n' << bold("EXPOSED TO THE INTERNET") << '\n';
  for (const JsonValue& x : report.get("exposures")->as_array()) {
    const std::string name = safe(x, "name");
    out << fmt::format("  {}  {}\n", safe(x, "region"),
                       paint("1;31", safe(x, "resource_id") + (name.empty() ? std::string() : " (" + name + ")")));
    for (const JsonValue& e : x.get("exposures")->as_array()) {
      const std::string ports = e.get("ports") != nullptr ? "/" + safe(e, "ports") : std::string();
      wrapped(6, 10,
              fmt::format("{}{} from {}{}", safe(e, "protocol"), ports, safe(e, "sources_text"),
                          e.get("reply_partial")->as_bool()
                              ? " (reply partial: client ports " + safe(e, "reply_ports") + ")"
                              : std::string()));
      wrapped(8, 14, "path: " + safe(e, "path_text"));
    }
    const JsonValue& paths = *x.get("blast_radius")->get("paths");
    if (!paths.as_array().empty()) {
      out << "      reaches next:\n";
      size_t n = 0;
      for (const JsonValue& p : paths.as_array()) {
        if (++n > 12) {
          out << fmt::format("        ... {} more (see --format json)\n", paths.as_array().size() - 12);
          break;
        }
        wrapped(8, 12, terminal_safe(p.as_string()));
      }
    }
  }
  const auto& blocked = report.get("blocked_internet_rules")->as_array();
  out << '\n' << bold(fmt::format("INTERNET RULES THAT REACH NOTHING ({})", blocked.size())) << '\n';
  for (const JsonValue& b : blocked) wrapped(2, 4, safe(b, "region") + "  " + safe(b, "explanation"));
  const auto& unknown = report.get("not_assessed")->as_array();
  if (!unknown.empty()) {
    out << '\n' << bold(fmt::format("NOT ASSESSED ({} classes)", unknown.size())) << '\n';
    for (const JsonValue& u : unknown) {
      std::vector<std::string> why;
      for (const JsonValue& w : u.get("unknown")->as_array()) why.push_back(w.as_string());
      wrapped(2, 4, safe(u, "region") + "  " + safe(u, "label") + ": " + terminal_safe(join_texts(why, "; ")), "33");
    }
  }
}

std::string reach_dot(const JsonValue& report) {
  std::string out = "digraph reach {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n"
                    "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  const JsonValue& graph = *report.get("graph");
  for (const JsonValue& n : graph.get("nodes")->as_array()) {
    const std::string& kind = str(n, "kind");
    std::string attrs;
    if (kind == "internet") {
      attrs = "shape=doublecircle, style=filled, fillcolor=\"#d62728\", color=\"#d62728\", fontcolor=white";
    } else if (kind == "exposed") {
      attrs = "color=\"#d62728\", penwidth=2";
    }
    // The label's " | " separators become line breaks.
    std::string label;
    const std::string& text = str(n, "label");
    for (size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 3, " | ") == 0) {
        label.push_back('\n');
        i += 2;
      } else {
        label.push_back(text[i]);
      }
    }
    out += fmt::format("  {} [label={}{}];\n", dot_quote(str(n, "id")), dot_quote(label), attrs.empty() ? std::string() : std::string(", ").append(attrs));
  }
  for (const JsonValue& e : graph.get("edges")->as_array()) {
    const std::string& kind = str(e, "kind");
    std::string attrs = kind == "internet" ? ", color=\"#d62728\", fontcolor=\"#d62728\"" : kind == "peering" ? ", style=dashed" : "";
    out += fmt::format("  {} -> {} [label={}{}];\n", dot_quote(str(e, "from")), dot_quote(str(e, "to")),
                       dot_quote(str(e, "label")), attrs);
  }
  out += "}\n";
  return out;
}

}  // namespace fortress::reach
