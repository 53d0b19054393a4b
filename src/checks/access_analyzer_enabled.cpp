// access-analyzer-enabled (CIS 1.20): in every enabled region an IAM Access Analyzer for external access
// is ACTIVE.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

// External-access analyzers (CIS 1.20); the unused-access kinds answer another question.
bool external_access(const AccessAnalyzer& a) {
  return a.type.empty() || a.type == "ACCOUNT" || a.type == "ORGANIZATION";
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region* region : regions_to_assess(ctx, sink)) {
    if (!report_coverage_gaps(*region, {Dataset::kAccessAnalyzers}, sink)) continue;
    const AccessAnalyzer* active = nullptr;
    std::vector<std::string> others;
    for (const AccessAnalyzer& a : region->access_analyzers) {
      if (external_access(a) && a.active()) {
        if (!active) active = &a;
      } else {
        others.push_back(fmt::format("{} ({} {})", a.name, a.type, a.status));
      }
    }
    if (active) {
      Finding& f = sink.pass(region->name, active->arn, active->name,
                             fmt::format("analyzer {} ({}) is ACTIVE", active->name, active->type));
      f.evidence.set("analyzer_arn", active->arn);
      continue;
    }
    std::string detail = "no ACTIVE external-access analyzer: resources shared outside the account (buckets, keys, "
                         "roles, queues) are not reported";
    if (!others.empty()) detail += "; analyzers present: " + join_words(others);
    Finding& f = sink.fail(region->name, region->name, "", std::move(detail));
    f.evidence.set("analyzers", JsonValue::strings(others));
    f.remediation_cli = fmt::format(
        "aws accessanalyzer create-analyzer --region {} --analyzer-name account-external-access --type ACCOUNT",
        region->name);
  }
}

}  // namespace

Check access_analyzer_enabled_check() {
  return Check{
      CheckMetadata{
          .id = "access-analyzer-enabled",
          .title = "IAM Access Analyzer is not enabled in a region",
          .severity = Severity::kMedium,
          .area = Area::kPermissions,
          .resource_type = "AWS::AccessAnalyzer::Analyzer",
          .cis_aws_3_0 = "1.20",
          .rationale =
              "Access Analyzer reads resource policies (S3 buckets, KMS keys, IAM role trusts, SQS, Lambda, "
              "secrets) and reports every one that grants access to a principal outside the account or the "
              "organization: the shares nobody remembers making. It is regional. An ACCOUNT or ORGANIZATION "
              "analyzer counts; unused-access analyzers do not.",
          .remediation = "Create an account (or organization) analyzer in the region.",
          .remediation_cli =
              "aws accessanalyzer create-analyzer --region {region} --analyzer-name account-external-access --type ACCOUNT",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-getting-started.html"},
      },
      run,
  };
}

}  // namespace fortress
