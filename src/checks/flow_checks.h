// The constructors of the checks that read the flow-log attribution (CheckContext::rule_usage), one
// per source file under src/checks/, listed in registry_list.cpp. Without flow logs they report one
// NOT_ASSESSED per region (docs/flows.md).
#pragma once

#include "checks/check.h"

namespace fortress {

[[nodiscard]] Check sg_rule_unused_check();            // sg_rule_unused.cpp
[[nodiscard]] Check sg_rule_redundant_check();         // sg_rule_redundant.cpp
[[nodiscard]] Check sg_rule_overbroad_check();         // sg_rule_overbroad.cpp
[[nodiscard]] Check flow_egress_unusual_port_check();  // flow_egress_unusual_port.cpp

}  // namespace fortress
