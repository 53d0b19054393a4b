// What the exposed-* checks share: one finding per instance (or per ENI without an instance) from
// the scan's exposure analysis, FAIL with the path of every exposure the check is about, PASS for
// every evaluated resource, NOT_ASSESSED where the data was missing.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "checks/check.h"
#include "reach/exposure.h"

namespace fortress {

// The part of a class's grants a check is about (ports clipped to what it cares about); empty when
// none. Sources inside the configuration's trusted_cidrs are removed afterwards by the runner.
using GrantSelector = std::function<std::vector<reach::Grant>(const std::vector<reach::Grant>& grants)>;

struct ExposureCheckSpec {
  std::string_view about;  // "tcp/22 or tcp/3389": what a PASS says the internet does not reach
  GrantSelector select;
};

void run_exposure_check(const CheckContext& ctx, FindingSink& sink, const ExposureCheckSpec& spec);

// Grants of `protocol` (tcp or udp) narrowed to `ports`.
[[nodiscard]] std::vector<reach::Grant> grants_on_ports(const std::vector<reach::Grant>& grants, int protocol,
                                                        const reach::PortSet& ports);

}  // namespace fortress
