// The IAM checks end to end: the fixture account tests/data/aws-account (AWS CLI files, through the
// loader and the model) scanned by every IAM check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "builder.h"
#include "checks/iam_checks.h"
#include "load/snapshot.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

class IamFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = load_snapshot(FORTRESS_SOURCE_DIR "/tests/data/aws-account", LoadOptions{2});
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    loaded_ = new LoadResult(std::move(*loaded));
    // The checks iam_checks.h declares, and nothing else: access-analyzer-enabled (permissions)
    // and the CIS 4.x monitoring checks (access) are regional and tested on their own.
    std::vector<std::string> ids;
    for (const Check& c : {root_access_keys_check(), root_mfa_check(), root_hardware_mfa_check(),
                           root_used_recently_check(), password_policy_length_check(),
                           password_reuse_check(), user_console_without_mfa_check(),
                           access_keys_at_setup_check(), credentials_unused_check(),
                           user_multiple_active_keys_check(), access_key_rotation_check(),
                           user_direct_policies_check(), admin_star_policy_check(),
                           support_role_check(), cloudshell_full_access_check(),
                           iam_admin_equivalent_check(), iam_privileged_share_check(),
                           iam_data_read_broad_check()}) {
      ids.emplace_back(c.meta.id);
    }
    static const Config config;
    findings_ = new std::vector<Finding>(run_checks(CheckContext{loaded_->account, config}, ids));
  }
  // The status of check `id` on `resource` ("" when it reported nothing there).
  static std::string status(std::string_view id, std::string_view resource) {
    const Finding* f = find(id, resource);
    return f == nullptr ? "" : status_name(f->status);
  }
  static const Finding* find(std::string_view id, std::string_view resource) {
    for (const Finding& f : *findings_) {
      if (f.check_id == id && f.resource_id == resource) return &f;
    }
    return nullptr;
  }
  static inline LoadResult* loaded_ = nullptr;
  static inline std::vector<Finding>* findings_ = nullptr;
};

const std::string kArn = "arn:aws:iam::111122223333:";

TEST_F(IamFixture, RootUser) {
  EXPECT_EQ(status("root-access-keys", kArn + "root"), "PASS");
  EXPECT_EQ(status("root-mfa", kArn + "root"), "PASS");
  EXPECT_EQ(status("root-hardware-mfa", kArn + "root"), "FAIL");  // root-account-mfa-device is virtual
  const Finding* used = find("root-used-recently", kArn + "root");
  ASSERT_NE(used, nullptr);
  EXPECT_EQ(status_name(used->status), "FAIL");
  EXPECT_EQ(used->detail, "the root user signed in with its password on 2026-10-02 (58 days before the report)");
}

TEST_F(IamFixture, PasswordPolicyMeetsCis) {
  EXPECT_EQ(status("password-policy-length", "111122223333"), "PASS");
  EXPECT_EQ(status("password-reuse", "111122223333"), "PASS");
}

TEST_F(IamFixture, Users) {
  EXPECT_EQ(status("user-console-without-mfa", kArn + "user/alice"), "PASS");
  EXPECT_EQ(status("user-console-without-mfa", kArn + "user/bob"), "FAIL");
  EXPECT_EQ(status("user-console-without-mfa", kArn + "user/service/ci-deploy"), "");  // no password
  EXPECT_EQ(status("access-key-rotation-90-days", kArn + "user/bob"), "FAIL");          // rotated 2023-02-14
  // ci-deploy's key 2 is inactive: one active key, used the day of the report.
  EXPECT_EQ(status("user-multiple-active-keys", kArn + "user/service/ci-deploy"), "PASS");
  EXPECT_EQ(status("credentials-unused-45-days", kArn + "user/service/ci-deploy"), "PASS");
  EXPECT_EQ(status("user-multiple-active-keys", kArn + "user/auditor"), "PASS");
  EXPECT_EQ(status("credentials-unused-45-days", kArn + "user/alice"), "PASS");
  EXPECT_EQ(status("user-direct-policies", kArn + "user/bob"), "FAIL");  // bob-scratch-bucket
  EXPECT_EQ(status("user-direct-policies", kArn + "user/alice"), "PASS");
}

TEST_F(IamFixture, Permissions) {
  const Finding* alice = find("iam-admin-equivalent", kArn + "user/alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(status_name(alice->status), "FAIL");
  EXPECT_THAT(alice->detail, HasSubstr("via group \"Admins\""));
  EXPECT_EQ(alice->remediation_cli, "aws iam remove-user-from-group --user-name alice --group-name Admins");
  EXPECT_EQ(status("iam-admin-equivalent", kArn + "role/BreakGlassAdmin"), "FAIL");
  // ci-deploy may pass only the web role, which is no admin.
  EXPECT_EQ(status("iam-admin-equivalent", kArn + "user/service/ci-deploy"), "PASS");
  EXPECT_EQ(status("iam-admin-equivalent", kArn + "user/bob"), "PASS");
  EXPECT_EQ(status("iam-admin-equivalent", kArn + "role/service-role/config-recorder"), "PASS");
  EXPECT_EQ(status("admin-star-policy", "arn:aws:iam::aws:policy/AdministratorAccess"), "FAIL");
  EXPECT_EQ(status("admin-star-policy", kArn + "policy/service/DeployPipelinePolicy"), "PASS");
  EXPECT_EQ(status("support-role", "111122223333"), "FAIL");
  EXPECT_EQ(status("cloudshell-full-access", "111122223333"), "PASS");
  // alice and bob have console passwords; one of two is admin: 50% is not more than 50%.
  const Finding* share = find("iam-privileged-share", "111122223333");
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->detail, "1 of 2 human users (50%) are admin-equivalent; threshold 50%");
  // The web role reads its own secrets and assets only.
  EXPECT_EQ(status("iam-data-read-broad", kArn + "role/web-app-ec2"), "PASS");
}

TEST_F(IamFixture, EveryFindingIsAccountWide) {
  size_t n = 0;
  for (const Finding& f : *findings_) {
    EXPECT_EQ(f.region, "") << f.check_id << " " << f.resource_id;
    ++n;
  }
  EXPECT_GT(n, 30u);
}

}  // namespace
}  // namespace fortress::testing
