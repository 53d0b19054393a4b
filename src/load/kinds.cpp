#include "load/kinds.h"

#include <array>

namespace fortress::load {

namespace {

// One line per AWS CLI command the loader reads.
constexpr std::array kKinds = {
    SnapshotKind{"Regions", Dataset::kRegions, "region", parse_region},
    SnapshotKind{"Vpcs", Dataset::kVpcs, "VPC", parse_vpc},
    SnapshotKind{"Subnets", Dataset::kSubnets, "subnet", parse_subnet},
    SnapshotKind{"SecurityGroups", Dataset::kSecurityGroups, "security group", parse_security_group},
    SnapshotKind{"SecurityGroupRules", Dataset::kSecurityGroupRules, "security group rule",
                 parse_security_group_rule},
    SnapshotKind{"NetworkInterfaces", Dataset::kNetworkInterfaces, "network interface", parse_network_interface},
    SnapshotKind{"Reservations", Dataset::kInstances, "reservation", parse_reservation},
    SnapshotKind{"RouteTables", Dataset::kRouteTables, "route table", parse_route_table},
    SnapshotKind{"NetworkAcls", Dataset::kNetworkAcls, "network ACL", parse_network_acl},
    SnapshotKind{"InternetGateways", Dataset::kInternetGateways, "internet gateway", parse_internet_gateway},
    SnapshotKind{"EgressOnlyInternetGateways", Dataset::kEgressOnlyInternetGateways,
                 "egress-only internet gateway", parse_egress_only_internet_gateway},
    SnapshotKind{"NatGateways", Dataset::kNatGateways, "NAT gateway", parse_nat_gateway},
    SnapshotKind{"FlowLogs", Dataset::kFlowLogs, "flow log", parse_flow_log},
    SnapshotKind{"VpcPeeringConnections", Dataset::kVpcPeeringConnections, "VPC peering connection",
                 parse_vpc_peering_connection},
    // describe-managed-prefix-lists and the older describe-prefix-lists (whose elements carry Cidrs).
    SnapshotKind{"PrefixLists", Dataset::kPrefixLists, "prefix list", parse_prefix_list},
    SnapshotKind{"Entries", Dataset::kPrefixListEntries, "prefix list entry", parse_prefix_list_entry,
                 finish_prefix_list_entries},
};

}  // namespace

std::span<const SnapshotKind> snapshot_kinds() { return kKinds; }

const SnapshotKind* kind_by_list_member(std::string_view member) {
  for (const SnapshotKind& kind : kKinds) {
    if (kind.list_member == member) return &kind;
  }
  return nullptr;
}

}  // namespace fortress::load
