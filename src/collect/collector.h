// Live collection of one account into a snapshot directory: the same files, at the same paths, as
// scripts/export-aws-cli.sh writes (see operations.h for the layout), so `fortress scan DIR` cannot
// tell the two apart.
//
// Order of work, per account: its credentials (a role assumed in it, for collect_accounts); sts
// GetCallerIdentity and ec2 DescribeRegions (the region list); then every regional operation for
// every selected region and the remaining account-wide ones. Every account's work runs on one pool of
// `max_in_flight` workers -- each worker has its own transport and makes one request at a time, so
// at most max_in_flight requests are in flight over all accounts, and at most half of them on one
// region of one account. A call whose rows depend on it (prefix-list entries, listeners, trail
// status...) queues them when it finishes. Calls to one service in one region share a retry quota
// and an adaptive rate limit (aws/rate_limiter.h); calls into one region share its RegionHealth.
//
// Truth first: a call that fails after retries leaves <stem>.error.json (the FortressCollectionError
// record) and never a <stem>.json -- not an empty one, not a stale one from an earlier run, not a
// partial list of the pages that did arrive. Files are written atomically (<file>.tmp, then rename).
// A region that never answers costs about one timeout (ClientOptions::connect_timeout or
// total_timeout): after two attempts there timed out with none answered, its other calls fail at
// once (RegionHealth), and it never holds more than half the workers meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/rate_limiter.h"
#include "aws/retry.h"
#include "collect/client.h"
#include "collect/operations.h"
#include "util/expected.h"

namespace fortress::collect {

// One call as made: what, where, and how it ended.
struct CallRecord {
  const OperationSpec* spec = nullptr;  // a row of collected_operations()
  std::string account_id;               // AccountToCollect::account_id ("" in a single-account run)
  std::string region;                   // "" for account-wide calls
  std::string id;                       // the resource ID of a fan-out call ("" otherwise)
  std::string file;  // written, relative to the output dir: "<stem>.json" or "<stem>.error.json"
  std::optional<CollectError> error;  // set when the call failed
  int attempts = 0;
  int retries = 0;
  int pages = 0;
  int throttles = 0;                    // attempts the service answered with a throttling error
  std::chrono::milliseconds paced{0};   // waited for the service's adaptive rate limit
  std::chrono::milliseconds elapsed{0};
  [[nodiscard]] bool ok() const { return !error.has_value(); }
};

// Calls per region ("" = the account-wide calls).
struct RegionSummary {
  std::string region;
  size_t calls = 0;
  size_t failed = 0;
  size_t retries = 0;
};

struct CollectResult {
  std::string account_id;            // AccountToCollect::account_id ("" in a single-account run)
  std::filesystem::path output_dir;  // where this account's snapshot was written
  // Set when the account's credentials could not be had (in a multi-account run: the role could not
  // be assumed in it). Then nothing else was called, and the reason is recorded in the snapshot as
  // sts/get-caller-identity.error.json so that a scan shows the account as not collected.
  std::string credentials_error;
  std::string home_region;           // where the account-wide calls went
  std::vector<std::string> regions;  // the regions collected, sorted
  // Why no region was collected although none was excluded on purpose: DescribeRegions failed and no
  // --regions list was given ("" = the list was had).
  std::string region_list_error;
  // True when CollectOptions::cancel was raised: calls not yet started were dropped (no file at all,
  // so the loader reports them "missing"), and the snapshot is incomplete.
  bool cancelled = false;
  std::vector<CallRecord> calls;  // every call, sorted by file

  [[nodiscard]] size_t failed() const;
  // True when the credentials were had, every call succeeded, the region list was had and the run was
  // not cancelled.
  [[nodiscard]] bool complete() const;
  // Account-wide first, then the regions in order.
  [[nodiscard]] std::vector<RegionSummary> by_region() const;
  // The call whose file stem (path without ".json"/".error.json") is `stem`; nullptr when none.
  [[nodiscard]] const CallRecord* find(std::string_view stem) const;
};

struct CollectOptions {
  std::filesystem::path output_dir;  // created when absent; same-named files are replaced, others stay
  std::vector<std::string> regions;  // --regions; empty = every enabled region (DescribeRegions)
  std::vector<std::string> exclude_regions;  // --exclude-regions
  // The region account-wide calls are signed for (STS, EC2 DescribeRegions); "" = the first of
  // `regions`, else us-east-1. (The CLI layer passes AWS_REGION / the profile's region here.)
  std::string home_region;
  // --max-in-flight: workers, each with one request in flight, shared by every account collected.
  // At most max(4, max_in_flight / 2) of them work on one region of one account at a time, so a
  // region that hangs cannot take them all.
  unsigned max_in_flight = 32;
  bool organization = false;    // also run multi-account-only rows (organizations ListAccounts)
  // Which rows to run; empty = all (multi-account-only rows only with `organization`). A row whose
  // parent is not selected does not run either.
  std::function<bool(const OperationSpec&)> select;

  // One transport per worker (libcurl handles are not shareable). Required.
  std::function<std::unique_ptr<aws::HttpTransport>()> make_transport;
  aws::CredentialCache* credentials = nullptr;  // required; shared by the workers
  ClientOptions client;                         // endpoint override, timeouts, sleep, clock
  aws::RetryOptions retry;                      // one RetryStrategy per account, service and region
  aws::RateLimiterOptions pacing;               // one AdaptiveRateLimiter per account, service and region
  std::function<double()> random01;             // backoff jitter; empty = random
  // Polling of GenerateCredentialReport until its State is COMPLETE (waits use client.sleep).
  std::chrono::milliseconds poll_interval{2000};
  int poll_attempts = 30;
  // Called once per finished call, from worker threads, one call at a time (progress display).
  std::function<void(const CallRecord&)> on_call;
  // Called once per account when its region list is known (`regions` = how many will be collected)
  // and once when it is finished; same thread rules as on_call.
  std::function<void(const std::string& account_id, size_t regions)> on_regions;
  std::function<void(const CollectResult&)> on_account_done;
  // Raised (e.g. by a SIGINT handler) to stop: calls in flight finish and are written, queued ones
  // are dropped. May be null. Must outlive the call.
  const std::atomic<bool>* cancel = nullptr;
};

// One account of a multi-account collection (collect/accounts.h builds these).
struct AccountToCollect {
  std::string account_id;              // the 12-digit ID; shown in progress and error records
  std::filesystem::path output_dir;    // this account's snapshot folder
  aws::CredentialCache* credentials = nullptr;  // credentials in this account; must outlive the call
  std::string role_arn;                // the role they are assumed from, named in error records
};

// Collects every account on one pool of `shared.max_in_flight` workers (shared.output_dir and
// shared.credentials are not used: each account brings its own). Each account first gets its
// credentials (a role assumed in it); an account whose credentials cannot be had is reported in its
// CollectResult (credentials_error) and recorded in its folder, never skipped. Results are in the
// order of `accounts`. Errors only when the run cannot start (as collect_account, credentials aside).
[[nodiscard]] Expected<std::vector<CollectResult>> collect_accounts(const CollectOptions& shared,
                                                                   const std::vector<AccountToCollect>& accounts);

// Errors only when the run cannot start: a region name that is not one (kInvalidArgument), a missing
// transport factory or credential cache, no credentials at all (kNotFound, with the chain's message),
// an output directory that cannot be created (kIo). Every
// AWS-side failure is a CallRecord with an error, and a .error.json file.
[[nodiscard]] Expected<CollectResult> collect_account(const CollectOptions& options);

// The FortressCollectionError record for a failed call, as scripts/export-aws-cli.sh writes it
// (pretty-printed, 4-space indent, trailing newline). ExitCode is the AWS CLI's: 254 when the service
// answered with an error, 255 otherwise. `time` is "2026-12-03T18:00:00Z".
[[nodiscard]] std::string collection_error_record(const OperationSpec& spec, std::string_view region,
                                                  std::string_view id, const CollectError& error,
                                                  std::string_view time);
// The same with more members appended to the record ("AccountId", "RoleArn").
[[nodiscard]] std::string collection_error_record(
    const OperationSpec& spec, std::string_view region, std::string_view id, const CollectError& error,
    std::string_view time, const std::vector<std::pair<std::string, std::string>>& extra);

// Writes `text` to `path` (creating its folder) through `path`.tmp and a rename, so a reader never
// sees half a file.
[[nodiscard]] Status write_file_atomically(const std::filesystem::path& path, std::string_view text);

// The regions DescribeRegions lists as enabled (OptInStatus other than "not-opted-in"), sorted,
// without names that do not look like regions.
[[nodiscard]] std::vector<std::string> enabled_regions(const JsonValue& describe_regions_output);

// The IDs a fan-out row takes from its parent's output (OperationSpec::ids_from: "List[].Member",
// "List[]", or nested "List[].Inner[]" / "List[].Inner[].Member"), in order, without duplicates or
// empty strings. With `arn_service` ("sns"), only ARNs of that service ("arn:<partition>:sns:...").
[[nodiscard]] std::vector<std::string> ids_at(const JsonValue& output, std::string_view ids_from,
                                              std::string_view arn_service = {});

}  // namespace fortress::collect
