// fortress-test-endpoint: the local AWS test endpoint as a program, for benchmarks and for trying the
// collector or the AWS CLI by hand against a fixture. Never for production: it accepts only the access
// keys given here and serves only files from --fixture.
//
//   fortress-test-endpoint --fixture examples/demo-account --port-file /tmp/port --latency-ms 50
//   fortress-test-endpoint --fixture examples/demo-account --fixture tests/data/aws-account --org   # an organization
//   AWS_ACCESS_KEY_ID=AKIDFORTRESSTEST AWS_SECRET_ACCESS_KEY=fortress-test-secret-key \
//     aws --endpoint-url http://127.0.0.1:$(cat /tmp/port) ec2 describe-vpcs --region us-east-1
#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "endpoint/aws_endpoint.h"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fortress-test-endpoint: serves a snapshot directory as AWS on 127.0.0.1 (tests only)"};
  fortress::endpoint::EndpointOptions options;
  std::vector<std::string> fixtures;
  std::string port_file, log_file;
  int port = 0, latency_ms = 0;
  std::vector<std::string> denied, dead, members, roles, deny_assume;
  app.add_option("--fixture", fixtures,
                 "snapshot directory to serve; repeat to layer more of the same account (the first that has a "
                 "file answers)")
      ->required();
  app.add_option("--port", port, "port on 127.0.0.1 (0: a free one)");
  app.add_option("--port-file", port_file, "write the chosen port to this file once listening");
  app.add_option("--log", log_file, "append one line per request: service operation region status [error]");
  app.add_option("--page-size", options.page_size, "items per page of a paginated list");
  app.add_option("--latency-ms", latency_ms, "added to every answer");
  app.add_option("--throttle", options.faults.throttle_first, "throttle the first N answers of each call");
  app.add_option("--server-errors", options.faults.server_error_first, "then answer N with 503");
  app.add_option("--truncate", options.faults.truncate_first, "then cut N bodies in half");
  app.add_option("--drop", options.faults.drop_first, "then close N connections before the body");
  std::string tls_certificate, tls_key;
  app.add_option("--tls-cert", tls_certificate, "serve HTTPS with this PEM certificate (and --tls-key)");
  app.add_option("--tls-key", tls_key, "the certificate's PEM private key");
  app.add_flag("--compress", options.compress, "compress answers (br or gzip, as the client accepts)");
  app.add_option("--rate-limit", options.faults.rate_limit,
                 "throttle above N requests a second per account, service and region");
  app.add_option("--deny-service", denied, "answer AccessDenied for this service (botocore name)");
  app.add_option("--dead-region", dead, "never answer requests for this region");
  app.add_option("--session-token-calls", options.faults.session_token_calls,
                 "refuse a session token (ExpiredToken) after N calls");
  app.add_option("--account", members,
                 "a member account ID: sts:AssumeRole into it works, and it is served as a copy of the fixture "
                 "under its own ID");
  app.add_flag("--org", options.members_from_org,
               "every ACTIVE account of the fixture's organizations/list-accounts.json is a member account");
  app.add_option("--role", roles, "role name that exists in every member account (default FortressAudit)");
  app.add_option("--external-id", options.external_id, "AssumeRole must carry this external ID");
  app.add_option("--role-session-seconds", options.role_session_seconds,
                 "lifetime of the credentials AssumeRole issues (default 3600)");
  app.add_option("--deny-assume-role", deny_assume, "this member account's role refuses AssumeRole (AccessDenied)");
  CLI11_PARSE(app, argc, argv);
  options.fixture = fixtures.front();
  options.tls_certificate = tls_certificate;
  options.tls_key = tls_key;
  options.more_fixtures.assign(fixtures.begin() + 1, fixtures.end());
  options.members.insert(members.begin(), members.end());
  if (!roles.empty()) options.roles = std::set<std::string>(roles.begin(), roles.end());
  options.faults.deny_assume_role.insert(deny_assume.begin(), deny_assume.end());
  options.faults.latency = std::chrono::milliseconds(latency_ms);
  options.faults.denied_services.insert(denied.begin(), denied.end());
  options.faults.dead_regions.insert(dead.begin(), dead.end());

  std::mutex log_mutex;
  std::ofstream log;
  if (!log_file.empty()) {
    log.open(log_file, std::ios::app);
    options.on_call = [&](const fortress::endpoint::ServedCall& c) {
      std::lock_guard lock(log_mutex);
      log << (c.account.empty() ? std::string() : c.account + ' ') << c.service << ' ' << c.operation << ' '
          << c.region << ' ' << c.status
          << (c.error_code.empty() ? "" : " " + c.error_code) << std::endl;
    };
  }
  fortress::endpoint::AwsTestEndpoint endpoint(options);
  auto bound = endpoint.start(port);
  if (!bound) {
    std::cerr << "fortress-test-endpoint: " << bound.error().message << '\n';
    return 2;
  }
  if (!port_file.empty()) std::ofstream(port_file) << *bound;
  std::cerr << "fortress-test-endpoint: serving " << fixtures.front() << (fixtures.size() > 1 ? " (and more)" : "")
            << " on " << endpoint.url() << '\n';
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  endpoint.stop();
  return 0;
}
