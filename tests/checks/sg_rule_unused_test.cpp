#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flow_check_util.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TestAccount account() {
  TestAccount t;
  t.group("sg-web", {ingress(tcp(443), "0.0.0.0/0", "sgr-https"), ingress(tcp(22), "10.0.0.0/8", "sgr-ssh"),
                     ingress(tcp(8443), "pl-unknown", "sgr-pl")});
  t.prefix_list("pl-unknown", std::nullopt);
  t.group("sg-idle", {ingress(tcp(80), "0.0.0.0/0", "sgr-idle")});
  add_eni(t, "eni-web", {"sg-web"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  return t;
}

TEST(SgRuleUnused, FailsUnusedRulesOverAFullyObservedWindow) {
  TestAccount t = account();
  const Account& a = t.done();
  const flows::RuleUsage u = usage_of(a, v2("eni-web", "198.51.100.7", "10.0.1.10", 50000, 443) + nodata("eni-web"));
  const auto findings = run_flow_check("sg-rule-unused", a, &u);
  const Finding& used = only_finding(findings, "sgr-https");
  EXPECT_EQ(used.status, FindingStatus::kPass);
  EXPECT_THAT(used.detail.view(), HasSubstr("used: 1 flow(s) from 1 peer(s)"));
  const Finding& ssh = only_finding(findings, "sgr-ssh");
  EXPECT_EQ(ssh.status, FindingStatus::kFail);
  EXPECT_EQ(ssh.detail,
            "tcp/22 from 10.0.0.0/8 (sgr-ssh): no connection used it over the observed window of 1d "
            "(2025-12-01T00:00:00Z to 2025-12-02T00:00:00Z), on all 1 interface(s) of the group");
  EXPECT_EQ(ssh.remediation_cli,
            "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-web --security-group-rule-ids sgr-ssh");
  EXPECT_EQ(ssh.resource_type, "AWS::EC2::SecurityGroupIngress");
  EXPECT_EQ(ssh.evidence.get("usage")->get("flows")->as_int(), 0);
  EXPECT_EQ(ssh.evidence.get("window")->get("seconds")->as_int(), 86400);
  EXPECT_EQ(ssh.evidence.get("rule")->get("peer")->as_string(), "10.0.0.0/8");
  // Prefix list entries unknown: never called unused.
  EXPECT_EQ(only_finding(findings, "sgr-pl").status, FindingStatus::kNotAssessed);
  EXPECT_THAT(only_finding(findings, "sgr-pl").detail.view(), HasSubstr("were not collected"));
  // A group on no interface: its rules are not judged.
  EXPECT_EQ(only_finding(findings, "sgr-idle").status, FindingStatus::kNotAssessed);
  EXPECT_THAT(only_finding(findings, "sgr-idle").detail.view(), HasSubstr("sg-unused reports"));
}

TEST(SgRuleUnused, NeverUnusedWhenTrafficWasNotObserved) {
  TestAccount t = account();
  add_eni(t, "eni-unlogged", {"sg-web"}, "10.9.0.1", "", "vpc-9", "subnet-9");
  const Account& a = t.done();
  const flows::RuleUsage u = usage_of(a, nodata("eni-web"));
  const auto findings = run_flow_check("sg-rule-unused", a, &u);
  EXPECT_EQ(count_status(findings, FindingStatus::kFail), 0u);
  EXPECT_THAT(only_finding(findings, "sgr-ssh").detail.view(),
              HasSubstr("the traffic of 1 of its 2 in-use network interface(s) was not observed: eni-unlogged: no "
                        "active flow log"));
}

TEST(SgRuleUnused, SkipDataAndShortWindowsAreNotAssessed) {
  TestAccount t = account();
  const Account& a = t.done();
  const flows::RuleUsage skip = usage_of(
      a, nodata("eni-web") + fmt::format("2 111122223333 eni-web - - - - - - - {} {} - SKIPDATA\n", kT0, kT0 + 60));
  const auto findings_4 = run_flow_check("sg-rule-unused", a, &skip);
  EXPECT_THAT(only_finding(findings_4, "sgr-ssh").detail.view(), HasSubstr("SKIPDATA"));
  flows::AttributionOptions week;
  week.min_window_seconds = 7 * 86400;
  const flows::RuleUsage short_window = usage_of(a, nodata("eni-web"), "fl-1", week);
  const auto findings_1 = run_flow_check("sg-rule-unused", a, &short_window);
  const Finding& f = only_finding(findings_1, "sgr-ssh");
  EXPECT_EQ(f.status, FindingStatus::kNotAssessed);
  EXPECT_THAT(f.detail.view(), HasSubstr("shorter than --min-window 7d"));
}

TEST(SgRuleUnused, UndeterminedTrafficKeepsARuleFromBeingUnused) {
  TestAccount t;
  // Both ports ephemeral, no tcp-flags, and a rule each way could admit it: the initiator is undetermined.
  t.group("sg-x", {ingress(tcp(40000, 40100), "10.0.0.0/8", "sgr-range"), egress(tcp(40000, 40100), "10.0.0.0/8", "sgr-out")});
  add_eni(t, "eni-x", {"sg-x"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const flows::RuleUsage u = usage_of(a, v2("eni-x", "10.9.9.9", "10.0.1.10", 40050, 40060));
  const auto findings_2 = run_flow_check("sg-rule-unused", a, &u);
  const Finding& f = only_finding(findings_2, "sgr-range");
  EXPECT_EQ(f.status, FindingStatus::kNotAssessed);
  EXPECT_THAT(f.detail.view(), HasSubstr("could not be settled"));
}

TEST(SgRuleUnused, WithoutFlowLogsOneNotAssessedPerRegion) {
  TestAccount t = account();
  t.covered_region("eu-west-1");
  const Account& a = t.done();
  const auto findings = run_flow_check("sg-rule-unused", a, nullptr);
  ASSERT_EQ(findings.size(), 2u);
  for (const Finding& f : findings) {
    EXPECT_EQ(f.status, FindingStatus::kNotAssessed);
    EXPECT_EQ(f.resource_id, "flow-logs");
    EXPECT_THAT(f.detail.view(), HasSubstr("no flow logs were given"));
  }
}

TEST(SgRuleUnused, RulesWithoutIdsAreNamedByTheirContent) {
  TestAccount t;
  t.group("sg-web", {ingress(tcp(22), "10.0.0.0/8")});
  add_eni(t, "eni-web", {"sg-web"}, "10.0.1.10");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const flows::RuleUsage u = usage_of(a, nodata("eni-web"));
  const auto findings_3 = run_flow_check("sg-rule-unused", a, &u);
  const Finding& f = only_finding(findings_3, "sg-web:ingress:tcp/22:10.0.0.0/8");
  EXPECT_EQ(f.status, FindingStatus::kFail);
  EXPECT_TRUE(f.evidence.get("rule_id_note").has_value());
  EXPECT_THAT(f.remediation_cli, HasSubstr("--ip-permissions"));
}

}  // namespace
}  // namespace fortress::testing
