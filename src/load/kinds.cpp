#include "load/kinds.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace fortress::load {

namespace {

// One line per AWS CLI command the loader reads.
constexpr std::array kKinds = {
    SnapshotKind{"Regions", Dataset::kRegions, "region", parse_region},
    SnapshotKind{"Vpcs", Dataset::kVpcs, "VPC", parse_vpc},
    SnapshotKind{"Subnets", Dataset::kSubnets, "subnet", parse_subnet},
    SnapshotKind{"SecurityGroups", Dataset::kSecurityGroups, "security group", parse_security_group},
    SnapshotKind{"SecurityGroupRules", Dataset::kSecurityGroupRules, "security group rule",
                 parse_security_group_rule},
    SnapshotKind{"NetworkInterfaces", Dataset::kNetworkInterfaces, "network interface", parse_network_interface},
    SnapshotKind{"Reservations", Dataset::kInstances, "reservation", parse_reservation},
    SnapshotKind{"RouteTables", Dataset::kRouteTables, "route table", parse_route_table},
    SnapshotKind{"NetworkAcls", Dataset::kNetworkAcls, "network ACL", parse_network_acl},
    SnapshotKind{"InternetGateways", Dataset::kInternetGateways, "internet gateway", parse_internet_gateway},
    SnapshotKind{"EgressOnlyInternetGateways", Dataset::kEgressOnlyInternetGateways,
                 "egress-only internet gateway", parse_egress_only_internet_gateway},
    SnapshotKind{"NatGateways", Dataset::kNatGateways, "NAT gateway", parse_nat_gateway},
    SnapshotKind{"FlowLogs", Dataset::kFlowLogs, "flow log", parse_flow_log},
    SnapshotKind{"VpcPeeringConnections", Dataset::kVpcPeeringConnections, "VPC peering connection",
                 parse_vpc_peering_connection},
    // describe-managed-prefix-lists and the older describe-prefix-lists (whose elements carry Cidrs).
    SnapshotKind{"PrefixLists", Dataset::kPrefixLists, "prefix list", parse_prefix_list},
    SnapshotKind{"Entries", Dataset::kPrefixListEntries, "prefix list entry", parse_prefix_list_entry,
                 finish_prefix_list_entries},
    // ---- beyond EC2 ----
    SnapshotKind{"LoadBalancers", Dataset::kLoadBalancers, "load balancer", parse_load_balancer},
    SnapshotKind{"Listeners", Dataset::kListeners, "listener", parse_listener, finish_listeners},
    SnapshotKind{"TargetGroups", Dataset::kTargetGroups, "target group", parse_target_group},
    SnapshotKind{"TargetHealthDescriptions", Dataset::kTargetHealth, "target", parse_target_health,
                 finish_target_health},
    SnapshotKind{"UserDetailList", Dataset::kAccountAuthorizationDetails, "IAM user", parse_iam_user},
    SnapshotKind{"GroupDetailList", Dataset::kAccountAuthorizationDetails, "IAM group", parse_iam_group},
    SnapshotKind{"RoleDetailList", Dataset::kAccountAuthorizationDetails, "IAM role", parse_iam_role},
    SnapshotKind{"Policies", Dataset::kAccountAuthorizationDetails, "managed policy", parse_managed_policy,
                 nullptr, /*companion=*/true},
    SnapshotKind{"VirtualMFADevices", Dataset::kVirtualMfaDevices, "virtual MFA device", parse_virtual_mfa_device},
    SnapshotKind{"trailList", Dataset::kTrails, "trail", parse_trail},
    SnapshotKind{"ConfigurationRecorders", Dataset::kConfigurationRecorders, "configuration recorder",
                 parse_configuration_recorder},
    SnapshotKind{"ConfigurationRecordersStatus", Dataset::kConfigurationRecorderStatus,
                 "configuration recorder status", parse_configuration_recorder_status},
    SnapshotKind{"DetectorIds", Dataset::kGuardDutyDetectors, "detector ID", parse_detector_id},
    SnapshotKind{"InstanceInformationList", Dataset::kSsmInstanceInformation, "managed instance",
                 parse_ssm_instance},
    SnapshotKind{"ResourceComplianceSummaryItems", Dataset::kSsmComplianceSummaries, "compliance summary",
                 parse_compliance_summary},
    SnapshotKind{"accounts", Dataset::kInspectorAccountStatus, "account status", parse_inspector_account},
    SnapshotKind{"failedAccounts", Dataset::kInspectorAccountStatus, "failed account",
                 parse_inspector_failed_account, nullptr, /*companion=*/true},
    SnapshotKind{"AutoScalingInstances", Dataset::kAutoScalingInstances, "Auto Scaling instance",
                 parse_auto_scaling_instance},
    SnapshotKind{"analyzers", Dataset::kAccessAnalyzers, "analyzer", parse_access_analyzer},
    SnapshotKind{"Accounts", Dataset::kOrganizationAccounts, "organization account", parse_organization_account},
};

// Outputs that are one object. Ordered most specific first.
constexpr std::array kDocumentKinds = {
    DocumentKind{"get-credential-report", Dataset::kCredentialReport, {"Content", "ReportFormat"}, {},
                 parse_credential_report},
    DocumentKind{"generate-credential-report", std::nullopt, {"State", "Description"}, {},
                 parse_generate_credential_report},
    DocumentKind{"get-account-summary", Dataset::kAccountSummary, {"SummaryMap", ""}, {}, parse_account_summary},
    DocumentKind{"get-account-password-policy", Dataset::kAccountPasswordPolicy, {"PasswordPolicy", ""}, {},
                 parse_password_policy},
    DocumentKind{"get-event-selectors", Dataset::kEventSelectors, {"TrailARN", ""},
                 {"EventSelectors", "AdvancedEventSelectors"}, parse_event_selectors, finish_trail_child},
    DocumentKind{"get-trail-status", Dataset::kTrailStatus, {"IsLogging", ""}, {}, parse_trail_status,
                 finish_trail_child},
    DocumentKind{"get-detector", Dataset::kGuardDutyDetector, {"ServiceRole", "Status"}, {}, parse_detector,
                 finish_detector},
};

bool has_key(std::span<const std::string> keys, std::string_view member) {
  for (const std::string& k : keys) {
    if (k == member) return true;
  }
  return false;
}

// ---- fan-out IDs ----

bool is_arn_with(std::string_view id, std::string_view service, std::string_view resource) {
  if (!id.starts_with("arn:") || id.find(service) == std::string_view::npos) return false;
  return resource.empty() || id.find(resource) != std::string_view::npos;
}
bool looks_like_prefix_list_id(std::string_view s) {
  if (!s.starts_with("pl-") || s.size() == 3) return false;
  return std::all_of(s.begin() + 3, s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}
bool looks_like_load_balancer_arn(std::string_view s) {
  return is_arn_with(s, ":elasticloadbalancing:", ":loadbalancer/");
}
bool looks_like_target_group_arn(std::string_view s) {
  return is_arn_with(s, ":elasticloadbalancing:", ":targetgroup/");
}
// get-trail-status and get-event-selectors take a trail ARN or name (3-128 of [A-Za-z0-9._-]).
bool looks_like_trail(std::string_view s) {
  if (s.starts_with("arn:")) return is_arn_with(s, ":cloudtrail:", ":trail/");
  return s.size() >= 3 && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
         });
}
bool looks_like_detector_id(std::string_view s) {
  return !s.empty() && s.size() <= 300 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

constexpr std::array kFanOutKinds = {
    FanOutKind{Dataset::kPrefixListEntries, "prefix list ID (pl-<hex>)", looks_like_prefix_list_id},
    FanOutKind{Dataset::kListeners, "load balancer ARN", looks_like_load_balancer_arn},
    FanOutKind{Dataset::kTargetHealth, "target group ARN", looks_like_target_group_arn},
    FanOutKind{Dataset::kTrailStatus, "trail ARN or name", looks_like_trail},
    FanOutKind{Dataset::kEventSelectors, "trail ARN or name", looks_like_trail},
    FanOutKind{Dataset::kGuardDutyDetector, "detector ID", looks_like_detector_id},
};

}  // namespace

std::span<const SnapshotKind> snapshot_kinds() { return kKinds; }

const SnapshotKind* kind_by_list_member(std::string_view member) {
  for (const SnapshotKind& kind : kKinds) {
    if (kind.list_member == member) return &kind;
  }
  return nullptr;
}

std::span<const DocumentKind> snapshot_document_kinds() { return kDocumentKinds; }

const DocumentKind* document_kind_for(std::span<const std::string> keys) {
  for (const DocumentKind& kind : kDocumentKinds) {
    bool all = std::all_of(kind.all_of.begin(), kind.all_of.end(),
                           [&](std::string_view m) { return m.empty() || has_key(keys, m); });
    bool any_given = std::any_of(kind.any_of.begin(), kind.any_of.end(), [](std::string_view m) { return !m.empty(); });
    bool any = !any_given || std::any_of(kind.any_of.begin(), kind.any_of.end(),
                                         [&](std::string_view m) { return !m.empty() && has_key(keys, m); });
    if (all && any) return &kind;
  }
  return nullptr;
}

bool is_document_member(std::string_view member) {
  for (const DocumentKind& kind : kDocumentKinds) {
    for (std::string_view m : kind.all_of) {
      if (!m.empty() && m == member) return true;
    }
  }
  return false;
}

const FanOutKind* fan_out_kind(Dataset dataset) {
  for (const FanOutKind& kind : kFanOutKinds) {
    if (kind.dataset == dataset) return &kind;
  }
  return nullptr;
}

std::optional<std::string> percent_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int hi = hex(text[i + 1]);
    int lo = hex(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    char decoded = char(hi * 16 + lo);
    if (decoded == '\0') return std::nullopt;
    out += decoded;
    i += 2;
  }
  return out;
}

std::string fan_out_id(FileContext& file, Dataset dataset, std::string_view from_content) {
  const FanOutKind* kind = fan_out_kind(dataset);
  if (!from_content.empty()) return std::string(from_content);
  std::string_view name = file.path();
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  for (std::string_view suffix : {std::string_view(".error.json"), std::string_view(".json")}) {
    if (name.ends_with(suffix)) {
      name.remove_suffix(suffix.size());
      break;
    }
  }
  std::optional<std::string> id = percent_decode(name);
  if (id && kind != nullptr && kind->valid(*id)) return std::move(*id);
  std::string what = kind != nullptr ? std::string(kind->what) : std::string("resource ID");
  file.add(LoadDiagnostic::Level::kWarning, nullptr,
           fmt::format("{} for an unknown parent: the output does not name it and the file name \"{}\" is not a "
                       "percent-encoded {}; ignored",
                       dataset_name(dataset), name, what));
  return {};
}

}  // namespace fortress::load
