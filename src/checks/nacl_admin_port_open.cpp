// nacl-admin-port-open (CIS 5.1): a network ACL whose inbound entries let some internet address
// reach tcp/22 or tcp/3389.
//
// Exact first-match evaluation: for each admin port and address family, the address space is split
// at every boundary of the entries that match the port and of the non-public ranges; within one
// elementary interval every address meets the same first matching entry (rule-number order, then
// the implicit deny). An interval whose first match is an allow and which holds a publicly routable
// address is an exposure. So "deny 10.0.0.0/8, allow 0.0.0.0/0" FAILs, "deny 0.0.0.0/0, allow
// 0.0.0.0/0" PASSes, and an allow for 203.0.113.0/24 (documentation space) alone PASSes. Addresses
// inside the user's trusted_cidrs (their office or VPN egress) are not "the internet".
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "checks/network_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

constexpr uint16_t kAdminPorts[] = {22, 3389};

// Boundaries of address space that is not publicly routable. The split only makes intervals
// homogeneous; whether an interval holds a public address is decided by is_public() itself, so the
// result stays exact even if this list and net.cpp's classification ever drift apart.
constexpr std::string_view kNonPublicV4[] = {
    "0.0.0.0/8",       "10.0.0.0/8",     "100.64.0.0/10", "127.0.0.0/8",    "169.254.0.0/16",
    "172.16.0.0/12",   "192.0.0.0/24",   "192.0.2.0/24",  "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",   "240.0.0.0/4",
};
constexpr std::string_view kNonPublicV6[] = {
    "::/128", "::1/128", "::ffff:0:0/96", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8",
};

int family_bits(IpFamily f) {
  return f == IpFamily::kV4 ? 32 : 128;
}
uint128 family_max(IpFamily f) {
  return f == IpFamily::kV4 ? uint128(0xFFFFFFFFu) : ~uint128(0);
}
uint128 low_mask(int k) {
  return k >= 128 ? ~uint128(0) : (uint128(1) << k) - 1;
}

const std::vector<Cidr>& non_public_blocks(IpFamily family) {
  static const std::vector<Cidr> v4 = [] {
    std::vector<Cidr> out;
    for (std::string_view s : kNonPublicV4) {
      if (auto c = parse_cidr(s)) out.push_back(c->cidr);
    }
    return out;
  }();
  static const std::vector<Cidr> v6 = [] {
    std::vector<Cidr> out;
    for (std::string_view s : kNonPublicV6) {
      if (auto c = parse_cidr(s)) out.push_back(c->cidr);
    }
    return out;
  }();
  return family == IpFamily::kV4 ? v4 : v6;
}

// Narrows a block that holds some public address down to one that is wholly public.
Cidr narrow_to_public(Cidr block) {
  const int bits = family_bits(block.family());
  while (classify(block) != AddressClass::kPublic && block.prefix_length < bits) {
    const uint8_t p = uint8_t(block.prefix_length + 1);
    Cidr lower{block.network, p};
    Cidr upper{IpAddress{block.family(), block.network.value | (uint128(1) << (bits - p))}, p};
    block = is_public(lower) ? lower : upper;
  }
  return block;
}

// A wholly public block inside [lo, hi], if the interval holds any public address.
std::optional<Cidr> public_block_in(IpFamily family, uint128 lo, uint128 hi) {
  const int bits = family_bits(family);
  uint128 cur = lo;
  while (true) {
    int k = 0;
    while (k < bits && ((cur >> k) & 1) == 0) ++k;  // alignment of cur (bits when cur == 0)
    while (k > 0 && low_mask(k) > hi - cur) --k;
    Cidr block{IpAddress{family, cur}, uint8_t(bits - k)};
    if (is_public(block)) return narrow_to_public(block);
    if (hi - cur == low_mask(k)) return std::nullopt;
    cur += low_mask(k) + 1;
  }
}

struct Exposure {
  const NetworkAclEntry* entry = nullptr;  // the first-matching allow
  std::vector<uint16_t> ports;
  std::vector<Cidr> public_examples;  // one per port
};

// Every (entry, port) through which some public address first-matches an allow for tcp/port.
std::vector<Exposure> find_exposures(const NetworkAcl& acl, const Config& config) {
  std::vector<const NetworkAclEntry*> inbound;
  for (const NetworkAclEntry& e : acl.entries) {
    if (!e.egress) inbound.push_back(&e);
  }
  std::stable_sort(inbound.begin(), inbound.end(), [](const NetworkAclEntry* a, const NetworkAclEntry* b) {
    return a->rule_number < b->rule_number;
  });

  std::vector<Exposure> out;
  for (uint16_t port : kAdminPorts) {
    for (IpFamily family : {IpFamily::kV4, IpFamily::kV6}) {
      std::vector<const NetworkAclEntry*> matching;
      for (const NetworkAclEntry* e : inbound) {
        if (e->cidr.family() == family && e->traffic.admits(proto::kTcp, port)) matching.push_back(e);
      }
      if (matching.empty()) continue;  // implicit deny for the whole family
      const uint128 max = family_max(family);
      std::set<uint128> cuts{0};
      auto add_block = [&](const Cidr& c) {
        cuts.insert(c.first().value);
        if (c.last().value != max) cuts.insert(c.last().value + 1);
      };
      for (const NetworkAclEntry* e : matching) add_block(e->cidr);
      for (const Cidr& c : non_public_blocks(family)) add_block(c);
      for (const Cidr& c : config.trusted_cidrs) {
        if (c.family() == family) add_block(c);
      }

      for (auto it = cuts.begin(); it != cuts.end(); ++it) {
        const uint128 lo = *it;
        auto next = std::next(it);
        const uint128 hi = next == cuts.end() ? max : *next - 1;
        const IpAddress representative{family, lo};
        const NetworkAclEntry* first = nullptr;
        for (const NetworkAclEntry* e : matching) {
          if (e->cidr.contains(representative)) {
            first = e;
            break;
          }
        }
        if (first == nullptr || !first->allow) continue;
        if (config.is_trusted(Cidr{representative, uint8_t(family_bits(family))})) continue;
        std::optional<Cidr> example = public_block_in(family, lo, hi);
        if (!example) continue;
        auto found =
            std::find_if(out.begin(), out.end(), [&](const Exposure& x) { return x.entry == first; });
        if (found == out.end()) {
          out.push_back({first, {}, {}});
          found = std::prev(out.end());
        }
        if (std::find(found->ports.begin(), found->ports.end(), port) == found->ports.end()) {
          found->ports.push_back(port);
          found->public_examples.push_back(*example);
        }
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Exposure& a, const Exposure& b) {
    return a.entry->rule_number < b.entry->rule_number;
  });
  return out;
}

bool only_this_admin_port(const TrafficSpec& t, uint16_t port) {
  return t.protocol == proto::kTcp && t.ports.from == port && t.ports.to == port;
}

std::string cidr_flag(const Cidr& c) {
  return (c.family() == IpFamily::kV4 ? "--cidr-block " : "--ipv6-cidr-block ") + c.to_string();
}

// The commands that close exactly these exposures: delete an entry that admits nothing but the admin
// port; otherwise insert a deny for the port and the entry's CIDR just before it (the highest free
// rule number below it), so whatever else the entry allows keeps working. With no free number below,
// replace the entry by that deny.
std::string remediation_commands(std::string_view region, const NetworkAcl& acl,
                                 const std::vector<Exposure>& found) {
  std::set<int32_t> used;
  for (const NetworkAclEntry& e : acl.entries) {
    if (!e.egress) used.insert(e.rule_number);
  }
  const std::string base = fmt::format("--region {} --network-acl-id {} --ingress", region, acl.id);
  std::vector<std::string> commands;
  for (const Exposure& x : found) {
    const NetworkAclEntry& e = *x.entry;
    if (x.ports.size() == 1 && only_this_admin_port(e.traffic, x.ports[0])) {
      commands.push_back(
          fmt::format("aws ec2 delete-network-acl-entry {} --rule-number {}", base, e.rule_number));
      continue;
    }
    for (uint16_t port : x.ports) {
      int32_t free_number = e.rule_number - 1;
      while (free_number >= 1 && used.count(free_number) != 0) --free_number;
      if (free_number >= 1) {
        used.insert(free_number);
        commands.push_back(
            fmt::format("aws ec2 create-network-acl-entry {} --rule-number {} --protocol tcp --port-range "
                        "From={},To={} {} "
                        "--rule-action deny",
                        base, free_number, port, port, cidr_flag(e.cidr)));
      } else {
        commands.push_back(
            fmt::format("aws ec2 replace-network-acl-entry {} --rule-number {} --protocol tcp --port-range "
                        "From={},To={} {} "
                        "--rule-action deny",
                        base, e.rule_number, port, port, cidr_flag(e.cidr)));
      }
    }
  }
  return join(commands, " && ");
}

std::string ports_list(const std::vector<uint16_t>& ports) {
  std::vector<std::string> items;
  for (uint16_t p : ports) items.push_back("tcp/" + std::to_string(p));
  return join(items, ", ");
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    report_coverage_gaps(region, {Dataset::kNetworkAcls}, sink);
    for (const NetworkAcl& acl : region.network_acls) {
      const std::vector<Exposure> found = find_exposures(acl, ctx.config);
      JsonValue evidence = JsonValue::object();
      evidence.set("network_acl_id", acl.id);
      evidence.set("vpc_id", acl.vpc_id);
      evidence.set("is_default", acl.is_default);
      evidence.set("associated_subnets", JsonValue::strings(acl.subnet_ids));
      if (found.empty()) {
        Finding& f = sink.pass(region.name, acl.id, acl.name(),
                               "no internet address reaches tcp/22 or tcp/3389 through the inbound entries");
        f.evidence = std::move(evidence);
        continue;
      }
      std::vector<std::string> parts;
      JsonValue exposures = JsonValue::array();
      for (const Exposure& x : found) {
        const NetworkAclEntry& e = *x.entry;
        std::string part =
            fmt::format("rule {} allows {} from {}", e.rule_number, ports_list(x.ports), e.cidr.to_string());
        const std::string traffic = e.traffic.to_string();
        if (!(x.ports.size() == 1 && only_this_admin_port(e.traffic, x.ports[0])))
          part += " (entry: " + traffic + ")";
        parts.push_back(std::move(part));
        for (size_t i = 0; i < x.ports.size(); ++i) {
          JsonValue item = JsonValue::object();
          item.set("rule_number", e.rule_number);
          item.set("cidr", e.cidr.to_string());
          item.set("protocol", "tcp");
          item.set("port", int(x.ports[i]));
          item.set("entry_traffic", traffic);
          item.set("public_source_example", x.public_examples[i].to_string());
          exposures.push(std::move(item));
        }
      }
      Finding& f = sink.fail(region.name, acl.id, acl.name(), join(parts, "; "));
      evidence.set("exposures", std::move(exposures));
      f.evidence = std::move(evidence);
      f.remediation_cli = remediation_commands(region.name, acl, found);
    }
  }
}

}  // namespace

Check nacl_admin_port_open_check() {
  return Check{
      CheckMetadata{
          .id = "nacl-admin-port-open",
          .title = "Network ACL allows SSH or RDP from the internet",
          .severity = Severity::kHigh,
          .area = Area::kIngress,
          .resource_type = "AWS::EC2::NetworkAcl",
          .cis_aws_3_0 = "5.1",
          .rationale =
              "The network ACL is the subnet's stateless second line behind security groups; when its first "
              "matching inbound entry (rule-number order) for tcp/22 or tcp/3389 is an allow for some "
              "publicly "
              "routable IPv4 or IPv6 address outside your trusted_cidrs, one permissive security group is all that stands between the "
              "internet and a login prompt. Entries are evaluated exactly: a deny for 10.0.0.0/8 before an "
              "allow for 0.0.0.0/0 still leaves the internet in.",
          .remediation =
              "Delete an entry that allows only the admin port; otherwise add a deny entry for the port, "
              "just "
              "before the allowing entry, so what else the entry allows keeps working (add allow entries for "
              "your administrators' ranges before the deny if they need the port). When no rule number is "
              "free "
              "below the entry, the command replaces the entry with the deny: re-create what it allowed.",
          .remediation_cli = "aws ec2 create-network-acl-entry --region {region} --network-acl-id "
                             "{network_acl_id} --ingress "
                             "--rule-number {free_rule_number_below_entry} --protocol tcp --port-range "
                             "From={port},To={port} "
                             "--cidr-block {cidr} --rule-action deny",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
                    "https://docs.aws.amazon.com/cli/latest/reference/ec2/create-network-acl-entry.html"},
      },
      run,
  };
}

}  // namespace fortress
