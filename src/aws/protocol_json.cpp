#include "aws/protocol_json.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "aws/protocol_detail.h"
#include "aws/sigv4.h"

namespace fortress::aws::detail {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool is_special_float(const JsonValue& v) {
  return v.is_string() &&
         (v.as_string() == "NaN" || v.as_string() == "Infinity" || v.as_string() == "-Infinity");
}

std::string child_path(std::string_view path, std::string_view name) {
  return path.empty() ? std::string(name) : fmt::format("{}.{}", path, name);
}

// ---- serialization: params → JSON body ------------------------------------------------------------

class JsonBodyWriter {
 public:
  explicit JsonBodyWriter(const ServiceModel& model) : model_(model) {}

  Expected<JsonValue> value(const JsonValue& v, const ShapeRef& ref, std::string_view path) {
    const Shape& shape = model_.shape(ref);
    switch (shape.type) {
      case ShapeType::kStructure:
        if (shape.document) return v;
        return structure(v, shape, path, /*body_only=*/false);
      case ShapeType::kList: {
        if (!v.is_array()) return param_error(path, "expected a list");
        JsonValue::Array out;
        out.reserve(v.as_array().size());
        for (size_t i = 0; i < v.as_array().size(); ++i) {
          auto item = value(v.as_array()[i], shape.member, fmt::format("{}[{}]", path, i));
          if (!item) return item.error();
          out.push_back(std::move(*item));
        }
        return JsonValue(std::move(out));
      }
      case ShapeType::kMap: {
        if (!v.is_object()) return param_error(path, "expected a map (object)");
        JsonValue::Object out;
        for (const auto& [k, item] : v.as_object()) {
          auto x = value(item, shape.value, child_path(path, k));
          if (!x) return x.error();
          out.emplace_back(k, std::move(*x));
        }
        return JsonValue(std::move(out));
      }
      case ShapeType::kString:
        if (!v.is_string()) return param_error(path, "expected a string");
        return v;
      case ShapeType::kBoolean:
        if (!v.is_bool()) return param_error(path, "expected a boolean");
        return v;
      case ShapeType::kInteger:
      case ShapeType::kLong:
        if (v.is_int()) return v;
        if (v.is_double() && std::floor(v.as_double()) == v.as_double())
          return JsonValue(int64_t(v.as_double()));
        return param_error(path, "expected an integer");
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        // Non-finite values travel as the strings AWS expects ("NaN", "Infinity", "-Infinity").
        if (v.is_int() || is_special_float(v)) return v;
        if (v.is_double())
          return std::isfinite(v.as_double()) ? v : JsonValue(python_float_repr(v.as_double()));
        return param_error(path, "expected a number");
      case ShapeType::kTimestamp: {
        auto t = timestamp_from_json(v);
        if (!t) return param_error(path, "expected a timestamp (epoch seconds or ISO 8601)");
        switch (ref.traits.timestamp_format) {
          case TimestampFormat::kIso8601:
            return JsonValue(format_timestamp_iso8601(*t));
          case TimestampFormat::kRfc822:
            return JsonValue(format_timestamp_rfc822(*t));
          default:
            return JsonValue(t->seconds);
        }
      }
      case ShapeType::kBlob:
        if (!v.is_string()) return param_error(path, "expected a string of bytes");
        return JsonValue(base64_encode(v.as_string()));
    }
    return v;
  }

  // body_only: skip members bound to the URI, query string or headers (rest-json top level).
  Expected<JsonValue> structure(const JsonValue& v, const Shape& shape, std::string_view path,
                                bool body_only) {
    if (!v.is_object()) return param_error(path, "expected an object");
    JsonValue::Object out;
    for (const auto& [key, member_value] : v.as_object()) {
      const Member* m = shape.find_member(key);
      if (m == nullptr) return param_error(child_path(path, key), "unknown parameter");
      if (member_value.is_null()) continue;
      if (body_only && m->ref.traits.location != Location::kBody) continue;
      auto x = value(member_value, m->ref, child_path(path, key));
      if (!x) return x.error();
      out.emplace_back(m->json_name, std::move(*x));
    }
    return JsonValue(std::move(out));
  }

 private:
  const ServiceModel& model_;
};

// A scalar for a URI label, query string or header. `header` selects header conventions (RFC 822
// timestamps by default, booleans lower-case).
Expected<std::string> text_value(const JsonValue& v, const ShapeRef& ref, const Shape& shape,
                                 std::string_view path, bool header) {
  switch (shape.type) {
    case ShapeType::kString:
      if (!v.is_string()) return param_error(path, "expected a string");
      if (header && ref.traits.json_value) return base64_encode(v.as_string());
      return v.as_string();
    case ShapeType::kBoolean:
      if (!v.is_bool()) return param_error(path, "expected a boolean");
      return std::string(v.as_bool() ? "true" : "false");
    case ShapeType::kInteger:
    case ShapeType::kLong:
      if (v.is_int()) return fmt::format("{}", v.as_int());
      if (v.is_double() && std::floor(v.as_double()) == v.as_double())
        return fmt::format("{}", int64_t(v.as_double()));
      return param_error(path, "expected an integer");
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (v.is_int()) return fmt::format("{}", v.as_int());
      if (v.is_double()) return python_float_repr(v.as_double());
      if (is_special_float(v)) return v.as_string();
      return param_error(path, "expected a number");
    case ShapeType::kTimestamp: {
      auto t = timestamp_from_json(v);
      if (!t) return param_error(path, "expected a timestamp (epoch seconds or ISO 8601)");
      TimestampFormat f = ref.traits.timestamp_format;
      if (f == TimestampFormat::kDefault) f = header ? TimestampFormat::kRfc822 : TimestampFormat::kIso8601;
      if (f == TimestampFormat::kUnixTimestamp) return fmt::format("{}", t->seconds);
      if (f == TimestampFormat::kRfc822) return format_timestamp_rfc822(*t);
      return format_timestamp_iso8601(*t);
    }
    case ShapeType::kBlob:
      if (!v.is_string()) return param_error(path, "expected a string of bytes");
      return base64_encode(v.as_string());
    default:
      return param_error(path, "a structure, list or map cannot be bound here");
  }
}

// Header list values: comma-joined, strings containing '"' or ',' quoted.
Expected<std::string> header_list(const JsonValue& v, const Shape& list, const ServiceModel& model,
                                  std::string_view path) {
  if (!v.is_array()) return param_error(path, "expected a list");
  std::string out;
  const Shape& item_shape = model.shape(list.member);
  bool first = true;
  for (const JsonValue& item : v.as_array()) {
    if (item.is_null()) continue;
    std::string text;
    if (item_shape.type == ShapeType::kString && item.is_string()) {
      const std::string& s = item.as_string();
      if (s.find_first_of("\",") != std::string::npos) {
        text = "\"";
        for (char c : s) {
          if (c == '"') text += '\\';
          text += c;
        }
        text += '"';
      } else {
        text = s;
      }
    } else {
      auto t = text_value(item, list.member, item_shape, path, true);
      if (!t) return t.error();
      text = std::move(*t);
    }
    if (!first) out += ',';
    out += text;
    first = false;
  }
  return out;
}

// ---- parsing: JSON body → CLI JSON --------------------------------------------------------------

JsonValue from_dom(element e) {
  switch (e.type()) {
    case element_type::OBJECT: {
      JsonValue::Object o;
      for (auto field : simdjson::dom::object(e))
        o.emplace_back(std::string(field.key), from_dom(field.value));
      return JsonValue(std::move(o));
    }
    case element_type::ARRAY: {
      JsonValue::Array a;
      for (element item : simdjson::dom::array(e)) a.push_back(from_dom(item));
      return JsonValue(std::move(a));
    }
    case element_type::STRING:
      return JsonValue(std::string_view(e));
    case element_type::INT64:
      return JsonValue(int64_t(e));
    case element_type::UINT64: {
      uint64_t u = uint64_t(e);
      return u <= uint64_t(INT64_MAX) ? JsonValue(int64_t(u)) : JsonValue(double(u));
    }
    case element_type::DOUBLE:
      return JsonValue(double(e));
    case element_type::BOOL:
      return JsonValue(bool(e));
    case element_type::NULL_VALUE:
      return JsonValue();
  }
  return JsonValue();
}

class JsonReader {
 public:
  explicit JsonReader(const ServiceModel& model) : model_(model) {}

  // A JSON element for `ref`. Null elements give null.
  Expected<JsonValue> value(element e, const ShapeRef& ref, std::string_view path) {
    if (e.is_null()) return JsonValue();
    const Shape& shape = model_.shape(ref);
    switch (shape.type) {
      case ShapeType::kStructure: {
        if (shape.document) return from_dom(e);
        JsonValue::Object out;
        if (Status st = structure_into(e, shape, path, out, /*body_only=*/false); !st) return st.error();
        return JsonValue(std::move(out));
      }
      case ShapeType::kList: {
        simdjson::dom::array arr;
        if (e.get_array().get(arr) != simdjson::SUCCESS) return shape_error(path, "expected a list");
        JsonValue::Array out;
        for (element item : arr) {
          auto x = value(item, shape.member, path);
          if (!x) return x.error();
          out.push_back(std::move(*x));
        }
        return JsonValue(std::move(out));
      }
      case ShapeType::kMap: {
        simdjson::dom::object obj;
        if (e.get_object().get(obj) != simdjson::SUCCESS) return shape_error(path, "expected a map");
        JsonValue::Object out;
        for (auto field : obj) {
          auto x = value(field.value, shape.value, path);
          if (!x) return x.error();
          out.emplace_back(std::string(field.key), std::move(*x));
        }
        return JsonValue(std::move(out));
      }
      case ShapeType::kTimestamp: {
        std::optional<Timestamp> t;
        std::string_view s;
        if (e.get_string().get(s) == simdjson::SUCCESS) {
          t = parse_timestamp(s);
        } else if (e.is_number()) {
          t = timestamp_from_json(from_dom(e));
        }
        if (!t) return shape_error(path, "not a timestamp");
        return JsonValue(format_timestamp_cli(*t));
      }
      case ShapeType::kFloat:
      case ShapeType::kDouble: {
        std::string_view s;
        if (e.get_string().get(s) == simdjson::SUCCESS) return float_text(s, path);
        return from_dom(e);
      }
      // Integers, booleans and blobs (base64 text, as the CLI prints them) pass through.
      default:
        return from_dom(e);
    }
  }

  // Members of `shape` found in object `e`, appended (or replacing an existing key) to `out`.
  Status structure_into(element e, const Shape& shape, std::string_view path, JsonValue::Object& out,
                        bool body_only) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) return shape_error(path, "expected an object");
    if (shape.is_union) {
      // A union member this model does not know: the CLI prints {"SDK_UNKNOWN_MEMBER": {"name": tag}}.
      std::string_view tag;
      size_t set = 0;
      for (auto field : obj) {
        if (field.key == "__type" || field.value.is_null()) continue;
        ++set;
        tag = field.key;
      }
      if (set == 1) {
        bool known = false;
        for (const Member& m : shape.members) known = known || m.json_name == tag;
        if (!known) {
          JsonValue inner = JsonValue::object();
          inner.set("name", JsonValue(tag));
          out.emplace_back("SDK_UNKNOWN_MEMBER", std::move(inner));
          return {};
        }
      }
    }
    for (const Member& m : shape.members) {
      if (body_only && m.ref.traits.location != Location::kBody) continue;
      element raw;
      if (obj[m.json_name].get(raw) != simdjson::SUCCESS || raw.is_null()) continue;
      auto x = value(raw, m.ref, child_path(path, m.name));
      if (!x) return x.error();
      bool replaced = false;
      for (auto& [k, v] : out) {
        if (k == m.name) {
          v = std::move(*x);
          replaced = true;
          break;
        }
      }
      if (!replaced) out.emplace_back(m.name, std::move(*x));
    }
    return {};
  }

  // A header value (rest-json) for a member.
  Expected<JsonValue> header_value(std::string_view text, const ShapeRef& ref, std::string_view path) {
    const Shape& shape = model_.shape(ref);
    switch (shape.type) {
      case ShapeType::kString:
        if (ref.traits.json_value) {
          auto decoded = base64_decode(text);
          if (!decoded) return shape_error(path, "header is not base64");
          auto v = parse_json_text(*decoded);
          if (!v) return shape_error(path, "header is not base64-encoded JSON");
          return std::move(*v);
        }
        return JsonValue(text);
      case ShapeType::kBoolean: {
        std::string lower;
        for (char c : text) lower += char(std::tolower(static_cast<unsigned char>(c)));
        return JsonValue(lower == "true");
      }
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        std::string s(text);
        char* end = nullptr;
        errno = 0;
        long long v = std::strtoll(s.c_str(), &end, 10);
        if (s.empty() || *end != '\0' || errno == ERANGE)
          return shape_error(path, "header is not an integer");
        return JsonValue(int64_t(v));
      }
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        return float_text(text, path);
      case ShapeType::kTimestamp: {
        auto t = parse_timestamp(text);
        if (!t) return shape_error(path, "header is not a timestamp");
        return JsonValue(format_timestamp_cli(*t));
      }
      case ShapeType::kList: {
        JsonValue::Array out;
        size_t start = 0;
        while (start <= text.size()) {
          size_t comma = text.find(',', start);
          std::string_view part =
              text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
          while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
          while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
          auto x = header_value(part, shape.member, path);
          if (!x) return x.error();
          out.push_back(std::move(*x));
          if (comma == std::string_view::npos) break;
          start = comma + 1;
        }
        return JsonValue(std::move(out));
      }
      default:
        return JsonValue(text);
    }
  }

 private:
  static Expected<JsonValue> float_text(std::string_view s, std::string_view path) {
    if (s == "NaN" || s == "Infinity" || s == "-Infinity") return JsonValue(s);
    std::string t(s);
    char* end = nullptr;
    double d = std::strtod(t.c_str(), &end);
    if (t.empty() || *end != '\0') return shape_error(path, fmt::format("\"{}\" is not a number", t));
    return JsonValue(d);
  }

  const ServiceModel& model_;
};

std::string_view find_header(const HttpReply& reply, std::string_view name) {
  for (const auto& [k, v] : reply.headers) {
    if (k.size() != name.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < k.size() && eq; ++i) {
      eq =
          std::tolower(static_cast<unsigned char>(k[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (eq) return v;
  }
  return {};
}

bool has_header(const HttpReply& reply, std::string_view name) {
  for (const auto& [k, v] : reply.headers) {
    if (k.size() != name.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < k.size() && eq; ++i) {
      eq =
          std::tolower(static_cast<unsigned char>(k[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (eq) return true;
  }
  return false;
}

bool only_whitespace(std::string_view s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// rest-json: members bound to headers, header maps and the status code, in member order.
Status read_located_members(JsonReader& reader, const Shape& shape, const HttpReply& reply,
                            JsonValue::Object& out) {
  for (const Member& m : shape.members) {
    switch (m.ref.traits.location) {
      case Location::kStatusCode:
        out.emplace_back(m.name, JsonValue(int64_t(reply.status)));
        break;
      case Location::kHeader: {
        if (!has_header(reply, m.json_name)) break;
        auto v = reader.header_value(find_header(reply, m.json_name), m.ref, m.name);
        if (!v) return v.error();
        out.emplace_back(m.name, std::move(*v));
        break;
      }
      case Location::kHeaders: {
        std::string prefix;
        for (char c : m.ref.traits.location_name) prefix += char(std::tolower(static_cast<unsigned char>(c)));
        JsonValue::Object map;
        for (const auto& [k, v] : reply.headers) {
          std::string lower;
          for (char c : k) lower += char(std::tolower(static_cast<unsigned char>(c)));
          if (lower.starts_with(prefix)) map.emplace_back(k.substr(prefix.size()), JsonValue(v));
        }
        out.emplace_back(m.name, JsonValue(std::move(map)));
        break;
      }
      default:
        break;
    }
  }
  return {};
}

// The whole modeled parse of a rest-json or json reply into `out` (headers, then body).
Status read_reply(const ServiceModel& model, const Shape& shape, const HttpReply& reply,
                  JsonValue::Object& out, std::string_view operation) {
  JsonReader reader(model);
  bool rest = model.metadata.protocol == Protocol::kRestJson;
  if (rest) {
    if (Status st = read_located_members(reader, shape, reply, out); !st) return st;
    if (!shape.payload.empty()) {
      const Member* pm = shape.find_member(shape.payload);
      if (pm == nullptr) return shape_error(shape.payload, "payload member is not in the output shape");
      const Shape& ps = model.shape(pm->ref);
      if (ps.type == ShapeType::kString || ps.type == ShapeType::kBlob) {
        // A raw payload: the body as text (a blob payload is the bytes; the CLI writes those to a file).
        out.emplace_back(pm->name, JsonValue(reply.body));
        return {};
      }
      if (only_whitespace(reply.body)) return {};
    }
  }
  if (only_whitespace(reply.body)) return {};
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(reply.body.data(), reply.body.size()).get(root); err != simdjson::SUCCESS) {
    Error e;
    e.code = ErrorCode::kParse;
    e.message = fmt::format("{}: response is not valid JSON: {}", operation, simdjson::error_message(err));
    return e;
  }
  if (rest && !shape.payload.empty()) {
    const Member* pm = shape.find_member(shape.payload);
    auto v = reader.value(root, pm->ref, pm->name);
    if (!v) return v.error();
    out.emplace_back(pm->name, std::move(*v));
    return {};
  }
  if (!root.is_object()) return {};
  return reader.structure_into(root, shape, "", out, /*body_only=*/false);
}

// "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/..." → "FooError".
std::string clean_error_code(std::string_view code) {
  size_t colon = code.find(':');
  if (colon != std::string_view::npos) code = code.substr(0, colon);
  size_t hash = code.rfind('#');
  if (hash != std::string_view::npos) code = code.substr(hash + 1);
  return std::string(code);
}

}  // namespace

Expected<SerializedRequest> serialize_json(const ServiceModel& model, const Operation& operation,
                                           const JsonValue& params) {
  SerializedRequest req;
  req.method = operation.http_method.empty() ? "POST" : operation.http_method;
  req.path = "/";
  req.headers.emplace_back("X-Amz-Target",
                           fmt::format("{}.{}", model.metadata.target_prefix, operation.name));
  req.headers.emplace_back("Content-Type",
                           fmt::format("application/x-amz-json-{}", model.metadata.json_version));
  JsonValue body = JsonValue::object();
  if (operation.input.valid() && params.is_object()) {
    JsonBodyWriter writer(model);
    auto b = writer.structure(params, model.shape(operation.input), "", false);
    if (!b) return b.error();
    body = std::move(*b);
  }
  req.body = body.dump();
  Error host_error;
  if (auto prefix = expand_host_prefix(operation, model, params, host_error)) {
    req.host_prefix = std::move(*prefix);
  } else if (!host_error.message.empty()) {
    return host_error;
  }
  return req;
}

Expected<SerializedRequest> serialize_rest_json(const ServiceModel& model, const Operation& operation,
                                                const JsonValue& params) {
  SerializedRequest req;
  req.method = operation.http_method.empty() ? "POST" : operation.http_method;
  Error host_error;
  if (auto prefix = expand_host_prefix(operation, model, params, host_error)) {
    req.host_prefix = std::move(*prefix);
  } else if (!host_error.message.empty()) {
    return host_error;
  }
  std::vector<std::pair<std::string, std::string>> labels;  // label name → encoded value
  std::vector<std::pair<std::string, std::string>> query;   // name → raw value
  const Shape* input = operation.input.valid() ? &model.shape(operation.input) : nullptr;
  JsonValue body_params = JsonValue::object();
  if (input != nullptr && params.is_object()) {
    for (const auto& [key, v] : params.as_object()) {
      const Member* m = input->find_member(key);
      if (m == nullptr) return param_error(key, "unknown parameter");
      if (v.is_null()) continue;
      const Shape& ms = model.shape(m->ref);
      const std::string& wire = m->json_name;
      switch (m->ref.traits.location) {
        case Location::kUri: {
          auto t = text_value(v, m->ref, ms, key, false);
          if (!t) return t.error();
          labels.emplace_back(wire, std::move(*t));
          break;
        }
        case Location::kQueryString: {
          if (ms.type == ShapeType::kMap) {
            if (!v.is_object()) return param_error(key, "expected a map (object)");
            const Shape& vs = model.shape(ms.value);
            for (const auto& [qk, qv] : v.as_object()) {
              if (vs.type == ShapeType::kList && qv.is_array()) {
                for (const JsonValue& item : qv.as_array()) {
                  auto t = text_value(item, vs.member, model.shape(vs.member), key, false);
                  if (!t) return t.error();
                  query.emplace_back(qk, std::move(*t));
                }
              } else {
                auto t = text_value(qv, ms.value, vs, key, false);
                if (!t) return t.error();
                query.emplace_back(qk, std::move(*t));
              }
            }
          } else if (ms.type == ShapeType::kList) {
            if (!v.is_array()) return param_error(key, "expected a list");
            for (const JsonValue& item : v.as_array()) {
              auto t = text_value(item, ms.member, model.shape(ms.member), key, false);
              if (!t) return t.error();
              query.emplace_back(wire, std::move(*t));
            }
          } else {
            auto t = text_value(v, m->ref, ms, key, false);
            if (!t) return t.error();
            query.emplace_back(wire, std::move(*t));
          }
          break;
        }
        case Location::kHeader: {
          if (ms.type == ShapeType::kList) {
            if (v.is_array() && v.as_array().empty()) break;
            auto t = header_list(v, ms, model, key);
            if (!t) return t.error();
            req.headers.emplace_back(wire, std::move(*t));
          } else {
            auto t = text_value(v, m->ref, ms, key, true);
            if (!t) return t.error();
            req.headers.emplace_back(wire, std::move(*t));
          }
          break;
        }
        case Location::kHeaders: {
          if (!v.is_object()) return param_error(key, "expected a map (object)");
          for (const auto& [hk, hv] : v.as_object()) {
            if (!hv.is_string()) return param_error(key, "header map values must be strings");
            req.headers.emplace_back(wire + hk, hv.as_string());
          }
          break;
        }
        default:
          body_params.set(key, v);
          break;
      }
    }
  }

  // URI: {Label} percent-encoded; {Label+} (greedy) keeps '/'. A '?' in the template starts static
  // query parameters, which come before the serialized ones.
  std::string uri;
  const std::string& tpl = operation.request_uri.empty() ? std::string("/") : operation.request_uri;
  for (size_t i = 0; i < tpl.size();) {
    if (tpl[i] != '{') {
      uri += tpl[i++];
      continue;
    }
    size_t close = tpl.find('}', i);
    if (close == std::string::npos) return param_error("", fmt::format("bad requestUri template {}", tpl));
    std::string_view label(tpl.data() + i + 1, close - i - 1);
    bool greedy = label.ends_with('+');
    if (greedy) label.remove_suffix(1);
    const std::string* value = nullptr;
    for (const auto& [k, v] : labels) {
      if (k == label) value = &v;
    }
    if (value == nullptr) {
      std::string_view member_name = label;
      if (input != nullptr) {
        for (const Member& m : input->members) {
          if (m.json_name == label && m.ref.traits.location == Location::kUri) member_name = m.name;
        }
      }
      return param_error(member_name, "required URI label is missing");
    }
    uri += uri_encode(*value, greedy);
    i = close + 1;
  }
  size_t qmark = uri.find('?');
  if (qmark != std::string::npos) {
    req.path = uri.substr(0, qmark);
    req.query = uri.substr(qmark + 1);
  } else {
    req.path = uri;
  }
  for (const auto& [k, v] : query) {
    if (!req.query.empty()) req.query += '&';
    req.query += uri_encode(k, false);
    req.query += '=';
    req.query += uri_encode(v, false);
  }

  // Body: the payload member, else the body members as a JSON object, else "{}" when the input has
  // body members at all.
  if (input != nullptr) {
    JsonBodyWriter writer(model);
    bool streaming = false;
    if (!input->payload.empty()) {
      const Member* pm = input->find_member(input->payload);
      if (pm == nullptr) return param_error(input->payload, "payload member is not in the input shape");
      const Shape& ps = model.shape(pm->ref);
      const JsonValue* pv = params.is_object() ? params.get(pm->name) : nullptr;
      if (ps.type == ShapeType::kBlob || ps.type == ShapeType::kString) {
        streaming = true;
        if (pv != nullptr && pv->is_string()) req.body = pv->as_string();
      } else if (pv != nullptr && !pv->is_null()) {
        auto b = writer.value(*pv, pm->ref, pm->name);
        if (!b) return b.error();
        req.body = b->dump();
      } else {
        req.body = "{}";
      }
    } else if (!body_params.as_object().empty()) {
      auto b = writer.structure(body_params, *input, "", true);
      if (!b) return b.error();
      req.body = b->dump();
    } else {
      for (const Member& m : input->members) {
        if (m.ref.traits.location == Location::kBody) {
          req.body = "{}";
          break;
        }
      }
    }
    if (!streaming && !req.body.empty() && req.header("Content-Type") == nullptr) {
      req.headers.emplace_back("Content-Type", "application/json");
    }
  }
  return req;
}

Expected<JsonValue> parse_json_response(const ServiceModel& model, const Operation& operation,
                                        const HttpReply& reply) {
  if (!operation.output.valid()) return JsonValue::object();
  JsonValue::Object out;
  if (Status st = read_reply(model, model.shape(operation.output), reply, out, operation.name); !st) {
    return st.error();
  }
  return JsonValue(std::move(out));
}

ServiceError parse_json_error(const ServiceModel& model, const HttpReply& reply) {
  ServiceError err;
  err.http_status = reply.status;
  err.request_id = std::string(find_header(reply, "x-amzn-requestid"));
  if (is_generic_error_body(reply.status, reply.body)) {
    err.code = fmt::format("{}", reply.status);
    err.message = reason_phrase(reply.status);
    return err;
  }
  JsonValue body = JsonValue::object();
  if (!only_whitespace(reply.body)) {
    auto parsed = parse_json_text(reply.body);
    if (parsed && parsed->is_object()) {
      body = std::move(*parsed);
    } else {
      body.set("message", JsonValue(reply.body));
    }
  }
  auto text = [&](std::string_view key) -> std::string {
    const JsonValue* v = body.get(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
  };
  err.message = body.get("message") != nullptr ? text("message") : text("Message");
  std::string code;
  bool rest = model.metadata.protocol == Protocol::kRestJson;
  std::string header_type(find_header(reply, "x-amzn-errortype"));
  // json: __type first; rest-json: the X-Amzn-ErrorType header, then "code", then __type. When
  // neither says, the HTTP status stands in for the code (as botocore does).
  if (rest) {
    if (has_header(reply, "x-amzn-errortype"))
      code = header_type;
    else if (body.get("code") != nullptr)
      code = text("code");
    else if (body.get("Code") != nullptr)
      code = text("Code");
    else if (body.get("__type") != nullptr)
      code = text("__type");
  } else {
    if (body.get("__type") != nullptr)
      code = text("__type");
    else if (has_header(reply, "x-amzn-errortype"))
      code = header_type;
    else if (body.get("code") != nullptr)
      code = text("code");
  }
  err.code = code.empty() ? fmt::format("{}", reply.status) : clean_error_code(code);
  if (const Shape* shape = model.find_error_shape(err.code)) {
    JsonValue::Object fields;
    if (read_reply(model, *shape, reply, fields, err.code)) err.fields = JsonValue(std::move(fields));
  }
  return err;
}

}  // namespace fortress::aws::detail
