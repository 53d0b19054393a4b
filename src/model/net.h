// IP addresses, CIDR blocks, protocols and port ranges: the vocabulary of every network check.
//
// Addresses are plain integers (IPv4 in the low 32 bits of a 128-bit value) so containment and
// overlap are a mask and a compare. Parsing is strict: "10.0.0.0/33", "1.2.3", "01.2.3.4" and
// "10.0.0.1/24 " are rejected; a CIDR with host bits set ("10.0.0.1/24") is accepted, normalized to its
// network ("10.0.0.0/24") and the caller is told so, since AWS itself stores the normalized form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace fortress {

using uint128 = unsigned __int128;

enum class IpFamily : uint8_t { kV4, kV6 };

struct IpAddress {
  IpFamily family = IpFamily::kV4;
  uint128 value = 0;  // IPv4: the address in the low 32 bits, host order

  static IpAddress v4(uint32_t v) { return {IpFamily::kV4, v}; }
  static IpAddress v6(uint128 v) { return {IpFamily::kV6, v}; }
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  friend auto operator<=>(const IpAddress& a, const IpAddress& b) {
    if (a.family != b.family) return a.family <=> b.family;
    return a.value <=> b.value;
  }
  // Canonical text: dotted quad, or RFC 5952 IPv6 ("2001:db8::1", "::ffff:1.2.3.4").
  [[nodiscard]] std::string to_string() const;
  // The same text written at `out` (room for kMaxText bytes); returns its end.
  char* write_to(char* out) const;
  static constexpr size_t kMaxText = 48;  // the longest IPv6 text (45) and a "/128" suffix fit
};

[[nodiscard]] Expected<IpAddress> parse_ip(std::string_view text);

struct Cidr {
  IpAddress network;        // host bits always zero
  uint8_t prefix_length = 0;  // 0..32 for IPv4, 0..128 for IPv6

  [[nodiscard]] IpFamily family() const { return network.family; }
  [[nodiscard]] bool is_any() const { return prefix_length == 0; }  // 0.0.0.0/0 or ::/0
  [[nodiscard]] bool contains(const IpAddress& a) const;
  [[nodiscard]] bool contains(const Cidr& other) const;   // other is equal to or inside this block
  [[nodiscard]] bool overlaps(const Cidr& other) const;
  [[nodiscard]] IpAddress first() const { return network; }
  [[nodiscard]] IpAddress last() const;
  // Number of addresses, saturating at 2^127 for huge IPv6 blocks (enough to compare sizes).
  [[nodiscard]] uint128 size() const;
  [[nodiscard]] std::string to_string() const;  // "10.0.0.0/8", "2001:db8::/32"
  char* write_to(char* out) const;              // the same at `out` (IpAddress::kMaxText bytes); its end
  void append_to(std::string& out) const;       // the same appended
  friend bool operator==(const Cidr&, const Cidr&) = default;
  friend auto operator<=>(const Cidr&, const Cidr&) = default;
};

struct ParsedCidr {
  Cidr cidr;
  bool host_bits_cleared = false;  // the input had host bits set; cidr holds the normalized network
};

// "a.b.c.d/n" or an IPv6 block. A bare address is not a CIDR and is rejected.
[[nodiscard]] Expected<ParsedCidr> parse_cidr(std::string_view text);

// What kind of address space a block lies in. A block that spans several kinds reports kMixed;
// is_public() is true when any part of the block is globally routable.
enum class AddressClass : uint8_t {
  kPublic,
  kPrivate,        // RFC 1918: 10/8, 172.16/12, 192.168/16
  kSharedCgnat,    // RFC 6598: 100.64/10
  kLoopback,       // 127/8, ::1/128
  kLinkLocal,      // 169.254/16, fe80::/10
  kUniqueLocal,    // fc00::/7
  kDocumentation,  // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32
  kUnspecified,    // 0.0.0.0/8 ("this network"), ::/128
  kMulticast,      // 224/4, ff00::/8
  kReserved,       // 240/4, 255.255.255.255, 192.0.0/24, 198.18/15, ::ffff:0:0/96 (IPv4-mapped)
  kMixed,          // spans more than one class (0.0.0.0/0, 10.0.0.0/7, ::/0 ...)
};

[[nodiscard]] AddressClass classify(const Cidr& block);
[[nodiscard]] std::string_view to_string(AddressClass c);
// True when the block contains any globally routable address (so /0 and 8.8.8.0/24 are public;
// 10.0.0.0/8, 100.64.0.0/10, 203.0.113.0/24 and fc00::/7 are not).
[[nodiscard]] bool is_public(const Cidr& block);

// IP protocol numbers as AWS spells them: "tcp"/"6", "udp"/"17", "icmp"/"1", "icmpv6"/"58", "-1"/"all".
namespace proto {
inline constexpr int kAll = -1;
inline constexpr int kIcmp = 1;
inline constexpr int kTcp = 6;
inline constexpr int kUdp = 17;
inline constexpr int kIcmpv6 = 58;
}  // namespace proto

// Accepts names (case-insensitive) and numbers 0..255; "-1" and "all" mean every protocol.
[[nodiscard]] Expected<int> parse_protocol(std::string_view text);
[[nodiscard]] std::string protocol_name(int protocol);  // "tcp", "udp", "icmp", "icmpv6", "all", "50"
// Ports carry meaning only for tcp and udp (AWS ignores them for -1 and other protocols, and uses
// them as ICMP type/code for icmp and icmpv6).
[[nodiscard]] inline bool has_ports(int protocol) { return protocol == proto::kTcp || protocol == proto::kUdp; }

// An inclusive port range; [0, 65535] is "all ports".
struct PortRange {
  uint16_t from = 0;
  uint16_t to = 65535;

  static constexpr PortRange all() { return {0, 65535}; }
  static constexpr PortRange single(uint16_t p) { return {p, p}; }
  [[nodiscard]] bool is_all() const { return from == 0 && to == 65535; }
  [[nodiscard]] bool contains(uint16_t port) const { return port >= from && port <= to; }
  [[nodiscard]] bool contains(const PortRange& o) const { return o.from >= from && o.to <= to; }
  [[nodiscard]] bool overlaps(const PortRange& o) const { return from <= o.to && o.from <= to; }
  [[nodiscard]] uint32_t count() const { return uint32_t(to) - uint32_t(from) + 1; }
  [[nodiscard]] std::string to_string() const;  // "22", "1024-65535", "all"
  void append_to(std::string& out) const;       // the same appended
  friend bool operator==(const PortRange&, const PortRange&) = default;
  friend auto operator<=>(const PortRange&, const PortRange&) = default;
};

// Parses "22", "1024-65535", "137-139" (as in a config file's port list).
[[nodiscard]] Expected<PortRange> parse_port_range(std::string_view text);

// The traffic a rule admits, normalized: protocol -1 means every protocol and every port; tcp/udp
// carry a port range; icmp/icmpv6 carry type and code (-1 = any); other protocols have no ports.
struct TrafficSpec {
  int protocol = proto::kAll;
  PortRange ports = PortRange::all();  // meaningful for tcp/udp only
  int icmp_type = -1;                  // meaningful for icmp/icmpv6 only
  int icmp_code = -1;

  // Does this spec admit traffic of `protocol` to `port`? For protocol -1 in the spec: always.
  [[nodiscard]] bool admits(int protocol, uint16_t port) const;
  // Does it admit every port of `range` for `protocol` (tcp or udp)?
  [[nodiscard]] bool admits_all(int protocol, const PortRange& range) const;
  [[nodiscard]] bool is_all_traffic() const { return protocol == proto::kAll; }
  // "all traffic", "tcp/22", "udp/1024-65535", "icmp type 8", "icmp all", "protocol 50"
  [[nodiscard]] std::string to_string() const;
  void append_to(std::string& out) const;  // the same appended
  friend bool operator==(const TrafficSpec&, const TrafficSpec&) = default;
};

// Builds a spec from AWS's (IpProtocol, FromPort, ToPort) triple as it appears in security group
// rules. Missing ports (nullopt) mean "all"; for tcp/udp, from > to or ports outside 0..65535 are
// errors; -1/-1 on tcp/udp means all ports (AWS accepts that form).
[[nodiscard]] Expected<TrafficSpec> traffic_from_aws(std::string_view ip_protocol, std::optional<int64_t> from_port,
                                                     std::optional<int64_t> to_port);

}  // namespace fortress
