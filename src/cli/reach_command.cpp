#include "cli/reach_command.h"

#include <CLI/CLI.hpp>


#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/color.h"
#include "cli/run_result.h"
#include "config/config.h"
#include "load/snapshot.h"
#include "reach/exposure.h"
#include "reach/report.h"
#include "report/scan_summary.h"
#include "report/terminal_text.h"

namespace fortress::cli {

namespace {

// As `fortress scan` (cli/color.h), and only for the terminal format.
bool use_color(const ReachCommandOptions& o) {
  return o.format == "terminal" && stdout_wants_color(o.no_color, !o.output_path.empty());
}

}  // namespace

CLI::App* add_reach_command(CLI::App& app, ReachCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "reach", "What the internet reaches, through which path, and what each exposed instance reaches next");
  cmd->add_option("DIR", options.snapshot_dir, "Snapshot directory (scripts/export-aws-cli.sh or fortress collect)")
      ->required();
  cmd->add_option("--config", options.config_path, "fortress.yaml: trusted ranges, shared services");
  cmd->add_option("--format", options.format, "terminal, json, dot (Graphviz) or svg (rendered with Graphviz)")
      ->check(CLI::IsMember({"terminal", "json", "dot", "svg"}))
      ->default_str("terminal");
  cmd->add_option("-o,--output", options.output_path, "Write to FILE instead of stdout");
  cmd->add_flag("--all-edges", options.all_edges,
                "The graph also holds the lateral edges between every pair of classes (up to 2,000 classes)");
  cmd->add_flag("--no-color", options.no_color, "Never colour the terminal report (NO_COLOR is honoured too)");
  return cmd;
}

int run_reach_command(const ReachCommandOptions& options) {
  Config config;
  if (!options.config_path.empty()) {
    Expected<Config> c = load_config(options.config_path);
    if (!c) {
      std::cerr << terminal_safe(c.error().to_string()) << '\n';
      return int(ScanExit::kUsage);
    }
    config = std::move(*c);
  }
  Expected<LoadResult> loaded = load_snapshot(options.snapshot_dir);
  if (!loaded) {
    Error e = loaded.error();
    if (e.file.empty()) e.file = options.snapshot_dir;
    std::cerr << terminal_safe(e.to_string()) << '\n';
    return int(ScanExit::kUsage);
  }
  for (const LoadDiagnostic* d : sorted_diagnostics(loaded->diagnostics)) {
    if (d->level == LoadDiagnostic::Level::kInfo) continue;
    std::cerr << terminal_safe(diagnostic_location(*d, options.snapshot_dir)) << ": " << to_string(d->level) << ": "
              << terminal_safe(d->message) << '\n';
  }
  if (loaded->files_loaded == 0 && !loaded->incomplete()) {
    std::cerr << "fortress: error: " << terminal_safe(options.snapshot_dir)
              << ": no AWS CLI export fortress recognizes in this directory\n";
    return int(ScanExit::kUsage);
  }
  const reach::Exposure exposure = reach::compute_exposure(loaded->account, config);
  reach::ReachOptions ro;
  ro.all_edges = options.all_edges;
  const JsonValue report = reach::reach_report(loaded->account, config, exposure, ro, FORTRESS_VERSION);

  std::string text;
  if (options.format == "json") {
    text = report.dump(2) + "\n";
  } else if (options.format == "dot") {
    text = reach::reach_dot(report);
  } else if (options.format == "svg") {
    Expected<std::string> svg = reach::render_svg(reach::reach_dot(report));
    if (!svg) {
      std::cerr << "fortress: error: " << svg.error().message << '\n';
      return int(ScanExit::kUsage);
    }
    text = std::move(*svg);
  } else {
    std::ostringstream out;
    reach::write_reach_terminal(report, out, use_color(options));
    text = out.str();
  }
  if (options.output_path.empty()) {
    std::cout << text << std::flush;
    if (!std::cout) return int(ScanExit::kUsage);
  } else {
    std::ofstream file(options.output_path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      std::cerr << terminal_safe(options.output_path) << ": error: could not write: " << std::strerror(errno) << '\n';
      return int(ScanExit::kUsage);
    }
  }
  return loaded->incomplete() ? int(ScanExit::kIncomplete) : 0;
}

}  // namespace fortress::cli
