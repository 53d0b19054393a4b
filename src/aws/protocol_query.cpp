#include "aws/protocol_query.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "aws/protocol_detail.h"
#include "aws/sigv4.h"

namespace fortress::aws::detail {

namespace {

// ---- serialization ----------------------------------------------------------------------------------

class FormWriter {
 public:
  FormWriter(const ServiceModel& model, bool ec2) : model_(model), ec2_(ec2) {}

  void add(std::string_view key, std::string_view value) {
    if (!body_.empty()) body_.push_back('&');
    body_ += uri_encode(key, false);
    body_.push_back('=');
    body_ += uri_encode(value, false);
  }

  std::string take() { return std::move(body_); }

  // The name a member (or list element / map key / value) has on the wire; `fallback` when the
  // traits name none.
  std::string wire_name(const Traits& t, std::string_view fallback) const {
    if (ec2_) {
      if (!t.query_name.empty()) return t.query_name;
      if (!t.location_name.empty()) {
        std::string n = t.location_name;
        n[0] = char(std::toupper(static_cast<unsigned char>(n[0])));
        return n;
      }
      return std::string(fallback);
    }
    return t.location_name.empty() ? std::string(fallback) : t.location_name;
  }

  // `prefix` is the wire name so far; `path` the member-name path ("Filters[0].Name") for errors.
  Status value(const JsonValue& v, const ShapeRef& ref, const std::string& prefix, const std::string& path) {
    const Shape& shape = model_.shape(ref);
    switch (shape.type) {
      case ShapeType::kStructure:
        return structure(v, shape, prefix, path);
      case ShapeType::kList:
        return list(v, shape, ref, prefix, path);
      case ShapeType::kMap:
        return map(v, shape, ref, prefix, path);
      case ShapeType::kString:
        if (!v.is_string()) return param_error(path, "expected a string");
        add(prefix, v.as_string());
        return {};
      case ShapeType::kBoolean:
        if (!v.is_bool()) return param_error(path, "expected a boolean");
        add(prefix, v.as_bool() ? "true" : "false");
        return {};
      case ShapeType::kInteger:
      case ShapeType::kLong:
        if (v.is_int()) {
          add(prefix, fmt::format("{}", v.as_int()));
        } else if (v.is_double() && std::floor(v.as_double()) == v.as_double()) {
          add(prefix, fmt::format("{}", int64_t(v.as_double())));
        } else {
          return param_error(path, "expected an integer");
        }
        return {};
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        if (v.is_int()) {
          add(prefix, fmt::format("{}", v.as_int()));
        } else if (v.is_double()) {
          add(prefix, python_float_repr(v.as_double()));
        } else if (v.is_string() &&
                   (v.as_string() == "NaN" || v.as_string() == "Infinity" || v.as_string() == "-Infinity")) {
          add(prefix, v.as_string());
        } else {
          return param_error(path, "expected a number");
        }
        return {};
      case ShapeType::kTimestamp: {
        auto t = timestamp_from_json(v);
        if (!t) return param_error(path, "expected a timestamp (epoch seconds or ISO 8601)");
        switch (ref.traits.timestamp_format) {
          case TimestampFormat::kUnixTimestamp:
            add(prefix, fmt::format("{}", t->seconds));
            break;
          case TimestampFormat::kRfc822:
            add(prefix, format_timestamp_rfc822(*t));
            break;
          default:
            add(prefix, format_timestamp_iso8601(*t));
            break;
        }
        return {};
      }
      case ShapeType::kBlob:
        if (!v.is_string()) return param_error(path, "expected a string of bytes");
        add(prefix, base64_encode(v.as_string()));
        return {};
    }
    return {};
  }

  Status structure(const JsonValue& v, const Shape& shape, const std::string& prefix,
                   const std::string& path) {
    if (shape.document) return param_error(path, "document types are not supported by the query protocol");
    if (!v.is_object()) return param_error(path, "expected an object");
    for (const auto& [key, member_value] : v.as_object()) {
      std::string member_path = path.empty() ? key : path + "." + key;
      const Member* m = shape.find_member(key);
      if (m == nullptr) return param_error(member_path, "unknown parameter");
      if (member_value.is_null()) continue;
      std::string name = wire_name(m->ref.traits, m->name);
      if (Status st = value(member_value, m->ref, prefix.empty() ? name : prefix + "." + name, member_path);
          !st) {
        return st;
      }
    }
    return {};
  }

  Status list(const JsonValue& v, const Shape& shape, const ShapeRef& ref, const std::string& prefix,
              const std::string& path) {
    if (!v.is_array()) return param_error(path, "expected a list");
    const JsonValue::Array& items = v.as_array();
    std::string list_prefix;
    if (ec2_) {
      // EC2 lists are always flattened: Name.1, Name.2, ...
      list_prefix = prefix;
    } else {
      if (items.empty()) {
        add(prefix, "");  // an empty query list is sent as "Name="
        return {};
      }
      if (ref.traits.flattened) {
        list_prefix = prefix;
        if (!shape.member.traits.location_name.empty()) {
          size_t dot = prefix.rfind('.');
          std::string name = wire_name(shape.member.traits, "");
          list_prefix = dot == std::string::npos ? name : prefix.substr(0, dot + 1) + name;
        }
      } else {
        list_prefix = prefix + "." + wire_name(shape.member.traits, "member");
      }
    }
    for (size_t i = 0; i < items.size(); ++i) {
      if (Status st = value(items[i], shape.member, fmt::format("{}.{}", list_prefix, i + 1),
                            fmt::format("{}[{}]", path, i));
          !st) {
        return st;
      }
    }
    return {};
  }

  Status map(const JsonValue& v, const Shape& shape, const ShapeRef& ref, const std::string& prefix,
             const std::string& path) {
    if (!v.is_object()) return param_error(path, "expected a map (object)");
    std::string full_prefix = ref.traits.flattened ? prefix : prefix + ".entry";
    std::string key_suffix = wire_name(shape.key.traits, "key");
    std::string value_suffix = wire_name(shape.value.traits, "value");
    size_t i = 0;
    for (const auto& [key, item] : v.as_object()) {
      ++i;
      std::string item_path = fmt::format("{}.{}", path, key);
      if (Status st = value(JsonValue(key), shape.key, fmt::format("{}.{}.{}", full_prefix, i, key_suffix),
                            item_path);
          !st) {
        return st;
      }
      if (Status st =
              value(item, shape.value, fmt::format("{}.{}.{}", full_prefix, i, value_suffix), item_path);
          !st) {
        return st;
      }
    }
    return {};
  }

 private:
  const ServiceModel& model_;
  bool ec2_;
  std::string body_;
};

// ---- XML parsing ------------------------------------------------------------------------------------

// Where a response value sits ("Reservations.Instances.LaunchTime"), built only for error messages:
// a chain of stack frames, so parsing allocates nothing for it.
struct ResponsePath {
  const ResponsePath* parent = nullptr;
  std::string_view name;
};

std::string path_string(const ResponsePath* p) {
  std::vector<std::string_view> parts;
  for (; p != nullptr; p = p->parent) parts.push_back(p->name);
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out += '.';
    out += *it;
  }
  return out;
}

// The element name without a namespace prefix ("ns:Foo" → "Foo").
std::string_view local_name(const pugi::xml_node& n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

class XmlReader {
 public:
  explicit XmlReader(const ServiceModel& model) : model_(model) {}

  Expected<JsonValue> value(const pugi::xml_node& node, const ShapeRef& ref, const ResponsePath* path) {
    const Shape& shape = model_.shape(ref);
    switch (shape.type) {
      case ShapeType::kStructure:
        return structure(node, shape, path);
      case ShapeType::kList: {
        // Non-flattened: every child element is an item (<member>, <item>, or a custom name).
        JsonValue::Array items;
        size_t count = 0;
        for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
          count += child.type() == pugi::node_element;
        }
        items.reserve(count);
        for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
          if (child.type() != pugi::node_element) continue;
          auto item = value(child, shape.member, path);
          if (!item) return item.error();
          items.push_back(std::move(*item));
        }
        return JsonValue(std::move(items));
      }
      case ShapeType::kMap: {
        JsonValue::Object entries;
        for (pugi::xml_node entry = node.first_child(); entry; entry = entry.next_sibling()) {
          if (entry.type() != pugi::node_element) continue;
          if (Status st = map_entry(entry, shape, path, entries); !st) return st.error();
        }
        return JsonValue(std::move(entries));
      }
      default:
        return scalar(node.child_value(), shape, path);
    }
  }

  Expected<JsonValue> scalar(std::string_view text, const Shape& shape, const ResponsePath* path) {
    switch (shape.type) {
      case ShapeType::kBoolean:
        return JsonValue(text == "true");
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        std::string s(trim(text));
        char* end = nullptr;
        errno = 0;
        long long v = std::strtoll(s.c_str(), &end, 10);
        if (s.empty() || *end != '\0' || errno == ERANGE) {
          return shape_error(path_string(path), fmt::format("\"{}\" is not an integer", s));
        }
        return JsonValue(int64_t(v));
      }
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        return float_value(trim(text), path);
      case ShapeType::kTimestamp: {
        auto t = parse_timestamp(text);
        if (!t) return shape_error(path_string(path), fmt::format("\"{}\" is not a timestamp", text));
        return JsonValue(format_timestamp_cli(*t));
      }
      // Blobs stay the base64 text the service sent, as the AWS CLI prints them.
      default:
        return JsonValue(text);
    }
  }

  Expected<JsonValue> structure(const pugi::xml_node& node, const Shape& shape, const ResponsePath* path) {
    const size_t n = shape.members.size();
    // First child element for each member (in a scratch area shared by the recursion, so a page of
    // thousands of records allocates nothing here); flattened members collect all of theirs later.
    const size_t base = scratch_.size();
    scratch_.resize(base + n);
    struct Release {
      std::vector<pugi::xml_node>& v;
      size_t base;
      ~Release() { v.resize(base); }
    } release{scratch_, base};
    size_t present = 0;
    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      auto it = shape.xml_member_index.find(local_name(child));
      if (it == shape.xml_member_index.end()) continue;
      if (!scratch_[base + it->second]) {
        scratch_[base + it->second] = child;
        ++present;
      }
    }
    JsonValue::Object out;
    out.reserve(present);
    for (size_t k = 0; k < n; ++k) {
      const Member& m = shape.members[k];
      if (m.ref.traits.location != Location::kBody) continue;
      const Shape& target = model_.shape(m.ref);
      ResponsePath member_path{path, m.name};
      if (node_at(base + k)) {
        if (m.ref.traits.flattened && (target.type == ShapeType::kList || target.type == ShapeType::kMap)) {
          auto v = flattened(node, m, target, &member_path);
          if (!v) return v.error();
          out.emplace_back(m.name, std::move(*v));
        } else {
          auto v = value(node_at(base + k), m.ref, &member_path);
          if (!v) return v.error();
          out.emplace_back(m.name, std::move(*v));
        }
      } else if (m.ref.traits.xml_attribute) {
        std::string_view want = m.json_name;
        for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
          if (want == a.name()) {
            auto v = scalar(a.value(), target, &member_path);
            if (!v) return v.error();
            out.emplace_back(m.name, std::move(*v));
            break;
          }
        }
      }
    }
    return JsonValue(std::move(out));
  }

 private:
  static std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  }

  static Expected<JsonValue> float_value(std::string_view text, const ResponsePath* path) {
    if (text == "NaN" || text == "nan") return JsonValue("NaN");
    if (text == "Infinity" || text == "inf") return JsonValue("Infinity");
    if (text == "-Infinity" || text == "-inf") return JsonValue("-Infinity");
    std::string s(text);
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0')
      return shape_error(path_string(path), fmt::format("\"{}\" is not a number", s));
    return JsonValue(d);
  }

  Expected<JsonValue> flattened(const pugi::xml_node& parent, const Member& m, const Shape& target,
                                const ResponsePath* path) {
    if (target.type == ShapeType::kList) {
      JsonValue::Array items;
      for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
        if (child.type() != pugi::node_element || local_name(child) != m.xml_name) continue;
        auto item = value(child, target.member, path);
        if (!item) return item.error();
        items.push_back(std::move(*item));
      }
      return JsonValue(std::move(items));
    }
    JsonValue::Object entries;
    for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element || local_name(child) != m.xml_name) continue;
      if (Status st = map_entry(child, target, path, entries); !st) return st.error();
    }
    return JsonValue(std::move(entries));
  }

  // One <entry><key/><value/></entry> (names from the key/value locationName).
  Status map_entry(const pugi::xml_node& entry, const Shape& map, const ResponsePath* path,
                   JsonValue::Object& out) {
    std::string_view key_name = "key";
    std::string_view value_name = "value";
    if (!map.key.traits.location_name.empty()) key_name = map.key.traits.location_name;
    if (!map.value.traits.location_name.empty()) value_name = map.value.traits.location_name;
    std::string key;
    JsonValue val;
    for (pugi::xml_node part = entry.first_child(); part; part = part.next_sibling()) {
      if (part.type() != pugi::node_element) continue;
      std::string_view tag = local_name(part);
      if (tag == key_name) {
        key = part.child_value();
      } else if (tag == value_name) {
        auto v = value(part, map.value, path);
        if (!v) return v.error();
        val = std::move(*v);
      }
    }
    for (auto& [k, v] : out) {
      if (k == key) {
        v = std::move(val);
        return {};
      }
    }
    out.emplace_back(std::move(key), std::move(val));
    return {};
  }

  pugi::xml_node node_at(size_t i) const { return scratch_[i]; }

  const ServiceModel& model_;
  std::vector<pugi::xml_node> scratch_;
};

pugi::xml_node child_named(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

}  // namespace

Expected<SerializedRequest> serialize_query(const ServiceModel& model, const Operation& operation,
                                            const JsonValue& params) {
  SerializedRequest req;
  req.method = operation.http_method.empty() ? "POST" : operation.http_method;
  req.path = "/";
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  FormWriter form(model, model.metadata.protocol == Protocol::kEc2);
  form.add("Action", operation.name);
  form.add("Version", model.metadata.api_version);
  if (operation.input.valid() && params.is_object()) {
    if (Status st = form.structure(params, model.shape(operation.input), "", ""); !st) return st.error();
  } else if (!operation.input.valid() && params.is_object() && !params.as_object().empty()) {
    return param_error(params.as_object().front().first, "the operation takes no input");
  }
  req.body = form.take();
  Error host_error;
  if (auto prefix = expand_host_prefix(operation, model, params, host_error)) {
    req.host_prefix = std::move(*prefix);
  } else if (!host_error.message.empty()) {
    return host_error;
  }
  return req;
}

Expected<JsonValue> parse_xml_response(const ServiceModel& model, const Operation& operation,
                                       const HttpReply& reply) {
  if (!operation.output.valid()) return JsonValue::object();
  pugi::xml_document doc;
  pugi::xml_parse_result ok = doc.load_buffer(reply.body.data(), reply.body.size());
  if (!ok) {
    Error e;
    e.code = ErrorCode::kParse;
    e.offset = uint64_t(ok.offset);
    e.message = fmt::format("{}: response is not well-formed XML: {}", operation.name, ok.description());
    return e;
  }
  pugi::xml_node start = doc.document_element();
  if (model.metadata.protocol == Protocol::kQuery && !operation.result_wrapper.empty()) {
    start = child_named(start, operation.result_wrapper);
    if (!start) return JsonValue::object();  // no <OperationResult>: nothing was returned
  }
  XmlReader reader(model);
  return reader.structure(start, model.shape(operation.output), nullptr);
}

ServiceError parse_xml_error(const ServiceModel& model, const HttpReply& reply) {
  ServiceError err;
  err.http_status = reply.status;
  auto generic = [&] {
    err.code = fmt::format("{}", reply.status);
    err.message = reason_phrase(reply.status);
    return err;
  };
  if (is_generic_error_body(reply.status, reply.body)) return generic();
  pugi::xml_document doc;
  if (!doc.load_buffer(reply.body.data(), reply.body.size())) return generic();
  pugi::xml_node root = doc.document_element();
  // ec2: <Response><Errors><Error>; query: <ErrorResponse><Error>; some services: a bare <Error>.
  pugi::xml_node error_node;
  if (local_name(root) == "Error") {
    error_node = root;
  } else if (pugi::xml_node errors = child_named(root, "Errors")) {
    error_node = child_named(errors, "Error");
  } else {
    error_node = child_named(root, "Error");
  }
  if (!error_node) return generic();
  err.code = child_named(error_node, "Code").child_value();
  err.message = child_named(error_node, "Message").child_value();
  pugi::xml_node rid = child_named(root, "RequestId");
  if (!rid) rid = child_named(root, "RequestID");
  err.request_id = rid.child_value();
  if (const Shape* shape = model.find_error_shape(err.code)) {
    XmlReader reader(model);
    if (auto fields = reader.structure(error_node, *shape, nullptr); fields) err.fields = std::move(*fields);
  }
  return err;
}

}  // namespace fortress::aws::detail
