// The `fortress flows` JSON report is written a field and an array member at a time; its text must be
// exactly what pretty-printing the whole document would give (tests/flows/flows_cli_test.cpp holds
// the demo's report to a golden file; these cover the empty sections and the findings).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "flows/aggregate.h"
#include "flows/rule_usage.h"
#include "report/flows_report.h"
#include "report/report_fixture.h"
#include "report/scan_summary.h"
#include "util/json_value.h"

namespace fortress {
namespace {

std::string flows_json(const FlowsReport& report) {
  std::ostringstream out;
  write_flows_json(report, out);
  return out.str();
}

// The text equals its own parse, pretty-printed: every brace, comma and indent where dump(2) puts them.
void expect_canonical(const std::string& text) {
  Expected<JsonValue> parsed = parse_json_text(text);
  ASSERT_TRUE(parsed) << text.substr(0, 2000);
  EXPECT_EQ(parsed->dump(2) + "\n", text);
}

TEST(FlowsJsonReport, EmptySectionsAreLaidOutAsTheTreeWould) {
  const flows::Aggregate aggregate;
  const flows::RuleUsage usage;
  FlowsReport report;
  report.tool_version = "0.1.0";
  report.generated_at = "2026-12-01T00:00:00Z";
  report.aggregate = &aggregate;
  report.usage = &usage;
  const std::string text = flows_json(report);
  expect_canonical(text);
  const JsonValue root = *parse_json_text(text);
  for (const char* key : {"findings", "rules", "rejected"}) {
    ASSERT_NE(root.get(key), nullptr) << key;
    EXPECT_TRUE(root.get(key)->as_array().empty()) << key;
  }
  const JsonValue* egress = root.get("egress");
  ASSERT_NE(egress, nullptr);
  EXPECT_TRUE(egress->get("by_group")->as_array().empty());
  EXPECT_TRUE(egress->get("by_interface")->as_array().empty());
  EXPECT_EQ(text.substr(text.size() - 3), "\n}\n");
}

TEST(FlowsJsonReport, FindingsAreWrittenInReportOrder) {
  const Account account = testing::make_account();
  const ScanReport scan = testing::make_report(account);
  ASSERT_GE(scan.findings.size(), 4u);
  const flows::Aggregate aggregate;
  const flows::RuleUsage usage;
  FlowsReport report;
  report.account = &account;
  report.aggregate = &aggregate;
  report.usage = &usage;
  report.findings = scan.findings;
  const std::string text = flows_json(report);
  expect_canonical(text);
  const JsonValue root = *parse_json_text(text);
  const JsonValue::Array& findings = root.get("findings")->as_array();
  ASSERT_EQ(findings.size(), scan.findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    std::string expected;
    finding_to_json(*sorted_findings(scan.findings)[i]).dump_to(expected, 2, 2);
    std::string got;
    findings[i].dump_to(got, 2, 2);
    EXPECT_EQ(got, expected) << i;
  }
  EXPECT_EQ(root.get("summary")->get("findings")->as_int(), int64_t(scan.findings.size()));
}

}  // namespace
}  // namespace fortress
