#include "flows/record.h"

#include <fmt/format.h>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
// parse_record_v2's AVX2 variant, chosen at run time (GCC/Clang function targets).
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define FORTRESS_V2_DISPATCH 1
#include <immintrin.h>
#endif

namespace fortress::flows {

namespace {

inline bool is_dash(std::string_view v) { return v.size() == 1 && v[0] == '-'; }

// Decimal, at most 20 digits, no sign; false on anything else or overflow of `max`.
inline bool parse_uint(std::string_view v, uint64_t max, uint64_t& out) {
  if (v.empty() || v.size() > 20) return false;
  uint64_t x = 0;
  for (char c : v) {
    const unsigned d = unsigned(c) - '0';
    if (d > 9) return false;
    if (x > (UINT64_MAX - d) / 10) return false;
    x = x * 10 + d;
  }
  if (x > max) return false;
  out = x;
  return true;
}

// Dotted quad fast path (the common case); falls back to the strict parser for IPv6.
inline bool parse_address(std::string_view v, IpAddress& out) {
  if (v.size() >= 7 && v.size() <= 15) {
    uint32_t value = 0;
    unsigned octet = 0;
    int digits = 0;
    int dots = 0;
    bool ok = true;
    for (char c : v) {
      if (c == '.') {
        if (digits == 0 || octet > 255) { ok = false; break; }
        value = (value << 8) | octet;
        octet = 0;
        digits = 0;
        ++dots;
      } else {
        const unsigned d = unsigned(c) - '0';
        if (d > 9) { ok = false; break; }
        if (digits == 1 && octet == 0) { ok = false; break; }  // leading zero
        octet = octet * 10 + d;
        ++digits;
      }
    }
    if (ok && dots == 3 && digits > 0 && octet <= 255) {
      out = IpAddress::v4((value << 8) | octet);
      return true;
    }
    if (v.find(':') == std::string_view::npos) return false;
  }
  if (v.find(':') == std::string_view::npos) return false;
  Expected<IpAddress> a = parse_ip(v);
  if (!a) return false;
  out = *a;
  return true;
}


// ---- the fast paths: a field read from the line's padded copy (at least 16 readable bytes after the
// field's start), SWAR / SSE2. Each accepts exactly what the scalar parser above accepts, and leaves
// anything unusual to it.

// The value of `len` (1-8) ASCII digits at p (8 bytes readable), eight bytes at a time; false unless all
// are digits (D. Lemire, "Fast float parsing in practice", the eight-digit step).
inline bool digits8(const char* p, size_t len, uint64_t& out) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  const unsigned shift = unsigned(8 - len) * 8;
  // Little-endian: the first digit is the lowest byte. Move the digits to the top and fill below with '0'.
  if (shift != 0) v = (v << shift) | (0x3030303030303030ULL >> (64 - shift));
  if ((((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4))) !=
      0x3333333333333333ULL)
    return false;
  v -= 0x3030303030303030ULL;
  v = (v * 10) + (v >> 8);
  v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
      32;
  out = uint32_t(v);
  return true;
}

// parse_uint on the padded copy: up to 16 digits by SWAR (no overflow possible), longer ones by the
// scalar loop (which checks overflow).
inline bool parse_uint_fast(const char* p, size_t len, uint64_t max, uint64_t& out) {
  uint64_t x = 0;
  if (len == 0) return false;
  if (len <= 8) {
    if (!digits8(p, len, x)) return false;
  } else if (len <= 16) {
    uint64_t hi = 0, lo = 0;
    if (!digits8(p, len - 8, hi) || !digits8(p + len - 8, 8, lo)) return false;
    x = hi * 100000000ULL + lo;
  } else {
    return parse_uint(std::string_view(p, len), max, out);
  }
  if (x > max) return false;
  out = x;
  return true;
}

#if defined(__SSE2__)
// A dotted quad by one 16-byte compare: the dots and digits as bitmaps, the octets from the dots'
// places. true with `out` set only for a well-formed address (no leading zeros, octets <= 255); false
// for anything else (IPv6, errors), which the strict parser then decides.
inline bool parse_v4_sse(const char* p, size_t len, uint32_t& out) {
  if (len < 7 || len > 15) return false;
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const uint32_t in = (1u << len) - 1;
  const uint32_t dots = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')))) & in;
  const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  const uint32_t digits = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d))) & in;
  const uint32_t rest = dots & (dots - 1);
  const uint32_t last = rest & (rest - 1);
  if ((dots | digits) != in || dots == 0 || rest == 0 || last == 0 || (last & (last - 1)) != 0) return false;  // 3 dots
  const unsigned d1 = unsigned(__builtin_ctz(dots));
  const unsigned d2 = unsigned(__builtin_ctz(rest));
  const unsigned d3 = unsigned(__builtin_ctz(last));
  const unsigned starts[4] = {0, d1 + 1, d2 + 1, d3 + 1};
  const unsigned ends[4] = {d1, d2, d3, unsigned(len)};
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    const unsigned n = ends[i] - starts[i];
    const unsigned char* c = reinterpret_cast<const unsigned char*>(p + starts[i]);
    unsigned octet;
    if (n == 1) octet = c[0] - '0';
    else if (n == 2) octet = (c[0] - '0') * 10 + (c[1] - '0');
    else if (n == 3) octet = (c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0');
    else return false;
    if ((n > 1 && c[0] == '0') || octet > 255) return false;
    value = (value << 8) | octet;
  }
  out = value;
  return true;
}
#endif

// parse_address on the padded copy.
inline bool parse_address_fast(const char* p, std::string_view v, IpAddress& out) {
#if defined(__SSE2__)
  uint32_t x;
  if (parse_v4_sse(p, v.size(), x)) {
    out = IpAddress::v4(x);
    return true;
  }
#endif
  (void)p;
  return parse_address(v, out);
}

}  // namespace

// The positions of the spaces of a line (at most kMaxLine bytes) as a bitmap, 16 bytes at a time with
// SSE2 (baseline x86-64); a portable loop elsewhere.
constexpr size_t kMaxLine = 1024;
struct SpaceMap {
  uint64_t words[kMaxLine / 64 + 1];
};
// `buf` (kPadded bytes) receives a copy of the line followed by 16 spaces: the fast field parsers read
// up to 16 bytes from a field's start.
constexpr size_t kPadded = kMaxLine + 16;
inline void map_spaces(const char* data, size_t n, SpaceMap& m, char* buf) {
  std::memcpy(buf, data, n);
  std::memset(buf + n, ' ', 16);  // a space after the end closes the last field
  const size_t blocks = (n + 1 + 15) / 16;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  for (size_t i = 0; i < (blocks + 3) / 4; ++i) m.words[i] = 0;
  for (size_t i = 0; i < blocks; ++i) {
    const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(buf + 16 * i));
    const uint64_t bits = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
    m.words[i / 4] |= bits << (16 * (i % 4));
  }
#else
  for (size_t i = 0; i < (blocks + 3) / 4; ++i) m.words[i] = 0;
  for (size_t i = 0; i < blocks * 16; ++i)
    if (buf[i] == ' ') m.words[i / 64] |= uint64_t(1) << (i % 64);
#endif
}

RecordError parse_record(std::string_view line, const LogFormat& format, FlowRecord& r) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  r = FlowRecord{};
  const size_t expected = format.fields.size();
  if (line.size() > kMaxLine) return {RecordErrorCode::kTooManyFields, -1, uint16_t(std::min<size_t>(65535, line.size() / 2))};
  SpaceMap spaces;
  alignas(16) char padded[kPadded];
  map_spaces(line.data(), line.size(), spaces, padded);
  const char* const base = line.data();
  const size_t n = line.size();
  size_t col = 0;
  size_t pos = 0;  // start of the current field
  size_t word = 0;
  uint64_t bits = spaces.words[0];
  while (pos < n) {
    // The next space at or after pos.
    while (bits == 0) bits = spaces.words[++word];
    const size_t space = word * 64 + size_t(__builtin_ctzll(bits));
    bits &= bits - 1;
    if (space < pos) continue;
    if (space == pos) {  // a run of spaces: empty field skipped
      ++pos;
      continue;
    }
    const std::string_view v(base + pos, space - pos);
    const char* const fp = padded + pos;  // the same field in the padded copy
    pos = space + 1;
    if (col >= expected) {
      size_t total = col + 1;
      bool in_field = false;
      for (size_t i = pos; i < n; ++i) {
        if (line[i] != ' ' && !in_field) ++total;
        in_field = line[i] != ' ';
      }
      return {RecordErrorCode::kTooManyFields, -1, uint16_t(std::min<size_t>(total, 65535))};
    }
    const int16_t c = int16_t(col++);
    const bool dash = is_dash(v);
    uint64_t n = 0;
    switch (format.fields[size_t(c)]) {
      case Field::kVersion:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), 127, n)) return {RecordErrorCode::kBadNumber, c, 0};
        r.version = int8_t(n);
        break;
      case Field::kAccountId: r.account_id = dash ? std::string_view() : v; break;
      case Field::kInterfaceId: r.interface_id = dash ? std::string_view() : v; break;
      case Field::kSrcAddr:
        if (dash) break;
        if (!parse_address_fast(fp, v, r.src)) return {RecordErrorCode::kBadAddress, c, 0};
        r.has_src = true;
        break;
      case Field::kDstAddr:
        if (dash) break;
        if (!parse_address_fast(fp, v, r.dst)) return {RecordErrorCode::kBadAddress, c, 0};
        r.has_dst = true;
        break;
      case Field::kPktSrcAddr:
        if (dash) break;
        if (!parse_address_fast(fp, v, r.pkt_src)) return {RecordErrorCode::kBadAddress, c, 0};
        r.has_pkt_src = true;
        break;
      case Field::kPktDstAddr:
        if (dash) break;
        if (!parse_address_fast(fp, v, r.pkt_dst)) return {RecordErrorCode::kBadAddress, c, 0};
        r.has_pkt_dst = true;
        break;
      case Field::kSrcPort:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), 65535, n)) return {RecordErrorCode::kBadNumber, c, 0};
        r.src_port = uint16_t(n);
        break;
      case Field::kDstPort:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), 65535, n)) return {RecordErrorCode::kBadNumber, c, 0};
        r.dst_port = uint16_t(n);
        break;
      case Field::kProtocol:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), 255, n)) return {RecordErrorCode::kBadNumber, c, 0};
        r.protocol = int16_t(n);
        break;
      case Field::kPackets:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), UINT64_MAX, r.packets)) return {RecordErrorCode::kBadNumber, c, 0};
        break;
      case Field::kBytes:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), UINT64_MAX, r.bytes)) return {RecordErrorCode::kBadNumber, c, 0};
        break;
      case Field::kStart:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), UINT32_MAX, n)) return {RecordErrorCode::kBadNumber, c, 0};
        r.start = uint32_t(n);
        break;
      case Field::kEnd:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), UINT32_MAX, n)) return {RecordErrorCode::kBadNumber, c, 0};
        r.end = uint32_t(n);
        break;
      case Field::kAction:
        if (v == "ACCEPT") r.action = Action::kAccept;
        else if (v == "REJECT") r.action = Action::kReject;
        else if (!dash) return {RecordErrorCode::kBadAction, c, 0};
        break;
      case Field::kLogStatus:
        if (v == "OK") r.log_status = LogStatus::kOk;
        else if (v == "NODATA") r.log_status = LogStatus::kNoData;
        else if (v == "SKIPDATA") r.log_status = LogStatus::kSkipData;
        else if (!dash) return {RecordErrorCode::kBadLogStatus, c, 0};
        break;
      case Field::kTcpFlags:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), 255, n)) return {RecordErrorCode::kBadNumber, c, 0};
        r.tcp_flags = int16_t(n);
        break;
      case Field::kFlowDirection:
        if (v == "ingress") r.flow_direction = FlowDirection::kIngress;
        else if (v == "egress") r.flow_direction = FlowDirection::kEgress;
        else if (!dash) return {RecordErrorCode::kBadDirection, c, 0};
        break;
      case Field::kTrafficPath:
        if (dash) break;
        if (!parse_uint_fast(fp, v.size(), 127, n)) return {RecordErrorCode::kBadNumber, c, 0};
        r.traffic_path = int8_t(n);
        break;
      case Field::kVpcId: r.vpc_id = v; break;
      case Field::kSubnetId: r.subnet_id = v; break;
      case Field::kInstanceId: r.instance_id = v; break;
      case Field::kType: r.type = v; break;
      case Field::kRegion: r.region = v; break;
      case Field::kAzId: r.az_id = v; break;
      case Field::kSublocationType: r.sublocation_type = v; break;
      case Field::kSublocationId: r.sublocation_id = v; break;
      case Field::kPktSrcAwsService: r.pkt_src_aws_service = v; break;
      case Field::kPktDstAwsService: r.pkt_dst_aws_service = v; break;
      case Field::kEcsClusterArn: r.ecs_cluster_arn = v; break;
      case Field::kEcsClusterName: r.ecs_cluster_name = v; break;
      case Field::kEcsContainerInstanceArn: r.ecs_container_instance_arn = v; break;
      case Field::kEcsContainerInstanceId: r.ecs_container_instance_id = v; break;
      case Field::kEcsContainerId: r.ecs_container_id = v; break;
      case Field::kEcsSecondContainerId: r.ecs_second_container_id = v; break;
      case Field::kEcsServiceName: r.ecs_service_name = v; break;
      case Field::kEcsTaskDefinitionArn: r.ecs_task_definition_arn = v; break;
      case Field::kEcsTaskArn: r.ecs_task_arn = v; break;
      case Field::kEcsTaskId: r.ecs_task_id = v; break;
      case Field::kRejectReason: r.reject_reason = v; break;
      case Field::kResourceId: r.resource_id = v; break;
      case Field::kEncryptionStatus: r.encryption_status = v; break;
      case Field::kUnknown: break;
    }
  }
  if (col < expected) return {RecordErrorCode::kTooFewFields, -1, uint16_t(col)};
  return {};
}

std::string describe(const RecordError& e, const LogFormat& format, std::string_view line) {
  if (e.code == RecordErrorCode::kTooFewFields || e.code == RecordErrorCode::kTooManyFields) {
    return fmt::format("{} fields expected (format {}), {} found", format.fields.size(),
                       format.version() == 2 && format == LogFormat::default_v2() ? "v2 default" : "of the file",
                       e.columns);
  }
  if (e.code == RecordErrorCode::kBinary) return "not a text record (control or non-ASCII byte)";
  // Find the column's text again (only for samples).
  std::string_view value;
  size_t col = 0;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    if (pos < end) {
      if (int(col) == e.column) {
        value = line.substr(pos, end - pos);
        break;
      }
      ++col;
    }
    pos = end;
  }
  std::string shown(value.substr(0, 60));
  for (char& ch : shown)
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) ch = '?';
  const Field f = e.column >= 0 && size_t(e.column) < format.fields.size() ? format.fields[size_t(e.column)]
                                                                           : Field::kUnknown;
  const std::string_view name = field_info(f).name;
  std::string_view why;
  switch (e.code) {
    case RecordErrorCode::kBadNumber: why = "not a valid number"; break;
    case RecordErrorCode::kBadAddress: why = "not an IP address"; break;
    case RecordErrorCode::kBadAction: why = "not ACCEPT, REJECT or -"; break;
    case RecordErrorCode::kBadLogStatus: why = "not OK, NODATA or SKIPDATA"; break;
    case RecordErrorCode::kBadDirection: why = "not ingress, egress or -"; break;
    default: why = "invalid"; break;
  }
  return fmt::format("{}: {}: \"{}\"", name, why, shown);
}

}  // namespace fortress::flows

namespace fortress::flows {

namespace {

#if defined(__SSE2__)
// The 14 fields of a v2 line from its 13 cut places (cut[13] = n): converted by the same field parsers
// as parse_record. Inlined into each space-map variant below (compiled for its instruction set).
[[gnu::always_inline]] inline bool v2_fields(const char* const p, const uint16_t* cut, V2Record& r) {
  auto begin_of = [&](int i) -> size_t { return i == 0 ? 0 : size_t(cut[i - 1]) + 1; };
  auto field = [&](int i) -> std::string_view { return std::string_view(p + begin_of(i), cut[i] - begin_of(i)); };
  auto is_dash_at = [&](int i) { return cut[i] - begin_of(i) == 1 && p[begin_of(i)] == '-'; };
  auto number = [&](int i, uint64_t max, uint64_t& out) {
    return parse_uint_fast(p + begin_of(i), cut[i] - begin_of(i), max, out);
  };
  uint64_t x = 0;
  // version
  if (cut[0] == 1 && p[0] == '2') r.version = 2;
  else if (is_dash_at(0)) r.version = -1;
  else if (number(0, 127, x)) r.version = int8_t(x);
  else return false;
  r.account_id = is_dash_at(1) ? std::string_view() : field(1);
  r.interface_id = is_dash_at(2) ? std::string_view() : field(2);
  r.has_src = !is_dash_at(3);
  if (r.has_src && !parse_address_fast(p + begin_of(3), field(3), r.src)) return false;
  r.has_dst = !is_dash_at(4);
  if (r.has_dst && !parse_address_fast(p + begin_of(4), field(4), r.dst)) return false;
  r.src_port = 0;
  if (!is_dash_at(5)) {
    if (!number(5, 65535, x)) return false;
    r.src_port = uint16_t(x);
  }
  r.dst_port = 0;
  if (!is_dash_at(6)) {
    if (!number(6, 65535, x)) return false;
    r.dst_port = uint16_t(x);
  }
  r.protocol = -1;
  if (!is_dash_at(7)) {
    if (!number(7, 255, x)) return false;
    r.protocol = int16_t(x);
  }
  r.packets = 0;
  if (!is_dash_at(8) && !number(8, UINT64_MAX, r.packets)) return false;
  r.bytes = 0;
  if (!is_dash_at(9) && !number(9, UINT64_MAX, r.bytes)) return false;
  r.start = 0;
  if (!is_dash_at(10)) {
    if (!number(10, UINT32_MAX, x)) return false;
    r.start = uint32_t(x);
  }
  r.end = 0;
  if (!is_dash_at(11)) {
    if (!number(11, UINT32_MAX, x)) return false;
    r.end = uint32_t(x);
  }
  const std::string_view action = field(12);
  if (action == "ACCEPT") r.action = Action::kAccept;
  else if (action == "REJECT") r.action = Action::kReject;
  else if (is_dash_at(12)) r.action = Action::kNone;
  else return false;
  const std::string_view status = field(13);
  if (status == "OK") r.log_status = LogStatus::kOk;
  else if (status == "NODATA") r.log_status = LogStatus::kNoData;
  else if (status == "SKIPDATA") r.log_status = LogStatus::kSkipData;
  else if (is_dash_at(13)) r.log_status = LogStatus::kOk;
  else return false;
  return true;
}

// The spaces of the line (n <= 256 bytes; the bytes after the end masked off) in w[0..3] (w[4] = 0):
// true when there are exactly 13, none doubled, none first or last — then the columns are the general
// parser's — with their places in cut[0..12] and cut[13] = n. The places come from each word's bits
// eight at a time, unconditionally (tzcnt, clear the lowest bit; the word's popcount moves the output),
// not from a loop whose exit depends on the data and mispredicts.
[[gnu::always_inline]] inline bool v2_cuts(uint64_t (&w)[5], size_t n, uint16_t (&cut)[32]) {
  const size_t last_word = (n - 1) / 64;
  const unsigned tail = unsigned(n % 64);
  if (tail != 0) w[last_word] &= (uint64_t(1) << tail) - 1;
  int count = 0;
  uint64_t adjacent = 0;
  for (size_t k = 0; k <= last_word; ++k) {
    count += __builtin_popcountll(w[k]);
    adjacent |= w[k] & ((w[k] >> 1) | (w[k + 1] << 63));
  }
  if (count != 13 || adjacent != 0 || (w[0] & 1) != 0 || ((w[last_word] >> ((n - 1) % 64)) & 1) != 0) return false;
  int c = 0;
  for (size_t k = 0; k <= last_word; ++k) {
    uint64_t bits = w[k];
    const int pc = __builtin_popcountll(bits);
    uint16_t* out = cut + c;
    const uint16_t base = uint16_t(k * 64);
    for (int i = 0; i < 8; ++i) {
      out[i] = uint16_t(base + (bits != 0 ? __builtin_ctzll(bits) : 64));
      bits &= bits - 1;
    }
    if (pc > 8) {
      for (int i = 8; i < 16; ++i) {
        out[i] = uint16_t(base + (bits != 0 ? __builtin_ctzll(bits) : 64));
        bits &= bits - 1;
      }
    }
    c += pc;
  }
  cut[13] = uint16_t(n);
  return true;
}

// Both variants: the line without a trailing '\r', and whether its length suits them (14 fields of at
// least one byte and 13 spaces; at most 256 bytes, what the space map and the cut table are sized for).
inline bool v2_fast_length(std::string_view& line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line.size() >= 27 && line.size() <= 256;
}

// Baseline x86-64: the space map 16 bytes at a time (SSE2).
bool parse_v2_sse2(std::string_view line, V2Record& r) {
  if (!v2_fast_length(line)) return false;
  const size_t n = line.size();
  const char* const p = line.data();
  uint64_t w[5] = {0, 0, 0, 0, 0};
  const __m128i space = _mm_set1_epi8(' ');
  const size_t blocks = (n + 15) / 16;
  for (size_t i = 0; i < blocks; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    w[i / 4] |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)))) << (16 * (i % 4));
  }
  uint16_t cut[32];
  if (!v2_cuts(w, n, cut)) return false;
  return v2_fields(p, cut, r);
}
#endif

#if defined(FORTRESS_V2_DISPATCH)
// The same for CPUs with AVX2, BMI1/2 and POPCNT (chosen at run time, the binary's minimum CPU stays
// baseline x86-64): the map 32 bytes at a time, hardware popcount, tzcnt and blsr. It reads at most 16
// bytes past the end, as the SSE2 variant: whole 32-byte blocks while they end within n + 16, then one
// 16-byte block (fewer than 16 bytes are left).
__attribute__((target("avx2,bmi,bmi2,popcnt"))) bool parse_v2_avx2(std::string_view line, V2Record& r) {
  if (!v2_fast_length(line)) return false;
  const size_t n = line.size();
  const char* const p = line.data();
  uint64_t w[5] = {0, 0, 0, 0, 0};
  const __m256i space = _mm256_set1_epi8(' ');
  const size_t blocks = (n + 16) / 32;
  for (size_t i = 0; i < blocks; ++i) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
    w[i / 2] |= uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, space)))) << (32 * (i % 2));
  }
  if (32 * blocks < n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32 * blocks));
    w[blocks / 2] |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))))) << (32 * (blocks % 2));
  }
  uint16_t cut[32];
  if (!v2_cuts(w, n, cut)) return false;
  return v2_fields(p, cut, r);
}

bool cpu_has_avx2_path() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
         __builtin_cpu_supports("popcnt");
}
const bool kAvx2Path = cpu_has_avx2_path();

// ---- AVX-512 (F, BW, VL, VBMI, VBMI2): the whole line at once ------------------------------------
//
// The common line (at most 127 bytes, IPv4 addresses, every field present, status OK) is parsed with
// no branch on its content: the line in two registers (masked loads: nothing past the end is read),
// the 13 spaces' places compressed into one register; the eight numeric fields gathered right-
// aligned into 16-byte lanes by one two-register byte permute each four, converted together by
// multiply-adds (digit pairs, then fours, then eights, then the 64-bit value); the eight octets of
// the two addresses likewise into 4-byte lanes. Every check of the AVX2 variant is made on the
// vectors (digits only, lengths, ranges, three dots an address, no leading zero); any line that fails
// one goes to the AVX2 variant, which decides, so the lines accepted and their values are the other
// variants'.
// GCC 12's AVX-512 headers start unmasked permutes and shifts from _mm512_undefined_epi32(), which
// -Wmaybe-uninitialized takes for a use of an uninitialized value (a false positive: every lane is
// written). Silenced for this part only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define FORTRESS_AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi,avx512vbmi2,avx2,bmi,bmi2,popcnt")))

// The constant byte vectors, built at start-up as plain bytes (loaded inside the AVX-512 function:
// no vector type crosses the baseline code).
struct Avx512Constants {
  using Bytes = int8_t[64];
  // The numeric fields (version, srcport, dstport, protocol | packets, bytes, start, end): lane s of the
  // first / second register gathers field kNumeric[s] / kNumeric[4 + s].
  static constexpr int kNumeric[8] = {0, 5, 6, 7, 8, 9, 10, 11};
  alignas(64) Bytes iota, iota_hi, previous, field_lo, field_hi, ramp16, tens, octet_end, octet_start, lane4, ramp4,
      address_bytes;
  template <typename F>
  static void fill(Bytes& b, F f) {
    for (int i = 0; i < 64; ++i) b[i] = int8_t(f(i));
  }
  Avx512Constants() {
    fill(iota, [](int i) { return i; });
    fill(iota_hi, [](int i) { return 64 + i; });
    fill(previous, [](int i) { return i == 0 ? 0 : i - 1; });  // starts from the cut before
    fill(field_lo, [](int i) { return kNumeric[i / 16]; });
    fill(field_hi, [](int i) { return kNumeric[4 + i / 16]; });
    fill(ramp16, [](int i) { return i % 16 - 16; });  // byte j of a lane: end - 16 + j
    fill(tens, [](int i) { return i % 2 == 0 ? 10 : 1; });
    // The two addresses' octets: lane o (4 bytes) for octet o; its end and start from a vector of the
    // dots' places (bytes 0-5), the addresses' ends (6, 7) and starts (8, 9).
    fill(octet_end, [](int i) { constexpr int e[8] = {0, 1, 2, 6, 3, 4, 5, 7}; return e[i % 8]; });
    fill(octet_start, [](int i) { constexpr int s[8] = {8, 0, 1, 2, 9, 3, 4, 5}; return s[i % 8]; });
    fill(lane4, [](int i) { return (i / 4) % 8; });
    fill(ramp4, [](int i) { return i % 4 - 4; });
    // The eight octets' values (low bytes of 32-bit lanes) as two addresses, the first octet highest.
    fill(address_bytes, [](int i) { constexpr int a[8] = {12, 8, 4, 0, 28, 24, 20, 16}; return i < 8 ? a[i] : 0; });
  }
};
const Avx512Constants kAvx512;

bool cpu_has_avx512_path() {
  __builtin_cpu_init();
  return cpu_has_avx2_path() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
         __builtin_cpu_supports("avx512vbmi2");
}
const bool kAvx512Path = cpu_has_avx512_path();

// Bits [from, to) of a 128-bit mask kept as two words.
inline void range_mask(unsigned from, unsigned to, uint64_t& lo, uint64_t& hi) {
  auto upto = [](unsigned n) -> uint64_t { return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1; };
  lo = upto(to) & ~upto(from);
  hi = upto(to > 64 ? to - 64 : 0) & ~upto(from > 64 ? from - 64 : 0);
}

FORTRESS_AVX512_TARGET inline __m512i load(const Avx512Constants::Bytes& b) { return _mm512_load_si512(b); }

FORTRESS_AVX512_TARGET bool parse_v2_avx512_lines(std::string_view line, V2Record& r) {
  const Avx512Constants& k = kAvx512;
  const size_t n = line.size();
  const char* const p = line.data();
  const __mmask64 in_lo = n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
  const __mmask64 in_hi = n > 64 ? (uint64_t(1) << (n - 64)) - 1 : 0;  // n <= 127
  const __m512i lo = _mm512_maskz_loadu_epi8(in_lo, p);
  const __m512i hi = _mm512_maskz_loadu_epi8(in_hi, p + 64);

  // The 13 spaces: none first, last or doubled; their places in bytes 0-12 of `cuts`, n in byte 13.
  const __m512i space = _mm512_set1_epi8(' ');
  const uint64_t s_lo = _mm512_mask_cmpeq_epi8_mask(in_lo, lo, space);
  const uint64_t s_hi = _mm512_mask_cmpeq_epi8_mask(in_hi, hi, space);
  const unsigned c_lo = unsigned(_mm_popcnt_u64(s_lo));
  const unsigned c_hi = unsigned(_mm_popcnt_u64(s_hi));
  const uint64_t doubled = (s_lo & (s_lo >> 1)) | (s_hi & (s_hi >> 1)) | ((s_lo >> 63) & s_hi & 1);
  const bool last_is_space = n > 64 ? ((s_hi >> (n - 65)) & 1) != 0 : ((s_lo >> (n - 1)) & 1) != 0;
  if (c_lo + c_hi != 13 || doubled != 0 || (s_lo & 1) != 0 || last_is_space) return false;
  __m512i cuts = _mm512_maskz_compress_epi8(s_lo, load(k.iota));
  cuts = _mm512_mask_expand_epi8(cuts, ((uint64_t(1) << c_hi) - 1) << c_lo, _mm512_maskz_compress_epi8(s_hi, load(k.iota_hi)));
  cuts = _mm512_mask_set1_epi8(cuts, uint64_t(1) << 13, char(n));
  // Field f is [starts[f], cuts[f]): starts[0] = 0, starts[f] = cuts[f - 1] + 1.
  const __m512i starts =
      _mm512_mask_add_epi8(_mm512_setzero_si512(), ~uint64_t(1), _mm512_permutexvar_epi8(load(k.previous), cuts), _mm512_set1_epi8(1));

  // The numeric fields, right-aligned in 16-byte lanes, '0' before their first digit.
  const __m512i zero = _mm512_set1_epi8('0');
  auto numbers = [&](__m512i fields, __mmask64& bad) FORTRESS_AVX512_TARGET {
    const __m512i end = _mm512_permutexvar_epi8(fields, cuts);
    const __m512i start = _mm512_permutexvar_epi8(fields, starts);
    const __m512i index = _mm512_add_epi8(end, load(k.ramp16));
    const __mmask64 inside = _mm512_cmpge_epi8_mask(index, start);
    bad |= _mm512_cmpgt_epi8_mask(_mm512_sub_epi8(end, start), _mm512_set1_epi8(16));  // longer than 16 digits
    const __m512i text = _mm512_mask_blend_epi8(inside, zero, _mm512_permutex2var_epi8(lo, index, hi));
    const __m512i digits = _mm512_sub_epi8(text, zero);
    bad |= _mm512_cmpgt_epu8_mask(digits, _mm512_set1_epi8(9));
    const __m512i pairs = _mm512_maddubs_epi16(digits, load(k.tens));         // 8 x 2 digits a lane
    const __m512i fours = _mm512_madd_epi16(pairs, _mm512_set1_epi32(0x00010064));          // 4 x 4 digits
    const __m512i eights = _mm512_madd_epi16(_mm512_packus_epi32(fours, fours), _mm512_set1_epi32(0x00012710));  // 2 x 8
    return _mm512_add_epi64(_mm512_mul_epu32(eights, _mm512_set1_epi64(100000000)), _mm512_srli_epi64(eights, 32));
  };
  __mmask64 bad = 0;
  const __m512i v_lo = numbers(load(k.field_lo), bad);  // qword 2s: version, srcport, dstport, protocol
  const __m512i v_hi = numbers(load(k.field_hi), bad);  // packets, bytes, start, end
  const __m512i max_lo = _mm512_set_epi64(255, 255, 65535, 65535, 65535, 65535, 127, 127);
  const __m512i max_hi = _mm512_set_epi64(UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, -1, -1, -1, -1);
  if (bad != 0 || _mm512_cmpgt_epu64_mask(v_lo, max_lo) != 0 || _mm512_cmpgt_epu64_mask(v_hi, max_hi) != 0) return false;

  // The addresses: fields 3 and 4, three dots each.
  alignas(64) uint8_t cut[64];
  _mm512_store_si512(cut, cuts);
  const unsigned a_start = cut[2] + 1u, a_end = cut[3], b_start = cut[3] + 1u, b_end = cut[4];
  uint64_t a_lo, a_hi, b_lo, b_hi;
  range_mask(a_start, a_end, a_lo, a_hi);
  range_mask(b_start, b_end, b_lo, b_hi);
  const __m512i dot = _mm512_set1_epi8('.');
  const uint64_t d_lo = _mm512_mask_cmpeq_epi8_mask(in_lo, lo, dot);
  const uint64_t d_hi = _mm512_mask_cmpeq_epi8_mask(in_hi, hi, dot);
  if (_mm_popcnt_u64(d_lo & a_lo) + _mm_popcnt_u64(d_hi & a_hi) != 3 ||
      _mm_popcnt_u64(d_lo & b_lo) + _mm_popcnt_u64(d_hi & b_hi) != 3)
    return false;
  const uint64_t dots_lo = d_lo & (a_lo | b_lo), dots_hi = d_hi & (a_hi | b_hi);
  const unsigned dc_lo = unsigned(_mm_popcnt_u64(dots_lo));
  __m512i places = _mm512_maskz_compress_epi8(dots_lo, load(k.iota));
  places = _mm512_mask_expand_epi8(places, ((uint64_t(1) << (6 - dc_lo)) - 1) << dc_lo,
                                   _mm512_maskz_compress_epi8(dots_hi, load(k.iota_hi)));
  // bytes 0-5: the dots; 6, 7: the addresses' ends; 8, 9: their starts. Octets start after a dot.
  places = _mm512_mask_set1_epi8(places, uint64_t(1) << 6, char(a_end));
  places = _mm512_mask_set1_epi8(places, uint64_t(1) << 7, char(b_end));
  const __m512i after = _mm512_mask_add_epi8(places, 0x3f, places, _mm512_set1_epi8(1));
  __m512i firsts = _mm512_mask_set1_epi8(after, uint64_t(1) << 8, char(a_start));
  firsts = _mm512_mask_set1_epi8(firsts, uint64_t(1) << 9, char(b_start));
  const __m512i octet_end = _mm512_permutexvar_epi8(load(k.octet_end), places);   // bytes 0-7 (and repeated)
  const __m512i octet_start = _mm512_permutexvar_epi8(load(k.octet_start), firsts);
  const __m512i length = _mm512_sub_epi8(octet_end, octet_start);
  // 1 to 3 digits; no leading zero in a longer octet.
  const __mmask64 eight = 0xff;
  __mmask64 wrong = _mm512_mask_cmpgt_epu8_mask(eight, _mm512_sub_epi8(length, _mm512_set1_epi8(1)), _mm512_set1_epi8(2));
  const __m512i first_digit = _mm512_permutex2var_epi8(lo, octet_start, hi);
  wrong |= _mm512_mask_cmpeq_epi8_mask(_mm512_mask_cmpgt_epu8_mask(eight, length, _mm512_set1_epi8(1)), first_digit, zero);
  // Each octet right-aligned in a 4-byte lane (32 bytes: 8 lanes).
  const __mmask64 lanes = 0xffffffff;
  const __m512i end4 = _mm512_permutexvar_epi8(load(k.lane4), octet_end);
  const __m512i start4 = _mm512_permutexvar_epi8(load(k.lane4), octet_start);
  const __m512i index4 = _mm512_add_epi8(end4, load(k.ramp4));
  const __mmask64 inside4 = _mm512_mask_cmpge_epi8_mask(lanes, index4, start4);
  const __m512i text4 = _mm512_mask_blend_epi8(inside4, zero, _mm512_permutex2var_epi8(lo, index4, hi));
  const __m512i digits4 = _mm512_sub_epi8(text4, zero);
  wrong |= _mm512_mask_cmpgt_epu8_mask(lanes, digits4, _mm512_set1_epi8(9));
  const __m512i octets = _mm512_madd_epi16(_mm512_maddubs_epi16(digits4, _mm512_set1_epi32(0x010a6400)), _mm512_set1_epi16(1));
  wrong |= _mm512_mask_cmpgt_epi32_mask(0xff, octets, _mm512_set1_epi32(255));
  if (wrong != 0) return false;
  const uint64_t addresses = uint64_t(_mm_cvtsi128_si64(_mm512_castsi512_si128(_mm512_permutexvar_epi8(load(k.address_bytes), octets))));

  // Action and status.
  const unsigned action_at = cut[11] + 1u, action_len = cut[12] - action_at;
  const unsigned status_at = cut[12] + 1u, status_len = unsigned(n) - status_at;
  if (action_len != 6 || status_len != 2 || p[status_at] != 'O' || p[status_at + 1] != 'K') return false;
  uint64_t action;
  std::memcpy(&action, p + action_at, 8);  // "ACCEPT O" / "REJECT O": within the line (the status follows)
  action &= 0xffffffffffffull;
  if (action == 0x545045434341ull) {  // "ACCEPT"
    r.action = Action::kAccept;
  } else if (action == 0x5443454a4552ull) {  // "REJECT"
    r.action = Action::kReject;
  } else {
    return false;
  }
  r.log_status = LogStatus::kOk;

  alignas(64) uint64_t lo_values[8], hi_values[8];
  _mm512_store_si512(lo_values, v_lo);
  _mm512_store_si512(hi_values, v_hi);
  r.version = int8_t(lo_values[0]);
  r.src_port = uint16_t(lo_values[2]);
  r.dst_port = uint16_t(lo_values[4]);
  r.protocol = int16_t(lo_values[6]);
  r.packets = hi_values[0];
  r.bytes = hi_values[2];
  r.start = uint32_t(hi_values[4]);
  r.end = uint32_t(hi_values[6]);
  auto text = [&](unsigned from, unsigned to) {
    const std::string_view v(p + from, to - from);
    return v == "-" ? std::string_view() : v;
  };
  r.account_id = text(cut[0] + 1u, cut[1]);
  r.interface_id = text(cut[1] + 1u, cut[2]);
  r.has_src = r.has_dst = true;
  r.src = IpAddress::v4(uint32_t(addresses));
  r.dst = IpAddress::v4(uint32_t(addresses >> 32));
  return true;
}

FORTRESS_AVX512_TARGET bool parse_v2_avx512(std::string_view line, V2Record& r) {
  std::string_view stripped = line;  // the AVX2 variant is given the line as it came (it strips the '\r' itself)
  if (v2_fast_length(stripped) && stripped.size() <= 127 && parse_v2_avx512_lines(stripped, r)) return true;
  return parse_v2_avx2(line, r);
}
#pragma GCC diagnostic pop
#endif

}  // namespace

bool v2_avx2_available() {
#if defined(FORTRESS_V2_DISPATCH)
  return kAvx2Path;
#else
  return false;
#endif
}

bool v2_avx512_available() {
#if defined(FORTRESS_V2_DISPATCH)
  return kAvx512Path;
#else
  return false;
#endif
}

namespace detail {
bool parse_v2_avx512_only(std::string_view line, V2Record& r) {
#if defined(FORTRESS_V2_DISPATCH)
  if (!kAvx512Path || !v2_fast_length(line) || line.size() > 127) return false;
  return parse_v2_avx512_lines(line, r);
#else
  (void)line;
  (void)r;
  return false;
#endif
}
}  // namespace detail

bool parse_record_v2(std::string_view line, V2Record& r, V2Path path) {
#if defined(__SSE2__)
#if defined(FORTRESS_V2_DISPATCH)
  if (path == V2Path::kAvx512 && kAvx512Path) return parse_v2_avx512(line, r);
  if (path == V2Path::kAvx2 && kAvx2Path) return parse_v2_avx2(line, r);
  if (path == V2Path::kAuto && kAvx512Path) return parse_v2_avx512(line, r);
  if (path == V2Path::kAuto && kAvx2Path) return parse_v2_avx2(line, r);
#endif
  if (path == V2Path::kAvx2 || path == V2Path::kAvx512) return false;
  return parse_v2_sse2(line, r);
#else
  (void)line;
  (void)r;
  (void)path;
  return false;
#endif
}

bool parse_record_v2(std::string_view line, V2Record& r) {
#if defined(FORTRESS_V2_DISPATCH)
  if (kAvx512Path) return parse_v2_avx512(line, r);
  if (kAvx2Path) return parse_v2_avx2(line, r);
#endif
#if defined(__SSE2__)
  return parse_v2_sse2(line, r);
#else
  (void)line;
  (void)r;
  return false;
#endif
}

}  // namespace fortress::flows
