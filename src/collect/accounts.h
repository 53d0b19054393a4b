// Multi-account collection: a role assumed in each account (named with --accounts, or every ACTIVE
// account Organizations lists with --org), the accounts collected in parallel on one worker pool, one
// snapshot per account under the output folder:
//
//   OUT/<account-id>/...                 the account's snapshot, exactly as a single-account run writes it
//   OUT/<base-id>/organizations/list-accounts.json   (--org) what ListAccounts returned, all pages,
//                                        in the snapshot of the account that listed them
//
// The role is arn:<partition>:iam::<id>:role/<role_name>, the partition that of the home region. It
// is assumed with the base credentials (the credential chain's), session name "fortress", the
// external ID when one is given, and refreshed before it expires like any temporary credentials. The
// management account itself is collected through the role too when it is in the list, so every
// account is read with the same permissions.
//
// An account whose role cannot be assumed is never skipped: its folder gets
// sts/get-caller-identity.error.json (a FortressCollectionError with AccountId and RoleArn), so a scan
// of OUT shows the account, its coverage error and NOT_ASSESSED.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "collect/collector.h"
#include "util/expected.h"

namespace fortress::collect {

struct AccountsOptions {
  std::string role_name;                 // --role-name: "FortressAudit" or with a path, "audit/FortressAudit"
  std::vector<std::string> account_ids;  // --accounts (12-digit IDs)
  bool organization = false;             // --org: every ACTIVE account ListAccounts returns
  std::string external_id;               // --external-id ("" = none)
  std::string session_name = "fortress";
  int duration_seconds = 0;              // 0 = the role's default (one hour)
  // The STS endpoint AssumeRole goes to (an override, or "" for the home region's regional endpoint).
  std::string sts_endpoint_url;
  // The outside world for AssumeRole (clock); its `http` is not used: each AssumeRole gets its own
  // transport from CollectOptions::make_transport, so accounts are assumed in parallel.
  aws::Environment environment;
};

struct AccountsResult {
  std::string base_account_id;  // who the base credentials are ("" when not asked: --accounts)
  std::vector<std::string> listed_not_active;  // --org: accounts listed but not ACTIVE ("ID (STATUS)")
  std::vector<CollectResult> accounts;         // in account-ID order
  [[nodiscard]] bool complete() const;         // every account complete
};

// Checks the flags: a role name, and either account IDs (12 digits each) or --org, not both.
[[nodiscard]] Status validate_accounts_options(const AccountsOptions& options);

// "arn:aws:iam::222233334444:role/FortressAudit" (the partition from `region`).
[[nodiscard]] std::string role_arn_for(std::string_view account_id, std::string_view role_name,
                                       std::string_view region);

// The IDs of the ACTIVE accounts in merged organizations ListAccounts output, sorted, without
// duplicates (State when the service sends it, else Status); the others into `not_active`.
[[nodiscard]] std::vector<std::string> active_accounts(const JsonValue& list_accounts_output,
                                                       std::vector<std::string>* not_active = nullptr);

// Runs the whole multi-account collection into shared.output_dir. `base` holds the base credentials.
// Errors when it cannot start: bad flags or regions, no base credentials (kNotFound), ListAccounts
// failing (--org: the message says which account may list them), an unwritable folder. Everything
// that fails in an account is in its CollectResult and its folder.
[[nodiscard]] Expected<AccountsResult> collect_organization(const CollectOptions& shared, aws::CredentialCache& base,
                                                            const AccountsOptions& options);

}  // namespace fortress::collect
