#include "cli/collect_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/http.h"
#include "aws/shared_config.h"
#include "cli/run_result.h"
#include "collect/accounts.h"
#include "collect/collector.h"
#include "load/snapshot_set.h"
#include "report/scan_summary.h"
#include "report/terminal_text.h"

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

// What the user sees while a collection runs: one line on stderr, redrawn in place at most ten times
// a second, when stderr is a terminal; nothing otherwise. Or, with --verbose, one line per call.
class Progress {
 public:
  Progress(bool verbose, bool multi_account)
      : verbose_(verbose), multi_(multi_account), live_(!verbose && isatty(STDERR_FILENO) == 1) {}

  void accounts(size_t total) {
    std::lock_guard<std::mutex> lock(mu_);
    accounts_total_ = total;
    draw(true);
  }

  void on_regions(const std::string& account, size_t regions) {
    std::lock_guard<std::mutex> lock(mu_);
    regions_[account] = regions;
    draw(true);
  }

  void on_account_done() {
    std::lock_guard<std::mutex> lock(mu_);
    ++accounts_done_;
    draw(true);
  }

  void on_call(const collect::CallRecord& call) {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    retries_ += size_t(call.retries);
    if (!call.ok()) ++failed_;
    if (verbose_) {
      // Operation, region, outcome, time, retries -- never a credential or a signature: the
      // record holds neither, and error texts are scrubbed before they get here.
      std::string status = call.ok() ? std::string("ok")
                                     : call.error->http_status > 0
                                           ? fmt::format("{} (HTTP {})", call.error->code, call.error->http_status)
                                           : call.error->code;
      std::string extra;
      if (call.throttles > 0) extra += fmt::format(", {} throttled", call.throttles);
      if (call.paced.count() > 0) extra += fmt::format(", paced {} ms", call.paced.count());
      std::cerr << fmt::format("{}{:<44} {:<15} {:<34} {:>6} ms  {} {}{}\n",
                               multi_ ? (call.account_id.empty() ? std::string("-") : call.account_id) + "  " : "",
                               fmt::format("{} {}", call.spec->cli_service, call.spec->command),
                               call.region.empty() ? "global" : call.region, terminal_safe(status),
                               call.elapsed.count(), call.retries, call.retries == 1 ? "retry" : "retries", extra);
      return;
    }
    draw(false);
  }

  // Clears the line so the summary that follows starts clean.
  void finish() {
    std::lock_guard<std::mutex> lock(mu_);
    if (live_ && drawn_) std::cerr << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }

 private:
  void draw(bool force) {
    if (!live_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    size_t regions = 0;
    for (const auto& [account, n] : regions_) regions += n;
    std::string line = "collecting: ";
    // With --org the total is known once ListAccounts has answered: until then, the accounts seen.
    if (multi_) {
      line += fmt::format("{}/{} accounts, ", accounts_done_,
                          std::max({accounts_total_, regions_.size(), accounts_done_}));
    }
    line += fmt::format("{} regions, {} calls done, {} retries, {} failed", regions, calls_, retries_, failed_);
    std::cerr << "\r\x1b[K" << line << std::flush;
  }

  const bool verbose_;
  const bool multi_;
  const bool live_;
  std::mutex mu_;
  size_t accounts_total_ = 0, accounts_done_ = 0, calls_ = 0, retries_ = 0, failed_ = 0;
  std::map<std::string, size_t> regions_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

void print_failures(const collect::CollectResult& result, const std::string& prefix) {
  for (const collect::CallRecord& call : result.calls) {
    if (!call.ok()) std::cerr << "  failed: " << prefix << call.file << ": " << call.error->code << '\n';
  }
}

}  // namespace

bool LiveOptions::any_set() const {
  return !profile.empty() || !region.empty() || !regions.empty() || !exclude_regions.empty() || !endpoint_url.empty() ||
         !ca_bundle.empty() || multi_account() || !external_id.empty();
}

void add_live_options(CLI::App& cmd, LiveOptions& o) {
  cmd.add_option("--profile", o.profile, "AWS profile (else AWS_PROFILE, else the default chain)");
  cmd.add_option("--region", o.region, "Region for account-wide calls (else AWS_REGION, else us-east-1)");
  cmd.add_option("--regions", o.regions, "Only these regions (comma-separated)")->delimiter(',');
  cmd.add_option("--exclude-regions", o.exclude_regions, "Skip these regions (comma-separated)")->delimiter(',');
  cmd.add_option("--endpoint-url", o.endpoint_url, "Send every call to this endpoint (local emulators)");
  cmd.add_option("--ca-bundle", o.ca_bundle, "PEM bundle to verify TLS against (else AWS_CA_BUNDLE, else ca_bundle)");
  cmd.add_option("--max-in-flight", o.max_in_flight, "Requests in flight at most, over all accounts")
      ->check(CLI::Range(1u, 256u));
  cmd.add_option("--role-name", o.role_name,
                 "Multi-account: assume this role in every account of --accounts or --org; one snapshot per "
                 "account under the output folder");
  cmd.add_option("--accounts", o.accounts, "Multi-account: these account IDs (comma-separated)")->delimiter(',');
  cmd.add_flag("--org", o.organization,
               "Multi-account: every ACTIVE account of the organization (organizations ListAccounts, from the "
               "management account or a delegated administrator)");
  cmd.add_option("--external-id", o.external_id, "Multi-account: the external ID the role's trust policy requires");
}

CLI::App* add_collect_command(CLI::App& app, CollectCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "collect", "Read a live account (read-only) into a snapshot folder, as scripts/export-aws-cli.sh does");
  cmd->add_option("-o,--output", o.output_dir, "Snapshot folder to write")->required();
  add_live_options(*cmd, o.live);
  cmd->add_flag("-v,--verbose", o.verbose, "Log every call (operation, region, status, time, retries)");
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

int collect_snapshot(const LiveOptions& o, const std::string& output_dir, bool verbose, bool saved) {
  collect::AccountsOptions accounts;
  accounts.role_name = o.role_name;
  accounts.account_ids = o.accounts;
  accounts.organization = o.organization;
  accounts.external_id = o.external_id;
  if (o.multi_account()) {
    if (Status ok = collect::validate_accounts_options(accounts); !ok) {
      std::cerr << "fortress: error: " << ok.error().message << '\n';
      return int(ScanExit::kUsage);
    }
  } else if (!o.external_id.empty()) {
    std::cerr << "fortress: error: --external-id is for --role-name (multi-account)\n";
    return int(ScanExit::kUsage);
  }

  const std::string home = home_region(o);
  auto getenv = [](const std::string& name) { return env(name); };
  // Settings the AWS CLI reads from the environment, else from the profile.
  aws::Profile profile;
  if (auto config = aws::load_shared_config(aws::shared_config_paths(getenv)); config) {
    const std::string name = !o.profile.empty() ? o.profile : env("AWS_PROFILE").value_or("default");
    if (const aws::Profile* p = config->profile(name); p != nullptr) profile = *p;
  }
  auto setting = [&](const char* variable, const char* key) -> std::string {
    if (auto v = env(variable); v && !v->empty()) return *v;
    auto it = profile.find(key);
    return it == profile.end() ? std::string() : it->second;
  };
  aws::CurlOptions curl;
  curl.ca_bundle = !o.ca_bundle.empty() ? o.ca_bundle : setting("AWS_CA_BUNDLE", "ca_bundle");
  curl.user_agent = std::string("fortress/") + FORTRESS_VERSION;
  std::unique_ptr<aws::HttpTransport> metadata_http = aws::make_curl_transport(curl);

  // AWS_STS_REGIONAL_ENDPOINTS, else the profile's sts_regional_endpoints, for every STS call.
  auto client_env = [getenv, setting](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_STS_REGIONAL_ENDPOINTS") {
      std::string v = setting("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints");
      return v.empty() ? std::nullopt : std::optional<std::string>(v);
    }
    return getenv(name);
  };
  // STS for the credential chain and AssumeRole: the same endpoint overrides as every other call.
  const std::string sts_url = aws::resolve_endpoint("sts", "STS", home, o.endpoint_url, client_env).url;
  const bool sts_overridden = sts_url != aws::default_endpoint("sts", home).url;
  aws::CredentialOptions cred_options;
  cred_options.profile = o.profile;
  cred_options.region = home;
  if (sts_overridden) cred_options.sts_endpoint = sts_url;
  aws::CredentialCache credentials(aws::Environment::system(metadata_http.get()), cred_options);

  collect::CollectOptions options;
  // AWS_MAX_ATTEMPTS / max_attempts: attempts per request, the first included. AWS_RETRY_MODE /
  // retry_mode: fortress retries as the standard mode does and paces a throttling service as the
  // adaptive mode does; "standard" (or "legacy") keeps the retries and drops the pacing.
  if (std::string attempts = setting("AWS_MAX_ATTEMPTS", "max_attempts"); !attempts.empty()) {
    char* end = nullptr;
    const long n = std::strtol(attempts.c_str(), &end, 10);
    if (end == attempts.c_str() || *end != '\0' || n < 1 || n > 20) {
      std::cerr << "fortress: error: AWS_MAX_ATTEMPTS / max_attempts must be a number from 1 to 20, not \"" << attempts
                << "\"\n";
      return int(ScanExit::kUsage);
    }
    options.retry.max_attempts = int(n);
  }
  if (std::string mode = setting("AWS_RETRY_MODE", "retry_mode"); !mode.empty()) {
    if (mode != "adaptive" && mode != "standard" && mode != "legacy") {
      std::cerr << "fortress: error: AWS_RETRY_MODE / retry_mode must be adaptive, standard or legacy, not \"" << mode
                << "\"\n";
      return int(ScanExit::kUsage);
    }
    options.pacing.adaptive = mode == "adaptive";
  }
  options.output_dir = output_dir;
  options.regions = o.regions;
  options.exclude_regions = o.exclude_regions;
  options.home_region = home;
  options.max_in_flight = o.max_in_flight;
  options.make_transport = [curl] { return aws::make_curl_transport(curl); };
  options.credentials = &credentials;
  options.client.endpoint_url = o.endpoint_url;
  options.client.getenv = client_env;

  Progress progress(verbose, o.multi_account());
  options.on_call = [&](const collect::CallRecord& call) { progress.on_call(call); };
  options.on_regions = [&](const std::string& account, size_t n) { progress.on_regions(account, n); };
  options.on_account_done = [&](const collect::CollectResult&) { progress.on_account_done(); };
  const std::string where = saved ? " into " + output_dir : std::string();

  if (!o.multi_account()) {
    progress.accounts(1);
    auto result = collect::collect_account(options);
    progress.finish();
    if (!result) {
      std::cerr << "fortress collect: " << result.error().to_string() << '\n';
      return int(ScanExit::kUsage);
    }
    std::cerr << fmt::format("collected {} region(s){}: {} calls, {} failed\n", result->regions.size(), where,
                             result->calls.size(), result->failed());
    if (!result->region_list_error.empty()) {
      std::cerr << "no region was collected: " << result->region_list_error << '\n';
    }
    print_failures(*result, "");
    return result->complete() ? 0 : int(ScanExit::kIncomplete);
  }

  accounts.sts_endpoint_url = sts_overridden ? sts_url : std::string();
  accounts.environment = aws::Environment::system(nullptr);
  if (!o.organization) progress.accounts(o.accounts.size());
  auto result = collect::collect_organization(options, credentials, accounts);
  progress.finish();
  if (!result) {
    std::cerr << "fortress collect: " << result.error().to_string() << '\n';
    return int(ScanExit::kUsage);
  }
  size_t calls = 0, failed = 0, not_collected = 0;
  for (const collect::CollectResult& a : result->accounts) {
    calls += a.calls.size();
    failed += a.failed();
    not_collected += !a.credentials_error.empty();
  }
  std::cerr << fmt::format("collected {} of {} account(s){}: {} calls, {} failed\n",
                           result->accounts.size() - not_collected, result->accounts.size(), where, calls, failed);
  if (!result->listed_not_active.empty()) {
    std::string skipped;
    for (const std::string& s : result->listed_not_active) skipped += (skipped.empty() ? "" : ", ") + s;
    std::cerr << "  not ACTIVE, not collected: " << skipped << '\n';
  }
  for (const collect::CollectResult& a : result->accounts) {
    if (!a.credentials_error.empty()) {
      std::cerr << "  " << a.account_id << ": NOT COLLECTED: " << terminal_safe(a.credentials_error) << '\n';
      continue;
    }
    std::cerr << fmt::format("  {}: {} region(s), {} calls, {} failed\n", a.account_id, a.regions.size(),
                             a.calls.size(), a.failed());
    if (!a.region_list_error.empty()) std::cerr << "    no region was collected: " << a.region_list_error << '\n';
    print_failures(a, a.account_id + "/");
  }
  // Account folders of an earlier run stay (only same-named files are replaced): say so, because
  // `fortress scan` of the folder reads them too.
  std::set<std::string> collected;
  for (const collect::CollectResult& a : result->accounts) collected.insert(a.account_id);
  for (const std::string& folder : account_snapshot_folders(output_dir)) {
    if (collected.contains(folder)) continue;
    std::cerr << "  warning: " << terminal_safe(output_dir + "/" + folder)
              << " was not collected in this run (left from an earlier one); a scan of " << terminal_safe(output_dir)
              << " reads it too\n";
  }
  return result->complete() ? 0 : int(ScanExit::kIncomplete);
}

}  // namespace fortress::cli
