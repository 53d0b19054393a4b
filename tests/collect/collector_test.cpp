#include "collect/collector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "aws/protocol.h"
#include "collect/fake_aws.h"
#include "load/snapshot.h"

namespace fortress::collect {
namespace {

namespace fs = std::filesystem;
using namespace fortress::collect::testing;
using std::chrono::milliseconds;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Only the rows whose datasets the loader reads today (the rest need a fake IAM, ELB ...).
bool ec2_and_sts(const OperationSpec& spec) {
  return spec.service == "ec2" || spec.service == "sts";
}

class CollectorTest : public ::testing::Test {
 protected:
  CollectorTest() : credentials_(fake_credential_environment(), aws::CredentialOptions{}) {
    dir_ =
        fs::path(::testing::TempDir()) /
        ("fortress-collect-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    options_.output_dir = dir_;
    options_.make_transport = [this] { return std::make_unique<FakeTransport>(aws_); };
    options_.credentials = &credentials_;
    options_.client.sleep = [](milliseconds) {};
    options_.client.now = [] { return aws::Clock::time_point(std::chrono::seconds(1796313600)); };
    options_.random01 = [] { return 0.5; };
    options_.select = ec2_and_sts;
    options_.max_in_flight = 4;
  }
  ~CollectorTest() override { fs::remove_all(dir_); }

  CollectResult collect() {
    auto r = collect_account(options_);
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::move(*r) : CollectResult{};
  }

  FakeAws aws_;
  aws::CredentialCache credentials_;
  CollectOptions options_;
  fs::path dir_;
};

// Two regions with a few resources; eu-west-1 denies DescribeFlowLogs; security groups come in two pages.
void serve_small_account(FakeAws& aws) {
  serve_empty_account(aws, {"eu-west-1", "us-east-1", "ap-south-1"});
  aws.on("ec2.", "DescribeSecurityGroups", [](const FakeRequest& r) {
    const std::string region = r.host.substr(4, r.host.find(".amazonaws") - 4);
    if (r.param("NextToken").empty()) {
      return ec2_list("DescribeSecurityGroups", "securityGroupInfo",
                      security_group_item("sg-0a" + region.substr(0, 2), "web", "0.0.0.0/0", 443), "page2");
    }
    return ec2_list("DescribeSecurityGroups", "securityGroupInfo",
                    security_group_item("sg-0b" + region.substr(0, 2), "ssh", "10.0.0.0/8", 22));
  });
  aws.on("ec2.", "DescribeManagedPrefixLists", [](const FakeRequest&) {
    return ec2_list(
        "DescribeManagedPrefixLists", "prefixListSet",
        "<item><prefixListId>pl-0a1b2c3d</prefixListId><addressFamily>IPv4</addressFamily>"
        "<state>create-complete</state><prefixListArn>arn:aws:ec2:eu-west-1:123456789012:prefix-list/"
        "pl-0a1b2c3d</prefixListArn><prefixListName>office</prefixListName><maxEntries>5</maxEntries>"
        "<version>1</version><ownerId>123456789012</ownerId></item>");
  });
  aws.on("ec2.", "GetManagedPrefixListEntries", [](const FakeRequest& r) {
    if (r.param("PrefixListId") != "pl-0a1b2c3d") return ec2_error(400, "InvalidPrefixListID.NotFound", "no");
    return ec2_list("GetManagedPrefixListEntries", "entrySet",
                    "<item><cidr>203.0.113.0/24</cidr><description>office</description></item>");
  });
  aws.on("ec2.eu-west-1", "DescribeFlowLogs", [](const FakeRequest&) {
    return ec2_error(403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
  });
}

TEST_F(CollectorTest, WritesTheExportScriptsFilesAndTheLoaderReadsThem) {
  serve_small_account(aws_);
  options_.exclude_regions = {"ap-south-1"};
  CollectResult result = collect();

  EXPECT_EQ(result.home_region, "us-east-1");
  EXPECT_EQ(result.regions, (std::vector<std::string>{"eu-west-1", "us-east-1"}));
  EXPECT_EQ(aws_.count("DescribeVpcs", "ap-south-1"), 0u) << "an excluded region was called";
  EXPECT_FALSE(fs::exists(dir_ / "ap-south-1"));

  // Exactly the export script's paths.
  for (const char* f : {"sts/get-caller-identity.json", "ec2/describe-regions.json"}) {
    EXPECT_TRUE(fs::is_regular_file(dir_ / f)) << f;
  }
  for (const std::string region : {"eu-west-1", "us-east-1"}) {
    for (const auto& [action, set] : ec2_region_operations()) {
      if (action == "GetManagedPrefixListEntries") continue;
      const OperationSpec* spec = find_collected_operation("ec2", action);
      const std::string stem = snapshot_stem(*spec, region, "");
      const bool denied = region == "eu-west-1" && action == "DescribeFlowLogs";
      EXPECT_EQ(fs::is_regular_file(dir_ / (stem + ".json")), !denied) << stem;
      EXPECT_EQ(fs::is_regular_file(dir_ / (stem + ".error.json")), denied) << stem;
    }
    EXPECT_TRUE(fs::is_regular_file(dir_ / region / "ec2/get-managed-prefix-list-entries/pl-0a1b2c3d.json"));
  }
  // No temporary file survives.
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
  }

  // The AWS CLI's shape: pretty-printed with 4 spaces, pages merged, no NextToken, trailing newline.
  const std::string sgs = read_text(dir_ / "eu-west-1/ec2/describe-security-groups.json");
  EXPECT_TRUE(sgs.starts_with(
      "{\n    \"SecurityGroups\": [\n        {\n            \"Description\": \"web group\",\n"))
      << sgs;
  EXPECT_TRUE(sgs.ends_with("}\n"));
  EXPECT_EQ(sgs.find("NextToken"), std::string::npos);
  EXPECT_EQ(read_text(dir_ / "us-east-1/ec2/describe-vpcs.json"), "{\n    \"Vpcs\": []\n}\n");

  // The denied call's record, field for field as the export script writes it.
  EXPECT_EQ(
      read_text(dir_ / "eu-west-1/ec2/describe-flow-logs.error.json"),
      "{\n"
      "    \"FortressCollectionError\": {\n"
      "        \"Service\": \"ec2\",\n"
      "        \"Command\": \"describe-flow-logs\",\n"
      "        \"Region\": \"eu-west-1\",\n"
      "        \"ErrorCode\": \"UnauthorizedOperation\",\n"
      "        \"Message\": \"An error occurred (UnauthorizedOperation) when calling the DescribeFlowLogs "
      "operation: You are not authorized to perform this operation.\",\n"
      "        \"ExitCode\": 254,\n"
      "        \"Time\": \"2026-12-03T16:00:00Z\"\n"
      "    }\n"
      "}\n");

  // The result says the same.
  EXPECT_FALSE(result.complete());
  EXPECT_EQ(result.failed(), 1u);
  const CallRecord* denied = result.find("eu-west-1/ec2/describe-flow-logs");
  ASSERT_NE(denied, nullptr);
  ASSERT_FALSE(denied->ok());
  EXPECT_EQ(denied->error->code, "UnauthorizedOperation");
  EXPECT_EQ(denied->file, "eu-west-1/ec2/describe-flow-logs.error.json");
  const CallRecord* sg = result.find("eu-west-1/ec2/describe-security-groups");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(sg->pages, 2);
  // 2 account-wide + 2 regions x (14 lists + 1 prefix list's entries).
  EXPECT_EQ(result.calls.size(), 2u + 2u * 15u);
  auto summary = result.by_region();
  ASSERT_EQ(summary.size(), 3u);
  EXPECT_EQ(summary[0].region, "");
  EXPECT_EQ(summary[0].calls, 2u);
  EXPECT_EQ(summary[1].region, "eu-west-1");
  EXPECT_EQ(summary[1].failed, 1u);
  EXPECT_EQ(summary[2].failed, 0u);

  // And fortress reads it: groups loaded, the denied dataset is an error, not an empty list.
  auto loaded = load_snapshot(dir_);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->account.account_id, "123456789012");
  const Region* eu = loaded->account.region("eu-west-1");
  ASSERT_NE(eu, nullptr);
  EXPECT_EQ(eu->security_groups.size(), 2u);
  EXPECT_EQ(eu->covered(Dataset::kSecurityGroups).status, CoverageStatus::kOk);
  EXPECT_EQ(eu->covered(Dataset::kFlowLogs).status, CoverageStatus::kError);
  EXPECT_NE(eu->covered(Dataset::kFlowLogs).detail.find("UnauthorizedOperation"), std::string::npos)
      << eu->covered(Dataset::kFlowLogs).detail;
  EXPECT_EQ(eu->covered(Dataset::kPrefixListEntries).status, CoverageStatus::kOk);
  const Region* us = loaded->account.region("us-east-1");
  ASSERT_NE(us, nullptr);
  EXPECT_EQ(us->covered(Dataset::kFlowLogs).status, CoverageStatus::kOk);
  EXPECT_TRUE(loaded->incomplete());
}

TEST_F(CollectorTest, FaultsThatRetriesRecoverGiveTheSameSnapshot) {
  serve_small_account(aws_);
  options_.regions = {"eu-west-1"};
  CollectResult clean = collect();
  const std::string clean_sgs = read_text(dir_ / "eu-west-1/ec2/describe-security-groups.json");
  const std::string clean_vpcs = read_text(dir_ / "eu-west-1/ec2/describe-vpcs.json");

  fs::remove_all(dir_);
  aws_.script("ec2.eu-west-1", "DescribeSecurityGroups",
              {ec2_error(503, "RequestLimitExceeded", "Request limit exceeded."), FakeReply{500, ""}});
  aws_.script("ec2.eu-west-1", "DescribeVpcs", {FakeReply{502, "<html>bad gateway</html>"}});
  CollectResult faulty = collect();
  EXPECT_EQ(read_text(dir_ / "eu-west-1/ec2/describe-security-groups.json"), clean_sgs);
  EXPECT_EQ(read_text(dir_ / "eu-west-1/ec2/describe-vpcs.json"), clean_vpcs);
  EXPECT_EQ(faulty.failed(), clean.failed());
  EXPECT_EQ(faulty.find("eu-west-1/ec2/describe-security-groups")->retries, 2);
}

TEST_F(CollectorTest, AFailureReplacesAStaleSuccessAndASuccessClearsAStaleFailure) {
  serve_small_account(aws_);
  options_.regions = {"eu-west-1"};
  fs::create_directories(dir_ / "eu-west-1/ec2");
  std::ofstream(dir_ / "eu-west-1/ec2/describe-flow-logs.json") << "{\"FlowLogs\": []}\n";
  std::ofstream(dir_ / "eu-west-1/ec2/describe-vpcs.error.json") << "{}\n";
  collect();
  EXPECT_FALSE(fs::exists(dir_ / "eu-west-1/ec2/describe-flow-logs.json"));
  EXPECT_TRUE(fs::exists(dir_ / "eu-west-1/ec2/describe-flow-logs.error.json"));
  EXPECT_TRUE(fs::exists(dir_ / "eu-west-1/ec2/describe-vpcs.json"));
  EXPECT_FALSE(fs::exists(dir_ / "eu-west-1/ec2/describe-vpcs.error.json"));
}

TEST_F(CollectorTest, ARegionThatNeverAnswersFailsItsCallsAndTheRunGoesOn) {
  serve_small_account(aws_);
  for (const auto& [action, set] : ec2_region_operations()) {
    aws_.on("ec2.ap-south-1", action, [](const FakeRequest&) {
      FakeReply r;
      r.no_response = true;
      r.transport_message = "Connection timed out after 3000 milliseconds";
      return r;
    });
  }
  options_.client.connect_timeout = milliseconds(250);
  CollectResult result = collect();
  EXPECT_EQ(result.regions.size(), 3u);
  auto summary = result.by_region();
  for (const RegionSummary& s : summary) {
    if (s.region == "ap-south-1") {
      EXPECT_EQ(s.failed, s.calls);
    } else if (s.region == "us-east-1") {
      EXPECT_EQ(s.failed, 0u);
    }
  }
  for (const FakeRequest& r : aws_.requests()) EXPECT_EQ(r.call.connect_timeout, milliseconds(250));
  const std::string record = read_text(dir_ / "ap-south-1/ec2/describe-vpcs.error.json");
  EXPECT_NE(record.find("\"ErrorCode\": \"EndpointConnectionError\""), std::string::npos) << record;
  EXPECT_NE(record.find("\"ExitCode\": 255"), std::string::npos) << record;
  EXPECT_FALSE(fs::exists(dir_ / "ap-south-1/ec2/describe-vpcs.json"));
  // Without a prefix-list listing there is nothing to fan out to.
  EXPECT_FALSE(fs::exists(dir_ / "ap-south-1/ec2/get-managed-prefix-list-entries"));
}

TEST_F(CollectorTest, WithoutARegionListNoRegionIsGuessed) {
  serve_small_account(aws_);
  aws_.on("ec2.", "DescribeRegions", [](const FakeRequest&) {
    return ec2_error(403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
  });
  CollectResult result = collect();
  EXPECT_TRUE(result.regions.empty());
  EXPECT_FALSE(result.region_list_error.empty());
  EXPECT_FALSE(result.complete());
  EXPECT_TRUE(fs::exists(dir_ / "ec2/describe-regions.error.json"));
  EXPECT_EQ(aws_.count("DescribeVpcs"), 0u);
}

TEST_F(CollectorTest, RegionsListGivenSkipsNothingElse) {
  serve_small_account(aws_);
  options_.regions = {"us-east-1", "eu-west-1", "us-east-1"};
  options_.exclude_regions = {"eu-west-1"};
  CollectResult result = collect();
  EXPECT_EQ(result.regions, (std::vector<std::string>{"us-east-1"}));
  EXPECT_EQ(aws_.count("DescribeRegions"), 1u);  // still written, as the export script does
  EXPECT_EQ(aws_.count("DescribeVpcs", "eu-west-1"), 0u);
}

TEST_F(CollectorTest, RejectsNamesThatAreNotRegions) {
  options_.regions = {"../../etc"};
  auto r = collect_account(options_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(aws_.requests().empty());
}

TEST_F(CollectorTest, KeepsAtMostMaxInFlightRequestsInFlight) {
  std::atomic<int> in_flight{0};
  std::atomic<int> peak{0};
  serve_empty_account(aws_, {"eu-west-1", "us-east-1", "ap-south-1", "eu-central-1"});
  for (const auto& [action, set] : ec2_region_operations()) {
    aws_.on("ec2.", action, [&, action = action, set = set](const FakeRequest&) {
      int now = ++in_flight;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(milliseconds(2));
      --in_flight;
      return ec2_list(action, set, "");
    });
  }
  options_.max_in_flight = 3;
  CollectResult result = collect();
  EXPECT_TRUE(result.complete());
  EXPECT_LE(peak.load(), 3);
  EXPECT_GE(peak.load(), 2) << "the regions were not collected in parallel";
}

TEST_F(CollectorTest, EveryRowRunsAndUnloadedRowsAreWrittenToo) {
  serve_small_account(aws_);
  options_.select = {};
  options_.regions = {"eu-west-1"};
  CollectResult result = collect();
  // The fake has no IAM, ELB ... routes: each of those calls fails, and says so in a record.
  const CallRecord* lbs = result.find("eu-west-1/elbv2/describe-load-balancers");
  ASSERT_NE(lbs, nullptr);
  EXPECT_FALSE(lbs->ok());
  EXPECT_TRUE(fs::exists(dir_ / "eu-west-1/elbv2/describe-load-balancers.error.json"));
  EXPECT_TRUE(fs::exists(dir_ / "iam/get-account-summary.error.json"));
  // GetCredentialReport runs after GenerateCredentialReport even when that failed.
  EXPECT_NE(result.find("iam/get-credential-report"), nullptr);
  // Organizations only with --org.
  EXPECT_EQ(result.find("organizations/list-accounts"), nullptr);
}

TEST_F(CollectorTest, FansOutPerTrailOverTheJsonProtocolWithArnsAsFileNames) {
  serve_small_account(aws_);
  const std::string arn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/main";
  aws_.on("cloudtrail.eu-west-1", "DescribeTrails", [arn](const FakeRequest&) {
    return FakeReply{200, R"({"trailList": [{"Name": "main", "TrailARN": ")" + arn +
                              R"(", "IsMultiRegionTrail": true, "HomeRegion": "eu-west-1"}]})"};
  });
  aws_.on("cloudtrail.eu-west-1", "GetTrailStatus", [arn](const FakeRequest& r) {
    if (r.call.body.find(arn) == std::string::npos)
      return FakeReply{400, R"({"__type": "TrailNotFoundException"})"};
    return FakeReply{200, R"({"IsLogging": true, "LatestDeliveryTime": 1796313600})"};
  });
  aws_.on("cloudtrail.eu-west-1", "GetEventSelectors", [arn](const FakeRequest&) {
    return FakeReply{200, R"({"TrailARN": ")" + arn + R"(", "EventSelectors": []})"};
  });
  options_.regions = {"eu-west-1"};
  options_.select = [](const OperationSpec& s) {
    return s.service == "ec2" || s.service == "sts" || s.service == "cloudtrail";
  };
  CollectResult result = collect();

  const std::string name = file_name_for_id(arn);
  const fs::path status = dir_ / "eu-west-1/cloudtrail/get-trail-status" / (name + ".json");
  ASSERT_TRUE(fs::exists(status)) << name;
  EXPECT_EQ(read_text(status),
            "{\n    \"IsLogging\": true,\n    \"LatestDeliveryTime\": \"2026-12-03T16:00:00+00:00\"\n}\n");
  EXPECT_TRUE(fs::exists(dir_ / "eu-west-1/cloudtrail/get-event-selectors" / (name + ".json")));
  EXPECT_TRUE(fs::exists(dir_ / "eu-west-1/cloudtrail/describe-trails.json"));
  EXPECT_EQ(result.find("eu-west-1/cloudtrail/get-trail-status/" + name)->id, arn);
  // The loader does not read these kinds yet, and they do not get in its way.
  auto loaded = load_snapshot(dir_);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->account.region("eu-west-1")->covered(Dataset::kSecurityGroups).status,
            CoverageStatus::kOk);
}

TEST_F(CollectorTest, FansOutPerDetectorOverRestJson) {
  serve_small_account(aws_);
  aws_.on("guardduty.eu-west-1", "GET /detector", [](const FakeRequest&) {
    return FakeReply{200, R"({"detectorIds": ["12abc34d567e8fa901bc2d34e56789f0"]})"};
  });
  aws_.on("guardduty.eu-west-1", "GET /detector/12abc34d567e8fa901bc2d34e56789f0", [](const FakeRequest&) {
    return FakeReply{200, R"({"status": "ENABLED", "serviceRole": "arn:aws:iam::123456789012:role/gd"})"};
  });
  options_.regions = {"eu-west-1"};
  options_.select = [](const OperationSpec& s) { return s.service == "guardduty"; };
  CollectResult result = collect();
  EXPECT_TRUE(result.complete());
  EXPECT_EQ(read_text(dir_ / "eu-west-1/guardduty/list-detectors.json"),
            "{\n    \"DetectorIds\": [\n        \"12abc34d567e8fa901bc2d34e56789f0\"\n    ]\n}\n");
  EXPECT_EQ(
      read_text(dir_ / "eu-west-1/guardduty/get-detector/12abc34d567e8fa901bc2d34e56789f0.json"),
      "{\n    \"ServiceRole\": \"arn:aws:iam::123456789012:role/gd\",\n    \"Status\": \"ENABLED\"\n}\n");
}

TEST_F(CollectorTest, WaitsForTheCredentialReportBeforeFetchingIt) {
  serve_small_account(aws_);
  auto generate = [](const std::string& state) {
    return FakeReply{
        200,
        "<GenerateCredentialReportResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
        "<GenerateCredentialReportResult><State>" +
            state +
            "</State><Description>No report exists. Starting a new report generation task"
            "</Description></GenerateCredentialReportResult><ResponseMetadata><RequestId>r</RequestId>"
            "</ResponseMetadata></GenerateCredentialReportResponse>"};
  };
  aws_.script("iam.", "GenerateCredentialReport", {generate("STARTED"), generate("INPROGRESS")});
  aws_.on("iam.", "GenerateCredentialReport",
          [generate](const FakeRequest&) { return generate("COMPLETE"); });
  aws_.on("iam.", "GetCredentialReport", [](const FakeRequest&) {
    return FakeReply{
        200,
        "<GetCredentialReportResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
        "<GetCredentialReportResult><Content>dXNlcixhcm4KPHJvb3RfYWNjb3VudD4sYXJuOmF3czppYW06OjEyMzQ1"
        "Njc4OTAxMjpyb290Cg==</Content><ReportFormat>text/csv</ReportFormat>"
        "<GeneratedTime>2026-12-03T16:00:00Z</GeneratedTime></GetCredentialReportResult>"
        "</GetCredentialReportResponse>"};
  });
  std::vector<milliseconds> sleeps;
  std::mutex mu;
  options_.client.sleep = [&](milliseconds d) {
    std::lock_guard<std::mutex> lock(mu);
    sleeps.push_back(d);
  };
  options_.poll_interval = milliseconds(1500);
  options_.regions = {"eu-west-1"};
  options_.select = [](const OperationSpec& s) {
    return s.service == "sts" || s.operation == "DescribeRegions" ||
           s.operation == "GenerateCredentialReport" || s.operation == "GetCredentialReport";
  };
  CollectResult result = collect();

  EXPECT_EQ(aws_.count("GenerateCredentialReport"), 3u);
  EXPECT_EQ(sleeps, (std::vector<milliseconds>{milliseconds(1500), milliseconds(1500)}));
  const auto requests = aws_.requests();
  size_t last_generate = 0;
  size_t get = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].action == "GenerateCredentialReport") last_generate = i;
    if (requests[i].action == "GetCredentialReport") get = i;
  }
  EXPECT_GT(get, last_generate);
  EXPECT_TRUE(result.complete());
  EXPECT_EQ(requests[get].host, "iam.amazonaws.com");
  const std::string report = read_text(dir_ / "iam/get-credential-report.json");
  EXPECT_NE(report.find("\"Content\": \"dXNlcixhcm4K"), std::string::npos) << report;
  EXPECT_NE(read_text(dir_ / "iam/generate-credential-report.json").find("COMPLETE"), std::string::npos);
}

TEST_F(CollectorTest, NoCredentialsStopsTheRunBeforeAnyCall) {
  aws::Environment env = fake_credential_environment();
  env.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  env.http = nullptr;
  aws::CredentialCache none(env, aws::CredentialOptions{});
  options_.credentials = &none;
  auto r = collect_account(options_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(aws_.requests().empty());
  EXPECT_FALSE(fs::exists(dir_ / "sts"));
}

TEST_F(CollectorTest, CancellingDropsQueuedCallsAndLeavesNoPartialFiles) {
  serve_small_account(aws_);
  std::atomic<bool> cancel{false};
  std::atomic<int> answered{0};
  aws_.on("ec2.", "DescribeVpcs", [&](const FakeRequest&) {
    if (++answered == 1) cancel = true;  // the user presses Ctrl-C while the first region's VPCs arrive
    return ec2_list("DescribeVpcs", "vpcSet", "");
  });
  options_.cancel = &cancel;
  options_.max_in_flight = 1;
  CollectResult result = collect();
  EXPECT_TRUE(result.cancelled);
  EXPECT_FALSE(result.complete());
  EXPECT_LT(result.calls.size(), 2u + 3u * 15u);
  // The call in flight was finished and written; the rest left nothing behind, not even .tmp files.
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
    if (entry.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, result.calls.size());
  EXPECT_EQ(aws_.count("DescribeVpcs"), 1u);
}

TEST(EnabledRegions, SkipsRegionsNotOptedInAndNamesThatAreNotRegions) {
  JsonValue out = *aws::parse_json_text(R"({"Regions": [
      {"RegionName": "us-east-1", "OptInStatus": "opt-in-not-required"},
      {"RegionName": "me-south-1", "OptInStatus": "not-opted-in"},
      {"RegionName": "af-south-1", "OptInStatus": "opted-in"},
      {"RegionName": "../x"}, {"RegionName": "us-east-1"}]})");
  EXPECT_EQ(enabled_regions(out), (std::vector<std::string>{"af-south-1", "us-east-1"}));
}

TEST(IdsAt, ReadsMembersOfListsAndListsOfStrings) {
  JsonValue lists = *aws::parse_json_text(
      R"({"PrefixLists": [{"PrefixListId": "pl-1"}, {"PrefixListId": ""}, {"Other": 1}, {"PrefixListId": "pl-1"}, {"PrefixListId": "pl-2"}]})");
  EXPECT_EQ(ids_at(lists, "PrefixLists[].PrefixListId"), (std::vector<std::string>{"pl-1", "pl-2"}));
  JsonValue detectors = *aws::parse_json_text(R"({"DetectorIds": ["d1", "d2"]})");
  EXPECT_EQ(ids_at(detectors, "DetectorIds[]"), (std::vector<std::string>{"d1", "d2"}));
  EXPECT_TRUE(ids_at(detectors, "Missing[]").empty());
}

TEST(IdsAt, NestedListsFilteredToTheArnsOfOneService) {
  JsonValue alarms = *aws::parse_json_text(R"({"MetricAlarms": [
      {"AlarmActions": ["arn:aws:sns:us-east-1:1:ops", "arn:aws:autoscaling:us-east-1:1:scalingPolicy:x",
                        "arn:aws:swf:us-east-1:1:action/actions/AWS_EC2.InstanceId.Stop/1.0"]},
      {"AlarmActions": []}, {"OKActions": ["arn:aws:sns:us-east-1:1:ok-only"]},
      {"AlarmActions": ["arn:aws-us-gov:sns:us-gov-west-1:1:gov", "arn:aws:sns:us-east-1:1:ops", "arn:aws:snsx:a:b"]}],
    "CompositeAlarms": [{"AlarmActions": ["arn:aws:sns:us-east-1:1:composite"]}]})");
  EXPECT_EQ(ids_at(alarms, "MetricAlarms[].AlarmActions[]", "sns"),
            (std::vector<std::string>{"arn:aws:sns:us-east-1:1:ops", "arn:aws-us-gov:sns:us-gov-west-1:1:gov"}));
  EXPECT_EQ(ids_at(alarms, "MetricAlarms[].AlarmActions[]").size(), 5u);  // without the filter: every action, once
  JsonValue nested = *aws::parse_json_text(R"({"A": [{"B": [{"C": "x"}, {"C": "y"}]}, {"B": [{"C": "x"}]}]})");
  EXPECT_EQ(ids_at(nested, "A[].B[].C"), (std::vector<std::string>{"x", "y"}));
}

}  // namespace
}  // namespace fortress::collect
