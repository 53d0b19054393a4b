#include "flows/aggregate.h"

#include <fmt/format.h>

#include <sys/mman.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>
#include <functional>

namespace fortress::flows {

std::string_view to_string(Initiator i) {
  switch (i) {
    case Initiator::kUnknown: return "unknown";
    case Initiator::kSrcByFlags: return "src-flags";
    case Initiator::kDstByFlags: return "dst-flags";
    case Initiator::kSrcByPort: return "src-port";
    case Initiator::kDstByPort: return "dst-port";
  }
  return "unknown";
}

bool src_initiated(Initiator i) { return i == Initiator::kSrcByFlags || i == Initiator::kSrcByPort; }
bool dst_initiated(Initiator i) { return i == Initiator::kDstByFlags || i == Initiator::kDstByPort; }

Initiator initiator_of(int protocol, int tcp_flags, uint16_t src_port, uint16_t dst_port) {
  if (protocol == proto::kTcp && tcp_flags >= 0) {
    // AWS logs SYN (2) and SYN-ACK (18), OR-ed over the aggregation interval with FIN (1) and RST (4).
    if ((tcp_flags & 0x12) == 0x02) return Initiator::kSrcByFlags;
    if ((tcp_flags & 0x12) == 0x12) return Initiator::kDstByFlags;
  }
  if (protocol != proto::kTcp && protocol != proto::kUdp) return Initiator::kUnknown;
  const bool src_low = src_port < 1024;
  const bool dst_low = dst_port < 1024;
  if (src_low != dst_low) return dst_low ? Initiator::kSrcByPort : Initiator::kDstByPort;
  const bool src_eph = src_port >= kEphemeralFrom;
  const bool dst_eph = dst_port >= kEphemeralFrom;
  if (src_eph != dst_eph) return src_eph ? Initiator::kSrcByPort : Initiator::kDstByPort;
  return Initiator::kUnknown;
}

namespace detail {
constexpr size_t kHugeFrom = size_t(2) << 20;
void* allocate_zeroed(size_t bytes) {
  if (bytes >= kHugeFrom) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, bytes, MADV_HUGEPAGE);
    return p;
  }
  void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  return p;
}
void release_zeroed(void* p, size_t bytes) {
  if (bytes >= kHugeFrom) munmap(p, bytes);
  else std::free(p);
}
}  // namespace detail

void FlowTable::absorb(FlowTable&& other, const std::vector<uint32_t>& interface_map, unsigned threads) {
  // Partitions [from, to) of `other` into this table's same partitions; the IPv6 table with the last range.
  auto range = [&](size_t from, size_t to, bool v6) {
    for (size_t p = from; p < to; ++p) {
      Part& into = parts_[p];
      into.prefetch_all();  // the keys come in their own table's order: random places in this one
      other.parts_[p].for_each_slot([&](const detail::Slot4& s) {
        detail::Key4 k = s.key;
        k.w[2] = interface_map[k.w[2]];
        into.add(k, s.counters(), detail::slot_hash(detail::partition_hash(k), k.w[2]));
      });
      other.parts_[p].reset();
    }
    if (!v6) return;
    other.v6_.for_each_slot([&](const detail::Slot6& s) {
      FlowKey k = s.key;
      k.interface = interface_map[k.interface];
      v6_.add(k, s.value, detail::hash_key(k));
    });
    other.v6_.reset();
  };
  threads = std::max(1u, std::min<unsigned>(threads, 16));
  if (threads == 1) {
    range(0, kPartitions, true);
    return;
  }
  std::vector<std::thread> pool;
  const size_t step = (kPartitions + threads - 1) / threads;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(range, std::min(kPartitions, t * step), std::min(kPartitions, (t + 1) * step), t == threads - 1);
  range(0, step, false);
  for (std::thread& t : pool) t.join();
}

void FlowStager::start() {
  region_ = std::max(kBlock, (limit_ / FlowTable::kPartitions * 5 / 4 + kBlock - 1) / kBlock * kBlock);
  arena_bytes_ = region_ * FlowTable::kPartitions * sizeof(Entry);
  // Written once, front to back, by whole lines: anonymous memory, on huge pages where the kernel
  // allows (tens of megabytes: a fault per 4 KiB page costs more than the writes).
  void* p = mmap(nullptr, arena_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  madvise(p, arena_bytes_, MADV_HUGEPAGE);
  arena_ = static_cast<Entry*>(p);
  blocks_ = std::make_unique<Block[]>(FlowTable::kPartitions);
  fill_ = std::make_unique<uint32_t[]>(FlowTable::kPartitions);
  count_ = std::make_unique<uint32_t[]>(FlowTable::kPartitions);
}

void FlowStager::release() {
  if (arena_ != nullptr) munmap(arena_, arena_bytes_);
  arena_ = nullptr;
  arena_bytes_ = 0;
  blocks_.reset();
  fill_.reset();
  count_.reset();
  overflow_.reset();
  std::vector<std::pair<FlowKey, FlowCounters>>().swap(wide_);
  staged_ = 0;
}

void FlowStager::spill(size_t p) {
  if (count_[p] + kBlock > region_) {  // the region is full
    if (!overflow_) overflow_ = std::make_unique<std::vector<Entry>[]>(FlowTable::kPartitions);
    overflow_[p].insert(overflow_[p].end(), blocks_[p].entry, blocks_[p].entry + kBlock);
    fill_[p] = 0;
    return;
  }
  Entry* to = arena_ + p * region_ + count_[p];  // 64-byte aligned: regions and blocks are whole lines
#if defined(__SSE2__)
  const __m128i* from = reinterpret_cast<const __m128i*>(&blocks_[p]);
  __m128i* out = reinterpret_cast<__m128i*>(to);
  for (size_t i = 0; i < sizeof(Block) / sizeof(__m128i); ++i) _mm_stream_si128(out + i, _mm_load_si128(from + i));
#else
  std::memcpy(to, &blocks_[p], sizeof(Block));
#endif
  count_[p] += kBlock;
  fill_[p] = 0;
}

void FlowStager::flush_partition(FlowTable& t, size_t p, bool streamed) {
  if (arena_ == nullptr) return;
  const uint32_t in_region = count_[p], in_block = fill_[p];
  if (in_region + in_block == 0) return;  // the overflow is only ever used with a full region
#if defined(__SSE2__)
  _mm_sfence();  // the non-temporal stores are visible before the region is read
#endif
  FlowTable::Part& part = t.parts_[p];
  auto add = [&](const Entry& e) {
    part.add(e.key, FlowCounters{1, e.packets, e.bytes, e.first_start, e.last_end}, e.hash);
  };
  const Entry* const region = arena_ + p * region_;
  if (streamed) {
    for (uint32_t i = 0; i < in_region; ++i) add(region[i]);
  } else {
    constexpr uint32_t kAhead = 8;
    for (uint32_t i = 0; i < in_region; ++i) {
      if (i + kAhead < in_region) part.prefetch(region[i + kAhead].hash);
      add(region[i]);
    }
  }
  if (overflow_ && !overflow_[p].empty()) {
    for (const Entry& x : overflow_[p]) add(x);
    std::vector<Entry>().swap(overflow_[p]);
  }
  for (uint32_t i = 0; i < in_block; ++i) add(blocks_[p].entry[i]);
  count_[p] = 0;
  fill_[p] = 0;
}

void FlowStager::flush_wide(FlowTable& t) {
  for (const auto& [key, c] : wide_) t.add(key, c);
  wide_.clear();
}

void FlowStager::after_round(size_t table_keys) {
  staged_ = 0;
  const size_t limit = std::max(min_limit_, table_keys);
  if (limit > limit_) {  // the table outgrew the arena: a larger one for the next round
    limit_ = limit;
    release();
  }
}

void FlowStager::flush(FlowTable& t) {
  for (size_t p = 0; arena_ != nullptr && p < FlowTable::kPartitions; ++p) {
    const size_t records = staged_in(p);
    if (records == 0) continue;
    flush_partition(t, p, t.ready_partition(p, records));
  }
  flush_wide(t);
  after_round(t.size());
}

namespace {

// Eight lowercase hex digits (8 bytes readable at p) as 32 bits, the first digit highest; false unless
// all are 0-9 or a-f.
inline bool hex8(const char* p, uint64_t& out) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  // Each byte must be '0'-'9' (0x30-0x39) or 'a'-'f' (0x61-0x66).
  const uint64_t ones = 0x0101010101010101ULL;
  const uint64_t high = 0x8080808080808080ULL;
  if ((v & high) != 0) return false;
  // With every byte below 0x80 no sum below carries into the next byte: c >= L sets bit 7 of
  // c + 0x80 - L, c <= H leaves bit 7 of c + 0x7F - H clear.
  auto in_range = [&](uint64_t lo_c, uint64_t hi_c) {
    return (v + ones * (0x80 - lo_c)) & ~(v + ones * (0x7F - hi_c)) & high;
  };
  if ((in_range('0', '9') | in_range('a', 'f')) != high) return false;
  // nibble = (c & 0xF) + 9 for letters (bit 6 set)
  v = (v & 0x0F0F0F0F0F0F0F0FULL) + ((v >> 6) & ones) * 9;
  v = ((v << 4) | (v >> 8)) & 0x00FF00FF00FF00FFULL;
  v = ((v << 8) | (v >> 16)) & 0x0000FFFF0000FFFFULL;
  v = ((v << 16) | (v >> 32)) & 0x00000000FFFFFFFFULL;
  out = v;
  return true;
}

inline size_t mix(uint64_t lo, uint32_t hi) {
  uint64_t h = (lo ^ (uint64_t(hi) << 59) ^ hi) * 0x9E3779B97F4A7C15ULL;
  return size_t(h ^ (h >> 29));
}

}  // namespace

bool TextTable::eni_value(std::string_view text, uint64_t& lo, uint32_t& hi) {
  if (text.size() != 12 && text.size() != 21) return false;
  if (std::memcmp(text.data(), "eni-", 4) != 0) return false;
  const char* d = text.data() + 4;
  if (text.size() == 12) {
    hi = 0;
    return hex8(d, lo);
  }
  uint64_t first = 0, a = 0, b = 0;
  const char c = d[0];
  if (c >= '0' && c <= '9') first = uint64_t(c - '0');
  else if (c >= 'a' && c <= 'f') first = uint64_t(c - 'a' + 10);
  else return false;
  if (!hex8(d + 1, a) || !hex8(d + 9, b)) return false;
  hi = uint32_t(16 + first);
  lo = (a << 32) | b;
  return true;
}

uint32_t TextTable::id(std::string_view text) {
  uint64_t lo;
  uint32_t hi;
  if (!eni_value(text, lo, hi)) return text_id(text);
  if (hi == last_hi_ && lo == last_lo_) return last_eni_;
  if (eni_slots_.empty()) eni_slots_.assign(256, EniSlot{0, 0, 0});
  size_t mask = eni_slots_.size() - 1;
  size_t i = mix(lo, hi) & mask;
  while (eni_slots_[i].index != 0) {
    const EniSlot& s = eni_slots_[i];
    if (s.lo == lo && s.hi == hi) {
      last_lo_ = lo;
      last_hi_ = hi;
      return last_eni_ = s.index - 1;
    }
    i = (i + 1) & mask;
  }
  const uint32_t idx = uint32_t(texts_.size());
  texts_.emplace_back(text);
  eni_slots_[i] = EniSlot{lo, hi, idx + 1};
  if (++eni_count_ * 2 > eni_slots_.size()) {
    std::vector<EniSlot> grown(eni_slots_.size() * 2, EniSlot{0, 0, 0});
    mask = grown.size() - 1;
    for (const EniSlot& s : eni_slots_) {
      if (s.index == 0) continue;
      size_t j = mix(s.lo, s.hi) & mask;
      while (grown[j].index != 0) j = (j + 1) & mask;
      grown[j] = s;
    }
    eni_slots_ = std::move(grown);
  }
  last_lo_ = lo;
  last_hi_ = hi;
  return last_eni_ = idx;
}

uint32_t TextTable::text_id(std::string_view text) {
  if (last_ != UINT32_MAX && texts_[last_] == text) return last_;
  if (slots_.empty()) slots_.assign(256, 0);
  const size_t h = std::hash<std::string_view>{}(text);
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i] != 0) {
    const uint32_t idx = slots_[i] - 1;
    if (texts_[idx] == text) return last_ = idx;
    i = (i + 1) & mask;
  }
  const uint32_t idx = uint32_t(texts_.size());
  texts_.emplace_back(text);
  slots_[i] = idx + 1;
  if (++text_count_ * 2 > slots_.size()) {
    std::vector<uint32_t> grown(slots_.size() * 2, 0);
    mask = grown.size() - 1;
    for (uint32_t s : slots_) {
      if (s == 0) continue;
      size_t j = std::hash<std::string_view>{}(texts_[s - 1]) & mask;
      while (grown[j] != 0) j = (j + 1) & mask;
      grown[j] = s;
    }
    slots_ = std::move(grown);
  }
  return last_ = idx;
}

namespace {

// By file, then message; the ones about no single file ("... more file(s)") last.
void sort_issues(std::vector<FileIssue>& issues) {
  std::sort(issues.begin(), issues.end(), [](const FileIssue& a, const FileIssue& b) {
    const bool ga = a.file.empty(), gb = b.file.empty();
    return std::tie(ga, a.file, a.message) < std::tie(gb, b.file, b.message);
  });
}

}  // namespace

void ReadStats::add(ReadStats&& o, size_t max_samples) {
  files += o.files;
  bytes += o.bytes;
  compressed_bytes += o.compressed_bytes;
  records += o.records;
  nodata += o.nodata;
  skipdata += o.skipdata;
  malformed += o.malformed;
  unattributable += o.unattributable;
  for (auto& [file, n] : o.malformed_by_file) malformed_by_file[file] += n;
  for (MalformedSample& s : o.samples) samples.push_back(std::move(s));
  std::sort(samples.begin(), samples.end(), [](const MalformedSample& a, const MalformedSample& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  keep_first_per_file(samples, kSamplesPerFile, max_samples, [](const MalformedSample& s) -> const std::string& { return s.file; });
  for (FileIssue& i : o.issues) issues.push_back(std::move(i));
  sort_issues(issues);
  o = ReadStats{};
}

void ReadStats::note_malformed_files() {
  size_t listed = 0;
  uint64_t rest_files = 0, rest_records = 0;
  for (const auto& [file, n] : malformed_by_file) {
    if (listed++ < kMalformedFilesListed) {
      issues.push_back({FileIssue::Level::kWarning, file, fmt::format("{} malformed record(s) skipped", n)});
    } else {
      ++rest_files;
      rest_records += n;
    }
  }
  if (rest_files > 0)
    issues.push_back({FileIssue::Level::kWarning, "",
                      fmt::format("{} more file(s) with malformed records ({} record(s) skipped)", rest_files, rest_records)});
  malformed_by_file.clear();
  sort_issues(issues);
}

void Aggregate::merge(Aggregate&& other, size_t max_samples, unsigned threads) {
  if (flows.size() == 0 && observations.empty() && interfaces.size() == 0) {
    // Nothing here yet: take the other's tables as they are (no rehash of its keys).
    std::swap(interfaces, other.interfaces);
    std::swap(flow_logs, other.flow_logs);
    std::swap(flows, other.flows);
    std::swap(observations, other.observations);
    stats.add(std::move(other.stats), max_samples);
    other = Aggregate();
    return;
  }
  std::vector<uint32_t> iface_map(other.interfaces.size());
  for (size_t i = 0; i < other.interfaces.size(); ++i) iface_map[i] = interfaces.id(other.interfaces.texts()[i]);
  std::vector<uint32_t> log_map(other.flow_logs.size());
  for (size_t i = 0; i < other.flow_logs.size(); ++i) log_map[i] = flow_logs.id(other.flow_logs.texts()[i]);
  flows.absorb(std::move(other.flows), iface_map, threads);
  for (const auto& [k, o] : other.observations) observations[{iface_map[k.first], log_map[k.second]}].add(o);
  stats.add(std::move(other.stats), max_samples);
  other = Aggregate();
}

std::pair<uint32_t, uint32_t> Aggregate::window() const {
  uint32_t first = UINT32_MAX;
  uint32_t last = 0;
  for (const auto& [k, o] : observations) {
    first = std::min(first, o.first_start);
    last = std::max(last, o.last_end);
  }
  if (first == UINT32_MAX) return {0, 0};
  return {first, last};
}

}  // namespace fortress::flows
