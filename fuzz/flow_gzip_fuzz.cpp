// Fuzz target for the ISA-L gzip reader (flows/reader.h inflate_gzip): any bytes, including truncated,
// corrupt and multi-member streams. Checks that the pieces handed to the sink add up to out_bytes, that
// a complete result (no error) is only reported for input that starts with the gzip magic, and that the
// same input inflates the same way twice.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "flows/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  uint64_t seen = 0;
  const fortress::flows::InflateResult r = fortress::flows::inflate_gzip(in, [&](std::string_view piece) { seen += piece.size(); });
  if (seen != r.out_bytes) {
    std::fprintf(stderr, "flow_gzip_fuzz: pieces do not add up\n");
    std::abort();
  }
  if (r.error.empty() && (size < 2 || data[0] != 0x1f || data[1] != 0x8b)) {
    std::fprintf(stderr, "flow_gzip_fuzz: non-gzip input reported complete\n");
    std::abort();
  }
  std::string out;
  const fortress::flows::InflateResult again = fortress::flows::inflate_gzip_into(in, out);
  if (again.error != r.error || out.size() != r.out_bytes) {
    std::fprintf(stderr, "flow_gzip_fuzz: not deterministic\n");
    std::abort();
  }
  return 0;
}
