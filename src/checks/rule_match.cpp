#include "checks/rule_match.h"

#include <fmt/format.h>

#include <algorithm>

namespace fortress {

bool prefix_list_is_other_family(const Region& region, const RulePeer& peer, IpFamily family) {
  if (peer.kind != PeerKind::kPrefixList) return false;
  const PrefixList* list = region.prefix_list(peer.prefix_list_id);
  if (list == nullptr) return false;
  return family == IpFamily::kV4 ? list->address_family == "IPv6" : list->address_family == "IPv4";
}

namespace {
// AWS-managed prefix lists (S3, DynamoDB, CloudFront origin-facing, Route 53 health checkers, ...)
// hold AWS service ranges and never 0.0.0.0/0 or ::/0, so their uncollected entries need not be known.
bool is_aws_managed_list_without_entries(const Region& region, const RulePeer& peer) {
  if (peer.kind != PeerKind::kPrefixList) return false;
  const PrefixList* list = region.prefix_list(peer.prefix_list_id);
  return list != nullptr && list->owner_id == "AWS" && !list->entries.has_value();
}
}  // namespace

PeerMatch peer_admits_internet(const Region& region, const RulePeer& peer, IpFamily family) {
  if (prefix_list_is_other_family(region, peer, family)) return {};
  if (is_aws_managed_list_without_entries(region, peer)) return {};
  return match_peer(region, peer, [family](const Cidr& c) { return is_internet(c, family); });
}

PeerMatch peer_admits_internet(const Region& region, const RulePeer& peer) {
  if (is_aws_managed_list_without_entries(region, peer)) return {};
  return match_peer(region, peer, [](const Cidr& c) { return is_internet(c); });
}

std::string join(std::span<const std::string> parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

void append_peer(std::string& out, const RulePeer& peer, const PeerMatch* match, std::string_view own_account) {
  switch (peer.kind) {
    case PeerKind::kCidr:
      peer.cidr.append_to(out);
      return;
    case PeerKind::kSecurityGroup:
      out += peer.group_id.view();
      if (!peer.group_owner_id.empty() && peer.group_owner_id != own_account) {
        out += " (account ";
        out += peer.group_owner_id.view();
        out += ')';
      }
      return;
    case PeerKind::kPrefixList:
      if (match == nullptr || match->matched.empty()) {
        out += peer.prefix_list_id.view();
        return;
      }
      for (size_t i = 0; i < match->matched.size(); ++i) {
        if (i > 0) out += ", ";
        match->matched[i].append_to(out);
      }
      out += " via ";
      out += peer.prefix_list_id.view();
      return;
  }
}

std::string describe_peer(const RulePeer& peer, const PeerMatch* match, std::string_view own_account) {
  std::string out;
  append_peer(out, peer, match, own_account);
  return out;
}

void append_exposure(std::string& out, const SecurityGroupRule& rule, std::string_view what, const PeerMatch* match,
                     std::string_view own_account) {
  std::string traffic;  // the rule's own traffic, named in a note when the finding is about part of it
  if (!what.empty()) rule.traffic.append_to(traffic);
  const bool traffic_note = !what.empty() && what != traffic;
  if (what.empty()) {
    rule.traffic.append_to(out);
  } else {
    out += what;
  }
  out += rule.is_ingress() ? " from " : " to ";
  append_peer(out, rule.peer, match, own_account);
  if (rule.rule_id.empty() && !traffic_note) return;
  out += " (";
  out += rule.rule_id.view();
  if (traffic_note) {
    if (!rule.rule_id.empty()) out += ", ";
    out += "rule ";
    out += traffic;
  }
  out += ')';
}

std::string describe_exposure(const SecurityGroupRule& rule, std::string_view what, const PeerMatch* match,
                              std::string_view own_account) {
  std::string out;
  append_exposure(out, rule, what, match, own_account);
  return out;
}

std::string ports_text(const TrafficSpec& traffic) {
  if (has_ports(traffic.protocol)) return traffic.ports.to_string();
  if (traffic.protocol == proto::kIcmp || traffic.protocol == proto::kIcmpv6) {
    if (traffic.icmp_type < 0) return "all";
    if (traffic.icmp_code < 0) return fmt::format("type {}", traffic.icmp_type);
    return fmt::format("type {} code {}", traffic.icmp_type, traffic.icmp_code);
  }
  return "all";
}

namespace {

std::string_view peer_kind_name(PeerKind k) {
  switch (k) {
    case PeerKind::kCidr:
      return "cidr";
    case PeerKind::kSecurityGroup:
      return "security-group";
    case PeerKind::kPrefixList:
      return "prefix-list";
  }
  return "cidr";
}

// IpProtocol as AWS stores it: "-1", "tcp", "udp", "icmp", "icmpv6", else the number.
std::string aws_ip_protocol(int protocol) {
  switch (protocol) {
    case proto::kAll:
      return "-1";
    case proto::kTcp:
      return "tcp";
    case proto::kUdp:
      return "udp";
    case proto::kIcmp:
      return "icmp";
    case proto::kIcmpv6:
      return "icmpv6";
    default:
      return std::to_string(protocol);
  }
}

std::string revoke_verb(RuleDirection d) {
  return d == RuleDirection::kIngress ? "revoke-security-group-ingress" : "revoke-security-group-egress";
}

}  // namespace

void append_rule_evidence(std::string& out, const SecurityGroupRule& rule, const PeerMatch* match,
                          std::span<const std::string> exposes) {
  // The keys need no escaping: they are written as they are.
  out += '{';
  if (!rule.rule_id.empty()) {
    out += "\"rule_id\":";
    append_json_string(out, rule.rule_id);
    out += ',';
  }
  out += rule.is_ingress() ? "\"direction\":\"ingress\",\"protocol\":" : "\"direction\":\"egress\",\"protocol\":";
  append_json_string(out, protocol_name(rule.traffic.protocol));
  out += ",\"ports\":";
  if (has_ports(rule.traffic.protocol)) {
    out += '"';
    rule.traffic.ports.append_to(out);
    out += '"';
  } else {
    append_json_string(out, ports_text(rule.traffic));
  }
  out += ",\"peer\":";
  if (rule.peer.kind == PeerKind::kCidr) {
    out += '"';
    rule.peer.cidr.append_to(out);
    out += '"';
  } else {
    append_json_string(out, rule.peer.to_string());
  }
  out += ",\"peer_kind\":\"";
  out += peer_kind_name(rule.peer.kind);
  out += '"';
  if (match != nullptr && rule.peer.kind == PeerKind::kPrefixList && !match->matched.empty()) {
    out += ",\"prefix_list_entries_matched\":[";
    for (size_t i = 0; i < match->matched.size(); ++i) {
      if (i > 0) out += ',';
      out += '"';
      match->matched[i].append_to(out);
      out += '"';
    }
    out += ']';
  }
  out += ",\"description\":";
  append_json_string(out, rule.description);
  if (!exposes.empty()) {
    out += ",\"exposes\":[";
    for (size_t i = 0; i < exposes.size(); ++i) {
      if (i > 0) out += ',';
      append_json_string(out, exposes[i]);
    }
    out += ']';
  }
  out += '}';
}

JsonValue rule_evidence(const SecurityGroupRule& rule, const PeerMatch* match, const std::vector<std::string>& exposes) {
  std::string out;
  append_rule_evidence(out, rule, match, exposes);
  return JsonValue::raw(std::move(out));
}

Symbol group_display_name(const SecurityGroup& group) {
  Symbol tag = group.name();
  return tag.empty() ? group.group_name : tag;
}

void append_group_evidence_fields(std::string& out, const Region& region, const SecurityGroup& group) {
  out += "\"group_id\":";
  append_json_string(out, group.id);
  out += ",\"group_name\":";
  append_json_string(out, group.group_name);
  out += ",\"vpc_id\":";
  append_json_string(out, group.vpc_id);
  if (region.has(Dataset::kNetworkInterfaces)) {
    out += ",\"attached_enis\":";
    out += std::to_string(region.enis_in_group(group.id).size());
  }
}

JsonValue group_evidence(const Region& region, const SecurityGroup& group) {
  JsonValue e = JsonValue::object();
  e.set("group_id", group.id);
  e.set("group_name", group.group_name);
  e.set("vpc_id", group.vpc_id);
  if (region.has(Dataset::kNetworkInterfaces))
    e.set("attached_enis", uint64_t(region.enis_in_group(group.id).size()));
  return e;
}

JsonValue ip_permission(const SecurityGroupRule& rule) {
  JsonValue p = JsonValue::object();
  const TrafficSpec& t = rule.traffic;
  p.set("IpProtocol", aws_ip_protocol(t.protocol));
  if (has_ports(t.protocol)) {
    p.set("FromPort", int(t.ports.from));
    p.set("ToPort", int(t.ports.to));
  } else if (t.protocol == proto::kIcmp || t.protocol == proto::kIcmpv6) {
    p.set("FromPort", t.icmp_type);
    p.set("ToPort", t.icmp_code);
  }
  JsonValue peer = JsonValue::object();
  switch (rule.peer.kind) {
    case PeerKind::kCidr:
      if (rule.peer.cidr.family() == IpFamily::kV4) {
        peer.set("CidrIp", rule.peer.cidr.to_string());
        p.set("IpRanges", JsonValue::Array{std::move(peer)});
      } else {
        peer.set("CidrIpv6", rule.peer.cidr.to_string());
        p.set("Ipv6Ranges", JsonValue::Array{std::move(peer)});
      }
      break;
    case PeerKind::kSecurityGroup:
      peer.set("GroupId", rule.peer.group_id);
      if (!rule.peer.group_owner_id.empty()) peer.set("UserId", rule.peer.group_owner_id);
      p.set("UserIdGroupPairs", JsonValue::Array{std::move(peer)});
      break;
    case PeerKind::kPrefixList:
      peer.set("PrefixListId", rule.peer.prefix_list_id);
      p.set("PrefixListIds", JsonValue::Array{std::move(peer)});
      break;
  }
  return p;
}

void append_revoke_command(std::string& out, std::string_view region, const SecurityGroup& group,
                           RuleDirection direction, std::span<const SecurityGroupRule* const> rules) {
  std::vector<Symbol> ids;
  JsonValue permissions = JsonValue::array();
  for (const SecurityGroupRule* r : rules) {
    if (!r->rule_id.empty()) {
      if (std::find(ids.begin(), ids.end(), r->rule_id) == ids.end()) ids.push_back(r->rule_id);
    } else {
      permissions.push(ip_permission(*r));
    }
  }
  auto prefix = [&] {
    out += "aws ec2 ";
    out += revoke_verb(direction);
    out += " --region ";
    out += region;
    out += " --group-id ";
    out += group.id.view();
  };
  if (!ids.empty()) {
    prefix();
    out += " --security-group-rule-ids";
    for (const Symbol& id : ids) {
      out += ' ';
      out += id.view();
    }
  }
  if (!permissions.as_array().empty()) {
    if (!ids.empty()) out += " && ";
    prefix();
    out += " --ip-permissions '";
    permissions.dump_to(out);
    out += '\'';
  }
}

std::string revoke_command(std::string_view region, const SecurityGroup& group, RuleDirection direction,
                           std::span<const SecurityGroupRule* const> rules) {
  std::string out;
  append_revoke_command(out, region, group, direction, rules);
  return out;
}

Finding& record_group_verdict(const Region& region, const SecurityGroup& group, GroupVerdict verdict,
                              std::string_view detail_prefix, std::string_view pass_detail, FindingSink& sink,
                              std::string_view fail_note) {
  if (!verdict.offenses.empty()) {
    // The detail, the evidence and the command are written straight into their text: a large
    // account has tens of thousands of these findings.
    std::string detail(detail_prefix);
    std::string evidence = "{";
    append_group_evidence_fields(evidence, region, group);
    evidence += ",\"rules\":[";
    std::vector<const SecurityGroupRule*> ingress;
    std::vector<const SecurityGroupRule*> egress;
    std::string what;
    for (size_t i = 0; i < verdict.offenses.size(); ++i) {
      const RuleOffense& o = verdict.offenses[i];
      what.clear();
      for (size_t k = 0; k < o.what.size(); ++k) {
        if (k > 0) what += ", ";
        what += o.what[k];
      }
      if (i > 0) {
        detail += "; ";
        evidence += ',';
      }
      append_exposure(detail, *o.rule, what, &o.match, group.owner_id);
      append_rule_evidence(evidence, *o.rule, &o.match, o.what);
      (o.rule->is_ingress() ? ingress : egress).push_back(o.rule);
    }
    evidence += "]}";
    if (!fail_note.empty()) {
      detail += "; ";
      detail += fail_note;
    }
    Finding& f = sink.fail(region.name, group.id, group_display_name(group), detail);
    f.evidence = Evidence::from_json_text(std::move(evidence));
    if (!ingress.empty()) append_revoke_command(f.remediation_cli, region.name, group, RuleDirection::kIngress, ingress);
    if (!egress.empty()) {
      if (!ingress.empty()) f.remediation_cli += " && ";
      append_revoke_command(f.remediation_cli, region.name, group, RuleDirection::kEgress, egress);
    }
    return f;
  }
  if (!verdict.unknowns.empty()) {
    Finding& f = sink.not_assessed(region.name, group.id, group_display_name(group),
                                   "could not be assessed: " + join(verdict.unknowns, "; "));
    f.evidence = group_evidence(region, group);
    f.evidence.set("unknown", JsonValue::strings(verdict.unknowns));
    return f;
  }
  // A PASS names its group and says why in the detail; it carries no evidence (a large account has
  // hundreds of thousands of them, and the group's facts are in its FAIL findings when it has any).
  return sink.pass(region.name, group.id, group_display_name(group), pass_detail);
}

bool report_coverage_gaps(const Region& region, std::initializer_list<Dataset> needed, FindingSink& sink) {
  bool all_ok = true;
  for (Dataset d : needed) {
    const Coverage& c = region.covered(d);
    if (c.ok()) continue;
    all_ok = false;
    const std::string name = dataset_name(d);
    std::string detail;
    if (c.status == CoverageStatus::kError) {
      detail = fmt::format("{} failed in {}: {}; resources it did not return were not assessed", name,
                           region.name, c.detail.empty() ? std::string("no reason recorded") : c.detail);
    } else {
      detail = fmt::format("{} was not collected in {}{}; this check could not be assessed there", name,
                           region.name, c.detail.empty() ? std::string() : " (" + c.detail + ")");
    }
    Finding& f = sink.not_assessed(region.name, name, "", std::move(detail));
    f.evidence.set("dataset", name);
    f.evidence.set("coverage", to_string(c.status));
    f.evidence.set("coverage_detail", c.detail);
  }
  return all_ok;
}

}  // namespace fortress
