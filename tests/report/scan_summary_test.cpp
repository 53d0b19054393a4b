// Order, counts, exit status and time: what every report and the CLI derive the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "report/report_fixture.h"
#include "report/scan_summary.h"
#include "report/terminal_text.h"

namespace fortress {
namespace {

using testing::make_finding;

ScanReport report_with(std::vector<Finding> findings, const Account* account) {
  ScanReport r;
  r.account = account;
  r.findings = std::move(findings);
  return r;
}

Account complete_account() {
  Account a;
  a.account_id = "111122223333";
  a.region_mut("us-east-1");
  a.finalize();
  return a;
}

TEST(ScanExitStatus, CleanWithoutFailOn) {
  Account a = complete_account();
  ScanReport r = report_with({make_finding("c", FindingStatus::kFail, Severity::kCritical, Area::kIngress,
                                           "us-east-1", "sg-1", "", "")},
                             &a);
  EXPECT_EQ(scan_exit_status(r, std::nullopt), ScanExit::kClean);
}

TEST(ScanExitStatus, FailAtOrAboveThreshold) {
  Account a = complete_account();
  ScanReport r = report_with({make_finding("c", FindingStatus::kFail, Severity::kCritical, Area::kIngress,
                                           "us-east-1", "sg-1", "", "")},
                             &a);
  EXPECT_EQ(scan_exit_status(r, Severity::kHigh), ScanExit::kFailures);
  EXPECT_EQ(scan_exit_status(r, Severity::kCritical), ScanExit::kFailures);
  EXPECT_EQ(scan_exit_status(r, Severity::kInfo), ScanExit::kFailures);
}

TEST(ScanExitStatus, FailBelowThreshold) {
  Account a = complete_account();
  ScanReport r = report_with({make_finding("c", FindingStatus::kFail, Severity::kMedium, Area::kIngress,
                                           "us-east-1", "sg-1", "", "")},
                             &a);
  EXPECT_EQ(scan_exit_status(r, Severity::kHigh), ScanExit::kClean);
}

TEST(ScanExitStatus, MutedNeverFails) {
  Account a = complete_account();
  ScanReport r = report_with({make_finding("c", FindingStatus::kMuted, Severity::kCritical, Area::kIngress,
                                           "us-east-1", "sg-1", "", "")},
                             &a);
  EXPECT_EQ(scan_exit_status(r, Severity::kInfo), ScanExit::kClean);
}

TEST(ScanExitStatus, NotAssessedAndPassNeverFail) {
  Account a = complete_account();
  ScanReport r = report_with({make_finding("c", FindingStatus::kNotAssessed, Severity::kCritical,
                                           Area::kIngress, "us-east-1", "", "", ""),
                              make_finding("d", FindingStatus::kPass, Severity::kCritical, Area::kIngress,
                                           "us-east-1", "sg-1", "", "")},
                             &a);
  EXPECT_EQ(scan_exit_status(r, Severity::kInfo), ScanExit::kClean);
}

TEST(ScanExitStatus, IncompleteFromLoaderFlag) {
  Account a = complete_account();
  ScanReport r = report_with({}, &a);
  r.incomplete = true;
  EXPECT_EQ(scan_exit_status(r, std::nullopt), ScanExit::kIncomplete);
  EXPECT_EQ(scan_exit_status(r, Severity::kLow), ScanExit::kIncomplete);
}

TEST(ScanExitStatus, IncompleteFromLoadError) {
  Account a = complete_account();
  ScanReport r = report_with({}, &a);
  r.diagnostics.push_back({LoadDiagnostic::Level::kError, "x.json", 1, "bad"});
  EXPECT_EQ(scan_exit_status(r, std::nullopt), ScanExit::kIncomplete);
  r.diagnostics.back().level = LoadDiagnostic::Level::kWarning;
  EXPECT_EQ(scan_exit_status(r, std::nullopt), ScanExit::kClean) << "warnings are not errors";
}

TEST(ScanExitStatus, IncompleteFromCoverageError) {
  Account a = testing::make_account();  // eu-west-1 describe-instances: error
  ScanReport r = report_with({}, &a);
  EXPECT_TRUE(has_coverage_errors(&a));
  EXPECT_EQ(scan_exit_status(r, std::nullopt), ScanExit::kIncomplete);
}

TEST(ScanExitStatus, MissingIsNotIncomplete) {
  Account a = complete_account();  // every dataset missing: not collected, not failed
  EXPECT_FALSE(has_coverage_errors(&a));
  EXPECT_EQ(scan_exit_status(report_with({}, &a), std::nullopt), ScanExit::kClean);
}

TEST(ScanExitStatus, FailureWinsOverIncomplete) {
  Account a = testing::make_account();
  ScanReport r = report_with(
      {make_finding("c", FindingStatus::kFail, Severity::kHigh, Area::kIngress, "us-east-1", "sg-1", "", "")},
      &a);
  EXPECT_EQ(scan_exit_status(r, Severity::kHigh), ScanExit::kFailures);
  EXPECT_EQ(scan_exit_status(r, Severity::kCritical), ScanExit::kIncomplete);
}

// sort_findings (by ranks of the check, account and region texts) puts any findings in the order
// finding_before gives, equal ones kept in their order: random findings over few values of every
// field, texts that are prefixes of others and the empty region among them.
TEST(FindingOrder, SortByRanksEqualsTheComparator) {
  std::mt19937_64 rng(3);
  const char* checks[] = {"b", "a", "ab", "sg-x", "a-b"};
  const char* accounts[] = {"111122223333", "11112222333", "444455556666"};
  const char* regions[] = {"", "us-east-1", "eu-west-1", "us-east-10"};
  const char* resources[] = {"sg-1", "sg-10", "sg-2", "", "eni-1"};
  const char* details[] = {"", "x", "y", "xy"};
  const FindingStatus statuses[] = {FindingStatus::kFail, FindingStatus::kPass, FindingStatus::kNotAssessed,
                                    FindingStatus::kMuted};
  std::vector<Finding> f;
  for (int i = 0; i < 3000; ++i) {
    Finding x = make_finding(checks[rng() % 5], statuses[rng() % 4], Severity(rng() % 5), Area(rng() % 9),
                             regions[rng() % 4], resources[rng() % 5], "", details[rng() % 4]);
    x.account_id = accounts[rng() % 3];
    x.resource_name = std::to_string(i);  // tells equal findings apart: their order must be kept
    f.push_back(std::move(x));
  }
  std::vector<const Finding*> expected;
  for (const Finding& x : f) expected.push_back(&x);
  std::stable_sort(expected.begin(), expected.end(), [](const Finding* a, const Finding* b) { return finding_before(*a, *b); });
  std::vector<const Finding*> got;
  for (const Finding& x : f) got.push_back(&x);
  sort_findings(got);
  EXPECT_TRUE(got == expected);
}

TEST(FindingOrder, StatusSeverityAreaCheckRegionResource) {
  std::vector<Finding> f = {
      make_finding("b", FindingStatus::kPass, Severity::kCritical, Area::kIngress, "r", "x", "", ""),
      make_finding("b", FindingStatus::kFail, Severity::kLow, Area::kIngress, "r", "x", "", ""),
      make_finding("b", FindingStatus::kFail, Severity::kHigh, Area::kAccess, "r", "x", "", ""),
      make_finding("b", FindingStatus::kFail, Severity::kHigh, Area::kEgress, "r", "y", "", ""),
      make_finding("a", FindingStatus::kFail, Severity::kHigh, Area::kEgress, "s", "x", "", ""),
      make_finding("a", FindingStatus::kFail, Severity::kHigh, Area::kEgress, "r", "z", "", ""),
      make_finding("a", FindingStatus::kFail, Severity::kHigh, Area::kEgress, "r", "y", "", ""),
      make_finding("a", FindingStatus::kNotAssessed, Severity::kHigh, Area::kEgress, "r", "y", "", ""),
      make_finding("a", FindingStatus::kMuted, Severity::kInfo, Area::kEgress, "r", "y", "", ""),
  };
  std::vector<std::string> got;
  for (const Finding* p : sorted_findings(f)) {
    got.push_back(std::string(to_string(p->status)) + " " + std::string(to_string(p->severity)) + " " +
                  std::string(to_string(p->area)) + " " + std::string(p->check_id) + " " + p->region.str() + " " +
                  p->resource_id.str());
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "FAIL high egress a r y",
                     "FAIL high egress a r z",
                     "FAIL high egress a s x",
                     "FAIL high egress b r y",
                     "FAIL high access b r x",
                     "FAIL low ingress b r x",
                     "MUTED info egress a r y",
                     "NOT_ASSESSED high egress a r y",
                     "PASS critical ingress b r x",
                 }));
}

TEST(Counts, ByStatusSeverityAreaAndDiagnostics) {
  Account a = testing::make_account();
  ScanReport r = testing::make_report(a);
  ScanCounts c = count_findings(r);
  EXPECT_EQ(c.total(), 9u);
  EXPECT_EQ(c.status(FindingStatus::kFail), 5u);
  EXPECT_EQ(c.fails(Severity::kCritical), 2u);
  EXPECT_EQ(c.fails(Area::kIngress), 2u);
  EXPECT_EQ(c.fails(Area::kPermissions), 0u);
  EXPECT_EQ(c.load_errors, 1u);
  EXPECT_EQ(c.load_warnings, 1u);
}

TEST(Coverage, GlobalRowsThenRegionsInNameOrder) {
  Account a = testing::make_account();
  std::vector<CoverageRow> rows = coverage_rows(&a);
  size_t account_wide = 0;
  for (size_t d = 0; d < kDatasetCount; ++d) account_wide += dataset_info(Dataset(d)).account_wide ? 1 : 0;
  const size_t regional = kDatasetCount - account_wide;
  ASSERT_EQ(rows.size(), account_wide + 2 * regional);
  EXPECT_EQ(rows[0].region, "global");
  EXPECT_EQ(rows[0].dataset, Dataset::kCallerIdentity);
  EXPECT_EQ(rows[1].dataset, Dataset::kRegions);
  EXPECT_EQ(rows[2].region, "global");
  EXPECT_EQ(rows[2].dataset, Dataset::kCredentialReport);
  EXPECT_EQ(rows[account_wide].region, "eu-west-1");
  EXPECT_EQ(rows[account_wide].dataset, Dataset::kVpcs);
  EXPECT_EQ(rows[account_wide + regional].region, "us-east-1");
  EXPECT_TRUE(coverage_rows(nullptr).empty());
}

TEST(Coverage, MissingByDesignOnlyForMultiAccountDatasetsOutsideAMultiAccountRun) {
  Coverage missing{CoverageStatus::kMissing, ""};
  Coverage error{CoverageStatus::kError, "AccessDeniedException"};
  Coverage ok{CoverageStatus::kOk, "organizations/list-accounts.json"};
  // A single-account snapshot: organizations list-accounts is never collected there.
  EXPECT_TRUE(missing_by_design({"global", Dataset::kOrganizationAccounts, &missing}, false));
  EXPECT_FALSE(missing_by_design({"global", Dataset::kOrganizationAccounts, &error}, false));
  EXPECT_FALSE(missing_by_design({"global", Dataset::kOrganizationAccounts, &ok}, false));
  // One account of a multi-account folder: counted as any other dataset.
  EXPECT_FALSE(missing_by_design({"global", Dataset::kOrganizationAccounts, &missing}, true));
  // Every dataset a single-account run collects is a gap when missing.
  for (size_t i = 0; i < kDatasetCount; ++i) {
    const Dataset d = Dataset(i);
    SCOPED_TRACE(dataset_name(d));
    EXPECT_EQ(missing_by_design({"us-east-1", d, &missing}, false), collected_only_in_multi_account_runs(d));
    EXPECT_FALSE(missing_by_design({"us-east-1", d, &missing}, true));
  }
  EXPECT_FALSE(missing_by_design({"global", Dataset::kCredentialReport, &missing}, false));
  EXPECT_FALSE(missing_by_design({"us-east-1", Dataset::kLoadBalancers, &missing}, false));
}

TEST(Coverage, DiagnosticLocation) {
  LoadDiagnostic d{LoadDiagnostic::Level::kError, "us-east-1/ec2/x.json", 7, "bad"};
  EXPECT_EQ(diagnostic_location(d), "us-east-1/ec2/x.json:7");
  EXPECT_EQ(diagnostic_location(d, "snap"), "snap/us-east-1/ec2/x.json:7");
  EXPECT_EQ(diagnostic_location(d, "snap/"), "snap/us-east-1/ec2/x.json:7");
  d.line = 0;
  EXPECT_EQ(diagnostic_location(d), "us-east-1/ec2/x.json");
  d.file.clear();
  EXPECT_EQ(diagnostic_location(d, "snap"), "");
}

TEST(Time, Rfc3339Utc) {
  EXPECT_EQ(rfc3339_utc(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(std::chrono::system_clock::time_point{std::chrono::seconds(1796236888)}),
            "2026-12-02T18:41:28Z");
}

TEST(Time, IsRfc3339) {
  EXPECT_TRUE(is_rfc3339("2026-01-01T00:00:00Z"));
  EXPECT_TRUE(is_rfc3339("2026-01-01T00:00:00.123Z"));
  EXPECT_TRUE(is_rfc3339("2026-01-01t00:00:00z"));
  EXPECT_TRUE(is_rfc3339("2026-01-01T00:00:00+02:00"));
  EXPECT_FALSE(is_rfc3339("2026-01-01"));
  EXPECT_FALSE(is_rfc3339("2026-01-01 00:00:00Z"));
  EXPECT_FALSE(is_rfc3339("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(is_rfc3339("2026-01-01T24:00:00Z"));
  EXPECT_FALSE(is_rfc3339("2026-01-01T00:00:00"));
  EXPECT_FALSE(is_rfc3339("2026-01-01T00:00:00.Z"));
  EXPECT_FALSE(is_rfc3339("2026-01-01T00:00:00Z "));
}

TEST(Time, FixedTimeOverridesClock) {
  auto now = std::chrono::system_clock::time_point{};
  EXPECT_EQ(report_time(nullptr, now).value(), "1970-01-01T00:00:00Z");
  EXPECT_EQ(report_time("", now).value(), "1970-01-01T00:00:00Z");
  EXPECT_EQ(report_time("2026-01-01T00:00:00Z", now).value(), "2026-01-01T00:00:00Z");
  Expected<std::string> bad = report_time("yesterday", now);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("FORTRESS_FIXED_TIME"), std::string::npos);
  EXPECT_FALSE(report_time("2026-01-01T00:00:00+02:00", now).has_value()) << "generated_at is UTC";
}

TEST(TerminalText, EscapesControlsAndInvalidUtf8) {
  EXPECT_EQ(terminal_safe("plain text"), "plain text");
  EXPECT_EQ(terminal_safe("\x1b[2Jgone"), "\\x1b[2Jgone");
  EXPECT_EQ(terminal_safe("a\tb\nc\x7f"), "a b\\x0ac\\x7f");
  EXPECT_EQ(terminal_safe("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
  EXPECT_EQ(terminal_safe("\xc2\x9b"
                          "31m"),
            "\\u009b31m")
      << "C1 CSI";
  EXPECT_EQ(terminal_safe("\x9b"
                          "31m"),
            "\\x9b31m")
      << "a lone 8-bit CSI byte";
  EXPECT_EQ(terminal_safe("\xc0\xaf"), "\\xc0\\xaf") << "overlong";
  EXPECT_EQ(terminal_safe("\xe2\x9c"), "\\xe2\\x9c") << "truncated";
}

TEST(TerminalText, WidthIgnoresOwnColourCodes) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("caf\xc3\xa9"), 4u);
  EXPECT_EQ(display_width("\x1b[1;31mred\x1b[0m"), 3u);
}

TEST(TerminalText, WrapWords) {
  EXPECT_EQ(wrap_words("", 10), (std::vector<std::string>{""}));
  EXPECT_EQ(wrap_words("one two three four", 9), (std::vector<std::string>{"one two", "three", "four"}));
  EXPECT_EQ(wrap_words("a arn:aws:iam::111122223333:role/long b", 10),
            (std::vector<std::string>{"a", "arn:aws:iam::111122223333:role/long", "b"}));
  EXPECT_EQ(wrap_words("x\ny", 10), (std::vector<std::string>{"x", "y"}));
}

}  // namespace
}  // namespace fortress
