// cloudtrail describe-trails, get-trail-status and get-event-selectors (one file per trail);
// configservice describe-configuration-recorders and describe-configuration-recorder-status.
#include <fmt/format.h>

#include "load/kinds.h"

namespace fortress::load {

error_code parse_trail(od::value& element, Element& el) {
  Trail t;
  t.source = el.file.source();
  error_code e = for_each_field(element, "trailList", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "TrailARN") return read(v, key, el, t.arn);
    if (key == "Name") return read(v, key, el, t.name);
    if (key == "HomeRegion") return read(v, key, el, t.home_region);
    if (key == "IsMultiRegionTrail") return read(v, key, el, t.is_multi_region);
    if (key == "IsOrganizationTrail") return read(v, key, el, t.is_organization_trail);
    if (key == "LogFileValidationEnabled") return read(v, key, el, t.log_file_validation_enabled);
    if (key == "IncludeGlobalServiceEvents") return read(v, key, el, t.include_global_service_events);
    if (key == "HasCustomEventSelectors") return read(v, key, el, t.has_custom_event_selectors);
    if (key == "HasInsightSelectors") return read(v, key, el, t.has_insight_selectors);
    if (key == "KmsKeyId") return read(v, key, el, t.kms_key_id);
    if (key == "S3BucketName") return read(v, key, el, t.s3_bucket_name);
    if (key == "S3KeyPrefix") return read(v, key, el, t.s3_key_prefix);
    if (key == "SnsTopicARN") return read(v, key, el, t.sns_topic_arn);
    if (key == "CloudWatchLogsLogGroupArn") return read(v, key, el, t.cloudwatch_logs_log_group_arn);
    if (key == "CloudWatchLogsRoleArn") return read(v, key, el, t.cloudwatch_logs_role_arn);
    return SUCCESS;
  });
  if (e) return e;
  if (t.arn.empty()) el.fail("missing TrailARN");
  if (el.ok()) {
    el.file.result().data.trails.push_back(std::move(t));
  } else {
    el.id = t.name.str();
  }
  return SUCCESS;
}

error_code parse_trail_status(od::object& top, Element& el) {
  TrailStatus s;
  s.source = el.file.source();
  error_code e = for_each_field(top, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "IsLogging") return read(v, key, el, s.is_logging);
    if (key == "LatestDeliveryError") return read(v, key, el, s.latest_delivery_error);
    if (key == "LatestNotificationError") return read(v, key, el, s.latest_notification_error);
    if (key == "LatestCloudWatchLogsDeliveryError") return read(v, key, el, s.latest_cloudwatch_logs_delivery_error);
    if (key == "LatestDigestDeliveryError") return read(v, key, el, s.latest_digest_delivery_error);
    if (key == "LatestDeliveryTime") return read_time(v, key, el, s.latest_delivery_time);
    if (key == "LatestCloudWatchLogsDeliveryTime") return read_time(v, key, el, s.latest_cloudwatch_logs_delivery_time);
    if (key == "LatestDigestDeliveryTime") return read_time(v, key, el, s.latest_digest_delivery_time);
    if (key == "StartLoggingTime") return read_time(v, key, el, s.start_logging_time);
    if (key == "StopLoggingTime") return read_time(v, key, el, s.stop_logging_time);
    return SUCCESS;
  });
  if (e) return e;
  el.file.result().trail_status = s;
  return SUCCESS;
}

namespace {

error_code read_basic_selector(od::value& item, Element& el, std::vector<EventSelector>& out) {
  EventSelector s;
  error_code e = for_each_field(item, "EventSelectors", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "ReadWriteType") return read(v, "EventSelectors.ReadWriteType", el, s.read_write_type);
    if (key == "IncludeManagementEvents") {
      return read(v, "EventSelectors.IncludeManagementEvents", el, s.include_management_events);
    }
    if (key == "ExcludeManagementEventSources") {
      return read_strings(v, "EventSelectors.ExcludeManagementEventSources", el, s.exclude_management_event_sources);
    }
    if (key == "DataResources") {
      return for_each_item(v, "EventSelectors.DataResources", el, [&](od::value& r) -> error_code {
        DataResource resource;
        error_code e2 = for_each_field(r, "DataResources", el, [&](std::string_view k, od::value& f) -> error_code {
          if (k == "Type") return read(f, "DataResources.Type", el, resource.type);
          if (k == "Values") return read_strings(f, "DataResources.Values", el, resource.values);
          return SUCCESS;
        });
        if (e2) return e2;
        s.data_resources.push_back(std::move(resource));
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  out.push_back(std::move(s));
  return SUCCESS;
}

error_code read_field_selector(od::value& item, Element& el, std::vector<AdvancedFieldSelector>& out) {
  AdvancedFieldSelector f;
  error_code e = for_each_field(item, "FieldSelectors", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Field") return read(v, "FieldSelectors.Field", el, f.field);
    if (key == "Equals") return read_strings(v, "FieldSelectors.Equals", el, f.equals);
    if (key == "StartsWith") return read_strings(v, "FieldSelectors.StartsWith", el, f.starts_with);
    if (key == "EndsWith") return read_strings(v, "FieldSelectors.EndsWith", el, f.ends_with);
    if (key == "NotEquals") return read_strings(v, "FieldSelectors.NotEquals", el, f.not_equals);
    if (key == "NotStartsWith") return read_strings(v, "FieldSelectors.NotStartsWith", el, f.not_starts_with);
    if (key == "NotEndsWith") return read_strings(v, "FieldSelectors.NotEndsWith", el, f.not_ends_with);
    return SUCCESS;
  });
  if (e) return e;
  if (f.field.empty()) el.fail("FieldSelectors: an entry without Field");
  out.push_back(std::move(f));
  return SUCCESS;
}

error_code read_advanced_selector(od::value& item, Element& el, std::vector<AdvancedEventSelector>& out) {
  AdvancedEventSelector s;
  error_code e =
      for_each_field(item, "AdvancedEventSelectors", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "Name") return read(v, "AdvancedEventSelectors.Name", el, s.name);
        if (key == "FieldSelectors") {
          return for_each_item(v, "AdvancedEventSelectors.FieldSelectors", el,
                               [&](od::value& f) { return read_field_selector(f, el, s.field_selectors); });
        }
        return SUCCESS;
      });
  if (e) return e;
  out.push_back(std::move(s));
  return SUCCESS;
}

}  // namespace

error_code parse_event_selectors(od::object& top, Element& el) {
  EventSelectors selectors;
  selectors.source = el.file.source();
  std::string trail_arn;
  error_code e = for_each_field(top, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "TrailARN") return read(v, key, el, trail_arn);
    if (key == "EventSelectors") {
      return for_each_item(v, key, el, [&](od::value& item) { return read_basic_selector(item, el, selectors.basic); });
    }
    if (key == "AdvancedEventSelectors") {
      return for_each_item(v, key, el,
                           [&](od::value& item) { return read_advanced_selector(item, el, selectors.advanced); });
    }
    return SUCCESS;
  });
  if (e) return e;
  el.file.result().event_selectors = std::move(selectors);
  el.file.result().fan_out_id = std::move(trail_arn);  // finish_trail_child() settles it
  return SUCCESS;
}

// get-event-selectors names its trail (TrailARN); get-trail-status does not: the file name does.
void finish_trail_child(FileContext& file, std::string_view) {
  FileResult& result = file.result();
  Dataset dataset = result.event_selectors ? Dataset::kEventSelectors : Dataset::kTrailStatus;
  std::string from_content = std::move(result.fan_out_id);
  result.fan_out_id = fan_out_id(file, dataset, from_content);
}

namespace {

error_code read_recording_group(od::value& v, Element& el, ConfigurationRecorder& r) {
  return for_each_field(v, "recordingGroup", el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "allSupported") return read(f, "recordingGroup.allSupported", el, r.all_supported);
    if (key == "includeGlobalResourceTypes") {
      return read(f, "recordingGroup.includeGlobalResourceTypes", el, r.include_global_resource_types);
    }
    if (key == "resourceTypes") return read_strings(f, "recordingGroup.resourceTypes", el, r.resource_types);
    if (key == "exclusionByResourceTypes") {
      return for_each_field(f, "recordingGroup.exclusionByResourceTypes", el,
                            [&](std::string_view k, od::value& x) -> error_code {
                              if (k == "resourceTypes") {
                                return read_strings(x, "exclusionByResourceTypes.resourceTypes", el,
                                                    r.excluded_resource_types);
                              }
                              return SUCCESS;
                            });
    }
    if (key == "recordingStrategy") {
      return for_each_field(f, "recordingGroup.recordingStrategy", el, [&](std::string_view k, od::value& x) -> error_code {
        if (k == "useOnly") return read(x, "recordingStrategy.useOnly", el, r.recording_strategy);
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
}

}  // namespace

error_code parse_configuration_recorder(od::value& element, Element& el) {
  ConfigurationRecorder r;
  r.source = el.file.source();
  // AWS's default recording group when none is given: every supported type.
  r.all_supported = true;
  error_code e =
      for_each_field(element, "ConfigurationRecorders", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "name") return read(v, key, el, r.name);
        if (key == "roleARN") return read(v, key, el, r.role_arn);
        if (key == "recordingGroup") {
          r.all_supported = false;
          return read_recording_group(v, el, r);
        }
        return SUCCESS;
      });
  if (e) return e;
  if (r.name.empty()) el.fail("missing name");
  if (el.ok()) el.file.result().data.configuration_recorders.push_back(std::move(r));
  return SUCCESS;
}

error_code parse_configuration_recorder_status(od::value& element, Element& el) {
  ConfigurationRecorderStatus s;
  s.source = el.file.source();
  Symbol name;
  error_code e = for_each_field(element, "ConfigurationRecordersStatus", el,
                                [&](std::string_view key, od::value& v) -> error_code {
                                  if (key == "name") return read(v, key, el, name);
                                  if (key == "recording") return read(v, key, el, s.recording);
                                  if (key == "lastStatus") return read(v, key, el, s.last_status);
                                  if (key == "lastErrorCode") return read(v, key, el, s.last_error_code);
                                  if (key == "lastStartTime") return read_time(v, key, el, s.last_start_time);
                                  if (key == "lastStopTime") return read_time(v, key, el, s.last_stop_time);
                                  if (key == "lastStatusChangeTime") {
                                    return read_time(v, key, el, s.last_status_change_time);
                                  }
                                  return SUCCESS;
                                });
  if (e) return e;
  if (name.empty()) el.fail("missing name");
  if (el.ok()) el.file.result().recorder_statuses.emplace_back(name, s);
  return SUCCESS;
}

}  // namespace fortress::load
