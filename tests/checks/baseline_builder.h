// Model objects for the account-baseline check tests: instances, trails, recorders, detectors, SSM,
// Auto Scaling, analyzers, metric filters and alarms, added to a TestAccount (builder.h) region.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "builder.h"

namespace fortress::testing {

inline Instance& add_instance(TestAccount& t, std::string id, std::string tokens = "required",
                              std::string endpoint = "enabled", std::string state = "running",
                              std::string_view in = kRegion) {
  Instance i;
  i.id = std::move(id);
  i.state = std::move(state);
  i.vpc_id = "vpc-1";
  if (!tokens.empty() || !endpoint.empty()) {
    i.metadata_options = InstanceMetadataOptions{Symbol(tokens), Symbol(endpoint), 2};
  }
  t.region(in).instances.push_back(std::move(i));
  return t.region(in).instances.back();
}

}  // namespace fortress::testing
