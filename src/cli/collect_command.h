// `fortress collect -o DIR`: read a live account with fortress's own AWS client and write the same
// snapshot directory scripts/export-aws-cli.sh writes.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace fortress::cli {

// How to reach the live account: the flags `collect` and a live `scan` share.
struct LiveOptions {
  std::string profile;
  std::string region;  // where account-wide calls go (else AWS_REGION / AWS_DEFAULT_REGION / us-east-1)
  std::vector<std::string> regions;
  std::vector<std::string> exclude_regions;
  std::string endpoint_url;
  std::string ca_bundle;
  unsigned max_in_flight = 32;
  // Multi-account: the role assumed in every account of --accounts or --org (all ACTIVE accounts of
  // the organization); one snapshot per account under the output folder.
  std::string role_name;
  std::vector<std::string> accounts;
  bool organization = false;
  std::string external_id;

  [[nodiscard]] bool multi_account() const { return !role_name.empty() || !accounts.empty() || organization; }
  // True when any flag that only a live collection uses is set.
  [[nodiscard]] bool any_set() const;
};

// Declares the LiveOptions flags on a subcommand.
void add_live_options(CLI::App& cmd, LiveOptions& options);

// Collects the live account into `output_dir` (with --role-name: every account into
// `output_dir`/<account-id>), with one updating progress line on stderr when it is a TTY, a line per
// call with `verbose`, and a summary at the end. `saved` = false when the folder is temporary (a live
// scan without --save-snapshot): the summary does not name it. Exit status: 0 every call succeeded,
// 3 some calls failed or some account's role could not be assumed (recorded in the snapshot), 2 the
// run could not start (no credentials, bad flags, unwritable folder, --org without ListAccounts).
int collect_snapshot(const LiveOptions& options, const std::string& output_dir, bool verbose, bool saved = true);

struct CollectCommandOptions {
  std::string output_dir;
  LiveOptions live;
  bool verbose = false;
};

CLI::App* add_collect_command(CLI::App& app, CollectCommandOptions& options);
int run_collect_command(const CollectCommandOptions& options);

}  // namespace fortress::cli
