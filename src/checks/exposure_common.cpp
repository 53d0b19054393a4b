#include "checks/exposure_common.h"

#include <fmt/format.h>

#include <map>

#include "checks/rule_match.h"
#include "reach/explain.h"
#include "reach/stages.h"

namespace fortress {

using reach::EniRef;
using reach::Grant;
using reach::ReachClass;

std::vector<Grant> grants_on_ports(const std::vector<Grant>& grants, int protocol, const reach::PortSet& ports) {
  std::vector<Grant> out;
  for (const Grant& g : grants) {
    if (g.protocol != protocol) continue;
    reach::PortSet hit = g.ports & ports;
    if (hit.empty()) continue;
    Grant narrowed = g;
    narrowed.ports = std::move(hit);
    out.push_back(std::move(narrowed));
  }
  return out;
}

namespace {

// One resource of the report: an instance with its interfaces, or a lone interface.
struct Resource {
  const Region* region = nullptr;
  const Instance* instance = nullptr;
  std::vector<std::pair<const ReachClass*, EniRef>> enis;
};

bool instance_running(const Instance* i) {
  return i == nullptr || i->state.empty() || i->state == "running" || i->state == "pending";
}

std::string revoke_commands(const Region& region, const std::vector<Grant>& grants) {
  std::map<std::string_view, std::pair<const SecurityGroup*, std::vector<const SecurityGroupRule*>>> by_group;
  for (const Grant& g : grants) {
    for (const reach::SgRuleRef& r : g.sg_rules) {
      auto& [group, rules] = by_group[r.group->id];
      group = r.group;
      if (std::find(rules.begin(), rules.end(), r.rule) == rules.end()) rules.push_back(r.rule);
    }
  }
  std::vector<std::string> commands;
  for (auto& [id, entry] : by_group)
    commands.push_back(revoke_command(region.name, *entry.first, RuleDirection::kIngress, entry.second));
  return join(commands, " && ");
}

}  // namespace

void run_exposure_check(const CheckContext& ctx, FindingSink& sink, const ExposureCheckSpec& spec) {
  for (const Region& region : ctx.account.regions) {
    if (ctx.exposure == nullptr) {
      Finding& f = sink.not_assessed(region.name, region.name, "",
                                     "the reachability analysis did not run, so exposure could not be assessed");
      f.evidence.set("reason", "no exposure analysis in this run");
      continue;
    }
    std::vector<Dataset> needed(reach::Exposure::needed_datasets().begin(), reach::Exposure::needed_datasets().end());
    bool gaps = false;
    for (Dataset d : needed) {
      if (!region.has(d)) gaps = true;
    }
    if (gaps) {
      report_coverage_gaps(region,
                           {Dataset::kNetworkInterfaces, Dataset::kSecurityGroups, Dataset::kSubnets,
                            Dataset::kRouteTables, Dataset::kNetworkAcls, Dataset::kInternetGateways},
                           sink);
      continue;  // every class of the region is NOT_ASSESSED: one finding per missing dataset says so
    }
    // Resources in the order of describe-network-interfaces.
    std::vector<Resource> resources;
    std::unordered_map<const Instance*, size_t> by_instance;
    for (const NetworkInterface& eni : region.network_interfaces) {
      const ReachClass* c = ctx.exposure->class_of(eni);
      if (c == nullptr || ctx.exposure->internet(*c).state == reach::ClassState::kNotEvaluated) continue;
      const Instance* inst = eni.instance_id.empty() ? nullptr : region.instance(eni.instance_id);
      EniRef ref{&eni, inst};
      if (inst != nullptr) {
        auto [it, fresh] = by_instance.emplace(inst, resources.size());
        if (fresh) resources.push_back({&region, inst, {}});
        resources[it->second].enis.push_back({c, ref});
      } else {
        resources.push_back({&region, nullptr, {{c, ref}}});
      }
    }
    sink.reserve(resources.size());
    for (const Resource& res : resources) {
      const EniRef& first = res.enis.front().second;
      const Symbol id = res.instance != nullptr ? res.instance->id : first.eni->id;
      const Symbol name = res.instance != nullptr ? res.instance->name() : first.eni->name();
      std::vector<std::pair<const ReachClass*, Grant>> hits;
      std::vector<std::string> unknowns;
      std::vector<std::string> blockers;
      for (const auto& [c, ref] : res.enis) {
        const reach::InternetResult& ir = ctx.exposure->internet(*c);
        std::vector<Grant> selected =
            reach::merge_port_segments(reach::without_trusted(spec.select(ir.grants), ctx.config.trusted_cidrs));
        for (Grant& g : selected) hits.push_back({c, std::move(g)});
        for (const std::string& u : ir.unknowns) reach::add_unique_text(unknowns, u);
        if (ir.blocked_v4) reach::add_unique_text(blockers, "IPv4: " + ir.blocked_v4->text);
        if (ir.blocked_v6 && c->global_v6) reach::add_unique_text(blockers, "IPv6: " + ir.blocked_v6->text);
      }
      const auto set_type = [&](Finding& f) {
        if (res.instance == nullptr) f.resource_type = "AWS::EC2::NetworkInterface";
        JsonValue enis = JsonValue::array();
        for (const auto& [c, ref] : res.enis) enis.push(ref.eni->id);
        f.evidence.set("network_interfaces", std::move(enis));
      };
      if (!hits.empty() && !instance_running(res.instance)) {
        Finding& f = sink.pass(region.name, id, name,
                               fmt::format("instance is {}: nothing answers while it is; its configuration would expose {} "
                                           "once it runs",
                                           res.instance->state, hits.front().second.traffic_text()));
        set_type(f);
        continue;
      }
      if (!hits.empty()) {
        std::vector<std::string> parts;
        JsonValue exposures = JsonValue::array();
        std::vector<Grant> grants;
        for (const auto& [c, g] : hits) {
          const EniRef* member = nullptr;
          for (const auto& [cc, ref] : res.enis) {
            if (cc == c) member = &ref;
          }
          const std::vector<reach::Hop> hops = reach::grant_path(*c, g, *member);
          parts.push_back(reach::grant_text(g) + ": " + reach::path_text(hops));
          exposures.push(reach::grant_evidence(g, hops));
          grants.push_back(g);
        }
        Finding& f = sink.fail(region.name, id, name, join(parts, "; "));
        set_type(f);
        if (res.instance != nullptr) f.evidence.set("instance_id", res.instance->id);
        f.evidence.set("exposures", std::move(exposures));
        if (!unknowns.empty()) f.evidence.set("unknown", JsonValue::strings(unknowns));
        f.remediation_cli = revoke_commands(region, grants);
        continue;
      }
      if (!unknowns.empty()) {
        Finding& f = sink.not_assessed(region.name, id, name, "could not be assessed: " + join(unknowns, "; "));
        set_type(f);
        f.evidence.set("unknown", JsonValue::strings(unknowns));
        continue;
      }
      std::string detail = fmt::format("the internet reaches none of {}", spec.about);
      if (!blockers.empty() && blockers.size() <= 2) detail += " (" + join(blockers, "; ") + ")";
      Finding& passed = sink.pass(region.name, id, name, detail);
      if (res.instance == nullptr) passed.resource_type = "AWS::EC2::NetworkInterface";
    }
  }
}

}  // namespace fortress
