// The permissions checks: user-direct-policies (1.15), admin-star-policy (1.16), support-role (1.17),
// cloudshell-full-access (1.22), iam-admin-equivalent, iam-privileged-share, iam-data-read-broad.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checks/registry.h"
#include "iam_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

// ---- user-direct-policies -------------------------------------------------------------------

TEST(UserDirectPolicies, PoliciesOnTheUserFailGroupsPass) {
  IamAccount a;
  IamUser& bob = a.user("bob", {"devs"});
  IamAccount::attach(bob.attached_policies, aws_policy("AmazonS3FullAccess"));
  IamAccount::put_inline(bob.inline_policies, "scratch", allow_doc(R"("s3:*")"));
  a.user("alice", {"devs"});
  a.user("loner");
  const auto findings = run_check("user-direct-policies", a.done());
  ASSERT_EQ(findings.size(), 3u);
  const Finding& f = only_finding(findings, user_arn("bob"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "permissions attached to the user itself: managed policy AmazonS3FullAccess, inline policy scratch");
  EXPECT_EQ(f.remediation_cli,
            "aws iam detach-user-policy --user-name bob --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess && "
            "aws iam delete-user-policy --user-name bob --policy-name scratch");
  EXPECT_EQ(f.cis_aws_3_0, "1.15");
  EXPECT_EQ(only_finding(findings, user_arn("alice")).detail, "permissions only through groups");
  EXPECT_EQ(status_name(only_finding(findings, user_arn("loner")).status), "PASS");
}

TEST(UserDirectPolicies, NotCollectedIsNotAssessed) {
  IamAccount a;
  a.coverage(Dataset::kAccountAuthorizationDetails, CoverageStatus::kMissing);
  const Finding& f = only(run_check("user-direct-policies", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_EQ(f.resource_id, "iam/get-account-authorization-details");
}

// ---- admin-star-policy ----------------------------------------------------------------------

TEST(AdminStarPolicy, StarOnStarFailsWithDetachCommandsForEveryAttachment) {
  IamAccount a;
  a.policy(policy_arn("LegacyAdmin"), policy_doc(R"({"Sid":"Everything","Effect":"Allow","Action":"*:*","Resource":"*"})"));
  a.policy(policy_arn("S3Read"), allow_doc(R"("s3:Get*")"));
  IamUser& u = a.user("ops");
  IamAccount::attach(u.attached_policies, policy_arn("LegacyAdmin"));
  IamAccount::attach(a.role("deployer", trust_doc(R"({"Service":"ec2.amazonaws.com"})")).attached_policies,
                     policy_arn("LegacyAdmin"));
  IamAccount::attach(a.group("readers").attached_policies, policy_arn("S3Read"));
  const auto findings = run_check("admin-star-policy", a.done());
  ASSERT_EQ(findings.size(), 2u);
  const Finding& f = only_finding(findings, policy_arn("LegacyAdmin"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail,
            "customer managed policy \"LegacyAdmin\" allows \"*\" on \"*\" (statement 1 (Sid \"Everything\")); attached to "
            "user/ops, role/deployer");
  EXPECT_EQ(f.remediation_cli,
            "aws iam detach-user-policy --user-name ops --policy-arn arn:aws:iam::111122223333:policy/LegacyAdmin && aws iam "
            "detach-role-policy --role-name deployer --policy-arn arn:aws:iam::111122223333:policy/LegacyAdmin");
  EXPECT_EQ(f.resource_type, "AWS::IAM::ManagedPolicy");
  EXPECT_EQ(status_name(only_finding(findings, policy_arn("S3Read")).status), "PASS");
}

TEST(AdminStarPolicy, InlineAndAwsManagedCountAndNotActionDoesNot) {
  IamAccount a;
  IamGroup& g = a.group("Admins");
  IamAccount::attach(g.attached_policies, aws_policy("AdministratorAccess"));  // document not exported
  IamUser& u = a.user("dev");
  IamAccount::put_inline(u.inline_policies, "everything",
                         policy_doc(R"({"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}})"));
  IamAccount::put_inline(u.inline_policies, "power",
                         policy_doc(R"({"Effect":"Allow","NotAction":"iam:*","Resource":"*"})"));
  const auto findings = run_check("admin-star-policy", a.done());
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(status_name(only_finding(findings, aws_policy("AdministratorAccess")).status), "FAIL");
  const Finding& inline_f = only_finding(findings, "user/dev/inline/everything");
  ASSERT_EQ(status_name(inline_f.status), "FAIL");
  EXPECT_THAT(inline_f.detail, HasSubstr("under a Condition"));
  EXPECT_EQ(inline_f.remediation_cli, "aws iam delete-user-policy --user-name dev --policy-name everything");
  EXPECT_EQ(inline_f.resource_type, "AWS::IAM::Policy");
  EXPECT_EQ(status_name(only_finding(findings, "user/dev/inline/power").status), "PASS");
}

TEST(AdminStarPolicy, UnreadableDocumentIsNotAssessed) {
  IamAccount a;
  IamAccount::attach(a.user("u").attached_policies, policy_arn("NotExported"));
  const Finding& f = only(run_check("admin-star-policy", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_THAT(f.detail, HasSubstr("not collected"));
}

// ---- support-role ---------------------------------------------------------------------------

TEST(SupportRole, ARoleWithAwsSupportAccessPasses) {
  IamAccount a;
  IamAccount::attach(a.role("support", trust_doc(R"({"AWS":"arn:aws:iam::111122223333:root"})")).attached_policies,
                     aws_policy("AWSSupportAccess"));
  const Finding& f = only(run_check("support-role", a.done()));
  EXPECT_EQ(status_name(f.status), "PASS");
  EXPECT_EQ(f.detail, "AWSSupportAccess is attached to role support");
}

TEST(SupportRole, OnlyAUserHavingItFails) {
  IamAccount a;
  IamAccount::attach(a.user("helpdesk").attached_policies, aws_policy("AWSSupportAccess"));
  const Finding& f = only(run_check("support-role", a.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.resource_id, "111122223333");
  EXPECT_EQ(f.cis_aws_3_0, "1.17");
  EXPECT_THAT(f.remediation_cli, HasSubstr("aws iam create-role --role-name aws-support"));
  EXPECT_THAT(f.remediation_cli, HasSubstr("arn:aws:iam::111122223333:root"));
  EXPECT_THAT(f.remediation_cli,
              HasSubstr("aws iam attach-role-policy --role-name aws-support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess"));
  IamAccount missing;
  missing.coverage(Dataset::kAccountAuthorizationDetails, CoverageStatus::kMissing);
  EXPECT_EQ(status_name(only(run_check("support-role", missing.done())).status), "NOT_ASSESSED");
}

// ---- cloudshell-full-access -----------------------------------------------------------------

TEST(CloudShellFullAccess, EveryHolderFailsNoneIsAPass) {
  IamAccount a;
  IamAccount::attach(a.user("dev").attached_policies, aws_policy("AWSCloudShellFullAccess"));
  IamAccount::attach(a.group("ops").attached_policies, aws_policy("AWSCloudShellFullAccess"));
  const auto findings = run_check("cloudshell-full-access", a.done());
  ASSERT_EQ(findings.size(), 2u);
  const Finding& f = only_finding(findings, user_arn("dev"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.remediation_cli,
            "aws iam detach-user-policy --user-name dev --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess");
  const Finding& g = only_finding(findings, group_arn("ops"));
  EXPECT_EQ(g.resource_type, "AWS::IAM::Group");
  EXPECT_EQ(g.remediation_cli,
            "aws iam detach-group-policy --group-name ops --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess");
  IamAccount clean;
  clean.user("dev");
  EXPECT_EQ(status_name(only(run_check("cloudshell-full-access", clean.done())).status), "PASS");
}

TEST(CloudShellFullAccess, NotCollectedIsNotAssessed) {
  IamAccount a;
  a.coverage(Dataset::kAccountAuthorizationDetails, CoverageStatus::kError, "Throttling");
  const Finding f = only(run_check("cloudshell-full-access", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  EXPECT_EQ(f.resource_id, "iam/get-account-authorization-details");
}

// ---- iam-admin-equivalent -------------------------------------------------------------------

TEST(IamAdminEquivalent, AdminThroughAGroupFailsWithTheRemoval) {
  IamAccount a;
  IamAccount::attach(a.group("Admins").attached_policies, aws_policy("AdministratorAccess"));
  a.user("alice", {"Admins"});
  a.user("bob");
  const auto findings = run_check("iam-admin-equivalent", a.done());
  ASSERT_EQ(findings.size(), 2u);
  const Finding& f = only_finding(findings, user_arn("alice"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail,
            "full administrator: allowed every action on every resource (\"*\" on \"*\"); allowed by AWS managed policy "
            "\"AdministratorAccess\" via group \"Admins\" statement 1");
  EXPECT_EQ(f.remediation_cli, "aws iam remove-user-from-group --user-name alice --group-name Admins");
  EXPECT_EQ(f.resource_type, "AWS::IAM::User");
  const JsonValue paths = *f.evidence.get("paths");
  EXPECT_EQ(paths.as_array()[0].get("kind")->as_string(), "full-admin");
  const Finding& bob = only_finding(findings, user_arn("bob"));
  EXPECT_EQ(status_name(bob.status), "PASS");
}

TEST(IamAdminEquivalent, EscalationPathIsNamed) {
  IamAccount a;
  IamRole& admin = a.role("AdminEc2", trust_doc(R"({"Service":"ec2.amazonaws.com"})"));
  IamAccount::attach(admin.attached_policies, aws_policy("AdministratorAccess"));
  admin.instance_profiles.push_back(InstanceProfile{"AdminEc2", "AIPA1", "arn:aws:iam::111122223333:instance-profile/AdminEc2", "/", {"AdminEc2"}});
  IamUser& dev = a.user("dev");
  IamAccount::put_inline(dev.inline_policies, "launch", allow_doc(R"(["iam:PassRole","ec2:RunInstances"])"));
  const auto findings = run_check("iam-admin-equivalent", a.done());
  const Finding& f = only_finding(findings, user_arn("dev"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail,
            "admin-equivalent: can pass the admin role \"AdminEc2\" to an EC2 instance it launches (iam:PassRole); "
            "allowed by inline policy \"launch\" statement 1");
  EXPECT_EQ(f.remediation_cli, "aws iam delete-user-policy --user-name dev --policy-name launch");
  const Finding& role = only_finding(findings, role_arn("AdminEc2"));
  EXPECT_EQ(status_name(role.status), "FAIL");
  EXPECT_EQ(role.resource_type, "AWS::IAM::Role");
  EXPECT_EQ(role.remediation_cli,
            "aws iam detach-role-policy --role-name AdminEc2 --policy-arn arn:aws:iam::aws:policy/AdministratorAccess");
}

TEST(IamAdminEquivalent, UnknownDocumentIsNotAssessedAndServiceLinkedRolesAreSkipped) {
  IamAccount a;
  IamAccount::attach(a.user("carol").attached_policies, policy_arn("NotExported"));
  IamRole& slr = a.role("AWSServiceRoleForSupport", trust_doc(R"({"Service":"support.amazonaws.com"})"));
  slr.path = "/aws-service-role/support.amazonaws.com/";
  const auto findings = run_check("iam-admin-equivalent", a.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(status_name(findings[0].status), "NOT_ASSESSED");
  EXPECT_THAT(findings[0].detail, HasSubstr("\"NotExported\""));
}

TEST(IamAdminEquivalent, FailsStayWhenTheExportIsIncompletePassesDoNot) {
  IamAccount a;
  a.coverage(Dataset::kAccountAuthorizationDetails, CoverageStatus::kError, "Throttling on page 3");
  IamAccount::attach(a.user("alice").attached_policies, aws_policy("AdministratorAccess"));
  a.user("bob");
  const auto findings = run_check("iam-admin-equivalent", a.done());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(status_name(only_finding(findings, "iam/get-account-authorization-details").status), "NOT_ASSESSED");
  EXPECT_EQ(status_name(only_finding(findings, user_arn("alice")).status), "FAIL");
}

TEST(IamAdminEquivalent, RunChecksSharesOneAnalysis) {
  IamAccount a;
  IamAccount::attach(a.user("alice").attached_policies, aws_policy("AdministratorAccess"));
  const Account& account = a.done();
  const Config config;
  const std::vector<std::string> only = {"iam-admin-equivalent", "iam-data-read-broad"};
  const std::vector<Finding> all = run_checks(CheckContext{account, config}, only);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].check_id, "iam-admin-equivalent");
  EXPECT_EQ(all[0].detail, run_check("iam-admin-equivalent", account)[0].detail);
  EXPECT_EQ(status_name(all[1].status), "FAIL");  // an admin reads everything too
}

// ---- iam-privileged-share -------------------------------------------------------------------

TEST(IamPrivilegedShare, MostHumansAdminFails) {
  IamAccount a;
  IamAccount::attach(a.group("Admins").attached_policies, aws_policy("AdministratorAccess"));
  for (const char* name : {"alice", "bob"}) {
    a.user(name, {"Admins"});
    a.console_user(name);
  }
  a.user("carol");
  a.console_user("carol");
  IamAccount::attach(a.user("ci").attached_policies, aws_policy("AdministratorAccess"));
  a.row("ci");  // no console password: not a human user
  const Finding& f = only(run_check("iam-privileged-share", a.done()));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "2 of 3 human users (66%) are admin-equivalent, more than 50%: alice, bob");
  EXPECT_EQ(f.remediation_cli,
            "aws iam remove-user-from-group --user-name alice --group-name Admins && aws iam remove-user-from-group "
            "--user-name bob --group-name Admins");
  Config lenient;
  lenient.iam_privileged_share_percent = 70;
  const Finding& p = only(run_check("iam-privileged-share", a.t.account, lenient));
  EXPECT_EQ(status_name(p.status), "PASS");
  EXPECT_EQ(p.detail, "2 of 3 human users (66%) are admin-equivalent; threshold 70%");
}

TEST(IamPrivilegedShare, UnknownUsersThatCouldTipTheVerdictAreNotAssessed) {
  IamAccount a;
  IamAccount::attach(a.user("alice").attached_policies, aws_policy("AdministratorAccess"));
  a.console_user("alice");
  IamAccount::attach(a.user("bob").attached_policies, policy_arn("NotExported"));
  a.console_user("bob");
  a.user("carol");
  a.console_user("carol");
  // 1 of 3 is admin (33%); bob could make it 66%: with threshold 50 that decides.
  const Finding& f = only(run_check("iam-privileged-share", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  // With threshold 80 nothing bob is can make it fail.
  Config high;
  high.iam_privileged_share_percent = 80;
  EXPECT_EQ(status_name(only(run_check("iam-privileged-share", a.t.account, high)).status), "PASS");
}

TEST(IamPrivilegedShare, NoHumansPassesNoReportIsNotAssessed) {
  IamAccount a;
  a.user("ci");
  a.row("ci");
  EXPECT_EQ(status_name(only(run_check("iam-privileged-share", a.done())).status), "PASS");
  IamAccount b;
  b.coverage(Dataset::kCredentialReport, CoverageStatus::kMissing);
  EXPECT_EQ(status_name(only(run_check("iam-privileged-share", b.done())).status), "NOT_ASSESSED");
}

// ---- iam-data-read-broad --------------------------------------------------------------------

TEST(IamDataReadBroad, ReadingEveryObjectFailsOneBucketPasses) {
  IamAccount a;
  IamAccount::put_inline(a.user("analyst").inline_policies, "read-all", allow_doc(R"("s3:GetObject")", R"("arn:aws:s3:::*")"));
  IamAccount::put_inline(a.user("reporter").inline_policies, "read-one",
                         allow_doc(R"("s3:GetObject")", R"("arn:aws:s3:::reports/*")"));
  IamAccount::attach(a.role("auditor", trust_doc(R"({"AWS":"arn:aws:iam::111122223333:root"})")).attached_policies,
                     aws_policy("ReadOnlyAccess"));
  const auto findings = run_check("iam-data-read-broad", a.done());
  ASSERT_EQ(findings.size(), 3u);
  const Finding& f = only_finding(findings, user_arn("analyst"));
  ASSERT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.detail, "can read every S3 object; s3:GetObject allowed by inline policy \"read-all\" statement 1");
  EXPECT_EQ(f.remediation_cli, "aws iam delete-user-policy --user-name analyst --policy-name read-all");
  EXPECT_EQ(status_name(only_finding(findings, user_arn("reporter")).status), "PASS");
  const Finding& ro = only_finding(findings, role_arn("auditor"));
  ASSERT_EQ(status_name(ro.status), "FAIL");
  EXPECT_THAT(ro.detail, HasSubstr("AWS managed ReadOnlyAccess"));
  EXPECT_EQ(ro.remediation_cli,
            "aws iam detach-role-policy --role-name auditor --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess");
}

TEST(IamDataReadBroad, UnknownIsNotAssessed) {
  IamAccount a;
  IamAccount::attach(a.user("u").attached_policies, policy_arn("NotExported"));
  const Finding& f = only(run_check("iam-data-read-broad", a.done()));
  EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
