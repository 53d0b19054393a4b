// Bad input never crashes and never stops the load; partial data never looks complete.
#include <gtest/gtest.h>

#include "load_test_util.h"

namespace fortress {
namespace {

using testing::find_diagnostic;
using testing::load_files;
using Level = LoadDiagnostic::Level;

constexpr const char* kGoodVpcs = R"({"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "111122223333", "CidrBlock": "10.0.0.0/16"}]})";

TEST(Malformed, TruncatedJsonReportsTheLineAndLoadsTheRest) {
  LoadResult r = load_files({
      {"us-east-1/ec2/describe-vpcs.json", kGoodVpcs},
      {"us-east-1/ec2/describe-subnets.json", "{\n  \"Subnets\": [\n    {\n      \"SubnetId\": \"subnet-1\",\n      \"VpcId\""},
  });
  const Region& us = *r.account.region("us-east-1");
  EXPECT_TRUE(us.has(Dataset::kVpcs));
  EXPECT_EQ(us.vpcs.size(), 1u);
  EXPECT_EQ(us.covered(Dataset::kSubnets).status, CoverageStatus::kError);
  EXPECT_TRUE(us.subnets.empty());
  const LoadDiagnostic* d = find_diagnostic(r, Level::kError, "malformed JSON");
  ASSERT_NE(d, nullptr) << testing::all_diagnostics(r);
  EXPECT_EQ(d->file, "us-east-1/ec2/describe-subnets.json");
  EXPECT_EQ(d->line, 5u);
  EXPECT_TRUE(r.incomplete());
}

TEST(Malformed, NotJsonAtAllIsAnErrorNotAnUnknownFile) {
  LoadResult r = load_files({
      {"us-east-1/ec2/describe-vpcs.json", "\n\ngarbage {{{\n"},
      {"us-east-1/ec2/describe-subnets.json", "[1, 2"},
      {"us-east-1/ec2/list.json", "[1, 2]"},  // well-formed, just of no kind of ours
  });
  const LoadDiagnostic* garbage = find_diagnostic(r, Level::kError, "malformed JSON");
  ASSERT_NE(garbage, nullptr) << testing::all_diagnostics(r);
  EXPECT_EQ(garbage->file, "us-east-1/ec2/describe-subnets.json");
  size_t errors = 0;
  for (const LoadDiagnostic& d : r.diagnostics) {
    if (d.level != Level::kError) continue;
    ++errors;
    if (d.file == "us-east-1/ec2/describe-vpcs.json") EXPECT_EQ(d.line, 3u);
  }
  EXPECT_EQ(errors, 2u) << testing::all_diagnostics(r);
  EXPECT_EQ(r.unknown_files, std::vector<std::string>{"us-east-1/ec2/list.json"});
  EXPECT_TRUE(r.incomplete());
}

TEST(Malformed, MissingCommaLine) {
  LoadResult r = load_files({{"us-east-1/ec2/describe-vpcs.json",
                              "{\"Vpcs\": [\n{\"VpcId\": \"vpc-1\"}\n{\"VpcId\": \"vpc-2\"}\n]}"}});
  const LoadDiagnostic* d = find_diagnostic(r, Level::kError, "malformed JSON");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->line, 3u);
  EXPECT_NE(d->message.find("missing comma"), std::string::npos) << d->message;
  EXPECT_EQ(r.account.region("us-east-1")->covered(Dataset::kVpcs).status, CoverageStatus::kError);
  EXPECT_TRUE(r.account.region("us-east-1")->vpcs.empty());  // nothing from a malformed file is used
}

TEST(Malformed, UnterminatedStringAndTrailingContent) {
  LoadResult r = load_files({
      {"us-east-1/ec2/a.json", "{\"Vpcs\": [\n{\"VpcId\": \"vpc-1"},
      {"us-east-1/ec2/b.json", "{\"Subnets\": []}\n{\"Subnets\": []}\n"},
  });
  ASSERT_EQ(r.diagnostics.size(), 2u) << testing::all_diagnostics(r);
  EXPECT_EQ(r.diagnostics[0].line, 2u);
  EXPECT_NE(r.diagnostics[0].message.find("unterminated string"), std::string::npos);
  EXPECT_EQ(r.diagnostics[1].line, 2u);
  EXPECT_NE(r.diagnostics[1].message.find("after the JSON value"), std::string::npos);
  EXPECT_EQ(r.account.region("us-east-1")->covered(Dataset::kVpcs).status, CoverageStatus::kError);
  EXPECT_EQ(r.account.region("us-east-1")->covered(Dataset::kSubnets).status, CoverageStatus::kError);
}

TEST(Malformed, WrongTypesSkipTheElementAndMarkCoverage) {
  LoadResult r = load_files({{"us-east-1/ec2/describe-security-groups.json", R"({"SecurityGroups": [
    {"GroupId": "sg-good", "GroupName": "a", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
      "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
    {"GroupId": "sg-bad", "GroupName": "b", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": "22", "ToPort": 22,
      "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
    {"GroupName": "no-id"},
    "not an object",
    {"GroupId": "sg-badcidr", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2, "IpRanges": [{"CidrIp": "10.0.0.0/33"}]}]},
    {"GroupId": "sg-good2", "SomethingNew": {"Nested": [1, 2, {"x": null}]}, "IpPermissions": []}
  ]})"}});
  const Region& us = *r.account.region("us-east-1");
  ASSERT_EQ(us.security_groups.size(), 2u) << testing::all_diagnostics(r);
  EXPECT_EQ(us.security_groups[0].id, "sg-good");
  EXPECT_EQ(us.security_groups[1].id, "sg-good2");  // unknown fields ignored
  const Coverage& c = us.covered(Dataset::kSecurityGroups);
  EXPECT_EQ(c.status, CoverageStatus::kError);
  EXPECT_NE(c.detail.find("4 of 6 elements skipped"), std::string::npos) << c.detail;
  const LoadDiagnostic* bad = find_diagnostic(r, Level::kWarning, "sg-bad (#2)");
  ASSERT_NE(bad, nullptr) << testing::all_diagnostics(r);
  EXPECT_NE(bad->message.find("FromPort: expected an integer, found a string"), std::string::npos) << bad->message;
  EXPECT_EQ(bad->line, 4u);
  EXPECT_NE(find_diagnostic(r, Level::kWarning, "#3: missing GroupId"), nullptr);
  EXPECT_NE(find_diagnostic(r, Level::kWarning, "#4: SecurityGroups: expected an object, found a string"), nullptr);
  EXPECT_NE(find_diagnostic(r, Level::kWarning, "invalid CIDR \"10.0.0.0/33\""), nullptr);
}

TEST(Malformed, InstanceSkippedAloneReservationKept) {
  LoadResult r = load_files({{"us-east-1/ec2/describe-instances.json", R"({"Reservations": [{"OwnerId": "111122223333",
    "Instances": [{"InstanceId": "i-1", "PrivateIpAddress": "999.1.1.1"}, {"InstanceId": "i-2"}]}]})"}});
  const Region& us = *r.account.region("us-east-1");
  ASSERT_EQ(us.instances.size(), 1u);
  EXPECT_EQ(us.instances[0].id, "i-2");
  EXPECT_EQ(us.covered(Dataset::kInstances).status, CoverageStatus::kError);
  EXPECT_NE(find_diagnostic(r, Level::kWarning, "skipped instance i-1"), nullptr) << testing::all_diagnostics(r);
}

TEST(Malformed, EmptyFileIsNotCollected) {
  LoadResult r = load_files({{"us-east-1/ec2/describe-vpcs.json", ""}, {"us-east-1/ec2/x.json", " \n\t"}});
  EXPECT_EQ(r.account.region("us-east-1")->covered(Dataset::kVpcs).status, CoverageStatus::kMissing);
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].level, Level::kInfo);
  EXPECT_EQ(r.diagnostics[0].message, "empty file: not collected");
  EXPECT_FALSE(r.incomplete());
}

TEST(Malformed, UnknownKindsAreListed) {
  LoadResult r = load_files({
      {"us-east-1/ec2/describe-addresses.json", R"({"Addresses": []})"},
      {"us-east-1/ec2/query.json", R"(["sg-1", "sg-2"])"},
      {"notes.md", "hello"},
  });
  EXPECT_EQ(r.unknown_files,
            (std::vector<std::string>{"notes.md", "us-east-1/ec2/describe-addresses.json", "us-east-1/ec2/query.json"}));
  EXPECT_EQ(r.files_loaded, 0u);
  EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Malformed, DuplicateIdsAcrossFilesKeepTheFirst) {
  LoadResult r = load_files({
      {"us-east-1/ec2/describe-vpcs.page1.json", kGoodVpcs},
      {"us-east-1/ec2/describe-vpcs.page2.json",
       R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.9.0.0/16"}, {"VpcId": "vpc-2"}], "NextToken": "abc"})"},
  });
  const Region& us = *r.account.region("us-east-1");
  ASSERT_EQ(us.vpcs.size(), 2u);
  EXPECT_EQ(us.vpc("vpc-1")->ipv4_cidrs[0], testing::cidr("10.0.0.0/16"));
  EXPECT_EQ(r.account.file(us.vpc("vpc-1")->source), "us-east-1/ec2/describe-vpcs.page1.json");
  const LoadDiagnostic* d =
      find_diagnostic(r, Level::kWarning, "already loaded from us-east-1/ec2/describe-vpcs.page1.json");
  ASSERT_NE(d, nullptr) << testing::all_diagnostics(r);
  EXPECT_EQ(d->file, "us-east-1/ec2/describe-vpcs.page2.json");
  EXPECT_NE(d->message.find("vpc-1"), std::string::npos);
  // Both pages loaded: ok, with both files named.
  EXPECT_EQ(us.covered(Dataset::kVpcs).detail,
            "us-east-1/ec2/describe-vpcs.page1.json, us-east-1/ec2/describe-vpcs.page2.json");
}

TEST(Malformed, RegionalKindOutsideAnyRegionFolder) {
  LoadResult r = load_files({{"ec2/describe-vpcs.json", kGoodVpcs}});
  EXPECT_TRUE(r.account.regions.empty());
  const LoadDiagnostic* d = find_diagnostic(r, Level::kError, "no region folder");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->file, "ec2/describe-vpcs.json");
  EXPECT_TRUE(r.incomplete());
}

TEST(Malformed, HostBitsAreNormalizedWithANote) {
  LoadResult r = load_files({{"us-east-1/ec2/describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.1/16"}]})"}});
  EXPECT_EQ(r.account.region("us-east-1")->vpcs[0].ipv4_cidrs[0], testing::cidr("10.0.0.0/16"));
  EXPECT_NE(find_diagnostic(r, Level::kInfo, "\"10.0.0.1/16\" has host bits set"), nullptr);
  EXPECT_TRUE(r.account.region("us-east-1")->has(Dataset::kVpcs));
}

TEST(Malformed, Utf16AndByteOrderMark) {
  LoadResult r = load_files({
      {"us-east-1/ec2/a.json", std::string("\xFF\xFE{\0}\0", 6)},
      {"us-east-1/ec2/b.json", std::string("\xEF\xBB\xBF") + kGoodVpcs},
  });
  EXPECT_NE(find_diagnostic(r, Level::kError, "UTF-16"), nullptr);
  EXPECT_EQ(r.account.region("us-east-1")->vpcs.size(), 1u);
}

TEST(Malformed, NullReadsAsAbsent) {
  LoadResult r = load_files({{"us-east-1/ec2/describe-vpcs.json",
                              R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": null, "Tags": null, "IsDefault": null}]})"}});
  const Region& us = *r.account.region("us-east-1");
  ASSERT_EQ(us.vpcs.size(), 1u);
  EXPECT_TRUE(us.vpcs[0].ipv4_cidrs.empty());
  EXPECT_TRUE(us.has(Dataset::kVpcs));
}

}  // namespace
}  // namespace fortress
