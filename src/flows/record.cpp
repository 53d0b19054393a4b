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
#endif

}  // namespace

bool v2_avx2_available() {
#if defined(FORTRESS_V2_DISPATCH)
  return kAvx2Path;
#else
  return false;
#endif
}

bool parse_record_v2(std::string_view line, V2Record& r, V2Path path) {
#if defined(__SSE2__)
#if defined(FORTRESS_V2_DISPATCH)
  if (path == V2Path::kAvx2 && kAvx2Path) return parse_v2_avx2(line, r);
  if (path == V2Path::kAuto && kAvx2Path) return parse_v2_avx2(line, r);
#endif
  if (path == V2Path::kAvx2) return false;
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
