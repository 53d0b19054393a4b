#include "checks/not_collected.h"

#include <fmt/format.h>

#include <algorithm>

#include "checks/registry.h"

namespace fortress {

bool account_collected(const Account* account) {
  if (account == nullptr) return false;
  if (!account->regions.empty()) return true;
  const auto failed = [&](Dataset d) { return account->global_coverage[size_t(d)].status == CoverageStatus::kError; };
  return !failed(Dataset::kCallerIdentity) && !failed(Dataset::kRegions);
}

std::vector<Finding> not_collected_findings(const Account& account, std::span<const std::string> only) {
  std::vector<Finding> out;
  if (account_collected(&account)) return out;
  const Coverage& identity = account.global_coverage[size_t(Dataset::kCallerIdentity)];
  const Coverage& regions = account.global_coverage[size_t(Dataset::kRegions)];
  const std::string& why = identity.status == CoverageStatus::kError ? identity.detail : regions.detail;
  const Symbol detail(fmt::format("nothing in this account was collected: {}", why));
  for (const Check& check : all_checks()) {
    if (!only.empty() && std::find(only.begin(), only.end(), check.meta.id) == only.end()) continue;
    FindingSink sink(check.meta, account, out);
    sink.not_assessed(Symbol(), Symbol(), Symbol(), detail);
  }
  return out;
}

}  // namespace fortress
