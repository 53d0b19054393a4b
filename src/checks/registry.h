// The explicit list of every check fortress runs. Adding a check = one source file under
// src/checks/, one line in registry.cpp, one test beside it under tests/checks/.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "checks/check.h"

namespace fortress {

// Every check, in report order.
[[nodiscard]] std::span<const Check> all_checks();
[[nodiscard]] const Check* find_check(std::string_view id);

// Runs every check (or those whose id is in `only`, when not empty) over the account and returns the
// findings, mutes applied from ctx.config.
[[nodiscard]] std::vector<Finding> run_checks(const CheckContext& ctx, std::span<const std::string> only = {});

}  // namespace fortress
