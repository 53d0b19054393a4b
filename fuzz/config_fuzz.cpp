// Fuzz target for parse_config: arbitrary bytes as a fortress.yaml.
//
// parse_config must never throw or crash (yaml-cpp throws; parse_config turns that into an Error),
// every error must name the origin, and every accepted config must satisfy the invariants the
// checks rely on: each mute has a reason, trusted CIDRs are normalized and not /0, port ranges are
// ordered.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "config/config.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "config_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fortress;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Expected<Config> config = parse_config(text, "fuzz.yaml");
  if (!config) {
    if (config.error().file != "fuzz.yaml") fail("error does not name the origin");
    if (config.error().message.empty()) fail("error without a message");
    return 0;
  }
  for (const MuteRule& m : config->mutes) {
    if (m.reason.empty()) fail("mute without a reason");
    if (m.check.empty() || m.resource.empty() || m.region.empty() || m.account.empty())
      fail("empty mute field");
  }
  for (const Cidr& c : config->trusted_cidrs) {
    if (c.is_any()) fail("trusted /0");
    Expected<ParsedCidr> again = parse_cidr(c.to_string());
    if (!again || again->cidr != c || again->host_bits_cleared) fail("trusted CIDR not normalized");
    if (!config->is_trusted(c)) fail("a trusted CIDR is not trusted");
  }
  for (const PortRange& r : config->sensitive_ports) {
    if (r.from > r.to) fail("inverted sensitive port range");
  }
  if (config->wide_port_range_threshold > 65535) fail("wide_port_range out of range");
  return 0;
}
