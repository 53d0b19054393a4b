// Fuzz target for the CloudWatch Logs export reader (flows/reader.h aggregate_cloudwatch_export):
// any text as `aws logs filter-log-events` JSON. Never crashes; counters stay consistent.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "flows/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  fortress::flows::Aggregate a;
  fortress::flows::aggregate_cloudwatch_export(in, "fuzz.json", {}, a);
  const fortress::flows::ReadStats& s = a.stats;
  if (s.nodata + s.skipdata + s.malformed + s.unattributable > s.records) {
    std::fprintf(stderr, "flow_cloudwatch_fuzz: counters exceed the records\n");
    std::abort();
  }
  return 0;
}
