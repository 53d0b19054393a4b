// Multi-account collection (collect/accounts.h) against the local AWS test endpoint acting as an
// organization: ListAccounts from the management account, sts:AssumeRole into each member, every
// member collected through its role on one worker budget, one snapshot per account.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "collect/accounts.h"
#include "endpoint/aws_endpoint.h"
#include "endpoint/fixture_calls.h"
#include "load/snapshot.h"
#include "support/process.h"

namespace fortress::endpoint {
namespace {

namespace fs = std::filesystem;
using fortress::testing::read_file;
using ::testing::HasSubstr;

constexpr const char* kAccessKey = "AKIDFORTRESSTEST";
constexpr const char* kSecret = "fortress-test-secret-key";
constexpr const char* kManagement = "111122223333";  // the fixtures' account, and the organization's management
constexpr const char* kWorkloads = "444455556666";   // ACTIVE in tests/data/aws-account's list-accounts.json
constexpr const char* kSandbox = "777788889999";     // SUSPENDED there

aws::Environment base_environment() {
  aws::Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_ACCESS_KEY_ID") return std::string(kAccessKey);
    if (name == "AWS_SECRET_ACCESS_KEY") return std::string(kSecret);
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

// The calls that failed, for a failure message.
std::string failures(const collect::CollectResult& r) {
  std::string out = r.credentials_error;
  for (const auto& c : r.calls) {
    if (!c.ok()) out += "\n  " + c.file + ": " + c.error->code + ": " + c.error->message;
  }
  return out;
}

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest() : base_(base_environment(), aws::CredentialOptions{}) {
    dir_ = fs::path(::testing::TempDir()) /
           ("fortress-accounts-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    endpoint_options_.fixture = testing::kDemoAccount;
    endpoint_options_.more_fixtures = {testing::kServicesAccount};
    endpoint_options_.secrets = {{kAccessKey, kSecret}};
    endpoint_options_.members_from_org = true;
  }
  ~AccountsTest() override { fs::remove_all(dir_); }

  Expected<collect::AccountsResult> collect(const collect::AccountsOptions& accounts, unsigned max_in_flight = 6) {
    endpoint_ = std::make_unique<AwsTestEndpoint>(endpoint_options_);
    auto started = endpoint_->start();
    EXPECT_TRUE(started);
    collect::CollectOptions options;
    options.output_dir = dir_;
    options.regions = {"us-east-1"};  // where both fixtures have every call
    options.home_region = "us-east-1";
    options.max_in_flight = max_in_flight;
    options.make_transport = [] { return aws::make_curl_transport(); };
    options.client.endpoint_url = endpoint_->url();
    options.client.sleep = [](std::chrono::milliseconds) {};
    collect::AccountsOptions a = accounts;
    a.sts_endpoint_url = endpoint_->url();
    a.environment = base_environment();
    return collect::collect_organization(options, base_, a);
  }

  static collect::AccountsOptions org() {
    collect::AccountsOptions a;
    a.role_name = "FortressAudit";
    a.organization = true;
    return a;
  }

  const collect::CollectResult* account(const collect::AccountsResult& r, const std::string& id) {
    for (const auto& a : r.accounts) {
      if (a.account_id == id) return &a;
    }
    return nullptr;
  }

  aws::CredentialCache base_;
  EndpointOptions endpoint_options_;
  std::unique_ptr<AwsTestEndpoint> endpoint_;
  fs::path dir_;
};

TEST_F(AccountsTest, OrgCollectsEveryActiveAccountThroughItsRoleIntoItsOwnSnapshot) {
  auto r = collect(org(), 6);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->base_account_id, kManagement);
  ASSERT_EQ(r->accounts.size(), 2u) << "the SUSPENDED account is not collected";
  EXPECT_EQ(r->accounts[0].account_id, kManagement) << "the management account itself too";
  EXPECT_EQ(r->accounts[1].account_id, kWorkloads);
  EXPECT_THAT(r->listed_not_active, ::testing::ElementsAre(std::string(kSandbox) + " (SUSPENDED)"));
  EXPECT_FALSE(fs::exists(dir_ / kSandbox));
  for (const auto& a : r->accounts) {
    SCOPED_TRACE(a.account_id);
    EXPECT_TRUE(a.complete()) << failures(a);
    EXPECT_EQ(a.output_dir, dir_ / a.account_id);
  }
  // ListAccounts: all pages (page size 2, three accounts), from the management account, kept in its snapshot.
  const auto served = endpoint_->calls();
  EXPECT_EQ(std::count_if(served.begin(), served.end(),
                          [](const ServedCall& c) { return c.operation == "ListAccounts" && c.status == 200; }),
            2);
  const std::string listed = read_file(dir_ / kManagement / "organizations/list-accounts.json");
  EXPECT_THAT(listed, HasSubstr(kSandbox));
  EXPECT_EQ(parse_json_text(listed)->dump(2),
            parse_json_text(read_file(testing::kServicesAccount / "organizations/list-accounts.json"))->dump(2));
  // One AssumeRole per account, and every call in a member account made with its role's credentials.
  for (const ServedCall& c : served) {
    if (c.operation != "AssumeRole") continue;
    EXPECT_EQ(c.status, 200);
    EXPECT_EQ(c.account, "") << "assumed with the base credentials";
  }
  EXPECT_EQ(std::count_if(served.begin(), served.end(), [](const ServedCall& c) { return c.operation == "AssumeRole"; }), 2);
  for (const ServedCall& c : served) {
    if (c.operation == "AssumeRole" || c.operation == "ListAccounts") continue;
    if (c.operation == "GetCallerIdentity" && c.account.empty()) continue;  // who the base credentials are
    EXPECT_TRUE(c.account == kManagement || c.account == kWorkloads) << c.service << " " << c.operation;
  }
  // Each folder is that account's snapshot: its identity is the assumed role, its resources carry its ID.
  for (const std::string id : {kManagement, kWorkloads}) {
    SCOPED_TRACE(id);
    auto loaded = load_snapshot(dir_ / id);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->account.account_id, id);
    ASSERT_TRUE(loaded->account.caller_identity);
    EXPECT_EQ(loaded->account.caller_identity->arn, "arn:aws:sts::" + id + ":assumed-role/FortressAudit/fortress");
    EXPECT_FALSE(loaded->incomplete());
    ASSERT_NE(loaded->account.region("us-east-1"), nullptr);
    EXPECT_FALSE(loaded->account.region("us-east-1")->security_groups.empty());
  }
  EXPECT_THAT(read_file(dir_ / kWorkloads / "us-east-1/ec2/describe-vpcs.json"), HasSubstr(kWorkloads));
  EXPECT_THAT(read_file(dir_ / kWorkloads / "us-east-1/ec2/describe-vpcs.json"), ::testing::Not(HasSubstr(kManagement)));
}

TEST_F(AccountsTest, TheAccountsShareOneBudgetOfRequestsInFlight) {
  endpoint_options_.faults.latency = std::chrono::milliseconds(20);
  auto r = collect(org(), 3);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_LE(endpoint_->peak_in_flight(), 3);
  // Both accounts were worked on at the same time: their calls interleave.
  const auto served = endpoint_->calls();
  size_t switches = 0;
  for (size_t i = 1; i < served.size(); ++i) switches += served[i].account != served[i - 1].account;
  EXPECT_GT(switches, 4u) << "the accounts were collected one after the other";
}

TEST_F(AccountsTest, AnAccountWhoseRoleCannotBeAssumedIsRecordedNeverSkipped) {
  endpoint_options_.faults.deny_assume_role = {kWorkloads};
  auto r = collect(org());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->accounts.size(), 2u);
  EXPECT_FALSE(r->complete());
  const collect::CollectResult* denied = account(*r, kWorkloads);
  ASSERT_NE(denied, nullptr);
  EXPECT_THAT(denied->credentials_error, HasSubstr("arn:aws:iam::444455556666:role/FortressAudit"));
  EXPECT_THAT(denied->credentials_error, HasSubstr("AccessDenied"));
  EXPECT_TRUE(denied->calls.empty()) << "nothing is called without the role";
  EXPECT_TRUE(account(*r, kManagement)->complete());

  const fs::path record = dir_ / kWorkloads / "sts/get-caller-identity.error.json";
  ASSERT_TRUE(fs::exists(record));
  auto doc = parse_json_text(read_file(record));
  ASSERT_TRUE(doc);
  const JsonValue* e = doc->get("FortressCollectionError");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->get("ErrorCode")->as_string(), "AccessDenied");
  EXPECT_EQ(e->get("AccountId")->as_string(), kWorkloads);
  EXPECT_EQ(e->get("RoleArn")->as_string(), "arn:aws:iam::444455556666:role/FortressAudit");
  EXPECT_THAT(e->get("Message")->as_string(),
              ::testing::StartsWith("could not assume arn:aws:iam::444455556666:role/FortressAudit: User: "));
  EXPECT_THAT(e->get("Message")->as_string(), HasSubstr("is not authorized to perform: sts:AssumeRole"));
  // The loader shows it: the account, a coverage error, an incomplete scan.
  auto loaded = load_snapshot(dir_ / kWorkloads);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->account.account_id, kWorkloads);
  EXPECT_EQ(loaded->account.global_coverage[size_t(Dataset::kCallerIdentity)].status, CoverageStatus::kError);
  EXPECT_TRUE(loaded->incomplete());
}

TEST_F(AccountsTest, TheExternalIdIsSentAndARoleThatWantsOneRefusesWithout) {
  endpoint_options_.external_id = "fortress-ext-42";
  collect::AccountsOptions with = org();
  with.external_id = "fortress-ext-42";
  auto ok = collect(with);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->complete());

  fs::remove_all(dir_);
  auto without = collect(org());
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_FALSE(without->complete());
  for (const auto& a : without->accounts) EXPECT_THAT(a.credentials_error, HasSubstr("AccessDenied"));
}

TEST_F(AccountsTest, NamedAccountsNeedNoOrganizationAndAnUnknownOneIsRecorded) {
  endpoint_options_.members_from_org = false;
  endpoint_options_.members = {kWorkloads};
  endpoint_options_.faults.denied_services = {"organizations"};  // not called with --accounts
  collect::AccountsOptions a;
  a.role_name = "FortressAudit";
  a.account_ids = {kWorkloads, "999988887777", kWorkloads};
  auto r = collect(a);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->base_account_id, "");
  ASSERT_EQ(r->accounts.size(), 2u) << "duplicates collected once";
  EXPECT_TRUE(account(*r, kWorkloads)->complete()) << failures(*account(*r, kWorkloads));
  EXPECT_THAT(account(*r, "999988887777")->credentials_error, HasSubstr("AccessDenied"));
  EXPECT_TRUE(fs::exists(dir_ / "999988887777/sts/get-caller-identity.error.json"));
  const auto served = endpoint_->calls();
  EXPECT_TRUE(std::none_of(served.begin(), served.end(), [](const ServedCall& c) { return c.service == "organizations"; }));
}

TEST_F(AccountsTest, ListAccountsRefusedSaysWhichAccountCanList) {
  endpoint_options_.faults.denied_services = {"organizations"};
  auto r = collect(org());
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("ListAccounts failed in account 111122223333"));
  EXPECT_THAT(r.error().message, HasSubstr("management account or a delegated administrator"));
  EXPECT_THAT(r.error().message, HasSubstr("--accounts"));
}

TEST(AccountsOptions, FlagsAreChecked) {
  collect::AccountsOptions a;
  a.account_ids = {kWorkloads};
  EXPECT_THAT(collect::validate_accounts_options(a).error().message, HasSubstr("need --role-name"));
  a.role_name = "FortressAudit";
  EXPECT_TRUE(collect::validate_accounts_options(a));
  a.organization = true;
  EXPECT_THAT(collect::validate_accounts_options(a).error().message, HasSubstr("not both"));
  a.organization = false;
  a.account_ids = {"4444-5555-6666"};
  EXPECT_THAT(collect::validate_accounts_options(a).error().message, HasSubstr("12 digits"));
  a.account_ids.clear();
  EXPECT_THAT(collect::validate_accounts_options(a).error().message, HasSubstr("--accounts ID,ID,... or --org"));
  a.organization = true;
  a.role_name = "bad role";
  EXPECT_THAT(collect::validate_accounts_options(a).error().message, HasSubstr("not an IAM role name"));
}

TEST(AccountsOptions, RoleArnsFollowThePartitionOfTheHomeRegion) {
  EXPECT_EQ(collect::role_arn_for("444455556666", "FortressAudit", "eu-west-1"),
            "arn:aws:iam::444455556666:role/FortressAudit");
  EXPECT_EQ(collect::role_arn_for("444455556666", "audit/FortressAudit", "us-gov-west-1"),
            "arn:aws-us-gov:iam::444455556666:role/audit/FortressAudit");
  EXPECT_EQ(collect::role_arn_for("444455556666", "FortressAudit", "cn-north-1"),
            "arn:aws-cn:iam::444455556666:role/FortressAudit");
}

TEST(AccountsOptions, OnlyActiveAccountsAreCollected) {
  auto listed = parse_json_text(R"({"Accounts": [
      {"Id": "222222222222", "Status": "ACTIVE"},
      {"Id": "111111111111", "State": "ACTIVE", "Status": "ACTIVE"},
      {"Id": "333333333333", "State": "SUSPENDED", "Status": "ACTIVE"},
      {"Id": "444444444444", "Status": "PENDING_CLOSURE"},
      {"Id": "not-an-id", "Status": "ACTIVE"},
      {"Id": "222222222222", "Status": "ACTIVE"}]})");
  ASSERT_TRUE(listed);
  std::vector<std::string> others;
  EXPECT_THAT(collect::active_accounts(*listed, &others), ::testing::ElementsAre("111111111111", "222222222222"));
  EXPECT_THAT(others, ::testing::ElementsAre("333333333333 (SUSPENDED)", "444444444444 (PENDING_CLOSURE)"));
}

}  // namespace
}  // namespace fortress::endpoint
