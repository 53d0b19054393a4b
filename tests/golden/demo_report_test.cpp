// Golden test of the JSON report of the demo account: the whole pipeline (loader, checks, mutes,
// JSON writer) on the bundled example, compared byte for byte with tests/data/golden/demo-report.json.
// Refresh deliberately with FORTRESS_UPDATE_GOLDEN=1 after a reviewed change of behaviour.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

Run run(const std::string& command) {
  Run r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(DemoGolden, JsonReportMatchesGolden) {
  const std::string src = FORTRESS_SOURCE_DIR;
  const std::string golden = src + "/tests/data/golden/demo-report.json";
  Run r = run("FORTRESS_FIXED_TIME=2026-01-01T00:00:00Z " + std::string(FORTRESS_BINARY) + " scan " + src +
              "/examples/demo-account --config " + src + "/examples/demo-fortress.yaml --format json 2>/dev/null");
  // The demo has failures and a recorded collection error, and no --fail-on: status 3 (incomplete).
  EXPECT_EQ(r.exit_code, 3);
  ASSERT_FALSE(r.out.empty());
  if (const char* update = std::getenv("FORTRESS_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << r.out;
    GTEST_SKIP() << "golden file rewritten: " << golden;
  }
  const std::string expected = read_file(golden);
  ASSERT_FALSE(expected.empty()) << "missing golden file " << golden << " (run with FORTRESS_UPDATE_GOLDEN=1)";
  EXPECT_EQ(r.out, expected) << "the demo report changed; review the diff, then refresh with FORTRESS_UPDATE_GOLDEN=1";
}

}  // namespace
