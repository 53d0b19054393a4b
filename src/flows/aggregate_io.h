// The aggregate as a file: `fortress flows --aggregate-only` writes it, `--from-aggregate` reads one or
// many and merges them, and the Athena SQL (flows/athena.h) produces the same CSV. docs/flows.md
// documents both formats column by column.
//
// CSV: a header line, then one row per flow key (kind "flow") and one per (interface, flow log)
// observation (kind "observation"). JSON: the same rows under "flows" and "observations", plus the
// read statistics and malformed-line samples. Rows are written in a deterministic order.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "flows/aggregate.h"
#include "util/expected.h"

namespace fortress::flows {

inline constexpr std::string_view kAggregateCsvHeader =
    "kind,interface_id,flow_log_id,src_addr,dst_addr,src_port,dst_port,protocol,action,flow_direction,initiator,"
    "flows,packets,bytes,first_start,last_end,nodata,skipdata";

void write_aggregate_csv(const Aggregate& aggregate, std::ostream& out);
void write_aggregate_json(const Aggregate& aggregate, std::ostream& out);

// Reads a CSV (as written above or by Athena: quoted or not, columns in any order, names in any case)
// or JSON aggregate and merges it into `into`. Errors name the file and line; a bad row is an error
// (an aggregate is machine-written: a damaged one is not guessed at).
[[nodiscard]] Status read_aggregate(std::string_view text, std::string_view name, Aggregate& into);

}  // namespace fortress::flows
