#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

void add_groups(TestAccount& t) {
  t.group("sg-used", {});
  t.group("sg-referenced", {});
  t.group("sg-referrer", {ingress(tcp(5432), "sg-referenced")});
  t.group("sg-self", {ingress(all_traffic(), "sg-self")});
  t.group("sg-idle", {ingress(tcp(22), "10.0.0.0/8")});
  t.group("sg-default", {}, "vpc-1", "default");
  t.eni("eni-1", {"sg-used"});
  t.eni("eni-2", {"sg-used", "sg-referrer"});
}

TEST(SgUnused, ClassifiesGroups) {
  TestAccount t;
  add_groups(t);
  const auto findings = run_check("sg-unused", t.done());
  ASSERT_EQ(findings.size(), 6u);

  const Finding& used = only_finding(findings, "sg-used");
  EXPECT_EQ(used.status, FindingStatus::kPass);
  EXPECT_EQ(used.detail, "attached to 2 network interface(s)");
  EXPECT_TRUE(used.evidence.empty()) << "a PASS carries no evidence";

  const Finding& referenced = only_finding(findings, "sg-referenced");
  EXPECT_EQ(referenced.status, FindingStatus::kPass);
  EXPECT_THAT(referenced.detail, HasSubstr("referenced by 1 other group(s): sg-referrer"));

  const Finding& self = only_finding(findings, "sg-self");
  EXPECT_EQ(self.status, FindingStatus::kFail) << "a group referencing only itself is unused";

  const Finding& idle = only_finding(findings, "sg-idle");
  EXPECT_EQ(idle.status, FindingStatus::kFail);
  EXPECT_EQ(idle.detail, "attached to no network interface and referenced by no other security group");
  EXPECT_EQ(idle.remediation_cli, "aws ec2 delete-security-group --region us-east-1 --group-id sg-idle");
  EXPECT_EQ(idle.evidence.get("attached_enis")->as_int(), 0);
  EXPECT_EQ(idle.area, Area::kLifecycle);

  const Finding& def = only_finding(findings, "sg-default");
  EXPECT_EQ(def.status, FindingStatus::kPass);
  EXPECT_THAT(def.detail, HasSubstr("does not allow deleting it"));
}

TEST(SgUnused, WithoutEniDataOnlyProvenUseIsReported) {
  TestAccount t;
  add_groups(t);
  t.coverage(Dataset::kNetworkInterfaces, CoverageStatus::kMissing);
  t.region().network_interfaces.clear();
  const auto findings = run_check("sg-unused", t.done());
  EXPECT_EQ(count_status(findings, FindingStatus::kFail), 0u);
  const Finding& na = only_finding(findings, "ec2/describe-network-interfaces");
  EXPECT_EQ(na.status, FindingStatus::kNotAssessed);
  EXPECT_EQ(only_finding(findings, "sg-referenced").status, FindingStatus::kPass);
  EXPECT_EQ(only_finding(findings, "sg-default").status, FindingStatus::kPass);
  for (const Finding& f : findings) {
    EXPECT_NE(f.resource_id, "sg-idle");
    EXPECT_NE(f.resource_id, "sg-used");
  }
}

TEST(SgUnused, EniErrorStillPassesGroupsSeenInUse) {
  TestAccount t;
  add_groups(t);
  t.coverage(Dataset::kNetworkInterfaces, CoverageStatus::kError, "RequestLimitExceeded");
  const auto findings = run_check("sg-unused", t.done());
  EXPECT_EQ(count_status(findings, FindingStatus::kFail), 0u);
  EXPECT_EQ(only_finding(findings, "sg-used").status, FindingStatus::kPass);
  EXPECT_EQ(only_finding(findings, "ec2/describe-network-interfaces").status, FindingStatus::kNotAssessed);
}

TEST(SgUnused, NotAssessedWithoutGroups) {
  TestAccount t;
  t.coverage(Dataset::kSecurityGroups, CoverageStatus::kMissing);
  const auto findings = run_check("sg-unused", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
  EXPECT_EQ(findings[0].resource_id, "ec2/describe-security-groups");
}

}  // namespace
}  // namespace fortress::testing
