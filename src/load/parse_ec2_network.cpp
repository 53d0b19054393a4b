// VPC plumbing: describe-vpcs, -subnets, -route-tables, -network-acls, -internet-gateways,
// -egress-only-internet-gateways, -nat-gateways, -vpc-peering-connections, -flow-logs.
#include <fmt/format.h>

#include <algorithm>

#include "load/kinds.h"

namespace fortress::load {

namespace {

// {"State": "associated", ...} -> "associated"
template <typename Text>  // std::string or Symbol
error_code read_state(od::value& v, std::string_view member, Element& el, Text& out) {
  return for_each_field(v, member, el, [&](std::string_view key, od::value& field) -> error_code {
    if (key == "State") return read(field, member, el, out);
    return SUCCESS;
  });
}

// An item of CidrBlockAssociationSet / Ipv6CidrBlockAssociationSet: the block when associated.
// `block_member` is "CidrBlock" or "Ipv6CidrBlock", `state_member` "CidrBlockState" or
// "Ipv6CidrBlockState". Blocks being (dis)associated or failed do not route traffic.
error_code read_associated_block(od::value& item, std::string_view list_member, std::string_view block_member,
                                 std::string_view state_member, Element& el, std::vector<Cidr>& out) {
  std::optional<Cidr> block;
  std::string state;
  error_code e = for_each_field(item, list_member, el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == block_member) return read_cidr(v, block_member, el, block);
    if (key == state_member) return read_state(v, state_member, el, state);
    return SUCCESS;
  });
  if (e) return e;
  if (!block) {
    el.fail(fmt::format("{}: an entry without {}", list_member, block_member));
    return SUCCESS;
  }
  if ((state.empty() || state == "associated") && std::find(out.begin(), out.end(), *block) == out.end()) {
    out.push_back(*block);
  }
  return SUCCESS;
}

// Attachments of internet gateways: [{"State": "available", "VpcId": "vpc-..."}]. AWS reports an
// attached internet gateway as "available" (the API enum says "attached"); both count.
error_code read_attached_vpcs(od::value& v, Element& el, std::vector<Symbol>& out) {
  return for_each_item(v, "Attachments", el, [&](od::value& item) -> error_code {
    std::string state;
    Symbol vpc_id;
    error_code e = for_each_field(item, "Attachments", el, [&](std::string_view key, od::value& f) -> error_code {
      if (key == "State") return read(f, "Attachments.State", el, state);
      if (key == "VpcId") return read(f, "Attachments.VpcId", el, vpc_id);
      return SUCCESS;
    });
    if (e) return e;
    if ((state == "available" || state == "attached") && !vpc_id.empty()) out.push_back(vpc_id);
    return SUCCESS;
  });
}

}  // namespace

error_code parse_vpc(od::value& element, Element& el) {
  Vpc vpc;
  vpc.source = el.file.source();
  std::optional<Cidr> primary;
  std::vector<Cidr> associated;
  error_code e = for_each_field(element, "Vpcs", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "VpcId") return read(v, key, el, vpc.id);
    if (key == "OwnerId") return read(v, key, el, vpc.owner_id);
    if (key == "State") return read(v, key, el, vpc.state);
    if (key == "IsDefault") return read(v, key, el, vpc.is_default);
    if (key == "CidrBlock") return read_cidr(v, key, el, primary);
    if (key == "CidrBlockAssociationSet") {
      return for_each_item(v, key, el, [&](od::value& item) {
        return read_associated_block(item, "CidrBlockAssociationSet", "CidrBlock", "CidrBlockState", el, associated);
      });
    }
    if (key == "Ipv6CidrBlockAssociationSet") {
      return for_each_item(v, key, el, [&](od::value& item) {
        return read_associated_block(item, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock", "Ipv6CidrBlockState", el,
                                     vpc.ipv6_cidrs);
      });
    }
    if (key == "Tags") return read_tags(v, key, el, vpc.tags);
    return SUCCESS;
  });
  if (e) return e;
  // The primary block first; the association set repeats it among the secondary blocks.
  if (primary) vpc.ipv4_cidrs.push_back(*primary);
  for (const Cidr& c : associated) {
    if (!primary || c != *primary) vpc.ipv4_cidrs.push_back(c);
  }
  keep(el, "VpcId", std::move(vpc), el.file.result().data.vpcs);
  return SUCCESS;
}

error_code parse_subnet(od::value& element, Element& el) {
  Subnet subnet;
  subnet.source = el.file.source();
  error_code e = for_each_field(element, "Subnets", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "SubnetId") return read(v, key, el, subnet.id);
    if (key == "VpcId") return read(v, key, el, subnet.vpc_id);
    if (key == "AvailabilityZone") return read(v, key, el, subnet.availability_zone);
    if (key == "OwnerId") return read(v, key, el, subnet.owner_id);
    if (key == "CidrBlock") return read_cidr(v, key, el, subnet.ipv4_cidr);
    if (key == "Ipv6CidrBlockAssociationSet") {
      return for_each_item(v, key, el, [&](od::value& item) {
        return read_associated_block(item, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock", "Ipv6CidrBlockState", el,
                                     subnet.ipv6_cidrs);
      });
    }
    if (key == "MapPublicIpOnLaunch") return read(v, key, el, subnet.map_public_ip_on_launch);
    if (key == "DefaultForAz") return read(v, key, el, subnet.default_for_az);
    if (key == "Tags") return read_tags(v, key, el, subnet.tags);
    return SUCCESS;
  });
  if (e) return e;
  keep(el, "SubnetId", std::move(subnet), el.file.result().data.subnets);
  return SUCCESS;
}

namespace {

// The target members of a route, in the order they are looked at. A route to an instance carries
// both InstanceId and NetworkInterfaceId; the instance is the target.
struct TargetMember {
  std::string_view member;
  RouteTarget target;
};
constexpr TargetMember kRouteTargets[] = {
    {"NatGatewayId", RouteTarget::kNatGateway},
    {"EgressOnlyInternetGatewayId", RouteTarget::kEgressOnlyInternetGateway},
    {"TransitGatewayId", RouteTarget::kTransitGateway},
    {"VpcPeeringConnectionId", RouteTarget::kVpcPeering},
    {"InstanceId", RouteTarget::kInstance},
    {"NetworkInterfaceId", RouteTarget::kNetworkInterface},
    {"LocalGatewayId", RouteTarget::kLocalGateway},
    {"CarrierGatewayId", RouteTarget::kCarrierGateway},
    {"CoreNetworkArn", RouteTarget::kCoreNetwork},
};
constexpr size_t kTargetCount = std::size(kRouteTargets);

// GatewayId holds "local", internet gateways, virtual private gateways and gateway VPC endpoints.
RouteTarget gateway_target(std::string_view id) {
  if (id == "local") return RouteTarget::kLocal;
  if (id.starts_with("igw-")) return RouteTarget::kInternetGateway;
  if (id.starts_with("vgw-")) return RouteTarget::kVirtualPrivateGateway;
  if (id.starts_with("vpce-")) return RouteTarget::kVpcEndpoint;
  if (id.starts_with("eigw-")) return RouteTarget::kEgressOnlyInternetGateway;
  if (id.starts_with("tgw-")) return RouteTarget::kTransitGateway;
  if (id.starts_with("lgw-")) return RouteTarget::kLocalGateway;
  if (id.starts_with("cagw-")) return RouteTarget::kCarrierGateway;
  return RouteTarget::kOther;
}

error_code read_route(od::value& item, Element& el, std::vector<Route>& out) {
  Route route;
  std::optional<Cidr> v4;
  std::optional<Cidr> v6;
  std::string gateway_id;
  std::string state;
  std::array<std::string, kTargetCount> targets;
  error_code e = for_each_field(item, "Routes", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "DestinationCidrBlock") return read_cidr(v, key, el, v4);
    if (key == "DestinationIpv6CidrBlock") return read_cidr(v, key, el, v6);
    if (key == "DestinationPrefixListId") return read(v, key, el, route.destination_prefix_list_id);
    if (key == "GatewayId") return read(v, key, el, gateway_id);
    if (key == "State") return read(v, key, el, state);
    if (key == "Origin") return read(v, key, el, route.origin);
    for (size_t i = 0; i < kTargetCount; ++i) {
      if (key == kRouteTargets[i].member) return read(v, key, el, targets[i]);
    }
    return SUCCESS;
  });
  if (e) return e;
  route.destination = v4 ? v4 : v6;
  if (!route.destination && route.destination_prefix_list_id.empty()) {
    el.fail("Routes: a route without DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId");
    return SUCCESS;
  }
  if (!gateway_id.empty()) {
    route.target = gateway_target(gateway_id);
    route.target_id = std::move(gateway_id);
  } else {
    for (size_t i = 0; i < kTargetCount; ++i) {
      if (targets[i].empty()) continue;
      route.target = kRouteTargets[i].target;
      route.target_id = std::move(targets[i]);
      break;
    }
  }
  route.active = state != "blackhole";
  out.push_back(std::move(route));
  return SUCCESS;
}

error_code read_route_table_association(od::value& item, Element& el, std::vector<RouteTableAssociation>& out) {
  RouteTableAssociation a;
  error_code e = for_each_field(item, "Associations", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "RouteTableAssociationId") return read(v, key, el, a.id);
    if (key == "Main") return read(v, key, el, a.main);
    if (key == "SubnetId") return read(v, key, el, a.subnet_id);
    if (key == "GatewayId") return read(v, key, el, a.gateway_id);
    if (key == "AssociationState") return read_state(v, key, el, a.state);
    return SUCCESS;
  });
  if (e) return e;
  out.push_back(std::move(a));
  return SUCCESS;
}

}  // namespace

error_code parse_route_table(od::value& element, Element& el) {
  RouteTable table;
  table.source = el.file.source();
  error_code e = for_each_field(element, "RouteTables", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "RouteTableId") return read(v, key, el, table.id);
    if (key == "VpcId") return read(v, key, el, table.vpc_id);
    if (key == "OwnerId") return read(v, key, el, table.owner_id);
    if (key == "Routes") {
      return for_each_item(v, key, el, [&](od::value& item) { return read_route(item, el, table.routes); });
    }
    if (key == "Associations") {
      return for_each_item(
          v, key, el, [&](od::value& item) { return read_route_table_association(item, el, table.associations); });
    }
    if (key == "Tags") return read_tags(v, key, el, table.tags);
    return SUCCESS;
  });
  if (e) return e;
  keep(el, "RouteTableId", std::move(table), el.file.result().data.route_tables);
  return SUCCESS;
}

namespace {

// {"From": 22, "To": 22} or {"Type": 8, "Code": -1}
error_code read_number_pair(od::value& v, std::string_view member, std::string_view first_name,
                            std::string_view second_name, Element& el, std::optional<int64_t>& first,
                            std::optional<int64_t>& second) {
  return for_each_field(v, member, el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == first_name) return read(f, fmt::format("{}.{}", member, first_name), el, first);
    if (key == second_name) return read(f, fmt::format("{}.{}", member, second_name), el, second);
    return SUCCESS;
  });
}

error_code read_nacl_entry(od::value& item, Element& el, std::vector<NetworkAclEntry>& out) {
  NetworkAclEntry entry;
  std::optional<int64_t> rule_number;
  std::string action;
  std::string protocol;
  std::optional<int64_t> port_from, port_to, icmp_type, icmp_code;
  std::optional<Cidr> v4, v6;
  error_code e = for_each_field(item, "Entries", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "RuleNumber") return read(v, key, el, rule_number);
    if (key == "Egress") return read(v, key, el, entry.egress);
    if (key == "RuleAction") return read(v, key, el, action);
    if (key == "Protocol") return read(v, key, el, protocol);
    if (key == "PortRange") return read_number_pair(v, key, "From", "To", el, port_from, port_to);
    if (key == "IcmpTypeCode") return read_number_pair(v, key, "Type", "Code", el, icmp_type, icmp_code);
    if (key == "CidrBlock") return read_cidr(v, key, el, v4);
    if (key == "Ipv6CidrBlock") return read_cidr(v, key, el, v6);
    return SUCCESS;
  });
  if (e || !el.ok()) return e;
  // 1..32766 are user entries; AWS also lists the implicit "*" deny as 32767 (IPv4) and 32768 (IPv6).
  if (!rule_number || *rule_number < 1 || *rule_number > 32768) {
    el.fail("Entries: missing or invalid RuleNumber");
    return SUCCESS;
  }
  entry.rule_number = int32_t(*rule_number);
  if (action != "allow" && action != "deny") {
    el.fail(fmt::format("Entries: rule {}: RuleAction must be allow or deny", entry.rule_number));
    return SUCCESS;
  }
  entry.allow = action == "allow";
  if (!v4 && !v6) {
    el.fail(fmt::format("Entries: rule {}: no CidrBlock or Ipv6CidrBlock", entry.rule_number));
    return SUCCESS;
  }
  entry.cidr = v4 ? *v4 : *v6;
  // ICMP entries carry IcmpTypeCode, tcp/udp entries PortRange; traffic_from_aws reads both as the
  // (from, to) pair of a security group rule.
  Expected<int> number = parse_protocol(protocol);
  bool icmp = number && (*number == proto::kIcmp || *number == proto::kIcmpv6);
  Expected<TrafficSpec> traffic =
      icmp ? traffic_from_aws(protocol, icmp_type, icmp_code) : traffic_from_aws(protocol, port_from, port_to);
  if (!traffic) {
    el.fail(fmt::format("Entries: rule {}: {}", entry.rule_number, traffic.error().message));
    return SUCCESS;
  }
  entry.traffic = *traffic;
  out.push_back(entry);
  return SUCCESS;
}

}  // namespace

error_code parse_network_acl(od::value& element, Element& el) {
  NetworkAcl acl;
  acl.source = el.file.source();
  error_code e = for_each_field(element, "NetworkAcls", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "NetworkAclId") return read(v, key, el, acl.id);
    if (key == "VpcId") return read(v, key, el, acl.vpc_id);
    if (key == "OwnerId") return read(v, key, el, acl.owner_id);
    if (key == "IsDefault") return read(v, key, el, acl.is_default);
    if (key == "Entries") {
      return for_each_item(v, key, el, [&](od::value& item) { return read_nacl_entry(item, el, acl.entries); });
    }
    if (key == "Associations") return read_member_of_each(v, key, "SubnetId", el, acl.subnet_ids);
    if (key == "Tags") return read_tags(v, key, el, acl.tags);
    return SUCCESS;
  });
  if (e) return e;
  std::stable_sort(acl.entries.begin(), acl.entries.end(), [](const NetworkAclEntry& a, const NetworkAclEntry& b) {
    if (a.egress != b.egress) return !a.egress;
    return a.rule_number < b.rule_number;
  });
  keep(el, "NetworkAclId", std::move(acl), el.file.result().data.network_acls);
  return SUCCESS;
}

error_code parse_internet_gateway(od::value& element, Element& el) {
  InternetGateway igw;
  igw.source = el.file.source();
  error_code e =
      for_each_field(element, "InternetGateways", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "InternetGatewayId") return read(v, key, el, igw.id);
        if (key == "OwnerId") return read(v, key, el, igw.owner_id);
        if (key == "Attachments") return read_attached_vpcs(v, el, igw.vpc_ids);
        if (key == "Tags") return read_tags(v, key, el, igw.tags);
        return SUCCESS;
      });
  if (e) return e;
  keep(el, "InternetGatewayId", std::move(igw), el.file.result().data.internet_gateways);
  return SUCCESS;
}

error_code parse_egress_only_internet_gateway(od::value& element, Element& el) {
  EgressOnlyInternetGateway eigw;
  eigw.source = el.file.source();
  error_code e = for_each_field(element, "EgressOnlyInternetGateways", el,
                                [&](std::string_view key, od::value& v) -> error_code {
                                  if (key == "EgressOnlyInternetGatewayId") return read(v, key, el, eigw.id);
                                  if (key == "Attachments") return read_attached_vpcs(v, el, eigw.vpc_ids);
                                  if (key == "Tags") return read_tags(v, key, el, eigw.tags);
                                  return SUCCESS;
                                });
  if (e) return e;
  keep(el, "EgressOnlyInternetGatewayId", std::move(eigw), el.file.result().data.egress_only_internet_gateways);
  return SUCCESS;
}

error_code parse_nat_gateway(od::value& element, Element& el) {
  NatGateway nat;
  nat.source = el.file.source();
  error_code e = for_each_field(element, "NatGateways", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "NatGatewayId") return read(v, key, el, nat.id);
    if (key == "VpcId") return read(v, key, el, nat.vpc_id);
    if (key == "SubnetId") return read(v, key, el, nat.subnet_id);
    if (key == "State") return read(v, key, el, nat.state);
    if (key == "ConnectivityType") return read(v, key, el, nat.connectivity_type);
    if (key == "NatGatewayAddresses") {
      return for_each_item(v, key, el, [&](od::value& item) -> error_code {
        std::optional<IpAddress> public_ip, private_ip;
        std::string eni;
        error_code e2 = for_each_field(item, key, el, [&](std::string_view k, od::value& f) -> error_code {
          if (k == "PublicIp") return read_ip(f, "NatGatewayAddresses.PublicIp", el, public_ip);
          if (k == "PrivateIp") return read_ip(f, "NatGatewayAddresses.PrivateIp", el, private_ip);
          if (k == "NetworkInterfaceId") return read(f, "NatGatewayAddresses.NetworkInterfaceId", el, eni);
          return SUCCESS;
        });
        if (e2) return e2;
        if (public_ip) nat.public_ips.push_back(*public_ip);
        if (private_ip) nat.private_ips.push_back(*private_ip);
        if (!eni.empty()) nat.network_interface_ids.push_back(std::move(eni));
        return SUCCESS;
      });
    }
    if (key == "Tags") return read_tags(v, key, el, nat.tags);
    return SUCCESS;
  });
  if (e) return e;
  keep(el, "NatGatewayId", std::move(nat), el.file.result().data.nat_gateways);
  return SUCCESS;
}

namespace {

error_code read_peering_side(od::value& v, std::string_view member, Element& el, PeeringSide& side) {
  std::optional<Cidr> primary;
  std::vector<Cidr> blocks;
  error_code e = for_each_field(v, member, el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "VpcId") return read(f, key, el, side.vpc_id);
    if (key == "OwnerId") return read(f, key, el, side.owner_id);
    if (key == "Region") return read(f, key, el, side.region);
    if (key == "CidrBlock") return read_cidr(f, key, el, primary);
    if (key == "CidrBlockSet" || key == "Ipv6CidrBlockSet") {
      bool v6 = key == "Ipv6CidrBlockSet";
      std::string_view block_member = v6 ? "Ipv6CidrBlock" : "CidrBlock";
      std::vector<Cidr>& out = v6 ? side.ipv6_cidrs : blocks;
      return for_each_item(f, key, el, [&](od::value& item) -> error_code {
        std::optional<Cidr> block;
        error_code e2 = for_each_field(item, key, el, [&](std::string_view k, od::value& b) -> error_code {
          if (k == block_member) return read_cidr(b, block_member, el, block);
          return SUCCESS;
        });
        if (e2) return e2;
        if (block && std::find(out.begin(), out.end(), *block) == out.end()) out.push_back(*block);
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  if (primary) side.ipv4_cidrs.push_back(*primary);
  for (const Cidr& c : blocks) {
    if (!primary || c != *primary) side.ipv4_cidrs.push_back(c);
  }
  return SUCCESS;
}

}  // namespace

error_code parse_vpc_peering_connection(od::value& element, Element& el) {
  VpcPeeringConnection pcx;
  pcx.source = el.file.source();
  error_code e =
      for_each_field(element, "VpcPeeringConnections", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "VpcPeeringConnectionId") return read(v, key, el, pcx.id);
        if (key == "Status") {
          return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
            if (k == "Code") return read(f, "Status.Code", el, pcx.status);
            return SUCCESS;
          });
        }
        if (key == "RequesterVpcInfo") return read_peering_side(v, key, el, pcx.requester);
        if (key == "AccepterVpcInfo") return read_peering_side(v, key, el, pcx.accepter);
        if (key == "Tags") return read_tags(v, key, el, pcx.tags);
        return SUCCESS;
      });
  if (e) return e;
  keep(el, "VpcPeeringConnectionId", std::move(pcx), el.file.result().data.peering_connections);
  return SUCCESS;
}

error_code parse_flow_log(od::value& element, Element& el) {
  FlowLog log;
  log.source = el.file.source();
  std::string log_group;
  error_code e = for_each_field(element, "FlowLogs", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "FlowLogId") return read(v, key, el, log.id);
    if (key == "ResourceId") return read(v, key, el, log.resource_id);
    if (key == "TrafficType") return read(v, key, el, log.traffic_type);
    if (key == "FlowLogStatus") return read(v, key, el, log.status);
    if (key == "DeliverLogsStatus") return read(v, key, el, log.deliver_logs_status);
    if (key == "LogDestinationType") return read(v, key, el, log.destination_type);
    if (key == "LogDestination") return read(v, key, el, log.destination);
    if (key == "LogGroupName") return read(v, key, el, log_group);
    if (key == "LogFormat") return read(v, key, el, log.log_format);
    if (key == "MaxAggregationInterval") return read(v, key, el, log.max_aggregation_interval);
    if (key == "Tags") return read_tags(v, key, el, log.tags);
    return SUCCESS;
  });
  if (e) return e;
  // Older CloudWatch Logs flow logs report only LogGroupName.
  if (log.destination.empty()) log.destination = std::move(log_group);
  keep(el, "FlowLogId", std::move(log), el.file.result().data.flow_logs);
  return SUCCESS;
}

}  // namespace fortress::load
