// Splitting a large JSON file into values as it is read (loader internal; used by file_parser.cpp).
//
// StreamWindow holds the part of a file being looked at: the whole file when it is one block in
// memory (a mapping), else chunks of kChunkSize read into a buffer the thread reuses, with the bytes
// of an unfinished value carried over. ValueSplitter finds where one JSON value ends without parsing
// it: brackets are matched, strings (with their escapes) are stepped over, nothing else is checked;
// what is inside a value is left to simdjson.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "load/loader.h"

namespace fortress::load {

inline constexpr size_t kChunkSize = size_t{8} << 20;  // bytes read at a time

inline bool is_ws_byte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline uint64_t count_newlines(const char* p, const char* end) {
  uint64_t n = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  while (end - p >= 16) {
    // Up to 255 blocks per byte counter, then summed.
    __m128i counts = zero;
    for (int k = 0; k < 255 && end - p >= 16; ++k, p += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(v, newline));
    }
    __m128i sums = _mm_sad_epu8(counts, zero);
    n += uint64_t(_mm_cvtsi128_si64(sums)) + uint64_t(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; p < end; ++p) n += *p == '\n';
  return n;
}

// A window over a streamed file: bytes [0, size) of data() are the file's bytes from some offset.
// Bytes before a "keep" index may be dropped when more is read; indices at or after it shift down by
// what was dropped. A stream that is one contiguous block (a mapping, bytes in memory) is read in
// place, never shifts, and is told as it goes which bytes are done with. Counts the newlines of the
// bytes it passes, for line numbers.
class StreamWindow {
 public:
  StreamWindow(ByteStream& stream, StreamBuffers& buffers) : stream_(stream), buffers_(buffers) {
    std::string_view whole = stream_.contiguous();
    if (whole.data() != nullptr) {
      data_ = whole.data();
      size_ = whole.size();
      eof_ = true;
      contiguous_ = true;
      return;
    }
    if (buffers_.window_capacity < kChunkSize) {
      buffers_.window = std::make_unique_for_overwrite<char[]>(kChunkSize);
      buffers_.window_capacity = kChunkSize;
    }
    data_ = buffers_.window.get();
  }

  [[nodiscard]] const char* data() const { return data_; }
  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] bool failed() const { return failed_; }
  size_t pos = 0;

  // Makes data()[pos] readable, reading more when needed; bytes before `keep` may be dropped
  // (then `keep` and `pos` shift). False at the end of the file or on a read error.
  bool ensure(size_t& keep) {
    if (pos < size_) return true;
    if (eof_) return false;
    char* buffer = buffers_.window.get();
    if (keep > 0) {
      count_lines_to(keep);
      std::memmove(buffer, buffer + keep, size_ - keep);
      size_ -= keep;
      pos -= keep;
      line_cursor_ -= keep;
      keep = 0;
    }
    if (size_ == buffers_.window_capacity) {  // one value larger than the window: grow it
      size_t capacity = buffers_.window_capacity * 2;
      auto grown = std::make_unique_for_overwrite<char[]>(capacity);
      std::memcpy(grown.get(), buffer, size_);
      buffers_.window = std::move(grown);
      buffers_.window_capacity = capacity;
      buffer = buffers_.window.get();
      data_ = buffer;
    }
    while (pos >= size_) {
      ptrdiff_t n = stream_.read(buffer + size_, buffers_.window_capacity - size_);
      if (n < 0) failed_ = true;
      if (n <= 0) {
        eof_ = true;
        return false;
      }
      size_ += size_t(n);
    }
    return true;
  }

  // Nothing before index `keep` will be read again (lets a mapping drop what was read).
  void done_before(size_t keep) {
    if (contiguous_ && keep - released_ >= kChunkSize) {
      stream_.done_before(keep);
      released_ = keep;
    }
  }

  // Skips whitespace; false at the end of the file. Keeps bytes from `keep` on (see ensure()).
  bool skip_ws(size_t& keep) {
    for (;;) {
      if (!ensure(keep)) return false;
      while (pos < size_ && is_ws_byte(data_[pos])) ++pos;
      if (pos < size_) return true;
    }
  }
  bool skip_ws() {
    size_t keep = pos;
    return skip_ws(keep);
  }

  // 1-based line of index `at`, which must not be before any index asked about earlier.
  uint64_t line_at(size_t at) {
    count_lines_to(at);
    return newlines_ + 1;
  }

 private:
  void count_lines_to(size_t at) {
    if (at <= line_cursor_) return;
    newlines_ += count_newlines(data_ + line_cursor_, data_ + at);
    line_cursor_ = at;
  }

  ByteStream& stream_;
  StreamBuffers& buffers_;
  const char* data_ = nullptr;
  size_t size_ = 0;
  bool eof_ = false;
  bool failed_ = false;
  bool contiguous_ = false;
  size_t released_ = 0;
  size_t line_cursor_ = 0;  // newlines before this index are counted in newlines_
  uint64_t newlines_ = 0;
};

// Where scan_nested_blocks stopped: `pos` just past the value's closing bracket when `ended`, else
// the first byte it did not look at.
struct NestedScan {
  size_t pos;
  bool ended;
};

// Walks whole 64-byte blocks of base[pos, end) inside a nested value (`depth` open brackets, inside a
// string or not), as simdjson's stage 1 tells strings apart: quote masks and a prefix XOR. A block
// whose closing brackets cannot bring the depth to zero is passed with two popcounts; only the block
// where the value may end is walked bracket by bracket. Stops before a block with a backslash and
// before the last partial block, which the caller walks byte by byte. The variant for this CPU is
// chosen once at start-up (AVX2, POPCNT and PCLMUL where present; SSE2, the baseline, otherwise).
NestedScan scan_nested_blocks(const char* base, size_t pos, size_t end, int64_t& depth, bool& in_string);

namespace detail {
// The two variants by name, for tests; the AVX2 one only where avx2_splitter_available().
NestedScan scan_nested_baseline(const char* base, size_t pos, size_t end, int64_t& depth, bool& in_string);
NestedScan scan_nested_avx2(const char* base, size_t pos, size_t end, int64_t& depth, bool& in_string);
bool avx2_splitter_available();
}  // namespace detail

// Splits values out of a StreamWindow. Strict about what lies between values (commas, colons,
// whitespace); a value ends where its brackets balance, and what is inside it (bracket kinds
// included) is left to simdjson, or to find_json_syntax_error for values nobody reads. Any surprise
// returns false: the caller falls back to the whole-file parse, which reports it.
class ValueSplitter {
 public:
  explicit ValueSplitter(StreamWindow& window) : w_(window) {}

  // With w_.pos on a value's first byte, moves past it. `start` is the value's first index and
  // shifts with the window.
  bool skip_value(size_t& start) {
    char c = w_.data()[w_.pos];
    if (c == '{' || c == '[') return skip_nested(start);
    if (c == '"') return skip_string(start);
    // A number or a literal: up to the next delimiter (validated by whoever reads it).
    for (;;) {
      if (!w_.ensure(start)) return !w_.failed();
      c = w_.data()[w_.pos];
      if (is_ws_byte(c) || c == ',' || c == '}' || c == ']') return true;
      ++w_.pos;
    }
  }

  // With w_.pos on an opening quote, moves past the closing one.
  bool skip_string(size_t& start) {
    size_t content = w_.pos + 1 - start;  // relative to start, which may shift
    ++w_.pos;
    for (;;) {
      if (!w_.ensure(start)) return false;
      const char* base = w_.data();
      const void* quote = std::memchr(base + w_.pos, '"', w_.size() - w_.pos);
      if (quote == nullptr) {
        w_.pos = w_.size();
        continue;
      }
      size_t at = size_t(static_cast<const char*>(quote) - base);
      size_t backslashes = 0;
      while (at - backslashes > start + content && base[at - backslashes - 1] == '\\') ++backslashes;
      w_.pos = at + 1;
      if (backslashes % 2 == 0) return true;
    }
  }

 private:
  // Brackets are counted, strings told apart 64 bytes at a time by scan_nested_blocks (below), byte
  // by byte only where a backslash is near or fewer than 64 bytes are left. Bracket kinds are not
  // matched here: every value is parsed by simdjson or checked by find_json_syntax_error afterwards,
  // which reject `{]`.
  bool skip_nested(size_t& start) {
    int64_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (;;) {
      if (!w_.ensure(start)) return false;
      const char* base = w_.data();
      size_t end = w_.size();
      size_t p = w_.pos;
      if (!escaped) {
        const NestedScan scan = scan_nested_blocks(base, p, end, depth, in_string);
        p = scan.pos;
        if (scan.ended) {
          w_.pos = p;
          return true;
        }
      }
      for (size_t stop = std::min(end, p + 64); p < stop; ++p) {
        char c = base[p];
        if (escaped) {
          escaped = false;
        } else if (in_string) {
          if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            in_string = false;
          }
        } else if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          w_.pos = p + 1;
          return true;
        }
      }
      w_.pos = p;
    }
  }

  StreamWindow& w_;
};

}  // namespace fortress::load
