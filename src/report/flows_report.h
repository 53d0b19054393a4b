// The report of `fortress flows` (docs/output.md, "fortress flows"): the findings of the flow checks,
// then what was read, the coverage, the attribution counts, the per-rule usage, the internet egress
// (per security group and interface) and the rejected traffic. Terminal and JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "checks/check.h"
#include "flows/aggregate.h"
#include "flows/rule_usage.h"
#include "report/report.h"

namespace fortress {

struct FlowsReport {
  std::string tool_version;
  std::string generated_at;
  const Account* account = nullptr;
  const flows::Aggregate* aggregate = nullptr;
  const flows::RuleUsage* usage = nullptr;
  std::vector<Finding> findings;
  bool from_aggregate = false;  // the input was aggregates, not flow log files
};

void write_flows_json(const FlowsReport& report, std::ostream& out);
void write_flows_terminal(const FlowsReport& report, const TerminalOptions& options, std::ostream& out);

// "1.2 GiB", "340 KiB", "12 B"
[[nodiscard]] std::string byte_size_text(uint64_t bytes);

}  // namespace fortress
