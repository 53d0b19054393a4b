#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flow_check_util.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(FlowEgressUnusualPort, FlagsInternetEgressOnUnusualPorts) {
  TestAccount t;
  t.group("sg-app", {egress(all_traffic(), "0.0.0.0/0", "sgr-out")});
  add_eni(t, "eni-bad", {"sg-app"}, "10.0.1.10");
  add_eni(t, "eni-good", {"sg-app"}, "10.0.1.11");
  add_eni(t, "eni-quiet", {"sg-app"}, "10.0.1.12");
  add_eni(t, "eni-unlogged", {"sg-app"}, "10.8.1.12", "", "vpc-8", "subnet-8");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const flows::RuleUsage u =
      usage_of(a, v2("eni-bad", "10.0.1.10", "45.9.9.9", 50000, 4444, 6, "ACCEPT", 100, 3 << 20) +
                      v2("eni-bad", "10.0.1.10", "93.184.216.34", 50001, 443) +
                      v2("eni-good", "10.0.1.11", "93.184.216.34", 50001, 443) +
                      v2("eni-good", "10.0.1.11", "10.0.2.2", 50001, 6379));  // private: not internet egress
  const auto findings = run_flow_check("flow-egress-unusual-port", a, &u);
  const Finding& bad = only_finding(findings, "eni-bad");
  EXPECT_EQ(bad.status, FindingStatus::kFail);
  EXPECT_EQ(bad.area, Area::kEgress);
  EXPECT_EQ(bad.detail, "3.0 MiB to the internet on unusual ports: tcp/4444 (3.0 MiB); top peers 45.9.9.9");
  EXPECT_EQ(bad.remediation_cli,
            "aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-app --security-group-rule-ids sgr-out");
  EXPECT_EQ(bad.evidence.get("unusual_peers")->as_array().at(0).get("peer")->as_string(), "45.9.9.9");
  EXPECT_EQ(only_finding(findings, "eni-good").status, FindingStatus::kPass);
  EXPECT_EQ(only_finding(findings, "eni-quiet").status, FindingStatus::kPass);
  const Finding& na = only_finding(findings, "flow-logs");
  EXPECT_EQ(na.status, FindingStatus::kNotAssessed);
  EXPECT_THAT(na.detail.view(), HasSubstr("1 in-use network interface(s) of us-east-1 were not observed"));
}

TEST(FlowEgressUnusualPort, UsualPortsAreConfigurable) {
  TestAccount t;
  t.group("sg-app", {egress(all_traffic(), "0.0.0.0/0", "sgr-out")});
  add_eni(t, "eni-a", {"sg-app"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  flows::AttributionOptions o;
  o.usual_egress_ports = {{uint8_t(proto::kTcp), 4444}};
  const flows::RuleUsage u = usage_of(a, v2("eni-a", "10.0.1.10", "45.9.9.9", 50000, 4444), "fl-1", o);
  const auto findings_1 = run_flow_check("flow-egress-unusual-port", a, &u);
  EXPECT_EQ(only_finding(findings_1, "eni-a").status, FindingStatus::kPass);
}

TEST(FlowEgressUnusualPort, WithoutFlowLogsNotAssessed) {
  TestAccount t;
  const auto findings = run_flow_check("flow-egress-unusual-port", t.done(), nullptr);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
}

}  // namespace
}  // namespace fortress::testing
