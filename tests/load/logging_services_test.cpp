// CloudTrail, Config, GuardDuty, SSM, Inspector2, Auto Scaling, Access Analyzer.
#include "services_fixture.h"

namespace fortress {
namespace {

using testing::utc;
using Level = LoadDiagnostic::Level;

constexpr std::string_view kOrgTrail = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail";
constexpr std::string_view kAppTrail = "arn:aws:cloudtrail:us-east-1:111122223333:trail/app-data-events";

class Services : public testing::AwsAccount {};

TEST_F(Services, TrailsWithStatusAndSelectors) {
  EXPECT_TRUE(us().has(Dataset::kTrails));
  EXPECT_TRUE(us().has(Dataset::kTrailStatus));
  EXPECT_TRUE(us().has(Dataset::kEventSelectors));
  ASSERT_EQ(us().trails.size(), 2u);
  const Trail* org = us().trail(kOrgTrail);
  ASSERT_NE(org, nullptr);
  EXPECT_EQ(us().trail("org-trail"), org);
  EXPECT_EQ(org->home_region, "us-east-1");
  EXPECT_FALSE(org->is_shadow("us-east-1"));
  EXPECT_TRUE(org->is_shadow("eu-west-1"));
  EXPECT_TRUE(org->is_multi_region);
  EXPECT_TRUE(org->is_organization_trail);
  EXPECT_TRUE(org->log_file_validation_enabled);
  EXPECT_TRUE(org->include_global_service_events);
  EXPECT_EQ(org->kms_key_id, "arn:aws:kms:us-east-1:111122223333:key/8c2f4e6a-1b3d-4f5a-9c7e-0d2b4f6a8c1e");
  EXPECT_EQ(org->s3_bucket_name, "example-corp-cloudtrail-logs");
  EXPECT_EQ(org->cloudwatch_logs_log_group_arn, "arn:aws:logs:us-east-1:111122223333:log-group:aws-cloudtrail-org:*");
  ASSERT_TRUE(org->status.has_value());
  EXPECT_TRUE(org->status->is_logging);
  EXPECT_TRUE(org->status->latest_delivery_error.empty());
  EXPECT_EQ(org->status->latest_cloudwatch_logs_delivery_time, utc("2026-11-30T08:12:06Z"));
  EXPECT_FALSE(org->status->stop_logging_time.has_value());
  ASSERT_TRUE(org->event_selectors.has_value());
  ASSERT_EQ(org->event_selectors->basic.size(), 1u);
  EXPECT_EQ(org->event_selectors->basic[0].read_write_type, "All");
  EXPECT_EQ(org->event_selectors->basic[0].data_resources[0].type, "AWS::S3::Object");
  EXPECT_TRUE(org->event_selectors->logs_all_management_events());

  const Trail* app = us().trail(kAppTrail);
  ASSERT_NE(app, nullptr);
  EXPECT_FALSE(app->is_multi_region);
  EXPECT_TRUE(app->kms_key_id.empty());
  EXPECT_EQ(app->sns_topic_arn, "arn:aws:sns:us-east-1:111122223333:app-trail-delivery");
  ASSERT_TRUE(app->status.has_value());
  EXPECT_FALSE(app->status->is_logging);
  EXPECT_EQ(app->status->latest_delivery_error, "AccessDenied");
  EXPECT_EQ(app->status->stop_logging_time, utc("2026-08-21T17:40:52Z"));
  ASSERT_TRUE(app->event_selectors.has_value());
  ASSERT_EQ(app->event_selectors->advanced.size(), 2u);
  EXPECT_EQ(app->event_selectors->advanced[1].field_selectors[3].field, "resources.ARN");
  EXPECT_EQ(app->event_selectors->advanced[1].field_selectors[3].starts_with,
            (std::vector<Symbol>{"arn:aws:s3:::example-corp-app-uploads/"}));
  EXPECT_TRUE(app->event_selectors->logs_all_management_events());
}

TEST_F(Services, ConfigRecorders) {
  ASSERT_EQ(us().configuration_recorders.size(), 1u);
  const ConfigurationRecorder& r = us().configuration_recorders[0];
  EXPECT_EQ(r.name, "default");
  EXPECT_EQ(r.role_arn, "arn:aws:iam::111122223333:role/service-role/config-recorder");
  EXPECT_TRUE(r.all_supported);
  EXPECT_TRUE(r.include_global_resource_types);
  EXPECT_TRUE(r.resource_types.empty());
  ASSERT_TRUE(r.status.has_value());
  EXPECT_TRUE(r.status->recording);
  EXPECT_EQ(r.status->last_status, "Success");
  EXPECT_EQ(r.status->last_status_change_time, utc("2026-11-30T07:56:31Z"));
  EXPECT_TRUE(us().has(Dataset::kConfigurationRecorderStatus));
}

TEST_F(Services, GuardDuty) {
  ASSERT_EQ(us().guardduty_detectors.size(), 1u);
  const GuardDutyDetector* d = us().guardduty_detector("ca9a7ed09dc2fb6632247c69c9fede06");
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->details.has_value());
  EXPECT_TRUE(d->details->enabled());
  EXPECT_EQ(d->details->finding_publishing_frequency, "SIX_HOURS");
  EXPECT_EQ(d->details->created_at, utc("2022-04-11T12:33:08Z"));
  EXPECT_EQ(d->details->s3_logs_status, "ENABLED");
  EXPECT_EQ(d->details->kubernetes_audit_logs_status, "DISABLED");
  EXPECT_EQ(d->details->malware_protection_ebs_status, "ENABLED");
  EXPECT_EQ(d->details->ebs_malware_protection_status(), "ENABLED");
  EXPECT_EQ(file_of(d->details->source),
            "us-east-1/guardduty/get-detector/ca9a7ed09dc2fb6632247c69c9fede06.json");
}

TEST_F(Services, SsmInspectorAutoScalingAccessAnalyzer) {
  ASSERT_EQ(us().ssm_instances.size(), 3u);
  const SsmInstance* lost = us().ssm_instance("i-0f1e2d3c4b5a69783");
  ASSERT_NE(lost, nullptr);
  EXPECT_EQ(lost->ping_status, "ConnectionLost");
  EXPECT_EQ(lost->platform_type, "Linux");
  EXPECT_EQ(lost->platform_name, "Amazon Linux");
  EXPECT_EQ(lost->agent_version, "3.2.582.0");
  EXPECT_EQ(lost->is_latest_version, false);
  EXPECT_EQ(lost->last_ping, utc("2026-11-26T22:47:05Z"));
  EXPECT_EQ(lost->resource_type, "EC2Instance");

  auto compliance = us().compliance_for("i-0f1e2d3c4b5a69782");
  ASSERT_EQ(compliance.size(), 1u);
  const ComplianceSummary& patch = *compliance[0];
  EXPECT_EQ(patch.compliance_type, "Patch");
  EXPECT_FALSE(patch.compliant_status());
  EXPECT_EQ(patch.overall_severity, "CRITICAL");
  EXPECT_EQ(patch.non_compliant_count, 7);
  EXPECT_EQ(patch.non_compliant.critical, 2);
  EXPECT_EQ(patch.non_compliant.high, 3);
  EXPECT_EQ(patch.compliant_count, 405);
  EXPECT_EQ(patch.execution_time, utc("2026-11-29T03:13:02Z"));
  EXPECT_EQ(us().compliance_for("i-0f1e2d3c4b5a69781").size(), 2u);

  ASSERT_EQ(us().inspector_accounts.size(), 1u);
  const InspectorAccountStatus& inspector = us().inspector_accounts[0];
  EXPECT_EQ(inspector.account_id, "111122223333");
  EXPECT_EQ(inspector.status, "ENABLED");
  EXPECT_EQ(inspector.ec2_status, "ENABLED");
  EXPECT_EQ(inspector.lambda_status, "DISABLED");
  EXPECT_FALSE(inspector.failed);

  ASSERT_EQ(us().auto_scaling_instances.size(), 3u);
  const AutoScalingInstance* asg = us().auto_scaling_instance("i-0f1e2d3c4b5a69783");
  ASSERT_NE(asg, nullptr);
  EXPECT_EQ(asg->group_name, "web-asg");
  EXPECT_EQ(asg->health_status, "UNHEALTHY");
  EXPECT_EQ(asg->lifecycle_state, "InService");
  EXPECT_EQ(asg->launch_template_name, "web-app");
  EXPECT_EQ(asg->launch_template_version, "7");

  ASSERT_EQ(us().access_analyzers.size(), 1u);
  EXPECT_EQ(us().access_analyzers[0].type, "ACCOUNT");
  EXPECT_TRUE(us().access_analyzers[0].active());
  EXPECT_EQ(us().access_analyzers[0].created_at, utc("2023-03-09T14:22:31Z"));
}

// ---- edge cases, in memory ----------------------------------------------------------------------

std::string trails_json() {
  return R"({"trailList": [{"Name": "t", "TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/t", "HomeRegion": "eu-west-1"},
                           {"Name": "home", "TrailARN": "arn:aws:cloudtrail:us-east-1:1:trail/home", "HomeRegion": "us-east-1",
                            "IsMultiRegionTrail": true}]})";
}

TEST(TrailEdge, AFailedStatusCallIsAGapNeverOff) {
  LoadResult r = testing::load_files({
      {"eu-west-1/cloudtrail/describe-trails.json", trails_json()},
      {"eu-west-1/cloudtrail/get-trail-status/arn%3Aaws%3Acloudtrail%3Aeu-west-1%3A1%3Atrail%2Ft.error.json",
       R"({"FortressCollectionError": {"Service": "cloudtrail", "Command": "get-trail-status", "Region": "eu-west-1",
            "ErrorCode": "AccessDeniedException", "Message": "denied"}})"},
      {"eu-west-1/cloudtrail/get-trail-status/home.json", R"({"IsLogging": true, "TimeLoggingStopped": ""})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  EXPECT_TRUE(eu.has(Dataset::kTrails));
  EXPECT_EQ(eu.covered(Dataset::kTrailStatus).status, CoverageStatus::kError);
  const Trail* t = eu.trail("t");
  ASSERT_NE(t, nullptr);
  EXPECT_FALSE(t->status.has_value());
  ASSERT_NE(eu.fan_out_failure(Dataset::kTrailStatus, "arn:aws:cloudtrail:eu-west-1:1:trail/t"), nullptr);
  // A status file named by the trail's name; the shadow copy of a multi-region trail.
  const Trail* home = eu.trail("arn:aws:cloudtrail:us-east-1:1:trail/home");
  ASSERT_TRUE(home->status.has_value());
  EXPECT_TRUE(home->status->is_logging);
  EXPECT_TRUE(home->is_shadow("eu-west-1"));
  EXPECT_FALSE(home->event_selectors.has_value());
}

TEST(TrailEdge, SelectorsThatLogOnlyPartOfTheManagementEvents) {
  auto selectors = [](std::string_view json) {
    LoadResult r = testing::load_files({
        {"eu-west-1/cloudtrail/describe-trails.json", trails_json()},
        {"eu-west-1/cloudtrail/get-event-selectors/x.json", std::string(json)},
    });
    const Trail* t = r.account.region("eu-west-1")->trail("t");
    EXPECT_TRUE(t->event_selectors.has_value()) << testing::all_diagnostics(r);
    return t->event_selectors ? t->event_selectors->logs_all_management_events() : false;
  };
  // The file name "x" is no trail, but the output names its trail (TrailARN).
  EXPECT_FALSE(selectors(R"({"TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/t",
      "EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}]})"));
  EXPECT_FALSE(selectors(R"({"TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/t",
      "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": false}]})"));
  EXPECT_TRUE(selectors(R"({"TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/t",
      "EventSelectors": [{"ReadWriteType": "All"}]})"));
  EXPECT_FALSE(selectors(R"({"TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/t", "AdvancedEventSelectors": [
      {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "readOnly", "Equals": ["false"]}]}]})"));
  EXPECT_TRUE(selectors(R"({"TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/t", "AdvancedEventSelectors": [
      {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]},
      {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]})"));
}

TEST(TrailEdge, WrongTypesAndAMisplacedStatus) {
  LoadResult r = testing::load_files({
      {"eu-west-1/cloudtrail/describe-trails.json", trails_json()},
      {"eu-west-1/cloudtrail/get-trail-status/t.json", R"({"IsLogging": "yes"})"},
      {"cloudtrail/get-trail-status/t.json", R"({"IsLogging": true})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  EXPECT_FALSE(eu.trail("t")->status.has_value());
  const Coverage& c = eu.covered(Dataset::kTrailStatus);
  EXPECT_EQ(c.status, CoverageStatus::kError);
  EXPECT_NE(c.detail.find("IsLogging: expected a boolean, found a string"), std::string::npos) << c.detail;
  EXPECT_NE(testing::find_diagnostic(r, Level::kError, "cloudtrail/get-trail-status is regional data"), nullptr);
}

TEST(GuardDutyEdge, ListFailedIsErrorAndTheNewerFeaturesForm) {
  LoadResult r = testing::load_files({
      {"eu-west-1/guardduty/list-detectors.error.json",
       R"({"FortressCollectionError": {"Service": "guardduty", "Command": "list-detectors", "Region": "eu-west-1",
            "ErrorCode": "AccessDeniedException", "Message": "denied"}})"},
      {"us-west-2/guardduty/list-detectors.json", R"({"DetectorIds": ["abc123", 7, "def456"]})"},
      {"us-west-2/guardduty/get-detector/abc123.json", R"({"ServiceRole": "arn:r", "Status": "ENABLED",
          "Features": [{"Name": "EBS_MALWARE_PROTECTION", "Status": "DISABLED"},
                       {"Name": "RUNTIME_MONITORING", "Status": "ENABLED",
                        "AdditionalConfiguration": [{"Name": "EKS_ADDON_MANAGEMENT", "Status": "ENABLED"}]}],
          "DataSources": {"MalwareProtection": {"ScanEc2InstanceWithFindings": {"EbsVolumes": {"Status": "ENABLED"}}}}})"},
      {"us-west-2/guardduty/get-detector/def456.error.json",
       R"({"FortressCollectionError": {"Service": "guardduty", "Command": "get-detector", "Region": "us-west-2",
            "ErrorCode": "InternalServerErrorException", "Message": "oops"}})"},
  });
  EXPECT_EQ(r.account.covered("eu-west-1", Dataset::kGuardDutyDetectors).status, CoverageStatus::kError);
  const Region& w = *r.account.region("us-west-2");
  EXPECT_EQ(w.covered(Dataset::kGuardDutyDetectors).status, CoverageStatus::kError);  // one ID was a number
  ASSERT_EQ(w.guardduty_detectors.size(), 2u);
  const GuardDutyDetector* abc = w.guardduty_detector("abc123");
  ASSERT_TRUE(abc->details.has_value());
  // Features (the newer API) win over DataSources; both are kept.
  EXPECT_EQ(abc->details->ebs_malware_protection_status(), "DISABLED");
  EXPECT_EQ(abc->details->malware_protection_ebs_status, "ENABLED");
  EXPECT_EQ(abc->details->feature_status("RUNTIME_MONITORING"), "ENABLED");
  EXPECT_EQ(abc->details->features[1].additional_configuration[0].name, "EKS_ADDON_MANAGEMENT");
  const GuardDutyDetector* def = w.guardduty_detector("def456");
  EXPECT_FALSE(def->details.has_value());
  const FanOutFailure* gap = w.fan_out_failure(Dataset::kGuardDutyDetector, "def456");
  ASSERT_NE(gap, nullptr);
  EXPECT_NE(gap->detail.find("InternalServerErrorException"), std::string::npos);
  EXPECT_EQ(w.covered(Dataset::kGuardDutyDetector).status, CoverageStatus::kError);
  EXPECT_NE(w.covered(Dataset::kGuardDutyDetector).detail.find("def456: InternalServerErrorException"),
            std::string::npos);
}

TEST(ServicesEdge, EmptyListsAreCollectedNotMissing) {
  LoadResult r = testing::load_files({
      {"eu-west-1/configservice/describe-configuration-recorders.json", R"({"ConfigurationRecorders": []})"},
      {"eu-west-1/guardduty/list-detectors.json", R"({"DetectorIds": []})"},
      {"eu-west-1/accessanalyzer/list-analyzers.json", R"({"analyzers": []})"},
      {"eu-west-1/ssm/describe-instance-information.json", R"({"InstanceInformationList": []})"},
      {"eu-west-1/inspector2/batch-get-account-status.json",
       R"({"accounts": [], "failedAccounts": [{"accountId": "1", "status": "DISABLED", "errorCode": "ACCESS_DENIED", "errorMessage": "no"}]})"},
      {"eu-west-1/autoscaling/describe-auto-scaling-instances.json", R"({"AutoScalingInstances": []})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  for (Dataset d : {Dataset::kConfigurationRecorders, Dataset::kGuardDutyDetectors, Dataset::kAccessAnalyzers,
                    Dataset::kSsmInstanceInformation, Dataset::kInspectorAccountStatus, Dataset::kAutoScalingInstances}) {
    EXPECT_TRUE(eu.has(d)) << dataset_name(d);
  }
  EXPECT_TRUE(eu.configuration_recorders.empty());
  ASSERT_EQ(eu.inspector_accounts.size(), 1u);
  EXPECT_TRUE(eu.inspector_accounts[0].failed);
  EXPECT_EQ(eu.inspector_accounts[0].error_code, "ACCESS_DENIED");
  EXPECT_TRUE(r.unknown_files.empty());
}

TEST(ServicesEdge, RecorderWithoutGroupAndComplianceDuplicates) {
  LoadResult r = testing::load_files({
      {"eu-west-1/configservice/describe-configuration-recorders.json",
       R"({"ConfigurationRecorders": [{"name": "a"}, {"name": "b", "recordingGroup": {"allSupported": false,
          "exclusionByResourceTypes": {"resourceTypes": ["AWS::EC2::Volume"]}, "recordingStrategy": {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"}}}]})"},
      {"eu-west-1/configservice/describe-configuration-recorder-status.json",
       R"({"ConfigurationRecordersStatus": [{"name": "b", "recording": false, "lastStatus": "Failure", "lastErrorCode": "AccessDenied"},
          {"name": "zzz", "recording": true}]})"},
      {"eu-west-1/ssm/list-resource-compliance-summaries.json",
       R"({"ResourceComplianceSummaryItems": [{"ComplianceType": "Patch", "ResourceId": "i-1", "Status": "COMPLIANT"},
          {"ComplianceType": "Patch", "ResourceId": "i-1", "Status": "NON_COMPLIANT"},
          {"ComplianceType": "Association", "ResourceId": "i-1", "Status": "COMPLIANT"}]})"},
  });
  const Region& eu = *r.account.region("eu-west-1");
  ASSERT_EQ(eu.configuration_recorders.size(), 2u);
  EXPECT_TRUE(eu.configuration_recorders[0].all_supported);  // AWS's default without a recordingGroup
  EXPECT_FALSE(eu.configuration_recorders[0].status.has_value());
  const ConfigurationRecorder& b = eu.configuration_recorders[1];
  EXPECT_FALSE(b.all_supported);
  EXPECT_EQ(b.excluded_resource_types, (std::vector<Symbol>{"AWS::EC2::Volume"}));
  EXPECT_EQ(b.recording_strategy, "EXCLUSION_BY_RESOURCE_TYPES");
  ASSERT_TRUE(b.status.has_value());
  EXPECT_FALSE(b.status->recording);
  EXPECT_EQ(b.status->last_error_code, "AccessDenied");
  EXPECT_NE(testing::find_diagnostic(r, Level::kInfo, "status of 1 configuration recorder(s)"), nullptr);
  ASSERT_EQ(eu.compliance_for("i-1").size(), 2u);  // (resource, type) is the key: first kept
  EXPECT_TRUE(eu.compliance_for("i-1")[0]->compliant_status());
  EXPECT_NE(testing::find_diagnostic(r, Level::kWarning, "1 duplicate compliance summary ID(s) within the file"),
            nullptr)
      << testing::all_diagnostics(r);
}

}  // namespace
}  // namespace fortress
