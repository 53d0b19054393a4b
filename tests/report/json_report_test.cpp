// The JSON report: shape, field values and order, read back with simdjson as a consumer would.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>
#include <string>
#include <vector>

#include "checks/evidence.h"
#include "report/report.h"
#include "report/report_fixture.h"

namespace fortress {
namespace {

using testing::make_account;
using testing::make_report;

class JsonReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ostringstream out;
    write_json(report_, out);
    text_ = out.str();
    ASSERT_EQ(parser_.parse(text_).get(root_), simdjson::SUCCESS) << text_;
  }

  std::string str(simdjson::dom::element e, const char* key) {
    std::string_view v;
    EXPECT_EQ(e[key].get_string().get(v), simdjson::SUCCESS) << key;
    return std::string(v);
  }
  simdjson::dom::array findings() { return root_["findings"].get_array().value(); }

  Account account_ = make_account();
  ScanReport report_ = make_report(account_);
  std::string text_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

TEST_F(JsonReportTest, TopLevelFields) {
  EXPECT_EQ(str(root_, "tool"), "fortress");
  EXPECT_EQ(str(root_, "version"), "0.1.0");
  EXPECT_EQ(str(root_, "account_id"), "111122223333");
  EXPECT_EQ(str(root_, "generated_at"), "2026-01-01T00:00:00Z");
  EXPECT_TRUE(root_["incomplete"].get_bool().value());
  std::vector<std::string> regions;
  for (auto r : root_["regions"].get_array()) regions.emplace_back(r.get_string().value());
  EXPECT_EQ(regions, (std::vector<std::string>{"eu-west-1", "us-east-1"}));
  EXPECT_EQ(root_["regions_not_scanned"].get_array().size(), 0u);
}

TEST_F(JsonReportTest, TwoSpaceIndentAndTrailingNewline) {
  EXPECT_EQ(text_.substr(0, 20), "{\n  \"tool\": \"fortres");
  EXPECT_EQ(text_.back(), '\n');
}

TEST_F(JsonReportTest, CoverageListsEveryDatasetGlobalFirst) {
  simdjson::dom::array coverage = root_["coverage"].get_array();
  // Every account-wide dataset, then every regional dataset in each of the 2 regions.
  size_t account_wide = 0;
  for (size_t d = 0; d < kDatasetCount; ++d) account_wide += dataset_info(Dataset(d)).account_wide ? 1 : 0;
  ASSERT_EQ(coverage.size(), account_wide + 2u * (kDatasetCount - account_wide));
  auto first = coverage.at(0).value();
  EXPECT_EQ(str(first, "region"), "global");
  EXPECT_EQ(str(first, "dataset"), "sts/get-caller-identity");
  EXPECT_EQ(str(first, "status"), "ok");
  auto second = coverage.at(1).value();
  EXPECT_EQ(str(second, "dataset"), "ec2/describe-regions");
  EXPECT_EQ(str(second, "status"), "missing");

  bool saw_error = false, saw_missing = false;
  for (auto c : coverage) {
    if (str(c, "region") == "eu-west-1" && str(c, "dataset") == "ec2/describe-instances") {
      saw_error = true;
      EXPECT_EQ(str(c, "status"), "error");
      EXPECT_NE(str(c, "detail").find("UnauthorizedOperation"), std::string::npos);
    }
    if (str(c, "region") == "eu-west-1" && str(c, "dataset") == "ec2/describe-flow-logs") {
      saw_missing = true;
      EXPECT_EQ(str(c, "status"), "missing");
    }
  }
  EXPECT_TRUE(saw_error);
  EXPECT_TRUE(saw_missing);
}

TEST_F(JsonReportTest, FindingsInDeterministicOrder) {
  std::vector<std::string> order;
  for (auto f : findings())
    order.push_back(str(f, "status") + " " + str(f, "check_id") + " " + str(f, "region"));
  EXPECT_EQ(order, (std::vector<std::string>{
                       "FAIL sg-admin-port-open-ipv4 us-east-1",  // critical, ingress
                       "FAIL iam-root-access-key global",         // critical, access
                       "FAIL sg-egress-open eu-west-1",           // high
                       "FAIL sg-wide-port-range us-east-1",       // medium
                       "FAIL sg-unused us-east-1",                // low
                       "MUTED sg-admin-port-open-ipv4 us-east-1",
                       "NOT_ASSESSED sg-admin-port-open-ipv4 ap-south-1",
                       "NOT_ASSESSED sg-admin-port-open-ipv4 eu-west-1",
                       "PASS sg-default-not-restricted us-east-1",
                   }));
}

TEST_F(JsonReportTest, OrderDoesNotDependOnInputOrder) {
  ScanReport reversed = report_;
  std::reverse(reversed.findings.begin(), reversed.findings.end());
  std::reverse(reversed.diagnostics.begin(), reversed.diagnostics.end());
  std::ostringstream out;
  write_json(reversed, out);
  EXPECT_EQ(out.str(), text_);
}

TEST_F(JsonReportTest, FindingFields) {
  auto f = findings().at(0).value();
  EXPECT_EQ(str(f, "check_id"), "sg-admin-port-open-ipv4");
  EXPECT_EQ(str(f, "title"), "Title of sg-admin-port-open-ipv4");
  EXPECT_EQ(str(f, "status"), "FAIL");
  EXPECT_EQ(str(f, "severity"), "critical");
  EXPECT_EQ(str(f, "area"), "ingress");
  EXPECT_EQ(str(f, "account_id"), "111122223333");
  EXPECT_EQ(str(f, "region"), "us-east-1");
  EXPECT_EQ(str(f, "resource_type"), "AWS::EC2::SecurityGroup");
  EXPECT_EQ(str(f, "resource_id"), "sg-0aaa");
  EXPECT_EQ(str(f, "resource_name"), "web");
  EXPECT_EQ(str(f, "detail"), "SSH (tcp/22) open to 0.0.0.0/0");
  EXPECT_EQ(f["evidence"]["port"].get_int64().value(), 22);
  EXPECT_EQ(str(f["evidence"], "cidr"), "0.0.0.0/0");
  EXPECT_EQ(str(f["remediation"], "text"), "Remove the rule.");
  EXPECT_EQ(
      str(f["remediation"], "cli"),
      "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-0aaa --protocol tcp --port 22 "
      "--cidr 0.0.0.0/0");
  std::vector<std::string> cis;
  for (auto c : f["compliance"]["cis-aws-3.0"].get_array()) cis.emplace_back(c.get_string().value());
  EXPECT_EQ(cis, (std::vector<std::string>{"5.2", "5.3"}));
  EXPECT_EQ(f["mute_reason"].error(), simdjson::NO_SUCH_FIELD) << "only MUTED findings carry mute_reason";
}

TEST_F(JsonReportTest, EveryFindingHasEveryField) {
  for (auto f : findings()) {
    for (const char* key : {"check_id", "title", "status", "severity", "area", "account_id", "region",
                            "resource_type", "resource_id", "resource_name", "detail"}) {
      EXPECT_EQ(f[key].type().value(), simdjson::dom::element_type::STRING) << key;
    }
    EXPECT_TRUE(f["evidence"].is_object());
    EXPECT_TRUE(f["remediation"].is_object());
    EXPECT_TRUE(f["compliance"]["cis-aws-3.0"].is_array());
  }
}

TEST_F(JsonReportTest, AccountWideFindingUsesGlobalRegion) {
  auto f = findings().at(1).value();
  EXPECT_EQ(str(f, "check_id"), "iam-root-access-key");
  EXPECT_EQ(str(f, "region"), "global");
  EXPECT_EQ(str(f, "resource_id"), "");
}

TEST_F(JsonReportTest, MutedFindingCarriesReason) {
  auto f = findings().at(5).value();
  EXPECT_EQ(str(f, "status"), "MUTED");
  EXPECT_EQ(str(f, "mute_reason"), "bastion, approved in SEC-12");
}

// The report writes each finding straight into its text; that text is the JsonValue tree's dump,
// byte for byte: for every finding of the fixture (muted, not assessed, escapes, empty fields and
// evidence among them) and for one with several CIS controls and nested evidence.
TEST_F(JsonReportTest, FindingTextEqualsTheTreeDump) {
  std::vector<Finding> all = report_.findings;
  Finding extra = all.at(0);
  extra.cis_aws_3_0 = "5.2, 5.3, 1.10";
  extra.evidence = Evidence::from_json_text(R"({"a":[1,{"b":[]},{}],"c":{"d":"e\"f"},"g":[]})");
  extra.remediation_cli = "aws ec2 x --y 'z'";
  all.push_back(extra);
  Finding bare;
  bare.check_id = "c";
  all.push_back(bare);
  for (const Finding& f : all) {
    std::string tree;
    finding_to_json(f).dump_to(tree, 2, 2);
    std::string direct;
    append_finding_json(direct, f);
    EXPECT_EQ(direct, tree);
  }
}

TEST_F(JsonReportTest, StringsAreEscaped) {
  auto f = findings().at(3).value();
  EXPECT_EQ(str(f, "resource_name"), "\x1b[31mevil\x1b[0m");
  EXPECT_EQ(str(f, "detail"), "tcp/1000-9000 open to 10.0.0.0/8, \"wide\"\nsecond line");
  EXPECT_EQ(text_.find('\x1b'), std::string::npos) << "control characters must be \\u-escaped";
}

TEST_F(JsonReportTest, SummaryCounts) {
  auto s = root_["summary"];
  EXPECT_EQ(s["findings"].get_int64().value(), 9);
  EXPECT_EQ(s["by_status"]["FAIL"].get_int64().value(), 5);
  EXPECT_EQ(s["by_status"]["MUTED"].get_int64().value(), 1);
  EXPECT_EQ(s["by_status"]["NOT_ASSESSED"].get_int64().value(), 2);
  EXPECT_EQ(s["by_status"]["PASS"].get_int64().value(), 1);
  EXPECT_EQ(s["fail_by_severity"]["critical"].get_int64().value(), 2);
  EXPECT_EQ(s["fail_by_severity"]["high"].get_int64().value(), 1);
  EXPECT_EQ(s["fail_by_severity"]["info"].get_int64().value(), 0);
  EXPECT_EQ(s["fail_by_area"]["ingress"].get_int64().value(), 2);
  EXPECT_EQ(s["fail_by_area"]["access"].get_int64().value(), 1);
  EXPECT_EQ(s["fail_by_area"]["web-servers"].get_int64().value(), 0);
  EXPECT_EQ(s["load_errors"].get_int64().value(), 1);
  EXPECT_EQ(s["load_warnings"].get_int64().value(), 1);
}

TEST_F(JsonReportTest, DiagnosticsSortedWithLevels) {
  simdjson::dom::array d = root_["diagnostics"].get_array();
  ASSERT_EQ(d.size(), 3u);
  auto first = d.at(0).value();
  EXPECT_EQ(str(first, "level"), "error");
  EXPECT_EQ(str(first, "file"), "eu-west-1/ec2/broken.json");
  EXPECT_EQ(first["line"].get_int64().value(), 3);
  EXPECT_EQ(str(first, "message"), "expected ',' or '}'");
  EXPECT_EQ(str(d.at(1).value(), "level"), "info");
  EXPECT_EQ(str(d.at(2).value(), "level"), "warning");
  std::vector<std::string> unknown;
  for (auto u : root_["unknown_files"].get_array()) unknown.emplace_back(u.get_string().value());
  EXPECT_EQ(unknown, (std::vector<std::string>{"notes.json", "zz/other.json"}));
}

TEST_F(JsonReportTest, CompleteScanIsNotIncomplete) {
  Account a;
  a.account_id = "111122223333";
  a.finalize();
  ScanReport r;
  r.tool_version = "0.1.0";
  r.account = &a;
  std::ostringstream out;
  write_json(r, out);
  simdjson::dom::parser p;
  simdjson::dom::element e;
  ASSERT_EQ(p.parse(out.str()).get(e), simdjson::SUCCESS);
  EXPECT_FALSE(e["incomplete"].get_bool().value());
  EXPECT_EQ(e["findings"].get_array().size(), 0u);
  size_t account_wide = 0;
  for (size_t d = 0; d < kDatasetCount; ++d) account_wide += dataset_info(Dataset(d)).account_wide ? 1 : 0;
  EXPECT_EQ(e["coverage"].get_array().size(), account_wide);  // the account-wide datasets, all missing
}

TEST_F(JsonReportTest, EnabledRegionsWithoutDataAreListed) {
  Account a = make_account();
  a.enabled_regions = std::vector<EnabledRegion>{{"us-east-1", "opt-in-not-required"},
                                                 {"eu-west-1", "opt-in-not-required"},
                                                 {"ap-south-1", "opt-in-not-required"},
                                                 {"af-south-1", "not-opted-in"}};
  ScanReport r = make_report(a);
  std::ostringstream out;
  write_json(r, out);
  simdjson::dom::parser p;
  simdjson::dom::element e;
  ASSERT_EQ(p.parse(out.str()).get(e), simdjson::SUCCESS);
  std::vector<std::string> missing;
  for (auto x : e["regions_not_scanned"].get_array()) missing.emplace_back(x.get_string().value());
  EXPECT_EQ(missing, (std::vector<std::string>{"ap-south-1"}));
}

}  // namespace
}  // namespace fortress
