// The AWS CLI's documented example outputs of the services beyond EC2
// (shared/reference/aws_cli_examples), loaded as the files they document, when the reference is
// present beside the checkout.
#include <filesystem>
#include <fstream>

#include "load_test_util.h"

namespace fortress {
namespace {

using Level = LoadDiagnostic::Level;
namespace fs = std::filesystem;

std::string first_example_output(const fs::path& rst) {
  std::ifstream in(rst);
  std::string line, json, indent;
  bool after_output = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (json.empty()) {
      if (line.find("Output::") != std::string::npos) after_output = true;
      size_t brace = line.find_first_not_of(' ');
      if (after_output && brace != std::string::npos && line[brace] == '{' && line.size() == brace + 1) {
        indent = line.substr(0, brace);
        json = "{\n";
      }
      continue;
    }
    json += line + "\n";
    if (line == indent + "}") break;
  }
  return json;
}

fs::path reference_dir() {
  for (const char* dir : {FORTRESS_SOURCE_DIR "/../shared/reference/aws_cli_examples",
                          FORTRESS_SOURCE_DIR "/../../shared/reference/aws_cli_examples"}) {
    if (fs::exists(fs::path(dir) / "iam")) return dir;
  }
  return {};
}

TEST(AwsCliExamplesBeyondEc2, DocumentedOutputsLoad) {
  fs::path dir = reference_dir();
  if (dir.empty()) GTEST_SKIP() << "reference data not found beside " << FORTRESS_SOURCE_DIR;
  struct Doc {
    const char* rst;   // service/command
    const char* path;  // where the file goes in the snapshot
  };
  const Doc docs[] = {
      {"cloudtrail/describe-trails", "us-east-1/cloudtrail/describe-trails.json"},
      {"cloudtrail/get-trail-status", "us-east-1/cloudtrail/get-trail-status/Trail1.json"},
      {"cloudtrail/get-event-selectors", "us-east-1/cloudtrail/get-event-selectors/Trail1.json"},
      {"guardduty/list-detectors", "us-east-1/guardduty/list-detectors.json"},
      {"guardduty/get-detector", "us-east-1/guardduty/get-detector/12abc34d567e8fa901bc2d34eexample.json"},
      {"configservice/describe-configuration-recorders", "us-east-1/configservice/describe-configuration-recorders.json"},
      {"configservice/describe-configuration-recorder-status",
       "us-east-1/configservice/describe-configuration-recorder-status.json"},
      {"ssm/describe-instance-information", "us-east-1/ssm/describe-instance-information.json"},
      {"iam/get-account-authorization-details", "iam/get-account-authorization-details.json"},
      {"iam/list-virtual-mfa-devices", "iam/list-virtual-mfa-devices.json"},
      {"iam/get-account-summary", "iam/get-account-summary.json"},
      {"iam/get-account-password-policy", "iam/get-account-password-policy.json"},
      {"iam/generate-credential-report", "iam/generate-credential-report.json"},
  };
  std::vector<SnapshotFileBytes> files;
  for (const Doc& d : docs) {
    std::string json = first_example_output(dir / (std::string(d.rst) + ".rst"));
    ASSERT_FALSE(json.empty()) << d.rst;
    files.push_back({d.path, json});
  }
  LoadResult r = testing::load_files(files);
  EXPECT_TRUE(r.unknown_files.empty()) << r.unknown_files.front();
  const Region& us = *r.account.region("us-east-1");
  EXPECT_FALSE(us.trails.empty()) << testing::all_diagnostics(r);
  EXPECT_TRUE(us.has(Dataset::kTrails));
  EXPECT_TRUE(us.has(Dataset::kTrailStatus));
  EXPECT_TRUE(us.has(Dataset::kEventSelectors));
  EXPECT_TRUE(us.has(Dataset::kGuardDutyDetectors));
  EXPECT_TRUE(us.has(Dataset::kGuardDutyDetector));
  EXPECT_FALSE(us.configuration_recorders.empty());
  EXPECT_FALSE(us.ssm_instances.empty());
  const IamData& iam = r.account.iam;
  EXPECT_FALSE(iam.users.empty());
  EXPECT_FALSE(iam.roles.empty());
  EXPECT_FALSE(iam.policies.empty());
  EXPECT_FALSE(iam.virtual_mfa_devices.empty());
  EXPECT_TRUE(iam.summary("AccountMFAEnabled").has_value());
  ASSERT_TRUE(iam.password_policy.has_value());
  EXPECT_TRUE(iam.password_policy->exists);
  // The documented get-account-authorization-details prints each group's AttachedManagedPolicies
  // as one object where the API returns a list (botocore: AttachedPoliciesListType): those groups
  // are skipped and said so, not read wrong.
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "AttachedManagedPolicies: expected a list, found an object"),
            nullptr);
  EXPECT_EQ(r.account.global_coverage[size_t(Dataset::kAccountAuthorizationDetails)].status, CoverageStatus::kError);
  for (const LoadDiagnostic& d : r.diagnostics) EXPECT_NE(d.level, Level::kError) << d.to_string();
}

}  // namespace
}  // namespace fortress
