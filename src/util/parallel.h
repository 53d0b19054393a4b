// Independent pieces of work spread over the cores: the loader's files and regions, the exposure's
// class evaluations, the checks.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <system_error>
#include <thread>
#include <type_traits>
#include <variant>
#include <vector>

namespace fortress {

// The threads to run `items` pieces on when `requested` are asked for (0: one per core): at least
// one, never more than there are pieces.
inline unsigned worker_count(unsigned requested, size_t items) {
  const unsigned wanted = requested == 0 ? std::max(1u, std::thread::hardware_concurrency()) : requested;
  return unsigned(std::max<size_t>(1, std::min<size_t>(wanted, items)));
}

// Runs work(k) -- or work(k, state) when a State is named: one default-constructed State per thread,
// for buffers a thread reuses -- for every k in [0, n), on worker_count(threads, n) threads, the
// calling one included. Each k is taken by exactly one thread, in no fixed order, so work(k) writes
// only what belongs to k; whatever is merged afterwards is merged in k order, never in finishing
// order. Returns when every k is done. When no thread can be started, the caller does them all.
template <typename State = std::monostate, typename Work>
void parallel_for(size_t n, unsigned threads, Work&& work) {
  std::atomic<size_t> next{0};
  auto run = [&] {
    State state;
    for (size_t k; (k = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
      if constexpr (std::is_same_v<State, std::monostate>) {
        work(k);
      } else {
        work(k, state);
      }
    }
  };
  const unsigned count = worker_count(threads, n);
  std::vector<std::thread> pool;
  pool.reserve(count - 1);
  try {
    for (unsigned t = 1; t < count; ++t) pool.emplace_back(run);
  } catch (const std::system_error&) {
    // No more threads: the ones started and this one share the work.
  }
  run();
  for (std::thread& t : pool) t.join();
}

}  // namespace fortress
