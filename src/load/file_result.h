// What one snapshot file contributed, before the files of a region are merged (loader internal).
//
// Files are parsed in parallel, each into its own FileResult; src/load/assemble.cpp then merges them
// in sorted path order, so the loaded Account never depends on thread timing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "load/snapshot.h"
#include "model/account.h"
#include "model/dataset.h"

namespace fortress::load {

enum class FileOutcome : uint8_t {
  kUnknownKind,      // not JSON of a recognized kind: listed in LoadResult::unknown_files
  kEmpty,            // empty file: not collected, no coverage change
  kLoaded,           // recognized and loaded (some elements may have been skipped: see skipped_elements)
  kFailed,           // unreadable or malformed: nothing from it is used, its dataset is kError
  kCollectionError,  // a FortressCollectionError record: its dataset is kError
  kMisplaced,        // a regional kind outside any region folder: skipped with an error diagnostic
  kRecognized,       // a known output that fills no dataset (generate-credential-report): not unknown
};

// A rule from describe-security-group-rules, with the group it belongs to.
struct SecurityGroupRuleRecord {
  std::string group_id;
  SecurityGroupRule rule;
};

// The FortressCollectionError record (src/load/collection_error.h).
struct CollectionErrorRecord {
  std::string service;
  std::string command;
  std::string region;
  std::string error_code;
  std::string message;
  std::string prefix_list_id;  // get-managed-prefix-list-entries only
  std::string account_id;      // the account the call was for, when the record names it (multi-account)
};

struct FileResult {
  FileOutcome outcome = FileOutcome::kUnknownKind;
  std::optional<Dataset> dataset;  // known for kLoaded, kCollectionError, and kFailed when recognizable
  std::string region;              // nearest region folder, "" when account-wide

  // Regional resources, in file order. Only the vectors of the file's kind are filled.
  Region data;
  std::vector<SecurityGroupRuleRecord> security_group_rules;
  // Groups one of whose describe-security-group-rules elements was skipped: their rule set from that
  // file is incomplete, so they keep their IpPermissions expansion.
  std::vector<std::string> groups_with_skipped_rules;
  // get-managed-prefix-list-entries: the list the entries belong to ("" when it could not be told).
  std::string prefix_list_id;
  std::vector<PrefixListEntry> prefix_list_entries;

  // Account-wide kinds.
  std::optional<CallerIdentity> caller_identity;
  std::vector<EnabledRegion> enabled_regions;  // describe-regions, not-opted-in regions left out

  CollectionErrorRecord collection_error;

  // ---- beyond EC2 (regional lists go to `data`, as the EC2 ones) ----
  // Fan-out kinds (kinds.h): the parent's ID, from the content or the file name; "" when it could
  // not be told (warned). Also set for a fan-out kind's collection error.
  std::string fan_out_id;
  std::vector<Listener> listeners;                        // describe-listeners
  std::vector<TargetHealthDescription> target_health;     // describe-target-health
  std::optional<TrailStatus> trail_status;                // get-trail-status
  std::optional<EventSelectors> event_selectors;          // get-event-selectors
  std::optional<GuardDutyDetectorDetails> detector;       // get-detector
  std::vector<std::pair<Symbol, ConfigurationRecorderStatus>> recorder_statuses;  // by recorder name
  IamData iam;  // account-wide IAM kinds
  std::vector<OrganizationAccount> organization_accounts;
  std::vector<SnsSubscription> sns_subscriptions;  // list-subscriptions-by-topic

  size_t elements_seen = 0;     // list elements read (kLoaded)
  size_t skipped_elements = 0;  // list elements skipped for a wrong shape
  std::string failure;          // kFailed / kMisplaced: why, with file and line

  std::vector<LoadDiagnostic> diagnostics;
};

}  // namespace fortress::load
