#include "baseline_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kMain = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main";

TEST(CloudtrailMultiRegion, PassesOnALoggingTrailWithAllManagementEventsCountedOnce) {
  TestAccount t;
  t.covered_region("eu-west-1");
  add_trail(t, {});
  add_trail(t, {}, "eu-west-1");  // the shadow copy
  const auto findings = run_check("cloudtrail-multi-region", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(status_name(findings[0].status), "PASS");
  EXPECT_EQ(findings[0].resource_id, kMain);
  EXPECT_EQ(findings[0].region, "us-east-1");
  EXPECT_EQ(findings[0].cis_aws_3_0, "3.1");
}

TEST(CloudtrailMultiRegion, FailsWhenNotLoggingWithTheStartLoggingCommand) {
  TestAccount t;
  add_trail(t, {.logging = false});
  const auto findings = run_check("cloudtrail-multi-region", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(status_name(findings[0].status), "FAIL");
  EXPECT_THAT(findings[0].detail.str(), HasSubstr("it is not logging"));
  EXPECT_EQ(findings[0].remediation_cli, std::string("aws cloudtrail start-logging --region us-east-1 --name ") + kMain);
}

TEST(CloudtrailMultiRegion, ManagementEventsMustBeReadAndWrite) {
  {
    TestAccount t;
    add_trail(t, {.read_write = "ReadOnly"});
    const auto f = run_check("cloudtrail-multi-region", t.done());
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(status_name(f[0].status), "FAIL");
    EXPECT_THAT(f[0].detail.str(), HasSubstr("read-only management events only"));
    EXPECT_THAT(f[0].remediation_cli, HasSubstr("put-event-selectors --region us-east-1 --trail-name"));
  }
  {
    // A ReadOnly and a WriteOnly selector together record both sides.
    TestAccount t;
    Trail& tr = add_trail(t, {.read_write = "ReadOnly"});
    EventSelector w;
    w.read_write_type = "WriteOnly";
    tr.event_selectors->basic.push_back(w);
    const auto f = run_check("cloudtrail-multi-region", t.done());
    EXPECT_EQ(status_name(f.at(0).status), "PASS");
  }
  {
    // Advanced: eventCategory = Management passes; adding readOnly = true drops the write side.
    TestAccount t;
    Trail& tr = add_trail(t, {.read_write = ""});
    AdvancedEventSelector a;
    a.name = "mgmt";
    a.field_selectors.push_back(field_equals("eventCategory", {"Management"}));
    tr.event_selectors->advanced.push_back(a);
    EXPECT_EQ(status_name(run_check("cloudtrail-multi-region", t.done()).at(0).status), "PASS");

    TestAccount u;
    Trail& ro = add_trail(u, {.read_write = ""});
    a.field_selectors.push_back(field_equals("readOnly", {"true"}));
    ro.event_selectors->advanced.push_back(a);
    const auto f = run_check("cloudtrail-multi-region", u.done());
    EXPECT_EQ(status_name(f.at(0).status), "FAIL");
    EXPECT_THAT(f.at(0).detail.str(), HasSubstr("read-only"));

    // ... and a second selector with readOnly = false restores it.
    TestAccount v;
    Trail& both = add_trail(v, {.read_write = ""});
    both.event_selectors->advanced.push_back(a);
    AdvancedEventSelector b = a;
    b.field_selectors.back() = field_equals("readOnly", {"false"});
    both.event_selectors->advanced.push_back(b);
    EXPECT_EQ(status_name(run_check("cloudtrail-multi-region", v.done()).at(0).status), "PASS");

    // An eventName filter limits the management events: it does not count.
    TestAccount w;
    Trail& narrow = add_trail(w, {.read_write = ""});
    AdvancedEventSelector c;
    c.name = "only-console";
    c.field_selectors.push_back(field_equals("eventCategory", {"Management"}));
    c.field_selectors.push_back(field_equals("eventName", {"ConsoleLogin"}));
    narrow.event_selectors->advanced.push_back(c);
    const auto g = run_check("cloudtrail-multi-region", w.done());
    EXPECT_EQ(status_name(g.at(0).status), "FAIL");
    EXPECT_THAT(g.at(0).detail.str(), HasSubstr("limited by eventName"));
  }
}

TEST(CloudtrailMultiRegion, UncollectedStatusIsNotAssessedNeverNotLogging) {
  TestAccount t;
  add_trail(t, {.status_known = false});
  const auto findings = run_check("cloudtrail-multi-region", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(status_name(findings[0].status), "NOT_ASSESSED");
  EXPECT_THAT(findings[0].detail.str(), HasSubstr("could not tell whether it is logging"));
}

TEST(CloudtrailMultiRegion, OneGoodTrailIsEnough) {
  TestAccount t;
  add_trail(t, {.name = "broken", .logging = false});
  add_trail(t, {.name = "unknown", .status_known = false});
  add_trail(t, {});
  const auto findings = run_check("cloudtrail-multi-region", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(status_name(findings[0].status), "PASS");
  EXPECT_EQ(findings[0].resource_id, kMain);
}

TEST(CloudtrailMultiRegion, NoMultiRegionTrail) {
  TestAccount t;
  add_trail(t, {.name = "local", .multi_region = false});
  const auto findings = run_check("cloudtrail-multi-region", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(status_name(findings[0].status), "FAIL");
  EXPECT_THAT(findings[0].detail.str(), HasSubstr("no multi-region trail"));
  EXPECT_EQ(findings[0].remediation_cli,
            "aws cloudtrail update-trail --region us-east-1 --name "
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/local --is-multi-region-trail");

  TestAccount none;
  const auto empty = run_check("cloudtrail-multi-region", none.done());
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(status_name(empty[0].status), "FAIL");
  EXPECT_THAT(empty[0].remediation_cli, HasSubstr("aws cloudtrail create-trail"));
}

TEST(CloudtrailMultiRegion, NotAssessedWhenNoTrailListWasCollected) {
  TestAccount t;
  t.coverage(Dataset::kTrails, CoverageStatus::kError, "AccessDenied");
  const auto findings = run_check("cloudtrail-multi-region", t.done());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(status_name(findings[0].status), "NOT_ASSESSED");
}

}  // namespace
}  // namespace fortress::testing
