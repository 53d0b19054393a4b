#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/format.h"

namespace fortress::flows {
namespace {

// Every field AWS documents for flow log records, with the version that introduced it.
const std::vector<std::pair<std::string, int>> kAwsFields = {
    {"version", 2}, {"account-id", 2}, {"interface-id", 2}, {"srcaddr", 2}, {"dstaddr", 2}, {"srcport", 2},
    {"dstport", 2}, {"protocol", 2}, {"packets", 2}, {"bytes", 2}, {"start", 2}, {"end", 2}, {"action", 2},
    {"log-status", 2}, {"vpc-id", 3}, {"subnet-id", 3}, {"instance-id", 3}, {"tcp-flags", 3}, {"type", 3},
    {"pkt-srcaddr", 3}, {"pkt-dstaddr", 3}, {"region", 4}, {"az-id", 4}, {"sublocation-type", 4},
    {"sublocation-id", 4}, {"pkt-src-aws-service", 5}, {"pkt-dst-aws-service", 5}, {"flow-direction", 5},
    {"traffic-path", 5}, {"ecs-cluster-arn", 7}, {"ecs-cluster-name", 7}, {"ecs-container-instance-arn", 7},
    {"ecs-container-instance-id", 7}, {"ecs-container-id", 7}, {"ecs-second-container-id", 7},
    {"ecs-service-name", 7}, {"ecs-task-definition-arn", 7}, {"ecs-task-arn", 7}, {"ecs-task-id", 7},
    {"reject-reason", 8},
};

TEST(LogFormat, KnowsEveryDocumentedField) {
  for (const auto& [name, version] : kAwsFields) {
    std::optional<Field> f = field_by_name(name);
    ASSERT_TRUE(f.has_value()) << name;
    EXPECT_EQ(field_info(*f).version, version) << name;
    EXPECT_EQ(field_info(*f).name, name);
  }
}

TEST(LogFormat, DefaultIsTheFourteenV2Fields) {
  const LogFormat& d = LogFormat::default_v2();
  ASSERT_EQ(d.fields.size(), 14u);
  EXPECT_EQ(d.version(), 2);
  EXPECT_EQ(d.position[size_t(Field::kInterfaceId)], 2);
  EXPECT_EQ(d.position[size_t(Field::kLogStatus)], 13);
  EXPECT_TRUE(d.missing_for_attribution().empty());
  EXPECT_EQ(d.to_string().substr(0, 25), "${version} ${account-id} ");
}

TEST(LogFormat, ParsesDescribeFlowLogsAndHeaderSpellings) {
  Expected<LogFormat> a = parse_log_format("${version} ${vpc-id} ${flow-direction} ${ecs-task-id} ${reject-reason}");
  Expected<LogFormat> b = parse_log_format("version vpc-id flow-direction ecs-task-id reject-reason\n");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->version(), 8);
  EXPECT_THAT(a->missing_for_attribution(), ::testing::Contains("srcaddr"));
}

TEST(LogFormat, UnknownFieldsKeepTheirColumn) {
  Expected<LogFormat> f = parse_log_format("${srcaddr} ${future-field} ${dstaddr}");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->fields[1], Field::kUnknown);
  EXPECT_EQ(f->position[size_t(Field::kDstAddr)], 2);
  EXPECT_EQ(f->unknown_names, std::vector<std::string>{"future-field"});
  EXPECT_EQ(f->to_string(), "${srcaddr} ${future-field} ${dstaddr}");
}

TEST(LogFormat, RejectsBadFormats) {
  EXPECT_FALSE(parse_log_format(""));
  EXPECT_FALSE(parse_log_format("${srcaddr} ${srcaddr}"));
  EXPECT_FALSE(parse_log_format("${srcaddr"));
  EXPECT_FALSE(parse_log_format("$srcaddr}"));
  EXPECT_FALSE(parse_log_format("nothing known here"));
}

TEST(LogFormat, RecognizesHeaderLines) {
  EXPECT_TRUE(is_header_line("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"));
  EXPECT_TRUE(is_header_line("srcaddr dstaddr\r\n"));
  EXPECT_FALSE(is_header_line("2 123456789012 eni-0a srcaddr"));
  EXPECT_FALSE(is_header_line("- - - -"));
  EXPECT_FALSE(is_header_line("{\"events\": []}"));
  EXPECT_FALSE(is_header_line(""));
}

}  // namespace
}  // namespace fortress::flows
