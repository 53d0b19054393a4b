#include "reach/explain.h"

#include <fmt/format.h>

#include <algorithm>

#include "reach/stages.h"

namespace fortress::reach {

std::vector<Grant> without_trusted(std::vector<Grant> grants, const std::vector<Cidr>& trusted) {
  if (trusted.empty()) return grants;
  std::vector<Grant> kept;
  for (Grant& g : grants) {
    for (const Cidr& t : trusted) {
      if (t.family() == g.family) g.sources -= AddressSet::of(t);
    }
    if (!g.sources.empty()) kept.push_back(std::move(g));
  }
  return kept;
}

namespace {

template <typename T>
void append_unique(std::vector<T>& to, const std::vector<T>& from) {
  for (const T& x : from) {
    if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
  }
}

}  // namespace

std::vector<Grant> merge_port_segments(std::vector<Grant> grants) {
  std::vector<Grant> out;
  for (Grant& g : grants) {
    auto same = std::find_if(out.begin(), out.end(), [&](const Grant& o) {
      return o.family == g.family && o.protocol == g.protocol && o.reply_partial == g.reply_partial &&
             o.igw_id == g.igw_id && o.via_lb == g.via_lb && o.via_listener == g.via_listener &&
             o.via_listener_port == g.via_listener_port && o.via_detail == g.via_detail &&
             o.reply_ports == g.reply_ports && o.sources == g.sources;
    });
    if (same == out.end()) {
      out.push_back(std::move(g));
      continue;
    }
    same->ports |= g.ports;
    append_unique(same->sg_rules, g.sg_rules);
    append_unique(same->nacl_in, g.nacl_in);
    append_unique(same->nacl_out, g.nacl_out);
    append_unique(same->routes, g.routes);
  }
  return out;
}

std::string member_text(const EniRef& m) {
  if (m.instance == nullptr) return m.eni->id.str();
  std::string out = m.instance->id.str();
  if (!m.instance->name().empty()) out += " (" + m.instance->name().str() + ")";
  return out;
}

std::string rule_sentence(const SecurityGroup& g, const SecurityGroupRule& r) {
  std::string out = fmt::format("{} allows {} from {}", g.id, r.traffic.to_string(), r.peer.to_string());
  if (!r.rule_id.empty()) out += " (" + r.rule_id.str() + ")";
  return out;
}

std::string grant_text(const Grant& g) {
  std::string out = g.traffic_text() + " from " + to_string(g.sources, 3);
  if (g.reply_partial) {
    out += g.reply_ports.empty() ? std::string(" (the reply is allowed to some clients only)")
                                 : " (replies only to client ports " + to_string(g.reply_ports) + ")";
  }
  if (!g.via_lb.empty()) out += " via " + g.via_lb.str();
  return out;
}

std::vector<Hop> grant_path(const ReachClass& c, const Grant& g, const EniRef& member) {
  std::vector<Hop> hops;
  hops.push_back({"internet", "", "sources " + to_string(g.sources, 3)});
  if (!g.via_lb.empty()) {
    hops.push_back({"lb", g.via_lb.str(), g.via_detail});
    if (!g.via_listener.empty())
      hops.push_back({"listener", g.via_listener, "listener " + g.via_listener.substr(0, g.via_listener.find(" -> ")) +
                                                       " forwards to target group " +
                                                       g.via_listener.substr(g.via_listener.find(" -> ") + 4)});
  } else {
    if (!g.igw_id.empty()) hops.push_back({"igw", g.igw_id.str(), "internet gateway " + g.igw_id.str()});
    if (c.route_table != nullptr) {
      std::vector<std::string> routes;
      for (const Route* r : g.routes) {
        routes.push_back((r->destination ? r->destination->to_string() : r->destination_prefix_list_id.str()) + " -> " +
                         r->target_id.str());
      }
      hops.push_back({"route", c.route_table->id.str(),
                      fmt::format("{} routes the reply {}", c.route_table->id, join_texts(routes, ", "))});
    }
    if (c.nacl != nullptr) {
      std::vector<std::string> in, out;
      for (const NetworkAclEntry* e : g.nacl_in)
        in.push_back(fmt::format("rule {} ({} from {})", e->rule_number, e->traffic.to_string(), e->cidr.to_string()));
      for (const NetworkAclEntry* e : g.nacl_out)
        out.push_back(fmt::format("rule {} ({} to {})", e->rule_number, e->traffic.to_string(), e->cidr.to_string()));
      hops.push_back({"nacl-in", c.nacl->id.str(), fmt::format("{} inbound {} allows it", c.nacl->id, join_texts(in, ", "))});
      hops.push_back({"nacl-out", c.nacl->id.str(),
                      fmt::format("{} outbound {} allows the reply{}", c.nacl->id, join_texts(out, ", "),
                                  g.reply_partial && !g.reply_ports.empty() ? " to client ports " + to_string(g.reply_ports)
                                                                            : std::string())});
    }
  }
  for (const SgRuleRef& r : g.sg_rules) {
    hops.push_back({"sg-rule", r.rule->rule_id.empty() ? r.group->id.str() : r.rule->rule_id.str(),
                    rule_sentence(*r.group, *r.rule)});
  }
  hops.push_back({"eni", member.eni->id.str(), "network interface " + member.eni->id.str()});
  if (member.instance != nullptr) hops.push_back({"instance", member.instance->id.str(), member_text(member)});
  return hops;
}

std::string path_text(const std::vector<Hop>& hops) {
  std::string out;
  for (const Hop& h : hops) {
    if (!out.empty()) out += " -> ";
    if (h.kind == "internet") {
      out += "internet";
    } else if (h.kind == "route") {
      out += h.id;
    } else if (h.kind == "nacl-in") {
      out += h.id + " in";
    } else if (h.kind == "nacl-out") {
      out.resize(out.size() - 4);  // the reply's NACL is the same ACL: "acl-1 in/out"
      out += "/out";
    } else if (h.kind == "sg-rule") {
      out += h.id;
    } else if (h.kind == "instance") {
      out += h.text;
    } else {
      out += h.id;
    }
  }
  return out;
}

namespace {

// The CIDR blocks of a source set; the public space of each family (most grants: a rule open to
// 0.0.0.0/0 or ::/0) is cut into blocks once, not once per exposure.
const std::vector<Cidr>& source_blocks(const AddressSet& sources, std::vector<Cidr>& scratch) {
  static const std::vector<Cidr> public_v4 = to_cidrs(public_space(IpFamily::kV4));
  static const std::vector<Cidr> public_v6 = to_cidrs(public_space(IpFamily::kV6));
  if (sources == public_space(sources.family)) return sources.family == IpFamily::kV4 ? public_v4 : public_v6;
  scratch = to_cidrs(sources);
  return scratch;
}

}  // namespace

JsonValue grant_evidence(const ReachClass& c, const Grant& g, const EniRef& member) {
  return grant_evidence(g, grant_path(c, g, member));
}

JsonValue grant_evidence(const Grant& g, const std::vector<Hop>& hops) {
  JsonValue e = JsonValue::object();
  e.set("family", g.family == IpFamily::kV4 ? "ipv4" : "ipv6");
  e.set("protocol", protocol_label(g.protocol));
  if (protocol_has_ports(g.protocol)) e.set("ports", to_string(g.ports));
  JsonValue sources = JsonValue::array();
  std::vector<Cidr> scratch;
  const std::vector<Cidr>& blocks = source_blocks(g.sources, scratch);
  for (size_t i = 0; i < blocks.size() && i < 16; ++i) sources.push(blocks[i].to_string());
  e.set("sources", std::move(sources));
  if (blocks.size() > 16) e.set("sources_more", uint64_t(blocks.size() - 16));
  e.set("sources_text", to_string(g.sources, 3));
  e.set("reply_partial", g.reply_partial);
  if (g.reply_partial && !g.reply_ports.empty()) e.set("reply_ports", to_string(g.reply_ports));
  if (!g.via_lb.empty()) e.set("via_load_balancer", g.via_lb);
  JsonValue path = JsonValue::array();
  for (const Hop& h : hops) {
    JsonValue hop = JsonValue::object();
    hop.set("kind", h.kind);
    hop.set("id", h.id);
    hop.set("text", h.text);
    path.push(std::move(hop));
  }
  e.set("path", std::move(path));
  e.set("path_text", path_text(hops));
  return e;
}

JsonValue rule_reach_evidence(const SecurityGroup& g, const SecurityGroupRule& r, const RuleReach& rr) {
  JsonValue e = JsonValue::object();
  if (!r.rule_id.empty()) e.set("rule_id", r.rule_id);
  e.set("verdict", to_string(rr.verdict));
  e.set("reachable_enis", uint64_t(rr.enis_reachable));
  e.set("blocked_enis", uint64_t(rr.enis_blocked));
  if (rr.enis_unknown > 0) e.set("unknown_enis", uint64_t(rr.enis_unknown));
  if (!rr.reachable_examples.empty()) e.set("reachable_examples", JsonValue::strings(rr.reachable_examples));
  if (!rr.blockers.empty()) {
    JsonValue blocked = JsonValue::array();
    for (const auto& [b, n] : rr.blockers) {
      JsonValue item = JsonValue::object();
      item.set("component", b.component);
      item.set("resource", b.resource);
      item.set("text", b.text);
      item.set("enis", uint64_t(n));
      blocked.push(std::move(item));
    }
    e.set("blocked_by", std::move(blocked));
  }
  if (!rr.unknowns.empty()) e.set("unknown", JsonValue::strings(rr.unknowns));
  switch (rr.verdict) {
    case RuleReach::Verdict::kBlocked:
      e.set("explanation", rule_sentence(g, r) + ", but " + rr.blockers.front().first.text);
      break;
    case RuleReach::Verdict::kUnattached:
      e.set("explanation", rule_sentence(g, r) + ", but no evaluated network interface uses " + g.id.str());
      break;
    case RuleReach::Verdict::kReachable:
      e.set("explanation", rule_sentence(g, r) + ", and the internet reaches " + std::to_string(rr.enis_reachable) +
                               " of its network interfaces");
      break;
    case RuleReach::Verdict::kUnknown:
      e.set("explanation", rule_sentence(g, r) + "; whether the internet reaches it is unknown: " +
                               join_texts(rr.unknowns, "; "));
      break;
  }
  return e;
}

}  // namespace fortress::reach
