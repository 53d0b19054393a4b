// Threat detection and findings services (regional): GuardDuty detectors, the Inspector2 account
// status, IAM Access Analyzer analyzers.
//
// Contracts: statuses are kept as AWS spells them ("ENABLED", "ACTIVE"). Fan-out data is optional:
// GuardDutyDetector::details is nullopt when get-detector was not collected for that detector (the
// reason, when it failed: Region::fan_out_failure(Dataset::kGuardDutyDetector, id)).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/time.h"
#include "util/intern.h"

namespace fortress {

struct GuardDutyFeatureConfiguration {
  Symbol name;    // EKS_ADDON_MANAGEMENT, ECS_FARGATE_AGENT_MANAGEMENT, EC2_AGENT_MANAGEMENT
  Symbol status;  // ENABLED, DISABLED
};

// One of get-detector's Features (the newer API).
struct GuardDutyFeature {
  Symbol name;    // S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, RUNTIME_MONITORING, ...
  Symbol status;  // ENABLED, DISABLED
  std::vector<GuardDutyFeatureConfiguration> additional_configuration;
};

struct GuardDutyDetectorDetails {
  Symbol status;  // ENABLED, DISABLED
  Symbol finding_publishing_frequency;
  Symbol service_role;
  std::optional<UtcTime> created_at;
  std::optional<UtcTime> updated_at;
  std::vector<GuardDutyFeature> features;
  // The older DataSources form: "" when the member is absent.
  Symbol cloudtrail_status;
  Symbol dns_logs_status;
  Symbol flow_logs_status;
  Symbol s3_logs_status;
  Symbol kubernetes_audit_logs_status;
  Symbol malware_protection_ebs_status;  // DataSources.MalwareProtection.ScanEc2InstanceWithFindings.EbsVolumes.Status
  uint32_t source = UINT32_MAX;

  [[nodiscard]] bool enabled() const { return status == "ENABLED"; }
  // The status of a feature by name ("" when not listed).
  [[nodiscard]] Symbol feature_status(std::string_view feature) const;
  // EBS malware protection, from Features (EBS_MALWARE_PROTECTION) or else DataSources; "" when
  // neither reports it.
  [[nodiscard]] Symbol ebs_malware_protection_status() const;
};

struct GuardDutyDetector {
  Symbol id;  // from list-detectors
  std::optional<GuardDutyDetectorDetails> details;  // get-detector; see the file comment
  uint32_t source = UINT32_MAX;
};

// batch-get-account-status: one entry per account asked about (fortress asks for its own).
struct InspectorAccountStatus {
  Symbol account_id;
  Symbol status;         // state.status: ENABLING, ENABLED, DISABLING, DISABLED, SUSPENDING, SUSPENDED
  Symbol error_code;     // state.errorCode ("" when none)
  Symbol ec2_status;     // resourceState.ec2.status ("" when absent)
  Symbol ecr_status;
  Symbol lambda_status;
  Symbol lambda_code_status;
  bool failed = false;  // listed in failedAccounts: the status could not be read (error_code says why)
  Symbol error_message;
  uint32_t source = UINT32_MAX;
};

struct AccessAnalyzer {
  Symbol arn;
  Symbol name;
  Symbol type;    // ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS, ORGANIZATION_UNUSED_ACCESS
  Symbol status;  // ACTIVE, CREATING, DISABLED, FAILED
  std::optional<UtcTime> created_at;
  uint32_t source = UINT32_MAX;
  [[nodiscard]] bool active() const { return status == "ACTIVE"; }
};

}  // namespace fortress
