// The CSV report: RFC 4180 quoting, the header, one row per finding in the JSON report's order.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "report/report.h"
#include "report/report_fixture.h"

namespace fortress {
namespace {

using Row = std::vector<std::string>;

// A strict RFC 4180 reader: CRLF record ends, quoted fields with doubled quotes. Fails the test on
// anything else, so the writer cannot drift into a dialect.
std::vector<Row> parse_csv(const std::string& text) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  size_t i = 0;
  bool at_field_start = true;
  while (i < text.size()) {
    char c = text[i];
    if (at_field_start && c == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) {
          ADD_FAILURE() << "unterminated quoted field";
          return rows;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
      at_field_start = false;
      continue;
    }
    if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      at_field_start = true;
      ++i;
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at " << i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      at_field_start = true;
      i += 2;
    } else {
      EXPECT_NE(c, '\n') << "bare LF outside quotes at " << i;
      EXPECT_NE(c, '"') << "quote inside an unquoted field at " << i;
      field.push_back(c);
      at_field_start = false;
      ++i;
    }
  }
  EXPECT_TRUE(row.empty() && field.empty()) << "last record must end with CRLF";
  return rows;
}

class CsvReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ostringstream out;
    write_csv(report_, out);
    text_ = out.str();
    rows_ = parse_csv(text_);
    ASSERT_FALSE(rows_.empty());
    for (size_t i = 0; i < rows_[0].size(); ++i) column_[rows_[0][i]] = i;
  }
  const std::string& cell(size_t row, const std::string& column) {
    EXPECT_TRUE(column_.count(column)) << column;
    return rows_.at(row).at(column_[column]);
  }

  Account account_ = testing::make_account();
  ScanReport report_ = testing::make_report(account_);
  std::string text_;
  std::vector<Row> rows_;
  std::map<std::string, size_t> column_;
};

TEST_F(CsvReportTest, HeaderRow) {
  EXPECT_EQ(rows_[0], (Row{"check_id", "title", "status", "severity", "area", "account_id", "region",
                           "resource_type", "resource_id", "resource_name", "detail", "evidence",
                           "remediation_text", "remediation_cli", "compliance_cis_aws_3_0", "mute_reason"}));
}

TEST_F(CsvReportTest, OneRowPerFindingSameWidth) {
  ASSERT_EQ(rows_.size(), 1 + report_.findings.size());
  for (const Row& r : rows_) EXPECT_EQ(r.size(), rows_[0].size());
}

TEST_F(CsvReportTest, SameOrderAsJson) {
  EXPECT_EQ(cell(1, "check_id"), "sg-admin-port-open-ipv4");
  EXPECT_EQ(cell(1, "status"), "FAIL");
  EXPECT_EQ(cell(2, "check_id"), "iam-root-access-key");
  EXPECT_EQ(cell(2, "region"), "global");
  EXPECT_EQ(cell(9, "status"), "PASS");
}

TEST_F(CsvReportTest, QuotesCommasQuotesAndNewlines) {
  EXPECT_EQ(cell(4, "detail"), "tcp/1000-9000 open to 10.0.0.0/8, \"wide\"\nsecond line");
  EXPECT_NE(text_.find("\"tcp/1000-9000 open to 10.0.0.0/8, \"\"wide\"\"\nsecond line\""), std::string::npos);
  // A field without special characters is not quoted.
  EXPECT_NE(text_.find("\r\nsg-admin-port-open-ipv4,"), std::string::npos);
}

TEST_F(CsvReportTest, FlattenedEvidenceAndCompliance) {
  EXPECT_EQ(cell(1, "evidence"), "{\"port\":22,\"cidr\":\"0.0.0.0/0\"}");
  EXPECT_EQ(cell(1, "compliance_cis_aws_3_0"), "5.2;5.3");
  EXPECT_EQ(cell(2, "evidence"), "{}");
  EXPECT_EQ(cell(2, "compliance_cis_aws_3_0"), "");
  EXPECT_EQ(cell(1, "remediation_text"), "Remove the rule.");
  EXPECT_NE(cell(1, "remediation_cli").find("--group-id sg-0aaa"), std::string::npos);
}

TEST_F(CsvReportTest, MuteReasonOnlyOnMuted) {
  EXPECT_EQ(cell(6, "status"), "MUTED");
  EXPECT_EQ(cell(6, "mute_reason"), "bastion, approved in SEC-12");
  EXPECT_EQ(cell(1, "mute_reason"), "");
}

TEST(CsvReport, EmptyReportIsHeaderOnly) {
  ScanReport r;
  std::ostringstream out;
  write_csv(r, out);
  std::vector<Row> rows = parse_csv(out.str());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "check_id");
}

}  // namespace
}  // namespace fortress
