// Coverage of fan-out datasets (one file per parent resource) when a region has no parent: collected
// and empty, not missing -- but only once the parents' list itself was collected.
#include <gmock/gmock.h>

#include "load_test_util.h"

namespace fortress {
namespace {

using testing::load_files;

constexpr const char* kNoLoadBalancers = R"({"LoadBalancers": []})";
constexpr const char* kNoTargetGroups = R"({"TargetGroups": []})";
constexpr const char* kNoTrails = R"({"trailList": []})";
constexpr const char* kNoDetectors = R"({"DetectorIds": []})";
constexpr const char* kAlarmWithoutTopic = R"({"MetricAlarms": [{
  "AlarmName": "cpu", "AlarmArn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:cpu",
  "MetricName": "CPUUtilization", "Namespace": "AWS/EC2",
  "AlarmActions": ["arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:1:autoScalingGroupName/web:policyName/up"]
}], "CompositeAlarms": []})";
constexpr const char* kAlarmWithTopic = R"({"MetricAlarms": [{
  "AlarmName": "root", "AlarmArn": "arn:aws:cloudwatch:us-gov-west-1:111122223333:alarm:root",
  "MetricName": "RootUsage", "Namespace": "CISBenchmark",
  "AlarmActions": ["arn:aws-us-gov:sns:us-gov-west-1:111122223333:security-alerts"]
}], "CompositeAlarms": []})";

TEST(FanOutCoverage, NoParentMeansNothingToCollect) {
  LoadResult r = load_files({
      {"us-east-1/elbv2/describe-load-balancers.json", kNoLoadBalancers},
      {"us-east-1/elbv2/describe-target-groups.json", kNoTargetGroups},
      {"us-east-1/cloudtrail/describe-trails.json", kNoTrails},
      {"us-east-1/guardduty/list-detectors.json", kNoDetectors},
      {"us-east-1/cloudwatch/describe-alarms.json", kAlarmWithoutTopic},
  });
  const Region& us = *r.account.region("us-east-1");
  for (Dataset d : {Dataset::kListeners, Dataset::kTargetHealth, Dataset::kTrailStatus, Dataset::kEventSelectors,
                    Dataset::kGuardDutyDetector, Dataset::kSnsSubscriptions}) {
    EXPECT_EQ(us.covered(d).status, CoverageStatus::kOk) << dataset_name(d);
    EXPECT_THAT(us.covered(d).detail, ::testing::StartsWith("nothing to collect: no ")) << dataset_name(d);
  }
  EXPECT_EQ(us.covered(Dataset::kListeners).detail,
            "nothing to collect: no load balancer in elbv2/describe-load-balancers");
  // describe-managed-prefix-lists was not collected: its entries are not assumed empty.
  EXPECT_EQ(us.covered(Dataset::kPrefixListEntries).status, CoverageStatus::kMissing);
}

TEST(FanOutCoverage, ParentsWithoutTheirFilesStayMissing) {
  LoadResult r = load_files({
      {"us-gov-west-1/cloudwatch/describe-alarms.json", kAlarmWithTopic},
      {"us-gov-west-1/guardduty/list-detectors.json", R"({"DetectorIds": ["12abc34d567e8fa901bc2d34e56789f0"]})"},
  });
  const Region& gov = *r.account.region("us-gov-west-1");
  EXPECT_EQ(gov.covered(Dataset::kSnsSubscriptions).status, CoverageStatus::kMissing);  // one topic to ask about
  EXPECT_EQ(gov.covered(Dataset::kGuardDutyDetector).status, CoverageStatus::kMissing);
}

TEST(FanOutCoverage, AFailedParentListIsNoProofOfNone) {
  LoadResult r = load_files({
      {"us-east-1/elbv2/describe-load-balancers.json", "{\"LoadBalancers\": [\n"},  // truncated
  });
  const Region& us = *r.account.region("us-east-1");
  EXPECT_EQ(us.covered(Dataset::kLoadBalancers).status, CoverageStatus::kError);
  EXPECT_EQ(us.covered(Dataset::kListeners).status, CoverageStatus::kMissing);
}

}  // namespace
}  // namespace fortress
