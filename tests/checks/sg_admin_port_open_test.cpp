#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

struct AdminCase {
  std::string name;
  std::string check;
  std::vector<SecurityGroupRule> rules;
  FindingStatus expected;
  std::string detail_part;  // substring of the detail
};

class AdminPortTest : public ::testing::TestWithParam<AdminCase> {};

TEST_P(AdminPortTest, Evaluates) {
  const AdminCase& c = GetParam();
  TestAccount t;
  t.prefix_list("pl-open4", std::vector<std::string>{"10.0.0.0/8", "0.0.0.0/0"});
  t.prefix_list("pl-open6", std::vector<std::string>{"::/0"}, "IPv6");
  t.prefix_list("pl-office", std::vector<std::string>{"198.51.99.0/24"});
  t.prefix_list("pl-unknown", std::nullopt);
  t.prefix_list("pl-unknown6", std::nullopt, "IPv6");
  t.group("sg-1", c.rules);
  const auto findings = run_check(c.check, t.done());
  const Finding& f = only_finding(findings, "sg-1");
  EXPECT_EQ(status_name(f.status), status_name(c.expected)) << f.detail;
  EXPECT_THAT(f.detail, HasSubstr(c.detail_part));
  EXPECT_EQ(findings.size(), 1u);
}

const std::string k4 = "sg-admin-port-open-ipv4";
const std::string k6 = "sg-admin-port-open-ipv6";
constexpr auto kF = FindingStatus::kFail;
constexpr auto kP = FindingStatus::kPass;
constexpr auto kN = FindingStatus::kNotAssessed;

INSTANTIATE_TEST_SUITE_P(
    Cases, AdminPortTest,
    ::testing::Values(
        AdminCase{
            "ssh_world", k4, {ingress(tcp(22), "0.0.0.0/0", "sgr-a")}, kF, "tcp/22 from 0.0.0.0/0 (sgr-a)"},
        AdminCase{"rdp_world", k4, {ingress(tcp(3389), "0.0.0.0/0")}, kF, "tcp/3389 from 0.0.0.0/0"},
        AdminCase{"all_protocols",
                  k4,
                  {ingress(all_traffic(), "0.0.0.0/0", "sgr-a")},
                  kF,
                  "tcp/22, tcp/3389 from 0.0.0.0/0 (sgr-a, rule all traffic)"},
        AdminCase{"range_0_1024",
                  k4,
                  {ingress(tcp(0, 1024), "0.0.0.0/0")},
                  kF,
                  "tcp/22 from 0.0.0.0/0 (rule tcp/0-1024)"},
        AdminCase{"range_21_23", k4, {ingress(tcp(21, 23), "0.0.0.0/0")}, kF, "tcp/22 from 0.0.0.0/0"},
        AdminCase{"range_23_3388_misses", k4, {ingress(tcp(23, 3388), "0.0.0.0/0")}, kP, "no ingress rule"},
        AdminCase{"udp_22_is_not_ssh", k4, {ingress(udp(22), "0.0.0.0/0")}, kP, "no ingress rule"},
        AdminCase{"private_source", k4, {ingress(tcp(22), "10.0.0.0/8")}, kP, "from 0.0.0.0/0"},
        AdminCase{"ipv6_world_not_ipv4", k4, {ingress(tcp(22), "::/0")}, kP, "no ingress"},
        AdminCase{"ipv6_world", k6, {ingress(tcp(22), "::/0", "sgr-6")}, kF, "tcp/22 from ::/0 (sgr-6)"},
        AdminCase{"ipv4_world_not_ipv6", k6, {ingress(tcp(3389), "0.0.0.0/0")}, kP, "from ::/0"},
        AdminCase{"egress_ignored", k4, {egress(tcp(22), "0.0.0.0/0")}, kP, "no ingress"},
        AdminCase{"https_world", k4, {ingress(tcp(443), "0.0.0.0/0")}, kP, "no ingress"},
        AdminCase{"prefix_list_with_world",
                  k4,
                  {ingress(tcp(22), "pl-open4", "sgr-p")},
                  kF,
                  "tcp/22 from 0.0.0.0/0 via pl-open4 (sgr-p)"},
        AdminCase{"prefix_list_ipv6_world", k6, {ingress(tcp(22), "pl-open6")}, kF, "::/0 via pl-open6"},
        AdminCase{"prefix_list_narrow", k4, {ingress(tcp(22), "pl-office")}, kP, "no ingress"},
        AdminCase{"prefix_list_entries_unknown",
                  k4,
                  {ingress(tcp(22), "pl-unknown")},
                  kN,
                  "entries of prefix list pl-unknown were not collected"},
        AdminCase{"prefix_list_missing",
                  k4,
                  {ingress(tcp(22), "pl-gone")},
                  kN,
                  "prefix list pl-gone was not collected"},
        AdminCase{
            "prefix_list_unknown_other_family", k4, {ingress(tcp(22), "pl-unknown6")}, kP, "no ingress"},
        AdminCase{"prefix_list_unknown_but_port_irrelevant",
                  k4,
                  {ingress(tcp(443), "pl-unknown")},
                  kP,
                  "no ingress"},
        AdminCase{"unknown_prefix_list_but_other_rule_fails",
                  k4,
                  {ingress(tcp(22), "pl-unknown"), ingress(tcp(3389), "0.0.0.0/0", "sgr-r")},
                  kF,
                  "tcp/3389 from 0.0.0.0/0 (sgr-r)"},
        AdminCase{"group_peer", k4, {ingress(tcp(22), "sg-bastion")}, kP, "no ingress"}),
    [](const auto& info) { return info.param.name; });

TEST(AdminPortOpen, FailCarriesEvidenceAndRevokeByRuleId) {
  TestAccount t;
  t.group("sg-1",
          {ingress(tcp(22), "0.0.0.0/0", "sgr-a", "ssh from anywhere"),
           ingress(tcp(443), "0.0.0.0/0", "sgr-b"), ingress(all_traffic(), "0.0.0.0/0", "sgr-c")},
          "vpc-9");
  t.eni("eni-1", {"sg-1"}).eni("eni-2", {"sg-1", "sg-2"});
  const auto findings = run_check("sg-admin-port-open-ipv4", t.done());
  const Finding& f = only_finding(findings, "sg-1");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.detail,
            "tcp/22 from 0.0.0.0/0 (sgr-a); tcp/22, tcp/3389 from 0.0.0.0/0 (sgr-c, rule all traffic)");
  EXPECT_EQ(
      f.remediation_cli,
      "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --security-group-rule-ids "
      "sgr-a sgr-c");
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_EQ(f.cis_aws_3_0, "5.2");
  EXPECT_EQ(f.resource_type, "AWS::EC2::SecurityGroup");
  EXPECT_EQ(f.region, "us-east-1");
  EXPECT_EQ(f.account_id, "111122223333");
  EXPECT_EQ(f.evidence.get("vpc_id")->as_string(), "vpc-9");
  EXPECT_EQ(f.evidence.get("attached_enis")->as_int(), 2);
  EXPECT_EQ(evidence_rule_ids(f), (std::vector<std::string>{"sgr-a", "sgr-c"}));
  const JsonValue rules = *f.evidence.get("rules");
  const JsonValue& first = rules.as_array()[0];
  EXPECT_EQ(first.get("protocol")->as_string(), "tcp");
  EXPECT_EQ(first.get("ports")->as_string(), "22");
  EXPECT_EQ(first.get("peer")->as_string(), "0.0.0.0/0");
  EXPECT_EQ(first.get("description")->as_string(), "ssh from anywhere");
}

TEST(AdminPortOpen, RevokeByIpPermissionsWhenRuleIdsUnknown) {
  TestAccount t;
  t.group("sg-1", {ingress(tcp(22), "0.0.0.0/0"), ingress(all_traffic(), "::/0")});
  const auto v4 = run_check("sg-admin-port-open-ipv4", t.done());
  EXPECT_EQ(
      only_finding(v4, "sg-1").remediation_cli,
      "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions "
      "'[{\"IpProtocol\":\"tcp\",\"FromPort\":22,\"ToPort\":22,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]}]'");
  const auto v6 = run_check("sg-admin-port-open-ipv6", t.account);
  EXPECT_EQ(only_finding(v6, "sg-1").remediation_cli,
            "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions "
            "'[{\"IpProtocol\":\"-1\",\"Ipv6Ranges\":[{\"CidrIpv6\":\"::/0\"}]}]'");
}

TEST(AdminPortOpen, NoEniCountWithoutEniData) {
  TestAccount t;
  t.coverage(Dataset::kNetworkInterfaces, CoverageStatus::kMissing);
  t.group("sg-1", {ingress(tcp(22), "0.0.0.0/0")});
  const auto findings = run_check("sg-admin-port-open-ipv4", t.done());
  EXPECT_FALSE(only_finding(findings, "sg-1").evidence.get("attached_enis").has_value());
}

TEST(AdminPortOpen, NotAssessedWhenGroupsNotCollected) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing);
  const auto findings = run_check("sg-admin-port-open-ipv4", t.done());
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.status, FindingStatus::kNotAssessed);
  EXPECT_EQ(f.resource_id, "ec2/describe-security-groups");
  EXPECT_EQ(f.region, "us-east-1");
  EXPECT_THAT(f.detail, HasSubstr("was not collected in us-east-1"));
  EXPECT_TRUE(f.remediation_cli.empty());
}

TEST(AdminPortOpen, CollectionErrorStillEvaluatesLoadedGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kError, "UnauthorizedOperation: not authorized");
  t.group("sg-1", {ingress(tcp(22), "0.0.0.0/0")});
  t.group("sg-2", {ingress(tcp(443), "0.0.0.0/0")});
  const auto findings = run_check("sg-admin-port-open-ipv4", t.done());
  ASSERT_EQ(findings.size(), 3u);
  const Finding& na = only_finding(findings, "ec2/describe-security-groups");
  EXPECT_EQ(na.status, FindingStatus::kNotAssessed);
  EXPECT_THAT(na.detail, HasSubstr("UnauthorizedOperation: not authorized"));
  EXPECT_EQ(only_finding(findings, "sg-1").status, FindingStatus::kFail);
  EXPECT_EQ(only_finding(findings, "sg-2").status, FindingStatus::kPass);
}

TEST(AdminPortOpen, EveryRegionIsAssessedSeparately) {
  TestAccount t;
  t.covered_region("eu-west-1");
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing, "", "eu-west-1");
  t.group("sg-1", {ingress(tcp(22), "0.0.0.0/0")});
  const auto findings = run_check("sg-admin-port-open-ipv4", t.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].region, "eu-west-1");
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
  EXPECT_EQ(findings[1].region, "us-east-1");
  EXPECT_EQ(findings[1].status, FindingStatus::kFail);
}

}  // namespace
}  // namespace fortress::testing
