#include "model/account.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fortress {
namespace {

Cidr block(std::string_view text) {
  Expected<ParsedCidr> p = parse_cidr(text);
  EXPECT_TRUE(p.has_value()) << text;
  return p ? p->cidr : Cidr{};
}

SecurityGroupRule ingress_from_group(std::string group_id, uint16_t port) {
  SecurityGroupRule r;
  r.direction = RuleDirection::kIngress;
  r.traffic = TrafficSpec{proto::kTcp, PortRange::single(port)};
  r.peer.kind = PeerKind::kSecurityGroup;
  r.peer.group_id = std::move(group_id);
  return r;
}

SecurityGroupRule ingress_from_cidr(std::string_view cidr, uint16_t port) {
  SecurityGroupRule r;
  r.direction = RuleDirection::kIngress;
  r.traffic = TrafficSpec{proto::kTcp, PortRange::single(port)};
  r.peer.kind = PeerKind::kCidr;
  r.peer.cidr = block(cidr);
  return r;
}

RouteTableAssociation subnet_association(std::string id, std::string subnet,
                                         std::string state = "associated") {
  RouteTableAssociation a;
  a.id = std::move(id);
  a.subnet_id = std::move(subnet);
  a.state = std::move(state);
  return a;
}

RouteTableAssociation main_association(std::string id) {
  RouteTableAssociation a;
  a.id = std::move(id);
  a.main = true;
  a.state = "associated";
  return a;
}

// Two VPCs in us-east-1:
//   vpc-1: subnet-a (explicit route table rtb-a), subnet-b (its association to rtb-old is
//          disassociated, so the main table rtb-main1 governs it); acl-1 covers both subnets.
//   vpc-2: subnet-c, no main route table in the data; acl-2.
//   sg-web and sg-db in vpc-1 (sg-db admits sg-web), sg-self in vpc-2 (admits itself).
class AccountIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    account_.account_id = "111122223333";
    account_.files = {"us-east-1/ec2/describe-vpcs.json", "us-east-1/ec2/describe-security-groups.json"};

    // Created out of order: finalize() sorts regions by name.
    account_.region_mut("us-west-2");
    account_.region_mut("us-east-1");
    account_.region_mut("eu-west-1");
    Region& r = account_.region_mut("us-east-1");  // after the others: region_mut may reallocate

    Vpc vpc1;
    vpc1.id = "vpc-1";
    vpc1.ipv4_cidrs = {block("10.0.0.0/16")};
    vpc1.tags = {{"Env", "prod"}, {"Name", "main"}};
    vpc1.source = 0;
    Vpc vpc2;
    vpc2.id = "vpc-2";
    vpc2.source = 0;
    Vpc duplicate;  // a second record with vpc-1's ID: the first one wins
    duplicate.id = "vpc-1";
    duplicate.state = "duplicate";
    r.vpcs = {vpc1, vpc2, duplicate};

    const std::pair<const char*, const char*> subnets[] = {
        {"subnet-a", "vpc-1"}, {"subnet-b", "vpc-1"}, {"subnet-c", "vpc-2"}};
    for (const auto& [id, vpc] : subnets) {
      Subnet s;
      s.id = id;
      s.vpc_id = vpc;
      r.subnets.push_back(s);
    }

    SecurityGroup web;
    web.id = "sg-web";
    web.group_name = "web";
    web.vpc_id = "vpc-1";
    web.rules = {ingress_from_cidr("0.0.0.0/0", 443)};
    web.source = 1;
    SecurityGroup db;
    db.id = "sg-db";
    db.group_name = "default";
    db.vpc_id = "vpc-1";
    db.rules = {ingress_from_cidr("10.0.0.0/16", 22), ingress_from_group("sg-web", 5432)};
    SecurityGroup self;
    self.id = "sg-self";
    self.vpc_id = "vpc-2";
    self.rules = {ingress_from_group("sg-self", 0), ingress_from_group("sg-web", 80)};
    r.security_groups = {web, db, self};

    NetworkInterface eni1;
    eni1.id = "eni-1";
    eni1.group_ids = {"sg-web"};
    NetworkInterface eni2;
    eni2.id = "eni-2";
    eni2.group_ids = {"sg-web", "sg-db"};
    eni2.private_ips = {PrivateIp{*parse_ip("10.0.1.5"), *parse_ip("203.0.113.5"), true}};
    NetworkInterface eni3;
    eni3.id = "eni-3";
    eni3.private_ips = {PrivateIp{*parse_ip("10.0.1.6"), std::nullopt, true}};
    r.network_interfaces = {eni1, eni2, eni3};

    Instance i1;
    i1.id = "i-1";
    r.instances = {i1};

    RouteTable main1;
    main1.id = "rtb-main1";
    main1.vpc_id = "vpc-1";
    main1.associations = {main_association("rtbassoc-main1")};
    RouteTable rtb_a;
    rtb_a.id = "rtb-a";
    rtb_a.vpc_id = "vpc-1";
    rtb_a.associations = {subnet_association("rtbassoc-a", "subnet-a")};
    RouteTable old;
    old.id = "rtb-old";
    old.vpc_id = "vpc-1";
    old.associations = {subnet_association("rtbassoc-old", "subnet-b", "disassociated")};
    r.route_tables = {main1, rtb_a, old};

    NetworkAcl acl1;
    acl1.id = "acl-1";
    acl1.vpc_id = "vpc-1";
    acl1.subnet_ids = {"subnet-a", "subnet-b"};
    NetworkAcl acl2;
    acl2.id = "acl-2";
    acl2.vpc_id = "vpc-2";
    acl2.subnet_ids = {"subnet-c"};
    r.network_acls = {acl1, acl2};

    FlowLog fl1;
    fl1.id = "fl-1";
    fl1.resource_id = "vpc-1";
    FlowLog fl2;
    fl2.id = "fl-2";
    fl2.resource_id = "vpc-1";
    FlowLog fl3;
    fl3.id = "fl-3";
    fl3.resource_id = "eni-1";
    r.flow_logs = {fl1, fl2, fl3};

    PrefixList pl;
    pl.id = "pl-1";
    r.prefix_lists = {pl};

    r.coverage[size_t(Dataset::kSecurityGroups)] = {CoverageStatus::kOk,
                                                    "us-east-1/ec2/describe-security-groups.json"};
    r.coverage[size_t(Dataset::kVpcs)] = {CoverageStatus::kError, "AccessDenied"};
    account_.global_coverage[size_t(Dataset::kCallerIdentity)] = {CoverageStatus::kOk,
                                                                  "sts/get-caller-identity.json"};

    account_.finalize();
    region_ = account_.region("us-east-1");
    ASSERT_NE(region_, nullptr);
  }

  Account account_;
  const Region* region_ = nullptr;
};

template <typename T>
std::vector<std::string> ids(std::span<const T* const> items) {
  std::vector<std::string> out;
  for (const T* item : items) out.push_back(item->id.str());
  return out;
}

TEST_F(AccountIndexTest, RegionsAreSortedAndFoundByName) {
  ASSERT_EQ(account_.regions.size(), 3u);
  EXPECT_EQ(account_.regions[0].name, "eu-west-1");
  EXPECT_EQ(account_.regions[1].name, "us-east-1");
  EXPECT_EQ(account_.regions[2].name, "us-west-2");
  EXPECT_EQ(account_.region("us-east-1")->vpcs.size(), 3u);
  EXPECT_EQ(account_.region("ap-south-1"), nullptr);
  EXPECT_EQ(&account_.region_mut("us-east-1"), &account_.regions[1]);  // finds, does not create
  EXPECT_EQ(account_.regions.size(), 3u);
}

TEST_F(AccountIndexTest, LookupsById) {
  ASSERT_NE(region_->vpc("vpc-1"), nullptr);
  EXPECT_EQ(region_->vpc("vpc-1")->id, "vpc-1");
  EXPECT_EQ(region_->vpc("vpc-1")->state, "");  // the first record wins over the duplicate
  EXPECT_EQ(region_->vpc("vpc-1")->name(), "main");
  EXPECT_EQ(region_->vpc("vpc-2")->name(), "");
  EXPECT_EQ(region_->vpc("vpc-3"), nullptr);
  EXPECT_EQ(region_->vpc(""), nullptr);

  EXPECT_EQ(region_->subnet("subnet-b")->vpc_id, "vpc-1");
  EXPECT_EQ(region_->subnet("subnet-z"), nullptr);
  EXPECT_EQ(region_->security_group("sg-db")->group_name, "default");
  EXPECT_TRUE(region_->security_group("sg-db")->is_default());
  EXPECT_FALSE(region_->security_group("sg-web")->is_default());
  EXPECT_EQ(region_->security_group("sg-nope"), nullptr);
  EXPECT_EQ(region_->network_interface("eni-2")->id, "eni-2");
  EXPECT_EQ(region_->network_interface("eni-9"), nullptr);
  EXPECT_EQ(region_->instance("i-1")->id, "i-1");
  EXPECT_EQ(region_->instance("i-2"), nullptr);
  EXPECT_EQ(region_->route_table("rtb-a")->id, "rtb-a");
  EXPECT_EQ(region_->route_table("rtb-zz"), nullptr);
  EXPECT_EQ(region_->network_acl("acl-2")->vpc_id, "vpc-2");
  EXPECT_EQ(region_->network_acl("acl-9"), nullptr);
  EXPECT_EQ(region_->prefix_list("pl-1")->id, "pl-1");
  EXPECT_EQ(region_->prefix_list("pl-2"), nullptr);

  // Lookups point into the region's own vectors.
  EXPECT_EQ(region_->security_group("sg-web"), &region_->security_groups[0]);
  // Another region has its own (empty) indexes.
  EXPECT_EQ(account_.region("eu-west-1")->vpc("vpc-1"), nullptr);
}

TEST_F(AccountIndexTest, EnisInGroup) {
  EXPECT_EQ(ids(region_->enis_in_group("sg-web")), (std::vector<std::string>{"eni-1", "eni-2"}));
  EXPECT_EQ(ids(region_->enis_in_group("sg-db")), (std::vector<std::string>{"eni-2"}));
  EXPECT_TRUE(region_->enis_in_group("sg-self").empty());
  EXPECT_TRUE(region_->enis_in_group("sg-unknown").empty());
}

TEST_F(AccountIndexTest, RulesReferencingAGroup) {
  std::span<const Region::RuleRef> refs = region_->rules_referencing("sg-web");
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].group->id, "sg-db");
  EXPECT_EQ(refs[0].rule, &region_->security_group("sg-db")->rules[1]);
  EXPECT_EQ(refs[0].rule->traffic.ports, PortRange::single(5432));
  EXPECT_EQ(refs[1].group->id, "sg-self");
  EXPECT_EQ(refs[1].rule->traffic.ports, PortRange::single(80));

  // A group that admits itself references itself.
  std::span<const Region::RuleRef> self = region_->rules_referencing("sg-self");
  ASSERT_EQ(self.size(), 1u);
  EXPECT_EQ(self[0].group->id, "sg-self");
  EXPECT_EQ(self[0].rule, &region_->security_group("sg-self")->rules[0]);

  // CIDR peers are not references.
  EXPECT_TRUE(region_->rules_referencing("sg-db").empty());
  EXPECT_TRUE(region_->rules_referencing("0.0.0.0/0").empty());
}

TEST_F(AccountIndexTest, RouteTableForSubnet) {
  // Explicit association.
  ASSERT_NE(region_->route_table_for_subnet("subnet-a"), nullptr);
  EXPECT_EQ(region_->route_table_for_subnet("subnet-a")->id, "rtb-a");
  // A disassociated association does not count: the VPC's main table governs.
  ASSERT_NE(region_->route_table_for_subnet("subnet-b"), nullptr);
  EXPECT_EQ(region_->route_table_for_subnet("subnet-b")->id, "rtb-main1");
  EXPECT_TRUE(region_->route_table_for_subnet("subnet-b")->is_main());
  EXPECT_FALSE(region_->route_table("rtb-a")->is_main());
  // No main table for vpc-2 in the data, and an unknown subnet: no answer rather than a guess.
  EXPECT_EQ(region_->route_table_for_subnet("subnet-c"), nullptr);
  EXPECT_EQ(region_->route_table_for_subnet("subnet-z"), nullptr);
}

TEST_F(AccountIndexTest, NetworkAclForSubnet) {
  EXPECT_EQ(region_->network_acl_for_subnet("subnet-a")->id, "acl-1");
  EXPECT_EQ(region_->network_acl_for_subnet("subnet-b")->id, "acl-1");
  EXPECT_EQ(region_->network_acl_for_subnet("subnet-c")->id, "acl-2");
  EXPECT_EQ(region_->network_acl_for_subnet("subnet-z"), nullptr);
}

TEST_F(AccountIndexTest, FlowLogsFor) {
  EXPECT_EQ(ids(region_->flow_logs_for("vpc-1")), (std::vector<std::string>{"fl-1", "fl-2"}));
  EXPECT_EQ(ids(region_->flow_logs_for("eni-1")), (std::vector<std::string>{"fl-3"}));
  // Only logs attached directly: a subnet of vpc-1 has none of its own.
  EXPECT_TRUE(region_->flow_logs_for("subnet-a").empty());
  EXPECT_TRUE(region_->flow_logs_for("vpc-2").empty());
}

TEST_F(AccountIndexTest, GroupsInVpc) {
  EXPECT_EQ(ids(region_->groups_in_vpc("vpc-1")), (std::vector<std::string>{"sg-web", "sg-db"}));
  EXPECT_EQ(ids(region_->groups_in_vpc("vpc-2")), (std::vector<std::string>{"sg-self"}));
  EXPECT_TRUE(region_->groups_in_vpc("vpc-3").empty());
}

TEST_F(AccountIndexTest, CoverageRegionalAndAccountWide) {
  // Regional datasets come from the region's table.
  EXPECT_EQ(account_.covered("us-east-1", Dataset::kSecurityGroups).status, CoverageStatus::kOk);
  EXPECT_TRUE(region_->has(Dataset::kSecurityGroups));
  EXPECT_EQ(account_.covered("us-east-1", Dataset::kVpcs).status, CoverageStatus::kError);
  EXPECT_EQ(account_.covered("us-east-1", Dataset::kVpcs).detail, "AccessDenied");
  EXPECT_FALSE(region_->has(Dataset::kVpcs));
  EXPECT_EQ(account_.covered("us-east-1", Dataset::kSubnets).status, CoverageStatus::kMissing);
  EXPECT_EQ(account_.covered("us-west-2", Dataset::kSecurityGroups).status, CoverageStatus::kMissing);
  // An unknown region has collected nothing.
  EXPECT_EQ(account_.covered("ap-south-1", Dataset::kSecurityGroups).status, CoverageStatus::kMissing);
  // Account-wide datasets come from the global table whatever region is asked about.
  EXPECT_EQ(account_.covered("us-east-1", Dataset::kCallerIdentity).status, CoverageStatus::kOk);
  EXPECT_EQ(account_.covered("ap-south-1", Dataset::kCallerIdentity).status, CoverageStatus::kOk);
  EXPECT_EQ(account_.covered("", Dataset::kCallerIdentity).status, CoverageStatus::kOk);
  EXPECT_EQ(account_.covered("", Dataset::kRegions).status, CoverageStatus::kMissing);
  EXPECT_EQ(region_->covered(Dataset::kCallerIdentity).status, CoverageStatus::kMissing);
}

TEST_F(AccountIndexTest, SourceFiles) {
  EXPECT_EQ(account_.file(region_->vpc("vpc-1")->source), "us-east-1/ec2/describe-vpcs.json");
  EXPECT_EQ(account_.file(region_->security_group("sg-web")->source),
            "us-east-1/ec2/describe-security-groups.json");
  EXPECT_EQ(account_.file(kNoFile), "");
  EXPECT_EQ(account_.file(2), "");
}

TEST(Model, SmallHelpers) {
  EXPECT_EQ(name_tag({{"Name", "web"}, {"Env", "prod"}}), "web");
  EXPECT_EQ(name_tag({{"name", "lowercase is another tag"}}), "");
  EXPECT_EQ(name_tag({}), "");

  RulePeer cidr_peer;
  cidr_peer.cidr = block("0.0.0.0/0");
  EXPECT_EQ(cidr_peer.to_string(), "0.0.0.0/0");
  RulePeer group_peer;
  group_peer.kind = PeerKind::kSecurityGroup;
  group_peer.group_id = "sg-0abc";
  EXPECT_EQ(group_peer.to_string(), "sg-0abc");
  group_peer.group_owner_id = "111122223333";
  EXPECT_EQ(group_peer.to_string(), "sg-0abc (account 111122223333)");
  RulePeer list_peer;
  list_peer.kind = PeerKind::kPrefixList;
  list_peer.prefix_list_id = "pl-0123";
  EXPECT_EQ(list_peer.to_string(), "pl-0123");

  NetworkInterface eni;
  EXPECT_FALSE(eni.has_public_ipv4());
  eni.private_ips = {PrivateIp{*parse_ip("10.0.0.1"), std::nullopt, true},
                     PrivateIp{*parse_ip("10.0.0.2"), *parse_ip("198.51.100.7"), false}};
  EXPECT_TRUE(eni.has_public_ipv4());
}

TEST(Model, EmptyAccountFinalizes) {
  Account account;
  account.finalize();
  EXPECT_TRUE(account.regions.empty());
  EXPECT_EQ(account.region("us-east-1"), nullptr);
  EXPECT_EQ(account.covered("us-east-1", Dataset::kVpcs).status, CoverageStatus::kMissing);
  account.region_mut("us-east-1");
  account.finalize();
  const Region* r = account.region("us-east-1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->vpc("vpc-1"), nullptr);
  EXPECT_TRUE(r->enis_in_group("sg-1").empty());
  EXPECT_EQ(r->route_table_for_subnet("subnet-1"), nullptr);
}

}  // namespace
}  // namespace fortress
