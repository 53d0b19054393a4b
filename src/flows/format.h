// VPC Flow Logs record formats: the fields of versions 2 to 8 (and the later fields AWS added), and a
// LogFormat, the ordered list of fields one flow log writes.
//
// A format comes from one of three places, in this order of authority: the header line of an
// S3-delivered file ("version account-id interface-id ..."), the flow log's LogFormat in the snapshot
// (describe-flow-logs: "${version} ${account-id} ..."), or the user's --format-string. The default
// format is the fourteen version-2 fields in AWS's order.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.h"

namespace fortress::flows {

// Every field AWS documents for flow log records ("Available fields"), in AWS's table order.
enum class Field : uint8_t {
  // version 2 (the default format)
  kVersion, kAccountId, kInterfaceId, kSrcAddr, kDstAddr, kSrcPort, kDstPort, kProtocol, kPackets,
  kBytes, kStart, kEnd, kAction, kLogStatus,
  // version 3
  kVpcId, kSubnetId, kInstanceId, kTcpFlags, kType, kPktSrcAddr, kPktDstAddr,
  // version 4
  kRegion, kAzId, kSublocationType, kSublocationId,
  // version 5
  kPktSrcAwsService, kPktDstAwsService, kFlowDirection, kTrafficPath,
  // version 7 (ECS)
  kEcsClusterArn, kEcsClusterName, kEcsContainerInstanceArn, kEcsContainerInstanceId, kEcsContainerId,
  kEcsSecondContainerId, kEcsServiceName, kEcsTaskDefinitionArn, kEcsTaskArn, kEcsTaskId,
  // version 8
  kRejectReason,
  // later fields: read and kept as text, not used by the attribution
  kResourceId, kEncryptionStatus,
  // a field name this version of fortress does not know: its column is skipped
  kUnknown,
};
inline constexpr size_t kFieldCount = size_t(Field::kUnknown) + 1;

struct FieldInfo {
  Field field;
  std::string_view name;  // "pkt-srcaddr"
  int version;            // the flow log version that introduced it
};
[[nodiscard]] const FieldInfo& field_info(Field f);
[[nodiscard]] std::optional<Field> field_by_name(std::string_view name);

// The fields the attribution needs; a format without one of them can be read (records are counted)
// but its traffic cannot be attributed to rules.
inline constexpr std::array<Field, 9> kAttributionFields = {
    Field::kInterfaceId, Field::kSrcAddr, Field::kDstAddr, Field::kSrcPort, Field::kDstPort,
    Field::kProtocol,    Field::kAction,  Field::kStart,   Field::kEnd,
};

struct LogFormat {
  std::vector<Field> fields;               // in record order; kUnknown for names fortress does not know
  std::vector<std::string> unknown_names;  // those names, in order
  std::array<int16_t, kFieldCount> position{};  // column of each field, -1 when absent

  LogFormat() { position.fill(-1); }
  [[nodiscard]] bool has(Field f) const { return position[size_t(f)] >= 0; }
  // The highest version among the fields (what the records' "version" column says).
  [[nodiscard]] int version() const;
  // The attribution fields this format lacks ("srcport", ...); empty when it has them all.
  [[nodiscard]] std::vector<std::string_view> missing_for_attribution() const;
  // "${version} ${account-id} ...", the describe-flow-logs spelling.
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const LogFormat& a, const LogFormat& b) { return a.fields == b.fields && a.unknown_names == b.unknown_names; }

  static const LogFormat& default_v2();
};

// Parses "${version} ${srcaddr} ..." (describe-flow-logs, --format-string) or the header line of an
// S3 file ("version srcaddr ..."). Names are separated by spaces. An unknown name is kept as kUnknown
// (and listed) so the columns after it stay aligned; a duplicate or an empty format is an error.
[[nodiscard]] Expected<LogFormat> parse_log_format(std::string_view text);

// True when the line is the header line of an S3 file: every word a field name, "version" or another
// known name first (data lines start with a number or "-").
[[nodiscard]] bool is_header_line(std::string_view line);

}  // namespace fortress::flows
