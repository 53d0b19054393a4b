// The flow-log analysis as one call for the CLI (fortress flows, fortress scan --flow-logs): read the
// inputs (or merge aggregates), attribute them to the snapshot's rules. Also the option parsers the
// two commands share.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "flows/aggregate.h"
#include "flows/reader.h"
#include "flows/rule_usage.h"
#include "util/expected.h"

namespace fortress::flows {

// "90s", "45m", "12h", "7d", "2w" (or a number of seconds) -> seconds.
[[nodiscard]] Expected<uint32_t> parse_duration(std::string_view text);
// "tcp/80,tcp/443,udp/53" -> the usual egress ports.
[[nodiscard]] Expected<std::vector<std::pair<uint8_t, uint16_t>>> parse_port_list(std::string_view text);

// Reads and merges aggregate files (CSV or JSON). Stops at the first bad file (its Error names it).
[[nodiscard]] Expected<Aggregate> read_aggregates(std::span<const std::string> paths);

}  // namespace fortress::flows
