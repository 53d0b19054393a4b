// The check catalogue: every check's metadata is complete, the registry lists the checks in report
// order, and docs/checks.md is exactly what `fortress checks --format markdown` prints. When the
// metadata changes, refresh the file deliberately:
//   FORTRESS_UPDATE_GOLDEN=1 build/fortress_checks_tests --gtest_filter='ChecksDoc.*'   (or `make docs`)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "checks/registry.h"
#include "report/checks_doc.h"

namespace fortress {
namespace {

using ::testing::HasSubstr;

const std::string kDocPath = std::string(FORTRESS_SOURCE_DIR) + "/docs/checks.md";

TEST(ChecksRegistry, ListsTheChecksInReportOrder) {
  std::vector<std::string> ids;
  for (const Check& c : all_checks()) ids.emplace_back(c.meta.id);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "sg-admin-port-open-ipv4", "sg-admin-port-open-ipv6", "sg-all-traffic-open",
                     "sg-sensitive-port-open", "sg-wide-port-range", "sg-public-cidr-ingress",
                     "sg-default-not-restricted", "sg-egress-open", "sg-unused", "sg-too-many-rules",
                     "nacl-admin-port-open", "vpc-flow-logs-disabled", "sg-rule-unused", "sg-rule-redundant",
                     "sg-rule-overbroad", "flow-egress-unusual-port",
                     "exposed-admin-port", "exposed-sensitive-port", "exposed-all-ports", "exposed-web",
                     "sg-flat-network", "shared-service-reachable-broadly",
                     // account baseline (baseline_checks.h)
                     "cloudtrail-multi-region", "cloudtrail-log-validation", "config-recording-all-regions",
                     "cloudtrail-kms", "guardduty-enabled", "guardduty-malware-protection", "inspector-enabled",
                     "access-analyzer-enabled", "ssm-managed-instances", "ssm-patch-noncompliant",
                     "instance-not-in-asg", "imdsv2-required", "monitoring-unauthorized-api-calls",
                     "monitoring-console-login-without-mfa", "monitoring-root-usage", "monitoring-iam-policy-changes",
                     "monitoring-cloudtrail-changes", "monitoring-console-auth-failures",
                     "monitoring-kms-key-disable-or-deletion", "monitoring-s3-bucket-policy-changes",
                     "monitoring-config-changes", "monitoring-security-group-changes", "monitoring-nacl-changes",
                     "monitoring-network-gateway-changes", "monitoring-route-table-changes", "monitoring-vpc-changes",
                     "monitoring-organizations-changes",
                     // IAM: access, then permissions
                     "root-access-keys", "root-mfa", "root-hardware-mfa", "root-used-recently",
                     "password-policy-length", "password-reuse", "user-console-without-mfa", "access-keys-at-setup",
                     "credentials-unused-45-days", "user-multiple-active-keys", "access-key-rotation-90-days",
                     "user-direct-policies", "admin-star-policy", "support-role", "cloudshell-full-access",
                     "iam-admin-equivalent", "iam-privileged-share", "iam-data-read-broad"}));
}

TEST(ChecksRegistry, MetadataIsComplete) {
  std::set<std::string_view> seen;
  for (const Check& c : all_checks()) {
    const CheckMetadata& m = c.meta;
    SCOPED_TRACE(std::string(m.id));
    EXPECT_TRUE(seen.insert(m.id).second) << "duplicate id";
    EXPECT_NE(c.run, nullptr);
    EXPECT_FALSE(m.title.empty());
    EXPECT_TRUE(m.resource_type.starts_with("AWS::"));
    EXPECT_FALSE(m.rationale.empty());
    EXPECT_FALSE(m.remediation.empty());
    // A command, or, where AWS offers none (the root user's MFA), the console path.
    EXPECT_TRUE(m.remediation_cli.starts_with("aws ") || m.remediation_cli.starts_with("(console only) "))
        << m.remediation_cli;
    if (m.resource_type.starts_with("AWS::EC2::")) {
      EXPECT_THAT(std::string(m.remediation_cli), HasSubstr("--region {"));  // {region}, {home_region}
    }
    ASSERT_FALSE(m.links.empty());
    for (std::string_view l : m.links) EXPECT_TRUE(l.starts_with("https://docs.aws.amazon.com/")) << l;
  }
}

TEST(ChecksRegistry, CisMapping) {
  std::map<std::string_view, std::string_view> cis;
  for (const Check& c : all_checks()) cis[c.meta.id] = c.meta.cis_aws_3_0;
  EXPECT_EQ(cis["sg-admin-port-open-ipv4"], "5.2");
  EXPECT_EQ(cis["sg-admin-port-open-ipv6"], "5.3");
  EXPECT_EQ(cis["sg-default-not-restricted"], "5.4");
  EXPECT_EQ(cis["nacl-admin-port-open"], "5.1");
  EXPECT_EQ(cis["vpc-flow-logs-disabled"], "3.7");
  EXPECT_EQ(cis["sg-egress-open"], "");
  EXPECT_EQ(cis["cloudtrail-multi-region"], "3.1");
  EXPECT_EQ(cis["cloudtrail-log-validation"], "3.2");
  EXPECT_EQ(cis["config-recording-all-regions"], "3.3");
  EXPECT_EQ(cis["cloudtrail-kms"], "3.5");
  EXPECT_EQ(cis["access-analyzer-enabled"], "1.20");
  EXPECT_EQ(cis["imdsv2-required"], "5.6");
  EXPECT_EQ(cis["monitoring-unauthorized-api-calls"], "4.1");
  EXPECT_EQ(cis["monitoring-organizations-changes"], "4.15");
  const std::map<std::string_view, std::string_view> iam = {
      {"root-access-keys", "1.4"},          {"root-mfa", "1.5"},
      {"root-hardware-mfa", "1.6"},         {"root-used-recently", "1.7"},
      {"password-policy-length", "1.8"},    {"password-reuse", "1.9"},
      {"user-console-without-mfa", "1.10"}, {"access-keys-at-setup", "1.11"},
      {"credentials-unused-45-days", "1.12"}, {"user-multiple-active-keys", "1.13"},
      {"access-key-rotation-90-days", "1.14"}, {"user-direct-policies", "1.15"},
      {"admin-star-policy", "1.16"},        {"support-role", "1.17"},
      {"cloudshell-full-access", "1.22"},   {"iam-admin-equivalent", ""},
      {"iam-privileged-share", ""},         {"iam-data-read-broad", ""}};
  for (const auto& [id, control] : iam) EXPECT_EQ(cis[id], control) << id;
}

TEST(ChecksDoc, TextHasOneLinePerCheck) {
  std::ostringstream out;
  write_checks_text(out);
  std::istringstream in(out.str());
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    const Check& c = all_checks()[n];
    EXPECT_TRUE(line.starts_with(std::string(c.meta.id) + " ")) << line;
    EXPECT_THAT(line, HasSubstr(std::string(to_string(c.meta.severity))));
    EXPECT_THAT(line, HasSubstr(std::string(to_string(c.meta.area))));
    EXPECT_TRUE(line.ends_with(std::string(c.meta.title))) << line;
    ++n;
  }
  EXPECT_EQ(n, all_checks().size());
}

TEST(ChecksDoc, JsonHasEveryField) {
  std::ostringstream out;
  write_checks_json(out);
  const std::string json = out.str();
  EXPECT_TRUE(json.starts_with("[\n  {\n    \"id\": \"sg-admin-port-open-ipv4\",")) << json.substr(0, 80);
  EXPECT_THAT(json, HasSubstr("\"cis\": [\n      \"5.2\"\n    ]"));
  EXPECT_THAT(json, HasSubstr("\"cis\": [],"));
  for (std::string_view key : {"\"title\"", "\"severity\"", "\"area\"", "\"resource_type\"", "\"rationale\"",
                               "\"remediation\"", "\"remediation_cli\"", "\"links\""}) {
    size_t count = 0;
    for (size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) ++count;
    EXPECT_EQ(count, all_checks().size()) << key;
  }
  EXPECT_TRUE(json.ends_with("]\n"));
}

TEST(ChecksDoc, MarkdownIsGeneratedAndListsEveryCheck) {
  std::ostringstream out;
  write_checks_markdown(out);
  const std::string md = out.str();
  EXPECT_THAT(md, HasSubstr("fortress checks --format markdown"));
  EXPECT_THAT(md, HasSubstr("make docs"));
  for (const Check& c : all_checks()) {
    EXPECT_THAT(md, HasSubstr("\n## " + std::string(c.meta.id) + "\n"));
    EXPECT_THAT(md, HasSubstr("| [`" + std::string(c.meta.id) + "`](#" + std::string(c.meta.id) + ") |"));
  }
}

// docs/checks.md must be byte for byte what the metadata generates; FORTRESS_UPDATE_GOLDEN=1 rewrites it.
TEST(ChecksDoc, DocsFileIsUpToDate) {
  std::ostringstream out;
  write_checks_markdown(out);
  const char* update = std::getenv("FORTRESS_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream file(kDocPath, std::ios::binary | std::ios::trunc);
    ASSERT_TRUE(file) << "cannot write " << kDocPath;
    file << out.str();
    GTEST_SKIP() << "rewrote " << kDocPath;
  }
  std::ifstream file(kDocPath, std::ios::binary);
  ASSERT_TRUE(file) << kDocPath << " is missing: run `make docs` or FORTRESS_UPDATE_GOLDEN=1";
  std::stringstream committed;
  committed << file.rdbuf();
  EXPECT_TRUE(committed.str() == out.str())
      << kDocPath << " is stale: regenerate it with `make docs` (or FORTRESS_UPDATE_GOLDEN=1 and this test)";
}

}  // namespace
}  // namespace fortress
