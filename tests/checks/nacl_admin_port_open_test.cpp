#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

// AWS lists the implicit "*" entry as rule 32767 deny for each family.
NetworkAclEntry implicit_deny_v4() {
  return nacl_in(32767, kDeny, all_traffic(), "0.0.0.0/0");
}
NetworkAclEntry implicit_deny_v6() {
  return nacl_in(32768, kDeny, all_traffic(), "::/0");
}

struct Case {
  std::string name;
  std::vector<NetworkAclEntry> entries;
  FindingStatus expected;
  std::string detail;  // exact for FAIL
};

class NaclAdminPortTest : public ::testing::TestWithParam<Case> {};

TEST_P(NaclAdminPortTest, Evaluates) {
  const Case& c = GetParam();
  TestAccount t;
  std::vector<NetworkAclEntry> entries = c.entries;
  entries.push_back(implicit_deny_v4());
  entries.push_back(implicit_deny_v6());
  t.nacl("acl-1", entries, {"subnet-1"});
  const auto findings = run_check("nacl-admin-port-open", t.done());
  const Finding& f = only_finding(findings, "acl-1");
  EXPECT_EQ(status_name(f.status), status_name(c.expected)) << f.detail;
  if (c.expected == FindingStatus::kFail) EXPECT_EQ(f.detail, c.detail);
}

constexpr auto kF = FindingStatus::kFail;
constexpr auto kP = FindingStatus::kPass;

INSTANTIATE_TEST_SUITE_P(
    Cases, NaclAdminPortTest,
    ::testing::Values(
        Case{"default_nacl_allows_all",
             {nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0")},
             kF,
             "rule 100 allows tcp/22, tcp/3389 from 0.0.0.0/0 (entry: all traffic)"},
        Case{"only_implicit_deny", {}, kP, ""},
        Case{"deny_private_before_allow_all_still_fails",
             {nacl_in(100, kDeny, all_traffic(), "10.0.0.0/8"),
              nacl_in(200, kAllow, all_traffic(), "0.0.0.0/0")},
             kF,
             "rule 200 allows tcp/22, tcp/3389 from 0.0.0.0/0 (entry: all traffic)"},
        Case{"deny_world_before_allow_world_passes",
             {nacl_in(100, kDeny, all_traffic(), "0.0.0.0/0"),
              nacl_in(200, kAllow, all_traffic(), "0.0.0.0/0")},
             kP,
             ""},
        Case{"order_is_rule_number_not_input_order",
             {nacl_in(200, kAllow, all_traffic(), "0.0.0.0/0"),
              nacl_in(100, kDeny, all_traffic(), "0.0.0.0/0")},
             kP,
             ""},
        Case{"documentation_range_is_not_public", {nacl_in(100, kAllow, tcp(22), "203.0.113.0/24")}, kP, ""},
        Case{"public_range_fails",
             {nacl_in(100, kAllow, tcp(22), "198.51.99.0/24")},
             kF,
             "rule 100 allows tcp/22 from 198.51.99.0/24"},
        Case{"private_range_only", {nacl_in(100, kAllow, all_traffic(), "10.0.0.0/8")}, kP, ""},
        Case{
            "deny_halves_cover_everything",
            {nacl_in(10, kDeny, tcp(0, 65535), "0.0.0.0/1"), nacl_in(20, kDeny, tcp(0, 65535), "128.0.0.0/1"),
             nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0")},
            kP,
            ""},
        Case{"deny_one_half_leaves_the_other",
             {nacl_in(10, kDeny, tcp(0, 65535), "0.0.0.0/1"),
              nacl_in(100, kAllow, tcp(0, 65535), "0.0.0.0/0")},
             kF,
             "rule 100 allows tcp/22, tcp/3389 from 0.0.0.0/0 (entry: tcp/all)"},
        Case{
            "deny_everything_public_leaves_only_private",
            {nacl_in(10, kDeny, all_traffic(), "0.0.0.0/5"), nacl_in(11, kDeny, all_traffic(), "8.0.0.0/7"),
             nacl_in(12, kDeny, all_traffic(), "11.0.0.0/8"), nacl_in(13, kDeny, all_traffic(), "12.0.0.0/6"),
             nacl_in(14, kDeny, all_traffic(), "16.0.0.0/4"), nacl_in(15, kDeny, all_traffic(), "32.0.0.0/3"),
             nacl_in(16, kDeny, all_traffic(), "64.0.0.0/2"),
             nacl_in(17, kDeny, all_traffic(), "128.0.0.0/1"),
             nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0")},
            kP,
            ""},  // only 10.0.0.0/8 reaches rule 100
        Case{
            "deny_everything_public_but_one_block",
            {nacl_in(10, kDeny, all_traffic(), "0.0.0.0/5"), nacl_in(11, kDeny, all_traffic(), "8.0.0.0/7"),
             nacl_in(12, kDeny, all_traffic(), "11.0.0.0/8"), nacl_in(13, kDeny, all_traffic(), "12.0.0.0/6"),
             nacl_in(14, kDeny, all_traffic(), "16.0.0.0/4"), nacl_in(15, kDeny, all_traffic(), "32.0.0.0/3"),
             nacl_in(16, kDeny, all_traffic(), "64.0.0.0/2"),
             nacl_in(17, kDeny, all_traffic(), "128.0.0.0/3"),
             nacl_in(18, kDeny, all_traffic(), "192.0.0.0/2"),
             nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0")},
            kF,
            "rule 100 allows tcp/22, tcp/3389 from 0.0.0.0/0 (entry: all traffic)"},  // 10/8 and 160.0.0.0/3
                                                                                      // reach it
        Case{"deny_ssh_but_not_rdp",
             {nacl_in(50, kDeny, tcp(22), "0.0.0.0/0"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0")},
             kF,
             "rule 100 allows tcp/3389 from 0.0.0.0/0 (entry: all traffic)"},
        Case{
            "deny_low_ports_covers_ssh_only",
            {nacl_in(50, kDeny, tcp(0, 1024), "0.0.0.0/0"), nacl_in(100, kAllow, tcp(0, 65535), "0.0.0.0/0")},
            kF,
            "rule 100 allows tcp/3389 from 0.0.0.0/0 (entry: tcp/all)"},
        Case{"udp_deny_does_not_block_tcp",
             {nacl_in(50, kDeny, udp(0, 65535), "0.0.0.0/0"), nacl_in(100, kAllow, tcp(22), "0.0.0.0/0")},
             kF,
             "rule 100 allows tcp/22 from 0.0.0.0/0"},
        Case{"udp_allow_is_not_ssh", {nacl_in(100, kAllow, udp(22), "0.0.0.0/0")}, kP, ""},
        Case{"web_only",
             {nacl_in(100, kAllow, tcp(443), "0.0.0.0/0"), nacl_in(110, kAllow, tcp(80), "0.0.0.0/0")},
             kP,
             ""},
        Case{"ephemeral_range_covers_3389",
             {nacl_in(100, kAllow, tcp(1024, 65535), "0.0.0.0/0")},
             kF,
             "rule 100 allows tcp/3389 from 0.0.0.0/0 (entry: tcp/1024-65535)"},
        Case{"ipv6_allow_all",
             {nacl_in(101, kAllow, all_traffic(), "::/0")},
             kF,
             "rule 101 allows tcp/22, tcp/3389 from ::/0 (entry: all traffic)"},
        Case{"ipv6_deny_then_allow",
             {nacl_in(90, kDeny, all_traffic(), "::/0"), nacl_in(101, kAllow, all_traffic(), "::/0")},
             kP,
             ""},
        Case{"ipv6_unique_local_only", {nacl_in(101, kAllow, tcp(22), "fd00::/8")}, kP, ""},
        Case{"ipv4_deny_does_not_cover_ipv6",
             {nacl_in(90, kDeny, all_traffic(), "0.0.0.0/0"), nacl_in(101, kAllow, tcp(22), "::/0")},
             kF,
             "rule 101 allows tcp/22 from ::/0"},
        Case{"two_allowing_entries",
             {nacl_in(100, kAllow, tcp(22), "198.51.99.0/24"),
              nacl_in(200, kAllow, all_traffic(), "0.0.0.0/0")},
             kF,
             "rule 100 allows tcp/22 from 198.51.99.0/24; rule 200 allows tcp/22, tcp/3389 from 0.0.0.0/0 "
             "(entry: all "
             "traffic)"},
        Case{"egress_allow_is_irrelevant", {nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")}, kP, ""}),
    [](const auto& info) { return info.param.name; });

TEST(NaclAdminPortOpen, EvidenceAndInsertedDenyForBroadEntry) {
  TestAccount t;
  t.nacl("acl-1",
         {nacl_in(99, kAllow, tcp(443), "0.0.0.0/0"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
          nacl_in(101, kAllow, all_traffic(), "::/0"), implicit_deny_v4()},
         {"subnet-1", "subnet-2"}, "vpc-7");
  const auto findings = run_check("nacl-admin-port-open", t.done());
  const Finding& f = only_finding(findings, "acl-1");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.resource_type, "AWS::EC2::NetworkAcl");
  EXPECT_EQ(f.cis_aws_3_0, "5.1");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.evidence.get("vpc_id")->as_string(), "vpc-7");
  EXPECT_EQ(f.evidence.get("associated_subnets")->dump(), R"(["subnet-1","subnet-2"])");
  const JsonValue exposures_value = *f.evidence.get("exposures");
  const auto& exposures = exposures_value.as_array();
  ASSERT_EQ(exposures.size(), 4u);
  EXPECT_EQ(
      exposures[0].dump(),
      R"({"rule_number":100,"cidr":"0.0.0.0/0","protocol":"tcp","port":22,"entry_traffic":"all traffic",)"
      R"("public_source_example":"1.0.0.0/8"})");
  EXPECT_EQ(exposures[2].get("rule_number")->as_int(), 101);
  EXPECT_EQ(exposures[2].get("port")->as_int(), 22);
  // 99 is taken, so the denies go to 98 and 97 (before rule 100), then 96 and 95 (before 101).
  EXPECT_EQ(
      f.remediation_cli,
      "aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id acl-1 --ingress --rule-number 98 "
      "--protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny && "
      "aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id acl-1 --ingress --rule-number 97 "
      "--protocol tcp --port-range From=3389,To=3389 --cidr-block 0.0.0.0/0 --rule-action deny && "
      "aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id acl-1 --ingress --rule-number 96 "
      "--protocol tcp --port-range From=22,To=22 --ipv6-cidr-block ::/0 --rule-action deny && "
      "aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id acl-1 --ingress --rule-number 95 "
      "--protocol tcp --port-range From=3389,To=3389 --ipv6-cidr-block ::/0 --rule-action deny");
}

TEST(NaclAdminPortOpen, EntryForTheAdminPortOnlyIsDeleted) {
  TestAccount t;
  t.nacl("acl-1", {nacl_in(120, kAllow, tcp(22), "0.0.0.0/0"), implicit_deny_v4()});
  const auto findings = run_check("nacl-admin-port-open", t.done());
  const Finding& f = only_finding(findings, "acl-1");
  EXPECT_EQ(f.detail, "rule 120 allows tcp/22 from 0.0.0.0/0");
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 delete-network-acl-entry --region us-east-1 --network-acl-id acl-1 --ingress "
            "--rule-number 120");
}

TEST(NaclAdminPortOpen, NoFreeNumberBelowReplacesTheEntry) {
  TestAccount t;
  t.nacl("acl-1", {nacl_in(1, kAllow, tcp(0, 1024), "0.0.0.0/0"), implicit_deny_v4()});
  const auto findings = run_check("nacl-admin-port-open", t.done());
  EXPECT_EQ(
      only_finding(findings, "acl-1").remediation_cli,
      "aws ec2 replace-network-acl-entry --region us-east-1 --network-acl-id acl-1 --ingress --rule-number 1 "
      "--protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny");
}

TEST(NaclAdminPortOpen, PublicExampleSkipsDeniedAndPrivateSpace) {
  TestAccount t;
  t.nacl("acl-1",
         {nacl_in(100, kDeny, all_traffic(), "0.0.0.0/1"), nacl_in(200, kAllow, tcp(22), "0.0.0.0/0")});
  const auto findings = run_check("nacl-admin-port-open", t.done());
  const Finding& f = only_finding(findings, "acl-1");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  const std::string example =
      f.evidence.get("exposures")->as_array()[0].get("public_source_example")->as_string();
  EXPECT_EQ(example, "128.0.0.0/3");
}

TEST(NaclAdminPortOpen, TrustedRangesAreNotTheInternet) {
  TestAccount t;
  t.nacl("acl-1", {nacl_in(100, kAllow, tcp(22), "84.17.32.0/27"), implicit_deny_v4()});
  t.nacl("acl-2", {nacl_in(100, kAllow, tcp(22), "84.17.32.0/26"), implicit_deny_v4()});
  Config config;
  config.trusted_cidrs.push_back(parse_cidr("84.17.32.0/27")->cidr);
  const auto findings = run_check("nacl-admin-port-open", t.done(), config);
  EXPECT_EQ(only_finding(findings, "acl-1").status, FindingStatus::kPass);
  // Half of the /26 is outside the trusted /27: still an exposure, and the example shows where.
  const Finding& f = only_finding(findings, "acl-2");
  ASSERT_EQ(f.status, FindingStatus::kFail);
  EXPECT_EQ(f.evidence.get("exposures")->as_array()[0].get("public_source_example")->as_string(),
            "84.17.32.32/27");
}

TEST(NaclAdminPortOpen, NotAssessedWithoutNacls) {
  TestAccount t;
  t.coverage(Dataset::kNetworkAcls, CoverageStatus::kMissing);
  const auto findings = run_check("nacl-admin-port-open", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
  EXPECT_EQ(findings[0].resource_id, "ec2/describe-network-acls");
  EXPECT_EQ(findings[0].resource_type, "AWS::EC2::NetworkAcl");
}

TEST(NaclAdminPortOpen, ErrorStillEvaluatesLoadedAcls) {
  TestAccount t;
  t.coverage(Dataset::kNetworkAcls, CoverageStatus::kError, "malformed JSON at line 3");
  t.nacl("acl-1", {nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0")});
  const auto findings = run_check("nacl-admin-port-open", t.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(only_finding(findings, "acl-1").status, FindingStatus::kFail);
  EXPECT_THAT(only_finding(findings, "ec2/describe-network-acls").detail,
              HasSubstr("malformed JSON at line 3"));
}

}  // namespace
}  // namespace fortress::testing
