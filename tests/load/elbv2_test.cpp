// elbv2: load balancers, listeners per load balancer, target groups, target health per target group.
#include "services_fixture.h"

namespace fortress {
namespace {

using testing::ip;
using testing::utc;
using Level = LoadDiagnostic::Level;

constexpr std::string_view kWebLb =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-public/50dc6c495c0c9188";
constexpr std::string_view kSyslogLb =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/syslog-ingest/8a1b2c3d4e5f6a7b";
constexpr std::string_view kInternalLb =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/internal-api/6d0ecf831eec9f09";
constexpr std::string_view kWebTg = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/73e2d6bc24d8a067";
constexpr std::string_view kSyslogTg =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/syslog-tg/2b8e4d6f0a1c3e57";

class Elbv2 : public testing::AwsAccount {};

TEST_F(Elbv2, LoadBalancers) {
  ASSERT_EQ(us().load_balancers.size(), 3u);
  EXPECT_TRUE(us().has(Dataset::kLoadBalancers));
  const LoadBalancer* web = us().load_balancer(kWebLb);
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->name, "web-public");
  EXPECT_EQ(web->dns_name, "web-public-1432876590.us-east-1.elb.amazonaws.com");
  EXPECT_TRUE(web->internet_facing());
  EXPECT_EQ(web->type, "application");
  EXPECT_EQ(web->vpc_id, "vpc-0a3f5c7e9b1d24680");
  EXPECT_EQ(web->state, "active");
  EXPECT_EQ(web->ip_address_type, "ipv4");
  EXPECT_EQ(web->created_time, utc("2022-05-10T09:14:27Z"));
  ASSERT_EQ(web->zones.size(), 2u);
  EXPECT_EQ(web->zones[1].zone_name, "us-east-1b");
  EXPECT_EQ(web->zones[1].subnet_id, "subnet-0d5f7b9c1e3a52468");
  EXPECT_TRUE(web->zones[1].addresses.empty());
  EXPECT_EQ(web->security_group_ids, (std::vector<Symbol>{"sg-0b1d3f5a7c9e24680"}));
  EXPECT_EQ(file_of(web->source), "us-east-1/elbv2/describe-load-balancers.json");

  const LoadBalancer* internal = us().load_balancer(kInternalLb);
  ASSERT_NE(internal, nullptr);
  EXPECT_FALSE(internal->internet_facing());

  const LoadBalancer* nlb = us().load_balancer(kSyslogLb);
  ASSERT_NE(nlb, nullptr);
  EXPECT_EQ(nlb->type, "network");
  EXPECT_TRUE(nlb->security_group_ids.empty());
  ASSERT_EQ(nlb->zones[0].addresses.size(), 1u);
  EXPECT_EQ(nlb->zones[0].addresses[0].ip_address, ip("198.51.100.24"));
  EXPECT_EQ(nlb->zones[0].addresses[0].allocation_id, "eipalloc-0a9b8c7d6e5f40312");
  EXPECT_EQ(us().load_balancer("arn:aws:elasticloadbalancing:nope"), nullptr);
}

TEST_F(Elbv2, ListenersHangOffTheirLoadBalancer) {
  EXPECT_TRUE(us().has(Dataset::kListeners));
  const LoadBalancer* web = us().load_balancer(kWebLb);
  ASSERT_TRUE(web->listeners.has_value());
  ASSERT_EQ(web->listeners->size(), 3u);
  const Listener& redirect = (*web->listeners)[0];
  EXPECT_EQ(redirect.port, 80);
  EXPECT_EQ(redirect.protocol, "HTTP");
  ASSERT_EQ(redirect.default_actions.size(), 1u);
  EXPECT_EQ(redirect.default_actions[0].type, "redirect");
  EXPECT_FALSE(redirect.default_actions[0].forwards());
  EXPECT_TRUE(redirect.default_actions[0].target_groups.empty());

  const Listener& https = (*web->listeners)[1];
  EXPECT_EQ(https.port, 443);
  EXPECT_EQ(https.protocol, "HTTPS");
  EXPECT_EQ(https.ssl_policy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
  EXPECT_EQ(https.certificate_arns.size(), 1u);
  ASSERT_EQ(https.default_actions.size(), 1u);
  const ListenerAction& forward = https.default_actions[0];
  EXPECT_TRUE(forward.forwards());
  EXPECT_EQ(forward.order, 1);
  // TargetGroupArn and ForwardConfig.TargetGroups name the same group: listed once, with its weight.
  ASSERT_EQ(forward.target_groups.size(), 1u);
  EXPECT_EQ(forward.target_groups[0].arn, kWebTg);
  EXPECT_EQ(forward.target_groups[0].weight, 1);
  EXPECT_EQ(us().listener(https.arn), &https);
  EXPECT_EQ(https.load_balancer_arn, kWebLb);

  const LoadBalancer* nlb = us().load_balancer(kSyslogLb);
  ASSERT_TRUE(nlb->listeners.has_value());
  ASSERT_EQ(nlb->listeners->size(), 2u);
  EXPECT_EQ((*nlb->listeners)[1].protocol, "TLS");
  EXPECT_EQ((*nlb->listeners)[1].port, 6514);
}

TEST_F(Elbv2, TargetGroupsAndTheirTargets) {
  ASSERT_EQ(us().target_groups.size(), 3u);
  const TargetGroup* web = us().target_group(kWebTg);
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->name, "web-tg");
  EXPECT_EQ(web->protocol, "HTTP");
  EXPECT_EQ(web->port, 8080);
  EXPECT_EQ(web->target_type, "instance");
  EXPECT_EQ(web->health_check_port, "traffic-port");
  EXPECT_EQ(web->load_balancer_arns, (std::vector<Symbol>{Symbol(kWebLb)}));
  ASSERT_TRUE(web->targets.has_value());
  ASSERT_EQ(web->targets->size(), 3u);
  const TargetHealthDescription& bad = (*web->targets)[2];
  EXPECT_EQ(bad.target_id, "i-0f1e2d3c4b5a69783");
  EXPECT_EQ(bad.port, 8080);
  EXPECT_EQ(bad.state, "unhealthy");
  EXPECT_EQ(bad.reason, "Target.ResponseCodeMismatch");
  EXPECT_EQ(bad.description, "Health checks failed with these codes: [502]");

  const TargetGroup* syslog = us().target_group(kSyslogTg);
  ASSERT_TRUE(syslog->targets.has_value());
  EXPECT_EQ(syslog->target_type, "ip");
  EXPECT_EQ((*syslog->targets)[0].target_id, "10.0.30.41");
  EXPECT_EQ((*syslog->targets)[0].availability_zone, "us-east-1a");
  EXPECT_EQ((*syslog->targets)[1].state, "unused");

  // The indexes: load balancer -> target groups, target -> target groups.
  auto of_web = us().target_groups_of(kWebLb);
  ASSERT_EQ(of_web.size(), 1u);
  EXPECT_EQ(of_web[0], web);
  auto with = us().target_groups_with_target("i-0f1e2d3c4b5a69781");
  ASSERT_EQ(with.size(), 1u);
  EXPECT_EQ(with[0], web);
  EXPECT_TRUE(us().target_groups_with_target("i-nope").empty());
}

// ---- edge cases, in memory ----------------------------------------------------------------------

constexpr std::string_view kTg = "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/1";
const std::string kTgFile = "arn%3Aaws%3Aelasticloadbalancing%3Aeu-west-1%3A1%3Atargetgroup%2Fa%2F1";

std::string target_groups_json() {
  return R"({"TargetGroups": [{"TargetGroupArn": ")" + std::string(kTg) +
         R"(", "TargetGroupName": "a", "Port": 80, "Protocol": "TCP", "TargetType": "instance"},
                              {"TargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/b/2"}]})";
}

TEST(Elbv2Edge, ATargetGroupWithoutHealthFileHasNoTargetsNotAnEmptyList) {
  LoadResult r = testing::load_files({
      {"eu-west-1/elbv2/describe-target-groups.json", target_groups_json()},
      {"eu-west-1/elbv2/describe-target-health/" + kTgFile + ".json",
       R"({"TargetHealthDescriptions": []})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  const TargetGroup* a = eu.target_group(kTg);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->targets.has_value());  // collected: no targets
  EXPECT_TRUE(a->targets->empty());
  const TargetGroup* b = eu.target_group("arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/b/2");
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(b->targets.has_value());  // not collected
  EXPECT_TRUE(eu.has(Dataset::kTargetHealth));
}

TEST(Elbv2Edge, AFanOutWithNoParentIsCollectedEmptyNotMissing) {
  // A region without load balancers or target groups: the export makes no describe-listeners or
  // describe-target-health call and writes no file; nothing is missing.
  LoadResult r = testing::load_files({
      {"eu-west-1/elbv2/describe-load-balancers.json", R"({"LoadBalancers": []})"},
      {"eu-west-1/elbv2/describe-target-groups.json", R"({"TargetGroups": []})"},
      {"eu-west-1/cloudwatch/describe-alarms.json",
       R"({"MetricAlarms": [{"AlarmName": "a", "AlarmArn": "arn:aws:cloudwatch:eu-west-1:1:alarm:a",
            "AlarmActions": ["arn:aws:autoscaling:eu-west-1:1:scalingPolicy:x"]}]})"},
      // Parents listed but no child file: still missing.
      {"us-east-1/elbv2/describe-target-groups.json", target_groups_json()},
      {"us-east-1/cloudwatch/describe-alarms.json",
       R"({"MetricAlarms": [{"AlarmName": "a", "AlarmArn": "arn:aws:cloudwatch:us-east-1:1:alarm:a",
            "AlarmActions": ["arn:aws:sns:us-east-1:1:alerts"]}]})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  EXPECT_TRUE(eu.has(Dataset::kListeners));
  EXPECT_TRUE(eu.has(Dataset::kTargetHealth));
  EXPECT_TRUE(eu.has(Dataset::kSnsSubscriptions));  // the only action is not an SNS topic
  EXPECT_EQ(eu.covered(Dataset::kListeners).detail, "nothing to collect: no load balancer in elbv2/describe-load-balancers");
  // Parents never collected: the children stay missing.
  EXPECT_EQ(eu.covered(Dataset::kTrailStatus).status, CoverageStatus::kMissing);
  EXPECT_EQ(eu.covered(Dataset::kGuardDutyDetector).status, CoverageStatus::kMissing);
  const Region& us = *r.account.region("us-east-1");
  EXPECT_EQ(us.covered(Dataset::kTargetHealth).status, CoverageStatus::kMissing);
  EXPECT_EQ(us.covered(Dataset::kSnsSubscriptions).status, CoverageStatus::kMissing);
  EXPECT_EQ(us.covered(Dataset::kListeners).status, CoverageStatus::kMissing);  // no load-balancer file at all
}

TEST(Elbv2Edge, AFailedHealthCallIsAPerResourceGap) {
  LoadResult r = testing::load_files({
      {"eu-west-1/elbv2/describe-target-groups.json", target_groups_json()},
      {"eu-west-1/elbv2/describe-target-health/" + kTgFile + ".error.json",
       R"({"FortressCollectionError": {"Service": "elbv2", "Command": "describe-target-health",
            "Region": "eu-west-1", "ErrorCode": "AccessDenied", "Message": "not allowed"}})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  EXPECT_TRUE(eu.has(Dataset::kTargetGroups));  // the parent is fine
  const Coverage& health = eu.covered(Dataset::kTargetHealth);
  EXPECT_EQ(health.status, CoverageStatus::kError);
  EXPECT_NE(health.detail.find(std::string(kTg) + ": AccessDenied"), std::string::npos) << health.detail;
  EXPECT_FALSE(eu.target_group(kTg)->targets.has_value());
  const FanOutFailure* gap = eu.fan_out_failure(Dataset::kTargetHealth, kTg);
  ASSERT_NE(gap, nullptr);
  EXPECT_NE(gap->detail.find("not allowed"), std::string::npos);
  EXPECT_EQ(eu.fan_out_failure(Dataset::kTargetHealth, "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/b/2"),
            nullptr);
}

TEST(Elbv2Edge, AHealthFileWithAnUndecodableNameIsWarnedAndIgnored) {
  LoadResult r = testing::load_files({
      {"eu-west-1/elbv2/describe-target-groups.json", target_groups_json()},
      {"eu-west-1/elbv2/describe-target-health/arn%3Aaws%ZZbad.json",
       R"({"TargetHealthDescriptions": [{"Target": {"Id": "i-1"}, "TargetHealth": {"State": "healthy"}}]})"},
      {"eu-west-1/elbv2/describe-target-health/not-an-arn.json", R"({"TargetHealthDescriptions": []})"},
  });
  const LoadDiagnostic* d =
      testing::find_diagnostic(r, Level::kWarning, "elbv2/describe-target-health for an unknown parent");
  ASSERT_NE(d, nullptr) << testing::all_diagnostics(r);
  EXPECT_NE(d->file.find("arn%3Aaws%ZZbad.json"), std::string::npos);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "\"not-an-arn\" is not a percent-encoded target group ARN"),
            nullptr);
  const Region& eu = *r.account.region("eu-west-1");
  EXPECT_FALSE(eu.target_group(kTg)->targets.has_value());
  EXPECT_TRUE(eu.target_groups_with_target("i-1").empty());
}

TEST(Elbv2Edge, WrongTypesSkipTheElementAndTheRestLoads) {
  LoadResult r = testing::load_files({
      {"eu-west-1/elbv2/describe-load-balancers.json",
       R"({"LoadBalancers": [
            {"LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/1", "Scheme": 7},
            {"LoadBalancerName": "no-arn"},
            {"LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/y/2",
             "Scheme": "internal", "SecurityGroups": "sg-1"},
            {"LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/z/3",
             "Scheme": "internet-facing", "AvailabilityZones": [{"SubnetId": "subnet-1",
               "LoadBalancerAddresses": [{"IpAddress": "not-an-ip"}]}]},
            {"LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/ok/4",
             "Scheme": "internet-facing", "CreatedTime": "2024-01-02T03:04:05.678Z"}]})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  ASSERT_EQ(eu.load_balancers.size(), 1u) << testing::all_diagnostics(r);
  EXPECT_EQ(eu.load_balancers[0].created_time, utc("2024-01-02T03:04:05Z"));
  EXPECT_EQ(eu.covered(Dataset::kLoadBalancers).status, CoverageStatus::kError);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "Scheme: expected a string, found a number"), nullptr);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "missing LoadBalancerArn"), nullptr);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "SecurityGroups: expected a list, found a string"), nullptr);
  const LoadDiagnostic* ipd = testing::find_diagnostic(r, Level::kWarning, "invalid IP address \"not-an-ip\"");
  ASSERT_NE(ipd, nullptr);
  EXPECT_EQ(ipd->line, 6u);  // the skipped element's first line
}

TEST(Elbv2Edge, ListenersWithoutTheirLoadBalancerAndAnEmptyListenersFile) {
  const std::string lb = "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/1";
  LoadResult r = testing::load_files({
      {"eu-west-1/elbv2/describe-load-balancers.json",
       R"({"LoadBalancers": [{"LoadBalancerArn": ")" + lb + R"("}]})"},
      {"eu-west-1/elbv2/describe-listeners/arn%3Aaws%3Aelasticloadbalancing%3Aeu-west-1%3A1%3Aloadbalancer%2Fapp%2Fx%2F1.json",
       R"({"Listeners": []})"},
      {"eu-west-1/elbv2/describe-listeners/other.json",
       R"({"Listeners": [{"ListenerArn": "arn:l", "LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/gone/9",
            "Port": 22, "DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"Weight": 1}]}}]}]})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  const LoadBalancer* x = eu.load_balancer(lb);
  ASSERT_TRUE(x->listeners.has_value());
  EXPECT_TRUE(x->listeners->empty());
  // The other file's only listener had a bad action (a target group entry without an ARN): skipped.
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "ForwardConfig.TargetGroups: an entry without TargetGroupArn"),
            nullptr);
}

}  // namespace
}  // namespace fortress
