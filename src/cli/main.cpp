// fortress: audit the network security of an AWS account from a snapshot of AWS CLI exports.
// main only parses the command line and hands over to one subcommand; see docs/output.md for what
// each prints and the exit statuses.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "cli/checks_command.h"
#include "cli/collect_command.h"
#include "cli/flows_command.h"
#include "cli/run_result.h"
#include "cli/reach_command.h"
#include "cli/scan_command.h"
#include "util/allocator.h"

namespace {

constexpr const char* kExitStatusHelp =
    "Exit status of scan: 0 nothing at or above --fail-on (without --fail-on: 0 unless incomplete),\n"
    "1 a FAIL at or above --fail-on, 2 usage or input error, 3 scan incomplete (load or collection\n"
    "errors) and nothing at or above --fail-on. See docs/output.md.";

int run(int argc, char** argv) {
  CLI::App app{"fortress: audit the security of an AWS account (AWS CLI exports, or collected live, read-only)", "fortress"};
  app.set_version_flag("--version", std::string("fortress ") + FORTRESS_VERSION);
  app.require_subcommand(1);
  app.footer(kExitStatusHelp);

  fortress::cli::ScanOptions scan;
  fortress::cli::ChecksOptions checks;
  fortress::cli::CollectCommandOptions collect;
  CLI::App* scan_cmd = fortress::cli::add_scan_command(app, scan);
  CLI::App* checks_cmd = fortress::cli::add_checks_command(app, checks);
  CLI::App* collect_cmd = fortress::cli::add_collect_command(app, collect);
  fortress::cli::FlowsOptions flows;
  CLI::App* flows_cmd = fortress::cli::add_flows_command(app, flows);
  fortress::cli::ReachCommandOptions reach;
  CLI::App* reach_cmd = fortress::cli::add_reach_command(app, reach);
  CLI::App* version_cmd = app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);  // prints help/version to stdout, errors to stderr
    return status == 0 ? 0 : int(fortress::ScanExit::kUsage);
  }

  if (*scan_cmd) return fortress::cli::run_scan(scan);
  if (*checks_cmd) return fortress::cli::run_checks_command(checks);
  if (*collect_cmd) return fortress::cli::run_collect_command(collect);
  if (*flows_cmd) return fortress::cli::run_flows_command(flows);
  if (*reach_cmd) return fortress::cli::run_reach_command(reach);
  if (*version_cmd) {
    std::cout << "fortress " << FORTRESS_VERSION << '\n';
    return 0;
  }
  return int(fortress::ScanExit::kUsage);
}

}  // namespace

int main(int argc, char** argv) {
  fortress::set_allocator_policy();
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "fortress: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "fortress: internal error\n";
  }
  return int(fortress::ScanExit::kInternal);
}
