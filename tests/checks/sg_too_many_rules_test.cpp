#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

std::vector<SecurityGroupRule> rules(size_t inbound, size_t outbound) {
  std::vector<SecurityGroupRule> out;
  for (size_t i = 0; i < inbound; ++i) out.push_back(ingress(tcp(uint16_t(1000 + i)), "10.0.0.0/8"));
  for (size_t i = 0; i < outbound; ++i) out.push_back(egress(tcp(uint16_t(2000 + i)), "10.0.0.0/8"));
  return out;
}

struct Case {
  std::string name;
  size_t inbound;
  size_t outbound;
  uint32_t limit;
  FindingStatus expected;
  std::string detail;
};

class TooManyRulesTest : public ::testing::TestWithParam<Case> {};

TEST_P(TooManyRulesTest, Evaluates) {
  const Case& c = GetParam();
  TestAccount t;
  t.group("sg-1", rules(c.inbound, c.outbound));
  Config config;
  config.max_rules_per_group = c.limit;
  const auto findings = run_check("sg-too-many-rules", t.done(), config);
  const Finding& f = only_finding(findings, "sg-1");
  EXPECT_EQ(status_name(f.status), status_name(c.expected));
  EXPECT_EQ(f.detail, c.detail);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TooManyRulesTest,
    ::testing::Values(Case{"at_limit", 30, 20, 50, FindingStatus::kPass,
                           "50 rules (30 inbound, 20 outbound), within the limit of 50"},
                      Case{"over_limit", 30, 21, 50, FindingStatus::kFail,
                           "51 rules (30 inbound, 21 outbound), more than the limit of 50"},
                      Case{"custom_limit", 3, 0, 2, FindingStatus::kFail,
                           "3 rules (3 inbound, 0 outbound), more than the limit of 2"},
                      Case{"empty", 0, 0, 50, FindingStatus::kPass,
                           "0 rules (0 inbound, 0 outbound), within the limit of 50"}),
    [](const auto& info) { return info.param.name; });

TEST(TooManyRules, FailPointsAtTheRuleListing) {
  TestAccount t;
  t.group("sg-1", rules(60, 0));
  const auto findings = run_check("sg-too-many-rules", t.done());
  const Finding& f = only_finding(findings, "sg-1");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 describe-security-group-rules --region us-east-1 --filters Name=group-id,Values=sg-1");
  EXPECT_EQ(f.evidence.get("rule_count")->as_int(), 60);
  EXPECT_EQ(f.evidence.get("limit")->as_int(), 50);
}

TEST(TooManyRules, NotAssessedWithoutGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing);
  const auto findings = run_check("sg-too-many-rules", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
}

}  // namespace
}  // namespace fortress::testing
