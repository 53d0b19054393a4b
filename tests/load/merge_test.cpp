// Merging across files: the security-group-rules overlay, prefix-list entries, account ID, collection
// errors, and the AWS CLI's documented outputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "load_test_util.h"
#include "support/reference.h"

namespace fortress {
namespace {

using testing::find_diagnostic;
using testing::load_files;
using Level = LoadDiagnostic::Level;

constexpr const char* kGroups = R"({"SecurityGroups": [
  {"GroupId": "sg-a", "GroupName": "a", "VpcId": "vpc-1", "OwnerId": "111122223333",
   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
  {"GroupId": "sg-b", "GroupName": "b", "VpcId": "vpc-1", "OwnerId": "111122223333",
   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
  {"GroupId": "sg-c", "GroupName": "c", "VpcId": "vpc-1", "OwnerId": "111122223333",
   "IpPermissions": [{"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}]})";

TEST(SecurityGroupRuleMerge, RulesFileWinsPerGroupAndSkippedRulesFallBack) {
  LoadResult r = load_files({
      {"us-east-1/ec2/describe-security-groups.json", kGroups},
      {"us-east-1/ec2/describe-security-group-rules.json", R"({"SecurityGroupRules": [
        {"SecurityGroupRuleId": "sgr-a1", "GroupId": "sg-a", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"},
        {"SecurityGroupRuleId": "sgr-a2", "GroupId": "sg-a", "IsEgress": true, "IpProtocol": "-1", "FromPort": -1, "ToPort": -1, "CidrIpv4": "0.0.0.0/0"},
        {"SecurityGroupRuleId": "sgr-b1", "GroupId": "sg-b", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIpv4": "0.0.0.0/0"},
        {"SecurityGroupRuleId": "sgr-b2", "GroupId": "sg-b", "IsEgress": false, "IpProtocol": "tcp", "FromPort": "x", "ToPort": 80, "CidrIpv4": "0.0.0.0/0"},
        {"SecurityGroupRuleId": "sgr-z1", "GroupId": "sg-gone", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 1, "ToPort": 1, "CidrIpv4": "1.2.3.4/32"}]})"},
  });
  const Region& us = *r.account.region("us-east-1");
  const SecurityGroup& a = *us.security_group("sg-a");
  EXPECT_TRUE(a.rule_ids_known);
  ASSERT_EQ(a.rules.size(), 2u);
  EXPECT_EQ(a.rules[1].rule_id, "sgr-a2");
  // sg-b lost a rule to a wrong shape: its IpPermissions expansion, which is complete, stays.
  const SecurityGroup& b = *us.security_group("sg-b");
  EXPECT_FALSE(b.rule_ids_known);
  ASSERT_EQ(b.rules.size(), 1u);
  EXPECT_EQ(b.rules[0].rule_id, "");
  // sg-c has no rules in the rules file.
  EXPECT_FALSE(us.security_group("sg-c")->rule_ids_known);
  EXPECT_EQ(us.covered(Dataset::kSecurityGroupRules).status, CoverageStatus::kError);
  EXPECT_TRUE(us.has(Dataset::kSecurityGroups));
  EXPECT_NE(find_diagnostic(r, Level::kInfo, "1 security group rule(s) of 1 group(s) not in"), nullptr);
}

TEST(SecurityGroupRuleMerge, BadRulesFileIsNotUsed) {
  LoadResult r = load_files({
      {"us-east-1/ec2/describe-security-groups.json", kGroups},
      {"us-east-1/ec2/describe-security-group-rules.json",
       R"({"SecurityGroupRules": [{"SecurityGroupRuleId": "sgr-a1", "GroupId": "sg-a", "IpProtocol": "tcp", "CidrIpv4": "0.0.0.0/0"},)"},
  });
  const Region& us = *r.account.region("us-east-1");
  EXPECT_FALSE(us.security_group("sg-a")->rule_ids_known);
  EXPECT_EQ(us.covered(Dataset::kSecurityGroupRules).status, CoverageStatus::kError);
}

TEST(PrefixListEntries, ByTopLevelKeyByFileStemOrUnknown) {
  LoadResult r = load_files({
      {"us-east-1/ec2/describe-managed-prefix-lists.json",
       R"({"PrefixLists": [{"PrefixListId": "pl-0aa", "PrefixListName": "a", "AddressFamily": "IPv4", "OwnerId": "111122223333", "MaxEntries": 5}]})"},
      {"us-east-1/ec2/entries-a.json", R"({"Entries": [{"Cidr": "10.0.0.0/8", "Description": "x"}], "PrefixListId": "pl-0aa"})"},
      {"us-east-1/ec2/pl-0bb.json", R"({"Entries": [{"Cidr": "192.168.0.0/16"}]})"},
      {"us-east-1/ec2/entries-c.json", R"({"Entries": [{"Cidr": "172.16.0.0/12"}]})"},
  });
  const Region& us = *r.account.region("us-east-1");
  const PrefixList* a = us.prefix_list("pl-0aa");
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->entries.has_value());
  EXPECT_EQ((*a->entries)[0].cidr, testing::cidr("10.0.0.0/8"));
  EXPECT_EQ(a->name, "a");
  // A list known only from its entries file.
  const PrefixList* b = us.prefix_list("pl-0bb");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->entries.has_value());
  EXPECT_EQ(b->entries->size(), 1u);
  EXPECT_EQ(r.account.file(b->source), "us-east-1/ec2/pl-0bb.json");
  EXPECT_NE(find_diagnostic(r, Level::kWarning, "get-managed-prefix-list-entries for an unknown parent"), nullptr);
  EXPECT_EQ(us.prefix_lists.size(), 2u);
  EXPECT_TRUE(us.has(Dataset::kPrefixListEntries));
}

TEST(PrefixListEntries, PrefixListWithoutCollectedEntries) {
  LoadResult r = load_files({{"us-east-1/ec2/describe-managed-prefix-lists.json",
                              R"({"PrefixLists": [{"PrefixListId": "pl-0aa", "PrefixListName": "a"}]})"}});
  EXPECT_FALSE(r.account.region("us-east-1")->prefix_list("pl-0aa")->entries.has_value());
  EXPECT_EQ(r.account.region("us-east-1")->covered(Dataset::kPrefixListEntries).status, CoverageStatus::kMissing);
}

TEST(AccountId, FallsBackToTheMostFrequentOwnerId) {
  LoadResult r = load_files({
      {"us-east-1/ec2/describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "111111111111"},
        {"VpcId": "vpc-2", "OwnerId": "222222222222"}, {"VpcId": "vpc-3", "OwnerId": "222222222222"}]})"},
      {"us-east-1/ec2/describe-managed-prefix-lists.json",
       R"({"PrefixLists": [{"PrefixListId": "pl-1", "OwnerId": "AWS"}, {"PrefixListId": "pl-2", "OwnerId": "AWS"}, {"PrefixListId": "pl-3", "OwnerId": "AWS"}]})"},
  });
  EXPECT_EQ(r.account.account_id, "222222222222");
  EXPECT_FALSE(r.account.caller_identity.has_value());
  EXPECT_EQ(r.account.global_coverage[size_t(Dataset::kCallerIdentity)].status, CoverageStatus::kMissing);
}

TEST(AccountId, EmptyWhenNothingSaysIt) {
  LoadResult r = load_files({{"us-east-1/ec2/describe-vpcs.json", R"({"Vpcs": []})"}});
  EXPECT_EQ(r.account.account_id, "");
  EXPECT_TRUE(r.account.region("us-east-1")->has(Dataset::kVpcs));  // an empty list is collected
}

TEST(CollectionError, AccountWideAndRegionFromRecordAndErrorWinsOverOk) {
  LoadResult r = load_files({
      {"sts/get-caller-identity.error.json",
       R"({"FortressCollectionError": {"Service": "sts", "Command": "get-caller-identity", "Region": "", "ErrorCode": "ExpiredToken", "Message": "expired"}})"},
      {"us-west-2/ec2/describe-vpcs.json", R"({"Vpcs": []})"},
      {"us-west-2/ec2/describe-vpcs.page2.error.json",
       R"({"FortressCollectionError": {"Service": "ec2", "Command": "describe-vpcs", "Region": "us-west-2", "ErrorCode": "RequestLimitExceeded", "Message": "slow down"}})"},
      {"errors/describe-subnets.error.json",
       R"({"FortressCollectionError": {"Service": "ec2", "Command": "describe-subnets", "Region": "eu-north-1", "ErrorCode": "OptInRequired", "Message": "opt in"}})"},
      {"errors/iam.error.json",
       R"({"FortressCollectionError": {"Service": "iam", "Command": "list-users", "ErrorCode": "AccessDenied", "Message": "no"}})"},
      {"iam/get-credential-report.error.json",
       R"({"FortressCollectionError": {"Service": "iam", "Command": "get-credential-report", "ErrorCode": "ReportNotPresent", "Message": "no report"}})"},
  });
  const Coverage& id = r.account.global_coverage[size_t(Dataset::kCallerIdentity)];
  EXPECT_EQ(id.status, CoverageStatus::kError);
  EXPECT_NE(id.detail.find("ExpiredToken: expired"), std::string::npos);
  const Coverage& vpcs = r.account.covered("us-west-2", Dataset::kVpcs);
  EXPECT_EQ(vpcs.status, CoverageStatus::kError);
  EXPECT_NE(vpcs.detail.find("RequestLimitExceeded"), std::string::npos);
  EXPECT_EQ(r.account.covered("eu-north-1", Dataset::kSubnets).status, CoverageStatus::kError);
  EXPECT_NE(find_diagnostic(r, Level::kError, "collection of iam list-users failed"), nullptr);
  const Coverage& report = r.account.global_coverage[size_t(Dataset::kCredentialReport)];
  EXPECT_EQ(report.status, CoverageStatus::kError);
  EXPECT_NE(report.detail.find("ReportNotPresent: no report"), std::string::npos);
  EXPECT_FALSE(r.account.iam.credential_report.has_value());
  EXPECT_TRUE(r.incomplete());
  EXPECT_TRUE(r.unknown_files.empty());
}

TEST(RegionFolders, NearestRegionFolderWins) {
  LoadResult r = load_files({
      {"snapshots/2026-12-03/us-gov-west-1/ec2/describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-g"}]})"},
      {"us-east-1/cn-northwest-1/describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-c"}]})"},
      {"us-east-1a/ec2/describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-x"}]})"},
  });
  ASSERT_NE(r.account.region("us-gov-west-1"), nullptr);
  EXPECT_EQ(r.account.region("us-gov-west-1")->vpcs[0].id, "vpc-g");
  ASSERT_NE(r.account.region("cn-northwest-1"), nullptr);
  EXPECT_EQ(r.account.region("cn-northwest-1")->vpcs[0].id, "vpc-c");
  EXPECT_EQ(r.account.region("us-east-1"), nullptr);
  EXPECT_NE(find_diagnostic(r, Level::kError, "no region folder"), nullptr);  // us-east-1a is an AZ
}

TEST(OneFileEntryPoint, LoadsOneFile) {
  Account account;
  std::vector<LoadDiagnostic> diagnostics;
  load_snapshot_file_for_test(R"({"Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.0.0/24"}]})",
                              "ap-southeast-4/ec2/describe-subnets.json", account, diagnostics);
  ASSERT_NE(account.region("ap-southeast-4"), nullptr);
  EXPECT_NE(account.region("ap-southeast-4")->subnet("subnet-1"), nullptr);
  EXPECT_TRUE(diagnostics.empty());
}

// The AWS CLI's documented example outputs (../shared/reference/aws_cli_examples), when present.
std::string first_output_json(const std::filesystem::path& rst) {
  std::ifstream in(rst);
  std::string line, json;
  bool after_output = false;
  std::string indent;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // some examples have CRLF line ends
    if (json.empty()) {
      if (line.find("Output::") != std::string::npos) after_output = true;
      size_t brace = line.find_first_not_of(' ');
      if (after_output && brace != std::string::npos && line[brace] == '{' && line.size() == brace + 1) {
        indent = line.substr(0, brace);
        json = "{\n";
      }
      continue;
    }
    json += line + "\n";
    if (line == indent + "}") break;
  }
  return json;
}

TEST(AwsCliExamples, DocumentedOutputsLoad) {
  std::filesystem::path dir = fortress::testing::reference_dir() / "aws_cli_examples" / "ec2";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "reference data not found at " << dir;
  std::vector<SnapshotFileBytes> files;
  for (const char* name : {"describe-network-interfaces", "describe-route-tables", "describe-network-acls",
                           "describe-security-group-rules", "describe-flow-logs", "describe-instances",
                           "describe-regions"}) {
    std::string json = first_output_json(dir / (std::string(name) + ".rst"));
    ASSERT_FALSE(json.empty()) << name;
    std::string folder = std::string(name) == "describe-regions" ? "ec2/" : "us-east-1/ec2/";
    files.push_back({folder + name + ".json", json});
  }
  LoadResult r = load_files(files);
  const Region& us = *r.account.region("us-east-1");
  EXPECT_EQ(us.network_interfaces.size(), 2u) << testing::all_diagnostics(r);
  EXPECT_TRUE(us.network_interface("eni-e5aa89a3")->has_public_ipv4());
  EXPECT_EQ(us.route_tables.size(), 3u);
  EXPECT_FALSE(us.route_tables[0].routes[1].active);
  EXPECT_FALSE(us.network_acls.empty());
  EXPECT_EQ(us.covered(Dataset::kSecurityGroupRules).status, CoverageStatus::kOk);
  EXPECT_FALSE(us.flow_logs.empty());
  // The documented describe-instances output anonymizes its address as "10-0-0-157": not an IP
  // address, so that instance is skipped, said so, and the dataset is not reported complete.
  EXPECT_TRUE(us.instances.empty());
  EXPECT_NE(find_diagnostic(r, Level::kWarning, "invalid IP address \"10-0-0-157\""), nullptr);
  EXPECT_EQ(us.covered(Dataset::kInstances).status, CoverageStatus::kError);
  EXPECT_FALSE(r.account.enabled_regions->empty());
  for (const LoadDiagnostic& d : r.diagnostics) EXPECT_NE(d.level, Level::kError) << d.to_string();
}

// Regions are assembled side by side: the diagnostics (duplicates, orphan rules, in region order)
// and the model are the same on one thread as on several.
TEST(RegionAssembly, SameResultOnOneThreadAsOnSeveral) {
  std::vector<SnapshotFileBytes> files;
  const char* regions[] = {"eu-west-1", "us-east-1", "ap-south-1", "sa-east-1", "us-west-2"};
  for (const char* region : regions) {
    const std::string r = region;
    files.push_back({r + "/ec2/describe-security-groups.json", kGroups});
    files.push_back({r + "/ec2/describe-vpcs.page1.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]})"});
    files.push_back({r + "/ec2/describe-vpcs.page2.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]})"});
    files.push_back({r + "/ec2/describe-security-group-rules.json", R"({"SecurityGroupRules": [
        {"SecurityGroupRuleId": "sgr-a1", "GroupId": "sg-a", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"},
        {"SecurityGroupRuleId": "sgr-z1", "GroupId": "sg-gone", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 1, "ToPort": 1, "CidrIpv4": "1.2.3.4/32"}]})"});
  }
  const LoadResult one = load_files(files, 1);
  const std::string expected = testing::all_diagnostics(one);
  // One duplicate warning and one orphan note per region, regions in name order.
  size_t at = 0;
  for (const char* region : {"ap-south-1", "eu-west-1", "sa-east-1", "us-east-1", "us-west-2"}) {
    const size_t found = expected.find(std::string(region) + ": 1 security group rule(s) of 1 group(s)", at);
    ASSERT_NE(found, std::string::npos) << region << "\n" << expected;
    EXPECT_NE(expected.find(std::string(region) + "/ec2/describe-vpcs.page2.json"), std::string::npos) << region;
    at = found;
  }
  for (unsigned threads : {2u, 4u, 0u}) {
    const LoadResult many = load_files(files, threads);
    EXPECT_EQ(testing::all_diagnostics(many), expected) << threads << " threads";
    ASSERT_EQ(many.account.regions.size(), one.account.regions.size());
    for (size_t i = 0; i < one.account.regions.size(); ++i) {
      const Region& a = one.account.regions[i];
      const Region& b = many.account.regions[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.vpcs.size(), b.vpcs.size());
      ASSERT_EQ(a.security_groups.size(), b.security_groups.size());
      for (size_t g = 0; g < a.security_groups.size(); ++g) {
        EXPECT_EQ(a.security_groups[g].rules.size(), b.security_groups[g].rules.size());
        EXPECT_NE(b.security_group(a.security_groups[g].id), nullptr);  // the index is built
      }
    }
  }
}

}  // namespace
}  // namespace fortress
