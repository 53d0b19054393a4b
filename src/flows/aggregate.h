// The flow aggregate: what the reader keeps of billions of records, and the interchange format
// between the heavy scan (fortress, or Athena) and the attribution.
//
// Records are reduced to a compact key — interface, packet-level source and destination (integers),
// ports with the client's ephemeral port elided, protocol, action, direction and who initiated — and
// counters (flows, packets, bytes, first start, last end). The key is computed from the record alone,
// without the snapshot, so partial aggregates made anywhere merge by adding counters, and the Athena
// SQL (flows/athena.h) computes the same key. Memory is bounded by the number of distinct keys.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flows/record.h"
#include "model/net.h"

namespace fortress::flows {

// Who started the connection a record belongs to, and how that was decided (docs/flows.md).
enum class Initiator : uint8_t {
  kUnknown,     // undecided from the record alone; the attribution decides with the rules
  kSrcByFlags,  // tcp-flags has SYN without ACK: the record's source is the client
  kDstByFlags,  // tcp-flags has SYN-ACK: the record's destination is the client
  kSrcByPort,   // the destination port is the service port (lower / not ephemeral)
  kDstByPort,   // the source port is the service port
};
[[nodiscard]] std::string_view to_string(Initiator i);  // "src-flags", "dst-flags", "src-port", "dst-port", "unknown"
[[nodiscard]] bool src_initiated(Initiator i);
[[nodiscard]] bool dst_initiated(Initiator i);

// Ports 32768-65535 are the ephemeral (client) ports of Linux (32768-60999) and Windows (49152-65535).
inline constexpr uint16_t kEphemeralFrom = 32768;

// The initiator of a record from the record alone (tcp-flags, then ports), as flows.md documents.
[[nodiscard]] Initiator initiator_of(int protocol, int tcp_flags, uint16_t src_port, uint16_t dst_port);

struct FlowKey {
  uint128 src = 0;  // pkt-srcaddr when the format has it and it is not "-", else srcaddr
  uint128 dst = 0;
  uint32_t interface = 0;  // index into Aggregate::interfaces
  uint16_t src_port = 0;   // 0 when it is the client's port (elided) or the protocol has none
  uint16_t dst_port = 0;
  uint8_t protocol = 0;
  uint8_t action = 0;     // Action
  uint8_t direction = 0;  // FlowDirection (kUnknown without the v5 flow-direction field)
  uint8_t initiator = 0;  // Initiator
  uint8_t v6 = 0;         // 1: both addresses are IPv6
  uint8_t pad[3] = {0, 0, 0};

  [[nodiscard]] IpAddress src_ip() const { return {v6 ? IpFamily::kV6 : IpFamily::kV4, src}; }
  [[nodiscard]] IpAddress dst_ip() const { return {v6 ? IpFamily::kV6 : IpFamily::kV4, dst}; }
  friend bool operator==(const FlowKey& a, const FlowKey& b) { return std::memcmp(&a, &b, sizeof(FlowKey)) == 0; }
};
static_assert(sizeof(FlowKey) == 48);

struct FlowCounters {
  uint64_t flows = 0;  // records
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint32_t first_start = UINT32_MAX;  // Unix seconds; UINT32_MAX = none
  uint32_t last_end = 0;
  void add(const FlowCounters& o) {
    flows += o.flows;
    packets += o.packets;
    bytes += o.bytes;
    first_start = std::min(first_start, o.first_start);
    last_end = std::max(last_end, o.last_end);
  }
};

// What one interface's records from one flow log say about coverage: records of any status, and the
// NODATA / SKIPDATA ones, over [first_start, last_end].
struct Observation {
  uint64_t records = 0;
  uint64_t nodata = 0;
  uint64_t skipdata = 0;
  uint32_t first_start = UINT32_MAX;
  uint32_t last_end = 0;
  void add(const Observation& o) {
    records += o.records;
    nodata += o.nodata;
    skipdata += o.skipdata;
    first_start = std::min(first_start, o.first_start);
    last_end = std::max(last_end, o.last_end);
  }
};

// Open-addressing hash map FlowKey -> FlowCounters: linear probing, power-of-two capacity, load at
// most 3/4. A slot is free while its flows counter is 0 (every stored key has at least one flow), so a
// probe touches one cache line pair, no side array.
class FlowTable {
 public:
  struct Slot {
    FlowKey key;
    FlowCounters value;
  };
  FlowTable() { rehash(1024); }
  // A moved-from table is empty; it may be assigned to or destroyed (clear() makes it usable again).
  FlowTable(FlowTable&& o) noexcept : slots_(std::move(o.slots_)), mask_(o.mask_), size_(o.size_) {
    o.mask_ = 0;
    o.size_ = 0;
  }
  FlowTable& operator=(FlowTable&& o) noexcept {
    slots_ = std::move(o.slots_);
    mask_ = o.mask_;
    size_ = o.size_;
    o.mask_ = 0;
    o.size_ = 0;
    return *this;
  }
  // Adds `c` to the key's counters, inserting the key when new. c.flows must be at least 1.
  void add(const FlowKey& key, const FlowCounters& c) { add(key, c, hash(key)); }
  // The same with the key's hash() computed by the caller (who may have prefetch()ed its slot).
  void add(const FlowKey& key, const FlowCounters& c, uint64_t h) {
    size_t i = h & mask_;
    while (true) {
      Slot& s = slots_[i];
      if (s.value.flows == 0) {
        if ((size_ + 1) * 4 > capacity() * 3) {
          rehash(capacity() * 2);
          add(key, c, h);
          return;
        }
        s.key = key;
        s.value = c;
        ++size_;
        return;
      }
      if (s.key == key) {
        s.value.add(c);
        return;
      }
      i = (i + 1) & mask_;
    }
  }
  // Starts loading the slot a key of this hash lands in (the table is far larger than the caches: the
  // reader hides that latency by prefetching a batch of records ahead).
  void prefetch(uint64_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] size_t capacity() const { return slots_ ? mask_ + 1 : 0; }
  template <typename F>
  void for_each(F&& f) const {
    const Slot* s = slots_.get();
    for (size_t i = 0, n = capacity(); i < n; ++i)
      if (s[i].value.flows != 0) f(s[i].key, s[i].value);
  }
  void clear() {
    slots_.reset();
    mask_ = 0;
    rehash(1024);
  }
  void reserve(size_t keys) {
    size_t cap = 1024;
    while (cap * 3 < keys * 4) cap *= 2;
    if (cap > capacity()) rehash(cap);
  }
  static uint64_t hash(const FlowKey& k) {
    uint64_t w[6];
    std::memcpy(w, &k, sizeof w);
    uint64_t h = 0x243f6a8885a308d3ULL;
    for (uint64_t x : w) {
      h ^= x;
      h *= 0x9e3779b97f4a7c15ULL;
      h ^= h >> 29;
    }
    return h;
  }

 private:
  // Slots live in zeroed anonymous memory (a zero slot is free: flows == 0), backed by transparent
  // huge pages where the kernel allows: with 4 KiB pages a random probe into a table of hundreds of
  // MB is a TLB miss as well as a cache miss, and a prefetch stalls on the page walk.
  struct Unmap {
    size_t bytes;  // no default member initializer: unique_ptr needs it default-constructible here
    void operator()(Slot* p) const;
  };
  using Slots = std::unique_ptr<Slot[], Unmap>;
  static Slots allocate(size_t capacity);
  void rehash(size_t capacity);
  Slots slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Interned texts (interface IDs, flow log IDs): index <-> text, with a one-entry cache.
class TextTable {
 public:
  uint32_t id(std::string_view text);
  [[nodiscard]] const std::vector<std::string>& texts() const { return texts_; }
  [[nodiscard]] size_t size() const { return texts_.size(); }

 private:
  std::vector<std::string> texts_;
  std::vector<uint32_t> slots_;  // index + 1; 0 = empty
  uint32_t last_ = UINT32_MAX;
};

// A record that could not be read: where, and why (kept for the first few per run).
struct MalformedSample {
  std::string file;
  uint64_t line = 0;  // 1-based; for CloudWatch exports, the event's 1-based index
  std::string reason;
};

// A problem with a whole input file (truncated gzip, unsupported format, unreadable, ...).
struct FileIssue {
  enum class Level : uint8_t { kWarning, kError };
  Level level = Level::kError;
  std::string file;
  std::string message;
};

struct ReadStats {
  uint64_t files = 0;
  uint64_t bytes = 0;             // uncompressed bytes of records read
  uint64_t compressed_bytes = 0;  // bytes of .gz input
  uint64_t records = 0;           // data lines and events (headers not counted)
  uint64_t nodata = 0;
  uint64_t skipdata = 0;
  uint64_t malformed = 0;
  uint64_t unattributable = 0;    // well-formed, but its format lacks a field the attribution needs
  std::vector<MalformedSample> samples;
  std::vector<FileIssue> issues;
  void add(ReadStats&& o, size_t max_samples);
};

struct Aggregate {
  TextTable interfaces;
  TextTable flow_logs;  // index 0 = "" (the file did not name its flow log)
  FlowTable flows;
  std::map<std::pair<uint32_t, uint32_t>, Observation> observations;  // (interface, flow log)
  ReadStats stats;

  Aggregate() { flow_logs.id(""); }
  // Adds `other`'s keys, observations and statistics (`other` is left empty).
  void merge(Aggregate&& other, size_t max_samples = 20);
  // The earliest start and latest end of any record (including NODATA/SKIPDATA); {0,0} when none.
  [[nodiscard]] std::pair<uint32_t, uint32_t> window() const;
};

}  // namespace fortress::flows
