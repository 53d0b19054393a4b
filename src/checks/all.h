// One line per check: the constructor each check's source file defines. registry.cpp lists them.
#pragma once

#include <vector>

#include "checks/check.h"

namespace fortress {

// Every check in report order (defined in registry_list.cpp, one line each).
std::vector<Check> registered_checks();

}  // namespace fortress
