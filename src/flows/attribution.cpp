#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "flows/rule_usage.h"

namespace fortress::flows {

std::string port_text(uint8_t protocol, uint16_t port) {
  if (protocol == proto::kTcp || protocol == proto::kUdp) return fmt::format("{}/{}", protocol_name(protocol), port);
  return protocol_name(protocol);
}

std::vector<std::pair<uint8_t, uint16_t>> default_usual_egress_ports() {
  return {{uint8_t(proto::kTcp), 80}, {uint8_t(proto::kTcp), 443}, {uint8_t(proto::kUdp), 443},
          {uint8_t(proto::kUdp), 53}, {uint8_t(proto::kTcp), 53},  {uint8_t(proto::kUdp), 123}};
}

std::string duration_text(uint64_t s) {
  if (s >= 86400) return s % 86400 / 3600 ? fmt::format("{}d {}h", s / 86400, s % 86400 / 3600) : fmt::format("{}d", s / 86400);
  if (s >= 3600) return s % 3600 / 60 ? fmt::format("{}h {}m", s / 3600, s % 3600 / 60) : fmt::format("{}h", s / 3600);
  if (s >= 60) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

std::string time_text(uint32_t t) {
  const std::time_t tt = std::time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

struct AddrHash {
  size_t operator()(const IpAddress& a) const {
    const uint64_t lo = uint64_t(a.value), hi = uint64_t(a.value >> 64);
    return size_t((lo * 0x9e3779b97f4a7c15ULL) ^ (hi + 0x632be59bd9b4e019ULL) ^ uint64_t(a.family));
  }
};

enum class Match : uint8_t { kNo, kYes, kMaybe };

struct RuleRef {
  const SecurityGroup* group;
  const SecurityGroupRule* rule;
  uint32_t index;  // into Attributor::rule_hits_
};

// The remote address of one key, with what the rules ask of it looked up once per key (not once per
// security-group-reference rule).
struct PeerInfo {
  IpAddress addr;
  mutable bool owners_looked = false;
  mutable const std::vector<const NetworkInterface*>* owners = nullptr;
  mutable bool owner_numbers_looked = false;  // the same for the compiled matching
  mutable const std::vector<uint32_t>* owner_numbers = nullptr;
};

// An array of n trivially copyable T in zeroed memory (detail::allocate_zeroed: huge pages from 2 MiB).
// The attribution's copies of every key and contribution are tens of MB: a vector of that size takes
// a page fault and a zero-fill per 4 KiB page, then zeroes it again itself.
template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  explicit ZeroedArray(size_t n)
      : n_(n), p_(n == 0 ? nullptr : static_cast<T*>(detail::allocate_zeroed(n * sizeof(T)))) {}
  ~ZeroedArray() {
    if (p_ != nullptr) detail::release_zeroed(p_, n_ * sizeof(T));
  }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  T& operator[](size_t i) { return p_[i]; }
  T* begin() { return p_; }
  T* end() { return p_ + n_; }
  T* data() { return p_; }

 private:
  size_t n_;
  T* p_;
};

uint128 cidr_host_mask(const Cidr& c) {
  const int host_bits = (c.family() == IpFamily::kV4 ? 32 : 128) - c.prefix_length;
  if (host_bits >= 128) return ~uint128(0);
  return (uint128(1) << host_bits) - 1;
}

struct EniContext {
  const Region* region = nullptr;
  const NetworkInterface* eni = nullptr;
  std::vector<RuleRef> ingress, egress;
};

struct PeerAcc {
  uint64_t flows = 0, packets = 0, bytes = 0;
};
struct PortKey {
  uint8_t protocol;
  uint16_t port;
  bool operator==(const PortKey&) const = default;
};
struct PortKeyHash {
  size_t operator()(const PortKey& k) const { return (size_t(k.protocol) << 16) | k.port; }
};

// One key's contribution to one rule, collected in a flat vector and reduced at the end: bucketed by
// rule (a counting sort), then each rule's bucket sorted by peer and by port in cache (a hash map of
// peers per rule costs an allocation per peer; one sort of all contributions by (rule, peer) missed
// the cache at every level). 48 bytes: the peer as family + value.
struct Contribution {
  uint128 peer;
  uint64_t flows, packets, bytes;
  uint32_t rule;  // index into Attributor::rule_hits_
  uint16_t port;
  uint8_t protocol;
  IpFamily family;
  [[nodiscard]] IpAddress peer_ip() const { return {family, peer}; }
};
static_assert(sizeof(Contribution) == 48);

// A rule of the current interface compiled for the per-key matching: a CIDR peer as the mask and
// network of Cidr::contains (one AND and compare, no pointer to the rule); other peers through
// Attributor::peer_match.
struct CompiledRule {
  const RuleRef* ref;
  uint128 mask;  // ~host mask of the block (kCidr)
  uint128 net;
  PeerKind kind;
  IpFamily family;
  bool group_known = false;  // kSecurityGroup: the referenced group is in the snapshot
  uint32_t group = 0;        // kSecurityGroup: its number (Attributor::group_no_)
};

// A rule whose protocol and port part admits a (side, protocol, port), with that part's verdict.
struct Candidate {
  uint32_t rule;  // index into the side's CompiledRule vector
  Match traffic;  // kYes, or kMaybe (an ICMP rule of one type)
};

// One key's egress to a public peer; reduced by sorting when the summaries are built (a hash map of
// peers, each with a hash map of ports, cost two allocations per peer).
struct EgressItem {
  IpAddress peer;
  uint8_t protocol;
  uint16_t port;
  uint64_t flows, packets, bytes;
};

struct EgressAcc {
  uint64_t flows = 0, packets = 0, bytes = 0;
  std::vector<EgressItem> items;
  std::set<const NetworkInterface*> enis;
  std::set<std::pair<const SecurityGroup*, const SecurityGroupRule*>> unusual_rules;
};

struct RejectAcc {
  bool seen = false;
  uint64_t flows = 0, packets = 0, in = 0, out = 0;
  std::unordered_map<IpAddress, PeerAcc, AddrHash> sources;
  std::unordered_map<PortKey, PeerAcc, PortKeyHash> ports;
};

// Initiations no rule admits, kept as examples for the report: the ones with the most flows, then by
// interface ID and key (a total order, so which ones does not depend on the order the keys come in).
// A few more than are shown are kept, since two keys (initiator decided by flags, by ports) print the
// same line.
class UnmatchedSamples {
 public:
  struct Sample {
    uint64_t flows;
    std::string_view interface_id;
    FlowKey key;
    bool ingress;
  };
  void offer(const Sample& s) {
    if (heap_.size() < kKept) {
      heap_.push_back(s);
      std::push_heap(heap_.begin(), heap_.end(), before);
    } else if (before(s, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), before);
      heap_.back() = s;
      std::push_heap(heap_.begin(), heap_.end(), before);
    }
  }
  // "eni-x: tcp/8443 from 10.1.2.3", at most `n`, each once, most flows first.
  [[nodiscard]] std::vector<std::string> texts(size_t n) {
    std::sort(heap_.begin(), heap_.end(), before);
    std::vector<std::string> out;
    for (const Sample& s : heap_) {
      if (out.size() == n) break;
      std::string text = fmt::format("{}: {} {} {}", s.interface_id, port_text(s.key.protocol, s.key.dst_port),
                                     s.ingress ? "from" : "to", (s.ingress ? s.key.src_ip() : s.key.dst_ip()).to_string());
      if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
    }
    return out;
  }

 private:
  static constexpr size_t kKept = 40;
  static bool before(const Sample& a, const Sample& b) {
    if (a.flows != b.flows) return a.flows > b.flows;
    if (a.interface_id != b.interface_id) return a.interface_id < b.interface_id;
    return std::memcmp(&a.key, &b.key, sizeof(FlowKey)) < 0;
  }
  std::vector<Sample> heap_;  // a max-heap under `before`: its front is the last kept
};

bool is_public_address(const IpAddress& a) {
  return is_public(Cidr{a, uint8_t(a.family == IpFamily::kV4 ? 32 : 128)});
}

class Attributor {
 public:
  Attributor(const Aggregate& agg, const Account& account, const AttributionOptions& options)
      : agg_(agg), account_(account), options_(options) {
    for (const Region& region : account.regions) {
      for (const NetworkInterface& eni : region.network_interfaces) {
        eni_by_id_.emplace(eni.id.view(), std::make_pair(&region, &eni));
        for (const PrivateIp& p : eni.private_ips) owners_[p.address].push_back(&eni);
        for (const IpAddress& a : eni.ipv6_addresses) owners_[a].push_back(&eni);
        Owner o{number(vpc_no_, eni.vpc_id.view()), {}};
        for (const Symbol& g : eni.group_ids) o.groups.push_back(number(group_no_, g.view()));
        const uint32_t ordinal = uint32_t(owner_info_.size());
        owner_info_.push_back(std::move(o));
        for (const PrivateIp& p : eni.private_ips) owner_slot(p.address).owners.push_back(ordinal);
        for (const IpAddress& a : eni.ipv6_addresses) owner_slot(a).owners.push_back(ordinal);
      }
      for (const SecurityGroup& g : region.security_groups) {
        known_groups_.insert(g.id.view());
        group_known_.resize(std::max<size_t>(group_known_.size(), number(group_no_, g.id.view()) + 1), 0);
        group_known_[group_no_.at(g.id.view())] = 1;
        for (const SecurityGroupRule& r : g.rules)
          if (r.peer.kind == PeerKind::kSecurityGroup) number(group_no_, r.peer.group_id.view());
      }
      for (const VpcPeeringConnection& p : region.peering_connections) {
        if (!p.active()) continue;
        peered_.insert({p.requester.vpc_id.view(), p.accepter.vpc_id.view()});
        peered_.insert({p.accepter.vpc_id.view(), p.requester.vpc_id.view()});
        const uint64_t a = number(vpc_no_, p.requester.vpc_id.view()), b = number(vpc_no_, p.accepter.vpc_id.view());
        peered_numbers_.insert(a << 32 | b);
        peered_numbers_.insert(b << 32 | a);
      }
    }
  }

  RuleUsage run() {
    RuleUsage out;
    out.min_window_seconds = options_.min_window_seconds;
    out.usual_egress_ports = options_.usual_egress_ports;
    std::tie(out.window_start, out.window_end) = agg_.window();
    for (const Region& region : account_.regions)
      for (const SecurityGroup& g : region.security_groups)
        for (const SecurityGroupRule& r : g.rules) {
          RuleHits& h = out.rules[&r];
          h.region = &region;
          h.group = &g;
          h.rule = &r;
          h.unknown = static_unknown(region, r);
        }
    compute_coverage(out);
    rule_hits_.clear();
    rule_index_.clear();
    for (auto& [rule, h] : out.rules) {
      rule_index_.emplace(rule, uint32_t(rule_hits_.size()));
      rule_hits_.push_back(&h);
    }
    resolve_contexts();
    build_reverse_index();

    // The counters every matched key adds to, flat by rule index (the RuleHits are nodes of a hash
    // map, a cache miss each); added to the RuleHits after the keys.
    struct HotHits {
      uint64_t flows = 0, packets = 0, bytes = 0;
      uint64_t exclusive_flows = 0, exclusive_packets = 0, exclusive_bytes = 0;
      uint64_t ambiguous_flows = 0;
      uint32_t first_seen = UINT32_MAX, last_seen = 0;
    };
    std::vector<HotHits> hot(rule_hits_.size());
    std::vector<Contribution> contributions;
    contributions.reserve(agg_.flows.size());  // about one per key: no regrowth copies
    // Per rule index: up to 20 other rules that admitted the same flows (a short vector: a linear find
    // beats a tree insert per matched key).
    // Rule indexes; compared by their rank in the report's order (shared_order), an integer, not two
    // string compares.
    std::vector<std::vector<uint32_t>> shared(rule_hits_.size());
    std::vector<uint32_t> rank(rule_hits_.size());
    {
      std::vector<uint32_t> order(rule_hits_.size());
      for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](uint32_t a, uint32_t b) { return shared_order(rule_hits_[a]->rule, rule_hits_[b]->rule); });
      for (size_t i = 0; i < order.size(); ++i)  // equal in the order: equal rank
        rank[order[i]] = i > 0 && !shared_order(rule_hits_[order[i - 1]]->rule, rule_hits_[order[i]]->rule)
                             ? rank[order[i - 1]]
                             : uint32_t(i);
    }
    // Per interface index (Aggregate::interfaces), not per ID string or ENI pointer in a tree.
    std::vector<EgressAcc> egress(contexts_.size());
    std::vector<RejectAcc> rejected(contexts_.size());
    std::unordered_set<uint32_t> unknown_ifaces;
    AttributionStats& st = out.stats;
    std::vector<const RuleRef*> matched;
    std::vector<const RuleRef*> maybe;
    UnmatchedSamples unmatched;

    auto attribute_key = [&](const FlowKey& k, const FlowCounters& c) {
      ++st.keys;
      const EniContext* ctx = k.interface < contexts_.size() ? &contexts_[k.interface] : nullptr;
      if (ctx == nullptr || ctx->eni == nullptr) {
        st.unknown_interface_flows += c.flows;
        unknown_ifaces.insert(k.interface);
        if (Action(k.action) == Action::kReject) add_reject(rejected, k, c, FlowDirection::kUnknown);
        return;
      }
      FlowDirection dir = FlowDirection(k.direction);
      if (dir == FlowDirection::kUnknown) dir = resolve_direction(*ctx->eni, k);
      if (dir == FlowDirection::kUnknown) {
        st.unresolved_direction_flows += c.flows;
        return;
      }
      if (Action(k.action) == Action::kReject) {
        st.rejected_flows += c.flows;
        add_reject(rejected, k, c, dir);
        return;
      }
      const bool ingress = dir == FlowDirection::kIngress;
      const PeerInfo peer{ingress ? k.src_ip() : k.dst_ip()};
      const Initiator who = Initiator(k.initiator);
      // Did this record's sender start the connection?
      int initiating = src_initiated(who) ? 1 : dst_initiated(who) ? 0 : -1;
      const std::vector<RuleRef>& forward = ingress ? ctx->ingress : ctx->egress;
      const std::vector<RuleRef>& backward = ingress ? ctx->egress : ctx->ingress;
      if (initiating < 0) {
        const bool ports = k.protocol == proto::kTcp || k.protocol == proto::kUdp;
        if (ports) {
          // Either the sender opened the connection to dst_port, or this is the answer of a connection
          // opened to src_port. A listening port a rule admits decides.
          const Match a = match_any(*ctx, ingress ? 0 : 1, forward, k.protocol, k.dst_port, peer);
          const Match b = match_any(*ctx, ingress ? 1 : 0, backward, k.protocol, k.src_port, peer);
          if (a == Match::kYes && b == Match::kNo) initiating = 1;
          else if (a == Match::kNo && b == Match::kYes) initiating = 0;
        } else {
          // Without ports: a pair seen in one direction only was started by its sender.
          if (!reverse_exists(k, ingress)) initiating = 1;
        }
        if (initiating < 0) {
          st.undetermined_flows += c.flows;
          match_collect(*ctx, ingress ? 0 : 1, forward, k.protocol, k.dst_port, peer, matched, maybe);
          for (const RuleRef* r : matched) hot[r->index].ambiguous_flows += c.flows;
          for (const RuleRef* r : maybe) hot[r->index].ambiguous_flows += c.flows;
          return;
        }
      }
      if (initiating == 0) {
        st.return_flows += c.flows;
        return;
      }
      st.initiations += c.flows;
      match_collect(*ctx, ingress ? 0 : 1, forward, k.protocol, k.dst_port, peer, matched, maybe);
      for (const RuleRef* r : maybe) hot[r->index].ambiguous_flows += c.flows;
      if (matched.empty()) {
        if (maybe.empty()) {
          st.unmatched_flows += c.flows;
          unmatched.offer({c.flows, ctx->eni->id.view(), k, ingress});
        }
      } else {
        st.matched += c.flows;
        const bool exclusive = matched.size() == 1 && maybe.empty();
        for (const RuleRef* rr : matched) {
          const uint32_t ri = rr->index;
          HotHits& h = hot[ri];
          h.flows += c.flows;
          h.packets += c.packets;
          h.bytes += c.bytes;
          if (exclusive) {
            h.exclusive_flows += c.flows;
            h.exclusive_packets += c.packets;
            h.exclusive_bytes += c.bytes;
          }
          h.first_seen = std::min(h.first_seen, c.first_start);
          h.last_seen = std::max(h.last_seen, c.last_end);
          contributions.push_back({peer.addr.value, c.flows, c.packets, c.bytes, ri, k.dst_port, k.protocol, peer.addr.family});
          if (matched.size() > 1 || !maybe.empty()) {
            std::vector<uint32_t>& sh = shared[ri];
            // Up to 20: the first 20 in the order the report lists them (by rule ID), whatever order the
            // keys come in.
            auto note = [&sh, &rank](uint32_t o) {
              if (std::find(sh.begin(), sh.end(), o) != sh.end()) return;
              if (sh.size() < 20) {
                sh.push_back(o);
                return;
              }
              auto last = std::max_element(sh.begin(), sh.end(), [&](uint32_t a, uint32_t b) { return rank[a] < rank[b]; });
              if (rank[o] < rank[*last]) *last = o;
            };
            for (const RuleRef* other : matched)
              if (other->index != ri) note(other->index);
            for (const RuleRef* other : maybe) note(other->index);
          }
        }
      }
      if (!ingress && is_public_address(peer.addr)) {
        EgressAcc& e = egress[k.interface];
        if (e.enis.empty()) e.enis.insert(ctx->eni);
        e.flows += c.flows;
        e.packets += c.packets;
        e.bytes += c.bytes;
        e.items.push_back({peer.addr, k.protocol, k.dst_port, c.flows, c.packets, c.bytes});
        if (!is_usual(k.protocol, k.dst_port))
          for (const RuleRef* r : matched) e.unusual_rules.insert({r->group, r->rule});
      }
    };
    // The keys interface by interface (the table holds them in hash order): the interface's context,
    // its rules and their counters stay in cache from one key to the next. A counting sort of copies.
    {
      struct Item {
        FlowKey key;
        FlowCounters counters;
      };
      const size_t n_ifaces = agg_.interfaces.size() + 1;  // the last bucket: indexes out of range
      std::vector<size_t> start(n_ifaces + 1, 0);
      auto bucket = [&](uint32_t iface) { return std::min<size_t>(iface, n_ifaces - 1); };
      agg_.flows.for_each([&](const FlowKey& k, const FlowCounters&) { ++start[bucket(k.interface) + 1]; });
      for (size_t i = 1; i <= n_ifaces; ++i) start[i] += start[i - 1];
      ZeroedArray<Item> items(start[n_ifaces]);
      agg_.flows.for_each([&](const FlowKey& k, const FlowCounters& c) { items[start[bucket(k.interface)]++] = {k, c}; });
      for (const Item& it : items) attribute_key(it.key, it.counters);
    }
    st.unknown_interfaces = unknown_ifaces.size();
    // The ten smallest IDs, and the unmatched initiations with the most flows: which ones must not
    // depend on the order the table holds the keys in (with several reader threads, run to run).
    for (uint32_t i : unknown_ifaces) st.unknown_interface_ids.push_back(agg_.interfaces.texts()[i]);
    std::sort(st.unknown_interface_ids.begin(), st.unknown_interface_ids.end());
    if (st.unknown_interface_ids.size() > 10) st.unknown_interface_ids.resize(10);
    st.unmatched_samples = unmatched.texts(10);
    for (size_t ri = 0; ri < hot.size(); ++ri) {
      const HotHits& x = hot[ri];
      RuleHits& h = *rule_hits_[ri];
      h.flows += x.flows;
      h.packets += x.packets;
      h.bytes += x.bytes;
      h.exclusive_flows += x.exclusive_flows;
      h.exclusive_packets += x.exclusive_packets;
      h.exclusive_bytes += x.exclusive_bytes;
      h.ambiguous_flows += x.ambiguous_flows;
      h.first_seen = std::min(h.first_seen, x.first_seen);
      h.last_seen = std::max(h.last_seen, x.last_seen);
    }

    // Distinct peers and ports per rule: the contributions bucketed by rule, each bucket reduced alone.
    {
      std::vector<size_t> at(rule_hits_.size() + 1, 0);
      for (const Contribution& x : contributions) ++at[x.rule + 1];
      for (size_t i = 1; i < at.size(); ++i) at[i] += at[i - 1];
      ZeroedArray<Contribution> by_rule(contributions.size());
      {
        std::vector<size_t> next(at.begin(), at.end() - 1);
        for (const Contribution& x : contributions) by_rule[next[x.rule]++] = x;
      }
      std::vector<Contribution>().swap(contributions);
      for (size_t ri = 0; ri + 1 < at.size(); ++ri) {
        Contribution* const b = by_rule.data() + at[ri];
        Contribution* const e = by_rule.data() + at[ri + 1];
        if (b == e) continue;
        RuleHits& h = *rule_hits_[ri];
        std::sort(b, e, [](const Contribution& x, const Contribution& y) {
          return x.family != y.family ? x.family < y.family : x.peer < y.peer;
        });
        for (const Contribution* i = b; i != e;) {
          PeerCount p{i->peer_ip(), 0, 0, 0};
          const Contribution* j = i;
          for (; j != e && j->family == i->family && j->peer == i->peer; ++j) {
            p.flows += j->flows;
            p.packets += j->packets;
            p.bytes += j->bytes;
          }
          h.peers.push_back(p);
          i = j;
        }
        std::sort(b, e, [](const Contribution& x, const Contribution& y) {
          return x.protocol != y.protocol ? x.protocol < y.protocol : x.port < y.port;
        });
        for (const Contribution* i = b; i != e;) {
          PortCount p{i->protocol, i->port, 0, 0};
          const Contribution* j = i;
          for (; j != e && j->protocol == i->protocol && j->port == i->port; ++j) {
            p.flows += j->flows;
            p.bytes += j->bytes;
          }
          h.ports.push_back(p);
          i = j;
        }
      }
    }
    for (RuleHits* h : rule_hits_) {
      std::sort(h->peers.begin(), h->peers.end(), [](const PeerCount& x, const PeerCount& y) {
        return x.flows != y.flows ? x.flows > y.flows : x.peer < y.peer;
      });
      sort_ports(h->ports, false);
    }
    for (size_t ri = 0; ri < shared.size(); ++ri) {
      if (shared[ri].empty()) continue;
      RuleHits& h = *rule_hits_[ri];
      for (uint32_t o : shared[ri]) h.shared_with.push_back(rule_hits_[o]->rule);
      std::sort(h.shared_with.begin(), h.shared_with.end(), shared_order);
    }
    build_egress(out, egress);
    build_rejected(out, rejected);
    return out;
  }

 private:
  static bool shared_order(const SecurityGroupRule* x, const SecurityGroupRule* y) {
    return std::tie(x->rule_id, x->description) < std::tie(y->rule_id, y->description);
  }
  static void sort_ports(std::vector<PortCount>& v, bool by_bytes) {
    std::sort(v.begin(), v.end(), [by_bytes](const PortCount& a, const PortCount& b) {
      const uint64_t x = by_bytes ? a.bytes : a.flows, y = by_bytes ? b.bytes : b.flows;
      if (x != y) return x > y;
      return std::tie(a.protocol, a.port) < std::tie(b.protocol, b.port);
    });
  }

  bool is_usual(uint8_t protocol, uint16_t port) const {
    for (const auto& [p, n] : options_.usual_egress_ports)
      if (p == protocol && n == port) return true;
    return false;
  }

  static std::string static_unknown(const Region& region, const SecurityGroupRule& r) {
    if (r.peer.kind != PeerKind::kPrefixList) return {};
    const PrefixList* list = region.prefix_list(r.peer.prefix_list_id);
    if (list == nullptr) return "prefix list " + r.peer.prefix_list_id + " was not collected";
    if (!list->entries) return "the entries of prefix list " + r.peer.prefix_list_id + " were not collected";
    return {};
  }

  // ---- coverage --------------------------------------------------------------------------------
  void compute_coverage(RuleUsage& out) {
    // Flow logs whose records were read: named by the files' S3 keys, or (files that do not name their
    // log) every active log covering an interface that has records.
    std::unordered_map<std::string_view, std::pair<uint32_t, uint32_t>> log_window;
    std::unordered_map<std::string_view, Observation> eni_obs;
    auto widen = [](std::pair<uint32_t, uint32_t>& w, const Observation& o) {
      w.first = std::min(w.first, o.first_start);
      w.second = std::max(w.second, o.last_end);
    };
    for (const auto& [key, o] : agg_.observations) {
      const std::string& iface = agg_.interfaces.texts()[key.first];
      const std::string& log = agg_.flow_logs.texts()[key.second];
      eni_obs[iface].add(o);
      if (!log.empty()) {
        auto [it, _] = log_window.try_emplace(intern(log), std::make_pair(UINT32_MAX, 0u));
        widen(it->second, o);
        continue;
      }
      auto found = eni_by_id_.find(iface);
      if (found == eni_by_id_.end()) continue;
      for (const FlowLog* l : covering_logs(*found->second.first, *found->second.second)) {
        auto [it, _] = log_window.try_emplace(l->id.view(), std::make_pair(UINT32_MAX, 0u));
        widen(it->second, o);
      }
    }
    for (const Region& region : account_.regions) {
      auto& [total, observed] = out.region_enis[std::string(region.name)];
      for (const NetworkInterface& eni : region.network_interfaces) {
        if (eni.status == "available") continue;
        GroupCoverage c;
        c.enis = 1;
        ++total;
        std::string gap;
        if (!region.has(Dataset::kFlowLogs)) {
          gap = fmt::format("{}: ec2/describe-flow-logs was not collected in {}: its flow logs are unknown", eni.id,
                            region.name);
        } else {
          std::vector<const FlowLog*> logs = covering_logs(region, eni);
          const FlowLog* read = nullptr;
          std::pair<uint32_t, uint32_t> w{UINT32_MAX, 0};
          for (const FlowLog* l : logs) {
            auto it = log_window.find(l->id.view());
            if (it == log_window.end()) continue;
            read = l;
            w.first = std::min(w.first, it->second.first);
            w.second = std::max(w.second, it->second.second);
          }
          if (logs.empty()) {
            gap = fmt::format("{}: no active flow log with traffic type ALL or ACCEPT on it, its subnet or its VPC",
                              eni.id);
            if (has_reject_only(region, eni)) gap += " (a REJECT-only log records no accepted traffic)";
          } else if (read == nullptr) {
            gap = fmt::format("{}: covered by {}, but no records of that flow log were given", eni.id, logs[0]->id);
          } else {
            auto eo = eni_obs.find(eni.id.view());
            if (eo != eni_obs.end()) {
              c.skipdata = eo->second.skipdata;
              w.first = std::min(w.first, eo->second.first_start);
              w.second = std::max(w.second, eo->second.last_end);
            }
            c.observed = 1;
            ++observed;
            if (w.first != UINT32_MAX && w.second >= w.first) {
              c.window_start = w.first;
              c.window_end = w.second;
            }
          }
        }
        if (!gap.empty()) c.gaps.push_back(std::move(gap));
        out.eni_coverage[&eni] = std::move(c);
      }
      for (const SecurityGroup& g : region.security_groups) {
        GroupCoverage gc;
        for (const NetworkInterface* eni : region.enis_in_group(g.id)) {
          auto it = out.eni_coverage.find(eni);
          if (it == out.eni_coverage.end()) continue;  // not in use
          const GroupCoverage& c = it->second;
          ++gc.enis;
          gc.observed += c.observed;
          gc.skipdata += c.skipdata;
          if (!c.gaps.empty() && gc.gaps.size() < 10) gc.gaps.push_back(c.gaps[0]);
          if (c.observed && c.window_end > 0) {
            gc.window_start = gc.window_start == 0 ? c.window_start : std::min(gc.window_start, c.window_start);
            gc.window_end = std::max(gc.window_end, c.window_end);
          }
        }
        out.groups[&g] = std::move(gc);
      }
    }
  }

  static bool has_reject_only(const Region& region, const NetworkInterface& eni) {
    for (std::string_view res : {eni.id.view(), eni.subnet_id.view(), eni.vpc_id.view()})
      for (const FlowLog* l : region.flow_logs_for(res))
        if (l->active() && l->traffic_type == "REJECT") return true;
    return false;
  }

  // Active flow logs on the interface, its subnet or its VPC that record accepted traffic.
  static std::vector<const FlowLog*> covering_logs(const Region& region, const NetworkInterface& eni) {
    std::vector<const FlowLog*> out;
    for (std::string_view res : {eni.id.view(), eni.subnet_id.view(), eni.vpc_id.view()}) {
      if (res.empty()) continue;
      for (const FlowLog* l : region.flow_logs_for(res))
        if (l->active() && (l->traffic_type == "ALL" || l->traffic_type == "ACCEPT")) out.push_back(l);
    }
    return out;
  }

  // ---- interfaces ------------------------------------------------------------------------------
  void resolve_contexts() {
    contexts_.resize(agg_.interfaces.size());
    for (size_t i = 0; i < agg_.interfaces.size(); ++i) {
      auto it = eni_by_id_.find(agg_.interfaces.texts()[i]);
      if (it == eni_by_id_.end()) continue;
      EniContext& c = contexts_[i];
      c.region = it->second.first;
      c.eni = it->second.second;
      for (const Symbol& gid : c.eni->group_ids) {
        const SecurityGroup* g = c.region->security_group(gid);
        if (g == nullptr) continue;
        for (const SecurityGroupRule& r : g->rules)
          (r.is_ingress() ? c.ingress : c.egress).push_back({g, &r, rule_index_.at(&r)});
      }
    }
  }

  static bool is_local(const NetworkInterface& eni, const IpAddress& a) {
    for (const PrivateIp& p : eni.private_ips)
      if (p.address == a) return true;
    for (const IpAddress& v6 : eni.ipv6_addresses)
      if (v6 == a) return true;
    return false;
  }

  static FlowDirection resolve_direction(const NetworkInterface& eni, const FlowKey& k) {
    const bool dst = is_local(eni, k.dst_ip());
    const bool src = is_local(eni, k.src_ip());
    if (dst && !src) return FlowDirection::kIngress;
    if (src && !dst) return FlowDirection::kEgress;
    return FlowDirection::kUnknown;
  }

  void build_reverse_index() {
    agg_.flows.for_each([&](const FlowKey& k, const FlowCounters&) {
      if (k.protocol == proto::kTcp || k.protocol == proto::kUdp) return;
      reverse_.insert(pair_hash(k.interface, k.src_ip(), k.dst_ip(), k.protocol));
    });
  }
  static uint64_t pair_hash(uint32_t iface, const IpAddress& from, const IpAddress& to, uint8_t protocol) {
    AddrHash h;
    return (uint64_t(h(from)) * 31 + h(to)) * 0x9e3779b97f4a7c15ULL + (uint64_t(iface) << 8) + protocol;
  }
  bool reverse_exists(const FlowKey& k, bool) const {
    return reverse_.count(pair_hash(k.interface, k.dst_ip(), k.src_ip(), k.protocol)) > 0;
  }

  // ---- matching --------------------------------------------------------------------------------
  static Match traffic_match(const TrafficSpec& t, int protocol, uint16_t port, IpFamily family) {
    if (t.protocol == proto::kAll) return Match::kYes;
    if (t.protocol != protocol) return Match::kNo;
    if (has_ports(protocol)) return t.ports.contains(port) ? Match::kYes : Match::kNo;
    if (protocol == proto::kIcmp || protocol == proto::kIcmpv6) {
      (void)family;
      return t.icmp_type < 0 ? Match::kYes : Match::kMaybe;  // flow logs carry no ICMP type
    }
    return Match::kYes;
  }

  Match peer_match(const EniContext& ctx, const RulePeer& peer, const PeerInfo& info) const {
    const IpAddress& addr = info.addr;
    switch (peer.kind) {
      case PeerKind::kCidr:
        return peer.cidr.contains(addr) ? Match::kYes : Match::kNo;
      case PeerKind::kPrefixList: {
        const PrefixList* list = ctx.region->prefix_list(peer.prefix_list_id);
        if (list == nullptr || !list->entries) return Match::kMaybe;
        for (const PrefixListEntry& e : *list->entries)
          if (e.cidr.contains(addr)) return Match::kYes;
        return Match::kNo;
      }
      case PeerKind::kSecurityGroup: {
        if (!info.owners_looked) {
          auto it = owners_.find(addr);
          info.owners = it != owners_.end() ? &it->second : nullptr;
          info.owners_looked = true;
        }
        if (info.owners != nullptr) {
          for (const NetworkInterface* o : *info.owners) {
            if (std::find(o->group_ids.begin(), o->group_ids.end(), peer.group_id) == o->group_ids.end()) continue;
            if (o->vpc_id == ctx.eni->vpc_id || peered_.count({o->vpc_id.view(), ctx.eni->vpc_id.view()}) > 0)
              return Match::kYes;
          }
          return Match::kNo;
        }
        // The referenced group's members are not in the snapshot (another account or region): a
        // private peer may be one of them.
        if (known_groups_.count(peer.group_id.view()) == 0 && !is_public_address(addr)) return Match::kMaybe;
        return Match::kNo;
      }
    }
    return Match::kNo;
  }

  Match rule_match(const EniContext& ctx, const SecurityGroupRule& r, int protocol, uint16_t port,
                   const PeerInfo& peer) const {
    const Match t = traffic_match(r.traffic, protocol, port, peer.addr.family);
    if (t == Match::kNo) return Match::kNo;
    const Match p = peer_match(ctx, r.peer, peer);
    if (p == Match::kNo) return Match::kNo;
    return (t == Match::kYes && p == Match::kYes) ? Match::kYes : Match::kMaybe;
  }

  Match any_match(const EniContext& ctx, const std::vector<RuleRef>& rules, int protocol, uint16_t port,
                  const PeerInfo& peer) const {
    Match best = Match::kNo;
    for (const RuleRef& r : rules) {
      const Match m = rule_match(ctx, *r.rule, protocol, port, peer);
      if (m == Match::kYes) return m;
      if (m == Match::kMaybe) best = m;
    }
    return best;
  }

  void collect(const EniContext& ctx, const std::vector<RuleRef>& rules, int protocol, uint16_t port,
               const PeerInfo& peer, std::vector<const RuleRef*>& yes, std::vector<const RuleRef*>& maybe) const {
    yes.clear();
    maybe.clear();
    for (const RuleRef& r : rules) {
      const Match m = rule_match(ctx, *r.rule, protocol, port, peer);
      if (m == Match::kYes) yes.push_back(&r);
      else if (m == Match::kMaybe) maybe.push_back(&r);
    }
  }

  // ---- compiled matching -----------------------------------------------------------------------
  // The rules of the interface whose keys are being attributed (the keys come interface by interface),
  // and per (side, protocol, port) its candidates: computed on the first key that asks, then reused by
  // every key of the interface that differs only in peer or client port.
  struct Compiled {
    const EniContext* ctx = nullptr;
    uint32_t vpc = 0;  // the interface's VPC number
    std::vector<CompiledRule> rules[2];  // [0] ingress, [1] egress, in the context's order
    std::vector<Candidate> pool;
    struct Entry {
      uint32_t key = 0;  // (side, protocol, port) + 1; 0 = empty
      uint32_t offset = 0, count = 0;
    };
    std::vector<Entry> table = std::vector<Entry>(64);  // open addressing, power of two
    std::vector<uint32_t> used;
  };

  void prepare(const EniContext& ctx) const {
    Compiled& m = compiled_;
    if (m.ctx == &ctx) return;
    m.ctx = &ctx;
    m.vpc = vpc_no_.at(ctx.eni->vpc_id.view());
    for (uint32_t i : m.used) m.table[i] = {};
    m.used.clear();
    m.pool.clear();
    for (int side = 0; side < 2; ++side) {
      std::vector<CompiledRule>& out = m.rules[side];
      out.clear();
      for (const RuleRef& r : side == 0 ? ctx.ingress : ctx.egress) {
        CompiledRule c{&r, 0, 0, r.rule->peer.kind, r.rule->peer.cidr.family()};
        if (c.kind == PeerKind::kCidr) {
          c.mask = ~cidr_host_mask(r.rule->peer.cidr);
          c.net = r.rule->peer.cidr.network.value;
        } else if (c.kind == PeerKind::kSecurityGroup) {
          c.group = group_no_.at(r.rule->peer.group_id.view());
          c.group_known = c.group < group_known_.size() && group_known_[c.group] != 0;
        }
        out.push_back(c);
      }
    }
  }

  std::pair<const Candidate*, const Candidate*> candidates(int side, int protocol, uint16_t port) const {
    Compiled& m = compiled_;
    const uint16_t p = has_ports(protocol) ? port : 0;  // the traffic part ignores the port otherwise
    const uint32_t key = ((uint32_t(side) << 24) | (uint32_t(protocol & 0xff) << 16) | p) + 1;
    size_t mask = m.table.size() - 1;
    size_t i = (uint64_t(key) * 0x9e3779b97f4a7c15ULL >> 40) & mask;
    while (m.table[i].key != 0) {
      if (m.table[i].key == key) return {m.pool.data() + m.table[i].offset, m.pool.data() + m.table[i].offset + m.table[i].count};
      i = (i + 1) & mask;
    }
    const uint32_t offset = uint32_t(m.pool.size());
    const std::vector<CompiledRule>& rules = m.rules[side];
    for (uint32_t r = 0; r < rules.size(); ++r) {
      const Match t = traffic_match(rules[r].ref->rule->traffic, protocol, port, IpFamily::kV4);
      if (t != Match::kNo) m.pool.push_back({r, t});
    }
    const uint32_t count = uint32_t(m.pool.size()) - offset;
    if ((m.used.size() + 1) * 2 > m.table.size()) {
      // Grow: rehash the used entries into a table twice the size.
      std::vector<typename Compiled::Entry> old;
      old.swap(m.table);
      m.table.assign(old.size() * 2, {});
      mask = m.table.size() - 1;
      std::vector<uint32_t> used;
      for (uint32_t u : m.used) {
        size_t j = (uint64_t(old[u].key) * 0x9e3779b97f4a7c15ULL >> 40) & mask;
        while (m.table[j].key != 0) j = (j + 1) & mask;
        m.table[j] = old[u];
        used.push_back(uint32_t(j));
      }
      m.used.swap(used);
      i = (uint64_t(key) * 0x9e3779b97f4a7c15ULL >> 40) & mask;
      while (m.table[i].key != 0) i = (i + 1) & mask;
    }
    m.table[i] = {key, offset, count};
    m.used.push_back(uint32_t(i));
    return {m.pool.data() + offset, m.pool.data() + offset + count};
  }

  Match compiled_match(const EniContext& ctx, const CompiledRule& r, Match traffic, const PeerInfo& peer) const {
    Match p;
    if (r.kind == PeerKind::kCidr) {
      p = peer.addr.family == r.family && (peer.addr.value & r.mask) == r.net ? Match::kYes : Match::kNo;
    } else if (r.kind == PeerKind::kSecurityGroup) {
      p = group_match(r, peer);
    } else {
      p = peer_match(ctx, r.ref->rule->peer, peer);
    }
    if (p == Match::kNo) return Match::kNo;
    return traffic == Match::kYes && p == Match::kYes ? Match::kYes : Match::kMaybe;
  }

  // peer_match of a security-group reference by numbers: the peer is a private IP of an interface in the
  // group, in the interface's VPC or one peered with it; else, when the group's members are not in the
  // snapshot, a private peer may be one.
  Match group_match(const CompiledRule& r, const PeerInfo& info) const {
    if (!info.owner_numbers_looked) {
      info.owner_numbers = find_owners(info.addr);
      info.owner_numbers_looked = true;
    }
    if (info.owner_numbers != nullptr) {
      const uint32_t vpc = compiled_.vpc;
      for (uint32_t o : *info.owner_numbers) {
        const Owner& w = owner_info_[o];
        if (std::find(w.groups.begin(), w.groups.end(), r.group) == w.groups.end()) continue;
        if (w.vpc == vpc || peered_numbers_.count(uint64_t(w.vpc) << 32 | vpc) > 0) return Match::kYes;
      }
      return Match::kNo;
    }
    if (!r.group_known && !is_public_address(info.addr)) return Match::kMaybe;
    return Match::kNo;
  }

  // any_match / collect over `rules` (the context's side `side`), by the compiled candidates unless
  // the options ask for the reference (rule by rule; the tests compare the two).
  Match match_any(const EniContext& ctx, int side, const std::vector<RuleRef>& rules, int protocol, uint16_t port,
                  const PeerInfo& peer) const {
    if (options_.reference_matching) return any_match(ctx, rules, protocol, port, peer);
    prepare(ctx);
    const std::vector<CompiledRule>& compiled = compiled_.rules[side];
    Match best = Match::kNo;
    for (auto [c, e] = candidates(side, protocol, port); c != e; ++c) {
      const Match m = compiled_match(ctx, compiled[c->rule], c->traffic, peer);
      if (m == Match::kYes) return m;
      if (m == Match::kMaybe) best = m;
    }
    return best;
  }

  void match_collect(const EniContext& ctx, int side, const std::vector<RuleRef>& rules, int protocol, uint16_t port,
                     const PeerInfo& peer, std::vector<const RuleRef*>& yes, std::vector<const RuleRef*>& maybe) const {
    if (options_.reference_matching) return collect(ctx, rules, protocol, port, peer, yes, maybe);
    prepare(ctx);
    yes.clear();
    maybe.clear();
    const std::vector<CompiledRule>& compiled = compiled_.rules[side];
    for (auto [c, e] = candidates(side, protocol, port); c != e; ++c) {
      const CompiledRule& r = compiled[c->rule];
      const Match m = compiled_match(ctx, r, c->traffic, peer);
      if (m == Match::kYes) yes.push_back(r.ref);
      else if (m == Match::kMaybe) maybe.push_back(r.ref);
    }
  }

  // ---- reports ---------------------------------------------------------------------------------
  // A REJECTed record: the remote side (the source of an inbound attempt, the destination of an
  // outbound one) and the port tried.
  void add_reject(std::vector<RejectAcc>& rejected, const FlowKey& k, const FlowCounters& c, FlowDirection dir) const {
    if (k.interface >= rejected.size()) return;
    RejectAcc& r = rejected[k.interface];
    r.seen = true;
    r.flows += c.flows;
    r.packets += c.packets;
    if (dir == FlowDirection::kIngress) r.in += c.flows;
    if (dir == FlowDirection::kEgress) r.out += c.flows;
    const IpAddress remote = dir == FlowDirection::kEgress ? k.dst_ip() : k.src_ip();
    PeerAcc& p = r.sources[remote];
    p.flows += c.flows;
    p.packets += c.packets;
    p.bytes += c.bytes;
    const uint16_t port = dst_initiated(Initiator(k.initiator)) ? k.src_port : k.dst_port;
    PeerAcc& pp = r.ports[{k.protocol, port}];
    pp.flows += c.flows;
    pp.bytes += c.bytes;
  }

  void build_egress(RuleUsage& out, std::vector<EgressAcc>& by_iface) const {
    auto item_less = [](const EgressItem& x, const EgressItem& y) {
      return std::tie(x.peer, x.protocol, x.port) < std::tie(y.peer, y.protocol, y.port);
    };
    // `e.items` sorted by (peer, protocol, port). Per peer its totals first; the port lists only for
    // the ten peers kept (building them for every peer cost two allocations per peer).
    struct PeerTotal {
      IpAddress addr;
      uint64_t flows = 0, packets = 0, bytes = 0;
      uint64_t unusual_flows = 0, unusual_bytes = 0;
      bool unusual = false;
      size_t begin = 0, end = 0;  // its items
    };
    std::vector<PeerTotal> totals;
    auto summarize = [&](EgressAcc& e, EgressSummary& s) {
      s.flows = e.flows;
      s.packets = e.packets;
      s.bytes = e.bytes;
      std::unordered_map<PortKey, PeerAcc, PortKeyHash> ports;
      totals.clear();
      for (size_t i = 0; i < e.items.size();) {
        PeerTotal t;
        t.addr = e.items[i].peer;
        t.begin = i;
        while (i < e.items.size() && e.items[i].peer == t.addr) {
          const EgressItem& first = e.items[i];
          uint64_t flows = 0, bytes = 0;
          for (; i < e.items.size() && e.items[i].peer == t.addr && e.items[i].protocol == first.protocol &&
                 e.items[i].port == first.port;
               ++i) {
            flows += e.items[i].flows;
            bytes += e.items[i].bytes;
            t.flows += e.items[i].flows;
            t.packets += e.items[i].packets;
            t.bytes += e.items[i].bytes;
          }
          PeerAcc& port = ports[{first.protocol, first.port}];
          port.flows += flows;
          port.bytes += bytes;
          if (!is_usual(first.protocol, first.port)) {
            t.unusual = true;
            t.unusual_flows += flows;
            t.unusual_bytes += bytes;
          }
        }
        t.end = i;
        totals.push_back(t);
      }
      s.distinct_peers = totals.size();
      for (const auto& [k, p] : ports) {
        s.ports.push_back({k.protocol, k.port, p.flows, p.bytes});
        if (!is_usual(k.protocol, k.port)) s.unusual.push_back({k.protocol, k.port, p.flows, p.bytes});
      }
      sort_ports(s.ports, true);
      sort_ports(s.unusual, true);
      // The peer's ports (all, or the unusual ones), most bytes first.
      auto peer_ports = [&](const PeerTotal& t, bool unusual_only) {
        std::vector<PortCount> v;
        for (size_t i = t.begin; i < t.end;) {
          PortCount pc{e.items[i].protocol, e.items[i].port, 0, 0};
          for (; i < t.end && e.items[i].protocol == pc.protocol && e.items[i].port == pc.port; ++i) {
            pc.flows += e.items[i].flows;
            pc.bytes += e.items[i].bytes;
          }
          if (!unusual_only || !is_usual(pc.protocol, pc.port)) v.push_back(pc);
        }
        sort_ports(v, true);
        return v;
      };
      // The first ten by (bytes descending, address): a total order, so which ten does not depend on
      // the order they come in.
      auto top = [&](bool unusual_only) {
        std::vector<const PeerTotal*> v;
        for (const PeerTotal& t : totals)
          if (!unusual_only || t.unusual) v.push_back(&t);
        auto bytes_of = [unusual_only](const PeerTotal* t) { return unusual_only ? t->unusual_bytes : t->bytes; };
        auto by_bytes = [&](const PeerTotal* a, const PeerTotal* b) {
          return bytes_of(a) != bytes_of(b) ? bytes_of(a) > bytes_of(b) : a->addr < b->addr;
        };
        if (v.size() > 10) {
          std::partial_sort(v.begin(), v.begin() + 10, v.end(), by_bytes);
          v.resize(10);
        } else {
          std::sort(v.begin(), v.end(), by_bytes);
        }
        std::vector<EgressPeer> out;
        for (const PeerTotal* t : v) {
          if (unusual_only) out.push_back({t->addr, t->unusual_flows, 0, t->unusual_bytes, peer_ports(*t, true)});
          else out.push_back({t->addr, t->flows, t->packets, t->bytes, peer_ports(*t, false)});
        }
        return out;
      };
      s.top_peers = top(false);
      s.unusual_peers = top(true);
      for (const auto& [g, r] : e.unusual_rules) s.unusual_rules.push_back(r);
    };
    // Per interface (its items sorted here), then per group: the sorted runs of its interfaces merged.
    std::map<const SecurityGroup*, EgressAcc> by_group;
    std::map<const SecurityGroup*, std::vector<size_t>> group_runs;  // where each interface's run starts
    std::map<const SecurityGroup*, const Region*> group_region;
    for (size_t i = 0; i < by_iface.size(); ++i) {
      EgressAcc& e = by_iface[i];
      if (e.enis.empty()) continue;
      const NetworkInterface* eni = contexts_[i].eni;
      const Region* region = contexts_[i].region;
      std::sort(e.items.begin(), e.items.end(), item_less);
      for (const Symbol& gid : eni->group_ids) {
        const SecurityGroup* g = region->security_group(gid);
        if (g == nullptr) continue;
        group_region[g] = region;
        EgressAcc& ga = by_group[g];
        ga.flows += e.flows;
        ga.packets += e.packets;
        ga.bytes += e.bytes;
        ga.enis.insert(eni);
        group_runs[g].push_back(ga.items.size());
        ga.items.insert(ga.items.end(), e.items.begin(), e.items.end());
        for (const auto& gr : e.unusual_rules)
          if (gr.first == g) ga.unusual_rules.insert(gr);
      }
      EgressSummary s;
      s.region = region;
      s.eni = eni;
      s.enis = 1;
      summarize(e, s);
      std::vector<EgressItem>().swap(e.items);
      out.egress_by_eni.push_back(std::move(s));
    }
    for (auto& [g, e] : by_group) {
      // Merge the sorted runs pairwise until one is left.
      std::vector<size_t> runs = std::move(group_runs[g]);
      runs.push_back(e.items.size());
      while (runs.size() > 2) {
        std::vector<size_t> merged;
        for (size_t r = 0; r + 1 < runs.size(); r += 2) {
          merged.push_back(runs[r]);
          if (r + 2 < runs.size())
            std::inplace_merge(e.items.begin() + ptrdiff_t(runs[r]), e.items.begin() + ptrdiff_t(runs[r + 1]),
                               e.items.begin() + ptrdiff_t(runs[r + 2]), item_less);
        }
        merged.push_back(runs.back());
        runs.swap(merged);
      }
      EgressSummary s;
      s.region = group_region[g];
      s.group = g;
      s.enis = e.enis.size();
      summarize(e, s);
      std::vector<EgressItem>().swap(e.items);
      out.egress_by_group.push_back(std::move(s));
    }
    auto order = [](const EgressSummary& a, const EgressSummary& b) {
      const std::string_view ra = a.region->name, rb = b.region->name;
      const std::string_view ia = a.eni ? a.eni->id.view() : a.group->id.view();
      const std::string_view ib = b.eni ? b.eni->id.view() : b.group->id.view();
      return std::tie(ra, ia) < std::tie(rb, ib);
    };
    std::sort(out.egress_by_eni.begin(), out.egress_by_eni.end(), order);
    std::sort(out.egress_by_group.begin(), out.egress_by_group.end(), order);
  }

  void build_rejected(RuleUsage& out, std::vector<RejectAcc>& rejected) const {
    for (size_t i = 0; i < rejected.size(); ++i) {
      const RejectAcc& r = rejected[i];
      if (!r.seen) continue;
      const std::string& iface = agg_.interfaces.texts()[i];
      RejectedSummary s;
      s.interface_id = iface;
      auto it = eni_by_id_.find(iface);
      if (it != eni_by_id_.end()) {
        s.region = it->second.first;
        s.eni = it->second.second;
      }
      s.flows = r.flows;
      s.packets = r.packets;
      s.inbound_flows = r.in;
      s.outbound_flows = r.out;
      s.distinct_sources = r.sources.size();
      for (const auto& [a, p] : r.sources) s.top_sources.push_back({a, p.flows, p.packets, p.bytes});
      std::sort(s.top_sources.begin(), s.top_sources.end(), [](const PeerCount& a, const PeerCount& b) {
        return a.flows != b.flows ? a.flows > b.flows : a.peer < b.peer;
      });
      if (s.top_sources.size() > 10) s.top_sources.resize(10);
      for (const auto& [k, p] : r.ports) s.top_ports.push_back({k.protocol, k.port, p.flows, p.bytes});
      sort_ports(s.top_ports, false);
      if (s.top_ports.size() > 10) s.top_ports.resize(10);
      out.rejected.push_back(std::move(s));
    }
    std::sort(out.rejected.begin(), out.rejected.end(), [](const RejectedSummary& a, const RejectedSummary& b) {
      return a.flows != b.flows ? a.flows > b.flows : a.interface_id < b.interface_id;
    });
  }

  const Aggregate& agg_;
  const Account& account_;
  const AttributionOptions& options_;
  std::unordered_map<std::string_view, std::pair<const Region*, const NetworkInterface*>> eni_by_id_;
  std::unordered_map<IpAddress, std::vector<const NetworkInterface*>, AddrHash> owners_;
  std::set<std::pair<std::string_view, std::string_view>> peered_;
  std::unordered_set<std::string_view> known_groups_;
  std::vector<EniContext> contexts_;
  std::vector<RuleHits*> rule_hits_;
  std::unordered_map<const SecurityGroupRule*, uint32_t> rule_index_;
  std::unordered_set<uint64_t> reverse_;
  mutable Compiled compiled_;
  // The group and VPC IDs numbered (by their text, as peer_match compares them) for the compiled
  // matching of security-group references: interfaces by ordinal with their VPC and groups, the
  // addresses' owners as ordinals, the peered VPC pairs.
  struct Owner {
    uint32_t vpc;
    std::vector<uint32_t> groups;
  };
  static uint32_t number(std::unordered_map<std::string_view, uint32_t>& m, std::string_view id) {
    return m.try_emplace(id, uint32_t(m.size())).first->second;
  }
  std::unordered_map<std::string_view, uint32_t> group_no_, vpc_no_;
  std::vector<uint8_t> group_known_;  // by group number
  std::vector<Owner> owner_info_;
  // Address -> its owners' ordinals, open addressing (the lookup of every key whose candidates hold a
  // group reference: a node-based map's chain walk missed the cache).
  struct OwnerSlot {
    uint128 value = 0;
    IpFamily family = IpFamily::kV4;
    bool used = false;
    std::vector<uint32_t> owners;
  };
  std::vector<OwnerSlot> owner_slots_ = std::vector<OwnerSlot>(16);
  size_t owner_slots_used_ = 0;
  static size_t owner_slot_of(const IpAddress& a, size_t mask) { return AddrHash{}(a) * 0x9e3779b97f4a7c15ULL >> 20 & mask; }
  OwnerSlot& owner_slot(const IpAddress& a) {
    if ((owner_slots_used_ + 1) * 2 > owner_slots_.size()) {
      std::vector<OwnerSlot> old(owner_slots_.size() * 2);
      old.swap(owner_slots_);
      for (OwnerSlot& o : old) {
        if (!o.used) continue;
        size_t i = owner_slot_of({o.family, o.value}, owner_slots_.size() - 1);
        while (owner_slots_[i].used) i = (i + 1) & (owner_slots_.size() - 1);
        owner_slots_[i] = std::move(o);
      }
    }
    const size_t mask = owner_slots_.size() - 1;
    size_t i = owner_slot_of(a, mask);
    while (owner_slots_[i].used) {
      if (owner_slots_[i].value == a.value && owner_slots_[i].family == a.family) return owner_slots_[i];
      i = (i + 1) & mask;
    }
    ++owner_slots_used_;
    owner_slots_[i].used = true;
    owner_slots_[i].value = a.value;
    owner_slots_[i].family = a.family;
    return owner_slots_[i];
  }
  const std::vector<uint32_t>* find_owners(const IpAddress& a) const {
    const size_t mask = owner_slots_.size() - 1;
    for (size_t i = owner_slot_of(a, mask); owner_slots_[i].used; i = (i + 1) & mask)
      if (owner_slots_[i].value == a.value && owner_slots_[i].family == a.family) return &owner_slots_[i].owners;
    return nullptr;
  }
  std::unordered_set<uint64_t> peered_numbers_;
};

}  // namespace

RuleUsage attribute(const Aggregate& aggregate, const Account& account, const AttributionOptions& options) {
  Attributor a(aggregate, account, options);
  return a.run();
}

}  // namespace fortress::flows
