// The evaluator against the IAM User Guide's "Policy evaluation logic": implicit deny, explicit deny
// wins, NotAction/NotResource, wildcards, permissions boundaries, conditions read conservatively.
#include "iam/evaluate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

namespace fortress::iam {
namespace {

using ::testing::HasSubstr;

// A principal's policies built from JSON text; keeps the parsed documents alive.
class Policies {
 public:
  Policies& add(std::string name, std::string_view json, PolicyOrigin origin = PolicyOrigin::kCustomerManaged,
                std::string via_group = "") {
    AttachedPolicy a = attached(std::move(name), json, origin);
    a.via_group = std::move(via_group);
    set_.identity.push_back(std::move(a));
    return *this;
  }
  Policies& boundary(std::string name, std::string_view json) {
    AttachedPolicy a = attached(std::move(name), json, PolicyOrigin::kCustomerManaged);
    a.boundary = true;
    set_.boundary = std::move(a);
    return *this;
  }
  // Attached, but its document was not collected.
  Policies& missing(std::string name, bool as_boundary = false) {
    AttachedPolicy a;
    a.name = std::move(name);
    a.arn = "arn:aws:iam::111122223333:policy/" + a.name;
    a.origin = PolicyOrigin::kCustomerManaged;
    a.problem = "its document was not collected";
    a.boundary = as_boundary;
    if (as_boundary) {
      set_.boundary = std::move(a);
    } else {
      set_.identity.push_back(std::move(a));
    }
    return *this;
  }
  [[nodiscard]] const PolicySet& set() const { return set_; }

 private:
  AttachedPolicy attached(std::string name, std::string_view json, PolicyOrigin origin) {
    Expected<PolicyDocument> doc = parse_policy_document(json, DocumentKind::kIdentity);
    EXPECT_TRUE(doc.has_value()) << name << ": " << (doc ? "" : doc.error().message);
    docs_.push_back(std::make_unique<PolicyDocument>(doc ? std::move(*doc) : PolicyDocument{}));
    AttachedPolicy a;
    a.name = std::move(name);
    a.origin = origin;
    if (origin != PolicyOrigin::kInline) a.arn = "arn:aws:iam::111122223333:policy/" + a.name;
    a.document = docs_.back().get();
    return a;
  }
  std::vector<std::unique_ptr<PolicyDocument>> docs_;
  PolicySet set_;
};

std::string allow(std::string_view action, std::string_view resource, std::string_view extra = "") {
  return fmt::format(R"({{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{},"Resource":{}{}}}]}})",
                     action, resource, extra);
}
std::string deny(std::string_view action, std::string_view resource, std::string_view extra = "") {
  return fmt::format(R"({{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":{},"Resource":{}{}}}]}})",
                     action, resource, extra);
}
constexpr std::string_view kAdmin = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
constexpr std::string_view kNoMfa = R"(,"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}})";

Decision decide(const Policies& p, const Request& r, const PolicyVariables& v = {}) {
  return evaluate(p.set(), r, v).decision;
}

// ---- The basic rules -----------------------------------------------------------------------------

TEST(Evaluate, NothingAttachedIsAnImplicitDeny) {
  Policies p;
  const Answer a = evaluate(p.set(), Request::exact("s3:GetObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(a.decision, Decision::kNotAllowed);
  EXPECT_EQ(a.explain(), "no policy allows it");
}

TEST(Evaluate, AllowMatchingActionAndResource) {
  Policies p;
  p.add("read", allow(R"("s3:GetObject")", R"("arn:aws:s3:::b/*")"));
  const Answer a = evaluate(p.set(), Request::exact("s3:GetObject", "arn:aws:s3:::b/dir/k.txt"));
  EXPECT_EQ(a.decision, Decision::kAllowed);
  ASSERT_EQ(a.grants.size(), 1u);
  EXPECT_EQ(a.grants[0].statement->index, 0u);
  EXPECT_EQ(a.explain(), "allowed by customer managed policy \"read\" statement 1");
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::other/k")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:PutObject", "arn:aws:s3:::b/k")), Decision::kNotAllowed);
}

TEST(Evaluate, ActionNamesIgnoreCaseResourcesDoNot) {
  Policies p;
  p.add("read", allow(R"("S3:getobject")", R"("arn:aws:s3:::Bucket/*")"));
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::Bucket/k")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:GETOBJECT", "arn:aws:s3:::Bucket/k")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::bucket/k")), Decision::kNotAllowed);
}

TEST(Evaluate, ExplicitDenyInAnyPolicyBeatsAnAllow) {
  Policies p;
  p.add("AdministratorAccess", kAdmin, PolicyOrigin::kAwsManaged, "Admins");
  p.add("NoS3", deny(R"("s3:*")", R"("*")"), PolicyOrigin::kInline);
  const Answer a = evaluate(p.set(), Request::exact("s3:GetObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(a.decision, Decision::kDenied);
  EXPECT_EQ(a.explain(), "explicitly denied by inline policy \"NoS3\" statement 1");
  EXPECT_EQ(decide(p, Request::exact("ec2:RunInstances", "*")), Decision::kAllowed);
  EXPECT_THAT(evaluate(p.set(), Request::exact("ec2:RunInstances", "*")).explain(),
              HasSubstr("AWS managed policy \"AdministratorAccess\" via group \"Admins\" statement 1"));
}

// ---- NotAction / NotResource ------------------------------------------------------------------

TEST(Evaluate, NotActionWithAllowGrantsEverythingElse) {
  // PowerUserAccess-like: everything except IAM.
  Policies p;
  p.add("power", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]})");
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("iam:CreateUser", "arn:aws:iam::1:user/x")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::every("iam:*", "*")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::every("*", "*")), Decision::kNotAllowed);  // not every action
  EXPECT_EQ(decide(p, Request::every("s3:*", "*")), Decision::kAllowed);
}

TEST(Evaluate, NotActionWithDenyDeniesEverythingElse) {
  Policies p;
  p.add("admin", kAdmin);
  p.add("only-iam", R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*"}]})");
  EXPECT_EQ(decide(p, Request::exact("iam:CreateUser", "arn:aws:iam::1:user/x")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kDenied);
  // "every action": the Deny covers part of it (all but IAM and STS); an exception, not a refusal.
  const Answer every = evaluate(p.set(), Request::every("*", "*"));
  EXPECT_EQ(every.decision, Decision::kAllowed);
  ASSERT_EQ(every.exceptions.size(), 1u);
  EXPECT_THAT(every.explain(), HasSubstr("except where customer managed policy \"only-iam\" statement 1 denies"));
}

TEST(Evaluate, NotResourceWithAllow) {
  Policies p;
  p.add("all-but-secret",
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}]})");
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::public/k")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::secret/k")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::every("s3:GetObject", "arn:aws:s3:::*/*")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::some("s3:GetObject", "arn:aws:s3:::*/*")), Decision::kAllowed);
}

TEST(Evaluate, NotResourceWithDeny) {
  Policies p;
  p.add("admin", kAdmin);
  p.add("only-one-bucket",
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::ok","arn:aws:s3:::ok/*"]}]})");
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::ok/k")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::other/k")), Decision::kDenied);
  EXPECT_EQ(decide(p, Request::exact("ec2:RunInstances", "*")), Decision::kAllowed);
}

// ---- Wildcards ---------------------------------------------------------------------------------

TEST(Evaluate, WildcardInTheMiddleOfAnAction) {
  Policies p;
  p.add("acls", allow(R"("s3:Get*Acl")", R"("*")"));
  EXPECT_EQ(decide(p, Request::exact("s3:GetObjectAcl", "arn:aws:s3:::b/k")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:GetBucketAcl", "arn:aws:s3:::b")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:PutObjectAcl", "arn:aws:s3:::b/k")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::every("s3:Get*", "*")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::every("s3:Get*Acl", "*")), Decision::kAllowed);
}

TEST(Evaluate, IamStarIsNotStar) {
  Policies p;
  p.add("iam-all", allow(R"("iam:*")", R"("*")"));
  EXPECT_EQ(decide(p, Request::every("iam:*", "*")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::every("*", "*")), Decision::kNotAllowed);
  EXPECT_EQ(decide(p, Request::exact("iam:PassRole", "arn:aws:iam::1:role/r")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kNotAllowed);
  Policies q;
  q.add("admin", kAdmin);
  EXPECT_EQ(decide(q, Request::every("*", "*")), Decision::kAllowed);
  EXPECT_EQ(decide(q, Request::every("iam:*", "*")), Decision::kAllowed);
}

TEST(Evaluate, QuestionMarkIsOneCharacter) {
  Policies p;
  p.add("get-user", allow(R"("iam:Get?ser")", R"("arn:aws:iam::1:user/?ob")"));
  EXPECT_EQ(decide(p, Request::exact("iam:GetUser", "arn:aws:iam::1:user/bob")), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("iam:GetUser", "arn:aws:iam::1:user/bbob")), Decision::kNotAllowed);
}

TEST(Evaluate, ResourcePatternCoverageForEveryQueries) {
  Policies p;
  p.add("all-objects", allow(R"("s3:GetObject")", R"("arn:aws:s3:::*")"));
  EXPECT_EQ(decide(p, Request::every("s3:GetObject", "arn:aws:s3:::*/*")), Decision::kAllowed);
  Policies q;
  q.add("one-bucket", allow(R"("s3:GetObject")", R"("arn:aws:s3:::b/*")"));
  EXPECT_EQ(decide(q, Request::every("s3:GetObject", "arn:aws:s3:::*/*")), Decision::kNotAllowed);
  EXPECT_EQ(decide(q, Request::some("s3:GetObject", "arn:aws:s3:::*/*")), Decision::kAllowed);
}

// ---- Conditions --------------------------------------------------------------------------------

TEST(Evaluate, AllowWithAConditionIsConditionalNeverAllowed) {
  Policies p;
  p.add("mfa-admin", allow(R"("*")", R"("*")", R"(,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}})"));
  const Answer a = evaluate(p.set(), Request::every("*", "*"));
  EXPECT_EQ(a.decision, Decision::kConditional);
  EXPECT_TRUE(a.allowed());
  ASSERT_EQ(a.grants.size(), 1u);
  EXPECT_TRUE(a.grants[0].conditional);
  EXPECT_EQ(a.explain(), "allowed only when the condition of customer managed policy \"mfa-admin\" statement 1 holds");
  const JsonValue j = a.to_json();
  EXPECT_EQ(j.get("decision")->as_string(), "conditional");
  EXPECT_EQ(j.get("grants")->as_array()[0].get("conditions")->as_array()[0].as_string(),
            "Bool aws:MultiFactorAuthPresent");
}

TEST(Evaluate, DenyOnStarWithAConditionMayNotApply) {
  // The common "deny everything without MFA" guard: the admin is allowed unless the condition holds.
  Policies p;
  p.add("admin", kAdmin);
  p.add("require-mfa", deny(R"("*")", R"("*")", kNoMfa), PolicyOrigin::kInline);
  const Answer a = evaluate(p.set(), Request::exact("s3:GetObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(a.decision, Decision::kConditional);
  ASSERT_EQ(a.denies.size(), 1u);
  EXPECT_TRUE(a.denies[0].conditional);
  EXPECT_EQ(a.explain(),
            "allowed by customer managed policy \"admin\" statement 1, unless the condition of inline policy "
            "\"require-mfa\" statement 1 holds");
  // The same Deny without the condition is certain.
  Policies q;
  q.add("admin", kAdmin);
  q.add("deny-all", deny(R"("*")", R"("*")"));
  EXPECT_EQ(decide(q, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kDenied);
}

TEST(Evaluate, ConditionalDenyDoesNotRescueAnUnallowedRequest) {
  Policies p;
  p.add("guard", deny(R"("*")", R"("*")", kNoMfa));
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kNotAllowed);
}

// ---- Permissions boundaries --------------------------------------------------------------------

TEST(Evaluate, BoundaryCutsAnAdminPolicy) {
  Policies p;
  p.add("AdministratorAccess", kAdmin, PolicyOrigin::kAwsManaged);
  p.boundary("s3-and-logs", allow(R"(["s3:*","logs:*"])", R"("*")"));
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kAllowed);
  const Answer iam = evaluate(p.set(), Request::exact("iam:CreateUser", "arn:aws:iam::1:user/x"));
  EXPECT_EQ(iam.decision, Decision::kNotAllowed);
  EXPECT_TRUE(iam.boundary_blocks);
  EXPECT_EQ(iam.explain(), "granted by AWS managed policy \"AdministratorAccess\" statement 1 but not by the permissions boundary");
  EXPECT_EQ(decide(p, Request::every("*", "*")), Decision::kNotAllowed);
}

TEST(Evaluate, BoundaryAloneGrantsNothing) {
  Policies p;
  p.boundary("wide", kAdmin);
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kNotAllowed);
}

TEST(Evaluate, DenyInTheBoundaryDenies) {
  Policies p;
  p.add("admin", kAdmin);
  p.boundary("b", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
                       {"Effect":"Deny","Action":"iam:*","Resource":"*"}]})");
  const Answer a = evaluate(p.set(), Request::exact("iam:CreateUser", "arn:aws:iam::1:user/x"));
  EXPECT_EQ(a.decision, Decision::kDenied);
  EXPECT_THAT(a.explain(), HasSubstr("permissions boundary \"b\" statement 2"));
}

TEST(Evaluate, ConditionalBoundaryMakesTheAnswerConditional) {
  Policies p;
  p.add("admin", kAdmin);
  p.boundary("b", allow(R"("*")", R"("*")", R"(,"Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}})"));
  const Answer a = evaluate(p.set(), Request::exact("ec2:RunInstances", "*"));
  EXPECT_EQ(a.decision, Decision::kConditional);
  EXPECT_THAT(a.explain(), HasSubstr("the permissions boundary allows it only when the condition of"));
}

TEST(Evaluate, SomeResourceQueryNeedsIdentityAndBoundaryToMeet) {
  Policies p;
  p.add("bucket-a", allow(R"("s3:GetObject")", R"("arn:aws:s3:::a/*")"));
  p.boundary("bucket-b", allow(R"("s3:GetObject")", R"("arn:aws:s3:::b/*")"));
  EXPECT_EQ(decide(p, Request::some("s3:GetObject", "*")), Decision::kNotAllowed);
  Policies q;
  q.add("bucket-a", allow(R"("s3:GetObject")", R"("arn:aws:s3:::a/*")"));
  q.boundary("all", allow(R"("s3:*")", R"("*")"));
  EXPECT_EQ(decide(q, Request::some("s3:GetObject", "*")), Decision::kAllowed);
}

// ---- Unknown documents ------------------------------------------------------------------------

TEST(Evaluate, MissingDocumentMakesTheAnswerUnknownNeverNotAllowed) {
  Policies p;
  p.missing("mystery");
  const Answer a = evaluate(p.set(), Request::exact("s3:GetObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(a.decision, Decision::kUnknown);
  EXPECT_EQ(a.explain(), "cannot be decided: customer managed policy \"mystery\" (its document was not collected)");
  // Even with an Allow known: the missing one could deny.
  p.add("read", allow(R"("s3:GetObject")", R"("*")"));
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kUnknown);
}

TEST(Evaluate, UnconditionalDenyIsCertainDespiteMissingDocuments) {
  Policies p;
  p.missing("mystery");
  p.add("deny-s3", deny(R"("s3:*")", R"("*")"));
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kDenied);
}

TEST(Evaluate, MissingBoundaryMattersOnlyWhenIdentityAllows) {
  Policies p;
  p.add("read", allow(R"("s3:GetObject")", R"("*")"));
  p.missing("boundary", true);
  EXPECT_EQ(decide(p, Request::exact("s3:GetObject", "arn:aws:s3:::b/k")), Decision::kUnknown);
  EXPECT_EQ(decide(p, Request::exact("iam:CreateUser", "arn:aws:iam::1:user/x")), Decision::kNotAllowed);
}

// ---- Policy variables ----------------------------------------------------------------------------

TEST(Evaluate, PolicyVariablesResolveForTheCaller) {
  Policies p;
  p.add("own-keys", allow(R"("iam:CreateAccessKey")", R"("arn:aws:iam::1:user/${aws:username}")"));
  const PolicyVariables bob{{{"aws:username", "bob"}}};
  EXPECT_EQ(decide(p, Request::exact("iam:CreateAccessKey", "arn:aws:iam::1:user/bob"), bob), Decision::kAllowed);
  EXPECT_EQ(decide(p, Request::exact("iam:CreateAccessKey", "arn:aws:iam::1:user/alice"), bob), Decision::kNotAllowed);
  // No value for the variable (a role has no aws:username): only maybe.
  EXPECT_EQ(decide(p, Request::exact("iam:CreateAccessKey", "arn:aws:iam::1:user/alice")), Decision::kConditional);
}

TEST(Evaluate, PolicyVariablesAreTextInOldVersions) {
  Policies p;
  p.add("old", R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::1:user/${aws:username}"}]})");
  const PolicyVariables bob{{{"aws:username", "bob"}}};
  EXPECT_EQ(decide(p, Request::exact("iam:CreateAccessKey", "arn:aws:iam::1:user/bob"), bob), Decision::kNotAllowed);
}

// ---- Partial denies ------------------------------------------------------------------------------

TEST(Evaluate, DenyOnPartOfAPatternIsAnException) {
  Policies p;
  p.add("admin", kAdmin);
  p.add("no-secrets", deny(R"("s3:*")", R"("arn:aws:s3:::secret/*")"));
  const Answer a = evaluate(p.set(), Request::every("*", "*"));
  EXPECT_EQ(a.decision, Decision::kAllowed);
  ASSERT_EQ(a.exceptions.size(), 1u);
  EXPECT_EQ(a.to_json().get("exceptions")->as_array().size(), 1u);
}

TEST(Evaluate, SomeResourceQueryHonoursDeniesThatCoverEveryGrant) {
  Policies p;
  p.add("run", allow(R"("ec2:RunInstances")", R"("arn:aws:ec2:*:*:instance/*")"));
  EXPECT_EQ(decide(p, Request::some("ec2:RunInstances", "*")), Decision::kAllowed);
  p.add("no-run", deny(R"("ec2:RunInstances")", R"("arn:aws:ec2:*:*:instance/*")"));
  EXPECT_EQ(decide(p, Request::some("ec2:RunInstances", "*")), Decision::kNotAllowed);
  Policies q;
  q.add("run", allow(R"("ec2:RunInstances")", R"("arn:aws:ec2:*:*:instance/*")"));
  q.add("maybe-no-run", deny(R"("ec2:RunInstances")", R"("*")", kNoMfa));
  EXPECT_EQ(decide(q, Request::some("ec2:RunInstances", "*")), Decision::kConditional);
}

// ---- Table: the User Guide's examples in one place ----------------------------------------------

struct Row {
  std::string name;
  std::vector<std::string> identity;
  std::string boundary;  // "" = none
  std::string action, resource;
  Decision expected;
};
void PrintTo(const Row& c, std::ostream* os) { *os << c.name; }


class EvaluationTable : public ::testing::TestWithParam<Row> {};

TEST_P(EvaluationTable, Decides) {
  const Row& r = GetParam();
  Policies p;
  for (size_t i = 0; i < r.identity.size(); ++i) p.add(fmt::format("p{}", i), r.identity[i]);
  if (!r.boundary.empty()) p.boundary("boundary", r.boundary);
  EXPECT_EQ(to_string(decide(p, Request::exact(r.action, r.resource))), to_string(r.expected)) << r.name;
}

const std::string kS3Read = allow(R"("s3:Get*")", R"("arn:aws:s3:::b/*")");

INSTANTIATE_TEST_SUITE_P(
    UserGuide, EvaluationTable,
    ::testing::Values(
        Row{"default deny", {}, "", "s3:GetObject", "arn:aws:s3:::b/k", Decision::kNotAllowed},
        Row{"identity allow", {kS3Read}, "", "s3:GetObject", "arn:aws:s3:::b/k", Decision::kAllowed},
        Row{"allow in one policy, deny in another", {kS3Read, deny(R"("s3:GetObject")", R"("*")")}, "",
            "s3:GetObject", "arn:aws:s3:::b/k", Decision::kDenied},
        Row{"deny on another action does not apply", {kS3Read, deny(R"("s3:PutObject")", R"("*")")}, "",
            "s3:GetObject", "arn:aws:s3:::b/k", Decision::kAllowed},
        Row{"boundary allows too", {kS3Read}, allow(R"("s3:*")", R"("*")"), "s3:GetObject", "arn:aws:s3:::b/k",
            Decision::kAllowed},
        Row{"boundary silent", {kS3Read}, allow(R"("ec2:*")", R"("*")"), "s3:GetObject", "arn:aws:s3:::b/k",
            Decision::kNotAllowed},
        Row{"boundary denies", {std::string(kAdmin)}, deny(R"("s3:*")", R"("*")"), "s3:GetObject",
            "arn:aws:s3:::b/k", Decision::kDenied},
        Row{"wildcard action in deny", {std::string(kAdmin), deny(R"("iam:*")", R"("*")")}, "", "IAM:PassRole",
            "arn:aws:iam::1:role/r", Decision::kDenied},
        Row{"resource wildcard spans path", {allow(R"("iam:PassRole")", R"("arn:aws:iam::1:role/*")")}, "",
            "iam:PassRole", "arn:aws:iam::1:role/path/deep/r", Decision::kAllowed},
        Row{"resource in another account", {allow(R"("iam:PassRole")", R"("arn:aws:iam::1:role/*")")}, "",
            "iam:PassRole", "arn:aws:iam::2:role/r", Decision::kNotAllowed}),
    [](const ::testing::TestParamInfo<Row>& info) {
      std::string n;
      for (char c : info.param.name) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return n;
    });

}  // namespace
}  // namespace fortress::iam
