// Does one metric-filter pattern alert on every event another one matches?
//
// pattern_covers(candidate, reference) decides "every log event that `reference` matches is also
// matched by `candidate`" from what the patterns mean, not from how they are written: spacing,
// quoting, parentheses, the order of alternatives and extra alternatives do not matter; a dropped
// alternative or an extra condition that narrows the pattern does.
//
// How (sound, conservative):
//  1. Both patterns go to disjunctive normal form over atoms (one comparison of one field).
//  2. For each conjunct C of the reference, the question is whether C && !candidate can hold. The
//     negated candidate is a conjunction over its conjuncts of "one of its atoms is false"; a
//     DPLL-style search picks, for each candidate conjunct, which atom fails, and prunes as soon
//     as the constraints on one field cannot be met together.
//  3. One field's constraints are decided exactly for each kind of JSON value it may hold (missing,
//     null, true, false, object/array, a number, a string). Strings with `*` wildcards are decided
//     with a product automaton over the patterns, so `*Unauthorized*` and `AccessDenied*` are
//     compared as languages, not as text. Numbers by their order.
//  4. Where CloudWatch's documentation does not say what an atom does (`!=` on a missing field,
//     a string compared with a number, a regular expression, a `*` in the middle of a value), the
//     atom's truth is left open: the same atom is the same condition on both sides, a different one
//     may be anything. A proof holds whatever those atoms do; a counterexample is "definite" only
//     if it needs none of them (and its fields can coexist in one JSON document).
// Fields are treated as independent (a relaxation: `$.a` and `$.a.b` constrain each other in
// reality), which can only turn a proof into "could not prove", never the reverse.
//
// Verdicts: kCovered (proved), kNotCovered (an example event the reference matches and the
// candidate does not, built from documented behaviour only), kUnknown (neither could be shown:
// undocumented semantics, a text pattern, or a search limit; `detail` says which).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "logging/filter_pattern.h"

namespace fortress {

enum class CoverageVerdict : uint8_t { kCovered, kNotCovered, kUnknown };
[[nodiscard]] std::string_view to_string(CoverageVerdict v);  // "covered", "not covered", "unknown"

struct CoverageResult {
  CoverageVerdict verdict = CoverageVerdict::kUnknown;
  // kNotCovered: the example event ("an event with $.eventName = \"StopLogging\""); kUnknown: why no
  // answer could be given; kCovered: "" (or a note, e.g. that the empty pattern matches everything).
  std::string detail;
  // How many of the reference's alternatives (DNF conjuncts) were proved covered, of how many. Set
  // for JSON patterns; a filter that covers some but not all is a near miss worth naming.
  size_t conjuncts_covered = 0;
  size_t conjuncts_total = 0;
};

struct CoverageLimits {
  size_t max_conjuncts = 4096;         // per pattern, after expansion to DNF
  size_t max_steps = 200000;           // field decisions per pattern_covers call
  size_t max_automaton_states = 20000; // per string-field decision
};

[[nodiscard]] CoverageResult pattern_covers(const FilterPattern& candidate, const FilterPattern& reference,
                                            const CoverageLimits& limits = {});

// Do the two JSON patterns have a condition in common, written the same way (same atom key)? A
// cheap relatedness test for reporting near misses; says nothing about coverage.
[[nodiscard]] bool share_a_condition(const FilterPattern& a, const FilterPattern& b);

}  // namespace fortress
