#include <gtest/gtest.h>

#include <random>
#include <set>

#include "checks/builder.h"
#include "reach/interval_set.h"

namespace fortress::reach {
namespace {

using Set = IntervalSet<uint32_t>;

std::set<uint32_t> members(const Set& s) {
  std::set<uint32_t> out;
  for (const auto& i : s.intervals())
    for (uint32_t v = i.lo; v <= i.hi; ++v) out.insert(v);
  return out;
}

Set random_set(std::mt19937& rng) {
  Set s;
  for (int i = std::uniform_int_distribution<int>(0, 5)(rng); i > 0; --i) {
    uint32_t a = rng() % 64, b = rng() % 64;
    s.add(std::min(a, b), std::max(a, b));
  }
  return s;
}

TEST(IntervalSet, OperationsAgreeWithStdSet) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    const Set a = random_set(rng), b = random_set(rng);
    const auto ma = members(a), mb = members(b);
    std::set<uint32_t> u, x, d;
    std::set_union(ma.begin(), ma.end(), mb.begin(), mb.end(), std::inserter(u, u.end()));
    std::set_intersection(ma.begin(), ma.end(), mb.begin(), mb.end(), std::inserter(x, x.end()));
    std::set_difference(ma.begin(), ma.end(), mb.begin(), mb.end(), std::inserter(d, d.end()));
    ASSERT_EQ(members(a | b), u);
    ASSERT_EQ(members(a & b), x);
    ASSERT_EQ(members(a - b), d);
    ASSERT_EQ(a.overlaps(b), !x.empty());
    // Canonical form: sorted, disjoint, never adjacent.
    for (const Set& s : {a | b, a & b, a - b}) {
      for (size_t i = 1; i < s.intervals().size(); ++i) ASSERT_GT(s.intervals()[i].lo, s.intervals()[i - 1].hi + 1);
    }
  }
}

TEST(IntervalSet, AddMergesAdjacentAndOverlapping) {
  Set s;
  s.add(10, 20);
  s.add(21, 30);
  s.add(5, 9);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.intervals()[0].lo, 5u);
  EXPECT_EQ(s.intervals()[0].hi, 30u);
  s.add(40, 50);
  EXPECT_EQ(s.size(), 2u);
  EXPECT_TRUE(s.contains(45));
  EXPECT_FALSE(s.contains(35));
  EXPECT_TRUE(s.contains(10, 30));
  EXPECT_FALSE(s.contains(10, 41));
}

TEST(AddressSet, CidrCoverIsMinimal) {
  AddressSet s = AddressSet::of(testing::cidr("10.0.0.0/8"));
  s -= AddressSet::of(testing::cidr("10.128.0.0/9"));
  s.add(testing::cidr("11.0.0.0/8"));
  std::vector<std::string> blocks;
  for (const Cidr& c : to_cidrs(s)) blocks.push_back(c.to_string());
  EXPECT_EQ(blocks, (std::vector<std::string>{"10.0.0.0/9", "11.0.0.0/8"}));
  EXPECT_EQ(to_string(AddressSet::all(IpFamily::kV6)), "::/0");
  EXPECT_EQ(to_string(public_space(IpFamily::kV4)), "any public IPv4 address");
}

TEST(AddressSet, PublicSpaceAgreesWithClassify) {
  for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) {
    const AddressSet& pub = public_space(f);
    for (const Cidr& c : to_cidrs(pub)) {
      ASSERT_EQ(classify(c), AddressClass::kPublic) << c.to_string();
    }
    for (const Cidr& c : to_cidrs(AddressSet::all(f) - pub)) {
      ASSERT_FALSE(is_public(c)) << c.to_string();
    }
  }
}

TEST(PortSet, Text) {
  PortSet p = PortSet::of(80, 80);
  p.add(443, 443);
  p.add(1024, 65535);
  EXPECT_EQ(to_string(p), "80, 443, 1024-65535");
  EXPECT_EQ(to_string(all_ports()), "all");
  EXPECT_EQ(to_string(PortSet{}), "none");
}

}  // namespace
}  // namespace fortress::reach
