// Sets of integers as sorted, disjoint, non-adjacent closed intervals: the arithmetic of reachability.
//
// Every question the reachability engine asks ("which sources does this NACL let through on tcp/22?",
// "which client addresses route back to the internet gateway?") is answered as a set of address or
// port intervals, combined with union, intersection and difference. An IntervalSet is exact: no
// sampling, no per-address work; an operation costs O(number of intervals).
//
// AddressSet is an IntervalSet over one IP family's address space (IPv4 in the low 32 bits), PortSet
// one over 0..65535.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "model/net.h"

namespace fortress::reach {

template <typename T>
class IntervalSet {
 public:
  struct Interval {
    T lo;
    T hi;  // inclusive
    friend bool operator==(const Interval&, const Interval&) = default;
  };

  IntervalSet() = default;
  static IntervalSet of(T lo, T hi) {
    IntervalSet s;
    if (lo <= hi) s.items_.push_back({lo, hi});
    return s;
  }

  [[nodiscard]] bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }  // keeps the storage
  // Is the set exactly [lo, hi]?
  [[nodiscard]] bool is(T lo, T hi) const { return items_.size() == 1 && items_[0].lo == lo && items_[0].hi == hi; }
  [[nodiscard]] std::span<const Interval> intervals() const { return items_; }
  [[nodiscard]] size_t size() const { return items_.size(); }
  [[nodiscard]] bool contains(T v) const {
    auto it = std::upper_bound(items_.begin(), items_.end(), v, [](T x, const Interval& i) { return x < i.lo; });
    return it != items_.begin() && std::prev(it)->hi >= v;
  }
  // True when every value of [lo, hi] is in the set.
  [[nodiscard]] bool contains(T lo, T hi) const {
    auto it = std::upper_bound(items_.begin(), items_.end(), lo, [](T x, const Interval& i) { return x < i.lo; });
    return it != items_.begin() && std::prev(it)->hi >= hi;
  }
  [[nodiscard]] bool overlaps(T lo, T hi) const {
    auto it = std::lower_bound(items_.begin(), items_.end(), lo, [](const Interval& i, T x) { return i.hi < x; });
    return it != items_.end() && it->lo <= hi;
  }
  [[nodiscard]] bool overlaps(const IntervalSet& o) const {
    size_t i = 0, j = 0;
    while (i < items_.size() && j < o.items_.size()) {
      if (items_[i].hi < o.items_[j].lo) {
        ++i;
      } else if (o.items_[j].hi < items_[i].lo) {
        ++j;
      } else {
        return true;
      }
    }
    return false;
  }
  // Number of values, saturating at the maximum of uint128 (enough to compare sizes).
  [[nodiscard]] uint128 count() const {
    uint128 n = 0;
    for (const Interval& i : items_) {
      const uint128 width = uint128(i.hi - i.lo) + 1;  // 0 when the interval is the whole 128-bit space
      if (width == 0 || n + width < n) return ~uint128(0);
      n += width;
    }
    return n;
  }

  void add(T lo, T hi) {
    if (lo > hi) return;
    // First interval that ends at or after lo - 1 (adjacent intervals merge).
    auto first = std::lower_bound(items_.begin(), items_.end(), lo, [](const Interval& i, T x) {
      return i.hi < x && i.hi + 1 < x;
    });
    auto last = first;
    while (last != items_.end() && (last->lo <= hi || (hi + 1 != T(0) && last->lo == hi + 1))) {
      lo = std::min(lo, last->lo);
      hi = std::max(hi, last->hi);
      ++last;
    }
    first = items_.erase(first, last);
    items_.insert(first, Interval{lo, hi});
  }
  void add(const IntervalSet& o) {
    if (o.empty()) return;
    if (empty()) {
      items_ = o.items_;
      return;
    }
    *this = unite(*this, o);
  }

  [[nodiscard]] static IntervalSet unite(const IntervalSet& a, const IntervalSet& b) {
    IntervalSet out;
    out.items_.reserve(a.items_.size() + b.items_.size());
    size_t i = 0, j = 0;
    auto push = [&](const Interval& v) {
      if (!out.items_.empty()) {
        Interval& back = out.items_.back();
        if (v.lo <= back.hi || (back.hi + 1 != T(0) && v.lo == back.hi + 1)) {
          back.hi = std::max(back.hi, v.hi);
          return;
        }
      }
      out.items_.push_back(v);
    };
    while (i < a.items_.size() || j < b.items_.size()) {
      if (j == b.items_.size() || (i < a.items_.size() && a.items_[i].lo <= b.items_[j].lo)) {
        push(a.items_[i++]);
      } else {
        push(b.items_[j++]);
      }
    }
    return out;
  }

  [[nodiscard]] static IntervalSet intersect(const IntervalSet& a, const IntervalSet& b) {
    IntervalSet out;
    intersect_into(a, b, out);
    return out;
  }
  // a ∩ b into `out` (which must be neither a nor b), reusing its storage.
  static void intersect_into(const IntervalSet& a, const IntervalSet& b, IntervalSet& out) {
    out.items_.clear();
    if (a.empty() || b.empty()) return;
    // One interval around the whole of the other set (a rule's 0.0.0.0/0 and the public space): that set.
    auto holds = [](const IntervalSet& one, const IntervalSet& other) {
      return one.items_.size() == 1 && one.items_[0].lo <= other.items_.front().lo &&
             other.items_.back().hi <= one.items_[0].hi;
    };
    if (holds(a, b)) {
      out.items_ = b.items_;
      return;
    }
    if (holds(b, a)) {
      out.items_ = a.items_;
      return;
    }
    out.items_.reserve(a.items_.size() + b.items_.size() - 1);  // at most that many: one allocation
    size_t i = 0, j = 0;
    while (i < a.items_.size() && j < b.items_.size()) {
      const T lo = std::max(a.items_[i].lo, b.items_[j].lo);
      const T hi = std::min(a.items_[i].hi, b.items_[j].hi);
      if (lo <= hi) out.items_.push_back({lo, hi});
      if (a.items_[i].hi < b.items_[j].hi) {
        ++i;
      } else {
        ++j;
      }
    }
  }

  // a \ b
  [[nodiscard]] static IntervalSet subtract(const IntervalSet& a, const IntervalSet& b) {
    if (b.empty() || a.empty()) return a;
    IntervalSet out;
    out.items_.reserve(a.items_.size() + b.items_.size());  // each cut adds at most one piece
    size_t j = 0;
    for (Interval cur : a.items_) {
      bool alive = true;
      while (j < b.items_.size() && b.items_[j].hi < cur.lo) ++j;
      size_t k = j;
      while (alive && k < b.items_.size() && b.items_[k].lo <= cur.hi) {
        const Interval& cut = b.items_[k];
        if (cut.lo > cur.lo) out.items_.push_back({cur.lo, T(cut.lo - 1)});
        if (cut.hi >= cur.hi) {
          alive = false;
        } else {
          cur.lo = T(cut.hi + 1);
          ++k;
        }
      }
      if (alive) out.items_.push_back(cur);
    }
    return out;
  }

  IntervalSet& operator&=(const IntervalSet& o) { return *this = intersect(*this, o); }
  IntervalSet& operator|=(const IntervalSet& o) {
    add(o);
    return *this;
  }
  IntervalSet& operator-=(const IntervalSet& o) { return *this = subtract(*this, o); }
  friend IntervalSet operator&(const IntervalSet& a, const IntervalSet& b) { return intersect(a, b); }
  friend IntervalSet operator|(const IntervalSet& a, const IntervalSet& b) { return unite(a, b); }
  friend IntervalSet operator-(const IntervalSet& a, const IntervalSet& b) { return subtract(a, b); }
  friend bool operator==(const IntervalSet&, const IntervalSet&) = default;

 private:
  std::vector<Interval> items_;
};

// ---------------------------------------------------------------------------------------------
// Ports

using PortSet = IntervalSet<uint32_t>;  // values 0..65535

[[nodiscard]] inline PortSet all_ports() { return PortSet::of(0, 65535); }
[[nodiscard]] inline PortSet ports_of(const PortRange& r) { return PortSet::of(r.from, r.to); }
// "22", "80, 443", "1024-65535", "all"
[[nodiscard]] std::string to_string(const PortSet& ports);
// The set as PortRanges.
[[nodiscard]] std::vector<PortRange> port_ranges(const PortSet& ports);

// ---------------------------------------------------------------------------------------------
// Addresses of one family

struct AddressSet {
  IpFamily family = IpFamily::kV4;
  IntervalSet<uint128> set;

  [[nodiscard]] static AddressSet none(IpFamily f) { return {f, {}}; }
  [[nodiscard]] static AddressSet all(IpFamily f);
  [[nodiscard]] static AddressSet of(const Cidr& c) {
    return {c.family(), IntervalSet<uint128>::of(c.first().value, c.last().value)};
  }
  [[nodiscard]] static AddressSet of(const IpAddress& a) { return {a.family, IntervalSet<uint128>::of(a.value, a.value)}; }

  [[nodiscard]] bool empty() const { return set.empty(); }
  [[nodiscard]] bool contains(const IpAddress& a) const { return a.family == family && set.contains(a.value); }
  [[nodiscard]] bool contains(const Cidr& c) const {
    return c.family() == family && set.contains(c.first().value, c.last().value);
  }
  [[nodiscard]] bool overlaps(const Cidr& c) const {
    return c.family() == family && set.overlaps(c.first().value, c.last().value);
  }
  [[nodiscard]] bool overlaps(const AddressSet& o) const { return o.family == family && set.overlaps(o.set); }
  [[nodiscard]] bool is_all() const { return *this == all(family); }

  void add(const Cidr& c) {
    if (c.family() == family) set.add(c.first().value, c.last().value);
  }
  void add(const IpAddress& a) {
    if (a.family == family) set.add(a.value, a.value);
  }
  void add(const AddressSet& o) {
    if (o.family == family) set.add(o.set);
  }
  AddressSet& operator&=(const AddressSet& o) {
    set &= o.set;
    return *this;
  }
  AddressSet& operator-=(const AddressSet& o) {
    set -= o.set;
    return *this;
  }
  AddressSet& operator|=(const AddressSet& o) {
    add(o);
    return *this;
  }
  friend AddressSet operator&(const AddressSet& a, const AddressSet& b) { return {a.family, a.set & b.set}; }
  friend AddressSet operator-(const AddressSet& a, const AddressSet& b) { return {a.family, a.set - b.set}; }
  friend AddressSet operator|(const AddressSet& a, const AddressSet& b) { return {a.family, a.set | b.set}; }
  friend bool operator==(const AddressSet&, const AddressSet&) = default;
};

// The smallest list of CIDR blocks whose union is the set, in address order.
[[nodiscard]] std::vector<Cidr> to_cidrs(const AddressSet& s);
// "0.0.0.0/0", "3.0.0.0/8, 4.0.0.0/6 (+12 more)", "(none)": at most `max_blocks` blocks named.
[[nodiscard]] std::string to_string(const AddressSet& s, size_t max_blocks = 4);
// The publicly routable part of the family's address space (everything net.h's classify() calls
// public): the universe of "internet" sources.
[[nodiscard]] const AddressSet& public_space(IpFamily f);

}  // namespace fortress::reach
