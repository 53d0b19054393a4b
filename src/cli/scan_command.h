// `fortress scan [DIR]`: load a snapshot (or collect the live account into one first), run the checks,
// write the report, set the exit status.
#pragma once

#include <string>
#include <vector>

#include "cli/collect_command.h"
#include "cli/flows_command.h"

namespace CLI {
class App;
}

namespace fortress::cli {

struct ScanOptions {
  std::string snapshot_dir;  // "" = collect the live account first (LiveOptions)
  LiveOptions live;
  std::string save_snapshot;  // live scan: keep the collected snapshot here ("" = a temporary folder)
  std::string config_path;  // "" = built-in defaults
  std::string format = "terminal";
  std::string output_path;  // "" = stdout
  std::string fail_on;      // "" = not given
  bool no_color = false;
  bool verbose = false;
  bool show_passed = false;
  std::vector<std::string> checks;  // --checks id,id ("" = all)
  FlowInputOptions flow_logs;       // --flow-logs LOGS... and the options beside it (issue 4)
};

// Declares the subcommand and its options on `app`; the options are written into `options`.
CLI::App* add_scan_command(CLI::App& app, ScanOptions& options);
// Runs a parsed scan; returns the process exit status (docs/output.md, "Exit status").
int run_scan(const ScanOptions& options);

}  // namespace fortress::cli
