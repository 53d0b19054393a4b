// Large files are streamed: read in chunks, their list split into elements, each parsed on its own.
// The chunked path (load_snapshot_file_for_test feeds a few bytes per read) must load exactly what
// the in-place path (load_snapshot_files) loads, and say the same things at the same lines.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "load/json_stream.h"
#include "load_test_util.h"

namespace fortress {
namespace {

using Level = LoadDiagnostic::Level;

struct Loaded {
  Account account;
  std::vector<LoadDiagnostic> diagnostics;
};

Loaded chunked(const std::string& bytes, const std::string& path) {
  Loaded out;
  load_snapshot_file_for_test(bytes, path, out.account, out.diagnostics);
  return out;
}

std::string diagnostics_text(const std::vector<LoadDiagnostic>& diagnostics) {
  std::string out;
  for (const LoadDiagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

// Loads `bytes` both ways and expects the same diagnostics; returns the chunked load.
Loaded both_ways(const std::string& bytes, const std::string& path = "us-east-1/ec2/x.json") {
  LoadResult whole = testing::load_files({{path, bytes}}, 1);
  Loaded streamed = chunked(bytes, path);
  EXPECT_EQ(diagnostics_text(streamed.diagnostics), testing::all_diagnostics(whole)) << bytes;
  EXPECT_EQ(streamed.account.regions.size(), whole.account.regions.size());
  return streamed;
}

TEST(Streaming, TrickyStringsAndNesting) {
  std::string vpcs = R"({"NextToken": {"a": ["]", "}", "\"[{"]}, "Vpcs": [
    {"VpcId": "vpc-1", "Tags": [{"Key": "Name", "Value": "brackets ] } [ { and \"quotes\" and \\"}]},
    {"VpcId": "vpc-2", "CidrBlock": "10.0.0.1/16", "Nested": [[[{"x": "\\\\"}]]]},
    {"VpcId": "vpc-\u0033", "Tags": [{"Key": "k", "Value": "\u00e9t\u00e9 \ud83d\ude00"}]}
  ], "Other": [1, 2.5e3, true, false, null]})";
  Loaded r = both_ways(vpcs);
  const Region& us = *r.account.region("us-east-1");
  ASSERT_EQ(us.vpcs.size(), 3u) << diagnostics_text(r.diagnostics);
  EXPECT_EQ(us.vpcs[0].tags[0].value, "brackets ] } [ { and \"quotes\" and \\");
  EXPECT_EQ(us.vpcs[2].id, "vpc-3");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].line, 3u);  // the host-bits note, on the element's line
}

TEST(Streaming, LongElementsCrossManyReads) {
  std::string groups = "{\n  \"SecurityGroups\": [\n";
  for (int i = 0; i < 300; ++i) {
    groups += i == 0 ? "    " : ",\n    ";
    groups += "{\"GroupId\": \"sg-" + std::to_string(i) + "\", \"Description\": \"" +
              std::string(size_t(i % 97), 'x') +
              "\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\", \"FromPort\": " + std::to_string(i) +
              ", \"ToPort\": " + std::to_string(i) + ", \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}]}";
  }
  groups += "\n  ],\n  \"SecurityGroups\": []\n}\n";
  Loaded r = both_ways(groups);
  const Region& us = *r.account.region("us-east-1");
  ASSERT_EQ(us.security_groups.size(), 300u);
  EXPECT_EQ(us.security_groups[299].rules[0].traffic.ports.from, 299);
}

TEST(Streaming, SkippedElementLineAfterManyLines) {
  std::string subnets = "{\"Subnets\": [\n";
  for (int i = 0; i < 50; ++i) subnets += "{\"SubnetId\": \"subnet-" + std::to_string(i) + "\"},\n";
  subnets += "{\"SubnetId\": \"subnet-bad\",\n \"CidrBlock\": 7}\n]}";
  Loaded r = both_ways(subnets);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].level, Level::kWarning);
  EXPECT_EQ(r.diagnostics[0].line, 52u);
}

TEST(Streaming, MalformedFilesFailAsWhole) {
  for (std::string bad : {
           std::string("{\"Vpcs\": [\n{\"VpcId\": \"vpc-1\"}\n{\"VpcId\": \"vpc-2\"}\n]}"),  // missing comma
           std::string("{\"Vpcs\": [{\"VpcId\": \"vpc-1\"},]}"),                             // trailing comma
           std::string("{\"Vpcs\": [{\"VpcId\": \"vpc-1\"]}"),                               // wrong bracket
           std::string("{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}]} x"),                         // trailing content
           std::string("{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"x\": tru}]}"),               // bad literal
           std::string("{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}], \"NextToken\": \"\xff\"}"),  // bad UTF-8
           std::string(
               "{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}], \"NextToken\": [1 2]}"),  // skipped, still checked
           std::string("{\"Vpcs\": [\"a\" \"b\"]}"),
           std::string("{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}"),
           std::string("\xEF\xBB\xBF{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}]}"),
           std::string("{\"Vp\\u0063s\": [{\"VpcId\": \"vpc-1\"}]}"),
           std::string("{\"Vpcs\": {\"VpcId\": \"vpc-1\"}}"),
           std::string("{}"),
           std::string("[]"),
           std::string("  \n"),
       }) {
    both_ways(bad);
  }
}

TEST(Streaming, GroupsWhoseRulesAreReplacedStillFailOnAWrongShape) {
  // sg-a's IpPermissions are not kept (the rules file covers it) but are still checked.
  LoadResult r = testing::load_files({
      {"us-east-1/ec2/describe-security-groups.json", R"({"SecurityGroups": [
        {"IpPermissions": [{"IpProtocol": "tcp", "FromPort": "x", "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}], "GroupId": "sg-a"},
        {"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}], "GroupId": "sg-b"}]})"},
      {"us-east-1/ec2/describe-security-group-rules.json", R"({"SecurityGroupRules": [
        {"SecurityGroupRuleId": "sgr-a1", "GroupId": "sg-a", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"},
        {"SecurityGroupRuleId": "sgr-b1", "GroupId": "sg-b", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "0.0.0.0/0"}]})"},
  });
  const Region& us = *r.account.region("us-east-1");
  ASSERT_EQ(us.security_groups.size(), 1u) << testing::all_diagnostics(r);
  EXPECT_EQ(us.security_groups[0].id, "sg-b");
  ASSERT_EQ(us.security_groups[0].rules.size(), 1u);
  EXPECT_EQ(us.security_groups[0].rules[0].rule_id, "sgr-b1");
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "sg-a (#1)"), nullptr)
      << testing::all_diagnostics(r);
}

// What scan_nested_blocks must do, byte by byte: walks whole 64-byte blocks without a backslash.
load::NestedScan reference_scan(const std::string& s, size_t p, int64_t& depth, bool& in_string) {
  for (; s.size() - p >= 64; p += 64) {
    if (s.find('\\', p) < p + 64) break;
    for (size_t i = p; i < p + 64; ++i) {
      const char c = s[i];
      if (c == '"') {
        in_string = !in_string;
      } else if (!in_string && (c == '{' || c == '[')) {
        ++depth;
      } else if (!in_string && (c == '}' || c == ']') && --depth == 0) {
        return {i + 1, true};
      }
    }
  }
  return {p, false};
}

// The block scanner's variants (baseline and AVX2, where this CPU has it) against the byte-by-byte
// reference, on random text dense in brackets, quotes and backslashes, from every start state.
TEST(Streaming, BlockScannerVariantsAgreeWithTheReference) {
  std::mt19937 random(7);
  const std::string alphabet = R"({}[]\""::,, ab01{}[])";
  size_t ended = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string s(64 * (1 + random() % 6) + random() % 64, ' ');
    for (char& c : s) c = random() % 3 == 0 ? alphabet[random() % alphabet.size()] : 'x';
    if (random() % 2 == 0) {  // no backslash: whole blocks are the scanner's
      for (char& c : s) c = c == '\\' ? 'y' : c;
    }
    const int64_t depth0 = 1 + int64_t(random() % 4);
    const bool in_string0 = random() % 4 == 0;
    const size_t start = random() % 8;
    int64_t depth_ref = depth0, depth_base = depth0, depth_avx = depth0;
    bool string_ref = in_string0, string_base = in_string0, string_avx = in_string0;
    const load::NestedScan ref = reference_scan(s, start, depth_ref, string_ref);
    const load::NestedScan base = load::detail::scan_nested_baseline(s.data(), start, s.size(), depth_base, string_base);
    const load::NestedScan avx = load::detail::scan_nested_avx2(s.data(), start, s.size(), depth_avx, string_avx);
    ended += ref.ended;
    for (const load::NestedScan* got : {&base, &avx}) {
      ASSERT_EQ(got->pos, ref.pos) << s;
      ASSERT_EQ(got->ended, ref.ended) << s;
    }
    if (!ref.ended) {  // when it ended the state inside the block is not the scanner's to keep
      ASSERT_EQ(depth_base, depth_ref) << s;
      ASSERT_EQ(depth_avx, depth_ref) << s;
      ASSERT_EQ(string_base, string_ref) << s;
      ASSERT_EQ(string_avx, string_ref) << s;
    }
  }
  EXPECT_GT(ended, 100u);  // both outcomes were exercised
  if (!load::detail::avx2_splitter_available()) GTEST_SKIP() << "this CPU has no AVX2: the baseline variant only";
}

}  // namespace
}  // namespace fortress
