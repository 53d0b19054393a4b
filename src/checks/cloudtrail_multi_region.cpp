// cloudtrail-multi-region (CIS 3.1): at least one multi-region trail is logging and records every
// management event, read and write.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"

namespace fortress {

namespace {

enum class Verdict { kQualifies, kFails, kUnknown };

struct Judgement {
  Verdict verdict = Verdict::kFails;
  std::string why;       // for kFails / kUnknown
  std::string command;   // for kFails: what fixes this trail
};

Judgement judge(const AccountTrail& a) {
  const Trail& t = *a.trail;
  Judgement j;
  std::vector<std::string> unknown;
  std::vector<std::string> wrong;
  if (!a.status) {
    unknown.push_back("whether it is logging (" + a.status_gap + ")");
  } else if (!a.status->is_logging) {
    wrong.push_back("it is not logging");
    j.command = fmt::format("aws cloudtrail start-logging --region {} --name {}", a.home_region, t.arn);
  }
  if (!a.selectors) {
    unknown.push_back("which events it records (" + a.selectors_gap + ")");
  } else {
    const ManagementEventCoverage m = management_events(*a.selectors);
    if (!m.read_and_write()) {
      std::string what = !m.read && !m.write ? "no management events" : (m.read ? "read-only management events only"
                                                                                : "write-only management events only");
      if (!m.notes.empty()) what += " (" + join_words(m.notes) + ")";
      wrong.push_back("it records " + what);
      if (j.command.empty()) {
        j.command = fmt::format(
            "aws cloudtrail put-event-selectors --region {} --trail-name {} --advanced-event-selectors "
            "'[{{\"Name\":\"Management events\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}}]}}]'",
            a.home_region, t.arn);
      }
    }
  }
  if (!wrong.empty()) {
    j.verdict = Verdict::kFails;
    j.why = join_words(wrong);
    return j;
  }
  if (!unknown.empty()) {
    j.verdict = Verdict::kUnknown;
    j.why = "could not tell " + join_words(unknown);
    return j;
  }
  j.verdict = Verdict::kQualifies;
  return j;
}

JsonValue trail_evidence(const AccountTrail& a, const Judgement& j) {
  JsonValue e = JsonValue::object();
  e.set("trail_arn", a.trail->arn);
  e.set("home_region", a.home_region);
  e.set("multi_region", a.trail->is_multi_region);
  e.set("organization_trail", a.trail->is_organization_trail);
  if (a.status) e.set("is_logging", a.status->is_logging);
  if (a.selectors) {
    const ManagementEventCoverage m = management_events(*a.selectors);
    e.set("management_read", m.read);
    e.set("management_write", m.write);
    e.set("excluded_event_sources", JsonValue::strings(m.excluded_sources));
  }
  if (j.verdict != Verdict::kQualifies) e.set("problem", j.why);
  return e;
}

void run(const CheckContext& ctx, FindingSink& sink) {
  const Account& account = ctx.account;
  if (!any_trail_list_collected(account)) {
    Finding& f = sink.not_assessed("", account.account_id, "",
                                   "cloudtrail describe-trails was collected in no region: the account's trails are unknown");
    f.evidence.set("gaps", JsonValue::strings(trail_list_gaps(account)));
    return;
  }
  const std::vector<AccountTrail> trails = account_trails(account);
  JsonValue listed = JsonValue::array();
  const AccountTrail* qualifying = nullptr;
  const AccountTrail* unknown = nullptr;
  Judgement unknown_j;
  const AccountTrail* failing = nullptr;
  Judgement failing_j;
  const AccountTrail* single_region = nullptr;
  for (const AccountTrail& a : trails) {
    if (!a.trail->is_multi_region) {
      if (single_region == nullptr) single_region = &a;
      continue;
    }
    const Judgement j = judge(a);
    listed.push(trail_evidence(a, j));
    if (j.verdict == Verdict::kQualifies && qualifying == nullptr) qualifying = &a;
    if (j.verdict == Verdict::kUnknown && unknown == nullptr) unknown = &a, unknown_j = j;
    if (j.verdict == Verdict::kFails && failing == nullptr) failing = &a, failing_j = j;
  }

  if (qualifying != nullptr) {
    Finding& f = sink.pass(qualifying->home_region, qualifying->trail->arn, qualifying->trail->name,
                           fmt::format("multi-region trail {} is logging every management event, read and write",
                                       qualifying->trail->name));
    f.evidence.set("trails", listed);
    return;
  }
  if (unknown != nullptr) {
    Finding& f = sink.not_assessed(unknown->home_region, unknown->trail->arn, unknown->trail->name,
                                   fmt::format("multi-region trail {}: {}", unknown->trail->name, unknown_j.why));
    f.evidence.set("trails", listed);
    return;
  }
  if (failing != nullptr) {
    Finding& f = sink.fail(failing->home_region, failing->trail->arn, failing->trail->name,
                           fmt::format("no multi-region trail records every management event: {} is multi-region but {}",
                                       failing->trail->name, failing_j.why));
    f.evidence.set("trails", listed);
    f.remediation_cli = failing_j.command;
    return;
  }
  // No multi-region trail at all.
  std::string detail = "no multi-region trail: activity in regions without a trail of their own is not recorded";
  std::string command;
  if (single_region != nullptr) {
    detail += fmt::format(" (trail {} records {} only)", single_region->trail->name, single_region->home_region);
    command = fmt::format("aws cloudtrail update-trail --region {} --name {} --is-multi-region-trail",
                          single_region->home_region, single_region->trail->arn);
  } else {
    command =
        "aws cloudtrail create-trail --name management-events --s3-bucket-name <your-cloudtrail-bucket> "
        "--is-multi-region-trail --enable-log-file-validation && aws cloudtrail start-logging --name "
        "management-events";
  }
  Finding& f = sink.fail("", account.account_id, "", std::move(detail));
  f.evidence.set("trails", listed);
  f.remediation_cli = std::move(command);
}

}  // namespace

Check cloudtrail_multi_region_check() {
  return Check{
      CheckMetadata{
          .id = "cloudtrail-multi-region",
          .title = "No multi-region CloudTrail trail logs all management events",
          .severity = Severity::kHigh,
          .area = Area::kLifecycle,
          .resource_type = "AWS::CloudTrail::Trail",
          .cis_aws_3_0 = "3.1",
          .rationale =
              "CloudTrail is the record of every API call: who changed a security group, who created an access "
              "key, who stopped logging. A multi-region trail also records regions nobody uses, which is "
              "where an attacker would start instances. It must be logging and record management events "
              "both read and write (basic selectors: IncludeManagementEvents with ReadWriteType All, or a "
              "ReadOnly and a WriteOnly one together; advanced: eventCategory = Management without a readOnly "
              "filter that drops a side). The finding names the trail that passes, or why the best candidate "
              "does not.",
          .remediation =
              "Make a trail multi-region, start its logging, and record all management events. "
              "put-event-selectors replaces the trail's selectors: include any data-event selectors it "
              "already has in the same call.",
          .remediation_cli =
              "aws cloudtrail update-trail --region {home_region} --name {trail} --is-multi-region-trail; "
              "aws cloudtrail start-logging --region {home_region} --name {trail}",
          .links = {"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
                    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html"},
      },
      run,
  };
}

}  // namespace fortress
