#include "collect/operations.h"

#include <gtest/gtest.h>

#include <set>

#include "aws/protocol_models.h"
#include "aws/sigv4.h"

namespace fortress::collect {
namespace {

TEST(CollectedOperations, EveryRowIsAReadOnlyOperationOfItsBuiltinModel) {
  for (const OperationSpec& spec : collected_operations()) {
    SCOPED_TRACE(std::string(spec.service) + ":" + std::string(spec.operation));
    EXPECT_TRUE(is_read_only_operation(spec.service, spec.operation));
    auto model = aws::builtin_model(spec.service);
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_NE((*model)->find_operation(spec.operation), nullptr);
    if (!spec.param.empty()) {
      const aws::Operation* op = (*model)->find_operation(spec.operation);
      ASSERT_NE(op, nullptr);
      EXPECT_NE((*model)->shape(op->input).find_member(spec.param), nullptr) << spec.param;
    }
  }
}

TEST(CollectedOperations, FeedsEachDatasetExactlyOnceUnderItsCliName) {
  std::set<Dataset> seen;
  for (const OperationSpec& spec : collected_operations()) {
    if (!spec.dataset) continue;
    EXPECT_TRUE(seen.insert(*spec.dataset).second) << dataset_name(*spec.dataset);
    const DatasetInfo& info = dataset_info(*spec.dataset);
    EXPECT_EQ(spec.cli_service, info.service);
    EXPECT_EQ(spec.command, info.command);
    EXPECT_EQ(spec.scope == Scope::kAccount, info.account_wide) << spec.command;
  }
  EXPECT_EQ(seen.size(), kDatasetCount);
}

TEST(CollectedOperations, ListsEveryIssueThreeOperation) {
  // Rows that are collected and written but fill no Dataset: generate-credential-report only asks IAM
  // to build the report that get-credential-report then reads.
  const std::vector<std::pair<std::string_view, std::string_view>> not_yet_loaded = {
      {"iam", "GenerateCredentialReport"},
  };
  for (const auto& [service, operation] : not_yet_loaded) {
    const OperationSpec* spec = find_collected_operation(service, operation);
    ASSERT_NE(spec, nullptr) << service << ":" << operation;
    EXPECT_FALSE(spec->dataset.has_value()) << operation;
  }
  EXPECT_EQ(collected_operations().size(), kDatasetCount + not_yet_loaded.size());
  EXPECT_TRUE(find_collected_operation("organizations", "ListAccounts")->multi_account_only);
}

TEST(CollectedOperations, MultiAccountOnlyRowsAreTheDatasetsTheReportExempts) {
  // The terminal summary does not list these datasets as missing from a single-account snapshot
  // (report/scan_summary.h missing_by_design): true only if no single-account run collects them.
  for (const OperationSpec& spec : collected_operations()) {
    if (!spec.dataset) continue;
    EXPECT_EQ(spec.multi_account_only, collected_only_in_multi_account_runs(*spec.dataset)) << spec.command;
  }
}

TEST(CollectedOperations, ParentsComeFirstAndShareServiceAndScope) {
  std::set<std::string> before;
  for (const OperationSpec& spec : collected_operations()) {
    if (!spec.parent.empty()) {
      std::string_view parent_service = spec.parent_service.empty() ? spec.service : spec.parent_service;
      const OperationSpec* parent = find_collected_operation(parent_service, spec.parent);
      ASSERT_NE(parent, nullptr) << spec.operation;
      EXPECT_EQ(parent->scope, spec.scope);
      EXPECT_TRUE(before.count(std::string(parent_service) + ":" + std::string(spec.parent))) << spec.operation;
      EXPECT_EQ(spec.ids_from.empty(), spec.param.empty()) << spec.operation;
    }
    before.insert(std::string(spec.service) + ":" + std::string(spec.operation));
  }
}

TEST(ReadOnlyAllowList, AllowsReadsAndRefusesEverythingElse) {
  EXPECT_TRUE(is_read_only_operation("ec2", "DescribeSecurityGroups"));
  EXPECT_TRUE(is_read_only_operation("ec2", "GetManagedPrefixListEntries"));
  EXPECT_TRUE(is_read_only_operation("iam", "ListVirtualMFADevices"));
  EXPECT_TRUE(is_read_only_operation("inspector2", "BatchGetAccountStatus"));
  EXPECT_TRUE(is_read_only_operation("iam", "GenerateCredentialReport"));

  EXPECT_FALSE(is_read_only_operation("ec2", "RevokeSecurityGroupIngress"));
  EXPECT_FALSE(is_read_only_operation("ec2", "AuthorizeSecurityGroupIngress"));
  EXPECT_FALSE(is_read_only_operation("ec2", "TerminateInstances"));
  EXPECT_FALSE(is_read_only_operation("ec2", "ModifyInstanceAttribute"));
  EXPECT_FALSE(is_read_only_operation("iam", "CreateAccessKey"));
  EXPECT_FALSE(is_read_only_operation("sts", "AssumeRole"));
  EXPECT_FALSE(is_read_only_operation("inspector2", "BatchUpdateMemberEc2DeepInspectionStatus"));
  EXPECT_FALSE(is_read_only_operation("iam", "GenerateOrganizationsAccessReport"));
  // A prefix is not a verb: "Describe" must be followed by a word.
  EXPECT_FALSE(is_read_only_operation("ec2", "Describe"));
  EXPECT_FALSE(is_read_only_operation("ec2", "Getaway"));
  EXPECT_FALSE(is_read_only_operation("ec2", "Listen"));
  EXPECT_FALSE(is_read_only_operation("ec2", ""));
  EXPECT_FALSE(is_read_only_operation("ec2", "describeVpcs"));
}

TEST(SnapshotStem, MatchesTheExportScriptLayout) {
  EXPECT_EQ(snapshot_stem(*find_collected_operation("sts", "GetCallerIdentity"), "us-east-1", ""),
            "sts/get-caller-identity");
  EXPECT_EQ(snapshot_stem(*find_collected_operation("ec2", "DescribeRegions"), "us-east-1", ""),
            "ec2/describe-regions");
  EXPECT_EQ(snapshot_stem(*find_collected_operation("ec2", "DescribeSecurityGroups"), "eu-west-1", ""),
            "eu-west-1/ec2/describe-security-groups");
  EXPECT_EQ(snapshot_stem(*find_collected_operation("ec2", "GetManagedPrefixListEntries"), "eu-west-1",
                          "pl-0a1b2c3d"),
            "eu-west-1/ec2/get-managed-prefix-list-entries/pl-0a1b2c3d");
  EXPECT_EQ(
      snapshot_stem(*find_collected_operation("config", "DescribeConfigurationRecorders"), "eu-west-1", ""),
      "eu-west-1/configservice/describe-configuration-recorders");
  EXPECT_EQ(snapshot_stem(*find_collected_operation("iam", "GetAccountSummary"), "us-east-1", ""),
            "iam/get-account-summary");
}

TEST(FileNameForId, KeepsPlainIdsAndEncodesArnsReversibly) {
  EXPECT_EQ(file_name_for_id("pl-0a1b2c3d"), "pl-0a1b2c3d");
  EXPECT_EQ(file_name_for_id("12abc34d567e8fa901bc2d34e56789f0"), "12abc34d567e8fa901bc2d34e56789f0");
  const std::string arn =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067";
  const std::string name = file_name_for_id(arn);
  EXPECT_EQ(name.find('/'), std::string::npos);
  EXPECT_EQ(name.find(':'), std::string::npos);
  EXPECT_EQ(aws::uri_decode(name), arn);
  EXPECT_EQ(file_name_for_id("../etc").find('/'), std::string::npos);
}

}  // namespace
}  // namespace fortress::collect
