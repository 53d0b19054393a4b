#include "util/json_value.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fortress {

JsonValue JsonValue::strings(const std::vector<std::string>& items) {
  Array a;
  a.reserve(items.size());
  for (const std::string& s : items) a.emplace_back(s);
  return JsonValue(std::move(a));
}

JsonValue JsonValue::strings(const std::vector<Symbol>& items) {
  Array a;
  a.reserve(items.size());
  for (const Symbol& s : items) a.emplace_back(s);
  return JsonValue(std::move(a));
}

JsonValue& JsonValue::set(std::string key, JsonValue value) {
  if (is_null()) v_ = Object{};
  Object& o = as_object();
  for (auto& [k, v] : o) {
    if (k == key) {
      v = std::move(value);
      return v;
    }
  }
  o.emplace_back(std::move(key), std::move(value));
  return o.back().second;
}

const JsonValue* JsonValue::get(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : as_object()) {
    if (k == key) return &v;
  }
  return nullptr;
}

JsonValue& JsonValue::push(JsonValue value) {
  if (is_null()) v_ = Array{};
  Array& a = as_array();
  a.push_back(std::move(value));
  return a.back();
}

namespace {
// The first byte at or after `i` that JSON needs escaped (a control character, '"' or '\\'), or
// s.size(): 16 bytes a step with SSE2 (baseline x86-64), then one at a time.
size_t next_to_escape(std::string_view s, size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1f);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // Control characters: v <= 0x1f as unsigned bytes, that is min(v, 0x1f) == v.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v);
    const __m128i special = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    const unsigned mask = unsigned(_mm_movemask_epi8(special));
    if (mask != 0) return i + unsigned(__builtin_ctz(mask));
  }
#endif
  for (; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return s.size();
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;  // start of the current run of characters that need no escaping
  for (size_t i = next_to_escape(s, 0); i < s.size(); i = next_to_escape(s, run)) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: out += fmt::format("\\u{:04x}", c);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

namespace {
void newline(std::string& out, int indent, int depth) {
  if (indent < 0) return;
  out.push_back('\n');
  out.append(size_t(indent * depth), ' ');
}
}  // namespace

void JsonValue::dump_to(std::string& out, int indent, int depth) const {
  switch (v_.index()) {
    case 0: out += "null"; break;
    case 1: out += as_bool() ? "true" : "false"; break;
    case 2: out += fmt::format("{}", as_int()); break;
    case 3: {
      double d = as_double();
      if (!std::isfinite(d)) {
        out += "null";
        break;
      }
      // Shortest round-trip form, written as the AWS CLI (Python) writes floats: 80.0, not 80.
      std::string text = fmt::format("{}", d);
      if (text.find_first_of(".eE") == std::string::npos) text += ".0";
      out += text;
      break;
    }
    case 4: append_json_string(out, as_string()); break;
    case 5: {
      const Array& a = as_array();
      if (a.empty()) { out += "[]"; break; }
      out.push_back('[');
      for (size_t i = 0; i < a.size(); ++i) {
        if (i > 0) out.push_back(',');
        newline(out, indent, depth + 1);
        a[i].dump_to(out, indent, depth + 1);
      }
      newline(out, indent, depth);
      out.push_back(']');
      break;
    }
    case 7: {
      const std::string& text = std::get<Raw>(v_).text;
      if (indent < 0) {
        out += text;
      } else {
        append_reindented_json(out, text, indent, depth);
      }
      break;
    }
    case 6: {
      const Object& o = as_object();
      if (o.empty()) { out += "{}"; break; }
      out.push_back('{');
      for (size_t i = 0; i < o.size(); ++i) {
        if (i > 0) out.push_back(',');
        newline(out, indent, depth + 1);
        append_json_string(out, o[i].first);
        out += indent < 0 ? ":" : ": ";
        o[i].second.dump_to(out, indent, depth + 1);
      }
      newline(out, indent, depth);
      out.push_back('}');
      break;
    }
  }
}

void append_reindented_json(std::string& out, std::string_view compact, int indent, int depth) {
  if (indent < 0) {
    out += compact;
    return;
  }
  size_t i = 0;
  while (i < compact.size()) {
    const char c = compact[i];
    switch (c) {
      case '"': {  // copy the string literal, escapes included
        size_t end = i + 1;
        while (end < compact.size() && compact[end] != '"') end += compact[end] == '\\' ? 2 : 1;
        end = std::min(end + 1, compact.size());
        out.append(compact.substr(i, end - i));
        i = end;
        continue;
      }
      case '{':
      case '[': {
        const char close = c == '{' ? '}' : ']';
        if (i + 1 < compact.size() && compact[i + 1] == close) {  // "{}" and "[]" stay on one line
          out.push_back(c);
          out.push_back(close);
          i += 2;
          continue;
        }
        out.push_back(c);
        newline(out, indent, ++depth);
        break;
      }
      case '}':
      case ']':
        newline(out, indent, --depth);
        out.push_back(c);
        break;
      case ',':
        out.push_back(',');
        newline(out, indent, depth);
        break;
      case ':':
        out += ": ";
        break;
      default:
        out.push_back(c);
    }
    ++i;
  }
}

namespace {

JsonValue from_dom(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      JsonValue::Object o;
      for (auto field : simdjson::dom::object(e)) o.emplace_back(std::string(field.key), from_dom(field.value));
      return JsonValue(std::move(o));
    }
    case simdjson::dom::element_type::ARRAY: {
      JsonValue::Array a;
      for (simdjson::dom::element item : simdjson::dom::array(e)) a.push_back(from_dom(item));
      return JsonValue(std::move(a));
    }
    case simdjson::dom::element_type::STRING: return JsonValue(std::string_view(e));
    case simdjson::dom::element_type::INT64: return JsonValue(int64_t(e));
    case simdjson::dom::element_type::UINT64: {
      const uint64_t u = uint64_t(e);
      if (u <= uint64_t(INT64_MAX)) return JsonValue(int64_t(u));
      return JsonValue(double(u));
    }
    case simdjson::dom::element_type::DOUBLE: return JsonValue(double(e));
    case simdjson::dom::element_type::BOOL: return JsonValue(bool(e));
    case simdjson::dom::element_type::NULL_VALUE: return JsonValue();
  }
  return JsonValue();
}

}  // namespace

Expected<JsonValue> parse_json_text(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(text.data(), text.size()).get(root); err != simdjson::SUCCESS) {
    Error e;
    e.code = ErrorCode::kParse;
    e.message = fmt::format("invalid JSON: {}", simdjson::error_message(err));
    return e;
  }
  return from_dom(root);
}

std::string JsonValue::dump(int indent) const {
  std::string out;
  dump_to(out, indent, 0);
  return out;
}

}  // namespace fortress
