#include "checks/evidence.h"

namespace fortress {

Evidence::Evidence(const JsonValue& object) {
  if (object.is_null()) return;
  std::string text = object.dump();
  if (text != "{}") text_ = std::make_unique<std::string>(std::move(text));
}

void Evidence::set(std::string_view key, const JsonValue& value) {
  std::string quoted_key;
  append_json_string(quoted_key, key);
  quoted_key += ':';
  // Fast path: a key that appears nowhere in the text is new, so the field is appended. A key that
  // appears somewhere (perhaps only in a nested object) takes the exact path through the tree.
  if (!text_) text_ = std::make_unique<std::string>();
  std::string& text = *text_;
  if (text.find(quoted_key) == std::string::npos) {
    if (text.empty()) {
      text = "{";
    } else {
      text.back() = ',';
    }
    text += quoted_key;
    value.dump_to(text);
    text += '}';
    return;
  }
  JsonValue tree = this->value();
  tree.set(std::string(key), value);
  text = tree.dump();
}

JsonValue Evidence::value() const {
  if (empty()) return JsonValue::object();
  Expected<JsonValue> parsed = parse_json_text(*text_);
  return parsed ? std::move(*parsed) : JsonValue::object();
}

std::optional<JsonValue> Evidence::get(std::string_view key) const {
  if (empty()) return std::nullopt;
  JsonValue tree = value();
  const JsonValue* field = tree.get(key);
  if (field == nullptr) return std::nullopt;
  return *field;
}

}  // namespace fortress
