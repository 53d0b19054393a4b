// Golden test: parsed responses must print exactly as the AWS CLI prints them. For every case of
// tests/data/aws_protocol/cases.txt, the input response is parsed with the built-in model and
// dumped with 4-space indentation; the text must equal expected/<name>.json byte for byte, which
// is the output of Debian's `aws ... --output json` (awscli 2.9.19) for the same response served
// from a local endpoint. tests/data/aws_protocol/refresh.sh regenerates the expected files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/protocol.h"
#include "aws/protocol_models.h"
#include "support/reference.h"

namespace fortress::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(FORTRESS_SOURCE_DIR) / "tests" / "data" / "aws_protocol";
const fs::path kReference = fortress::testing::reference_dir();

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

TEST(AwsCliGolden, ParsedOutputPrintsLikeTheCli) {
  std::istringstream lines(slurp(kData / "cases.txt"));
  std::string line;
  int checked = 0, skipped = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string part; std::getline(fields, part, '|');) f.push_back(trim(part));
    ASSERT_EQ(f.size(), 6u) << line;
    const std::string& name = f[0];
    SCOPED_TRACE(name);
    fs::path input = f[4].starts_with("ref:") ? kReference / f[4].substr(4) : kData / f[4];
    if (!fs::exists(input)) {
      ++skipped;  // ../shared/reference absent
      continue;
    }
    auto model = builtin_model(f[1]);
    ASSERT_TRUE(model.has_value()) << model.error().to_string();
    const Operation* op = (*model)->find_operation(f[2]);
    ASSERT_NE(op, nullptr) << f[2];
    HttpReply reply;
    reply.status = 200;
    reply.headers = {{"content-type", f[5]}};
    reply.body = slurp(input);
    auto parsed = parse_response(**model, *op, reply);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
    std::string got = parsed->dump(4) + "\n";
    EXPECT_EQ(got, slurp(kData / "expected" / (name + ".json")));
    ++checked;
  }
  if (checked == 0 && skipped > 0) GTEST_SKIP() << "reference inputs not found under " << kReference;
  EXPECT_GE(checked + skipped, 18);
}

}  // namespace
}  // namespace fortress::aws
