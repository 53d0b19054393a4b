#include "iam/pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace fortress::iam {
namespace {

Pattern act(std::string_view s) { return Pattern::wildcard(s, true); }
Pattern res(std::string_view s) { return Pattern::wildcard(s, false); }
Pattern lit(std::string_view s, bool fold = false) { return Pattern::literal(s, fold); }

struct CoverCase {
  std::string p, q;
  bool fold;
  Match covers, intersects;
};
void PrintTo(const CoverCase& c, std::ostream* os) { *os << c.p << " vs " << c.q; }


class PatternTable : public ::testing::TestWithParam<CoverCase> {};

TEST_P(PatternTable, CoversAndIntersects) {
  const CoverCase& c = GetParam();
  const Pattern p = Pattern::wildcard(c.p, c.fold);
  const Pattern q = Pattern::wildcard(c.q, c.fold);
  EXPECT_EQ(covers(p, q), c.covers) << c.p << " covers " << c.q;
  EXPECT_EQ(intersects(p, q), c.intersects) << c.p << " meets " << c.q;
}

INSTANTIATE_TEST_SUITE_P(
    Wildcards, PatternTable,
    ::testing::Values(
        // Actions: case-insensitive, `*` and `?`, wildcards in the middle.
        CoverCase{"s3:Get*", "s3:getobject", true, Match::kYes, Match::kYes},
        CoverCase{"S3:GETOBJECT", "s3:GetObject", true, Match::kYes, Match::kYes},
        CoverCase{"s3:Get*Acl", "s3:GetObjectAcl", true, Match::kYes, Match::kYes},
        CoverCase{"s3:Get*Acl", "s3:GetBucketAcl", true, Match::kYes, Match::kYes},
        CoverCase{"s3:Get*Acl", "s3:GetObject", true, Match::kNo, Match::kNo},
        CoverCase{"s3:Get*Acl", "s3:PutObjectAcl", true, Match::kNo, Match::kNo},
        CoverCase{"iam:Get?ser", "iam:GetUser", true, Match::kYes, Match::kYes},
        CoverCase{"iam:Get?ser", "iam:GetXXser", true, Match::kNo, Match::kNo},
        // Patterns as queries: "iam:*" covers every IAM action, not "*".
        CoverCase{"iam:*", "iam:*", true, Match::kYes, Match::kYes},
        CoverCase{"*", "iam:*", true, Match::kYes, Match::kYes},
        CoverCase{"iam:*", "*", true, Match::kNo, Match::kYes},
        CoverCase{"iam:Get*", "iam:*", true, Match::kNo, Match::kYes},
        CoverCase{"s3:*", "iam:*", true, Match::kNo, Match::kNo},
        CoverCase{"s3:Get*Acl", "s3:Get*", true, Match::kNo, Match::kYes},
        CoverCase{"s3:*Object", "s3:Get*", true, Match::kNo, Match::kYes},
        CoverCase{"s3:?etObject", "s3:G*", true, Match::kNo, Match::kYes},
        // Resources: case-sensitive; `*` spans `/` and `:`.
        CoverCase{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b.txt", false, Match::kYes, Match::kYes},
        CoverCase{"arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a", false, Match::kNo, Match::kNo},
        CoverCase{"arn:aws:s3:::*", "arn:aws:s3:::*/*", false, Match::kYes, Match::kYes},
        CoverCase{"arn:aws:s3:::*/*", "arn:aws:s3:::*", false, Match::kNo, Match::kYes},
        CoverCase{"arn:aws:iam::*", "arn:aws:iam::111122223333:role/x", false, Match::kYes, Match::kYes},
        CoverCase{"arn:aws:secretsmanager:*:*:secret:*", "arn:aws:secretsmanager:*:111122223333:secret:*", false,
                  Match::kYes, Match::kYes},
        CoverCase{"arn:aws:secretsmanager:us-east-1:*:secret:*", "arn:aws:secretsmanager:*:1:secret:*", false,
                  Match::kNo, Match::kYes},
        CoverCase{"arn:aws:s3:::a*", "arn:aws:s3:::*b", false, Match::kNo, Match::kYes},
        CoverCase{"arn:aws:s3:::a*", "arn:aws:s3:::b*", false, Match::kNo, Match::kNo},
        CoverCase{"", "", false, Match::kYes, Match::kYes},
        CoverCase{"*", "", false, Match::kYes, Match::kYes},
        CoverCase{"", "*", false, Match::kNo, Match::kYes},
        CoverCase{"a", "*", false, Match::kNo, Match::kYes},
        CoverCase{"a?c", "a*", false, Match::kNo, Match::kYes},
        CoverCase{"a?c", "?bc", false, Match::kNo, Match::kYes},
        CoverCase{"**", "*", false, Match::kYes, Match::kYes}));

TEST(Pattern, LiteralQueriesTreatWildcardCharactersAsText) {
  // A literal "*" is one character: "x*" (wildcard) covers it, "xy" does not.
  EXPECT_EQ(covers(res("x*"), lit("x*")), Match::kYes);
  EXPECT_EQ(covers(res("x?"), lit("x*")), Match::kYes);
  EXPECT_EQ(covers(res("xy"), lit("x*")), Match::kNo);
  EXPECT_TRUE(lit("a*b").is_literal());
  EXPECT_FALSE(res("a*b").is_literal());
}

TEST(Pattern, FoldingOnlyWhenAsked) {
  EXPECT_EQ(covers(act("IAM:PassRole"), lit("iam:passrole", true)), Match::kYes);
  EXPECT_EQ(covers(res("ARN:x"), lit("arn:x")), Match::kNo);
}

TEST(Pattern, UnknownPartsAreMaybe) {
  PatternBuilder b(false);
  b.literal("arn:aws:iam::1:user/");
  b.unknown();
  const Pattern p = std::move(b).done();
  EXPECT_TRUE(p.has_unknown());
  EXPECT_EQ(covers(p, lit("arn:aws:iam::1:user/bob")), Match::kMaybe);
  EXPECT_EQ(intersects(p, res("*")), Match::kMaybe);
  EXPECT_EQ(covers(p, lit("arn:aws:iam::2:user/bob")), Match::kNo);
  EXPECT_EQ(p.to_string(), "arn:aws:iam::1:user/${?}");
}

TEST(Pattern, LongPatternsStayLinearForLiteralQueries) {
  // A policy value of 10,000 stars against a long literal: must finish quickly and correctly.
  const std::string stars(10000, '*');
  const std::string text(5000, 'a');
  EXPECT_EQ(covers(res(stars + "b"), lit(text)), Match::kNo);
  EXPECT_EQ(covers(res(stars), lit(text)), Match::kYes);
}

}  // namespace
}  // namespace fortress::iam
