#include "checks/baseline_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace fortress {

std::vector<const Region*> regions_to_assess(const CheckContext& ctx, FindingSink& sink) {
  std::vector<const Region*> out;
  for (const Region& r : ctx.account.regions) out.push_back(&r);
  if (!ctx.account.enabled_regions) {
    const Coverage& c = ctx.account.global_coverage[size_t(Dataset::kRegions)];
    std::string why = c.status == CoverageStatus::kError ? "failed: " + c.detail : "was not collected";
    Finding& f = sink.not_assessed(
        "", ctx.account.account_id, "",
        fmt::format("ec2 describe-regions {}: the account's enabled regions are unknown, so regions outside the "
                    "snapshot could not be assessed",
                    why));
    f.evidence.set("dataset", dataset_name(Dataset::kRegions));
    f.evidence.set("regions_in_snapshot", static_cast<int64_t>(out.size()));
  }
  return out;
}

std::string_view arn_account(std::string_view arn) {
  // arn:partition:service:region:account:resource
  size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  const size_t end = arn.find(':', pos);
  if (end == std::string_view::npos) return {};
  return arn.substr(pos, end - pos);
}

std::vector<AccountTrail> account_trails(const Account& account) {
  std::map<std::string_view, AccountTrail> by_arn;
  std::set<std::string_view> from_home;  // trails whose chosen copy is the home region's
  for (const Region& region : account.regions) {
    for (const Trail& t : region.trails) {
      std::string_view key = t.arn.empty() ? t.name.view() : t.arn.view();
      auto [it, inserted] = by_arn.try_emplace(key);
      AccountTrail& a = it->second;
      const bool home_copy = !t.is_shadow(region.name);
      if (inserted || (home_copy && !from_home.contains(key))) {
        a.trail = &t;
        if (home_copy) from_home.insert(key);
      }
      if (a.home_region.empty()) a.home_region = t.home_region.empty() ? region.name : t.home_region;
      if (a.status == nullptr && t.status) a.status = &*t.status;
      if (a.selectors == nullptr && t.event_selectors) a.selectors = &*t.event_selectors;
    }
  }
  std::vector<AccountTrail> out;
  for (auto& [arn, a] : by_arn) {
    // Why the fan-out data is missing: a recorded failure in any region, else the home region's coverage.
    for (const Region& region : account.regions) {
      if (a.status == nullptr && a.status_gap.empty()) {
        if (const FanOutFailure* f = region.fan_out_failure(Dataset::kTrailStatus, a.trail->arn)) a.status_gap = f->detail;
      }
      if (a.selectors == nullptr && a.selectors_gap.empty()) {
        if (const FanOutFailure* f = region.fan_out_failure(Dataset::kEventSelectors, a.trail->arn)) {
          a.selectors_gap = f->detail;
        }
      }
    }
    if (a.status == nullptr && a.status_gap.empty()) a.status_gap = "cloudtrail get-trail-status was not collected for it";
    if (a.selectors == nullptr && a.selectors_gap.empty()) {
      a.selectors_gap = "cloudtrail get-event-selectors was not collected for it";
    }
    const std::string_view owner = arn_account(a.trail->arn);
    a.owned_elsewhere = !owner.empty() && !account.account_id.empty() && owner != account.account_id.view();
    out.push_back(std::move(a));
  }
  return out;
}

bool any_trail_list_collected(const Account& account) {
  return std::any_of(account.regions.begin(), account.regions.end(),
                     [](const Region& r) { return r.has(Dataset::kTrails); });
}

std::vector<std::string> trail_list_gaps(const Account& account) {
  std::vector<std::string> out;
  for (const Region& r : account.regions) {
    const Coverage& c = r.covered(Dataset::kTrails);
    if (c.ok()) continue;
    out.push_back(fmt::format("{}: {}", r.name, c.detail.empty() ? std::string(to_string(c.status)) : c.detail));
  }
  return out;
}

bool ManagementEventCoverage::excludes(std::string_view event_source) const {
  return std::find(excluded_sources.begin(), excluded_sources.end(), event_source) != excluded_sources.end();
}

namespace {

bool contains(const std::vector<Symbol>& values, std::string_view v) {
  return std::any_of(values.begin(), values.end(), [&](const Symbol& s) { return s == v; });
}

}  // namespace

ManagementEventCoverage management_events(const EventSelectors& selectors) {
  ManagementEventCoverage out;
  // Per side, the sources excluded by every selector that records that side (an event is recorded
  // when one selector takes it).
  std::optional<std::set<std::string>> read_excluded, write_excluded;
  auto contribute = [](std::optional<std::set<std::string>>& side, const std::set<std::string>& excluded) {
    if (!side) {
      side = excluded;
      return;
    }
    std::set<std::string> both;
    std::set_intersection(side->begin(), side->end(), excluded.begin(), excluded.end(),
                          std::inserter(both, both.begin()));
    side = std::move(both);
  };

  for (const EventSelector& s : selectors.basic) {
    if (!s.include_management_events) continue;
    const bool all = s.read_write_type.empty() || s.read_write_type == "All";
    std::set<std::string> excluded;
    for (const Symbol& src : s.exclude_management_event_sources) excluded.insert(src.str());
    if (all || s.read_write_type == "ReadOnly") contribute(read_excluded, excluded);
    if (all || s.read_write_type == "WriteOnly") contribute(write_excluded, excluded);
  }

  for (const AdvancedEventSelector& a : selectors.advanced) {
    bool management = false;
    bool read = true, write = true;
    std::set<std::string> excluded;
    std::string narrowed;
    for (const AdvancedFieldSelector& f : a.field_selectors) {
      const bool other_ops = !f.starts_with.empty() || !f.ends_with.empty() || !f.not_starts_with.empty() ||
                             !f.not_ends_with.empty();
      if (f.field == "eventCategory") {
        management = contains(f.equals, "Management") && !contains(f.not_equals, "Management");
      } else if (f.field == "readOnly") {
        if (other_ops) narrowed = "readOnly";
        if (!f.equals.empty()) {
          read = read && contains(f.equals, "true");
          write = write && contains(f.equals, "false");
        }
        if (contains(f.not_equals, "true")) read = false;
        if (contains(f.not_equals, "false")) write = false;
      } else if (f.field == "eventSource" && f.equals.empty() && !other_ops) {
        for (const Symbol& src : f.not_equals) excluded.insert(src.str());
      } else {
        narrowed = f.field.str();
      }
    }
    if (!management) continue;
    const std::string name = a.name.empty() ? std::string("(unnamed)") : a.name.str();
    if (!narrowed.empty()) {
      out.notes.push_back(fmt::format("advanced selector {} is limited by {}", name, narrowed));
      continue;
    }
    if (read) contribute(read_excluded, excluded);
    if (write) contribute(write_excluded, excluded);
    if (!read && !write) out.notes.push_back(fmt::format("advanced selector {} selects no management event", name));
  }

  out.read = read_excluded.has_value();
  out.write = write_excluded.has_value();
  std::set<std::string> excluded;
  if (read_excluded) excluded.insert(read_excluded->begin(), read_excluded->end());
  if (write_excluded) excluded.insert(write_excluded->begin(), write_excluded->end());
  out.excluded_sources.assign(excluded.begin(), excluded.end());
  return out;
}

std::optional<LogGroupRef> parse_log_group_arn(std::string_view arn) {
  // arn:aws:logs:<region>:<account>:log-group:<name>[:*]
  std::vector<std::string_view> parts;
  size_t pos = 0;
  for (int i = 0; i < 6; ++i) {
    const size_t colon = arn.find(':', pos);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.push_back(arn.substr(pos, colon - pos));
    pos = colon + 1;
  }
  if (parts[0] != "arn" || parts[2] != "logs" || parts[5] != "log-group") return std::nullopt;
  std::string_view name = arn.substr(pos);
  if (name.ends_with(":*")) name.remove_suffix(2);
  if (name.empty() || parts[3].empty()) return std::nullopt;
  return LogGroupRef{std::string(parts[3]), std::string(name), std::string(parts[4])};
}

std::string join_words(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " and " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace fortress
