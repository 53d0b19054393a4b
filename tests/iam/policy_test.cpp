#include "iam/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fortress::iam {
namespace {

using ::testing::HasSubstr;

PolicyDocument parse_ok(std::string_view text, DocumentKind kind = DocumentKind::kIdentity) {
  Expected<PolicyDocument> doc = parse_policy_document(text, kind);
  EXPECT_TRUE(doc.has_value()) << (doc ? "" : doc.error().message);
  return doc ? std::move(*doc) : PolicyDocument{};
}

TEST(PolicyParser, StatementListWithEveryElement) {
  const PolicyDocument doc = parse_ok(R"({
    "Version": "2012-10-17", "Id": "doc-1",
    "Statement": [
      {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
       "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]},
      {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::b/*",
       "Condition": {"Bool": {"aws:MultiFactorAuthPresent": false},
                     "NumericLessThan": {"aws:MultiFactorAuthAge": [3600, 7200]}}}
    ]})");
  ASSERT_EQ(doc.statements.size(), 2u);
  EXPECT_EQ(doc.version, "2012-10-17");
  EXPECT_EQ(doc.id, "doc-1");
  EXPECT_TRUE(doc.variables_enabled());
  const Statement& a = doc.statements[0];
  EXPECT_EQ(a.sid, "Read");
  EXPECT_EQ(a.effect, Effect::kAllow);
  EXPECT_FALSE(a.not_action);
  EXPECT_EQ(a.actions, (std::vector<std::string>{"s3:GetObject", "s3:ListBucket"}));
  EXPECT_EQ(a.resources.size(), 2u);
  EXPECT_FALSE(a.conditional());
  EXPECT_EQ(a.label(), "statement 1 (Sid \"Read\")");
  const Statement& d = doc.statements[1];
  EXPECT_EQ(d.effect, Effect::kDeny);
  EXPECT_TRUE(d.not_action);
  EXPECT_TRUE(d.not_resource);
  ASSERT_EQ(d.conditions.size(), 2u);
  EXPECT_EQ(d.conditions[0].op, "Bool");
  EXPECT_EQ(d.conditions[0].key, "aws:MultiFactorAuthPresent");
  EXPECT_EQ(d.conditions[0].values, std::vector<std::string>{"false"});
  EXPECT_EQ(d.conditions[1].values, (std::vector<std::string>{"3600", "7200"}));
  EXPECT_EQ(d.label(), "statement 2");
}

TEST(PolicyParser, StatementAsOneObjectAndStringsForLists) {
  const PolicyDocument doc =
      parse_ok(R"({"Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}})");
  ASSERT_EQ(doc.statements.size(), 1u);
  EXPECT_EQ(doc.version, "");
  EXPECT_FALSE(doc.variables_enabled());  // no Version: AWS reads it as 2008-10-17
  EXPECT_EQ(doc.statements[0].actions, std::vector<std::string>{"ec2:*"});
}

TEST(PolicyParser, UrlEncodedDocumentsAsTheIamApiReturnsThem) {
  const PolicyDocument doc = parse_ok(
      "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22"
      "s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D");
  ASSERT_EQ(doc.statements.size(), 1u);
  EXPECT_EQ(doc.statements[0].actions[0], "s3:*");
}

TEST(PolicyParser, TrustPolicyPrincipals) {
  const PolicyDocument doc = parse_ok(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]},
       "Action": "sts:AssumeRole"},
      {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"},
      {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
      {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::1:user/a", "1"]}, "Action": "sts:*"},
      {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::1:saml-provider/x"},
       "Action": "sts:AssumeRoleWithSAML"}]})",
                                      DocumentKind::kTrust);
  ASSERT_EQ(doc.statements.size(), 5u);
  ASSERT_TRUE(doc.statements[0].principal.has_value());
  EXPECT_EQ(doc.statements[0].principal->service.size(), 2u);
  EXPECT_FALSE(doc.statements[0].has_resource);
  EXPECT_EQ(doc.statements[1].principal->aws, std::vector<std::string>{"arn:aws:iam::111122223333:root"});
  EXPECT_TRUE(doc.statements[2].principal->anyone);
  EXPECT_TRUE(doc.statements[3].not_principal);
  EXPECT_EQ(doc.statements[4].principal->federated.size(), 1u);
}

struct BadCase {
  std::string name;
  std::string text;
  DocumentKind kind;
  ErrorCode code;
  std::string message;  // a part of it
};
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }


class PolicyParserErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(PolicyParserErrors, RejectedWithAClearMessage) {
  const BadCase& c = GetParam();
  Expected<PolicyDocument> doc = parse_policy_document(c.text, c.kind);
  ASSERT_FALSE(doc.has_value()) << c.name;
  EXPECT_EQ(doc.error().code, c.code) << c.name;
  EXPECT_THAT(doc.error().message, HasSubstr(c.message)) << c.name;
}

constexpr DocumentKind kId = DocumentKind::kIdentity;
constexpr DocumentKind kTr = DocumentKind::kTrust;

INSTANTIATE_TEST_SUITE_P(
    Malformed, PolicyParserErrors,
    ::testing::Values(
        BadCase{"not json", "{\"Statement\": [", kId, ErrorCode::kParse, "not JSON"},
        BadCase{"not an object", "[1]", kId, ErrorCode::kSchema, "must be a JSON object"},
        BadCase{"no statement", R"({"Version": "2012-10-17"})", kId, ErrorCode::kSchema, "Statement is missing"},
        BadCase{"bad version", R"({"Version": "2020-01-01", "Statement": []})", kId, ErrorCode::kSchema,
                "Version must be"},
        BadCase{"unknown top level", R"({"Statement": [], "Extra": 1})", kId, ErrorCode::kSchema,
                "unknown top-level element \"Extra\""},
        BadCase{"lower-case effect", R"({"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}})", kId,
                ErrorCode::kSchema, "statement 1: Effect must be \"Allow\" or \"Deny\", not \"allow\""},
        BadCase{"missing effect", R"({"Statement": {"Action": "*", "Resource": "*"}})", kId, ErrorCode::kSchema,
                "Effect is missing"},
        BadCase{"unknown element", R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Resources": "x"}})",
                kId, ErrorCode::kSchema, "unknown element \"Resources\""},
        BadCase{"both actions", R"({"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "x", "Resource": "*"}})",
                kId, ErrorCode::kSchema, "both Action and NotAction"},
        BadCase{"no action", R"({"Statement": {"Effect": "Allow", "Resource": "*"}})", kId, ErrorCode::kSchema,
                "Action or NotAction is missing"},
        BadCase{"no resource", R"({"Statement": {"Effect": "Allow", "Action": "*"}})", kId, ErrorCode::kSchema,
                "Resource or NotResource is missing"},
        BadCase{"principal in identity policy",
                R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}})", kId,
                ErrorCode::kSchema, "Principal is not allowed in an identity-based policy"},
        BadCase{"no principal in trust", R"({"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}})", kTr,
                ErrorCode::kSchema, "Principal or NotPrincipal is missing"},
        BadCase{"duplicate key (a second Effect could hide a Deny)",
                R"({"Statement": {"Sid": "X", "Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}})",
                kId, ErrorCode::kSchema, "statement 1 (Sid \"X\"): element \"Effect\" appears twice"},
        BadCase{"number action", R"({"Statement": {"Effect": "Allow", "Action": 5, "Resource": "*"}})", kId,
                ErrorCode::kSchema, "Action must be a string or a list of strings"},
        BadCase{"principal string", R"({"Statement": {"Effect": "Allow", "Principal": "bob", "Action": "x"}})", kTr,
                ErrorCode::kSchema, "must be \"*\" or a map of principal types"},
        BadCase{"principal type", R"({"Statement": {"Effect": "Allow", "Principal": {"Users": "x"}, "Action": "x"}})",
                kTr, ErrorCode::kSchema, "unknown principal type \"Users\""},
        BadCase{"condition value object",
                R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"k": {}}}}})",
                kId, ErrorCode::kSchema, "condition values must be strings, numbers or booleans"},
        BadCase{"statement not an object", R"({"Statement": ["x"]})", kId, ErrorCode::kSchema,
                "statement 1 must be an object"},
        BadCase{"second statement is named", R"({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                 {"Effect": "Deny", "Action": "*"}]})",
                kId, ErrorCode::kSchema, "statement 2: Resource or NotResource is missing"},
        BadCase{"bad url escape", "%7B%2", kId, ErrorCode::kParse, "URL-encoded policy"}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      std::string n;
      for (char c : info.param.name) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return n;
    });

TEST(PolicyVariables, SubstitutedLiterallyWhenKnownElseUnknown) {
  PolicyVariables vars{{{"aws:username", "b*b"}}};
  const Pattern known = compile_resource("arn:aws:iam::1:user/${aws:username}", true, &vars);
  EXPECT_EQ(covers(known, Pattern::literal("arn:aws:iam::1:user/b*b", false)), Match::kYes);
  // The `*` in the value is a character, not a wildcard.
  EXPECT_EQ(covers(known, Pattern::literal("arn:aws:iam::1:user/bob", false)), Match::kNo);
  // Keys match without case.
  PolicyVariables upper{{{"AWS:UserName", "bob"}}};
  EXPECT_EQ(covers(compile_resource("u/${aws:username}", true, &upper), Pattern::literal("u/bob", false)),
            Match::kYes);
  // Unknown key (and defaults, which depend on the request): unknown part.
  const Pattern unknown = compile_resource("u/${aws:PrincipalTag/team, 'none'}/*", true, &vars);
  EXPECT_TRUE(unknown.has_unknown());
  // Escapes.
  EXPECT_EQ(compile_resource("a${*}b${?}c${$}", true, &vars).to_string(), "a*b?c$");
  EXPECT_TRUE(compile_resource("a${*}b", true, &vars).is_literal());
  // Without variables (Version 2008-10-17) the text is as written.
  EXPECT_EQ(compile_resource("u/${aws:username}", false, &vars).to_string(), "u/${aws:username}");
  // An unterminated variable is text.
  EXPECT_EQ(compile_resource("u/${aws:username", true, &vars).to_string(), "u/${aws:username");
}

}  // namespace
}  // namespace fortress::iam
