// The constructors of the network checks (security groups, network ACLs, VPC flow logs), one per
// check, each defined in its own source file under src/checks/ and listed in registry_list.cpp.
#pragma once

#include "checks/check.h"

namespace fortress {

[[nodiscard]] Check sg_admin_port_open_ipv4_check();    // sg_admin_port_open.cpp
[[nodiscard]] Check sg_admin_port_open_ipv6_check();    // sg_admin_port_open.cpp
[[nodiscard]] Check sg_all_traffic_open_check();        // sg_all_traffic_open.cpp
[[nodiscard]] Check sg_sensitive_port_open_check();     // sg_sensitive_port_open.cpp
[[nodiscard]] Check sg_wide_port_range_check();         // sg_wide_port_range.cpp
[[nodiscard]] Check sg_public_cidr_ingress_check();     // sg_public_cidr_ingress.cpp
[[nodiscard]] Check sg_default_not_restricted_check();  // sg_default_not_restricted.cpp
[[nodiscard]] Check sg_egress_open_check();             // sg_egress_open.cpp
[[nodiscard]] Check sg_unused_check();                  // sg_unused.cpp
[[nodiscard]] Check sg_too_many_rules_check();          // sg_too_many_rules.cpp
[[nodiscard]] Check nacl_admin_port_open_check();       // nacl_admin_port_open.cpp
[[nodiscard]] Check vpc_flow_logs_disabled_check();     // vpc_flow_logs_disabled.cpp

}  // namespace fortress
