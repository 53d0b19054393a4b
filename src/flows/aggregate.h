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
#include <algorithm>
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

namespace detail {

// An IPv4 key as it is stored: 20 bytes (source, destination, interface, ports, then protocol, action,
// direction and initiator), so that key, hash and counters fit one 64-byte cache line.
struct Key4 {
  uint32_t w[5];
  friend bool operator==(const Key4& a, const Key4& b) {
    uint64_t x0, x1, y0, y1;
    std::memcpy(&x0, a.w, 8);
    std::memcpy(&x1, a.w + 2, 8);
    std::memcpy(&y0, b.w, 8);
    std::memcpy(&y1, b.w + 2, 8);
    return ((x0 ^ y0) | (x1 ^ y1) | uint64_t(a.w[4] ^ b.w[4])) == 0;
  }
};
struct alignas(64) Slot4 {
  using Key = Key4;
  Key4 key;
  uint32_t hash;  // the slot hash (below), kept so that growing the table does not recompute it
  uint32_t first_start;
  uint32_t last_end;
  uint64_t flows;  // 0: the slot is free
  uint64_t packets;
  uint64_t bytes;
  void set(const Key4& k, const FlowCounters& c, uint64_t h) {
    key = k;
    hash = uint32_t(h);
    first_start = c.first_start;
    last_end = c.last_end;
    flows = c.flows;
    packets = c.packets;
    bytes = c.bytes;
  }
  void add(const FlowCounters& c) {
    flows += c.flows;
    packets += c.packets;
    bytes += c.bytes;
    first_start = std::min(first_start, c.first_start);
    last_end = std::max(last_end, c.last_end);
  }
  [[nodiscard]] FlowCounters counters() const { return {flows, packets, bytes, first_start, last_end}; }
};
static_assert(sizeof(Slot4) == 64);

// Any other key (IPv6, or an IPv4 key whose values do not fit the compact form), with its counters.
struct Slot6 {
  using Key = FlowKey;
  FlowKey key;
  FlowCounters value;
  void set(const FlowKey& k, const FlowCounters& c, uint64_t) {
    key = k;
    value = c;
  }
  void add(const FlowCounters& c) { value.add(c); }
  [[nodiscard]] FlowCounters counters() const { return value; }
};

inline uint64_t mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}
// The partition hash of an IPv4 key: everything but the interface index, so that a key keeps its
// partition when the index is renumbered (merging the aggregates of two threads).
inline uint64_t partition_hash(const Key4& k) {
  const uint64_t a = (uint64_t(k.w[0]) << 32 | k.w[1]) * 0x9e3779b97f4a7c15ULL;
  const uint64_t b = (uint64_t(k.w[3]) << 32 | k.w[4]) * 0xc2b2ae3d27d4eb4fULL;
  return mix64(a ^ ((b << 29) | (b >> 35)));
}
// The hash that places a key inside its partition (the interface included).
inline uint64_t slot_hash(uint64_t partition_hash, uint32_t interface) {
  return mix64(partition_hash ^ (uint64_t(interface) * 0x165667b19e3779f9ULL));
}
inline uint64_t hash_key(const FlowKey& k) {
  uint64_t w[6];
  std::memcpy(w, &k, sizeof w);
  uint64_t h = 0x243f6a8885a308d3ULL;
  for (uint64_t x : w) {
    h ^= x;
    h *= 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
  }
  return mix64(h);
}
inline bool slot_free(const Slot4& s) { return s.flows == 0; }
inline bool slot_free(const Slot6& s) { return s.value.flows == 0; }
inline uint64_t stored_hash(const Slot4& s) { return s.hash; }
inline uint64_t stored_hash(const Slot6& s) { return hash_key(s.key); }

// Zeroed memory for slots (a zero slot is free), 64-byte aligned. From 2 MiB on, anonymous memory
// backed by transparent huge pages where the kernel allows (with 4 KiB pages a random probe into a
// table of hundreds of MB is a TLB miss as well as a cache miss); below, the heap, whose freed blocks
// the next partition that grows reuses (fresh pages cost the kernel a fault and a zero-fill each).
void* allocate_zeroed(size_t bytes);
void release_zeroed(void* p, size_t bytes);

// Open addressing, linear probing, power-of-two capacity, load at most 3/4; empty (no memory) until
// the first add.
template <typename S>
class SlotTable {
 public:
  using Key = typename S::Key;
  SlotTable() = default;
  SlotTable(SlotTable&& o) noexcept : slots_(o.slots_), mask_(o.mask_), size_(o.size_) {
    o.slots_ = nullptr;
    o.mask_ = 0;
    o.size_ = 0;
  }
  SlotTable& operator=(SlotTable&& o) noexcept {
    if (this != &o) {
      reset();
      slots_ = o.slots_;
      mask_ = o.mask_;
      size_ = o.size_;
      o.slots_ = nullptr;
      o.mask_ = 0;
      o.size_ = 0;
    }
    return *this;
  }
  ~SlotTable() { reset(); }

  void add(const Key& key, const FlowCounters& c, uint64_t h) {
    if ((size_ + 1) * 4 > capacity() * 3) rehash(slots_ == nullptr ? kMinCapacity : capacity() * 2);
    size_t i = h & mask_;
    while (true) {
      S& s = slots_[i];
      if (slot_free(s)) {
        s.set(key, c, h);
        ++size_;
        return;
      }
      if (s.key == key) {
        s.add(c);
        return;
      }
      i = (i + 1) & mask_;
    }
  }
  void prefetch(uint64_t h) const {
    if (slots_ != nullptr) __builtin_prefetch(&slots_[h & mask_], 1);
  }
  // Starts loading the whole table (before a batch of inserts into it: sequential lines stream in at
  // memory bandwidth, random probes would each wait for memory).
  void prefetch_all() const {
    const char* p = reinterpret_cast<const char*>(slots_);
    for (size_t off = 0, n = capacity() * sizeof(S); off < n; off += 64) __builtin_prefetch(p + off, 1);
  }
  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] size_t capacity() const { return slots_ ? mask_ + 1 : 0; }
  template <typename F>
  void for_each_slot(F&& f) const {
    for (size_t i = 0, n = capacity(); i < n; ++i)
      if (!slot_free(slots_[i])) f(slots_[i]);
  }
  void reset() {
    if (slots_ != nullptr) release_zeroed(slots_, capacity() * sizeof(S));
    slots_ = nullptr;
    mask_ = 0;
    size_ = 0;
  }

 private:
  static constexpr size_t kMinCapacity = 16;
  void rehash(size_t capacity) {
    S* old = slots_;
    const size_t old_capacity = this->capacity();
    slots_ = static_cast<S*>(allocate_zeroed(capacity * sizeof(S)));
    mask_ = capacity - 1;
    size_ = 0;
    // The old slots are read in order; their new places are random: prefetch a batch of places (for
    // writing), then move the batch.
    constexpr size_t kBatch = 16;
    size_t pending[kBatch];
    uint64_t hashes[kBatch];
    size_t n = 0;
    auto place = [&] {
      for (size_t b = 0; b < n; ++b) {
        size_t j = hashes[b] & mask_;
        while (!slot_free(slots_[j])) j = (j + 1) & mask_;
        slots_[j] = old[pending[b]];
        ++size_;
      }
      n = 0;
    };
    for (size_t i = 0; i < old_capacity; ++i) {
      if (slot_free(old[i])) continue;
      hashes[n] = stored_hash(old[i]);
      __builtin_prefetch(&slots_[hashes[n] & mask_], 1);
      pending[n++] = i;
      if (n == kBatch) place();
    }
    place();
    if (old != nullptr) release_zeroed(old, old_capacity * sizeof(S));
  }
  S* slots_ = nullptr;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace detail

// Hash map FlowKey -> FlowCounters. IPv4 keys (nearly all) live compactly, key and counters in one
// 64-byte cache line, radix-partitioned: 1,024 tables chosen by the top bits of a hash of the key,
// each small enough for the L2 cache when it is worked on (FlowStager below fills them a partition at a
// time); other keys (IPv6) in one more table. A slot is free while its flows counter is 0 (every stored
// key has at least one flow): no side array.
class FlowTable {
 public:
  static constexpr unsigned kPartitionBits = 10;
  static constexpr size_t kPartitions = size_t(1) << kPartitionBits;

  FlowTable() : parts_(std::make_unique<Part[]>(kPartitions)) {}
  // A moved-from table is empty and usable.
  FlowTable(FlowTable&& o) noexcept : FlowTable() { swap(o); }
  FlowTable& operator=(FlowTable&& o) noexcept {
    FlowTable empty;
    swap(empty);
    swap(o);
    return *this;
  }
  void swap(FlowTable& o) noexcept {
    std::swap(parts_, o.parts_);
    std::swap(v6_, o.v6_);
  }

  // Adds `c` to the key's counters, inserting the key when new. c.flows must be at least 1.
  void add(const FlowKey& key, const FlowCounters& c) {
    if (!compact(key)) {
      v6_.add(key, c, detail::hash_key(key));
      return;
    }
    const detail::Key4 k = pack(key);
    const uint64_t ph = detail::partition_hash(k);
    parts_[partition_of(ph)].add(k, c, detail::slot_hash(ph, k.w[2]));
  }
  [[nodiscard]] size_t size() const {
    size_t n = v6_.size();
    for (size_t p = 0; p < kPartitions; ++p) n += parts_[p].size();
    return n;
  }
  // f(const FlowKey&, const FlowCounters&) for every key, IPv4 first; the references are to
  // temporaries, valid during the call only.
  template <typename F>
  void for_each(F&& f) const {
    for (size_t p = 0; p < kPartitions; ++p) {
      parts_[p].for_each_slot([&](const detail::Slot4& s) {
        const FlowKey k = unpack(s.key);
        const FlowCounters c = s.counters();
        f(k, c);
      });
    }
    v6_.for_each_slot([&](const detail::Slot6& s) { f(s.key, s.value); });
  }
  void clear() {
    for (size_t p = 0; p < kPartitions; ++p) parts_[p].reset();
    v6_.reset();
  }
  // Adds every key of `other` with its interface index mapped through `interface_map` (other is left
  // empty). A key stays in its partition, so this works a partition pair at a time, in cache.
  // With threads > 1 the partitions are shared out between that many threads (each partition is
  // touched by one only).
  void absorb(FlowTable&& other, const std::vector<uint32_t>& interface_map, unsigned threads = 1);

  static bool compact(const FlowKey& k) { return k.v6 == 0 && (k.src >> 32) == 0 && (k.dst >> 32) == 0; }
  static detail::Key4 pack(const FlowKey& k) {
    return {{uint32_t(k.src), uint32_t(k.dst), k.interface, uint32_t(k.src_port) | (uint32_t(k.dst_port) << 16),
             uint32_t(k.protocol) | (uint32_t(k.action) << 8) | (uint32_t(k.direction) << 16) |
                 (uint32_t(k.initiator) << 24)}};
  }
  static FlowKey unpack(const detail::Key4& p) {
    FlowKey k;
    k.src = p.w[0];
    k.dst = p.w[1];
    k.interface = p.w[2];
    k.src_port = uint16_t(p.w[3]);
    k.dst_port = uint16_t(p.w[3] >> 16);
    k.protocol = uint8_t(p.w[4]);
    k.action = uint8_t(p.w[4] >> 8);
    k.direction = uint8_t(p.w[4] >> 16);
    k.initiator = uint8_t(p.w[4] >> 24);
    return k;
  }
  static size_t partition_of(uint64_t partition_hash) { return size_t(partition_hash >> (64 - kPartitionBits)); }
  // Before a batch of `records` adds to partition p: starts reading its table whole when the batch
  // touches a good part of it (a stream at memory bandwidth), and says so; a small batch into a large
  // table reads only its records' places instead (SlotTable::prefetch, a few records ahead).
  bool ready_partition(size_t p, size_t records) const {
    if (records * 2 < parts_[p].capacity()) return false;
    parts_[p].prefetch_all();
    return true;
  }

 private:
  friend class FlowStager;
  using Part = detail::SlotTable<detail::Slot4>;
  std::unique_ptr<Part[]> parts_;
  detail::SlotTable<detail::Slot6> v6_;
};

// The reader's way into a FlowTable: one record at a time, scattered by partition into buffers
// (sequential writes), and every so often each partition's buffer is added to that partition's table
// while the table is in cache — instead of a random memory access per record into a table far larger
// than the caches. A record goes first to its partition's write-combining block (four records, three
// cache lines, all 1,024 blocks in the L2 cache); a full block is written to the partition's region of
// one arena by non-temporal stores, whole lines that are never read first (1,024 write streams are more
// than the hardware follows: a plain store would miss the cache on every new line). The arena holds
// max(1 Mi records, the table's keys), a fifth more in each partition's region (a partition that gets
// more spills over into a list of its own): memory stays bounded by the number of distinct keys. Keys
// that are not compact (IPv6) wait in a list of their own.
//
// Two ways to use it. Alone: stage() with the table, which it flushes into when the arena is full;
// finish() at the end. Shared: several threads' stagers fill one table, a partition never touched by
// two threads at once (the reader's flush rounds): offer() stages and says when a round is needed,
// flush_partition() / flush_wide() add one stager's records of a partition / its IPv6 keys, and
// after_round() readies the stager for more.
class FlowStager {
 public:
  // `min_limit`: the records an arena holds at least (tests make it small to reach its edges).
  explicit FlowStager(size_t min_limit = size_t(1) << 20) : min_limit_(min_limit), limit_(min_limit) {}
  FlowStager(const FlowStager&) = delete;
  FlowStager& operator=(const FlowStager&) = delete;
  ~FlowStager() { release(); }

  // Before the first record: the records an arena holds at least.
  void set_min_limit(size_t min_limit) { min_limit_ = limit_ = min_limit; }

  // Alone: one record (flows = 1) for `t`.
  void stage(FlowTable& t, const FlowKey& key, uint64_t packets, uint64_t bytes, uint32_t first_start,
             uint32_t last_end) {
    if (!offer(key, packets, bytes, first_start, last_end)) flush(t);
  }
  // Alone: adds every staged record to the table and frees the buffers.
  void finish(FlowTable& t) {
    flush(t);
    release();
  }
  // Alone: adds every staged record to `t`.
  void flush(FlowTable& t);

  // Shared: stages one record; false when the records must go into the table before the next one
  // (the arena is full; the record itself is kept).
  bool offer(const FlowKey& key, uint64_t packets, uint64_t bytes, uint32_t first_start, uint32_t last_end) {
    if (!FlowTable::compact(key)) {
      wide_.push_back({key, FlowCounters{1, packets, bytes, first_start, last_end}});
      return ++staged_ < limit_;
    }
    if (arena_ == nullptr) start();
    Entry e;
    e.key = FlowTable::pack(key);
    const uint64_t ph = detail::partition_hash(e.key);
    e.hash = uint32_t(detail::slot_hash(ph, e.key.w[2]));
    e.first_start = first_start;
    e.last_end = last_end;
    e.packets = packets;
    e.bytes = bytes;
    const size_t p = FlowTable::partition_of(ph);
    blocks_[p].entry[fill_[p]] = e;
    if (++fill_[p] == kBlock) spill(p);
    return ++staged_ < limit_;
  }
  // Shared: this stager's records of partition p into `t`. `streamed`: the caller has started reading
  // that partition's table whole (FlowTable::ready_partition); else each record's place is fetched a
  // few records ahead.
  void flush_partition(FlowTable& t, size_t p, bool streamed);
  // Records staged for partition p.
  [[nodiscard]] size_t staged_in(size_t p) const {
    if (arena_ == nullptr) return 0;
    return count_[p] + fill_[p] + (overflow_ ? overflow_[p].size() : 0);
  }
  // Shared: this stager's IPv6 keys into `t`.
  void flush_wide(FlowTable& t);
  // Shared: after a round that flushed every partition and the IPv6 keys: the arena holds
  // max(min_limit, `table_keys`) records from now on.
  void after_round(size_t table_keys);

 private:
  struct Entry {
    detail::Key4 key;
    uint32_t hash;
    uint32_t first_start;
    uint32_t last_end;
    uint64_t packets;
    uint64_t bytes;
  };
  static_assert(sizeof(Entry) == 48);
  static constexpr size_t kBlock = 4;  // records a write-combining block holds: 192 bytes, three cache lines
  struct alignas(64) Block {
    Entry entry[kBlock];
  };
  static_assert(sizeof(Block) == 192);
  void start();
  void spill(size_t p);  // partition p's full block into its region, or its overflow when that is full
  void release();
  size_t min_limit_;
  size_t limit_;  // records staged before a flush
  Entry* arena_ = nullptr;  // partition p's region: [p * region_, p * region_ + count_[p])
  size_t arena_bytes_ = 0;
  size_t region_ = 0;  // records a region holds (a multiple of kBlock)
  std::unique_ptr<Block[]> blocks_;
  std::unique_ptr<uint32_t[]> fill_;   // records in each partition's block
  std::unique_ptr<uint32_t[]> count_;  // records in each partition's region
  // A partition's records beyond its region: a key with many records (a busy client) sends them all
  // to one partition, which would otherwise fill its region long before the arena and cut every
  // thread's staging short. Empty vectors for the others; the arena's limit still bounds the total.
  std::unique_ptr<std::vector<Entry>[]> overflow_;
  std::vector<std::pair<FlowKey, FlowCounters>> wide_;  // keys that are not compact
  size_t staged_ = 0;
};

// Interned texts (interface IDs, flow log IDs): index <-> text, with a one-entry cache. Interface IDs
// of the usual form ("eni-" + 8 or 17 lowercase hex digits) are found by their value (68 bits, decoded
// eight digits at a time) in a table of integers, every other text by its hash and bytes; the form is
// a function of the text, so a text always takes the same path and gets one index.
class TextTable {
 public:
  uint32_t id(std::string_view text);
  [[nodiscard]] const std::vector<std::string>& texts() const { return texts_; }
  [[nodiscard]] size_t size() const { return texts_.size(); }

  // The value of an "eni-" ID of 8 or 17 lowercase hex digits: `hi` 0 for 8 digits, 16 + the first
  // digit for 17; false for any other text.
  static bool eni_value(std::string_view text, uint64_t& lo, uint32_t& hi);

 private:
  uint32_t text_id(std::string_view text);
  struct EniSlot {
    uint64_t lo;
    uint32_t hi;
    uint32_t index;  // index + 1; 0 = empty
  };
  std::vector<std::string> texts_;
  std::vector<uint32_t> slots_;  // index + 1; 0 = empty
  std::vector<EniSlot> eni_slots_;
  size_t eni_count_ = 0;
  size_t text_count_ = 0;
  uint32_t last_ = UINT32_MAX;
  uint64_t last_lo_ = 0;
  uint32_t last_hi_ = UINT32_MAX;  // the last eni_value found (UINT32_MAX: none)
  uint32_t last_eni_ = 0;
};

// A record that could not be read: where, and why (kept for the first few of each file, and the first
// few files, per run: kSamplesPerFile and ReadOptions::max_samples).
struct MalformedSample {
  std::string file;
  uint64_t line = 0;  // 1-based; for CloudWatch exports, the event's 1-based index
  std::string reason;
};

// Of `items`, in the order to keep them, the first `per_file` of each file (`file_of(item)`), at most
// `max_total` in all; in place, the order kept.
template <class T, class FileOf>
void keep_first_per_file(std::vector<T>& items, size_t per_file, size_t max_total, FileOf file_of) {
  size_t kept = 0;
  size_t in_file = 0;
  for (size_t i = 0; i < items.size() && kept < max_total; ++i) {
    // The last kept item is of the previous file's (a file's first item is always kept).
    in_file = kept > 0 && file_of(items[i]) == file_of(items[kept - 1]) ? in_file + 1 : 0;
    if (in_file >= per_file) continue;
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
  }
  items.resize(kept);
}

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
  // Malformed records per file while reading; note_malformed_files() turns them into warnings.
  std::map<std::string, uint64_t> malformed_by_file;
  static constexpr size_t kSamplesPerFile = 5;
  static constexpr size_t kMalformedFilesListed = 50;
  void add(ReadStats&& o, size_t max_samples);
  // A warning per file with malformed records ("12345 malformed record(s) skipped"), so that one bad
  // file among many is named even when the samples are another's: the first kMalformedFilesListed
  // files by name, then one warning for the rest.
  void note_malformed_files();
};

struct Aggregate {
  TextTable interfaces;
  TextTable flow_logs;  // index 0 = "" (the file did not name its flow log)
  FlowTable flows;
  std::map<std::pair<uint32_t, uint32_t>, Observation> observations;  // (interface, flow log)
  ReadStats stats;

  Aggregate() { flow_logs.id(""); }
  // Adds `other`'s keys, observations and statistics (`other` is left empty).
  void merge(Aggregate&& other, size_t max_samples = 20, unsigned threads = 1);
  // The earliest start and latest end of any record (including NODATA/SKIPDATA); {0,0} when none.
  [[nodiscard]] std::pair<uint32_t, uint32_t> window() const;
};

}  // namespace fortress::flows
