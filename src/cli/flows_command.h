// `fortress flows`: which security-group grants the flow logs show in use — per-rule usage, unused,
// redundant and over-broad grants, internet egress, rejected traffic (docs/flows.md, docs/output.md).
// Also the pieces `fortress scan --flow-logs` shares.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "flows/aggregate.h"
#include "flows/rule_usage.h"
#include "model/account.h"
#include "util/expected.h"

namespace CLI {
class App;
}

namespace fortress::cli {

// The flow-log options `fortress flows` and `fortress scan` share.
struct FlowInputOptions {
  std::vector<std::string> logs;  // files and directories
  std::string format_string;      // --format-string
  unsigned threads = 0;
  std::string min_window;    // --min-window ("" = 0)
  std::string egress_ports;  // --egress-ports ("" = the default usual set)
};

struct FlowsOptions {
  std::string snapshot_dir;
  FlowInputOptions input;
  std::vector<std::string> from_aggregate;
  bool aggregate_only = false;
  std::string aggregate_format = "csv";
  bool emit_athena = false;
  std::string athena_location;
  std::string athena_table = "vpc_flow_logs";
  bool athena_hive = false;
  std::string config_path;
  std::string format = "terminal";
  std::string output_path;
  std::string fail_on;
  bool no_color = false;
  bool verbose = false;
  bool show_passed = false;
};

CLI::App* add_flows_command(CLI::App& app, FlowsOptions& options);
int run_flows_command(const FlowsOptions& options);

// Reads the logs and attributes them to the account. Errors are usage errors (bad --format-string,
// --min-window, --egress-ports); bad input is in the aggregate's stats.
struct FlowAnalysis {
  flows::Aggregate aggregate;
  flows::RuleUsage usage;
};
[[nodiscard]] Expected<std::unique_ptr<FlowAnalysis>> analyze_flow_logs(const FlowInputOptions& options,
                                                                        const Account& account);
// The attribution options from --min-window and --egress-ports.
[[nodiscard]] Expected<flows::AttributionOptions> attribution_options(const FlowInputOptions& options);

}  // namespace fortress::cli
