// What the security-group and NACL checks share: reading a rule's peer as address blocks (prefix
// lists expanded), describing rules and exposures in one line, building evidence, building the
// exact revoke command for a group, and reporting coverage gaps as NOT_ASSESSED.
//
// Nothing here does I/O. Every function is O(size of its arguments): checks call them per rule and
// per group, never per account.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "checks/check.h"
#include "model/account.h"
#include "model/net.h"
#include "util/json_value.h"

namespace fortress {

// The answer to "do the peer's addresses include X?" when the addresses may be unknown.
enum class PeerAnswer : uint8_t {
  kNo,       // the peer's addresses are known and none qualifies (or the peer is a security group)
  kYes,      // at least one of the peer's address blocks qualifies; see PeerMatch::matched
  kUnknown,  // a prefix list whose entries (or the list itself) were not collected
};

struct PeerMatch {
  PeerAnswer answer = PeerAnswer::kNo;
  std::vector<Cidr> matched;   // the qualifying blocks (the rule's CIDR, or prefix-list entries)
  std::string unknown_reason;  // set for kUnknown: "prefix list pl-x: entries were not collected"
};

// Which of a rule peer's address blocks satisfy `qualifies`. A CIDR peer is its one block; a
// prefix-list peer is its collected entries (kUnknown when the list or its entries were not
// collected); a security-group peer has no address blocks (kNo).
template <typename Predicate>
[[nodiscard]] PeerMatch match_peer(const Region& region, const RulePeer& peer, Predicate qualifies);

// The "internet" as the checks mean it: 0.0.0.0/0 or ::/0 (of `family` when given).
[[nodiscard]] inline bool is_internet(const Cidr& c) {
  return c.is_any();
}
[[nodiscard]] inline bool is_internet(const Cidr& c, IpFamily family) {
  return c.is_any() && c.family() == family;
}

// Does the peer admit the whole internet of that family (0.0.0.0/0, or ::/0), expanding prefix lists?
// An AWS-managed prefix list (owner "AWS") is known not to, even when its entries were not collected.
[[nodiscard]] PeerMatch peer_admits_internet(const Region& region, const RulePeer& peer, IpFamily family);
// ... of either family.
[[nodiscard]] PeerMatch peer_admits_internet(const Region& region, const RulePeer& peer);

// "0.0.0.0/0", "::/0 via pl-0123", "sg-0abc", "pl-0123" (no match list): the peer as a finding
// names it. `match` (may be null) names the qualifying prefix-list entries. A referenced group's
// account is named only when it differs from `own_account` ("sg-0abc (account 444455556666)").
[[nodiscard]] std::string describe_peer(const RulePeer& peer, const PeerMatch* match,
                                        std::string_view own_account = {});
void append_peer(std::string& out, const RulePeer& peer, const PeerMatch* match, std::string_view own_account = {});

// One exposure, one line: "tcp/22 from 0.0.0.0/0 (sgr-0abc)",
// "tcp/22 from 0.0.0.0/0 (sgr-0abc, rule all traffic)", "all traffic to ::/0".
// `what` is the traffic the finding is about ("tcp/22"); empty means the rule's own traffic.
[[nodiscard]] std::string describe_exposure(const SecurityGroupRule& rule, std::string_view what,
                                            const PeerMatch* match, std::string_view own_account = {});
void append_exposure(std::string& out, const SecurityGroupRule& rule, std::string_view what, const PeerMatch* match,
                     std::string_view own_account = {});

// "tcp", "22" / "all" / "type 8 code -1": the protocol and ports as evidence shows them.
[[nodiscard]] std::string ports_text(const TrafficSpec& traffic);

// Evidence for one rule: rule_id (when known), direction, protocol, ports, peer, peer_kind,
// the qualifying prefix-list entries when `match` names some, description, and `exposes` (what
// the finding is about in it: "tcp/22") when not empty. Written as JSON text (a raw JsonValue):
// a large account's findings carry hundreds of thousands of these.
[[nodiscard]] JsonValue rule_evidence(const SecurityGroupRule& rule, const PeerMatch* match,
                                      const std::vector<std::string>& exposes = {});
void append_rule_evidence(std::string& out, const SecurityGroupRule& rule, const PeerMatch* match,
                          std::span<const std::string> exposes = {});

// Evidence every security-group finding starts from: group_id, group_name, vpc_id, and
// attached_enis (the number of ENIs in the group) when describe-network-interfaces was collected.
[[nodiscard]] JsonValue group_evidence(const Region& region, const SecurityGroup& group);
// The same fields as JSON text without the braces ("group_id":"sg-1",...), appended.
void append_group_evidence_fields(std::string& out, const Region& region, const SecurityGroup& group);

// The resource name a security-group finding shows: the Name tag, else the group name.
[[nodiscard]] Symbol group_display_name(const SecurityGroup& group);

// The AWS --ip-permissions JSON object for one rule, exactly as AWS stores it (for revoke).
[[nodiscard]] JsonValue ip_permission(const SecurityGroupRule& rule);

// The command that removes exactly these rules (all of one direction) from the group:
//   aws ec2 revoke-security-group-ingress --region R --group-id sg-x --security-group-rule-ids sgr-a sgr-b
// when every rule has an ID; otherwise --ip-permissions '<JSON>' for those without one (two commands
// joined by " && " when the rules are mixed). Shown to the user, never run.
[[nodiscard]] std::string revoke_command(std::string_view region, const SecurityGroup& group,
                                         RuleDirection direction,
                                         std::span<const SecurityGroupRule* const> rules);
void append_revoke_command(std::string& out, std::string_view region, const SecurityGroup& group,
                           RuleDirection direction, std::span<const SecurityGroupRule* const> rules);

// For each dataset in `needed` whose coverage in `region` is not ok, records ONE NOT_ASSESSED
// finding (resource_id = the dataset name, detail = what is missing and why). Returns true when every
// dataset is ok. When it returns false, the check still evaluates the resources that did load and
// reports for them only what the partial data proves.
bool report_coverage_gaps(const Region& region, std::initializer_list<Dataset> needed, FindingSink& sink);

// Whether the peer's prefix list is known to hold only the other address family (so a check about
// `family` does not depend on its entries).
[[nodiscard]] bool prefix_list_is_other_family(const Region& region, const RulePeer& peer, IpFamily family);

// ------------------------------------------------------------------------------------------------
// One finding per security group: what a group-level check found, and how it is recorded.

struct RuleOffense {
  const SecurityGroupRule* rule = nullptr;
  PeerMatch match;                // the qualifying peer blocks (for CIDR and prefix-list peers)
  std::vector<std::string> what;  // the traffic at issue ("tcp/22"); empty = the rule's own traffic
};

struct GroupVerdict {
  std::vector<RuleOffense> offenses;  // non-empty: FAIL
  std::vector<std::string> unknowns;  // why the group could not be assessed (when nothing FAILs)
};

// Records the group's one finding: FAIL when there are offenses (detail = `detail_prefix` + one
// exposure per offending rule, then "; " + `fail_note` when there is one; evidence = group_evidence +
// "rules"; remediation_cli = the revoke command(s) for exactly those rules), else NOT_ASSESSED when
// there are unknowns, else PASS with `pass_detail`. Returns the finding so the check can add evidence.
Finding& record_group_verdict(const Region& region, const SecurityGroup& group, GroupVerdict verdict,
                              std::string_view detail_prefix, std::string_view pass_detail, FindingSink& sink,
                              std::string_view fail_note = {});

// Joins strings with a separator.
[[nodiscard]] std::string join(std::span<const std::string> parts, std::string_view separator);

// ------------------------------------------------------------------------------------------------

template <typename Predicate>
PeerMatch match_peer(const Region& region, const RulePeer& peer, Predicate qualifies) {
  PeerMatch m;
  switch (peer.kind) {
    case PeerKind::kCidr:
      if (qualifies(peer.cidr)) {
        m.answer = PeerAnswer::kYes;
        m.matched.push_back(peer.cidr);
      }
      return m;
    case PeerKind::kSecurityGroup:
      return m;
    case PeerKind::kPrefixList: {
      const PrefixList* list = region.prefix_list(peer.prefix_list_id);
      if (list == nullptr) {
        m.answer = PeerAnswer::kUnknown;
        m.unknown_reason = "prefix list " + peer.prefix_list_id + " was not collected";
        return m;
      }
      if (!list->entries.has_value()) {
        m.answer = PeerAnswer::kUnknown;
        m.unknown_reason = "the entries of prefix list " + peer.prefix_list_id + " were not collected";
        return m;
      }
      for (const PrefixListEntry& e : *list->entries) {
        if (qualifies(e.cidr)) m.matched.push_back(e.cidr);
      }
      if (!m.matched.empty()) m.answer = PeerAnswer::kYes;
      return m;
    }
  }
  return m;
}

}  // namespace fortress
