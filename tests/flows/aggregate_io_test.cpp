#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <unordered_map>

#include <sstream>

#include "flow_builder.h"
#include "flows/aggregate_io.h"
#include "flows/athena.h"

namespace fortress::flows {
namespace {

using testing::kT0;
using testing::nodata;
using testing::v2;

Aggregate of(const std::string& text, std::string name = "111122223333_vpcflowlogs_us-east-1_fl-0abc_20251201T0000Z_x.log") {
  Aggregate a;
  aggregate_text(text, name, LogFormat::default_v2(), a);
  return a;
}

std::string csv(const Aggregate& a) {
  std::ostringstream out;
  write_aggregate_csv(a, out);
  return out.str();
}

const std::string kLines = v2("eni-a", "198.51.100.7", "10.0.1.10", 50000, 443) +
                           v2("eni-a", "10.0.1.10", "198.51.100.7", 443, 50000) +
                           v2("eni-b", "2001:db8::1", "2001:db8::2", 40000, 40001, 6, "REJECT") + nodata("eni-b");

TEST(AggregateIo, CsvRoundTrip) {
  const Aggregate a = of(kLines);
  Aggregate back;
  ASSERT_TRUE(read_aggregate(csv(a), "a.csv", back));
  EXPECT_EQ(csv(back), csv(a));
  EXPECT_EQ(back.window(), a.window());
}

TEST(AggregateIo, JsonRoundTripKeepsStatistics) {
  Aggregate a = of(kLines + "garbage\n");
  std::ostringstream json;
  write_aggregate_json(a, json);
  Aggregate back;
  ASSERT_TRUE(read_aggregate(json.str(), "a.json", back));
  EXPECT_EQ(csv(back), csv(a));
  EXPECT_EQ(back.stats.malformed, 1u);
  ASSERT_EQ(back.stats.samples.size(), 1u);
  EXPECT_EQ(back.stats.samples[0].line, 5u);
}

TEST(AggregateIo, MergingPartialAggregatesEqualsOneScan) {
  const std::string part1 = v2("eni-a", "198.51.100.7", "10.0.1.10", 50000, 443) + nodata("eni-b", kT0, kT0 + 60);
  const std::string part2 = v2("eni-a", "198.51.100.7", "10.0.1.10", 50001, 443, 6, "ACCEPT", 5, 500, kT0 + 600, kT0 + 660) +
                            nodata("eni-b", kT0 + 600, kT0 + 900);
  Aggregate merged;
  ASSERT_TRUE(read_aggregate(csv(of(part1)), "1.csv", merged));
  Aggregate second;
  ASSERT_TRUE(read_aggregate(csv(of(part2)), "2.csv", second));
  merged.merge(std::move(second));
  EXPECT_EQ(csv(merged), csv(of(part1 + part2)));
}

TEST(AggregateIo, ReadsAthenaResultCsv) {
  // Athena quotes every value, may reorder columns and writes NULL as empty.
  const std::string athena =
      "\"KIND\",\"flow_log_id\",\"interface_id\",\"src_addr\",\"dst_addr\",\"src_port\",\"dst_port\",\"protocol\","
      "\"action\",\"flow_direction\",\"initiator\",\"flows\",\"packets\",\"bytes\",\"first_start\",\"last_end\","
      "\"nodata\",\"skipdata\"\n"
      "\"flow\",\"\",\"eni-a\",\"198.51.100.7\",\"10.0.1.10\",\"0\",\"443\",\"6\",\"ACCEPT\",\"-\",\"src-port\",\"3\","
      "\"30\",\"3000\",\"1764547200\",\"1764547260\",\"0\",\"0\"\n"
      "\"observation\",\"fl-0abc\",\"eni-a\",\"\",\"\",,,,\"\",\"\",\"\",\"3\",\"0\",\"0\",\"1764547200\",\"1764547260\","
      "\"1\",\"0\"\n";
  Aggregate a;
  ASSERT_TRUE(read_aggregate(athena, "athena.csv", a));
  EXPECT_EQ(a.flows.size(), 1u);
  ASSERT_EQ(a.observations.size(), 1u);
  EXPECT_EQ(a.observations.begin()->second.nodata, 1u);
  EXPECT_EQ(a.flow_logs.texts()[a.observations.begin()->first.second], "fl-0abc");
}

TEST(AggregateIo, BadAggregatesAreErrorsWithTheirLine) {
  Aggregate a;
  Status s = read_aggregate("kind,interface_id\nflow,eni-a\n", "x.csv", a);
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message, ::testing::HasSubstr("no column \"flow_log_id\""));
  std::string good = csv(of(kLines));
  std::string bad = good + "flow,eni-a,,1.2.3.4,10.0.0.1,0,443,6,MAYBE,-,src-port,1,1,1,1,1,0,0\n";
  s = read_aggregate(bad, "x.csv", a);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().line, uint64_t(std::count(good.begin(), good.end(), '\n') + 1));
  EXPECT_THAT(s.error().message, ::testing::HasSubstr("bad action"));
  EXPECT_FALSE(read_aggregate("{\"format\": \"other\"}", "x.json", a));
  EXPECT_FALSE(read_aggregate("", "x.csv", a));
}

TEST(Athena, DdlProjectsTheS3LayoutAndSqlComputesTheAggregate) {
  AthenaOptions o;
  o.location = "s3://acme-flow-logs/prod/";
  o.account_id = "111122223333";
  o.regions = {"us-east-1", "eu-west-1"};
  const std::string s = athena_statements(o);
  EXPECT_THAT(s, ::testing::HasSubstr("CREATE EXTERNAL TABLE IF NOT EXISTS vpc_flow_logs"));
  EXPECT_THAT(s, ::testing::HasSubstr("'projection.region_partition.values' = 'us-east-1,eu-west-1'"));
  EXPECT_THAT(s, ::testing::HasSubstr(
                     "'storage.location.template' = 's3://acme-flow-logs/prod/AWSLogs/111122223333/vpcflowlogs/"
                     "${region_partition}/${day}'"));
  EXPECT_THAT(s, ::testing::HasSubstr("'skip.header.line.count' = '1'"));
  EXPECT_THAT(s, ::testing::HasSubstr("`end` bigint"));
  EXPECT_THAT(s, ::testing::HasSubstr("bitwise_and(tcp_flags, 18) = 2"));
  EXPECT_THAT(s, ::testing::HasSubstr("CAST(NULL AS integer) AS tcp_flags")) << "the v2 format has no tcp-flags";
  EXPECT_THAT(s, ::testing::HasSubstr("'flow' AS kind"));
  EXPECT_THAT(s, ::testing::HasSubstr("'observation'"));
  // The result's columns are the aggregate CSV's, in its order.
  for (std::string_view c : {"interface_id", "flow_log_id", "src_addr", "dst_addr", "src_port", "dst_port", "initiator",
                             "first_start", "last_end", "nodata", "skipdata"})
    EXPECT_THAT(s, ::testing::HasSubstr(std::string(c))) << c;
}

TEST(Athena, HivePartitionsAndCustomFormats) {
  AthenaOptions o;
  o.hive = true;
  o.format = *parse_log_format("${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
                               "${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${tcp-flags} "
                               "${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction}");
  const std::string s = athena_statements(o);
  EXPECT_THAT(s, ::testing::HasSubstr("aws-account-id=<account-id>/aws-service=vpcflowlogs/aws-region=${aws-region}/"
                                      "year=${year}/month=${month}/day=${day}"));
  EXPECT_THAT(s, ::testing::HasSubstr("COALESCE(NULLIF(pkt_srcaddr, '-'), srcaddr)"));
  EXPECT_THAT(s, ::testing::HasSubstr("tcp_flags AS tcp_flags"));
  EXPECT_THAT(s, ::testing::HasSubstr("COALESCE(NULLIF(flow_direction, '-'), '-') AS flow_direction"));
}

TEST(Initiator, FlagsThenPortsAsDocumented) {
  EXPECT_EQ(initiator_of(6, 2, 50000, 443), Initiator::kSrcByFlags);
  EXPECT_EQ(initiator_of(6, 3, 50000, 443), Initiator::kSrcByFlags) << "SYN|FIN, a short connection";
  EXPECT_EQ(initiator_of(6, 18, 443, 50000), Initiator::kDstByFlags);
  EXPECT_EQ(initiator_of(6, 19, 443, 50000), Initiator::kDstByFlags);
  EXPECT_EQ(initiator_of(6, 0, 50000, 443), Initiator::kSrcByPort) << "no SYN: ports decide";
  EXPECT_EQ(initiator_of(6, -1, 443, 50000), Initiator::kDstByPort);
  EXPECT_EQ(initiator_of(17, -1, 40000, 8125), Initiator::kSrcByPort) << "8125 is below the ephemeral range";
  EXPECT_EQ(initiator_of(6, -1, 40000, 40001), Initiator::kUnknown);
  EXPECT_EQ(initiator_of(6, -1, 8080, 9090), Initiator::kUnknown);
  EXPECT_EQ(initiator_of(1, -1, 0, 0), Initiator::kUnknown);
}

}  // namespace
}  // namespace fortress::flows

namespace fortress::flows {
namespace {

TEST(FlowTable, GrowsAndMergesLargeTables) {
  Aggregate a, b;
  for (uint32_t i = 0; i < 5000; ++i) {
    FlowKey k;
    k.src = i;
    k.dst = i * 7;
    k.interface = a.interfaces.id("eni-" + std::to_string(i % 13));
    a.flows.add(k, FlowCounters{1, 0, 0, UINT32_MAX, 0});
    FlowKey k2 = k;
    k2.interface = b.interfaces.id("eni-" + std::to_string(i % 13));
    b.flows.add(k2, FlowCounters{2, 0, 0, UINT32_MAX, 0});
  }
  EXPECT_EQ(a.flows.size(), 5000u);
  a.merge(std::move(b));
  EXPECT_EQ(a.flows.size(), 5000u);
  EXPECT_EQ(b.flows.size(), 0u) << "the merged-from table is emptied";
  uint64_t total = 0;
  a.flows.for_each([&](const FlowKey&, const FlowCounters& c) { total += c.flows; });
  EXPECT_EQ(total, 15000u);
}

// The stager against a plain map, fed three ways: random keys (every partition), keys that all fall
// in one partition (its region fills long before the limit: the rest spills into its own list), and more
// distinct keys than the first arena holds (the table outgrows it: a larger one for the next round).
// IPv6 keys go past it into the table. Counters and windows must add up as FlowCounters::add does.
TEST(FlowStager, StagedRecordsEqualAPlainMap) {
  struct Hash {
    size_t operator()(const FlowKey& k) const { return size_t(detail::hash_key(k)); }
  };
  std::mt19937_64 rng(42);
  for (int way = 0; way < 3; ++way) {
    const size_t records = 200'000;
    FlowTable table;
    FlowStager stager(way == 0 ? size_t(1) << 20 : 16'384);  // a small arena: its edges are reached
    std::unordered_map<FlowKey, FlowCounters, Hash> expected;
    expected.reserve(100'000);
    // Sources whose keys (interface 0, the other fields as below) all fall in partition 0.
    std::vector<uint32_t> one_partition;
    for (uint32_t src = 0; way == 1 && one_partition.size() < 2000; ++src) {
      FlowKey k;
      k.src = src;
      k.protocol = 6;
      if (FlowTable::partition_of(detail::partition_hash(FlowTable::pack(k))) == 0) one_partition.push_back(src);
    }
    for (size_t i = 0; i < records; ++i) {
      FlowKey k;
      if (way == 0) {
        k.src = rng() % 4000;  // repeats: some keys are added to many times
        k.dst = uint32_t(rng() % 50);
        k.dst_port = uint16_t(rng() % 3);
      } else if (way == 1) {
        k.src = one_partition[rng() % one_partition.size()];
      } else {
        k.src = uint32_t(i % 50'000);  // 50,000 distinct keys, more than the first arena holds
        k.dst = 1;
      }
      k.interface = way == 1 ? 0 : uint32_t(rng() % 7);  // the partition hash leaves the interface out
      k.protocol = 6;
      if (way != 1 && rng() % 50 == 0) {
        k.v6 = 1;
        k.src |= uint128(0x20010db8) << 96;
      }
      const uint64_t packets = rng() % 100, bytes = rng() % 100000;
      const uint32_t start = uint32_t(1700000000 + rng() % 1000), end = start + uint32_t(rng() % 60);
      stager.stage(table, k, packets, bytes, start, end);
      auto [it, fresh] = expected.try_emplace(k, FlowCounters{1, packets, bytes, start, end});
      if (!fresh) it->second.add(FlowCounters{1, packets, bytes, start, end});
    }
    stager.finish(table);
    ASSERT_EQ(table.size(), expected.size()) << "way " << way;
    size_t same = 0;
    table.for_each([&](const FlowKey& k, const FlowCounters& c) {
      auto it = expected.find(k);
      if (it == expected.end()) return;
      same += it->second.flows == c.flows && it->second.packets == c.packets && it->second.bytes == c.bytes &&
              it->second.first_start == c.first_start && it->second.last_end == c.last_end;
    });
    EXPECT_EQ(same, expected.size()) << "way " << way;
  }
}

}  // namespace
}  // namespace fortress::flows
