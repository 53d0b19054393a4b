#include "checks/all.h"
#include "checks/iam_checks.h"
#include "checks/network_checks.h"
#include "checks/flow_checks.h"
#include "checks/reach_checks.h"
#include "checks/baseline_checks.h"

namespace fortress {

// One line per check, in report order. Adding a check: its source file under src/checks/, its
// constructor in the header that declares it, one line here, one test under tests/checks/.
std::vector<Check> registered_checks() {
  // clang-format off
  return {
      sg_admin_port_open_ipv4_check(),
      sg_admin_port_open_ipv6_check(),
      sg_all_traffic_open_check(),
      sg_sensitive_port_open_check(),
      sg_wide_port_range_check(),
      sg_public_cidr_ingress_check(),
      sg_default_not_restricted_check(),
      sg_egress_open_check(),
      sg_unused_check(),
      sg_too_many_rules_check(),
      nacl_admin_port_open_check(),
      vpc_flow_logs_disabled_check(),
      // flow-log attribution (src/flows; NOT_ASSESSED without flow logs)
      sg_rule_unused_check(),
      sg_rule_redundant_check(),
      sg_rule_overbroad_check(),
      flow_egress_unusual_port_check(),
      exposed_admin_port_check(),
      exposed_sensitive_port_check(),
      exposed_all_ports_check(),
      exposed_web_check(),
      sg_flat_network_check(),
      shared_service_reachable_broadly_check(),
      // Account baseline: logging and detection (CIS 3.x, 4.x), the environment (baseline_checks.h).
      cloudtrail_multi_region_check(),
      cloudtrail_log_validation_check(),
      config_recording_all_regions_check(),
      cloudtrail_kms_check(),
      guardduty_enabled_check(),
      guardduty_malware_protection_check(),
      inspector_enabled_check(),
      access_analyzer_enabled_check(),
      ssm_managed_instances_check(),
      ssm_patch_noncompliant_check(),
      instance_not_in_asg_check(),
      imdsv2_required_check(),
      cis_monitoring_check("4.1"),
      cis_monitoring_check("4.2"),
      cis_monitoring_check("4.3"),
      cis_monitoring_check("4.4"),
      cis_monitoring_check("4.5"),
      cis_monitoring_check("4.6"),
      cis_monitoring_check("4.7"),
      cis_monitoring_check("4.8"),
      cis_monitoring_check("4.9"),
      cis_monitoring_check("4.10"),
      cis_monitoring_check("4.11"),
      cis_monitoring_check("4.12"),
      cis_monitoring_check("4.13"),
      cis_monitoring_check("4.14"),
      cis_monitoring_check("4.15"),
      // IAM: access (root, password policy, users' credentials), then permissions.
      root_access_keys_check(),
      root_mfa_check(),
      root_hardware_mfa_check(),
      root_used_recently_check(),
      password_policy_length_check(),
      password_reuse_check(),
      user_console_without_mfa_check(),
      access_keys_at_setup_check(),
      credentials_unused_check(),
      user_multiple_active_keys_check(),
      access_key_rotation_check(),
      user_direct_policies_check(),
      admin_star_policy_check(),
      support_role_check(),
      cloudshell_full_access_check(),
      iam_admin_equivalent_check(),
      iam_privileged_share_check(),
      iam_data_read_broad_check(),
  };
  // clang-format on
}

}  // namespace fortress
