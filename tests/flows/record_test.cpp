#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/record.h"

namespace fortress::flows {
namespace {

LogFormat fmt_of(std::string_view text) {
  Expected<LogFormat> f = parse_log_format(text);
  EXPECT_TRUE(f.has_value()) << text;
  return f ? *f : LogFormat{};
}

TEST(Record, ParsesTheV2Default) {
  FlowRecord r;
  const RecordError e = parse_record(
      "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
      LogFormat::default_v2(), r);
  ASSERT_FALSE(e);
  EXPECT_EQ(r.version, 2);
  EXPECT_EQ(r.account_id, "123456789010");
  EXPECT_EQ(r.interface_id, "eni-1235b8ca123456789");
  EXPECT_EQ(r.src.to_string(), "172.31.16.139");
  EXPECT_EQ(r.dst.to_string(), "172.31.16.21");
  EXPECT_EQ(r.src_port, 20641);
  EXPECT_EQ(r.dst_port, 22);
  EXPECT_EQ(r.protocol, 6);
  EXPECT_EQ(r.packets, 20u);
  EXPECT_EQ(r.bytes, 4249u);
  EXPECT_EQ(r.start, 1418530010u);
  EXPECT_EQ(r.end, 1418530070u);
  EXPECT_EQ(r.action, Action::kAccept);
  EXPECT_EQ(r.log_status, LogStatus::kOk);
}

TEST(Record, NoDataAndSkipDataHaveDashes) {
  FlowRecord r;
  ASSERT_FALSE(parse_record("2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
                            LogFormat::default_v2(), r));
  EXPECT_EQ(r.log_status, LogStatus::kNoData);
  EXPECT_FALSE(r.has_src);
  EXPECT_EQ(r.protocol, -1);
  EXPECT_EQ(r.action, Action::kNone);
  ASSERT_FALSE(parse_record("2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
                            LogFormat::default_v2(), r));
  EXPECT_EQ(r.log_status, LogStatus::kSkipData);
}

TEST(Record, Ipv6AndRejects) {
  FlowRecord r;
  ASSERT_FALSE(parse_record("2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 "
                            "2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 REJECT OK",
                            LogFormat::default_v2(), r));
  EXPECT_EQ(r.src.family, IpFamily::kV6);
  EXPECT_EQ(r.dst.to_string(), "2001:db8:1234:a102:3304:8879:34cf:4071");
  EXPECT_EQ(r.action, Action::kReject);
}

TEST(Record, CustomFormatsOfLaterVersions) {
  const LogFormat f = fmt_of(
      "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} "
      "${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} "
      "${tcp-flags} ${log-status} ${region} ${az-id} ${sublocation-type} ${sublocation-id} ${pkt-src-aws-service} "
      "${pkt-dst-aws-service} ${flow-direction} ${traffic-path} ${ecs-cluster-name} ${ecs-task-id} ${reject-reason}");
  FlowRecord r;
  const std::string line =
      "8 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1111aaaa2222bbbb3 123456789012 IPv4 "
      "10.0.1.5 10.0.0.220 44000 443 10.0.1.5 203.0.113.5 6 5000 10 1418530010 1418530070 ACCEPT 3 OK us-east-1 use1-az1 - - "
      "- AMAZON egress 8 prod-cluster 0a1b2c3d4e5f BPA";
  const RecordError e = parse_record(line, f, r);
  ASSERT_FALSE(e) << describe(e, f, line);
  EXPECT_EQ(r.version, 8);
  EXPECT_EQ(r.vpc_id, "vpc-abcdefab012345678");
  EXPECT_EQ(r.instance_id, "i-01234567890123456");
  EXPECT_EQ(r.type, "IPv4");
  EXPECT_TRUE(r.has_pkt_dst);
  EXPECT_EQ(r.pkt_dst.to_string(), "203.0.113.5");
  EXPECT_EQ(r.tcp_flags, 3);
  EXPECT_EQ(r.region, "us-east-1");
  EXPECT_EQ(r.az_id, "use1-az1");
  EXPECT_EQ(r.sublocation_type, "-");
  EXPECT_EQ(r.pkt_dst_aws_service, "AMAZON");
  EXPECT_EQ(r.flow_direction, FlowDirection::kEgress);
  EXPECT_EQ(r.traffic_path, 8);
  EXPECT_EQ(r.ecs_cluster_name, "prod-cluster");
  EXPECT_EQ(r.ecs_task_id, "0a1b2c3d4e5f");
  EXPECT_EQ(r.reject_reason, "BPA");
  EXPECT_EQ(r.bytes, 5000u);
  EXPECT_EQ(r.packets, 10u);
}

TEST(Record, ToleratesExtraSpacesAndCarriageReturn) {
  FlowRecord r;
  EXPECT_FALSE(parse_record("2  123 eni-a 10.0.0.1 10.0.0.2 1 2 17 1 1 5 6 ACCEPT OK \r", LogFormat::default_v2(), r));
  EXPECT_EQ(r.protocol, 17);
}

struct BadCase {
  std::string line;
  RecordErrorCode code;
  std::string message;
};

TEST(Record, ReportsWhatIsWrong) {
  const std::vector<BadCase> cases = {
      {"2 123 eni-a 10.0.0.1 10.0.0.2 1 2 6 1 1 5 6 ACCEPT", RecordErrorCode::kTooFewFields, "14 fields expected (format v2 default), 13 found"},
      {"2 123 eni-a 10.0.0.1 10.0.0.2 1 2 6 1 1 5 6 ACCEPT OK x y", RecordErrorCode::kTooManyFields, "14 fields expected (format v2 default), 16 found"},
      {"2 123 eni-a 10.0.0 10.0.0.2 1 2 6 1 1 5 6 ACCEPT OK", RecordErrorCode::kBadAddress, "srcaddr: not an IP address: \"10.0.0\""},
      {"2 123 eni-a 10.0.0.1 10.0.0.2 1 70000 6 1 1 5 6 ACCEPT OK", RecordErrorCode::kBadNumber, "dstport: not a valid number: \"70000\""},
      {"2 123 eni-a 10.0.0.1 10.0.0.2 1 2 256 1 1 5 6 ACCEPT OK", RecordErrorCode::kBadNumber, "protocol: not a valid number: \"256\""},
      {"2 123 eni-a 10.0.0.1 10.0.0.2 1 2 6 -5 1 5 6 ACCEPT OK", RecordErrorCode::kBadNumber, "packets: not a valid number: \"-5\""},
      {"2 123 eni-a 10.0.0.1 10.0.0.2 1 2 6 1 1 5 6 ALLOW OK", RecordErrorCode::kBadAction, "action: not ACCEPT, REJECT or -: \"ALLOW\""},
      {"2 123 eni-a 10.0.0.1 10.0.0.2 1 2 6 1 1 5 6 ACCEPT FINE", RecordErrorCode::kBadLogStatus, "log-status: not OK, NODATA or SKIPDATA: \"FINE\""},
      {"2 123 eni-a 10.0.0.1 010.0.0.2 1 2 6 1 1 5 6 ACCEPT OK", RecordErrorCode::kBadAddress, "dstaddr: not an IP address: \"010.0.0.2\""},
  };
  for (const BadCase& c : cases) {
    FlowRecord r;
    const RecordError e = parse_record(c.line, LogFormat::default_v2(), r);
    EXPECT_EQ(e.code, c.code) << c.line;
    EXPECT_EQ(describe(e, LogFormat::default_v2(), c.line), c.message);
  }
}

// The number and address fast paths (eight digits at a time, a dotted quad by one 16-byte compare)
// accept exactly what the strict rules accept, at every length and boundary.
TEST(Record, NumbersAndAddressesAtEveryLengthAndBoundary) {
  const LogFormat f = fmt_of("${srcaddr} ${dstaddr} ${packets} ${start} ${dstport}");
  auto parse = [&](std::string_view src, std::string_view packets, std::string_view start, std::string_view port,
                   FlowRecord& r) {
    const std::string line = std::string(src) + " 10.0.0.1 " + std::string(packets) + " " + std::string(start) +
                             " " + std::string(port);
    return parse_record(line, f, r);
  };
  FlowRecord r;
  std::string digits;
  uint64_t value = 0;
  for (int len = 1; len <= 20; ++len) {  // 1, 12, 123, ... up to 20 digits (a 20-digit value overflows below)
    digits += char('0' + len % 10);
    value = value * 10 + uint64_t(len % 10);
    ASSERT_FALSE(parse("1.2.3.4", digits, "0", "0", r)) << digits;
    EXPECT_EQ(r.packets, value) << digits;
  }
  EXPECT_FALSE(parse("1.2.3.4", "18446744073709551615", "0", "0", r));
  EXPECT_EQ(r.packets, UINT64_MAX);
  EXPECT_TRUE(parse("1.2.3.4", "18446744073709551616", "0", "0", r)) << "overflow";
  EXPECT_TRUE(parse("1.2.3.4", "123456789012345678901", "0", "0", r)) << "21 digits";
  EXPECT_FALSE(parse("1.2.3.4", "0000000000000000042", "0", "0", r));
  EXPECT_EQ(r.packets, 42u);
  for (std::string_view bad : {"12a4", "1234567x", "123456789012345x", "+1", "-1", "1.5", "9999999999999999x"})
    EXPECT_TRUE(parse("1.2.3.4", bad, "0", "0", r)) << bad;
  EXPECT_FALSE(parse("1.2.3.4", "1", "4294967295", "65535", r));
  EXPECT_EQ(r.start, 4294967295u);
  EXPECT_EQ(r.dst_port, 65535);
  EXPECT_TRUE(parse("1.2.3.4", "1", "4294967296", "0", r));
  EXPECT_TRUE(parse("1.2.3.4", "1", "0", "65536", r));

  for (std::string_view ok : {"0.0.0.0", "255.255.255.255", "1.22.133.4", "10.0.0.1", "192.168.100.200"}) {
    ASSERT_FALSE(parse(ok, "1", "0", "0", r)) << ok;
    EXPECT_EQ(r.src.to_string(), ok);
  }
  for (std::string_view bad : {"256.1.1.1", "1.2.3.256", "01.2.3.4", "1.2.3.04", "1.2.3", "1.2.3.4.5", "1..2.3",
                               "1.2.3.", ".1.2.3", "1.2.3.4a", "1234.1.1.1", "1.2.3.-4"})
    EXPECT_TRUE(parse(bad, "1", "0", "0", r)) << bad;
  ASSERT_FALSE(parse("2001:db8::1", "1", "0", "0", r)) << "IPv6 still goes to the strict parser";
  EXPECT_EQ(r.src.family, IpFamily::kV6);
}

}  // namespace
}  // namespace fortress::flows
