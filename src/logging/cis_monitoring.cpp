#include "logging/cis_monitoring.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace fortress {

namespace {

// Patterns as printed in CIS AWS Foundations Benchmark v3.0.0, section 4 (remediation step 1 and
// audit step 3). Where the two differ both are listed.
const std::vector<CisMonitoringControl>& table() {
  static const std::vector<CisMonitoringControl> controls = {
      {"4.1", "unauthorized API calls", "unauthorized_api_calls_metric",
       R"({ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") })",
       {R"({ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") })"},
       "",
       "CIS v3.0.0 prints this pattern with || between all four conditions, which would match nearly "
       "every event (any event not from delivery.logs.amazonaws.com); fortress reads it as CIS's earlier "
       "versions and its rationale do: the two error codes, without CloudWatch Logs delivery and "
       "HeadBucket noise. A filter on the two error codes alone covers it."},
      {"4.2", "Management Console sign-in without MFA", "no_mfa_console_signin_metric",
       R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") })",
       {R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") })",
        R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") })"},
       "signin.amazonaws.com",
       "CIS accepts the narrower form for IAM users' successful sign-ins (fewer false alarms with SSO)."},
      {"4.3", "usage of the root user", "root_usage_metric",
       R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })",
       {R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })"},
       "", ""},
      {"4.4", "IAM policy changes", "iam_changes_metric",
       R"({($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)})",
       {R"({($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)})"},
       "iam.amazonaws.com", ""},
      {"4.5", "CloudTrail configuration changes", "cloudtrail_cfg_changes_metric",
       R"({ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) })",
       {R"({ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) })"},
       "cloudtrail.amazonaws.com", ""},
      {"4.6", "Management Console authentication failures", "console_signin_failure_metric",
       R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") })",
       {R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") })"},
       "signin.amazonaws.com", ""},
      {"4.7", "disabling or scheduled deletion of customer-managed KMS keys", "disable_or_delete_cmk_changes_metric",
       R"({($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) })",
       {R"({($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) })"},
       "", ""},
      {"4.8", "S3 bucket policy changes", "s3_bucket_policy_changes_metric",
       R"({ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) })",
       {R"({ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) })"},
       "", ""},
      {"4.9", "AWS Config configuration changes", "aws_config_changes_metric",
       R"({ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) })",
       {R"({ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) })"},
       "", ""},
      {"4.10", "security group changes", "security_group_changes_metric",
       R"({ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) })",
       {R"({ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) })"},
       "ec2.amazonaws.com", ""},
      {"4.11", "network ACL changes", "nacl_changes_metric",
       R"({ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) })",
       {R"({ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) })"},
       "ec2.amazonaws.com", ""},
      {"4.12", "network gateway changes", "network_gw_changes_metric",
       R"({ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) })",
       {R"({ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) })"},
       "ec2.amazonaws.com", ""},
      {"4.13", "route table changes", "route_table_changes_metric",
       R"({ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) })",
       {R"({ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) })",
        R"({($.eventSource = ec2.amazonaws.com) && ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) })"},
       "ec2.amazonaws.com",
       "CIS's audit text scopes the pattern to eventSource ec2.amazonaws.com but, read literally, only for "
       "CreateRoute; fortress accepts the unscoped remediation form, the audit text, and the form scoped "
       "to ec2.amazonaws.com for every event name."},
      {"4.14", "VPC changes", "vpc_changes_metric",
       R"({ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) })",
       {R"({ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) })"},
       "ec2.amazonaws.com", ""},
      {"4.15", "AWS Organizations changes", "organizations_changes_metric",
       R"({ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) })",
       {R"({ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) })"},
       "", ""},
  };
  return controls;
}

// The inside of "{ ... }".
std::string_view body_of(std::string_view pattern) {
  const size_t open = pattern.find('{');
  const size_t close = pattern.rfind('}');
  return pattern.substr(open + 1, close - open - 1);
}

}  // namespace

const std::vector<FilterPattern>& CisMonitoringControl::accepted() const {
  static std::mutex mutex;
  static std::map<const CisMonitoringControl*, std::unique_ptr<std::vector<FilterPattern>>> parsed;
  std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<std::vector<FilterPattern>>& slot = parsed[this];
  if (slot) return *slot;
  slot = std::make_unique<std::vector<FilterPattern>>();
  std::vector<std::string> texts(cis_forms.begin(), cis_forms.end());
  if (!event_source.empty()) {
    for (std::string_view form : cis_forms) {
      texts.push_back(fmt::format("{{ ($.eventSource = {}) && ({}) }}", event_source, body_of(form)));
    }
  }
  for (const std::string& text : texts) {
    Expected<FilterPattern> p = parse_filter_pattern(text);
    if (p) slot->push_back(std::move(*p));  // the table is tested to parse (cis_monitoring_test)
  }
  return *slot;
}

std::span<const CisMonitoringControl> cis_monitoring_controls() {
  return table();
}

const CisMonitoringControl* cis_monitoring_control(std::string_view control) {
  for (const CisMonitoringControl& c : table()) {
    if (c.control == control) return &c;
  }
  return nullptr;
}

CoverageResult covers_cis_control(const FilterPattern& user, const CisMonitoringControl& control,
                                  const CoverageLimits& limits) {
  const std::vector<FilterPattern>& forms = control.accepted();
  std::optional<CoverageResult> unknown;
  std::optional<CoverageResult> not_covered;
  for (const FilterPattern& form : forms) {
    CoverageResult r = pattern_covers(user, form, limits);
    if (r.verdict == CoverageVerdict::kCovered) return r;
    if (r.verdict == CoverageVerdict::kUnknown) {
      if (!unknown) unknown = std::move(r);
    } else {
      not_covered = std::move(r);  // the last form is the narrowest: its example is in every form
    }
  }
  if (unknown) return *unknown;
  if (not_covered) return *not_covered;
  return {CoverageVerdict::kUnknown, "no CIS pattern for this control could be read"};
}

}  // namespace fortress
