#include "aws/protocol.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cctype>
#include <cmath>
#include <cstring>

#include "aws/protocol_detail.h"
#include "aws/protocol_json.h"
#include "aws/protocol_query.h"
#include "aws/sigv4.h"

namespace fortress::aws {

namespace {

Error unsupported(const ServiceModel& model) {
  Error e;
  e.code = ErrorCode::kUnsupported;
  e.message = fmt::format("protocol \"{}\" of service {} is not supported", model.metadata.protocol_name,
                          model.metadata.endpoint_prefix);
  return e;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// ---- civil time (proleptic Gregorian, UTC) ----------------------------------------------------------

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  // Exactly n digits.
  bool digits(size_t n, int& out) {
    if (i + n > s.size()) return false;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
      char c = s[i + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    out = v;
    i += n;
    return true;
  }
  void skip_spaces() {
    while (!done() && s[i] == ' ') ++i;
  }
};

std::optional<Timestamp> make_timestamp(int64_t year, int month, int day, int hh, int mm, int ss,
                                        int32_t micros, int64_t offset_seconds) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  int64_t secs = days_from_civil(year, unsigned(month), unsigned(day)) * 86400 + hh * 3600 + mm * 60 + ss;
  return Timestamp{secs - offset_seconds, micros};
}

// Fractional seconds: digits after '.', truncated to microseconds (as dateutil does).
int32_t read_fraction(Cursor& c) {
  int32_t micros = 0;
  int n = 0;
  while (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek()))) {
    if (n < 6) {
      micros = micros * 10 + (c.peek() - '0');
      ++n;
    }
    ++c.i;
  }
  while (n++ < 6) micros *= 10;
  return micros;
}

std::optional<Timestamp> parse_iso8601(std::string_view text) {
  Cursor c{text};
  int year = 0, month = 0, day = 0, hh = 0, mm = 0, ss = 0;
  if (!c.digits(4, year) || !c.eat('-') || !c.digits(2, month) || !c.eat('-') || !c.digits(2, day))
    return std::nullopt;
  if (c.done()) return make_timestamp(year, month, day, 0, 0, 0, 0, 0);
  if (!(c.eat('T') || c.eat('t') || c.eat(' '))) return std::nullopt;
  if (!c.digits(2, hh) || !c.eat(':') || !c.digits(2, mm)) return std::nullopt;
  if (c.eat(':') && !c.digits(2, ss)) return std::nullopt;
  int32_t micros = 0;
  if (c.eat('.') || c.eat(',')) micros = read_fraction(c);
  int64_t offset = 0;
  if (c.eat('Z') || c.eat('z')) {
  } else if (c.peek() == '+' || c.peek() == '-') {
    int sign = c.peek() == '-' ? -1 : 1;
    ++c.i;
    int oh = 0, om = 0;
    if (!c.digits(2, oh)) return std::nullopt;
    c.eat(':');
    if (!c.done() && !c.digits(2, om)) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  }
  if (!c.done()) return std::nullopt;
  return make_timestamp(year, month, day, hh, mm, ss, micros, offset);
}

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::string_view kWeekdays[] = {"Thu", "Fri", "Sat", "Sun",
                                          "Mon", "Tue", "Wed"};  // 1970-01-01 = Thu

// "Tue, 29 Apr 2014 18:30:38 GMT" (weekday optional, zone GMT/UTC/Z/+hhmm).
std::optional<Timestamp> parse_rfc822(std::string_view text) {
  Cursor c{text};
  size_t comma = text.find(',');
  if (comma != std::string_view::npos) c.i = comma + 1;
  c.skip_spaces();
  int day = 0;
  if (!c.digits(2, day) && !c.digits(1, day)) return std::nullopt;
  c.skip_spaces();
  if (c.i + 3 > text.size()) return std::nullopt;
  std::string_view mon = text.substr(c.i, 3);
  int month = 0;
  for (int k = 0; k < 12; ++k) {
    if (iequals(kMonths[k], mon)) month = k + 1;
  }
  if (month == 0) return std::nullopt;
  c.i += 3;
  c.skip_spaces();
  int year = 0, hh = 0, mm = 0, ss = 0;
  if (!c.digits(4, year)) return std::nullopt;
  c.skip_spaces();
  if (!c.digits(2, hh) || !c.eat(':') || !c.digits(2, mm)) return std::nullopt;
  if (c.eat(':') && !c.digits(2, ss)) return std::nullopt;
  int32_t micros = 0;
  if (c.eat('.')) micros = read_fraction(c);
  c.skip_spaces();
  int64_t offset = 0;
  std::string_view zone = text.substr(c.i);
  if (zone.empty() || zone == "GMT" || zone == "UTC" || zone == "UT" || zone == "Z") {
  } else if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 5) {
    Cursor z{zone, 1};
    int oh = 0, om = 0;
    if (!z.digits(2, oh) || !z.digits(2, om)) return std::nullopt;
    offset = (zone[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  return make_timestamp(year, month, day, hh, mm, ss, micros, offset);
}

Timestamp from_epoch_double(double d) {
  double whole = std::floor(d);
  auto micros = static_cast<int64_t>(std::llround((d - whole) * 1e6));
  auto secs = static_cast<int64_t>(whole);
  if (micros >= 1000000) {
    secs += 1;
    micros -= 1000000;
  }
  return Timestamp{secs, static_cast<int32_t>(micros)};
}

std::string format_date_time(Timestamp t, char sep, std::string_view suffix) {
  int64_t days = t.seconds >= 0 ? t.seconds / 86400 : -((-t.seconds + 86399) / 86400);
  int64_t rem = t.seconds - days * 86400;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  std::string out = fmt::format("{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}", y, m, d, sep, rem / 3600,
                                (rem / 60) % 60, rem % 60);
  if (t.micros != 0) out += fmt::format(".{:06d}", t.micros);
  out += suffix;
  return out;
}

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// ---- JSON text → JsonValue --------------------------------------------------------------------------

// The AWS CLI (botocore's json_decode_policies handler, after-call.iam) prints IAM policy documents
// -- strings of shape "policyDocumentType", URL-encoded JSON on the wire -- as JSON values. Like
// botocore it descends structures and lists only, and leaves a value that does not decode as it is.
void decode_iam_policies(const ServiceModel& model, const ShapeRef& ref, JsonValue& v) {
  const Shape& shape = model.shape(ref);
  if (shape.type == ShapeType::kStructure && v.is_object()) {
    for (auto& [name, item] : v.as_object()) {
      const Member* m = shape.find_member(name);
      if (m == nullptr) continue;
      const Shape& ms = model.shape(m->ref);
      if (ms.type == ShapeType::kString && ms.name == "policyDocumentType") {
        if (item.is_string()) {
          if (auto doc = parse_json_text(uri_decode(item.as_string()))) item = std::move(*doc);
        }
      } else {
        decode_iam_policies(model, m->ref, item);
      }
    }
  } else if (shape.type == ShapeType::kList && v.is_array()) {
    for (JsonValue& item : v.as_array()) decode_iam_policies(model, shape.member, item);
  }
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  // Epoch seconds: an optional sign, digits, an optional fraction.
  {
    size_t i = (text[0] == '-' || text[0] == '+') ? 1 : 0;
    bool digits = i < text.size(), dot = false;
    for (size_t k = i; k < text.size() && digits; ++k) {
      if (text[k] == '.' && !dot) {
        dot = true;
      } else if (!std::isdigit(static_cast<unsigned char>(text[k]))) {
        digits = false;
      }
    }
    if (digits) {
      std::string s(text);
      return from_epoch_double(std::strtod(s.c_str(), nullptr));
    }
  }
  if (auto t = parse_iso8601(text)) return t;
  return parse_rfc822(text);
}

std::optional<Timestamp> timestamp_from_json(const JsonValue& v) {
  if (v.is_int()) return Timestamp{v.as_int(), 0};
  if (v.is_double()) return from_epoch_double(v.as_double());
  if (v.is_string()) return parse_timestamp(v.as_string());
  return std::nullopt;
}

std::string format_timestamp_cli(Timestamp t) {
  return format_date_time(t, 'T', "+00:00");
}
std::string format_timestamp_iso8601(Timestamp t) {
  return format_date_time(t, 'T', "Z");
}

std::string format_timestamp_rfc822(Timestamp t) {
  int64_t days = t.seconds >= 0 ? t.seconds / 86400 : -((-t.seconds + 86399) / 86400);
  int64_t rem = t.seconds - days * 86400;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  int64_t wd = ((days % 7) + 7) % 7;
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT", kWeekdays[wd], d, kMonths[m - 1], y,
                     rem / 3600, (rem / 60) % 60, rem % 60);
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v =
        (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint8_t(bytes[i + 2]);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    if (rest == 2) v |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += rest == 2 ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char ch : text) {
    if (std::isspace(static_cast<unsigned char>(ch))) continue;
    if (ch == '=') {
      ++pad;
      continue;
    }
    if (pad > 0) return std::nullopt;
    const char* p = std::strchr(kB64, ch);
    if (p == nullptr || ch == '\0') return std::nullopt;
    acc = (acc << 6) | uint32_t(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((acc >> bits) & 0xff));
    }
  }
  if (pad > 2) return std::nullopt;
  return out;
}

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  std::string s = fmt::format("{}", d);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string SerializedRequest::uri() const {
  return query.empty() ? path : path + "?" + query;
}

const std::string* SerializedRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

std::string ServiceError::to_string() const {
  if (message.empty()) return fmt::format("{} (HTTP {})", code, http_status);
  return fmt::format("{}: {} (HTTP {})", code, message, http_status);
}

Expected<SerializedRequest> serialize_request(const ServiceModel& model, const Operation& operation,
                                              const JsonValue& params) {
  if (!params.is_null() && !params.is_object()) {
    Error e;
    e.code = ErrorCode::kInvalidArgument;
    e.message = fmt::format("{}: parameters must be a JSON object", operation.name);
    return e;
  }
  switch (model.metadata.protocol) {
    case Protocol::kEc2:
    case Protocol::kQuery:
      return detail::serialize_query(model, operation, params);
    case Protocol::kJson:
      return detail::serialize_json(model, operation, params);
    case Protocol::kRestJson:
      return detail::serialize_rest_json(model, operation, params);
    default:
      return unsupported(model);
  }
}

Expected<JsonValue> parse_response(const ServiceModel& model, const Operation& operation,
                                   const HttpReply& reply) {
  Expected<JsonValue> out = unsupported(model);
  switch (model.metadata.protocol) {
    case Protocol::kEc2:
    case Protocol::kQuery:
      out = detail::parse_xml_response(model, operation, reply);
      break;
    case Protocol::kJson:
    case Protocol::kRestJson:
      out = detail::parse_json_response(model, operation, reply);
      break;
    default:
      break;
  }
  if (out && operation.output.valid() && model.metadata.endpoint_prefix == "iam") {
    decode_iam_policies(model, operation.output, *out);
  }
  return out;
}

ServiceError parse_error(const ServiceModel& model, const HttpReply& reply) {
  switch (model.metadata.protocol) {
    case Protocol::kEc2:
    case Protocol::kQuery:
      return detail::parse_xml_error(model, reply);
    default:
      return detail::parse_json_error(model, reply);
  }
}

HttpRequest to_http_request(const SerializedRequest& request, std::string_view host) {
  HttpRequest out;
  out.method = request.method;
  out.path = request.path;
  out.query = request.query;
  out.headers.emplace_back("Host", request.host_prefix + std::string(host));
  for (const auto& h : request.headers) out.headers.push_back(h);
  out.body = request.body;
  return out;
}

namespace {

// A dotted member path ("NextToken", "Result.Marker") in `v`; nullptr when any step is absent.
const JsonValue* at_path(const JsonValue& v, std::string_view path) {
  const JsonValue* cur = &v;
  while (cur != nullptr && !path.empty()) {
    size_t dot = path.find('.');
    std::string_view step = path.substr(0, dot);
    for (char c : step) {
      if (c == '[' || c == '|' || c == '*' || c == ' ') return nullptr;  // JMESPath we do not evaluate
    }
    cur = cur->get(step);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return cur;
}

}  // namespace

std::optional<JsonValue> next_page_params(const Paginator& paginator, const JsonValue& params,
                                          const JsonValue& output) {
  if (paginator.input_token.empty() || paginator.input_token.size() != paginator.output_token.size()) {
    return std::nullopt;
  }
  if (!paginator.more_results.empty()) {
    const JsonValue* more = at_path(output, paginator.more_results);
    if (more == nullptr || !more->is_bool() || !more->as_bool()) return std::nullopt;
  }
  JsonValue next = params.is_object() ? params : JsonValue::object();
  bool changed = false;
  for (size_t i = 0; i < paginator.output_token.size(); ++i) {
    const JsonValue* token = at_path(output, paginator.output_token[i]);
    if (token == nullptr || token->is_null() || (token->is_string() && token->as_string().empty())) {
      return std::nullopt;
    }
    const JsonValue* previous = params.is_object() ? params.get(paginator.input_token[i]) : nullptr;
    if (previous == nullptr || !(*previous == *token)) changed = true;
    next.set(paginator.input_token[i], *token);
  }
  if (!changed) return std::nullopt;
  return next;
}

namespace detail {

std::string reason_phrase(long status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

bool is_generic_error_body(long status, std::string_view body) {
  if (status < 500) return false;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
  return body.empty() || body.starts_with("<html>");
}

Error param_error(std::string_view path, std::string message) {
  Error e;
  e.code = ErrorCode::kInvalidArgument;
  e.message = fmt::format("parameter {}: {}", path.empty() ? "(input)" : path, message);
  return e;
}

Error shape_error(std::string_view path, std::string message) {
  Error e;
  e.code = ErrorCode::kSchema;
  e.message = fmt::format("response member {}: {}", path.empty() ? "(output)" : path, message);
  return e;
}

std::optional<std::string> expand_host_prefix(const Operation& operation, const ServiceModel& model,
                                              const JsonValue& params, Error& error) {
  if (operation.host_prefix.empty()) return std::nullopt;
  std::string out;
  const std::string& tpl = operation.host_prefix;
  for (size_t i = 0; i < tpl.size();) {
    if (tpl[i] != '{') {
      out += tpl[i++];
      continue;
    }
    size_t close = tpl.find('}', i);
    if (close == std::string::npos) break;
    std::string_view label(tpl.data() + i + 1, close - i - 1);
    const JsonValue* v = params.is_object() ? params.get(label) : nullptr;
    if (v == nullptr || !v->is_string()) {
      error = param_error(label, "host label is required");
      return std::nullopt;
    }
    for (char c : v->as_string()) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
        error = param_error(label, "host label must contain only alphanumeric characters, hyphen or period");
        return std::nullopt;
      }
    }
    out += v->as_string();
    i = close + 1;
  }
  (void)model;
  return out;
}

}  // namespace detail

}  // namespace fortress::aws
