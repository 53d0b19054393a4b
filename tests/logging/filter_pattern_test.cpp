// The metric-filter pattern parser: the grammar of CloudWatch Logs JSON filter patterns, canonical
// text, disjunctive normal form, and errors that name the column.
#include "logging/filter_pattern.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace fortress {
namespace {

using ::testing::HasSubstr;

FilterPattern parse_ok(std::string_view text) {
  Expected<FilterPattern> p = parse_filter_pattern(text);
  EXPECT_TRUE(p.has_value()) << text << ": " << (p ? "" : p.error().message);
  return p ? *p : FilterPattern{};
}

const PatternAtom& only_atom(const FilterPattern& p) {
  EXPECT_EQ(p.form, PatternForm::kJson);
  EXPECT_EQ(p.root.kind, PatternNode::Kind::kAtom);
  EXPECT_EQ(p.atoms.size(), 1u);
  return p.atoms.at(0);
}

TEST(FilterPattern, StringComparisonsQuotedOrNot) {
  const PatternAtom a = only_atom(parse_ok("{ $.eventName = CreateTrail }"));
  EXPECT_EQ(a.selector, "$.eventName");
  EXPECT_EQ(a.kind, AtomKind::kStringEquals);
  EXPECT_EQ(a.value, "CreateTrail");

  const PatternAtom q = only_atom(parse_ok(R"({$.eventName="CreateTrail"})"));
  EXPECT_EQ(q.key(), a.key()) << "quoting does not change the condition";

  const PatternAtom ne = only_atom(parse_ok(R"({ $.sourceIPAddress != 123.123.* })"));
  EXPECT_EQ(ne.kind, AtomKind::kStringNotEquals);
  EXPECT_EQ(ne.value, "123.123.*");

  const PatternAtom dotted = only_atom(parse_ok("{ $.eventSource = kms.amazonaws.com }"));
  EXPECT_EQ(dotted.value, "kms.amazonaws.com");

  const PatternAtom spaced = only_atom(parse_ok(R"({ $.errorMessage = "Failed authentication" })"));
  EXPECT_EQ(spaced.value, "Failed authentication");

  const PatternAtom escaped = only_atom(parse_ok(R"({ $.a = "say \"hi\" \\ \n" })"));
  EXPECT_EQ(escaped.value, R"(say "hi" \ \n)");
}

TEST(FilterPattern, NumbersAndNumericOperators) {
  struct Case {
    const char* text;
    NumericOp op;
    double number;
  };
  const Case cases[] = {
      {"{ $.latency >= 500 }", NumericOp::kGe, 500},      {"{ $.numbers[0] < 10e3 }", NumericOp::kLt, 10e3},
      {"{ $.numbers[0] < 10e-3 }", NumericOp::kLt, 10e-3}, {"{ $.p[4].avg <= 55.5 }", NumericOp::kLe, 55.5},
      {"{ $.errorCode = 400 }", NumericOp::kEq, 400},      {"{ $.errorCode != 500 }", NumericOp::kNe, 500},
      {"{ $.latency > +1000 }", NumericOp::kGt, 1000},     {"{ $.t > -2.5E+2 }", NumericOp::kGt, -250},
      {"{ $.t = .5 }", NumericOp::kEq, 0.5},
  };
  for (const Case& c : cases) {
    const PatternAtom a = only_atom(parse_ok(c.text));
    EXPECT_EQ(a.kind, AtomKind::kNumeric) << c.text;
    EXPECT_EQ(a.op, c.op) << c.text;
    EXPECT_DOUBLE_EQ(a.number, c.number) << c.text;
  }
  // The same number spelled differently is the same condition.
  EXPECT_EQ(only_atom(parse_ok("{ $.a = 1000 }")).key(), only_atom(parse_ok("{ $.a = +1e3 }")).key());
  // A quoted number is a string.
  EXPECT_EQ(only_atom(parse_ok(R"({ $.a = "400" })")).kind, AtomKind::kStringEquals);
}

TEST(FilterPattern, KeywordConditionsAndRegex) {
  EXPECT_EQ(only_atom(parse_ok("{ $.SomeObject IS NULL }")).kind, AtomKind::kIsNull);
  EXPECT_EQ(only_atom(parse_ok("{ $.userIdentity.invokedBy NOT EXISTS }")).kind, AtomKind::kNotExists);
  EXPECT_EQ(only_atom(parse_ok("{ $.ThisFlag IS TRUE }")).kind, AtomKind::kIsTrue);
  EXPECT_EQ(only_atom(parse_ok("{ $.ThisFlag is false }")).kind, AtomKind::kIsFalse);
  const PatternAtom r = only_atom(parse_ok("{ $.eventName = %^(Create|Delete)Trail$% }"));
  EXPECT_EQ(r.kind, AtomKind::kRegexEquals);
  EXPECT_EQ(r.value, "^(Create|Delete)Trail$");
  EXPECT_EQ(only_atom(parse_ok("{ $.a != %x\\%y% }")).kind, AtomKind::kRegexNotEquals);
}

TEST(FilterPattern, Selectors) {
  EXPECT_EQ(only_atom(parse_ok("{ $.users[0].id = 2 }")).selector, "$.users[0].id");
  EXPECT_EQ(only_atom(parse_ok("{ $.coordinates[0][1] = x }")).selector, "$.coordinates[0][1]");
  EXPECT_EQ(only_atom(parse_ok("{ $.detail-type = x }")).selector, "$.detail-type");
  EXPECT_EQ(only_atom(parse_ok("{ $.a[007] = x }")).selector, "$.a[7]");
  EXPECT_EQ(only_atom(parse_ok("{ $.responseElements.ConsoleLogin = Success }")).selector,
            "$.responseElements.ConsoleLogin");
}

TEST(FilterPattern, AndBindsTighterThanOrAndGroupsFlatten) {
  const FilterPattern p = parse_ok("{ $.a = 1 || $.b = 2 && $.c = 3 }");
  ASSERT_EQ(p.root.kind, PatternNode::Kind::kOr);
  ASSERT_EQ(p.root.children.size(), 2u);
  EXPECT_EQ(p.root.children[0].kind, PatternNode::Kind::kAtom);
  EXPECT_EQ(p.root.children[1].kind, PatternNode::Kind::kAnd);

  const FilterPattern nested = parse_ok("{ ((($.a = 1) || ($.b = 2)) || (($.c = 3))) }");
  ASSERT_EQ(nested.root.kind, PatternNode::Kind::kOr);
  EXPECT_EQ(nested.root.children.size(), 3u) << "a || (b || c) is one three-way alternative";
}

TEST(FilterPattern, CanonicalTextRoundTrips) {
  const char* inputs[] = {
      R"({($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)})",
      R"({ ($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) })",
      R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })",
      R"({ $.a = 1 || $.b >= 2.5 && ($.c IS NULL || $.d = %re\%x%) })",
      R"({ $.q = "a \"b\" \\c" })",
  };
  for (const char* in : inputs) {
    const FilterPattern p = parse_ok(in);
    const std::string text = p.to_string();
    const FilterPattern again = parse_ok(text);
    EXPECT_EQ(again.to_string(), text) << in;
    Expected<PatternDnf> a = to_dnf(p), b = to_dnf(again);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->conjuncts, b->conjuncts) << in;
  }
  EXPECT_EQ(parse_ok("{($.a=1)||($.b=x&&($.c=y||$.d=z))}").to_string(),
            R"({ $.a = 1 || $.b = "x" && ($.c = "y" || $.d = "z") })");
}

TEST(FilterPattern, NonJsonForms) {
  EXPECT_EQ(parse_ok("").form, PatternForm::kMatchAll);
  EXPECT_EQ(parse_ok("   \n").form, PatternForm::kMatchAll);
  EXPECT_EQ(parse_ok("ERROR").form, PatternForm::kText);
  EXPECT_EQ(parse_ok("?ERROR ?WARN").form, PatternForm::kText);
  EXPECT_EQ(parse_ok("[ip, user, ..., status_code = 4*, bytes]").form, PatternForm::kText);
  EXPECT_EQ(parse_ok("\"ConsoleLogin\"").text, "\"ConsoleLogin\"");
}

TEST(FilterPattern, ErrorsNameTheColumn) {
  struct Case {
    const char* text;
    const char* message;
    size_t offset;
  };
  const Case cases[] = {
      {"{ $.eventName = }", "expected a value after the operator", 16},
      {"{ $.eventName CreateTrail }", "expected IS NULL, IS TRUE, IS FALSE or NOT EXISTS", 14},
      {"{ eventName = x }", "expected a selector starting with '$'", 2},
      {R"({ $.a = "x })", "the quoted string is not closed", 8},
      {"{ ($.a = x }", "expected ')'", 11},
      {"{ $.a = x ", "ends before its closing '}'", 10},
      {"{ $.a = x } extra", "unexpected text after the closing '}'", 12},
      {"{ $.a > abc }", "is not a number", 8},
      {R"({ $.a < "5" })", "quoted string can only be compared with = or !=", 8},
      {"{ $.a == x }", "'==' is not an operator", 6},
      {"{ $. = x }", "expected a property name after '.'", 4},
      {"{ $[0] = x }", "array index must follow a property name", 3},
      {"{ $.a[x] = 1 }", "expected an array index like [0]", 6},
      {"{ $ = x }", "needs a property after '$'", 2},
      {"{ $.a = x && }", "expected a selector", 13},
      {"{ $.a = x || }", "expected a selector", 13},
      {"{ $.a = %abc }", "regular expression is not closed", 8},
      {"{ $.a = %% }", "regular expression is empty", 8},
      {"{ $.a ~ x }", "expected an operator", 6},
      {"{ $.a }", "expected an operator", 6},
      {"{}", "expected a selector starting with '$'", 1},
      {"{ $.a = x ) }", "expected '&&', '||' or '}'", 10},
  };
  for (const Case& c : cases) {
    Expected<FilterPattern> p = parse_filter_pattern(c.text);
    ASSERT_FALSE(p.has_value()) << c.text;
    EXPECT_EQ(p.error().code, ErrorCode::kParse) << c.text;
    EXPECT_THAT(p.error().message, HasSubstr(c.message)) << c.text;
    EXPECT_EQ(p.error().offset, c.offset) << c.text << ": " << p.error().message;
    EXPECT_THAT(p.error().message, HasSubstr("column " + std::to_string(c.offset + 1) + ":")) << c.text;
  }
}

TEST(FilterPattern, NestingIsBounded) {
  std::string deep = "{ " + std::string(200, '(') + "$.a = 1" + std::string(200, ')') + " }";
  Expected<FilterPattern> p = parse_filter_pattern(deep);
  ASSERT_FALSE(p.has_value());
  EXPECT_THAT(p.error().message, HasSubstr("nested deeper than"));
  std::string fine = "{ " + std::string(30, '(') + "$.a = 1" + std::string(30, ')') + " }";
  EXPECT_TRUE(parse_filter_pattern(fine).has_value());
}

TEST(FilterPatternDnf, DistributesAndDeduplicates) {
  Expected<PatternDnf> d = to_dnf(parse_ok("{ ($.a = 1 || $.b = 2) && $.c = 3 }"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->atoms.size(), 3u);
  EXPECT_EQ(d->conjuncts.size(), 2u);
  for (const auto& k : d->conjuncts) EXPECT_EQ(k.size(), 2u);

  Expected<PatternDnf> same = to_dnf(parse_ok(R"({ $.a = x || $.a = "x" || ($.a = x && $.a = x) })"));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->atoms.size(), 1u);
  EXPECT_EQ(same->conjuncts.size(), 1u);
}

TEST(FilterPatternDnf, BlowUpIsAnErrorNotAHang) {
  std::string text = "{ ";
  for (int i = 0; i < 16; ++i) {
    if (i) text += " && ";
    text += "($.a" + std::to_string(i) + " = x || $.b" + std::to_string(i) + " = y)";
  }
  text += " }";
  Expected<PatternDnf> d = to_dnf(parse_ok(text), 4096);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, ErrorCode::kUnsupported);
  EXPECT_THAT(d.error().message, HasSubstr("too complex"));
  EXPECT_FALSE(to_dnf(parse_ok("ERROR")).has_value());
}

}  // namespace
}  // namespace fortress
