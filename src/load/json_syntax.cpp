#include "load/json_syntax.h"

#include <algorithm>
#include <cctype>

namespace fortress::load {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

class Scanner {
 public:
  Scanner(std::string_view text, std::vector<std::string>* keys) : s_(text), keys_(keys) {}

  std::optional<JsonSyntaxError> run() {
    enum class State { kValue, kArrayValueOrEnd, kKeyOrEnd, kKey, kColon, kAfterValue };
    State state = State::kValue;
    std::vector<char> stack;
    for (;;) {
      skip_ws();
      if (state == State::kAfterValue && stack.empty()) {
        if (pos_ < s_.size()) return error(pos_, "unexpected content after the JSON value");
        return std::nullopt;
      }
      if (pos_ >= s_.size()) return end_error(stack.empty() && state == State::kValue ? "no JSON value" : nullptr);
      char c = s_[pos_];
      switch (state) {
        case State::kArrayValueOrEnd:
          if (c == ']') {
            ++pos_;
            stack.pop_back();
            state = State::kAfterValue;
            continue;
          }
          [[fallthrough]];
        case State::kValue:
          if (c == '{') {
            stack.push_back('{');
            ++pos_;
            state = State::kKeyOrEnd;
          } else if (c == '[') {
            stack.push_back('[');
            ++pos_;
            state = State::kArrayValueOrEnd;
          } else {
            if (auto e = scalar()) return e;
            state = State::kAfterValue;
          }
          continue;
        case State::kKeyOrEnd:
          if (c == '}') {
            ++pos_;
            stack.pop_back();
            state = State::kAfterValue;
            continue;
          }
          [[fallthrough]];
        case State::kKey: {
          if (c != '"') return error(pos_, "expected a member name in quotes");
          size_t start = pos_;
          if (auto e = string()) return e;
          if (keys_ != nullptr && stack.size() == 1) keys_->emplace_back(s_.substr(start + 1, pos_ - start - 2));
          state = State::kColon;
          continue;
        }
        case State::kColon:
          if (c != ':') return error(pos_, "expected ':' after a member name");
          ++pos_;
          state = State::kValue;
          continue;
        case State::kAfterValue:
          if (c == ',') {
            ++pos_;
            state = stack.back() == '{' ? State::kKey : State::kValue;
          } else if (c == '}' && stack.back() == '{') {
            ++pos_;
            stack.pop_back();
          } else if (c == ']' && stack.back() == '[') {
            ++pos_;
            stack.pop_back();
          } else {
            return error(pos_, stack.back() == '{' ? "expected ',' or '}' after a member (missing comma?)"
                                                   : "expected ',' or ']' after a list item (missing comma?)");
          }
          continue;
      }
    }
  }

 private:
  void skip_ws() {
    while (pos_ < s_.size() && is_ws(s_[pos_])) ++pos_;
  }

  static std::optional<JsonSyntaxError> error(size_t offset, std::string message) {
    return JsonSyntaxError{offset, std::move(message)};
  }

  // The document ended inside a value: report just past its last token.
  std::optional<JsonSyntaxError> end_error(const char* message) {
    size_t last = s_.size();
    while (last > 0 && is_ws(s_[last - 1])) --last;
    return error(last, message != nullptr ? message : "unexpected end of file (truncated?)");
  }

  std::optional<JsonSyntaxError> scalar() {
    char c = s_[pos_];
    if (c == '"') return string();
    if (c == '-' || is_digit(c)) return number();
    for (std::string_view literal : {"true", "false", "null"}) {
      if (s_.substr(pos_, literal.size()) == literal) {
        pos_ += literal.size();
        if (pos_ < s_.size() && std::isalnum(static_cast<unsigned char>(s_[pos_]))) break;
        return std::nullopt;
      }
    }
    return error(pos_, "expected a value");
  }

  std::optional<JsonSyntaxError> number() {
    size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size() || !is_digit(s_[pos_])) return error(start, "invalid number");
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size() || !is_digit(s_[pos_])) return error(start, "invalid number");
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size() || !is_digit(s_[pos_])) return error(start, "invalid number");
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    return std::nullopt;
  }

  // A string starting at the opening quote; leaves pos_ after the closing quote.
  std::optional<JsonSyntaxError> string() {
    size_t start = pos_++;
    while (pos_ < s_.size()) {
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return std::nullopt;
      }
      if (c < 0x20) return error(pos_, "control character inside a string (unterminated string?)");
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) break;
        char e = s_[pos_ + 1];
        if (e == 'u') {
          for (size_t i = 2; i < 6; ++i) {
            if (pos_ + i >= s_.size() || !is_hex(s_[pos_ + i])) return error(pos_, "invalid \\u escape");
          }
          pos_ += 6;
        } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
          pos_ += 2;
        } else {
          return error(pos_, "invalid escape in a string");
        }
        continue;
      }
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      size_t n = utf8_sequence_length(pos_);
      if (n == 0) return error(pos_, "invalid UTF-8 in a string");
      pos_ += n;
    }
    return error(start, "unterminated string");
  }

  // Length of a valid UTF-8 sequence of 2..4 bytes at `at`, or 0 (overlong forms, surrogates and
  // code points past U+10FFFF are invalid, as simdjson treats them).
  size_t utf8_sequence_length(size_t at) const {
    auto b = [&](size_t i) -> unsigned { return at + i < s_.size() ? static_cast<unsigned char>(s_[at + i]) : 0; };
    auto cont = [&](size_t i) { return (b(i) & 0xC0) == 0x80; };
    unsigned c = b(0);
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return b(1) >= 0xA0 && b(1) <= 0xBF && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return b(1) >= 0x80 && b(1) <= 0x9F && cont(2) ? 3 : 0;
    if (c == 0xF0) return b(1) >= 0x90 && b(1) <= 0xBF && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return b(1) >= 0x80 && b(1) <= 0x8F && cont(2) && cont(3) ? 4 : 0;
    return 0;
  }

  std::string_view s_;
  std::vector<std::string>* keys_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text, std::vector<std::string>* top_level_keys) {
  return Scanner(text, top_level_keys).run();
}

uint64_t line_of_offset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + uint64_t(std::count(text.begin(), text.begin() + ptrdiff_t(offset), '\n'));
}

}  // namespace fortress::load
