#include "iam/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "util/json_value.h"

namespace fortress::iam {

namespace {

Error schema_error(std::string message) {
  Error e;
  e.code = ErrorCode::kSchema;
  e.message = std::move(message);
  return e;
}

Error parse_error(std::string message) {
  Error e;
  e.code = ErrorCode::kParse;
  e.message = std::move(message);
  return e;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 percent-decoding (the IAM API's form of policy documents).
Expected<std::string> url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 2 >= text.size()) {
      return parse_error(fmt::format("URL-encoded policy: truncated escape at offset {}", i));
    }
    const int hi = hex_value(text[i + 1]);
    const int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return parse_error(fmt::format("URL-encoded policy: bad escape at offset {}", i));
    out += char(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string scalar_text(const JsonValue& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_double()) return fmt::format("{}", v.as_double());
  return {};
}

Status no_duplicate_keys(const JsonValue::Object& object, std::string_view where) {
  for (size_t i = 0; i < object.size(); ++i) {
    for (size_t j = i + 1; j < object.size(); ++j) {
      if (object[i].first == object[j].first) {
        return schema_error(fmt::format("{}: element \"{}\" appears twice", where, object[i].first));
      }
    }
  }
  return {};
}

// A string or a list of strings (Action, Resource, principal values).
Status read_strings(const JsonValue& v, std::string_view where, std::vector<std::string>& out) {
  if (v.is_string()) {
    out.push_back(v.as_string());
    return {};
  }
  if (!v.is_array()) return schema_error(fmt::format("{} must be a string or a list of strings", where));
  for (const JsonValue& item : v.as_array()) {
    if (!item.is_string()) return schema_error(fmt::format("{} must be a string or a list of strings", where));
    out.push_back(item.as_string());
  }
  return {};
}

Status read_principal(const JsonValue& v, std::string_view where, PrincipalSpec& out) {
  if (v.is_string()) {
    if (v.as_string() != "*") {
      return schema_error(fmt::format("{} must be \"*\" or a map of principal types, not \"{}\"", where,
                                      v.as_string()));
    }
    out.anyone = true;
    return {};
  }
  if (!v.is_object()) return schema_error(fmt::format("{} must be \"*\" or a map of principal types", where));
  if (Status s = no_duplicate_keys(v.as_object(), where); !s) return s;
  for (const auto& [type, values] : v.as_object()) {
    const std::string at = fmt::format("{}.{}", where, type);
    Status s;
    if (type == "AWS") {
      s = read_strings(values, at, out.aws);
    } else if (type == "Service") {
      s = read_strings(values, at, out.service);
    } else if (type == "Federated") {
      s = read_strings(values, at, out.federated);
    } else if (type == "CanonicalUser") {
      s = read_strings(values, at, out.canonical_user);
    } else {
      return schema_error(fmt::format("{}: unknown principal type \"{}\" (AWS, Service, Federated or "
                                      "CanonicalUser)",
                                      where, type));
    }
    if (!s) return s;
  }
  if (std::find(out.aws.begin(), out.aws.end(), "*") != out.aws.end()) out.anyone = true;
  return {};
}

Status read_condition(const JsonValue& v, std::string_view where, std::vector<ConditionClause>& out) {
  if (!v.is_object()) return schema_error(fmt::format("{} must be a map of condition operators", where));
  if (Status s = no_duplicate_keys(v.as_object(), where); !s) return s;
  for (const auto& [op, block] : v.as_object()) {
    const std::string at = fmt::format("{}.{}", where, op);
    if (!block.is_object()) return schema_error(fmt::format("{} must be a map of condition keys", at));
    if (Status s = no_duplicate_keys(block.as_object(), at); !s) return s;
    for (const auto& entry : block.as_object()) {
      const std::string& key = entry.first;
      const JsonValue& values = entry.second;
      ConditionClause clause{op, key, {}};
      const auto add = [&](const JsonValue& item) -> Status {
        if (!(item.is_string() || item.is_bool() || item.is_int() || item.is_double())) {
          return schema_error(fmt::format("{}.{}: condition values must be strings, numbers or booleans", at, key));
        }
        clause.values.push_back(scalar_text(item));
        return {};
      };
      if (values.is_array()) {
        for (const JsonValue& item : values.as_array()) {
          if (Status s = add(item); !s) return s;
        }
      } else if (Status s = add(values); !s) {
        return s;
      }
      out.push_back(std::move(clause));
    }
  }
  return {};
}

constexpr std::array<std::string_view, 9> kStatementElements = {
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"};

Expected<Statement> read_statement(const JsonValue& v, size_t index, DocumentKind kind, bool variables) {
  std::string where = fmt::format("statement {}", index + 1);
  if (!v.is_object()) return schema_error(fmt::format("{} must be an object", where));
  const JsonValue::Object& object = v.as_object();
  if (const JsonValue* sid = v.get("Sid"); sid != nullptr && sid->is_string() && !sid->as_string().empty()) {
    where += fmt::format(" (Sid \"{}\")", sid->as_string());
  }
  if (Status s = no_duplicate_keys(object, where); !s) return s.error();

  Statement st;
  st.index = index;
  bool has_effect = false, has_action = false;
  for (const auto& [key, value] : object) {
    if (std::find(kStatementElements.begin(), kStatementElements.end(), key) == kStatementElements.end()) {
      return schema_error(fmt::format("{}: unknown element \"{}\"", where, key));
    }
    Status s;
    if (key == "Sid") {
      if (!value.is_string()) return schema_error(fmt::format("{}: Sid must be a string", where));
      st.sid = value.as_string();
    } else if (key == "Effect") {
      if (!value.is_string() || (value.as_string() != "Allow" && value.as_string() != "Deny")) {
        return schema_error(fmt::format("{}: Effect must be \"Allow\" or \"Deny\"{}", where,
                                        value.is_string() ? fmt::format(", not \"{}\"", value.as_string()) : ""));
      }
      st.effect = value.as_string() == "Allow" ? Effect::kAllow : Effect::kDeny;
      has_effect = true;
    } else if (key == "Action" || key == "NotAction") {
      if (has_action) return schema_error(fmt::format("{}: has both Action and NotAction", where));
      has_action = true;
      st.not_action = key == "NotAction";
      s = read_strings(value, fmt::format("{}: {}", where, key), st.actions);
    } else if (key == "Resource" || key == "NotResource") {
      if (st.has_resource) return schema_error(fmt::format("{}: has both Resource and NotResource", where));
      st.has_resource = true;
      st.not_resource = key == "NotResource";
      s = read_strings(value, fmt::format("{}: {}", where, key), st.resources);
    } else if (key == "Principal" || key == "NotPrincipal") {
      if (kind == DocumentKind::kIdentity) {
        return schema_error(fmt::format("{}: {} is not allowed in an identity-based policy", where, key));
      }
      if (st.principal) return schema_error(fmt::format("{}: has both Principal and NotPrincipal", where));
      st.not_principal = key == "NotPrincipal";
      st.principal.emplace();
      s = read_principal(value, fmt::format("{}: {}", where, key), *st.principal);
    } else if (key == "Condition") {
      s = read_condition(value, fmt::format("{}: Condition", where), st.conditions);
    }
    if (!s) return s.error();
  }
  if (!has_effect) return schema_error(fmt::format("{}: Effect is missing", where));
  if (!has_action) return schema_error(fmt::format("{}: Action or NotAction is missing", where));
  if (kind == DocumentKind::kIdentity && !st.has_resource) {
    return schema_error(fmt::format("{}: Resource or NotResource is missing", where));
  }
  if (kind == DocumentKind::kTrust && !st.principal) {
    return schema_error(fmt::format("{}: Principal or NotPrincipal is missing", where));
  }
  st.action_patterns.reserve(st.actions.size());
  for (const std::string& a : st.actions) st.action_patterns.push_back(Pattern::wildcard(a, true));
  st.resource_patterns.reserve(st.resources.size());
  for (const std::string& r : st.resources) {
    const bool has_variables = variables && r.find("${") != std::string::npos;
    st.resource_patterns.push_back(compile_resource(r, variables, nullptr));
    st.resource_has_variables.push_back(has_variables);
  }
  return st;
}

}  // namespace

namespace {

bool equal_without_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

const std::string* PolicyVariables::find(std::string_view key) const {
  for (const auto& [k, v] : values) {
    if (equal_without_case(k, key)) return &v;
  }
  return nullptr;
}

Pattern compile_resource(std::string_view text, bool variables, const PolicyVariables* known) {
  if (!variables || text.find("${") == std::string_view::npos) return Pattern::wildcard(text, false);
  PatternBuilder b(false);
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("${", i);
    const size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
    const size_t end = close == std::string_view::npos ? text.size() : open;
    for (size_t k = i; k < end; ++k) {
      if (text[k] == '*') {
        b.any_run();
      } else if (text[k] == '?') {
        b.any_one();
      } else {
        b.literal(text.substr(k, 1));
      }
    }
    if (close == std::string_view::npos) break;
    std::string_view inner = text.substr(open + 2, close - open - 2);
    if (inner == "*" || inner == "?" || inner == "$") {
      b.literal(inner);
    } else {
      // "${key}" or "${key, 'default'}": the default is used when the request has no such key, which
      // fortress cannot know, so a key it has no value for stays unknown either way.
      const size_t comma = inner.find(',');
      std::string_view key = inner.substr(0, comma);
      while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
      while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
      const std::string* value = known != nullptr ? known->find(key) : nullptr;
      if (value != nullptr) {
        b.literal(*value);
      } else {
        b.unknown();
      }
    }
    i = close + 1;
  }
  return std::move(b).done();
}

std::string Statement::label() const {
  if (sid.empty()) return fmt::format("statement {}", index + 1);
  return fmt::format("statement {} (Sid \"{}\")", index + 1, sid);
}

Expected<PolicyDocument> parse_policy_document(std::string_view text, DocumentKind kind) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  std::string decoded;
  if (first != std::string_view::npos && text[first] == '%') {
    Expected<std::string> d = url_decode(text);
    if (!d) return d.error();
    decoded = std::move(*d);
    text = decoded;
  }
  Expected<JsonValue> json = parse_json_text(text);
  if (!json) return parse_error("policy document is not JSON: " + json.error().message);
  if (!json->is_object()) return schema_error("policy document must be a JSON object");
  const JsonValue::Object& top = json->as_object();
  if (Status s = no_duplicate_keys(top, "policy document"); !s) return s.error();

  PolicyDocument doc;
  const JsonValue* statements = nullptr;
  for (const auto& [key, value] : top) {
    if (key == "Version") {
      if (!value.is_string() || (value.as_string() != "2012-10-17" && value.as_string() != "2008-10-17")) {
        return schema_error("Version must be \"2012-10-17\" or \"2008-10-17\"");
      }
      doc.version = value.as_string();
    } else if (key == "Id") {
      if (!value.is_string()) return schema_error("Id must be a string");
      doc.id = value.as_string();
    } else if (key == "Statement") {
      statements = &value;
    } else {
      return schema_error(fmt::format("unknown top-level element \"{}\" (Version, Id, Statement)", key));
    }
  }
  if (statements == nullptr) return schema_error("Statement is missing");
  if (statements->is_object()) {
    Expected<Statement> st = read_statement(*statements, 0, kind, doc.variables_enabled());
    if (!st) return st.error();
    doc.statements.push_back(std::move(*st));
  } else if (statements->is_array()) {
    size_t index = 0;
    for (const JsonValue& item : statements->as_array()) {
      Expected<Statement> st = read_statement(item, index++, kind, doc.variables_enabled());
      if (!st) return st.error();
      doc.statements.push_back(std::move(*st));
    }
  } else {
    return schema_error("Statement must be an object or a list of objects");
  }
  return doc;
}

}  // namespace fortress::iam
