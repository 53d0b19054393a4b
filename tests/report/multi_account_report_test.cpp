// Reports over several accounts (a multi-account folder): per account and in total, in every format,
// and the exit status over all of them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <sstream>

#include "report/report.h"
#include "report/report_fixture.h"
#include "report/scan_summary.h"
#include "util/json_value.h"

namespace fortress {
namespace {

using ::testing::HasSubstr;
using namespace fortress::testing;

// A clean second account: one PASS, everything collected.
Account clean_account() {
  Account a;
  a.account_id = "444455556666";
  a.caller_identity = CallerIdentity{"444455556666", "arn:aws:sts::444455556666:assumed-role/FortressAudit/fortress", "AROA"};
  a.global_coverage[size_t(Dataset::kCallerIdentity)] = {CoverageStatus::kOk, "sts/get-caller-identity.json"};
  a.global_coverage[size_t(Dataset::kRegions)] = {CoverageStatus::kOk, "ec2/describe-regions.json"};
  Region& us = a.region_mut("us-east-1");
  for (Coverage& c : us.coverage) c = {CoverageStatus::kOk, "us-east-1/ec2/..."};
  a.finalize();
  return a;
}

// An account whose role could not be assumed: no region, the identity recorded as an error.
Account uncollected_account() {
  Account a;
  a.account_id = "555566667777";
  a.global_coverage[size_t(Dataset::kCallerIdentity)] = {
      CoverageStatus::kError, "AccessDenied: could not assume arn:aws:iam::555566667777:role/FortressAudit: denied"};
  a.finalize();
  return a;
}

class MultiAccountReportTest : public ::testing::Test {
 protected:
  MultiAccountReportTest() : first_(make_account()), second_(clean_account()), third_(uncollected_account()) {
    report_.tool_version = "0.1.0";
    report_.generated_at = "2026-01-01T00:00:00Z";
    ScanReport a = make_report(first_);
    for (LoadDiagnostic& d : a.diagnostics) d.file = "111122223333/" + d.file;
    report_.accounts.push_back({"111122223333", std::move(a)});
    ScanReport b;
    b.account = &second_;
    Finding pass = make_finding("sg-default-not-restricted", FindingStatus::kPass, Severity::kHigh, Area::kIngress,
                                "us-east-1", "sg-0aaa", "default", "the default group has no rules");
    pass.account_id = "444455556666";
    b.findings.push_back(pass);
    Finding fail = make_finding("sg-admin-port-open-ipv4", FindingStatus::kFail, Severity::kCritical, Area::kIngress,
                                "us-east-1", "sg-0aaa", "web", "SSH (tcp/22) open to 0.0.0.0/0");
    fail.account_id = "444455556666";
    b.findings.push_back(fail);
    report_.accounts.push_back({"444455556666", std::move(b)});
    ScanReport c;
    c.account = &third_;
    c.findings = not_collected_findings(third_, {});
    report_.accounts.push_back({"555566667777", std::move(c)});
    report_.diagnostics.push_back({LoadDiagnostic::Level::kWarning, "stray.json", 0, "not inside any account"});
    report_.unknown_files = {"stray.json"};
  }

  Account first_, second_, third_;
  MultiAccountReport report_;
};

TEST_F(MultiAccountReportTest, JsonHasTheSingleAccountFieldsOverAllAccountsAndEachAccount) {
  std::ostringstream out;
  write_json(report_, out);
  auto doc = parse_json_text(out.str());
  ASSERT_TRUE(doc) << out.str();
  EXPECT_EQ(doc->get("account_id")->as_string(), "") << "several accounts: see accounts[]";
  EXPECT_TRUE(doc->get("incomplete")->as_bool());
  EXPECT_EQ(doc->get("regions")->dump(0), JsonValue::strings(std::vector<std::string>{"eu-west-1", "us-east-1"}).dump(0));
  const JsonValue& summary = *doc->get("summary");
  const size_t total = make_findings().size() + 2 + not_collected_findings(third_, {}).size();
  EXPECT_EQ(summary.get("findings")->as_int(), int64_t(total));
  EXPECT_EQ(summary.get("by_status")->get("FAIL")->as_int(), 6);
  EXPECT_EQ(summary.get("load_warnings")->as_int(), 2) << "the folder's own warning counts too";
  const auto& accounts = doc->get("accounts")->as_array();
  ASSERT_EQ(accounts.size(), 3u);
  EXPECT_EQ(accounts[0].get("account_id")->as_string(), "111122223333");
  EXPECT_EQ(accounts[0].get("snapshot")->as_string(), "111122223333");
  EXPECT_TRUE(accounts[0].get("incomplete")->as_bool());
  EXPECT_EQ(accounts[1].get("summary")->get("by_status")->get("FAIL")->as_int(), 1);
  EXPECT_FALSE(accounts[1].get("incomplete")->as_bool());
  EXPECT_TRUE(accounts[1].get("collected")->as_bool());
  EXPECT_FALSE(accounts[2].get("collected")->as_bool());
  EXPECT_TRUE(accounts[2].get("incomplete")->as_bool());
  EXPECT_EQ(accounts[2].get("summary")->get("by_status")->get("NOT_ASSESSED")->as_int(),
            int64_t(not_collected_findings(third_, {}).size()));
  // Coverage rows name their account; diagnostics and unknown files are paths from the folder.
  bool saw_third = false;
  for (const JsonValue& row : doc->get("coverage")->as_array()) {
    ASSERT_NE(row.get("account_id"), nullptr);
    if (row.get("account_id")->as_string() == "555566667777" &&
        row.get("dataset")->as_string() == "sts/get-caller-identity") {
      EXPECT_EQ(row.get("status")->as_string(), "error");
      saw_third = true;
    }
  }
  EXPECT_TRUE(saw_third);
  EXPECT_THAT(out.str(), HasSubstr("\"file\": \"111122223333/eu-west-1/ec2/broken.json\""));
  EXPECT_THAT(out.str(), HasSubstr("\"file\": \"stray.json\""));
  // Findings of every account, in the one order: the critical FAILs of both accounts first.
  const auto& findings = doc->get("findings")->as_array();
  ASSERT_EQ(findings.size(), total);
  EXPECT_EQ(findings[0].get("status")->as_string(), "FAIL");
  EXPECT_EQ(findings[0].get("severity")->as_string(), "critical");
  bool second_account_in_first_three = false;
  for (size_t i = 0; i < 3; ++i) second_account_in_first_three |= findings[i].get("account_id")->as_string() == "444455556666";
  EXPECT_TRUE(second_account_in_first_three);
}

TEST_F(MultiAccountReportTest, OneAccountsJsonKeepsTheSingleAccountShape) {
  // A single snapshot's report: account_id is the account's, and accounts[] has it alone.
  std::ostringstream single;
  write_json(report_.accounts[1].report, single);
  auto doc = parse_json_text(single.str());
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->get("account_id")->as_string(), "444455556666");
  ASSERT_EQ(doc->get("accounts")->as_array().size(), 1u);
  EXPECT_EQ(doc->get("accounts")->as_array()[0].get("snapshot")->as_string(), "");
}

TEST_F(MultiAccountReportTest, TerminalHasASectionPerAccountAndATotal) {
  std::ostringstream out;
  write_terminal(report_, TerminalOptions{}, out);
  const std::string text = out.str();
  EXPECT_THAT(text, ::testing::StartsWith("fortress 0.1.0  3 accounts  2026-01-01T00:00:00Z\n"));
  const size_t a = text.find("=== ACCOUNT 111122223333 (snapshot 111122223333/)");
  const size_t b = text.find("=== ACCOUNT 444455556666");
  const size_t c = text.find("=== ACCOUNT 555566667777");
  const size_t total = text.find("TOTAL over 3 accounts");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(c, std::string::npos);
  ASSERT_NE(total, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_LT(c, total);
  EXPECT_NE(text.find("SUMMARY of account 444455556666"), std::string::npos);
  // In a multi-account folder organizations list-accounts counts like any dataset (it is collected in
  // the account that lists the organization).
  const std::string second = text.substr(b, c - b);
  EXPECT_THAT(second, HasSubstr("global: 2/8 datasets"));
  EXPECT_THAT(second, HasSubstr("missing all of: iam (5), organizations (1)"));
  // The uncollected account: said once, not once per check.
  const std::string third = text.substr(c, total - c);
  EXPECT_THAT(third, HasSubstr(fmt::format("NOT COLLECTED: {} checks not assessed in this account",
                                          not_collected_findings(third_, {}).size())));
  EXPECT_EQ(third.find("sg-admin-port-open-ipv4\n"), std::string::npos);
  const std::string totals = text.substr(total);
  EXPECT_THAT(totals, HasSubstr("444455556666  1 FAIL (1 critical)"));
  EXPECT_THAT(totals, HasSubstr("555566667777  NOT COLLECTED: AccessDenied: could not assume"));
  EXPECT_THAT(totals, HasSubstr("111122223333  5 FAILs (2 critical, 1 high, 1 medium, 1 low), 2 NOT_ASSESSED,"));
  EXPECT_THAT(totals, HasSubstr("in 2 of 3 accounts"));
  EXPECT_THAT(totals, HasSubstr("NOT COLLECTED: 1 of 3 accounts"));
  EXPECT_THAT(totals, HasSubstr("INCOMPLETE: 1 of 3 accounts"));
  EXPECT_THAT(totals, HasSubstr("1 file is in no account's snapshot folder"));
}

TEST_F(MultiAccountReportTest, CsvHoldsEveryAccountsFindingsInReportOrder) {
  std::ostringstream out;
  write_csv(report_, out);
  const std::string text = out.str();
  size_t rows = 0;
  for (size_t at = text.find("\r\n"); at != std::string::npos; at = text.find("\r\n", at + 2)) ++rows;
  EXPECT_EQ(rows, 1 + make_findings().size() + 2 + not_collected_findings(third_, {}).size());
  EXPECT_THAT(text, HasSubstr(",444455556666,us-east-1,"));
  EXPECT_THAT(text, HasSubstr(",555566667777,global,"));
}

TEST_F(MultiAccountReportTest, ExitStatusIsOverAllAccounts) {
  // A critical FAIL in any account fails --fail-on critical; without it, any incomplete account is 3.
  EXPECT_EQ(scan_exit_status(report_, Severity::kCritical), ScanExit::kFailures);
  EXPECT_EQ(scan_exit_status(report_, std::nullopt), ScanExit::kIncomplete);
  MultiAccountReport clean;
  clean.accounts.push_back({"444455556666", ScanReport{}});
  clean.accounts.back().report.account = &second_;
  EXPECT_EQ(scan_exit_status(clean, std::nullopt), ScanExit::kClean);
  clean.accounts.push_back({"555566667777", ScanReport{}});
  clean.accounts.back().report.account = &third_;
  EXPECT_EQ(scan_exit_status(clean, std::nullopt), ScanExit::kIncomplete) << "an uncollected account is incomplete";
  EXPECT_EQ(scan_exit_status(clean, Severity::kCritical), ScanExit::kIncomplete);
}

TEST(NotCollected, OneNotAssessedPerCheckOnlyForAnAccountWithNothingCollected) {
  Account nothing = uncollected_account();
  const auto findings = not_collected_findings(nothing, {});
  ASSERT_FALSE(findings.empty());
  for (const Finding& f : findings) {
    EXPECT_EQ(f.status, FindingStatus::kNotAssessed);
    EXPECT_EQ(f.account_id, "555566667777");
    EXPECT_EQ(f.region, "");
    EXPECT_THAT(std::string(f.detail.view()), HasSubstr("nothing in this account was collected: AccessDenied"));
  }
  const std::vector<std::string> only = {"sg-unused"};
  EXPECT_EQ(not_collected_findings(nothing, only).size(), 1u);
  Account some = make_account();
  EXPECT_TRUE(not_collected_findings(some, {}).empty());
  EXPECT_TRUE(account_collected(&some));
  EXPECT_FALSE(account_collected(&nothing));
}

}  // namespace
}  // namespace fortress
