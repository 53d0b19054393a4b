// CloudWatch Logs metric-filter patterns, the JSON form: `{ ($.eventName = CreateTrail) || ... }`.
//
// The grammar (CloudWatch Logs "Filter and pattern syntax", JSON log events):
//   pattern   := "{" or-expr "}"          an empty pattern matches every event
//   or-expr   := and-expr ( "||" and-expr )*      && binds tighter than ||
//   and-expr  := primary ( "&&" primary )*
//   primary   := "(" or-expr ")" | condition
//   condition := selector ( "=" | "!=" ) value             string, wildcard, number or %regex%
//              | selector ( "<" | "<=" | ">" | ">=" ) number
//              | selector "IS NULL" | "NOT EXISTS" | "IS TRUE" | "IS FALSE"
//   selector  := "$" ( "." name | "[" digits "]" )+        name: letters, digits, '_', '-'
//   value     := "quoted string" | unquoted-token | %regex%
// A `*` in a string value is a wildcard. Numbers: optional sign, digits, optional decimals and
// exponent ("10e-3", "+1000"). Text patterns (terms, `?a ?b`) and space-delimited patterns (`[a, b]`)
// are recognized as such but not parsed further: fortress reasons only about JSON patterns.
//
// The parser is an entry point for untrusted input (snapshot files): it never throws, never recurses
// without bound (nesting is limited) and names the column of every error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.h"

namespace fortress {

enum class AtomKind : uint8_t {
  kStringEquals,     // $.a = value    (value may contain * wildcards)
  kStringNotEquals,  // $.a != value
  kNumeric,          // $.a <op> number
  kRegexEquals,      // $.a = %regex%
  kRegexNotEquals,   // $.a != %regex%
  kIsNull,           // $.a IS NULL
  kNotExists,        // $.a NOT EXISTS
  kIsTrue,           // $.a IS TRUE
  kIsFalse,          // $.a IS FALSE
};

enum class NumericOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
[[nodiscard]] std::string_view to_string(NumericOp op);  // "=", "!=", "<", ...

// One comparison of one JSON field.
struct PatternAtom {
  std::string selector;  // canonical: "$.userIdentity.type", "$.users[0].id"
  AtomKind kind = AtomKind::kStringEquals;
  NumericOp op = NumericOp::kEq;  // kNumeric only
  std::string value;              // the string (unescaped), the regex body, or the number as written
  double number = 0;              // kNumeric only

  // What the atom means, independent of how it was written: quoting, spacing and the spelling of a
  // number do not change it. Two atoms with the same key are the same condition.
  [[nodiscard]] std::string key() const;
  // Pattern text for the atom ("$.eventName = \"CreateTrail\""), which parses back to the same key.
  [[nodiscard]] std::string to_string() const;
};

// The expression tree of a JSON pattern. Leaves index FilterPattern::atoms.
struct PatternNode {
  enum class Kind : uint8_t { kAtom, kAnd, kOr };
  Kind kind = Kind::kAtom;
  uint32_t atom = 0;                   // kAtom
  std::vector<PatternNode> children;   // kAnd / kOr: two or more
};

enum class PatternForm : uint8_t {
  kJson,      // { ... }: parsed into atoms and a tree
  kMatchAll,  // the empty pattern: every log event matches
  kText,      // term or space-delimited pattern: recognized, not analyzed
};

struct FilterPattern {
  PatternForm form = PatternForm::kJson;
  std::vector<PatternAtom> atoms;
  PatternNode root;
  std::string text;  // kText: the original text

  // Canonical pattern text: every atom in the form of PatternAtom::to_string, single spaces, groups
  // parenthesized only where precedence needs it. parse_filter_pattern(to_string()) gives the same
  // tree. Text patterns are returned as they were given.
  [[nodiscard]] std::string to_string() const;
};

// Parses a metric filter's pattern. The Error (kParse) message starts with "column N:" and its
// offset is the 0-based byte offset of the problem.
[[nodiscard]] Expected<FilterPattern> parse_filter_pattern(std::string_view text);

// Disjunctive normal form of a JSON pattern: an event matches when every atom of at least one
// conjunct holds. Each conjunct lists indexes into `atoms`, sorted, without duplicates.
struct PatternDnf {
  std::vector<PatternAtom> atoms;
  std::vector<std::vector<uint32_t>> conjuncts;
};

// kUnsupported when the expansion would exceed max_conjuncts (a pattern like (a||b)&&(c||d)&&...).
[[nodiscard]] Expected<PatternDnf> to_dnf(const FilterPattern& pattern, size_t max_conjuncts = 4096);

}  // namespace fortress
