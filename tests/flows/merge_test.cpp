// Aggregate::merge on several threads gives the same table as on one.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "flows/aggregate.h"
#include "flows/reader.h"

namespace fortress::flows {
namespace {

Aggregate random_aggregate(uint64_t seed, bool reversed_interfaces) {
  std::mt19937_64 rng(seed);
  Aggregate a;
  // Interfaces interned in another order in each aggregate, so the merge renumbers them.
  for (int i = 0; i < 50; ++i) a.interfaces.id("eni-" + std::to_string(reversed_interfaces ? 49 - i : i));
  for (int i = 0; i < 60000; ++i) {
    FlowKey k;
    k.v6 = rng() % 20 == 0 ? 1 : 0;
    k.src = k.v6 ? (uint128(rng()) << 64) | (rng() % 500) : rng() % 3000;
    k.dst = rng() % 40;
    k.interface = a.interfaces.id("eni-" + std::to_string(rng() % 50));
    k.protocol = 6;
    k.dst_port = uint16_t(rng() % 4);
    a.flows.add(k, FlowCounters{1 + rng() % 3, rng() % 100, rng() % 10000, uint32_t(rng() % 1000), uint32_t(rng() % 1000)});
  }
  return a;
}

std::map<std::tuple<std::string, uint128, uint128, uint16_t>, std::tuple<uint64_t, uint64_t, uint64_t, uint32_t, uint32_t>>
contents(const Aggregate& a) {
  std::map<std::tuple<std::string, uint128, uint128, uint16_t>, std::tuple<uint64_t, uint64_t, uint64_t, uint32_t, uint32_t>> m;
  a.flows.for_each([&](const FlowKey& k, const FlowCounters& c) {
    m[{a.interfaces.texts()[k.interface], k.src, k.dst, k.dst_port}] = {c.flows, c.packets, c.bytes, c.first_start,
                                                                          c.last_end};
  });
  return m;
}

TEST(AggregateMerge, SameResultOnOneAndSeveralThreads) {
  for (unsigned threads : {2u, 3u, 7u}) {
    Aggregate one = random_aggregate(1, false), many = random_aggregate(1, false);
    one.merge(random_aggregate(2, true), 20, 1);
    many.merge(random_aggregate(2, true), 20, threads);
    EXPECT_EQ(one.flows.size(), many.flows.size()) << threads;
    EXPECT_GT(one.flows.size(), random_aggregate(1, false).flows.size()) << "the second aggregate adds keys";
    EXPECT_EQ(contents(one), contents(many)) << threads;
  }
}

// Every key with its interface's text (the numbers differ between aggregates) and its counters, as text.
std::map<std::string, std::string> all_keys(const Aggregate& a) {
  std::map<std::string, std::string> m;
  a.flows.for_each([&](const FlowKey& k, const FlowCounters& c) {
    FlowKey bare = k;
    bare.interface = 0;
    const std::string key(reinterpret_cast<const char*>(&bare), sizeof bare);
    m[a.interfaces.texts()[k.interface] + "|" + key] = std::to_string(c.flows) + " " + std::to_string(c.packets) +
                                                       " " + std::to_string(c.bytes) + " " +
                                                       std::to_string(c.first_start) + " " + std::to_string(c.last_end);
  });
  return m;
}

// The reader's threads fill one table in flush rounds: with 1, 2, 3 and 7 threads, and with rounds
// every 64 records (hundreds of rounds, the IPv6 keys among them), the aggregate is the one a single
// thread makes with the default stage.
TEST(ReaderRounds, SameAggregateOnAnyThreadsAndRounds) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("fortress-rounds-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::mt19937_64 rng(5);
  for (int f = 0; f < 9; ++f) {
    std::ofstream out(dir / ("part-" + std::to_string(f) + ".log"));
    out << "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
    for (int i = 0; i < 4000; ++i) {
      const std::string eni = "eni-0" + std::to_string(10000000 + rng() % 40);
      const bool v6 = rng() % 15 == 0;
      const std::string src = v6 ? "2001:db8::" + std::to_string(rng() % 300) : "198.51.100." + std::to_string(rng() % 200);
      const std::string dst = v6 ? "2001:db8:1::1" : "10.0.0." + std::to_string(rng() % 5);
      if (rng() % 50 == 0) {
        out << "2 123456789012 " << eni << " - - - - - - - 1700000000 1700000060 - NODATA\n";
        continue;
      }
      out << "2 123456789012 " << eni << " " << src << " " << dst << " " << 40000 + rng() % 20000 << " "
          << (rng() % 2 ? 443 : 22) << " 6 " << 1 + rng() % 9 << " " << rng() % 5000 << " " << 1700000000 + rng() % 600
          << " " << 1700000600 + rng() % 600 << (rng() % 5 ? " ACCEPT OK" : " REJECT OK") << "\n";
    }
  }
  const std::vector<std::string> paths = {dir.string()};
  ReadOptions reference_options;
  reference_options.threads = 1;
  reference_options.chunk_bytes = 64 << 10;  // several tasks a file
  const Aggregate reference = read_flow_logs(paths, reference_options);
  ASSERT_GT(reference.flows.size(), 5000u);
  for (unsigned threads : {1u, 2u, 3u, 7u}) {
    for (size_t stage : {size_t(64), size_t(1) << 20}) {
      ReadOptions o = reference_options;
      o.threads = threads;
      o.stage_records = stage;
      const Aggregate a = read_flow_logs(paths, o);
      EXPECT_EQ(a.flows.size(), reference.flows.size()) << threads << " threads, stage " << stage;
      EXPECT_TRUE(all_keys(a) == all_keys(reference)) << threads << " threads, stage " << stage;
      EXPECT_EQ(a.stats.records, reference.stats.records);
      EXPECT_EQ(a.stats.nodata, reference.stats.nodata);
      EXPECT_EQ(a.observations.size(), reference.observations.size());
    }
  }
  fs::remove_all(dir);
}

// Malformed records: the first five of each file are sampled (at most max_samples in all, in file and
// line order), with the right line numbers when a file is read in chunks by several threads, and every
// file with malformed records is named with its count — the same on any number of threads.
TEST(ReaderSamples, FirstFiveOfEachFileOnAnyThreads) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("fortress-samples-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string good = "2 123456789012 eni-1 198.51.100.1 10.0.0.1 40000 443 6 1 100 1700000000 1700000060 ACCEPT OK\n";
  std::map<std::string, std::vector<uint64_t>> bad_lines;  // file -> 1-based lines written malformed
  for (const std::string name : {"a.log", "b.log", "c.log", "d.log", "e.log"}) {
    std::ofstream out(dir / name);
    for (uint64_t line = 1; line <= 4000; ++line) {
      if (line % 500 == 7) {
        out << "2 123456789012 eni-1 198.51.100.999 10.0.0.1 40000 443 6 1 100 1700000000 1700000060 ACCEPT OK\n";
        bad_lines[name].push_back(line);
      } else {
        out << good;
      }
    }
  }
  const std::vector<std::string> paths = {dir.string()};
  std::vector<std::string> reference;
  for (unsigned threads : {1u, 2u, 3u, 7u}) {
    ReadOptions o;
    o.threads = threads;
    o.chunk_bytes = 16 << 10;  // about 160 lines a task: most samples are in chunks that do not start the file
    const Aggregate a = read_flow_logs(paths, o);
    EXPECT_EQ(a.stats.malformed, 40u);
    std::vector<std::string> got;
    for (const MalformedSample& m : a.stats.samples) got.push_back(fs::path(m.file).filename().string() + ":" + std::to_string(m.line));
    std::vector<std::string> expected;
    for (const auto& [name, lines] : bad_lines)
      for (size_t i = 0; i < 5 && expected.size() < o.max_samples; ++i) expected.push_back(name + ":" + std::to_string(lines[i]));
    EXPECT_EQ(got, expected) << threads << " threads";
    size_t warnings = 0;
    for (const FileIssue& i : a.stats.issues)
      if (i.level == FileIssue::Level::kWarning && i.message == "8 malformed record(s) skipped") ++warnings;
    EXPECT_EQ(warnings, 5u) << threads << " threads";
    if (threads == 1) reference = got;
    EXPECT_EQ(got, reference);
  }
  fs::remove_all(dir);
}

// Tasks are handed out largest first, so a file's later chunk may be read before its first: the
// samples are still the file's first five (a long line makes the second chunk, which holds seven
// malformed lines, the largest).
TEST(ReaderSamples, FirstFiveWhenALaterChunkIsReadFirst) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("fortress-samples-order-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string good = "2 123456789012 eni-1 198.51.100.1 10.0.0.1 40000 443 6 1 100 1700000000 1700000060 ACCEPT OK\n";
  const std::string bad = "2 123456789012 eni-1 198.51.100.999 10.0.0.1 40000 443 6 1 100 1700000000 1700000060 ACCEPT OK\n";
  {
    std::ofstream out(dir / "a.log");
    for (uint64_t line = 1; line <= 400; ++line) {
      if (line == 10 || line == 20 || (line >= 180 && line <= 185)) out << bad;
      else if (line == 190) out << "2 123456789012 eni-1 " << std::string(20000, 'x') << "\n";  // malformed too
      else out << good;
    }
  }
  for (unsigned threads : {1u, 2u, 3u}) {
    ReadOptions o;
    o.threads = threads;
    o.chunk_bytes = 16 << 10;
    const Aggregate a = read_flow_logs(std::vector<std::string>{dir.string()}, o);
    std::vector<uint64_t> lines;
    for (const MalformedSample& m : a.stats.samples) lines.push_back(m.line);
    EXPECT_EQ(lines, (std::vector<uint64_t>{10, 20, 180, 181, 182})) << threads << " threads";
    EXPECT_EQ(a.stats.malformed, 9u);
  }
  fs::remove_all(dir);
}

// A directory of many bad files: each of the first 50 is named, the rest are counted in one warning.
TEST(ReaderSamples, ManyBadFilesAreNamedThenCounted) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("fortress-samples-many-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (int i = 0; i < 60; ++i) std::ofstream(dir / fmt::format("f{:03}.log", i)) << "garbage\ngarbage\n";
  ReadOptions o;
  o.threads = 2;
  const Aggregate a = read_flow_logs(std::vector<std::string>{dir.string()}, o);
  EXPECT_EQ(a.stats.malformed, 120u);
  EXPECT_EQ(a.stats.samples.size(), 20u);
  size_t named = 0;
  std::string rest;
  for (const FileIssue& i : a.stats.issues) {
    if (i.message == "2 malformed record(s) skipped") ++named;
    if (i.file.empty()) rest = i.message;
  }
  EXPECT_EQ(named, ReadStats::kMalformedFilesListed);
  EXPECT_EQ(rest, "10 more file(s) with malformed records (20 record(s) skipped)");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fortress::flows
