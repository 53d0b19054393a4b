// Multi-account collection with a fake AWS and a fake clock: the role in each account is assumed with
// the base credentials and assumed again before it expires, however long the collection runs.
#include "collect/accounts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "collect/fake_aws.h"

namespace fortress::collect {
namespace {

namespace fs = std::filesystem;
using namespace fortress::collect::testing;

std::string iso(aws::Clock::time_point t) {
  std::time_t secs = aws::Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[24];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string access_key_of(const FakeRequest& r) {
  for (const auto& [k, v] : r.call.headers) {
    if (k != "Authorization") continue;
    const size_t at = v.find("Credential=") + 11;
    return v.substr(at, v.find('/', at) - at);
  }
  return {};
}

TEST(MultiAccount, TheRoleIsAssumedAgainBeforeItExpires) {
  const fs::path dir = fs::path(::testing::TempDir()) / "fortress-accounts-refresh";
  fs::remove_all(dir);
  FakeAws aws;
  serve_empty_account(aws, {"eu-west-1"});
  // A clock that every EC2 call moves on by ten minutes: the collection "takes" hours.
  auto now = std::make_shared<std::atomic<int64_t>>(1796313600);  // 2026-12-03T16:00:00Z
  auto clock = [now] { return aws::Clock::time_point(std::chrono::seconds(now->load())); };
  std::mutex mu;
  std::map<std::string, aws::Clock::time_point> expires;  // issued access key -> expiry
  int assumed = 0;
  std::vector<std::string> stale;  // requests signed with expired role credentials
  aws.on("sts.", "AssumeRole", [&](const FakeRequest& r) {
    std::lock_guard lock(mu);
    EXPECT_EQ(access_key_of(r), kAccessKeyId) << "assumed with the base credentials";
    EXPECT_EQ(r.param("RoleArn"), "arn:aws:iam::444455556666:role/FortressAudit");
    EXPECT_EQ(r.param("RoleSessionName"), "fortress");
    EXPECT_EQ(r.param("ExternalId"), "ext-1");
    const std::string key = "ASIAROLE" + std::to_string(++assumed);
    expires[key] = clock() + std::chrono::hours(1);
    return FakeReply{200, "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>" + key +
                              "</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t" + key +
                              "</SessionToken><Expiration>" + iso(expires[key]) +
                              "</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"};
  });
  for (const auto& [action, set] : ec2_region_operations()) {
    aws.on("ec2.", action, [&, action = action, set = set](const FakeRequest& r) {
      std::lock_guard lock(mu);
      auto it = expires.find(access_key_of(r));
      if (it == expires.end() || it->second <= clock()) stale.push_back(action);
      *now += 600;
      return ec2_list(action, set, "");
    });
  }

  aws::CredentialCache base(fake_credential_environment(), aws::CredentialOptions{});
  CollectOptions options;
  options.output_dir = dir;
  options.regions = {"eu-west-1"};
  options.max_in_flight = 1;
  options.make_transport = [&aws] { return std::make_unique<FakeTransport>(aws); };
  options.client.sleep = [](std::chrono::milliseconds) {};
  options.client.now = clock;
  options.select = [](const OperationSpec& s) { return s.service == "ec2" || s.service == "sts"; };
  AccountsOptions accounts;
  accounts.role_name = "FortressAudit";
  accounts.account_ids = {"444455556666"};
  accounts.external_id = "ext-1";
  accounts.environment = fake_credential_environment();
  accounts.environment.now = clock;
  auto r = collect_organization(options, base, accounts);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->accounts.size(), 1u);
  EXPECT_TRUE(r->accounts[0].complete());
  // 15 EC2 calls x 10 minutes = 2.5 hours of one-hour credentials, each renewed 5 minutes early.
  EXPECT_GE(assumed, 3);
  EXPECT_TRUE(stale.empty()) << "signed with expired credentials: " << ::testing::PrintToString(stale);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fortress::collect
