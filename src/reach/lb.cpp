// Exposure through internet-facing load balancers (ELBv2 application and network load balancers).
//
// A listener of an internet-facing load balancer is reachable from the internet when one of the
// load balancer's nodes (one per subnet of AvailabilityZones) is: the subnet's route table returns
// the reply to an internet gateway, its NACL admits the listener port and lets the reply out, and the
// load balancer's security groups admit the source (an NLB without security groups admits every
// source on its listener ports). The listener forwards to its target groups; each registered target
// (instance, or IP address of an ENI) is then exposed *via the load balancer* on the target port,
// provided the node can open that connection: the load balancer's egress rules, the target's ingress
// rules (a reference to the load balancer's group, or a CIDR covering the node's address), both NACLs
// both ways. The target needs no public address of its own.
// References: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
//             https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
//             https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html
#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "reach/exposure.h"
#include "reach/lateral.h"
#include "reach/stages.h"

namespace fortress::reach {

struct ExposureAccess {
  static void add_load_balancers(Exposure& ex, const Account& account);
};

namespace {

// "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188"
//   -> "ELB app/web/50dc6c495c0c9188", the description of its network interfaces.
std::string interface_description(std::string_view arn) {
  const size_t p = arn.find(":loadbalancer/");
  if (p == std::string_view::npos) return {};
  return "ELB " + std::string(arn.substr(p + 14));
}

std::vector<int> listener_protocols(std::string_view protocol) {
  if (protocol == "UDP") return {proto::kUdp};
  if (protocol == "TCP_UDP") return {proto::kTcp, proto::kUdp};
  if (protocol == "GENEVE") return {};
  return {proto::kTcp};  // HTTP, HTTPS, TCP, TLS
}

SecurityGroup open_group() {
  SecurityGroup g;
  g.id = "(no security group)";
  g.group_name = "network load balancer without security groups";
  for (const char* any : {"0.0.0.0/0", "::/0"}) {
    SecurityGroupRule r;
    r.direction = RuleDirection::kIngress;
    r.traffic = TrafficSpec{};
    r.peer.kind = PeerKind::kCidr;
    r.peer.cidr = parse_cidr(any)->cidr;
    g.rules.push_back(r);
    r.direction = RuleDirection::kEgress;
    g.rules.push_back(r);
  }
  return g;
}

// The classes a target of a target group receives traffic on: an instance target's primary network
// interface, an ip target's interface with that private address; nothing for other target types.
std::vector<const ReachClass*> target_classes_of(const Exposure& ex, const Region& region, const TargetGroup& tg,
                                                 const TargetHealthDescription& t) {
  std::vector<const ReachClass*> out;
  if (tg.target_type == "instance") {
    if (const Instance* inst = region.instance(t.target_id)) {
      const NetworkInterface* primary = nullptr;
      for (const Symbol& id : inst->network_interface_ids) {
        const NetworkInterface* n = region.network_interface(id);
        if (n == nullptr) continue;
        if (primary == nullptr) primary = n;
        for (const PrivateIp& ip : n->private_ips) {
          if (inst->private_ip && ip.address == *inst->private_ip) primary = n;
        }
      }
      if (primary != nullptr)
        if (const ReachClass* c = ex.class_of(region.name, primary->id)) out.push_back(c);
    }
  } else if (tg.target_type == "ip") {
    if (Expected<IpAddress> addr = parse_ip(t.target_id)) {
      for (const NetworkInterface& n : region.network_interfaces) {
        bool match = false;
        for (const PrivateIp& ip : n.private_ips) match |= ip.address == *addr;
        if (match)
          if (const ReachClass* c = ex.class_of(region.name, n.id)) out.push_back(c);
      }
    }
  }
  return out;
}

}  // namespace

void ExposureAccess::add_load_balancers(Exposure& ex, const Account& account) {
  static const SecurityGroup kOpen = open_group();
  std::deque<ReachClass> nodes;  // the load balancers' nodes, alive while this runs
  std::vector<std::pair<uint32_t, Grant>> additions;  // target class -> grant
  std::vector<std::pair<uint32_t, std::string>> unknown_notes;
  std::vector<std::pair<const Region*, std::string>> region_notes;
  // Part of a VPC whose exposure through a load balancer is unknown (its targets were not collected).
  struct VpcNote {
    const Region* region;
    Symbol vpc;
    std::string note;
  };
  std::vector<VpcNote> vpc_notes;
  auto note_targets_of = [&](const Region& region, const TargetGroup& tg, const std::string& note) {
    if (!tg.targets) return;
    for (const TargetHealthDescription& t : *tg.targets) {
      const Instance* inst = region.instance(t.target_id);
      for (const Symbol& eni : inst != nullptr ? inst->network_interface_ids : std::vector<Symbol>{}) {
        if (const ReachClass* c = ex.class_of(region.name, eni)) unknown_notes.push_back({c->id, note});
      }
    }
  };
  const Lateral lateral(ex);

  for (const Region& region : account.regions) {
    const RegionFacts facts = make_region_facts(region);
    const bool lbs_known = region.has(Dataset::kLoadBalancers);
    if (!lbs_known) {
      // Any instance could sit behind a load balancer nobody collected: its exposure is not known.
      const std::string why = fmt::format("elbv2 describe-load-balancers was not collected in {}: exposure through an "
                                          "internet-facing load balancer is not assessed",
                                          region.name);
      region_notes.push_back({&region, why});
      continue;
    }
    const bool target_groups_known = region.has(Dataset::kTargetGroups);
    for (const LoadBalancer& lb : region.load_balancers) {
      if (!lb.internet_facing() || (lb.type != "application" && lb.type != "network")) continue;
      if (lb.state == "failed" || lb.state == "provisioning") continue;
      if (!target_groups_known) {
        // What it forwards to is unknown: any interface of its VPC may be a target.
        vpc_notes.push_back({&region, lb.vpc_id,
                             fmt::format("elbv2 describe-target-groups was not collected in {}: what internet-facing load "
                                         "balancer {} forwards to is not known",
                                         region.name, lb.name)});
        continue;
      }
      const std::string description = interface_description(lb.arn);
      std::vector<const SecurityGroup*> groups;
      for (const Symbol& g : lb.security_group_ids) {
        if (const SecurityGroup* sg = region.security_group(g)) groups.push_back(sg);
      }
      if (lb.security_group_ids.empty() && lb.type == "network") groups.push_back(&kOpen);
      // One node per zone subnet.
      std::vector<const ReachClass*> zone_nodes;
      for (const LoadBalancerZone& z : lb.zones) {
        ReachClass node;
        node.id = UINT32_MAX;
        node.region = &region;
        node.vpc_id = lb.vpc_id;
        node.subnet = region.subnet(z.subnet_id);
        node.route_table = region.route_table_for_subnet(z.subnet_id);
        node.nacl = region.network_acl_for_subnet(z.subnet_id);
        node.groups = groups;
        node.public_v4 = true;
        node.global_v6 = std::string_view(lb.ip_address_type).starts_with("dualstack");
        for (const NetworkInterface& eni : region.network_interfaces) {
          if (eni.description != description || eni.subnet_id != z.subnet_id) continue;
          for (const PrivateIp& p : eni.private_ips) node.addresses_v4.add(p.address);
          for (const IpAddress& a : eni.ipv6_addresses) node.addresses_v6.add(a);
        }
        if (node.addresses_v4.empty() && node.subnet != nullptr && node.subnet->ipv4_cidr)
          node.addresses_v4.add(*node.subnet->ipv4_cidr);  // the node's address is somewhere in its subnet
        nodes.push_back(std::move(node));
        zone_nodes.push_back(&nodes.back());
      }
      if (!lb.listeners) {
        // Without the listeners nothing is known about what this load balancer forwards.
        for (const TargetGroup* tg : region.target_groups_of(lb.arn)) {
          if (!tg->targets) continue;
          for (const TargetHealthDescription& t : *tg->targets) {
            const Instance* inst = region.instance(t.target_id);
            for (const Symbol& eni : inst != nullptr ? inst->network_interface_ids : std::vector<Symbol>{}) {
              if (const ReachClass* c = ex.class_of(region.name, eni))
                unknown_notes.push_back({c->id, "the listeners of internet-facing load balancer " + lb.name.str() +
                                                    " were not collected"});
            }
          }
        }
        continue;
      }
      // Target groups of this load balancer that no listener's default action forwards to: a listener
      // rule may (rules, elbv2 describe-rules, are not collected), so their targets are not assessed.
      for (const TargetGroup* tg : region.target_groups_of(lb.arn)) {
        bool is_default = false;
        for (const Listener& l : *lb.listeners) {
          for (const ListenerAction& a : l.default_actions) {
            for (const WeightedTargetGroup& w : a.target_groups) is_default |= a.forwards() && w.arn == tg->arn;
          }
        }
        if (!is_default)
          note_targets_of(region, *tg,
                          fmt::format("target group {} of internet-facing load balancer {} is no listener's default "
                                      "action; whether a listener rule forwards to it is not known (listener rules are "
                                      "not collected)",
                                      tg->name, lb.name));
      }
      for (const Listener& l : *lb.listeners) {
        if (!l.port) continue;
        for (int p : listener_protocols(l.protocol)) {
          // Internet -> listener, through any node.
          AddressSet sources[2] = {AddressSet::none(IpFamily::kV4), AddressSet::none(IpFamily::kV6)};
          std::vector<std::string> node_paths;
          for (const ReachClass* node : zone_nodes) {
            ClassEvaluator ev(facts, *node);
            for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) {
              StageResult r = ev.evaluate(f, p, PortSet::of(uint32_t(*l.port), uint32_t(*l.port)), public_space(f), {});
              for (const Grant& g : r.grants) {
                sources[f == IpFamily::kV4 ? 0 : 1] |= g.sources;
                if (node_paths.size() < 2 && node->nacl != nullptr && node->route_table != nullptr) {
                  std::vector<std::string> rules;
                  for (const SgRuleRef& s : g.sg_rules)
                    rules.push_back(s.rule->rule_id.empty() ? s.group->id.str() : s.rule->rule_id.str());
                  node_paths.push_back(fmt::format("{} via {} -> {} -> {} in/out -> {}",
                                                   node->subnet != nullptr ? node->subnet->id.str() : "?", g.igw_id,
                                                   node->route_table->id, node->nacl->id, join_texts(rules, ", ")));
                }
              }
            }
          }
          if (sources[0].empty() && sources[1].empty()) continue;
          // Listener -> target groups -> targets.
          for (const ListenerAction& a : l.default_actions) {
            if (!a.forwards()) continue;
            for (const WeightedTargetGroup& wtg : a.target_groups) {
              const TargetGroup* tg = region.target_group(wtg.arn);
              if (tg == nullptr || !tg->targets) {
                // Forwarded to, from the internet, but to whom is not known.
                vpc_notes.push_back(
                    {&region, lb.vpc_id,
                     tg == nullptr ? fmt::format("listener {}:{} of internet-facing load balancer {} forwards to target "
                                                 "group {}, which describe-target-groups does not list",
                                                 l.protocol, *l.port, lb.name, wtg.arn)
                                   : fmt::format("the targets of target group {} (listener {}:{} of internet-facing load "
                                                 "balancer {}) were not collected",
                                                 tg->name, l.protocol, *l.port, lb.name)});
                continue;
              }
              for (const TargetHealthDescription& t : *tg->targets) {
                const std::optional<int64_t> port = t.port ? t.port : tg->port;
                if (!port) continue;
                const std::vector<const ReachClass*> target_classes = target_classes_of(ex, region, *tg, t);
                if (tg->target_type == "alb") {
                  // A network load balancer in front of an application load balancer: the internet
                  // reaches the ALB's listener, and through it the ALB's own targets. That second hop
                  // is not followed; an internal ALB's targets are NOT ASSESSED rather than "not
                  // exposed" (an internet-facing one is evaluated on its own).
                  const LoadBalancer* alb = nullptr;
                  for (const LoadBalancer& candidate : region.load_balancers) {
                    if (candidate.arn == t.target_id) alb = &candidate;
                  }
                  if (alb != nullptr && !alb->internet_facing()) {
                    const std::string note = fmt::format(
                        "internet-facing load balancer {} forwards port {} to application load balancer {}, "
                        "whose targets fortress does not follow through it",
                        lb.name, *l.port, alb->name);
                    for (const TargetGroup* inner : region.target_groups_of(alb->arn)) {
                      if (!inner->targets) continue;
                      for (const TargetHealthDescription& it : *inner->targets) {
                        for (const ReachClass* c : target_classes_of(ex, region, *inner, it))
                          unknown_notes.push_back({c->id, note});
                      }
                    }
                  }
                }
                for (const ReachClass* target : target_classes) {
                  for (const ReachClass* node : zone_nodes) {
                    LateralEdge e = lateral.between(*node, *target);
                    const PortSet& open = p == proto::kTcp ? e.tcp : e.udp;
                    if (!open.contains(uint32_t(*port))) continue;
                    for (IpFamily f : {IpFamily::kV4, IpFamily::kV6}) {
                      const AddressSet& s = sources[f == IpFamily::kV4 ? 0 : 1];
                      if (s.empty()) continue;
                      Grant g;
                      g.family = f;
                      g.protocol = p;
                      g.ports = PortSet::of(uint32_t(*port), uint32_t(*port));
                      g.sources = s;
                      g.via_lb = lb.name;
                      g.via_listener_port = uint16_t(*l.port);
                      g.via_listener = fmt::format("{}:{} -> {}:{}", l.protocol, *l.port, tg->name, *port);
                      g.via_detail = fmt::format(
                          "internet-facing {} load balancer {}: listener {}:{} ({}) forwards to target group {} port {}",
                          lb.type, lb.name, l.protocol, *l.port, join_texts(node_paths, "; "), tg->name, *port);
                      for (const SgRuleRef& r : e.ingress_rules) {
                        if (rule_admits_protocol(r.rule->traffic, p) && rule_ports(r.rule->traffic).contains(uint32_t(*port)))
                          g.sg_rules.push_back(r);
                      }
                      additions.push_back({target->id, std::move(g)});
                    }
                    break;  // one node that gets through is enough
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  // A region without load-balancer data: every evaluated result of its classes carries the note.
  // Results are shared by classes of one region only (the region is part of their key), so each is
  // changed in place, once.
  for (const auto& [region, note] : region_notes) {
    std::vector<bool> noted(ex.internet_.size(), false);
    for (ReachClass& c : ex.classes_) {
      if (c.region != region || noted[c.internet]) continue;
      noted[c.internet] = true;
      InternetResult& r = ex.internet_[c.internet];
      if (r.state == ClassState::kNotEvaluated) continue;
      add_unique_text(r.unknowns, note);
      if (r.state == ClassState::kNotExposed) r.state = ClassState::kNotAssessed;
    }
  }
  // A VPC whose load-balancer targets are unknown: each of its evaluated classes carries the note.
  for (const VpcNote& v : vpc_notes) {
    for (const ReachClass& c : ex.classes_) {
      if (c.region == v.region && c.vpc_id == v.vpc) unknown_notes.push_back({c.id, v.note});
    }
  }
  // Each class that gains a grant (or a note) gets its own result, so classes sharing one
  // evaluation are not changed with it.
  std::vector<bool> own(ex.classes_.size(), false);
  auto own_result = [&](uint32_t id) -> InternetResult& {
    ReachClass& c = ex.classes_[id];
    if (!own[id]) {
      ex.internet_.push_back(ex.internet_[c.internet]);
      c.internet = uint32_t(ex.internet_.size() - 1);
      own[id] = true;
    }
    return ex.internet_[c.internet];
  };
  for (auto& [id, g] : additions) {
    InternetResult& r = own_result(id);
    if (r.state == ClassState::kNotEvaluated) continue;
    const bool duplicate = std::any_of(r.grants.begin(), r.grants.end(), [&](const Grant& x) {
      return x.via_lb == g.via_lb && x.family == g.family && x.protocol == g.protocol && x.ports == g.ports &&
             x.via_listener_port == g.via_listener_port;
    });
    if (duplicate) continue;
    r.grants.push_back(std::move(g));
    r.state = ClassState::kExposed;
  }
  for (auto& [id, note] : unknown_notes) {
    if (ex.internet_[ex.classes_[id].internet].state == ClassState::kNotEvaluated) continue;
    InternetResult& r = own_result(id);
    add_unique_text(r.unknowns, note);
    if (r.state == ClassState::kNotExposed) r.state = ClassState::kNotAssessed;
  }
}

void add_load_balancer_exposure(Exposure& ex, const Account& account) {
  ExposureAccess::add_load_balancers(ex, account);
}

}  // namespace fortress::reach
