// The CSV report (docs/output.md, "CSV"): RFC 4180, one row per finding in the JSON report's order,
// CRLF line ends, a header row. Values are written as they are (no spreadsheet-formula defusing): the
// file is data, and a value starting with "=" is quoted only if it needs quoting.
#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>

#include "report/report.h"
#include "report/scan_summary.h"

namespace fortress {

namespace {

constexpr std::string_view kColumns[] = {
    "check_id",    "title",    "status",           "severity",        "area",
    "account_id",  "region",   "resource_type",    "resource_id",     "resource_name",
    "detail",      "evidence", "remediation_text", "remediation_cli", "compliance_cis_aws_3_0",
    "mute_reason",
};

void append_field(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string join(const std::vector<std::string_view>& items, char sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(sep);
    out += items[i];
  }
  return out;
}

void append_row(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out.push_back(',');
    first = false;
    append_field(out, f);
  }
  out += "\r\n";
}

void write_rows(const std::vector<const Finding*>& findings, std::ostream& out) {
  std::string text;
  for (size_t i = 0; i < std::size(kColumns); ++i) {
    if (i > 0) text.push_back(',');
    text.append(kColumns[i]);
  }
  text += "\r\n";
  for (const Finding* f : findings) {
    std::string_view evidence = f->evidence.json();
    std::string compliance = join(cis_controls(f->cis_aws_3_0), ';');
    append_row(text,
               {f->check_id, f->title, to_string(f->status), to_string(f->severity), to_string(f->area),
                f->account_id, region_label(f->region), f->resource_type, f->resource_id, f->resource_name,
                f->detail, evidence, f->remediation_text, f->remediation_cli, compliance,
                f->status == FindingStatus::kMuted ? std::string_view(f->mute_reason) : std::string_view()});
  }
  out << text;
}

}  // namespace

void write_csv(const ScanReport& report, std::ostream& out) { write_rows(sorted_findings(report.findings), out); }

void write_csv(const MultiAccountReport& report, std::ostream& out) {
  std::vector<const Finding*> all;
  for (const AccountScan& a : report.accounts) {
    for (const Finding& f : a.report.findings) all.push_back(&f);
  }
  sort_findings(all);
  write_rows(all, out);
}

}  // namespace fortress
