#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

Config sensitive(std::vector<PortRange> ports) {
  Config c;
  c.sensitive_ports = std::move(ports);
  return c;
}

using Case = GroupCase;

class SensitivePortTest : public ::testing::TestWithParam<Case> {};

TEST_P(SensitivePortTest, Evaluates) {
  const Case& c = GetParam();
  TestAccount t;
  t.prefix_list("pl-unknown", std::nullopt);
  t.group("sg-1", c.rules);
  const Config config = sensitive({PortRange::single(3306), PortRange::single(6379), PortRange{137, 139}});
  const auto findings = run_check("sg-sensitive-port-open", t.done(), config);
  const Finding& f = only_finding(findings, "sg-1");
  expect_verdict(f, c);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SensitivePortTest,
    ::testing::Values(
        Case{"mysql_world",
             {ingress(tcp(3306), "0.0.0.0/0", "sgr-a")},
             FindingStatus::kFail,
             "tcp/3306 from 0.0.0.0/0 (sgr-a)"},
        Case{"udp_counts", {ingress(udp(137, 139), "::/0")}, FindingStatus::kFail, "udp/137-139 from ::/0"},
        Case{"range_clipped",
             {ingress(tcp(138, 200), "0.0.0.0/0")},
             FindingStatus::kFail,
             "tcp/138-139 from 0.0.0.0/0 (rule tcp/138-200)"},
        Case{"wide_range_lists_each",
             {ingress(tcp(0, 65535), "0.0.0.0/0", "sgr-w")},
             FindingStatus::kFail,
             "tcp/3306, tcp/6379, tcp/137-139 from 0.0.0.0/0 (sgr-w, rule tcp/all)"},
        Case{"all_protocols",
             {ingress(all_traffic(), "::/0", "sgr-x")},
             FindingStatus::kFail,
             "tcp+udp/3306, tcp+udp/6379, tcp+udp/137-139 from ::/0 (sgr-x, rule all traffic)"},
        Case{"one_finding_many_rules",
             {ingress(tcp(3306), "0.0.0.0/0", "sgr-1"), ingress(tcp(6379), "::/0", "sgr-2"),
              ingress(tcp(443), "0.0.0.0/0", "sgr-3")},
             FindingStatus::kFail,
             "tcp/3306 from 0.0.0.0/0 (sgr-1); tcp/6379 from ::/0 (sgr-2)"},
        Case{"private_source", {ingress(tcp(3306), "10.0.0.0/8")}, FindingStatus::kPass, "no sensitive port"},
        Case{
            "public_but_not_world", {ingress(tcp(3306), "8.8.8.8/32")}, FindingStatus::kPass, "no sensitive"},
        Case{"other_port", {ingress(tcp(443), "0.0.0.0/0")}, FindingStatus::kPass, "no sensitive"},
        Case{"prefix_list_unknown",
             {ingress(tcp(3306), "pl-unknown")},
             FindingStatus::kNotAssessed,
             "pl-unknown"}),
    [](const auto& info) { return info.param.name; });

TEST(SensitivePortOpen, EvidenceListsEveryExposedPortAndRule) {
  TestAccount t;
  t.group("sg-1", {ingress(tcp(3306), "0.0.0.0/0", "sgr-1"), ingress(udp(6379), "0.0.0.0/0", "sgr-2")});
  t.eni("eni-1", {"sg-1"});
  const Config config = sensitive({PortRange::single(3306), PortRange::single(6379)});
  const auto findings = run_check("sg-sensitive-port-open", t.done(), config);
  const Finding& f = only_finding(findings, "sg-1");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.evidence.get("exposed_ports")->dump(), R"(["tcp/3306","udp/6379"])");
  EXPECT_EQ(f.evidence.get("rules")->as_array()[1].get("exposes")->dump(), R"(["udp/6379"])");
  EXPECT_EQ(f.evidence.get("attached_enis")->as_int(), 1);
  EXPECT_EQ(
      f.remediation_cli,
      "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --security-group-rule-ids "
      "sgr-1 sgr-2");
  EXPECT_EQ(f.severity, Severity::kHigh);
}

TEST(SensitivePortOpen, DefaultConfigCoversDatabases) {
  TestAccount t;
  t.group("sg-1", {ingress(tcp(5432), "0.0.0.0/0")});
  const auto findings = run_check("sg-sensitive-port-open", t.done());
  EXPECT_EQ(only_finding(findings, "sg-1").status, FindingStatus::kFail);
}

TEST(SensitivePortOpen, NotAssessedWithoutGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing);
  const auto findings = run_check("sg-sensitive-port-open", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
}

}  // namespace
}  // namespace fortress::testing
