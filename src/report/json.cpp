// The JSON report (docs/output.md, "JSON"). Field names and order are part of the interface: scripts
// and golden tests read them. Add fields; never rename or remove one without a version note.
#include <algorithm>
#include <ostream>
#include <string>

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

}  // namespace

JsonValue finding_to_json(const Finding& finding) { return finding_json(finding); }

void write_json(const ScanReport& report, std::ostream& out) {
  const Account* account = report.account;
  JsonValue root = JsonValue::object();
  root.set("tool", "fortress");
  root.set("version", report.tool_version);
  root.set("account_id", account != nullptr ? account->account_id : Symbol());
  root.set("generated_at", report.generated_at);
  root.set("incomplete", scan_incomplete(report));

  JsonValue regions = JsonValue::array();
  for (std::string_view name : scanned_regions(account)) regions.push(name);
  root.set("regions", std::move(regions));
  root.set("regions_not_scanned", JsonValue::strings(enabled_regions_not_scanned(account)));
  root.set("summary", summary_json(count_findings(report)));

  JsonValue coverage = JsonValue::array();
  for (const CoverageRow& row : coverage_rows(account)) {
    JsonValue c = JsonValue::object();
    c.set("region", row.region);
    c.set("dataset", dataset_name(row.dataset));
    c.set("status", to_string(row.coverage->status));
    c.set("detail", row.coverage->detail);
    coverage.push(std::move(c));
  }
  root.set("coverage", std::move(coverage));

  JsonValue diagnostics = JsonValue::array();
  for (const LoadDiagnostic* d : sorted_diagnostics(report.diagnostics)) {
    JsonValue o = JsonValue::object();
    o.set("level", to_string(d->level));
    o.set("file", d->file);
    o.set("line", d->line);
    o.set("message", d->message);
    diagnostics.push(std::move(o));
  }
  root.set("diagnostics", std::move(diagnostics));
  std::vector<std::string> unknown = report.unknown_files;
  std::sort(unknown.begin(), unknown.end());
  root.set("unknown_files", JsonValue::strings(unknown));

  // The findings are streamed one by one (a large account has hundreds of thousands): the output is
  // byte for byte what root.dump(2) would print with the findings array in place.
  std::string buf = root.dump(2);
  buf.resize(buf.size() - 2);  // the closing "\n}" (root always has fields)
  buf += ',';
  buf += "\n  \"findings\": ";
  const std::vector<const Finding*> sorted = sorted_findings(report.findings);
  if (sorted.empty()) {
    buf += "[]";
  } else {
    buf += '[';
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (i > 0) buf += ',';
      buf += "\n    ";
      finding_json(*sorted[i]).dump_to(buf, 2, 2);
      if (buf.size() > (1u << 20)) {
        out.write(buf.data(), std::streamsize(buf.size()));
        buf.clear();
      }
    }
    buf += "\n  ]";
  }
  buf += "\n}\n";
  out.write(buf.data(), std::streamsize(buf.size()));
}

}  // namespace fortress
