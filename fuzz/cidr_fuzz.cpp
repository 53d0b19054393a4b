// Fuzz target for the network vocabulary parsers: parse_ip, parse_cidr, parse_port_range,
// parse_protocol and traffic_from_aws.
//
// Besides "does not crash", it checks properties that must hold for every input:
//   - every success round-trips: to_string() parses back to the same value (and a CIDR's canonical
//     text has no host bits);
//   - parse_ip accepts exactly what glibc's inet_pton accepts, with the same bytes (a differential
//     check against an independent strict parser);
//   - a CIDR's address part is itself a valid address;
//   - classify() and is_public() agree with each other and with the two halves of the block.
// Any violation aborts, which libFuzzer and the replay driver both report.
#include <arpa/inet.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "model/net.h"

namespace {

using namespace fortress;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "cidr_fuzz: %s for input \"%.*s\"\n", what, int(input.size()), input.data());
  std::abort();
}

void check_address(std::string_view text) {
  Expected<IpAddress> parsed = parse_ip(text);

  // Differential check against inet_pton (only for inputs without NUL bytes, which it cannot see).
  if (text.find('\0') == std::string_view::npos) {
    const std::string c_text(text);
    unsigned char bytes[16];
    const bool v4 = inet_pton(AF_INET, c_text.c_str(), bytes) == 1;
    unsigned char bytes6[16];
    const bool v6 = inet_pton(AF_INET6, c_text.c_str(), bytes6) == 1;
    if (parsed.has_value() != (v4 || v6)) fail("parse_ip disagrees with inet_pton on acceptance", text);
    if (parsed) {
      uint128 expected = 0;
      const unsigned char* src = v4 ? bytes : bytes6;
      for (int i = 0; i < (v4 ? 4 : 16); ++i) expected = (expected << 8) | src[i];
      if (parsed->family != (v4 ? IpFamily::kV4 : IpFamily::kV6) || parsed->value != expected) {
        fail("parse_ip disagrees with inet_pton on the value", text);
      }
    }
  }

  if (!parsed) return;
  const std::string canonical = parsed->to_string();
  Expected<IpAddress> again = parse_ip(canonical);
  if (!again || *again != *parsed) fail("address round trip changed the value", text);
  if (again->to_string() != canonical) fail("canonical address text is not stable", text);
}

void check_classes(const Cidr& block, std::string_view text) {
  const AddressClass c = classify(block);
  const bool pub = is_public(block);
  if (c == AddressClass::kPublic && !pub) fail("kPublic block is not public", text);
  if (c != AddressClass::kPublic && c != AddressClass::kMixed && pub) fail("special block is public", text);
  const int width = block.family() == IpFamily::kV4 ? 32 : 128;
  if (block.prefix_length == width) return;
  const Cidr low{block.network, uint8_t(block.prefix_length + 1)};
  const uint128 half = uint128(1) << (width - block.prefix_length - 1);
  const Cidr high{IpAddress{block.family(), block.network.value | half}, uint8_t(block.prefix_length + 1)};
  if (!block.contains(low) || !block.contains(high) || low.overlaps(high)) fail("halves are wrong", text);
  if (pub != (is_public(low) || is_public(high))) fail("is_public disagrees with the halves", text);
  if (c != AddressClass::kMixed && (classify(low) != c || classify(high) != c)) {
    fail("class disagrees with the halves", text);
  }
}

void check_cidr(std::string_view text) {
  Expected<ParsedCidr> parsed = parse_cidr(text);
  if (!parsed) return;
  const Cidr& block = parsed->cidr;
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || !parse_ip(text.substr(0, slash)))
    fail("CIDR address part is invalid", text);
  if (!block.contains(block.network) || !block.contains(block.last()) || block.last() < block.first()) {
    fail("block does not contain its ends", text);
  }
  if (!block.contains(block) || !block.overlaps(block)) fail("block does not contain itself", text);

  const std::string canonical = block.to_string();
  Expected<ParsedCidr> again = parse_cidr(canonical);
  if (!again || again->cidr != block) fail("CIDR round trip changed the block", text);
  if (again->host_bits_cleared) fail("canonical CIDR has host bits", text);
  if (again->cidr.to_string() != canonical) fail("canonical CIDR text is not stable", text);
  check_classes(block, text);
}

void check_ports_and_protocols(std::string_view text, const uint8_t* data, size_t size) {
  if (Expected<PortRange> range = parse_port_range(text)) {
    if (range->from > range->to) fail("port range is inverted", text);
    Expected<PortRange> again = parse_port_range(range->to_string());
    if (!again || *again != *range) fail("port range round trip changed the range", text);
  }
  if (Expected<int> protocol = parse_protocol(text)) {
    if (*protocol < -1 || *protocol > 255) fail("protocol out of range", text);
    Expected<int> again = parse_protocol(protocol_name(*protocol));
    if (!again || *again != *protocol) fail("protocol round trip changed the number", text);
  }
  // The AWS triple, with ports taken from the input's first bytes.
  auto port_from = [&](size_t i) -> std::optional<int64_t> {
    if (i + 1 >= size) return std::nullopt;
    return int64_t(int16_t(uint16_t(data[i]) << 8 | data[i + 1])) * (data[i] & 1 ? 3 : 1);
  };
  if (Expected<TrafficSpec> t = traffic_from_aws(text, port_from(0), port_from(2))) {
    if (t->to_string().empty()) fail("empty traffic text", text);
    if (t->ports.from > t->ports.to) fail("traffic port range is inverted", text);
    if (!has_ports(t->protocol) && !t->ports.is_all()) fail("ports set for a protocol without ports", text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_address(text);
  check_cidr(text);
  check_ports_and_protocols(text, data, size);
  return 0;
}
