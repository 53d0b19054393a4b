// shared-service-reachable-broadly: a shared service (directory, DNS, file server: named in the
// configuration's shared_services by instance ID or tag, or recognized by the directory ports its
// groups open) that the internet reaches, or that more network interfaces can open connections to
// than shared_services.max_sources. Lists everyone who reaches it and on which ports.
#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "checks/exposure_common.h"
#include "checks/reach_checks.h"
#include "checks/rule_match.h"
#include "reach/explain.h"
#include "reach/lateral.h"
#include "reach/stages.h"

namespace fortress {

namespace {

constexpr uint16_t kDirectoryPorts[] = {53, 88, 389, 445, 464, 636, 3268, 3269};

bool tag_matches(const Tags& tags, const SharedServices::TagMatch& m) {
  return std::any_of(tags.begin(), tags.end(),
                     [&](const Tag& t) { return t.key == m.key && (m.any_value || t.value == m.value); });
}

// The directory ports a group set opens on purpose: rules for tcp or udp whose range covers a
// directory port without being more than a few ports wide (an all-traffic, 0-65535 or 1-1024 rule
// does not make a host a directory server; 3268-3269 does).
constexpr uint32_t kMaxDirectoryRange = 16;

// A directory server (an Active Directory domain controller) answers Kerberos and LDAP: 88 and one
// of 389, 636, 3268, 3269. DNS (53) or SMB (445) alone is a resolver or a file share, which many
// hosts are and every client is meant to reach; those are shared services only when declared.
bool looks_like_directory(std::span<const uint16_t> ports) {
  auto has = [&](uint16_t p) { return std::find(ports.begin(), ports.end(), p) != ports.end(); };
  return has(88) && (has(389) || has(636) || has(3268) || has(3269));
}

std::vector<uint16_t> directory_ports(const std::vector<const SecurityGroup*>& groups) {
  std::vector<uint16_t> out;
  for (const SecurityGroup* g : groups) {
    for (const SecurityGroupRule& r : g->rules) {
      if (!r.is_ingress() || !has_ports(r.traffic.protocol) || r.traffic.ports.count() > kMaxDirectoryRange) continue;
      for (uint16_t p : kDirectoryPorts) {
        if (r.traffic.ports.contains(p) && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The fix, safe to paste: the rules that admit the internet are revoked (no domain member needs them).
// Otherwise the broad CIDR rules are replaced by the same ports from the domain members' group, which
// only the user knows: the placeholder makes the authorize fail, and `&&` keeps the revoke from running,
// until it is filled in. Rules that name a group are left for review (empty command).
std::string remediation(const Region& region, const SecurityGroup& group,
                        std::span<const SecurityGroupRule* const> internet_rules,
                        std::span<const SecurityGroupRule* const> broad_rules) {
  if (!internet_rules.empty()) return revoke_command(region.name, group, RuleDirection::kIngress, internet_rules);
  std::vector<const SecurityGroupRule*> cidr_rules;
  JsonValue perms = JsonValue::array();
  for (const SecurityGroupRule* r : broad_rules) {
    if (r->peer.kind != PeerKind::kCidr) continue;
    cidr_rules.push_back(r);
    JsonValue p = JsonValue::object();
    const JsonValue same = ip_permission(*r);
    for (const char* key : {"IpProtocol", "FromPort", "ToPort"}) {
      if (const JsonValue* v = same.get(key)) p.set(key, *v);
    }
    JsonValue pair = JsonValue::object();
    pair.set("GroupId", "<domain-members-sg>");
    pair.set("Description", "domain members (replaces " + r->peer.cidr.to_string() + ")");
    p.set("UserIdGroupPairs", JsonValue::Array{std::move(pair)});
    perms.push(std::move(p));
  }
  if (cidr_rules.empty()) return {};
  return fmt::format("aws ec2 authorize-security-group-ingress --region {} --group-id {} --ip-permissions '{}' && {}",
                     region.name, group.id, perms.dump(),
                     revoke_command(region.name, group, RuleDirection::kIngress, cidr_rules));
}

void run(const CheckContext& ctx, FindingSink& sink) {
  const SharedServices& cfg = ctx.config.shared_services;
  if (ctx.exposure == nullptr) {
    for (const Region& region : ctx.account.regions)
      sink.not_assessed(region.name, region.name, "", "the reachability analysis did not run");
    return;
  }
  const reach::Lateral lateral(*ctx.exposure);
  for (const Region& region : ctx.account.regions) {
    if (!report_coverage_gaps(region,
                              {Dataset::kNetworkInterfaces, Dataset::kSecurityGroups, Dataset::kSubnets,
                               Dataset::kRouteTables, Dataset::kNetworkAcls, Dataset::kInternetGateways,
                               Dataset::kInstances},
                              sink))
      continue;
    const bool peering_known = region.has(Dataset::kVpcPeeringConnections);
    for (const Instance& inst : region.instances) {
      std::vector<const reach::ReachClass*> classes;
      for (const Symbol& eni : inst.network_interface_ids) {
        const reach::ReachClass* c = ctx.exposure->class_of(region.name, eni);
        if (c != nullptr && std::find(classes.begin(), classes.end(), c) == classes.end()) classes.push_back(c);
      }
      if (classes.empty()) continue;
      std::string why;
      if (std::find(cfg.instances.begin(), cfg.instances.end(), inst.id.view()) != cfg.instances.end()) {
        why = "named in shared_services.instances";
      } else {
        for (const SharedServices::TagMatch& m : cfg.tags) {
          if (tag_matches(inst.tags, m)) why = "tagged " + m.key + (m.any_value ? "" : "=" + m.value);
        }
      }
      std::vector<uint16_t> dir_ports;
      for (const reach::ReachClass* c : classes) {
        for (uint16_t p : directory_ports(c->groups)) dir_ports.push_back(p);
      }
      std::sort(dir_ports.begin(), dir_ports.end());
      dir_ports.erase(std::unique(dir_ports.begin(), dir_ports.end()), dir_ports.end());
      if (why.empty() && cfg.recognize_directory_ports && looks_like_directory(dir_ports)) {
        std::vector<std::string> ps;
        for (uint16_t p : dir_ports) ps.push_back(std::to_string(p));
        why = "its security groups open directory ports " + join(ps, ", ");
      }
      if (why.empty()) continue;

      // Who reaches it.
      size_t source_enis = 0;
      std::vector<std::string> named;  // the first few sources, for the detail
      JsonValue sources = JsonValue::array();
      std::vector<std::string> unknowns;
      std::vector<const SecurityGroupRule*> broad_rules;     // of broad_group, admitting the sources
      std::vector<const SecurityGroupRule*> internet_rules;  // of broad_group, admitting the internet
      const SecurityGroup* broad_group = nullptr;
      for (const reach::ReachClass* c : classes) {
        for (const reach::LateralEdge& e : lateral.to(*c)) {
          size_t n = 0;
          std::vector<std::string> who;
          for (const reach::EniRef& m : e.from->members) {
            if (m.instance == &inst) continue;
            ++n;
            if (who.size() < 5) who.push_back(reach::member_text(m));
            if (named.size() < 4) {
              const std::string name = m.instance != nullptr && !m.instance->name().empty() ? m.instance->name().str()
                                                                                             : reach::member_text(m);
              reach::add_unique_text(named, name);
            }
          }
          if (n == 0) continue;
          source_enis += n;
          for (const std::string& u : e.unknowns) reach::add_unique_text(unknowns, u);
          for (const reach::SgRuleRef& r : e.ingress_rules) {
            if (broad_group == nullptr) broad_group = r.group;
            if (r.group == broad_group && std::find(broad_rules.begin(), broad_rules.end(), r.rule) == broad_rules.end())
              broad_rules.push_back(r.rule);
          }
          if (sources.as_array().size() < 25) {
            JsonValue s = JsonValue::object();
            s.set("network_interfaces", uint64_t(n));
            s.set("examples", JsonValue::strings(who));
            s.set("subnet", e.from->subnet == nullptr ? std::string() : e.from->subnet->id.str());
            s.set("via", e.via);
            s.set("ports", e.ports_text());
            sources.push(std::move(s));
          }
        }
      }
      std::vector<std::string> internet;
      for (const reach::ReachClass* c : classes) {
        for (const reach::Grant& g : ctx.exposure->internet(*c).grants) {
          reach::Grant copy = g;
          for (const Cidr& t : ctx.config.trusted_cidrs)
            if (t.family() == copy.family) copy.sources -= reach::AddressSet::of(t);
          if (copy.sources.empty()) continue;
          if (internet.size() < 4) internet.push_back(reach::grant_text(copy));
          // The rules that admit the internet belong in the fix first.
          for (const reach::SgRuleRef& r : g.sg_rules) {
            if (broad_group == nullptr) broad_group = r.group;
            if (r.group == broad_group &&
                std::find(internet_rules.begin(), internet_rules.end(), r.rule) == internet_rules.end())
              internet_rules.push_back(r.rule);
          }
        }
      }
      JsonValue evidence = JsonValue::object();
      evidence.set("instance_id", inst.id);
      evidence.set("shared_service_because", why);
      evidence.set("source_network_interfaces", uint64_t(source_enis));
      evidence.set("max_sources", uint64_t(cfg.max_sources));
      evidence.set("sources", std::move(sources));
      if (!internet.empty()) evidence.set("internet", JsonValue::strings(internet));
      if (!unknowns.empty()) evidence.set("unknown", JsonValue::strings(unknowns));
      if (!internet.empty() || source_enis > cfg.max_sources) {
        std::string detail = fmt::format("shared service ({})", why);
        if (!internet.empty()) detail += ", reachable from the internet (" + join(internet, "; ") + ")";
        if (source_enis > cfg.max_sources)
          detail += fmt::format(", reachable from {} network interfaces (more than max_sources {}): {}{}", source_enis,
                                cfg.max_sources, join(named, ", "), source_enis > named.size() ? ", ..." : "");
        Finding& f = sink.fail(region.name, inst.id, inst.name(), detail);
        f.evidence = std::move(evidence);
        if (broad_group != nullptr) f.remediation_cli = remediation(region, *broad_group, internet_rules, broad_rules);
        continue;
      }
      if (!peering_known || !unknowns.empty()) {
        Finding& f = sink.not_assessed(
            region.name, inst.id, inst.name(),
            fmt::format("shared service ({}) reachable from {} network interfaces, but {}", why, source_enis,
                        !peering_known ? "ec2/describe-vpc-peering-connections was not collected: peered sources are unknown"
                                       : join(unknowns, "; ")));
        f.evidence = std::move(evidence);
        continue;
      }
      sink.pass(region.name, inst.id, inst.name(),
                fmt::format("shared service ({}) reachable from {} network interfaces (at most {}), not from the internet",
                            why, source_enis, cfg.max_sources));
    }
  }
}

}  // namespace

Check shared_service_reachable_broadly_check() {
  return Check{
      CheckMetadata{
          .id = "shared-service-reachable-broadly",
          .title = "Shared service (directory, DNS, file server) reachable from the internet or from too many hosts",
          .severity = Severity::kHigh,
          .area = Area::kSharedServices,
          .resource_type = "AWS::EC2::Instance",
          .cis_aws_3_0 = "",
          .rationale =
              "Domain controllers, DNS and file servers are what an attacker wants right after the first foothold: "
              "Kerberos (88), LDAP (389/636), SMB (445) and the global catalog (3268/3269) hand out credentials "
              "and the keys to every other host. Each network interface that can open a connection to them (same "
              "VPC or peered, through both security groups and both network ACLs) is a path from a compromised "
              "host to the directory; the internet must never be one.",
          .remediation =
              "Admit the directory ports only from the security groups of the hosts that are domain members, "
              "through the specific ports they use, and never from the internet; reach the service from other "
              "VPCs through narrow peering routes. Raise shared_services.max_sources only for a reviewed design. "
              "The command revokes the rules that admit the internet; when only too many hosts reach the "
              "service, it re-grants the broad CIDR rules' ports to <domain-members-sg> (put in the members' "
              "group) before revoking them.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {internet_rule_ids}; or, reachable from too many hosts only: "
                             "aws ec2 authorize-security-group-ingress --region {region} --group-id {group_id} "
                             "--ip-permissions '[{\"IpProtocol\":\"tcp\",\"FromPort\":389,\"ToPort\":389,"
                             "\"UserIdGroupPairs\":[{\"GroupId\":\"<domain-members-sg>\"}]}]' && "
                             "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {broad_cidr_rule_ids}",
          .links = {"https://docs.aws.amazon.com/directoryservice/latest/admin-guide/ms_ad_best_practices.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"},
      },
      run,
  };
}

}  // namespace fortress
