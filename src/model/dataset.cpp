#include "model/dataset.h"

#include <array>

namespace fortress {

namespace {

constexpr std::array<DatasetInfo, kDatasetCount> kDatasets = {{
    {Dataset::kCallerIdentity, "sts", "get-caller-identity", true},
    {Dataset::kRegions, "ec2", "describe-regions", true},
    {Dataset::kVpcs, "ec2", "describe-vpcs", false},
    {Dataset::kSubnets, "ec2", "describe-subnets", false},
    {Dataset::kSecurityGroups, "ec2", "describe-security-groups", false},
    {Dataset::kSecurityGroupRules, "ec2", "describe-security-group-rules", false},
    {Dataset::kNetworkInterfaces, "ec2", "describe-network-interfaces", false},
    {Dataset::kInstances, "ec2", "describe-instances", false},
    {Dataset::kRouteTables, "ec2", "describe-route-tables", false},
    {Dataset::kNetworkAcls, "ec2", "describe-network-acls", false},
    {Dataset::kInternetGateways, "ec2", "describe-internet-gateways", false},
    {Dataset::kEgressOnlyInternetGateways, "ec2", "describe-egress-only-internet-gateways", false},
    {Dataset::kNatGateways, "ec2", "describe-nat-gateways", false},
    {Dataset::kFlowLogs, "ec2", "describe-flow-logs", false},
    {Dataset::kVpcPeeringConnections, "ec2", "describe-vpc-peering-connections", false},
    {Dataset::kPrefixLists, "ec2", "describe-managed-prefix-lists", false},
    {Dataset::kPrefixListEntries, "ec2", "get-managed-prefix-list-entries", false},
    // ---- beyond EC2 ----
    {Dataset::kLoadBalancers, "elbv2", "describe-load-balancers", false},
    {Dataset::kListeners, "elbv2", "describe-listeners", false},
    {Dataset::kTargetGroups, "elbv2", "describe-target-groups", false},
    {Dataset::kTargetHealth, "elbv2", "describe-target-health", false},
    {Dataset::kCredentialReport, "iam", "get-credential-report", true},
    {Dataset::kAccountAuthorizationDetails, "iam", "get-account-authorization-details", true},
    {Dataset::kAccountSummary, "iam", "get-account-summary", true},
    {Dataset::kAccountPasswordPolicy, "iam", "get-account-password-policy", true},
    {Dataset::kVirtualMfaDevices, "iam", "list-virtual-mfa-devices", true},
    {Dataset::kTrails, "cloudtrail", "describe-trails", false},
    {Dataset::kTrailStatus, "cloudtrail", "get-trail-status", false},
    {Dataset::kEventSelectors, "cloudtrail", "get-event-selectors", false},
    {Dataset::kConfigurationRecorders, "configservice", "describe-configuration-recorders", false},
    {Dataset::kConfigurationRecorderStatus, "configservice", "describe-configuration-recorder-status", false},
    {Dataset::kGuardDutyDetectors, "guardduty", "list-detectors", false},
    {Dataset::kGuardDutyDetector, "guardduty", "get-detector", false},
    {Dataset::kSsmInstanceInformation, "ssm", "describe-instance-information", false},
    {Dataset::kSsmComplianceSummaries, "ssm", "list-resource-compliance-summaries", false},
    {Dataset::kInspectorAccountStatus, "inspector2", "batch-get-account-status", false},
    {Dataset::kAutoScalingInstances, "autoscaling", "describe-auto-scaling-instances", false},
    {Dataset::kAccessAnalyzers, "accessanalyzer", "list-analyzers", false},
    {Dataset::kOrganizationAccounts, "organizations", "list-accounts", true},
    {Dataset::kMetricFilters, "logs", "describe-metric-filters", false},
    {Dataset::kMetricAlarms, "cloudwatch", "describe-alarms", false},
    {Dataset::kSnsSubscriptions, "sns", "list-subscriptions-by-topic", false},
}};

constexpr bool table_is_in_order() {
  for (size_t i = 0; i < kDatasets.size(); ++i) {
    if (size_t(kDatasets[i].dataset) != i) return false;
  }
  return true;
}
static_assert(table_is_in_order(), "kDatasets must be indexed by Dataset");

}  // namespace

const DatasetInfo& dataset_info(Dataset d) { return kDatasets[size_t(d)]; }

std::string dataset_name(Dataset d) {
  const DatasetInfo& info = dataset_info(d);
  return std::string(info.service) + "/" + std::string(info.command);
}

std::optional<Dataset> dataset_by_command(std::string_view service, std::string_view command) {
  for (const DatasetInfo& info : kDatasets) {
    if (info.service == service && info.command == command) return info.dataset;
  }
  // describe-prefix-lists is the older API for the same data.
  if (service == "ec2" && command == "describe-prefix-lists") return Dataset::kPrefixLists;
  return std::nullopt;
}

bool collected_only_in_multi_account_runs(Dataset d) { return d == Dataset::kOrganizationAccounts; }

std::string_view to_string(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::kMissing:
      return "missing";
    case CoverageStatus::kOk:
      return "ok";
    case CoverageStatus::kError:
      return "error";
  }
  return "missing";
}

}  // namespace fortress
