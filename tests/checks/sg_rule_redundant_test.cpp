#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flow_check_util.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(SgRuleRedundant, SharedHitsFailExclusiveHitsPass) {
  TestAccount t;
  t.group("sg-db", {ingress(tcp(5432), "10.0.1.0/24", "sgr-narrow"), ingress(tcp(5432), "10.0.0.0/16", "sgr-wide")});
  t.group("sg-extra", {ingress(tcp(5432), "10.0.1.10/32", "sgr-host")});
  add_eni(t, "eni-db", {"sg-db", "sg-extra"}, "10.0.2.20");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const flows::RuleUsage u = usage_of(a, v2("eni-db", "10.0.1.10", "10.0.2.20", 50000, 5432) +
                                             v2("eni-db", "10.0.1.11", "10.0.2.20", 50000, 5432) +
                                             v2("eni-db", "10.0.3.3", "10.0.2.20", 50000, 5432));
  const auto findings = run_flow_check("sg-rule-redundant", a, &u);
  EXPECT_EQ(only_finding(findings, "sgr-wide").status, FindingStatus::kPass) << "10.0.3.3 only it admits";
  const Finding& narrow = only_finding(findings, "sgr-narrow");
  EXPECT_EQ(narrow.status, FindingStatus::kFail);
  EXPECT_THAT(narrow.detail.view(), HasSubstr("all 2 flow(s) it admitted over 1m"));
  EXPECT_THAT(narrow.detail.view(), HasSubstr("tcp/5432 from 10.0.0.0/16 (sgr-wide)"));
  EXPECT_THAT(narrow.remediation_cli, HasSubstr("--security-group-rule-ids sgr-narrow"));
  const Finding& host = only_finding(findings, "sgr-host");
  EXPECT_EQ(host.status, FindingStatus::kFail) << "another group's rules count too";
  EXPECT_EQ(host.region, "us-east-1");
}

TEST(SgRuleRedundant, OfRulesSharingEverythingTheBroadestIsReported) {
  TestAccount t;
  t.group("sg-admin", {ingress(tcp(22), "84.17.32.0/27", "sgr-office"), ingress(tcp(22), "pl-admin", "sgr-pl"),
                       ingress(tcp(5432), "sg-app", "sgr-app"), ingress(tcp(5432), "0.0.0.0/0", "sgr-any")});
  t.prefix_list("pl-admin", std::vector<std::string>{"84.17.32.0/27", "10.200.0.0/16"});
  t.group("sg-app", {});
  add_eni(t, "eni-admin", {"sg-admin"}, "10.0.2.20");
  add_eni(t, "eni-app", {"sg-app"}, "10.0.3.30");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const flows::RuleUsage u = usage_of(a, v2("eni-admin", "84.17.32.5", "10.0.2.20", 50000, 22) +
                                             v2("eni-admin", "10.0.3.30", "10.0.2.20", 50000, 5432));
  const auto findings = run_flow_check("sg-rule-redundant", a, &u);
  // The office rule and the prefix list admit the same flow: the list admits more and is reported.
  EXPECT_EQ(only_finding(findings, "sgr-pl").status, FindingStatus::kFail);
  EXPECT_EQ(only_finding(findings, "sgr-office").status, FindingStatus::kPass);
  EXPECT_THAT(only_finding(findings, "sgr-office").detail.view(), HasSubstr("(sgr-pl), which admits more"));
  EXPECT_EQ(only_finding(findings, "sgr-any").status, FindingStatus::kFail);
  EXPECT_EQ(only_finding(findings, "sgr-app").status, FindingStatus::kPass);
  // With a flow of its own (the VPN pool), the prefix list stays and the office rule is redundant.
  const flows::RuleUsage u2 = usage_of(a, v2("eni-admin", "84.17.32.5", "10.0.2.20", 50000, 22) +
                                              v2("eni-admin", "10.200.1.1", "10.0.2.20", 50000, 22));
  const auto f2 = run_flow_check("sg-rule-redundant", a, &u2);
  EXPECT_EQ(only_finding(f2, "sgr-pl").status, FindingStatus::kPass);
  EXPECT_EQ(only_finding(f2, "sgr-office").status, FindingStatus::kFail);
}

TEST(SgRuleRedundant, NotAssessedWhenOtherInterfacesWereNotObserved) {
  TestAccount t;
  t.group("sg-db", {ingress(tcp(5432), "10.0.1.0/24", "sgr-narrow"), ingress(tcp(5432), "10.0.0.0/16", "sgr-wide")});
  add_eni(t, "eni-db", {"sg-db"}, "10.0.2.20");
  add_eni(t, "eni-db2", {"sg-db"}, "10.7.2.20", "", "vpc-7", "subnet-7");
  t.flow_log("fl-1", "vpc-1");
  const Account& a = t.done();
  const flows::RuleUsage u = usage_of(a, v2("eni-db", "10.0.1.10", "10.0.2.20", 50000, 5432));
  const auto findings_1 = run_flow_check("sg-rule-redundant", a, &u);
  const Finding& f = only_finding(findings_1, "sgr-narrow");
  EXPECT_EQ(f.status, FindingStatus::kNotAssessed);
  EXPECT_THAT(f.detail.view(), HasSubstr("eni-db2"));
}

TEST(SgRuleRedundant, WithoutFlowLogsNotAssessed) {
  TestAccount t;
  const auto findings = run_flow_check("sg-rule-redundant", t.done(), nullptr);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
}

}  // namespace
}  // namespace fortress::testing
