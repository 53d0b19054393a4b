// Reading AWS CLI JSON with simdjson On-Demand: what every kind parser uses (loader internal).
//
// Two kinds of failure, kept apart:
//  - fatal: the returned simdjson::error_code. The JSON itself is malformed (a missing comma, a
//    truncated file); the file is abandoned, reported with its line, and nothing from it is used.
//  - element problems (Element::fail): well-formed JSON of the wrong shape inside one list element
//    (a string where FromPort's number belongs, a missing ID, an unparsable CIDR). That element is
//    skipped with a warning, the rest of the file loads, and the dataset's coverage says so.
// JSON null is read as an absent member. Unknown members are ignored (On-Demand skips them unread).
//
// Strings handed to callbacks are views into the parser's buffers, valid until the next document
// (a file, or one list element of a streamed file) is parsed with the same parser; the readers copy
// what the model keeps.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "load/file_result.h"
#include "model/account.h"
#include "model/net.h"
#include "model/time.h"

namespace fortress::load {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

// Per-file state: where the bytes are, where results and diagnostics go.
class FileContext {
 public:
  // `input` must stay alive while the file is parsed.
  FileContext(std::string_view path, uint32_t source, std::string_view input, FileResult& result)
      : path_(path), source_(source), input_(input), result_(result) {}

  [[nodiscard]] std::string_view path() const { return path_; }
  [[nodiscard]] uint32_t source() const { return source_; }
  [[nodiscard]] FileResult& result() { return result_; }
  [[nodiscard]] std::string_view input() const { return input_; }
  // The bytes being parsed now (one list element when the file is streamed), whose first byte is
  // on line `first_line` of the file. `input` must stay alive while it is set.
  void set_input(std::string_view input, uint64_t first_line) {
    input_ = input;
    first_line_ = first_line;
  }

  // Security groups whose rules describe-security-group-rules replaces (see assemble.cpp): their
  // IpPermissions are still read and checked, but not kept. nullptr: keep every group's. The set
  // must outlive the parse.
  void set_groups_with_rules(const std::unordered_set<std::string_view, TextHash>* groups) { groups_with_rules_ = groups; }
  [[nodiscard]] bool rules_replaced(std::string_view group_id) const {
    return groups_with_rules_ != nullptr && groups_with_rules_->contains(group_id);
  }
  [[nodiscard]] bool may_replace_rules() const { return groups_with_rules_ != nullptr && !groups_with_rules_->empty(); }
  // Where the IpPermissions of a group whose rules are replaced go, reused from group to group.
  std::vector<SecurityGroupRule> discarded_rules;

  // 1-based line of a position inside the input; 0 when `where` is null or outside it.
  [[nodiscard]] uint64_t line_at(const char* where) const;

  void add(LoadDiagnostic::Level level, const char* where, std::string message);
  // Capped per file (the rest are counted and summarized by flush_suppressed()).
  void note_host_bits(const char* where, std::string_view member, std::string_view text, const Cidr& normalized);
  void element_skipped(const char* where, std::string_view noun, size_t index, std::string_view id,
                       std::string_view problem);
  void flush_suppressed();

 private:
  std::string_view path_;
  uint32_t source_;
  std::string_view input_;
  uint64_t first_line_ = 1;
  const std::unordered_set<std::string_view, TextHash>* groups_with_rules_ = nullptr;
  FileResult& result_;
  size_t host_bit_notes_ = 0;
  size_t skip_warnings_ = 0;
};

// One list element being read. Parsers record the first shape problem with fail(); an element
// with a problem is not added to the model.
class Element {
 public:
  Element(FileContext& file, size_t index, const char* where) : file(file), index(index), where(where) {}

  [[nodiscard]] bool ok() const { return problem_.empty(); }
  void fail(std::string message) {
    if (problem_.empty()) problem_ = std::move(message);
  }
  [[nodiscard]] const std::string& problem() const { return problem_; }

  FileContext& file;
  size_t index;        // position in its list, 0-based
  const char* where;   // start of the element in the input (for line numbers)
  std::string id;      // the element's AWS ID when known, for messages

 private:
  std::string problem_;
};

// True for errors that concern one value's type or content and leave the document readable.
[[nodiscard]] inline bool is_shape_error(error_code e) {
  return e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_ERROR || e == simdjson::NUMBER_OUT_OF_RANGE ||
         e == simdjson::STRING_ERROR;
}

// Records a shape error of `member` on the element and returns SUCCESS, or returns a fatal error
// as is. A JSON null is not a shape error: it reads as absent.
error_code shape_error(od::value& v, error_code e, std::string_view member, std::string_view expected, Element& el);

// Readers: on success store into `out`; null or absent leaves `out` untouched.
error_code read(od::value& v, std::string_view member, Element& el, std::string& out);
error_code read(od::value& v, std::string_view member, Element& el, Symbol& out);
error_code read(od::value& v, std::string_view member, Element& el, bool& out);
error_code read(od::value& v, std::string_view member, Element& el, int64_t& out);
error_code read(od::value& v, std::string_view member, Element& el, std::optional<int64_t>& out);
// A CIDR block; one with host bits set is normalized with an info diagnostic.
error_code read_cidr(od::value& v, std::string_view member, Element& el, std::optional<Cidr>& out);
error_code read_ip(od::value& v, std::string_view member, Element& el, std::optional<IpAddress>& out);
// "Tags" / "TagSet": [{"Key": ..., "Value": ...}]
error_code read_tags(od::value& v, std::string_view member, Element& el, Tags& out);

// Calls on_field(key, value) for each member of an object already opened.
template <typename OnField>
error_code for_each_field(od::object& object, OnField&& on_field) {
  for (auto field : object) {
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key)) return e;
    od::value value;
    if (error_code e = field.value().get(value)) return e;
    if (error_code e = on_field(key, value)) return e;
  }
  return SUCCESS;
}

// Calls on_field(key, value) for each member of an object value; a non-object is a shape error.
template <typename OnField>
error_code for_each_field(od::value& v, std::string_view member, Element& el, OnField&& on_field) {
  od::object object;
  if (error_code e = v.get_object().get(object)) return shape_error(v, e, member, "an object", el);
  return for_each_field(object, std::forward<OnField>(on_field));
}

// Calls on_item(value) for each item of an array value; a non-array is a shape error.
template <typename OnItem>
error_code for_each_item(od::value& v, std::string_view member, Element& el, OnItem&& on_item) {
  od::array array;
  if (error_code e = v.get_array().get(array)) return shape_error(v, e, member, "a list", el);
  for (auto item : array) {
    od::value value;
    if (error_code e = item.get(value)) return e;
    if (error_code e = on_item(value)) return e;
  }
  return SUCCESS;
}

// Reads one string member of each object in a list: "Groups": [{"GroupId": "sg-1"}] -> {"sg-1"}.
error_code read_member_of_each(od::value& v, std::string_view list_member, std::string_view member, Element& el,
                               std::vector<Symbol>& out);

// ---- beyond EC2 ----
// A timestamp: ISO 8601 text or epoch seconds (model/time.h). "" reads as absent (get-trail-status
// prints "" for a time never reached); other text that is no timestamp is a shape error.
error_code read_time(od::value& v, std::string_view member, Element& el, std::optional<UtcTime>& out);
// A list of strings: "SecurityGroups": ["sg-1", "sg-2"].
error_code read_strings(od::value& v, std::string_view member, Element& el, std::vector<Symbol>& out);
// An integer, as std::optional (absent: untouched).
error_code read_optional(od::value& v, std::string_view member, Element& el, std::optional<bool>& out);
// A JSON document held as a member: an object (AWS CLI output) or a string holding URL-encoded JSON
// (the wire form) or plain JSON text. Stored as compact JSON text. Text that decodes to no JSON
// object is a shape error.
error_code read_json_document(od::value& v, std::string_view member, Element& el, std::string& out);
// {"Key": "Value", ...} tags or any string map (Access Analyzer, GuardDuty).
error_code read_string_map(od::value& v, std::string_view member, Element& el,
                           std::vector<std::pair<Symbol, Symbol>>& out);

// Where a value starts in the input (for line numbers), or nullptr.
[[nodiscard]] const char* location_of(od::value& v);

// Adds a finished element to `out`, or records its ID for the skip warning. `id_member` names the
// required ID member ("VpcId") for the message when the ID is missing.
template <typename T>
void keep(Element& el, std::string_view id_member, T&& item, std::vector<std::decay_t<T>>& out) {
  if (item.id.empty()) el.fail(std::string("missing ") + std::string(id_member));
  if (el.ok()) {
    out.push_back(std::forward<T>(item));
  } else {
    el.id = item.id;
  }
}

}  // namespace fortress::load
