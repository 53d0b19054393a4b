// The indexes and helpers of the services beyond EC2: Region::build_service_index() and its
// lookups, IamData's, and the small derived answers of the model types.
#include <algorithm>

#include "model/service_index.h"

namespace fortress {

namespace {

template <typename Map>
auto find_or_null(const Map& map, std::string_view key) -> typename Map::mapped_type {
  auto it = map.find(key);
  return it == map.end() ? nullptr : it->second;
}

template <typename Map>
auto find_span(const Map& map, std::string_view key) -> std::span<const typename Map::mapped_type::value_type> {
  auto it = map.find(key);
  if (it == map.end()) return {};
  return {it->second.data(), it->second.size()};
}

template <typename T, typename Map, typename Key>
void index_by(const std::vector<T>& items, Map& out, Key key) {
  out.reserve(items.size());
  for (const T& item : items) {
    std::string_view k = key(item);
    if (!k.empty()) out.emplace(k, &item);  // first wins
  }
}

}  // namespace

void Region::build_service_index() {
  service_index_ = std::make_unique<ServiceIndex>();
  ServiceIndex& ix = *service_index_;
  index_by(load_balancers, ix.load_balancers, [](const LoadBalancer& x) -> std::string_view { return x.arn; });
  for (const LoadBalancer& lb : load_balancers) {
    if (!lb.listeners) continue;
    for (const Listener& l : *lb.listeners) ix.listeners.emplace(l.arn, &l);
  }
  index_by(target_groups, ix.target_groups, [](const TargetGroup& x) -> std::string_view { return x.arn; });
  for (const TargetGroup& tg : target_groups) {
    for (const Symbol& lb : tg.load_balancer_arns) ix.target_groups_by_load_balancer[lb].push_back(&tg);
    if (!tg.targets) continue;
    for (const TargetHealthDescription& t : *tg.targets) {
      std::vector<const TargetGroup*>& groups = ix.target_groups_by_target[t.target_id];
      if (groups.empty() || groups.back() != &tg) groups.push_back(&tg);
    }
  }
  index_by(trails, ix.trails_by_arn, [](const Trail& x) -> std::string_view { return x.arn; });
  index_by(trails, ix.trails_by_name, [](const Trail& x) -> std::string_view { return x.name; });
  index_by(guardduty_detectors, ix.detectors, [](const GuardDutyDetector& x) -> std::string_view { return x.id; });
  index_by(ssm_instances, ix.ssm_instances, [](const SsmInstance& x) -> std::string_view { return x.instance_id; });
  index_by(auto_scaling_instances, ix.auto_scaling_instances,
           [](const AutoScalingInstance& x) -> std::string_view { return x.instance_id; });
  for (const ComplianceSummary& c : compliance_summaries) ix.compliance_by_resource[c.resource_id].push_back(&c);
  for (const MetricFilter& f : metric_filters) ix.metric_filters_by_log_group[f.log_group_name].push_back(&f);
  for (const MetricAlarm& a : metric_alarms) {
    ix.alarms_by_metric[a.metric_namespace + "\n" + std::string(a.metric_name.view())].push_back(&a);
  }
  index_by(sns_topics, ix.sns_topics, [](const SnsTopicSubscriptions& t) -> std::string_view { return t.topic_arn; });
}

std::span<const MetricFilter* const> Region::metric_filters_on(std::string_view log_group_name) const {
  return find_span(service_index_->metric_filters_by_log_group, log_group_name);
}
std::span<const MetricAlarm* const> Region::alarms_on(std::string_view metric_namespace,
                                                     std::string_view metric_name) const {
  auto it = service_index_->alarms_by_metric.find(std::string(metric_namespace) + "\n" + std::string(metric_name));
  if (it == service_index_->alarms_by_metric.end()) return {};
  return {it->second.data(), it->second.size()};
}
const std::vector<SnsSubscription>* Region::sns_subscriptions_for(std::string_view topic_arn) const {
  const SnsTopicSubscriptions* t = find_or_null(service_index_->sns_topics, topic_arn);
  return t == nullptr ? nullptr : &t->subscriptions;
}

const LoadBalancer* Region::load_balancer(std::string_view arn) const {
  return find_or_null(service_index_->load_balancers, arn);
}
const Listener* Region::listener(std::string_view arn) const { return find_or_null(service_index_->listeners, arn); }
const TargetGroup* Region::target_group(std::string_view arn) const {
  return find_or_null(service_index_->target_groups, arn);
}
std::span<const TargetGroup* const> Region::target_groups_of(std::string_view load_balancer_arn) const {
  return find_span(service_index_->target_groups_by_load_balancer, load_balancer_arn);
}
std::span<const TargetGroup* const> Region::target_groups_with_target(std::string_view target_id) const {
  return find_span(service_index_->target_groups_by_target, target_id);
}
const Trail* Region::trail(std::string_view arn_or_name) const {
  if (const Trail* t = find_or_null(service_index_->trails_by_arn, arn_or_name)) return t;
  return find_or_null(service_index_->trails_by_name, arn_or_name);
}
const GuardDutyDetector* Region::guardduty_detector(std::string_view id) const {
  return find_or_null(service_index_->detectors, id);
}
const SsmInstance* Region::ssm_instance(std::string_view instance_id) const {
  return find_or_null(service_index_->ssm_instances, instance_id);
}
const AutoScalingInstance* Region::auto_scaling_instance(std::string_view instance_id) const {
  return find_or_null(service_index_->auto_scaling_instances, instance_id);
}
std::span<const ComplianceSummary* const> Region::compliance_for(std::string_view resource_id) const {
  return find_span(service_index_->compliance_by_resource, resource_id);
}
const FanOutFailure* Region::fan_out_failure(Dataset dataset, std::string_view id) const {
  for (const FanOutFailure& f : fan_out_failures) {
    if (f.dataset == dataset && f.id == id) return &f;
  }
  return nullptr;
}

// ---- model helpers ----------------------------------------------------------------------------

bool EventSelectors::logs_all_management_events() const {
  for (const EventSelector& s : basic) {
    bool all = s.read_write_type.empty() || s.read_write_type == "All";
    if (s.include_management_events && all && s.exclude_management_event_sources.empty()) return true;
  }
  for (const AdvancedEventSelector& s : advanced) {
    bool management = false;
    bool narrowed = false;
    for (const AdvancedFieldSelector& f : s.field_selectors) {
      if (f.field == "eventCategory") {
        management = f.equals.size() == 1 && f.equals[0] == "Management" && f.starts_with.empty() &&
                     f.ends_with.empty() && f.not_equals.empty() && f.not_starts_with.empty() &&
                     f.not_ends_with.empty();
        if (!management) break;
      } else {
        narrowed = true;  // readOnly, eventSource, ...: only part of the management events
      }
    }
    if (management && !narrowed) return true;
  }
  return false;
}

Symbol GuardDutyDetectorDetails::feature_status(std::string_view feature) const {
  for (const GuardDutyFeature& f : features) {
    if (f.name == feature) return f.status;
  }
  return {};
}

Symbol GuardDutyDetectorDetails::ebs_malware_protection_status() const {
  Symbol s = feature_status("EBS_MALWARE_PROTECTION");
  return s.empty() ? malware_protection_ebs_status : s;
}

const PolicyVersion* ManagedPolicy::default_version() const {
  for (const PolicyVersion& v : versions) {
    if (v.is_default) return &v;
  }
  for (const PolicyVersion& v : versions) {
    if (v.version_id == default_version_id) return &v;
  }
  return nullptr;
}

const CredentialReportRow* CredentialReport::root() const {
  for (const CredentialReportRow& r : rows) {
    if (r.is_root()) return &r;
  }
  return nullptr;
}

// ---- IamData ----------------------------------------------------------------------------------

void IamData::build_index() {
  auto sv = [](const Symbol& s) -> std::string_view { return s; };
  users_by_name_.clear();
  users_by_arn_.clear();
  groups_by_name_.clear();
  roles_by_name_.clear();
  roles_by_arn_.clear();
  roles_by_profile_.clear();
  policies_by_arn_.clear();
  rows_by_user_.clear();
  mfa_by_user_.clear();
  index_by(users, users_by_name_, [&](const IamUser& u) { return sv(u.name); });
  index_by(users, users_by_arn_, [&](const IamUser& u) { return sv(u.arn); });
  index_by(groups, groups_by_name_, [&](const IamGroup& g) { return sv(g.name); });
  index_by(roles, roles_by_name_, [&](const IamRole& r) { return sv(r.name); });
  index_by(roles, roles_by_arn_, [&](const IamRole& r) { return sv(r.arn); });
  for (const IamRole& r : roles) {
    for (const InstanceProfile& p : r.instance_profiles) roles_by_profile_.emplace(p.arn, &r);
  }
  index_by(policies, policies_by_arn_, [&](const ManagedPolicy& p) { return sv(p.arn); });
  if (credential_report) {
    index_by(credential_report->rows, rows_by_user_, [&](const CredentialReportRow& r) { return sv(r.user); });
  }
  index_by(virtual_mfa_devices, mfa_by_user_, [&](const VirtualMfaDevice& d) { return sv(d.user_arn); });
}

const IamUser* IamData::user(std::string_view name) const { return find_or_null(users_by_name_, name); }
const IamUser* IamData::user_by_arn(std::string_view arn) const { return find_or_null(users_by_arn_, arn); }
const IamGroup* IamData::group(std::string_view name) const { return find_or_null(groups_by_name_, name); }
const IamRole* IamData::role(std::string_view name) const { return find_or_null(roles_by_name_, name); }
const IamRole* IamData::role_by_arn(std::string_view arn) const { return find_or_null(roles_by_arn_, arn); }
const ManagedPolicy* IamData::policy(std::string_view arn) const { return find_or_null(policies_by_arn_, arn); }
const IamRole* IamData::role_for_instance_profile(std::string_view arn) const {
  return find_or_null(roles_by_profile_, arn);
}
const CredentialReportRow* IamData::credential_row(std::string_view user) const {
  return find_or_null(rows_by_user_, user);
}
const VirtualMfaDevice* IamData::virtual_mfa_for(std::string_view user_arn) const {
  return find_or_null(mfa_by_user_, user_arn);
}

std::optional<int64_t> IamData::summary(std::string_view key) const {
  if (!account_summary) return std::nullopt;
  auto it = account_summary->find(std::string(key));
  if (it == account_summary->end()) return std::nullopt;
  return it->second;
}

RootMfa IamData::root_mfa(bool mfa_devices_collected) const {
  if (!credential_report) return RootMfa::kUnknown;
  const CredentialReportRow* root = credential_report->root();
  if (root == nullptr || root->mfa_active.cell != ReportCell::kValue) return RootMfa::kUnknown;
  if (!root->mfa_active.value) return RootMfa::kNone;
  if (!mfa_devices_collected) return RootMfa::kUnknown;
  bool virtual_device = std::any_of(virtual_mfa_devices.begin(), virtual_mfa_devices.end(),
                                    [](const VirtualMfaDevice& d) { return d.assigned_to_root(); });
  return virtual_device ? RootMfa::kVirtual : RootMfa::kHardware;
}

}  // namespace fortress
