// logs describe-metric-filters, cloudwatch describe-alarms, sns list-subscriptions-by-topic (one
// file per SNS topic an alarm notifies): the CIS 4.x chain from a log group to a confirmed subscriber.
#include "services_fixture.h"

namespace fortress {
namespace {

using testing::utc;
using Level = LoadDiagnostic::Level;

constexpr std::string_view kSecurityAlerts = "arn:aws:sns:us-east-1:111122223333:security-alerts";
constexpr std::string_view kOpsPager = "arn:aws:sns:us-east-1:111122223333:ops-pager";

class Alarms : public testing::AwsAccount {};

TEST_F(Alarms, MetricFiltersByLogGroup) {
  EXPECT_TRUE(us().has(Dataset::kMetricFilters));
  ASSERT_EQ(us().metric_filters.size(), 3u);
  auto on_trail = us().metric_filters_on("aws-cloudtrail-org");
  ASSERT_EQ(on_trail.size(), 2u);
  const MetricFilter& root = *on_trail[0];
  EXPECT_EQ(root.name, "cis-root-account-usage");
  EXPECT_EQ(root.pattern,
            R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })");
  ASSERT_EQ(root.transformations.size(), 1u);
  EXPECT_EQ(root.transformations[0].metric_name, "RootAccountUsageCount");
  EXPECT_EQ(root.transformations[0].metric_namespace, "CISBenchmark");
  EXPECT_EQ(root.transformations[0].metric_value, "1");
  EXPECT_EQ(root.creation_time, utc("2024-03-05T13:42:00Z"));
  EXPECT_EQ(us().metric_filters_on("/webapp/access").size(), 1u);
  EXPECT_TRUE(us().metric_filters_on("nope").empty());
}

TEST_F(Alarms, MetricAlarmsByMetric) {
  ASSERT_EQ(us().metric_alarms.size(), 3u);
  auto alarms = us().alarms_on("CISBenchmark", "RootAccountUsageCount");
  ASSERT_EQ(alarms.size(), 1u);
  const MetricAlarm& a = *alarms[0];
  EXPECT_EQ(a.name, "cis-root-account-usage");
  EXPECT_EQ(a.arn, "arn:aws:cloudwatch:us-east-1:111122223333:alarm:cis-root-account-usage");
  EXPECT_TRUE(a.actions_enabled);
  EXPECT_EQ(a.alarm_actions, (std::vector<Symbol>{kSecurityAlerts, kOpsPager}));
  EXPECT_EQ(a.state_value, "OK");
  EXPECT_EQ(a.threshold, 1.0);
  EXPECT_EQ(a.period, 300);
  EXPECT_EQ(a.comparison_operator, "GreaterThanOrEqualToThreshold");
  const MetricAlarm& cpu = *us().alarms_on("AWS/EC2", "CPUUtilization")[0];
  EXPECT_EQ(cpu.threshold, 70.0);
  EXPECT_TRUE(cpu.alarm_actions[0].view().starts_with("arn:aws:autoscaling:"));
}

TEST_F(Alarms, SubscriptionsPerTopic) {
  EXPECT_TRUE(us().has(Dataset::kSnsSubscriptions));
  const std::vector<SnsSubscription>* subs = us().sns_subscriptions_for(kSecurityAlerts);
  ASSERT_NE(subs, nullptr);
  ASSERT_EQ(subs->size(), 2u);
  EXPECT_TRUE((*subs)[0].confirmed());
  EXPECT_EQ((*subs)[0].protocol, "email");
  EXPECT_EQ((*subs)[0].endpoint, "security-team@example.com");
  EXPECT_FALSE((*subs)[1].confirmed());  // PendingConfirmation
  EXPECT_EQ((*subs)[1].subscription_arn, "PendingConfirmation");
  const std::vector<SnsSubscription>* pager = us().sns_subscriptions_for(kOpsPager);
  ASSERT_NE(pager, nullptr);  // collected: nobody subscribed
  EXPECT_TRUE(pager->empty());
  EXPECT_EQ(us().sns_subscriptions_for("arn:aws:sns:us-east-1:111122223333:never-collected"), nullptr);
}

TEST(AlarmsEdge, AFailedTopicIsAGapAndSeveralTopicsInOneFileAreRefused) {
  LoadResult r = testing::load_files({
      {"eu-west-1/sns/list-subscriptions-by-topic/arn%3Aaws%3Asns%3Aeu-west-1%3A1%3Aa.error.json",
       R"({"FortressCollectionError": {"Service": "sns", "Command": "list-subscriptions-by-topic", "Region": "eu-west-1",
            "ErrorCode": "AuthorizationError", "Message": "not authorized"}})"},
      {"eu-west-1/sns/list-subscriptions.json",
       R"({"Subscriptions": [{"SubscriptionArn": "arn:aws:sns:eu-west-1:1:b:1", "TopicArn": "arn:aws:sns:eu-west-1:1:b"},
                             {"SubscriptionArn": "arn:aws:sns:eu-west-1:1:c:1", "TopicArn": "arn:aws:sns:eu-west-1:1:c"}]})"},
      {"eu-west-1/cloudwatch/describe-alarms.json",
       R"({"MetricAlarms": [{"AlarmName": "x", "AlarmArn": "arn:aws:cloudwatch:eu-west-1:1:alarm:x", "Threshold": "high"},
                            {"AlarmName": "y", "AlarmArn": "arn:aws:cloudwatch:eu-west-1:1:alarm:y", "ActionsEnabled": false}],
           "CompositeAlarms": []})"},
      {"eu-west-1/logs/describe-metric-filters.json", R"({"metricFilters": [{"filterName": "f"}]})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  EXPECT_EQ(eu.sns_subscriptions_for("arn:aws:sns:eu-west-1:1:a"), nullptr);
  ASSERT_NE(eu.fan_out_failure(Dataset::kSnsSubscriptions, "arn:aws:sns:eu-west-1:1:a"), nullptr);
  EXPECT_EQ(eu.covered(Dataset::kSnsSubscriptions).status, CoverageStatus::kError);
  EXPECT_EQ(eu.sns_subscriptions_for("arn:aws:sns:eu-west-1:1:b"), nullptr);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "subscriptions of several topics in one file"), nullptr);
  ASSERT_EQ(eu.metric_alarms.size(), 1u);
  EXPECT_FALSE(eu.metric_alarms[0].actions_enabled);
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "Threshold: expected a number, found a string"), nullptr);
  EXPECT_TRUE(eu.metric_filters.empty());
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "missing logGroupName"), nullptr);
}

}  // namespace
}  // namespace fortress
