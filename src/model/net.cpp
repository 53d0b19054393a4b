#include "model/net.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

namespace fortress {

namespace {

// Parsers below report failure as a static reason string; the public entry points turn it into an
// Error. The success path never allocates.
using Reason = const char*;

constexpr int width(IpFamily f) {
  return f == IpFamily::kV4 ? 32 : 128;
}

// The host-part mask of a block: the low (width - prefix) bits set.
constexpr uint128 host_mask(IpFamily f, int prefix_length) {
  const int host_bits = width(f) - prefix_length;
  if (host_bits >= 128) return ~uint128(0);
  return (uint128(1) << host_bits) - 1;
}

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A decimal number of at most `max_digits` digits without leading zeros ("0" itself is fine).
// Returns -1 when `text` is not one.
constexpr int64_t parse_decimal(std::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return -1;
  if (text.size() > 1 && text[0] == '0') return -1;
  int64_t v = 0;
  for (char c : text) {
    if (!is_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Strict dotted quad: four decimal octets 0..255, no leading zeros, nothing else.
Reason parse_ipv4(std::string_view text, uint32_t& out) {
  if (text.empty()) return "empty address";
  uint32_t value = 0;
  int octets = 0;
  size_t pos = 0;
  while (true) {
    const size_t dot = text.find('.', pos);
    const std::string_view part = text.substr(pos, dot == std::string_view::npos ? text.npos : dot - pos);
    if (part.empty()) return "empty octet";
    if (part.size() > 1 && part[0] == '0' && is_digit(part[1])) return "octet with a leading zero";
    const int64_t octet = parse_decimal(part, 3);
    if (octet < 0) return "octet is not a decimal number";
    if (octet > 255) return "octet greater than 255";
    if (++octets > 4) return "more than four octets";
    value = (value << 8) | uint32_t(octet);
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  if (octets != 4) return "fewer than four octets";
  out = value;
  return nullptr;
}

// RFC 4291 section 2.2 text: eight groups of 1-4 hex digits, at most one "::" standing for one or
// more zero groups, and optionally a dotted quad in place of the last two groups. Zone indices
// ("%eth0") are not addresses and are rejected.
Reason parse_ipv6(std::string_view text, uint128& out) {
  if (text.empty()) return "empty address";
  std::array<uint16_t, 8> head{};
  std::array<uint16_t, 8> tail{};
  size_t n_head = 0;
  size_t n_tail = 0;
  bool compressed = false;
  size_t pos = 0;

  if (text.size() >= 2 && text[0] == ':' && text[1] == ':') {
    compressed = true;
    pos = 2;
  } else if (text[0] == ':') {
    return "address starts with a single ':'";
  }

  while (pos < text.size()) {
    const size_t colon = text.find(':', pos);
    const size_t end = colon == std::string_view::npos ? text.size() : colon;
    const std::string_view group = text.substr(pos, end - pos);
    if (group.empty()) return "more than one '::'";  // ":::" or a second "::"
    auto& groups = compressed ? tail : head;
    size_t& count = compressed ? n_tail : n_head;

    if (group.find('.') != std::string_view::npos) {
      if (end != text.size()) return "embedded IPv4 address is not at the end";
      uint32_t v4 = 0;
      if (Reason why = parse_ipv4(group, v4)) return why;
      if (n_head + n_tail + 2 > 8) return "too many groups";
      groups[count++] = uint16_t(v4 >> 16);
      groups[count++] = uint16_t(v4 & 0xffff);
      break;
    }
    if (group.size() > 4) return "group longer than four hex digits";
    uint32_t v = 0;
    for (char c : group) {
      const int h = hex_value(c);
      if (h < 0) return "group is not hexadecimal";
      v = (v << 4) | uint32_t(h);
    }
    if (n_head + n_tail + 1 > 8) return "too many groups";
    groups[count++] = uint16_t(v);

    if (end == text.size()) break;
    // text[end] == ':'
    if (end + 1 < text.size() && text[end + 1] == ':') {
      if (compressed) return "more than one '::'";
      compressed = true;
      pos = end + 2;
    } else {
      pos = end + 1;
      if (pos == text.size()) return "address ends with a single ':'";
    }
  }

  const size_t total = n_head + n_tail;
  if (compressed ? total > 7 : total != 8) {
    return compressed ? "'::' stands for no group" : "fewer than eight groups";
  }
  uint128 value = 0;
  for (size_t i = 0; i < n_head; ++i) value |= uint128(head[i]) << (16 * (7 - i));
  for (size_t i = 0; i < n_tail; ++i) value |= uint128(tail[i]) << (16 * (n_tail - 1 - i));
  out = value;
  return nullptr;
}

Reason parse_address(std::string_view text, IpAddress& out) {
  if (text.find(':') != std::string_view::npos) {
    uint128 v = 0;
    if (Reason why = parse_ipv6(text, v)) return why;
    out = IpAddress::v6(v);
    return nullptr;
  }
  uint32_t v = 0;
  if (Reason why = parse_ipv4(text, v)) return why;
  out = IpAddress::v4(v);
  return nullptr;
}

Error invalid_argument(std::string message) {
  Error e;
  e.code = ErrorCode::kInvalidArgument;
  e.message = std::move(message);
  return e;
}

Error invalid(std::string_view what, std::string_view text, std::string_view why) {
  return invalid_argument(fmt::format("invalid {} \"{}\": {}", what, text, why));
}

// Writes a dotted quad at `out` and returns the end.
// Up to three decimal digits of one byte.
char* write_octet(unsigned b, char* out) {
  if (b >= 100) {
    *out++ = char('0' + b / 100);
    *out++ = char('0' + b / 10 % 10);
  } else if (b >= 10) {
    *out++ = char('0' + b / 10);
  }
  *out++ = char('0' + b % 10);
  return out;
}

char* write_ipv4(uint32_t v, char* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out = write_octet((v >> shift) & 0xff, out);
    if (shift > 0) *out++ = '.';
  }
  return out;
}

bool is_ipv4_mapped(uint128 v) {
  return (v >> 32) == 0xffff;
}

// --- Special-purpose address space ---------------------------------------------------------------

struct SpecialRange {
  IpFamily family;
  uint128 network;
  uint8_t prefix_length;
  AddressClass klass;
};

constexpr uint128 v4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}
constexpr uint128 v6(uint16_t g0, uint16_t g1 = 0, uint128 low = 0) {
  return (uint128(g0) << 112) | (uint128(g1) << 96) | low;
}

// The address space net.h documents as not globally routable, one class per range. Ranges do not
// overlap (checked below), so a block inside one range touches no other. Everything else is public.
constexpr std::array kSpecialRanges = {
    SpecialRange{IpFamily::kV4, v4(0, 0, 0, 0), 8, AddressClass::kUnspecified},
    SpecialRange{IpFamily::kV4, v4(10, 0, 0, 0), 8, AddressClass::kPrivate},
    SpecialRange{IpFamily::kV4, v4(100, 64, 0, 0), 10, AddressClass::kSharedCgnat},
    SpecialRange{IpFamily::kV4, v4(127, 0, 0, 0), 8, AddressClass::kLoopback},
    SpecialRange{IpFamily::kV4, v4(169, 254, 0, 0), 16, AddressClass::kLinkLocal},
    SpecialRange{IpFamily::kV4, v4(172, 16, 0, 0), 12, AddressClass::kPrivate},
    SpecialRange{IpFamily::kV4, v4(192, 0, 0, 0), 24, AddressClass::kReserved},
    SpecialRange{IpFamily::kV4, v4(192, 0, 2, 0), 24, AddressClass::kDocumentation},
    SpecialRange{IpFamily::kV4, v4(192, 168, 0, 0), 16, AddressClass::kPrivate},
    SpecialRange{IpFamily::kV4, v4(198, 18, 0, 0), 15, AddressClass::kReserved},
    SpecialRange{IpFamily::kV4, v4(198, 51, 100, 0), 24, AddressClass::kDocumentation},
    SpecialRange{IpFamily::kV4, v4(203, 0, 113, 0), 24, AddressClass::kDocumentation},
    SpecialRange{IpFamily::kV4, v4(224, 0, 0, 0), 4, AddressClass::kMulticast},
    SpecialRange{IpFamily::kV4, v4(240, 0, 0, 0), 4, AddressClass::kReserved},  // includes 255.255.255.255
    SpecialRange{IpFamily::kV6, 0, 128, AddressClass::kUnspecified},            // ::
    SpecialRange{IpFamily::kV6, 1, 128, AddressClass::kLoopback},               // ::1
    SpecialRange{IpFamily::kV6, uint128(0xffff) << 32, 96, AddressClass::kReserved},  // ::ffff:0:0/96
    SpecialRange{IpFamily::kV6, v6(0x2001, 0x0db8), 32, AddressClass::kDocumentation},
    SpecialRange{IpFamily::kV6, v6(0xfc00), 7, AddressClass::kUniqueLocal},
    SpecialRange{IpFamily::kV6, v6(0xfe80), 10, AddressClass::kLinkLocal},
    SpecialRange{IpFamily::kV6, v6(0xff00), 8, AddressClass::kMulticast},
};

constexpr bool special_ranges_are_sorted_and_disjoint() {
  for (size_t i = 0; i < kSpecialRanges.size(); ++i) {
    const SpecialRange& r = kSpecialRanges[i];
    if ((r.network & host_mask(r.family, r.prefix_length)) != 0) return false;
    if (i == 0) continue;
    const SpecialRange& prev = kSpecialRanges[i - 1];
    if (prev.family != r.family) continue;
    const uint128 prev_last = prev.network | host_mask(prev.family, prev.prefix_length);
    if (prev_last >= r.network) return false;
  }
  return true;
}
static_assert(special_ranges_are_sorted_and_disjoint(),
              "kSpecialRanges must be sorted, normalized, disjoint");

struct ClassScan {
  bool has_public = false;
  int special_classes = 0;  // distinct special classes the block touches
  AddressClass only_special = AddressClass::kPublic;
};

// Walks the sorted special ranges across the block, noting the classes it touches and whether any
// address of the block lies outside all of them (a gap, which is public space).
ClassScan scan_classes(const Cidr& block) {
  ClassScan scan;
  const uint128 first = block.network.value;
  const uint128 last = block.last().value;
  uint128 next = first;  // the lowest address of the block not yet accounted for
  bool done = false;     // every address up to `last` is accounted for
  uint32_t seen = 0;     // bit per AddressClass
  for (const SpecialRange& r : kSpecialRanges) {
    if (r.family != block.family()) continue;
    if (done) break;
    const uint128 r_first = r.network;
    const uint128 r_last = r.network | host_mask(r.family, r.prefix_length);
    if (r_last < next) continue;
    if (r_first > last) break;
    if (r_first > next) scan.has_public = true;  // a gap before this range
    seen |= 1u << unsigned(r.klass);
    if (r_last >= last) {
      done = true;
    } else {
      next = r_last + 1;
    }
  }
  if (!done) scan.has_public = true;  // a gap after the last range touching the block
  for (unsigned c = 0; c <= unsigned(AddressClass::kMixed); ++c) {
    if ((seen & (1u << c)) != 0) {
      ++scan.special_classes;
      scan.only_special = AddressClass(c);
    }
  }
  return scan;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

std::string icmp_name(int protocol) {
  return protocol == proto::kIcmpv6 ? "icmpv6" : "icmp";
}

}  // namespace

// --- Addresses and blocks ------------------------------------------------------------------------

char* IpAddress::write_to(char* out) const {
  if (family == IpFamily::kV4) return write_ipv4(uint32_t(value), out);
  if (is_ipv4_mapped(value)) {
    std::memcpy(out, "::ffff:", 7);
    return write_ipv4(uint32_t(value), out + 7);
  }
  std::array<uint16_t, 8> groups{};
  for (int i = 0; i < 8; ++i) groups[i] = uint16_t(value >> (16 * (7 - i)));
  // RFC 5952 4.2: compress the longest run of two or more zero groups, the leftmost on a tie.
  int best_start = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      *out++ = ':';
      *out++ = ':';
      i += best_len - 1;
      continue;
    }
    if (i > 0 && i != best_start + best_len) *out++ = ':';
    const unsigned g = groups[i];
    bool started = false;  // no leading zeros (RFC 5952 4.1)
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned digit = (g >> shift) & 0xf;
      if (digit != 0 || started || shift == 0) {
        *out++ = kHex[digit];
        started = true;
      }
    }
  }
  return out;
}

std::string IpAddress::to_string() const {
  char buf[IpAddress::kMaxText];
  return std::string(buf, write_to(buf));
}

Expected<IpAddress> parse_ip(std::string_view text) {
  IpAddress a;
  if (Reason why = parse_address(text, a)) return invalid("IP address", text, why);
  return a;
}

bool Cidr::contains(const IpAddress& a) const {
  if (a.family != network.family) return false;
  return (a.value & ~host_mask(network.family, prefix_length)) == network.value;
}

bool Cidr::contains(const Cidr& other) const {
  return other.family() == family() && other.prefix_length >= prefix_length && contains(other.network);
}

bool Cidr::overlaps(const Cidr& other) const {
  return contains(other) || other.contains(*this);
}

IpAddress Cidr::last() const {
  return {network.family, network.value | host_mask(network.family, prefix_length)};
}

uint128 Cidr::size() const {
  const int host_bits = width(family()) - prefix_length;
  if (host_bits >= 127) return uint128(1) << 127;
  return uint128(1) << host_bits;
}

char* Cidr::write_to(char* out) const {
  out = network.write_to(out);
  *out++ = '/';
  const unsigned n = prefix_length;
  if (n >= 100) *out++ = char('0' + n / 100);
  if (n >= 10) *out++ = char('0' + n / 10 % 10);
  *out++ = char('0' + n % 10);
  return out;
}

std::string Cidr::to_string() const {
  char buf[IpAddress::kMaxText];
  return std::string(buf, write_to(buf));
}

void Cidr::append_to(std::string& out) const {
  char buf[IpAddress::kMaxText];
  out.append(buf, write_to(buf));
}

Expected<ParsedCidr> parse_cidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return invalid("CIDR", text, "no prefix length (\"/n\")");
  const std::string_view address_text = text.substr(0, slash);
  const std::string_view prefix_text = text.substr(slash + 1);
  if (address_text.empty()) return invalid("CIDR", text, "no address before '/'");

  IpAddress address;
  if (Reason why = parse_address(address_text, address)) return invalid("CIDR", text, why);
  const int64_t prefix = parse_decimal(prefix_text, 3);
  if (prefix < 0) return invalid("CIDR", text, "prefix length is not a decimal number");
  if (prefix > width(address.family)) {
    return invalid(
        "CIDR", text,
        address.family == IpFamily::kV4 ? "prefix length greater than 32" : "prefix length greater than 128");
  }
  ParsedCidr out;
  const uint128 host = host_mask(address.family, int(prefix));
  out.host_bits_cleared = (address.value & host) != 0;
  out.cidr.network = {address.family, address.value & ~host};
  out.cidr.prefix_length = uint8_t(prefix);
  return out;
}

// --- Address classes -----------------------------------------------------------------------------

AddressClass classify(const Cidr& block) {
  const ClassScan scan = scan_classes(block);
  if (scan.special_classes == 0) return AddressClass::kPublic;
  if (!scan.has_public && scan.special_classes == 1) return scan.only_special;
  return AddressClass::kMixed;
}

bool is_public(const Cidr& block) {
  return scan_classes(block).has_public;
}

std::string_view to_string(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kSharedCgnat:
      return "shared-cgnat";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kLinkLocal:
      return "link-local";
    case AddressClass::kUniqueLocal:
      return "unique-local";
    case AddressClass::kDocumentation:
      return "documentation";
    case AddressClass::kUnspecified:
      return "unspecified";
    case AddressClass::kMulticast:
      return "multicast";
    case AddressClass::kReserved:
      return "reserved";
    case AddressClass::kMixed:
      return "mixed";
  }
  return "mixed";
}

// --- Protocols and ports -------------------------------------------------------------------------

Expected<int> parse_protocol(std::string_view text) {
  if (text == "-1" || iequals(text, "all")) return proto::kAll;
  if (iequals(text, "tcp")) return proto::kTcp;
  if (iequals(text, "udp")) return proto::kUdp;
  if (iequals(text, "icmp")) return proto::kIcmp;
  if (iequals(text, "icmpv6")) return proto::kIcmpv6;
  const int64_t n = parse_decimal(text, 3);
  if (n < 0) return invalid("protocol", text, "expected tcp, udp, icmp, icmpv6, all, -1 or a number 0..255");
  if (n > 255) return invalid("protocol", text, "protocol number greater than 255");
  return int(n);
}

std::string protocol_name(int protocol) {
  switch (protocol) {
    case proto::kAll:
      return "all";
    case proto::kIcmp:
      return "icmp";
    case proto::kTcp:
      return "tcp";
    case proto::kUdp:
      return "udp";
    case proto::kIcmpv6:
      return "icmpv6";
    default:
      return std::to_string(protocol);
  }
}

namespace {
void append_port(std::string& out, unsigned port) {
  char buf[8];
  char* end = buf + sizeof buf;
  char* p = end;
  do {
    *--p = char('0' + port % 10);
    port /= 10;
  } while (port != 0);
  out.append(p, end);
}
}  // namespace

std::string PortRange::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

void PortRange::append_to(std::string& out) const {
  if (is_all()) {
    out += "all";
    return;
  }
  append_port(out, from);
  if (from != to) {
    out += '-';
    append_port(out, to);
  }
}

Expected<PortRange> parse_port_range(std::string_view text) {
  if (iequals(text, "all")) return PortRange::all();
  const size_t dash = text.find('-');
  const std::string_view from_text = text.substr(0, dash);
  const std::string_view to_text = dash == std::string_view::npos ? from_text : text.substr(dash + 1);
  const int64_t from = parse_decimal(from_text, 5);
  const int64_t to = parse_decimal(to_text, 5);
  if (from < 0 || to < 0)
    return invalid("port range", text, "expected a port (\"22\") or a range (\"1024-65535\")");
  if (from > 65535 || to > 65535) return invalid("port range", text, "port greater than 65535");
  if (from > to) return invalid("port range", text, "range start is greater than its end");
  return PortRange{uint16_t(from), uint16_t(to)};
}

// For a spec whose protocol has no ports (icmp, icmpv6, 50 ...) the port argument is ignored: the spec
// admits its protocol. The ICMP type and code are not ports and are not compared here.
bool TrafficSpec::admits(int p, uint16_t port) const {
  if (protocol == proto::kAll) return true;
  if (p != protocol) return false;
  return !has_ports(protocol) || ports.contains(port);
}

bool TrafficSpec::admits_all(int p, const PortRange& range) const {
  if (protocol == proto::kAll) return true;
  if (p != protocol) return false;
  return !has_ports(protocol) || ports.contains(range);
}

void TrafficSpec::append_to(std::string& out) const {
  if (protocol == proto::kAll) {
    out += "all traffic";
  } else if (protocol == proto::kTcp || protocol == proto::kUdp) {
    out += protocol == proto::kTcp ? "tcp/" : "udp/";
    ports.append_to(out);
  } else {
    out += to_string();
  }
}

std::string TrafficSpec::to_string() const {
  if (protocol == proto::kAll) return "all traffic";
  if (has_ports(protocol)) return fmt::format("{}/{}", protocol_name(protocol), ports.to_string());
  if (protocol == proto::kIcmp || protocol == proto::kIcmpv6) {
    if (icmp_type < 0) return icmp_name(protocol) + " all";
    if (icmp_code < 0) return fmt::format("{} type {}", icmp_name(protocol), icmp_type);
    return fmt::format("{} type {} code {}", icmp_name(protocol), icmp_type, icmp_code);
  }
  return fmt::format("protocol {}", protocol);
}

Expected<TrafficSpec> traffic_from_aws(std::string_view ip_protocol, std::optional<int64_t> from_port,
                                       std::optional<int64_t> to_port) {
  Expected<int> p = parse_protocol(ip_protocol);
  if (!p) return p.error();
  TrafficSpec spec;
  spec.protocol = *p;

  if (has_ports(spec.protocol)) {
    if (from_port == -1 && to_port == -1) return spec;  // AWS's spelling of "all ports"
    const int64_t from = from_port.value_or(0);
    const int64_t to = to_port.value_or(65535);
    if (from < 0 || from > 65535 || to < 0 || to > 65535) {
      return invalid_argument(
          fmt::format("{} port range {}..{} is outside 0..65535", protocol_name(spec.protocol), from, to));
    }
    if (from > to) {
      return invalid_argument(
          fmt::format("{} port range {}..{} starts after it ends", protocol_name(spec.protocol), from, to));
    }
    spec.ports = PortRange{uint16_t(from), uint16_t(to)};
    return spec;
  }

  if (spec.protocol == proto::kIcmp || spec.protocol == proto::kIcmpv6) {
    const int64_t type = from_port.value_or(-1);
    const int64_t code = to_port.value_or(-1);
    if (type < -1 || type > 255 || code < -1 || code > 255) {
      return invalid_argument(
          fmt::format("{} type {} / code {} is outside -1..255", icmp_name(spec.protocol), type, code));
    }
    spec.icmp_type = int(type);
    spec.icmp_code = type == -1 ? -1 : int(code);  // any type admits every code
    return spec;
  }

  return spec;  // all protocols, or a protocol without ports: AWS ignores FromPort/ToPort
}

}  // namespace fortress
