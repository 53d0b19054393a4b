// The typed account model: what a snapshot says about one AWS account, region by region.
//
// Filled by the loader (src/load), immutable afterwards, read by checks and analyses. Texts (IDs,
// names, states, tags) are Symbols, interned strings: a VPC ID named by 50,000 ENIs is stored once,
// and every text costs 16 bytes in its resource (a large account holds millions). IDs are the AWS IDs; cross-references between resources are by ID and resolved through the
// per-region indexes, which Account::finalize() builds once. Pointers and spans returned by the
// lookups stay valid as long as the Account lives and is not modified.
//
// Every resource records the snapshot file it came from (`source`, an index into Account::files).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/dataset.h"
#include "model/net.h"
#include "util/intern.h"
// Services beyond EC2.
#include "model/elb.h"
#include "model/fan_out.h"
#include "model/fleet.h"
#include "model/iam.h"
#include "model/logging.h"
#include "model/security_services.h"

namespace fortress {

inline constexpr uint32_t kNoFile = UINT32_MAX;

struct Tag {
  Symbol key;
  Symbol value;
};
using Tags = std::vector<Tag>;
// The value of the "Name" tag, or "" when there is none.
[[nodiscard]] Symbol name_tag(const Tags& tags);

// ---------------------------------------------------------------------------------------------
// Security groups

enum class RuleDirection : uint8_t { kIngress, kEgress };

enum class PeerKind : uint8_t {
  kCidr,           // IPv4 or IPv6 block (cidr.family() tells which)
  kSecurityGroup,  // traffic from/to ENIs in a referenced security group
  kPrefixList,     // traffic from/to the entries of a managed prefix list
};

// The one source (ingress) or destination (egress) of a normalized rule.
struct RulePeer {
  PeerKind kind = PeerKind::kCidr;
  Cidr cidr;                          // kCidr
  Symbol group_id;               // kSecurityGroup
  Symbol group_owner_id;         // kSecurityGroup: the referenced group's account ("" = unknown)
  Symbol vpc_id;                 // kSecurityGroup: set when the group is across a peering
  Symbol peering_connection_id;  // kSecurityGroup: the peering, when across one
  Symbol prefix_list_id;         // kPrefixList

  // "0.0.0.0/0", "sg-0abc", "sg-0abc (account 111122223333)", "pl-0123"
  [[nodiscard]] std::string to_string() const;
};

// One normalized rule: one protocol/port spec and exactly one peer. AWS's IpPermissions with
// several ranges expand to several rules; describe-security-group-rules already has this shape.
struct SecurityGroupRule {
  Symbol rule_id;  // "sgr-..." when describe-security-group-rules was exported, else ""
  RuleDirection direction = RuleDirection::kIngress;
  TrafficSpec traffic;
  RulePeer peer;
  Symbol description;
  uint32_t source = kNoFile;

  [[nodiscard]] bool is_ingress() const { return direction == RuleDirection::kIngress; }
  [[nodiscard]] bool is_egress() const { return direction == RuleDirection::kEgress; }
};

struct SecurityGroup {
  Symbol id;
  Symbol group_name;
  Symbol description;
  Symbol vpc_id;  // "" for EC2-Classic groups
  Symbol owner_id;
  Tags tags;
  std::vector<SecurityGroupRule> rules;  // ingress and egress, in input order
  bool rule_ids_known = false;           // rules came from describe-security-group-rules
  uint32_t source = kNoFile;

  // The VPC's default group: AWS names it "default" and it cannot be renamed or deleted.
  [[nodiscard]] bool is_default() const { return group_name == "default"; }
  [[nodiscard]] Symbol name() const { return name_tag(tags); }
};

// ---------------------------------------------------------------------------------------------
// VPC plumbing

struct Vpc {
  Symbol id;
  Symbol owner_id;
  Symbol state;
  bool is_default = false;
  std::vector<Cidr> ipv4_cidrs;  // primary first, then associated secondary blocks
  std::vector<Cidr> ipv6_cidrs;  // associated blocks only
  Tags tags;
  uint32_t source = kNoFile;
  [[nodiscard]] Symbol name() const { return name_tag(tags); }
};

struct Subnet {
  Symbol id;
  Symbol vpc_id;
  Symbol availability_zone;
  Symbol owner_id;
  std::optional<Cidr> ipv4_cidr;  // nullopt for IPv6-only subnets
  std::vector<Cidr> ipv6_cidrs;
  bool map_public_ip_on_launch = false;
  bool default_for_az = false;
  Tags tags;
  uint32_t source = kNoFile;
  [[nodiscard]] Symbol name() const { return name_tag(tags); }
};

enum class RouteTarget : uint8_t {
  kLocal,
  kInternetGateway,            // igw-
  kEgressOnlyInternetGateway,  // eigw-
  kNatGateway,                 // nat-
  kVirtualPrivateGateway,      // vgw-
  kTransitGateway,             // tgw-
  kVpcPeering,                 // pcx-
  kInstance,                   // i-
  kNetworkInterface,           // eni-
  kVpcEndpoint,                // vpce-
  kLocalGateway,               // lgw-
  kCarrierGateway,             // cagw-
  kCoreNetwork,                // Cloud WAN core network ARN
  kOther,
};

struct Route {
  std::optional<Cidr> destination;      // nullopt when the destination is a prefix list
  Symbol destination_prefix_list_id;
  RouteTarget target = RouteTarget::kOther;
  Symbol target_id;  // "local", "igw-...", "nat-...", ...
  bool active = true;     // State "active"; false for "blackhole"
  Symbol origin;     // CreateRouteTable, CreateRoute, EnableVgwRoutePropagation
};

struct RouteTableAssociation {
  Symbol id;
  Symbol subnet_id;   // subnet association
  Symbol gateway_id;  // edge association (igw/vgw)
  bool main = false;
  Symbol state;  // "associated", "disassociated", ... ("" when not reported)
};

struct RouteTable {
  Symbol id;
  Symbol vpc_id;
  Symbol owner_id;
  std::vector<Route> routes;
  std::vector<RouteTableAssociation> associations;
  Tags tags;
  uint32_t source = kNoFile;
  [[nodiscard]] bool is_main() const;
  [[nodiscard]] Symbol name() const { return name_tag(tags); }
};

struct NetworkAclEntry {
  int32_t rule_number = 0;  // 1..32766; AWS also lists the implicit "*" deny as 32767 (IPv4), 32768 (IPv6)
  bool egress = false;
  bool allow = false;  // RuleAction "allow"; otherwise "deny"
  TrafficSpec traffic;
  Cidr cidr;  // CidrBlock or Ipv6CidrBlock
};

struct NetworkAcl {
  Symbol id;
  Symbol vpc_id;
  Symbol owner_id;
  bool is_default = false;
  // Entries sorted by (egress, rule_number): inbound first, each direction in evaluation order.
  std::vector<NetworkAclEntry> entries;
  std::vector<Symbol> subnet_ids;  // associated subnets
  Tags tags;
  uint32_t source = kNoFile;
  [[nodiscard]] Symbol name() const { return name_tag(tags); }
};

struct InternetGateway {
  Symbol id;
  Symbol owner_id;
  std::vector<Symbol> vpc_ids;  // attachments in state "available"/"attached"
  Tags tags;
  uint32_t source = kNoFile;
};

struct EgressOnlyInternetGateway {
  Symbol id;
  std::vector<Symbol> vpc_ids;
  Tags tags;
  uint32_t source = kNoFile;
};

struct NatGateway {
  Symbol id;
  Symbol vpc_id;
  Symbol subnet_id;
  Symbol state;              // pending, failed, available, deleting, deleted
  Symbol connectivity_type;  // public, private
  std::vector<IpAddress> public_ips;
  std::vector<IpAddress> private_ips;
  std::vector<Symbol> network_interface_ids;
  Tags tags;
  uint32_t source = kNoFile;
};

struct PeeringSide {
  Symbol vpc_id;
  Symbol owner_id;
  Symbol region;
  std::vector<Cidr> ipv4_cidrs;
  std::vector<Cidr> ipv6_cidrs;
};

struct VpcPeeringConnection {
  Symbol id;
  Symbol status;  // Status.Code: active, pending-acceptance, deleted, rejected, ...
  PeeringSide requester;
  PeeringSide accepter;
  Tags tags;
  uint32_t source = kNoFile;
  [[nodiscard]] bool active() const { return status == "active"; }
};

struct PrefixListEntry {
  Cidr cidr;
  Symbol description;
};

struct PrefixList {
  Symbol id;
  Symbol name;
  Symbol address_family;  // "IPv4" / "IPv6"
  Symbol owner_id;        // "AWS" for AWS-managed lists
  int64_t max_entries = 0;
  // The CIDRs, when get-managed-prefix-list-entries (or describe-prefix-lists' Cidrs) was collected
  // for this list; nullopt when not collected (a check that needs them reports NOT_ASSESSED).
  std::optional<std::vector<PrefixListEntry>> entries;
  Tags tags;
  uint32_t source = kNoFile;
};

struct FlowLog {
  Symbol id;
  Symbol resource_id;   // vpc-, subnet-, eni-, tgw- ...
  Symbol traffic_type;  // ALL, ACCEPT, REJECT
  Symbol status;        // FlowLogStatus: ACTIVE
  Symbol deliver_logs_status;  // SUCCESS, FAILED
  Symbol destination_type;     // cloud-watch-logs, s3, kinesis-data-firehose
  Symbol destination;          // ARN or log group name
  Symbol log_format;           // "${version} ${account-id} ..."
  int64_t max_aggregation_interval = 0;
  Tags tags;
  uint32_t source = kNoFile;
  [[nodiscard]] bool active() const { return status == "ACTIVE"; }
};

// ---------------------------------------------------------------------------------------------
// Compute

struct PrivateIp {
  IpAddress address;
  std::optional<IpAddress> public_ip;  // Association.PublicIp (auto-assigned or Elastic IP)
  bool primary = false;
};

struct NetworkInterface {
  Symbol id;
  Symbol subnet_id;
  Symbol vpc_id;
  Symbol availability_zone;
  Symbol owner_id;
  Symbol description;
  Symbol interface_type;  // interface, nat_gateway, network_load_balancer, lambda, vpc_endpoint, ...
  Symbol status;          // in-use, available
  Symbol requester_id;
  bool requester_managed = false;
  bool source_dest_check = true;
  std::vector<Symbol> group_ids;
  std::vector<PrivateIp> private_ips;  // primary first
  std::vector<IpAddress> ipv6_addresses;
  Symbol instance_id;  // Attachment.InstanceId, "" when not attached to an instance
  Symbol attachment_status;
  Tags tags;  // describe-network-interfaces calls them TagSet
  uint32_t source = kNoFile;

  [[nodiscard]] Symbol name() const { return name_tag(tags); }
  [[nodiscard]] bool has_public_ipv4() const;
};

struct InstanceMetadataOptions {
  Symbol http_tokens;    // "required" (IMDSv2 only) or "optional"
  Symbol http_endpoint;  // "enabled" / "disabled"
  int64_t http_put_response_hop_limit = 0;
};

struct Instance {
  Symbol id;
  Symbol state;  // State.Name: pending, running, stopping, stopped, shutting-down, terminated
  Symbol vpc_id;
  Symbol subnet_id;
  Symbol image_id;
  Symbol instance_type;
  Symbol platform;  // "windows" or ""
  Symbol launch_time;
  Symbol iam_instance_profile_arn;
  Symbol owner_id;  // the reservation's OwnerId
  std::optional<IpAddress> private_ip;
  std::optional<IpAddress> public_ip;
  std::vector<Symbol> network_interface_ids;
  std::vector<Symbol> group_ids;
  std::optional<InstanceMetadataOptions> metadata_options;
  Tags tags;
  uint32_t source = kNoFile;
  [[nodiscard]] Symbol name() const { return name_tag(tags); }
};

// ---------------------------------------------------------------------------------------------
// Regions and the account

struct Region {
  Symbol name;  // "us-east-1"
  CoverageTable coverage;

  std::vector<Vpc> vpcs;
  std::vector<Subnet> subnets;
  std::vector<SecurityGroup> security_groups;
  std::vector<NetworkInterface> network_interfaces;
  std::vector<Instance> instances;
  std::vector<RouteTable> route_tables;
  std::vector<NetworkAcl> network_acls;
  std::vector<InternetGateway> internet_gateways;
  std::vector<EgressOnlyInternetGateway> egress_only_internet_gateways;
  std::vector<NatGateway> nat_gateways;
  std::vector<FlowLog> flow_logs;
  std::vector<VpcPeeringConnection> peering_connections;
  std::vector<PrefixList> prefix_lists;

  [[nodiscard]] const Coverage& covered(Dataset d) const { return coverage[size_t(d)]; }
  [[nodiscard]] bool has(Dataset d) const { return covered(d).ok(); }

  // Lookups by ID (nullptr when absent). Valid after Account::finalize().
  [[nodiscard]] const Vpc* vpc(std::string_view id) const;
  [[nodiscard]] const Subnet* subnet(std::string_view id) const;
  [[nodiscard]] const SecurityGroup* security_group(std::string_view id) const;
  [[nodiscard]] const NetworkInterface* network_interface(std::string_view id) const;
  [[nodiscard]] const Instance* instance(std::string_view id) const;
  [[nodiscard]] const RouteTable* route_table(std::string_view id) const;
  [[nodiscard]] const NetworkAcl* network_acl(std::string_view id) const;
  [[nodiscard]] const PrefixList* prefix_list(std::string_view id) const;

  // ENIs whose Groups include the security group.
  [[nodiscard]] std::span<const NetworkInterface* const> enis_in_group(std::string_view group_id) const;
  // Rules of other groups (or of the group itself) whose peer is this security group.
  struct RuleRef {
    const SecurityGroup* group;
    const SecurityGroupRule* rule;
  };
  [[nodiscard]] std::span<const RuleRef> rules_referencing(std::string_view group_id) const;
  // The route table that governs a subnet: its explicit association, else the VPC's main table.
  [[nodiscard]] const RouteTable* route_table_for_subnet(std::string_view subnet_id) const;
  // The network ACL associated with a subnet (every subnet has exactly one).
  [[nodiscard]] const NetworkAcl* network_acl_for_subnet(std::string_view subnet_id) const;
  // Flow logs attached directly to a resource (VPC, subnet or ENI ID).
  [[nodiscard]] std::span<const FlowLog* const> flow_logs_for(std::string_view resource_id) const;
  // Security groups of a VPC.
  [[nodiscard]] std::span<const SecurityGroup* const> groups_in_vpc(std::string_view vpc_id) const;

  // ---- services beyond EC2 (model/elb.h, logging.h, security_services.h, fleet.h) -------------
  std::vector<LoadBalancer> load_balancers;
  std::vector<TargetGroup> target_groups;
  std::vector<Trail> trails;  // including shadow copies of other regions' multi-region trails
  std::vector<ConfigurationRecorder> configuration_recorders;
  std::vector<GuardDutyDetector> guardduty_detectors;
  std::vector<InspectorAccountStatus> inspector_accounts;
  std::vector<AccessAnalyzer> access_analyzers;
  std::vector<SsmInstance> ssm_instances;
  std::vector<ComplianceSummary> compliance_summaries;
  std::vector<AutoScalingInstance> auto_scaling_instances;
  std::vector<MetricFilter> metric_filters;
  std::vector<MetricAlarm> metric_alarms;
  // One entry per SNS topic whose subscriptions were collected; a topic absent here was not
  // (sns_subscriptions_for() returns nullptr, fan_out_failure(kSnsSubscriptions, arn) says why).
  std::vector<SnsTopicSubscriptions> sns_topics;
  std::vector<FanOutFailure> fan_out_failures;  // model/fan_out.h

  // Lookups (nullptr / empty when absent). Valid after Account::finalize().
  [[nodiscard]] const LoadBalancer* load_balancer(std::string_view arn) const;
  [[nodiscard]] const Listener* listener(std::string_view arn) const;
  [[nodiscard]] const TargetGroup* target_group(std::string_view arn) const;
  // Target groups that list the load balancer in LoadBalancerArns.
  [[nodiscard]] std::span<const TargetGroup* const> target_groups_of(std::string_view load_balancer_arn) const;
  // Target groups with a registered target of this ID (instance ID, IP, Lambda or ALB ARN), from
  // describe-target-health.
  [[nodiscard]] std::span<const TargetGroup* const> target_groups_with_target(std::string_view target_id) const;
  // A trail by TrailARN, or by Name when no ARN matches.
  [[nodiscard]] const Trail* trail(std::string_view arn_or_name) const;
  [[nodiscard]] const GuardDutyDetector* guardduty_detector(std::string_view id) const;
  [[nodiscard]] const SsmInstance* ssm_instance(std::string_view instance_id) const;
  [[nodiscard]] const AutoScalingInstance* auto_scaling_instance(std::string_view instance_id) const;
  // Compliance summaries of a resource (every ComplianceType), in input order.
  [[nodiscard]] std::span<const ComplianceSummary* const> compliance_for(std::string_view resource_id) const;
  // Metric filters on a log group (by logGroupName).
  [[nodiscard]] std::span<const MetricFilter* const> metric_filters_on(std::string_view log_group_name) const;
  // Metric alarms on a metric (namespace, name).
  [[nodiscard]] std::span<const MetricAlarm* const> alarms_on(std::string_view metric_namespace,
                                                             std::string_view metric_name) const;
  // The subscriptions of an SNS topic; nullptr when they were not collected (never "none").
  [[nodiscard]] const std::vector<SnsSubscription>* sns_subscriptions_for(std::string_view topic_arn) const;
  // Why the fan-out call of `dataset` for parent `id` failed, or nullptr when it did not fail.
  [[nodiscard]] const FanOutFailure* fan_out_failure(Dataset dataset, std::string_view id) const;

  Region();
  ~Region();
  Region(Region&&) noexcept;
  Region& operator=(Region&&) noexcept;

 private:
  friend class Account;
  struct Index;
  std::unique_ptr<Index> index_;
  void build_index();
  // The indexes of the services beyond EC2 (model/service_index.cpp).
  struct ServiceIndex;
  std::unique_ptr<ServiceIndex> service_index_;
  void build_service_index();
};

struct CallerIdentity {
  Symbol account;
  Symbol arn;
  Symbol user_id;
};

struct EnabledRegion {
  Symbol name;
  Symbol opt_in_status;  // opt-in-not-required, opted-in, not-opted-in
};

class Account {
 public:
  Symbol account_id;  // get-caller-identity's Account, else the OwnerId seen most; "" if unknown
  std::optional<CallerIdentity> caller_identity;
  // describe-regions: the regions the account has enabled (nullopt when not collected).
  std::optional<std::vector<EnabledRegion>> enabled_regions;
  CoverageTable global_coverage;  // account-wide datasets (caller identity, regions)
  std::vector<std::string> files;   // snapshot files, relative to the snapshot root; `source` indexes these
  std::vector<Region> regions;      // sorted by name

  // ---- account-wide services beyond EC2 (model/iam.h) -------------------------------------------
  IamData iam;
  std::vector<OrganizationAccount> organization_accounts;  // organizations list-accounts

  [[nodiscard]] const Region* region(std::string_view name) const;
  Region& region_mut(std::string_view name);  // finds or creates (loader only)
  [[nodiscard]] std::string_view file(uint32_t source) const {
    return source < files.size() ? std::string_view(files[source]) : std::string_view();
  }
  [[nodiscard]] const Coverage& covered(std::string_view region, Dataset d) const;

  // Sorts regions and builds every index, the regions' on up to `threads` threads (0: one per core).
  // Call once after loading; the model is read-only after.
  void finalize(unsigned threads = 0);
};

}  // namespace fortress
