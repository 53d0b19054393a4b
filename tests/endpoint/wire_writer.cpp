#include "endpoint/wire_writer.h"

#include <fmt/format.h>

#include "aws/protocol.h"
#include "aws/sigv4.h"

namespace fortress::endpoint {

namespace {

using aws::Member;
using aws::Protocol;
using aws::Shape;
using aws::ShapeRef;
using aws::ShapeType;

void append_xml_text(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#13;"; break;
      default: out.push_back(c);
    }
  }
}

// A scalar as the service writes it in XML or as a JSON string: numbers and booleans as their text.
std::string scalar_text(const JsonValue& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_int()) return fmt::format("{}", v.as_int());
  if (v.is_double()) return aws::python_float_repr(v.as_double());
  return v.dump();
}

// IAM policy documents are printed decoded by the CLI and sent URL-encoded by IAM.
bool is_policy_document(const Shape& shape) { return shape.name == "policyDocumentType"; }

class XmlWriter {
 public:
  XmlWriter(const aws::ServiceModel& model, std::string& out) : model_(model), out_(out) {}

  void members(const Shape& shape, const JsonValue& value) {
    if (!value.is_object()) return;
    for (const Member& m : shape.members) {
      const JsonValue* v = value.get(m.name);
      if (v == nullptr || v->is_null()) continue;
      const Shape& target = model_.shape(m.ref);
      if (m.ref.traits.flattened && target.type == ShapeType::kList && v->is_array()) {
        for (const JsonValue& item : v->as_array()) element(m.xml_name, target.member, item);
      } else if (m.ref.traits.flattened && target.type == ShapeType::kMap && v->is_object()) {
        for (const auto& [key, item] : v->as_object()) map_entry(m.xml_name, target, key, item);
      } else {
        element(m.xml_name, m.ref, *v);
      }
    }
  }

 private:
  void element(std::string_view name, const ShapeRef& ref, const JsonValue& v) {
    const Shape& shape = model_.shape(ref);
    out_ += '<';
    out_ += name;
    out_ += '>';
    switch (shape.type) {
      case ShapeType::kStructure:
        members(shape, v);
        break;
      case ShapeType::kList: {
        const std::string item_name =
            shape.member.traits.location_name.empty() ? std::string("member") : shape.member.traits.location_name;
        if (v.is_array()) {
          for (const JsonValue& item : v.as_array()) element(item_name, shape.member, item);
        }
        break;
      }
      case ShapeType::kMap:
        if (v.is_object()) {
          for (const auto& [key, item] : v.as_object()) map_entry("entry", shape, key, item);
        }
        break;
      case ShapeType::kTimestamp: {
        auto t = aws::timestamp_from_json(v);
        append_xml_text(out_, t ? aws::format_timestamp_iso8601(*t) : scalar_text(v));
        break;
      }
      default:
        if (is_policy_document(shape) && !v.is_string()) {
          append_xml_text(out_, aws::uri_encode(v.dump(), false));
        } else {
          append_xml_text(out_, scalar_text(v));
        }
    }
    out_ += "</";
    out_ += name;
    out_ += '>';
  }

  void map_entry(std::string_view name, const Shape& map, std::string_view key, const JsonValue& item) {
    const std::string key_name = map.key.traits.location_name.empty() ? "key" : map.key.traits.location_name;
    const std::string value_name =
        map.value.traits.location_name.empty() ? "value" : map.value.traits.location_name;
    out_ += '<';
    out_ += name;
    out_ += '>';
    element(key_name, map.key, JsonValue(key));
    element(value_name, map.value, item);
    out_ += "</";
    out_ += name;
    out_ += '>';
  }

  const aws::ServiceModel& model_;
  std::string& out_;
};

JsonValue json_value(const aws::ServiceModel& model, const ShapeRef& ref, const JsonValue& v);

JsonValue json_structure(const aws::ServiceModel& model, const Shape& shape, const JsonValue& v, bool body_only) {
  JsonValue out = JsonValue::object();
  if (!v.is_object()) return out;
  for (const Member& m : shape.members) {
    if (body_only && m.ref.traits.location != aws::Location::kBody) continue;
    const JsonValue* item = v.get(m.name);
    if (item == nullptr || item->is_null()) continue;
    out.set(m.json_name, json_value(model, m.ref, *item));
  }
  return out;
}

JsonValue json_value(const aws::ServiceModel& model, const ShapeRef& ref, const JsonValue& v) {
  const Shape& shape = model.shape(ref);
  switch (shape.type) {
    case ShapeType::kStructure:
      return shape.document ? v : json_structure(model, shape, v, false);
    case ShapeType::kList: {
      JsonValue out = JsonValue::array();
      if (v.is_array()) {
        for (const JsonValue& item : v.as_array()) out.push(json_value(model, shape.member, item));
      }
      return out;
    }
    case ShapeType::kMap: {
      JsonValue out = JsonValue::object();
      if (v.is_object()) {
        for (const auto& [key, item] : v.as_object()) out.set(key, json_value(model, shape.value, item));
      }
      return out;
    }
    case ShapeType::kTimestamp: {
      auto t = aws::timestamp_from_json(v);
      if (!t) return v;
      const auto format = ref.traits.timestamp_format != aws::TimestampFormat::kDefault
                              ? ref.traits.timestamp_format
                              : shape.traits.timestamp_format;
      if (format == aws::TimestampFormat::kIso8601) return JsonValue(aws::format_timestamp_iso8601(*t));
      if (format == aws::TimestampFormat::kRfc822) return JsonValue(aws::format_timestamp_rfc822(*t));
      if (t->micros == 0) return JsonValue(t->seconds);
      return JsonValue(double(t->seconds) + double(t->micros) / 1e6);
    }
    default:
      return v;
  }
}

std::string xml_namespace(const aws::ServiceModel& model) {
  if (model.metadata.protocol == Protocol::kEc2) {
    return fmt::format("http://ec2.amazonaws.com/doc/{}/", model.metadata.api_version);
  }
  return fmt::format("https://{}.amazonaws.com/doc/{}/", model.metadata.endpoint_prefix, model.metadata.api_version);
}

}  // namespace

WireReply write_output(const aws::ServiceModel& model, const aws::Operation& operation, const JsonValue& output,
                       std::string_view request_id) {
  WireReply reply;
  const bool has_output = operation.output.valid();
  switch (model.metadata.protocol) {
    case Protocol::kEc2:
    case Protocol::kQuery: {
      reply.content_type = "text/xml";
      std::string& out = reply.body;
      out = fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>)"
                        "\n<{}Response xmlns=\"{}\">",
                        operation.name, xml_namespace(model));
      XmlWriter writer(model, out);
      if (model.metadata.protocol == Protocol::kEc2) {
        out += fmt::format("<requestId>{}</requestId>", request_id);
        if (has_output) writer.members(model.shape(operation.output), output);
      } else {
        if (has_output) {
          const std::string wrapper =
              operation.result_wrapper.empty() ? operation.name + "Result" : operation.result_wrapper;
          out += '<' + wrapper + '>';
          writer.members(model.shape(operation.output), output);
          out += "</" + wrapper + '>';
        }
        out += fmt::format("<ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata>", request_id);
      }
      out += fmt::format("</{}Response>", operation.name);
      break;
    }
    case Protocol::kJson:
    case Protocol::kRestJson: {
      const bool rest = model.metadata.protocol == Protocol::kRestJson;
      reply.content_type = rest ? "application/json"
                                : fmt::format("application/x-amz-json-{}", model.metadata.json_version);
      reply.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
      if (!has_output) {
        reply.body = "{}";
        break;
      }
      const Shape& shape = model.shape(operation.output);
      if (rest && !shape.payload.empty()) {
        const Member* payload = shape.find_member(shape.payload);
        const JsonValue* v = output.get(shape.payload);
        reply.body = (payload != nullptr && v != nullptr) ? json_value(model, payload->ref, *v).dump() : "{}";
      } else {
        reply.body = json_structure(model, shape, output, rest).dump();
      }
      break;
    }
    default:
      reply.status = 500;
      reply.content_type = "text/plain";
      reply.body = "protocol not served by the test endpoint";
  }
  return reply;
}

WireReply write_error(const aws::ServiceModel& model, int status, std::string_view code, std::string_view message,
                      std::string_view request_id) {
  WireReply reply;
  reply.status = status;
  std::string escaped_message;
  append_xml_text(escaped_message, message);
  switch (model.metadata.protocol) {
    case Protocol::kEc2:
      reply.content_type = "text/xml";
      reply.body = fmt::format(
          R"(<?xml version="1.0" encoding="UTF-8"?>)"
          "\n<Response><Errors><Error><Code>{}</Code><Message>{}</Message></Error></Errors>"
          "<RequestID>{}</RequestID></Response>",
          code, escaped_message, request_id);
      break;
    case Protocol::kQuery:
      reply.content_type = "text/xml";
      reply.body = fmt::format(
          "<ErrorResponse xmlns=\"{}\"><Error><Type>{}</Type><Code>{}</Code><Message>{}</Message></Error>"
          "<RequestId>{}</RequestId></ErrorResponse>",
          xml_namespace(model), status >= 500 ? "Receiver" : "Sender", code, escaped_message, request_id);
      break;
    default: {
      const bool rest = model.metadata.protocol == Protocol::kRestJson;
      reply.content_type = rest ? "application/json"
                                : fmt::format("application/x-amz-json-{}", model.metadata.json_version);
      reply.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
      JsonValue body = JsonValue::object();
      if (rest) {
        reply.headers.emplace_back("x-amzn-ErrorType", std::string(code));
      } else {
        body.set("__type", std::string(code));
      }
      body.set("message", std::string(message));
      reply.body = body.dump();
    }
  }
  return reply;
}

}  // namespace fortress::endpoint
