// Running a flow-log check over an account and flow log lines (tests/flows/flow_builder.h).
#pragma once

#include "builder.h"
#include "flows/flow_builder.h"

namespace fortress::testing {

inline std::vector<Finding> run_flow_check(std::string_view id, const Account& account, const flows::RuleUsage* usage) {
  const Check* check = find_check(id);
  EXPECT_NE(check, nullptr) << id;
  std::vector<Finding> out;
  if (check == nullptr) return out;
  FindingSink sink(check->meta, account, out);
  const Config config;
  check->run(CheckContext{account, config, usage}, sink);
  return out;
}

}  // namespace fortress::testing
