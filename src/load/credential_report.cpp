#include "load/credential_report.h"

#include <fmt/format.h>

#include <array>
#include <unordered_map>

#include "model/time.h"

namespace fortress {

namespace {

// One CSV record: its fields and the line it starts on. Returns false at the end of the input.
// `error` is set for an unterminated quoted field (the rest of the input is that record).
bool next_record(std::string_view csv, size_t& pos, uint64_t& line, std::vector<std::string>& fields,
                 uint64_t& record_line, bool& error) {
  fields.clear();
  error = false;
  if (pos >= csv.size()) return false;
  record_line = line;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  while (pos < csv.size()) {
    char c = csv[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < csv.size() && csv[pos] == '"') {
          field += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < csv.size() && csv[pos] == '\n') ++pos;
      ++line;
      fields.push_back(std::move(field));
      return true;
    } else {
      field += c;
    }
  }
  if (quoted) error = true;
  fields.push_back(std::move(field));
  return true;
}

std::optional<ReportCell> special(std::string_view v) {
  if (v == "N/A") return ReportCell::kNotApplicable;
  if (v == "no_information") return ReportCell::kNoInformation;
  if (v == "not_supported") return ReportCell::kNotSupported;
  return std::nullopt;
}

enum class Column : uint8_t {
  kUser, kArn, kUserCreationTime, kPasswordEnabled, kPasswordLastUsed, kPasswordLastChanged,
  kPasswordNextRotation, kMfaActive,
  kKey1Active, kKey1LastRotated, kKey1LastUsedDate, kKey1LastUsedRegion, kKey1LastUsedService,
  kKey2Active, kKey2LastRotated, kKey2LastUsedDate, kKey2LastUsedRegion, kKey2LastUsedService,
  kCert1Active, kCert1LastRotated, kCert2Active, kCert2LastRotated,
  kCount,
};

constexpr std::array<std::string_view, size_t(Column::kCount)> kColumnNames = {
    "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
    "password_next_rotation", "mfa_active",
    "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
    "access_key_1_last_used_region", "access_key_1_last_used_service",
    "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
    "access_key_2_last_used_region", "access_key_2_last_used_service",
    "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
};

class RowReader {
 public:
  RowReader(const std::vector<std::string>& fields, const std::array<int, size_t(Column::kCount)>& index)
      : fields_(fields), index_(index) {}

  const std::string* cell(Column c) const {
    int i = index_[size_t(c)];
    return i < 0 ? nullptr : &fields_[size_t(i)];
  }

  void time(Column c, ReportTime& out) {
    const std::string* v = cell(c);
    if (v == nullptr) return;  // kAbsent
    if (auto s = special(*v)) {
      out.cell = *s;
      return;
    }
    std::optional<UtcTime> t = parse_utc_time(*v);
    if (!t) return fail(c, *v, "a timestamp");
    out.cell = ReportCell::kValue;
    out.time = *t;
  }

  void flag(Column c, ReportFlag& out) {
    const std::string* v = cell(c);
    if (v == nullptr) return;
    if (auto s = special(*v)) {
      out.cell = *s;
      return;
    }
    if (*v != "true" && *v != "false") return fail(c, *v, "true or false");
    out.cell = ReportCell::kValue;
    out.value = *v == "true";
  }

  void text(Column c, ReportText& out) {
    const std::string* v = cell(c);
    if (v == nullptr) return;
    if (auto s = special(*v)) {
      out.cell = *s;
      return;
    }
    out.cell = ReportCell::kValue;
    out.value = Symbol(*v);
  }

  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  void fail(Column c, std::string_view value, std::string_view expected) {
    if (!problem_.empty()) return;
    problem_ = fmt::format("{}: \"{}\" is not {}", kColumnNames[size_t(c)], value.substr(0, 64), expected);
  }

  const std::vector<std::string>& fields_;
  const std::array<int, size_t(Column::kCount)>& index_;
  std::string problem_;
};

}  // namespace

ParsedCredentialReport parse_credential_report_csv(std::string_view csv) {
  ParsedCredentialReport out;
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  size_t pos = 0;
  uint64_t line = 1;
  uint64_t record_line = 1;
  bool error = false;
  std::vector<std::string> fields;
  if (!next_record(csv, pos, line, fields, record_line, error) || error) {
    out.problems.push_back({1, "", "no header line"});
    return out;
  }
  std::array<int, size_t(Column::kCount)> index;
  index.fill(-1);
  for (size_t i = 0; i < fields.size(); ++i) {
    for (size_t c = 0; c < kColumnNames.size(); ++c) {
      if (fields[i] == kColumnNames[c] && index[c] < 0) index[c] = int(i);
    }
  }
  const size_t width = fields.size();
  if (index[size_t(Column::kUser)] < 0 || index[size_t(Column::kArn)] < 0) {
    out.problems.push_back({1, "", "the header has no \"user\" and \"arn\" columns"});
    return out;
  }
  out.header_ok = true;
  while (next_record(csv, pos, line, fields, record_line, error)) {
    if (fields.size() == 1 && fields[0].empty() && !error) continue;  // a blank line (the last newline)
    ++out.rows_seen;
    std::string user = fields.empty() ? std::string() : fields[std::min(fields.size() - 1, size_t(index[0]))];
    if (error) {
      out.problems.push_back({record_line, "", "unterminated quoted field"});
      break;
    }
    if (fields.size() != width) {
      out.problems.push_back(
          {record_line, fields.size() > size_t(index[0]) ? user : "",
           fmt::format("{} fields where the header has {} (a truncated or garbled line)", fields.size(), width)});
      continue;
    }
    CredentialReportRow row;
    row.line = record_line;
    RowReader r(fields, index);
    row.user = Symbol(*r.cell(Column::kUser));
    row.arn = Symbol(*r.cell(Column::kArn));
    r.time(Column::kUserCreationTime, row.user_creation_time);
    r.flag(Column::kPasswordEnabled, row.password_enabled);
    r.time(Column::kPasswordLastUsed, row.password_last_used);
    r.time(Column::kPasswordLastChanged, row.password_last_changed);
    r.time(Column::kPasswordNextRotation, row.password_next_rotation);
    r.flag(Column::kMfaActive, row.mfa_active);
    for (int k = 0; k < 2; ++k) {
      auto col = [&](Column first) { return Column(size_t(first) + size_t(k) * 5); };
      AccessKeyReport& key = row.access_keys[k];
      r.flag(col(Column::kKey1Active), key.active);
      r.time(col(Column::kKey1LastRotated), key.last_rotated);
      r.time(col(Column::kKey1LastUsedDate), key.last_used_date);
      r.text(col(Column::kKey1LastUsedRegion), key.last_used_region);
      r.text(col(Column::kKey1LastUsedService), key.last_used_service);
    }
    for (int k = 0; k < 2; ++k) {
      auto col = [&](Column first) { return Column(size_t(first) + size_t(k) * 2); };
      r.flag(col(Column::kCert1Active), row.certificates[k].active);
      r.time(col(Column::kCert1LastRotated), row.certificates[k].last_rotated);
    }
    if (row.user.empty()) {
      out.problems.push_back({record_line, "", "empty user column"});
      continue;
    }
    if (!r.problem().empty()) {
      out.problems.push_back({record_line, row.user.str(), r.problem()});
      continue;
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::optional<std::string> decode_base64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  size_t symbols = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    int v = value(c);
    if (v < 0) return std::nullopt;
    ++symbols;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xFF);
    }
  }
  if (symbols % 4 == 1 || padding > 2) return std::nullopt;
  if (padding > 0 && (symbols + padding) % 4 != 0) return std::nullopt;
  return out;
}

}  // namespace fortress
