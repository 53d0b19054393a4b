// Model objects for the account-baseline check tests: instances, trails, recorders, detectors, SSM,
// Auto Scaling, analyzers, metric filters and alarms, added to a TestAccount (builder.h) region.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "builder.h"

namespace fortress::testing {

inline Instance& add_instance(TestAccount& t, std::string id, std::string tokens = "required",
                              std::string endpoint = "enabled", std::string state = "running",
                              std::string_view in = kRegion) {
  Instance i;
  i.id = std::move(id);
  i.state = std::move(state);
  i.vpc_id = "vpc-1";
  i.subnet_id = "subnet-1";
  if (!tokens.empty() || !endpoint.empty()) {
    i.metadata_options = InstanceMetadataOptions{Symbol(tokens), Symbol(endpoint), 2};
  }
  t.region(in).instances.push_back(std::move(i));
  return t.region(in).instances.back();
}

// describe-regions as collected: these regions enabled.
inline void enable_regions(TestAccount& t, std::vector<std::string> names) {
  std::vector<EnabledRegion> regions;
  for (std::string& n : names) regions.push_back(EnabledRegion{Symbol(n), "opt-in-not-required"});
  t.account.enabled_regions = std::move(regions);
  t.account.global_coverage[size_t(Dataset::kRegions)] = Coverage{CoverageStatus::kOk, "test"};
}

// A finding's status as text, for readable assertion failures.
inline std::string status_of(const std::vector<Finding>& findings, std::string_view resource_id) {
  return status_name(only_finding(findings, resource_id).status);
}

// ---- CloudTrail ---------------------------------------------------------------------------------

struct TrailSpec {
  std::string name = "main";
  std::string home = std::string(kRegion);
  bool multi_region = true;
  bool logging = true;
  bool validation = true;
  std::string kms = "arn:aws:kms:us-east-1:111122223333:key/1";
  std::string log_group = "arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/main:*";
  std::string read_write = "All";  // basic selector; "" = no basic selector
  bool status_known = true;
  bool selectors_known = true;
  std::string account = "111122223333";
};

inline std::string trail_arn(const TrailSpec& s) {
  return "arn:aws:cloudtrail:" + s.home + ":" + s.account + ":trail/" + s.name;
}

// Adds the trail to region `in` (a shadow copy when `in` is not its home).
inline Trail& add_trail(TestAccount& t, const TrailSpec& s, std::string_view in = kRegion) {
  Trail tr;
  tr.arn = trail_arn(s);
  tr.name = s.name;
  tr.home_region = s.home;
  tr.is_multi_region = s.multi_region;
  tr.log_file_validation_enabled = s.validation;
  tr.kms_key_id = s.kms;
  tr.s3_bucket_name = "trail-bucket";
  tr.cloudwatch_logs_log_group_arn = s.log_group;
  if (s.status_known) {
    TrailStatus st;
    st.is_logging = s.logging;
    tr.status = st;
  }
  if (s.selectors_known) {
    EventSelectors es;
    if (!s.read_write.empty()) {
      EventSelector sel;
      sel.read_write_type = s.read_write;
      es.basic.push_back(std::move(sel));
    }
    tr.event_selectors = std::move(es);
  }
  t.region(in).trails.push_back(std::move(tr));
  return t.region(in).trails.back();
}

inline AdvancedFieldSelector field_equals(std::string field, std::vector<Symbol> values) {
  AdvancedFieldSelector f;
  f.field = std::move(field);
  f.equals = std::move(values);
  return f;
}

// ---- Config, GuardDuty, Inspector, Access Analyzer ----------------------------------------------

inline ConfigurationRecorder& add_recorder(TestAccount& t, std::string name = "default", bool all = true,
                                           std::optional<bool> recording = true, std::string_view in = kRegion) {
  ConfigurationRecorder r;
  r.name = std::move(name);
  r.role_arn = "arn:aws:iam::111122223333:role/config";
  r.all_supported = all;
  if (!all) r.resource_types = {"AWS::EC2::Instance"};
  if (recording) {
    ConfigurationRecorderStatus s;
    s.recording = *recording;
    s.last_status = "Success";
    r.status = s;
  }
  t.region(in).configuration_recorders.push_back(std::move(r));
  return t.region(in).configuration_recorders.back();
}

inline GuardDutyDetector& add_detector(TestAccount& t, std::string id, std::optional<std::string> status = "ENABLED",
                                       std::string malware = "ENABLED", std::string_view in = kRegion) {
  GuardDutyDetector d;
  d.id = std::move(id);
  if (status) {
    GuardDutyDetectorDetails det;
    det.status = *status;
    if (!malware.empty()) {
      GuardDutyFeature f;
      f.name = "EBS_MALWARE_PROTECTION";
      f.status = malware;
      det.features.push_back(std::move(f));
    }
    d.details = std::move(det);
  }
  t.region(in).guardduty_detectors.push_back(std::move(d));
  return t.region(in).guardduty_detectors.back();
}

inline InspectorAccountStatus& add_inspector(TestAccount& t, std::string status, std::string ec2,
                                             std::string_view in = kRegion) {
  InspectorAccountStatus s;
  s.account_id = "111122223333";
  s.status = std::move(status);
  s.ec2_status = std::move(ec2);
  t.region(in).inspector_accounts.push_back(std::move(s));
  return t.region(in).inspector_accounts.back();
}

inline AccessAnalyzer& add_analyzer(TestAccount& t, std::string name, std::string type = "ACCOUNT",
                                    std::string status = "ACTIVE", std::string_view in = kRegion) {
  AccessAnalyzer a;
  a.arn = "arn:aws:access-analyzer:" + std::string(in) + ":111122223333:analyzer/" + name;
  a.name = std::move(name);
  a.type = std::move(type);
  a.status = std::move(status);
  t.region(in).access_analyzers.push_back(std::move(a));
  return t.region(in).access_analyzers.back();
}

// ---- Systems Manager, Auto Scaling ---------------------------------------------------------------

inline SsmInstance& add_ssm(TestAccount& t, std::string id, std::string ping = "Online", std::string_view in = kRegion) {
  SsmInstance m;
  m.instance_id = std::move(id);
  m.ping_status = std::move(ping);
  m.agent_version = "3.3.0.0";
  m.resource_type = "EC2Instance";
  t.region(in).ssm_instances.push_back(std::move(m));
  return t.region(in).ssm_instances.back();
}

inline ComplianceSummary& add_compliance(TestAccount& t, std::string id, std::string type, std::string status,
                                         std::string_view in = kRegion) {
  ComplianceSummary c;
  c.compliance_type = std::move(type);
  c.resource_type = "ManagedInstance";
  c.resource_id = std::move(id);
  c.status = std::move(status);
  t.region(in).compliance_summaries.push_back(std::move(c));
  return t.region(in).compliance_summaries.back();
}

inline AutoScalingInstance& add_asg_member(TestAccount& t, std::string id, std::string group,
                                           std::string_view in = kRegion) {
  AutoScalingInstance a;
  a.instance_id = std::move(id);
  a.group_name = std::move(group);
  a.launch_template_name = "web-template";
  a.lifecycle_state = "InService";
  t.region(in).auto_scaling_instances.push_back(std::move(a));
  return t.region(in).auto_scaling_instances.back();
}

}  // namespace fortress::testing
