// Interned strings: one copy of each distinct text for the life of the program.
//
// Findings name the same account, region and resource over and over (ten checks look at each
// security group), and they outlive the model and the configuration they were made from. Interning
// gives them a 16-byte handle that stays valid forever and costs one copy per distinct text, whatever
// the number of findings.
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <string_view>

namespace fortress {

// The program-lifetime copy of `text` (equal texts give the same pointer). Thread-safe. The pool
// only grows: intern what repeats (IDs, names, regions), not unbounded unique text.
[[nodiscard]] std::string_view intern(std::string_view text);

// A string_view that always points into the intern pool, so it can never dangle: whatever it is
// built from (a temporary std::string included) is interned first.
class Symbol {
 public:
  Symbol() = default;
  Symbol(std::string_view text) : view_(intern(text)) {}  // NOLINT: implicit on purpose
  Symbol(const std::string& text) : Symbol(std::string_view(text)) {}  // NOLINT
  Symbol(const char* text) : Symbol(std::string_view(text)) {}  // NOLINT

  operator std::string_view() const { return view_; }  // NOLINT
  [[nodiscard]] std::string_view view() const { return view_; }
  [[nodiscard]] std::string str() const { return std::string(view_); }
  [[nodiscard]] bool empty() const { return view_.empty(); }
  [[nodiscard]] size_t size() const { return view_.size(); }

  friend bool operator==(const Symbol& a, const Symbol& b) { return a.view_ == b.view_; }
  friend bool operator==(const Symbol& a, std::string_view b) { return a.view_ == b; }
  friend bool operator==(const Symbol& a, const char* b) { return a.view_ == b; }
  friend bool operator==(const Symbol& a, const std::string& b) { return a.view_ == b; }
  friend auto operator<=>(const Symbol& a, const Symbol& b) { return a.view_ <=> b.view_; }
  // Concatenation builds a std::string, as with std::string operands.
  friend std::string operator+(std::string a, const Symbol& b) { return a.append(b.view_); }
  friend std::string operator+(const char* a, const Symbol& b) { return std::string(a).append(b.view_); }
  friend std::string operator+(const Symbol& a, std::string_view b) { return std::string(a.view_).append(b); }
  friend std::ostream& operator<<(std::ostream& out, const Symbol& s) { return out << s.view_; }

 private:
  std::string_view view_;
};

}  // namespace fortress

template <>
struct fmt::formatter<fortress::Symbol> : fmt::formatter<std::string_view> {
  auto format(const fortress::Symbol& s, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.view(), ctx);
  }
};
