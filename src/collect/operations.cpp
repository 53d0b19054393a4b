#include "collect/operations.h"

#include <vector>

#include "aws/sigv4.h"

namespace fortress::collect {

namespace {

constexpr Scope kAcct = Scope::kAccount;
constexpr Scope kReg = Scope::kRegion;
constexpr std::optional<Dataset> kNotYetLoaded = std::nullopt;

OperationSpec row(std::string_view service, std::string_view operation, std::string_view cli_service,
                  std::string_view command, Scope scope, std::optional<Dataset> dataset) {
  OperationSpec s;
  s.service = service;
  s.operation = operation;
  s.cli_service = cli_service;
  s.command = command;
  s.scope = scope;
  s.dataset = dataset;
  return s;
}

// A call made once per ID the parent's output holds.
OperationSpec per_id(OperationSpec s, std::string_view parent, std::string_view ids_from,
                     std::string_view param) {
  s.parent = parent;
  s.ids_from = ids_from;
  s.param = param;
  return s;
}

// A call made once, after the parent has finished (successfully or not).
OperationSpec after(OperationSpec s, std::string_view parent) {
  s.parent = parent;
  return s;
}

OperationSpec polled(OperationSpec s, std::string_view member, std::string_view value) {
  s.poll_until_member = member;
  s.poll_until_value = value;
  return s;
}

OperationSpec org_only(OperationSpec s) {
  s.multi_account_only = true;
  return s;
}

const std::vector<OperationSpec>& table() {
  static const std::vector<OperationSpec> kTable = {
      // ---- STS, EC2 (the datasets of src/model/dataset.h) ----
      row("sts", "GetCallerIdentity", "sts", "get-caller-identity", kAcct, Dataset::kCallerIdentity),
      // Without AllRegions: the enabled regions only, as the export script asks.
      row("ec2", "DescribeRegions", "ec2", "describe-regions", kAcct, Dataset::kRegions),
      row("ec2", "DescribeVpcs", "ec2", "describe-vpcs", kReg, Dataset::kVpcs),
      row("ec2", "DescribeSubnets", "ec2", "describe-subnets", kReg, Dataset::kSubnets),
      row("ec2", "DescribeSecurityGroups", "ec2", "describe-security-groups", kReg, Dataset::kSecurityGroups),
      row("ec2", "DescribeSecurityGroupRules", "ec2", "describe-security-group-rules", kReg,
          Dataset::kSecurityGroupRules),
      row("ec2", "DescribeNetworkInterfaces", "ec2", "describe-network-interfaces", kReg,
          Dataset::kNetworkInterfaces),
      row("ec2", "DescribeInstances", "ec2", "describe-instances", kReg, Dataset::kInstances),
      row("ec2", "DescribeRouteTables", "ec2", "describe-route-tables", kReg, Dataset::kRouteTables),
      row("ec2", "DescribeNetworkAcls", "ec2", "describe-network-acls", kReg, Dataset::kNetworkAcls),
      row("ec2", "DescribeInternetGateways", "ec2", "describe-internet-gateways", kReg,
          Dataset::kInternetGateways),
      row("ec2", "DescribeEgressOnlyInternetGateways", "ec2", "describe-egress-only-internet-gateways", kReg,
          Dataset::kEgressOnlyInternetGateways),
      row("ec2", "DescribeNatGateways", "ec2", "describe-nat-gateways", kReg, Dataset::kNatGateways),
      row("ec2", "DescribeFlowLogs", "ec2", "describe-flow-logs", kReg, Dataset::kFlowLogs),
      row("ec2", "DescribeVpcPeeringConnections", "ec2", "describe-vpc-peering-connections", kReg,
          Dataset::kVpcPeeringConnections),
      row("ec2", "DescribeManagedPrefixLists", "ec2", "describe-managed-prefix-lists", kReg,
          Dataset::kPrefixLists),
      per_id(row("ec2", "GetManagedPrefixListEntries", "ec2", "get-managed-prefix-list-entries", kReg,
                 Dataset::kPrefixListEntries),
             "DescribeManagedPrefixLists", "PrefixLists[].PrefixListId", "PrefixListId"),
      // ---- the services beyond EC2 ----
      row("elbv2", "DescribeLoadBalancers", "elbv2", "describe-load-balancers", kReg, Dataset::kLoadBalancers),
      per_id(row("elbv2", "DescribeListeners", "elbv2", "describe-listeners", kReg, Dataset::kListeners),
             "DescribeLoadBalancers", "LoadBalancers[].LoadBalancerArn", "LoadBalancerArn"),
      row("elbv2", "DescribeTargetGroups", "elbv2", "describe-target-groups", kReg, Dataset::kTargetGroups),
      per_id(row("elbv2", "DescribeTargetHealth", "elbv2", "describe-target-health", kReg, Dataset::kTargetHealth),
             "DescribeTargetGroups", "TargetGroups[].TargetGroupArn", "TargetGroupArn"),
      polled(
          row("iam", "GenerateCredentialReport", "iam", "generate-credential-report", kAcct, kNotYetLoaded),
          "State", "COMPLETE"),
      after(row("iam", "GetCredentialReport", "iam", "get-credential-report", kAcct, Dataset::kCredentialReport),
            "GenerateCredentialReport"),
      row("iam", "GetAccountAuthorizationDetails", "iam", "get-account-authorization-details", kAcct,
          Dataset::kAccountAuthorizationDetails),
      row("iam", "GetAccountSummary", "iam", "get-account-summary", kAcct, Dataset::kAccountSummary),
      // NoSuchEntity here means "no password policy set": recorded as a collection error, which the
      // loader reads as "collected: the account has no password policy".
      row("iam", "GetAccountPasswordPolicy", "iam", "get-account-password-policy", kAcct,
          Dataset::kAccountPasswordPolicy),
      row("iam", "ListVirtualMFADevices", "iam", "list-virtual-mfa-devices", kAcct, Dataset::kVirtualMfaDevices),
      row("cloudtrail", "DescribeTrails", "cloudtrail", "describe-trails", kReg, Dataset::kTrails),
      per_id(row("cloudtrail", "GetTrailStatus", "cloudtrail", "get-trail-status", kReg, Dataset::kTrailStatus),
             "DescribeTrails", "trailList[].TrailARN", "Name"),
      per_id(row("cloudtrail", "GetEventSelectors", "cloudtrail", "get-event-selectors", kReg,
                 Dataset::kEventSelectors),
             "DescribeTrails", "trailList[].TrailARN", "TrailName"),
      row("config", "DescribeConfigurationRecorders", "configservice", "describe-configuration-recorders",
          kReg, Dataset::kConfigurationRecorders),
      row("config", "DescribeConfigurationRecorderStatus", "configservice",
          "describe-configuration-recorder-status", kReg, Dataset::kConfigurationRecorderStatus),
      row("guardduty", "ListDetectors", "guardduty", "list-detectors", kReg, Dataset::kGuardDutyDetectors),
      per_id(row("guardduty", "GetDetector", "guardduty", "get-detector", kReg, Dataset::kGuardDutyDetector),
             "ListDetectors", "DetectorIds[]", "DetectorId"),
      row("ssm", "DescribeInstanceInformation", "ssm", "describe-instance-information", kReg,
          Dataset::kSsmInstanceInformation),
      row("ssm", "ListResourceComplianceSummaries", "ssm", "list-resource-compliance-summaries", kReg,
          Dataset::kSsmComplianceSummaries),
      row("inspector2", "BatchGetAccountStatus", "inspector2", "batch-get-account-status", kReg,
          Dataset::kInspectorAccountStatus),
      row("autoscaling", "DescribeAutoScalingInstances", "autoscaling", "describe-auto-scaling-instances",
          kReg, Dataset::kAutoScalingInstances),
      row("accessanalyzer", "ListAnalyzers", "accessanalyzer", "list-analyzers", kReg, Dataset::kAccessAnalyzers),
      org_only(row("organizations", "ListAccounts", "organizations", "list-accounts", kAcct,
                  Dataset::kOrganizationAccounts)),
  };
  return kTable;
}

bool starts_with_word(std::string_view name, std::string_view verb) {
  return name.size() > verb.size() && name.substr(0, verb.size()) == verb && name[verb.size()] >= 'A' &&
         name[verb.size()] <= 'Z';
}

}  // namespace

std::span<const OperationSpec> collected_operations() {
  return table();
}

const OperationSpec* find_collected_operation(std::string_view service, std::string_view operation) {
  for (const OperationSpec& s : collected_operations()) {
    if (s.service == service && s.operation == operation) return &s;
  }
  return nullptr;
}

bool is_read_only_operation(std::string_view service, std::string_view operation) {
  (void)service;  // the rule is the same for every service fortress calls
  if (starts_with_word(operation, "Describe") || starts_with_word(operation, "Get") ||
      starts_with_word(operation, "List")) {
    return true;
  }
  return operation == "BatchGetAccountStatus" || operation == "GenerateCredentialReport";
}

std::string file_name_for_id(std::string_view id) {
  return aws::uri_encode(id, /*keep_slash=*/false);
}

std::string snapshot_stem(const OperationSpec& spec, std::string_view region, std::string_view id) {
  std::string out;
  if (spec.scope == Scope::kRegion) {
    out += region;
    out += '/';
  }
  out += spec.cli_service;
  out += '/';
  out += spec.command;
  if (!spec.ids_from.empty()) {
    out += '/';
    out += file_name_for_id(id);
  }
  return out;
}

}  // namespace fortress::collect
