// Golden tests of the reader: each folder of tests/data/flows/ holds input/ (flow log files as
// delivered) and optionally format.txt (--format-string); expected.txt is the aggregate CSV followed
// by the read statistics, samples and file issues. FORTRESS_UPDATE_GOLDEN=1 rewrites expected.txt.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "flows/aggregate_io.h"
#include "flows/reader.h"

namespace fortress::flows {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string render(const Aggregate& a, const std::string& root) {
  std::ostringstream out;
  write_aggregate_csv(a, out);
  auto rel = [&](std::string f) { return f.starts_with(root) ? f.substr(root.size()) : f; };
  const ReadStats& s = a.stats;
  out << fmt::format("# files {} bytes {} compressed {} records {} nodata {} skipdata {} malformed {} unattributable {}\n",
                     s.files, s.bytes, s.compressed_bytes, s.records, s.nodata, s.skipdata, s.malformed, s.unattributable);
  for (const MalformedSample& m : s.samples) out << fmt::format("# malformed {}:{}: {}\n", rel(m.file), m.line, m.reason);
  for (const FileIssue& i : s.issues)
    out << fmt::format("# {} {}: {}\n", i.level == FileIssue::Level::kError ? "error" : "warning", rel(i.file), i.message);
  return out.str();
}

class FlowGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(FlowGolden, MatchesExpected) {
  const fs::path dir = fs::path(FORTRESS_SOURCE_DIR) / "tests/data/flows" / GetParam();
  ReadOptions options;
  options.threads = 2;
  options.chunk_bytes = 256;  // split even these small files, to test chunking at line boundaries
  if (fs::exists(dir / "format.txt")) {
    Expected<LogFormat> f = parse_log_format(slurp(dir / "format.txt"));
    ASSERT_TRUE(f.has_value());
    options.format_override = *f;
  }
  const std::vector<std::string> inputs = {(dir / "input").string()};
  const std::string actual = render(read_flow_logs(inputs, options), (dir / "input").string() + "/");
  const fs::path expected_path = dir / "expected.txt";
  if (const char* u = std::getenv("FORTRESS_UPDATE_GOLDEN"); u != nullptr && std::string_view(u) == "1") {
    std::ofstream(expected_path, std::ios::binary) << actual;
  }
  EXPECT_EQ(actual, slurp(expected_path)) << "refresh deliberately with FORTRESS_UPDATE_GOLDEN=1";
  // One thread and no chunking give the same result.
  options.threads = 1;
  options.chunk_bytes = size_t(1) << 30;
  EXPECT_EQ(render(read_flow_logs(inputs, options), (dir / "input").string() + "/"), actual);
}

INSTANTIATE_TEST_SUITE_P(Cases, FlowGolden,
                         ::testing::Values("v2-default", "v3-tcp-flags", "v4-location", "v5-direction", "v7-ecs",
                                           "v8-reject-reason", "headerless-format-string", "gzip-multi-member",
                                           "gzip-truncated", "cloudwatch-export", "cloudwatch-truncated", "cloudwatch-s3-export", "s3-tree",
                                           "bad-input"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace fortress::flows
