#include "util/intern.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace fortress {

namespace {

// Sharded by hash so threads (the loader's, the checks') rarely wait for each other. Each shard is an
// open-addressing table of pointers to length-prefixed texts in 64 KiB blocks: a distinct text costs
// its bytes plus about 16 bytes, less than a std::string's heap block.
class InternPool {
 public:
  std::string_view intern(std::string_view text) {
    if (text.empty()) return {};
    const uint64_t hash = hash_text(text);
    // Most texts repeat (VPC and subnet IDs, owners, states, tag keys): each thread remembers the
    // texts it interned last in a small direct-mapped cache (96 KiB, stays in L2) that needs no lock.
    // An entry keeps the text's hash: a different text in the same place is told apart without
    // reading the pool (a cache miss), and an equal one is compared once.
    struct Recent {
      uint64_t hash = 0;
      std::string_view text;
    };
    thread_local std::array<Recent, 4096> recent;
    Recent& cached = recent[(hash >> 20) & (recent.size() - 1)];
    if (cached.hash == hash && cached.text == text) return cached.text;
    Shard& shard = shards_[hash % kShards];
    std::lock_guard lock(shard.mutex);
    cached.text = shard.intern(text, hash);
    cached.hash = hash;
    return cached.text;
  }

 private:
  static constexpr size_t kBlockSize = 64 * 1024;
  static constexpr size_t kShards = 16;
  static constexpr uint64_t kAddressMask = (uint64_t(1) << 48) - 1;
  using Length = uint32_t;

  static std::string_view entry_text(const char* entry) {
    Length length;
    std::memcpy(&length, entry, sizeof length);
    return {entry + sizeof length, length};
  }

  struct Shard {
    std::mutex mutex;
    // Each slot: the entry's address, with 16 bits of its hash in the top bits (user-space addresses
    // fit in 48 bits on x86-64 and AArch64) so most mismatches are rejected without reading the
    // entry. An address that does not fit is stored untagged and always compared. 0 = empty.
    std::vector<uint64_t> slots = std::vector<uint64_t>(1024, 0);  // power of two
    size_t count = 0;
    std::vector<std::unique_ptr<char[]>> blocks;
    size_t used = kBlockSize;  // bytes used in blocks.back()

    static uint64_t tag_of(uint64_t hash) { return (hash >> 48) | 0x8000; }
    static size_t start_of(uint64_t hash) { return size_t(hash / kShards); }
    static uint64_t slot_for(const char* entry, uint64_t hash) {
      const uint64_t address = reinterpret_cast<uintptr_t>(entry);
      return (address >> 48) == 0 ? address | (tag_of(hash) << 48) : address;
    }
    static const char* entry_of(uint64_t slot) {
      return reinterpret_cast<const char*>(uintptr_t((slot >> 48) & 0x8000 ? slot & kAddressMask : slot));
    }

    std::string_view intern(std::string_view text, uint64_t hash) {
      const size_t mask = slots.size() - 1;
      const uint64_t tag = tag_of(hash);
      for (size_t i = start_of(hash) & mask;; i = (i + 1) & mask) {
        const uint64_t slot = slots[i];
        if (slot == 0) {
          const char* entry = store(text);
          slots[i] = slot_for(entry, hash);
          if (++count * 10 > slots.size() * 7) grow();
          return entry_text(entry);
        }
        const bool tagged = ((slot >> 48) & 0x8000) != 0;
        if (tagged && (slot >> 48) != tag) continue;
        std::string_view existing = entry_text(entry_of(slot));
        if (existing == text) return existing;
      }
    }

    void grow() {
      std::vector<uint64_t> old(slots.size() * 2, 0);
      old.swap(slots);
      const size_t mask = slots.size() - 1;
      for (uint64_t slot : old) {
        if (slot == 0) continue;
        size_t i = start_of(hash_text(entry_text(entry_of(slot)))) & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = slot;
      }
    }

    const char* store(std::string_view text) {
      const size_t need = sizeof(Length) + text.size();
      char* at;
      if (need > kBlockSize / 4) {  // a large text gets a block of its own, kept out of the way
        blocks.insert(blocks.begin(), std::make_unique<char[]>(need));
        at = blocks.front().get();
      } else {
        if (used + need > kBlockSize) {
          blocks.push_back(std::make_unique<char[]>(kBlockSize));
          used = 0;
        }
        at = blocks.back().get() + used;
        used += need;
      }
      const Length length = Length(text.size());
      std::memcpy(at, &length, sizeof length);
      std::memcpy(at + sizeof length, text.data(), text.size());
      return at;
    }
  };

  std::array<Shard, kShards> shards_;
};

}  // namespace

std::string_view intern(std::string_view text) {
  static InternPool* pool = new InternPool();  // never destroyed: interned views outlive every static
  return pool->intern(text);
}

}  // namespace fortress
