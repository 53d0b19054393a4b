// `fortress collect -o DIR`: read a live account with fortress's own AWS client and write the same
// snapshot directory scripts/export-aws-cli.sh writes.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace fortress::cli {

struct CollectCommandOptions {
  std::string output_dir;
  std::string profile;
  std::string region;  // where account-wide calls go (else AWS_REGION / AWS_DEFAULT_REGION / us-east-1)
  std::vector<std::string> regions;
  std::vector<std::string> exclude_regions;
  std::string endpoint_url;
  std::string ca_bundle;
  unsigned max_in_flight = 32;
  bool verbose = false;
};

CLI::App* add_collect_command(CLI::App& app, CollectCommandOptions& options);
// Exit status: 0 every call succeeded, 3 some calls failed (recorded in the snapshot), 2 the run
// could not start (no credentials, bad flags, unwritable folder).
int run_collect_command(const CollectCommandOptions& options);

}  // namespace fortress::cli
