// The fortress binary end to end: exit statuses, where messages go, the output formats and -o, on
// small snapshot directories written into a temporary folder (docs/output.md is the contract).
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.h"

namespace {

namespace fs = std::filesystem;
using fortress::testing::read_file;
using fortress::testing::sh_quote;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

constexpr const char* kCallerIdentity = R"({
    "UserId": "AIDAEXAMPLEUSERID",
    "Account": "111122223333",
    "Arn": "arn:aws:iam::111122223333:user/alice"
}
)";

// One VPC security group with SSH open to the world (and the default egress rule).
constexpr const char* kOpenSshGroups = R"({
    "SecurityGroups": [
        {
            "Description": "web servers",
            "GroupName": "web",
            "IpPermissions": [
                {
                    "FromPort": 22,
                    "IpProtocol": "tcp",
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "ToPort": 22,
                    "UserIdGroupPairs": []
                }
            ],
            "OwnerId": "111122223333",
            "GroupId": "sg-0123456789abcdef0",
            "IpPermissionsEgress": [
                {
                    "IpProtocol": "-1",
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": []
                }
            ],
            "Tags": [{"Key": "Name", "Value": "web-sg"}],
            "VpcId": "vpc-0123456789abcdef0"
        }
    ]
}
)";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fortress-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    tmp_ = pattern;
    snapshot_ = tmp_ / "snapshot";
    write_file(snapshot_ / "sts" / "get-caller-identity.json", kCallerIdentity);
    write_file(snapshot_ / "us-east-1" / "ec2" / "describe-security-groups.json", kOpenSshGroups);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  // Runs fortress with `args` (already shell-quoted where needed); `env` is prepended ("NAME=value ").
  Outcome fortress(const std::string& args, const std::string& env = "") {
    Outcome r;
    fs::path err_file = tmp_ / "stderr.txt";
    std::string command =
        env + sh_quote(FORTRESS_BINARY) + " " + args + " 2>" + sh_quote(err_file.string()) + " </dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return r;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = read_file(err_file);
    return r;
  }
  Outcome scan(const std::string& args = "",
               const std::string& env = "FORTRESS_FIXED_TIME=2026-01-01T00:00:00Z ") {
    return fortress("scan " + sh_quote(snapshot_.string()) + " " + args, env);
  }

  // The FAIL findings of a JSON report for the open-SSH group.
  std::vector<std::string> ssh_fail_severities(const std::string& json) {
    std::vector<std::string> out;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    EXPECT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
    simdjson::dom::array findings;
    if (root["findings"].get_array().get(findings) != simdjson::SUCCESS) return out;
    for (auto f : findings) {
      std::string_view status, resource, severity;
      if (f["status"].get_string().get(status) || f["resource_id"].get_string().get(resource) ||
          f["severity"].get_string().get(severity)) {
        continue;
      }
      if (status == "FAIL" && resource == "sg-0123456789abcdef0") out.emplace_back(severity);
    }
    return out;
  }

  fs::path tmp_;
  fs::path snapshot_;
};

// ---- version, usage ---------------------------------------------------------------------------

TEST_F(CliTest, Version) {
  Outcome flag = fortress("--version");
  EXPECT_EQ(flag.exit_code, 0);
  EXPECT_NE(flag.out.find("fortress " FORTRESS_VERSION), std::string::npos) << flag.out;
  Outcome cmd = fortress("version");
  EXPECT_EQ(cmd.exit_code, 0);
  EXPECT_EQ(cmd.out, "fortress " FORTRESS_VERSION "\n");
}

TEST_F(CliTest, HelpIsNotAnError) {
  Outcome r = fortress("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("scan"), std::string::npos);
  EXPECT_NE(r.out.find("Exit status"), std::string::npos);
}

TEST_F(CliTest, NoSubcommandIsUsageError) {
  Outcome r = fortress("");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST_F(CliTest, UnknownFlagIsUsageError) {
  Outcome r = scan("--bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bogus"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(CliTest, BadFlagValuesAreUsageErrors) {
  EXPECT_EQ(scan("--fail-on severe").exit_code, 2);
  EXPECT_EQ(scan("--format yaml").exit_code, 2);
  EXPECT_EQ(fortress("checks --format html").exit_code, 2);
}

TEST_F(CliTest, UnknownCheckIdIsUsageError) {
  Outcome r = scan("--checks no-such-check");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-check"), std::string::npos) << r.err;
}

TEST_F(CliTest, BadFixedTimeIsUsageError) {
  Outcome r = scan("--format json", "FORTRESS_FIXED_TIME=yesterday ");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("FORTRESS_FIXED_TIME"), std::string::npos) << r.err;
}

TEST_F(CliTest, MissingDirectoryIsInputError) {
  std::string missing = (tmp_ / "no-such-dir").string();
  Outcome r = fortress("scan " + sh_quote(missing));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-dir"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(CliTest, DirectoryWithoutExportsIsInputError) {
  fs::path empty = tmp_ / "empty";
  fs::create_directories(empty);
  Outcome r = fortress("scan " + sh_quote(empty.string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;
}

TEST_F(CliTest, BadConfigNamesFileAndLine) {
  fs::path config = tmp_ / "fortress.yaml";
  write_file(config, "trusted_cidrs:\n  - 203.0.113.0/24\nnot_a_key: true\n");
  Outcome r = scan("--config " + sh_quote(config.string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fortress.yaml:3"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(CliTest, MissingConfigIsInputError) {
  Outcome r = scan("--config " + sh_quote((tmp_ / "absent.yaml").string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("absent.yaml"), std::string::npos) << r.err;
}

// ---- findings and exit statuses ---------------------------------------------------------------

TEST_F(CliTest, OpenSshIsReportedAndExitsZeroWithoutFailOn) {
  Outcome r = scan("--format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> sev = ssh_fail_severities(r.out);
  ASSERT_FALSE(sev.empty()) << "SSH open to 0.0.0.0/0 must FAIL\n" << r.out;
  bool high_or_critical = false;
  for (const std::string& s : sev) high_or_critical |= s == "critical" || s == "high";
  EXPECT_TRUE(high_or_critical);
}

TEST_F(CliTest, FailOnHighWithCriticalOrHighFailExitsOne) {
  Outcome r = scan("--fail-on high");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

TEST_F(CliTest, FailOnCriticalMatchesTheSeverities) {
  Outcome json = scan("--format json");
  std::vector<std::string> sev = ssh_fail_severities(json.out);
  bool critical = std::find(sev.begin(), sev.end(), "critical") != sev.end();
  EXPECT_EQ(scan("--fail-on critical").exit_code, critical ? 1 : 0);
}

TEST_F(CliTest, MutedFindingsNeverFail) {
  fs::path config = tmp_ / "fortress.yaml";
  write_file(config,
             "mutes:\n"
             "  - check: \"*\"\n"
             "    resource: sg-0123456789abcdef0\n"
             "    reason: bastion approved in SEC-12\n");
  Outcome r = scan("--config " + sh_quote(config.string()) + " --fail-on info --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ssh_fail_severities(r.out).empty());
  EXPECT_NE(r.out.find("\"mute_reason\": \"bastion approved in SEC-12\""), std::string::npos) << r.out;
}

TEST_F(CliTest, MalformedJsonIsIncompleteAndNamedOnStderr) {
  write_file(snapshot_ / "us-east-1" / "ec2" / "describe-vpcs.json", "{\n  \"Vpcs\": [\n    {\"VpcId\": \n");
  Outcome r = scan("--format json");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("describe-vpcs.json"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"incomplete\": true"), std::string::npos);
  // Still reported: the rest of the snapshot loaded.
  EXPECT_FALSE(ssh_fail_severities(r.out).empty());
  // A FAIL at or above --fail-on wins over incomplete.
  EXPECT_EQ(scan("--fail-on high").exit_code, 1);
}

TEST_F(CliTest, CollectionErrorIsIncomplete) {
  write_file(snapshot_ / "us-east-1" / "ec2" / "describe-instances.error.json",
             R"({"FortressCollectionError": {"Service": "ec2", "Command": "describe-instances",
                 "Region": "us-east-1", "ErrorCode": "UnauthorizedOperation",
                 "Message": "You are not authorized to perform this operation.", "ExitCode": 254,
                 "Time": "2026-12-03T18:00:00Z"}})");
  Outcome r = scan("--format json");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("UnauthorizedOperation"), std::string::npos) << r.out;
}

TEST_F(CliTest, OnlySelectedChecksRun) {
  Outcome catalogue = fortress("checks --format json");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(catalogue.out).get(root), simdjson::SUCCESS);
  simdjson::dom::array checks;
  ASSERT_EQ(root.get_array().get(checks), simdjson::SUCCESS);
  ASSERT_GT(checks.size(), 1u);
  std::string_view first_id;
  ASSERT_EQ(checks.at(0)["id"].get_string().get(first_id), simdjson::SUCCESS);
  Outcome r = scan("--format json --checks " + std::string(first_id));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser p2;
  simdjson::dom::element report;
  ASSERT_EQ(p2.parse(r.out).get(report), simdjson::SUCCESS);
  for (auto f : report["findings"].get_array()) {
    std::string_view id;
    ASSERT_EQ(f["check_id"].get_string().get(id), simdjson::SUCCESS);
    EXPECT_EQ(id, first_id);
  }
}

// ---- formats and output -----------------------------------------------------------------------

TEST_F(CliTest, JsonReportShape) {
  Outcome r = scan("--format json");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(r.out).get(root), simdjson::SUCCESS) << r.out;
  std::string_view s;
  ASSERT_EQ(root["tool"].get_string().get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "fortress");
  ASSERT_EQ(root["account_id"].get_string().get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "111122223333");
  ASSERT_EQ(root["generated_at"].get_string().get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "2026-01-01T00:00:00Z");
  simdjson::dom::array regions;
  ASSERT_EQ(root["regions"].get_array().get(regions), simdjson::SUCCESS);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions.at(0).get_string().value(), "us-east-1");
  bool sg_ok = false;
  for (auto c : root["coverage"].get_array()) {
    if (c["region"].get_string().value() == "us-east-1" &&
        c["dataset"].get_string().value() == "ec2/describe-security-groups") {
      sg_ok = c["status"].get_string().value() == "ok";
    }
  }
  EXPECT_TRUE(sg_ok);
}

TEST_F(CliTest, SameInputSameJson) {
  Outcome a = scan("--format json");
  Outcome b = scan("--format json");
  EXPECT_EQ(a.out, b.out);
}

TEST_F(CliTest, TerminalReportIsPlainWhenNotATty) {
  Outcome r = scan();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("sg-0123456789abcdef0 (web-sg)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fix: aws ec2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SUMMARY"), std::string::npos);
  EXPECT_NE(r.out.find("account 111122223333"), std::string::npos);
}

TEST_F(CliTest, CsvReport) {
  Outcome r = scan("--format csv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("check_id,title,status,severity,area,", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("sg-0123456789abcdef0"), std::string::npos);
}

TEST_F(CliTest, OutputFileGetsTheReport) {
  fs::path out = tmp_ / "report.json";
  Outcome r = scan("--format json -o " + sh_quote(out.string()));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  std::string text = read_file(out);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << text;

  fs::path terminal = tmp_ / "report.txt";
  Outcome t = scan("-o " + sh_quote(terminal.string()));
  EXPECT_EQ(t.exit_code, 0);
  std::string report = read_file(terminal);
  EXPECT_NE(report.find("SUMMARY"), std::string::npos);
  EXPECT_EQ(report.find('\x1b'), std::string::npos) << "a report file never has colour";
}

TEST_F(CliTest, UnwritableOutputIsAnError) {
  Outcome r = scan("-o " + sh_quote((tmp_ / "no-such-dir" / "report.txt").string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("report.txt"), std::string::npos) << r.err;
}

TEST_F(CliTest, ChecksCatalogue) {
  Outcome json = fortress("checks --format json");
  EXPECT_EQ(json.exit_code, 0);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json.out).get(root), simdjson::SUCCESS) << json.out;
  EXPECT_TRUE(root.is_array());
  Outcome text = fortress("checks");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_FALSE(text.out.empty());
  Outcome md = fortress("checks --format markdown");
  EXPECT_EQ(md.exit_code, 0);
  EXPECT_FALSE(md.out.empty());
}

}  // namespace
