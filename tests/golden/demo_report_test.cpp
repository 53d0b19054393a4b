// Golden test of the JSON report of the demo account: the whole pipeline (loader, checks, mutes,
// JSON writer) on the bundled example, compared byte for byte with tests/data/golden/demo-report.json.
// Refresh deliberately with FORTRESS_UPDATE_GOLDEN=1 after a reviewed change of behaviour.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "support/process.h"

namespace {

using fortress::testing::read_file;
using fortress::testing::run_command;
using fortress::testing::sh_quote;

TEST(DemoGolden, JsonReportMatchesGolden) {
  const std::string src = FORTRESS_SOURCE_DIR;
  const std::string golden = src + "/tests/data/golden/demo-report.json";
  const auto r = run_command("FORTRESS_FIXED_TIME=2026-01-01T00:00:00Z " + sh_quote(FORTRESS_BINARY) + " scan " +
                             sh_quote(src + "/examples/demo-account") + " --config " +
                             sh_quote(src + "/examples/demo-fortress.yaml") + " --format json 2>/dev/null");
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
