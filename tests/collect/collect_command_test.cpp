// `fortress collect` end to end: the binary against the local AWS test endpoint serving the demo
// account, with credentials from the environment only (no files, no instance metadata), then
// `fortress scan` over what it wrote.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <memory>

#include "endpoint/aws_endpoint.h"
#include "support/process.h"
#include "support/tls.h"
#include "util/json_value.h"

namespace fortress::collect {
namespace {

namespace fs = std::filesystem;
using fortress::testing::read_file;
using fortress::testing::run_command;
using fortress::testing::sh_quote;
using ::testing::HasSubstr;

TEST(CollectCommand, WritesTheSnapshotAndRecordsTheDeniedCall) {
  const fs::path work = fs::temp_directory_path() / ("fortress-collect-cli-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  endpoint::EndpointOptions options;
  options.fixture = fs::path(FORTRESS_SOURCE_DIR) / "examples/demo-account";
  options.secrets = {{"AKIDEXAMPLE", "wJalrXUtnFEMIEXAMPLEKEY"}};
  options.faults.denied_services = {"ec2:DescribeFlowLogs"};
  endpoint::AwsTestEndpoint server(options);
  ASSERT_TRUE(server.start()) << "the local endpoint did not start";
  const std::string endpoint = server.url();
  const fs::path out = work / "snapshot";
  // A clean environment: fake keys, no shared files, no metadata service, no proxy.
  const std::string env = "env -i PATH=/usr/bin:/bin HOME=" + sh_quote(work.string()) +
                          " AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIEXAMPLEKEY"
                          " AWS_EC2_METADATA_DISABLED=true ";
  auto collected = run_command(env + sh_quote(FORTRESS_BINARY) + " collect -o " + sh_quote(out.string()) +
                               " --endpoint-url " + endpoint + " --region eu-west-1 --regions eu-west-1 --verbose 2>&1");
  // The endpoint denies DescribeFlowLogs: the run completes, records it and says the snapshot is incomplete.
  EXPECT_EQ(collected.exit_code, 3) << collected.out;
  EXPECT_THAT(collected.out, HasSubstr("ec2 describe-security-groups"));
  EXPECT_THAT(collected.out, ::testing::Not(HasSubstr("wJalrXUtnFEMIEXAMPLEKEY")));
  EXPECT_THAT(collected.out, ::testing::Not(HasSubstr("Signature=")));
  EXPECT_TRUE(fs::exists(out / "sts" / "get-caller-identity.json"));
  EXPECT_TRUE(fs::exists(out / "eu-west-1" / "ec2" / "describe-security-groups.json"));
  EXPECT_TRUE(fs::exists(out / "eu-west-1" / "ec2" / "describe-flow-logs.error.json"));
  EXPECT_FALSE(fs::exists(out / "eu-west-1" / "ec2" / "describe-flow-logs.json"));
  EXPECT_THAT(read_file(out / "eu-west-1" / "ec2" / "describe-flow-logs.error.json"),
              HasSubstr("\"FortressCollectionError\""));

  auto scanned = run_command(sh_quote(FORTRESS_BINARY) + " scan " + sh_quote(out.string()) +
                             " --format json 2>/dev/null");
  EXPECT_EQ(scanned.exit_code, 3);
  EXPECT_THAT(scanned.out, HasSubstr("\"account_id\": \"111122223333\""));
  EXPECT_THAT(scanned.out, HasSubstr("\"dataset\": \"ec2/describe-flow-logs\",\n      \"status\": \"error\""));
  fs::remove_all(work);
}

TEST(CollectCommand, NoCredentialsIsAUsageErrorBeforeAnyCall) {
  const fs::path work = fs::temp_directory_path() / ("fortress-collect-nocreds-" + std::to_string(::getpid()));
  fs::create_directories(work);
  auto r = run_command("env -i PATH=/usr/bin:/bin HOME=" + sh_quote(work.string()) +
                       " AWS_EC2_METADATA_DISABLED=true " + sh_quote(FORTRESS_BINARY) + " collect -o " +
                       sh_quote((work / "out").string()) + " --endpoint-url http://127.0.0.1:9 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_THAT(r.out, HasSubstr("no AWS credentials found"));
  fs::remove_all(work);
}


TEST(ScanCommand, WithoutDirCollectsTheLiveAccountThenScansItAsTheOfflineScanWould) {
  const fs::path work = fs::temp_directory_path() / ("fortress-live-scan-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  endpoint::EndpointOptions options;
  options.fixture = fs::path(FORTRESS_SOURCE_DIR) / "examples/demo-account";
  options.secrets = {{"AKIDEXAMPLE", "wJalrXUtnFEMIEXAMPLEKEY"}};
  endpoint::AwsTestEndpoint server(options);
  ASSERT_TRUE(server.start());
  const std::string env = "env -i PATH=/usr/bin:/bin HOME=" + sh_quote(work.string()) +
                          " FORTRESS_FIXED_TIME=2026-12-03T12:00:00Z AWS_ACCESS_KEY_ID=AKIDEXAMPLE"
                          " AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIEXAMPLEKEY AWS_EC2_METADATA_DISABLED=true ";
  const fs::path saved = work / "saved";
  auto live = run_command(env + sh_quote(FORTRESS_BINARY) + " scan --endpoint-url " + server.url() +
                          " --region us-east-1 --save-snapshot " + sh_quote(saved.string()) +
                          " --format json 2>" + sh_quote((work / "live.err").string()));
  // The demo fixture records a denied DescribeFlowLogs in eu-west-1 and has no IAM, ELB... files:
  // the live scan is complete for what it could read and says it is incomplete.
  EXPECT_EQ(live.exit_code, 3) << read_file(work / "live.err");
  EXPECT_THAT(live.out, HasSubstr("\"account_id\": \"111122223333\""));
  EXPECT_THAT(live.out, HasSubstr("\"regions\": [\n    \"eu-west-1\",\n    \"us-east-1\"\n  ]"));
  EXPECT_TRUE(fs::exists(saved / "us-east-1/ec2/describe-security-groups.json"));
  // Re-scanning the saved snapshot offline gives the same report.
  auto offline = run_command(env + sh_quote(FORTRESS_BINARY) + " scan " + sh_quote(saved.string()) +
                             " --format json 2>/dev/null");
  EXPECT_EQ(offline.exit_code, 3);
  EXPECT_EQ(offline.out, live.out);
  fs::remove_all(work);
}

TEST(ScanCommand, LiveFlagsWithADirAreAUsageError) {
  auto r = run_command(sh_quote(FORTRESS_BINARY) + " scan " + sh_quote(std::string(FORTRESS_SOURCE_DIR) +
                       "/examples/demo-account") + " --regions us-east-1 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("are for a live scan (without DIR)"));
}

}  // namespace
}  // namespace fortress::collect

namespace fortress::collect {
namespace {

// An organization on the local endpoint: the demo account (EC2) layered with the services fixture,
// its ACTIVE accounts (111122223333, 444455556666) and 555566667777 as members; 555566667777's role
// refuses AssumeRole.
struct Organization {
  explicit Organization(endpoint::Faults faults = {}) {
    work = fs::temp_directory_path() / ("fortress-org-cli-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(work);
    fs::create_directories(work);
    endpoint::EndpointOptions options;
    options.fixture = fs::path(FORTRESS_SOURCE_DIR) / "examples/demo-account";
    options.more_fixtures = {fs::path(FORTRESS_SOURCE_DIR) / "tests/data/aws-account"};
    options.secrets = {{"AKIDEXAMPLE", "wJalrXUtnFEMIEXAMPLEKEY"}};
    options.members_from_org = true;
    options.members = {"555566667777"};
    options.faults = std::move(faults);
    options.faults.deny_assume_role.insert("555566667777");
    server = std::make_unique<endpoint::AwsTestEndpoint>(options);
    EXPECT_TRUE(server->start());
    env = "env -i PATH=/usr/bin:/bin HOME=" + sh_quote(work.string()) +
          " FORTRESS_FIXED_TIME=2026-12-03T12:00:00Z AWS_ACCESS_KEY_ID=AKIDEXAMPLE"
          " AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIEXAMPLEKEY AWS_SESSION_TOKEN=FortressBaseSessionToken0123456789"
          " AWS_EC2_METADATA_DISABLED=true ";
  }
  ~Organization() { fs::remove_all(work); }
  // `vars`: more "NAME=value " settings for the clean environment.
  std::string fortress(const std::string& args, const std::string& vars = "") const {
    return env + vars + sh_quote(FORTRESS_BINARY) + " " + args + " --endpoint-url " + server->url();
  }

  fs::path work;
  std::unique_ptr<endpoint::AwsTestEndpoint> server;
  std::string env;
};

TEST(MultiAccountCommand, CollectsEveryAccountIntoItsFolderAndScanReportsEachAndTheTotal) {
  Organization org;
  const fs::path out = org.work / "org";
  auto collected = run_command(org.fortress("collect -o " + sh_quote(out.string()) +
                                            " --role-name FortressAudit --accounts 444455556666,111122223333,555566667777"
                                            " --regions us-east-1") +
                               " 2>&1");
  EXPECT_EQ(collected.exit_code, 3) << collected.out;  // one account could not be collected
  EXPECT_THAT(collected.out, HasSubstr("collected 2 of 3 account(s) into"));
  EXPECT_THAT(collected.out, HasSubstr("555566667777: NOT COLLECTED: could not assume "
                                       "arn:aws:iam::555566667777:role/FortressAudit"));
  EXPECT_THAT(collected.out, ::testing::Not(HasSubstr("collecting:"))) << "no progress line when stderr is not a terminal";
  for (const char* id : {"111122223333", "444455556666"}) {
    EXPECT_TRUE(fs::exists(out / id / "us-east-1/ec2/describe-security-groups.json")) << id;
    EXPECT_TRUE(fs::exists(out / id / "iam/get-account-authorization-details.json")) << id;
  }
  EXPECT_TRUE(fs::exists(out / "555566667777/sts/get-caller-identity.error.json"));

  auto json = run_command(org.env + sh_quote(FORTRESS_BINARY) + " scan " + sh_quote(out.string()) +
                          " --format json 2>/dev/null");
  EXPECT_EQ(json.exit_code, 3);
  auto doc = parse_json_text(json.out);
  ASSERT_TRUE(doc) << json.out;
  EXPECT_EQ(doc->get("account_id")->as_string(), "");
  const auto& accounts = doc->get("accounts")->as_array();
  ASSERT_EQ(accounts.size(), 3u);
  EXPECT_EQ(accounts[0].get("account_id")->as_string(), "111122223333");
  EXPECT_EQ(accounts[1].get("account_id")->as_string(), "444455556666");
  EXPECT_EQ(accounts[2].get("account_id")->as_string(), "555566667777");
  EXPECT_FALSE(accounts[2].get("collected")->as_bool());
  EXPECT_GT(accounts[1].get("summary")->get("by_status")->get("FAIL")->as_int(), 0);
  // --fail-on over every account.
  auto failing = run_command(org.env + sh_quote(FORTRESS_BINARY) + " scan " + sh_quote(out.string()) +
                             " --fail-on critical --format csv 2>/dev/null");
  EXPECT_EQ(failing.exit_code, 1);
  EXPECT_THAT(failing.out, HasSubstr(",444455556666,us-east-1,"));
  auto terminal = run_command(org.env + sh_quote(FORTRESS_BINARY) + " scan " + sh_quote(out.string()) + " 2>/dev/null");
  EXPECT_THAT(terminal.out, HasSubstr("=== ACCOUNT 444455556666 (snapshot 444455556666/)"));
  EXPECT_THAT(terminal.out, HasSubstr("TOTAL over 3 accounts"));
  EXPECT_THAT(terminal.out, HasSubstr("555566667777  NOT COLLECTED: AccessDenied: could not assume"));
  // One account's folder still scans on its own, as a single snapshot.
  auto one = run_command(org.env + sh_quote(FORTRESS_BINARY) + " scan " + sh_quote((out / "444455556666").string()) +
                         " --format json 2>/dev/null");
  auto one_doc = parse_json_text(one.out);
  ASSERT_TRUE(one_doc);
  EXPECT_EQ(one_doc->get("account_id")->as_string(), "444455556666");
  // Collecting fewer accounts into the same folder says which folders are left from before.
  auto again = run_command(org.fortress("collect -o " + sh_quote(out.string()) +
                                        " --role-name FortressAudit --accounts 444455556666 --regions us-east-1") +
                           " 2>&1");
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_THAT(again.out, HasSubstr("111122223333 was not collected in this run (left from an earlier one)"));
  EXPECT_THAT(again.out, HasSubstr("555566667777 was not collected in this run"));
}

TEST(MultiAccountCommand, LiveScanOfTheOrganization) {
  Organization org;
  const fs::path saved = org.work / "saved";
  auto live = run_command(org.fortress("scan --role-name FortressAudit --org --regions us-east-1 --format json "
                                       "--save-snapshot " + sh_quote(saved.string())) +
                          " 2>" + sh_quote((org.work / "err").string()));
  // Both ACTIVE accounts collected in full (the SUSPENDED one is not an account to collect).
  EXPECT_EQ(live.exit_code, 0) << read_file(org.work / "err");
  auto doc = parse_json_text(live.out);
  ASSERT_TRUE(doc) << live.out;
  ASSERT_EQ(doc->get("accounts")->as_array().size(), 2u);
  EXPECT_FALSE(doc->get("incomplete")->as_bool());
  EXPECT_THAT(read_file(org.work / "err"), HasSubstr("not ACTIVE, not collected: 777788889999 (SUSPENDED)"));
  EXPECT_TRUE(fs::exists(saved / "111122223333/organizations/list-accounts.json"));
  // Without --save-snapshot the temporary folder is not named (it is gone when the scan ends).
  auto temporary = run_command(org.fortress("scan --role-name FortressAudit --org --regions us-east-1 --format json") +
                               " 2>&1 >/dev/null");
  EXPECT_THAT(temporary.out, HasSubstr("collected 2 of 2 account(s): "));
  EXPECT_THAT(temporary.out, ::testing::Not(HasSubstr("fortress-scan-")));
}

TEST(MultiAccountCommand, MultiAccountFlagsAreChecked) {
  Organization org;
  for (const std::string& args : {std::string("collect -o x --accounts 444455556666"),
                                  std::string("collect -o x --role-name R --accounts 4444"),
                                  std::string("collect -o x --role-name R --org --accounts 444455556666"),
                                  std::string("collect -o x --external-id e")}) {
    auto r = run_command(org.fortress(args) + " 2>&1");
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.out;
  }
  auto with_dir = run_command(org.env + sh_quote(FORTRESS_BINARY) + " scan " +
                              sh_quote(std::string(FORTRESS_SOURCE_DIR) + "/examples/demo-account") +
                              " --role-name R --org 2>&1");
  EXPECT_EQ(with_dir.exit_code, 2);
  EXPECT_THAT(with_dir.out, HasSubstr("are for a live scan"));
}

TEST(MultiAccountCommand, VerboseLogsEveryCallAndNeverACredentialOrSignature) {
  endpoint::Faults faults;
  faults.server_error_first = 1;  // every request is retried once: the retry paths log too
  faults.denied_services = {"ec2:DescribeFlowLogs", "guardduty"};
  Organization org(faults);
  const std::string err_file = (org.work / "verbose.err").string();
  auto verbose = run_command(org.fortress("collect -o " + sh_quote((org.work / "out").string()) +
                                          " --role-name FortressAudit --accounts 111122223333,444455556666,555566667777"
                                          " --regions us-east-1 --verbose") +
                             " >/dev/null 2>" + sh_quote(err_file));
  EXPECT_EQ(verbose.exit_code, 3);
  const std::string err = read_file(err_file);
  // A line per call: account, operation, region, status, time, retries.
  EXPECT_THAT(err, ::testing::ContainsRegex("444455556666  sts get-caller-identity +global +ok +[0-9]+ ms  1 retry\n"));
  // Nine pages of groups (17 in the demo's us-east-1, 2 a page), each answered 503 once.
  EXPECT_THAT(err, ::testing::ContainsRegex("444455556666  ec2 describe-security-groups +us-east-1 +ok +[0-9]+ ms  9 retries"));
  EXPECT_THAT(err, ::testing::ContainsRegex("ec2 describe-flow-logs +us-east-1 +UnauthorizedOperation \\(HTTP 403\\)"));
  EXPECT_THAT(err, ::testing::ContainsRegex("iam get-account-summary +global +ok"));
  // Never a secret: not the base secret key or session token, not a role's secret or token, no signature.
  for (const std::string secret : {"wJalrXUtnFEMIEXAMPLEKEY", "FortressBaseSessionToken0123456789", "member-secret-",
                                   "member-session-token", "Signature=", "AKIDEXAMPLE"}) {
    EXPECT_EQ(err.find(secret), std::string::npos) << secret << " in:\n" << err;
  }
  // The same for a verbose live scan (collection and load diagnostics).
  const std::string scan_err = (org.work / "scan.err").string();
  run_command(org.fortress("scan --role-name FortressAudit --org --regions us-east-1 --verbose --format json") +
              " >/dev/null 2>" + sh_quote(scan_err));
  const std::string scan_text = read_file(scan_err);
  EXPECT_THAT(scan_text, HasSubstr("ec2 describe-vpcs"));
  for (const std::string secret : {"wJalrXUtnFEMIEXAMPLEKEY", "FortressBaseSessionToken0123456789", "member-secret-",
                                   "member-session-token", "Signature="}) {
    EXPECT_EQ(scan_text.find(secret), std::string::npos) << secret;
  }
}

TEST(MultiAccountCommand, ProgressIsOneUpdatingLineOnATerminal) {
  if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "needs script(1) (bsdutils) for a terminal";
  Organization org;
  // script(1) gives the command a terminal; stdout goes to /dev/null, so what it shows is stderr.
  const std::string command = org.fortress("collect -o " + sh_quote((org.work / "out").string()) +
                                           " --role-name FortressAudit --org --regions us-east-1") +
                              " >/dev/null";
  auto r = run_command("/usr/bin/script -qec " + sh_quote(command) + " /dev/null");
  EXPECT_THAT(r.out, HasSubstr("\r\x1b[Kcollecting: "));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("collecting: 2/2 accounts, 2 regions, [0-9]+ calls done, 0 retries, 0 failed"));
  EXPECT_THAT(r.out, HasSubstr("collected 2 of 2 account(s) into"));
  // Redrawn in place: no line feed between two progress lines.
  const size_t first = r.out.find("collecting: ");
  const size_t summary = r.out.find("collected 2 of 2");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(r.out.substr(first, summary - first).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace fortress::collect

namespace fortress::collect {
namespace {

TEST(CollectCommand, AttemptsFollowAwsMaxAttemptsAndBadRetrySettingsAreUsageErrors) {
  endpoint::Faults faults;
  faults.server_error_first = 1;  // every request's first answer is a 503
  Organization org(faults);
  const std::string out = sh_quote((org.work / "out").string());
  // One attempt only: nothing gets past the 503s.
  auto once = run_command(org.fortress("collect -o " + out + " --regions us-east-1", "AWS_MAX_ATTEMPTS=1 ") + " 2>&1");
  EXPECT_EQ(once.exit_code, 3) << once.out;
  EXPECT_THAT(once.out, HasSubstr("failed: us-east-1/ec2/describe-vpcs.error.json: ServiceUnavailable"));
  // The profile's max_attempts is read too (the variable wins over it).
  std::ofstream(org.work / "config") << "[default]\nmax_attempts = 1\nretry_mode = standard\n";
  auto from_profile = run_command(
      org.fortress("collect -o " + out + " --regions us-east-1", "AWS_CONFIG_FILE=" + sh_quote((org.work / "config").string()) + " ") +
      " 2>&1");
  EXPECT_EQ(from_profile.exit_code, 3) << from_profile.out;
  auto variable_wins = run_command(
      org.fortress("collect -o " + out + " --regions us-east-1",
                   "AWS_MAX_ATTEMPTS=3 AWS_CONFIG_FILE=" + sh_quote((org.work / "config").string()) + " ") +
      " 2>&1");
  EXPECT_THAT(variable_wins.out, ::testing::Not(HasSubstr("ec2/describe-vpcs.error.json")));
  for (const std::string bad : {"AWS_MAX_ATTEMPTS=0", "AWS_MAX_ATTEMPTS=three", "AWS_RETRY_MODE=fast"}) {
    auto r = run_command(org.fortress("collect -o " + out, bad + " ") + " 2>&1");
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.out;
  }
}

}  // namespace
}  // namespace fortress::collect

namespace fortress::collect {
namespace {

TEST(CollectCommand, EndpointsFromTheEnvironmentAsTheSdksDefineThem) {
  Organization org;
  const std::string out = (org.work / "out").string();
  const std::string binary = sh_quote(FORTRESS_BINARY);
  // AWS_ENDPOINT_URL for every service, no flag.
  auto all = run_command(org.env + "AWS_ENDPOINT_URL=" + org.server->url() + " " + binary + " collect -o " +
                         sh_quote(out) + " --regions us-east-1 2>&1");
  EXPECT_EQ(all.exit_code, 0) << all.out;
  // AWS_ENDPOINT_URL_EC2 wins for EC2; everything else goes to AWS_ENDPOINT_URL, here a closed port.
  fs::remove_all(out);
  auto ec2_only = run_command(org.env + "AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ENDPOINT_URL_EC2=" + org.server->url() +
                              " " + binary + " collect -o " + sh_quote(out) + " --regions us-east-1 2>&1");
  EXPECT_EQ(ec2_only.exit_code, 3) << ec2_only.out;
  EXPECT_TRUE(fs::exists(fs::path(out) / "us-east-1/ec2/describe-vpcs.json"));
  EXPECT_THAT(read_file(fs::path(out) / "sts/get-caller-identity.error.json"), HasSubstr("EndpointConnectionError"));
  EXPECT_THAT(read_file(fs::path(out) / "iam/get-account-summary.error.json"), HasSubstr("127.0.0.1:9"));
  // (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS would send the calls to AWS itself: tests/aws/endpoints_test.cpp.)
}

TEST(CollectCommand, TlsIsVerifiedAgainstTheCaBundleFromTheFlagTheVariableOrTheProfile) {
  const fs::path dir = fs::temp_directory_path() / ("fortress-tls-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const auto cert = fortress::testing::make_test_certificate(dir);
  ASSERT_FALSE(cert.certificate.empty());
  endpoint::EndpointOptions options;
  options.fixture = fs::path(FORTRESS_SOURCE_DIR) / "examples/demo-account";
  options.secrets = {{"AKIDEXAMPLE", "wJalrXUtnFEMIEXAMPLEKEY"}};
  options.tls_certificate = cert.certificate;
  options.tls_key = cert.key;
  endpoint::AwsTestEndpoint server(options);
  ASSERT_TRUE(server.start());
  const std::string env = "env -i PATH=/usr/bin:/bin HOME=" + sh_quote(dir.string()) +
                          " AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIEXAMPLEKEY"
                          " AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=" + sh_quote((dir / "config").string()) + " ";
  auto collect = [&](const std::string& vars, const std::string& flags) {
    fs::remove_all(dir / "out");
    return run_command(env + vars + sh_quote(FORTRESS_BINARY) + " collect -o " + sh_quote((dir / "out").string()) +
                       " --regions us-east-1 --endpoint-url " + server.url() + " " + flags + " 2>&1");
  };
  auto untrusted = collect("AWS_MAX_ATTEMPTS=1 ", "");
  EXPECT_EQ(untrusted.exit_code, 3);
  EXPECT_THAT(read_file(dir / "out/sts/get-caller-identity.error.json"), HasSubstr("EndpointConnectionError"));
  EXPECT_FALSE(fs::exists(dir / "out/us-east-1/ec2/describe-vpcs.json"));
  EXPECT_TRUE(server.calls().empty()) << "nothing was sent over an unverified connection";
  for (const auto& [vars, flags] : std::vector<std::pair<std::string, std::string>>{
           {"", "--ca-bundle " + sh_quote(cert.certificate.string())},
           {"AWS_CA_BUNDLE=" + sh_quote(cert.certificate.string()) + " ", ""}}) {
    auto trusted = collect(vars, flags);
    EXPECT_TRUE(fs::exists(dir / "out/us-east-1/ec2/describe-vpcs.json")) << vars << flags << trusted.out;
  }
  std::ofstream(dir / "config") << "[default]\nca_bundle = " << cert.certificate.string() << "\n";
  auto from_profile = collect("", "");
  EXPECT_TRUE(fs::exists(dir / "out/us-east-1/ec2/describe-vpcs.json")) << from_profile.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fortress::collect
