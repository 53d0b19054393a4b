// Aggregate::merge on several threads gives the same table as on one.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <tuple>

#include "flows/aggregate.h"

namespace fortress::flows {
namespace {

Aggregate random_aggregate(uint64_t seed, bool reversed_interfaces) {
  std::mt19937_64 rng(seed);
  Aggregate a;
  // Interfaces interned in another order in each aggregate, so the merge renumbers them.
  for (int i = 0; i < 50; ++i) a.interfaces.id("eni-" + std::to_string(reversed_interfaces ? 49 - i : i));
  for (int i = 0; i < 60000; ++i) {
    FlowKey k;
    k.v6 = rng() % 20 == 0 ? 1 : 0;
    k.src = k.v6 ? (uint128(rng()) << 64) | (rng() % 500) : rng() % 3000;
    k.dst = rng() % 40;
    k.interface = a.interfaces.id("eni-" + std::to_string(rng() % 50));
    k.protocol = 6;
    k.dst_port = uint16_t(rng() % 4);
    a.flows.add(k, FlowCounters{1 + rng() % 3, rng() % 100, rng() % 10000, uint32_t(rng() % 1000), uint32_t(rng() % 1000)});
  }
  return a;
}

std::map<std::tuple<std::string, uint128, uint128, uint16_t>, std::tuple<uint64_t, uint64_t, uint64_t, uint32_t, uint32_t>>
contents(const Aggregate& a) {
  std::map<std::tuple<std::string, uint128, uint128, uint16_t>, std::tuple<uint64_t, uint64_t, uint64_t, uint32_t, uint32_t>> m;
  a.flows.for_each([&](const FlowKey& k, const FlowCounters& c) {
    m[{a.interfaces.texts()[k.interface], k.src, k.dst, k.dst_port}] = {c.flows, c.packets, c.bytes, c.first_start,
                                                                          c.last_end};
  });
  return m;
}

TEST(AggregateMerge, SameResultOnOneAndSeveralThreads) {
  for (unsigned threads : {2u, 3u, 7u}) {
    Aggregate one = random_aggregate(1, false), many = random_aggregate(1, false);
    one.merge(random_aggregate(2, true), 20, 1);
    many.merge(random_aggregate(2, true), 20, threads);
    EXPECT_EQ(one.flows.size(), many.flows.size()) << threads;
    EXPECT_GT(one.flows.size(), random_aggregate(1, false).flows.size()) << "the second aggregate adds keys";
    EXPECT_EQ(contents(one), contents(many)) << threads;
  }
}

}  // namespace
}  // namespace fortress::flows
