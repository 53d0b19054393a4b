// The CIS 4.1-4.15 monitoring checks: the whole chain (trail -> log group -> metric filter whose
// pattern covers the control -> alarm -> SNS topic with a confirmed subscriber), each link failing,
// and each unknown link giving NOT_ASSESSED.
#include "baseline_builder_monitoring.h"

#include "checks/baseline_checks.h"
#include "logging/cis_monitoring.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kRoot =
    R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })";
constexpr const char* kSg =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";

// The one finding of a run, by value (the run's vector is a temporary).
Finding one(const std::vector<Finding>& f) {
  EXPECT_EQ(f.size(), 1u);
  return f.empty() ? Finding{} : f[0];
}

TEST(CisMonitoringAlarms, FifteenChecksInCisOrder) {
  const auto controls = cis_monitoring_controls();
  for (size_t i = 0; i < controls.size(); ++i) {
    const Check c = cis_monitoring_check(controls[i].control);
    EXPECT_EQ(c.meta.cis_aws_3_0, controls[i].control);
    EXPECT_THAT(std::string(c.meta.remediation_cli), HasSubstr(std::string(controls[i].metric_name)));
    EXPECT_NE(find_check(c.meta.id), nullptr) << c.meta.id << " is registered";
  }
}

TEST(CisMonitoringAlarms, PassesOnACompleteChainWithAnEquivalentPattern) {
  TestAccount t;
  // Same meaning as CIS 4.3, written differently.
  full_chain(t, R"({($.eventType!="AwsServiceEvent")&&($.userIdentity.invokedBy NOT EXISTS)&&($.userIdentity.type=Root)})");
  const Finding f = one(run_check("monitoring-root-usage", t.done()));
  EXPECT_EQ(status_name(f.status), "PASS") << f.detail;
  EXPECT_THAT(f.detail.str(), HasSubstr("a-m41"));
  EXPECT_EQ(f.cis_aws_3_0, "4.3");
}

TEST(CisMonitoringAlarms, ANarrowerPatternFailsWithTheCommandForTheLogGroup) {
  TestAccount t;
  full_chain(t, R"({ $.userIdentity.type = "Root" && $.eventName = "ConsoleLogin" })");
  const Finding f = one(run_check("monitoring-root-usage", t.done()));
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail.str(), HasSubstr("misses an event with"));
  EXPECT_THAT(f.remediation_cli, HasSubstr("aws logs put-metric-filter --region us-east-1 --log-group-name CloudTrail/main "
                                           "--filter-name root_usage_metric"));
  EXPECT_THAT(f.remediation_cli, HasSubstr("aws cloudwatch put-metric-alarm --region us-east-1"));
  EXPECT_THAT(f.remediation_cli, HasSubstr(std::string("--alarm-actions ") + kTopic)) << "reuses the confirmed topic";
}

TEST(CisMonitoringAlarms, ADroppedEventNameFails) {
  TestAccount t;
  add_metric_filter(t, "f-other", "{ $.eventName = ConsoleLogin }", "other");  // not a near miss: not named
  full_chain(t,
             "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
             "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
             "($.eventName = CreateSecurityGroup) }");
  const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail.str(), HasSubstr("f-m41 (misses an event with $.eventName = \"DeleteSecurityGroup\""));
  EXPECT_THAT(f.detail.str(), ::testing::Not(HasSubstr("f-other")));
}

TEST(CisMonitoringAlarms, EachMissingLinkFails) {
  {
    TestAccount t;
    add_trail(t, {});
    add_metric_filter(t, "f", kSg, "sg");
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "FAIL");
    EXPECT_THAT(f.detail.str(), HasSubstr("no alarm watches its metric CISBenchmark/sg"));
    EXPECT_THAT(f.remediation_cli, HasSubstr("put-metric-alarm --region us-east-1 --alarm-name security_group_changes_metric_alarm"));
  }
  {
    TestAccount t;
    add_trail(t, {});
    add_metric_filter(t, "f", kSg, "sg");
    add_alarm(t, "a", "sg", {});
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "FAIL");
    EXPECT_THAT(f.detail.str(), HasSubstr("no SNS topic among its actions"));
  }
  {
    TestAccount t;
    full_chain(t, kSg, "sg", /*confirmed=*/false);
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "FAIL");
    EXPECT_THAT(f.detail.str(), HasSubstr("no confirmed subscription"));
    EXPECT_THAT(f.remediation_cli, HasSubstr("aws sns subscribe --region us-east-1 --topic-arn"));
  }
  {
    TestAccount t;
    full_chain(t, kSg, "sg");
    t.region().metric_alarms.back().actions_enabled = false;
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "FAIL");
    EXPECT_EQ(f.remediation_cli, "aws cloudwatch enable-alarm-actions --region us-east-1 --alarm-names a-sg");
  }
  {
    TestAccount t;
    add_trail(t, {.log_group = ""});
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "FAIL");
    EXPECT_THAT(f.detail.str(), HasSubstr("does not deliver to CloudWatch Logs"));
  }
  {
    TestAccount t;  // a single-region trail only
    add_trail(t, {.multi_region = false});
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "FAIL");
    EXPECT_THAT(f.detail.str(), HasSubstr("no multi-region trail"));
  }
}

TEST(CisMonitoringAlarms, TheTrailMustRecordWhatTheControlWatches) {
  TestAccount t;
  full_chain(t, "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }", "kms");
  t.region().trails.back().event_selectors->basic.back().exclude_management_event_sources = {"kms.amazonaws.com"};
  const Finding f = one(run_check("monitoring-kms-key-disable-or-deletion", t.done()));
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail.str(), HasSubstr("excludes kms.amazonaws.com events"));

  TestAccount u;
  full_chain(u, kSg, "sg");
  u.region().trails.back().status->is_logging = false;
  const Finding g = one(run_check("monitoring-security-group-changes", u.done()));
  EXPECT_EQ(status_name(g.status), "FAIL");
  EXPECT_THAT(g.detail.str(), HasSubstr("is not logging"));
}

TEST(CisMonitoringAlarms, UnknownLinksAreNotAssessed) {
  {
    TestAccount t;  // subscriptions of the topic not collected
    add_trail(t, {});
    add_metric_filter(t, "f", kSg, "sg");
    add_alarm(t, "a", "sg", {kTopic});
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
    EXPECT_THAT(f.detail.str(), HasSubstr("list-subscriptions-by-topic"));
  }
  {
    TestAccount t;
    full_chain(t, kSg, "sg");
    t.coverage(Dataset::kMetricFilters, CoverageStatus::kError, "AccessDeniedException");
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
    EXPECT_THAT(f.detail.str(), HasSubstr("AccessDeniedException"));
  }
  {
    TestAccount t;
    full_chain(t, kSg, "sg");
    t.coverage(Dataset::kMetricAlarms, CoverageStatus::kMissing);
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  }
  {
    TestAccount t;  // get-trail-status not collected: not "not logging"
    full_chain(t, kSg, "sg");
    t.region().trails.back().status.reset();
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
    EXPECT_THAT(f.detail.str(), HasSubstr("whether it is logging"));
  }
  {
    TestAccount t;  // ... but a chain that breaks later fails whatever the trail does
    add_trail(t, {.status_known = false});
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "FAIL");
    EXPECT_THAT(f.detail.str(), HasSubstr("no metric filter"));
  }
  {
    TestAccount t;  // a regular expression fortress does not evaluate
    full_chain(t, "{ $.eventName = %SecurityGroup% }", "sg");
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
    EXPECT_THAT(f.detail.str(), HasSubstr("regular expressions"));
  }
  {
    TestAccount t;
    t.coverage(Dataset::kTrails, CoverageStatus::kError, "AccessDenied");
    const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
    EXPECT_EQ(status_name(f.status), "NOT_ASSESSED");
  }
}

TEST(CisMonitoringAlarms, ShadowCopyAndLogGroupRegionFromTheArn) {
  TestAccount t;
  t.covered_region("eu-west-1");
  add_trail(t, {});
  add_trail(t, {}, "eu-west-1");
  add_metric_filter(t, "f", kSg, "sg");
  add_alarm(t, "a", "sg", {kTopic});
  add_topic(t, kTopic, true);
  const Finding f = one(run_check("monitoring-security-group-changes", t.done()));
  EXPECT_EQ(status_name(f.status), "PASS");
  EXPECT_EQ(f.region, "us-east-1");
}

}  // namespace
}  // namespace fortress::testing
