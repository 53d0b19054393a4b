// guardduty list-detectors and get-detector (one file per detector), inspector2
// batch-get-account-status, accessanalyzer list-analyzers.
#include <fmt/format.h>

#include "load/kinds.h"

namespace fortress::load {

error_code parse_detector_id(od::value& element, Element& el) {
  GuardDutyDetector d;
  d.source = el.file.source();
  if (error_code e = read(element, "DetectorIds", el, d.id)) return e;
  if (d.id.empty()) el.fail("an empty detector ID");
  if (el.ok()) el.file.result().data.guardduty_detectors.push_back(d);
  return SUCCESS;
}

namespace {

// {"Status": "ENABLED"} inside DataSources.
error_code read_status_of(od::value& v, std::string_view member, Element& el, Symbol& out) {
  return for_each_field(v, member, el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "Status") return read(f, member, el, out);
    return SUCCESS;
  });
}

error_code read_data_sources(od::value& v, Element& el, GuardDutyDetectorDetails& d) {
  return for_each_field(v, "DataSources", el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "CloudTrail") return read_status_of(f, "DataSources.CloudTrail", el, d.cloudtrail_status);
    if (key == "DNSLogs") return read_status_of(f, "DataSources.DNSLogs", el, d.dns_logs_status);
    if (key == "FlowLogs") return read_status_of(f, "DataSources.FlowLogs", el, d.flow_logs_status);
    if (key == "S3Logs") return read_status_of(f, "DataSources.S3Logs", el, d.s3_logs_status);
    if (key == "Kubernetes") {
      return for_each_field(f, "DataSources.Kubernetes", el, [&](std::string_view k, od::value& x) -> error_code {
        if (k == "AuditLogs") return read_status_of(x, "Kubernetes.AuditLogs", el, d.kubernetes_audit_logs_status);
        return SUCCESS;
      });
    }
    if (key == "MalwareProtection") {
      return for_each_field(f, "DataSources.MalwareProtection", el, [&](std::string_view k, od::value& x) -> error_code {
        if (k != "ScanEc2InstanceWithFindings") return SUCCESS;
        return for_each_field(x, "MalwareProtection.ScanEc2InstanceWithFindings", el,
                              [&](std::string_view k2, od::value& y) -> error_code {
                                if (k2 == "EbsVolumes") {
                                  return read_status_of(y, "ScanEc2InstanceWithFindings.EbsVolumes", el,
                                                        d.malware_protection_ebs_status);
                                }
                                return SUCCESS;
                              });
      });
    }
    return SUCCESS;
  });
}

error_code read_feature(od::value& item, Element& el, std::vector<GuardDutyFeature>& out) {
  GuardDutyFeature feature;
  error_code e = for_each_field(item, "Features", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Name") return read(v, "Features.Name", el, feature.name);
    if (key == "Status") return read(v, "Features.Status", el, feature.status);
    if (key == "AdditionalConfiguration") {
      return for_each_item(v, "Features.AdditionalConfiguration", el, [&](od::value& c) -> error_code {
        GuardDutyFeatureConfiguration config;
        error_code e2 = for_each_field(c, "AdditionalConfiguration", el, [&](std::string_view k, od::value& f) -> error_code {
          if (k == "Name") return read(f, "AdditionalConfiguration.Name", el, config.name);
          if (k == "Status") return read(f, "AdditionalConfiguration.Status", el, config.status);
          return SUCCESS;
        });
        if (e2) return e2;
        feature.additional_configuration.push_back(config);
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  if (feature.name.empty()) el.fail("Features: an entry without Name");
  out.push_back(std::move(feature));
  return SUCCESS;
}

}  // namespace

error_code parse_detector(od::object& top, Element& el) {
  GuardDutyDetectorDetails d;
  d.source = el.file.source();
  error_code e = for_each_field(top, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Status") return read(v, key, el, d.status);
    if (key == "FindingPublishingFrequency") return read(v, key, el, d.finding_publishing_frequency);
    if (key == "ServiceRole") return read(v, key, el, d.service_role);
    if (key == "CreatedAt") return read_time(v, key, el, d.created_at);
    if (key == "UpdatedAt") return read_time(v, key, el, d.updated_at);
    if (key == "DataSources") return read_data_sources(v, el, d);
    if (key == "Features") {
      return for_each_item(v, key, el, [&](od::value& item) { return read_feature(item, el, d.features); });
    }
    return SUCCESS;
  });
  if (e) return e;
  el.file.result().detector = std::move(d);
  return SUCCESS;
}

// get-detector does not name its detector: the file name does.
void finish_detector(FileContext& file, std::string_view) {
  file.result().fan_out_id = fan_out_id(file, Dataset::kGuardDutyDetector, {});
}

namespace {

error_code read_resource_state(od::value& v, Element& el, InspectorAccountStatus& a) {
  return for_each_field(v, "resourceState", el, [&](std::string_view key, od::value& f) -> error_code {
    Symbol* out = key == "ec2"          ? &a.ec2_status
                  : key == "ecr"        ? &a.ecr_status
                  : key == "lambda"     ? &a.lambda_status
                  : key == "lambdaCode" ? &a.lambda_code_status
                                        : nullptr;
    if (out == nullptr) return SUCCESS;
    return for_each_field(f, "resourceState", el, [&](std::string_view k, od::value& x) -> error_code {
      if (k == "status") return read(x, "resourceState.status", el, *out);
      return SUCCESS;
    });
  });
}

}  // namespace

error_code parse_inspector_account(od::value& element, Element& el) {
  InspectorAccountStatus a;
  a.source = el.file.source();
  error_code e = for_each_field(element, "accounts", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "accountId") return read(v, key, el, a.account_id);
    if (key == "resourceState") return read_resource_state(v, el, a);
    if (key == "state") {
      return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
        if (k == "status") return read(f, "state.status", el, a.status);
        if (k == "errorCode") return read(f, "state.errorCode", el, a.error_code);
        if (k == "errorMessage") return read(f, "state.errorMessage", el, a.error_message);
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  if (a.account_id.empty()) el.fail("missing accountId");
  if (el.ok()) el.file.result().data.inspector_accounts.push_back(a);
  return SUCCESS;
}

error_code parse_inspector_failed_account(od::value& element, Element& el) {
  InspectorAccountStatus a;
  a.source = el.file.source();
  a.failed = true;
  error_code e = for_each_field(element, "failedAccounts", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "accountId") return read(v, key, el, a.account_id);
    if (key == "status") return read(v, key, el, a.status);
    if (key == "errorCode") return read(v, key, el, a.error_code);
    if (key == "errorMessage") return read(v, key, el, a.error_message);
    if (key == "resourceStatus") {
      return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
        if (k == "ec2") return read(f, "resourceStatus.ec2", el, a.ec2_status);
        if (k == "ecr") return read(f, "resourceStatus.ecr", el, a.ecr_status);
        if (k == "lambda") return read(f, "resourceStatus.lambda", el, a.lambda_status);
        if (k == "lambdaCode") return read(f, "resourceStatus.lambdaCode", el, a.lambda_code_status);
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  if (a.account_id.empty()) el.fail("missing accountId");
  if (el.ok()) el.file.result().data.inspector_accounts.push_back(a);
  return SUCCESS;
}

error_code parse_access_analyzer(od::value& element, Element& el) {
  AccessAnalyzer a;
  a.source = el.file.source();
  error_code e = for_each_field(element, "analyzers", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "arn") return read(v, key, el, a.arn);
    if (key == "name") return read(v, key, el, a.name);
    if (key == "type") return read(v, key, el, a.type);
    if (key == "status") return read(v, key, el, a.status);
    if (key == "createdAt") return read_time(v, key, el, a.created_at);
    return SUCCESS;
  });
  if (e) return e;
  if (a.arn.empty()) el.fail("missing arn");
  if (el.ok()) {
    el.file.result().data.access_analyzers.push_back(a);
  } else {
    el.id = a.name.str();
  }
  return SUCCESS;
}

}  // namespace fortress::load
