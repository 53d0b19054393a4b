#include "cli/collect_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <mutex>

#include "aws/credentials.h"
#include "aws/http.h"
#include "cli/run_result.h"
#include "report/scan_summary.h"
#include "collect/collector.h"

namespace fortress::cli {

namespace {

std::optional<std::string> env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::string home_region(const LiveOptions& o) {
  if (!o.region.empty()) return o.region;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto v = env(name); v && !v->empty()) return *v;
  }
  if (!o.regions.empty()) return o.regions.front();
  return "us-east-1";
}

}  // namespace

void add_live_options(CLI::App& cmd, LiveOptions& o) {
  cmd.add_option("--profile", o.profile, "AWS profile (else AWS_PROFILE, else the default chain)");
  cmd.add_option("--region", o.region, "Region for account-wide calls (else AWS_REGION, else us-east-1)");
  cmd.add_option("--regions", o.regions, "Only these regions (comma-separated)")->delimiter(',');
  cmd.add_option("--exclude-regions", o.exclude_regions, "Skip these regions (comma-separated)")->delimiter(',');
  cmd.add_option("--endpoint-url", o.endpoint_url, "Send every call to this endpoint (local emulators)");
  cmd.add_option("--ca-bundle", o.ca_bundle, "PEM bundle to verify TLS against (else AWS_CA_BUNDLE)");
  cmd.add_option("--max-in-flight", o.max_in_flight, "Requests in flight at most")->check(CLI::Range(1u, 256u));
}

CLI::App* add_collect_command(CLI::App& app, CollectCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "collect", "Read a live account (read-only) into a snapshot folder, as scripts/export-aws-cli.sh does");
  cmd->add_option("-o,--output", o.output_dir, "Snapshot folder to write")->required();
  add_live_options(*cmd, o.live);
  cmd->add_flag("--verbose", o.verbose, "Log every call (operation, region, status, time, retries)");
  return cmd;
}

int run_collect_command(const CollectCommandOptions& o) {
  const int status = collect_snapshot(o.live, o.output_dir, o.verbose);
  if (status == int(ScanExit::kIncomplete)) {
    std::cerr << "the snapshot is incomplete: `fortress scan " << o.output_dir
              << "` reports what could not be assessed\n";
  }
  return status;
}

int collect_snapshot(const LiveOptions& o, const std::string& output_dir, bool verbose) {
  aws::CurlOptions curl;
  curl.ca_bundle = !o.ca_bundle.empty() ? o.ca_bundle : env("AWS_CA_BUNDLE").value_or("");
  curl.user_agent = std::string("fortress/") + FORTRESS_VERSION;
  std::unique_ptr<aws::HttpTransport> metadata_http = aws::make_curl_transport(curl);

  aws::CredentialOptions cred_options;
  cred_options.profile = o.profile;
  cred_options.region = home_region(o);
  if (!o.endpoint_url.empty()) cred_options.sts_endpoint = o.endpoint_url;
  aws::CredentialCache credentials(aws::Environment::system(metadata_http.get()), cred_options);

  collect::CollectOptions options;
  options.output_dir = output_dir;
  options.regions = o.regions;
  options.exclude_regions = o.exclude_regions;
  options.home_region = home_region(o);
  options.max_in_flight = o.max_in_flight;
  options.make_transport = [curl] { return aws::make_curl_transport(curl); };
  options.credentials = &credentials;
  options.client.endpoint_url = o.endpoint_url;
  options.client.getenv = [](const std::string& name) { return env(name); };

  const bool progress = isatty(STDERR_FILENO) == 1 && !verbose;
  std::mutex mu;
  size_t done = 0, failed = 0, retries = 0;
  options.on_call = [&](const collect::CallRecord& call) {
    std::lock_guard<std::mutex> lock(mu);
    ++done;
    retries += size_t(call.retries);
    if (!call.ok()) ++failed;
    if (verbose) {
      // Operation, region, outcome, time, retries: never a credential or signature.
      std::cerr << fmt::format("{:<44} {:<15} {:<28} {:>6} ms  {} retries\n",
                               fmt::format("{} {}", call.spec->cli_service, call.spec->command),
                               call.region.empty() ? "global" : call.region,
                               call.ok() ? "ok" : call.error->code, call.elapsed.count(), call.retries);
    } else if (progress) {
      std::cerr << fmt::format("\r{} calls done, {} failed, {} retries", done, failed, retries) << std::flush;
    }
  };

  auto result = collect::collect_account(options);
  if (progress) std::cerr << '\n';
  if (!result) {
    std::cerr << "fortress collect: " << result.error().to_string() << '\n';
    return int(ScanExit::kUsage);
  }
  std::cerr << fmt::format("collected {} region(s) into {}: {} calls, {} failed\n", result->regions.size(),
                           output_dir, result->calls.size(), result->failed());
  if (!result->region_list_error.empty()) {
    std::cerr << "no region was collected: " << result->region_list_error << '\n';
  }
  for (const collect::CallRecord& call : result->calls) {
    if (!call.ok()) std::cerr << "  failed: " << call.file << ": " << call.error->code << '\n';
  }
  if (!result->complete()) return int(ScanExit::kIncomplete);
  return 0;
}

}  // namespace fortress::cli
