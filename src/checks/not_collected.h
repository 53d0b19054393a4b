// An account of which nothing was collected (its role could not be assumed in a multi-account run,
// or not one call worked): the checks find no region to look at and would say nothing at all. These
// findings say it instead -- one NOT_ASSESSED per check for the account, region "global", with the
// reason -- so every format shows the account and what was not assessed in it.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "checks/check.h"
#include "model/account.h"

namespace fortress {

// False when nothing in the account was collected: no region folder, and its identity (sts
// get-caller-identity) or its region list failed -- the role could not be assumed in a multi-account
// run, or no call worked at all.
[[nodiscard]] bool account_collected(const Account* account);

// Empty unless account_collected() is false for `account`. `only`: the
// checks selected with --checks (empty = all).
[[nodiscard]] std::vector<Finding> not_collected_findings(const Account& account, std::span<const std::string> only);

}  // namespace fortress
