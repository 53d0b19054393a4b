// The collector writes what the AWS CLI prints: both talk to the same small local server
// (cli_parity_server.py) and the files must be byte for byte equal. Uses the real libcurl transport.
// Skipped when the Debian AWS CLI (/usr/bin/aws, the botocore the built-in models come from) or
// python3 is missing.
#include <gtest/gtest.h>
#include "collect/parity_server.h"
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "collect/collector.h"
#include "collect/fake_aws.h"

extern char** environ;

namespace fortress::collect {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(CliParity, CollectorFilesEqualTheAwsCliOutput) {
  if (!fs::exists("/usr/bin/aws") || std::system("python3 -c '' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "needs the Debian awscli package and python3";
  }
  const fs::path work = fs::path(::testing::TempDir()) / "fortress-cli-parity";
  fs::remove_all(work);
  fs::create_directories(work);
  ParityServer server(work);
  ASSERT_GT(server.port(), 0) << "the parity server did not start";
  const std::string endpoint = "http://127.0.0.1:" + std::to_string(server.port());

  aws::CredentialCache credentials(testing::fake_credential_environment(), aws::CredentialOptions{});
  CollectOptions options;
  options.output_dir = work / "collected";
  options.credentials = &credentials;
  options.make_transport = [] { return aws::make_curl_transport(); };
  options.client.endpoint_url = endpoint;
  options.home_region = "eu-west-1";
  options.select = [](const OperationSpec& s) { return s.service == "ec2" || s.service == "sts"; };
  auto result = collect_account(options);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->regions, std::vector<std::string>{"eu-west-1"});

  struct Case {
    std::string cli;   // arguments after `aws`
    std::string file;  // what the collector wrote
  };
  const std::vector<Case> cases = {
      {"sts get-caller-identity", "sts/get-caller-identity.json"},
      {"ec2 describe-regions", "ec2/describe-regions.json"},
      {"ec2 describe-security-groups", "eu-west-1/ec2/describe-security-groups.json"},
      {"ec2 describe-managed-prefix-lists", "eu-west-1/ec2/describe-managed-prefix-lists.json"},
      {"ec2 get-managed-prefix-list-entries --prefix-list-id pl-0a1b2c3d",
       "eu-west-1/ec2/get-managed-prefix-list-entries/pl-0a1b2c3d.json"},
      {"ec2 describe-vpcs", "eu-west-1/ec2/describe-vpcs.json"},
  };
  const std::string env = std::string("env -i PATH=/usr/bin:/bin HOME=") + work.string() +
                          " AWS_ACCESS_KEY_ID=" + testing::kAccessKeyId + " AWS_SECRET_ACCESS_KEY=x" +
                          " AWS_DEFAULT_REGION=eu-west-1 AWS_PAGER= AWS_CONFIG_FILE=/dev/null" +
                          " AWS_SHARED_CREDENTIALS_FILE=/dev/null ";
  for (const Case& c : cases) {
    const fs::path out = work / "cli.json";
    const std::string command = env + "/usr/bin/aws --output json --endpoint-url " + endpoint + " " + c.cli +
                                " >" + out.string() + " 2>" + (work / "cli.err").string();
    ASSERT_EQ(std::system(command.c_str()), 0) << c.cli << ": " << read_text(work / "cli.err");
    EXPECT_EQ(read_text(options.output_dir / c.file), read_text(out)) << c.cli;
  }

  // Denied: the CLI fails (exit status 254) and the collector leaves only the error record.
  const std::string denied = env + "/usr/bin/aws --output json --endpoint-url " + endpoint +
                             " ec2 describe-flow-logs >/dev/null 2>" + (work / "cli.err").string();
  const int status = std::system(denied.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 254);
  const std::string record = read_text(options.output_dir / "eu-west-1/ec2/describe-flow-logs.error.json");
  EXPECT_NE(record.find("\"ExitCode\": 254"), std::string::npos) << record;
  std::string cli_message = read_text(work / "cli.err");
  while (!cli_message.empty() && (cli_message.front() == '\n' || cli_message.front() == ' '))
    cli_message.erase(0, 1);
  while (!cli_message.empty() && (cli_message.back() == '\n' || cli_message.back() == ' '))
    cli_message.pop_back();
  EXPECT_NE(record.find("\"Message\": \"" + cli_message + "\""), std::string::npos)
      << record << "\nCLI: " << cli_message;
  EXPECT_FALSE(fs::exists(options.output_dir / "eu-west-1/ec2/describe-flow-logs.json"));
  fs::remove_all(work);
}

}  // namespace
}  // namespace fortress::collect
