// The terminal report: grouping and order of failures, the fix under each, the compact MUTED and
// NOT_ASSESSED sections, the summary, width, and that input cannot inject escape sequences.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "report/report.h"
#include "report/report_fixture.h"
#include "report/terminal_text.h"

namespace fortress {
namespace {

std::string render(const ScanReport& r, TerminalOptions o = {}) {
  std::ostringstream out;
  write_terminal(r, o, out);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class TerminalReportTest : public ::testing::Test {
 protected:
  size_t pos(const std::string& needle) {
    size_t p = text_.find(needle);
    EXPECT_NE(p, std::string::npos) << "missing: " << needle << "\n" << text_;
    return p;
  }
  Account account_ = testing::make_account();
  ScanReport report_ = testing::make_report(account_);
  std::string text_ = render(report_);
};

TEST_F(TerminalReportTest, NoEscapeSequencesWithoutColor) {
  EXPECT_EQ(text_.find('\x1b'), std::string::npos) << text_;
}

TEST_F(TerminalReportTest, ColorWhenAsked) {
  TerminalOptions o;
  o.color = true;
  std::string colored = render(report_, o);
  EXPECT_NE(colored.find("\x1b["), std::string::npos);
  // The escape sequence in the Name tag is still shown escaped, never emitted raw.
  EXPECT_EQ(colored.find("\x1b[31mevil"), std::string::npos);
}

TEST_F(TerminalReportTest, InputCannotInjectEscapes) {
  pos("sg-0ccc (\\x1b[31mevil\\x1b[0m)");
  pos("\"wide\"\\x0asecond line");
}

TEST_F(TerminalReportTest, AreasInReviewOrder) {
  size_t ingress = pos("INGRESS (2 failed)");
  size_t egress = pos("EGRESS (1 failed)");
  size_t lifecycle = pos("LIFECYCLE (1 failed)");
  size_t access = pos("ACCESS (1 failed)");
  EXPECT_LT(ingress, egress);
  EXPECT_LT(egress, lifecycle);
  EXPECT_LT(lifecycle, access);
  EXPECT_EQ(text_.find("WEB-SERVERS"), std::string::npos) << "areas without failures are not shown";
}

TEST_F(TerminalReportTest, CriticalFirstWithinArea) {
  size_t critical = pos("CRITICAL  us-east-1  sg-0aaa (web)  sg-admin-port-open-ipv4");
  size_t medium = pos("MEDIUM    us-east-1  sg-0ccc");
  EXPECT_LT(critical, medium);
  EXPECT_LT(critical, pos("EGRESS"));
}

TEST_F(TerminalReportTest, DetailAndFixUnderTheFinding) {
  std::vector<std::string> lines = lines_of(text_);
  size_t i = 0;
  while (i < lines.size() && lines[i].find("sg-0aaa (web)") == std::string::npos) ++i;
  ASSERT_LT(i + 2, lines.size());
  EXPECT_EQ(lines[i + 1], "            SSH (tcp/22) open to 0.0.0.0/0");
  EXPECT_EQ(lines[i + 2],
            "            fix: aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-0aaa "
            "--protocol "
            "tcp --port 22 --cidr 0.0.0.0/0");
}

TEST_F(TerminalReportTest, LongDetailIsCutAndSaysSo) {
  std::string detail;
  for (int i = 0; i < 60; ++i) detail += "tcp/" + std::to_string(1000 + i) + ", ";
  report_.findings[0].detail = detail + "the end";
  std::string text = render(report_);
  EXPECT_EQ(text.find("the end"), std::string::npos);
  EXPECT_NE(text.find("            [cut here: --format json has the full detail]"), std::string::npos)
      << text;
}

TEST_F(TerminalReportTest, AccountWideFindingShowsGlobal) {
  pos("CRITICAL  global     -  iam-root-access-key");
  // No remediation command: the prose fix is shown instead.
  pos("fix: Remove the rule.");
}

TEST_F(TerminalReportTest, MutedCompactWithReason) {
  size_t muted = pos("MUTED (1)");
  size_t line =
      pos("critical  us-east-1  sg-0eee (bastion)  sg-admin-port-open-ipv4  reason: bastion, approved in\n"
          "      SEC-12");
  EXPECT_LT(muted, line);
  EXPECT_EQ(text_.find("--group-id sg-0eee"), std::string::npos) << "muted findings do not repeat the fix";
}

TEST_F(TerminalReportTest, NotAssessedSummarizedByCheckAndReason) {
  pos("NOT ASSESSED (2 findings, 1 check)");
  pos("    ap-south-1, eu-west-1 (2 resources): ec2/describe-security-groups was not collected");
}

TEST_F(TerminalReportTest, NotAssessedChecksWithTheSameReasonsShareAnEntry) {
  const std::string no_logs = "no flow logs were given";
  for (const char* check : {"sg-rule-unused", "sg-rule-redundant"}) {
    for (const char* region : {"eu-west-1", "us-east-1"}) {
      report_.findings.push_back(testing::make_finding(check, FindingStatus::kNotAssessed, Severity::kLow,
                                                       Area::kLifecycle, region, region, "", no_logs));
    }
  }
  // Same reason, other regions: an entry of its own.
  report_.findings.push_back(testing::make_finding("sg-rule-overbroad", FindingStatus::kNotAssessed,
                                                   Severity::kMedium, Area::kLifecycle, "us-east-1", "us-east-1",
                                                   "", no_logs));
  text_ = render(report_);
  pos("NOT ASSESSED (7 findings, 4 checks)");
  pos("  sg-rule-redundant, sg-rule-unused\n    eu-west-1, us-east-1 (2 resources each): no flow logs were given\n");
  pos("  sg-rule-overbroad\n    us-east-1 (1 resource): no flow logs were given\n");
  EXPECT_EQ(text_.find("  sg-rule-unused\n"), std::string::npos) << text_;
}

TEST_F(TerminalReportTest, PassedOnlyWhenAsked) {
  EXPECT_EQ(text_.find("sg-0fff"), std::string::npos);
  TerminalOptions o;
  o.show_passed = true;
  std::string with = render(report_, o);
  EXPECT_NE(with.find("PASSED (1)"), std::string::npos);
  EXPECT_NE(with.find("sg-0fff (default)  sg-default-not-restricted"), std::string::npos);
}

TEST_F(TerminalReportTest, SummaryCounts) {
  size_t summary = pos("SUMMARY");
  EXPECT_LT(pos("ACCESS"), summary);
  pos("Account       111122223333 as arn:aws:iam::111122223333:user/alice");
  pos("Findings      5 FAIL, 1 PASS, 2 NOT_ASSESSED, 1 MUTED");
  pos("FAIL by sev.  critical 2, high 1, medium 1, low 1, info 0");
  pos("FAIL by area  ingress 2, egress 1, lifecycle 1, access 1");
  pos("Regions       2 scanned: eu-west-1, us-east-1");
}

TEST_F(TerminalReportTest, SummaryCoveragePerRegion) {
  // Counts per region; failures one per line; missing datasets grouped by service.
  // organizations list-accounts is collected only with --org: its absence is no gap.
  pos("Coverage      global: 1/7 datasets");
  pos("missing all of: iam (5)\n");
  EXPECT_EQ(text_.find("organizations"), std::string::npos) << text_;
  pos("eu-west-1: 32/34 datasets");
  pos("error ec2/describe-instances: UnauthorizedOperation: not authorized to perform");
  pos("missing ec2/describe-flow-logs");
  pos("us-east-1: 34/34 datasets");
}

TEST_F(TerminalReportTest, OrganizationAccountsCountWhenCollectedOrFailed) {
  Account a = testing::make_account();
  a.global_coverage[size_t(Dataset::kOrganizationAccounts)] = {CoverageStatus::kOk, "organizations/list-accounts.json"};
  a.finalize();
  std::string ok = render(testing::make_report(a));
  EXPECT_NE(ok.find("Coverage      global: 2/8 datasets"), std::string::npos) << ok;
  a.global_coverage[size_t(Dataset::kOrganizationAccounts)] = {CoverageStatus::kError, "AccessDeniedException"};
  std::string failed = render(testing::make_report(a));
  EXPECT_NE(failed.find("global: 1/8 datasets"), std::string::npos) << failed;
  EXPECT_NE(failed.find("error organizations/list-accounts: AccessDeniedException"), std::string::npos) << failed;
}

TEST_F(TerminalReportTest, PartlyMissingServicesAreListedByDataset) {
  EXPECT_NE(text_.find("missing ec2/describe-regions\n"), std::string::npos) << text_;
  EXPECT_NE(text_.find("missing ec2/describe-flow-logs\n"), std::string::npos);
}

TEST_F(TerminalReportTest, VerboseListsEveryMissingDataset) {
  TerminalOptions o;
  o.verbose = true;
  std::string with = render(report_, o);
  EXPECT_NE(with.find("missing iam/get-credential-report"), std::string::npos) << with;
  EXPECT_NE(with.find("missing iam/list-virtual-mfa-devices"), std::string::npos);
  EXPECT_EQ(with.find("missing all of"), std::string::npos);
}

TEST_F(TerminalReportTest, ARegionMissingEverythingForOneReasonTakesOneLine) {
  Account a = testing::make_account();
  Region& r = a.region_mut("ap-south-1");
  for (Coverage& c : r.coverage) c = {CoverageStatus::kMissing, "region enabled but absent"};
  a.finalize();
  std::string text = render(testing::make_report(a));
  EXPECT_NE(text.find("ap-south-1: 0/34 datasets (missing: region enabled but absent)"), std::string::npos) << text;
  EXPECT_NE(text.find("missing all of: ec2 (15), elbv2 (4), cloudtrail (3)"),
            std::string::npos)
      << text;
}

TEST_F(TerminalReportTest, RegionsWithTheSameCoverageShareALine) {
  Account a = testing::make_account();
  Region& r = a.region_mut("us-west-2");
  for (Coverage& c : r.coverage) c = {CoverageStatus::kOk, ""};
  a.finalize();
  ScanReport report = testing::make_report(a);
  std::string text = render(report);
  EXPECT_NE(text.find("us-east-1, us-west-2: 34/34 datasets"), std::string::npos) << text;
}

TEST_F(TerminalReportTest, LoadErrorsListedWarningsCounted) {
  pos("Load          1 error, 1 warning, 2 files of no known kind (--verbose lists them)");
  pos("error: eu-west-1/ec2/broken.json:3: expected ',' or '}'");
  EXPECT_EQ(text_.find("describe-vpcs.json:12"), std::string::npos);
  EXPECT_EQ(text_.find("zz/other.json"), std::string::npos);
  TerminalOptions o;
  o.verbose = true;
  std::string verbose = render(report_, o);
  EXPECT_NE(verbose.find("warning: us-east-1/ec2/describe-vpcs.json:12: unexpected key"), std::string::npos);
  EXPECT_NE(verbose.find("info: notes.json: skipped"), std::string::npos);
  EXPECT_NE(verbose.find("unknown kind: zz/other.json"), std::string::npos);
}

TEST_F(TerminalReportTest, ResultSaysIncomplete) {
  size_t result = pos("Result        5 FAILs (2 critical, 1 high, 1 medium, 1 low)");
  EXPECT_LT(result, pos("INCOMPLETE"));
}

TEST_F(TerminalReportTest, FitsIn100ColumnsExceptFixCommands) {
  TerminalOptions o;
  o.verbose = true;
  o.show_passed = true;
  for (const std::string& line : lines_of(render(report_, o))) {
    if (line.find("fix: aws ") != std::string::npos) continue;
    EXPECT_LE(display_width(line), 100u) << line;
  }
}

TEST(TerminalReport, NoFailures) {
  Account a = testing::make_account();
  ScanReport r;
  r.tool_version = "0.1.0";
  r.generated_at = "2026-01-01T00:00:00Z";
  r.account = &a;
  r.findings.push_back(testing::make_finding("sg-unused", FindingStatus::kPass, Severity::kLow,
                                             Area::kLifecycle, "us-east-1", "sg-1", "", "in use"));
  std::ostringstream out;
  write_terminal(r, {}, out);
  std::string text = out.str();
  EXPECT_NE(text.find("No FAIL findings"), std::string::npos) << text;
  EXPECT_NE(text.find("Findings      0 FAIL, 1 PASS, 0 NOT_ASSESSED, 0 MUTED"), std::string::npos) << text;
  EXPECT_NE(text.find("FAIL by area  none"), std::string::npos) << text;
  // eu-west-1's describe-instances failed: the result must not read as all clear.
  EXPECT_NE(text.find("INCOMPLETE"), std::string::npos) << text;
}

TEST(TerminalReport, EnabledRegionsWithoutDataAreCalledOut) {
  Account a = testing::make_account();
  a.enabled_regions =
      std::vector<EnabledRegion>{{"us-east-1", "opt-in-not-required"}, {"sa-east-1", "opt-in-not-required"}};
  ScanReport r = testing::make_report(a);
  std::ostringstream out;
  write_terminal(r, {}, out);
  EXPECT_NE(out.str().find("enabled but not in the snapshot (nothing there was checked): sa-east-1"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace fortress

namespace fortress {
namespace {

TEST(TerminalReportCap, ListsAtMost25FailsPerCheckUnlessVerbose) {
  Account account = testing::make_account();
  ScanReport report = testing::make_report(account);
  report.findings.clear();
  for (int i = 0; i < 40; ++i) {
    report.findings.push_back(testing::make_finding("sg-egress-open", FindingStatus::kFail, Severity::kLow,
                                                    Area::kEgress, "us-east-1", fmt::format("sg-{:04}", i), "",
                                                    "all traffic to 0.0.0.0/0"));
  }
  const std::string text = render(report);
  EXPECT_NE(text.find("EGRESS (40 failed)"), std::string::npos) << text;
  EXPECT_NE(text.find("sg-0024"), std::string::npos);
  EXPECT_EQ(text.find("sg-0025"), std::string::npos);
  EXPECT_NE(text.find("... and 15 more sg-egress-open failures (--verbose or --format json lists all)"),
            std::string::npos)
      << text;
  TerminalOptions verbose;
  verbose.verbose = true;
  const std::string all = render(report, verbose);
  EXPECT_NE(all.find("sg-0039"), std::string::npos);
  EXPECT_EQ(all.find("more sg-egress-open failures"), std::string::npos);
}

}  // namespace
}  // namespace fortress
