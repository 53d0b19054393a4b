#include "flows/analysis.h"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "flows/aggregate_io.h"

namespace fortress::flows {

Expected<uint32_t> parse_duration(std::string_view text) {
  auto bad = [&] {
    Error e;
    e.code = ErrorCode::kInvalidArgument;
    e.message = fmt::format("invalid duration \"{}\" (examples: 45m, 12h, 7d, 2w)", text);
    return e;
  };
  if (text.empty()) return bad();
  uint64_t unit = 1;
  std::string_view digits = text;
  switch (text.back()) {
    case 's': unit = 1; digits.remove_suffix(1); break;
    case 'm': unit = 60; digits.remove_suffix(1); break;
    case 'h': unit = 3600; digits.remove_suffix(1); break;
    case 'd': unit = 86400; digits.remove_suffix(1); break;
    case 'w': unit = 7 * 86400; digits.remove_suffix(1); break;
    default: break;
  }
  uint64_t n = 0;
  const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() || n * unit > UINT32_MAX) return bad();
  return uint32_t(n * unit);
}

Expected<std::vector<std::pair<uint8_t, uint16_t>>> parse_port_list(std::string_view text) {
  std::vector<std::pair<uint8_t, uint16_t>> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    pos = comma + 1;
    if (item.empty()) {
      if (comma == text.size()) break;
      continue;
    }
    const size_t slash = item.find('/');
    Error e;
    e.code = ErrorCode::kInvalidArgument;
    e.message = fmt::format("invalid port \"{}\" (write protocol/port: tcp/443, udp/53)", item);
    if (slash == std::string_view::npos) return e;
    Expected<int> protocol = parse_protocol(item.substr(0, slash));
    if (!protocol || *protocol < 0) return e;
    uint32_t port = 0;
    const std::string_view digits = item.substr(slash + 1);
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || p != digits.data() + digits.size() || port > 65535) return e;
    out.push_back({uint8_t(*protocol), uint16_t(port)});
    if (comma == text.size()) break;
  }
  return out;
}

Expected<Aggregate> read_aggregates(std::span<const std::string> paths) {
  Aggregate all;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      Error e;
      e.code = ErrorCode::kIo;
      e.file = path;
      e.message = "cannot read the aggregate file";
      return e;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    Aggregate one;
    if (Status s = read_aggregate(ss.str(), path, one); !s) return s.error();
    all.merge(std::move(one));
  }
  return all;
}

}  // namespace fortress::flows
