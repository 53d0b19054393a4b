// Writing a large JSON report a field and an array member at a time, laid out byte for byte as
// JsonValue::dump(2) would lay out the whole document, and handed to the stream every megabyte: the
// scan report of a large account (hundreds of thousands of findings) and the flows report (tens of
// thousands of findings, the rules, the egress and rejected summaries: ~140 MB for 256 MB of logs)
// took most of their time and memory being built as one tree, then one string. Tests hold each
// report's text to its own parse-and-dump.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "util/json_value.h"

namespace fortress {

class JsonReportWriter {
 public:
  explicit JsonReportWriter(std::ostream& out) : out_(out) {}

  // The next field of the object at `depth` (0: the document): "{" before the first, "," before
  // the others. Its value follows: field(), array(), or key() of the object at depth + 1.
  void key(int depth, std::string_view name) {
    buf_.push_back(first_[size_t(depth)] ? '{' : ',');
    first_[size_t(depth)] = false;
    first_[size_t(depth) + 1] = true;
    newline(depth + 1);
    append_json_string(buf_, name);
    buf_ += ": ";
  }
  void field(int depth, std::string_view name, const JsonValue& value) {
    key(depth, name);
    value.dump_to(buf_, 2, depth + 1);
  }
  // Closes the object at `depth` that has had at least one field.
  void close(int depth) {
    newline(depth);
    buf_.push_back('}');
  }
  // An array of `n` members, the value of a field of the object at depth - 1; member i is written by
  // write(text, i) at depth + 1.
  template <class Write>
  void array(int depth, size_t n, Write write) {
    if (n == 0) {
      buf_ += "[]";
      return;
    }
    buf_.push_back('[');
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) buf_.push_back(',');
      newline(depth + 1);
      write(buf_, i);
      if (buf_.size() >= kFlushBytes) flush();
    }
    newline(depth);
    buf_.push_back(']');
  }
  // The same, of JsonValues made one at a time by make(i).
  template <class Make>
  void value_array(int depth, size_t n, Make make) {
    array(depth, n, [&](std::string& text, size_t i) { make(i).dump_to(text, 2, depth + 1); });
  }
  // Closes the document (it has had at least one field) and ends it with a newline.
  void end_document() {
    close(0);
    buf_.push_back('\n');
    flush();
  }

 private:
  static constexpr size_t kFlushBytes = size_t(1) << 20;
  static constexpr size_t kMaxDepth = 8;
  void newline(int depth) {
    buf_.push_back('\n');
    buf_.append(size_t(2 * depth), ' ');
  }
  void flush() {
    out_.write(buf_.data(), std::streamsize(buf_.size()));
    buf_.clear();
  }
  std::ostream& out_;
  std::string buf_;
  bool first_[kMaxDepth] = {true, true, true, true, true, true, true, true};
};

}  // namespace fortress
