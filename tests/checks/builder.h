// Builds Account objects for check tests concisely: groups, rules, ENIs, prefix lists, NACLs, VPCs
// and flow logs in one region (or several), every dataset covered unless a test says otherwise.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/check.h"
#include "checks/registry.h"
#include "model/account.h"
#include "model/net.h"

namespace fortress::testing {

inline constexpr std::string_view kRegion = "us-east-1";

inline Cidr cidr(std::string_view text) {
  Expected<ParsedCidr> parsed = parse_cidr(text);
  EXPECT_TRUE(parsed.has_value()) << "bad CIDR in test: " << text;
  return parsed.has_value() ? parsed->cidr : Cidr{};
}

inline TrafficSpec tcp(uint16_t from, uint16_t to) {
  return {proto::kTcp, {from, to}};
}
inline TrafficSpec tcp(uint16_t port) {
  return tcp(port, port);
}
inline TrafficSpec udp(uint16_t from, uint16_t to) {
  return {proto::kUdp, {from, to}};
}
inline TrafficSpec udp(uint16_t port) {
  return udp(port, port);
}
inline TrafficSpec all_traffic() {
  return {proto::kAll, PortRange::all()};
}
inline TrafficSpec icmp_all() {
  return {proto::kIcmp, PortRange::all(), -1, -1};
}

// "sg-..." is a group peer, "pl-..." a prefix-list peer, anything else a CIDR.
inline RulePeer peer(std::string_view text) {
  RulePeer p;
  if (text.starts_with("sg-")) {
    p.kind = PeerKind::kSecurityGroup;
    p.group_id = std::string(text);
  } else if (text.starts_with("pl-")) {
    p.kind = PeerKind::kPrefixList;
    p.prefix_list_id = std::string(text);
  } else {
    p.kind = PeerKind::kCidr;
    p.cidr = cidr(text);
  }
  return p;
}

inline SecurityGroupRule ingress(TrafficSpec traffic, std::string_view from, std::string rule_id = "",
                                 std::string description = "") {
  SecurityGroupRule r;
  r.rule_id = std::move(rule_id);
  r.direction = RuleDirection::kIngress;
  r.traffic = traffic;
  r.peer = peer(from);
  r.description = std::move(description);
  return r;
}

inline SecurityGroupRule egress(TrafficSpec traffic, std::string_view to, std::string rule_id = "") {
  SecurityGroupRule r = ingress(traffic, to, std::move(rule_id));
  r.direction = RuleDirection::kEgress;
  return r;
}

inline NetworkAclEntry nacl_in(int32_t number, bool allow, TrafficSpec traffic, std::string_view block) {
  NetworkAclEntry e;
  e.rule_number = number;
  e.egress = false;
  e.allow = allow;
  e.traffic = traffic;
  e.cidr = cidr(block);
  return e;
}
inline NetworkAclEntry nacl_out(int32_t number, bool allow, TrafficSpec traffic, std::string_view block) {
  NetworkAclEntry e = nacl_in(number, allow, traffic, block);
  e.egress = true;
  return e;
}
constexpr bool kAllow = true;
constexpr bool kDeny = false;

class TestAccount {
 public:
  // One region, every dataset collected (ok).
  TestAccount() {
    account.account_id = "111122223333";
    covered_region(kRegion);
  }

  Region& covered_region(std::string_view name) {
    Region& r = account.region_mut(name);
    for (Coverage& c : r.coverage) c = Coverage{CoverageStatus::kOk, "test"};
    return r;
  }
  Region& region(std::string_view name = kRegion) { return account.region_mut(name); }

  TestAccount& coverage(Dataset d, CoverageStatus status, std::string detail = "",
                        std::string_view in = kRegion) {
    region(in).coverage[size_t(d)] = Coverage{status, std::move(detail)};
    return *this;
  }

  TestAccount& group(std::string id, std::vector<SecurityGroupRule> rules, std::string vpc = "vpc-1",
                     std::string group_name = "", std::string_view in = kRegion) {
    SecurityGroup g;
    g.id = std::move(id);
    g.group_name = group_name.empty() ? "group-" + g.id : std::move(group_name);
    g.vpc_id = std::move(vpc);
    g.owner_id = account.account_id;
    g.rules = std::move(rules);
    for (const SecurityGroupRule& r : g.rules) g.rule_ids_known |= !r.rule_id.empty();
    region(in).security_groups.push_back(std::move(g));
    return *this;
  }

  TestAccount& eni(std::string id, std::vector<Symbol> groups, std::string_view in = kRegion) {
    NetworkInterface n;
    n.id = std::move(id);
    n.vpc_id = "vpc-1";
    n.group_ids = std::move(groups);
    region(in).network_interfaces.push_back(std::move(n));
    return *this;
  }

  // entries == nullopt: the list is known but its entries were not collected.
  TestAccount& prefix_list(std::string id, std::optional<std::vector<std::string>> entries,
                           std::string family = "IPv4", std::string owner = "111122223333") {
    PrefixList p;
    p.id = std::move(id);
    p.name = "list-" + p.id;
    p.address_family = std::move(family);
    p.owner_id = std::move(owner);
    if (entries) {
      p.entries.emplace();
      for (const std::string& e : *entries) p.entries->push_back({cidr(e), ""});
    }
    region().prefix_lists.push_back(std::move(p));
    return *this;
  }

  TestAccount& nacl(std::string id, std::vector<NetworkAclEntry> entries,
                    std::vector<Symbol> subnets = {}, std::string vpc = "vpc-1") {
    NetworkAcl a;
    a.id = std::move(id);
    a.vpc_id = std::move(vpc);
    a.entries = std::move(entries);
    a.subnet_ids = std::move(subnets);
    region().network_acls.push_back(std::move(a));
    return *this;
  }

  TestAccount& vpc(std::string id, std::string_view in = kRegion) {
    Vpc v;
    v.id = std::move(id);
    v.state = "available";
    region(in).vpcs.push_back(std::move(v));
    return *this;
  }

  TestAccount& flow_log(std::string id, std::string resource, std::string status = "ACTIVE",
                        std::string delivery = "SUCCESS", std::string traffic = "ALL") {
    FlowLog f;
    f.id = std::move(id);
    f.resource_id = std::move(resource);
    f.status = std::move(status);
    f.deliver_logs_status = std::move(delivery);
    f.traffic_type = std::move(traffic);
    f.destination_type = "s3";
    f.destination = "arn:aws:s3:::flow-logs";
    region().flow_logs.push_back(std::move(f));
    return *this;
  }

  // Finalizes the model (builds the indexes) and returns it.
  const Account& done() {
    account.finalize();
    return account;
  }

  Account account;
};

// Runs one registered check over the account.
inline std::vector<Finding> run_check(std::string_view id, const Account& account,
                                      const Config& config = {}) {
  const Check* check = find_check(id);
  EXPECT_NE(check, nullptr) << "check not registered: " << id;
  std::vector<Finding> out;
  if (check == nullptr) return out;
  FindingSink sink(check->meta, account, out);
  check->run(CheckContext{account, config}, sink);
  return out;
}

// The one finding for a resource (fails the test when there is not exactly one).
inline const Finding& only_finding(const std::vector<Finding>& findings, std::string_view resource_id) {
  const Finding* found = nullptr;
  int count = 0;
  for (const Finding& f : findings) {
    if (f.resource_id == resource_id) {
      found = &f;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << "findings for " << resource_id;
  static const Finding kNone{.check_id = "none", .status = FindingStatus::kMuted};
  return found == nullptr ? kNone : *found;
}

// For a temporary vector (`only_finding(run_check(...), id)`): a copy, so `const Finding& f = ...` binds
// to it (lifetime extended) instead of to an element of the destroyed vector.
inline Finding only_finding(std::vector<Finding>&& findings, std::string_view resource_id) {
  return only_finding(static_cast<const std::vector<Finding>&>(findings), resource_id);
}

inline size_t count_status(const std::vector<Finding>& findings, FindingStatus s) {
  size_t n = 0;
  for (const Finding& f : findings) n += f.status == s ? 1 : 0;
  return n;
}

// Resource IDs of the rules listed in a finding's evidence ("rules" array), in order.
inline std::vector<std::string> evidence_rule_ids(const Finding& f) {
  std::vector<std::string> ids;
  const std::optional<JsonValue> rules = f.evidence.get("rules");
  if (!rules || !rules->is_array()) return ids;
  for (const JsonValue& r : rules->as_array()) {
    const JsonValue* id = r.get("rule_id");
    ids.push_back(id == nullptr ? std::string() : id->as_string());
  }
  return ids;
}

inline std::string status_name(FindingStatus s) {
  return std::string(to_string(s));
}

// A table-driven case for a check with one finding per security group: the rules of group sg-1 and
// the verdict expected for it.
struct GroupCase {
  std::string name;
  std::vector<SecurityGroupRule> rules;
  FindingStatus expected;
  std::string detail;  // the exact detail of a FAIL; a part of it otherwise
};

inline void expect_verdict(const Finding& f, const GroupCase& c) {
  EXPECT_EQ(status_name(f.status), status_name(c.expected)) << f.detail;
  if (c.expected == FindingStatus::kFail) {
    EXPECT_EQ(f.detail, c.detail);
  } else {
    EXPECT_THAT(f.detail, ::testing::HasSubstr(c.detail));
  }
}

}  // namespace fortress::testing
