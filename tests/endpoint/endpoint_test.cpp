// The local AWS test endpoint against the two clients that matter: fortress's collector and the Debian
// AWS CLI. Both must read the fixture back unchanged through the real wire protocols, signatures and
// paging included; faults that retries can absorb must leave the snapshot unchanged, and those they
// cannot must show as coverage errors and NOT_ASSESSED, never as a clean result.
#include "endpoint/aws_endpoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <unistd.h>

#include "checks/registry.h"
#include "collect/collector.h"
#include "endpoint/fixture_calls.h"
#include "load/snapshot.h"
#include "support/process.h"

namespace fortress::endpoint {
namespace {

namespace fs = std::filesystem;
using fortress::testing::read_file;
using fortress::testing::run_command;
using fortress::testing::sh_quote;
using testing::FixtureCall;
using testing::fixture_calls;

constexpr const char* kAccessKey = "AKIDFORTRESSTEST";
constexpr const char* kSecret = "fortress-test-secret-key";

// Test keys from the environment; with `tokens`, also a session token that is new each time the
// environment is read ("token-1", "token-2", ...), as a refreshed session would be.
aws::Environment credential_environment(std::shared_ptr<std::atomic<int>> tokens = nullptr) {
  aws::Environment env;
  env.getenv = [tokens](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_ACCESS_KEY_ID") return std::string(kAccessKey);
    if (name == "AWS_SECRET_ACCESS_KEY") return std::string(kSecret);
    if (name == "AWS_SESSION_TOKEN" && tokens) return "token-" + std::to_string(++*tokens);
    return std::nullopt;
  };
  env.read_file = [](const std::string& path) -> Expected<std::string> {
    return Error{ErrorCode::kIo, "no such file", path, 0, 0};
  };
  env.run = [](const std::string&) -> Expected<aws::ProcessResult> {
    return Error{ErrorCode::kIo, "no processes", "", 0, 0};
  };
  return env;
}

fs::path fresh_dir(const std::string& name) {
  // ctest runs each test in its own process, two at a time: the pid keeps their folders apart.
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("fortress-endpoint-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct Collected {
  Expected<collect::CollectResult> result;
  fs::path dir;
};

Collected collect_from(const AwsTestEndpoint& endpoint, const fs::path& fixture, const std::string& name,
                       std::chrono::milliseconds total_timeout = std::chrono::seconds(20),
                       aws::Environment env = credential_environment()) {
  const auto calls = fixture_calls(fixture);
  aws::CredentialCache credentials(std::move(env), aws::CredentialOptions{});
  collect::CollectOptions options;
  options.output_dir = fresh_dir(name);
  options.regions = testing::fixture_regions(calls);
  options.home_region = "us-east-1";
  options.organization = true;
  options.credentials = &credentials;
  options.make_transport = [] { return aws::make_curl_transport(); };
  options.client.endpoint_url = endpoint.url();
  options.client.sleep = [](std::chrono::milliseconds) {};  // retries at once
  options.client.total_timeout = total_timeout;
  options.max_in_flight = 8;
  // Only the rows the fixture has files for (the two fixtures split the services between them).
  std::vector<const collect::OperationSpec*> present;
  for (const FixtureCall& c : calls) present.push_back(c.spec);
  options.select = [present](const collect::OperationSpec& s) {
    return s.operation == "GetCallerIdentity" || s.operation == "DescribeRegions" ||
           std::find(present.begin(), present.end(), &s) != present.end();
  };
  return Collected{collect::collect_account(options), options.output_dir};
}

// Every fixture file must come back from the collector with the same JSON.
void expect_same_snapshot(const fs::path& fixture, const fs::path& collected) {
  for (const FixtureCall& call : fixture_calls(fixture)) {
    SCOPED_TRACE(call.file);
    const fs::path got = collected / call.file;
    ASSERT_TRUE(fs::exists(got)) << "collector did not write " << call.file;
    auto want = parse_json_text(read_file(fixture / call.file));
    auto have = parse_json_text(read_file(got));
    ASSERT_TRUE(want && have);
    if (call.error) {
      EXPECT_EQ(have->get("FortressCollectionError")->get("ErrorCode")->as_string(),
                want->get("FortressCollectionError")->get("ErrorCode")->as_string());
    } else {
      EXPECT_EQ(have->dump(2), want->dump(2));
    }
  }
}

EndpointOptions options_for(const fs::path& fixture) {
  EndpointOptions o;
  o.fixture = fixture;
  o.secrets = {{kAccessKey, kSecret}};
  return o;
}

TEST(TestEndpoint, CollectorReadsBothFixturesBackUnchanged) {
  for (const fs::path& fixture : {testing::kDemoAccount, testing::kServicesAccount}) {
    SCOPED_TRACE(fixture.string());
    AwsTestEndpoint endpoint(options_for(fixture));
    ASSERT_TRUE(endpoint.start());
    Collected c = collect_from(endpoint, fixture, "plain");
    ASSERT_TRUE(c.result) << c.result.error().message;
    expect_same_snapshot(fixture, c.dir);
    // Lists really were paged: 17 groups in the demo's us-east-1 at 2 per page.
    if (fixture == testing::kDemoAccount) {
      const auto calls = endpoint.calls();
      const auto pages = std::count_if(calls.begin(), calls.end(), [](const ServedCall& s) {
        return s.operation == "DescribeSecurityGroups" && s.region == "us-east-1" && s.status == 200;
      });
      EXPECT_EQ(pages, 9);
    }
  }
}

TEST(TestEndpoint, RecoverableFaultsLeaveTheSnapshotUnchanged) {
  // Standard retry mode makes 3 attempts: two faults per request are absorbed, whichever they are.
  const std::vector<std::pair<std::string, Faults>> cases = {
      {"throttle+503", Faults{.throttle_first = 1, .server_error_first = 1}},
      {"truncated+dropped", Faults{.truncate_first = 1, .drop_first = 1}},
  };
  for (const auto& [name, faults] : cases) {
    SCOPED_TRACE(name);
    EndpointOptions o = options_for(testing::kDemoAccount);
    o.faults = faults;
    // Ten items a page (still several pages per list): at two per page the demo's us-east-1 EC2 calls
    // make enough requests, each retried twice, to empty the endpoint's retry quota (500 tokens,
    // standard mode), which is a behaviour of its own and not what this test is about.
    o.page_size = 10;
    AwsTestEndpoint endpoint(o);
    ASSERT_TRUE(endpoint.start());
    Collected c = collect_from(endpoint, testing::kDemoAccount, "faults");
    ASSERT_TRUE(c.result) << c.result.error().message;
    expect_same_snapshot(testing::kDemoAccount, c.dir);
    size_t retries = 0;
    for (const auto& call : c.result->calls) retries += size_t(call.retries);
    EXPECT_GE(retries, 2 * c.result->calls.size()) << "every request met two faults";
  }
}

TEST(TestEndpoint, ADeniedOperationIsACoverageErrorAndItsCheckNotAssessed) {
  EndpointOptions o = options_for(testing::kDemoAccount);
  o.faults.denied_services = {"ec2:DescribeFlowLogs"};
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  Collected c = collect_from(endpoint, testing::kDemoAccount, "denied");
  ASSERT_TRUE(c.result) << c.result.error().message;
  EXPECT_FALSE(c.result->complete());
  for (const std::string region : {"us-east-1", "eu-west-1"}) {
    const fs::path error_file = c.dir / region / "ec2/describe-flow-logs.error.json";
    ASSERT_TRUE(fs::exists(error_file)) << region;
    EXPECT_NE(read_file(error_file).find("UnauthorizedOperation"), std::string::npos);
    EXPECT_FALSE(fs::exists(c.dir / region / "ec2/describe-flow-logs.json")) << "a failed call leaves no data file";
  }
  auto loaded = load_snapshot(c.dir);
  ASSERT_TRUE(loaded);
  Config config;
  size_t flow_log_findings = 0, passes_elsewhere = 0;
  for (const Finding& f : run_checks(CheckContext{loaded->account, config})) {
    if (f.check_id == "vpc-flow-logs-disabled") {
      ++flow_log_findings;
      EXPECT_EQ(f.status, FindingStatus::kNotAssessed) << f.resource_id << ": " << f.detail;
    } else {
      passes_elsewhere += f.status == FindingStatus::kPass;
    }
  }
  EXPECT_EQ(flow_log_findings, 2u) << "one NOT_ASSESSED per region";
  EXPECT_GT(passes_elsewhere, 0u) << "the other data was collected and checked";
}

TEST(TestEndpoint, ARegionNotOptedInIsRecordedAndItsChecksNotAssessed) {
  AwsTestEndpoint endpoint(options_for(testing::kDemoAccount));
  ASSERT_TRUE(endpoint.start());
  aws::CredentialCache credentials(credential_environment(), aws::CredentialOptions{});
  collect::CollectOptions options;
  options.output_dir = fresh_dir("opt-in");
  options.regions = {"af-south-1", "us-east-1"};  // the demo account has not opted in to af-south-1
  options.home_region = "us-east-1";
  options.credentials = &credentials;
  options.make_transport = [] { return aws::make_curl_transport(); };
  options.client.endpoint_url = endpoint.url();
  options.client.sleep = [](std::chrono::milliseconds) {};
  options.select = [](const collect::OperationSpec& s) { return s.service == "ec2" || s.service == "sts"; };
  auto result = collect::collect_account(options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(result->complete());
  EXPECT_NE(read_file(options.output_dir / "af-south-1/ec2/describe-security-groups.error.json").find("AuthFailure"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(options.output_dir / "us-east-1/ec2/describe-security-groups.json"));
  auto loaded = load_snapshot(options.output_dir);
  ASSERT_TRUE(loaded);
  const Region* af = loaded->account.region("af-south-1");
  ASSERT_NE(af, nullptr);
  EXPECT_EQ(af->covered(Dataset::kSecurityGroups).status, CoverageStatus::kError);
  Config config;
  size_t af_findings = 0;
  for (const Finding& f : run_checks(CheckContext{loaded->account, config})) {
    if (f.region != "af-south-1") continue;
    ++af_findings;
    EXPECT_EQ(f.status, FindingStatus::kNotAssessed) << f.check_id;
  }
  EXPECT_GT(af_findings, 0u);
}

TEST(TestEndpoint, FaultsBeyondTheRetriesNeverTurnIntoPass) {
  EndpointOptions o = options_for(testing::kDemoAccount);
  o.faults.throttle_first = 1000;  // every attempt of every request, paced ones included
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  Collected c = collect_from(endpoint, testing::kDemoAccount, "throttled");
  ASSERT_TRUE(c.result) << c.result.error().message;
  EXPECT_EQ(c.result->failed(), c.result->calls.size());
  EXPECT_NE(read_file(c.dir / "us-east-1/ec2/describe-vpcs.error.json").find("RequestLimitExceeded"),
            std::string::npos);
  auto loaded = load_snapshot(c.dir);
  ASSERT_TRUE(loaded);
  Config config;
  const auto findings = run_checks(CheckContext{loaded->account, config});
  ASSERT_FALSE(findings.empty());
  for (const Finding& f : findings) {
    EXPECT_EQ(f.status, FindingStatus::kNotAssessed) << f.check_id << " " << f.resource_id << ": " << f.detail;
  }
}

TEST(TestEndpoint, AnExpiredSessionTokenIsRefreshedAndTheCollectionCompletes) {
  EndpointOptions o = options_for(testing::kDemoAccount);
  o.faults.session_token_calls = 5;  // the first session token works for 5 requests, then ExpiredToken
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  auto tokens = std::make_shared<std::atomic<int>>(0);
  Collected c = collect_from(endpoint, testing::kDemoAccount, "expiring", std::chrono::seconds(20),
                             credential_environment(tokens));
  ASSERT_TRUE(c.result) << c.result.error().message;
  const auto fixture = fixture_calls(testing::kDemoAccount);
  EXPECT_EQ(c.result->failed(), size_t(std::count_if(fixture.begin(), fixture.end(),
                                                     [](const FixtureCall& f) { return f.error; })))
      << "only the calls the fixture records as failed";
  expect_same_snapshot(testing::kDemoAccount, c.dir);
  EXPECT_EQ(tokens->load(), 2) << "the credentials were resolved once more, however many requests met the expiry";
  const auto calls = endpoint.calls();
  EXPECT_TRUE(std::any_of(calls.begin(), calls.end(), [](const ServedCall& s) { return s.error_code == "ExpiredToken"; }));
}

TEST(TestEndpoint, ATokenThatCannotBeRefreshedLeavesErrorRecords) {
  EndpointOptions o = options_for(testing::kDemoAccount);
  o.faults.session_token_calls = 3;
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  aws::Environment env = credential_environment();
  auto plain = env.getenv;
  env.getenv = [plain](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_SESSION_TOKEN") return std::string("the-only-token");
    return plain(name);
  };
  Collected c = collect_from(endpoint, testing::kDemoAccount, "expired", std::chrono::seconds(20), env);
  ASSERT_TRUE(c.result) << c.result.error().message;
  EXPECT_FALSE(c.result->complete());
  size_t expired = 0;
  for (const auto& call : c.result->calls) expired += !call.ok() && call.error->code == "ExpiredToken";
  EXPECT_GT(expired, c.result->calls.size() / 2) << "all but the first three requests";
}

TEST(TestEndpoint, AHungRegionCostsItsTimeoutNotTheRun) {
  EndpointOptions o = options_for(testing::kDemoAccount);
  o.faults.dead_regions = {"eu-west-1"};
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  const auto started = std::chrono::steady_clock::now();
  Collected c = collect_from(endpoint, testing::kDemoAccount, "hung", std::chrono::milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(c.result) << c.result.error().message;
  EXPECT_LT(took, std::chrono::seconds(30));
  EXPECT_TRUE(fs::exists(c.dir / "eu-west-1/ec2/describe-vpcs.error.json"));
  EXPECT_FALSE(fs::exists(c.dir / "eu-west-1/ec2/describe-vpcs.json"));
  EXPECT_EQ(read_file(c.dir / "us-east-1/ec2/describe-vpcs.json"),
            read_file(testing::kDemoAccount / "us-east-1/ec2/describe-vpcs.json"));
  endpoint.stop();
}

TEST(TestEndpoint, ARateLimitedServiceIsPacedAndTheSnapshotComesOutTheSame) {
  // EC2 allows 4 requests a second in each region; 16 workers ask for far more.
  EndpointOptions o = options_for(testing::kDemoAccount);
  o.page_size = 1000;
  o.faults.rate_limit = 4;
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  aws::CredentialCache credentials(credential_environment(), aws::CredentialOptions{});
  collect::CollectOptions options;
  options.output_dir = fresh_dir("rate-limited");
  options.regions = {"us-east-1"};
  options.home_region = "us-east-1";
  options.credentials = &credentials;
  options.make_transport = [] { return aws::make_curl_transport(); };
  options.client.endpoint_url = endpoint.url();
  options.retry.base_delay = std::chrono::milliseconds(200);  // real waits, shorter than AWS's 1 s base
  options.max_in_flight = 16;
  options.select = [](const collect::OperationSpec& s) { return s.service == "ec2" || s.service == "sts"; };
  auto result = collect::collect_account(options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->complete()) << result->failed() << " calls failed";
  size_t throttles = 0;
  std::chrono::milliseconds paced{0};
  for (const auto& c : result->calls) {
    throttles += size_t(c.throttles);
    paced += c.paced;
  }
  EXPECT_GT(throttles, 0u) << "the endpoint did throttle";
  EXPECT_GT(paced.count(), 0) << "and the collector slowed down for it";
  for (const FixtureCall& call : fixture_calls(testing::kDemoAccount)) {
    if (call.region != "us-east-1" || call.error || !options.select(*call.spec)) continue;
    EXPECT_EQ(parse_json_text(read_file(options.output_dir / call.file))->dump(2),
              parse_json_text(read_file(testing::kDemoAccount / call.file))->dump(2))
        << call.file;
  }
}

TEST(TestEndpoint, AHungRegionHoldsAtMostHalfTheWorkersForAboutOneTimeout) {
  EndpointOptions o = options_for(testing::kDemoAccount);
  o.faults.dead_regions = {"eu-west-1"};
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  constexpr auto kTimeout = std::chrono::seconds(3);
  aws::CredentialCache credentials(credential_environment(), aws::CredentialOptions{});
  collect::CollectOptions options;
  options.output_dir = fresh_dir("hung-half");
  options.regions = {"eu-west-1", "us-east-1"};
  options.home_region = "us-east-1";
  options.credentials = &credentials;
  options.make_transport = [] { return aws::make_curl_transport(); };
  options.client.endpoint_url = endpoint.url();
  options.client.total_timeout = kTimeout;
  options.max_in_flight = 8;  // at most 4 of them on one region
  options.select = [](const collect::OperationSpec& s) { return s.service == "ec2" || s.service == "sts"; };
  const auto started = std::chrono::steady_clock::now();
  std::mutex mu;
  std::chrono::steady_clock::duration healthy_done{0};
  options.on_call = [&](const collect::CallRecord& c) {
    std::lock_guard lock(mu);
    if (c.region != "eu-west-1") healthy_done = std::chrono::steady_clock::now() - started;
  };
  auto result = collect::collect_account(options);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result) << result.error().message;
  // The healthy region did not wait for the hung one: it was done before the first timeout.
  EXPECT_LT(healthy_done, kTimeout);
  EXPECT_EQ(read_file(options.output_dir / "us-east-1/ec2/describe-vpcs.json"),
            read_file(testing::kDemoAccount / "us-east-1/ec2/describe-vpcs.json"));
  // Fourteen eu-west-1 calls of three attempts each would take 14 x 3 x 3 s / 4 workers = 31 s; once
  // two attempts there have timed out, the rest fail at once.
  EXPECT_LT(took, 3 * kTimeout);
  size_t not_attempted = 0, failed = 0;
  for (const auto& c : result->calls) {
    if (c.region != "eu-west-1") {
      EXPECT_TRUE(c.ok()) << c.file;
      continue;
    }
    ASSERT_FALSE(c.ok()) << c.file;
    EXPECT_EQ(c.error->code, "EndpointConnectionError");
    ++failed;
    not_attempted += c.error->message.find("Not attempted") != std::string::npos;
    EXPECT_TRUE(fs::exists(options.output_dir / c.file));
  }
  EXPECT_GE(failed, 14u);
  EXPECT_GE(not_attempted, failed - 4) << "only the first wave waited out its timeout";
  endpoint.stop();
}

// ---- the AWS CLI ---------------------------------------------------------------------------------

bool have_aws_cli() { return fs::exists("/usr/bin/aws"); }

std::string cli_environment(const fs::path& work, const std::string& secret) {
  std::ofstream(work / "config") << "[default]\ncli_timestamp_format = iso8601\n";
  return "env -i PATH=/usr/bin:/bin HOME=" + sh_quote(work.string()) + " AWS_ACCESS_KEY_ID=" + kAccessKey +
         " AWS_SECRET_ACCESS_KEY=" + sh_quote(secret) + " AWS_PAGER= AWS_CONFIG_FILE=" +
         sh_quote((work / "config").string()) + " AWS_SHARED_CREDENTIALS_FILE=/dev/null ";
}

// "PrefixListId" -> "--prefix-list-id"
std::string cli_option(std::string_view member) {
  std::string out = "--";
  for (size_t i = 0; i < member.size(); ++i) {
    const char c = member[i];
    if (std::isupper(static_cast<unsigned char>(c)) && i > 0) out += '-';
    out += char(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The AWS CLI prints every fixture file back, and the collector writes it byte for byte as the CLI
// printed it (the export script and the collector are interchangeable).
void expect_cli_reads_fixture(const fs::path& fixture) {
  AwsTestEndpoint endpoint(options_for(fixture));
  ASSERT_TRUE(endpoint.start());
  Collected collected = collect_from(endpoint, fixture, "cli-collector");
  ASSERT_TRUE(collected.result) << collected.result.error().message;
  const fs::path work = fresh_dir("cli");
  const std::string env = cli_environment(work, kSecret);
  std::vector<FixtureCall> calls;
  for (const FixtureCall& c : fixture_calls(fixture)) {
    if (!c.error) calls.push_back(c);
  }
  ASSERT_FALSE(calls.empty());
  // Two AWS CLI processes at a time (each takes ~0.5 s to start).
  std::vector<std::future<fortress::testing::CommandResult>> runs;
  for (const FixtureCall& c : calls) {
    std::string command = env + "/usr/bin/aws --output json --endpoint-url " + endpoint.url() + " --region " +
                          (c.region.empty() ? std::string("us-east-1") : c.region) + " " +
                          std::string(c.spec->cli_service) + " " + std::string(c.spec->command);
    if (!c.spec->param.empty()) command += " " + cli_option(c.spec->param) + " " + sh_quote(c.id);
    command += " 2>&1";
    runs.push_back(std::async(std::launch::deferred, [command] { return run_command(command); }));
  }
  for (size_t i = 0; i < calls.size(); i += 2) {
    auto second = i + 1 < calls.size() ? std::async(std::launch::async, [&runs, i] { return runs[i + 1].get(); })
                                       : std::future<fortress::testing::CommandResult>();
    std::vector<fortress::testing::CommandResult> done{runs[i].get()};
    if (second.valid()) done.push_back(second.get());
    for (size_t k = 0; k < done.size(); ++k) {
      const FixtureCall& c = calls[i + k];
      SCOPED_TRACE(c.file);
      ASSERT_EQ(done[k].exit_code, 0) << done[k].out;
      auto got = parse_json_text(done[k].out);
      auto want = parse_json_text(read_file(fixture / c.file));
      ASSERT_TRUE(got) << done[k].out;
      ASSERT_TRUE(want);
      EXPECT_EQ(got->dump(2), want->dump(2));
      EXPECT_EQ(read_file(collected.dir / c.file), done[k].out) << "the collector's file is what the CLI prints";
    }
  }
}

// The two fixtures together answer every operation fortress collects, so the two tests below run the
// AWS CLI against the endpoint for each of them.
TEST(TestEndpoint, TheFixturesHoldEveryCollectedOperation) {
  std::set<const collect::OperationSpec*> served;
  for (const fs::path& fixture : {testing::kDemoAccount, testing::kServicesAccount}) {
    for (const FixtureCall& c : fixture_calls(fixture)) {
      if (!c.error) served.insert(c.spec);
    }
  }
  for (const collect::OperationSpec& spec : collect::collected_operations()) {
    EXPECT_TRUE(served.contains(&spec)) << spec.cli_service << " " << spec.command << " has no fixture file";
  }
}

TEST(TestEndpoint, AwsCliReadsEveryDemoFileBack) {
  if (!have_aws_cli()) GTEST_SKIP() << "needs the Debian awscli package";
  expect_cli_reads_fixture(testing::kDemoAccount);
}

TEST(TestEndpoint, AwsCliReadsEveryServicesFileBack) {
  if (!have_aws_cli()) GTEST_SKIP() << "needs the Debian awscli package";
  expect_cli_reads_fixture(testing::kServicesAccount);
}

TEST(TestEndpoint, RefusesBadSignaturesAndUnknownKeys) {
  if (!have_aws_cli()) GTEST_SKIP() << "needs the Debian awscli package";
  AwsTestEndpoint endpoint(options_for(testing::kDemoAccount));
  ASSERT_TRUE(endpoint.start());
  const fs::path work = fresh_dir("auth");
  const std::string call = " /usr/bin/aws --output json --region us-east-1 --endpoint-url " + endpoint.url();
  auto wrong_secret = run_command(cli_environment(work, "not-the-secret") + call + " sts get-caller-identity 2>&1");
  EXPECT_NE(wrong_secret.exit_code, 0);
  EXPECT_NE(wrong_secret.out.find("SignatureDoesNotMatch"), std::string::npos) << wrong_secret.out;
  auto ec2 = run_command(cli_environment(work, "not-the-secret") + call + " ec2 describe-vpcs 2>&1");
  EXPECT_NE(ec2.out.find("AuthFailure"), std::string::npos) << ec2.out;
  auto mutating = run_command(cli_environment(work, kSecret) + call +
                              " ec2 delete-security-group --group-id sg-1 2>&1");
  EXPECT_NE(mutating.exit_code, 0);
  EXPECT_NE(mutating.out.find("InvalidAction"), std::string::npos) << mutating.out;
}

}  // namespace
}  // namespace fortress::endpoint
