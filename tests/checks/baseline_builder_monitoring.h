// Metric filters, alarms and SNS subscriptions for the CIS 4.x monitoring check tests.
#pragma once

#include "baseline_builder.h"

namespace fortress::testing {

inline MetricFilter& add_metric_filter(TestAccount& t, std::string name, std::string pattern,
                                       std::string metric, std::string log_group = "CloudTrail/main",
                                       std::string_view in = kRegion) {
  MetricFilter f;
  f.name = std::move(name);
  f.log_group_name = std::move(log_group);
  f.pattern = std::move(pattern);
  MetricTransformation m;
  m.metric_name = std::move(metric);
  m.metric_namespace = "CISBenchmark";
  m.metric_value = "1";
  f.transformations.push_back(std::move(m));
  t.region(in).metric_filters.push_back(std::move(f));
  return t.region(in).metric_filters.back();
}

inline MetricAlarm& add_alarm(TestAccount& t, std::string name, std::string metric, std::vector<Symbol> actions,
                              std::string_view in = kRegion) {
  MetricAlarm a;
  a.name = std::move(name);
  a.arn = "arn:aws:cloudwatch:" + std::string(in) + ":111122223333:alarm:" + a.name.str();
  a.metric_name = std::move(metric);
  a.metric_namespace = "CISBenchmark";
  a.statistic = "Sum";
  a.comparison_operator = "GreaterThanOrEqualToThreshold";
  a.threshold = 1;
  a.alarm_actions = std::move(actions);
  t.region(in).metric_alarms.push_back(std::move(a));
  return t.region(in).metric_alarms.back();
}

inline constexpr const char* kTopic = "arn:aws:sns:us-east-1:111122223333:security-alerts";

inline SnsTopicSubscriptions& add_topic(TestAccount& t, std::string arn, bool confirmed,
                                        std::string_view in = kRegion) {
  SnsTopicSubscriptions topic;
  topic.topic_arn = arn;
  SnsSubscription s;
  s.topic_arn = arn;
  s.protocol = "email";
  s.endpoint = "security@example.com";
  s.subscription_arn = confirmed ? arn + ":0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e" : std::string("PendingConfirmation");
  topic.subscriptions.push_back(std::move(s));
  t.region(in).sns_topics.push_back(std::move(topic));
  return t.region(in).sns_topics.back();
}

// A multi-region trail delivering to CloudTrail/main, and the whole chain for one CIS control.
inline void full_chain(TestAccount& t, std::string pattern, std::string metric = "m41", bool confirmed = true) {
  add_trail(t, {});
  add_metric_filter(t, "f-" + metric, std::move(pattern), metric);
  add_alarm(t, "a-" + metric, metric, {kTopic});
  add_topic(t, kTopic, confirmed);
}

}  // namespace fortress::testing
