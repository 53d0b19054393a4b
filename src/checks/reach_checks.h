// The constructors of the reachability checks (internet exposure of instances, lateral movement),
// one per check, each defined in its own source file under src/checks/ and listed in
// registry_list.cpp. They read CheckContext::exposure, computed once per scan (src/reach).
#pragma once

#include "checks/check.h"

namespace fortress {

[[nodiscard]] Check exposed_admin_port_check();                 // exposed_admin_port.cpp
[[nodiscard]] Check exposed_sensitive_port_check();             // exposed_sensitive_port.cpp
[[nodiscard]] Check exposed_all_ports_check();                  // exposed_all_ports.cpp
[[nodiscard]] Check exposed_web_check();                        // exposed_web.cpp
[[nodiscard]] Check sg_flat_network_check();                    // sg_flat_network.cpp
[[nodiscard]] Check shared_service_reachable_broadly_check();   // shared_service_reachable_broadly.cpp

}  // namespace fortress
