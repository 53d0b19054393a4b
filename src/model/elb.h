// Elastic Load Balancing v2 (application, network and gateway load balancers): what reachability
// needs to tell which listeners face the internet and where they forward to.
//
// Contracts:
//  - ARNs are the IDs. Cross-references (listener -> load balancer, action -> target group) are by
//    ARN, resolved with Region::load_balancer() / target_group().
//  - Fan-out data is per parent and optional: LoadBalancer::listeners is nullopt when
//    describe-listeners was not collected for that load balancer (the reason, when it failed, is
//    Region::fan_out_failure(Dataset::kListeners, arn)); an empty vector means "collected: none".
//    Same for TargetGroup::targets and describe-target-health.
//  - Ports are TCP/UDP port numbers; nullopt when AWS did not report one (a lambda target group).
//  - Enumerated texts are kept as AWS spells them ("internet-facing", "application", "healthy").
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/net.h"
#include "model/time.h"
#include "util/intern.h"

namespace fortress {

struct LoadBalancerAddress {
  std::optional<IpAddress> ip_address;          // IpAddress: the zone's public (Elastic) or private IPv4
  std::optional<IpAddress> private_ipv4_address;  // PrivateIPv4Address (internal NLBs)
  std::optional<IpAddress> ipv6_address;        // IPv6Address
  Symbol allocation_id;                         // the Elastic IP's, "" when none
};

struct LoadBalancerZone {
  Symbol zone_name;  // "us-east-1a"
  Symbol subnet_id;
  std::vector<LoadBalancerAddress> addresses;  // NLB/GWLB static addresses; ALBs list none
};

struct WeightedTargetGroup {
  Symbol arn;
  std::optional<int64_t> weight;  // ForwardConfig weight; nullopt for a plain TargetGroupArn
};

// One of a listener's DefaultActions.
struct ListenerAction {
  Symbol type;  // forward, redirect, fixed-response, authenticate-oidc, authenticate-cognito
  std::optional<int64_t> order;
  // forward: the union of TargetGroupArn and ForwardConfig.TargetGroups, each ARN once.
  std::vector<WeightedTargetGroup> target_groups;
  [[nodiscard]] bool forwards() const { return type == "forward"; }
};

struct Listener {
  Symbol arn;
  Symbol load_balancer_arn;
  std::optional<int64_t> port;
  Symbol protocol;    // HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE
  Symbol ssl_policy;  // "" when not TLS
  std::vector<Symbol> certificate_arns;
  std::vector<ListenerAction> default_actions;
  uint32_t source = UINT32_MAX;
};

struct LoadBalancer {
  Symbol arn;
  Symbol name;
  Symbol dns_name;
  Symbol scheme;  // "internet-facing" or "internal"
  Symbol type;    // "application", "network", "gateway"
  Symbol vpc_id;
  Symbol ip_address_type;  // ipv4, dualstack, dualstack-without-public-ipv4
  Symbol state;            // State.Code: active, provisioning, active_impaired, failed
  std::optional<UtcTime> created_time;
  std::vector<LoadBalancerZone> zones;     // AvailabilityZones
  std::vector<Symbol> security_group_ids;  // ALBs, and NLBs created with groups; empty otherwise
  // describe-listeners for this load balancer; nullopt when not collected (see the file comment).
  std::optional<std::vector<Listener>> listeners;
  uint32_t source = UINT32_MAX;

  [[nodiscard]] bool internet_facing() const { return scheme == "internet-facing"; }
};

struct TargetHealthDescription {
  Symbol target_id;  // instance ID, IP address, Lambda ARN or ALB ARN (per the group's TargetType)
  std::optional<int64_t> port;
  Symbol availability_zone;  // "all" for IP targets outside the VPC, "" when not reported
  Symbol health_check_port;
  Symbol state;        // TargetHealth.State: initial, healthy, unhealthy, unused, draining, unavailable
  Symbol reason;       // TargetHealth.Reason ("Target.NotInUse", ...), "" when healthy
  Symbol description;  // TargetHealth.Description
};

struct TargetGroup {
  Symbol arn;
  Symbol name;
  Symbol protocol;
  std::optional<int64_t> port;
  Symbol target_type;  // instance, ip, lambda, alb
  Symbol vpc_id;
  Symbol health_check_protocol;
  Symbol health_check_port;  // "traffic-port" or a number as text
  Symbol ip_address_type;
  std::vector<Symbol> load_balancer_arns;
  // describe-target-health for this group; nullopt when not collected (see the file comment).
  std::optional<std::vector<TargetHealthDescription>> targets;
  uint32_t source = UINT32_MAX;
};

}  // namespace fortress
