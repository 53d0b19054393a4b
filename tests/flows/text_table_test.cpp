// TextTable: interface IDs by their decoded value, other texts by their bytes; one index per text.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "flows/aggregate.h"

namespace fortress::flows {
namespace {

// The reference: "eni-" + 8 or 17 of 0-9a-f.
bool is_plain_eni(const std::string& t) {
  if (t.rfind("eni-", 0) != 0 || (t.size() != 12 && t.size() != 21)) return false;
  for (size_t i = 4; i < t.size(); ++i)
    if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f'))) return false;
  return true;
}

uint64_t reference_value(const std::string& t, size_t from, size_t n) {
  return std::stoull(t.substr(from, n), nullptr, 16);
}

std::string random_id(std::mt19937_64& rng) {
  const char alphabet[] = "0123456789abcdefABCDEFgz/:`@ \x7f\xff";
  std::string t = rng() % 8 == 0 ? "eni_" : rng() % 8 == 0 ? "fl-" : "eni-";
  const size_t n = rng() % 4 == 0 ? rng() % 20 : (rng() % 2 ? 8 : 17);
  for (size_t i = 0; i < n; ++i) t.push_back(rng() % 6 == 0 ? alphabet[rng() % (sizeof alphabet - 1)] : "0123456789abcdef"[rng() % 16]);
  return t;
}

TEST(TextTable, EniValueDecodesExactlyThePlainForm) {
  std::mt19937_64 rng(4);
  size_t plain = 0;
  for (int i = 0; i < 200000; ++i) {
    const std::string t = random_id(rng);
    uint64_t lo = 0;
    uint32_t hi = 0;
    const bool got = TextTable::eni_value(t, lo, hi);
    ASSERT_EQ(got, is_plain_eni(t)) << t;
    if (!got) continue;
    ++plain;
    if (t.size() == 12) {
      EXPECT_EQ(hi, 0u) << t;
      EXPECT_EQ(lo, reference_value(t, 4, 8)) << t;
    } else {
      EXPECT_EQ(hi, 16u + reference_value(t, 4, 1)) << t;
      EXPECT_EQ(lo, reference_value(t, 5, 16)) << t;
    }
  }
  EXPECT_GT(plain, 30000u);
}

TEST(TextTable, OneIndexPerText) {
  std::mt19937_64 rng(5);
  TextTable table;
  std::map<std::string, uint32_t> seen;
  std::vector<std::string> order;
  for (int i = 0; i < 100000; ++i) {
    // A small pool so texts repeat, and pairs that differ only in length or case.
    std::string t = random_id(rng);
    if (i % 3 == 0 && !order.empty()) t = order[rng() % order.size()];
    const uint32_t id = table.id(t);
    auto [it, fresh] = seen.try_emplace(t, id);
    ASSERT_EQ(it->second, id) << t;
    if (fresh) {
      ASSERT_EQ(size_t(id), seen.size() - 1) << t;  // indexes in order of first appearance
      order.push_back(t);
    }
    ASSERT_EQ(table.texts()[id], t);
  }
  EXPECT_NE(table.id("eni-0000000a"), table.id("eni-0000000000000000a"));
  EXPECT_NE(table.id("eni-0000000a"), table.id("eni-0000000A"));
  EXPECT_EQ(table.size(), seen.size() + 3 - seen.count("eni-0000000a") - seen.count("eni-0000000000000000a") -
                              seen.count("eni-0000000A"));
}

}  // namespace
}  // namespace fortress::flows
