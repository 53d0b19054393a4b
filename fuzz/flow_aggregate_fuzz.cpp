// Fuzz target for the aggregate reader (flows/aggregate_io.h read_aggregate: CSV as fortress or Athena
// writes it, or JSON). A file that reads must write back as CSV that reads again to the same CSV.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "flows/aggregate_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  fortress::flows::Aggregate a;
  if (!fortress::flows::read_aggregate(in, "fuzz.csv", a)) return 0;
  std::ostringstream once;
  fortress::flows::write_aggregate_csv(a, once);
  fortress::flows::Aggregate b;
  if (!fortress::flows::read_aggregate(once.str(), "again.csv", b)) {
    std::fprintf(stderr, "flow_aggregate_fuzz: written aggregate does not read back\n");
    std::abort();
  }
  std::ostringstream twice;
  fortress::flows::write_aggregate_csv(b, twice);
  if (twice.str() != once.str()) {
    std::fprintf(stderr, "flow_aggregate_fuzz: round trip changed the aggregate\n");
    std::abort();
  }
  return 0;
}
