#include "reach/interval_set.h"

#include <fmt/format.h>

namespace fortress::reach {

namespace {

int family_bits(IpFamily f) {
  return f == IpFamily::kV4 ? 32 : 128;
}
uint128 family_max(IpFamily f) {
  return f == IpFamily::kV4 ? uint128(0xFFFFFFFFu) : ~uint128(0);
}
uint128 low_mask(int k) {
  return k >= 128 ? ~uint128(0) : (uint128(1) << k) - 1;
}

// Address space net.h does not call public (kept equal to net.cpp's special ranges; the test
// public_space_agrees_with_classify checks every boundary against classify()).
constexpr std::string_view kNonPublicV4[] = {
    "0.0.0.0/8",       "10.0.0.0/8",     "100.64.0.0/10", "127.0.0.0/8",    "169.254.0.0/16",
    "172.16.0.0/12",   "192.0.0.0/24",   "192.0.2.0/24",  "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",   "240.0.0.0/4",
};
constexpr std::string_view kNonPublicV6[] = {
    "::/128", "::1/128", "::ffff:0:0/96", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8",
};

AddressSet make_public(IpFamily f) {
  AddressSet s = AddressSet::all(f);
  auto cut = [&](std::string_view text) {
    if (auto c = parse_cidr(text)) s -= AddressSet::of(c->cidr);
  };
  if (f == IpFamily::kV4) {
    for (std::string_view t : kNonPublicV4) cut(t);
  } else {
    for (std::string_view t : kNonPublicV6) cut(t);
  }
  return s;
}

}  // namespace

std::string to_string(const PortSet& ports) {
  if (ports.empty()) return "none";
  std::string out;
  for (const auto& i : ports.intervals()) {
    if (!out.empty()) out += ", ";
    out += PortRange{uint16_t(i.lo), uint16_t(i.hi)}.to_string();
  }
  return out;
}

std::vector<PortRange> port_ranges(const PortSet& ports) {
  std::vector<PortRange> out;
  for (const auto& i : ports.intervals()) out.push_back({uint16_t(i.lo), uint16_t(i.hi)});
  return out;
}

AddressSet AddressSet::all(IpFamily f) {
  return {f, IntervalSet<uint128>::of(0, family_max(f))};
}

std::vector<Cidr> to_cidrs(const AddressSet& s) {
  std::vector<Cidr> out;
  const int bits = family_bits(s.family);
  for (const auto& iv : s.set.intervals()) {
    uint128 cur = iv.lo;
    while (true) {
      int k = 0;  // the largest aligned block at cur that stays inside the interval
      while (k < bits && ((cur >> k) & 1) == 0) ++k;
      while (k > 0 && low_mask(k) > iv.hi - cur) --k;
      out.push_back(Cidr{IpAddress{s.family, cur}, uint8_t(bits - k)});
      if (iv.hi - cur == low_mask(k)) break;
      cur += low_mask(k) + 1;
    }
  }
  return out;
}

std::string to_string(const AddressSet& s, size_t max_blocks) {
  if (s.empty()) return "(none)";
  const AddressSet& pub = public_space(s.family);
  const char* any = s.family == IpFamily::kV4 ? "any public IPv4 address" : "any public IPv6 address";
  if (s == pub) return any;
  std::vector<Cidr> blocks = to_cidrs(s);
  if (blocks.size() > max_blocks && (s - pub).empty()) {
    // Most of the internet: name what is left out instead.
    const std::vector<Cidr> missing = to_cidrs(pub - s);
    if (missing.size() <= max_blocks) {
      std::string out = std::string(any) + " except ";
      for (size_t i = 0; i < missing.size(); ++i) out += (i > 0 ? ", " : "") + missing[i].to_string();
      return out;
    }
  }
  std::string out;
  for (size_t i = 0; i < blocks.size() && i < max_blocks; ++i) {
    if (i > 0) out += ", ";
    out += blocks[i].to_string();
  }
  if (blocks.size() > max_blocks) out += fmt::format(" (+{} more)", blocks.size() - max_blocks);
  return out;
}

const AddressSet& public_space(IpFamily f) {
  static const AddressSet v4 = make_public(IpFamily::kV4);
  static const AddressSet v6 = make_public(IpFamily::kV6);
  return f == IpFamily::kV4 ? v4 : v6;
}

}  // namespace fortress::reach
