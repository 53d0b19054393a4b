// config-recording-all-regions (CIS 3.3): in every enabled region an AWS Config recorder is on and
// records every supported resource type.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

bool records_all_types(const ConfigurationRecorder& r) {
  if (r.recording_strategy == "ALL_SUPPORTED_RESOURCE_TYPES") return true;
  if (!r.recording_strategy.empty()) return false;  // INCLUSION_BY_ / EXCLUSION_BY_RESOURCE_TYPES
  return r.all_supported && r.excluded_resource_types.empty();
}

enum class Verdict { kPass, kUnknown, kFail };  // in order of preference across recorders
struct Judgement {
  Verdict verdict;
  std::string detail;
  std::string command;
};

Judgement judge(const Region& region, const ConfigurationRecorder& r) {
  if (!records_all_types(r)) {
    std::string what = !r.excluded_resource_types.empty()
                           ? fmt::format("excludes {} resource type(s)", r.excluded_resource_types.size())
                           : fmt::format("records only {} listed resource type(s)", r.resource_types.size());
    return {Verdict::kFail,
            fmt::format("recorder {} {}: changes to the other resources are not recorded", r.name, what),
            fmt::format("aws configservice put-configuration-recorder --region {} --configuration-recorder "
                        "name={},roleARN={} --recording-group allSupported=true,includeGlobalResourceTypes={}",
                        region.name, r.name, r.role_arn, r.include_global_resource_types ? "true" : "false")};
  }
  if (!r.status) {
    const Coverage& c = region.covered(Dataset::kConfigurationRecorderStatus);
    return {Verdict::kUnknown,
            c.ok() ? fmt::format("describe-configuration-recorder-status does not list recorder {}", r.name)
                   : fmt::format("whether recorder {} is recording is unknown: {} {}", r.name,
                                 dataset_name(Dataset::kConfigurationRecorderStatus),
                                 c.detail.empty() ? std::string("was not collected") : c.detail),
            ""};
  }
  if (!r.status->recording) {
    return {Verdict::kFail, fmt::format("recorder {} exists but is stopped: nothing is recorded", r.name),
            fmt::format("aws configservice start-configuration-recorder --region {} --configuration-recorder-name {}",
                        region.name, r.name)};
  }
  if (r.status->last_status == "Failure") {
    return {Verdict::kFail,
            fmt::format("recorder {} is on but its last recording failed ({}): check its role and delivery channel",
                        r.name, r.status->last_error_code.empty() ? std::string("no error code") : r.status->last_error_code.str()),
            ""};
  }
  return {Verdict::kPass, fmt::format("recorder {} is recording every supported resource type", r.name), ""};
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region* region : regions_to_assess(ctx, sink)) {
    if (!report_coverage_gaps(*region, {Dataset::kConfigurationRecorders}, sink)) continue;
    if (region->configuration_recorders.empty()) {
      Finding& f = sink.fail(region->name, region->name, "", "AWS Config has no configuration recorder in the region");
      f.remediation_cli = fmt::format(
          "aws configservice put-configuration-recorder --region {0} --configuration-recorder "
          "name=default,roleARN=arn:aws:iam::{1}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig "
          "--recording-group allSupported=true,includeGlobalResourceTypes={2} && aws configservice "
          "put-delivery-channel --region {0} --delivery-channel name=default,s3BucketName=<your-config-bucket> && "
          "aws configservice start-configuration-recorder --region {0} --configuration-recorder-name default",
          region->name, ctx.account.account_id, region->name == "us-east-1" ? "true" : "false");
      continue;
    }
    // One recorder that passes is enough; otherwise report the first problem.
    std::optional<Judgement> best;
    const ConfigurationRecorder* best_recorder = nullptr;
    for (const ConfigurationRecorder& r : region->configuration_recorders) {
      Judgement j = judge(*region, r);
      if (!best || int(j.verdict) < int(best->verdict)) {
        best = std::move(j);
        best_recorder = &r;
      }
    }
    JsonValue evidence = JsonValue::object();
    evidence.set("recorder", best_recorder->name);
    evidence.set("all_supported", best_recorder->all_supported);
    evidence.set("recording_strategy", best_recorder->recording_strategy);
    evidence.set("include_global_resource_types", best_recorder->include_global_resource_types);
    if (best_recorder->status) {
      evidence.set("recording", best_recorder->status->recording);
      evidence.set("last_status", best_recorder->status->last_status);
    }
    Finding* f = nullptr;
    switch (best->verdict) {
      case Verdict::kPass: f = &sink.pass(region->name, best_recorder->name, "", best->detail); break;
      case Verdict::kFail: f = &sink.fail(region->name, best_recorder->name, "", best->detail); break;
      case Verdict::kUnknown: f = &sink.not_assessed(region->name, best_recorder->name, "", best->detail); break;
    }
    f->evidence = std::move(evidence);
    if (best->verdict == Verdict::kFail) f->remediation_cli = best->command;
  }
}

}  // namespace

Check config_recording_all_regions_check() {
  return Check{
      CheckMetadata{
          .id = "config-recording-all-regions",
          .title = "AWS Config is not recording all resources in a region",
          .severity = Severity::kMedium,
          .area = Area::kLifecycle,
          .resource_type = "AWS::Config::ConfigurationRecorder",
          .cis_aws_3_0 = "3.3",
          .rationale =
              "AWS Config keeps the history of every resource's configuration: what a security group allowed "
              "last Tuesday, when a bucket became public. Without a running recorder that records all supported "
              "types, that history has gaps exactly where a change went unnoticed. Every enabled region is "
              "judged; one that was not collected is NOT_ASSESSED, never assumed fine.",
          .remediation =
              "Create (or fix) the region's recorder with allSupported=true, give it a delivery channel, and "
              "start it. Record global resource types (IAM) in one region only.",
          .remediation_cli =
              "aws configservice start-configuration-recorder --region {region} --configuration-recorder-name {recorder}",
          .links = {"https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html",
                    "https://docs.aws.amazon.com/config/latest/developerguide/gs-cli-prereq.html"},
      },
      run,
  };
}

}  // namespace fortress
