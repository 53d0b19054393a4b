// describe-security-groups (IpPermissions expanded to one rule per peer) and
// describe-security-group-rules (already one rule per peer, with sgr- IDs).
#include <fmt/format.h>

#include "load/kinds.h"

namespace fortress::load {

namespace {

// One IpRanges / Ipv6Ranges / PrefixListIds / UserIdGroupPairs item of an IpPermission.
error_code read_peer(od::value& item, std::string_view list_member, Element& el, SecurityGroupRule& rule) {
  RulePeer& peer = rule.peer;
  std::optional<Cidr> cidr;
  bool is_group = list_member == "UserIdGroupPairs";
  bool is_prefix_list = list_member == "PrefixListIds";
  error_code e = for_each_field(item, list_member, el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Description") return read(v, key, el, rule.description);
    if (is_group) {
      if (key == "GroupId") return read(v, key, el, peer.group_id);
      if (key == "UserId") return read(v, key, el, peer.group_owner_id);
      if (key == "VpcId") return read(v, key, el, peer.vpc_id);
      if (key == "VpcPeeringConnectionId") return read(v, key, el, peer.peering_connection_id);
    } else if (is_prefix_list) {
      if (key == "PrefixListId") return read(v, key, el, peer.prefix_list_id);
    } else if (key == "CidrIp" || key == "CidrIpv6") {
      return read_cidr(v, key, el, cidr);
    }
    return SUCCESS;
  });
  if (e) return e;
  if (is_group) {
    peer.kind = PeerKind::kSecurityGroup;
    if (peer.group_id.empty()) el.fail("UserIdGroupPairs: an entry without GroupId");
  } else if (is_prefix_list) {
    peer.kind = PeerKind::kPrefixList;
    if (peer.prefix_list_id.empty()) el.fail("PrefixListIds: an entry without PrefixListId");
  } else {
    peer.kind = PeerKind::kCidr;
    if (cidr) {
      peer.cidr = *cidr;
    } else {
      el.fail(fmt::format("{}: an entry without {}", list_member, list_member == "IpRanges" ? "CidrIp" : "CidrIpv6"));
    }
  }
  return SUCCESS;
}

// One IpPermissions item: a protocol/port spec and lists of peers; appends one rule per peer.
error_code read_permission(od::value& item, RuleDirection direction, std::string_view member, Element& el,
                           std::vector<SecurityGroupRule>& out) {
  std::string protocol;
  std::optional<int64_t> from_port, to_port;
  size_t first = out.size();
  error_code e = for_each_field(item, member, el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "IpProtocol") return read(v, key, el, protocol);
    if (key == "FromPort") return read(v, key, el, from_port);
    if (key == "ToPort") return read(v, key, el, to_port);
    if (key == "IpRanges" || key == "Ipv6Ranges" || key == "PrefixListIds" || key == "UserIdGroupPairs") {
      return for_each_item(v, key, el, [&](od::value& peer) -> error_code {
        SecurityGroupRule& rule = out.emplace_back();
        return read_peer(peer, key, el, rule);
      });
    }
    return SUCCESS;
  });
  if (e || !el.ok()) return e;
  if (protocol.empty()) {
    el.fail(fmt::format("{}: an entry without IpProtocol", member));
    return SUCCESS;
  }
  Expected<TrafficSpec> traffic = traffic_from_aws(protocol, from_port, to_port);
  if (!traffic) {
    el.fail(fmt::format("{}: {}", member, traffic.error().message));
    return SUCCESS;
  }
  for (size_t i = first; i < out.size(); ++i) {
    out[i].direction = direction;
    out[i].traffic = *traffic;
    out[i].source = el.file.source();
  }
  return SUCCESS;
}

}  // namespace

namespace {

// True when the group's rules will come from describe-security-group-rules. Looks ahead for GroupId
// (AWS prints it after IpPermissions), then rewinds the object.
bool rules_replaced(od::object& object, Element& el) {
  if (!el.file.may_replace_rules()) return false;
  std::string_view id;
  bool replaced = object.find_field_unordered("GroupId").get_string().get(id) == SUCCESS && el.file.rules_replaced(id);
  bool rewound = false;
  if (object.reset().get(rewound) != SUCCESS) return false;  // the iteration that follows reports it
  return replaced;
}

}  // namespace

error_code parse_security_group(od::value& element, Element& el) {
  SecurityGroup group;
  group.source = el.file.source();
  od::object object;
  error_code e = element.get_object().get(object);
  if (e != SUCCESS) {
    if (error_code fatal = shape_error(element, e, "SecurityGroups", "an object", el)) return fatal;
    keep(el, "GroupId", std::move(group), el.file.result().data.security_groups);
    return SUCCESS;
  }
  // IpPermissions are always read (a wrong shape still skips the group), but kept only when
  // describe-security-group-rules does not replace them.
  std::vector<SecurityGroupRule>& rules = rules_replaced(object, el) ? el.file.discarded_rules : group.rules;
  rules.clear();
  e = for_each_field(object, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "GroupId") return read(v, key, el, group.id);
    if (key == "GroupName") return read(v, key, el, group.group_name);
    if (key == "Description") return read(v, key, el, group.description);
    if (key == "VpcId") return read(v, key, el, group.vpc_id);
    if (key == "OwnerId") return read(v, key, el, group.owner_id);
    if (key == "Tags") return read_tags(v, key, el, group.tags);
    if (key == "IpPermissions" || key == "IpPermissionsEgress") {
      RuleDirection direction = key == "IpPermissions" ? RuleDirection::kIngress : RuleDirection::kEgress;
      return for_each_item(v, key, el, [&](od::value& permission) {
        return read_permission(permission, direction, key, el, rules);
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  // A repeated GroupId member: the last one is the group's.
  if (&rules != &group.rules && !el.file.rules_replaced(group.id)) group.rules = std::move(rules);
  keep(el, "GroupId", std::move(group), el.file.result().data.security_groups);
  return SUCCESS;
}

error_code parse_security_group_rule(od::value& element, Element& el) {
  SecurityGroupRuleRecord record;
  SecurityGroupRule& rule = record.rule;
  rule.source = el.file.source();
  std::string protocol;
  std::optional<int64_t> from_port, to_port;
  bool is_egress = false;
  std::optional<Cidr> v4, v6;
  bool has_group = false;
  RulePeer group_peer;
  group_peer.kind = PeerKind::kSecurityGroup;
  std::string prefix_list_id;
  error_code e =
      for_each_field(element, "SecurityGroupRules", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "SecurityGroupRuleId") return read(v, key, el, rule.rule_id);
        if (key == "GroupId") return read(v, key, el, record.group_id);
        if (key == "IsEgress") return read(v, key, el, is_egress);
        if (key == "IpProtocol") return read(v, key, el, protocol);
        if (key == "FromPort") return read(v, key, el, from_port);
        if (key == "ToPort") return read(v, key, el, to_port);
        if (key == "CidrIpv4") return read_cidr(v, key, el, v4);
        if (key == "CidrIpv6") return read_cidr(v, key, el, v6);
        if (key == "PrefixListId") return read(v, key, el, prefix_list_id);
        if (key == "Description") return read(v, key, el, rule.description);
        if (key == "ReferencedGroupInfo") {
          has_group = true;
          return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
            if (k == "GroupId") return read(f, "ReferencedGroupInfo.GroupId", el, group_peer.group_id);
            if (k == "UserId") return read(f, "ReferencedGroupInfo.UserId", el, group_peer.group_owner_id);
            if (k == "VpcId") return read(f, "ReferencedGroupInfo.VpcId", el, group_peer.vpc_id);
            if (k == "VpcPeeringConnectionId") {
              return read(f, "ReferencedGroupInfo.VpcPeeringConnectionId", el, group_peer.peering_connection_id);
            }
            return SUCCESS;
          });
        }
        return SUCCESS;
      });
  if (e) return e;

  el.id = rule.rule_id;
  if (rule.rule_id.empty()) el.fail("missing SecurityGroupRuleId");
  if (record.group_id.empty()) el.fail("missing GroupId");
  int peers = int(v4.has_value()) + int(v6.has_value()) + int(!prefix_list_id.empty()) + int(has_group);
  if (peers != 1) {
    el.fail(peers == 0 ? "no CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupInfo"
                       : "more than one of CidrIpv4, CidrIpv6, PrefixListId, ReferencedGroupInfo");
  } else if (has_group && group_peer.group_id.empty()) {
    el.fail("ReferencedGroupInfo without GroupId");
  }
  if (protocol.empty()) el.fail("missing IpProtocol");
  if (el.ok()) {
    Expected<TrafficSpec> traffic = traffic_from_aws(protocol, from_port, to_port);
    if (traffic) {
      rule.traffic = *traffic;
    } else {
      el.fail(traffic.error().message);
    }
  }
  if (!el.ok()) {
    if (!record.group_id.empty()) el.file.result().groups_with_skipped_rules.push_back(record.group_id);
    return SUCCESS;
  }
  rule.direction = is_egress ? RuleDirection::kEgress : RuleDirection::kIngress;
  if (v4 || v6) {
    rule.peer.kind = PeerKind::kCidr;
    rule.peer.cidr = v4 ? *v4 : *v6;
  } else if (!prefix_list_id.empty()) {
    rule.peer.kind = PeerKind::kPrefixList;
    rule.peer.prefix_list_id = std::move(prefix_list_id);
  } else {
    rule.peer = std::move(group_peer);
  }
  el.file.result().security_group_rules.push_back(std::move(record));
  return SUCCESS;
}

}  // namespace fortress::load
