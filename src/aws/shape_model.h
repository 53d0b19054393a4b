// A runtime model of an AWS service, read from a botocore service description (service-2.json:
// "metadata", "operations", "shapes"; optionally a "paginators" object as paginators-1.json has it).
//
// The protocol layer (protocol.h) interprets these shapes to build requests and to turn responses
// into the JSON the AWS CLI prints; nothing here is specific to one service or operation. Shapes are
// held in a vector and refer to each other by index, so recursive shapes need no special care.
//
// Trait merging follows botocore: a member reference's traits (locationName, queryName, flattened,
// location, timestampFormat, ...) are laid over the traits of the shape it targets, so a ShapeRef
// carries the effective traits for that use of the shape.
//
// A ServiceModel is immutable once parsed; share one between threads freely.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/expected.h"

namespace fortress::aws {

// Hash for string-keyed maps that can be searched with a string_view (no temporary string).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

enum class Protocol : uint8_t { kUnknown, kEc2, kQuery, kJson, kRestJson, kRestXml };

enum class ShapeType : uint8_t {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,  // also "byte", "short"
  kLong,     // also "bigInteger"
  kBoolean,
  kFloat,
  kDouble,  // also "bigDecimal"
  kTimestamp,
  kBlob,
};

// Where a top-level input/output member travels (rest protocols). kBody = the payload.
enum class Location : uint8_t { kBody, kUri, kQueryString, kHeader, kHeaders, kStatusCode };

// kDefault = the protocol's default (iso8601 for query/ec2 bodies, epoch seconds for JSON bodies,
// iso8601 in rest query strings, rfc822 in headers).
enum class TimestampFormat : uint8_t { kDefault, kIso8601, kUnixTimestamp, kRfc822 };

// Serialization traits; empty strings mean "absent".
struct Traits {
  std::string location_name;  // locationName (the wire name: XML element, JSON key, header, label)
  std::string query_name;     // queryName (ec2 only)
  Location location = Location::kBody;
  TimestampFormat timestamp_format = TimestampFormat::kDefault;
  bool flattened = false;
  bool xml_attribute = false;
  bool json_value = false;  // "jsonvalue": a JSON document carried base64-encoded in a header
  bool host_label = false;
  bool streaming = false;
};

inline constexpr uint32_t kNoShape = UINT32_MAX;

// One use of a shape: the target shape's index and the merged traits of this reference.
struct ShapeRef {
  uint32_t shape = kNoShape;
  Traits traits;
  [[nodiscard]] bool valid() const { return shape != kNoShape; }
};

struct Member {
  std::string name;  // the member name: the key the AWS CLI prints and input params use
  ShapeRef ref;
  // Derived at load time: the element name this member has in an XML response (botocore's
  // _member_key_name) and the key it has in a JSON body (locationName, else the member name).
  std::string xml_name;
  std::string json_name;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kString;
  Traits traits;                // the shape's own traits
  std::vector<Member> members;  // structure members in model order (the order the CLI prints)
  ShapeRef member;              // list element
  ShapeRef key, value;          // map key and value
  std::string payload;          // structure: the member bound to the whole HTTP body (rest)
  std::string error_code;       // exception shapes: "error.code", else the shape name
  bool exception = false;
  bool document = false;  // a free-form JSON document
  bool is_union = false;
  std::vector<std::string> enum_values;
  std::vector<std::string> required;  // structure: members the service requires in input

  // Structure member by name; nullptr when absent.
  [[nodiscard]] const Member* find_member(std::string_view member_name) const;
  // Structure member whose XML element name is `xml_name`; nullptr when absent. O(1).
  [[nodiscard]] const Member* find_xml_member(std::string_view xml_name) const;

  // name → index into members, built at load time.
  StringMap<uint32_t> member_index;
  StringMap<uint32_t> xml_member_index;
};

struct Operation {
  std::string name;
  std::string http_method = "POST";
  std::string request_uri = "/";
  ShapeRef input;                // !valid() when the operation has no input
  ShapeRef output;               // !valid() when the operation has no output
  std::string result_wrapper;    // query protocol: the <NameResult> element wrapping the output
  std::string host_prefix;       // endpoint.hostPrefix ("" = none)
  std::vector<uint32_t> errors;  // exception shapes the operation declares
};

// paginators-1.json for one operation. Tokens are lists: some services page with several.
struct Paginator {
  std::vector<std::string> input_token;
  std::vector<std::string> output_token;  // JMESPath-like paths ("NextToken", "a.b", "a[-1].b")
  std::vector<std::string> result_key;
  std::string limit_key;
  std::string more_results;
};

struct ServiceMetadata {
  Protocol protocol = Protocol::kUnknown;
  std::string protocol_name;  // as written in the model: "ec2", "query", "json", "rest-json"
  std::string api_version;
  std::string endpoint_prefix;
  std::string signing_name;  // signingName, else endpointPrefix
  std::string service_id;
  std::string target_prefix;  // json protocol
  std::string json_version;   // json protocol: "1.0" / "1.1"
  std::string global_endpoint;
  // Provenance recorded by tools/extract_models.py ("" for a model read straight from botocore).
  std::string botocore_version;
  std::string source;
};

class ServiceModel {
 public:
  ServiceMetadata metadata;
  std::vector<Shape> shapes;
  std::vector<Operation> operations;
  StringMap<Paginator> paginators;  // by operation name

  [[nodiscard]] const Shape& shape(uint32_t index) const { return shapes[index]; }
  [[nodiscard]] const Shape& shape(const ShapeRef& ref) const { return shapes[ref.shape]; }
  [[nodiscard]] const Shape* find_shape(std::string_view name) const;
  [[nodiscard]] const Operation* find_operation(std::string_view name) const;
  [[nodiscard]] const Paginator* find_paginator(std::string_view operation) const;
  // The exception shape for an error code (matched on error.code, then on shape name); nullptr
  // when the model does not describe that error.
  [[nodiscard]] const Shape* find_error_shape(std::string_view code) const;

 private:
  friend Expected<ServiceModel> parse_service_model(std::string_view json, std::string_view origin);
  StringMap<uint32_t> shape_index_;
  StringMap<uint32_t> operation_index_;
};

// Parses a botocore-style service description. `origin` names the input in error messages.
// Unknown shape types or dangling shape references are errors (kSchema); unknown keys are ignored.
[[nodiscard]] Expected<ServiceModel> parse_service_model(std::string_view json, std::string_view origin);
[[nodiscard]] Expected<ServiceModel> load_service_model(const std::string& path);

[[nodiscard]] Protocol protocol_from_name(std::string_view name);

}  // namespace fortress::aws
