#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "iam_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

TEST(PasswordPolicyLength, NoPolicyFailsWithTheFullCommand) {
  IamAccount a;  // collected, NoSuchEntity
  const Finding& f = only(run_check("password-policy-length", a.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.resource_id, "111122223333");
  EXPECT_EQ(f.detail, "the account has no password policy: IAM's default rules accept 8-character passwords");
  EXPECT_EQ(f.remediation_cli,
            "aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers "
            "--require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password "
            "--password-reuse-prevention 24");
  EXPECT_EQ(f.cis_aws_3_0, "1.8");
}

TEST(PasswordPolicyLength, ShortFailsAndTheCommandKeepsOtherSettings) {
  IamAccount a;
  a.password_policy(8, 5);
  a.iam().password_policy->max_password_age = 90;
  const Finding& f = only(run_check("password-policy-length", a.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "the password policy requires only 8 characters (CIS: at least 14)");
  // Symbols, numbers, self-service change, max age and reuse 5 as they were; length 14.
  EXPECT_EQ(f.remediation_cli,
            "aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers "
            "--allow-users-to-change-password --max-password-age 90 --password-reuse-prevention 5");
}

TEST(PasswordPolicyLength, FourteenPasses) {
  IamAccount a;
  a.password_policy(14);
  const Finding& f = only(run_check("password-policy-length", a.done()));
  EXPECT_EQ(status_name(f.status), "PASS");
  EXPECT_EQ(f.detail, "the password policy requires at least 14 characters");
}

TEST(PasswordPolicyLength, NotCollectedIsNotAssessed) {
  IamAccount a;
  a.coverage(Dataset::kAccountPasswordPolicy, CoverageStatus::kError, "AccessDenied");
  const Finding& f = only(run_check("password-policy-length", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_EQ(f.resource_id, "iam/get-account-password-policy");
}

TEST(PasswordReuse, FailsPassesAndKeepsLength) {
  IamAccount none;
  EXPECT_EQ(only(run_check("password-reuse", none.done())).detail,
            "the account has no password policy: users may reuse any previous password");
  IamAccount unset;
  unset.password_policy(16);
  const Finding& f = only(run_check("password-reuse", unset.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "the password policy does not prevent password reuse");
  EXPECT_EQ(f.remediation_cli,
            "aws iam update-account-password-policy --minimum-password-length 16 --require-symbols --require-numbers "
            "--allow-users-to-change-password --password-reuse-prevention 24");
  IamAccount few;
  few.password_policy(14, 10);
  EXPECT_EQ(only(run_check("password-reuse", few.done())).detail,
            "the password policy remembers only the last 10 passwords (CIS: 24)");
  IamAccount ok;
  ok.password_policy(14, 24);
  EXPECT_EQ(status_name(only(run_check("password-reuse", ok.done())).status), "PASS");
  IamAccount missing;
  missing.coverage(Dataset::kAccountPasswordPolicy, CoverageStatus::kMissing);
  EXPECT_EQ(status_name(only(run_check("password-reuse", missing.done())).status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
