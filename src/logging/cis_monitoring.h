// The CIS AWS Foundations Benchmark v3.0.0 monitoring controls 4.1-4.15: for each, the metric-filter
// pattern(s) that satisfy it, and the decision "does this filter alert on every event CIS asks for?".
//
// Each control lists the forms CIS v3.0.0 prints (remediation and audit text), plus where every
// event the control names comes from one AWS service, the same form scoped to that service's
// CloudTrail eventSource (every record of those API calls carries it, so the scope loses no event of
// the control; CIS's own 4.7-4.9, 4.13 and 4.15 patterns scope this way). A user's filter satisfies
// the control when it alerts on every event of at least one accepted form (pattern_covers).
//
// Where CIS's text needs reading, `note` says how fortress reads it (4.1 is printed with `||`
// between all four conditions, which would match nearly every event; 4.13's audit text drops a pair
// of parentheses).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "logging/filter_pattern.h"
#include "logging/pattern_coverage.h"

namespace fortress {

struct CisMonitoringControl {
  std::string_view control;      // "4.1"
  std::string_view subject;      // "unauthorized API calls" (what the alarm watches)
  std::string_view metric_name;  // CIS's name for the metric and filter: "unauthorized_api_calls_metric"
  std::string_view recommended;  // the pattern fortress puts in remediation commands
  std::vector<std::string_view> cis_forms;  // the patterns as CIS v3.0.0 prints them (recommended first)
  std::string_view event_source;            // "ec2.amazonaws.com" when every event is that service's, else ""
  std::string_view note;                    // how fortress reads the CIS text, or ""

  // Every accepted form: cis_forms, then each scoped to event_source. Parsed once.
  [[nodiscard]] const std::vector<FilterPattern>& accepted() const;
};

// 4.1 .. 4.15, in order.
[[nodiscard]] std::span<const CisMonitoringControl> cis_monitoring_controls();
// nullptr for a control that is not in the table.
[[nodiscard]] const CisMonitoringControl* cis_monitoring_control(std::string_view control);

// Does the user's filter pattern satisfy the control? kCovered when it covers one accepted form;
// kUnknown when none is covered but at least one could not be decided; kNotCovered otherwise, with
// an example event (taken against the narrowest accepted form, which every form contains).
[[nodiscard]] CoverageResult covers_cis_control(const FilterPattern& user, const CisMonitoringControl& control,
                                                const CoverageLimits& limits = {});

}  // namespace fortress
