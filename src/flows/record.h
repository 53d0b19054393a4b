// One flow log record, parsed in place: the hot path of the reader.
//
// parse_record() splits one line into the columns of its LogFormat and converts the fields the
// analysis uses (addresses, ports, protocol, counters, times, action, status, tcp-flags, direction,
// traffic path) into integers; every other field is kept as a string_view into the line. It never
// allocates, never throws, and reports failure as a RecordError (which field, why). The record's
// views are valid as long as the line's buffer is.
#pragma once

#include <cstdint>
#include <string_view>

#include "flows/format.h"
#include "model/net.h"

namespace fortress::flows {

enum class Action : uint8_t { kNone, kAccept, kReject };  // kNone: "-" (NODATA/SKIPDATA) or absent
enum class LogStatus : uint8_t { kOk, kNoData, kSkipData };
enum class FlowDirection : uint8_t { kUnknown, kIngress, kEgress };  // the v5 flow-direction field

struct FlowRecord {
  std::string_view interface_id;  // "" when "-" or absent
  std::string_view account_id;
  IpAddress src;  // srcaddr (valid when has_src)
  IpAddress dst;
  IpAddress pkt_src;  // pkt-srcaddr (valid when has_pkt_src)
  IpAddress pkt_dst;
  bool has_src = false;
  bool has_dst = false;
  bool has_pkt_src = false;
  bool has_pkt_dst = false;
  uint16_t src_port = 0;  // 0 when "-"
  uint16_t dst_port = 0;
  int16_t protocol = -1;  // IANA number, -1 when "-" or absent
  int16_t tcp_flags = -1;  // -1 when "-" or absent
  int8_t traffic_path = -1;
  int8_t version = -1;
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint32_t start = 0;  // Unix seconds, 0 when "-" or absent
  uint32_t end = 0;
  Action action = Action::kNone;
  LogStatus log_status = LogStatus::kOk;
  FlowDirection flow_direction = FlowDirection::kUnknown;
  std::string_view vpc_id, subnet_id, instance_id, type, region, az_id, sublocation_type, sublocation_id;
  std::string_view pkt_src_aws_service, pkt_dst_aws_service, reject_reason, resource_id, encryption_status;
  std::string_view ecs_cluster_arn, ecs_cluster_name, ecs_container_instance_arn, ecs_container_instance_id,
      ecs_container_id, ecs_second_container_id, ecs_service_name, ecs_task_definition_arn, ecs_task_arn,
      ecs_task_id;
};

enum class RecordErrorCode : uint8_t {
  kNone,
  kTooFewFields,
  kTooManyFields,
  kBadNumber,    // not a decimal integer, or out of range for the field
  kBadAddress,   // not an IPv4 or IPv6 address
  kBadAction,    // not ACCEPT, REJECT or -
  kBadLogStatus, // not OK, NODATA or SKIPDATA
  kBadDirection, // not ingress, egress or -
  kBinary,       // a control or non-ASCII byte: not a text record
};

struct RecordError {
  RecordErrorCode code = RecordErrorCode::kNone;
  int16_t column = -1;  // the 0-based column at fault (-1 for field-count errors)
  uint16_t columns = 0;  // columns found (field-count errors)
  explicit operator bool() const { return code != RecordErrorCode::kNone; }
};

// "srcaddr: not an IP address: \"10.0.0\"", "14 fields expected, 12 found" (for samples; allocates).
[[nodiscard]] std::string describe(const RecordError& e, const LogFormat& format, std::string_view line);

// Parses one line (without its '\n'; a trailing '\r' is ignored). Columns are separated by one or more
// spaces. On error `out` is partly filled and must not be used.
[[nodiscard]] RecordError parse_record(std::string_view line, const LogFormat& format, FlowRecord& out);

// The fields of the default v2 format (version account-id interface-id srcaddr dstaddr srcport dstport
// protocol packets bytes start end action log-status), each as parse_record() sets it in a FlowRecord.
struct V2Record {
  std::string_view interface_id;  // "" when "-"
  std::string_view account_id;    // "" when "-"
  IpAddress src;
  IpAddress dst;
  bool has_src = false;
  bool has_dst = false;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  int16_t protocol = -1;
  int8_t version = -1;
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint32_t start = 0;
  uint32_t end = 0;
  Action action = Action::kNone;
  LogStatus log_status = LogStatus::kOk;
};

// The default v2 format's common case in one pass: a space bitmap of the line, exactly 13 single
// spaces (no leading, trailing or doubled ones), the 14 fields at the places the bitmap gives, each
// converted by the same field parsers as parse_record(). true with `out` set exactly as parse_record()
// with LogFormat::default_v2() would set these fields; false for anything else (an error, extra spaces,
// a line over 256 bytes, no SSE2), which the caller hands to parse_record(), so the lines accepted and
// their values do not change. At least 16 bytes after the line's end must be readable (they are
// read, not used).
[[nodiscard]] bool parse_record_v2(std::string_view line, V2Record& out);

// Which variant parse_record_v2 runs: chosen once at start-up (kAuto: AVX-512 F/BW/VL/VBMI/VBMI2 when
// the CPU has them, else AVX2 + BMI1/2 + POPCNT, else SSE2), or one of them (the tests run each; a
// variant the CPU lacks returns false). All accept the same lines with the same values.
enum class V2Path : uint8_t { kAuto, kSse2, kAvx2, kAvx512 };
[[nodiscard]] bool parse_record_v2(std::string_view line, V2Record& out, V2Path path);
[[nodiscard]] bool v2_avx2_available();
[[nodiscard]] bool v2_avx512_available();

namespace detail {
// The AVX-512 variant's own path only, without the AVX2 variant it hands other lines to: false for
// every line it leaves to it (for tests: which lines it takes, and that it takes them right).
[[nodiscard]] bool parse_v2_avx512_only(std::string_view line, V2Record& out);
}  // namespace detail

}  // namespace fortress::flows
