// Region::ServiceIndex: the lookups of the services beyond EC2 (model internal; account.cpp needs the
// complete type for Region's destructor).
#pragma once

#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/account.h"

namespace fortress {

struct Region::ServiceIndex {
  template <typename T>
  using ById = std::unordered_map<std::string_view, const T*, TextHash>;
  ById<LoadBalancer> load_balancers;
  ById<Listener> listeners;
  ById<TargetGroup> target_groups;
  std::unordered_map<std::string_view, std::vector<const TargetGroup*>, TextHash> target_groups_by_load_balancer;
  std::unordered_map<std::string_view, std::vector<const TargetGroup*>, TextHash> target_groups_by_target;
  ById<Trail> trails_by_arn;
  ById<Trail> trails_by_name;
  ById<GuardDutyDetector> detectors;
  ById<SsmInstance> ssm_instances;
  ById<AutoScalingInstance> auto_scaling_instances;
  std::unordered_map<std::string_view, std::vector<const ComplianceSummary*>, TextHash> compliance_by_resource;
  std::unordered_map<std::string_view, std::vector<const MetricFilter*>, TextHash> metric_filters_by_log_group;
  std::unordered_map<std::string, std::vector<const MetricAlarm*>> alarms_by_metric;  // "namespace\nname"
  ById<SnsTopicSubscriptions> sns_topics;
};

}  // namespace fortress
