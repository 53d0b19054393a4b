// Builds small networks for reachability tests: VPCs, subnets, gateways, route tables, NACLs, ENIs and
// instances, on top of the check tests' TestAccount (groups, prefix lists, coverage).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/builder.h"
#include "reach/exposure.h"

namespace fortress::testing {

inline IpAddress ip(std::string_view text) {
  Expected<IpAddress> a = parse_ip(text);
  EXPECT_TRUE(a.has_value()) << "bad address in test: " << text;
  return a.has_value() ? *a : IpAddress{};
}

// A route to `target` ("local", "igw-", "nat-", "tgw-", "pcx-", "vgw-", "eigw-", "vpce-", "eni-");
// `dest` is a CIDR or a prefix-list ID.
inline Route route(std::string_view dest, std::string_view target, bool active = true, bool propagated = false) {
  Route r;
  if (dest.starts_with("pl-")) {
    r.destination_prefix_list_id = std::string(dest);
  } else {
    r.destination = cidr(dest);
  }
  r.target_id = std::string(target);
  if (target == "local") r.target = RouteTarget::kLocal;
  else if (target.starts_with("igw-")) r.target = RouteTarget::kInternetGateway;
  else if (target.starts_with("eigw-")) r.target = RouteTarget::kEgressOnlyInternetGateway;
  else if (target.starts_with("nat-")) r.target = RouteTarget::kNatGateway;
  else if (target.starts_with("tgw-")) r.target = RouteTarget::kTransitGateway;
  else if (target.starts_with("pcx-")) r.target = RouteTarget::kVpcPeering;
  else if (target.starts_with("vgw-")) r.target = RouteTarget::kVirtualPrivateGateway;
  else if (target.starts_with("vpce-")) r.target = RouteTarget::kVpcEndpoint;
  else if (target.starts_with("eni-")) r.target = RouteTarget::kNetworkInterface;
  else r.target = RouteTarget::kOther;
  r.active = active;
  r.origin = propagated ? "EnableVgwRoutePropagation" : "CreateRoute";
  return r;
}

// The default NACL's entries: everything in and out, IPv4 and IPv6, then the implicit denies.
inline std::vector<NetworkAclEntry> allow_all_entries() {
  return {nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),  nacl_in(101, kAllow, all_traffic(), "::/0"),
          nacl_in(32767, kDeny, all_traffic(), "0.0.0.0/0"), nacl_in(32768, kDeny, all_traffic(), "::/0"),
          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0"), nacl_out(101, kAllow, all_traffic(), "::/0"),
          nacl_out(32767, kDeny, all_traffic(), "0.0.0.0/0"), nacl_out(32768, kDeny, all_traffic(), "::/0")};
}

struct EniSpec {
  std::string id;
  std::string subnet;
  std::vector<Symbol> groups;
  std::string private_ip;
  std::string public_ip;                 // "" = none
  std::vector<std::string> ipv6;         // addresses
  std::string instance;                  // "" = not attached to an instance
  std::string instance_name;
  std::string interface_type = "interface";
  std::string status = "in-use";
  std::string description;
  bool requester_managed = false;
};

class Net : public TestAccount {
 public:
  Net& vpc(std::string id, std::string v4, std::string v6 = "", std::string_view in = kRegion) {
    Vpc v;
    v.id = std::move(id);
    v.state = "available";
    v.owner_id = account.account_id;
    v.ipv4_cidrs.push_back(cidr(v4));
    if (!v6.empty()) v.ipv6_cidrs.push_back(cidr(v6));
    region(in).vpcs.push_back(std::move(v));
    return *this;
  }
  Net& subnet(std::string id, std::string vpc_id, std::string v4, std::string v6 = "", std::string_view in = kRegion) {
    Subnet s;
    s.id = std::move(id);
    s.vpc_id = std::move(vpc_id);
    if (!v4.empty()) s.ipv4_cidr = cidr(v4);
    if (!v6.empty()) s.ipv6_cidrs.push_back(cidr(v6));
    region(in).subnets.push_back(std::move(s));
    return *this;
  }
  Net& igw(std::string id, std::string vpc_id, std::string_view in = kRegion) {
    InternetGateway g;
    g.id = std::move(id);
    if (!vpc_id.empty()) g.vpc_ids.push_back(vpc_id);
    region(in).internet_gateways.push_back(std::move(g));
    return *this;
  }
  Net& eigw(std::string id, std::string vpc_id, std::string_view in = kRegion) {
    EgressOnlyInternetGateway g;
    g.id = std::move(id);
    g.vpc_ids.push_back(std::move(vpc_id));
    region(in).egress_only_internet_gateways.push_back(std::move(g));
    return *this;
  }
  // A route table; its local routes come from the VPC's blocks. `subnets` are explicit associations;
  // `edge_gateway` an edge association (gateway route table).
  Net& route_table(std::string id, std::string vpc_id, std::vector<Route> routes, std::vector<std::string> subnets = {},
                   bool main = false, std::string edge_gateway = "", std::string_view in = kRegion) {
    RouteTable t;
    t.id = std::move(id);
    t.vpc_id = vpc_id;
    for (const Vpc& v : region(in).vpcs) {
      if (v.id != vpc_id) continue;
      for (const Cidr& c : v.ipv4_cidrs) t.routes.push_back(route(c.to_string(), "local"));
      for (const Cidr& c : v.ipv6_cidrs) t.routes.push_back(route(c.to_string(), "local"));
    }
    for (Route& r : routes) t.routes.push_back(std::move(r));
    if (main) t.associations.push_back({"rtbassoc-main-" + t.id.str(), "", "", true, "associated"});
    for (const std::string& s : subnets) t.associations.push_back({"rtbassoc-" + s, s, "", false, "associated"});
    if (!edge_gateway.empty()) t.associations.push_back({"rtbassoc-" + edge_gateway, "", edge_gateway, false, "associated"});
    region(in).route_tables.push_back(std::move(t));
    return *this;
  }
  Net& acl(std::string id, std::string vpc_id, std::vector<NetworkAclEntry> entries, std::vector<Symbol> subnets) {
    nacl(std::move(id), std::move(entries), std::move(subnets), std::move(vpc_id));
    return *this;
  }
  Net& interface(const EniSpec& spec, std::string_view in = kRegion) {
    Region& r = region(in);
    NetworkInterface n;
    n.id = spec.id;
    n.subnet_id = spec.subnet;
    for (const Subnet& s : r.subnets) {
      if (s.id == spec.subnet) n.vpc_id = s.vpc_id;
    }
    n.group_ids = spec.groups;
    n.interface_type = spec.interface_type;
    n.status = spec.status;
    n.description = spec.description;
    n.requester_managed = spec.requester_managed;
    if (!spec.private_ip.empty()) {
      PrivateIp p;
      p.address = ip(spec.private_ip);
      p.primary = true;
      if (!spec.public_ip.empty()) p.public_ip = ip(spec.public_ip);
      n.private_ips.push_back(p);
    }
    for (const std::string& a : spec.ipv6) n.ipv6_addresses.push_back(ip(a));
    n.instance_id = spec.instance;
    if (!spec.instance.empty()) {
      Instance inst;
      inst.id = spec.instance;
      inst.state = "running";
      inst.vpc_id = n.vpc_id;
      inst.subnet_id = spec.subnet;
      inst.network_interface_ids.push_back(n.id);
      inst.group_ids = spec.groups;
      if (!spec.instance_name.empty()) inst.tags.push_back({"Name", spec.instance_name});
      r.instances.push_back(std::move(inst));
    }
    r.network_interfaces.push_back(std::move(n));
    return *this;
  }
  Net& peering(std::string id, std::string requester_vpc, std::string requester_cidr, std::string accepter_vpc,
               std::string accepter_cidr, std::string status = "active") {
    VpcPeeringConnection p;
    p.id = std::move(id);
    p.status = std::move(status);
    p.requester.vpc_id = std::move(requester_vpc);
    p.requester.region = std::string(kRegion);
    p.requester.ipv4_cidrs.push_back(cidr(requester_cidr));
    p.accepter.vpc_id = std::move(accepter_vpc);
    p.accepter.region = std::string(kRegion);
    p.accepter.ipv4_cidrs.push_back(cidr(accepter_cidr));
    region().peering_connections.push_back(std::move(p));
    return *this;
  }
};

// A one-subnet public network: vpc-1 (10.0.0.0/16, 2600:1f18::/56), subnet-1 (10.0.1.0/24,
// 2600:1f18:0:1::/64) routed to igw-1 for both families through rtb-1, the default NACL acl-1.
inline Net public_network(std::vector<NetworkAclEntry> entries = allow_all_entries()) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16", "2600:1f18::/56")
      .subnet("subnet-1", "vpc-1", "10.0.1.0/24", "2600:1f18:0:1::/64")
      .igw("igw-1", "vpc-1")
      .route_table("rtb-1", "vpc-1", {route("0.0.0.0/0", "igw-1"), route("::/0", "igw-1")}, {"subnet-1"})
      .route_table("rtb-main", "vpc-1", {}, {}, true)
      .acl("acl-1", "vpc-1", std::move(entries), {"subnet-1"});
  return n;
}

}  // namespace fortress::testing
