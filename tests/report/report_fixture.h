// A hand-built scan for the report tests: two regions (one with a failed collection), an account-wide
// finding, every status, and values that need escaping in every format.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "checks/check.h"
#include "model/account.h"
#include "report/report.h"

namespace fortress::testing {

// Finding's static text members are views: the fixture keeps its made-up texts alive here.
inline std::string_view keep(std::string text) {
  static std::set<std::string> pool;
  return *pool.insert(std::move(text)).first;
}

inline Finding make_finding(std::string check_id, FindingStatus status, Severity severity, Area area,
                            std::string region, std::string resource_id, std::string resource_name,
                            std::string detail) {
  Finding f;
  f.check_id = keep(check_id);
  f.title = keep("Title of " + check_id);
  f.status = status;
  f.severity = severity;
  f.area = area;
  f.account_id = "111122223333";
  f.region = std::move(region);
  f.resource_type = "AWS::EC2::SecurityGroup";
  f.resource_id = std::move(resource_id);
  f.resource_name = std::move(resource_name);
  f.detail = std::move(detail);
  f.remediation_text = "Remove the rule.";
  return f;
}

// The account: us-east-1 fully collected, eu-west-1 with describe-instances failed and
// describe-flow-logs not collected; caller identity collected, describe-regions not.
inline Account make_account() {
  Account a;
  a.account_id = "111122223333";
  a.caller_identity = CallerIdentity{"111122223333", "arn:aws:iam::111122223333:user/alice", "AIDAEXAMPLE"};
  a.global_coverage[size_t(Dataset::kCallerIdentity)] = {CoverageStatus::kOk, "sts/get-caller-identity.json"};
  Region& us = a.region_mut("us-east-1");
  for (Coverage& c : us.coverage) c = {CoverageStatus::kOk, "us-east-1/ec2/..."};
  Region& eu = a.region_mut("eu-west-1");
  for (Coverage& c : eu.coverage) c = {CoverageStatus::kOk, "eu-west-1/ec2/..."};
  eu.coverage[size_t(Dataset::kInstances)] = {
      CoverageStatus::kError, "UnauthorizedOperation: not authorized to perform ec2:DescribeInstances"};
  eu.coverage[size_t(Dataset::kFlowLogs)] = {CoverageStatus::kMissing, ""};
  a.finalize();
  return a;
}

inline std::vector<Finding> make_findings() {
  std::vector<Finding> out;
  // Deliberately out of report order.
  Finding& lifecycle =
      out.emplace_back(make_finding("sg-unused", FindingStatus::kFail, Severity::kLow, Area::kLifecycle,
                                    "us-east-1", "sg-0ddd", "old-sg", "attached to no network interface"));
  lifecycle.remediation_cli = "aws ec2 delete-security-group --region us-east-1 --group-id sg-0ddd";

  Finding& wide = out.emplace_back(make_finding("sg-wide-port-range", FindingStatus::kFail, Severity::kMedium,
                                                Area::kIngress, "us-east-1", "sg-0ccc", "\x1b[31mevil\x1b[0m",
                                                "tcp/1000-9000 open to 10.0.0.0/8, \"wide\"\nsecond line"));
  wide.remediation_cli = "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-0ccc";

  Finding& egress =
      out.emplace_back(make_finding("sg-egress-open", FindingStatus::kFail, Severity::kHigh, Area::kEgress,
                                    "eu-west-1", "sg-0bbb", "", "all traffic allowed to 0.0.0.0/0"));
  egress.remediation_cli = "aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0bbb";

  Finding& ssh = out.emplace_back(make_finding("sg-admin-port-open-ipv4", FindingStatus::kFail,
                                               Severity::kCritical, Area::kIngress, "us-east-1", "sg-0aaa",
                                               "web", "SSH (tcp/22) open to 0.0.0.0/0"));
  ssh.remediation_cli =
      "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-0aaa --protocol tcp --port 22 "
      "--cidr 0.0.0.0/0";
  ssh.cis_aws_3_0 = "5.2, 5.3";
  ssh.evidence.set("port", 22);
  ssh.evidence.set("cidr", "0.0.0.0/0");

  Finding& account_wide =
      out.emplace_back(make_finding("iam-root-access-key", FindingStatus::kFail, Severity::kCritical,
                                    Area::kAccess, "", "", "", "the root user has an active access key"));
  account_wide.resource_type = "AWS::IAM::User";

  Finding& muted = out.emplace_back(make_finding("sg-admin-port-open-ipv4", FindingStatus::kMuted,
                                                 Severity::kCritical, Area::kIngress, "us-east-1", "sg-0eee",
                                                 "bastion", "SSH (tcp/22) open to 0.0.0.0/0"));
  muted.mute_reason = "bastion, approved in SEC-12";
  muted.remediation_cli = "aws ec2 revoke-security-group-ingress --group-id sg-0eee";

  out.push_back(make_finding("sg-admin-port-open-ipv4", FindingStatus::kNotAssessed, Severity::kCritical,
                             Area::kIngress, "eu-west-1", "", "",
                             "ec2/describe-security-groups was not collected"));
  out.push_back(make_finding("sg-admin-port-open-ipv4", FindingStatus::kNotAssessed, Severity::kCritical,
                             Area::kIngress, "ap-south-1", "", "",
                             "ec2/describe-security-groups was not collected"));
  out.push_back(make_finding("sg-default-not-restricted", FindingStatus::kPass, Severity::kHigh,
                             Area::kIngress, "us-east-1", "sg-0fff", "default",
                             "the default group has no rules"));
  return out;
}

inline ScanReport make_report(const Account& account) {
  ScanReport r;
  r.tool_version = "0.1.0";
  r.generated_at = "2026-01-01T00:00:00Z";
  r.account = &account;
  r.findings = make_findings();
  r.diagnostics.push_back(
      {LoadDiagnostic::Level::kWarning, "us-east-1/ec2/describe-vpcs.json", 12, "unexpected key"});
  r.diagnostics.push_back(
      {LoadDiagnostic::Level::kError, "eu-west-1/ec2/broken.json", 3, "expected ',' or '}'"});
  r.diagnostics.push_back({LoadDiagnostic::Level::kInfo, "notes.json", 0, "skipped"});
  r.unknown_files = {"zz/other.json", "notes.json"};
  r.incomplete = true;
  return r;
}

}  // namespace fortress::testing
