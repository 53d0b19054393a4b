#include "flows/format.h"

#include <fmt/format.h>

namespace fortress::flows {

namespace {

constexpr std::array<FieldInfo, kFieldCount> kFields = {{
    {Field::kVersion, "version", 2},
    {Field::kAccountId, "account-id", 2},
    {Field::kInterfaceId, "interface-id", 2},
    {Field::kSrcAddr, "srcaddr", 2},
    {Field::kDstAddr, "dstaddr", 2},
    {Field::kSrcPort, "srcport", 2},
    {Field::kDstPort, "dstport", 2},
    {Field::kProtocol, "protocol", 2},
    {Field::kPackets, "packets", 2},
    {Field::kBytes, "bytes", 2},
    {Field::kStart, "start", 2},
    {Field::kEnd, "end", 2},
    {Field::kAction, "action", 2},
    {Field::kLogStatus, "log-status", 2},
    {Field::kVpcId, "vpc-id", 3},
    {Field::kSubnetId, "subnet-id", 3},
    {Field::kInstanceId, "instance-id", 3},
    {Field::kTcpFlags, "tcp-flags", 3},
    {Field::kType, "type", 3},
    {Field::kPktSrcAddr, "pkt-srcaddr", 3},
    {Field::kPktDstAddr, "pkt-dstaddr", 3},
    {Field::kRegion, "region", 4},
    {Field::kAzId, "az-id", 4},
    {Field::kSublocationType, "sublocation-type", 4},
    {Field::kSublocationId, "sublocation-id", 4},
    {Field::kPktSrcAwsService, "pkt-src-aws-service", 5},
    {Field::kPktDstAwsService, "pkt-dst-aws-service", 5},
    {Field::kFlowDirection, "flow-direction", 5},
    {Field::kTrafficPath, "traffic-path", 5},
    {Field::kEcsClusterArn, "ecs-cluster-arn", 7},
    {Field::kEcsClusterName, "ecs-cluster-name", 7},
    {Field::kEcsContainerInstanceArn, "ecs-container-instance-arn", 7},
    {Field::kEcsContainerInstanceId, "ecs-container-instance-id", 7},
    {Field::kEcsContainerId, "ecs-container-id", 7},
    {Field::kEcsSecondContainerId, "ecs-second-container-id", 7},
    {Field::kEcsServiceName, "ecs-service-name", 7},
    {Field::kEcsTaskDefinitionArn, "ecs-task-definition-arn", 7},
    {Field::kEcsTaskArn, "ecs-task-arn", 7},
    {Field::kEcsTaskId, "ecs-task-id", 7},
    {Field::kRejectReason, "reject-reason", 8},
    {Field::kResourceId, "resource-id", 9},
    {Field::kEncryptionStatus, "encryption-status", 10},
    {Field::kUnknown, "", 0},
}};

constexpr bool fields_in_enum_order() {
  for (size_t i = 0; i < kFields.size(); ++i)
    if (size_t(kFields[i].field) != i) return false;
  return true;
}
static_assert(fields_in_enum_order());

}  // namespace

const FieldInfo& field_info(Field f) { return kFields[size_t(f)]; }

std::optional<Field> field_by_name(std::string_view name) {
  for (const FieldInfo& f : kFields) {
    if (f.field != Field::kUnknown && f.name == name) return f.field;
  }
  return std::nullopt;
}

int LogFormat::version() const {
  int v = 2;
  for (Field f : fields) v = std::max(v, field_info(f).version);
  return v;
}

std::vector<std::string_view> LogFormat::missing_for_attribution() const {
  std::vector<std::string_view> out;
  for (Field f : kAttributionFields)
    if (!has(f)) out.push_back(field_info(f).name);
  return out;
}

std::string LogFormat::to_string() const {
  std::string out;
  size_t unknown = 0;
  for (Field f : fields) {
    if (!out.empty()) out += ' ';
    out += "${";
    out += f == Field::kUnknown ? std::string_view(unknown_names[unknown++]) : field_info(f).name;
    out += '}';
  }
  return out;
}

const LogFormat& LogFormat::default_v2() {
  static const LogFormat kDefault = [] {
    Expected<LogFormat> f = parse_log_format(
        "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
        "${packets} ${bytes} ${start} ${end} ${action} ${log-status}");
    return f ? *f : LogFormat{};
  }();
  return kDefault;
}

Expected<LogFormat> parse_log_format(std::string_view text) {
  LogFormat out;
  size_t pos = 0;
  auto error = [&](std::string message) {
    Error e;
    e.code = ErrorCode::kParse;
    e.message = std::move(message);
    return e;
  };
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r' || text[pos] == '\n')) ++pos;
    if (pos >= text.size()) break;
    size_t end = pos;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\r' && text[end] != '\n') ++end;
    std::string_view word = text.substr(pos, end - pos);
    pos = end;
    if (word.starts_with("${")) {
      if (!word.ends_with("}") || word.size() < 4) return error(fmt::format("malformed field \"{}\" (expected ${{name}})", word));
      word = word.substr(2, word.size() - 3);
    } else if (word.find_first_of("${}") != std::string_view::npos) {
      return error(fmt::format("malformed field \"{}\" (expected ${{name}} or a bare name)", word));
    }
    std::optional<Field> f = field_by_name(word);
    const Field field = f.value_or(Field::kUnknown);
    if (field != Field::kUnknown) {
      if (out.has(field)) return error(fmt::format("field \"{}\" appears twice", word));
      out.position[size_t(field)] = int16_t(out.fields.size());
    } else {
      out.unknown_names.emplace_back(word);
    }
    out.fields.push_back(field);
    if (out.fields.size() > 512) return error("more than 512 fields");
  }
  if (out.fields.empty()) return error("empty format: no fields");
  if (out.unknown_names.size() == out.fields.size())
    return error(fmt::format("no known flow log field in \"{}\"", text.substr(0, 80)));
  return out;
}

bool is_header_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return false;
  const char c = line[0];
  if ((c >= '0' && c <= '9') || c == '-') return false;
  size_t pos = 0;
  size_t known = 0;
  while (pos < line.size()) {
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    std::string_view word = line.substr(pos, end - pos);
    if (!word.empty()) {
      if (field_by_name(word)) {
        ++known;
      } else {
        for (char ch : word)
          if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
      }
    }
    pos = end + 1;
  }
  return known > 0;
}

}  // namespace fortress::flows
