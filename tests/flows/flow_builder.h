// Helpers for flow-log tests: interfaces with addresses in a TestAccount (tests/checks/builder.h),
// flow log lines in the v2 default format, and aggregate + attribute in one call.
#pragma once

#include <string>
#include <vector>

#include "checks/builder.h"
#include "flows/aggregate.h"
#include "flows/reader.h"
#include "flows/rule_usage.h"

namespace fortress::testing {

// An in-use interface with one private IPv4 (and optionally one IPv6) address.
inline NetworkInterface& add_eni(TestAccount& t, std::string id, std::vector<Symbol> groups, std::string ip,
                                 std::string v6 = "", std::string vpc = "vpc-1", std::string subnet = "subnet-1") {
  NetworkInterface n;
  n.id = std::move(id);
  n.vpc_id = std::move(vpc);
  n.subnet_id = std::move(subnet);
  n.status = "in-use";
  n.group_ids = std::move(groups);
  n.private_ips.push_back({*parse_ip(ip), std::nullopt, true});
  if (!v6.empty()) n.ipv6_addresses.push_back(*parse_ip(v6));
  t.region().network_interfaces.push_back(std::move(n));
  return t.region().network_interfaces.back();
}

inline constexpr uint32_t kT0 = 1764547200;  // 2025-12-01T00:00:00Z

// One v2 default record.
inline std::string v2(std::string_view eni, std::string_view src, std::string_view dst, int sport, int dport,
                      int protocol = 6, std::string_view action = "ACCEPT", uint64_t packets = 10, uint64_t bytes = 1000,
                      uint32_t start = kT0, uint32_t end = kT0 + 60) {
  return fmt::format("2 111122223333 {} {} {} {} {} {} {} {} {} {} {} OK\n", eni, src, dst, sport, dport, protocol,
                     packets, bytes, start, end, action);
}
inline std::string nodata(std::string_view eni, uint32_t start = kT0, uint32_t end = kT0 + 86400) {
  return fmt::format("2 111122223333 {} - - - - - - - {} {} - NODATA\n", eni, start, end);
}

// Aggregates `lines` (v2 default, or with a header line first) as if read from a file delivered by
// `flow_log` and attributes them to the account.
inline flows::RuleUsage usage_of(const Account& account, const std::string& lines,
                                 std::string flow_log = "fl-1", flows::AttributionOptions options = {}) {
  flows::Aggregate agg;
  const std::string name = "111122223333_vpcflowlogs_us-east-1_" + flow_log + "_20251201T0000Z_0123abcd.log";
  flows::aggregate_text(lines, name, flows::LogFormat::default_v2(), agg);
  return flows::attribute(agg, account, options);
}

inline const flows::RuleHits& hits_of(const flows::RuleUsage& u, const Account& a, std::string_view group,
                                      size_t rule_index) {
  const SecurityGroup* g = a.region(kRegion)->security_group(group);
  EXPECT_NE(g, nullptr) << group;
  static const flows::RuleHits kNone;
  if (g == nullptr || rule_index >= g->rules.size()) return kNone;
  const flows::RuleHits* h = u.hits(g->rules[rule_index]);
  return h == nullptr ? kNone : *h;
}

}  // namespace fortress::testing
