// `fortress collect` end to end: the binary against the local AWS test endpoint serving the demo
// account, with credentials from the environment only (no files, no instance metadata), then
// `fortress scan` over what it wrote.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "endpoint/aws_endpoint.h"
#include "support/process.h"

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
