#include "cli/checks_command.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <sstream>

#include "cli/run_result.h"
#include "report/checks_doc.h"

namespace fortress::cli {

CLI::App* add_checks_command(CLI::App& app, ChecksOptions& options) {
  CLI::App* cmd =
      app.add_subcommand("checks", "List every check: id, severity, area, title (docs/checks.md)");
  cmd->add_option("--format", options.format, "text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->default_str("text");
  return cmd;
}

int run_checks_command(const ChecksOptions& options) {
  std::ostringstream out;
  if (options.format == "json") {
    write_checks_json(out);
  } else if (options.format == "markdown") {
    write_checks_markdown(out);
  } else {
    write_checks_text(out);
  }
  std::cout << out.str() << std::flush;
  return std::cout ? 0 : int(ScanExit::kUsage);
}

}  // namespace fortress::cli
