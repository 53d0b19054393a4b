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

namespace {

// Cuts the set into its CIDR blocks, in address order, handing each to `emit`; stops early when
// `emit` returns false. Returns how many blocks were emitted.
template <typename Emit>
size_t for_each_cidr(const AddressSet& s, Emit&& emit) {
  size_t n = 0;
  const int bits = family_bits(s.family);
  for (const auto& iv : s.set.intervals()) {
    uint128 cur = iv.lo;
    while (true) {
      int k = 0;  // the largest aligned block at cur that stays inside the interval
      while (k < bits && ((cur >> k) & 1) == 0) ++k;
      while (k > 0 && low_mask(k) > iv.hi - cur) --k;
      ++n;
      if (!emit(Cidr{IpAddress{s.family, cur}, uint8_t(bits - k)})) return n;
      if (iv.hi - cur == low_mask(k)) break;
      cur += low_mask(k) + 1;
    }
  }
  return n;
}

}  // namespace

std::vector<Cidr> to_cidrs(const AddressSet& s) {
  std::vector<Cidr> out;
  for_each_cidr(s, [&](const Cidr& c) {
    out.push_back(c);
    return true;
  });
  return out;
}

std::string to_string(const AddressSet& s, size_t max_blocks) {
  if (s.empty()) return "(none)";
  const AddressSet& pub = public_space(s.family);
  const char* any = s.family == IpFamily::kV4 ? "any public IPv4 address" : "any public IPv6 address";
  if (s == pub) return any;
  // The first max_blocks blocks are named and the rest only counted: a set cut from most of the
  // address space has hundreds of blocks, and this text is written for every exposure.
  std::string named;
  const size_t blocks = for_each_cidr(s, [&, i = size_t(0)](const Cidr& c) mutable {
    if (i++ < max_blocks) named += (named.empty() ? "" : ", ") + c.to_string();
    return true;
  });
  if (blocks > max_blocks && (s - pub).empty()) {
    // Most of the internet: name what is left out instead, when that is short.
    std::string out = std::string(any) + " except ";
    const AddressSet missing = pub - s;
    const size_t left_out = for_each_cidr(missing, [&, i = size_t(0)](const Cidr& c) mutable {
      if (i > max_blocks) return false;
      out += (i++ > 0 ? ", " : "") + c.to_string();
      return true;
    });
    if (left_out <= max_blocks) return out;
  }
  if (blocks > max_blocks) named += fmt::format(" (+{} more)", blocks - max_blocks);
  return named;
}

const AddressSet& public_space(IpFamily f) {
  static const AddressSet v4 = make_public(IpFamily::kV4);
  static const AddressSet v6 = make_public(IpFamily::kV6);
  return f == IpFamily::kV4 ? v4 : v6;
}

}  // namespace fortress::reach
