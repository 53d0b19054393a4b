// Which security-group grants the observed traffic really used: the attribution of an Aggregate to
// the rules of a snapshot, and the coverage that says over which interfaces and window it holds.
//
// attribute() resolves each distinct key once (never per record): the interface, the direction, who
// initiated, then the rules of the interface's groups that admit the initiating traffic (protocol,
// service port, peer by CIDR, prefix-list entry or security-group membership, same VPC or across an
// active peering). Only initiations count as use of a grant; return traffic does not. The result
// holds pointers into the Account, which must outlive it. docs/flows.md documents every rule.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "flows/aggregate.h"
#include "model/account.h"

namespace fortress::flows {

struct PeerCount {
  IpAddress peer;
  uint64_t flows = 0;
  uint64_t packets = 0;
  uint64_t bytes = 0;
};

struct PortCount {
  uint8_t protocol = 0;
  uint16_t port = 0;  // 0 for protocols without ports
  uint64_t flows = 0;
  uint64_t bytes = 0;
};
// "tcp/443", "udp/53", "icmp", "protocol 50"
[[nodiscard]] std::string port_text(uint8_t protocol, uint16_t port);

struct RuleHits {
  const Region* region = nullptr;
  const SecurityGroup* group = nullptr;
  const SecurityGroupRule* rule = nullptr;
  uint64_t flows = 0;  // initiating records this rule admitted
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t exclusive_flows = 0;  // ... that no other rule of the interface's groups admits
  uint64_t exclusive_packets = 0;
  uint64_t exclusive_bytes = 0;
  // Flows it may have admitted but that cannot be settled: initiator undetermined, an ICMP rule of one
  // type (flow logs carry no ICMP type), or a referenced group / prefix list whose members are unknown.
  uint64_t ambiguous_flows = 0;
  uint32_t first_seen = UINT32_MAX;  // earliest start of an admitted flow (Unix seconds)
  uint32_t last_seen = 0;
  std::vector<PeerCount> peers;  // distinct peers, most flows first
  std::vector<PortCount> ports;  // service ports, most flows first
  std::vector<const SecurityGroupRule*> shared_with;  // other rules that admitted some of its flows
  std::string unknown;  // why its matches are not fully known ("" when they are)
};

// Over which of a group's interfaces the flow logs hold (docs/flows.md, "Coverage").
struct GroupCoverage {
  size_t enis = 0;      // in-use interfaces carrying the group
  size_t observed = 0;  // ... covered by an active ALL/ACCEPT flow log whose records were read
  uint64_t skipdata = 0;  // SKIPDATA records of those: some of their traffic was not logged
  std::vector<std::string> gaps;  // why interfaces are not observed (one line each, first 10)
  uint32_t window_start = 0;  // union of the observed interfaces' windows (0 = none)
  uint32_t window_end = 0;
  [[nodiscard]] bool complete() const { return enis > 0 && observed == enis && skipdata == 0; }
  [[nodiscard]] uint32_t window_seconds() const { return window_end > window_start ? window_end - window_start : 0; }
};

struct EgressPeer {
  IpAddress peer;
  uint64_t flows = 0;
  uint64_t packets = 0;
  uint64_t bytes = 0;
  std::vector<PortCount> ports;
};

// Outbound initiations to public addresses, for one interface or one group (all its interfaces).
struct EgressSummary {
  const Region* region = nullptr;
  const NetworkInterface* eni = nullptr;  // set for an interface summary
  const SecurityGroup* group = nullptr;   // set for a group summary
  size_t enis = 0;
  uint64_t flows = 0;
  uint64_t packets = 0;
  uint64_t bytes = 0;
  size_t distinct_peers = 0;
  std::vector<PortCount> ports;      // most bytes first
  std::vector<EgressPeer> top_peers;  // most bytes first, at most 10
  std::vector<PortCount> unusual;    // ports outside the usual egress set, most bytes first
  std::vector<EgressPeer> unusual_peers;  // the peers reached on them, most bytes first, at most 10
  std::vector<const SecurityGroupRule*> unusual_rules;  // the egress rules that admitted those flows
};

// REJECTed records of one interface: what is being tried.
struct RejectedSummary {
  const Region* region = nullptr;
  const NetworkInterface* eni = nullptr;  // null when the interface is not in the snapshot
  std::string interface_id;
  uint64_t flows = 0;
  uint64_t packets = 0;
  uint64_t inbound_flows = 0;
  uint64_t outbound_flows = 0;
  size_t distinct_sources = 0;
  std::vector<PeerCount> top_sources;  // most flows first, at most 10
  std::vector<PortCount> top_ports;    // destination ports, most flows first, at most 10
};

struct AttributionStats {
  uint64_t keys = 0;
  uint64_t initiations = 0;         // ACCEPTed initiating flows
  uint64_t matched = 0;             // ... admitted by at least one rule
  uint64_t return_flows = 0;        // return traffic (not counted as use)
  uint64_t undetermined_flows = 0;  // initiator could not be decided
  uint64_t unmatched_flows = 0;     // ACCEPTed initiations no rule of the snapshot admits
  uint64_t rejected_flows = 0;
  uint64_t unknown_interface_flows = 0;  // interfaces not in the snapshot
  uint64_t unresolved_direction_flows = 0;  // neither address is the interface's
  size_t unknown_interfaces = 0;
  std::vector<std::string> unknown_interface_ids;  // the 10 smallest, sorted
  // Up to 10 unmatched initiations, the most flows first: "eni-x: tcp/8443 from 10.1.2.3"
  std::vector<std::string> unmatched_samples;
};

// The usual egress ports: outbound traffic to the internet on any other is flagged.
[[nodiscard]] std::vector<std::pair<uint8_t, uint16_t>> default_usual_egress_ports();

struct AttributionOptions {
  std::vector<std::pair<uint8_t, uint16_t>> usual_egress_ports = default_usual_egress_ports();
  uint32_t min_window_seconds = 0;  // --min-window: rule findings need at least this observed window
  // Match every key rule by rule instead of by the per-interface compiled candidates (the same result,
  // slower): the reference the tests compare the compiled matching with.
  bool reference_matching = false;
};

struct RuleUsage {
  uint32_t window_start = 0;  // of all records read (0 when none)
  uint32_t window_end = 0;
  uint32_t min_window_seconds = 0;
  std::vector<std::pair<uint8_t, uint16_t>> usual_egress_ports;
  AttributionStats stats;
  std::unordered_map<const SecurityGroupRule*, RuleHits> rules;  // every rule of every group
  std::unordered_map<const SecurityGroup*, GroupCoverage> groups;
  std::vector<EgressSummary> egress_by_eni;    // region, interface order
  std::vector<EgressSummary> egress_by_group;  // region, group order
  std::vector<RejectedSummary> rejected;       // most flows first
  // Per region: in-use interfaces and those observed.
  std::map<std::string, std::pair<size_t, size_t>, std::less<>> region_enis;
  std::map<const NetworkInterface*, GroupCoverage> eni_coverage;  // per interface (enis = 1)

  [[nodiscard]] const RuleHits* hits(const SecurityGroupRule& rule) const {
    auto it = rules.find(&rule);
    return it == rules.end() ? nullptr : &it->second;
  }
  [[nodiscard]] const GroupCoverage* coverage(const SecurityGroup& group) const {
    auto it = groups.find(&group);
    return it == groups.end() ? nullptr : &it->second;
  }
};

[[nodiscard]] RuleUsage attribute(const Aggregate& aggregate, const Account& account,
                                  const AttributionOptions& options = {});

// "3d 4h", "2h 5m", "45s": a window length as findings state it.
[[nodiscard]] std::string duration_text(uint64_t seconds);
// "2026-12-01T10:00:00Z"
[[nodiscard]] std::string time_text(uint32_t unix_seconds);

}  // namespace fortress::flows
