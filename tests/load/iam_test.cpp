// IAM: get-account-authorization-details, the credential report, the account summary, the password
// policy (NoSuchEntity = "no policy"), the virtual MFA devices; organizations list-accounts.
#include "load/credential_report.h"
#include "services_fixture.h"

namespace fortress {
namespace {

using testing::utc;
using Level = LoadDiagnostic::Level;

class Iam : public testing::AwsAccount {
 protected:
  static const IamData& iam() { return account().iam; }
  static bool ok(Dataset d) { return account().global_coverage[size_t(d)].ok(); }
};

TEST_F(Iam, Users) {
  EXPECT_TRUE(ok(Dataset::kAccountAuthorizationDetails));
  ASSERT_EQ(iam().users.size(), 4u);
  const IamUser* alice = iam().user("alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->id, "AIDAKPCZU6JHIXVXUYMT4");
  EXPECT_EQ(alice->arn, "arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(alice->path, "/");
  EXPECT_EQ(alice->create_date, utc("2019-03-04T10:30:17Z"));
  EXPECT_EQ(alice->group_names, (std::vector<Symbol>{"Admins"}));
  EXPECT_TRUE(alice->attached_policies.empty());
  ASSERT_EQ(alice->tags.size(), 1u);
  EXPECT_EQ(alice->tags[0].first, "team");
  EXPECT_EQ(alice->tags[0].second, "platform");
  EXPECT_EQ(iam().user_by_arn("arn:aws:iam::111122223333:user/alice"), alice);
  EXPECT_EQ(file_of(alice->source), "iam/get-account-authorization-details.json");

  const IamUser* bob = iam().user("bob");
  ASSERT_EQ(bob->inline_policies.size(), 1u);
  EXPECT_EQ(bob->inline_policies[0].name, "bob-scratch-bucket");
  // The CLI prints the document as an object; the model keeps compact JSON text.
  EXPECT_EQ(bob->inline_policies[0].document,
            R"({"Version":"2012-10-17","Statement":[{"Sid":"ScratchBucket","Effect":"Allow","Action":"s3:*",)"
            R"("Resource":["arn:aws:s3:::example-corp-bob-scratch","arn:aws:s3:::example-corp-bob-scratch/*"]}]})");
  const IamUser* auditor = iam().user("auditor");
  ASSERT_EQ(auditor->attached_policies.size(), 1u);
  EXPECT_EQ(auditor->attached_policies[0].arn, "arn:aws:iam::111122223333:policy/FortressAuditReadOnly");
  EXPECT_EQ(iam().user("ci-deploy")->path, "/service/");
  EXPECT_TRUE(alice->permissions_boundary_arn.empty());
}

TEST_F(Iam, GroupsRolesAndPolicies) {
  ASSERT_EQ(iam().groups.size(), 2u);
  const IamGroup* admins = iam().group("Admins");
  ASSERT_NE(admins, nullptr);
  ASSERT_EQ(admins->attached_policies.size(), 1u);
  EXPECT_EQ(admins->attached_policies[0].arn, "arn:aws:iam::aws:policy/AdministratorAccess");
  EXPECT_EQ(iam().group("Developers")->inline_policies.size(), 1u);

  ASSERT_EQ(iam().roles.size(), 3u);
  const IamRole* glass = iam().role("BreakGlassAdmin");
  ASSERT_NE(glass, nullptr);
  EXPECT_EQ(glass->assume_role_policy_document,
            R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},)"
            R"("Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]})");
  EXPECT_EQ(glass->last_used, utc("2026-03-18T21:14:09Z"));
  EXPECT_EQ(glass->last_used_region, "us-east-1");
  EXPECT_FALSE(glass->service_linked());
  const IamRole* web = iam().role("web-app-ec2");
  ASSERT_EQ(web->instance_profiles.size(), 1u);
  EXPECT_EQ(web->instance_profiles[0].name, "web-app-ec2");
  EXPECT_EQ(web->instance_profiles[0].role_names, (std::vector<Symbol>{"web-app-ec2"}));
  EXPECT_EQ(iam().role_for_instance_profile("arn:aws:iam::111122223333:instance-profile/web-app-ec2"), web);
  EXPECT_EQ(iam().role_by_arn("arn:aws:iam::111122223333:role/service-role/config-recorder")->path, "/service-role/");

  ASSERT_EQ(iam().policies.size(), 3u);
  const ManagedPolicy* admin = iam().policy("arn:aws:iam::aws:policy/AdministratorAccess");
  ASSERT_NE(admin, nullptr);
  EXPECT_TRUE(admin->aws_managed());
  EXPECT_EQ(admin->attachment_count, 2);
  ASSERT_NE(admin->default_version(), nullptr);
  EXPECT_EQ(admin->default_version()->document,
            R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})");
  const ManagedPolicy* deploy = iam().policy("arn:aws:iam::111122223333:policy/service/DeployPipelinePolicy");
  ASSERT_NE(deploy, nullptr);
  EXPECT_FALSE(deploy->aws_managed());
  EXPECT_EQ(deploy->default_version_id, "v2");
  ASSERT_NE(deploy->default_version(), nullptr);
  EXPECT_EQ(deploy->default_version()->version_id, "v2");
  EXPECT_TRUE(deploy->default_version()->is_default);
  EXPECT_EQ(deploy->update_date, utc("2025-09-24T16:40:05Z"));
}

TEST_F(Iam, CredentialReportRows) {
  EXPECT_TRUE(ok(Dataset::kCredentialReport));
  ASSERT_TRUE(iam().credential_report.has_value());
  const CredentialReport& report = *iam().credential_report;
  EXPECT_EQ(report.generated_time, utc("2026-11-30T08:15:02Z"));
  ASSERT_EQ(report.rows.size(), 5u);
  const CredentialReportRow* root = report.root();
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->line, 2u);
  EXPECT_EQ(root->arn, "arn:aws:iam::111122223333:root");
  EXPECT_EQ(root->password_enabled.cell, ReportCell::kNotSupported);
  EXPECT_EQ(root->password_last_used.cell, ReportCell::kValue);
  EXPECT_EQ(root->password_last_used.time, utc("2026-10-02T17:45:09Z"));
  EXPECT_EQ(root->password_last_changed.cell, ReportCell::kNotSupported);
  EXPECT_TRUE(root->mfa_active.is_true());
  EXPECT_EQ(root->access_keys[0].active.cell, ReportCell::kValue);
  EXPECT_FALSE(root->access_keys[0].active.value);
  EXPECT_EQ(root->access_keys[0].last_rotated.cell, ReportCell::kNotApplicable);

  const CredentialReportRow* auditor = iam().credential_row("auditor");
  ASSERT_NE(auditor, nullptr);
  EXPECT_FALSE(auditor->password_enabled.is_true());
  EXPECT_EQ(auditor->password_last_used.cell, ReportCell::kNotApplicable);
  EXPECT_TRUE(auditor->access_keys[0].active.is_true());
  EXPECT_EQ(auditor->access_keys[0].last_used_date.time, utc("2026-11-30T08:14:00Z"));
  EXPECT_EQ(auditor->access_keys[0].last_used_region.value, "us-east-1");
  EXPECT_EQ(auditor->access_keys[0].last_used_service.value, "iam");
  const CredentialReportRow* ci = iam().credential_row("ci-deploy");
  EXPECT_FALSE(ci->access_keys[1].active.value);
  EXPECT_EQ(ci->access_keys[1].last_rotated.time, utc("2025-11-02T11:30:27Z"));
  EXPECT_EQ(ci->certificates[1].active.cell, ReportCell::kValue);
}

TEST_F(Iam, SummaryPasswordPolicyMfaAndTheRootsMfaKind) {
  EXPECT_EQ(iam().summary("AccountMFAEnabled"), 1);
  EXPECT_EQ(iam().summary("AccountAccessKeysPresent"), 0);
  EXPECT_EQ(iam().summary("Users"), 4);
  EXPECT_EQ(iam().summary("NoSuchKey"), std::nullopt);

  ASSERT_TRUE(iam().password_policy.has_value());
  const PasswordPolicy& p = *iam().password_policy;
  EXPECT_TRUE(p.exists);
  EXPECT_EQ(p.minimum_password_length, 14);
  EXPECT_TRUE(p.require_symbols);
  EXPECT_TRUE(p.expire_passwords);
  EXPECT_EQ(p.max_password_age, 90);
  EXPECT_EQ(p.password_reuse_prevention, 24);
  EXPECT_EQ(p.hard_expiry, false);

  ASSERT_EQ(iam().virtual_mfa_devices.size(), 3u);
  const VirtualMfaDevice* root = iam().virtual_mfa_for("arn:aws:iam::111122223333:root");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->serial_number, "arn:aws:iam::111122223333:mfa/root-account-mfa-device");
  EXPECT_TRUE(root->assigned_to_root());
  EXPECT_EQ(root->enable_date, utc("2019-03-04T10:14:53Z"));
  EXPECT_EQ(iam().virtual_mfa_for("arn:aws:iam::111122223333:user/alice")->user_name, "alice");
  EXPECT_EQ(iam().root_mfa(ok(Dataset::kVirtualMfaDevices)), RootMfa::kVirtual);
  EXPECT_EQ(iam().root_mfa(false), RootMfa::kUnknown);
}

TEST_F(Iam, OrganizationAccountsAndGenerateCredentialReportIsNotUnknown) {
  ASSERT_EQ(account().organization_accounts.size(), 3u);
  EXPECT_EQ(account().organization_accounts[2].id, "777788889999");
  EXPECT_EQ(account().organization_accounts[2].status, "SUSPENDED");
  EXPECT_EQ(account().organization_accounts[2].joined_timestamp, utc("2022-11-03T16:05:51Z"));
  EXPECT_TRUE(result().unknown_files.empty()) << result().unknown_files.front();
}

// ---- edge cases, in memory ----------------------------------------------------------------------

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8 | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8;
    for (int s = 18; s >= 6; s -= 6) out += kAlphabet[(n >> s) & 63];
    out += "=";
  }
  return out;
}

constexpr std::string_view kHeader =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
    "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
    "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
    "cert_2_last_rotated\n";

LoadResult load_report(std::string_view csv) {
  return testing::load_files({{"iam/get-credential-report.json",
                               R"({"Content": ")" + base64(csv) +
                                   R"(", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-30T08:15:02Z"})"}});
}

TEST(CredentialReport, NotUsedAndUnknownAreDistinct) {
  std::string csv(kHeader);
  csv += "<root_account>,arn:aws:iam::1:root,2019-03-04T10:11:12+00:00,not_supported,no_information,not_supported,"
         "not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
  csv += "carol,arn:aws:iam::1:user/carol,2020-01-01T00:00:00+00:00,true,no_information,2020-01-01T00:00:00+00:00,"
         "N/A,false,true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
  LoadResult r = load_report(csv);
  const IamData& iam = r.account.iam;
  ASSERT_TRUE(iam.credential_report.has_value()) << testing::all_diagnostics(r);
  EXPECT_EQ(iam.credential_report->rows.size(), 2u);
  const CredentialReportRow* root = iam.credential_row("<root_account>");
  EXPECT_TRUE(root->is_root());
  EXPECT_EQ(root->password_last_used.cell, ReportCell::kNoInformation);  // used, before tracking
  EXPECT_EQ(root->password_enabled.cell, ReportCell::kNotSupported);
  const CredentialReportRow* carol = iam.credential_row("carol");
  EXPECT_EQ(carol->password_last_used.cell, ReportCell::kNoInformation);
  EXPECT_FALSE(carol->password_last_used.has_time());
  EXPECT_EQ(carol->access_keys[0].last_used_date.cell, ReportCell::kNotApplicable);  // never used
  EXPECT_EQ(carol->password_next_rotation.cell, ReportCell::kNotApplicable);
  EXPECT_EQ(iam.root_mfa(true), RootMfa::kNone);
  EXPECT_TRUE(r.account.global_coverage[size_t(Dataset::kCredentialReport)].ok());
}

TEST(CredentialReport, BadRowsAreSkippedWithTheirCsvLineTheRestLoads) {
  std::string csv(kHeader);
  csv += "dave,arn:aws:iam::1:user/dave,2020-01-01T00:00:00+00:00,true,yesterday,N/A,N/A,true,false,N/A,N/A,N/A,N/A,"
         "false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
  csv += "erin,arn:aws:iam::1:user/erin,2020-01-01T00:00:00+00:00,true,N/A\n";  // truncated
  csv += "frank,arn:aws:iam::1:user/frank,2020-01-01T00:00:00+00:00,maybe,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,"
         "false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
  csv += "\"g,h\",arn:aws:iam::1:user/gh,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,"
         "false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";  // a quoted name with a comma, no final newline
  LoadResult r = load_report(csv);
  const IamData& iam = r.account.iam;
  ASSERT_TRUE(iam.credential_report.has_value());
  ASSERT_EQ(iam.credential_report->rows.size(), 1u) << testing::all_diagnostics(r);
  EXPECT_EQ(iam.credential_report->rows[0].user, "g,h");
  EXPECT_EQ(iam.credential_report->rows[0].line, 5u);
  const LoadDiagnostic* d = testing::find_diagnostic(r, Level::kWarning, "CSV line 2 (user dave)");
  ASSERT_NE(d, nullptr) << testing::all_diagnostics(r);
  EXPECT_EQ(d->file, "iam/get-credential-report.json");
  EXPECT_NE(d->message.find("password_last_used: \"yesterday\" is not a timestamp"), std::string::npos);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "CSV line 3 (user erin): 5 fields where the header has 22"),
            nullptr);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "password_enabled: \"maybe\" is not true or false"), nullptr);
  const Coverage& c = r.account.global_coverage[size_t(Dataset::kCredentialReport)];
  EXPECT_EQ(c.status, CoverageStatus::kError);
  EXPECT_NE(c.detail.find("3 of 4 elements skipped"), std::string::npos) << c.detail;
}

TEST(CredentialReport, ContentThatIsNoReportFailsTheFile) {
  for (std::string content : {std::string("not base64!"), base64("just,some\ntext\n"), base64("")}) {
    LoadResult r = testing::load_files(
        {{"iam/get-credential-report.json", R"({"Content": ")" + content + R"(", "ReportFormat": "text/csv"})"}});
    EXPECT_FALSE(r.account.iam.credential_report.has_value()) << content;
    EXPECT_EQ(r.account.global_coverage[size_t(Dataset::kCredentialReport)].status, CoverageStatus::kError) << content;
    EXPECT_NE(testing::find_diagnostic(r, Level::kError, "unexpected shape"), nullptr) << testing::all_diagnostics(r);
  }
}

TEST(CredentialReport, CsvParserAndBase64Directly) {
  ParsedCredentialReport p = parse_credential_report_csv("arn,user,mfa_active\r\narn:x,u1,true\r\n\"unterminated");
  EXPECT_TRUE(p.header_ok);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].user, "u1");  // columns found by header name, in any order
  EXPECT_TRUE(p.rows[0].mfa_active.is_true());
  EXPECT_EQ(p.rows[0].password_enabled.cell, ReportCell::kAbsent);  // no such column
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].line, 3u);
  EXPECT_EQ(decode_base64("aGk="), "hi");
  EXPECT_EQ(decode_base64("aGk"), "hi");
  EXPECT_EQ(decode_base64("a"), std::nullopt);
  EXPECT_EQ(decode_base64("aG=k"), std::nullopt);
}

TEST(PasswordPolicy, NoSuchEntityMeansCollectedWithNoPolicy) {
  LoadResult r = testing::load_files({{"iam/get-account-password-policy.error.json",
                                       R"({"FortressCollectionError": {"Service": "iam", "Command": "get-account-password-policy",
      "Region": "", "ErrorCode": "NoSuchEntity", "Message": "The Password Policy with domain name 1 cannot be found."}})"}});
  const Coverage& c = r.account.global_coverage[size_t(Dataset::kAccountPasswordPolicy)];
  EXPECT_EQ(c.status, CoverageStatus::kOk) << c.detail;
  ASSERT_TRUE(r.account.iam.password_policy.has_value());
  EXPECT_FALSE(r.account.iam.password_policy->exists);
  EXPECT_FALSE(r.account.iam.password_policy->minimum_password_length.has_value());
  EXPECT_FALSE(r.incomplete());

  LoadResult denied = testing::load_files({{"iam/get-account-password-policy.error.json",
                                            R"({"FortressCollectionError": {"Service": "iam", "Command": "get-account-password-policy",
      "Region": "", "ErrorCode": "AccessDenied", "Message": "no"}})"}});
  EXPECT_EQ(denied.account.global_coverage[size_t(Dataset::kAccountPasswordPolicy)].status, CoverageStatus::kError);
  EXPECT_FALSE(denied.account.iam.password_policy.has_value());

  LoadResult missing = testing::load_files({});
  EXPECT_EQ(missing.account.global_coverage[size_t(Dataset::kAccountPasswordPolicy)].status, CoverageStatus::kMissing);
}

TEST(AuthorizationDetails, WireFormDocumentsBadElementsAndPoliciesAlone) {
  LoadResult r = testing::load_files({
      {"iam/get-account-authorization-details.json", R"({
  "UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::1:user/u",
     "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%5B%5D%7D"}]},
    {"UserName": "bad", "Arn": "arn:aws:iam::1:user/bad", "GroupList": "Admins"},
    {"UserName": "doc", "Arn": "arn:aws:iam::1:user/doc", "UserPolicyList": [{"PolicyName": "x", "PolicyDocument": "%7Bnot json"}]}],
  "RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::1:role/r", "PermissionsBoundary":
     {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::1:policy/b"}}],
  "Policies": [{"PolicyName": "b", "Arn": "arn:aws:iam::1:policy/b", "DefaultVersionId": "v1",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": "{\"Version\": \"2012-10-17\"}"}]}],
  "IsTruncated": false})"},
      {"iam/list-policies.json", R"({"Policies": [{"PolicyName": "x", "Arn": "arn:aws:iam::1:policy/x"}]})"},
  });
  const IamData& iam = r.account.iam;
  ASSERT_EQ(iam.users.size(), 1u) << testing::all_diagnostics(r);
  EXPECT_EQ(iam.users[0].inline_policies[0].document, R"({"Version":"2012-10-17","Statement":[]})");
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "GroupList: expected a list, found a string"), nullptr);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "PolicyDocument: not a JSON policy document"), nullptr);
  EXPECT_EQ(iam.role("r")->permissions_boundary_arn, "arn:aws:iam::1:policy/b");
  ASSERT_EQ(iam.policies.size(), 1u);  // list-policies alone is not get-account-authorization-details
  EXPECT_EQ(iam.policies[0].default_version()->document, R"({"Version":"2012-10-17"})");
  EXPECT_EQ(r.unknown_files, (std::vector<std::string>{"iam/list-policies.json"}));
  EXPECT_EQ(r.account.global_coverage[size_t(Dataset::kAccountAuthorizationDetails)].status, CoverageStatus::kError);
}

TEST(AuthorizationDetails, PagesInSeveralFilesMergeAndDuplicatesAreWarned) {
  LoadResult r = testing::load_files({
      {"iam/get-account-authorization-details.json",
       R"({"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::1:user/a"}], "IsTruncated": true, "Marker": "m"})"},
      {"iam/get-account-authorization-details.page2.json",
       R"({"UserDetailList": [{"UserName": "b", "Arn": "arn:aws:iam::1:user/b"}, {"UserName": "a2", "Arn": "arn:aws:iam::1:user/a"}]})"},
  });
  ASSERT_EQ(r.account.iam.users.size(), 2u);
  EXPECT_EQ(r.account.iam.user("a")->arn, "arn:aws:iam::1:user/a");
  EXPECT_EQ(r.account.iam.user("a2"), nullptr);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "IAM user ID(s) already loaded"), nullptr);
}

TEST(AccountSummary, WrongTypeFailsTheFile) {
  LoadResult r = testing::load_files({{"iam/get-account-summary.json", R"({"SummaryMap": {"Users": "four"}})"}});
  EXPECT_FALSE(r.account.iam.account_summary.has_value());
  const Coverage& c = r.account.global_coverage[size_t(Dataset::kAccountSummary)];
  EXPECT_EQ(c.status, CoverageStatus::kError);
  EXPECT_NE(c.detail.find("SummaryMap.Users: expected an integer"), std::string::npos) << c.detail;
  LoadResult trunc = testing::load_files({{"iam/get-account-summary.json", R"({"SummaryMap": {"Users": 4)"}});
  EXPECT_EQ(trunc.account.global_coverage[size_t(Dataset::kAccountSummary)].status, CoverageStatus::kError);
}

}  // namespace
}  // namespace fortress
