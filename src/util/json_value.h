// A small JSON value for finding evidence and report output: built by checks, written by reports.
// Objects keep insertion order so reports are stable and golden files diff cleanly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "util/expected.h"
#include "util/intern.h"

namespace fortress {

class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Object = std::vector<std::pair<std::string, JsonValue>>;

  JsonValue() = default;  // null
  JsonValue(bool b) : v_(b) {}                                   // NOLINT
  JsonValue(int v) : v_(int64_t(v)) {}                           // NOLINT
  JsonValue(int64_t v) : v_(v) {}                                // NOLINT
  JsonValue(uint32_t v) : v_(int64_t(v)) {}                      // NOLINT
  JsonValue(uint64_t v) : v_(int64_t(v)) {}                      // NOLINT
  JsonValue(double v) : v_(v) {}                                 // NOLINT
  JsonValue(const char* s) : v_(std::string(s)) {}               // NOLINT
  JsonValue(std::string s) : v_(std::move(s)) {}                 // NOLINT
  JsonValue(std::string_view s) : v_(std::string(s)) {}          // NOLINT
  JsonValue(const Symbol& s) : v_(std::string(s.view())) {}      // NOLINT
  JsonValue(Array a) : v_(std::move(a)) {}                       // NOLINT
  JsonValue(Object o) : v_(std::move(o)) {}                      // NOLINT

  // Text that is already compact JSON (e.g. a finding's stored evidence), written as is, or
  // re-indented when the document is pretty-printed. The caller vouches that it is valid JSON.
  static JsonValue raw(std::string compact_json) {
    JsonValue v;
    v.v_ = Raw{std::move(compact_json)};
    return v;
  }
  static JsonValue array() { return JsonValue(Array{}); }
  static JsonValue object() { return JsonValue(Object{}); }
  // A JSON array of strings.
  static JsonValue strings(const std::vector<std::string>& items);
  static JsonValue strings(const std::vector<Symbol>& items);

  [[nodiscard]] bool is_null() const { return v_.index() == 0; }
  [[nodiscard]] bool is_bool() const { return v_.index() == 1; }
  [[nodiscard]] bool is_int() const { return v_.index() == 2; }
  [[nodiscard]] bool is_double() const { return v_.index() == 3; }
  [[nodiscard]] bool is_string() const { return v_.index() == 4; }
  [[nodiscard]] bool is_array() const { return v_.index() == 5; }
  [[nodiscard]] bool is_object() const { return v_.index() == 6; }
  [[nodiscard]] bool is_raw() const { return v_.index() == 7; }

  [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
  [[nodiscard]] int64_t as_int() const { return std::get<int64_t>(v_); }
  [[nodiscard]] double as_double() const { return std::get<double>(v_); }
  [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
  [[nodiscard]] const Array& as_array() const { return std::get<Array>(v_); }
  [[nodiscard]] Array& as_array() { return std::get<Array>(v_); }
  [[nodiscard]] const Object& as_object() const { return std::get<Object>(v_); }
  [[nodiscard]] Object& as_object() { return std::get<Object>(v_); }

  // Object helpers: set() replaces an existing key or appends; get() returns nullptr when absent.
  JsonValue& set(std::string key, JsonValue value);
  [[nodiscard]] const JsonValue* get(std::string_view key) const;
  // Array helper.
  JsonValue& push(JsonValue value);

  // Compact (indent < 0) or pretty-printed JSON text.
  [[nodiscard]] std::string dump(int indent = -1) const;
  void dump_to(std::string& out, int indent = -1, int depth = 0) const;

  friend bool operator==(const JsonValue&, const JsonValue&) = default;

 private:
  struct Raw {
    std::string text;
    friend bool operator==(const Raw&, const Raw&) = default;
  };
  std::variant<std::monostate, bool, int64_t, double, std::string, Array, Object, Raw> v_;
};

// Parses JSON text into a JsonValue, keeping object key order. Integers that do not fit in int64
// become doubles. kParse when the text is not JSON.
[[nodiscard]] Expected<JsonValue> parse_json_text(std::string_view text);

// Appends compact JSON text (no whitespace outside strings, as dump() writes it) to `out` laid out
// exactly as dump_to(out, indent, depth) would lay out the same value.
void append_reindented_json(std::string& out, std::string_view compact, int indent, int depth);

// Appends `s` to `out` as a JSON string literal (quotes included), escaping as RFC 8259 requires.
void append_json_string(std::string& out, std::string_view s);

}  // namespace fortress
