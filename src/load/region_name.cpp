// Region folder names: "us-east-1", "us-gov-west-1", "cn-northwest-1", "eusc-de-east-1".
#include <algorithm>
#include <array>
#include <vector>

#include "load/loader.h"
#include "load/snapshot.h"

namespace fortress {

namespace {

// Geographic prefixes of AWS partitions' region names.
constexpr std::array<std::string_view, 10> kGeographies = {"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn"};
// Sub-partitions written between the geography and the direction: us-gov-west-1, us-iso-east-1,
// us-isob-east-1, us-isof-south-1, eu-isoe-west-1.
constexpr std::array<std::string_view, 5> kSubPartitions = {"gov", "iso", "isob", "isoe", "isof"};
constexpr std::array<std::string_view, 9> kDirections = {"east",      "west",      "north",     "south",    "central",
                                                         "northeast", "northwest", "southeast", "southwest"};

template <size_t N>
bool one_of(const std::array<std::string_view, N>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool is_lower_alpha(std::string_view w, size_t size) {
  return w.size() == size && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// "1" .. "999", no leading zero.
bool is_region_number(std::string_view w) {
  if (w.empty() || w.size() > 3 || w[0] == '0') return false;
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool looks_like_region(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t dash = name.find('-', start);
    parts.push_back(name.substr(start, dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (parts.size() < 3 || parts.size() > 4) return false;
  if (!is_region_number(parts.back()) || !one_of(kDirections, parts[parts.size() - 2])) return false;
  if (parts.size() == 3) return one_of(kGeographies, parts[0]);
  // Four parts: a sub-partition (us-gov-west-1) or the European Sovereign Cloud (eusc-de-east-1).
  if (one_of(kGeographies, parts[0]) && one_of(kSubPartitions, parts[1])) return true;
  return parts[0] == "eusc" && is_lower_alpha(parts[1], 2);
}

namespace load {

std::string region_of_path(std::string_view relative_path) {
  // Folders only: the last component is the file name.
  size_t end = relative_path.rfind('/');
  while (end != std::string_view::npos && end > 0) {
    size_t begin = relative_path.rfind('/', end - 1);
    size_t from = begin == std::string_view::npos ? 0 : begin + 1;
    std::string_view folder = relative_path.substr(from, end - from);
    if (looks_like_region(folder)) return std::string(folder);
    if (begin == std::string_view::npos) break;
    end = begin;
  }
  return {};
}

}  // namespace load
}  // namespace fortress
