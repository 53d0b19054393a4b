// What the account-baseline checks share: the regions "every enabled region" means, the account's
// trails seen once each (describe-trails lists a multi-region trail in every region), and what a
// trail's event selectors record of the management events.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checks/check.h"

namespace fortress {

// The regions a per-region service check judges: every region of the model (the loader adds each
// enabled region that has no folder, with its datasets "not collected", so it comes out
// NOT_ASSESSED rather than silently skipped). When describe-regions itself was not collected, the
// enabled regions are unknown: records one account-wide NOT_ASSESSED saying so.
[[nodiscard]] std::vector<const Region*> regions_to_assess(const CheckContext& ctx, FindingSink& sink);

// One trail of the account, de-duplicated by TrailARN across the regions that list it.
struct AccountTrail {
  const Trail* trail = nullptr;            // the home region's copy when listed, else a shadow copy
  Symbol home_region;                      // HomeRegion, else the region that listed it
  const TrailStatus* status = nullptr;     // get-trail-status from any copy; nullptr when not collected
  const EventSelectors* selectors = nullptr;
  std::string status_gap;     // why `status` is null: the failed call, or "not collected"
  std::string selectors_gap;  // why `selectors` is null
  // The trail belongs to another account (an organization trail seen from a member account).
  bool owned_elsewhere = false;
};

// Every trail of the account, sorted by ARN.
[[nodiscard]] std::vector<AccountTrail> account_trails(const Account& account);
// True when at least one region's describe-trails was collected: then every multi-region trail of the
// account is known (each one is listed in every region).
[[nodiscard]] bool any_trail_list_collected(const Account& account);
// The regions whose describe-trails is not ok, with why ("us-east-1: AccessDenied ...").
[[nodiscard]] std::vector<std::string> trail_list_gaps(const Account& account);

// What a trail's event selectors record of the management events. Basic selectors are OR-ed (a
// ReadOnly one and a WriteOnly one record both sides); an advanced selector counts only when it is
// eventCategory = Management, narrowed at most by readOnly and by eventSource exclusions.
struct ManagementEventCoverage {
  bool read = false;
  bool write = false;
  std::vector<std::string> excluded_sources;  // management event sources not recorded (kms.amazonaws.com, ...)
  std::vector<std::string> notes;             // selectors that did not count, and why
  [[nodiscard]] bool read_and_write() const { return read && write; }
  [[nodiscard]] bool excludes(std::string_view event_source) const;
};
[[nodiscard]] ManagementEventCoverage management_events(const EventSelectors& selectors);

// "arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/Default:*" -> region and name.
struct LogGroupRef {
  std::string region;
  std::string name;
  std::string account;
};
[[nodiscard]] std::optional<LogGroupRef> parse_log_group_arn(std::string_view arn);

// The account in an ARN ("arn:aws:cloudtrail:us-east-1:111122223333:trail/x" -> "111122223333").
[[nodiscard]] std::string_view arn_account(std::string_view arn);

// "a, b and c".
[[nodiscard]] std::string join_words(const std::vector<std::string>& items);

}  // namespace fortress
