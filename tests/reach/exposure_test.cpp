// Internet exposure, one AWS behaviour per test: public addresses, internet gateways, route
// priority, NACL order and statelessness, security groups, prefix lists, ingress routing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "net_builder.h"
#include "reach/interval_set.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;
using reach::ClassState;
using reach::Grant;

struct Result {
  const reach::InternetResult* internet = nullptr;
  std::vector<const Grant*> grants;
};

class ExposureTest : public ::testing::Test {
 protected:
  const reach::InternetResult& of(const std::string& eni) {
    const reach::ReachClass* c = exposure_.class_of(kRegion, eni);
    EXPECT_NE(c, nullptr) << eni;
    static const reach::InternetResult kNone{};
    return c == nullptr ? kNone : exposure_.internet(*c);
  }
  void compute(Net& net) {
    account_ = &net.done();
    exposure_ = reach::compute_exposure(*account_, config_);
  }
  // The grant for protocol/port of a family on the ENI, or nullptr.
  const Grant* grant(const std::string& eni, int protocol, uint16_t port, IpFamily f = IpFamily::kV4) {
    for (const Grant& g : of(eni).grants) {
      if (g.family == f && g.protocol == protocol && (!has_ports(protocol) || g.ports.contains(port))) return &g;
    }
    return nullptr;
  }
  bool reachable_from(const std::string& eni, std::string_view source, int protocol, uint16_t port) {
    const IpAddress a = ip(source);
    const Grant* g = grant(eni, protocol, port, a.family);
    return g != nullptr && g->sources.contains(a);
  }

  Config config_;
  const Account* account_ = nullptr;
  reach::Exposure exposure_;
};

EniSpec web(std::vector<Symbol> groups = {"sg-web"}) {
  return EniSpec{.id = "eni-1", .subnet = "subnet-1", .groups = std::move(groups), .private_ip = "10.0.1.10",
                 .public_ip = "54.1.2.3", .ipv6 = {}, .instance = "i-1", .instance_name = "web-1"};
}

TEST_F(ExposureTest, PublicIpIgwRouteAndOpenGroupExposeExactlyThePort) {
  Net n = public_network();
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0", "sgr-ssh"), ingress(tcp(443), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kExposed);
  const Grant* g = grant("eni-1", proto::kTcp, 22);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(reach::to_string(g->ports), "22");
  EXPECT_EQ(g->sources, reach::public_space(IpFamily::kV4));
  EXPECT_FALSE(g->reply_partial);
  ASSERT_EQ(g->sg_rules.size(), 1u);
  EXPECT_EQ(g->sg_rules[0].rule->rule_id, "sgr-ssh");
  ASSERT_EQ(g->nacl_in.size(), 1u);
  EXPECT_EQ(g->nacl_in[0]->rule_number, 100);
  EXPECT_EQ(g->igw_id, "igw-1");
  EXPECT_NE(grant("eni-1", proto::kTcp, 443), nullptr);
  EXPECT_EQ(grant("eni-1", proto::kTcp, 80), nullptr);
  EXPECT_EQ(grant("eni-1", proto::kUdp, 22), nullptr);
  EXPECT_EQ(grant("eni-1", proto::kTcp, 22, IpFamily::kV6), nullptr);  // no IPv6 address
  EXPECT_FALSE(reachable_from("eni-1", "10.1.2.3", proto::kTcp, 22));  // private sources are not the internet
}

TEST_F(ExposureTest, NaclDenyBeforeAllowBlocksAndNamesTheRule) {
  Net n = public_network({nacl_in(90, kDeny, tcp(22), "0.0.0.0/0"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0"), ingress(tcp(443), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(grant("eni-1", proto::kTcp, 22), nullptr);
  EXPECT_NE(grant("eni-1", proto::kTcp, 443), nullptr);  // rule 90 is only about 22

  const SecurityGroup* sg = account_->regions[0].security_group("sg-web");
  reach::RuleReach rr = exposure_.rule_reach(account_->regions[0], *sg, sg->rules[0]);
  EXPECT_EQ(rr.verdict, reach::RuleReach::Verdict::kBlocked);
  ASSERT_EQ(rr.blockers.size(), 1u);
  EXPECT_EQ(rr.blockers[0].first.component, "nacl-in");
  EXPECT_THAT(rr.blockers[0].first.text, HasSubstr("NACL acl-1 inbound rule 90 denies it"));
}

TEST_F(ExposureTest, NaclDenyAfterAllowDoesNotApply) {
  Net n = public_network({nacl_in(100, kAllow, tcp(22), "0.0.0.0/0"), nacl_in(200, kDeny, tcp(22), "0.0.0.0/0"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  const Grant* g = grant("eni-1", proto::kTcp, 22);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->nacl_in[0]->rule_number, 100);
}

TEST_F(ExposureTest, NaclRuleOrderIsByNumberNotByListing) {
  Net n = public_network({nacl_in(200, kAllow, tcp(22), "0.0.0.0/0"), nacl_in(100, kDeny, tcp(22), "0.0.0.0/0"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(grant("eni-1", proto::kTcp, 22), nullptr);
}

TEST_F(ExposureTest, NaclDenyOfPartOfTheInternetLeavesTheRest) {
  Net n = public_network({nacl_in(90, kDeny, tcp(22), "54.0.0.0/8"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_FALSE(reachable_from("eni-1", "54.9.9.9", proto::kTcp, 22));
  EXPECT_TRUE(reachable_from("eni-1", "55.9.9.9", proto::kTcp, 22));
}

TEST_F(ExposureTest, ReplyBlockedByOutboundEphemeralRules) {
  // Outbound only to 443: the reply to the client's ephemeral port never leaves.
  Net n = public_network({nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"), nacl_out(100, kAllow, tcp(443), "0.0.0.0/0")});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  ASSERT_TRUE(of("eni-1").blocked_v4.has_value());
  EXPECT_EQ(of("eni-1").blocked_v4->component, "nacl-out");
  EXPECT_THAT(of("eni-1").blocked_v4->text, HasSubstr("denies the reply"));
}

TEST_F(ExposureTest, ReplyAllowedForSomeClientPortsIsPartialExposure) {
  Net n = public_network({nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
                          nacl_out(100, kAllow, tcp(32768, 65535), "0.0.0.0/0")});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  const Grant* g = grant("eni-1", proto::kTcp, 22);
  ASSERT_NE(g, nullptr);
  EXPECT_TRUE(g->reply_partial);
  EXPECT_EQ(reach::to_string(g->reply_ports), "32768-65535");
  ASSERT_EQ(g->nacl_out.size(), 1u);
  EXPECT_EQ(g->nacl_out[0]->rule_number, 100);
}

TEST_F(ExposureTest, ReplyDeniedToSomeClientsOnlyNarrowsTheSources) {
  Net n = public_network({nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"), nacl_out(50, kDeny, all_traffic(), "54.0.0.0/8"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_FALSE(reachable_from("eni-1", "54.9.9.9", proto::kTcp, 22));
  EXPECT_TRUE(reachable_from("eni-1", "8.8.8.8", proto::kTcp, 22));
}

TEST_F(ExposureTest, MainRouteTableFallback) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16")
      .subnet("subnet-1", "vpc-1", "10.0.1.0/24")
      .subnet("subnet-2", "vpc-1", "10.0.2.0/24")
      .igw("igw-1", "vpc-1")
      .route_table("rtb-main", "vpc-1", {route("0.0.0.0/0", "igw-1")}, {}, true)
      .route_table("rtb-private", "vpc-1", {}, {"subnet-2"})
      .acl("acl-1", "vpc-1", allow_all_entries(), {"subnet-1", "subnet-2"});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());  // subnet-1: no explicit association -> the main table, which routes to igw-1
  n.interface({.id = "eni-2", .subnet = "subnet-2", .groups = {"sg-web"}, .private_ip = "10.0.2.10", .public_ip = "54.1.2.4"});
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kExposed);
  EXPECT_EQ(of("eni-2").state, ClassState::kNotExposed);  // its explicit table has only the local route
  EXPECT_EQ(of("eni-2").blocked_v4->component, "route");
}

TEST_F(ExposureTest, RouteToNatGatewayIsNotInbound) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16")
      .subnet("subnet-1", "vpc-1", "10.0.1.0/24")
      .igw("igw-1", "vpc-1")
      .route_table("rtb-1", "vpc-1", {route("0.0.0.0/0", "nat-1")}, {"subnet-1"})
      .acl("acl-1", "vpc-1", allow_all_entries(), {"subnet-1"});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());  // even with a public IP, the reply leaves through the NAT gateway
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  ASSERT_TRUE(of("eni-1").blocked_v4.has_value());
  EXPECT_EQ(of("eni-1").blocked_v4->component, "route");
  EXPECT_THAT(of("eni-1").blocked_v4->text, HasSubstr("no route to an internet gateway (rtb-1: 0.0.0.0/0 -> nat-1)"));
}

TEST_F(ExposureTest, MoreSpecificRoutesStealPartsOfTheInternet) {
  Net n = public_network();
  Region& r = n.region();
  r.route_tables[0].routes.push_back(route("8.8.0.0/16", "tgw-1"));
  r.route_tables[0].routes.push_back(route("9.9.9.0/24", "igw-1", /*active=*/false));  // blackhole
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_FALSE(reachable_from("eni-1", "8.8.8.8", proto::kTcp, 22));
  EXPECT_FALSE(reachable_from("eni-1", "9.9.9.9", proto::kTcp, 22));
  EXPECT_TRUE(reachable_from("eni-1", "8.9.8.8", proto::kTcp, 22));
  EXPECT_TRUE(reachable_from("eni-1", "9.9.8.9", proto::kTcp, 22));
}

TEST_F(ExposureTest, PrefixListRouteStealsItsEntriesAndStaticWinsATie) {
  Net n = public_network();
  n.prefix_list("pl-corp", std::vector<std::string>{"8.8.0.0/16", "1.1.1.0/24"});
  Region& r = n.region();
  r.route_tables[0].routes.push_back(route("pl-corp", "vgw-1"));
  r.route_tables[0].routes.push_back(route("1.1.1.0/24", "igw-1"));  // same length as an entry: static wins
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_FALSE(reachable_from("eni-1", "8.8.4.4", proto::kTcp, 22));
  EXPECT_TRUE(reachable_from("eni-1", "1.1.1.1", proto::kTcp, 22));
}

TEST_F(ExposureTest, PrefixListRouteWithUnknownEntriesIsNotAssessed) {
  Net n = public_network();
  n.prefix_list("pl-corp", std::nullopt);
  n.region().route_tables[0].routes.push_back(route("pl-corp", "vgw-1"));
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotAssessed);
  EXPECT_THAT(of("eni-1").unknowns[0], HasSubstr("rtb-1 routes prefix list pl-corp to vgw-1"));
}

TEST_F(ExposureTest, StaticRouteBeatsPropagatedRouteOfTheSamePrefix) {
  Net n = public_network();
  n.region().route_tables[0].routes.insert(n.region().route_tables[0].routes.begin(),
                                           route("0.0.0.0/0", "vgw-1", true, /*propagated=*/true));
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_TRUE(reachable_from("eni-1", "8.8.8.8", proto::kTcp, 22));
}

TEST_F(ExposureTest, Ipv6OnlyExposure) {
  Net n = public_network();
  n.group("sg-web", {ingress(tcp(443), "::/0")});
  n.interface({.id = "eni-1", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.10",
               .ipv6 = {"2600:1f18:0:1::10"}});
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kExposed);
  EXPECT_NE(grant("eni-1", proto::kTcp, 443, IpFamily::kV6), nullptr);
  EXPECT_EQ(grant("eni-1", proto::kTcp, 443, IpFamily::kV4), nullptr);
  EXPECT_TRUE(reachable_from("eni-1", "2a00:1450::1", proto::kTcp, 443));
  EXPECT_FALSE(reachable_from("eni-1", "fd00::1", proto::kTcp, 443));  // unique-local is not the internet
}

TEST_F(ExposureTest, UniqueLocalIpv6AddressIsNotReachable) {
  Net n = public_network();
  n.group("sg-web", {ingress(tcp(443), "::/0")});
  n.interface({.id = "eni-1", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.10", .ipv6 = {"fd12::10"}});
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  EXPECT_EQ(of("eni-1").blocked_v6->component, "public-address");
}

TEST_F(ExposureTest, EgressOnlyInternetGatewayAdmitsNothing) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16", "2600:1f18::/56")
      .subnet("subnet-1", "vpc-1", "10.0.1.0/24", "2600:1f18:0:1::/64")
      .eigw("eigw-1", "vpc-1")
      .route_table("rtb-1", "vpc-1", {route("::/0", "eigw-1")}, {"subnet-1"})
      .acl("acl-1", "vpc-1", allow_all_entries(), {"subnet-1"});
  n.group("sg-web", {ingress(tcp(443), "::/0")});
  n.interface({.id = "eni-1", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.10",
               .ipv6 = {"2600:1f18:0:1::10"}});
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  EXPECT_EQ(of("eni-1").blocked_v6->component, "internet-gateway");
}

TEST_F(ExposureTest, EgressOnlyRouteBesideAnIgwIsNoRouteBack) {
  Net n = public_network();
  n.eigw("eigw-1", "vpc-1");
  for (Route& r : n.region().route_tables[0].routes) {
    if (r.destination && r.destination->family() == IpFamily::kV6 && r.target != RouteTarget::kLocal)
      r = route("::/0", "eigw-1");
  }
  n.group("sg-web", {ingress(tcp(443), "::/0")});
  n.interface({.id = "eni-1", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.10",
               .ipv6 = {"2600:1f18:0:1::10"}});
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  EXPECT_EQ(of("eni-1").blocked_v6->component, "route");
}

TEST_F(ExposureTest, PublicIpWithoutIgwRoute) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16")
      .subnet("subnet-1", "vpc-1", "10.0.1.0/24")
      .igw("igw-1", "vpc-1")
      .route_table("rtb-1", "vpc-1", {}, {"subnet-1"})
      .acl("acl-1", "vpc-1", allow_all_entries(), {"subnet-1"});
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  EXPECT_EQ(of("eni-1").blocked_v4->component, "route");
  EXPECT_THAT(of("eni-1").blocked_v4->text, HasSubstr("no route to an internet gateway (rtb-1 has no route for"));
}

TEST_F(ExposureTest, IgwRouteWithoutPublicIpExposesNothing) {
  Net n = public_network();
  n.group("sg-web", {ingress(all_traffic(), "0.0.0.0/0")});
  EniSpec s = web();
  s.public_ip.clear();
  n.interface(s);
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  EXPECT_EQ(of("eni-1").blocked_v4->component, "public-address");
  EXPECT_THAT(of("eni-1").blocked_v4->text, HasSubstr("no public IPv4 address"));
}

TEST_F(ExposureTest, SecondaryPrivateIpWithElasticIpCounts) {
  Net n = public_network();
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  EniSpec s = web();
  s.public_ip.clear();
  n.interface(s);
  PrivateIp secondary;
  secondary.address = ip("10.0.1.11");
  secondary.public_ip = ip("54.9.9.9");
  n.region().network_interfaces.back().private_ips.push_back(secondary);
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kExposed);
}

TEST_F(ExposureTest, IgwAttachedToAnotherVpcIsNotARouteToTheInternet) {
  Net n = public_network();
  n.region().internet_gateways[0].vpc_ids = {"vpc-other"};
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  EXPECT_EQ(of("eni-1").blocked_v4->component, "internet-gateway");
}

TEST_F(ExposureTest, PrefixListSources) {
  Net n = public_network();
  n.prefix_list("pl-partners", std::vector<std::string>{"52.94.76.0/22", "10.0.0.0/8"});
  n.group("sg-web", {ingress(tcp(22), "pl-partners")});
  n.interface(web());
  compute(n);
  const Grant* g = grant("eni-1", proto::kTcp, 22);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(reach::to_string(g->sources), "52.94.76.0/22");  // the private entry is not the internet
}

TEST_F(ExposureTest, PrefixListWithoutEntriesIsNotAssessed) {
  Net n = public_network();
  n.prefix_list("pl-partners", std::nullopt);
  n.group("sg-web", {ingress(tcp(22), "pl-partners", "sgr-1")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotAssessed);
  EXPECT_THAT(of("eni-1").unknowns[0], HasSubstr("the entries of prefix list pl-partners were not collected"));
}

TEST_F(ExposureTest, SecurityGroupReferenceNeverAdmitsTheInternet) {
  Net n = public_network();
  n.group("sg-web", {ingress(all_traffic(), "sg-lb")});
  n.group("sg-lb", {});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotExposed);
  EXPECT_FALSE(of("eni-1").blocked_v4.has_value());  // nothing admitted the internet in the first place
}

TEST_F(ExposureTest, UnionOfAllGroups) {
  Net n = public_network();
  n.group("sg-a", {ingress(tcp(22), "0.0.0.0/0")});
  n.group("sg-b", {ingress(udp(53), "0.0.0.0/0")});
  n.interface(web({"sg-a", "sg-b"}));
  compute(n);
  EXPECT_NE(grant("eni-1", proto::kTcp, 22), nullptr);
  EXPECT_NE(grant("eni-1", proto::kUdp, 53), nullptr);
}

TEST_F(ExposureTest, AllTrafficRuleExposesEveryProtocol) {
  Net n = public_network({nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"), nacl_in(110, kDeny, {50}, "0.0.0.0/0"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-web", {ingress(all_traffic(), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  const Grant* t = grant("eni-1", proto::kTcp, 0);
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->ports == reach::all_ports());
  EXPECT_NE(grant("eni-1", proto::kIcmp, 0), nullptr);
  EXPECT_NE(grant("eni-1", reach::kOtherProtocols, 0), nullptr);
}

TEST_F(ExposureTest, GatewayRouteTableIsNotGuessed) {
  Net n = public_network();
  n.route_table("rtb-edge", "vpc-1", {route("10.0.1.0/24", "eni-appliance")}, {}, false, "igw-1");
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotAssessed);
  EXPECT_THAT(of("eni-1").unknowns[0], HasSubstr("not assessed: ingress routing via rtb-edge"));
}

TEST_F(ExposureTest, GatewayRouteTableForAnotherSubnetLeavesThisOneAlone) {
  Net n = public_network();
  n.route_table("rtb-edge", "vpc-1", {route("10.0.9.0/24", "eni-appliance")}, {}, false, "igw-1");
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kExposed);
}

TEST_F(ExposureTest, InterfacesThatServeNothingAreNotEvaluated) {
  Net n = public_network();
  n.group("sg-web", {ingress(all_traffic(), "0.0.0.0/0")});
  n.interface({.id = "eni-nat", .subnet = "subnet-1", .groups = {}, .private_ip = "10.0.1.5", .public_ip = "54.1.1.1",
               .interface_type = "nat_gateway"});
  n.interface({.id = "eni-spare", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.6",
               .public_ip = "54.1.1.2", .status = "available"});
  compute(n);
  EXPECT_EQ(of("eni-nat").state, ClassState::kNotEvaluated);
  EXPECT_THAT(of("eni-nat").reason, HasSubstr("NAT gateway"));
  EXPECT_EQ(of("eni-spare").state, ClassState::kNotEvaluated);
}

TEST_F(ExposureTest, MissingDatasetMakesTheRegionNotAssessed) {
  Net n = public_network();
  n.coverage(Dataset::kNetworkAcls, CoverageStatus::kError, "AccessDenied");
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  compute(n);
  EXPECT_EQ(of("eni-1").state, ClassState::kNotAssessed);
  ASSERT_EQ(exposure_.region_gaps().size(), 1u);
  EXPECT_THAT(exposure_.region_gaps()[0].second, HasSubstr("ec2/describe-network-acls failed: AccessDenied"));
}

TEST_F(ExposureTest, EnisOfOneKindShareOneClass) {
  Net n = public_network();
  n.group("sg-web", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(web());
  EniSpec second = web();
  second.id = "eni-2";
  second.instance = "i-2";
  second.private_ip = "10.0.1.11";
  second.public_ip = "54.1.2.4";
  n.interface(second);
  EniSpec private_one = web();
  private_one.id = "eni-3";
  private_one.instance = "i-3";
  private_one.private_ip = "10.0.1.12";
  private_one.public_ip.clear();
  n.interface(private_one);
  compute(n);
  EXPECT_EQ(exposure_.class_of(kRegion, "eni-1"), exposure_.class_of(kRegion, "eni-2"));
  EXPECT_NE(exposure_.class_of(kRegion, "eni-1"), exposure_.class_of(kRegion, "eni-3"));
  EXPECT_EQ(exposure_.class_of(kRegion, "eni-1")->members.size(), 2u);
}

// rule_reach evaluates a rule once per kind of class (same subnet, address presence and protocols)
// and counts every ENI: classes that differ only in their other groups share the evaluation, the
// counts and blockers are those of evaluating each class.
TEST_F(ExposureTest, RuleReachCountsEveryClassOfTheGroup) {
  Net n = public_network();
  n.subnet("subnet-2", "vpc-1", "10.0.2.0/24")
      .acl("acl-2", "vpc-1", {nacl_in(90, kDeny, tcp(22), "0.0.0.0/0"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
                              nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")},
           {"subnet-2"})
      .route_table("rtb-2", "vpc-1", {route("0.0.0.0/0", "igw-1")}, {"subnet-2"});
  n.group("sg-ssh", {ingress(tcp(22), "0.0.0.0/0", "sgr-ssh")});
  n.group("sg-a", {ingress(tcp(443), "10.0.0.0/8")});
  n.group("sg-b", {ingress(tcp(8080), "10.0.0.0/8")});
  auto eni = [&](std::string id, std::string subnet, std::string ip, std::string public_ip, std::vector<Symbol> groups) {
    n.interface({.id = id, .subnet = std::move(subnet), .groups = std::move(groups), .private_ip = std::move(ip),
                 .public_ip = std::move(public_ip), .instance = "i-" + id});
  };
  eni("eni-1", "subnet-1", "10.0.1.10", "54.1.2.3", {"sg-ssh"});
  eni("eni-2", "subnet-1", "10.0.1.11", "54.1.2.4", {"sg-ssh", "sg-a"});  // another class, same kind
  eni("eni-3", "subnet-1", "10.0.1.12", "54.1.2.5", {"sg-ssh", "sg-b"});  // and another
  eni("eni-4", "subnet-1", "10.0.1.13", "", {"sg-ssh", "sg-a"});          // no public address
  eni("eni-5", "subnet-2", "10.0.2.10", "54.1.2.6", {"sg-ssh"});          // the NACL denies tcp/22
  eni("eni-6", "subnet-2", "10.0.2.11", "54.1.2.7", {"sg-ssh", "sg-b"});
  compute(n);
  const Region& r = account_->regions.front();
  const SecurityGroup& g = *r.security_group("sg-ssh");
  const reach::RuleReach rr = exposure_.rule_reach(r, g, g.rules[0]);
  EXPECT_EQ(rr.verdict, reach::RuleReach::Verdict::kReachable);
  EXPECT_EQ(rr.enis_reachable, 3u);
  EXPECT_EQ(rr.enis_blocked, 3u);
  EXPECT_EQ(rr.enis_unknown, 0u);
  ASSERT_EQ(rr.blockers.size(), 2u);
  size_t by_nacl = 0, by_address = 0;
  for (const auto& [b, count] : rr.blockers) {
    if (b.component == "nacl-in") by_nacl = count;
    if (b.component == "public-address") by_address = count;
  }
  EXPECT_EQ(by_nacl, 2u);
  EXPECT_EQ(by_address, 1u);
  EXPECT_EQ(rr.reachable_examples.size(), 3u);
}

// rule_reach shares one outcome among rules alike (same kind of class, same ports asked, same
// sources), whatever their group; what is each group's own still is: the interface a missing
// public address is named on, the ports each rule is asked about.
TEST_F(ExposureTest, RuleReachSharedAmongAlikeRulesKeepsEachGroupsOwnFacts) {
  Net n = public_network();
  n.group("sg-x", {ingress(tcp(22), "0.0.0.0/0", "sgr-x")});
  n.group("sg-y", {ingress(tcp(22), "0.0.0.0/0", "sgr-y")});
  n.group("sg-wide", {ingress(tcp(20, 30), "0.0.0.0/0", "sgr-wide")});
  n.group("sg-ftp", {ingress(tcp(20, 21), "0.0.0.0/0", "sgr-ftp")});
  auto eni = [&](std::string id, std::string ip, std::string public_ip, std::vector<Symbol> groups) {
    n.interface({.id = id, .subnet = "subnet-1", .groups = std::move(groups), .private_ip = std::move(ip),
                 .public_ip = std::move(public_ip), .instance = "i-" + id});
  };
  eni("eni-7", "10.0.1.17", "", {"sg-x"});  // private: the blocker is its missing address
  eni("eni-8", "10.0.1.18", "", {"sg-y"});  // the same kind of class and rule, another interface
  eni("eni-9", "10.0.1.19", "54.1.2.9", {"sg-wide"});
  eni("eni-10", "10.0.1.20", "54.1.2.10", {"sg-ftp"});
  compute(n);
  const Region& r = account_->regions.front();
  auto reach_of = [&](const char* group, const reach::TrafficFocus& focus = {}) {
    const SecurityGroup& g = *r.security_group(group);
    return exposure_.rule_reach(r, g, g.rules[0], focus);
  };
  for (const char* group : {"sg-x", "sg-y", "sg-x"}) {
    const reach::RuleReach rr = reach_of(group);
    EXPECT_EQ(rr.verdict, reach::RuleReach::Verdict::kBlocked) << group;
    ASSERT_EQ(rr.blockers.size(), 1u) << group;
    EXPECT_EQ(rr.blockers[0].first.component, "public-address");
    EXPECT_EQ(rr.blockers[0].first.resource, std::string(group) == "sg-x" ? "eni-7" : "eni-8");
  }
  const reach::TrafficFocus admin{proto::kTcp, reach::PortSet::of(21, 22)};
  const reach::RuleReach wide = reach_of("sg-wide", admin);
  const reach::RuleReach ftp = reach_of("sg-ftp", admin);
  ASSERT_EQ(wide.verdict, reach::RuleReach::Verdict::kReachable);
  ASSERT_EQ(ftp.verdict, reach::RuleReach::Verdict::kReachable);
  ASSERT_EQ(wide.reachable_examples.size(), 1u);
  ASSERT_EQ(ftp.reachable_examples.size(), 1u);
  EXPECT_THAT(wide.reachable_examples[0], HasSubstr("eni-9 (i-eni-9): tcp/21-22 from"));
  EXPECT_THAT(ftp.reachable_examples[0], HasSubstr("eni-10 (i-eni-10): tcp/21 from"));
  // Asked again after the other rule: the same answers.
  EXPECT_EQ(reach_of("sg-wide", admin).reachable_examples, wide.reachable_examples);
  const reach::RuleReach ssh_only = reach_of("sg-wide", {proto::kTcp, reach::PortSet::of(22, 22)});
  ASSERT_EQ(ssh_only.reachable_examples.size(), 1u);
  EXPECT_THAT(ssh_only.reachable_examples[0], HasSubstr("tcp/22 from"));
}

}  // namespace
}  // namespace fortress::testing
