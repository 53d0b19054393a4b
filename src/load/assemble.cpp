// Merging per-file results into one Account, in sorted path order: coverage, duplicates, the
// security-group-rules overlay, prefix-list entries, regions the account enabled but the snapshot
// lacks, and the account ID.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "load/kinds.h"
#include "load/loader.h"
#include "util/parallel.h"

namespace fortress::load {

namespace {

using Level = LoadDiagnostic::Level;
using Diagnostics = std::vector<LoadDiagnostic>;

void mark_ok(Coverage& c, std::string_view file) {
  if (c.status == CoverageStatus::kError) return;  // an error anywhere wins
  if (c.status == CoverageStatus::kOk) {
    c.detail += ", ";
    c.detail += file;
  } else {
    c.status = CoverageStatus::kOk;
    c.detail = std::string(file);
  }
}

void mark_error(Coverage& c, std::string_view detail) {
  if (c.status == CoverageStatus::kError) {
    c.detail += "; ";
    c.detail += detail;
  } else {
    c.status = CoverageStatus::kError;
    c.detail = std::string(detail);
  }
}

class Assembler {
 public:
  Assembler(std::vector<std::string> paths, std::vector<FileResult> results, unsigned threads)
      : paths_(std::move(paths)), results_(std::move(results)), threads_(threads) {}

  LoadResult run() {
    for (size_t i = 0; i < results_.size(); ++i) take_file(i);
    // Regions are assembled side by side (each reads only its own files), their diagnostics joined
    // in region order.
    std::vector<std::pair<Region*, std::vector<FileResult*>*>> regions;
    for (auto& [name, files] : files_by_region_) regions.push_back({&staged_region(name), &files});
    std::vector<Diagnostics> diagnostics(regions.size());
    parallel_for(regions.size(), threads_,
                 [&](size_t k) { assemble_region(diagnostics[k], *regions[k].first, *regions[k].second); });
    for (Diagnostics& d : diagnostics) std::move(d.begin(), d.end(), std::back_inserter(result_.diagnostics));
    dedupe_account_wide();
    add_enabled_regions();
    for (auto& [name, region] : regions_) account().regions.push_back(std::move(region));
    account().account_id = account_id();
    account().files = std::move(paths_);
    account().finalize(threads_);
    return std::move(result_);
  }

 private:
  Account& account() { return result_.account; }

  Region& staged_region(const std::string& name) {
    auto [it, inserted] = regions_.try_emplace(name);
    if (inserted) it->second.name = name;
    return it->second;
  }

  Coverage& coverage_of(const FileResult& file, Dataset dataset) {
    if (dataset_info(dataset).account_wide) return account().global_coverage[size_t(dataset)];
    return staged_region(file.region).coverage[size_t(dataset)];
  }

  // Coverage and account-wide data of one file, in path order; regional data is gathered per region.
  void take_file(size_t index) {
    FileResult& file = results_[index];
    const std::string& path = paths_[index];
    std::move(file.diagnostics.begin(), file.diagnostics.end(), std::back_inserter(result_.diagnostics));
    file.diagnostics.clear();
    if (!file.region.empty()) staged_region(file.region);  // the folder exists, so the region shows

    switch (file.outcome) {
      case FileOutcome::kUnknownKind:
        result_.unknown_files.push_back(path);
        return;
      case FileOutcome::kEmpty:
      case FileOutcome::kMisplaced:
        return;
      case FileOutcome::kRecognized:
        ++result_.files_loaded;
        return;
      case FileOutcome::kFailed:
        if (file.dataset && (!file.region.empty() || dataset_info(*file.dataset).account_wide)) {
          mark_error(coverage_of(file, *file.dataset), file.failure);
          if (!file.fan_out_id.empty() && !file.region.empty()) {
            staged_region(file.region).fan_out_failures.push_back({*file.dataset, Symbol(file.fan_out_id), file.failure});
          }
        }
        return;
      case FileOutcome::kCollectionError:
        ++result_.files_loaded;
        if (recorded_account_id_.empty()) recorded_account_id_ = file.collection_error.account_id;
        if (file.dataset) {
          std::string detail = collection_error_detail(file, path);
          mark_error(coverage_of(file, *file.dataset), detail);
          if (!file.fan_out_id.empty() && !dataset_info(*file.dataset).account_wide) {
            staged_region(file.region).fan_out_failures.push_back({*file.dataset, Symbol(file.fan_out_id), detail});
          }
        }
        return;
      case FileOutcome::kLoaded:
        break;
    }
    ++result_.files_loaded;
    Dataset dataset = *file.dataset;
    if (dataset == Dataset::kPrefixListEntries && file.prefix_list_id.empty()) return;  // warned already
    if (dataset != Dataset::kPrefixListEntries && fan_out_kind(dataset) != nullptr && file.fan_out_id.empty()) {
      return;  // a fan-out file whose parent could not be told: warned already
    }
    Coverage& coverage = coverage_of(file, dataset);
    mark_ok(coverage, path);
    if (file.skipped_elements > 0) {
      mark_error(coverage, fmt::format("{}: {} of {} elements skipped for a wrong shape (see warnings)", path,
                                       file.skipped_elements, file.elements_seen));
    }
    switch (dataset) {
      case Dataset::kCallerIdentity:
        if (account().caller_identity) {
          warn(path, "another get-caller-identity output; kept the first");
        } else {
          account().caller_identity = std::move(file.caller_identity);
        }
        return;
      case Dataset::kRegions:
        if (account().enabled_regions) {
          warn(path, "another describe-regions output; kept the first");
        } else {
          account().enabled_regions = std::move(file.enabled_regions);
        }
        return;
      case Dataset::kAccountAuthorizationDetails:
        append(account().iam.users, file.iam.users);
        append(account().iam.groups, file.iam.groups);
        append(account().iam.roles, file.iam.roles);
        append(account().iam.policies, file.iam.policies);
        return;
      case Dataset::kVirtualMfaDevices:
        append(account().iam.virtual_mfa_devices, file.iam.virtual_mfa_devices);
        return;
      case Dataset::kOrganizationAccounts:
        append(account().organization_accounts, file.organization_accounts);
        return;
      case Dataset::kCredentialReport:
        keep_first(account().iam.credential_report, file.iam.credential_report, path, "get-credential-report");
        return;
      case Dataset::kAccountSummary:
        keep_first(account().iam.account_summary, file.iam.account_summary, path, "get-account-summary");
        return;
      case Dataset::kAccountPasswordPolicy:
        keep_first(account().iam.password_policy, file.iam.password_policy, path, "get-account-password-policy");
        return;
      default:
        files_by_region_[file.region].push_back(&file);
        return;
    }
  }

  template <typename T>
  static void append(std::vector<T>& out, std::vector<T>& in) {
    if (out.empty()) {
      out = std::move(in);
    } else {
      std::move(in.begin(), in.end(), std::back_inserter(out));
    }
    in = std::vector<T>();
  }

  template <typename T>
  void keep_first(std::optional<T>& out, std::optional<T>& in, std::string_view path, std::string_view command) {
    if (!in) return;
    if (out) {
      warn(path, fmt::format("another {} output; kept the first", command));
      return;
    }
    out = std::move(in);
  }

  // Account-wide lists merged from several files (paginated exports): one element per ID.
  void dedupe_account_wide() {
    IamData& iam = account().iam;
    auto arn = [](const auto& item) -> std::string_view { return item.arn; };
    auto source = [](const auto& item) { return item.source; };
    drop_duplicates(result_.diagnostics, iam.users, "IAM user", arn, source);
    drop_duplicates(result_.diagnostics, iam.groups, "IAM group", arn, source);
    drop_duplicates(result_.diagnostics, iam.roles, "IAM role", arn, source);
    drop_duplicates(result_.diagnostics, iam.policies, "managed policy", arn, source);
    drop_duplicates(result_.diagnostics, 
        iam.virtual_mfa_devices, "virtual MFA device",
        [](const VirtualMfaDevice& d) -> std::string_view { return d.serial_number; }, source);
    drop_duplicates(result_.diagnostics, 
        account().organization_accounts, "organization account",
        [](const OrganizationAccount& a) -> std::string_view { return a.id; }, source);
  }

  static std::string collection_error_detail(const FileResult& file, const std::string& path) {
    const CollectionErrorRecord& r = file.collection_error;
    std::string list = r.prefix_list_id.empty() ? "" : fmt::format("prefix list {}: ", r.prefix_list_id);
    if (list.empty() && !file.fan_out_id.empty()) list = fmt::format("{}: ", file.fan_out_id);
    return fmt::format("{}{}: {} ({})", list, r.error_code.empty() ? "collection failed" : r.error_code, r.message,
                       path);
  }

  void warn(std::string_view path, std::string message) { warn(result_.diagnostics, path, std::move(message)); }
  static void warn(Diagnostics& diags, std::string_view path, std::string message) {
    diags.push_back({Level::kWarning, std::string(path), 0, std::move(message)});
  }

  // ---- one region ------------------------------------------------------------------------------

  template <typename T>
  static void gather(Region& region, const std::vector<FileResult*>& files, std::vector<T> Region::*member) {
    std::vector<T>& out = region.*member;
    size_t total = out.size();
    for (const FileResult* f : files) total += (f->data.*member).size();
    if (total == 0) return;
    out.reserve(total);
    for (FileResult* f : files) {
      std::vector<T>& in = f->data.*member;
      if (out.empty()) {
        out = std::move(in);
        out.reserve(total);
      } else {
        std::move(in.begin(), in.end(), std::back_inserter(out));
      }
      in = std::vector<T>();
    }
  }

  void assemble_region(Diagnostics& diags, Region& region, std::vector<FileResult*>& files) {
    gather(region, files, &Region::vpcs);
    gather(region, files, &Region::subnets);
    gather(region, files, &Region::security_groups);
    gather(region, files, &Region::network_interfaces);
    gather(region, files, &Region::instances);
    gather(region, files, &Region::route_tables);
    gather(region, files, &Region::network_acls);
    gather(region, files, &Region::internet_gateways);
    gather(region, files, &Region::egress_only_internet_gateways);
    gather(region, files, &Region::nat_gateways);
    gather(region, files, &Region::flow_logs);
    gather(region, files, &Region::peering_connections);
    gather(region, files, &Region::prefix_lists);

    auto id = [](const auto& item) -> std::string_view { return item.id; };
    auto source = [](const auto& item) { return item.source; };
    drop_duplicates(diags, region.vpcs, "VPC", id, source);
    drop_duplicates(diags, region.subnets, "subnet", id, source);
    drop_duplicates(diags, region.security_groups, "security group", id, source);
    drop_duplicates(diags, region.network_interfaces, "network interface", id, source);
    drop_duplicates(diags, region.instances, "instance", id, source);
    drop_duplicates(diags, region.route_tables, "route table", id, source);
    drop_duplicates(diags, region.network_acls, "network ACL", id, source);
    drop_duplicates(diags, region.internet_gateways, "internet gateway", id, source);
    drop_duplicates(diags, region.egress_only_internet_gateways, "egress-only internet gateway", id, source);
    drop_duplicates(diags, region.nat_gateways, "NAT gateway", id, source);
    drop_duplicates(diags, region.flow_logs, "flow log", id, source);
    drop_duplicates(diags, region.peering_connections, "VPC peering connection", id, source);

    overlay_security_group_rules(diags, region, files);
    merge_prefix_lists(diags, region, files);
    assemble_services(diags, region, files);
  }

  // ---- services beyond EC2 ---------------------------------------------------------------------

  void assemble_services(Diagnostics& diags, Region& region, std::vector<FileResult*>& files) {
    gather(region, files, &Region::load_balancers);
    gather(region, files, &Region::target_groups);
    gather(region, files, &Region::trails);
    gather(region, files, &Region::configuration_recorders);
    gather(region, files, &Region::guardduty_detectors);
    gather(region, files, &Region::inspector_accounts);
    gather(region, files, &Region::access_analyzers);
    gather(region, files, &Region::ssm_instances);
    gather(region, files, &Region::compliance_summaries);
    gather(region, files, &Region::auto_scaling_instances);
    gather(region, files, &Region::metric_filters);
    gather(region, files, &Region::metric_alarms);

    auto source = [](const auto& item) { return item.source; };
    auto arn = [](const auto& item) -> std::string_view { return item.arn; };
    drop_duplicates(diags, region.load_balancers, "load balancer", arn, source);
    drop_duplicates(diags, region.target_groups, "target group", arn, source);
    drop_duplicates(diags, region.trails, "trail", arn, source);
    drop_duplicates(diags, region.access_analyzers, "analyzer", arn, source);
    drop_duplicates(diags, 
        region.configuration_recorders, "configuration recorder",
        [](const ConfigurationRecorder& r) -> std::string_view { return r.name; }, source);
    drop_duplicates(diags, 
        region.guardduty_detectors, "detector", [](const GuardDutyDetector& d) -> std::string_view { return d.id; },
        source);
    drop_duplicates(diags, 
        region.inspector_accounts, "Inspector account status",
        [](const InspectorAccountStatus& a) -> std::string_view { return a.account_id; }, source);
    drop_duplicates(diags, 
        region.ssm_instances, "managed instance",
        [](const SsmInstance& i) -> std::string_view { return i.instance_id; }, source);
    drop_duplicates(diags, 
        region.compliance_summaries, "compliance summary",
        [](const ComplianceSummary& c) { return c.resource_id + "/" + std::string(c.compliance_type.view()); },
        source);
    drop_duplicates(diags, 
        region.auto_scaling_instances, "Auto Scaling instance",
        [](const AutoScalingInstance& a) -> std::string_view { return a.instance_id; }, source);

    drop_duplicates(diags, 
        region.metric_filters, "metric filter",
        [](const MetricFilter& f) { return f.log_group_name + "/" + std::string(f.name.view()); }, source);
    drop_duplicates(diags, region.metric_alarms, "metric alarm", arn, source);
    collect_sns_topics(diags, region, files);

    attach_listeners(diags, region, files);
    attach_children(diags, region, files, Dataset::kTargetHealth, "target health",
                    [&](std::string_view id) { return find_arn(region.target_groups, id); },
                    [](TargetGroup& tg, FileResult& f) -> bool {
                      if (tg.targets) return false;
                      tg.targets = std::move(f.target_health);
                      return true;
                    });
    attach_children(diags, region, files, Dataset::kTrailStatus, "trail status",
                    [&](std::string_view id) { return find_trail(region, id); },
                    [](Trail& t, FileResult& f) -> bool {
                      if (t.status) return false;
                      t.status = std::move(f.trail_status);
                      return true;
                    });
    attach_children(diags, region, files, Dataset::kEventSelectors, "event selectors",
                    [&](std::string_view id) { return find_trail(region, id); },
                    [](Trail& t, FileResult& f) -> bool {
                      if (t.event_selectors) return false;
                      t.event_selectors = std::move(f.event_selectors);
                      return true;
                    });
    attach_children(diags, region, files, Dataset::kGuardDutyDetector, "detector details",
                    [&](std::string_view id) -> GuardDutyDetector* {
                      for (GuardDutyDetector& d : region.guardduty_detectors) {
                        if (d.id == id) return &d;
                      }
                      return nullptr;
                    },
                    [](GuardDutyDetector& d, FileResult& f) -> bool {
                      if (d.details) return false;
                      d.details = std::move(f.detector);
                      return true;
                    });
    attach_recorder_statuses(diags, region, files);
    settle_empty_fan_outs(region);
  }

  // A fan-out dataset has one file per parent resource, so a region without parents has no file of
  // it -- which is "collected: nothing to ask about", not "missing", once the parents' list itself
  // was collected and is empty (no load balancer, hence no listeners). Missing parents, or parents
  // without their files, stay missing.
  static void settle_empty_fan_outs(Region& region) {
    auto sns_topics = [&] {  // alarm actions of the form arn:<partition>:sns:...
      size_t n = 0;
      for (const MetricAlarm& a : region.metric_alarms) {
        for (const Symbol& action : a.alarm_actions) {
          std::string_view arn = action.view();
          if (!arn.starts_with("arn:")) continue;
          const size_t service = arn.find(':', 4);
          n += service != std::string_view::npos && arn.substr(service + 1).starts_with("sns:");
        }
      }
      return n;
    };
    struct FanOut {
      Dataset dataset, parent;
      size_t parents;
      std::string_view what;
    };
    const FanOut fan_outs[] = {
        {Dataset::kListeners, Dataset::kLoadBalancers, region.load_balancers.size(), "load balancer"},
        {Dataset::kTargetHealth, Dataset::kTargetGroups, region.target_groups.size(), "target group"},
        {Dataset::kTrailStatus, Dataset::kTrails, region.trails.size(), "trail"},
        {Dataset::kEventSelectors, Dataset::kTrails, region.trails.size(), "trail"},
        {Dataset::kGuardDutyDetector, Dataset::kGuardDutyDetectors, region.guardduty_detectors.size(), "detector"},
        {Dataset::kPrefixListEntries, Dataset::kPrefixLists, region.prefix_lists.size(), "prefix list"},
        {Dataset::kSnsSubscriptions, Dataset::kMetricAlarms, sns_topics(), "SNS topic an alarm notifies"},
    };
    for (const FanOut& f : fan_outs) {
      Coverage& c = region.coverage[size_t(f.dataset)];
      if (c.status != CoverageStatus::kMissing || !region.coverage[size_t(f.parent)].ok() || f.parents != 0) continue;
      c.status = CoverageStatus::kOk;
      c.detail = fmt::format("nothing to collect: no {} in {}", f.what, dataset_name(f.parent));
    }
  }

  template <typename T>
  static T* find_arn(std::vector<T>& items, std::string_view arn) {
    for (T& item : items) {
      if (item.arn == arn) return &item;
    }
    return nullptr;
  }

  // get-trail-status and get-event-selectors take an ARN or a name.
  static Trail* find_trail(Region& region, std::string_view id) {
    if (Trail* t = find_arn(region.trails, id)) return t;
    for (Trail& t : region.trails) {
      if (t.name == id) return &t;
    }
    return nullptr;
  }

  // One fan-out file per parent: `set(parent, file)` moves the file's data in, false when the
  // parent already has it (from an earlier file, in path order: kept).
  template <typename Find, typename Set>
  void attach_children(Diagnostics& diags, Region& region, std::vector<FileResult*>& files, Dataset dataset, std::string_view what,
                       Find find, Set set) {
    size_t orphans = 0;
    std::string example;
    for (FileResult* f : files) {
      if (f->dataset != dataset || f->outcome != FileOutcome::kLoaded || f->fan_out_id.empty()) continue;
      uint32_t source = uint32_t(f - results_.data());
      auto* parent = find(f->fan_out_id);
      if (parent == nullptr) {
        if (orphans++ == 0) example = f->fan_out_id;
        continue;
      }
      if (!set(*parent, *f)) {
        warn(diags, path_of(source), fmt::format("{} of {} already loaded from another file; kept the first", what,
                                          f->fan_out_id));
      }
    }
    if (orphans > 0) {
      diags.push_back(
          {Level::kInfo, "", 0,
           fmt::format("{}: {} of {} resource(s) not in {} ({}{}); not used", region.name, what, orphans,
                       parent_dataset_name(dataset), example, orphans > 1 ? ", ..." : "")});
    }
  }

  static std::string parent_dataset_name(Dataset child) {
    switch (child) {
      case Dataset::kListeners:
        return dataset_name(Dataset::kLoadBalancers);
      case Dataset::kTargetHealth:
        return dataset_name(Dataset::kTargetGroups);
      case Dataset::kTrailStatus:
      case Dataset::kEventSelectors:
        return dataset_name(Dataset::kTrails);
      case Dataset::kGuardDutyDetector:
        return dataset_name(Dataset::kGuardDutyDetectors);
      default:
        return dataset_name(child);
    }
  }

  // describe-listeners: each listener names its load balancer. A file marks the load balancer it
  // was collected for as "listeners known" even when it lists none.
  void attach_listeners(Diagnostics& diags, Region& region, std::vector<FileResult*>& files) {
    std::vector<Listener> listeners;
    for (FileResult* f : files) {
      if (f->dataset != Dataset::kListeners || f->outcome != FileOutcome::kLoaded) continue;
      if (LoadBalancer* lb = find_arn(region.load_balancers, f->fan_out_id); lb != nullptr && !lb->listeners) {
        lb->listeners.emplace();
      }
      append(listeners, f->listeners);
    }
    if (listeners.empty()) return;
    drop_duplicates(diags, 
        listeners, "listener", [](const Listener& l) -> std::string_view { return l.arn; },
        [](const Listener& l) { return l.source; });
    size_t orphans = 0;
    for (Listener& l : listeners) {
      LoadBalancer* lb = find_arn(region.load_balancers, l.load_balancer_arn);
      if (lb == nullptr) {
        ++orphans;
        continue;
      }
      if (!lb->listeners) lb->listeners.emplace();
      lb->listeners->push_back(std::move(l));
    }
    if (orphans > 0) {
      diags.push_back(
          {Level::kInfo, "", 0,
           fmt::format("{}: {} listener(s) of load balancers not in elbv2/describe-load-balancers; not used",
                       region.name, orphans)});
    }
  }

  // One entry per topic file (the topic comes from the subscriptions or the file name).
  void collect_sns_topics(Diagnostics& diags, Region& region, std::vector<FileResult*>& files) {
    for (FileResult* f : files) {
      if (f->dataset != Dataset::kSnsSubscriptions || f->outcome != FileOutcome::kLoaded || f->fan_out_id.empty()) {
        continue;
      }
      uint32_t source = uint32_t(f - results_.data());
      auto known = std::find_if(region.sns_topics.begin(), region.sns_topics.end(),
                                [&](const SnsTopicSubscriptions& t) { return t.topic_arn == f->fan_out_id; });
      if (known != region.sns_topics.end()) {
        warn(diags, path_of(source),
             fmt::format("subscriptions of {} already loaded from another file; kept the first", f->fan_out_id));
        continue;
      }
      SnsTopicSubscriptions& topic = region.sns_topics.emplace_back();
      topic.topic_arn = Symbol(f->fan_out_id);
      topic.source = source;
      topic.subscriptions = std::move(f->sns_subscriptions);
    }
  }

  void attach_recorder_statuses(Diagnostics& diags, Region& region, std::vector<FileResult*>& files) {
    size_t orphans = 0;
    for (FileResult* f : files) {
      if (f->dataset != Dataset::kConfigurationRecorderStatus) continue;
      for (auto& [name, status] : f->recorder_statuses) {
        auto it = std::find_if(region.configuration_recorders.begin(), region.configuration_recorders.end(),
                               [&](const ConfigurationRecorder& r) { return r.name == name; });
        if (it == region.configuration_recorders.end()) {
          ++orphans;
        } else if (!it->status) {
          it->status = status;
        }
      }
    }
    if (orphans > 0) {
      diags.push_back(
          {Level::kInfo, "", 0,
           fmt::format("{}: status of {} configuration recorder(s) not in "
                       "configservice/describe-configuration-recorders; not used",
                       region.name, orphans)});
    }
  }

  // Drops items whose ID an earlier item (in path order) already has, with one warning per pair of
  // files rather than one per item.
  template <typename T, typename IdOf, typename SourceOf>
  void drop_duplicates(Diagnostics& diags, std::vector<T>& items, std::string_view noun, IdOf id_of, SourceOf source_of) {
    if (items.size() < 2) return;
    struct Report {
      size_t count = 0;
      std::vector<std::string> examples;
    };
    std::map<std::pair<uint32_t, uint32_t>, Report> reports;  // (later file, first file)
    std::vector<bool> drop(items.size());
    {
      using Key = std::decay_t<std::invoke_result_t<IdOf&, const T&>>;  // a string_view, or a composite string
      std::unordered_map<Key, uint32_t> first_source;
      first_source.reserve(items.size());
      for (size_t i = 0; i < items.size(); ++i) {
        auto [it, inserted] = first_source.emplace(id_of(items[i]), source_of(items[i]));
        if (inserted) continue;
        drop[i] = true;
        Report& r = reports[{source_of(items[i]), it->second}];
        if (r.count++ < 3) r.examples.emplace_back(std::string_view(it->first));
      }
    }
    if (reports.empty()) return;
    size_t kept = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (drop[i]) continue;
      if (kept != i) items[kept] = std::move(items[i]);
      ++kept;
    }
    items.resize(kept);
    for (const auto& [files, r] : reports) {
      std::string examples = fmt::format("{}{}", fmt::join(r.examples, ", "), r.count > r.examples.size() ? ", ..." : "");
      std::string message =
          files.first == files.second
              ? fmt::format("{} duplicate {} ID(s) within the file ({}); kept the first", r.count, noun, examples)
              : fmt::format("{} {} ID(s) already loaded from {} ({}); kept the first", r.count, noun,
                            path_of(files.second), examples);
      warn(diags, path_of(files.first), std::move(message));
    }
  }

  std::string_view path_of(uint32_t source) const {
    return source < paths_.size() ? std::string_view(paths_[source]) : std::string_view();
  }

  // describe-security-group-rules, when loaded, replaces the IpPermissions expansion of each group
  // it has rules for (they carry sgr- IDs). A group one of whose rule elements was skipped keeps its
  // expansion, which is complete.
  void overlay_security_group_rules(Diagnostics& diags, Region& region, const std::vector<FileResult*>& files) {
    std::vector<SecurityGroupRuleRecord> records;
    std::unordered_set<std::string> incomplete_groups;
    for (FileResult* f : files) {
      if (records.empty()) {
        records = std::move(f->security_group_rules);
      } else {
        std::move(f->security_group_rules.begin(), f->security_group_rules.end(), std::back_inserter(records));
      }
      f->security_group_rules = {};
      incomplete_groups.insert(f->groups_with_skipped_rules.begin(), f->groups_with_skipped_rules.end());
    }
    if (records.empty()) return;
    drop_duplicates(diags, 
        records, "security group rule", [](const SecurityGroupRuleRecord& r) -> std::string_view { return r.rule.rule_id; },
        [](const SecurityGroupRuleRecord& r) { return r.rule.source; });

    std::unordered_map<std::string_view, std::vector<SecurityGroupRule>, TextHash> by_group;
    for (SecurityGroupRuleRecord& r : records) by_group[r.group_id].push_back(std::move(r.rule));
    for (SecurityGroup& group : region.security_groups) {
      auto it = by_group.find(group.id);
      if (it == by_group.end()) continue;
      if (!incomplete_groups.contains(group.id.str())) {
        group.rules = std::move(it->second);
        group.rules.shrink_to_fit();  // the model lives for the whole scan: no growth slack
        group.rule_ids_known = true;
      }
      by_group.erase(it);
    }
    if (!by_group.empty()) {
      size_t rules = 0;
      for (const auto& [group, list] : by_group) rules += list.size();
      diags.push_back(
          {Level::kInfo, "", 0,
           fmt::format("{}: {} security group rule(s) of {} group(s) not in describe-security-groups; not used",
                       region.name, rules, by_group.size())});
    }
  }

  // describe-managed-prefix-lists and describe-prefix-lists both list the AWS-managed lists: their
  // records for one ID are merged (first non-empty field wins). Entries files then fill `entries`.
  void merge_prefix_lists(Diagnostics& diags, Region& region, const std::vector<FileResult*>& files) {
    std::unordered_map<std::string, size_t> index;
    std::vector<PrefixList> merged;
    merged.reserve(region.prefix_lists.size());
    for (PrefixList& list : region.prefix_lists) {
      auto [it, inserted] = index.emplace(list.id, merged.size());
      if (inserted) {
        merged.push_back(std::move(list));
        continue;
      }
      PrefixList& first = merged[it->second];
      if (first.name.empty()) first.name = std::move(list.name);
      if (first.address_family.empty()) first.address_family = std::move(list.address_family);
      if (first.owner_id.empty()) first.owner_id = std::move(list.owner_id);
      if (first.max_entries == 0) first.max_entries = list.max_entries;
      if (!first.entries) first.entries = std::move(list.entries);
      if (first.tags.empty()) first.tags = std::move(list.tags);
    }
    std::unordered_set<std::string> from_entries_file;
    for (FileResult* f : files) {
      if (f->dataset != Dataset::kPrefixListEntries || f->prefix_list_id.empty()) continue;
      uint32_t source = uint32_t(f - results_.data());
      auto [it, inserted] = index.emplace(f->prefix_list_id, merged.size());
      if (inserted) {
        PrefixList& list = merged.emplace_back();
        list.id = f->prefix_list_id;
        list.source = source;
      }
      PrefixList& list = merged[it->second];
      if (from_entries_file.contains(list.id.str())) {
        warn(diags, path_of(source), fmt::format("entries of {} already loaded from another file; kept the first", list.id));
        continue;
      }
      from_entries_file.insert(list.id.str());
      list.entries = std::move(f->prefix_list_entries);
    }
    region.prefix_lists = std::move(merged);
  }

  // ---- the account -----------------------------------------------------------------------------

  // describe-regions lists regions the account enabled; one with no folder was not collected, and
  // gets an entry whose every dataset says so.
  void add_enabled_regions() {
    if (!account().enabled_regions) return;
    for (const EnabledRegion& enabled : *account().enabled_regions) {
      if (regions_.contains(enabled.name.str())) continue;
      Region& region = staged_region(enabled.name.str());
      for (size_t d = 0; d < kDatasetCount; ++d) {
        if (dataset_info(Dataset(d)).account_wide) continue;
        region.coverage[d].detail = "region enabled (describe-regions) but absent from the snapshot";
      }
    }
  }

  // get-caller-identity's Account; else the 12-digit OwnerId seen most (ties: the smallest).
  std::string account_id() const {
    if (account().caller_identity && !account().caller_identity->account.empty()) {
      return account().caller_identity->account.str();
    }
    std::map<std::string_view, size_t> counts;
    auto count = [&](std::string_view owner) {
      if (owner.size() == 12 && std::all_of(owner.begin(), owner.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        ++counts[owner];
      }
    };
    for (const Region& r : result_.account.regions) {
      for (const auto& x : r.vpcs) count(x.owner_id);
      for (const auto& x : r.subnets) count(x.owner_id);
      for (const auto& x : r.security_groups) count(x.owner_id);
      for (const auto& x : r.network_interfaces) count(x.owner_id);
      for (const auto& x : r.instances) count(x.owner_id);
      for (const auto& x : r.route_tables) count(x.owner_id);
      for (const auto& x : r.network_acls) count(x.owner_id);
      for (const auto& x : r.internet_gateways) count(x.owner_id);
      for (const auto& x : r.prefix_lists) count(x.owner_id);
    }
    std::string_view best;
    size_t best_count = 0;
    for (const auto& [owner, n] : counts) {
      if (n > best_count) {
        best = owner;
        best_count = n;
      }
    }
    // Nothing collected names the account: a multi-account run's record of a role that could not be
    // assumed still does.
    if (best.empty()) return recorded_account_id_;
    return std::string(best);
  }

  const Account& account() const { return result_.account; }

  std::vector<std::string> paths_;
  std::vector<FileResult> results_;
  LoadResult result_;
  unsigned threads_ = 0;
  std::string recorded_account_id_;  // the first AccountId a collection-error record names
  std::map<std::string, Region> regions_;  // staged, by name
  std::map<std::string, std::vector<FileResult*>> files_by_region_;
};

}  // namespace

LoadResult assemble(std::vector<std::string> json_paths, std::vector<FileResult> results, unsigned threads) {
  return Assembler(std::move(json_paths), std::move(results), threads).run();
}

}  // namespace fortress::load
