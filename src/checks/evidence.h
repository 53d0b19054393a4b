// A finding's evidence: the facts behind a verdict, as a JSON object kept as compact text.
//
// A large account has tens of thousands of FAIL findings, each listing the rules that make it fail.
// As a tree of JsonValues that evidence costs about five times its text; stored as text it costs what
// the report will print anyway. Checks build it with JsonValue and set(); readers parse it back
// (tests) or copy it into the report as is.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "util/json_value.h"

namespace fortress {

class Evidence {
 public:
  Evidence() = default;
  // From a JSON object (a null value gives empty evidence). Implicit, so a check can write
  // `finding.evidence = group_evidence(...)`.
  Evidence(const JsonValue& object);  // NOLINT
  Evidence(const Evidence& o) : text_(o.text_ ? std::make_unique<std::string>(*o.text_) : nullptr) {}
  Evidence& operator=(const Evidence& o) {
    if (this != &o) text_ = o.text_ ? std::make_unique<std::string>(*o.text_) : nullptr;
    return *this;
  }
  Evidence(Evidence&&) noexcept = default;
  Evidence& operator=(Evidence&&) noexcept = default;

  // From the compact JSON text of an object, taken as it is (the caller wrote it: no check).
  static Evidence from_json_text(std::string object) {
    Evidence e;
    if (!object.empty() && object != "{}") e.text_ = std::make_unique<std::string>(std::move(object));
    return e;
  }

  // Sets `key` to `value`: appended when new, replaced when present (keys keep their first position).
  void set(std::string_view key, const JsonValue& value);

  [[nodiscard]] bool empty() const { return !text_ || text_->empty(); }
  // The compact JSON text; "{}" when empty.
  [[nodiscard]] std::string_view json() const { return empty() ? std::string_view("{}") : std::string_view(*text_); }
  // The evidence as a JsonValue object (parsed on each call: for tests and rare readers).
  [[nodiscard]] JsonValue value() const;
  // One field, parsed; nullopt when absent.
  [[nodiscard]] std::optional<JsonValue> get(std::string_view key) const;
  // Gives back the room the text grew into while fields were set (kept findings hold only their bytes).
  void compact() {
    if (text_) text_->shrink_to_fit();
  }

  friend bool operator==(const Evidence& a, const Evidence& b) { return a.json() == b.json(); }

 private:
  // Null or a compact JSON object "{...}". Behind a pointer: most findings (PASS) have none, and a
  // finding is one of hundreds of thousands, so the empty case costs 8 bytes instead of 32.
  std::unique_ptr<std::string> text_;
};

}  // namespace fortress
