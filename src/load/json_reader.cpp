#include "load/json_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "load/json_syntax.h"

namespace fortress::load {

namespace {

// Per-file caps on repetitive diagnostics: a file with 50,000 bad elements yields a few examples and
// a count, not 50,000 lines.
constexpr size_t kMaxHostBitNotes = 5;
constexpr size_t kMaxSkipWarnings = 20;

std::string_view type_name(od::value& v) {
  od::json_type t;
  if (v.type().get(t) != SUCCESS) return "invalid JSON";
  switch (t) {
    case od::json_type::array:
      return "a list";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "?";
}

}  // namespace

uint64_t FileContext::line_at(const char* where) const {
  if (where == nullptr || where < input_.data() || where > input_.data() + input_.size()) return 0;
  return first_line_ + uint64_t(std::count(input_.data(), where, '\n'));
}

void FileContext::add(LoadDiagnostic::Level level, const char* where, std::string message) {
  result_.diagnostics.push_back({level, std::string(path_), line_at(where), std::move(message)});
}

void FileContext::note_host_bits(const char* where, std::string_view member, std::string_view text,
                                 const Cidr& normalized) {
  if (host_bit_notes_++ >= kMaxHostBitNotes) return;
  add(LoadDiagnostic::Level::kInfo, where,
      fmt::format("{} \"{}\" has host bits set; read as {}", member, text, normalized.to_string()));
}

void FileContext::element_skipped(const char* where, std::string_view noun, size_t index, std::string_view id,
                                  std::string_view problem) {
  ++result_.skipped_elements;
  if (skip_warnings_++ >= kMaxSkipWarnings) return;
  std::string which = id.empty() ? fmt::format("#{}", index + 1) : fmt::format("{} (#{})", id, index + 1);
  add(LoadDiagnostic::Level::kWarning, where, fmt::format("skipped {} {}: {}", noun, which, problem));
}

void FileContext::flush_suppressed() {
  if (host_bit_notes_ > kMaxHostBitNotes) {
    add(LoadDiagnostic::Level::kInfo, nullptr,
        fmt::format("{} more CIDRs with host bits set (not listed)", host_bit_notes_ - kMaxHostBitNotes));
  }
  if (skip_warnings_ > kMaxSkipWarnings) {
    add(LoadDiagnostic::Level::kWarning, nullptr,
        fmt::format("{} more elements skipped (not listed)", skip_warnings_ - kMaxSkipWarnings));
  }
}

error_code shape_error(od::value& v, error_code e, std::string_view member, std::string_view expected, Element& el) {
  if (!is_shape_error(e)) return e;
  if (e == simdjson::INCORRECT_TYPE) {
    bool is_null = false;
    if (v.is_null().get(is_null) == SUCCESS && is_null) return SUCCESS;
    el.fail(fmt::format("{}: expected {}, found {}", member, expected, type_name(v)));
  } else {
    el.fail(fmt::format("{}: invalid {} ({})", member, expected, simdjson::error_message(e)));
  }
  return SUCCESS;
}

error_code read(od::value& v, std::string_view member, Element& el, std::string& out) {
  std::string_view s;
  error_code e = v.get_string().get(s);
  if (e == SUCCESS) {
    out.assign(s);
    return SUCCESS;
  }
  return shape_error(v, e, member, "a string", el);
}

error_code read(od::value& v, std::string_view member, Element& el, Symbol& out) {
  std::string_view s;
  error_code e = v.get_string().get(s);
  if (e == SUCCESS) {
    out = Symbol(s);
    return SUCCESS;
  }
  return shape_error(v, e, member, "a string", el);
}

error_code read(od::value& v, std::string_view member, Element& el, bool& out) {
  error_code e = v.get_bool().get(out);
  if (e == SUCCESS) return SUCCESS;
  return shape_error(v, e, member, "a boolean", el);
}

error_code read(od::value& v, std::string_view member, Element& el, int64_t& out) {
  error_code e = v.get_int64().get(out);
  if (e == SUCCESS) return SUCCESS;
  return shape_error(v, e, member, "an integer", el);
}

error_code read(od::value& v, std::string_view member, Element& el, std::optional<int64_t>& out) {
  int64_t n = 0;
  error_code e = v.get_int64().get(n);
  if (e == SUCCESS) {
    out = n;
    return SUCCESS;
  }
  return shape_error(v, e, member, "an integer", el);
}

error_code read_cidr(od::value& v, std::string_view member, Element& el, std::optional<Cidr>& out) {
  const char* where = location_of(v);
  std::string_view s;
  error_code e = v.get_string().get(s);
  if (e != SUCCESS) return shape_error(v, e, member, "a CIDR string", el);
  Expected<ParsedCidr> parsed = parse_cidr(s);
  if (!parsed) {
    el.fail(fmt::format("{}: invalid CIDR \"{}\"", member, s));
    return SUCCESS;
  }
  if (parsed->host_bits_cleared) el.file.note_host_bits(where, member, s, parsed->cidr);
  out = parsed->cidr;
  return SUCCESS;
}

error_code read_ip(od::value& v, std::string_view member, Element& el, std::optional<IpAddress>& out) {
  std::string_view s;
  error_code e = v.get_string().get(s);
  if (e != SUCCESS) return shape_error(v, e, member, "an IP address string", el);
  Expected<IpAddress> parsed = parse_ip(s);
  if (!parsed) {
    el.fail(fmt::format("{}: invalid IP address \"{}\"", member, s));
    return SUCCESS;
  }
  out = *parsed;
  return SUCCESS;
}

error_code read_tags(od::value& v, std::string_view member, Element& el, Tags& out) {
  return for_each_item(v, member, el, [&](od::value& item) -> error_code {
    Tag tag;
    bool has_key = false;
    error_code e = for_each_field(item, member, el, [&](std::string_view key, od::value& value) -> error_code {
      if (key == "Key") {
        has_key = true;
        return read(value, "Tags.Key", el, tag.key);
      }
      if (key == "Value") return read(value, "Tags.Value", el, tag.value);
      return SUCCESS;
    });
    if (e) return e;
    if (!has_key) {
      el.fail(fmt::format("{}: a tag without Key", member));
      return SUCCESS;
    }
    out.push_back(std::move(tag));
    return SUCCESS;
  });
}

error_code read_member_of_each(od::value& v, std::string_view list_member, std::string_view member, Element& el,
                               std::vector<Symbol>& out) {
  return for_each_item(v, list_member, el, [&](od::value& item) -> error_code {
    Symbol value;
    error_code e = for_each_field(item, list_member, el, [&](std::string_view key, od::value& field) -> error_code {
      if (key == member) return read(field, member, el, value);
      return SUCCESS;
    });
    if (e) return e;
    if (value.empty()) {
      el.fail(fmt::format("{}: an entry without {}", list_member, member));
      return SUCCESS;
    }
    out.push_back(value);
    return SUCCESS;
  });
}

// ---- beyond EC2 ----

error_code read_time(od::value& v, std::string_view member, Element& el, std::optional<UtcTime>& out) {
  od::json_type type;
  if (error_code e = v.type().get(type)) return e;
  if (type == od::json_type::null) return SUCCESS;
  if (type == od::json_type::number) {
    double seconds = 0;
    if (error_code e = v.get_double().get(seconds)) return shape_error(v, e, member, "a timestamp", el);
    out = utc_time_from_epoch(seconds);
    if (!out) el.fail(fmt::format("{}: timestamp {} out of range", member, seconds));
    return SUCCESS;
  }
  std::string_view s;
  if (error_code e = v.get_string().get(s)) return shape_error(v, e, member, "a timestamp", el);
  if (s.empty()) return SUCCESS;
  out = parse_utc_time(s);
  if (!out) el.fail(fmt::format("{}: invalid timestamp \"{}\"", member, s));
  return SUCCESS;
}

error_code read_strings(od::value& v, std::string_view member, Element& el, std::vector<Symbol>& out) {
  return for_each_item(v, member, el, [&](od::value& item) -> error_code {
    Symbol value;
    if (error_code e = read(item, member, el, value)) return e;
    if (!value.empty()) out.push_back(value);
    return SUCCESS;
  });
}

error_code read_optional(od::value& v, std::string_view member, Element& el, std::optional<bool>& out) {
  bool b = false;
  error_code e = v.get_bool().get(b);
  if (e == SUCCESS) {
    out = b;
    return SUCCESS;
  }
  return shape_error(v, e, member, "a boolean", el);
}

namespace {

std::optional<std::string> url_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || hex(text[i + 1]) < 0 || hex(text[i + 2]) < 0) return std::nullopt;
    out += char(hex(text[i + 1]) * 16 + hex(text[i + 2]));
    i += 2;
  }
  return out;
}

std::string minified(std::string_view json) {
  std::string out(json.size(), '\0');
  size_t length = 0;
  if (simdjson::minify(json.data(), json.size(), out.data(), length) != SUCCESS) return std::string(json);
  out.resize(length);
  return out;
}

}  // namespace

error_code read_json_document(od::value& v, std::string_view member, Element& el, std::string& out) {
  od::json_type type;
  if (error_code e = v.type().get(type)) return e;
  if (type == od::json_type::null) return SUCCESS;
  if (type == od::json_type::object) {
    od::object object;
    if (error_code e = v.get_object().get(object)) return e;
    std::string_view raw;
    if (error_code e = object.raw_json().get(raw)) return e;
    out = minified(raw);
    return SUCCESS;
  }
  std::string_view s;
  if (error_code e = v.get_string().get(s)) return shape_error(v, e, member, "a policy document", el);
  // The wire form is URL-encoded; plain JSON text (no '%' escapes) decodes to itself.
  std::optional<std::string> decoded = url_decode(s);
  std::string_view text = decoded ? std::string_view(*decoded) : s;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{' || find_json_syntax_error(text)) {
    el.fail(fmt::format("{}: not a JSON policy document", member));
    return SUCCESS;
  }
  out = minified(text);
  return SUCCESS;
}

error_code read_string_map(od::value& v, std::string_view member, Element& el,
                           std::vector<std::pair<Symbol, Symbol>>& out) {
  return for_each_field(v, member, el, [&](std::string_view key, od::value& value) -> error_code {
    Symbol k(key);
    Symbol text;
    if (error_code e = read(value, member, el, text)) return e;
    out.emplace_back(k, text);
    return SUCCESS;
  });
}

const char* location_of(od::value& v) {
  const char* where = nullptr;
  if (v.current_location().get(where) != SUCCESS) return nullptr;
  return where;
}

}  // namespace fortress::load
