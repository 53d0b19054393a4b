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

std::string describe_peer(const RulePeer& peer, const PeerMatch* match, std::string_view own_account) {
  if (peer.kind == PeerKind::kSecurityGroup &&
      (peer.group_owner_id.empty() || peer.group_owner_id == own_account)) {
    return peer.group_id.str();
  }
  if (peer.kind != PeerKind::kPrefixList || match == nullptr || match->matched.empty())
    return peer.to_string();
  std::string out;
  for (size_t i = 0; i < match->matched.size(); ++i) {
    if (i > 0) out += ", ";
    out += match->matched[i].to_string();
  }
  return out + " via " + peer.prefix_list_id;
}

std::string describe_exposure(const SecurityGroupRule& rule, std::string_view what, const PeerMatch* match,
                              std::string_view own_account) {
  const std::string traffic = rule.traffic.to_string();
  std::string out = what.empty() ? traffic : std::string(what);
  out += rule.is_ingress() ? " from " : " to ";
  out += describe_peer(rule.peer, match, own_account);
  std::vector<std::string> notes;
  if (!rule.rule_id.empty()) notes.push_back(rule.rule_id.str());
  if (!what.empty() && what != traffic) notes.push_back("rule " + traffic);
  if (!notes.empty()) out += " (" + join(notes, ", ") + ")";
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

JsonValue rule_evidence(const SecurityGroupRule& rule, const PeerMatch* match, const std::vector<std::string>& exposes) {
  std::string out = "{";
  auto field = [&](std::string_view key) {
    if (out.size() > 1) out += ',';
    append_json_string(out, key);
    out += ':';
  };
  auto text_field = [&](std::string_view key, std::string_view value) {
    field(key);
    append_json_string(out, value);
  };
  if (!rule.rule_id.empty()) text_field("rule_id", rule.rule_id);
  text_field("direction", rule.is_ingress() ? "ingress" : "egress");
  text_field("protocol", protocol_name(rule.traffic.protocol));
  text_field("ports", ports_text(rule.traffic));
  text_field("peer", rule.peer.to_string());
  text_field("peer_kind", peer_kind_name(rule.peer.kind));
  if (match != nullptr && rule.peer.kind == PeerKind::kPrefixList && !match->matched.empty()) {
    field("prefix_list_entries_matched");
    out += '[';
    for (size_t i = 0; i < match->matched.size(); ++i) {
      if (i > 0) out += ',';
      append_json_string(out, match->matched[i].to_string());
    }
    out += ']';
  }
  text_field("description", rule.description);
  if (!exposes.empty()) {
    field("exposes");
    out += '[';
    for (size_t i = 0; i < exposes.size(); ++i) {
      if (i > 0) out += ',';
      append_json_string(out, exposes[i]);
    }
    out += ']';
  }
  out += '}';
  return JsonValue::raw(std::move(out));
}

Symbol group_display_name(const SecurityGroup& group) {
  Symbol tag = group.name();
  return tag.empty() ? group.group_name : tag;
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

std::string revoke_command(std::string_view region, const SecurityGroup& group, RuleDirection direction,
                           std::span<const SecurityGroupRule* const> rules) {
  std::vector<std::string> ids;
  JsonValue permissions = JsonValue::array();
  for (const SecurityGroupRule* r : rules) {
    if (!r->rule_id.empty()) {
      if (std::find(ids.begin(), ids.end(), r->rule_id) == ids.end()) ids.push_back(r->rule_id.str());
    } else {
      permissions.push(ip_permission(*r));
    }
  }
  const std::string prefix =
      fmt::format("aws ec2 {} --region {} --group-id {}", revoke_verb(direction), region, group.id);
  std::vector<std::string> commands;
  if (!ids.empty()) commands.push_back(prefix + " --security-group-rule-ids " + join(ids, " "));
  if (!permissions.as_array().empty())
    commands.push_back(prefix + " --ip-permissions '" + permissions.dump() + "'");
  return join(commands, " && ");
}

Finding& record_group_verdict(const Region& region, const SecurityGroup& group, GroupVerdict verdict,
                              std::string_view detail_prefix, std::string pass_detail, FindingSink& sink) {
  if (!verdict.offenses.empty()) {
    std::vector<std::string> exposures;
    JsonValue rules = JsonValue::array();
    std::vector<const SecurityGroupRule*> ingress;
    std::vector<const SecurityGroupRule*> egress;
    for (const RuleOffense& o : verdict.offenses) {
      const std::string what = join(o.what, ", ");
      exposures.push_back(describe_exposure(*o.rule, what, &o.match, group.owner_id));
      rules.push(rule_evidence(*o.rule, &o.match, o.what));
      (o.rule->is_ingress() ? ingress : egress).push_back(o.rule);
    }
    Finding& f = sink.fail(region.name, group.id, group_display_name(group),
                           std::string(detail_prefix) + join(exposures, "; "));
    f.evidence = group_evidence(region, group);
    f.evidence.set("rules", std::move(rules));
    std::vector<std::string> commands;
    if (!ingress.empty())
      commands.push_back(revoke_command(region.name, group, RuleDirection::kIngress, ingress));
    if (!egress.empty())
      commands.push_back(revoke_command(region.name, group, RuleDirection::kEgress, egress));
    f.remediation_cli = join(commands, " && ");
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
  return sink.pass(region.name, group.id, group_display_name(group), std::move(pass_detail));
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
