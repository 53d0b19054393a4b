// Admin-equivalence, privilege-escalation paths and data-read breadth over small inventories.
#include "iam/analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fortress::iam {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kAccount = "111122223333";

std::string doc(std::string_view statements) {
  return fmt::format(R"({{"Version":"2012-10-17","Statement":[{}]}})", statements);
}
std::string allow(std::string_view action, std::string_view resource = R"("*")", std::string_view extra = "") {
  return doc(fmt::format(R"({{"Effect":"Allow","Action":{},"Resource":{}{}}})", action, resource, extra));
}
std::string user_arn(std::string_view name) { return fmt::format("arn:aws:iam::{}:user/{}", kAccount, name); }
std::string role_arn(std::string_view name) { return fmt::format("arn:aws:iam::{}:role/{}", kAccount, name); }
std::string group_arn(std::string_view name) { return fmt::format("arn:aws:iam::{}:group/{}", kAccount, name); }
std::string policy_arn(std::string_view name) { return fmt::format("arn:aws:iam::{}:policy/{}", kAccount, name); }
const std::string kAdminArn = "arn:aws:iam::aws:policy/AdministratorAccess";
const std::string kAdminDoc = allow(R"("*")");
std::string trusts_service(std::string_view service) {
  return doc(fmt::format(R"({{"Effect":"Allow","Principal":{{"Service":"{}"}},"Action":"sts:AssumeRole"}})", service));
}
std::string trusts_aws(std::string_view principal, std::string_view extra = "") {
  return doc(fmt::format(R"({{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":"sts:AssumeRole"{}}})", principal, extra));
}

class Builder {
 public:
  Builder() { inv.account_id = std::string(kAccount); }

  UserEntity& user(std::string name, std::vector<std::string> inline_docs = {}) {
    UserEntity u;
    u.name = name;
    u.arn = user_arn(name);
    u.id = "AIDA" + name;
    u.path = "/";
    for (size_t i = 0; i < inline_docs.size(); ++i) u.inline_policies.push_back({fmt::format("{}-{}", name, i), inline_docs[i]});
    inv.users.push_back(std::move(u));
    return inv.users.back();
  }
  RoleEntity& role(std::string name, std::string trust, std::vector<std::string> inline_docs = {}) {
    RoleEntity r;
    r.name = name;
    r.arn = role_arn(name);
    r.id = "AROA" + name;
    r.path = "/";
    r.trust_document = std::move(trust);
    for (size_t i = 0; i < inline_docs.size(); ++i) r.inline_policies.push_back({fmt::format("{}-{}", name, i), inline_docs[i]});
    inv.roles.push_back(std::move(r));
    return inv.roles.back();
  }
  GroupEntity& group(std::string name, std::vector<std::string> managed = {}, std::vector<std::string> inline_docs = {}) {
    GroupEntity g;
    g.name = name;
    g.arn = group_arn(name);
    g.managed_policy_arns = std::move(managed);
    for (size_t i = 0; i < inline_docs.size(); ++i) g.inline_policies.push_back({fmt::format("{}-{}", name, i), inline_docs[i]});
    inv.groups.push_back(std::move(g));
    return inv.groups.back();
  }
  // A managed policy; versions: {id, document}, the first is the default.
  void policy(std::string arn, std::vector<std::pair<std::string, std::string>> versions) {
    ManagedPolicyText m;
    m.arn = arn;
    m.name = arn.substr(arn.rfind('/') + 1);
    for (size_t i = 0; i < versions.size(); ++i) {
      m.versions.push_back({versions[i].first, i == 0, versions[i].second});
      if (i == 0) m.default_version_id = versions[i].first;
    }
    inv.policies.push_back(std::move(m));
  }

  Analysis analyse() const { return Analysis::build(inv); }
  Inventory inv;
};

const PrincipalAnalysis& principal(const Analysis& a, std::string_view arn) {
  const PrincipalAnalysis* p = a.find(arn);
  EXPECT_NE(p, nullptr) << arn;
  static const PrincipalAnalysis kNone;
  return p == nullptr ? kNone : *p;
}

std::vector<std::string> kinds(const PrincipalAnalysis& p) {
  std::vector<std::string> out;
  for (const AdminPath& path : p.admin_paths) out.emplace_back(to_string(path.kind));
  return out;
}

// ---- Direct ----------------------------------------------------------------------------------

TEST(AdminEquivalent, FullAdminThroughAGroupWithTheStatement) {
  Builder b;
  b.group("Admins", {kAdminArn});
  b.user("alice").group_names = {"Admins"};
  b.user("bob");
  b.policy(kAdminArn, {{"v1", kAdminDoc}});
  const Analysis a = b.analyse();
  const PrincipalAnalysis& alice = principal(a, user_arn("alice"));
  EXPECT_EQ(alice.admin, Verdict::kYes);
  ASSERT_EQ(kinds(alice), std::vector<std::string>{"full-admin"});
  const Step& s = alice.admin_paths[0].steps[0];
  EXPECT_EQ(s.action, "*:*");  // every action of every service
  EXPECT_EQ(s.answer->explain(), "allowed by AWS managed policy \"AdministratorAccess\" via group \"Admins\" statement 1");
  EXPECT_EQ(principal(a, user_arn("bob")).admin, Verdict::kNo);
}

TEST(AdminEquivalent, AdministratorAccessIsKnownEvenWhenItsDocumentWasNotExported) {
  Builder b;
  b.user("alice").managed_policy_arns = {kAdminArn};
  const Analysis a = b.analyse();
  EXPECT_EQ(principal(a, user_arn("alice")).admin, Verdict::kYes);
}

TEST(AdminEquivalent, StarColonStarIsFullAdmin) {
  Builder b;
  b.user("legacy", {allow(R"("*:*")")});
  const Analysis a = b.analyse();
  EXPECT_EQ(kinds(principal(a, user_arn("legacy"))), std::vector<std::string>{"full-admin"});
}

TEST(AdminEquivalent, IamStarIsAdminEquivalent) {
  Builder b;
  b.user("iamer", {allow(R"("iam:*")")});
  const Analysis a = b.analyse();
  const PrincipalAnalysis& p = principal(a, user_arn("iamer"));
  EXPECT_EQ(p.admin, Verdict::kYes);
  EXPECT_EQ(kinds(p), std::vector<std::string>{"iam-full-access"});
}

TEST(AdminEquivalent, ADenyCarvingOutIamIsNotAdmin) {
  Builder b;
  b.user("power", {doc(R"({"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"})")});
  // A Deny on one bucket leaves IAM whole: admin-equivalent through iam:*, not "full admin".
  b.user("almost", {doc(R"({"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::vault/*"})")});
  const Analysis a = b.analyse();
  EXPECT_EQ(principal(a, user_arn("power")).admin, Verdict::kNo);
  EXPECT_EQ(kinds(principal(a, user_arn("almost"))), std::vector<std::string>{"iam-full-access"});
}

TEST(AdminEquivalent, ConditionalAdminIsConditional) {
  Builder b;
  b.user("mfa", {allow(R"("*")", R"("*")", R"(,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}})")});
  const Analysis a = b.analyse();
  const PrincipalAnalysis& p = principal(a, user_arn("mfa"));
  EXPECT_EQ(p.admin, Verdict::kConditional);
  ASSERT_EQ(p.admin_paths.size(), 1u);
  EXPECT_TRUE(p.admin_paths[0].conditional);
}

TEST(AdminEquivalent, UncollectedPolicyIsUnknownNeverNo) {
  Builder b;
  b.user("carol").managed_policy_arns = {policy_arn("NotExported")};
  const Analysis a = b.analyse();
  const PrincipalAnalysis& p = principal(a, user_arn("carol"));
  EXPECT_EQ(p.admin, Verdict::kUnknown);
  ASSERT_FALSE(p.admin_unknown.empty());
  EXPECT_THAT(p.admin_unknown[0], HasSubstr("customer managed policy \"NotExported\""));
  EXPECT_THAT(p.admin_unknown[0], HasSubstr("not collected"));
  EXPECT_EQ(p.data_read, Verdict::kUnknown);
}

TEST(AdminEquivalent, MalformedInlinePolicyIsAProblemAndUnknown) {
  Builder b;
  b.user("dave", {R"({"Statement":{"Effect":"allow","Action":"*","Resource":"*"}})"});
  b.user("erin");
  const Analysis a = b.analyse();
  ASSERT_EQ(a.problems().size(), 1u);
  EXPECT_EQ(a.problems()[0].where, "inline policy \"dave-0\" of user \"dave\"");
  EXPECT_THAT(a.problems()[0].error, HasSubstr("Effect must be"));
  EXPECT_EQ(principal(a, user_arn("dave")).admin, Verdict::kUnknown);
  EXPECT_EQ(principal(a, user_arn("erin")).admin, Verdict::kNo);  // the rest is still used
}

TEST(AdminEquivalent, BoundaryCapsAdmin) {
  Builder b;
  UserEntity& u = b.user("capped");
  u.managed_policy_arns = {kAdminArn};
  u.boundary_arn = policy_arn("S3Only");
  b.policy(policy_arn("S3Only"), {{"v1", allow(R"("s3:*")")}});
  const Analysis a = b.analyse();
  EXPECT_EQ(principal(a, user_arn("capped")).admin, Verdict::kNo);
}

// ---- Rewriting its own permissions ------------------------------------------------------------

TEST(Escalation, AttachUserPolicyOnItself) {
  Builder b;
  b.user("eve", {allow(R"("iam:AttachUserPolicy")", R"("arn:aws:iam::111122223333:user/${aws:username}")")});
  b.user("frank", {allow(R"("iam:AttachUserPolicy")", R"("arn:aws:iam::111122223333:user/someone-else")")});
  const Analysis a = b.analyse();
  const PrincipalAnalysis& eve = principal(a, user_arn("eve"));
  EXPECT_EQ(eve.admin, Verdict::kYes);
  ASSERT_EQ(kinds(eve), std::vector<std::string>{"attach-policy"});
  EXPECT_THAT(eve.admin_paths[0].summary, HasSubstr("iam:AttachUserPolicy"));
  EXPECT_EQ(eve.admin_paths[0].steps[0].resource, user_arn("eve"));
  EXPECT_EQ(principal(a, user_arn("frank")).admin, Verdict::kNo);
}

TEST(Escalation, PutRolePolicyOnItself) {
  Builder b;
  b.role("builder", trusts_service("ec2.amazonaws.com"), {allow(R"("iam:PutRolePolicy")", "\"" + role_arn("builder") + "\"")});
  const Analysis a = b.analyse();
  EXPECT_EQ(kinds(principal(a, role_arn("builder"))), std::vector<std::string>{"put-inline-policy"});
}

TEST(Escalation, AttachOrPutOnItsGroup) {
  Builder b;
  b.group("devs", {}, {allow(R"(["iam:AttachGroupPolicy","iam:PutGroupPolicy"])", "\"" + group_arn("devs") + "\"")});
  b.user("gina").group_names = {"devs"};
  const Analysis a = b.analyse();
  EXPECT_EQ(kinds(principal(a, user_arn("gina"))), (std::vector<std::string>{"attach-policy", "put-inline-policy"}));
}

TEST(Escalation, BoundaryCapsSelfModificationUnlessItCanBeRemoved) {
  Builder b;
  b.policy(policy_arn("Cap"), {{"v1", allow(R"(["iam:AttachUserPolicy","s3:*"])")}});
  UserEntity& capped = b.user("capped", {allow(R"("iam:AttachUserPolicy")")});
  capped.boundary_arn = policy_arn("Cap");
  UserEntity& escapes = b.user("escapes", {allow(R"(["iam:AttachUserPolicy","iam:DeleteUserPermissionsBoundary"])")});
  escapes.boundary_arn = policy_arn("Cap");
  const Analysis a = b.analyse();
  EXPECT_EQ(principal(a, user_arn("capped")).admin, Verdict::kNo);
  // The boundary does not allow removing itself here either: the deletion must pass the boundary.
  EXPECT_EQ(principal(a, user_arn("escapes")).admin, Verdict::kNo);

  Builder c;
  c.policy(policy_arn("Cap"), {{"v1", allow(R"(["iam:AttachUserPolicy","iam:DeleteUserPermissionsBoundary"])")}});
  UserEntity& e = c.user("escapes", {allow(R"(["iam:AttachUserPolicy","iam:DeleteUserPermissionsBoundary"])")});
  e.boundary_arn = policy_arn("Cap");
  const Analysis a2 = c.analyse();
  const PrincipalAnalysis& p = principal(a2, user_arn("escapes"));
  EXPECT_EQ(p.admin, Verdict::kYes);
  ASSERT_EQ(p.admin_paths.size(), 1u);
  ASSERT_EQ(p.admin_paths[0].steps.size(), 2u);
  EXPECT_EQ(p.admin_paths[0].steps[1].action, "iam:DeleteUserPermissionsBoundary");
}

TEST(Escalation, CreatePolicyVersionOnAPolicyItHas) {
  Builder b;
  b.policy(policy_arn("Mine"), {{"v1", allow(R"("iam:CreatePolicyVersion")", "\"" + policy_arn("Mine") + "\"")}});
  b.policy(policy_arn("Other"), {{"v1", allow(R"("s3:ListBucket")")}});
  b.user("hank").managed_policy_arns = {policy_arn("Mine")};
  b.policy(policy_arn("Versions"), {{"v1", allow(R"("iam:CreatePolicyVersion")", "\"" + policy_arn("Other") + "\"")}});
  b.user("ivy").managed_policy_arns = {policy_arn("Versions")};  // can rewrite a policy it does not have
  const Analysis a = b.analyse();
  EXPECT_EQ(kinds(principal(a, user_arn("hank"))), std::vector<std::string>{"create-policy-version"});
  EXPECT_EQ(principal(a, user_arn("ivy")).admin, Verdict::kNo);
}

TEST(Escalation, SetDefaultPolicyVersionToAnAdminVersion) {
  Builder b;
  b.policy(policy_arn("Rollback"), {{"v2", allow(R"("iam:SetDefaultPolicyVersion")")}, {"v1", kAdminDoc}});
  b.user("jack").managed_policy_arns = {policy_arn("Rollback")};
  b.policy(policy_arn("Harmless"), {{"v2", allow(R"("iam:SetDefaultPolicyVersion")")}, {"v1", allow(R"("s3:*")")}});
  b.user("kate").managed_policy_arns = {policy_arn("Harmless")};
  const Analysis a = b.analyse();
  const PrincipalAnalysis& jack = principal(a, user_arn("jack"));
  ASSERT_EQ(kinds(jack), std::vector<std::string>{"set-default-policy-version"});
  EXPECT_THAT(jack.admin_paths[0].summary, HasSubstr("version v1"));
  EXPECT_EQ(principal(a, user_arn("kate")).admin, Verdict::kNo);
}

// ---- Through other principals ------------------------------------------------------------------

TEST(Escalation, AddItselfToAnAdminGroup) {
  Builder b;
  b.group("Admins", {kAdminArn});
  b.group("Readers", {}, {allow(R"("s3:Get*")")});
  b.user("lee", {allow(R"("iam:AddUserToGroup")", "\"" + group_arn("Admins") + "\"")});
  b.user("mia", {allow(R"("iam:AddUserToGroup")", "\"" + group_arn("Readers") + "\"")});
  const Analysis a = b.analyse();
  const PrincipalAnalysis& lee = principal(a, user_arn("lee"));
  ASSERT_EQ(kinds(lee), std::vector<std::string>{"join-admin-group"});
  EXPECT_EQ(lee.admin_paths[0].through, "group/Admins");
  EXPECT_EQ(principal(a, user_arn("mia")).admin, Verdict::kNo);
}

TEST(Escalation, CreateAccessKeyForAnAdminUserButNotForItself) {
  Builder b;
  b.user("root-like").managed_policy_arns = {kAdminArn};
  b.user("helpdesk", {allow(R"("iam:CreateAccessKey")", R"("arn:aws:iam::111122223333:user/*")")});
  b.user("self-service", {allow(R"("iam:CreateAccessKey")", R"("arn:aws:iam::111122223333:user/${aws:username}")")});
  const Analysis a = b.analyse();
  const PrincipalAnalysis& h = principal(a, user_arn("helpdesk"));
  ASSERT_EQ(kinds(h), std::vector<std::string>{"credentials-of-admin-user"});
  EXPECT_EQ(h.admin_paths[0].through, "user/root-like");
  EXPECT_EQ(principal(a, user_arn("self-service")).admin, Verdict::kNo);
}

TEST(Escalation, LoginProfileActionFollowsWhetherThePasswordExists) {
  Builder b;
  UserEntity& admin = b.user("admin");
  admin.managed_policy_arns = {kAdminArn};
  admin.console_password = true;  // CreateLoginProfile would fail; UpdateLoginProfile works
  // Both have passwords too, so neither can create one for the other.
  b.user("creator", {allow(R"("iam:CreateLoginProfile")")}).console_password = true;
  b.user("updater", {allow(R"("iam:UpdateLoginProfile")")}).console_password = true;
  const Analysis a = b.analyse();
  EXPECT_EQ(principal(a, user_arn("creator")).admin, Verdict::kNo);
  EXPECT_EQ(kinds(principal(a, user_arn("updater"))), std::vector<std::string>{"credentials-of-admin-user"});
}

TEST(Escalation, AssumeAnAdminRoleThatTrustsTheAccount) {
  Builder b;
  b.role("Admin", trusts_aws("arn:aws:iam::111122223333:root")).managed_policy_arns = {kAdminArn};
  b.user("nina", {allow(R"("sts:AssumeRole")", "\"" + role_arn("Admin") + "\"")});
  b.user("omar");  // trusted account, but its own policies do not allow the call
  const Analysis a = b.analyse();
  const PrincipalAnalysis& nina = principal(a, user_arn("nina"));
  ASSERT_EQ(kinds(nina), std::vector<std::string>{"assume-admin-role"});
  EXPECT_EQ(nina.admin_paths[0].steps[0].trust->path, TrustPath::kAccount);
  EXPECT_EQ(principal(a, user_arn("omar")).admin, Verdict::kNo);
  EXPECT_EQ(principal(a, role_arn("Admin")).admin, Verdict::kYes);
}

TEST(Escalation, AssumeAnAdminRoleThatNamesTheUser) {
  Builder b;
  b.role("Admin", trusts_aws(user_arn("pat"))).managed_policy_arns = {kAdminArn};
  b.user("pat");  // no policy of its own: the trust policy grants the call
  b.user("quin", {doc(R"({"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"})")});
  b.role("Admin2", trusts_aws(user_arn("quin"))).managed_policy_arns = {kAdminArn};
  const Analysis a = b.analyse();
  const PrincipalAnalysis& pat = principal(a, user_arn("pat"));
  ASSERT_EQ(kinds(pat), std::vector<std::string>{"assume-admin-role"});
  EXPECT_EQ(pat.admin_paths[0].steps[0].trust->path, TrustPath::kNamed);
  EXPECT_EQ(principal(a, user_arn("quin")).admin, Verdict::kNo);  // its own Deny still applies
}

TEST(Escalation, AssumeRoleUnderATrustConditionIsConditional) {
  Builder b;
  b.role("Admin", trusts_aws("111122223333", R"(,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}})"))
      .managed_policy_arns = {kAdminArn};
  b.user("ray", {allow(R"("sts:AssumeRole")")});
  const Analysis a = b.analyse();
  EXPECT_EQ(principal(a, user_arn("ray")).admin, Verdict::kConditional);
}

TEST(Escalation, UpdateAssumeRolePolicyOfAnAdminRole) {
  Builder b;
  b.role("Admin", trusts_service("ec2.amazonaws.com")).managed_policy_arns = {kAdminArn};
  b.user("sam", {allow(R"("iam:UpdateAssumeRolePolicy")", "\"" + role_arn("Admin") + "\"")});
  const Analysis a = b.analyse();
  EXPECT_EQ(kinds(principal(a, user_arn("sam"))), std::vector<std::string>{"update-admin-role-trust"});
}

TEST(Escalation, PassRoleToEc2NeedsRunInstancesAndAnInstanceProfile) {
  Builder b;
  RoleEntity& r = b.role("AdminEc2", trusts_service("ec2.amazonaws.com"));
  r.managed_policy_arns = {kAdminArn};
  r.in_instance_profile = true;
  b.user("tom", {allow(R"(["iam:PassRole","ec2:RunInstances"])")});
  b.user("uma", {allow(R"("iam:PassRole")")});                // cannot launch
  b.user("vic", {allow(R"("ec2:RunInstances")")});            // cannot pass
  b.user("will", {allow(R"(["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"])")});  // wrong service
  const Analysis a = b.analyse();
  const PrincipalAnalysis& tom = principal(a, user_arn("tom"));
  ASSERT_EQ(kinds(tom), std::vector<std::string>{"pass-admin-role"});
  EXPECT_THAT(tom.admin_paths[0].summary, HasSubstr("EC2 instance"));
  EXPECT_EQ(principal(a, user_arn("uma")).admin, Verdict::kNo);
  EXPECT_EQ(principal(a, user_arn("vic")).admin, Verdict::kNo);
  EXPECT_EQ(principal(a, user_arn("will")).admin, Verdict::kNo);
}

TEST(Escalation, PassRoleToEc2WithoutInstanceProfileNeedsToCreateOne) {
  Builder b;
  b.role("AdminEc2", trusts_service("ec2.amazonaws.com")).managed_policy_arns = {kAdminArn};
  b.user("tom", {allow(R"(["iam:PassRole","ec2:RunInstances"])")});
  b.user("xena", {allow(R"(["iam:PassRole","ec2:RunInstances","iam:CreateInstanceProfile","iam:AddRoleToInstanceProfile"])")});
  const Analysis a = b.analyse();
  EXPECT_EQ(principal(a, user_arn("tom")).admin, Verdict::kNo);
  EXPECT_EQ(kinds(principal(a, user_arn("xena"))), std::vector<std::string>{"pass-admin-role"});
}

TEST(Escalation, PassRoleToLambdaAndCloudFormation) {
  Builder b;
  b.role("AdminLambda", trusts_service("lambda.amazonaws.com")).managed_policy_arns = {kAdminArn};
  b.role("AdminCfn", trusts_service("cloudformation.amazonaws.com")).managed_policy_arns = {kAdminArn};
  b.user("yan", {allow(R"(["iam:PassRole","lambda:CreateFunction","lambda:CreateEventSourceMapping"])")});
  b.user("zed", {allow(R"(["iam:PassRole","lambda:CreateFunction"])")});  // cannot run the function
  b.user("cfn", {allow(R"(["iam:PassRole","cloudformation:CreateStack"])", "\"*\"")});
  const Analysis a = b.analyse();
  EXPECT_EQ(kinds(principal(a, user_arn("yan"))), std::vector<std::string>{"pass-admin-role"});
  EXPECT_EQ(principal(a, user_arn("zed")).admin, Verdict::kNo);
  const PrincipalAnalysis& cfn = principal(a, user_arn("cfn"));
  ASSERT_EQ(kinds(cfn), std::vector<std::string>{"pass-admin-role"});
  EXPECT_EQ(cfn.admin_paths[0].through, "role/AdminCfn");
}

TEST(Escalation, PathsChainThroughOtherPrincipals) {
  // amy can assume "Support"; Support can create access keys for the admin "boss".
  Builder b;
  b.user("boss").managed_policy_arns = {kAdminArn};
  b.role("Support", trusts_aws(user_arn("amy")), {allow(R"("iam:CreateAccessKey")", "\"" + user_arn("boss") + "\"")});
  b.user("amy");
  const Analysis a = b.analyse();
  EXPECT_EQ(kinds(principal(a, role_arn("Support"))), std::vector<std::string>{"credentials-of-admin-user"});
  const PrincipalAnalysis& amy = principal(a, user_arn("amy"));
  ASSERT_EQ(kinds(amy), std::vector<std::string>{"assume-admin-role"});
  EXPECT_EQ(amy.admin_paths[0].through, "role/Support");
}

TEST(Escalation, ThroughAPrincipalWhosePermissionsAreUnknownIsUnknown) {
  Builder b;
  b.role("Mystery", trusts_aws(user_arn("ben"))).managed_policy_arns = {policy_arn("NotExported")};
  b.user("ben");
  const Analysis a = b.analyse();
  const PrincipalAnalysis& ben = principal(a, user_arn("ben"));
  EXPECT_EQ(ben.admin, Verdict::kUnknown);
  ASSERT_FALSE(ben.admin_unknown.empty());
  EXPECT_THAT(ben.admin_unknown[0], HasSubstr("Mystery"));
}

TEST(Escalation, ServiceLinkedRolesAreNotTargets) {
  Builder b;
  RoleEntity& r = b.role("AWSServiceRoleForX", trusts_aws("111122223333"));
  r.path = "/aws-service-role/x.amazonaws.com/";
  r.managed_policy_arns = {kAdminArn};
  b.user("cy", {allow(R"("sts:AssumeRole")")});
  const Analysis a = b.analyse();
  EXPECT_TRUE(principal(a, r.arn).service_linked);
  EXPECT_EQ(principal(a, user_arn("cy")).admin, Verdict::kNo);
}

// ---- Data read -----------------------------------------------------------------------------------

TEST(DataRead, BroadReadsAreFoundNarrowOnesAreNot) {
  Builder b;
  b.user("s3-all", {allow(R"("s3:GetObject")", R"("arn:aws:s3:::*")")});
  b.user("s3-one", {allow(R"("s3:GetObject")", R"("arn:aws:s3:::reports/*")")});
  b.user("secrets", {allow(R"("secretsmanager:GetSecretValue")")});
  b.user("params", {allow(R"("ssm:GetParameters")", R"("arn:aws:ssm:*:111122223333:parameter/*")")});
  b.user("kms", {allow(R"("kms:Decrypt")")});
  b.user("ddb", {allow(R"("dynamodb:Scan")", R"("arn:aws:dynamodb:*:*:table/*")")});
  b.user("ddb-one-region", {allow(R"("dynamodb:Scan")", R"("arn:aws:dynamodb:eu-west-1:*:table/*")")});
  b.user("nothing");
  b.user("readonly").managed_policy_arns = {"arn:aws:iam::aws:policy/ReadOnlyAccess"};  // document not exported
  const Analysis a = b.analyse();
  const auto what = [&](std::string_view name) {
    std::vector<std::string> out;
    for (const DataRead& d : principal(a, user_arn(name)).data_reads) out.push_back(d.what);
    return out;
  };
  EXPECT_EQ(what("s3-all"), std::vector<std::string>{"every S3 object"});
  EXPECT_EQ(principal(a, user_arn("s3-all")).data_read, Verdict::kYes);
  EXPECT_TRUE(what("s3-one").empty());
  EXPECT_EQ(principal(a, user_arn("s3-one")).data_read, Verdict::kNo);
  EXPECT_EQ(what("secrets"), std::vector<std::string>{"every Secrets Manager secret"});
  EXPECT_EQ(what("params"), std::vector<std::string>{"every SSM parameter"});
  EXPECT_EQ(principal(a, user_arn("params")).data_reads[0].step.action, "ssm:GetParameters");
  ASSERT_EQ(what("kms").size(), 1u);
  EXPECT_THAT(what("kms")[0], HasSubstr("every KMS key"));
  EXPECT_EQ(what("ddb"), std::vector<std::string>{"every DynamoDB table"});
  EXPECT_TRUE(what("ddb-one-region").empty());
  EXPECT_EQ(principal(a, user_arn("nothing")).data_read, Verdict::kNo);
  const PrincipalAnalysis& ro = principal(a, user_arn("readonly"));
  EXPECT_EQ(ro.data_read, Verdict::kYes);
  EXPECT_EQ(what("readonly").back(), "data in most services (AWS managed ReadOnlyAccess)");
}

TEST(DataRead, ConditionalAndDenied) {
  Builder b;
  b.user("vpn-only", {allow(R"("s3:GetObject")", R"("*")", R"(,"Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})")});
  b.user("denied", {doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"})")});
  const Analysis a = b.analyse();
  EXPECT_EQ(principal(a, user_arn("vpn-only")).data_read, Verdict::kConditional);
  EXPECT_EQ(principal(a, user_arn("denied")).data_read, Verdict::kNo);
}

// ---- Policy records ------------------------------------------------------------------------------

TEST(PolicyRecords, ManagedOnceWithEveryAttachmentInlinePerOwner) {
  Builder b;
  b.policy(policy_arn("Shared"), {{"v1", allow(R"("s3:*")")}});
  b.group("g", {policy_arn("Shared")});
  b.user("u1", {allow(R"("ec2:*")")}).managed_policy_arns = {policy_arn("Shared")};
  b.user("u2").group_names = {"g"};
  const Analysis a = b.analyse();
  size_t shared = 0, inline_count = 0;
  for (const PolicyRecord& r : a.policies()) {
    if (r.policy.arn == policy_arn("Shared")) {
      ++shared;
      EXPECT_EQ(r.attached_to, (std::vector<std::string>{"user/u1", "group/g"}));
    }
    if (r.policy.origin == PolicyOrigin::kInline) {
      ++inline_count;
      EXPECT_EQ(r.attached_to, std::vector<std::string>{"user/u1"});
    }
  }
  EXPECT_EQ(shared, 1u);
  EXPECT_EQ(inline_count, 1u);
}

TEST(Analysis, EvidenceJsonNamesThePath) {
  Builder b;
  b.group("Admins", {kAdminArn});
  b.user("alice").group_names = {"Admins"};
  const Analysis a = b.analyse();
  const JsonValue j = principal(a, user_arn("alice")).admin_paths[0].to_json();
  EXPECT_EQ(j.get("kind")->as_string(), "full-admin");
  const JsonValue& step = j.get("steps")->as_array()[0];
  EXPECT_EQ(step.get("verdict")->as_string(), "yes");
  const JsonValue& grant = step.get("answer")->get("grants")->as_array()[0];
  EXPECT_EQ(grant.get("policy")->as_string(), "AdministratorAccess");
  EXPECT_EQ(grant.get("via_group")->as_string(), "Admins");
  EXPECT_EQ(grant.get("statement")->as_int(), 1);
}

}  // namespace
}  // namespace fortress::iam
