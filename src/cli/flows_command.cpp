#include "cli/flows_command.h"


#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include "checks/flow_checks.h"
#include "checks/registry.h"
#include "cli/color.h"
#include "cli/run_result.h"
#include "config/config.h"
#include "flows/aggregate_io.h"
#include "flows/analysis.h"
#include "flows/athena.h"
#include "flows/reader.h"
#include "load/snapshot.h"
#include "report/flows_report.h"
#include "report/scan_summary.h"
#include "report/terminal_text.h"

namespace fortress::cli {

Expected<flows::AttributionOptions> attribution_options(const FlowInputOptions& o) {
  flows::AttributionOptions a;
  if (!o.min_window.empty()) {
    Expected<uint32_t> w = flows::parse_duration(o.min_window);
    if (!w) return w.error();
    a.min_window_seconds = *w;
  }
  if (!o.egress_ports.empty()) {
    auto ports = flows::parse_port_list(o.egress_ports);
    if (!ports) return ports.error();
    a.usual_egress_ports = *ports;
  }
  return a;
}

Expected<std::unique_ptr<FlowAnalysis>> analyze_flow_logs(const FlowInputOptions& o, const Account& account) {
  flows::ReadOptions read;
  read.account = &account;
  read.threads = o.threads;
  if (!o.format_string.empty()) {
    Expected<flows::LogFormat> f = flows::parse_log_format(o.format_string);
    if (!f) {
      Error e = f.error();
      e.message = "--format-string: " + e.message;
      return e;
    }
    read.format_override = *f;
  }
  Expected<flows::AttributionOptions> attr = attribution_options(o);
  if (!attr) return attr.error();
  auto result = std::make_unique<FlowAnalysis>();
  result->aggregate = flows::read_flow_logs(o.logs, read);
  result->usage = flows::attribute(result->aggregate, account, *attr);
  return result;
}

namespace {

struct FlowsRun {
  const FlowsOptions& options;
  std::optional<Severity> fail_on;
  std::string generated_at;
  Config config;
  std::optional<LoadResult> loaded;
  flows::Aggregate aggregate;
  flows::RuleUsage usage;
  FlowsReport report;
  bool input_errors = false;
};

std::string located(std::string_view where, std::string_view level, std::string_view message) {
  if (where.empty()) return fmt::format("fortress: {}: {}", level, terminal_safe(message));
  return fmt::format("{}: {}: {}", terminal_safe(where), level, terminal_safe(message));
}

std::string error_text(const Error& e) {
  std::string where = e.file;
  if (!where.empty() && e.line > 0) where += fmt::format(":{}", e.line);
  return located(where, "error", e.message);
}

// Writes `write(out)` to stdout or the -o file.
template <typename F>
RunResult emit(const FlowsOptions& o, F&& write) {
  if (o.output_path.empty()) {
    write(std::cout);
    std::cout.flush();
    if (!std::cout) return RunResult::fail(ScanExit::kUsage, located("", "error", "could not write to stdout"));
    return RunResult::ok();
  }
  std::ofstream file(o.output_path, std::ios::binary | std::ios::trunc);
  write(file);
  file.close();
  if (!file)
    return RunResult::fail(ScanExit::kUsage, located(o.output_path, "error", std::string("could not write: ") + std::strerror(errno)));
  return RunResult::ok();
}

RunResult check_options(FlowsRun& run) {
  const FlowsOptions& o = run.options;
  if (!o.fail_on.empty()) {
    run.fail_on = parse_severity(o.fail_on);
    if (!run.fail_on) return RunResult::fail(ScanExit::kUsage, located("", "error", "--fail-on: unknown severity"));
  }
  if (o.emit_athena) return RunResult::ok();
  if (!o.from_aggregate.empty() && !o.input.logs.empty())
    return RunResult::fail(ScanExit::kUsage,
                           located("", "error", "give flow log files (LOGS) or --from-aggregate files, not both"));
  if (o.from_aggregate.empty() && o.input.logs.empty())
    return RunResult::fail(ScanExit::kUsage,
                           located("", "error", "no flow logs given: fortress flows --snapshot DIR LOGS... (files, "
                                                "directories or the S3 delivery tree)"));
  // --aggregate-only with --from-aggregate and --snapshot: merging aggregates into one, the snapshot
  // for the formats; allowed.
  if (!o.aggregate_only && o.snapshot_dir.empty())
    return RunResult::fail(ScanExit::kUsage,
                           located("", "error", "--snapshot DIR is needed to attribute traffic to rules (or use "
                                                "--aggregate-only to write the aggregate)"));
  if (Expected<flows::AttributionOptions> a = attribution_options(o.input); !a)
    return RunResult::fail(ScanExit::kUsage, error_text(a.error()));
  Expected<std::string> when = report_time(std::getenv("FORTRESS_FIXED_TIME"), std::chrono::system_clock::now());
  if (!when) return RunResult::fail(ScanExit::kUsage, error_text(when.error()));
  run.generated_at = *when;
  return RunResult::ok();
}

RunResult load_inputs(FlowsRun& run) {
  const FlowsOptions& o = run.options;
  if (!o.config_path.empty()) {
    Expected<Config> config = load_config(o.config_path);
    if (!config) {
      Error e = config.error();
      if (e.file.empty()) e.file = o.config_path;
      return RunResult::fail(ScanExit::kUsage, error_text(e));
    }
    run.config = std::move(*config);
  }
  if (!o.snapshot_dir.empty()) {
    Expected<LoadResult> loaded = load_snapshot(o.snapshot_dir);
    if (!loaded) {
      Error e = loaded.error();
      if (e.file.empty()) e.file = o.snapshot_dir;
      return RunResult::fail(ScanExit::kUsage, error_text(e));
    }
    run.loaded = std::move(*loaded);
    for (const LoadDiagnostic* d : sorted_diagnostics(run.loaded->diagnostics)) {
      if (d->level == LoadDiagnostic::Level::kInfo && !o.verbose) continue;
      std::cerr << located(diagnostic_location(*d, o.snapshot_dir), to_string(d->level), d->message) << '\n';
    }
    if (run.loaded->files_loaded == 0 && !run.loaded->incomplete())
      return RunResult::fail(ScanExit::kUsage, located(o.snapshot_dir, "error", "no AWS CLI export fortress recognizes"));
  }
  return RunResult::ok();
}

RunResult emit_athena(FlowsRun& run) {
  const FlowsOptions& o = run.options;
  if (!o.emit_athena) return RunResult::ok();
  flows::AthenaOptions a;
  a.table = o.athena_table;
  a.location = o.athena_location;
  a.hive = o.athena_hive;
  if (!o.input.format_string.empty()) {
    Expected<flows::LogFormat> f = flows::parse_log_format(o.input.format_string);
    if (!f) return RunResult::fail(ScanExit::kUsage, located("", "error", "--format-string: " + f.error().message));
    a.format = *f;
  }
  if (run.loaded) {
    const Account& acc = run.loaded->account;
    a.account_id = acc.account_id.str();
    std::set<std::string> formats;
    for (const Region& r : acc.regions) {
      bool s3 = false;
      for (const FlowLog& l : r.flow_logs) {
        if (l.destination_type != "s3") continue;
        s3 = true;
        if (o.input.format_string.empty() && !l.log_format.empty()) formats.insert(l.log_format.str());
      }
      if (s3) a.regions.push_back(r.name.str());
    }
    if (formats.size() == 1) {
      if (Expected<flows::LogFormat> f = flows::parse_log_format(*formats.begin())) a.format = *f;
    } else if (formats.size() > 1) {
      std::cerr << located("", "warning",
                           fmt::format("the snapshot's S3 flow logs use {} formats; the DDL is for {} (give "
                                       "--format-string to choose; one table per format)",
                                       formats.size(), a.format.to_string()))
                << '\n';
    }
  }
  RunResult r = emit(o, [&](std::ostream& out) { out << flows::athena_statements(a); });
  if (!r.success) return r;
  return RunResult::done(ScanExit::kClean);
}

RunResult read_flows(FlowsRun& run) {
  const FlowsOptions& o = run.options;
  const Account empty;
  const Account& account = run.loaded ? run.loaded->account : empty;
  if (!o.from_aggregate.empty()) {
    Expected<flows::Aggregate> merged = flows::read_aggregates(o.from_aggregate);
    if (!merged) return RunResult::fail(ScanExit::kUsage, error_text(merged.error()));
    run.aggregate = std::move(*merged);
  } else {
    flows::ReadOptions read;
    read.account = run.loaded ? &run.loaded->account : nullptr;
    read.threads = o.input.threads;
    if (!o.input.format_string.empty()) {
      Expected<flows::LogFormat> f = flows::parse_log_format(o.input.format_string);
      if (!f) return RunResult::fail(ScanExit::kUsage, located("", "error", "--format-string: " + f.error().message));
      read.format_override = *f;
    }
    run.aggregate = flows::read_flow_logs(o.input.logs, read);
    if (run.aggregate.stats.files == 0)
      return RunResult::fail(ScanExit::kUsage, located("", "error", "no flow log file found in the paths given"));
  }
  for (const flows::FileIssue& i : run.aggregate.stats.issues) {
    std::cerr << located(i.file, i.level == flows::FileIssue::Level::kError ? "error" : "warning", i.message) << '\n';
    run.input_errors |= i.level == flows::FileIssue::Level::kError;
  }
  if (run.aggregate.stats.malformed > 0)
    std::cerr << located("", "warning",
                         fmt::format("{} malformed record(s) skipped; the report shows {} of them",
                                     run.aggregate.stats.malformed, run.aggregate.stats.samples.size()))
              << '\n';
  (void)account;
  return RunResult::ok();
}

RunResult write_aggregate(FlowsRun& run) {
  const FlowsOptions& o = run.options;
  if (!o.aggregate_only) return RunResult::ok();
  RunResult r = emit(o, [&](std::ostream& out) {
    if (o.aggregate_format == "json") flows::write_aggregate_json(run.aggregate, out);
    else flows::write_aggregate_csv(run.aggregate, out);
  });
  if (!r.success) return r;
  return RunResult::done(run.input_errors ? ScanExit::kIncomplete : ScanExit::kClean);
}

RunResult evaluate(FlowsRun& run) {
  const FlowsOptions& o = run.options;
  Expected<flows::AttributionOptions> attr = attribution_options(o.input);
  const Account& account = run.loaded->account;
  run.usage = flows::attribute(run.aggregate, account, *attr);
  CheckContext ctx{account, run.config, &run.usage};
  const std::vector<std::string> only = {"sg-rule-unused", "sg-rule-redundant", "sg-rule-overbroad",
                                         "flow-egress-unusual-port"};
  run.report.findings = run_checks(ctx, only);
  run.report.tool_version = FORTRESS_VERSION;
  run.report.generated_at = run.generated_at;
  run.report.account = &account;
  run.report.aggregate = &run.aggregate;
  run.report.usage = &run.usage;
  run.report.from_aggregate = !o.from_aggregate.empty();
  return RunResult::ok();
}

bool use_color(const FlowsOptions& o) { return stdout_wants_color(o.no_color, !o.output_path.empty()); }

RunResult write_report(FlowsRun& run) {
  const FlowsOptions& o = run.options;
  return emit(o, [&](std::ostream& out) {
    if (o.format == "json") write_flows_json(run.report, out);
    else write_flows_terminal(run.report, TerminalOptions{use_color(o), o.verbose, o.show_passed}, out);
  });
}

RunResult decide_exit(FlowsRun& run) {
  if (run.fail_on && has_fail_at_or_above(run.report.findings, *run.fail_on)) return RunResult::done(ScanExit::kFailures);
  const bool incomplete = run.input_errors || (run.loaded && run.loaded->incomplete());
  return RunResult::done(incomplete ? ScanExit::kIncomplete : ScanExit::kClean);
}

}  // namespace

CLI::App* add_flows_command(CLI::App& app, FlowsOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "flows", "Which security-group rules the VPC flow logs show in use: unused, redundant, over-broad grants, "
               "internet egress, rejected traffic");
  cmd->add_option("LOGS", o.input.logs,
                  "Flow log files or directories (.log, .log.gz, the S3 delivery tree, CloudWatch Logs JSON exports)");
  cmd->add_option("--snapshot", o.snapshot_dir, "Snapshot directory whose security groups the traffic is attributed to");
  cmd->add_option("--format-string", o.input.format_string,
                  "Record format of files without a header line, e.g. '${version} ${account-id} ...' "
                  "(default: the flow log's LogFormat in the snapshot, else the v2 default)");
  cmd->add_option("--threads", o.input.threads, "Reader threads (default: all cores)");
  cmd->add_option("--min-window", o.input.min_window,
                  "Rule findings need at least this observed window (45m, 12h, 7d, 2w); shorter: NOT_ASSESSED");
  cmd->add_option("--egress-ports", o.input.egress_ports,
                  "The usual internet egress ports (default tcp/80,tcp/443,udp/443,udp/53,tcp/53,udp/123)");
  cmd->add_flag("--aggregate-only", o.aggregate_only, "Write the aggregate (keys + counters) instead of the report");
  cmd->add_option("--aggregate-format", o.aggregate_format, "csv (default) or json")
      ->check(CLI::IsMember({"csv", "json"}));
  cmd->add_option("--from-aggregate", o.from_aggregate, "Attribute these aggregate files (CSV or JSON; merged)")
      ->expected(1, -1);
  cmd->add_flag("--emit-athena", o.emit_athena,
                "Print the Athena DDL (partition projection) and the SQL that produces the aggregate");
  cmd->add_option("--athena-location", o.athena_location, "S3 prefix that holds AWSLogs/ (s3://bucket/prefix)");
  cmd->add_option("--athena-table", o.athena_table, "Athena table name (default vpc_flow_logs)");
  cmd->add_flag("--athena-hive", o.athena_hive, "The flow log writes Hive-compatible partitions");
  cmd->add_option("--config", o.config_path, "fortress.yaml (the mutelist applies to flow findings too)");
  cmd->add_option("--format", o.format, "terminal or json")->check(CLI::IsMember({"terminal", "json"}));
  cmd->add_option("-o,--output", o.output_path, "Write to FILE instead of stdout");
  cmd->add_option("--fail-on", o.fail_on, "Exit 1 when a FAIL is at or above this severity")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}));
  cmd->add_flag("--no-color", o.no_color, "Never colour the terminal report");
  cmd->add_flag("-v,--verbose", o.verbose, "List every failure and rejected interface");
  cmd->add_flag("--show-passed", o.show_passed, "List PASS findings in the terminal report");
  return cmd;
}

int run_flows_command(const FlowsOptions& options) {
  using Step = RunResult (*)(FlowsRun&);
  static constexpr Step kSteps[] = {check_options, load_inputs, emit_athena, read_flows,
                                    write_aggregate, evaluate, write_report, decide_exit};
  FlowsRun run{options, {}, {}, {}, {}, {}, {}, {}, false};
  RunResult result = run_steps(run, kSteps);
  if (!result.success && !result.error.empty()) std::cerr << result.error << '\n';
  return int(result.exit);
}

}  // namespace fortress::cli
