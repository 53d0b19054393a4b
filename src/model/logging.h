// Logging and recording (regional): CloudTrail trails with their status and event selectors, and
// AWS Config recorders with their status. The CloudWatch metric filters, alarms and SNS
// subscriptions that CIS section 4 reads beside them are in this header too.
//
// Contracts:
//  - Fan-out data is per parent and optional: Trail::status / event_selectors are nullopt when
//    get-trail-status / get-event-selectors was not collected for that trail; when the call failed,
//    Region::fan_out_failure(Dataset::kTrailStatus, trail ARN) says why. Never read nullopt as "off".
//  - describe-trails lists, in every region, the multi-region trails whose home is elsewhere
//    ("shadow" copies): home_region tells them apart, and is_shadow() is true for them. A check
//    counting trails account-wide counts each TrailARN once.
//  - Times are UtcTime; nullopt when absent (get-trail-status prints "" for a time never reached).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/time.h"
#include "util/intern.h"

namespace fortress {

// ---- CloudTrail -------------------------------------------------------------------------------

struct TrailStatus {
  bool is_logging = false;
  Symbol latest_delivery_error;  // "" when the last delivery succeeded
  Symbol latest_notification_error;
  Symbol latest_cloudwatch_logs_delivery_error;
  Symbol latest_digest_delivery_error;
  std::optional<UtcTime> latest_delivery_time;
  std::optional<UtcTime> latest_cloudwatch_logs_delivery_time;
  std::optional<UtcTime> latest_digest_delivery_time;
  std::optional<UtcTime> start_logging_time;
  std::optional<UtcTime> stop_logging_time;
  uint32_t source = UINT32_MAX;
};

struct DataResource {
  Symbol type;  // "AWS::S3::Object", "AWS::Lambda::Function"
  std::vector<Symbol> values;
};

// A basic event selector.
struct EventSelector {
  Symbol read_write_type;  // ReadOnly, WriteOnly, All ("" when absent: AWS's default is All)
  bool include_management_events = true;  // AWS's default when absent
  std::vector<DataResource> data_resources;
  std::vector<Symbol> exclude_management_event_sources;
};

struct AdvancedFieldSelector {
  Symbol field;  // eventCategory, readOnly, eventSource, resources.type, resources.ARN, ...
  std::vector<Symbol> equals, starts_with, ends_with, not_equals, not_starts_with, not_ends_with;
};

struct AdvancedEventSelector {
  Symbol name;
  std::vector<AdvancedFieldSelector> field_selectors;
};

struct EventSelectors {
  // A trail uses either basic or advanced selectors; the other list is empty.
  std::vector<EventSelector> basic;
  std::vector<AdvancedEventSelector> advanced;
  uint32_t source = UINT32_MAX;

  // True when some selector logs every management event, read and write: a basic selector with
  // IncludeManagementEvents and ReadWriteType All and no excluded event sources, or an advanced
  // selector whose field selectors are exactly eventCategory = Management (no readOnly or
  // eventSource filter narrowing it).
  [[nodiscard]] bool logs_all_management_events() const;
};

struct Trail {
  Symbol arn;  // TrailARN
  Symbol name;
  Symbol home_region;
  bool is_multi_region = false;
  bool is_organization_trail = false;
  bool log_file_validation_enabled = false;
  bool include_global_service_events = false;
  bool has_custom_event_selectors = false;
  bool has_insight_selectors = false;
  Symbol kms_key_id;  // "" when logs are not encrypted with a KMS key
  Symbol s3_bucket_name;
  Symbol s3_key_prefix;
  Symbol sns_topic_arn;
  Symbol cloudwatch_logs_log_group_arn;  // "" when not delivered to CloudWatch Logs
  Symbol cloudwatch_logs_role_arn;
  std::optional<TrailStatus> status;              // get-trail-status; see the file comment
  std::optional<EventSelectors> event_selectors;  // get-event-selectors; see the file comment
  uint32_t source = UINT32_MAX;

  // A multi-region trail listed in a region other than its home.
  [[nodiscard]] bool is_shadow(std::string_view region) const {
    return !home_region.empty() && home_region != region;
  }
};

// ---- AWS Config -------------------------------------------------------------------------------

struct ConfigurationRecorderStatus {
  bool recording = false;
  Symbol last_status;  // Pending, Success, Failure
  Symbol last_error_code;
  std::optional<UtcTime> last_start_time;
  std::optional<UtcTime> last_stop_time;
  std::optional<UtcTime> last_status_change_time;
  uint32_t source = UINT32_MAX;
};

struct ConfigurationRecorder {
  Symbol name;
  Symbol role_arn;
  // recordingGroup. AWS's defaults when the group is absent: all supported types, no global types.
  bool all_supported = false;
  bool include_global_resource_types = false;
  std::vector<Symbol> resource_types;
  std::vector<Symbol> excluded_resource_types;  // exclusionByResourceTypes.resourceTypes
  Symbol recording_strategy;  // recordingStrategy.useOnly: ALL_SUPPORTED_RESOURCE_TYPES, ... ("" if absent)
  // describe-configuration-recorder-status, matched by name; nullopt when not collected or when
  // the status output does not name this recorder.
  std::optional<ConfigurationRecorderStatus> status;
  uint32_t source = UINT32_MAX;
};

}  // namespace fortress
