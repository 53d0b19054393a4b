// `fortress checks`: the check catalogue, as text, JSON or the markdown of docs/checks.md.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace fortress::cli {

struct ChecksOptions {
  std::string format = "text";
};

CLI::App* add_checks_command(CLI::App& app, ChecksOptions& options);
int run_checks_command(const ChecksOptions& options);

}  // namespace fortress::cli
