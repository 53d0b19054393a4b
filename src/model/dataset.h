// The datasets a snapshot can hold, one per AWS CLI command, and whether each was collected.
//
// "Not collected" is not "empty": a region whose describe-security-groups failed has coverage
// kError for kSecurityGroups, and every check that needs it reports NOT_ASSESSED for that region.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fortress {

enum class Dataset : uint8_t {
  kCallerIdentity,              // sts get-caller-identity (account-wide)
  kRegions,                     // ec2 describe-regions (account-wide)
  kVpcs,                        // ec2 describe-vpcs
  kSubnets,                     // ec2 describe-subnets
  kSecurityGroups,              // ec2 describe-security-groups
  kSecurityGroupRules,          // ec2 describe-security-group-rules
  kNetworkInterfaces,           // ec2 describe-network-interfaces
  kInstances,                   // ec2 describe-instances
  kRouteTables,                 // ec2 describe-route-tables
  kNetworkAcls,                 // ec2 describe-network-acls
  kInternetGateways,            // ec2 describe-internet-gateways
  kEgressOnlyInternetGateways,  // ec2 describe-egress-only-internet-gateways
  kNatGateways,                 // ec2 describe-nat-gateways
  kFlowLogs,                    // ec2 describe-flow-logs
  kVpcPeeringConnections,       // ec2 describe-vpc-peering-connections
  kPrefixLists,                 // ec2 describe-managed-prefix-lists (or describe-prefix-lists)
  kPrefixListEntries,           // ec2 get-managed-prefix-list-entries (one file per list)
  // ---- beyond EC2 (model/elb.h, iam.h, logging.h, security_services.h, fleet.h). A "fan-out"
  // dataset is collected once per parent resource, one file each, named by the resource's ID.
  kLoadBalancers,                   // elbv2 describe-load-balancers
  kListeners,                       // elbv2 describe-listeners (fan-out: per load balancer)
  kTargetGroups,                    // elbv2 describe-target-groups
  kTargetHealth,                    // elbv2 describe-target-health (fan-out: per target group)
  kCredentialReport,                // iam get-credential-report (account-wide)
  kAccountAuthorizationDetails,     // iam get-account-authorization-details (account-wide)
  kAccountSummary,                  // iam get-account-summary (account-wide)
  kAccountPasswordPolicy,           // iam get-account-password-policy (account-wide)
  kVirtualMfaDevices,               // iam list-virtual-mfa-devices (account-wide)
  kTrails,                          // cloudtrail describe-trails
  kTrailStatus,                     // cloudtrail get-trail-status (fan-out: per trail)
  kEventSelectors,                  // cloudtrail get-event-selectors (fan-out: per trail)
  kConfigurationRecorders,          // configservice describe-configuration-recorders
  kConfigurationRecorderStatus,     // configservice describe-configuration-recorder-status
  kGuardDutyDetectors,              // guardduty list-detectors
  kGuardDutyDetector,               // guardduty get-detector (fan-out: per detector)
  kSsmInstanceInformation,          // ssm describe-instance-information
  kSsmComplianceSummaries,          // ssm list-resource-compliance-summaries
  kInspectorAccountStatus,          // inspector2 batch-get-account-status
  kAutoScalingInstances,            // autoscaling describe-auto-scaling-instances
  kAccessAnalyzers,                 // accessanalyzer list-analyzers
  kOrganizationAccounts,            // organizations list-accounts (account-wide, --org only)
  kMetricFilters,                   // logs describe-metric-filters
  kMetricAlarms,                    // cloudwatch describe-alarms
  kSnsSubscriptions,                // sns list-subscriptions-by-topic (fan-out: per alarm action topic)
};
inline constexpr size_t kDatasetCount = size_t(Dataset::kSnsSubscriptions) + 1;

struct DatasetInfo {
  Dataset dataset;
  std::string_view service;  // AWS CLI service name: "ec2"
  std::string_view command;  // AWS CLI command: "describe-security-groups"
  bool account_wide;         // collected once per account rather than per region
};

// Table of every dataset, indexed by Dataset.
[[nodiscard]] const DatasetInfo& dataset_info(Dataset d);
// "ec2/describe-security-groups": the name used in coverage output and in snapshot paths.
[[nodiscard]] std::string dataset_name(Dataset d);
// Looks up a dataset by "service command" or "service/command" ("ec2 describe-vpcs"); nullopt if unknown.
[[nodiscard]] std::optional<Dataset> dataset_by_command(std::string_view service, std::string_view command);

enum class CoverageStatus : uint8_t {
  kMissing,  // no file of this kind was found: not collected
  kOk,       // collected (possibly empty)
  kError,    // collection failed (AccessDenied, opt-in region, malformed file ...); detail says why
};
[[nodiscard]] std::string_view to_string(CoverageStatus s);  // "missing", "ok", "error"

struct Coverage {
  CoverageStatus status = CoverageStatus::kMissing;
  std::string detail;  // why it is missing or failed; the file(s) for kOk
  [[nodiscard]] bool ok() const { return status == CoverageStatus::kOk; }
};

using CoverageTable = std::array<Coverage, kDatasetCount>;

// True for a dataset that only multi-account runs collect (`fortress collect --org` writes
// organizations list-accounts into the listing account's snapshot; a single-account export or
// collection never asks for it), so a single-account snapshot without it lacks nothing. Agrees with
// the collector's operations table (collect::OperationSpec::multi_account_only; a test pins it).
[[nodiscard]] bool collected_only_in_multi_account_runs(Dataset d);

}  // namespace fortress
