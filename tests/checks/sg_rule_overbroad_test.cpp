#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flow_check_util.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(SgRuleOverbroad, SshFromTheInternetServingOnePartnerRange) {
  TestAccount t;
  t.group("sg-bastion", {ingress(tcp(22), "0.0.0.0/0", "sgr-ssh", "vendor access")});
  add_eni(t, "eni-b", {"sg-bastion"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  std::string lines;
  for (int i = 1; i <= 12; ++i) lines += v2("eni-b", fmt::format("203.0.113.{}", i * 20), "10.0.1.10", 50000 + i, 22);
  const flows::RuleUsage u = usage_of(a, lines);
  const auto findings_1 = run_flow_check("sg-rule-overbroad", a, &u);
  const Finding& f = only_finding(findings_1, "sgr-ssh");
  EXPECT_EQ(f.status, FindingStatus::kFail);
  EXPECT_THAT(f.detail.view(), HasSubstr("served only 12 peer(s) on 1 port(s)"));
  EXPECT_THAT(f.detail.view(), HasSubstr("tighter: tcp/22 from 203.0.113.0/24"));
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-bastion --ip-permissions "
            "'[{\"IpProtocol\":\"tcp\",\"FromPort\":22,\"ToPort\":22,\"IpRanges\":[{\"CidrIp\":\"203.0.113.0/24\","
            "\"Description\":\"vendor access\"}]}]' && aws ec2 revoke-security-group-ingress --region us-east-1 "
            "--group-id sg-bastion --security-group-rule-ids sgr-ssh");
  EXPECT_EQ(f.evidence.get("proposed")->as_array().at(0).as_string(), "tcp/22 from 203.0.113.0/24");
}

TEST(SgRuleOverbroad, PortRangesAndAllTrafficNarrowToThePortsUsed) {
  TestAccount t;
  t.group("sg-app", {ingress(tcp(0, 65535), "10.0.0.0/16", "sgr-alltcp"), ingress(all_traffic(), "10.1.0.0/16", "sgr-all")});
  add_eni(t, "eni-app", {"sg-app"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  std::string lines;
  for (int i = 0; i < 40; ++i) lines += v2("eni-app", fmt::format("10.0.{}.{}", i * 6, i + 1), "10.0.1.10", 50000, 5432);
  for (int i = 0; i < 40; ++i) lines += v2("eni-app", fmt::format("10.1.{}.{}", i * 6, i + 1), "10.0.1.10", 50000, 8080);
  const flows::RuleUsage u = usage_of(a, lines);
  const auto findings = run_flow_check("sg-rule-overbroad", a, &u);
  const Finding& alltcp = only_finding(findings, "sgr-alltcp");
  EXPECT_EQ(alltcp.status, FindingStatus::kFail);
  EXPECT_THAT(alltcp.detail.view(), HasSubstr("tighter: tcp/5432 from 10.0.0.0/16"));
  const Finding& all = only_finding(findings, "sgr-all");
  EXPECT_THAT(all.detail.view(), HasSubstr("tighter: tcp/8080 from 10.1.0.0/16"));
}

TEST(SgRuleOverbroad, PublicWebPortsAndWidelyUsedRulesPass) {
  TestAccount t;
  t.group("sg-web", {ingress(tcp(443), "0.0.0.0/0", "sgr-https"), ingress(tcp(22), "10.0.0.0/8", "sgr-ssh")});
  add_eni(t, "eni-web", {"sg-web"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  std::string lines = v2("eni-web", "198.51.100.7", "10.0.1.10", 50000, 443);
  for (int i = 0; i < 20; ++i) lines += v2("eni-web", fmt::format("10.{}.0.1", i * 12), "10.0.1.10", 50000, 22);
  const flows::RuleUsage u = usage_of(a, lines);
  const auto findings = run_flow_check("sg-rule-overbroad", a, &u);
  EXPECT_EQ(only_finding(findings, "sgr-https").status, FindingStatus::kPass);
  EXPECT_THAT(only_finding(findings, "sgr-https").detail.view(), HasSubstr("public by design"));
  EXPECT_EQ(only_finding(findings, "sgr-ssh").status, FindingStatus::kPass) << "peers across 20 /16s";
}

TEST(SgRuleOverbroad, WithoutFlowLogsNotAssessed) {
  TestAccount t;
  const auto findings = run_flow_check("sg-rule-overbroad", t.done(), nullptr);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
}

}  // namespace
}  // namespace fortress::testing
