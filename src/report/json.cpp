// The JSON report (docs/output.md, "JSON"). Field names and order are part of the interface: scripts
// and golden tests read them. Add fields; never rename or remove one without a version note.
#include <algorithm>
#include <ostream>
#include <set>
#include <string>

#include "report/json_stream.h"
#include "report/report.h"
#include "report/scan_summary.h"
#include "util/json_value.h"

namespace fortress {

namespace {

JsonValue finding_json(const Finding& f) {
  JsonValue o = JsonValue::object();
  o.set("check_id", f.check_id);
  o.set("title", f.title);
  o.set("status", to_string(f.status));
  o.set("severity", to_string(f.severity));
  o.set("area", to_string(f.area));
  o.set("account_id", f.account_id.view());
  o.set("region", region_label(f.region));
  o.set("resource_type", f.resource_type);
  o.set("resource_id", f.resource_id.view());
  o.set("resource_name", f.resource_name.view());
  o.set("detail", f.detail);
  o.set("evidence", JsonValue::raw(std::string(f.evidence.json())));
  JsonValue remediation = JsonValue::object();
  remediation.set("text", f.remediation_text);
  remediation.set("cli", f.remediation_cli);
  o.set("remediation", std::move(remediation));
  JsonValue compliance = JsonValue::object();
  JsonValue controls = JsonValue::array();
  for (std::string_view c : cis_controls(f.cis_aws_3_0)) controls.push(c);
  compliance.set("cis-aws-3.0", std::move(controls));
  o.set("compliance", std::move(compliance));
  if (f.status == FindingStatus::kMuted) o.set("mute_reason", f.mute_reason.view());
  return o;
}

JsonValue summary_json(const ScanCounts& counts) {
  JsonValue by_status = JsonValue::object();
  for (FindingStatus s : kStatusesInOrder) by_status.set(std::string(to_string(s)), counts.status(s));
  JsonValue by_severity = JsonValue::object();
  for (Severity s : kSeveritiesDescending) by_severity.set(std::string(to_string(s)), counts.fails(s));
  JsonValue by_area = JsonValue::object();
  for (Area a : kAreasInOrder) by_area.set(std::string(to_string(a)), counts.fails(a));

  JsonValue o = JsonValue::object();
  o.set("findings", counts.total());
  o.set("by_status", std::move(by_status));
  o.set("fail_by_severity", std::move(by_severity));
  o.set("fail_by_area", std::move(by_area));
  o.set("load_errors", counts.load_errors);
  o.set("load_warnings", counts.load_warnings);
  return o;
}

// One account's part of a report: its findings and coverage, and where its snapshot is.
struct AccountPart {
  const ScanReport* report;
  std::string_view snapshot;
};

JsonValue coverage_json(const std::vector<AccountPart>& parts) {
  JsonValue coverage = JsonValue::array();
  for (const AccountPart& part : parts) {
    const Account* account = part.report->account;
    const Symbol id = account != nullptr ? account->account_id : Symbol();
    for (const CoverageRow& row : coverage_rows(account)) {
      JsonValue c = JsonValue::object();
      c.set("account_id", id);
      c.set("region", row.region);
      c.set("dataset", dataset_name(row.dataset));
      c.set("status", to_string(row.coverage->status));
      c.set("detail", row.coverage->detail);
      coverage.push(std::move(c));
    }
  }
  return coverage;
}

JsonValue account_json(const AccountPart& part) {
  const Account* account = part.report->account;
  JsonValue o = JsonValue::object();
  o.set("account_id", account != nullptr ? account->account_id : Symbol());
  o.set("snapshot", part.snapshot);
  o.set("collected", account_collected(account));
  o.set("incomplete", scan_incomplete(*part.report));
  JsonValue regions = JsonValue::array();
  for (std::string_view name : scanned_regions(account)) regions.push(name);
  o.set("regions", std::move(regions));
  o.set("regions_not_scanned", JsonValue::strings(enabled_regions_not_scanned(account)));
  o.set("summary", summary_json(count_findings(*part.report)));
  return o;
}

// The report over `parts` (one for a single snapshot). Top-level values are over every account;
// account_id is the account's when there is one, else "".
void write_report_json(std::string_view tool_version, std::string_view generated_at,
                       const std::vector<AccountPart>& parts, const std::vector<LoadDiagnostic>& folder_diagnostics,
                       const std::vector<std::string>& folder_unknown, bool incomplete, const ScanCounts& counts,
                       std::ostream& out) {
  JsonValue root = JsonValue::object();
  root.set("tool", "fortress");
  root.set("version", tool_version);
  const Account* only = parts.size() == 1 ? parts.front().report->account : nullptr;
  root.set("account_id", only != nullptr ? only->account_id : Symbol());
  root.set("generated_at", generated_at);
  root.set("incomplete", incomplete);

  std::set<std::string_view> region_names;
  std::set<std::string> not_scanned;
  for (const AccountPart& part : parts) {
    for (std::string_view name : scanned_regions(part.report->account)) region_names.insert(name);
    for (std::string& name : enabled_regions_not_scanned(part.report->account)) not_scanned.insert(std::move(name));
  }
  JsonValue regions = JsonValue::array();
  for (std::string_view name : region_names) regions.push(name);
  root.set("regions", std::move(regions));
  root.set("regions_not_scanned", JsonValue::strings(std::vector<std::string>(not_scanned.begin(), not_scanned.end())));
  root.set("summary", summary_json(counts));
  root.set("coverage", coverage_json(parts));

  std::vector<LoadDiagnostic> all_diagnostics = folder_diagnostics;
  std::vector<std::string> unknown = folder_unknown;
  for (const AccountPart& part : parts) {
    all_diagnostics.insert(all_diagnostics.end(), part.report->diagnostics.begin(), part.report->diagnostics.end());
    unknown.insert(unknown.end(), part.report->unknown_files.begin(), part.report->unknown_files.end());
  }
  JsonValue diagnostics = JsonValue::array();
  for (const LoadDiagnostic* d : sorted_diagnostics(all_diagnostics)) {
    JsonValue o = JsonValue::object();
    o.set("level", to_string(d->level));
    o.set("file", d->file);
    o.set("line", d->line);
    o.set("message", d->message);
    diagnostics.push(std::move(o));
  }
  root.set("diagnostics", std::move(diagnostics));
  std::sort(unknown.begin(), unknown.end());
  root.set("unknown_files", JsonValue::strings(unknown));
  JsonValue accounts = JsonValue::array();
  for (const AccountPart& part : parts) accounts.push(account_json(part));
  root.set("accounts", std::move(accounts));

  // The findings are written one by one (a large account has hundreds of thousands), after the
  // fields above, as root.dump(2) would lay them out with the findings array in place.
  std::vector<const Finding*> sorted;
  for (const AccountPart& part : parts) {
    for (const Finding& f : part.report->findings) sorted.push_back(&f);
  }
  sort_findings(sorted);
  JsonReportWriter w(out);
  for (const auto& [name, value] : root.as_object()) w.field(0, name, value);
  w.key(0, "findings");
  w.array(1, sorted.size(), [&](std::string& text, size_t i) { append_finding_json(text, *sorted[i]); });
  w.end_document();
}

}  // namespace

JsonValue finding_to_json(const Finding& finding) { return finding_json(finding); }

// finding_json(f).dump_to(out, 2, 2), written straight into `out`: a large account's report has
// hundreds of thousands of findings, and building each as a tree of JsonValues (a dozen allocations and
// copies) was most of writing it. A test holds the two to the same bytes.
void append_finding_json(std::string& out, const Finding& f) {
  auto newline = [&](int depth) {
    out.push_back('\n');
    out.append(size_t(2 * depth), ' ');
  };
  bool first = true;
  auto key = [&](std::string_view k) {
    if (!first) out.push_back(',');
    first = false;
    newline(3);
    append_json_string(out, k);
    out += ": ";
  };
  auto text = [&](std::string_view k, std::string_view v) {
    key(k);
    append_json_string(out, v);
  };
  out.push_back('{');
  text("check_id", f.check_id);
  text("title", f.title);
  text("status", to_string(f.status));
  text("severity", to_string(f.severity));
  text("area", to_string(f.area));
  text("account_id", f.account_id);
  text("region", region_label(f.region));
  text("resource_type", f.resource_type);
  text("resource_id", f.resource_id);
  text("resource_name", f.resource_name);
  text("detail", f.detail);
  key("evidence");
  append_reindented_json(out, f.evidence.json(), 2, 3);
  key("remediation");
  out.push_back('{');
  newline(4);
  append_json_string(out, "text");
  out += ": ";
  append_json_string(out, f.remediation_text);
  out.push_back(',');
  newline(4);
  append_json_string(out, "cli");
  out += ": ";
  append_json_string(out, f.remediation_cli);
  newline(3);
  out.push_back('}');
  key("compliance");
  out.push_back('{');
  newline(4);
  append_json_string(out, "cis-aws-3.0");
  out += ": ";
  const std::vector<std::string_view> controls = cis_controls(f.cis_aws_3_0);
  if (controls.empty()) {
    out += "[]";
  } else {
    out.push_back('[');
    for (size_t i = 0; i < controls.size(); ++i) {
      if (i > 0) out.push_back(',');
      newline(5);
      append_json_string(out, controls[i]);
    }
    newline(4);
    out.push_back(']');
  }
  newline(3);
  out.push_back('}');
  if (f.status == FindingStatus::kMuted) text("mute_reason", f.mute_reason);
  newline(2);
  out.push_back('}');
}

void write_json(const ScanReport& report, std::ostream& out) {
  write_report_json(report.tool_version, report.generated_at, {AccountPart{&report, ""}}, {}, {},
                    scan_incomplete(report), count_findings(report), out);
}

void write_json(const MultiAccountReport& report, std::ostream& out) {
  std::vector<AccountPart> parts;
  for (const AccountScan& a : report.accounts) parts.push_back(AccountPart{&a.report, a.snapshot});
  write_report_json(report.tool_version, report.generated_at, parts, report.diagnostics, report.unknown_files,
                    scan_incomplete(report), count_findings(report), out);
}

}  // namespace fortress
