#include "flows/aggregate_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>

#include "util/json_value.h"

namespace fortress::flows {

namespace {

std::string_view action_text(uint8_t a) {
  return Action(a) == Action::kAccept ? "ACCEPT" : Action(a) == Action::kReject ? "REJECT" : "-";
}
std::string_view direction_text(uint8_t d) {
  return FlowDirection(d) == FlowDirection::kIngress ? "ingress" : FlowDirection(d) == FlowDirection::kEgress ? "egress" : "-";
}

struct Row {  // a copy: the table stores keys compactly, for_each hands out temporaries
  FlowKey key;
  FlowCounters counters;
};

std::vector<Row> sorted_rows(const Aggregate& a) {
  std::vector<Row> rows;
  rows.reserve(a.flows.size());
  a.flows.for_each([&](const FlowKey& k, const FlowCounters& c) { rows.push_back({k, c}); });
  // Interfaces by name once; rows then compare integers only.
  const auto& names = a.interfaces.texts();
  std::vector<uint32_t> order(names.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return names[x] < names[y]; });
  std::vector<uint32_t> rank(names.size());
  for (uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  std::sort(rows.begin(), rows.end(), [&](const Row& x, const Row& y) {
    const FlowKey& a1 = x.key;
    const FlowKey& b1 = y.key;
    return std::tie(rank[a1.interface], a1.v6, a1.src, a1.dst, a1.protocol, a1.src_port, a1.dst_port, a1.action,
                    a1.direction, a1.initiator) < std::tie(rank[b1.interface], b1.v6, b1.src, b1.dst, b1.protocol,
                                                           b1.src_port, b1.dst_port, b1.action, b1.direction,
                                                           b1.initiator);
  });
  return rows;
}

// An address as text without allocating for IPv4 (the common case).
void append_ip(std::string& out, bool v6, uint128 value) {
  if (!v6) {
    const uint32_t v = uint32_t(value);
    fmt::format_to(std::back_inserter(out), "{}.{}.{}.{}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
    return;
  }
  out += IpAddress::v6(value).to_string();
}

std::vector<std::pair<std::pair<std::string_view, std::string_view>, const Observation*>> sorted_observations(
    const Aggregate& a) {
  std::vector<std::pair<std::pair<std::string_view, std::string_view>, const Observation*>> out;
  for (const auto& [k, o] : a.observations)
    out.push_back({{a.interfaces.texts()[k.first], a.flow_logs.texts()[k.second]}, &o});
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return out;
}

uint32_t first_or_zero(uint32_t v) { return v == UINT32_MAX ? 0 : v; }

}  // namespace

void write_aggregate_csv(const Aggregate& a, std::ostream& out) {
  std::string buf;
  buf += kAggregateCsvHeader;
  buf += '\n';
  for (const Row& r : sorted_rows(a)) {
    const FlowKey& k = r.key;
    const FlowCounters& c = r.counters;
    buf += "flow,";
    buf += a.interfaces.texts()[k.interface];
    buf += ",,";
    append_ip(buf, k.v6 != 0, k.src);
    buf += ',';
    append_ip(buf, k.v6 != 0, k.dst);
    fmt::format_to(std::back_inserter(buf), ",{},{},{},{},{},{},{},{},{},{},{},0,0\n", k.src_port, k.dst_port,
                   k.protocol, action_text(k.action), direction_text(k.direction), to_string(Initiator(k.initiator)),
                   c.flows, c.packets, c.bytes, first_or_zero(c.first_start), c.last_end);
    if (buf.size() > (1u << 20)) {
      out.write(buf.data(), std::streamsize(buf.size()));
      buf.clear();
    }
  }
  for (const auto& [k, o] : sorted_observations(a)) {
    fmt::format_to(std::back_inserter(buf), "observation,{},{},,,,,,,,,{},0,0,{},{},{},{}\n", k.first, k.second,
                   o->records, first_or_zero(o->first_start), o->last_end, o->nodata, o->skipdata);
  }
  out.write(buf.data(), std::streamsize(buf.size()));
}

void write_aggregate_json(const Aggregate& a, std::ostream& out) {
  JsonValue root = JsonValue::object();
  root.set("format", "fortress-flow-aggregate");
  root.set("version", 1);
  JsonValue flows = JsonValue::array();
  for (const Row& r : sorted_rows(a)) {
    const FlowKey& k = r.key;
    const FlowCounters& c = r.counters;
    JsonValue o = JsonValue::object();
    o.set("interface_id", a.interfaces.texts()[k.interface]);
    o.set("src_addr", k.src_ip().to_string());
    o.set("dst_addr", k.dst_ip().to_string());
    o.set("src_port", int(k.src_port));
    o.set("dst_port", int(k.dst_port));
    o.set("protocol", int(k.protocol));
    o.set("action", action_text(k.action));
    o.set("flow_direction", direction_text(k.direction));
    o.set("initiator", to_string(Initiator(k.initiator)));
    o.set("flows", c.flows);
    o.set("packets", c.packets);
    o.set("bytes", c.bytes);
    o.set("first_start", first_or_zero(c.first_start));
    o.set("last_end", c.last_end);
    flows.push(std::move(o));
  }
  root.set("flows", std::move(flows));
  JsonValue obs = JsonValue::array();
  for (const auto& [k, o] : sorted_observations(a)) {
    JsonValue j = JsonValue::object();
    j.set("interface_id", k.first);
    j.set("flow_log_id", k.second);
    j.set("records", o->records);
    j.set("nodata", o->nodata);
    j.set("skipdata", o->skipdata);
    j.set("first_start", first_or_zero(o->first_start));
    j.set("last_end", o->last_end);
    obs.push(std::move(j));
  }
  root.set("observations", std::move(obs));
  const ReadStats& s = a.stats;
  JsonValue st = JsonValue::object();
  st.set("files", s.files);
  st.set("bytes", s.bytes);
  st.set("compressed_bytes", s.compressed_bytes);
  st.set("records", s.records);
  st.set("nodata", s.nodata);
  st.set("skipdata", s.skipdata);
  st.set("malformed", s.malformed);
  st.set("unattributable", s.unattributable);
  JsonValue samples = JsonValue::array();
  for (const MalformedSample& m : s.samples) {
    JsonValue j = JsonValue::object();
    j.set("file", m.file);
    j.set("line", m.line);
    j.set("reason", m.reason);
    samples.push(std::move(j));
  }
  st.set("samples", std::move(samples));
  JsonValue issues = JsonValue::array();
  for (const FileIssue& i : s.issues) {
    JsonValue j = JsonValue::object();
    j.set("level", i.level == FileIssue::Level::kError ? "error" : "warning");
    j.set("file", i.file);
    j.set("message", i.message);
    issues.push(std::move(j));
  }
  st.set("issues", std::move(issues));
  root.set("stats", std::move(st));
  out << root.dump(1) << '\n';
}

namespace {

Error bad(std::string_view name, uint64_t line, std::string message) {
  Error e;
  e.code = ErrorCode::kParse;
  e.file = std::string(name);
  e.line = line;
  e.message = std::move(message);
  return e;
}

// One CSV line into fields (RFC 4180 quotes; no embedded newlines in aggregates).
bool split_csv(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  size_t i = 0;
  while (true) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < line.size() && line[i] != ',') return false;
    } else {
      const size_t comma = line.find(',', i);
      field = std::string(line.substr(i, comma == std::string_view::npos ? std::string_view::npos : comma - i));
      i = comma == std::string_view::npos ? line.size() : comma;
    }
    out.push_back(std::move(field));
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

template <typename T>
bool number(std::string_view s, T& out) {
  if (s.empty()) {
    out = 0;
    return true;
  }
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

struct RowFields {
  std::string_view kind, interface_id, flow_log_id, src, dst, src_port, dst_port, protocol, action, direction,
      initiator, flows, packets, bytes, first_start, last_end, nodata, skipdata;
};

Status add_row(const RowFields& f, std::string_view name, uint64_t line, Aggregate& into) {
  if (f.kind == "observation") {
    Observation o;
    if (!number(f.flows, o.records) || !number(f.nodata, o.nodata) || !number(f.skipdata, o.skipdata) ||
        !number(f.first_start, o.first_start) || !number(f.last_end, o.last_end))
      return bad(name, line, "observation row with a bad number");
    if (o.first_start == 0) o.first_start = UINT32_MAX;
    into.observations[{into.interfaces.id(f.interface_id), into.flow_logs.id(f.flow_log_id)}].add(o);
    return {};
  }
  if (f.kind != "flow") return bad(name, line, fmt::format("unknown row kind \"{}\" (flow or observation)", f.kind));
  FlowKey k;
  Expected<IpAddress> src = parse_ip(f.src);
  Expected<IpAddress> dst = parse_ip(f.dst);
  if (!src || !dst || src->family != dst->family) return bad(name, line, "flow row with bad addresses");
  k.src = src->value;
  k.dst = dst->value;
  k.v6 = src->family == IpFamily::kV6;
  k.interface = into.interfaces.id(f.interface_id);
  if (!number(f.src_port, k.src_port) || !number(f.dst_port, k.dst_port) || !number(f.protocol, k.protocol))
    return bad(name, line, "flow row with a bad port or protocol");
  if (f.action == "ACCEPT") k.action = uint8_t(Action::kAccept);
  else if (f.action == "REJECT") k.action = uint8_t(Action::kReject);
  else return bad(name, line, fmt::format("bad action \"{}\"", f.action));
  if (f.direction == "ingress") k.direction = uint8_t(FlowDirection::kIngress);
  else if (f.direction == "egress") k.direction = uint8_t(FlowDirection::kEgress);
  else if (f.direction == "-" || f.direction.empty()) k.direction = uint8_t(FlowDirection::kUnknown);
  else return bad(name, line, fmt::format("bad flow_direction \"{}\"", f.direction));
  bool found = false;
  for (Initiator i : {Initiator::kUnknown, Initiator::kSrcByFlags, Initiator::kDstByFlags, Initiator::kSrcByPort,
                      Initiator::kDstByPort}) {
    if (to_string(i) == f.initiator) {
      k.initiator = uint8_t(i);
      found = true;
    }
  }
  if (!found) return bad(name, line, fmt::format("bad initiator \"{}\"", f.initiator));
  FlowCounters c;
  if (!number(f.flows, c.flows) || !number(f.packets, c.packets) || !number(f.bytes, c.bytes) ||
      !number(f.first_start, c.first_start) || !number(f.last_end, c.last_end))
    return bad(name, line, "flow row with a bad counter");
  if (c.first_start == 0) c.first_start = UINT32_MAX;
  if (c.flows == 0) return bad(name, line, "flow row with 0 flows");
  into.flows.add(k, c);
  return {};
}

Status read_csv(std::string_view text, std::string_view name, Aggregate& into) {
  static constexpr std::array<std::string_view, 18> kColumns = {
      "kind", "interface_id", "flow_log_id", "src_addr", "dst_addr", "src_port", "dst_port", "protocol", "action",
      "flow_direction", "initiator", "flows", "packets", "bytes", "first_start", "last_end", "nodata", "skipdata"};
  std::array<int, 18> index{};
  index.fill(-1);
  std::vector<std::string> cells;
  uint64_t line_no = 0;
  bool header = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (!split_csv(line, cells)) return bad(name, line_no, "malformed CSV (unbalanced quotes)");
    if (!header) {
      for (size_t i = 0; i < cells.size(); ++i) {
        std::string c = cells[i];
        std::transform(c.begin(), c.end(), c.begin(), [](char ch) { return char(std::tolower(ch)); });
        for (size_t j = 0; j < kColumns.size(); ++j)
          if (c == kColumns[j]) index[j] = int(i);
      }
      for (size_t j = 0; j < kColumns.size(); ++j)
        if (index[j] < 0)
          return bad(name, line_no, fmt::format("not a fortress flow aggregate: no column \"{}\" in the header", kColumns[j]));
      header = true;
      continue;
    }
    auto cell = [&](size_t j) -> std::string_view {
      const int i = index[j];
      return size_t(i) < cells.size() ? std::string_view(cells[size_t(i)]) : std::string_view();
    };
    RowFields f{cell(0), cell(1), cell(2), cell(3), cell(4), cell(5), cell(6), cell(7), cell(8),
                cell(9), cell(10), cell(11), cell(12), cell(13), cell(14), cell(15), cell(16), cell(17)};
    if (Status s = add_row(f, name, line_no, into); !s) return s;
  }
  if (!header) return bad(name, 0, "empty aggregate file");
  return {};
}

std::string text_of(const JsonValue* v) {
  if (v == nullptr) return {};
  if (v->is_string()) return v->as_string();
  if (v->is_int()) return std::to_string(v->as_int());
  return {};
}

Status read_json(std::string_view text, std::string_view name, Aggregate& into) {
  Expected<JsonValue> doc = parse_json_text(text);
  if (!doc) return bad(name, doc.error().line, "not valid JSON: " + doc.error().message);
  const JsonValue* fmt_name = doc->is_object() ? doc->get("format") : nullptr;
  if (fmt_name == nullptr || !fmt_name->is_string() || fmt_name->as_string() != "fortress-flow-aggregate")
    return bad(name, 0, "not a fortress flow aggregate (\"format\": \"fortress-flow-aggregate\" missing)");
  uint64_t index = 0;
  for (std::string_view kind : {"flows", "observations"}) {
    const JsonValue* rows = doc->get(kind);
    if (rows == nullptr || !rows->is_array()) return bad(name, 0, fmt::format("no \"{}\" array", kind));
    for (const JsonValue& r : rows->as_array()) {
      ++index;
      std::array<std::string, 17> v;
      const char* keys[17] = {"interface_id", "flow_log_id", "src_addr", "dst_addr", "src_port", "dst_port",
                              "protocol", "action", "flow_direction", "initiator", "flows", "packets", "bytes",
                              "first_start", "last_end", "nodata", "skipdata"};
      for (size_t i = 0; i < 17; ++i) v[i] = text_of(r.get(keys[i]));
      if (kind == "observations") v[10] = text_of(r.get("records"));
      RowFields f{kind == "flows" ? "flow" : "observation", v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                  v[10], v[11], v[12], v[13], v[14], v[15], v[16]};
      if (Status s = add_row(f, name, index, into); !s) return s;
    }
  }
  if (const JsonValue* st = doc->get("stats"); st != nullptr && st->is_object()) {
    auto n = [&](const char* k) -> uint64_t {
      const JsonValue* v = st->get(k);
      return v != nullptr && v->is_int() ? uint64_t(v->as_int()) : 0;
    };
    ReadStats s;
    s.files = n("files");
    s.bytes = n("bytes");
    s.compressed_bytes = n("compressed_bytes");
    s.records = n("records");
    s.nodata = n("nodata");
    s.skipdata = n("skipdata");
    s.malformed = n("malformed");
    s.unattributable = n("unattributable");
    if (const JsonValue* samples = st->get("samples"); samples != nullptr && samples->is_array())
      for (const JsonValue& m : samples->as_array())
        s.samples.push_back({text_of(m.get("file")), uint64_t(m.get("line") && m.get("line")->is_int() ? m.get("line")->as_int() : 0),
                             text_of(m.get("reason"))});
    if (const JsonValue* issues = st->get("issues"); issues != nullptr && issues->is_array())
      for (const JsonValue& m : issues->as_array())
        s.issues.push_back({text_of(m.get("level")) == "warning" ? FileIssue::Level::kWarning : FileIssue::Level::kError,
                            text_of(m.get("file")), text_of(m.get("message"))});
    into.stats.add(std::move(s), 20);
  }
  return {};
}

}  // namespace

Status read_aggregate(std::string_view text, std::string_view name, Aggregate& into) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return read_json(text, name, into);
  return read_csv(text, name, into);
}

}  // namespace fortress::flows
