// What every report format derives from a ScanReport in the same way: the order findings are listed
// in, the counts in the summary, the coverage table and the scan's exit status. Kept in one place so
// the terminal, JSON and CSV reports (and the CLI's exit status) can never disagree.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/check.h"
#include "checks/not_collected.h"
#include "model/dataset.h"
#include "report/report.h"
#include "util/expected.h"

namespace fortress {

// The nine areas in report order (the order of the security review).
inline constexpr std::array<Area, 9> kAreasInOrder = {
    Area::kIngress,        Area::kEgress,     Area::kSgToServices, Area::kLifecycle, Area::kEnvironment,
    Area::kSharedServices, Area::kWebServers, Area::kPermissions,  Area::kAccess,
};
// Severities from most to least severe.
inline constexpr std::array<Severity, 5> kSeveritiesDescending = {
    Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kInfo,
};
// Statuses in report order: FAIL, MUTED, NOT_ASSESSED, PASS.
inline constexpr std::array<FindingStatus, 4> kStatusesInOrder = {
    FindingStatus::kFail,
    FindingStatus::kMuted,
    FindingStatus::kNotAssessed,
    FindingStatus::kPass,
};

// The region label reports use: the finding's or coverage row's region, or "global" for account-wide.
inline constexpr std::string_view kGlobalRegion = "global";
[[nodiscard]] inline std::string_view region_label(std::string_view region) {
  return region.empty() ? kGlobalRegion : region;
}

// The one deterministic order of findings in every report: status (FAIL, MUTED, NOT_ASSESSED, PASS),
// severity (critical first), area (review order), check id, account, region, resource id, then
// detail.
[[nodiscard]] bool finding_before(const Finding& a, const Finding& b);
// Pointers into `findings` (which must outlive the result), in finding_before order.
[[nodiscard]] std::vector<const Finding*> sorted_findings(const std::vector<Finding>& findings);
// Puts `findings` in finding_before order (stable): the same order, by a sort that compares the
// texts of check, account and region by their ranks (a report has few of each) and reads resource
// IDs and details only between findings alike in everything before.
void sort_findings(std::vector<const Finding*>& findings);

struct ScanCounts {
  std::array<size_t, 4> by_status{};         // indexed by FindingStatus
  std::array<size_t, 5> fail_by_severity{};  // indexed by Severity
  std::array<size_t, 9> fail_by_area{};      // indexed by Area
  size_t load_errors = 0;                    // diagnostics of level kError
  size_t load_warnings = 0;                  // diagnostics of level kWarning

  [[nodiscard]] size_t status(FindingStatus s) const { return by_status[size_t(s)]; }
  [[nodiscard]] size_t fails(Severity s) const { return fail_by_severity[size_t(s)]; }
  [[nodiscard]] size_t fails(Area a) const { return fail_by_area[size_t(a)]; }
  [[nodiscard]] size_t total() const { return by_status[0] + by_status[1] + by_status[2] + by_status[3]; }
};
[[nodiscard]] ScanCounts count_findings(const ScanReport& report);

// The names of the account's regions (those the snapshot holds a folder for), sorted.
[[nodiscard]] std::vector<std::string_view> scanned_regions(const Account* account);

// Diagnostics in a stable order (file, line, level, message) whatever order the loader's threads
// produced them in; pointers into `diagnostics`.
[[nodiscard]] std::vector<const LoadDiagnostic*> sorted_diagnostics(
    const std::vector<LoadDiagnostic>& diagnostics);
[[nodiscard]] std::string_view to_string(LoadDiagnostic::Level level);  // "info", "warning", "error"
// "file:line", "file" (line unknown) or "" (no file), `file` prefixed with `root` when given.
[[nodiscard]] std::string diagnostic_location(const LoadDiagnostic& d, std::string_view root = {});

// One row of the coverage table: a dataset in a region ("global" rows for account-wide datasets).
struct CoverageRow {
  std::string_view region;  // region name, or "global"; points into the Account
  Dataset dataset;
  const Coverage* coverage;  // points into the Account
};
// Account-wide datasets first (region "global"), then every region of the account in name order,
// each with every regional dataset in Dataset order. Empty when `account` is null.
[[nodiscard]] std::vector<CoverageRow> coverage_rows(const Account* account);
// True for a row whose dataset is missing because this kind of run never collects it: a dataset that
// only multi-account runs collect (collected_only_in_multi_account_runs: organizations list-accounts),
// missing from a snapshot that is not part of a multi-account folder (`multi_account` false). The
// terminal summary leaves such rows out of the "n/m datasets" count and the "missing" lines; an error
// or an ok row is never left out, and in a multi-account folder the row counts as any other.
[[nodiscard]] bool missing_by_design(const CoverageRow& row, bool multi_account);
// True when any dataset, account-wide or regional, has coverage kError.
[[nodiscard]] bool has_coverage_errors(const Account* account);

// Regions that describe-regions says are enabled for the account (opted in, or opt-in not required)
// but for which the snapshot holds no folder: nothing in them was scanned. Empty when describe-regions
// was not collected (then fortress cannot tell).
[[nodiscard]] std::vector<std::string> enabled_regions_not_scanned(const Account* account);

// Exit statuses of `fortress scan` (docs/output.md).
enum class ScanExit : int {
  kClean = 0,       // nothing FAIL at or above --fail-on (or no --fail-on) and the scan was complete
  kFailures = 1,    // a FAIL at or above --fail-on (MUTED never counts)
  kUsage = 2,       // bad flags, unreadable snapshot directory, bad config
  kIncomplete = 3,  // load errors or collection errors, and no FAIL at or above --fail-on
  kInternal = 4,    // a bug in fortress (an unexpected exception)
};

// The scan did not see everything it was asked to: report.incomplete (set from the loader), any
// diagnostic of level kError, or any dataset with coverage kError. Every report states it.
[[nodiscard]] bool scan_incomplete(const ScanReport& report);

// Over several accounts: any account's scan incomplete, or an error about the folder itself.
[[nodiscard]] bool scan_incomplete(const MultiAccountReport& report);
// Totals over every account (the folder's own diagnostics included).
[[nodiscard]] ScanCounts count_findings(const MultiAccountReport& report);

// True when some finding is FAIL (not MUTED) with severity at or above `threshold`.
[[nodiscard]] bool has_fail_at_or_above(const std::vector<Finding>& findings, Severity threshold);
// The exit status of a scan that produced `report`; `fail_on` is --fail-on (nullopt when not given).
[[nodiscard]] ScanExit scan_exit_status(const ScanReport& report, std::optional<Severity> fail_on);
// Over every account: 1 when any account has a FAIL at or above --fail-on, else 3 when any is
// incomplete, else 0.
[[nodiscard]] ScanExit scan_exit_status(const MultiAccountReport& report, std::optional<Severity> fail_on);

// "2026-12-03T18:21:28Z": RFC 3339, UTC, whole seconds.
[[nodiscard]] std::string rfc3339_utc(std::chrono::system_clock::time_point t);
// True for RFC 3339 date-times such as "2026-01-01T00:00:00Z" or "2026-01-01T00:00:00.5+02:00".
[[nodiscard]] bool is_rfc3339(std::string_view text);
// The report's generated_at: `fixed_time` (the FORTRESS_FIXED_TIME environment variable, for golden
// tests) when set and non-empty, else `now`. Errors when `fixed_time` is not an RFC 3339 date-time in
// UTC ("Z").
[[nodiscard]] Expected<std::string> report_time(const char* fixed_time,
                                                std::chrono::system_clock::time_point now);

}  // namespace fortress
