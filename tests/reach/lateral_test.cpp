// Lateral reach between classes: routing (local, peering), both groups, both NACLs both ways.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "net_builder.h"
#include "reach/lateral.h"

namespace fortress::testing {
namespace {

// Three tiers in vpc-1: web (public subnet-1), app (subnet-2), db (subnet-3).
Net three_tiers(std::vector<NetworkAclEntry> data_acl = allow_all_entries()) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16")
      .subnet("subnet-1", "vpc-1", "10.0.1.0/24")
      .subnet("subnet-2", "vpc-1", "10.0.2.0/24")
      .subnet("subnet-3", "vpc-1", "10.0.3.0/24")
      .igw("igw-1", "vpc-1")
      .route_table("rtb-public", "vpc-1", {route("0.0.0.0/0", "igw-1")}, {"subnet-1"})
      .route_table("rtb-main", "vpc-1", {}, {}, true)
      .acl("acl-1", "vpc-1", allow_all_entries(), {"subnet-1", "subnet-2"})
      .acl("acl-data", "vpc-1", std::move(data_acl), {"subnet-3"});
  n.group("sg-web", {ingress(tcp(443), "0.0.0.0/0"), egress(all_traffic(), "0.0.0.0/0")});
  n.group("sg-app", {ingress(tcp(8080), "sg-web", "sgr-app"), egress(tcp(5432), "sg-db")});
  n.group("sg-db", {ingress(tcp(5432), "sg-app", "sgr-db"), ingress(tcp(22), "10.0.0.0/16")});
  n.interface({.id = "eni-web", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.10",
               .public_ip = "54.1.2.3", .instance = "i-web", .instance_name = "web-1"});
  n.interface({.id = "eni-app", .subnet = "subnet-2", .groups = {"sg-app"}, .private_ip = "10.0.2.10", .instance = "i-app",
               .instance_name = "app-1"});
  n.interface({.id = "eni-db", .subnet = "subnet-3", .groups = {"sg-db"}, .private_ip = "10.0.3.10", .instance = "i-db",
               .instance_name = "db-1"});
  return n;
}

class LateralTest : public ::testing::Test {
 protected:
  void compute(Net& n) {
    account_ = &n.done();
    exposure_ = reach::compute_exposure(*account_, Config{});
    lateral_ = std::make_unique<reach::Lateral>(exposure_);
  }
  const reach::ReachClass& of(const std::string& eni) { return *exposure_.class_of(kRegion, eni); }
  std::string edge(const std::string& a, const std::string& b) { return lateral_->between(of(a), of(b)).ports_text(); }

  const Account* account_ = nullptr;
  reach::Exposure exposure_;
  std::unique_ptr<reach::Lateral> lateral_;
};

TEST_F(LateralTest, SecurityGroupReferencesBothDirections) {
  Net n = three_tiers();
  compute(n);
  EXPECT_EQ(edge("eni-web", "eni-app"), "tcp/8080");
  EXPECT_EQ(edge("eni-app", "eni-db"), "tcp/5432");  // egress 5432 to sg-db, ingress 5432 from sg-app
  EXPECT_EQ(edge("eni-web", "eni-db"), "tcp/22");    // the CIDR rule; web's egress is open
  EXPECT_EQ(edge("eni-db", "eni-app"), "");          // db has no egress rule
  EXPECT_EQ(edge("eni-app", "eni-web"), "");         // app may only reach db
}

TEST_F(LateralTest, NaclOfTheDestinationSubnetInbound) {
  Net n = three_tiers({nacl_in(100, kAllow, tcp(5432), "10.0.2.0/24"), nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  compute(n);
  EXPECT_EQ(edge("eni-app", "eni-db"), "tcp/5432");
  EXPECT_EQ(edge("eni-web", "eni-db"), "");  // 22 from subnet-1 hits the implicit deny
}

TEST_F(LateralTest, NaclReplyToTheEphemeralPortIsNeeded) {
  Net n = three_tiers({nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"), nacl_out(100, kAllow, tcp(443), "0.0.0.0/0")});
  compute(n);
  EXPECT_EQ(edge("eni-app", "eni-db"), "");  // db's subnet never lets the reply out
}

TEST_F(LateralTest, NaclOfTheSourceSubnetOutboundAndReplyInbound) {
  Net n = three_tiers();
  n.region().network_acls[0].entries = {nacl_in(100, kAllow, tcp(443), "0.0.0.0/0"),
                                        nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")};
  compute(n);
  // subnet-2's NACL (acl-1) admits only 443 inbound: the reply from db to app's ephemeral port is dropped.
  EXPECT_EQ(edge("eni-app", "eni-db"), "");
}

TEST_F(LateralTest, TrafficInsideOneSubnetCrossesNoNacl) {
  Net n = three_tiers({nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});  // denies everything inbound
  n.interface({.id = "eni-app2", .subnet = "subnet-3", .groups = {"sg-app"}, .private_ip = "10.0.3.20", .instance = "i-app2"});
  compute(n);
  EXPECT_EQ(edge("eni-app2", "eni-db"), "tcp/5432");
  EXPECT_EQ(edge("eni-app", "eni-db"), "");
}

TEST_F(LateralTest, MoreSpecificRouteOverTheLocalRoute) {
  Net n = three_tiers();
  n.region().route_tables[1].routes.push_back(route("10.0.3.0/24", "eni-firewall"));  // main table: app's
  compute(n);
  EXPECT_EQ(edge("eni-app", "eni-db"), "");  // sent to the appliance, not delivered locally
}

Net peered(std::string status = "active", bool route_back = true) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16").vpc("vpc-2", "10.1.0.0/16");
  n.subnet("subnet-1", "vpc-1", "10.0.1.0/24").subnet("subnet-9", "vpc-2", "10.1.9.0/24");
  n.route_table("rtb-1", "vpc-1", {route("10.1.0.0/16", "pcx-1")}, {"subnet-1"});
  n.route_table("rtb-2", "vpc-2", route_back ? std::vector<Route>{route("10.0.0.0/16", "pcx-1")} : std::vector<Route>{},
                {"subnet-9"});
  n.acl("acl-1", "vpc-1", allow_all_entries(), {"subnet-1"}).acl("acl-2", "vpc-2", allow_all_entries(), {"subnet-9"});
  n.peering("pcx-1", "vpc-1", "10.0.0.0/16", "vpc-2", "10.1.0.0/16", status);
  n.group("sg-app", {egress(all_traffic(), "0.0.0.0/0")});
  n.group("sg-ci", {ingress(tcp(443), "sg-app")}, "vpc-2");
  n.region().security_groups.back().rules[0].peer.peering_connection_id = "pcx-1";
  n.interface({.id = "eni-app", .subnet = "subnet-1", .groups = {"sg-app"}, .private_ip = "10.0.1.10"});
  n.interface({.id = "eni-ci", .subnet = "subnet-9", .groups = {"sg-ci"}, .private_ip = "10.1.9.10"});
  return n;
}

TEST_F(LateralTest, SecurityGroupReferenceAcrossPeering) {
  Net n = peered();
  compute(n);
  const reach::LateralEdge e = lateral_->between(of("eni-app"), of("eni-ci"));
  EXPECT_EQ(e.ports_text(), "tcp/443");
  EXPECT_EQ(e.via, "pcx-1");
}

TEST_F(LateralTest, PeeringNeedsActiveConnectionAndRoutesOnBothSides) {
  {
    Net n = peered("pending-acceptance");
    compute(n);
    EXPECT_EQ(edge("eni-app", "eni-ci"), "");
  }
  {
    Net n = peered("active", /*route_back=*/false);
    compute(n);
    EXPECT_EQ(edge("eni-app", "eni-ci"), "");
  }
}

TEST_F(LateralTest, BlastRadiusTwoHops) {
  Net n = three_tiers();
  compute(n);
  const reach::BlastRadius b = reach::blast_radius(*lateral_, of("eni-web"));
  std::vector<std::string> first, second;
  for (const auto& e : b.first_hop) first.push_back(e.to->members[0].eni->id.str() + ":" + e.ports_text());
  for (const auto& [i, e] : b.second_hop)
    second.push_back(b.first_hop[i].to->members[0].eni->id.str() + "->" + e.to->members[0].eni->id.str() + ":" +
                     e.ports_text());
  EXPECT_THAT(first, ::testing::UnorderedElementsAre("eni-app:tcp/8080", "eni-db:tcp/22"));
  EXPECT_THAT(second, ::testing::Contains("eni-app->eni-db:tcp/5432"));
}

}  // namespace
}  // namespace fortress::testing
