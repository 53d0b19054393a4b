// Reports: everything the user sees of a scan. Only the CLI and these writers produce output.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "checks/check.h"
#include "load/snapshot.h"

namespace fortress {

// What one scan produced, as the report writers see it.
struct ScanReport {
  std::string tool_version;
  std::string generated_at;  // RFC 3339 UTC
  const Account* account = nullptr;
  std::vector<Finding> findings;
  std::vector<LoadDiagnostic> diagnostics;
  std::vector<std::string> unknown_files;
  bool incomplete = false;
};

struct TerminalOptions {
  bool color = false;
  bool verbose = false;        // list unknown files and info diagnostics
  bool show_passed = false;    // list PASS findings too
};

void write_terminal(const ScanReport& report, const TerminalOptions& options, std::ostream& out);
void write_json(const ScanReport& report, std::ostream& out);
void write_csv(const ScanReport& report, std::ostream& out);
// One finding as the JSON report writes it (docs/output.md, "Each finding"); `fortress flows` reuses it.
[[nodiscard]] JsonValue finding_to_json(const Finding& finding);

}  // namespace fortress
