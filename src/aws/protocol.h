// The AWS wire protocols, driven by a botocore service model (shape_model.h): build the HTTP request
// for an operation from its input parameters, and turn the HTTP response into the JSON the AWS CLI
// prints (`--output json`, member names as keys), or into a ServiceError.
//
// Parameters and results are JsonValue (util/json_value.h), an insertion-ordered JSON tree:
//  - input params use member names as keys, as in `aws ... --cli-input-json`. Timestamps may be
//    epoch seconds (number) or an ISO 8601 / RFC 822 string; blobs are given as their raw bytes
//    (a string) and are base64-encoded on the wire. Query and ec2 bodies keep the order of the
//    params object, as botocore does, so bodies match the AWS CLI's byte for byte.
//  - results follow the AWS CLI v2 (cli_timestamp_format=iso8601, cli_binary_format=base64):
//    structure members in model order, absent members left out; timestamps as ISO 8601 in UTC
//    with "+00:00" ("2015-01-25T08:00:00+00:00", microseconds only when non-zero); blobs as the
//    base64 text; float special values as the strings "NaN", "Infinity", "-Infinity".
//    (The CLI keeps a non-UTC offset the service sent; AWS sends UTC, so fortress normalises.)
//    As in the CLI, IAM policy documents (shape "policyDocumentType", URL-encoded JSON on the wire)
//    are decoded into JSON values.
//
// Supported protocols: ec2, query, json (1.0/1.1), rest-json. rest-xml yields kUnsupported.
// Nothing here logs; credentials never pass through this layer (signing happens after).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/http.h"
#include "aws/shape_model.h"
#include "aws/sigv4.h"
#include "util/expected.h"
#include "util/json_value.h"

namespace fortress::aws {

// A request ready for signing: method, path and query as wire text (percent-encoded; query without
// '?'), headers and body. host_prefix is the operation's endpoint.hostPrefix with labels expanded;
// it goes in front of the endpoint host.
struct SerializedRequest {
  std::string method = "POST";
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string host_prefix;

  // path + "?" + query (or just path).
  [[nodiscard]] std::string uri() const;
  // Value of a header (case-insensitive name); nullptr when absent.
  [[nodiscard]] const std::string* header(std::string_view name) const;
};

// An error response from the service.
struct ServiceError {
  long http_status = 0;
  std::string code;     // "InvalidParameterValue", "AccessDenied", "ResourceNotFoundException"
  std::string message;  // "" when the service sent none
  std::string request_id;
  // Members of the modeled exception shape (when the model describes `code`), parsed like an
  // output; an empty object otherwise.
  JsonValue fields = JsonValue::object();

  // "Code: message (HTTP 400)"; never includes request parameters or credentials.
  [[nodiscard]] std::string to_string() const;
};

// Builds the request for `operation` (which must belong to `model`) from `params` (an object or
// null). Errors (kInvalidArgument) name the parameter: an unknown member, a wrong JSON type, a
// missing URI label.
[[nodiscard]] Expected<SerializedRequest> serialize_request(const ServiceModel& model,
                                                            const Operation& operation,
                                                            const JsonValue& params);

// Parses a successful (2xx) response into the CLI's JSON. Operations without output give {}.
// Errors: kParse when the body is not well-formed XML/JSON, kSchema when a value does not fit its
// shape (e.g. "abc" for an integer).
[[nodiscard]] Expected<JsonValue> parse_response(const ServiceModel& model, const Operation& operation,
                                                 const HttpReply& reply);

// Parses an error response (any status, usually >= 300). Never fails: an unparseable body gives
// code = the HTTP status and message = the reason phrase, as botocore does.
[[nodiscard]] ServiceError parse_error(const ServiceModel& model, const HttpReply& reply);

// The request in the form sigv4.h signs, for the endpoint host `host` ("ec2.us-east-1.amazonaws.com"):
// a Host header (host_prefix + host) is added first; the other headers follow as serialized.
[[nodiscard]] HttpRequest to_http_request(const SerializedRequest& request, std::string_view host);

// Pagination (paginators-1.json): the params for the next page, or nullopt when `output` is the
// last page -- its more_results member is false, or an output token is absent or empty, or the
// tokens did not change (a service bug that would otherwise loop forever). Output tokens are
// member paths ("NextToken", "Marker", "a.b"); JMESPath beyond dotted names is not supported and
// ends pagination.
[[nodiscard]] std::optional<JsonValue> next_page_params(const Paginator& paginator, const JsonValue& params,
                                                        const JsonValue& output);

// ---- shared helpers (also used by tests and the collector) ----------------------------------------

// A point in time: seconds since the Unix epoch and microseconds (0..999999).
struct Timestamp {
  int64_t seconds = 0;
  int32_t micros = 0;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

// Parses epoch seconds ("1398796238", "1398796238.123"), ISO 8601 with "Z" or an offset, with or
// without fractional seconds, and RFC 822 / HTTP dates ("Tue, 29 Apr 2014 18:30:38 GMT").
[[nodiscard]] std::optional<Timestamp> parse_timestamp(std::string_view text);
// A JSON number or string as parse_timestamp accepts.
[[nodiscard]] std::optional<Timestamp> timestamp_from_json(const JsonValue& v);
// "2015-01-25T08:00:00+00:00" / "2015-01-25T08:00:00.123000+00:00" (Python isoformat, UTC).
[[nodiscard]] std::string format_timestamp_cli(Timestamp t);
// "2015-01-25T08:00:00Z" / "...00.123000Z" (botocore's request format).
[[nodiscard]] std::string format_timestamp_iso8601(Timestamp t);
// "Sun, 25 Jan 2015 08:00:00 GMT".
[[nodiscard]] std::string format_timestamp_rfc822(Timestamp t);

[[nodiscard]] std::string base64_encode(std::string_view bytes);
// Decodes standard base64 (whitespace ignored); nullopt on invalid input.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

// A double as Python's repr() prints it ("1.0", "10.8", "1e+16"), or "NaN"/"Infinity"/"-Infinity".
[[nodiscard]] std::string python_float_repr(double d);

// parse_json_text (JSON text to JsonValue) lives in util/json_value.h.
using fortress::parse_json_text;

}  // namespace fortress::aws
