#include "cli/scan_command.h"

#include <filesystem>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>

#include "checks/registry.h"
#include "cli/color.h"
#include "cli/run_result.h"
#include "config/config.h"
#include "checks/not_collected.h"
#include "load/snapshot.h"
#include "load/snapshot_set.h"
#include "reach/exposure.h"
#include "report/report.h"
#include "report/scan_summary.h"
#include "report/terminal_text.h"

namespace fortress::cli {

namespace {

// Everything one scan carries from step to step.
struct ScanRun {
  const ScanOptions& options;
  std::string snapshot_dir;  // the one given, or where the live collection wrote
  std::filesystem::path temporary_dir;  // a live scan's snapshot when not saved; removed at the end
  std::optional<Severity> fail_on;
  std::vector<std::string> only_checks;
  std::string generated_at;
  Config config;
  std::optional<SnapshotSet> loaded;  // one snapshot, or a folder of account snapshots
  ScanReport report;                  // a single snapshot's
  MultiAccountReport accounts;        // a multi-account folder's
  std::unique_ptr<FlowAnalysis> flows;  // --flow-logs (a single snapshot only)
  [[nodiscard]] bool multi_account() const { return loaded && loaded->multi_account; }
};

// "path:line: error: message" (or "fortress: error: message" when there is no path), the form
// compilers use, so editors and CI annotate the exact input.
std::string located(std::string_view where, std::string_view level, std::string_view message) {
  if (where.empty()) return fmt::format("fortress: {}: {}", level, terminal_safe(message));
  return fmt::format("{}: {}: {}", terminal_safe(where), level, terminal_safe(message));
}

std::string error_text(const Error& e) {
  std::string where = e.file;
  if (!where.empty() && e.line > 0) where += fmt::format(":{}", e.line);
  return located(where, "error", e.message);
}

// ---- steps ----------------------------------------------------------------------------------

RunResult check_options(ScanRun& run) {
  const ScanOptions& o = run.options;
  if (!o.fail_on.empty()) {
    run.fail_on = parse_severity(o.fail_on);
    if (!run.fail_on) {
      return RunResult::fail(ScanExit::kUsage, located("", "error",
                                                       "--fail-on: unknown severity \"" + o.fail_on +
                                                           "\" (critical, high, medium, low, info)"));
    }
  }
  for (const std::string& id : o.checks) {
    if (id.empty()) continue;
    if (find_check(id) == nullptr) {
      return RunResult::fail(
          ScanExit::kUsage,
          located("", "error", "--checks: unknown check id \"" + id + "\" (`fortress checks` lists them)"));
    }
    run.only_checks.push_back(id);
  }
  Expected<std::string> when =
      report_time(std::getenv("FORTRESS_FIXED_TIME"), std::chrono::system_clock::now());
  if (!when) return RunResult::fail(ScanExit::kUsage, error_text(when.error()));
  run.generated_at = *when;
  return RunResult::ok();
}

RunResult load_configuration(ScanRun& run) {
  if (run.options.config_path.empty()) return RunResult::ok();  // built-in defaults
  Expected<Config> config = load_config(run.options.config_path);
  if (!config) {
    Error e = config.error();
    if (e.file.empty()) e.file = run.options.config_path;
    return RunResult::fail(ScanExit::kUsage, error_text(e));
  }
  run.config = std::move(*config);
  return RunResult::ok();
}

// Without DIR: read the live account (read-only) into a snapshot first, so the scan that follows is
// exactly the offline scan of what was collected, and can be re-run from the saved folder.
RunResult collect_live(ScanRun& run) {
  const ScanOptions& o = run.options;
  if (!o.snapshot_dir.empty()) {
    if (o.live.any_set() || !o.save_snapshot.empty()) {
      return RunResult::fail(ScanExit::kUsage,
                             located("", "error",
                                     "--profile, --region(s), --exclude-regions, --endpoint-url, --ca-bundle, "
                                     "--role-name, --accounts, --org, --external-id and --save-snapshot are for a "
                                     "live scan (without DIR); a snapshot is scanned as it was collected"));
    }
    run.snapshot_dir = o.snapshot_dir;
    return RunResult::ok();
  }
  if (!o.save_snapshot.empty()) {
    run.snapshot_dir = o.save_snapshot;
  } else {
    std::string pattern = (std::filesystem::temp_directory_path() / "fortress-scan-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return RunResult::fail(ScanExit::kUsage, located(pattern, "error", "cannot create a temporary folder"));
    }
    run.temporary_dir = pattern;
    run.snapshot_dir = pattern;
  }
  const int status = collect_snapshot(o.live, run.snapshot_dir, o.verbose, run.temporary_dir.empty());
  if (status == int(ScanExit::kUsage)) return RunResult::fail(ScanExit::kUsage, "");
  // Failed calls are in the snapshot as error records: the scan reports them as coverage errors,
  // NOT_ASSESSED, and exit status 3.
  return RunResult::ok();
}

// "DIR/<folder>" for an account of a multi-account folder, DIR for a single snapshot.
std::string account_root(const ScanRun& run, const AccountSnapshot& a) {
  return a.folder.empty() ? run.snapshot_dir : run.snapshot_dir + "/" + a.folder;
}

RunResult load_account(ScanRun& run) {
  Expected<SnapshotSet> loaded = load_snapshot_set(run.snapshot_dir);
  if (!loaded) {
    Error e = loaded.error();
    if (e.file.empty()) e.file = run.snapshot_dir;
    return RunResult::fail(ScanExit::kUsage, error_text(e));
  }
  run.loaded = std::move(*loaded);
  SnapshotSet& set = *run.loaded;

  // Diagnostics point at the file under the directory the user named, so it can be opened as shown.
  auto print = [&](const std::vector<LoadDiagnostic>& diagnostics, const std::string& root) {
    for (const LoadDiagnostic* d : sorted_diagnostics(diagnostics)) {
      if (d->level == LoadDiagnostic::Level::kInfo && !run.options.verbose) continue;
      std::cerr << located(diagnostic_location(*d, root), to_string(d->level), d->message) << '\n';
    }
  };
  print(set.diagnostics, run.snapshot_dir);
  for (const AccountSnapshot& a : set.accounts) {
    print(a.result.diagnostics, account_root(run, a));
    if (run.options.verbose) {
      for (const std::string& f : a.result.unknown_files) {
        std::cerr << located(account_root(run, a) + "/" + f, "info",
                             "not a kind of AWS CLI output fortress reads; ignored")
                  << '\n';
      }
    }
  }
  if (!set.multi_account) {
    const LoadResult& l = set.accounts.front().result;
    if (l.files_loaded == 0 && !l.incomplete()) {
      return RunResult::fail(
          ScanExit::kUsage,
          located(run.snapshot_dir, "error",
                  "no AWS CLI export fortress recognizes in this directory (see scripts/export-aws-cli.sh)"));
    }
  }
  return RunResult::ok();
}

// --flow-logs: read and attribute the flow logs; their malformed lines and file problems become
// diagnostics of the scan (a truncated or unreadable file is an error: the scan is incomplete).
RunResult analyze_flows(ScanRun& run) {
  const FlowInputOptions& f = run.options.flow_logs;
  if (f.logs.empty()) {
    if (!f.format_string.empty() || !f.min_window.empty() || !f.egress_ports.empty())
      return RunResult::fail(ScanExit::kUsage, located("", "error", "--flow-format-string, --min-window and "
                                                                    "--egress-ports need --flow-logs"));
    return RunResult::ok();
  }
  if (run.multi_account()) {
    return RunResult::fail(ScanExit::kUsage,
                           located(run.snapshot_dir, "error",
                                   "--flow-logs reads one account's flow logs: scan that account's snapshot "
                                   "folder with them"));
  }
  LoadResult& loaded = run.loaded->accounts.front().result;
  Expected<std::unique_ptr<FlowAnalysis>> a = analyze_flow_logs(f, loaded.account);
  if (!a) return RunResult::fail(ScanExit::kUsage, error_text(a.error()));
  run.flows = std::move(*a);
  const flows::ReadStats& st = run.flows->aggregate.stats;
  if (st.files == 0)
    return RunResult::fail(ScanExit::kUsage, located("", "error", "--flow-logs: no flow log file found in the paths given"));
  for (const flows::FileIssue& i : st.issues) {
    LoadDiagnostic d;
    d.level = i.level == flows::FileIssue::Level::kError ? LoadDiagnostic::Level::kError : LoadDiagnostic::Level::kWarning;
    d.file = i.file;
    d.message = "flow logs: " + i.message;
    loaded.diagnostics.push_back(std::move(d));
  }
  for (const flows::MalformedSample& m : st.samples) {
    LoadDiagnostic d;
    d.level = LoadDiagnostic::Level::kWarning;
    d.file = m.file;
    d.line = m.line;
    d.message = "flow logs: malformed record skipped: " + m.reason;
    loaded.diagnostics.push_back(std::move(d));
  }
  if (st.malformed > st.samples.size()) {
    LoadDiagnostic d;
    d.level = LoadDiagnostic::Level::kWarning;
    d.message = fmt::format("flow logs: {} malformed record(s) in all, {} of them listed", st.malformed, st.samples.size());
    loaded.diagnostics.push_back(std::move(d));
  }
  for (const LoadDiagnostic& d : loaded.diagnostics) {
    if (d.message.starts_with("flow logs: "))
      std::cerr << located(diagnostic_location(d), to_string(d.level), d.message) << '\n';
  }
  return RunResult::ok();
}

// One account's findings and report; its diagnostics' and files' paths from the folder scanned.
ScanReport account_report(const ScanRun& run, AccountSnapshot& a) {
  LoadResult& l = a.result;
  CheckContext ctx{l.account, run.config, run.flows ? &run.flows->usage : nullptr};
  ctx.compute_exposure = true;  // once, shared by the checks that read it, beside those that do not
  ScanReport report;
  report.tool_version = FORTRESS_VERSION;
  report.generated_at = run.generated_at;
  report.account = &l.account;
  report.findings = run_checks(ctx, run.only_checks);
  std::vector<Finding> unseen = not_collected_findings(l.account, run.only_checks);
  std::move(unseen.begin(), unseen.end(), std::back_inserter(report.findings));
  report.diagnostics = l.diagnostics;
  report.unknown_files = l.unknown_files;
  if (!a.folder.empty()) {
    for (LoadDiagnostic& d : report.diagnostics) {
      if (!d.file.empty()) d.file = a.folder + "/" + d.file;
    }
    for (std::string& f : report.unknown_files) f = a.folder + "/" + f;
  }
  report.incomplete = l.incomplete();
  return report;
}

RunResult evaluate(ScanRun& run) {
  SnapshotSet& set = *run.loaded;
  if (!set.multi_account) {
    run.report = account_report(run, set.accounts.front());
    return RunResult::ok();
  }
  run.accounts.tool_version = FORTRESS_VERSION;
  run.accounts.generated_at = run.generated_at;
  run.accounts.diagnostics = set.diagnostics;
  run.accounts.unknown_files = set.unknown_files;
  for (AccountSnapshot& a : set.accounts) run.accounts.accounts.push_back(AccountScan{a.folder, account_report(run, a)});
  return RunResult::ok();
}

bool use_color(const ScanOptions& o) { return stdout_wants_color(o.no_color, !o.output_path.empty()); }

// Streams the report to stdout or the -o file (a report of 180,000 findings is hundreds of MB:
// it is never held whole in memory).
void write_format(const ScanRun& run, std::ostream& out) {
  const ScanOptions& o = run.options;
  const TerminalOptions terminal{use_color(o), o.verbose, o.show_passed};
  if (run.multi_account()) {
    if (o.format == "json") {
      write_json(run.accounts, out);
    } else if (o.format == "csv") {
      write_csv(run.accounts, out);
    } else {
      write_terminal(run.accounts, terminal, out);
    }
    return;
  }
  if (o.format == "json") {
    write_json(run.report, out);
  } else if (o.format == "csv") {
    write_csv(run.report, out);
  } else {
    write_terminal(run.report, terminal, out);
  }
}

RunResult write_report(ScanRun& run) {
  const ScanOptions& o = run.options;
  if (o.output_path.empty()) {
    write_format(run, std::cout);
    std::cout.flush();
    if (!std::cout)
      return RunResult::fail(ScanExit::kUsage, located("", "error", "could not write the report to stdout"));
  } else {
    std::ofstream file(o.output_path, std::ios::binary | std::ios::trunc);
    write_format(run, file);
    file.close();
    if (!file) {
      return RunResult::fail(ScanExit::kUsage,
                             located(o.output_path, "error",
                                     std::string("could not write the report: ") + std::strerror(errno)));
    }
  }
  return RunResult::ok();
}

RunResult decide_exit(ScanRun& run) {
  if (run.multi_account()) return RunResult::done(scan_exit_status(run.accounts, run.fail_on));
  return RunResult::done(scan_exit_status(run.report, run.fail_on));
}

}  // namespace

CLI::App* add_scan_command(CLI::App& app, ScanOptions& options) {
  CLI::App* cmd = app.add_subcommand("scan", "Audit a snapshot directory of AWS CLI exports, or the live account");
  cmd->add_option("DIR", options.snapshot_dir,
                  "Snapshot directory (scripts/export-aws-cli.sh or fortress collect writes one), or a folder of "
                  "account snapshots (fortress collect --role-name); without it, the live account is collected "
                  "first (read-only)");
  add_live_options(*cmd, options.live);
  cmd->add_option("--save-snapshot", options.save_snapshot,
                  "Live scan: keep the collected snapshot in this folder (to re-scan it offline)");
  cmd->add_option("--config", options.config_path,
                  "fortress.yaml: trusted ranges, ports, thresholds, mutelist");
  cmd->add_option("--format", options.format, "terminal, json or csv")
      ->check(CLI::IsMember({"terminal", "json", "csv"}))
      ->default_str("terminal");
  cmd->add_option("-o,--output", options.output_path, "Write the report to FILE instead of stdout");
  cmd->add_option("--fail-on", options.fail_on, "Exit 1 when a FAIL is at or above this severity")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}));
  cmd->add_flag("--no-color", options.no_color,
                "Never colour the terminal report (NO_COLOR is honoured too)");
  cmd->add_flag("-v,--verbose", options.verbose, "Also show info diagnostics and files of unknown kind");
  cmd->add_option("--checks", options.checks, "Run only these checks (comma-separated ids)")->delimiter(',');
  cmd->add_flag("--show-passed", options.show_passed, "List PASS findings in the terminal report");
  cmd->add_option("--flow-logs", options.flow_logs.logs,
                  "VPC flow log files or directories: adds the rule-usage findings (docs/flows.md)")
      ->expected(1, -1);
  cmd->add_option("--flow-format-string", options.flow_logs.format_string,
                  "Record format of flow log files without a header line");
  cmd->add_option("--min-window", options.flow_logs.min_window, "Rule-usage findings need this observed window (7d)");
  cmd->add_option("--egress-ports", options.flow_logs.egress_ports, "The usual internet egress ports (tcp/443,...)");
  return cmd;
}

int run_scan(const ScanOptions& options) {
  using Step = RunResult (*)(ScanRun&);
  static constexpr Step kSteps[] = {
      check_options, load_configuration, collect_live, load_account, analyze_flows, evaluate, write_report,
      decide_exit,
  };
  ScanRun run{options, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  RunResult result = run_steps(run, kSteps);
  if (!result.success && !result.error.empty()) std::cerr << result.error << '\n';
  if (!run.temporary_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(run.temporary_dir, ignored);
  }
  return int(result.exit);
}

}  // namespace fortress::cli
