// Instance management (regional): Systems Manager managed instances and their compliance, Auto
// Scaling group membership. Keyed by EC2 instance ID (Region::ssm_instance(), auto_scaling_instance(),
// compliance_for()).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/time.h"
#include "util/intern.h"

namespace fortress {

struct SsmInstance {
  Symbol instance_id;   // "i-..." or "mi-..." for hybrid managed nodes
  Symbol ping_status;   // Online, ConnectionLost, Inactive
  Symbol platform_type; // Windows, Linux, MacOS
  Symbol platform_name;
  Symbol platform_version;
  Symbol agent_version;
  std::optional<bool> is_latest_version;
  std::optional<UtcTime> last_ping;
  Symbol resource_type;  // EC2Instance, ManagedInstance
  Symbol iam_role;
  Symbol association_status;
  uint32_t source = UINT32_MAX;
};

struct ComplianceSeverityCounts {
  int64_t critical = 0, high = 0, medium = 0, low = 0, informational = 0, unspecified = 0;
};

// One list-resource-compliance-summaries item: one resource's compliance of one type.
struct ComplianceSummary {
  Symbol compliance_type;  // Patch, Association, Custom:...
  Symbol resource_type;    // ManagedInstance
  Symbol resource_id;
  Symbol status;           // COMPLIANT, NON_COMPLIANT
  Symbol overall_severity; // CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED
  std::optional<UtcTime> execution_time;  // ExecutionSummary.ExecutionTime
  int64_t compliant_count = 0;
  int64_t non_compliant_count = 0;
  ComplianceSeverityCounts compliant;
  ComplianceSeverityCounts non_compliant;
  uint32_t source = UINT32_MAX;
  [[nodiscard]] bool compliant_status() const { return status == "COMPLIANT"; }
};

struct AutoScalingInstance {
  Symbol instance_id;
  Symbol group_name;
  Symbol availability_zone;
  Symbol lifecycle_state;  // InService, Pending, Terminating, ...
  Symbol health_status;    // HEALTHY, UNHEALTHY
  Symbol launch_template_id;
  Symbol launch_template_name;
  Symbol launch_template_version;
  Symbol launch_configuration_name;  // "" when launched from a template
  uint32_t source = UINT32_MAX;
};

}  // namespace fortress
