// `fortress reach DIR`: the reachability report of a snapshot: what the internet reaches and through
// which path, the blast radius of each exposed instance, the internet rules that reach nothing and
// why, and the attack graph (terminal, json, dot, svg; docs/output.md).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace fortress::cli {

struct ReachCommandOptions {
  std::string snapshot_dir;
  std::string config_path;
  std::string format = "terminal";  // terminal, json, dot, svg
  std::string output_path;          // "" = stdout
  bool all_edges = false;
  bool no_color = false;            // --no-color
};

CLI::App* add_reach_command(CLI::App& app, ReachCommandOptions& options);
// Exit status: 0 done, 2 usage or input error, 3 done but the snapshot was incomplete.
int run_reach_command(const ReachCommandOptions& options);

}  // namespace fortress::cli
