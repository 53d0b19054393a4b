// The CIS 4.1-4.15 monitoring controls, one check each from one table: a metric filter on the
// CloudWatch Logs group of a multi-region, logging trail that records all management events, whose
// pattern alerts on every event of the control's CIS pattern (decided semantically:
// logging/cis_monitoring.h), an alarm on the filter's metric, and an SNS topic of the alarm with at
// least one confirmed subscription.
#include <fmt/format.h>

#include <array>
#include <deque>
#include <optional>

#include "checks/baseline_checks.h"
#include "checks/baseline_support.h"
#include "logging/cis_monitoring.h"

namespace fortress {

namespace {

struct ControlInfo {
  std::string_view control;  // "4.1"
  std::string_view id;
  Severity severity;
  Area area;
  std::string_view why;     // the first sentence of the rationale
  std::string_view source;  // the event source the control's events come from ("" = every source)
};

// In CIS order; index i is cis_monitoring_controls()[i].
constexpr std::array<ControlInfo, 15> kControls = {{
    {"4.1", "monitoring-unauthorized-api-calls", Severity::kMedium, Area::kAccess,
     "A burst of AccessDenied and UnauthorizedOperation errors is how stolen credentials look while someone "
     "maps what they can do.",
     ""},
    {"4.2", "monitoring-console-login-without-mfa", Severity::kMedium, Area::kAccess,
     "A console sign-in without MFA is a password-only login: the one a phished or reused password gives away.",
     "signin.amazonaws.com"},
    {"4.3", "monitoring-root-usage", Severity::kHigh, Area::kAccess,
     "The root user can do anything, including closing the account; any use of it should wake someone up.", ""},
    {"4.4", "monitoring-iam-policy-changes", Severity::kMedium, Area::kPermissions,
     "Changing a policy is how access is quietly widened: an attached AdministratorAccess, an edited inline policy.",
     "iam.amazonaws.com"},
    {"4.5", "monitoring-cloudtrail-changes", Severity::kMedium, Area::kLifecycle,
     "Stopping or changing a trail is the first thing an intruder who wants to stay hidden does.",
     "cloudtrail.amazonaws.com"},
    {"4.6", "monitoring-console-auth-failures", Severity::kLow, Area::kAccess,
     "Repeated failed console sign-ins are password guessing against your users.", "signin.amazonaws.com"},
    {"4.7", "monitoring-kms-key-disable-or-deletion", Severity::kMedium, Area::kLifecycle,
     "A disabled or deleted KMS key makes everything encrypted with it unreadable: a ransom or sabotage move.",
     "kms.amazonaws.com"},
    {"4.8", "monitoring-s3-bucket-policy-changes", Severity::kMedium, Area::kPermissions,
     "A changed bucket policy or ACL is how data becomes public or shared with another account.",
     "s3.amazonaws.com"},
    {"4.9", "monitoring-config-changes", Severity::kMedium, Area::kLifecycle,
     "Stopping AWS Config or its delivery channel erases the configuration history of what happens next.",
     "config.amazonaws.com"},
    {"4.10", "monitoring-security-group-changes", Severity::kMedium, Area::kLifecycle,
     "Security groups are the instances' firewalls; an unreviewed rule change is how a port ends up open to the "
     "internet.",
     "ec2.amazonaws.com"},
    {"4.11", "monitoring-nacl-changes", Severity::kMedium, Area::kLifecycle,
     "Network ACLs are the subnets' stateless firewalls; a changed entry can open or cut off a whole subnet.",
     "ec2.amazonaws.com"},
    {"4.12", "monitoring-network-gateway-changes", Severity::kMedium, Area::kLifecycle,
     "A new or re-attached internet or customer gateway is a new way in or out of the network.",
     "ec2.amazonaws.com"},
    {"4.13", "monitoring-route-table-changes", Severity::kMedium, Area::kLifecycle,
     "A changed route can send a private subnet's traffic to the internet or through an instance that "
     "inspects it.",
     "ec2.amazonaws.com"},
    {"4.14", "monitoring-vpc-changes", Severity::kMedium, Area::kLifecycle,
     "New VPCs and peerings change what can reach what; nobody should learn of them afterwards.",
     "ec2.amazonaws.com"},
    {"4.15", "monitoring-organizations-changes", Severity::kMedium, Area::kLifecycle,
     "Changes to the organization (accounts leaving, service control policies detached) lift the guard rails of "
     "every account in it.",
     "organizations.amazonaws.com"},
}};

// How far a monitoring chain got. A FAIL reports the furthest stage any candidate reached.
enum class Stage : uint8_t {
  kNoTrail,          // no multi-region trail
  kNoLogGroup,       // multi-region trails, none delivering to CloudWatch Logs
  kTrailIncomplete,  // delivering, but not logging / not all management events / excludes the source
  kNoFilter,         // no metric filter covers the control
  kNoAlarm,          // a covering filter, no alarm on its metric
  kNoTopic,          // an alarm, but no enabled SNS action
  kNoSubscriber,     // a topic without a confirmed subscription
  kComplete,
};

struct Outcome {
  Stage stage = Stage::kNoTrail;
  std::string detail;
  std::string command;
  JsonValue evidence = JsonValue::object();
  std::string region;
};

struct Search {
  std::optional<Outcome> best_fail;  // furthest stage
  std::optional<Outcome> unknown;    // the first question that could not be answered
  std::optional<Outcome> pass;
  void fail(Outcome o) {
    if (!best_fail || o.stage > best_fail->stage) best_fail = std::move(o);
  }
  void not_known(Outcome o) {
    if (!unknown) unknown = std::move(o);
  }
};

std::string filter_command(const CisMonitoringControl& c, std::string_view region, std::string_view log_group,
                           std::string_view topic) {
  return fmt::format(
      "aws logs put-metric-filter --region {0} --log-group-name {1} --filter-name {2} --metric-transformations "
      "metricName={2},metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{3}' && aws cloudwatch "
      "put-metric-alarm --region {0} --alarm-name {2}_alarm --metric-name {2} --namespace CISBenchmark "
      "--statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold "
      "--evaluation-periods 1 --alarm-actions {4}",
      region, log_group, c.metric_name, c.recommended, topic);
}

std::string alarm_command(const CisMonitoringControl& c, std::string_view region, const MetricTransformation& m,
                          std::string_view topic) {
  return fmt::format(
      "aws cloudwatch put-metric-alarm --region {0} --alarm-name {1}_alarm --metric-name {2} --namespace {3} "
      "--statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold "
      "--evaluation-periods 1 --alarm-actions {4}",
      region, c.metric_name, m.metric_name, m.metric_namespace, topic);
}

// A topic in the region whose subscriptions include a confirmed one, to suggest in commands.
std::string known_good_topic(const Region& region) {
  for (const SnsTopicSubscriptions& t : region.sns_topics) {
    for (const SnsSubscription& s : t.subscriptions) {
      if (s.confirmed()) return t.topic_arn.str();
    }
  }
  return "<sns-topic-arn>";
}

std::string arn_region(std::string_view arn) {
  // arn:aws:sns:<region>:...
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  const size_t end = arn.find(':', pos);
  return end == std::string_view::npos ? std::string() : std::string(arn.substr(pos, end - pos));
}

// The alarm's SNS topics, judged: a topic with a confirmed subscriber completes the chain (search.pass).
void judge_alarm(const Account& account, const CisMonitoringControl& c, const Region& region,
                 const MetricAlarm& alarm, const MetricTransformation& m, Outcome base, Search& search) {
  base.evidence.set("alarm", alarm.name);
  base.evidence.set("alarm_threshold", alarm.threshold ? JsonValue(*alarm.threshold) : JsonValue());
  base.evidence.set("alarm_comparison", alarm.comparison_operator);
  if (!alarm.actions_enabled) {
    Outcome o = base;
    o.stage = Stage::kNoTopic;
    o.detail = fmt::format("alarm {} on metric {} has its actions disabled: it notifies nobody", alarm.name,
                           m.metric_name);
    o.command = fmt::format("aws cloudwatch enable-alarm-actions --region {} --alarm-names {}", region.name, alarm.name);
    search.fail(std::move(o));
    return;
  }
  bool any_topic = false;
  for (const Symbol& action : alarm.alarm_actions) {
    if (!action.view().starts_with("arn:aws:sns:") && !action.view().starts_with("arn:aws-")) continue;
    if (action.view().find(":sns:") == std::string_view::npos) continue;
    any_topic = true;
    Outcome o = base;
    o.evidence.set("sns_topic", action);
    const std::string topic_region = arn_region(action);
    const Region* tr = account.region(topic_region.empty() ? region.name.view() : std::string_view(topic_region));
    const std::vector<SnsSubscription>* subs = tr ? tr->sns_subscriptions_for(action) : nullptr;
    if (subs == nullptr) {
      const FanOutFailure* why = tr ? tr->fan_out_failure(Dataset::kSnsSubscriptions, action) : nullptr;
      o.detail = fmt::format("the subscriptions of topic {} (alarm {}) are unknown: sns list-subscriptions-by-topic {}",
                             action, alarm.name, why ? "failed: " + why->detail : std::string("was not collected"));
      search.not_known(std::move(o));
      continue;
    }
    std::vector<std::string> pending;
    for (const SnsSubscription& s : *subs) {
      if (s.confirmed()) {
        o.stage = Stage::kComplete;
        o.evidence.set("subscription", s.subscription_arn);
        o.evidence.set("protocol", s.protocol);
        o.detail = fmt::format("filter {} on {} feeds alarm {}, which notifies {} ({} subscriber {})",
                               base.evidence.get("metric_filter")->as_string(),
                               base.evidence.get("log_group")->as_string(), alarm.name, action, s.protocol, s.endpoint);
        if (!search.pass) search.pass = std::move(o);
        return;
      }
      pending.push_back(fmt::format("{} {} ({})", s.protocol, s.endpoint, s.subscription_arn));
    }
    o.stage = Stage::kNoSubscriber;
    o.detail = fmt::format("alarm {} notifies topic {}, which has no confirmed subscription{}", alarm.name, action,
                           pending.empty() ? std::string() : ": " + join_words(pending));
    o.command = fmt::format(
        "aws sns subscribe --region {} --topic-arn {} --protocol email --notification-endpoint <security-team@example.com>",
        topic_region.empty() ? region.name.str() : topic_region, action);
    search.fail(std::move(o));
  }
  if (!any_topic) {
    Outcome o = base;
    o.stage = Stage::kNoTopic;
    o.detail = fmt::format("alarm {} on metric {} has no SNS topic among its actions: it notifies nobody", alarm.name,
                           m.metric_name);
    o.command = alarm_command(c, region.name, m, known_good_topic(region));
    search.fail(std::move(o));
  }
}

void judge_log_group(const Account& account, const CisMonitoringControl& c, const AccountTrail& trail,
                     const LogGroupRef& group, Search& search) {
  Outcome base;
  base.region = group.region;
  base.evidence.set("trail", trail.trail->arn);
  base.evidence.set("log_group", group.name);
  base.evidence.set("log_group_region", group.region);
  const Region* region = account.region(group.region);
  if (region == nullptr || !region->has(Dataset::kMetricFilters)) {
    Outcome o = base;
    const Coverage* cov = region ? &region->covered(Dataset::kMetricFilters) : nullptr;
    o.detail = fmt::format("the metric filters of log group {} ({}) are unknown: logs describe-metric-filters {}",
                           group.name, group.region,
                           cov && cov->status == CoverageStatus::kError ? "failed: " + cov->detail
                                                                        : std::string("was not collected there"));
    search.not_known(std::move(o));
    return;
  }
  const std::string topic = known_good_topic(*region);
  bool any_covering = false;
  std::vector<std::string> near;
  for (const MetricFilter* f : region->metric_filters_on(group.name)) {
    Outcome o = base;
    o.evidence.set("metric_filter", f->name);
    o.evidence.set("filter_pattern", f->pattern);
    Expected<FilterPattern> parsed = parse_filter_pattern(f->pattern);
    if (!parsed) {
      o.detail = fmt::format("metric filter {} has a pattern fortress cannot read ({}); it may cover CIS {}",
                             f->name, parsed.error().message, c.control);
      search.not_known(std::move(o));
      continue;
    }
    const CoverageResult r = covers_cis_control(*parsed, c);
    if (r.verdict == CoverageVerdict::kUnknown) {
      o.detail = fmt::format("whether metric filter {} covers CIS {} {}", f->name, c.control, r.detail);
      search.not_known(std::move(o));
      continue;
    }
    if (r.verdict == CoverageVerdict::kNotCovered) {
      // Named only when it is aimed at this control (covers some of its alternatives, or shares a
      // condition with its pattern): a filter for other events is no near miss.
      if (r.conjuncts_covered > 0 || (!c.accepted().empty() && share_a_condition(*parsed, c.accepted().front()))) {
        near.push_back(fmt::format("{} (misses {})", f->name, r.detail));
      }
      continue;
    }
    any_covering = true;
    if (!region->has(Dataset::kMetricAlarms)) {
      const Coverage& cov = region->covered(Dataset::kMetricAlarms);
      o.detail = fmt::format("metric filter {} covers CIS {}, but the region's alarms are unknown: cloudwatch "
                             "describe-alarms {}",
                             f->name, c.control, cov.status == CoverageStatus::kError ? "failed: " + cov.detail
                                                                                     : std::string("was not collected"));
      search.not_known(std::move(o));
      continue;
    }
    for (const MetricTransformation& m : f->transformations) {
      Outcome mo = o;
      mo.evidence.set("metric", fmt::format("{}/{}", m.metric_namespace, m.metric_name));
      const auto alarms = region->alarms_on(m.metric_namespace, m.metric_name);
      if (alarms.empty()) {
        mo.stage = Stage::kNoAlarm;
        mo.detail = fmt::format("metric filter {} covers CIS {} but no alarm watches its metric {}/{}", f->name,
                                c.control, m.metric_namespace, m.metric_name);
        mo.command = alarm_command(c, region->name, m, topic);
        search.fail(std::move(mo));
        continue;
      }
      for (const MetricAlarm* alarm : alarms) judge_alarm(account, c, *region, *alarm, m, mo, search);
    }
  }
  if (!any_covering) {
    Outcome o = base;
    o.stage = Stage::kNoFilter;
    o.detail = near.empty()
                   ? fmt::format("no metric filter on log group {} watches {}", group.name, c.subject)
                   : fmt::format("no metric filter on log group {} covers every event of CIS {}: {}", group.name,
                                 c.control, join_words(near));
    o.evidence.set("filters_that_miss", JsonValue::strings(near));
    o.command = filter_command(c, group.region, group.name, topic);
    search.fail(std::move(o));
  }
}

void run_monitoring(const CisMonitoringControl& c, const ControlInfo& info, const CheckContext& ctx,
                    FindingSink& sink) {
  const Account& account = ctx.account;
  const Symbol resource = Symbol(fmt::format("CIS {}: {}", c.control, c.subject));
  if (!any_trail_list_collected(account)) {
    Finding& f = sink.not_assessed("", account.account_id, resource,
                                   "cloudtrail describe-trails was collected in no region: the trails that would "
                                   "feed the alarm are unknown");
    f.evidence.set("gaps", JsonValue::strings(trail_list_gaps(account)));
    return;
  }
  Search search;
  bool any_multi_region = false;
  for (const AccountTrail& a : account_trails(account)) {
    if (!a.trail->is_multi_region) continue;
    any_multi_region = true;
    Outcome base;
    base.region = a.home_region.str();
    base.evidence.set("trail", a.trail->arn);
    const std::optional<LogGroupRef> group = parse_log_group_arn(a.trail->cloudwatch_logs_log_group_arn);
    if (!group) {
      Outcome o = base;
      o.stage = Stage::kNoLogGroup;
      o.detail = fmt::format("multi-region trail {} does not deliver to CloudWatch Logs, so no metric filter can see "
                             "its events",
                             a.trail->name);
      o.command = fmt::format(
          "aws cloudtrail update-trail --region {0} --name {1} --cloud-watch-logs-log-group-arn "
          "arn:aws:logs:{0}:{2}:log-group:<cloudtrail-log-group>:* --cloud-watch-logs-role-arn <role-arn>",
          a.home_region, a.trail->arn, account.account_id);
      search.fail(std::move(o));
      continue;
    }
    // The trail must be recording what the control looks for.
    std::vector<std::string> unknown, wrong;
    if (!a.status) {
      unknown.push_back("whether it is logging (" + a.status_gap + ")");
    } else if (!a.status->is_logging) {
      wrong.push_back("is not logging");
    }
    if (!a.selectors) {
      unknown.push_back("which events it records (" + a.selectors_gap + ")");
    } else {
      const ManagementEventCoverage m = management_events(*a.selectors);
      if (!m.read_and_write()) wrong.push_back("does not record all management events, read and write");
      if (!info.source.empty() && m.excludes(info.source)) {
        wrong.push_back(fmt::format("excludes {} events, which CIS {} watches", info.source, c.control));
      }
    }
    if (!wrong.empty()) {
      Outcome o = base;
      o.stage = Stage::kTrailIncomplete;
      o.detail = fmt::format("multi-region trail {} {}", a.trail->name, join_words(wrong));
      if (a.status && !a.status->is_logging) {
        o.command = fmt::format("aws cloudtrail start-logging --region {} --name {}", a.home_region, a.trail->arn);
      } else {
        o.command = fmt::format(
            "aws cloudtrail put-event-selectors --region {} --trail-name {} --advanced-event-selectors "
            "'[{{\"Name\":\"Management events\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}}]}}]'",
            a.home_region, a.trail->arn);
      }
      search.fail(std::move(o));
      continue;
    }
    // A trail whose status or selectors are unknown is still followed: if its chain breaks later the
    // FAIL stands whatever the trail does; if the chain is whole, the unknown keeps it from a PASS.
    Search inner;
    judge_log_group(account, c, a, *group, inner);
    if (inner.pass && unknown.empty()) search.pass = std::move(inner.pass);
    if (inner.pass && !unknown.empty()) {
      Outcome o = *inner.pass;
      o.stage = Stage::kNoTrail;
      o.detail = fmt::format("{}; but for multi-region trail {} fortress could not tell {}", inner.pass->detail,
                             a.trail->name, join_words(unknown));
      search.not_known(std::move(o));
    }
    if (inner.unknown) search.not_known(std::move(*inner.unknown));
    if (inner.best_fail) search.fail(std::move(*inner.best_fail));
    if (search.pass) break;
  }

  if (search.pass) {
    Finding& f = sink.pass(Symbol(search.pass->region), account.account_id, resource, search.pass->detail);
    f.evidence = search.pass->evidence;
    return;
  }
  if (search.unknown) {
    Finding& f = sink.not_assessed(Symbol(search.unknown->region), account.account_id, resource, search.unknown->detail);
    f.evidence = search.unknown->evidence;
    return;
  }
  Outcome o = search.best_fail ? std::move(*search.best_fail) : Outcome{};
  if (!any_multi_region) {
    o.stage = Stage::kNoTrail;
    o.detail = fmt::format("no multi-region trail: nothing feeds an alarm on {} (see cloudtrail-multi-region)", c.subject);
    o.command = "aws cloudtrail create-trail --name management-events --s3-bucket-name <your-cloudtrail-bucket> "
                "--is-multi-region-trail --cloud-watch-logs-log-group-arn <log-group-arn> "
                "--cloud-watch-logs-role-arn <role-arn>";
  }
  Finding& f = sink.fail(Symbol(o.region), account.account_id, resource, o.detail);
  f.evidence = o.evidence;
  f.remediation_cli = o.command;
}

// One CheckFunction per control (a check is a plain function pointer).
template <size_t I>
void run_control(const CheckContext& ctx, FindingSink& sink) {
  run_monitoring(cis_monitoring_controls()[I], kControls[I], ctx, sink);
}

template <size_t... I>
constexpr std::array<CheckFunction, sizeof...(I)> runners(std::index_sequence<I...>) {
  return {&run_control<I>...};
}

// Texts composed once per control; the metadata's string_views point into them for the whole run.
struct ControlTexts {
  std::string title, rationale, remediation_cli;
};
const ControlTexts& texts(size_t i) {
  static const std::deque<ControlTexts> all = [] {
    std::deque<ControlTexts> out;
    for (size_t i = 0; i < kControls.size(); ++i) {
      const CisMonitoringControl& c = cis_monitoring_controls()[i];
      ControlTexts t;
      t.title = fmt::format("No CloudWatch alarm for {} (CIS {})", c.subject, c.control);
      t.rationale = fmt::format(
          "{} CIS {} asks for a metric filter on the CloudWatch Logs group of a multi-region trail that is logging "
          "and records every management event, an alarm on its metric, and an SNS topic with a confirmed "
          "subscriber. fortress decides from the filter's meaning, not its spelling, whether it alerts on every "
          "event of the CIS pattern{}: reordered, re-quoted or wider patterns pass, a dropped event name or an "
          "extra narrowing condition does not, and a pattern whose behaviour CloudWatch does not document is "
          "NOT_ASSESSED.{}{}",
          kControls[i].why, c.control,
          c.event_source.empty() ? std::string() : fmt::format(" (or its form scoped to {})", c.event_source),
          c.note.empty() ? "" : " ", c.note);
      t.remediation_cli = fmt::format(
          "aws logs put-metric-filter --region {{region}} --log-group-name {{log_group}} --filter-name {0} "
          "--metric-transformations metricName={0},metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{1}' "
          "&& aws cloudwatch put-metric-alarm --region {{region}} --alarm-name {0}_alarm --metric-name {0} "
          "--namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator "
          "GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions {{sns_topic_arn}}",
          c.metric_name, c.recommended);
      out.push_back(std::move(t));
    }
    return out;
  }();
  return all[i];
}

}  // namespace

Check cis_monitoring_check(std::string_view control) {
  static constexpr auto kRunners = runners(std::make_index_sequence<kControls.size()>{});
  size_t i = 0;
  while (i + 1 < kControls.size() && kControls[i].control != control) ++i;
  const ControlInfo& info = kControls[i];  // an unknown control is a programming error: the registry test names all 15
  const ControlTexts& t = texts(i);
  return Check{
      CheckMetadata{
          .id = info.id,
          .title = t.title,
          .severity = info.severity,
          .area = info.area,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = info.control,
          .rationale = t.rationale,
          .remediation =
              "Create the metric filter on the trail's log group with the CIS pattern, an alarm on its metric, "
              "and point the alarm at an SNS topic someone is subscribed to (one topic can serve every CIS "
              "alarm). The finding's command fills in the log group and, when the region has one, a topic "
              "with a confirmed subscriber.",
          .remediation_cli = t.remediation_cli,
          .links = {"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html",
                    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html",
                    "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html"},
      },
      kRunners[i],
  };
}

}  // namespace fortress
