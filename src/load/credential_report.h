// The IAM credential report: get-credential-report's Content is the base64 of a CSV file, one row
// per IAM user plus "<root_account>". A parser entry point of its own (fuzz/credential_report_fuzz.cpp).
//
// Columns are found by their header names, so a report with more or fewer columns still reads
// (a column the header lacks reads as ReportCell::kAbsent). Fields follow RFC 4180 (quoted fields,
// "" inside quotes). A row that does not parse (wrong field count, a value of the wrong form) is
// left out and reported with its CSV line; the other rows still load.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/iam.h"

namespace fortress {

struct CredentialReportProblem {
  uint64_t line = 0;  // 1-based line of the decoded CSV (1 = the header)
  std::string user;   // the row's user column when it could be read, else ""
  std::string message;
};

struct ParsedCredentialReport {
  std::vector<CredentialReportRow> rows;
  std::vector<CredentialReportProblem> problems;
  size_t rows_seen = 0;  // data rows (not the header), good or bad
  bool header_ok = false;  // false: no "user" and "arn" columns; no row was read
};

[[nodiscard]] ParsedCredentialReport parse_credential_report_csv(std::string_view csv);

// Standard base64 (RFC 4648, '=' padding optional, whitespace ignored); nullopt for anything else.
[[nodiscard]] std::optional<std::string> decode_base64(std::string_view text);

}  // namespace fortress
