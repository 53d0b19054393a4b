// ssm describe-instance-information and list-resource-compliance-summaries, autoscaling
// describe-auto-scaling-instances.
#include "load/kinds.h"

namespace fortress::load {

error_code parse_ssm_instance(od::value& element, Element& el) {
  SsmInstance i;
  i.source = el.file.source();
  error_code e =
      for_each_field(element, "InstanceInformationList", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "InstanceId") return read(v, key, el, i.instance_id);
        if (key == "PingStatus") return read(v, key, el, i.ping_status);
        if (key == "PlatformType") return read(v, key, el, i.platform_type);
        if (key == "PlatformName") return read(v, key, el, i.platform_name);
        if (key == "PlatformVersion") return read(v, key, el, i.platform_version);
        if (key == "AgentVersion") return read(v, key, el, i.agent_version);
        if (key == "IsLatestVersion") return read_optional(v, key, el, i.is_latest_version);
        if (key == "LastPingDateTime") return read_time(v, key, el, i.last_ping);
        if (key == "ResourceType") return read(v, key, el, i.resource_type);
        if (key == "IamRole") return read(v, key, el, i.iam_role);
        if (key == "AssociationStatus") return read(v, key, el, i.association_status);
        return SUCCESS;
      });
  if (e) return e;
  if (i.instance_id.empty()) el.fail("missing InstanceId");
  if (el.ok()) el.file.result().data.ssm_instances.push_back(i);
  return SUCCESS;
}

namespace {

error_code read_severity(od::value& v, std::string_view member, Element& el, ComplianceSeverityCounts& out) {
  return for_each_field(v, member, el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "CriticalCount") return read(f, "SeveritySummary.CriticalCount", el, out.critical);
    if (key == "HighCount") return read(f, "SeveritySummary.HighCount", el, out.high);
    if (key == "MediumCount") return read(f, "SeveritySummary.MediumCount", el, out.medium);
    if (key == "LowCount") return read(f, "SeveritySummary.LowCount", el, out.low);
    if (key == "InformationalCount") return read(f, "SeveritySummary.InformationalCount", el, out.informational);
    if (key == "UnspecifiedCount") return read(f, "SeveritySummary.UnspecifiedCount", el, out.unspecified);
    return SUCCESS;
  });
}

}  // namespace

error_code parse_compliance_summary(od::value& element, Element& el) {
  ComplianceSummary c;
  c.source = el.file.source();
  error_code e = for_each_field(element, "ResourceComplianceSummaryItems", el,
                                [&](std::string_view key, od::value& v) -> error_code {
    if (key == "ComplianceType") return read(v, key, el, c.compliance_type);
    if (key == "ResourceType") return read(v, key, el, c.resource_type);
    if (key == "ResourceId") return read(v, key, el, c.resource_id);
    if (key == "Status") return read(v, key, el, c.status);
    if (key == "OverallSeverity") return read(v, key, el, c.overall_severity);
    if (key == "ExecutionSummary") {
      return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
        if (k == "ExecutionTime") return read_time(f, "ExecutionSummary.ExecutionTime", el, c.execution_time);
        return SUCCESS;
      });
    }
    if (key == "CompliantSummary") {
      return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
        if (k == "CompliantCount") return read(f, "CompliantSummary.CompliantCount", el, c.compliant_count);
        if (k == "SeveritySummary") return read_severity(f, "CompliantSummary.SeveritySummary", el, c.compliant);
        return SUCCESS;
      });
    }
    if (key == "NonCompliantSummary") {
      return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
        if (k == "NonCompliantCount") return read(f, "NonCompliantSummary.NonCompliantCount", el, c.non_compliant_count);
        if (k == "SeveritySummary") {
          return read_severity(f, "NonCompliantSummary.SeveritySummary", el, c.non_compliant);
        }
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  if (c.resource_id.empty()) el.fail("missing ResourceId");
  if (c.compliance_type.empty()) el.fail("missing ComplianceType");
  if (el.ok()) {
    el.file.result().data.compliance_summaries.push_back(c);
  } else {
    el.id = c.resource_id.str();
  }
  return SUCCESS;
}

error_code parse_auto_scaling_instance(od::value& element, Element& el) {
  AutoScalingInstance a;
  a.source = el.file.source();
  error_code e =
      for_each_field(element, "AutoScalingInstances", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "InstanceId") return read(v, key, el, a.instance_id);
        if (key == "AutoScalingGroupName") return read(v, key, el, a.group_name);
        if (key == "AvailabilityZone") return read(v, key, el, a.availability_zone);
        if (key == "LifecycleState") return read(v, key, el, a.lifecycle_state);
        if (key == "HealthStatus") return read(v, key, el, a.health_status);
        if (key == "LaunchConfigurationName") return read(v, key, el, a.launch_configuration_name);
        if (key == "LaunchTemplate") {
          return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
            if (k == "LaunchTemplateId") return read(f, "LaunchTemplate.LaunchTemplateId", el, a.launch_template_id);
            if (k == "LaunchTemplateName") {
              return read(f, "LaunchTemplate.LaunchTemplateName", el, a.launch_template_name);
            }
            if (k == "Version") return read(f, "LaunchTemplate.Version", el, a.launch_template_version);
            return SUCCESS;
          });
        }
        return SUCCESS;
      });
  if (e) return e;
  if (a.instance_id.empty()) el.fail("missing InstanceId");
  if (el.ok()) el.file.result().data.auto_scaling_instances.push_back(a);
  return SUCCESS;
}

}  // namespace fortress::load
