// Interned strings: one copy of each distinct text for the life of the program.
//
// Findings name the same account, region and resource over and over (ten checks look at each
// security group), and they outlive the model and the configuration they were made from. Interning
// gives them an 8-byte handle that stays valid forever and costs one copy per distinct text, whatever
// the number of findings.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>

namespace fortress {

// A fast 64-bit hash of short texts (IDs are 8 to 30 bytes): 8 bytes per multiply, then a final mix.
// The intern pool's, and the model's indexes' (TextHash).
[[nodiscard]] inline uint64_t hash_text(std::string_view text) {
  uint64_t h = uint64_t(text.size()) * 0x9E3779B97F4A7C15ull;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, text.data() + i, 8);
    h = (h ^ chunk) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  if (i < text.size()) {
    uint64_t chunk = 0;
    std::memcpy(&chunk, text.data() + i, text.size() - i);
    h = (h ^ chunk) * 0xBF58476D1CE4E5B9ull;
  }
  h ^= h >> 29;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 32;
  return h;
}

// hash_text for unordered containers keyed by text (std::string_view, std::string): faster than
// std::hash's on IDs, and transparent (a std::string key is found by a string_view).
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return size_t(hash_text(text)); }
};

// The program-lifetime copy of `text` (equal texts give the same pointer; "" gives an empty view
// with a null pointer), its length kept as a uint32_t just before its first byte. Thread-safe. The
// pool only grows: intern what repeats (IDs, names, regions), not unbounded unique text.
[[nodiscard]] std::string_view intern(std::string_view text);

// A text in the intern pool, so it can never dangle: whatever it is built from (a temporary
// std::string included) is interned first. One pointer (the model and the findings hold millions):
// the pool keeps each text's length just before its bytes. Equal texts are one entry, so two
// Symbols are equal exactly when their pointers are.
class Symbol {
 public:
  Symbol() = default;
  Symbol(std::string_view text) : text_(intern(text).data()) {}  // NOLINT: implicit on purpose
  Symbol(const std::string& text) : Symbol(std::string_view(text)) {}  // NOLINT
  Symbol(const char* text) : Symbol(std::string_view(text)) {}  // NOLINT

  operator std::string_view() const { return view(); }  // NOLINT
  [[nodiscard]] std::string_view view() const { return text_ == nullptr ? std::string_view() : std::string_view(text_, length()); }
  [[nodiscard]] std::string str() const { return std::string(view()); }
  [[nodiscard]] bool empty() const { return text_ == nullptr; }
  [[nodiscard]] size_t size() const { return text_ == nullptr ? 0 : length(); }

  friend bool operator==(const Symbol& a, const Symbol& b) { return a.text_ == b.text_; }
  friend bool operator==(const Symbol& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const Symbol& a, const char* b) { return a.view() == b; }
  friend bool operator==(const Symbol& a, const std::string& b) { return a.view() == b; }
  friend auto operator<=>(const Symbol& a, const Symbol& b) { return a.view() <=> b.view(); }
  // Concatenation builds a std::string, as with std::string operands.
  friend std::string operator+(std::string a, const Symbol& b) { return a.append(b.view()); }
  friend std::string operator+(const char* a, const Symbol& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(const Symbol& a, std::string_view b) { return std::string(a.view()).append(b); }
  friend std::ostream& operator<<(std::ostream& out, const Symbol& s) { return out << s.view(); }

 private:
  [[nodiscard]] size_t length() const {
    uint32_t n;
    std::memcpy(&n, text_ - sizeof n, sizeof n);
    return n;
  }
  const char* text_ = nullptr;  // the pool's copy (its length before it), nullptr for ""
};

}  // namespace fortress

template <>
struct fmt::formatter<fortress::Symbol> : fmt::formatter<std::string_view> {
  auto format(const fortress::Symbol& s, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.view(), ctx);
  }
};
