// docs/permissions.md must name the IAM action of every operation the collector can call, so a
// user who grants exactly that list gets a complete collection.
#include <gtest/gtest.h>

#include <map>

#include "collect/operations.h"
#include "support/process.h"

namespace fortress::collect {
namespace {

// The IAM service prefix of a botocore service name, where the two differ.
std::string iam_prefix(std::string_view service) {
  static const std::map<std::string_view, std::string_view> kPrefix = {
      {"elbv2", "elasticloadbalancing"}, {"accessanalyzer", "access-analyzer"}};
  auto it = kPrefix.find(service);
  return std::string(it == kPrefix.end() ? service : it->second);
}

TEST(PermissionsDoc, NamesEveryCollectedOperation) {
  const std::string doc = fortress::testing::read_file(std::string(FORTRESS_SOURCE_DIR) + "/docs/permissions.md");
  ASSERT_FALSE(doc.empty());
  size_t checked = 0;
  for (const OperationSpec& op : collected_operations()) {
    const std::string action = "`" + iam_prefix(op.service) + ":" + std::string(op.operation) + "`";
    EXPECT_NE(doc.find(action), std::string::npos) << action << " is collected but not in docs/permissions.md";
    ++checked;
  }
  EXPECT_GT(checked, 30u);
}

}  // namespace
}  // namespace fortress::collect
