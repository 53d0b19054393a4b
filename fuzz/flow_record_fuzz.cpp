// Fuzz target for the flow log record parser (flows/record.h) and the line aggregation around it
// (flows/reader.h aggregate_text): the input's first line is tried as a format (header or
// ${field} spelling), the rest as records of it and of the v2 default.
//
// Properties checked for every input:
//   - every line is counted once: records == OK + NODATA + SKIPDATA + malformed + unattributable,
//     and the flows of the aggregate never exceed the records;
//   - a record that parses has ports within 0..65535 (by type), a protocol in -1..255, and its
//     interface view points into the line;
//   - describe() of any error names a field or the field count and never is empty;
//   - the default-v2 fast parser (parse_record_v2) accepts a line only when parse_record does, with
//     the same value in every field.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "flows/reader.h"
#include "flows/record.h"

namespace {

using namespace fortress::flows;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "flow_record_fuzz: %s\n", what);
  std::abort();
}

void check_lines(std::string_view text, const LogFormat& format) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    FlowRecord r;
    const RecordError e = parse_record(line, format, r);
    if (format.fields == LogFormat::default_v2().fields) {
      std::string padded(line);
      padded.append(16, 'x');  // parse_record_v2 reads 16 bytes past the end
      V2Record v;
      // The SSE2, AVX2 and AVX-512 variants agree on the verdict and every field.
      for (const V2Path path : {V2Path::kSse2, V2Path::kAvx2, V2Path::kAvx512}) {
        if (path == V2Path::kAvx2 && !v2_avx2_available()) continue;
        if (path == V2Path::kAvx512 && !v2_avx512_available()) continue;
        V2Record w;
        const bool ok = parse_record_v2(std::string_view(padded.data(), line.size()), w, path);
        if (ok != parse_record_v2(std::string_view(padded.data(), line.size()), v))
          fail("the v2 fast parser's variants disagree on a line");
        if (ok && (w.version != v.version || w.account_id != v.account_id || w.interface_id != v.interface_id ||
                   w.has_src != v.has_src || w.has_dst != v.has_dst || (w.has_src && !(w.src == v.src)) || (w.has_dst && !(w.dst == v.dst)) ||
                   w.src_port != v.src_port || w.dst_port != v.dst_port || w.protocol != v.protocol ||
                   w.packets != v.packets || w.bytes != v.bytes || w.start != v.start || w.end != v.end ||
                   w.action != v.action || w.log_status != v.log_status))
          fail("the v2 fast parser's variants disagree on a field");
      }
      if (parse_record_v2(std::string_view(padded.data(), line.size()), v)) {
        if (e) fail("the v2 fast parser accepts a line the general parser rejects");
        if (v.version != r.version || v.account_id != r.account_id || v.interface_id != r.interface_id ||
            v.has_src != r.has_src || v.has_dst != r.has_dst || (r.has_src && !(v.src == r.src)) ||
            (r.has_dst && !(v.dst == r.dst)) || v.src_port != r.src_port || v.dst_port != r.dst_port ||
            v.protocol != r.protocol || v.packets != r.packets || v.bytes != r.bytes || v.start != r.start ||
            v.end != r.end || v.action != r.action || v.log_status != r.log_status)
          fail("the v2 fast parser and the general parser disagree");
      }
    }
    if (e) {
      if (describe(e, format, line).empty()) fail("empty error description");
      continue;
    }
    if (r.protocol < -1 || r.protocol > 255) fail("protocol out of range");
    if (!r.interface_id.empty() &&
        (r.interface_id.data() < line.data() || r.interface_id.data() + r.interface_id.size() > line.data() + line.size()))
      fail("interface-id does not point into the line");
  }
}

void check_aggregate(std::string_view text, const LogFormat& format) {
  Aggregate a;
  aggregate_text(text, "fuzz.log", format, a);
  const ReadStats& s = a.stats;
  uint64_t flows = 0;
  a.flows.for_each([&](const FlowKey&, const FlowCounters& c) { flows += c.flows; });
  if (flows > s.records) fail("more flows than records");
  if (s.nodata + s.skipdata + s.malformed + s.unattributable > s.records) fail("counters exceed the records");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t nl = text.find('\n');
  const std::string_view first = text.substr(0, nl);
  check_lines(text, LogFormat::default_v2());
  check_aggregate(text, LogFormat::default_v2());
  if (fortress::Expected<LogFormat> f = parse_log_format(first)) {
    if (f->fields.empty()) fail("a parsed format has no fields");
    fortress::Expected<LogFormat> again = parse_log_format(f->to_string());
    if (!again || !(*again == *f)) fail("format round trip changed it");
    const std::string_view rest = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    check_lines(rest, *f);
    check_aggregate(rest, *f);
  }
  return 0;
}
