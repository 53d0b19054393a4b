#include "util/intern.h"

#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace fortress {

namespace {

// Sharded by hash so the checks, which run in parallel, rarely wait for each other.
class InternPool {
 public:
  std::string_view intern(std::string_view text) {
    if (text.empty()) return {};
    const size_t hash = std::hash<std::string_view>{}(text);
    Shard& shard = shards_[hash % shards_.size()];
    std::lock_guard lock(shard.mutex);
    if (auto it = shard.texts.find(text); it != shard.texts.end()) return *it;
    std::string_view copy = shard.store(text);
    shard.texts.insert(copy);
    return copy;
  }

 private:
  static constexpr size_t kBlockSize = 64 * 1024;

  struct Shard {
    std::mutex mutex;
    std::unordered_set<std::string_view> texts;
    std::vector<std::unique_ptr<char[]>> blocks;
    size_t used = kBlockSize;  // in the last block

    std::string_view store(std::string_view text) {
      if (text.size() > kBlockSize / 4) {  // large texts get a block of their own
        blocks.insert(blocks.begin(), std::make_unique<char[]>(text.size()));
        std::memcpy(blocks.front().get(), text.data(), text.size());
        return {blocks.front().get(), text.size()};
      }
      if (used + text.size() > kBlockSize) {
        blocks.push_back(std::make_unique<char[]>(kBlockSize));
        used = 0;
      }
      char* at = blocks.back().get() + used;
      std::memcpy(at, text.data(), text.size());
      used += text.size();
      return {at, text.size()};
    }
  };

  std::array<Shard, 16> shards_;
};

}  // namespace

std::string_view intern(std::string_view text) {
  static InternPool* pool = new InternPool();  // never destroyed: interned views outlive every static
  return pool->intern(text);
}

}  // namespace fortress
