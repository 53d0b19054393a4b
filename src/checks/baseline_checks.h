// The constructors of the account-baseline checks (logging and detection, CIS 3.x and 4.x; the
// environment: Systems Manager, Auto Scaling, the instance metadata service), one per check or tight
// family, each defined in its own source file under src/checks/ and listed in registry_list.cpp.
#pragma once

#include <vector>

#include "checks/check.h"

namespace fortress {

[[nodiscard]] Check imdsv2_required_check();  // imdsv2_required.cpp

}  // namespace fortress
