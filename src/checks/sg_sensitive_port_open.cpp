// sg-sensitive-port-open: a configured service port (databases, caches, file sharing, ...) open to
// the whole internet. One finding per group, listing every exposed port with the rule exposing it.
#include <algorithm>

#include "checks/network_checks.h"
#include "checks/reach_evidence.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

// The sensitive ports a rule admits: "tcp/3306", "udp/161", "tcp+udp/6379" (protocol -1), each
// clipped to the part of the sensitive range the rule covers.
std::vector<std::string> exposed_sensitive_ports(const TrafficSpec& t, std::span<const PortRange> sensitive) {
  std::vector<std::string> out;
  if (!t.is_all_traffic() && !has_ports(t.protocol)) return out;
  for (const PortRange& s : sensitive) {
    std::string item;
    if (t.is_all_traffic()) {
      item = "tcp+udp/" + s.to_string();
    } else {
      if (!t.ports.overlaps(s)) continue;
      PortRange clipped{std::max(t.ports.from, s.from), std::min(t.ports.to, s.to)};
      item = protocol_name(t.protocol) + "/" + clipped.to_string();
    }
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
  }
  return out;
}

// All protocols, or every tcp or udp port: the rule opens whatever the sensitive list names.
bool covers_all_ports(const TrafficSpec& t) {
  return t.is_all_traffic() || (has_ports(t.protocol) && t.ports.is_all());
}

void run(const CheckContext& ctx, FindingSink& sink) {
  const std::span<const PortRange> sensitive = ctx.config.sensitive_ports;
  reach::PortSet sensitive_set;
  for (const PortRange& r : sensitive) sensitive_set.add(r.from, r.to);
  for_each_region(ctx, sink, [&](const Region& region, FindingSink& sink) {
    report_coverage_gaps(region, {Dataset::kSecurityGroups}, sink);
    for (const SecurityGroup& group : region.security_groups) {
      GroupVerdict verdict;
      std::vector<std::string> exposed_ports;  // every exposed port, for the evidence
      for (const SecurityGroupRule& rule : group.rules) {
        if (!rule.is_ingress() || rule.peer.kind == PeerKind::kSecurityGroup) continue;
        PeerMatch match = peer_admits_internet(region, rule.peer);
        if (match.answer == PeerAnswer::kNo) continue;
        std::vector<std::string> exposed = exposed_sensitive_ports(rule.traffic, sensitive);
        if (exposed.empty()) continue;
        if (match.answer == PeerAnswer::kYes) {
          for (const std::string& p : exposed) {
            if (std::find(exposed_ports.begin(), exposed_ports.end(), p) == exposed_ports.end())
              exposed_ports.push_back(p);
          }
          // A rule that opens every configured port says so in one phrase instead of listing ~45.
          if (exposed.size() > 3 && exposed.size() == sensitive.size() && covers_all_ports(rule.traffic)) {
            exposed = {"every sensitive port (" + std::to_string(sensitive.size()) + " in sensitive_ports)"};
          }
          verdict.offenses.push_back({&rule, std::move(match), std::move(exposed)});
        } else if (match.answer == PeerAnswer::kUnknown) {
          verdict.unknowns.push_back(describe_exposure(rule, join(exposed, ", "), nullptr) + ": " +
                                     match.unknown_reason);
        }
      }
      GrantReachability reachability =
          reachability_evidence(ctx, region, group, verdict.offenses, {proto::kAll, sensitive_set});
      Finding& f = record_group_verdict(region, group, std::move(verdict), "",
                                        "no sensitive port is open to 0.0.0.0/0 or ::/0", sink, reachability.note);
      if (f.status == FindingStatus::kFail) f.evidence.set("exposed_ports", JsonValue::strings(exposed_ports));
      attach_reachability(f, std::move(reachability));
    }
  });
}

}  // namespace

Check sg_sensitive_port_open_check() {
  return Check{
      CheckMetadata{
          .id = "sg-sensitive-port-open",
          .title = "Security group exposes a sensitive service port to the internet",
          .severity = Severity::kHigh,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::SecurityGroup",
          .cis_aws_3_0 = "",
          .rationale =
              "Databases, caches, message brokers and file-sharing services (the ports in the "
              "configuration's "
              "sensitive_ports, tcp or udp) are not built to face the internet: they are mass-scanned, often "
              "run without authentication, and are a common source of data breaches and ransom attacks.",
          .remediation =
              "Revoke the rules listed in the finding. Clients inside AWS should reach the service through a "
              "security-group reference or private addresses; external clients through a VPN, AWS "
              "PrivateLink "
              "or an authenticated proxy.",
          .remediation_cli = "aws ec2 revoke-security-group-ingress --region {region} --group-id {group_id} "
                             "--security-group-rule-ids {rule_ids}",
          .links =
              {"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
               "https://docs.aws.amazon.com/cli/latest/reference/ec2/revoke-security-group-ingress.html"},
      },
      run,
  };
}

}  // namespace fortress
