// The block scanner of ValueSplitter (json_stream.h), in a baseline variant and one for CPUs with
// AVX2, POPCNT and PCLMUL, chosen once at start-up: the binary's minimum CPU stays baseline x86-64.
#include "load/json_stream.h"

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define FORTRESS_SPLITTER_DISPATCH 1
#endif

namespace fortress::load {

namespace {

// One block's brackets outside strings: true when the value ends in it, with `at` the offset of its
// closing bracket. Popcount is the variant's bit count (hardware or not).
template <typename Popcount>
[[gnu::always_inline]] inline bool value_ends_in_block(uint64_t open, uint64_t closing, int64_t& depth,
                                                       unsigned& at) {
  const int64_t closes = Popcount::count(closing);
  if (depth > closes) {  // the value goes on past this block
    depth += Popcount::count(open) - closes;
    return false;
  }
  for (uint64_t brackets = open | closing; brackets != 0; brackets &= brackets - 1) {
    const uint64_t bit = brackets & (~brackets + 1);
    if ((open & bit) != 0) {
      ++depth;
    } else if (--depth == 0) {
      at = unsigned(__builtin_ctzll(bit));
      return true;
    }
  }
  return false;
}

#if defined(FORTRESS_SPLITTER_DISPATCH)

struct BlockMasks {
  uint64_t quote = 0, backslash = 0, open = 0, close = 0;
};

// Set bits without the popcnt instruction the baseline x86-64 target lacks (GCC would call libgcc's
// __popcountdi2 for __builtin_popcountll).
struct SoftPopcount {
  static int64_t count(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return int64_t((x * 0x0101010101010101ull) >> 56);
  }
};
// __builtin_popcountll, inlined into the AVX2 variant, is the popcnt instruction there.
struct HardPopcount {
  static int64_t count(uint64_t x) { return __builtin_popcountll(x); }
};

// Bit i: the XOR of bits 0..i (1 from an opening quote up to, not including, its closing quote).
uint64_t prefix_xor_soft(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

BlockMasks block_masks_sse2(const char* p) {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i open_brace = _mm_set1_epi8('{');
  const __m128i close_brace = _mm_set1_epi8('}');
  const __m128i open_bracket = _mm_set1_epi8('[');
  const __m128i close_bracket = _mm_set1_epi8(']');
  BlockMasks m;
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    auto bits = [&](__m128i x) { return uint64_t(uint32_t(_mm_movemask_epi8(x))) << (16 * k); };
    m.quote |= bits(_mm_cmpeq_epi8(v, quote));
    m.backslash |= bits(_mm_cmpeq_epi8(v, backslash));
    m.open |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, open_brace), _mm_cmpeq_epi8(v, open_bracket)));
    m.close |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, close_brace), _mm_cmpeq_epi8(v, close_bracket)));
  }
  return m;
}

NestedScan scan_sse2(const char* base, size_t p, size_t end, int64_t& depth, bool& in_string) {
  for (; end - p >= 64; p += 64) {
    const BlockMasks m = block_masks_sse2(base + p);
    if (m.backslash != 0) break;
    const uint64_t strings = prefix_xor_soft(m.quote) ^ (in_string ? ~uint64_t(0) : 0);
    unsigned at = 0;
    if (value_ends_in_block<SoftPopcount>(m.open & ~strings, m.close & ~strings, depth, at)) return {p + at + 1, true};
    in_string = (strings >> 63) != 0;
  }
  return {p, false};
}

// The 64 bits of two 32-byte compare results (a lambda would not inherit the target).
__attribute__((target("avx2"), always_inline)) inline uint64_t mask(__m256i lo, __m256i hi) {
  return uint64_t(uint32_t(_mm256_movemask_epi8(lo))) | uint64_t(uint32_t(_mm256_movemask_epi8(hi))) << 32;
}

// Brackets are ASCII 0x5B/0x5D and 0x7B/0x7D: bit 5 cleared folds '{' onto '[' and '}' onto ']'.
__attribute__((target("avx2,popcnt,pclmul"))) NestedScan scan_avx2(const char* base, size_t p, size_t end,
                                                                   int64_t& depth, bool& in_string) {
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  const __m256i fold = _mm256_set1_epi8(char(~0x20));
  const __m256i open = _mm256_set1_epi8('[');
  const __m256i close = _mm256_set1_epi8(']');
  const __m128i all_ones = _mm_set1_epi64x(-1);
  for (; end - p >= 64; p += 64) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(base + p));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(base + p + 32));
    if (mask(_mm256_cmpeq_epi8(lo, backslash), _mm256_cmpeq_epi8(hi, backslash)) != 0) break;
    const uint64_t quotes = mask(_mm256_cmpeq_epi8(lo, quote), _mm256_cmpeq_epi8(hi, quote));
    const __m256i lo_folded = _mm256_and_si256(lo, fold);
    const __m256i hi_folded = _mm256_and_si256(hi, fold);
    const uint64_t opens = mask(_mm256_cmpeq_epi8(lo_folded, open), _mm256_cmpeq_epi8(hi_folded, open));
    const uint64_t closes = mask(_mm256_cmpeq_epi8(lo_folded, close), _mm256_cmpeq_epi8(hi_folded, close));
    // The prefix XOR as a carry-less multiplication by all ones, as simdjson does.
    const uint64_t prefix =
        uint64_t(_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, int64_t(quotes)), all_ones, 0)));
    const uint64_t strings = prefix ^ (in_string ? ~uint64_t(0) : 0);
    unsigned at = 0;
    if (value_ends_in_block<HardPopcount>(opens & ~strings, closes & ~strings, depth, at)) return {p + at + 1, true};
    in_string = (strings >> 63) != 0;
  }
  return {p, false};
}

using ScanFn = NestedScan (*)(const char*, size_t, size_t, int64_t&, bool&);

ScanFn choose_scan() {
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
                    __builtin_cpu_supports("pclmul");
  return avx2 ? scan_avx2 : scan_sse2;
}
const ScanFn kScan = choose_scan();

#endif

}  // namespace

namespace detail {

NestedScan scan_nested_baseline(const char* base, size_t pos, size_t end, int64_t& depth, bool& in_string) {
#if defined(FORTRESS_SPLITTER_DISPATCH)
  return scan_sse2(base, pos, end, depth, in_string);
#else
  return scan_nested_blocks(base, pos, end, depth, in_string);
#endif
}

NestedScan scan_nested_avx2(const char* base, size_t pos, size_t end, int64_t& depth, bool& in_string) {
#if defined(FORTRESS_SPLITTER_DISPATCH)
  if (avx2_splitter_available()) return scan_avx2(base, pos, end, depth, in_string);
#endif
  return scan_nested_baseline(base, pos, end, depth, in_string);
}

bool avx2_splitter_available() {
#if defined(FORTRESS_SPLITTER_DISPATCH)
  return kScan == scan_avx2;
#else
  return false;
#endif
}

}  // namespace detail

NestedScan scan_nested_blocks(const char* base, size_t pos, size_t end, int64_t& depth, bool& in_string) {
#if defined(FORTRESS_SPLITTER_DISPATCH)
  return kScan(base, pos, end, depth, in_string);
#else
  (void)base;
  (void)end;
  (void)depth;
  (void)in_string;
  return {pos, false};  // the caller walks every byte
#endif
}

}  // namespace fortress::load
