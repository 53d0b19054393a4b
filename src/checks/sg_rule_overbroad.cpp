// sg-rule-overbroad: a rule whose observed traffic came from (or went to) far fewer addresses or ports
// than it grants; proposes the tighter rules as AWS CLI commands (authorize the new, revoke the old).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "checks/flow_checks.h"
#include "checks/rule_match.h"
#include "flows/rule_findings.h"

namespace fortress {

namespace {

using namespace flows;

constexpr size_t kMaxBlocks = 8;  // proposals with more blocks than this are not proposed
constexpr size_t kMaxPorts = 5;

int width(IpFamily f) { return f == IpFamily::kV4 ? 32 : 128; }

// The smallest block holding both addresses.
Cidr covering(const IpAddress& lo, const IpAddress& hi, int min_prefix) {
  const int w = width(lo.family);
  int prefix = w;
  const uint128 diff = lo.value ^ hi.value;
  if (diff != 0) {
    int bits = 0;
    for (uint128 d = diff; d != 0; d >>= 1) ++bits;
    prefix = w - bits;
  }
  prefix = std::max(prefix, min_prefix);
  const int host = w - prefix;
  const uint128 mask = host >= 128 ? ~uint128(0) : ((uint128(1) << host) - 1);
  return Cidr{IpAddress{lo.family, lo.value & ~mask}, uint8_t(prefix)};
}

// The peers summarized into at most kMaxBlocks blocks: the smallest covering block of each /24 (IPv6
// /64) they fall in, else of each /16 (/48); empty when they spread wider.
std::vector<Cidr> summarize(const std::vector<PeerCount>& peers, const Cidr& rule_block) {
  const IpFamily f = rule_block.family();
  const int w = width(f);
  for (int g : f == IpFamily::kV4 ? std::vector<int>{24, 16} : std::vector<int>{64, 48}) {
    std::map<uint128, std::pair<IpAddress, IpAddress>> groups;
    for (const PeerCount& p : peers) {
      if (p.peer.family != f) continue;
      const uint128 key = p.peer.value >> (w - g);
      auto [it, fresh] = groups.try_emplace(key, p.peer, p.peer);
      if (!fresh) {
        it->second.first = std::min(it->second.first, p.peer);
        it->second.second = std::max(it->second.second, p.peer);
      }
    }
    if (groups.empty() || groups.size() > kMaxBlocks) continue;
    std::vector<Cidr> out;
    for (const auto& [k, lh] : groups) out.push_back(covering(lh.first, lh.second, rule_block.prefix_length));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  return {};
}

std::string aws_protocol(int p) {
  switch (p) {
    case proto::kAll: return "-1";
    case proto::kTcp: return "tcp";
    case proto::kUdp: return "udp";
    case proto::kIcmp: return "icmp";
    case proto::kIcmpv6: return "icmpv6";
    default: return std::to_string(p);
  }
}

JsonValue permission(const TrafficSpec& t, const std::vector<Cidr>& blocks, const std::string& description) {
  JsonValue p = JsonValue::object();
  p.set("IpProtocol", aws_protocol(t.protocol));
  if (has_ports(t.protocol)) {
    p.set("FromPort", int(t.ports.from));
    p.set("ToPort", int(t.ports.to));
  } else if (t.protocol == proto::kIcmp || t.protocol == proto::kIcmpv6) {
    p.set("FromPort", t.icmp_type);
    p.set("ToPort", t.icmp_code);
  }
  JsonValue v4 = JsonValue::array();
  JsonValue v6 = JsonValue::array();
  for (const Cidr& b : blocks) {
    JsonValue r = JsonValue::object();
    r.set(b.family() == IpFamily::kV4 ? "CidrIp" : "CidrIpv6", b.to_string());
    r.set("Description", description);
    (b.family() == IpFamily::kV4 ? v4 : v6).push(std::move(r));
  }
  if (!v4.as_array().empty()) p.set("IpRanges", std::move(v4));
  if (!v6.as_array().empty()) p.set("Ipv6Ranges", std::move(v6));
  return p;
}

// The ports the rule was used on, as single-port specs, when they are few and the rule is much wider.
std::vector<TrafficSpec> tighter_ports(const SecurityGroupRule& rule, const RuleHits& h) {
  const TrafficSpec& t = rule.traffic;
  if (h.ports.empty() || h.ports.size() > kMaxPorts) return {};
  std::vector<TrafficSpec> out;
  if (t.protocol == proto::kAll) {
    for (const PortCount& p : h.ports) {
      if (p.protocol == proto::kTcp || p.protocol == proto::kUdp) out.push_back({p.protocol, PortRange::single(p.port)});
      else if (p.protocol == proto::kIcmp || p.protocol == proto::kIcmpv6) out.push_back({p.protocol, PortRange::all(), -1, -1});
      else out.push_back({p.protocol, PortRange::all()});
    }
  } else if (has_ports(t.protocol) && t.ports.count() >= 16 * h.ports.size()) {
    for (const PortCount& p : h.ports) out.push_back({t.protocol, PortRange::single(p.port)});
  } else {
    return {};
  }
  std::sort(out.begin(), out.end(), [](const TrafficSpec& a, const TrafficSpec& b) {
    return std::tie(a.protocol, a.ports) < std::tie(b.protocol, b.ports);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void run(const CheckContext& ctx, FindingSink& sink) {
  if (report_no_flow_logs(ctx, sink)) return;
  const RuleUsage& usage = *ctx.rule_usage;
  for (const Region& region : ctx.account.regions) {
    if (!report_coverage_gaps(region, {Dataset::kSecurityGroups, Dataset::kNetworkInterfaces}, sink)) continue;
    for (const SecurityGroup& group : region.security_groups) {
      const GroupCoverage* cov = usage.coverage(group);
      for (const SecurityGroupRule& rule : group.rules) {
        const RuleHits* h = usage.hits(rule);
        if (h == nullptr || h->flows == 0) continue;  // unused rules are sg-rule-unused's
        std::string why = coverage_gap(usage, cov);
        if (why.empty() && h->ambiguous_flows > 0)
          why = fmt::format("{} flow(s) it may have admitted could not be settled", h->ambiguous_flows);
        if (!why.empty()) {
          Finding& f = rule_finding(sink, FindingStatus::kNotAssessed, region, group, rule, "not assessed: " + why);
          f.evidence = rule_usage_evidence(region, group, rule, h, cov);
          continue;
        }
        // Not narrowed by address: a public web port open to the internet (public by design; its
        // clients are whoever comes), and egress to the internet (destinations such as CDNs change).
        const bool internet = rule.peer.kind == PeerKind::kCidr && rule.peer.cidr.is_any();
        const bool public_web = internet && rule.is_ingress() && rule.traffic.protocol == proto::kTcp &&
                                (rule.traffic.ports == PortRange::single(80) || rule.traffic.ports == PortRange::single(443));
        const bool keep_peer = public_web || (internet && rule.is_egress());
        std::vector<Cidr> blocks;
        bool narrower_peers = false;
        // A block of /24 (IPv6 /64) or smaller is specific already: an office or partner range is not
        // narrowed to the hosts that happened to connect.
        const int specific = rule.peer.cidr.family() == IpFamily::kV4 ? 24 : 64;
        if (!keep_peer && rule.peer.kind == PeerKind::kCidr && rule.peer.cidr.prefix_length < specific) {
          blocks = summarize(h->peers, rule.peer.cidr);
          uint128 total = 0;
          for (const Cidr& b : blocks) total += b.size();
          narrower_peers = !blocks.empty() && total <= rule.peer.cidr.size() / 16;
        }
        std::vector<TrafficSpec> specs = tighter_ports(rule, *h);
        const bool narrower_ports = !specs.empty();
        if (!narrower_peers && !narrower_ports) {
          rule_finding(sink, FindingStatus::kPass, region, group, rule,
                       public_web ? std::string("a web port open to the internet: public by design, not narrowed by address")
                       : rule.peer.kind != PeerKind::kCidr
                           ? fmt::format("peer {} is not an address block; its {} port(s) in use match the rule",
                                         rule.peer.to_string(), h->ports.size())
                           : fmt::format("its {} peer(s) and {} port(s) in use span about what it grants",
                                         h->peers.size(), h->ports.size()));
          continue;
        }
        if (!narrower_peers) blocks = rule.peer.kind == PeerKind::kCidr ? std::vector<Cidr>{rule.peer.cidr} : std::vector<Cidr>{};
        if (!narrower_ports) specs = {rule.traffic};
        std::vector<std::string> proposed;
        for (const TrafficSpec& s : specs) {
          std::vector<std::string> where;
          for (const Cidr& b : blocks) where.push_back(b.to_string());
          proposed.push_back(s.to_string() + (rule.is_ingress() ? " from " : " to ") +
                             (where.empty() ? rule.peer.to_string() : join(where, ", ")));
        }
        // Egress to the internet on unusual ports is proposed as observed, but flagged for review.
        std::vector<std::string> review;
        if (rule.is_egress()) {
          const EgressSummary* internet = nullptr;
          for (const EgressSummary& e : usage.egress_by_group)
            if (e.group == &group) internet = &e;
          for (const TrafficSpec& s : specs) {
            if (internet == nullptr || !has_ports(s.protocol) || s.ports.from != s.ports.to) continue;
            const bool unusual = std::any_of(internet->unusual.begin(), internet->unusual.end(), [&](const PortCount& p) {
              return p.protocol == s.protocol && p.port == s.ports.from;
            });
            if (unusual) review.push_back(s.to_string());
          }
        }
        Finding& f = rule_finding(
            sink, FindingStatus::kFail, region, group, rule,
            fmt::format("{} served only {} peer(s) on {} port(s) over {}; tighter: {}{}",
                        describe_exposure(rule, "", nullptr, group.owner_id), h->peers.size(), h->ports.size(),
                        window_text(cov->window_start, cov->window_end), join(proposed, "; "),
                        review.empty() ? std::string()
                                       : " (review " + join(review, ", ") +
                                             " before authorizing: unusual internet egress, see flow-egress-unusual-port)"));
        if (!rule.is_ingress()) f.area = Area::kEgress;
        JsonValue e = rule_usage_evidence(region, group, rule, h, cov);
        JsonValue p = JsonValue::array();
        for (const std::string& s : proposed) p.push(s);
        e.set("proposed", std::move(p));
        f.evidence = std::move(e);
        if (rule.peer.kind != PeerKind::kCidr) {
          // A group or prefix-list peer keeps its peer; only the ports narrow.
          continue;
        }
        const std::string description =
            rule.description.empty() ? std::string("tightened by fortress from observed traffic")
                                     : std::string(rule.description.view());
        JsonValue perms = JsonValue::array();
        for (const TrafficSpec& s : specs) perms.push(permission(s, blocks, description));
        const SecurityGroupRule* one[] = {&rule};
        f.remediation_cli = fmt::format("aws ec2 {} --region {} --group-id {} --ip-permissions '{}' && {}",
                                        rule.is_ingress() ? "authorize-security-group-ingress"
                                                          : "authorize-security-group-egress",
                                        region.name, group.id, perms.dump(),
                                        revoke_command(region.name, group, rule.direction, one));
      }
    }
  }
}

}  // namespace

Check sg_rule_overbroad_check() {
  return Check{
      CheckMetadata{
          .id = "sg-rule-overbroad",
          .title = "Security group rule grants far more than the observed traffic uses",
          .severity = Severity::kMedium,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::SecurityGroupIngress",
          .cis_aws_3_0 = "",
          .rationale =
              "A rule such as tcp/22 from 0.0.0.0/0 that in practice served one partner range exposes the "
              "service to everyone for the benefit of a few. From the flow logs fortress knows the peers and "
              "ports each rule really admitted; when they fit in at most 8 blocks (the smallest block around "
              "the peers of each /24, IPv6 /64, or else of each /16, /48) covering at most 1/16 of the rule's "
              "block, or in at most 5 ports of a range (or protocol) 16 times wider, it proposes the tighter "
              "rules. Judged only when every in-use interface of the group was observed; egress rules are "
              "reported in the egress area.",
          .remediation =
              "Review the proposal with the service owner — a peer outside the observed window (a new office, a "
              "failover site) would be cut off — then authorize the tighter rules and revoke the broad one. "
              "fortress prints the commands and never runs them.",
          .remediation_cli =
              "aws ec2 authorize-security-group-ingress --region {region} --group-id {group_id} --ip-permissions "
              "'<tighter rules>' && aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
              "--security-group-rule-ids {rule_id}",
          .links = {"https://docs.aws.amazon.com/cli/latest/reference/ec2/authorize-security-group-ingress.html",
                    "https://docs.aws.amazon.com/cli/latest/reference/ec2/revoke-security-group-ingress.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html"},
      },
      run,
  };
}

}  // namespace fortress
