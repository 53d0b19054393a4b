#include "report/scan_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <set>
#include <tuple>
#include <unordered_map>

namespace fortress {

namespace {

int status_rank(FindingStatus s) {
  for (size_t i = 0; i < kStatusesInOrder.size(); ++i) {
    if (kStatusesInOrder[i] == s) return int(i);
  }
  return int(kStatusesInOrder.size());
}

int area_rank(Area a) {
  for (size_t i = 0; i < kAreasInOrder.size(); ++i) {
    if (kAreasInOrder[i] == a) return int(i);
  }
  return int(kAreasInOrder.size());
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

bool finding_before(const Finding& a, const Finding& b) {
  // Severity descending: compare b's severity against a's.
  const int sa = status_rank(a.status), sb = status_rank(b.status);
  if (sa != sb) return sa < sb;
  if (a.severity != b.severity) return b.severity < a.severity;
  const int aa = area_rank(a.area), ab = area_rank(b.area);
  if (aa != ab) return aa < ab;
  // Then the texts in order. Equal texts are one interned pointer: most pairs of a large report share
  // their check, account and region, which are told equal without reading them.
  for (auto field : {&Finding::check_id, &Finding::account_id, &Finding::region, &Finding::resource_id, &Finding::detail}) {
    const Symbol& x = a.*field;
    const Symbol& y = b.*field;
    if (x == y) continue;
    return x.view() < y.view();
  }
  return false;
}

void sort_findings(std::vector<const Finding*>& findings) {
  // Each distinct text of the three fields gets its rank in text order (Symbols: equal texts are
  // one pointer, so a map by pointer finds them).
  auto ranks_of = [&](Symbol Finding::*field) {
    std::unordered_map<const void*, uint32_t> rank;
    std::vector<Symbol> texts;
    for (const Finding* f : findings) {
      const Symbol& s = f->*field;
      if (rank.emplace(s.view().data(), 0).second) texts.push_back(s);
    }
    std::sort(texts.begin(), texts.end(), [](const Symbol& x, const Symbol& y) { return x.view() < y.view(); });
    for (size_t i = 0; i < texts.size(); ++i) rank[texts[i].view().data()] = uint32_t(i);
    return rank;
  };
  const auto check = ranks_of(&Finding::check_id), account = ranks_of(&Finding::account_id),
             region = ranks_of(&Finding::region);
  struct Keyed {
    uint32_t head;  // status, severity (descending), area
    uint32_t check, account, region;
    const Finding* f;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(findings.size());
  for (const Finding* f : findings) {
    const uint32_t head = uint32_t(status_rank(f->status)) << 16 | uint32_t(255 - int(f->severity)) << 8 |
                          uint32_t(area_rank(f->area));
    keyed.push_back({head, check.at(f->check_id.view().data()), account.at(f->account_id.view().data()),
                     region.at(f->region.view().data()), f});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.head != b.head) return a.head < b.head;
    if (a.check != b.check) return a.check < b.check;
    if (a.account != b.account) return a.account < b.account;
    if (a.region != b.region) return a.region < b.region;
    if (a.f->resource_id != b.f->resource_id) return a.f->resource_id.view() < b.f->resource_id.view();
    if (a.f->detail != b.f->detail) return a.f->detail.view() < b.f->detail.view();
    return false;
  });
  for (size_t i = 0; i < keyed.size(); ++i) findings[i] = keyed[i].f;
}

std::vector<const Finding*> sorted_findings(const std::vector<Finding>& findings) {
  std::vector<const Finding*> out;
  out.reserve(findings.size());
  for (const Finding& f : findings) out.push_back(&f);
  sort_findings(out);
  return out;
}

ScanCounts count_findings(const ScanReport& report) {
  ScanCounts c;
  for (const Finding& f : report.findings) {
    ++c.by_status[size_t(f.status)];
    if (f.status == FindingStatus::kFail) {
      ++c.fail_by_severity[size_t(f.severity)];
      ++c.fail_by_area[size_t(f.area)];
    }
  }
  for (const LoadDiagnostic& d : report.diagnostics) {
    if (d.level == LoadDiagnostic::Level::kError) ++c.load_errors;
    if (d.level == LoadDiagnostic::Level::kWarning) ++c.load_warnings;
  }
  return c;
}

std::vector<std::string_view> scanned_regions(const Account* account) {
  std::vector<std::string_view> names;
  if (account == nullptr) return names;
  for (const Region& r : account->regions) names.emplace_back(r.name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<const LoadDiagnostic*> sorted_diagnostics(const std::vector<LoadDiagnostic>& diagnostics) {
  std::vector<const LoadDiagnostic*> out;
  for (const LoadDiagnostic& d : diagnostics) out.push_back(&d);
  std::stable_sort(out.begin(), out.end(), [](const LoadDiagnostic* a, const LoadDiagnostic* b) {
    return std::tie(a->file, a->line, a->level, a->message) <
           std::tie(b->file, b->line, b->level, b->message);
  });
  return out;
}

std::string_view to_string(LoadDiagnostic::Level level) {
  switch (level) {
    case LoadDiagnostic::Level::kInfo:
      return "info";
    case LoadDiagnostic::Level::kWarning:
      return "warning";
    case LoadDiagnostic::Level::kError:
      return "error";
  }
  return "error";
}

std::string diagnostic_location(const LoadDiagnostic& d, std::string_view root) {
  if (d.file.empty()) return {};
  std::string where;
  if (!root.empty()) {
    where.assign(root);
    if (where.back() != '/') where.push_back('/');
  }
  where += d.file;
  if (d.line > 0) where += fmt::format(":{}", d.line);
  return where;
}

std::vector<CoverageRow> coverage_rows(const Account* account) {
  std::vector<CoverageRow> rows;
  if (account == nullptr) return rows;
  for (size_t i = 0; i < kDatasetCount; ++i) {
    if (dataset_info(Dataset(i)).account_wide)
      rows.push_back({kGlobalRegion, Dataset(i), &account->global_coverage[i]});
  }
  for (std::string_view name : scanned_regions(account)) {
    const Region* r = account->region(name);
    for (size_t i = 0; i < kDatasetCount; ++i) {
      if (!dataset_info(Dataset(i)).account_wide) rows.push_back({r->name, Dataset(i), &r->coverage[i]});
    }
  }
  return rows;
}

bool missing_by_design(const CoverageRow& row, bool multi_account) {
  return !multi_account && row.coverage->status == CoverageStatus::kMissing &&
         collected_only_in_multi_account_runs(row.dataset);
}

bool has_coverage_errors(const Account* account) {
  for (const CoverageRow& row : coverage_rows(account)) {
    if (row.coverage->status == CoverageStatus::kError) return true;
  }
  return false;
}

std::vector<std::string> enabled_regions_not_scanned(const Account* account) {
  std::vector<std::string> out;
  if (account == nullptr || !account->enabled_regions) return out;
  std::set<std::string> names;
  for (const EnabledRegion& r : *account->enabled_regions) {
    if (r.opt_in_status == "not-opted-in") continue;
    if (account->region(r.name) == nullptr) names.insert(r.name.str());
  }
  out.assign(names.begin(), names.end());
  return out;
}

bool scan_incomplete(const ScanReport& report) {
  if (report.incomplete) return true;
  for (const LoadDiagnostic& d : report.diagnostics) {
    if (d.level == LoadDiagnostic::Level::kError) return true;
  }
  return has_coverage_errors(report.account);
}

bool scan_incomplete(const MultiAccountReport& report) {
  for (const LoadDiagnostic& d : report.diagnostics) {
    if (d.level == LoadDiagnostic::Level::kError) return true;
  }
  return std::any_of(report.accounts.begin(), report.accounts.end(),
                     [](const AccountScan& a) { return scan_incomplete(a.report); });
}

ScanCounts count_findings(const MultiAccountReport& report) {
  ScanCounts total;
  for (const AccountScan& a : report.accounts) {
    const ScanCounts c = count_findings(a.report);
    for (size_t i = 0; i < total.by_status.size(); ++i) total.by_status[i] += c.by_status[i];
    for (size_t i = 0; i < total.fail_by_severity.size(); ++i) total.fail_by_severity[i] += c.fail_by_severity[i];
    for (size_t i = 0; i < total.fail_by_area.size(); ++i) total.fail_by_area[i] += c.fail_by_area[i];
    total.load_errors += c.load_errors;
    total.load_warnings += c.load_warnings;
  }
  for (const LoadDiagnostic& d : report.diagnostics) {
    if (d.level == LoadDiagnostic::Level::kError) ++total.load_errors;
    if (d.level == LoadDiagnostic::Level::kWarning) ++total.load_warnings;
  }
  return total;
}

ScanExit scan_exit_status(const MultiAccountReport& report, std::optional<Severity> fail_on) {
  if (fail_on && std::any_of(report.accounts.begin(), report.accounts.end(), [&](const AccountScan& a) {
        return has_fail_at_or_above(a.report.findings, *fail_on);
      })) {
    return ScanExit::kFailures;
  }
  return scan_incomplete(report) ? ScanExit::kIncomplete : ScanExit::kClean;
}

bool has_fail_at_or_above(const std::vector<Finding>& findings, Severity threshold) {
  return std::any_of(findings.begin(), findings.end(), [threshold](const Finding& f) {
    return f.status == FindingStatus::kFail && f.severity >= threshold;
  });
}

ScanExit scan_exit_status(const ScanReport& report, std::optional<Severity> fail_on) {
  if (fail_on && has_fail_at_or_above(report.findings, *fail_on)) return ScanExit::kFailures;
  if (scan_incomplete(report)) return ScanExit::kIncomplete;
  return ScanExit::kClean;
}

std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

bool is_rfc3339(std::string_view s) {
  // full-date "T" full-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  if (s.size() < 20) return false;
  if (!is_digits(s.substr(0, 4)) || s[4] != '-' || !is_digits(s.substr(5, 2)) || s[7] != '-' ||
      !is_digits(s.substr(8, 2)) || (s[10] != 'T' && s[10] != 't') || !is_digits(s.substr(11, 2)) ||
      s[13] != ':' || !is_digits(s.substr(14, 2)) || s[16] != ':' || !is_digits(s.substr(17, 2))) {
    return false;
  }
  int month = number(s.substr(5, 2)), day = number(s.substr(8, 2));
  int hour = number(s.substr(11, 2)), minute = number(s.substr(14, 2)), second = number(s.substr(17, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 1) return false;
    rest.remove_prefix(n);
  }
  if (rest == "Z" || rest == "z") return true;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || !is_digits(rest.substr(1, 2)) ||
      rest[3] != ':' || !is_digits(rest.substr(4, 2))) {
    return false;
  }
  return number(rest.substr(1, 2)) <= 23 && number(rest.substr(4, 2)) <= 59;
}

Expected<std::string> report_time(const char* fixed_time, std::chrono::system_clock::time_point now) {
  if (fixed_time == nullptr || *fixed_time == '\0') return rfc3339_utc(now);
  std::string_view text(fixed_time);
  if (!is_rfc3339(text) || (text.back() != 'Z' && text.back() != 'z')) {
    Error e;
    e.code = ErrorCode::kInvalidArgument;
    e.message = fmt::format(
        "FORTRESS_FIXED_TIME is not an RFC 3339 UTC date-time (like 2026-01-01T00:00:00Z): \"{}\"", text);
    return e;
  }
  return std::string(text);
}

}  // namespace fortress
