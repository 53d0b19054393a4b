#include "aws/shape_model.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

namespace fortress::aws {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

Error schema_error(std::string_view origin, std::string message) {
  Error e;
  e.code = ErrorCode::kSchema;
  e.file = std::string(origin);
  e.message = std::move(message);
  return e;
}

std::string_view str_or(const object& obj, std::string_view key, std::string_view fallback = {}) {
  std::string_view v;
  if (obj[key].get_string().get(v) != simdjson::SUCCESS) return fallback;
  return v;
}

bool bool_or(const object& obj, std::string_view key, bool fallback = false) {
  bool v = false;
  if (obj[key].get_bool().get(v) != simdjson::SUCCESS) return fallback;
  return v;
}

bool type_from_name(std::string_view t, ShapeType& out) {
  static const std::pair<std::string_view, ShapeType> kTypes[] = {
      {"structure", ShapeType::kStructure},
      {"list", ShapeType::kList},
      {"map", ShapeType::kMap},
      {"string", ShapeType::kString},
      {"integer", ShapeType::kInteger},
      {"byte", ShapeType::kInteger},
      {"short", ShapeType::kInteger},
      {"long", ShapeType::kLong},
      {"bigInteger", ShapeType::kLong},
      {"boolean", ShapeType::kBoolean},
      {"float", ShapeType::kFloat},
      {"double", ShapeType::kDouble},
      {"bigDecimal", ShapeType::kDouble},
      {"timestamp", ShapeType::kTimestamp},
      {"blob", ShapeType::kBlob},
      {"character", ShapeType::kString},
  };
  for (const auto& [name, type] : kTypes) {
    if (name == t) {
      out = type;
      return true;
    }
  }
  return false;
}

// Lays the serialization traits present in `obj` over `t` (botocore's SERIALIZED_ATTRS).
void read_traits(const object& obj, Traits& t) {
  std::string_view v;
  if (obj["locationName"].get_string().get(v) == simdjson::SUCCESS) t.location_name = std::string(v);
  if (obj["queryName"].get_string().get(v) == simdjson::SUCCESS) t.query_name = std::string(v);
  if (obj["location"].get_string().get(v) == simdjson::SUCCESS) {
    if (v == "uri")
      t.location = Location::kUri;
    else if (v == "querystring")
      t.location = Location::kQueryString;
    else if (v == "header")
      t.location = Location::kHeader;
    else if (v == "headers")
      t.location = Location::kHeaders;
    else if (v == "statusCode")
      t.location = Location::kStatusCode;
  }
  if (obj["timestampFormat"].get_string().get(v) == simdjson::SUCCESS) {
    if (v == "iso8601")
      t.timestamp_format = TimestampFormat::kIso8601;
    else if (v == "unixTimestamp")
      t.timestamp_format = TimestampFormat::kUnixTimestamp;
    else if (v == "rfc822")
      t.timestamp_format = TimestampFormat::kRfc822;
  }
  bool b = false;
  if (obj["flattened"].get_bool().get(b) == simdjson::SUCCESS) t.flattened = b;
  if (obj["xmlAttribute"].get_bool().get(b) == simdjson::SUCCESS) t.xml_attribute = b;
  if (obj["jsonvalue"].get_bool().get(b) == simdjson::SUCCESS) t.json_value = b;
  if (obj["hostLabel"].get_bool().get(b) == simdjson::SUCCESS) t.host_label = b;
  if (obj["streaming"].get_bool().get(b) == simdjson::SUCCESS) t.streaming = b;
}

std::vector<std::string> string_or_list(const object& obj, std::string_view key) {
  std::vector<std::string> out;
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return out;
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) {
    out.emplace_back(s);
  } else if (e.is_array()) {
    for (element item : e.get_array()) {
      if (item.get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
    }
  }
  return out;
}

}  // namespace

Protocol protocol_from_name(std::string_view name) {
  if (name == "ec2") return Protocol::kEc2;
  if (name == "query") return Protocol::kQuery;
  if (name == "json") return Protocol::kJson;
  if (name == "rest-json") return Protocol::kRestJson;
  if (name == "rest-xml") return Protocol::kRestXml;
  return Protocol::kUnknown;
}

const Member* Shape::find_member(std::string_view member_name) const {
  auto it = member_index.find(member_name);
  return it == member_index.end() ? nullptr : &members[it->second];
}

const Member* Shape::find_xml_member(std::string_view xml_name) const {
  auto it = xml_member_index.find(xml_name);
  return it == xml_member_index.end() ? nullptr : &members[it->second];
}

const Shape* ServiceModel::find_shape(std::string_view name) const {
  auto it = shape_index_.find(name);
  return it == shape_index_.end() ? nullptr : &shapes[it->second];
}

const Operation* ServiceModel::find_operation(std::string_view name) const {
  auto it = operation_index_.find(name);
  return it == operation_index_.end() ? nullptr : &operations[it->second];
}

const Paginator* ServiceModel::find_paginator(std::string_view operation) const {
  auto it = paginators.find(operation);
  return it == paginators.end() ? nullptr : &it->second;
}

const Shape* ServiceModel::find_error_shape(std::string_view code) const {
  for (const Shape& s : shapes) {
    if (s.exception && s.error_code == code) return &s;
  }
  return nullptr;
}

Expected<ServiceModel> parse_service_model(std::string_view json, std::string_view origin) {
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(json.data(), json.size()).get(root); err != simdjson::SUCCESS) {
    Error e;
    e.code = ErrorCode::kParse;
    e.file = std::string(origin);
    e.message = fmt::format("service model is not valid JSON: {}", simdjson::error_message(err));
    return e;
  }
  object top;
  if (root.get_object().get(top) != simdjson::SUCCESS)
    return schema_error(origin, "service model is not an object");

  ServiceModel model;
  ServiceMetadata& md = model.metadata;
  object meta;
  if (top["metadata"].get_object().get(meta) == simdjson::SUCCESS) {
    md.protocol_name = std::string(str_or(meta, "protocol"));
    md.protocol = protocol_from_name(md.protocol_name);
    md.api_version = std::string(str_or(meta, "apiVersion"));
    md.endpoint_prefix = std::string(str_or(meta, "endpointPrefix"));
    md.signing_name = std::string(str_or(meta, "signingName", md.endpoint_prefix));
    md.service_id = std::string(str_or(meta, "serviceId"));
    md.target_prefix = std::string(str_or(meta, "targetPrefix"));
    md.json_version = std::string(str_or(meta, "jsonVersion", "1.0"));
    md.global_endpoint = std::string(str_or(meta, "globalEndpoint"));
    md.botocore_version = std::string(str_or(meta, "fortressBotocoreVersion"));
    md.source = std::string(str_or(meta, "fortressSource"));
  }

  // Pass 1: every shape's name, type and own traits, so references can be resolved in any order.
  object shapes;
  if (top["shapes"].get_object().get(shapes) != simdjson::SUCCESS) shapes = object();
  std::vector<object> shape_objs;
  for (auto field : shapes) {
    object so;
    if (field.value.get_object().get(so) != simdjson::SUCCESS) {
      return schema_error(origin, fmt::format("shape {} is not an object", field.key));
    }
    Shape s;
    s.name = std::string(field.key);
    std::string_view type = str_or(so, "type");
    if (!type_from_name(type, s.type)) {
      return schema_error(origin, fmt::format("shape {} has unsupported type \"{}\"", s.name, type));
    }
    read_traits(so, s.traits);
    s.exception = bool_or(so, "exception");
    s.document = bool_or(so, "document");
    s.is_union = bool_or(so, "union");
    s.payload = std::string(str_or(so, "payload"));
    if (s.exception) {
      object err;
      std::string_view code;
      if (so["error"].get_object().get(err) == simdjson::SUCCESS) code = str_or(err, "code");
      s.error_code = code.empty() ? s.name : std::string(code);
    }
    s.enum_values = string_or_list(so, "enum");
    s.required = string_or_list(so, "required");
    model.shape_index_.emplace(s.name, uint32_t(model.shapes.size()));
    model.shapes.push_back(std::move(s));
    shape_objs.push_back(so);
  }

  auto resolve = [&](const object& ref_obj, std::string_view context, ShapeRef& out) -> Status {
    std::string_view target = str_or(ref_obj, "shape");
    auto it = model.shape_index_.find(target);
    if (it == model.shape_index_.end()) {
      return schema_error(origin, fmt::format("{} refers to unknown shape \"{}\"", context, target));
    }
    out.shape = it->second;
    out.traits = model.shapes[it->second].traits;
    read_traits(ref_obj, out.traits);
    return {};
  };

  // Pass 2: members, list elements, map keys and values.
  for (size_t i = 0; i < model.shapes.size(); ++i) {
    Shape& s = model.shapes[i];
    const object& so = shape_objs[i];
    object ref;
    if (s.type == ShapeType::kStructure) {
      object members;
      if (so["members"].get_object().get(members) != simdjson::SUCCESS) continue;
      for (auto field : members) {
        Member m;
        m.name = std::string(field.key);
        object mo;
        if (field.value.get_object().get(mo) != simdjson::SUCCESS) {
          return schema_error(origin, fmt::format("member {}.{} is not an object", s.name, m.name));
        }
        if (Status st = resolve(mo, fmt::format("member {}.{}", s.name, m.name), m.ref); !st)
          return st.error();
        s.members.push_back(std::move(m));
      }
    } else if (s.type == ShapeType::kList) {
      if (so["member"].get_object().get(ref) != simdjson::SUCCESS) {
        return schema_error(origin, fmt::format("list {} has no member", s.name));
      }
      if (Status st = resolve(ref, fmt::format("list {}", s.name), s.member); !st) return st.error();
    } else if (s.type == ShapeType::kMap) {
      object vref;
      if (so["key"].get_object().get(ref) != simdjson::SUCCESS ||
          so["value"].get_object().get(vref) != simdjson::SUCCESS) {
        return schema_error(origin, fmt::format("map {} needs key and value", s.name));
      }
      if (Status st = resolve(ref, fmt::format("map {} key", s.name), s.key); !st) return st.error();
      if (Status st = resolve(vref, fmt::format("map {} value", s.name), s.value); !st) return st.error();
    }
  }

  // Derived names and indexes (need every shape resolved: a flattened list's XML name comes from
  // its element's locationName).
  for (Shape& s : model.shapes) {
    for (uint32_t k = 0; k < s.members.size(); ++k) {
      Member& m = s.members[k];
      const Traits& t = m.ref.traits;
      const Shape& target = model.shapes[m.ref.shape];
      m.json_name = t.location_name.empty() ? m.name : t.location_name;
      if (target.type == ShapeType::kList && t.flattened && !target.member.traits.location_name.empty()) {
        m.xml_name = target.member.traits.location_name;
      } else {
        m.xml_name = m.json_name;
      }
      s.member_index.emplace(m.name, k);
      if (t.location == Location::kBody && !t.xml_attribute) s.xml_member_index.emplace(m.xml_name, k);
    }
  }

  object ops;
  if (top["operations"].get_object().get(ops) == simdjson::SUCCESS) {
    for (auto field : ops) {
      object oo;
      if (field.value.get_object().get(oo) != simdjson::SUCCESS) continue;
      Operation op;
      op.name = std::string(str_or(oo, "name", field.key));
      object http;
      if (oo["http"].get_object().get(http) == simdjson::SUCCESS) {
        op.http_method = std::string(str_or(http, "method", "POST"));
        op.request_uri = std::string(str_or(http, "requestUri", "/"));
      }
      object ref;
      if (oo["input"].get_object().get(ref) == simdjson::SUCCESS) {
        if (Status st = resolve(ref, fmt::format("operation {} input", op.name), op.input); !st)
          return st.error();
      }
      if (oo["output"].get_object().get(ref) == simdjson::SUCCESS) {
        if (Status st = resolve(ref, fmt::format("operation {} output", op.name), op.output); !st)
          return st.error();
        op.result_wrapper = std::string(str_or(ref, "resultWrapper"));
      }
      object endpoint;
      if (oo["endpoint"].get_object().get(endpoint) == simdjson::SUCCESS) {
        op.host_prefix = std::string(str_or(endpoint, "hostPrefix"));
      }
      simdjson::dom::array errors;
      if (oo["errors"].get_array().get(errors) == simdjson::SUCCESS) {
        for (element e : errors) {
          object eo;
          if (e.get_object().get(eo) != simdjson::SUCCESS) continue;
          auto it = model.shape_index_.find(str_or(eo, "shape"));
          if (it != model.shape_index_.end()) op.errors.push_back(it->second);
        }
      }
      model.operation_index_.emplace(op.name, uint32_t(model.operations.size()));
      model.operations.push_back(std::move(op));
    }
  }

  // Paginators: either {"pagination": {...}} (paginators-1.json) or the same object inlined.
  object pag;
  if (top["paginators"].get_object().get(pag) == simdjson::SUCCESS) {
    object inner;
    if (pag["pagination"].get_object().get(inner) == simdjson::SUCCESS) pag = inner;
    for (auto field : pag) {
      object po;
      if (field.value.get_object().get(po) != simdjson::SUCCESS) continue;
      Paginator p;
      p.input_token = string_or_list(po, "input_token");
      p.output_token = string_or_list(po, "output_token");
      p.result_key = string_or_list(po, "result_key");
      p.limit_key = std::string(str_or(po, "limit_key"));
      p.more_results = std::string(str_or(po, "more_results"));
      model.paginators.emplace(std::string(field.key), std::move(p));
    }
  }
  return model;
}

Expected<ServiceModel> load_service_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Error e;
    e.code = ErrorCode::kIo;
    e.file = path;
    e.message = "cannot read service model";
    return e;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_service_model(ss.str(), path);
}

}  // namespace fortress::aws
