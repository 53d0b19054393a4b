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

// A scan of a multi-account folder (load/snapshot_set.h): one ScanReport per account, each with the
// paths of its diagnostics and unknown files relative to the scanned folder (its snapshot folder in
// front), in folder order.
struct AccountScan {
  std::string snapshot;  // the account's folder, relative to the scanned folder
  ScanReport report;
};
struct MultiAccountReport {
  std::string tool_version;
  std::string generated_at;
  std::vector<AccountScan> accounts;
  std::vector<LoadDiagnostic> diagnostics;  // about the scanned folder itself (files in no account's folder)
  std::vector<std::string> unknown_files;   // the same files
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
// The same, appended to the report's text: finding_to_json(f).dump_to(text, 2, 2) (a member of the
// findings array), written without building the tree.
void append_finding_json(std::string& text, const Finding& finding);

// The same formats over several accounts (docs/output.md, "Several accounts"): the terminal report
// has a section per account and a total; JSON has the single-account fields over all accounts plus
// `accounts`; CSV has every account's findings.
void write_terminal(const MultiAccountReport& report, const TerminalOptions& options, std::ostream& out);
void write_json(const MultiAccountReport& report, std::ostream& out);
void write_csv(const MultiAccountReport& report, std::ostream& out);

}  // namespace fortress
