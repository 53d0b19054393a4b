#include "iam/trust.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fortress::iam {
namespace {

using ::testing::HasSubstr;

PolicyDocument trust(std::string_view statements) {
  Expected<PolicyDocument> doc =
      parse_policy_document(fmt::format(R"({{"Version":"2012-10-17","Statement":[{}]}})", statements), DocumentKind::kTrust);
  EXPECT_TRUE(doc.has_value()) << (doc ? "" : doc.error().message);
  return doc ? std::move(*doc) : PolicyDocument{};
}

const Caller kBob{"arn:aws:iam::111122223333:user/dev/bob", "111122223333", "AIDABOB", "", false};
const Caller kOps{"arn:aws:iam::111122223333:role/ops", "111122223333", "AROAOPS", "ops", true};

TEST(Trust, NamedByArnOrUniqueIdNeedsNoIdentityPermission) {
  const PolicyDocument by_arn =
      trust(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/dev/bob"},"Action":"sts:AssumeRole"})");
  const TrustAnswer a = trust_admits(&by_arn, kBob);
  EXPECT_EQ(a.decision, Decision::kAllowed);
  EXPECT_EQ(a.path, TrustPath::kNamed);
  EXPECT_EQ(a.explain(), "the trust policy names it (statement 1)");
  const PolicyDocument by_id = trust(R"({"Effect":"Allow","Principal":{"AWS":["AIDABOB"]},"Action":"sts:AssumeRole"})");
  EXPECT_EQ(trust_admits(&by_id, kBob).path, TrustPath::kNamed);
  // Another user is not named.
  const Caller alice{"arn:aws:iam::111122223333:user/alice", "111122223333", "AIDAALICE", "", false};
  EXPECT_EQ(trust_admits(&by_arn, alice).decision, Decision::kNotAllowed);
}

TEST(Trust, AccountRootOrIdDelegatesToIdentityPolicies) {
  for (const char* principal : {R"("arn:aws:iam::111122223333:root")", R"("111122223333")"}) {
    const PolicyDocument d =
        trust(fmt::format(R"({{"Effect":"Allow","Principal":{{"AWS":{}}},"Action":"sts:AssumeRole"}})", principal));
    const TrustAnswer a = trust_admits(&d, kBob);
    EXPECT_EQ(a.decision, Decision::kAllowed) << principal;
    EXPECT_EQ(a.path, TrustPath::kAccount) << principal;
    EXPECT_THAT(a.explain(), HasSubstr("trusts its account"));
  }
  const PolicyDocument other =
      trust(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"})");
  EXPECT_EQ(trust_admits(&other, kBob).decision, Decision::kNotAllowed);
}

TEST(Trust, EveryoneAndNamedPreferTheMostDirect) {
  const PolicyDocument d = trust(R"({"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},"Action":"sts:AssumeRole"})");
  EXPECT_EQ(trust_admits(&d, kBob).path, TrustPath::kAnyone);
  EXPECT_EQ(trust_admits(&d, kOps).path, TrustPath::kNamed);
}

TEST(Trust, ServicePrincipals) {
  const PolicyDocument d =
      trust(R"({"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":"sts:AssumeRole"})");
  EXPECT_EQ(trust_admits_service(&d, "ec2.amazonaws.com").decision, Decision::kAllowed);
  EXPECT_EQ(trust_admits_service(&d, "lambda.amazonaws.com").decision, Decision::kNotAllowed);
  EXPECT_EQ(trust_admits(&d, kBob).decision, Decision::kNotAllowed);
}

TEST(Trust, OnlyStatementsForTheAction) {
  const PolicyDocument d = trust(
      R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["sts:TagSession","sts:AssumeRoleWithSAML"]})");
  EXPECT_EQ(trust_admits(&d, kBob).decision, Decision::kNotAllowed);
  const PolicyDocument star = trust(R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:*"})");
  EXPECT_EQ(trust_admits(&star, kBob).decision, Decision::kAllowed);
}

TEST(Trust, ConditionsMakeItConditional) {
  const PolicyDocument d = trust(R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole",
      "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}})");
  const TrustAnswer a = trust_admits(&d, kBob);
  EXPECT_EQ(a.decision, Decision::kConditional);
  EXPECT_THAT(a.explain(), HasSubstr("under a condition"));
}

TEST(Trust, DenyWins) {
  const PolicyDocument d = trust(R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"},
      {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/dev/bob"},"Action":"sts:AssumeRole"})");
  EXPECT_EQ(trust_admits(&d, kBob).decision, Decision::kDenied);
  EXPECT_EQ(trust_admits(&d, kOps).decision, Decision::kAllowed);
  const PolicyDocument maybe = trust(R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"},
      {"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"Bool":{"aws:SecureTransport":"false"}}})");
  EXPECT_EQ(trust_admits(&maybe, kBob).decision, Decision::kConditional);
}

TEST(Trust, NotPrincipalExcludesOnlyWhenCallerAndAccountAreListed) {
  const PolicyDocument both = trust(R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"},
      {"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/dev/bob","arn:aws:iam::111122223333:root"]},"Action":"sts:AssumeRole"})");
  EXPECT_EQ(trust_admits(&both, kBob).decision, Decision::kAllowed);
  EXPECT_EQ(trust_admits(&both, kOps).decision, Decision::kDenied);
  const PolicyDocument user_only = trust(R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"},
      {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/dev/bob"},"Action":"sts:AssumeRole"})");
  EXPECT_EQ(trust_admits(&user_only, kBob).decision, Decision::kDenied);
}

TEST(Trust, RoleSessionsAreOnlySomeOfTheRole) {
  const PolicyDocument d = trust(
      R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/ops/alice"},"Action":"sts:AssumeRole"})");
  const TrustAnswer a = trust_admits(&d, kOps);
  EXPECT_EQ(a.decision, Decision::kConditional);
  EXPECT_EQ(a.path, TrustPath::kNamed);
  EXPECT_EQ(trust_admits(&d, kBob).decision, Decision::kNotAllowed);
}

TEST(Trust, UnreadableTrustIsUnknown) {
  const TrustAnswer a = trust_admits(nullptr, kBob);
  EXPECT_EQ(a.decision, Decision::kUnknown);
  EXPECT_FALSE(a.explain().empty());
}

}  // namespace
}  // namespace fortress::iam
