// Fuzz target for the metric-filter pattern language: parse_filter_pattern, to_dnf and the coverage
// decision (pattern_covers, covers_cis_control). Arbitrary bytes as a filter pattern.
//
// Besides "does not crash or hang", it checks properties that hold for every input:
//   - every error is a parse error whose offset lies inside the input and whose message names it;
//   - canonical text is stable: parse(to_string(p)) prints the same text and has the same DNF;
//   - a pattern covers itself and its canonical text (never "not covered"): the decision is
//     reflexive and does not depend on how a pattern is written;
//   - deciding it against a CIS control ends, within the limits.
// Limits are small so each input is decided in milliseconds.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "logging/cis_monitoring.h"
#include "logging/filter_pattern.h"
#include "logging/pattern_coverage.h"

namespace {

using namespace fortress;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "metric_filter_fuzz: %s for input \"%.*s\"\n", what, int(input.size()), input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Expected<FilterPattern> parsed = parse_filter_pattern(text);
  if (!parsed) {
    const Error& e = parsed.error();
    if (e.code != ErrorCode::kParse) fail("error is not a parse error", text);
    if (e.offset > size) fail("error offset outside the input", text);
    if (e.message.rfind("column ", 0) != 0) fail("error message does not name the column", text);
    return 0;
  }
  const FilterPattern& p = *parsed;
  if (p.form != PatternForm::kJson) return 0;

  const std::string canonical = p.to_string();
  Expected<FilterPattern> again = parse_filter_pattern(canonical);
  if (!again) fail("canonical text does not parse", text);
  if (again->to_string() != canonical) fail("canonical text is not stable", text);
  Expected<PatternDnf> d1 = to_dnf(p, 256);
  Expected<PatternDnf> d2 = to_dnf(*again, 256);
  if (d1.has_value() != d2.has_value()) fail("DNF differs after the round trip", text);
  if (d1 && d1->conjuncts != d2->conjuncts) fail("DNF differs after the round trip", text);

  CoverageLimits limits;
  limits.max_conjuncts = 64;
  limits.max_steps = 2000;
  limits.max_automaton_states = 400;
  if (pattern_covers(p, p, limits).verdict == CoverageVerdict::kNotCovered) fail("a pattern does not cover itself", text);
  if (pattern_covers(p, *again, limits).verdict == CoverageVerdict::kNotCovered) {
    fail("a pattern does not cover its canonical text", text);
  }
  // Against the CIS table: must decide without crashing.
  const auto controls = cis_monitoring_controls();
  const CisMonitoringControl& c = controls[size % controls.size()];
  (void)covers_cis_control(p, c, limits);
  return 0;
}
