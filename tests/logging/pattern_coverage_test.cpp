// The coverage decision: "does the candidate pattern match every event the reference matches?",
// decided from what the patterns mean. Table-driven: rewrites that must not matter, changes that
// must, and cases CloudWatch's documentation leaves open (which must never be reported as covered).
#include "logging/pattern_coverage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fortress {
namespace {

using ::testing::HasSubstr;

FilterPattern P(std::string_view text) {
  Expected<FilterPattern> p = parse_filter_pattern(text);
  EXPECT_TRUE(p.has_value()) << text << ": " << (p ? "" : p.error().message);
  return p ? *p : FilterPattern{};
}

struct Case {
  const char* name;
  const char* candidate;
  const char* reference;
  CoverageVerdict verdict;
  const char* detail = "";  // a substring of the detail
};

void run(const Case& c) {
  const CoverageResult r = pattern_covers(P(c.candidate), P(c.reference));
  EXPECT_EQ(r.verdict, c.verdict) << c.name << ": " << to_string(r.verdict) << ": " << r.detail;
  EXPECT_THAT(r.detail, HasSubstr(c.detail)) << c.name;
}

constexpr const char* kTrail =
    "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
    "($.eventName = StartLogging) || ($.eventName = StopLogging) }";

TEST(PatternCoverage, RewritesThatDoNotChangeTheMeaning) {
  const Case cases[] = {
      {"identical", kTrail, kTrail, CoverageVerdict::kCovered},
      {"no spaces, quoted",
       R"({($.eventName="StopLogging")||($.eventName="StartLogging")||($.eventName="DeleteTrail")||($.eventName="UpdateTrail")||($.eventName="CreateTrail")})",
       kTrail, CoverageVerdict::kCovered},
      {"redundant parentheses",
       "{ ((($.eventName = CreateTrail) || ($.eventName = UpdateTrail))) || (($.eventName = DeleteTrail) || "
       "(($.eventName = StartLogging) || $.eventName = StopLogging)) }",
       kTrail, CoverageVerdict::kCovered},
      {"extra alternatives",
       "{ $.eventName = CreateTrail || $.eventName = UpdateTrail || $.eventName = DeleteTrail || "
       "$.eventName = StartLogging || $.eventName = StopLogging || $.eventName = PutEventSelectors || "
       "$.errorCode = AccessDenied }",
       kTrail, CoverageVerdict::kCovered},
      {"a wildcard that includes the names",
       "{ $.eventName = *Trail || $.eventName = *Logging }", kTrail, CoverageVerdict::kCovered},
      {"a repeated condition", "{ $.eventName = *Trail || $.eventName = *Trail && $.eventName = *Trail || "
                               "$.eventName = *Logging }",
       kTrail, CoverageVerdict::kCovered},
      {"the empty pattern matches everything", "", kTrail, CoverageVerdict::kCovered, "every event"},
      {"conjunction distributed",
       "{ ($.eventSource = kms.amazonaws.com && $.eventName = DisableKey) || "
       "($.eventName = ScheduleKeyDeletion && $.eventSource = kms.amazonaws.com) }",
       "{ ($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
       CoverageVerdict::kCovered},
      {"dropping a conjunct widens", "{ $.eventName = DisableKey || $.eventName = ScheduleKeyDeletion }",
       "{ ($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
       CoverageVerdict::kCovered},
  };
  for (const Case& c : cases) run(c);
}

TEST(PatternCoverage, ChangesThatNarrowThePattern) {
  const Case cases[] = {
      {"a dropped event name",
       "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
       "($.eventName = StartLogging) }",
       kTrail, CoverageVerdict::kNotCovered, R"($.eventName = "StopLogging")"},
      {"an added narrowing condition",
       "{ (($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
       "($.eventName = StartLogging) || ($.eventName = StopLogging)) && $.userIdentity.type = IAMUser }",
       kTrail, CoverageVerdict::kNotCovered, "$.userIdentity.type missing"},
      {"a wrong case", "{ $.eventName = createtrail || $.eventName = *Trail* || $.eventName = StartLogging }",
       kTrail, CoverageVerdict::kNotCovered, "StopLogging"},
      {"a wildcard that misses one", "{ $.eventName = Create* || $.eventName = Update* || $.eventName = *Logging }",
       kTrail, CoverageVerdict::kNotCovered, "DeleteTrail"},
      {"precedence: && before ||", "{ ($.a = 1 || $.b = 2) && $.c = 3 }", "{ $.a = 1 || $.b = 2 && $.c = 3 }",
       CoverageVerdict::kNotCovered, "$.c missing"},
      {"a narrower wildcard", R"({ $.errorCode = "Client.UnauthorizedOperation" })",
       R"({ $.errorCode = "*UnauthorizedOperation" })", CoverageVerdict::kNotCovered,
       R"($.errorCode = "UnauthorizedOperation")"},
      {"a missing trailing wildcard", R"({ $.errorCode = "AccessDenied" })", R"({ $.errorCode = "AccessDenied*" })",
       CoverageVerdict::kNotCovered, R"($.errorCode = "AccessDenied)"},
      {"a different event source", "{ $.eventSource = iam.amazonaws.com && $.eventName = DisableKey }",
       "{ $.eventSource = kms.amazonaws.com && $.eventName = DisableKey }", CoverageVerdict::kNotCovered,
       R"($.eventSource = "kms.amazonaws.com")"},
  };
  for (const Case& c : cases) run(c);
}

TEST(PatternCoverage, WildcardsAreComparedAsLanguages) {
  const Case cases[] = {
      {"contains covers suffix", R"({ $.errorCode = "*Unauthorized*" })", R"({ $.errorCode = "*UnauthorizedOperation" })",
       CoverageVerdict::kCovered},
      {"prefix covers longer prefix", R"({ $.e = "Access*" })", R"({ $.e = "AccessDenied*" })", CoverageVerdict::kCovered},
      {"longer prefix misses", R"({ $.e = "AccessDenied*" })", R"({ $.e = "Access*" })", CoverageVerdict::kNotCovered,
       R"($.e = "Access)"},
      {"split by two patterns", R"({ $.e = "ab*" || $.e = "a" })", R"({ $.e = "a*" })", CoverageVerdict::kNotCovered},
      {"star alone matches any string", R"({ $.e = * })", R"({ $.e = "x*y" })", CoverageVerdict::kCovered},
      {"star alone matches numbers", R"({ $.latency = * })", "{ $.latency > 100 }", CoverageVerdict::kCovered},
      {"a not-equals that excludes the reference", R"({ $.e != "Access*" })", R"({ $.e = "AccessDenied" })",
       CoverageVerdict::kNotCovered},
      {"a not-equals that keeps it", R"({ $.e != "Foo*" })", R"({ $.e = "AccessDenied" })", CoverageVerdict::kCovered},
      // A '*' inside a value: CloudWatch's documentation has called it both a wildcard and a literal.
      {"inner star, same text", R"({ $.e = "Ev*ent" })", R"({ $.e = "Ev*ent" })", CoverageVerdict::kCovered},
      {"inner star covered by a prefix", R"({ $.e = "Ev*" })", R"({ $.e = "Ev*ent" })", CoverageVerdict::kCovered},
      {"inner star vs a literal", R"({ $.e = "Event" })", R"({ $.e = "Ev*ent" })", CoverageVerdict::kNotCovered,
       R"("Ev*ent")"},
      {"inner star in the candidate only", R"({ $.e = "Ev*ent" })", R"({ $.e = "Event" })", CoverageVerdict::kUnknown,
       "wildcard or literal"},
  };
  for (const Case& c : cases) run(c);
}

TEST(PatternCoverage, NumbersAreComparedByOrder) {
  const Case cases[] = {
      {"wider bound", "{ $.latency >= 50 }", "{ $.latency > 100 }", CoverageVerdict::kCovered},
      {"narrower bound", "{ $.latency > 200 }", "{ $.latency > 100 }", CoverageVerdict::kNotCovered, "$.latency = "},
      {"a split that covers", "{ $.n < 10 || $.n > 20 }", "{ $.n = 5 }", CoverageVerdict::kCovered},
      {"a split with a hole", "{ $.n < 5 || $.n > 5 }", "{ $.n >= 0 && $.n <= 9 }", CoverageVerdict::kNotCovered,
       "$.n = 5"},
      {"an interval", "{ $.n <= 5 && $.n >= 5 }", "{ $.n = 5.0 }", CoverageVerdict::kCovered},
      {"not-equals a number", "{ $.n != 7 }", "{ $.n > 7 }", CoverageVerdict::kCovered},
      {"a quoted number is a string", R"({ $.n = "5" })", "{ $.n = 5 }", CoverageVerdict::kUnknown},
  };
  for (const Case& c : cases) run(c);
}

TEST(PatternCoverage, ExistenceNullAndBooleans) {
  const Case cases[] = {
      {"not exists or null", "{ $.a NOT EXISTS || $.a IS NULL }", "{ $.a NOT EXISTS }", CoverageVerdict::kCovered},
      {"null is not missing", "{ $.a IS NULL }", "{ $.a NOT EXISTS }", CoverageVerdict::kNotCovered, "$.a missing"},
      {"true is not false", "{ $.f IS TRUE }", "{ $.f IS FALSE }", CoverageVerdict::kNotCovered, "$.f = false"},
      {"an equality implies existence", "{ $.a = * || $.a NOT EXISTS }", "{ $.a = x }", CoverageVerdict::kCovered},
      // Every kind of value but one: an object or array fails = * and every keyword test.
      {"no case for objects", "{ $.b NOT EXISTS || $.b IS NULL || $.b = * || $.b IS TRUE || $.b IS FALSE }",
       "{ $.e = x }", CoverageVerdict::kNotCovered, "$.b an object or array"},
  };
  for (const Case& c : cases) run(c);
}

TEST(PatternCoverage, UndocumentedBehaviourIsNeverProved) {
  const Case cases[] = {
      // What `!=` does on a missing field is not documented: the candidate may or may not match.
      {"not-equals on a missing field", R"({ $.a != "x" })", R"({ $.b = 1 && $.a NOT EXISTS })",
       CoverageVerdict::kUnknown, "on a missing field"},
      // ... but a string equal to "x" makes it definitely false: a real counterexample.
      {"not-equals on the excluded value", R"({ $.a != "x" })", R"({ $.b = 1 })", CoverageVerdict::kNotCovered,
       R"($.a = "x")"},
      {"numbers read from strings", "{ $.n > 5 }", R"({ $.n = "7" })", CoverageVerdict::kUnknown},
      {"a regular expression", "{ $.eventName = %^(Create|Update)Trail$% }", "{ $.eventName = CreateTrail }",
       CoverageVerdict::kUnknown, "regular expressions"},
      {"a text pattern", "CreateTrail", "{ $.eventName = CreateTrail }", CoverageVerdict::kUnknown, "JSON patterns"},
      // The same undocumented atom on both sides is the same condition: proved.
      {"same not-equals on both sides", R"({ $.e = x && $.a != "y" })", R"({ $.e = x && $.a != "y" })",
       CoverageVerdict::kCovered},
      {"same regex on both sides", "{ $.e = %a.b% || $.z = 1 }", "{ $.e = %a.b% }", CoverageVerdict::kCovered},
      // A definite counterexample still wins over an undocumented one.
      {"definite despite regex", "{ $.eventName = %Trail% && $.x = 1 }", "{ $.eventName = CreateTrail }",
       CoverageVerdict::kNotCovered, "$.x missing"},
  };
  for (const Case& c : cases) run(c);
}

TEST(PatternCoverage, LimitsGiveUnknownNotAnAnswer) {
  std::string big = "{ ";
  for (int i = 0; i < 14; ++i) {
    if (i) big += " && ";
    big += "($.a" + std::to_string(i) + " = x || $.b" + std::to_string(i) + " = y)";
  }
  big += " }";
  const CoverageResult r = pattern_covers(P(big), P("{ $.a0 = x }"));
  EXPECT_EQ(r.verdict, CoverageVerdict::kUnknown);
  EXPECT_THAT(r.detail, HasSubstr("too complex"));

  CoverageLimits tiny;
  tiny.max_steps = 3;
  const CoverageResult t = pattern_covers(P(kTrail), P(kTrail), tiny);
  EXPECT_NE(t.verdict, CoverageVerdict::kNotCovered);
}

TEST(PatternCoverage, CountsTheAlternativesCovered) {
  const CoverageResult most = pattern_covers(P("{ $.eventName = *Trail }"), P(kTrail));
  EXPECT_EQ(most.verdict, CoverageVerdict::kNotCovered);
  EXPECT_EQ(most.conjuncts_covered, 3u);
  EXPECT_EQ(most.conjuncts_total, 5u);
  const CoverageResult all = pattern_covers(P(kTrail), P(kTrail));
  EXPECT_EQ(all.conjuncts_covered, 5u);
  EXPECT_TRUE(share_a_condition(P("{ $.eventName = StopLogging && $.x = 1 }"), P(kTrail)));
  EXPECT_FALSE(share_a_condition(P("{ $.eventName = ConsoleLogin }"), P(kTrail)));
  EXPECT_FALSE(share_a_condition(P(""), P(kTrail)));
}

TEST(PatternCoverage, StructureOfTheExampleEvent) {
  // $.a.b holding a value makes $.a an object: the only event escaping the candidate is impossible.
  const CoverageResult r = pattern_covers(P("{ $.a.b = x || $.a = * }"), P("{ $.a.b = x && $.a = y }"));
  EXPECT_NE(r.verdict, CoverageVerdict::kNotCovered) << r.detail;
}

}  // namespace
}  // namespace fortress
