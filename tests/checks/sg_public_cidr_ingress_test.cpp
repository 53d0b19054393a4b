#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

using Case = GroupCase;

class PublicCidrTest : public ::testing::TestWithParam<Case> {};

TEST_P(PublicCidrTest, Evaluates) {
  const Case& c = GetParam();
  TestAccount t;
  t.prefix_list("pl-partners", std::vector<std::string>{"10.0.0.0/8", "8.8.4.0/24"});
  t.prefix_list("pl-office", std::vector<std::string>{"198.51.99.0/24"});
  t.prefix_list("pl-aws", std::nullopt, "IPv4", "AWS");
  t.prefix_list("pl-unknown", std::nullopt);
  t.group("sg-1", c.rules);
  Config config;
  config.trusted_cidrs = {cidr("198.51.99.0/24"), cidr("8.8.8.0/25")};
  const auto findings = run_check("sg-public-cidr-ingress", t.done(), config);
  const Finding& f = only_finding(findings, "sg-1");
  expect_verdict(f, c);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PublicCidrTest,
    ::testing::Values(
        Case{"public_range",
             {ingress(tcp(443), "8.8.8.0/24", "sgr-a")},
             FindingStatus::kFail,
             "tcp/443 from 8.8.8.0/24 (sgr-a)"},
        Case{"partly_trusted_is_not_trusted",
             {ingress(tcp(443), "8.8.8.0/24")},
             FindingStatus::kFail,
             "tcp/443 from 8.8.8.0/24"},
        Case{"inside_trusted", {ingress(tcp(22), "198.51.99.7/32")}, FindingStatus::kPass, "no ingress"},
        Case{"world_is_other_checks",
             {ingress(tcp(443), "0.0.0.0/0"), ingress(tcp(443), "::/0")},
             FindingStatus::kPass,
             "no ingress"},
        Case{"private", {ingress(all_traffic(), "10.0.0.0/8")}, FindingStatus::kPass, "no ingress"},
        Case{"documentation_range",
             {ingress(all_traffic(), "203.0.113.0/24")},
             FindingStatus::kPass,
             "no ingress"},
        Case{"cgnat", {ingress(all_traffic(), "100.64.0.0/10")}, FindingStatus::kPass, "no ingress"},
        Case{"block_spanning_private_and_public",
             {ingress(tcp(80), "10.0.0.0/7")},
             FindingStatus::kFail,
             "tcp/80 from 10.0.0.0/7"},
        Case{"ipv6_public",
             {ingress(tcp(443), "2600:1f18::/32")},
             FindingStatus::kFail,
             "tcp/443 from 2600:1f18::/32"},
        Case{"ipv6_unique_local", {ingress(tcp(443), "fd00::/8")}, FindingStatus::kPass, "no ingress"},
        Case{"egress_ignored", {egress(all_traffic(), "8.8.8.8/32")}, FindingStatus::kPass, "no ingress"},
        Case{"prefix_list_public_entry",
             {ingress(tcp(443), "pl-partners", "sgr-p")},
             FindingStatus::kFail,
             "tcp/443 from 8.8.4.0/24 via pl-partners (sgr-p)"},
        Case{"prefix_list_trusted_entries",
             {ingress(tcp(443), "pl-office")},
             FindingStatus::kPass,
             "no ingress"},
        Case{"aws_managed_prefix_list", {ingress(tcp(443), "pl-aws")}, FindingStatus::kPass, "no ingress"},
        Case{"prefix_list_unknown",
             {ingress(tcp(443), "pl-unknown")},
             FindingStatus::kNotAssessed,
             "entries of prefix list pl-unknown were not collected"},
        Case{"group_peer", {ingress(tcp(443), "sg-2")}, FindingStatus::kPass, "no ingress"}),
    [](const auto& info) { return info.param.name; });

TEST(PublicCidrIngress, NotAssessedWithoutGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing, "no file");
  const auto findings = run_check("sg-public-cidr-ingress", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
  EXPECT_THAT(findings[0].detail, HasSubstr("(no file)"));
}

}  // namespace
}  // namespace fortress::testing
