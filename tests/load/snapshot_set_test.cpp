// A folder of account snapshots against a single snapshot: told apart by content, never confused.
#include "load/snapshot_set.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fortress {
namespace {

namespace fs = std::filesystem;

const fs::path kDemo = fs::path(FORTRESS_SOURCE_DIR) / "examples/demo-account";

class SnapshotSetTest : public ::testing::Test {
 protected:
  SnapshotSetTest() {
    root_ = fs::path(::testing::TempDir()) /
            ("fortress-set-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
             std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~SnapshotSetTest() override { fs::remove_all(root_); }

  void write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  void copy_demo(const std::string& folder) {
    fs::copy(kDemo, root_ / folder, fs::copy_options::recursive);
  }

  fs::path root_;
};

constexpr const char* kIdentity = R"({"UserId": "AIDAEXAMPLE", "Account": "444455556666", "Arn": "arn:aws:iam::444455556666:user/a"})";
constexpr const char* kFailedIdentity = R"({"FortressCollectionError": {"Service": "sts", "Command": "get-caller-identity",
  "Region": "", "ErrorCode": "AccessDenied", "Message": "could not assume arn:aws:iam::555566667777:role/FortressAudit: denied",
  "ExitCode": 254, "Time": "2026-12-03T18:00:00Z", "AccountId": "555566667777",
  "RoleArn": "arn:aws:iam::555566667777:role/FortressAudit"}})";

TEST_F(SnapshotSetTest, ASingleSnapshotIsNoSet) {
  EXPECT_TRUE(account_snapshot_folders(kDemo).empty());
  auto set = load_snapshot_set(kDemo);
  ASSERT_TRUE(set);
  EXPECT_FALSE(set->multi_account);
  ASSERT_EQ(set->accounts.size(), 1u);
  EXPECT_EQ(set->accounts[0].folder, "");
  EXPECT_EQ(set->accounts[0].result.account.account_id, "111122223333");
  // The same as loading it as a snapshot.
  auto single = load_snapshot(kDemo);
  ASSERT_TRUE(single);
  EXPECT_EQ(single->files_loaded, set->accounts[0].result.files_loaded);
}

TEST_F(SnapshotSetTest, SubfoldersThatAreSnapshotsMakeASet) {
  copy_demo("prod");
  write("444455556666/sts/get-caller-identity.json", kIdentity);
  write("444455556666/us-east-1/ec2/describe-vpcs.json", R"({"Vpcs": []})");
  write("555566667777/sts/get-caller-identity.error.json", kFailedIdentity);  // its role was not assumed
  write("notes/a.txt", "not json");
  EXPECT_EQ(account_snapshot_folders(root_), (std::vector<std::string>{"444455556666", "555566667777", "prod"}));
  auto set = load_snapshot_set(root_);
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->multi_account);
  ASSERT_EQ(set->accounts.size(), 3u);
  EXPECT_EQ(set->accounts[0].result.account.account_id, "444455556666");
  ASSERT_NE(set->accounts[0].result.account.region("us-east-1"), nullptr);
  EXPECT_EQ(set->accounts[0].result.account.region("eu-west-1"), nullptr) << "accounts are not merged";
  const Account& failed = set->accounts[1].result.account;
  EXPECT_EQ(failed.account_id, "555566667777") << "from the record's AccountId";
  EXPECT_EQ(failed.global_coverage[size_t(Dataset::kCallerIdentity)].status, CoverageStatus::kError);
  EXPECT_TRUE(set->accounts[1].result.incomplete());
  EXPECT_EQ(set->accounts[2].result.account.account_id, "111122223333");
  EXPECT_EQ(set->accounts[2].result.account.regions.size(), 2u);
  EXPECT_EQ(set->unknown_files, (std::vector<std::string>{"notes/a.txt"}));
  EXPECT_TRUE(set->diagnostics.empty()) << "a non-JSON file is merely unknown";
}

TEST_F(SnapshotSetTest, FilesOutsideEveryAccountFolderAreReportedNotMerged) {
  copy_demo("111122223333");
  write("sts/get-caller-identity.json", kIdentity);  // a single-account export on top of the set
  auto set = load_snapshot_set(root_);
  ASSERT_TRUE(set);
  ASSERT_TRUE(set->multi_account);
  ASSERT_EQ(set->accounts.size(), 1u);
  EXPECT_EQ(set->accounts[0].result.account.account_id, "111122223333");
  ASSERT_EQ(set->diagnostics.size(), 1u);
  EXPECT_EQ(set->diagnostics[0].file, "sts/get-caller-identity.json");
  EXPECT_EQ(set->diagnostics[0].level, LoadDiagnostic::Level::kWarning);
  EXPECT_NE(set->diagnostics[0].message.find("not inside any account"), std::string::npos);
  EXPECT_EQ(set->unknown_files, (std::vector<std::string>{"sts/get-caller-identity.json"}));
}

TEST_F(SnapshotSetTest, DeepFilesOfASingleSnapshotDoNotMakeItASet) {
  // A single account's snapshot with extra depth that is not an account's: an identity one folder
  // down, fan-out files two folders down under a service folder, a region folder at the top, files of
  // no known kind, and hidden folders.
  write("sts/get-caller-identity.json", kIdentity);
  write("us-east-1/ec2/describe-vpcs.json", R"({"Vpcs": []})");
  write("iam/get-role/Admin.json", R"({"Role": {"RoleName": "Admin"}})");
  write("iam/get-role/Audit.json", R"({"Role": {"RoleName": "Audit"}})");
  write("notes/2026/summary.json", R"({"text": "hello"})");
  write(".git/objects/x/y.json", kIdentity);
  write(".cache/us-east-1/ec2/describe-vpcs.json", R"({"Vpcs": []})");
  EXPECT_TRUE(account_snapshot_folders(root_).empty());
  auto set = load_snapshot_set(root_);
  ASSERT_TRUE(set);
  EXPECT_FALSE(set->multi_account);
  EXPECT_EQ(set->accounts[0].result.account.account_id, "444455556666");
}

TEST_F(SnapshotSetTest, AFolderWithOnlyUnknownJsonIsNoAccount) {
  copy_demo("111122223333");
  write("exports/us-east-1/misc/thing.json", R"({"Things": []})");
  EXPECT_EQ(account_snapshot_folders(root_), (std::vector<std::string>{"111122223333"}));
}

TEST_F(SnapshotSetTest, AnUnusableRootIsAnError) {
  auto missing = load_snapshot_set(root_ / "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fortress
