// The fixture snapshot tests/data/load/basic: one file per kind in us-east-1, a failing eu-west-1,
// account-wide files at the top. One test per kind checks the model fields it fills.
#include <gtest/gtest.h>

#include "load/snapshot.h"
#include "load_test_util.h"

namespace fortress {
namespace {

using testing::cidr;
using testing::ip;
using Level = LoadDiagnostic::Level;

class BasicSnapshot : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = load_snapshot(FORTRESS_SOURCE_DIR "/tests/data/load/basic", LoadOptions{2});
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    result_ = new LoadResult(std::move(*loaded));
  }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  static const Account& account() { return result_->account; }
  static const Region& us() { return *account().region("us-east-1"); }
  static std::string file_of(uint32_t source) { return std::string(account().file(source)); }

  static LoadResult* result_;
};
LoadResult* BasicSnapshot::result_ = nullptr;

TEST_F(BasicSnapshot, CallerIdentity) {
  ASSERT_TRUE(account().caller_identity.has_value());
  EXPECT_EQ(account().caller_identity->account, "111122223333");
  EXPECT_EQ(account().caller_identity->arn, "arn:aws:iam::111122223333:user/auditor");
  EXPECT_EQ(account().caller_identity->user_id, "AIDAEXAMPLE");
  EXPECT_EQ(account().account_id, "111122223333");
  EXPECT_TRUE(account().global_coverage[size_t(Dataset::kCallerIdentity)].ok());
}

TEST_F(BasicSnapshot, RegionsEnabledAndMissingOnesCreated) {
  ASSERT_TRUE(account().enabled_regions.has_value());
  std::vector<std::string> names;
  for (const EnabledRegion& r : *account().enabled_regions) names.push_back(r.name.str());
  EXPECT_EQ(names, (std::vector<std::string>{"us-east-1", "eu-west-1", "ap-south-1", "af-south-1"}));
  EXPECT_EQ(account().enabled_regions->back().opt_in_status, "opted-in");
  std::vector<std::string> regions;
  for (const Region& r : account().regions) regions.push_back(r.name.str());
  // ap-south-1 and af-south-1 are enabled but have no folder; me-south-1 is not opted in.
  EXPECT_EQ(regions, (std::vector<std::string>{"af-south-1", "ap-south-1", "eu-west-1", "us-east-1"}));
  const Region* ap = account().region("ap-south-1");
  for (size_t d = 0; d < kDatasetCount; ++d) EXPECT_EQ(ap->coverage[d].status, CoverageStatus::kMissing);
  EXPECT_NE(ap->covered(Dataset::kVpcs).detail.find("absent from the snapshot"), std::string::npos);
  EXPECT_TRUE(account().global_coverage[size_t(Dataset::kRegions)].ok());
}

TEST_F(BasicSnapshot, FilesAndUnknownFiles) {
  EXPECT_EQ(account().files.front(), "ec2/describe-regions.json");
  EXPECT_EQ(result_->unknown_files,
            (std::vector<std::string>{"README.txt", "us-east-1/ec2/describe-addresses.json"}));
  EXPECT_TRUE(result_->incomplete());
}

TEST_F(BasicSnapshot, Vpcs) {
  ASSERT_EQ(us().vpcs.size(), 1u);
  const Vpc& vpc = us().vpcs[0];
  EXPECT_EQ(vpc.id, "vpc-0a1");
  EXPECT_EQ(vpc.owner_id, "111122223333");
  EXPECT_EQ(vpc.state, "available");
  EXPECT_FALSE(vpc.is_default);
  // Primary first, the disassociated block left out, the primary not repeated.
  EXPECT_EQ(vpc.ipv4_cidrs, (std::vector<Cidr>{cidr("10.0.0.0/16"), cidr("10.1.0.0/16")}));
  EXPECT_EQ(vpc.ipv6_cidrs, (std::vector<Cidr>{cidr("2600:1f18:abcd:1200::/56")}));
  EXPECT_EQ(vpc.name(), "prod");
  EXPECT_EQ(file_of(vpc.source), "us-east-1/ec2/describe-vpcs.json");
  EXPECT_EQ(us().covered(Dataset::kVpcs).detail, "us-east-1/ec2/describe-vpcs.json");
}

TEST_F(BasicSnapshot, Subnets) {
  ASSERT_EQ(us().subnets.size(), 2u);
  const Subnet& a = *us().subnet("subnet-0a1");
  EXPECT_EQ(a.vpc_id, "vpc-0a1");
  EXPECT_EQ(a.availability_zone, "us-east-1a");
  EXPECT_EQ(a.owner_id, "111122223333");
  EXPECT_EQ(a.ipv4_cidr, cidr("10.0.1.0/24"));
  EXPECT_EQ(a.ipv6_cidrs, (std::vector<Cidr>{cidr("2600:1f18:abcd:1201::/64")}));
  EXPECT_TRUE(a.map_public_ip_on_launch);
  EXPECT_FALSE(a.default_for_az);
  EXPECT_EQ(a.name(), "public-a");
  const Subnet& v6 = *us().subnet("subnet-0b6");
  EXPECT_FALSE(v6.ipv4_cidr.has_value());
  EXPECT_TRUE(v6.default_for_az);
}

TEST_F(BasicSnapshot, SecurityGroupsFromIpPermissions) {
  // sg-0app has no entry in describe-security-group-rules: its IpPermissions expansion stays.
  const SecurityGroup& sg = *us().security_group("sg-0app");
  EXPECT_TRUE(sg.is_default());
  EXPECT_FALSE(sg.rule_ids_known);
  EXPECT_EQ(sg.vpc_id, "vpc-0a1");
  EXPECT_EQ(sg.owner_id, "111122223333");
  EXPECT_EQ(sg.description, "default VPC security group");
  ASSERT_EQ(sg.rules.size(), 2u);
  EXPECT_TRUE(sg.rules[0].is_ingress());
  EXPECT_EQ(sg.rules[0].peer.kind, PeerKind::kSecurityGroup);
  EXPECT_EQ(sg.rules[0].peer.group_id, "sg-0app");
  EXPECT_TRUE(sg.rules[0].traffic.is_all_traffic());
  EXPECT_TRUE(sg.rules[1].is_egress());
  EXPECT_EQ(sg.rules[1].peer.cidr, cidr("0.0.0.0/0"));
  EXPECT_EQ(sg.rules[1].rule_id, "");
  EXPECT_EQ(file_of(sg.rules[1].source), "us-east-1/ec2/describe-security-groups.json");
}

TEST_F(BasicSnapshot, SecurityGroupRulesReplaceTheExpansion) {
  const SecurityGroup& sg = *us().security_group("sg-0web");
  EXPECT_EQ(sg.group_name, "web");
  EXPECT_EQ(sg.name(), "web-sg");
  EXPECT_TRUE(sg.rule_ids_known);
  ASSERT_EQ(sg.rules.size(), 4u);
  EXPECT_EQ(sg.rules[0].rule_id, "sgr-0001");
  EXPECT_TRUE(sg.rules[0].is_ingress());
  EXPECT_EQ(sg.rules[0].traffic.protocol, proto::kTcp);
  EXPECT_EQ(sg.rules[0].traffic.ports, PortRange::single(443));
  EXPECT_EQ(sg.rules[0].peer.cidr, cidr("0.0.0.0/0"));
  EXPECT_EQ(sg.rules[0].description, "https");
  EXPECT_EQ(sg.rules[1].peer.kind, PeerKind::kSecurityGroup);
  EXPECT_EQ(sg.rules[1].peer.group_id, "sg-0peer");
  EXPECT_EQ(sg.rules[1].peer.group_owner_id, "444455556666");
  EXPECT_EQ(sg.rules[1].peer.vpc_id, "vpc-0peer");
  EXPECT_EQ(sg.rules[1].peer.peering_connection_id, "pcx-0a1");
  EXPECT_TRUE(sg.rules[2].is_egress());
  EXPECT_EQ(sg.rules[2].peer.cidr, cidr("::/0"));
  EXPECT_TRUE(sg.rules[2].traffic.is_all_traffic());
  EXPECT_EQ(sg.rules[3].peer.kind, PeerKind::kPrefixList);
  EXPECT_EQ(sg.rules[3].peer.prefix_list_id, "pl-0123abcd");
  EXPECT_EQ(sg.rules[3].traffic.protocol, proto::kUdp);
  EXPECT_EQ(file_of(sg.rules[0].source), "us-east-1/ec2/describe-security-group-rules.json");
  EXPECT_TRUE(us().has(Dataset::kSecurityGroupRules));
  // The index sees the overlaid rules.
  EXPECT_EQ(us().rules_referencing("sg-0peer").size(), 1u);
}

TEST_F(BasicSnapshot, NetworkInterfaces) {
  const NetworkInterface& eni = *us().network_interface("eni-0web");
  EXPECT_EQ(eni.subnet_id, "subnet-0a1");
  EXPECT_EQ(eni.vpc_id, "vpc-0a1");
  EXPECT_EQ(eni.availability_zone, "us-east-1a");
  EXPECT_EQ(eni.owner_id, "111122223333");
  EXPECT_EQ(eni.description, "Primary network interface");
  EXPECT_EQ(eni.interface_type, "interface");
  EXPECT_EQ(eni.status, "in-use");
  EXPECT_FALSE(eni.requester_managed);
  EXPECT_TRUE(eni.source_dest_check);
  EXPECT_EQ(eni.group_ids, (std::vector<Symbol>{"sg-0web", "sg-0app"}));
  ASSERT_EQ(eni.private_ips.size(), 2u);
  EXPECT_EQ(eni.private_ips[0].address, ip("10.0.1.17"));
  EXPECT_TRUE(eni.private_ips[0].primary);
  EXPECT_EQ(eni.private_ips[0].public_ip, ip("203.0.113.12"));
  EXPECT_EQ(eni.private_ips[1].public_ip, ip("198.51.100.20"));
  EXPECT_EQ(eni.ipv6_addresses, (std::vector<IpAddress>{ip("2600:1f18:abcd:1201::10")}));
  EXPECT_EQ(eni.instance_id, "i-0web");
  EXPECT_EQ(eni.attachment_status, "attached");
  EXPECT_EQ(eni.name(), "web-eni");
  EXPECT_TRUE(eni.has_public_ipv4());
  const NetworkInterface& nat = *us().network_interface("eni-0nat");
  EXPECT_TRUE(nat.requester_managed);
  EXPECT_EQ(nat.requester_id, "AWS");
  EXPECT_FALSE(nat.source_dest_check);
  EXPECT_FALSE(nat.has_public_ipv4());
  EXPECT_EQ(us().enis_in_group("sg-0web").size(), 1u);
}

TEST_F(BasicSnapshot, Instances) {
  ASSERT_EQ(us().instances.size(), 2u);
  const Instance& i = *us().instance("i-0web");
  EXPECT_EQ(i.state, "running");
  EXPECT_EQ(i.vpc_id, "vpc-0a1");
  EXPECT_EQ(i.subnet_id, "subnet-0a1");
  EXPECT_EQ(i.image_id, "ami-0abc");
  EXPECT_EQ(i.instance_type, "t3.micro");
  EXPECT_EQ(i.platform, "windows");
  EXPECT_EQ(i.launch_time, "2024-01-01T00:00:00+00:00");
  EXPECT_EQ(i.iam_instance_profile_arn, "arn:aws:iam::111122223333:instance-profile/web");
  EXPECT_EQ(i.owner_id, "111122223333");
  EXPECT_EQ(i.private_ip, ip("10.0.1.17"));
  EXPECT_EQ(i.public_ip, ip("203.0.113.12"));
  EXPECT_EQ(i.network_interface_ids, (std::vector<Symbol>{"eni-0web"}));
  EXPECT_EQ(i.group_ids, (std::vector<Symbol>{"sg-0web"}));
  ASSERT_TRUE(i.metadata_options.has_value());
  EXPECT_EQ(i.metadata_options->http_tokens, "optional");
  EXPECT_EQ(i.metadata_options->http_endpoint, "enabled");
  EXPECT_EQ(i.metadata_options->http_put_response_hop_limit, 2);
  EXPECT_EQ(i.name(), "web-1");
  const Instance& old = *us().instance("i-0old");
  EXPECT_EQ(old.state, "stopped");
  EXPECT_EQ(old.owner_id, "111122223333");
  EXPECT_FALSE(old.metadata_options.has_value());
  EXPECT_FALSE(old.public_ip.has_value());
}

TEST_F(BasicSnapshot, RouteTables) {
  const RouteTable& main = *us().route_table("rtb-0main");
  EXPECT_TRUE(main.is_main());
  EXPECT_EQ(main.owner_id, "111122223333");
  ASSERT_EQ(main.routes.size(), 2u);
  EXPECT_EQ(main.routes[0].target, RouteTarget::kLocal);
  EXPECT_EQ(main.routes[0].target_id, "local");
  EXPECT_EQ(main.routes[0].origin, "CreateRouteTable");
  EXPECT_EQ(main.routes[1].target, RouteTarget::kNatGateway);
  EXPECT_FALSE(main.routes[1].active);  // blackhole

  const RouteTable& pub = *us().route_table("rtb-0pub");
  EXPECT_EQ(pub.name(), "public");
  ASSERT_EQ(pub.associations.size(), 2u);
  EXPECT_EQ(pub.associations[0].id, "rtbassoc-0pub");
  EXPECT_EQ(pub.associations[0].subnet_id, "subnet-0a1");
  EXPECT_EQ(pub.associations[0].state, "associated");
  EXPECT_EQ(pub.associations[1].gateway_id, "igw-0a1");
  std::vector<std::pair<RouteTarget, std::string>> targets;
  for (const Route& r : pub.routes) targets.emplace_back(r.target, r.target_id);
  EXPECT_EQ(targets, (std::vector<std::pair<RouteTarget, std::string>>{
                         {RouteTarget::kLocal, "local"},
                         {RouteTarget::kInternetGateway, "igw-0a1"},
                         {RouteTarget::kEgressOnlyInternetGateway, "eigw-0a1"},
                         {RouteTarget::kVpcEndpoint, "vpce-0s3"},
                         {RouteTarget::kTransitGateway, "tgw-0a1"},
                         {RouteTarget::kVpcPeering, "pcx-0a1"},
                         {RouteTarget::kInstance, "i-0web"},
                         {RouteTarget::kNetworkInterface, "eni-0nat"},
                         {RouteTarget::kVirtualPrivateGateway, "vgw-0a1"},
                         {RouteTarget::kCoreNetwork,
                          "arn:aws:networkmanager::111122223333:core-network/core-network-0a1"},
                     }));
  EXPECT_EQ(pub.routes[2].destination, cidr("::/0"));
  EXPECT_FALSE(pub.routes[3].destination.has_value());
  EXPECT_EQ(pub.routes[3].destination_prefix_list_id, "pl-63a5400a");
  EXPECT_EQ(pub.routes[8].origin, "EnableVgwRoutePropagation");
  EXPECT_EQ(us().route_table_for_subnet("subnet-0a1"), &pub);
  EXPECT_EQ(us().route_table_for_subnet("subnet-0b6"), &main);
}

TEST_F(BasicSnapshot, NetworkAcls) {
  const NetworkAcl& acl = *us().network_acl("acl-0a1");
  EXPECT_TRUE(acl.is_default);
  EXPECT_EQ(acl.vpc_id, "vpc-0a1");
  EXPECT_EQ(acl.owner_id, "111122223333");
  EXPECT_EQ(acl.subnet_ids, (std::vector<Symbol>{"subnet-0a1", "subnet-0b6"}));
  std::vector<std::pair<bool, int32_t>> order;
  for (const NetworkAclEntry& e : acl.entries) order.emplace_back(e.egress, e.rule_number);
  EXPECT_EQ(order, (std::vector<std::pair<bool, int32_t>>{
                       {false, 90}, {false, 100}, {false, 110}, {false, 32767}, {false, 32768}, {true, 100}, {true, 32767}}));
  const NetworkAclEntry& ssh = acl.entries[0];
  EXPECT_FALSE(ssh.allow);
  EXPECT_EQ(ssh.traffic.protocol, proto::kTcp);
  EXPECT_EQ(ssh.traffic.ports, PortRange::single(22));
  EXPECT_EQ(acl.entries[1].traffic.ports, (PortRange{1024, 65535}));
  EXPECT_TRUE(acl.entries[1].allow);
  EXPECT_EQ(acl.entries[2].traffic.protocol, proto::kIcmp);
  EXPECT_EQ(acl.entries[2].traffic.icmp_type, 8);
  EXPECT_EQ(acl.entries[2].traffic.icmp_code, -1);
  EXPECT_EQ(acl.entries[2].cidr, cidr("10.0.0.0/8"));
  EXPECT_EQ(acl.entries[3].cidr, cidr("0.0.0.0/0"));
  EXPECT_EQ(acl.entries[4].cidr, cidr("::/0"));
  EXPECT_TRUE(acl.entries[4].traffic.is_all_traffic());
  EXPECT_EQ(us().network_acl_for_subnet("subnet-0b6"), &acl);
}

TEST_F(BasicSnapshot, Gateways) {
  ASSERT_EQ(us().internet_gateways.size(), 2u);
  EXPECT_EQ(us().internet_gateways[0].id, "igw-0a1");
  EXPECT_EQ(us().internet_gateways[0].owner_id, "111122223333");
  EXPECT_EQ(us().internet_gateways[0].vpc_ids, (std::vector<Symbol>{"vpc-0a1"}));
  EXPECT_EQ(name_tag(us().internet_gateways[0].tags), "main-igw");
  EXPECT_TRUE(us().internet_gateways[1].vpc_ids.empty());
  ASSERT_EQ(us().egress_only_internet_gateways.size(), 1u);
  EXPECT_EQ(us().egress_only_internet_gateways[0].id, "eigw-0a1");
  EXPECT_EQ(us().egress_only_internet_gateways[0].vpc_ids, (std::vector<Symbol>{"vpc-0a1"}));
}

TEST_F(BasicSnapshot, NatGateways) {
  ASSERT_EQ(us().nat_gateways.size(), 1u);
  const NatGateway& nat = us().nat_gateways[0];
  EXPECT_EQ(nat.id, "nat-0a1");
  EXPECT_EQ(nat.vpc_id, "vpc-0a1");
  EXPECT_EQ(nat.subnet_id, "subnet-0a1");
  EXPECT_EQ(nat.state, "available");
  EXPECT_EQ(nat.connectivity_type, "public");
  EXPECT_EQ(nat.public_ips, (std::vector<IpAddress>{ip("198.51.100.50")}));
  EXPECT_EQ(nat.private_ips, (std::vector<IpAddress>{ip("10.0.1.50")}));
  EXPECT_EQ(nat.network_interface_ids, (std::vector<Symbol>{"eni-0nat"}));
  EXPECT_EQ(name_tag(nat.tags), "nat-a");
}

TEST_F(BasicSnapshot, FlowLogs) {
  ASSERT_EQ(us().flow_logs.size(), 2u);
  const FlowLog& cw = us().flow_logs[0];
  EXPECT_EQ(cw.id, "fl-0a1");
  EXPECT_EQ(cw.resource_id, "vpc-0a1");
  EXPECT_EQ(cw.traffic_type, "ALL");
  EXPECT_TRUE(cw.active());
  EXPECT_EQ(cw.deliver_logs_status, "SUCCESS");
  EXPECT_EQ(cw.destination_type, "cloud-watch-logs");
  EXPECT_EQ(cw.destination, "vpc-flow");  // only LogGroupName was reported
  EXPECT_EQ(cw.max_aggregation_interval, 600);
  EXPECT_NE(cw.log_format.view().find("${srcaddr}"), std::string::npos);
  EXPECT_EQ(us().flow_logs[1].destination, "arn:aws:s3:::flow-bucket");
  EXPECT_EQ(us().flow_logs_for("subnet-0a1").size(), 1u);
}

TEST_F(BasicSnapshot, PeeringConnections) {
  ASSERT_EQ(us().peering_connections.size(), 1u);
  const VpcPeeringConnection& pcx = us().peering_connections[0];
  EXPECT_EQ(pcx.id, "pcx-0a1");
  EXPECT_TRUE(pcx.active());
  EXPECT_EQ(pcx.requester.vpc_id, "vpc-0a1");
  EXPECT_EQ(pcx.requester.region, "us-east-1");
  EXPECT_EQ(pcx.requester.ipv4_cidrs, (std::vector<Cidr>{cidr("10.0.0.0/16")}));
  EXPECT_EQ(pcx.accepter.owner_id, "444455556666");
  EXPECT_EQ(pcx.accepter.region, "eu-west-1");
  EXPECT_EQ(pcx.accepter.ipv4_cidrs, (std::vector<Cidr>{cidr("192.168.0.0/16"), cidr("192.169.0.0/16")}));
  EXPECT_EQ(pcx.accepter.ipv6_cidrs, (std::vector<Cidr>{cidr("2600:1f18:ffff::/56")}));
  EXPECT_EQ(name_tag(pcx.tags), "to-partner");
}

TEST_F(BasicSnapshot, PrefixListsAndEntries) {
  ASSERT_EQ(us().prefix_lists.size(), 2u);
  const PrefixList& corp = *us().prefix_list("pl-0123abcd");
  EXPECT_EQ(corp.name, "corp-offices");
  EXPECT_EQ(corp.address_family, "IPv4");
  EXPECT_EQ(corp.owner_id, "111122223333");
  EXPECT_EQ(corp.max_entries, 10);
  ASSERT_TRUE(corp.entries.has_value());  // from get-managed-prefix-list-entries/pl-0123abcd.json
  ASSERT_EQ(corp.entries->size(), 2u);
  EXPECT_EQ((*corp.entries)[0].cidr, cidr("198.51.100.0/24"));
  EXPECT_EQ((*corp.entries)[0].description, "HQ");
  // The S3 list is in both describe-managed-prefix-lists and describe-prefix-lists: merged, with
  // the older API's Cidrs as its entries.
  const PrefixList& s3 = *us().prefix_list("pl-63a5400a");
  EXPECT_EQ(s3.owner_id, "AWS");
  EXPECT_EQ(s3.name, "com.amazonaws.us-east-1.s3");
  ASSERT_TRUE(s3.entries.has_value());
  EXPECT_EQ(s3.entries->size(), 2u);
  EXPECT_TRUE(us().has(Dataset::kPrefixLists));
  EXPECT_TRUE(us().has(Dataset::kPrefixListEntries));
}

TEST_F(BasicSnapshot, CoverageOkMissingError) {
  const Region& eu = *account().region("eu-west-1");
  // Collection-error record.
  EXPECT_EQ(eu.covered(Dataset::kFlowLogs).status, CoverageStatus::kError);
  EXPECT_NE(eu.covered(Dataset::kFlowLogs).detail.find("UnauthorizedOperation"), std::string::npos);
  EXPECT_NE(eu.covered(Dataset::kFlowLogs).detail.find("You are not authorized"), std::string::npos);
  // Truncated file: error with file and line; the line of the last token before the cut.
  EXPECT_EQ(eu.covered(Dataset::kVpcs).status, CoverageStatus::kError);
  EXPECT_NE(eu.covered(Dataset::kVpcs).detail.find("eu-west-1/ec2/describe-vpcs.json:5:"), std::string::npos)
      << eu.covered(Dataset::kVpcs).detail;
  EXPECT_TRUE(eu.vpcs.empty());
  // Empty file: not collected.
  EXPECT_EQ(eu.covered(Dataset::kSubnets).status, CoverageStatus::kMissing);
  EXPECT_NE(testing::find_diagnostic(*result_, Level::kInfo, "empty file: not collected"), nullptr);
  EXPECT_EQ(eu.covered(Dataset::kInstances).status, CoverageStatus::kMissing);
  EXPECT_TRUE(us().has(Dataset::kInstances));
  const LoadDiagnostic* truncated = testing::find_diagnostic(*result_, Level::kError, "malformed JSON");
  ASSERT_NE(truncated, nullptr);
  EXPECT_EQ(truncated->file, "eu-west-1/ec2/describe-vpcs.json");
  EXPECT_EQ(truncated->line, 5u);
}

TEST_F(BasicSnapshot, SameResultWithOneThread) {
  auto one = load_snapshot(FORTRESS_SOURCE_DIR "/tests/data/load/basic", LoadOptions{1});
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(testing::all_diagnostics(*one), testing::all_diagnostics(*result_));
  EXPECT_EQ(one->account.files, account().files);
  EXPECT_EQ(one->files_loaded, result_->files_loaded);
}

TEST(LoadSnapshot, RootErrors) {
  auto missing = load_snapshot(FORTRESS_SOURCE_DIR "/tests/data/load/no-such-folder");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto file = load_snapshot(FORTRESS_SOURCE_DIR "/tests/data/load/basic/README.txt");
  ASSERT_FALSE(file.has_value());
}

}  // namespace
}  // namespace fortress
