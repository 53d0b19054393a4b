// Exposure through internet-facing load balancers: a listener reachable through the load balancer's
// own security groups, NACL and routes exposes its private targets on the target port.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "net_builder.h"
#include "reach/explain.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kAlbArn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/abc123";
constexpr std::string_view kTgArn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/app/def456";

// vpc-1: public subnet-1 (igw), private subnet-2; an ALB in subnet-1 forwarding 443 -> app:8080.
Net alb_in_front(std::vector<SecurityGroupRule> app_rules, std::string type = "application",
                 std::vector<Symbol> lb_groups = {"sg-alb"}) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16")
      .subnet("subnet-1", "vpc-1", "10.0.1.0/24")
      .subnet("subnet-2", "vpc-1", "10.0.2.0/24")
      .igw("igw-1", "vpc-1")
      .route_table("rtb-public", "vpc-1", {route("0.0.0.0/0", "igw-1")}, {"subnet-1"})
      .route_table("rtb-main", "vpc-1", {route("0.0.0.0/0", "nat-1")}, {}, true)
      .acl("acl-1", "vpc-1", allow_all_entries(), {"subnet-1", "subnet-2"});
  n.group("sg-alb", {ingress(tcp(443), "0.0.0.0/0", "sgr-alb-443"), egress(all_traffic(), "0.0.0.0/0")});
  n.group("sg-app", std::move(app_rules));
  n.interface({.id = "eni-app", .subnet = "subnet-2", .groups = {"sg-app"}, .private_ip = "10.0.2.10",
               .instance = "i-app", .instance_name = "app-1"});
  n.region().instances.back().private_ip = ip("10.0.2.10");
  n.interface({.id = "eni-alb", .subnet = "subnet-1", .groups = lb_groups, .private_ip = "10.0.1.50",
               .public_ip = "54.1.1.1", .interface_type = type == "network" ? "network_load_balancer" : "interface",
               .description = "ELB app/shop/abc123", .requester_managed = true});
  LoadBalancer lb;
  lb.arn = std::string(kAlbArn);
  lb.name = "shop";
  lb.scheme = "internet-facing";
  lb.type = type;
  lb.vpc_id = "vpc-1";
  lb.state = "active";
  lb.ip_address_type = "ipv4";
  lb.zones.push_back({"us-east-1a", "subnet-1", {}});
  lb.security_group_ids = lb_groups;
  Listener l;
  l.arn = "arn:listener/1";
  l.load_balancer_arn = lb.arn;
  l.port = 443;
  l.protocol = type == "network" ? "TCP" : "HTTPS";
  ListenerAction a;
  a.type = "forward";
  a.target_groups.push_back({std::string(kTgArn), std::nullopt});
  l.default_actions.push_back(a);
  lb.listeners.emplace().push_back(l);
  n.region().load_balancers.push_back(std::move(lb));
  TargetGroup tg;
  tg.arn = std::string(kTgArn);
  tg.name = "app";
  tg.protocol = "HTTP";
  tg.port = 8080;
  tg.target_type = "instance";
  tg.vpc_id = "vpc-1";
  tg.load_balancer_arns.push_back(std::string(kAlbArn));
  tg.targets.emplace().push_back({"i-app", 8080, "us-east-1a", "traffic-port", "healthy", "", ""});
  n.region().target_groups.push_back(std::move(tg));
  return n;
}

const reach::InternetResult& result(const reach::Exposure& ex, std::string_view eni) {
  return ex.internet(*ex.class_of(kRegion, eni));
}

TEST(LoadBalancerExposure, PrivateTargetExposedViaTheAlbOnTheTargetPort) {
  Net n = alb_in_front({ingress(tcp(8080), "sg-alb", "sgr-app")});
  const Account& a = n.done();
  const reach::Exposure ex = reach::compute_exposure(a, Config{});
  const reach::InternetResult& r = result(ex, "eni-app");
  ASSERT_EQ(r.state, reach::ClassState::kExposed);
  ASSERT_EQ(r.grants.size(), 1u);
  const reach::Grant& g = r.grants[0];
  EXPECT_EQ(g.via_lb, "shop");
  EXPECT_EQ(reach::to_string(g.ports), "8080");
  EXPECT_EQ(g.via_listener_port, 443);
  EXPECT_EQ(g.sources, reach::public_space(IpFamily::kV4));
  ASSERT_EQ(g.sg_rules.size(), 1u);
  EXPECT_EQ(g.sg_rules[0].rule->rule_id, "sgr-app");
  const reach::ReachClass& c = *ex.class_of(kRegion, "eni-app");
  const std::string path = reach::path_text(reach::grant_path(c, g, c.members[0]));
  EXPECT_EQ(path, "internet -> shop -> HTTPS:443 -> app:8080 -> sgr-app -> eni-app -> i-app (app-1)");
  EXPECT_EQ(g.via_listener, "HTTPS:443 -> app:8080");
  EXPECT_THAT(g.via_detail, HasSubstr("listener HTTPS:443 (subnet-1 via igw-1 -> rtb-public -> acl-1 in/out -> sgr-alb-443)"));
  EXPECT_THAT(g.via_detail, HasSubstr("forwards to target group app port 8080"));
}

TEST(LoadBalancerExposure, TargetGroupNotAdmittingTheLoadBalancerIsNotExposed) {
  Net n = alb_in_front({ingress(tcp(8080), "10.9.0.0/16")});
  const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
  EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotExposed);
}

TEST(LoadBalancerExposure, ListenerBlockedByTheLoadBalancersOwnGroupExposesNothing) {
  Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
  n.region().security_groups[0].rules[0] = ingress(tcp(443), "198.51.99.0/24");  // the ALB admits one range
  const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
  const reach::InternetResult& r = result(ex, "eni-app");
  ASSERT_EQ(r.grants.size(), 1u);
  EXPECT_EQ(reach::to_string(r.grants[0].sources), "198.51.99.0/24");
}

TEST(LoadBalancerExposure, NetworkLoadBalancerWithoutGroupsAdmitsEveryoneOnItsListener) {
  Net n = alb_in_front({ingress(tcp(8080), "10.0.1.0/24")}, "network", {});
  const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
  const reach::InternetResult& r = result(ex, "eni-app");
  ASSERT_EQ(r.state, reach::ClassState::kExposed);
  EXPECT_EQ(r.grants[0].sources, reach::public_space(IpFamily::kV4));
}

TEST(LoadBalancerExposure, InternalLoadBalancerExposesNothing) {
  Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
  n.region().load_balancers[0].scheme = "internal";
  const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
  EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotExposed);
}

TEST(LoadBalancerExposure, LoadBalancersNotCollectedMeansNotAssessed) {
  Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
  n.coverage(Dataset::kLoadBalancers, CoverageStatus::kMissing);
  const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
  EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotAssessed);
  EXPECT_THAT(result(ex, "eni-app").unknowns[0], HasSubstr("describe-load-balancers was not collected"));
}

TEST(LoadBalancerExposure, ListenersNotCollectedMeansNotAssessedForItsTargets) {
  Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
  n.region().load_balancers[0].listeners.reset();
  const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
  EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotAssessed);
}

TEST(LoadBalancerExposure, TargetGroupsOrTheirTargetsNotCollectedMeansNotAssessed) {
  {
    Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
    n.coverage(Dataset::kTargetGroups, CoverageStatus::kMissing);
    n.region().target_groups.clear();
    const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
    EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotAssessed);
    EXPECT_THAT(result(ex, "eni-app").unknowns,
                ::testing::Contains(HasSubstr("describe-target-groups was not collected in us-east-1")));
  }
  {
    Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
    n.region().target_groups[0].targets.reset();
    const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
    EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotAssessed);
    EXPECT_THAT(result(ex, "eni-app").unknowns,
                ::testing::Contains(HasSubstr("the targets of target group app (listener HTTPS:443 of internet-facing "
                                              "load balancer shop) were not collected")));
  }
  {
    // The listener forwards to a target group describe-target-groups does not list.
    Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
    n.region().target_groups.clear();
    const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
    EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotAssessed);
  }
}

TEST(LoadBalancerExposure, ATargetGroupNoDefaultActionForwardsToIsNotAssessed) {
  // Listener rules (describe-rules) are not collected: a target group attached to the load balancer
  // but not a default action may still receive internet traffic.
  Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
  n.region().load_balancers[0].listeners->at(0).default_actions[0].type = "fixed-response";
  const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
  EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotAssessed);
  EXPECT_THAT(result(ex, "eni-app").unknowns,
              ::testing::Contains(HasSubstr("target group app of internet-facing load balancer shop is no listener's "
                                            "default action")));
}

TEST(LoadBalancerExposure, TheTargetsOfAnInternalAlbBehindAnInternetFacingNlbAreNotAssessed) {
  // alb_in_front's load balancer becomes an internal ALB; an internet-facing NLB forwards 443 to it
  // through an alb-type target group. The ALB's targets are reached from the internet, one hop further
  // than fortress follows: NOT ASSESSED, never "not exposed".
  Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
  n.region().load_balancers[0].scheme = "internal";
  n.interface({.id = "eni-nlb", .subnet = "subnet-1", .groups = {}, .private_ip = "10.0.1.60",
               .public_ip = "54.1.1.2", .interface_type = "network_load_balancer",
               .description = "ELB net/edge/0f0f0f", .requester_managed = true});
  LoadBalancer nlb;
  nlb.arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/edge/0f0f0f";
  nlb.name = "edge";
  nlb.scheme = "internet-facing";
  nlb.type = "network";
  nlb.vpc_id = "vpc-1";
  nlb.state = "active";
  nlb.ip_address_type = "ipv4";
  nlb.zones.push_back({"us-east-1a", "subnet-1", {}});
  Listener l;
  l.arn = "arn:listener/edge";
  l.load_balancer_arn = nlb.arn;
  l.port = 443;
  l.protocol = "TCP";
  ListenerAction a;
  a.type = "forward";
  a.target_groups.push_back({"arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/to-alb/1a2b", std::nullopt});
  l.default_actions.push_back(a);
  nlb.listeners.emplace().push_back(l);
  TargetGroup to_alb;
  to_alb.arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/to-alb/1a2b";
  to_alb.name = "to-alb";
  to_alb.protocol = "TCP";
  to_alb.port = 443;
  to_alb.target_type = "alb";
  to_alb.vpc_id = "vpc-1";
  to_alb.load_balancer_arns.push_back(nlb.arn);
  to_alb.targets.emplace().push_back({std::string(kAlbArn), 443, "", "", "healthy", "", ""});
  n.region().load_balancers.push_back(std::move(nlb));
  n.region().target_groups.push_back(std::move(to_alb));
  const reach::Exposure ex = reach::compute_exposure(n.done(), Config{});
  EXPECT_EQ(result(ex, "eni-app").state, reach::ClassState::kNotAssessed);
  EXPECT_THAT(result(ex, "eni-app").unknowns,
              ::testing::Contains(HasSubstr("internet-facing load balancer edge forwards port 443 to application load "
                                            "balancer shop, whose targets fortress does not follow through it")));
}

// The load balancer's own group: its internet rules are reachable on the listener ports only (its
// interfaces are not servers, but they are not "unused" either).
TEST(LoadBalancerRuleReach, TheLoadBalancersGroupIsReachableOnItsListenerPorts) {
  Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
  for (SecurityGroup& g : n.region().security_groups) {
    if (g.id == "sg-alb") g.rules.insert(g.rules.begin() + 1, ingress(tcp(22), "0.0.0.0/0", "sgr-alb-22"));
  }
  const Account& a = n.done();
  const reach::Exposure ex = reach::compute_exposure(a, Config{});
  const Region& r = *a.region(kRegion);
  const SecurityGroup& g = *r.security_group("sg-alb");
  const reach::RuleReach https = ex.rule_reach(r, g, g.rules[0]);
  EXPECT_EQ(https.verdict, reach::RuleReach::Verdict::kReachable);
  EXPECT_EQ(https.enis_reachable, 1u);
  const reach::RuleReach ssh = ex.rule_reach(r, g, g.rules[1]);
  EXPECT_EQ(ssh.verdict, reach::RuleReach::Verdict::kBlocked);
  ASSERT_EQ(ssh.blockers.size(), 1u);
  EXPECT_EQ(ssh.blockers[0].first.component, "listener");
  EXPECT_EQ(ssh.blockers[0].first.text, "load balancer shop has no listener on these ports");
}

TEST(LoadBalancerRuleReach, InternalOrUncollectedLoadBalancers) {
  {
    Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
    n.region().load_balancers[0].scheme = "internal";
    const Account& a = n.done();
    const reach::Exposure ex = reach::compute_exposure(a, Config{});
    const Region& r = *a.region(kRegion);
    const reach::RuleReach rr = ex.rule_reach(r, *r.security_group("sg-alb"), r.security_group("sg-alb")->rules[0]);
    EXPECT_EQ(rr.verdict, reach::RuleReach::Verdict::kBlocked);
    ASSERT_EQ(rr.blockers.size(), 1u);
    EXPECT_THAT(rr.blockers[0].first.text, HasSubstr("internal load balancer shop"));
  }
  {
    Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
    n.region().load_balancers[0].listeners.reset();
    const Account& a = n.done();
    const reach::Exposure ex = reach::compute_exposure(a, Config{});
    const Region& r = *a.region(kRegion);
    const reach::RuleReach rr = ex.rule_reach(r, *r.security_group("sg-alb"), r.security_group("sg-alb")->rules[0]);
    EXPECT_EQ(rr.verdict, reach::RuleReach::Verdict::kUnknown);
    EXPECT_THAT(rr.unknowns, ::testing::Contains(HasSubstr("the listeners of load balancer shop were not collected")));
  }
  {
    Net n = alb_in_front({ingress(tcp(8080), "sg-alb")});
    n.region().load_balancers.clear();
    const Account& a = n.done();
    const reach::Exposure ex = reach::compute_exposure(a, Config{});
    const Region& r = *a.region(kRegion);
    const reach::RuleReach rr = ex.rule_reach(r, *r.security_group("sg-alb"), r.security_group("sg-alb")->rules[0]);
    EXPECT_EQ(rr.verdict, reach::RuleReach::Verdict::kUnknown);
    EXPECT_THAT(rr.unknowns, ::testing::Contains(HasSubstr("that describe-load-balancers does not list")));
  }
}

}  // namespace
}  // namespace fortress::testing
