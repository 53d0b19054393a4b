// The local AWS test endpoint: serves an account described by a snapshot directory (the AWS CLI JSON
// files fortress reads) over the real wire protocols -- ec2 and query XML (EC2, IAM, STS, ELBv2, Auto
// Scaling), json 1.0/1.1 (CloudTrail, Config, SSM, Organizations), rest-json (GuardDuty, Inspector2,
// Access Analyzer) -- on 127.0.0.1, so fortress's collector and the Debian AWS CLI can be run against
// it and their results compared with the fixture. Tests never reach AWS.
//
// Every request must carry a valid SigV4 signature for one of the configured access keys. Lists are
// served in small pages (the operation's paginator, `page_size` items per page). Faults are injected
// on demand, counted per request (so each page of a list meets them): the first N attempts of each
// are answered with throttling errors, 503s, truncated bodies or dropped connections, in that order,
// before the real answer; whole services can be denied, whole regions can hang, and a session token
// can expire after a number of calls. Member accounts are reached by sts:AssumeRole, as an
// organization's are.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "util/expected.h"

namespace fortress::endpoint {

struct Faults {
  int throttle_first = 0;      // per call: the first N answers are the protocol's throttling error
  int server_error_first = 0;  // then N "503 Service Unavailable"
  int truncate_first = 0;      // then N answers whose body stops halfway (connection closed)
  int drop_first = 0;          // then N connections closed before any byte of the answer
  // Answered AccessDenied (UnauthorizedOperation for EC2): a botocore service name ("guardduty") for
  // the whole service, or "service:Operation" ("ec2:DescribeFlowLogs") for one operation.
  std::set<std::string> denied_services;
  std::set<std::string> dead_regions;     // requests for these regions are never answered
  std::chrono::milliseconds latency{0};   // added before every answer
  // The first session token the endpoint sees is refused (ExpiredToken) after N calls with it, as a
  // session that expires mid-run; tokens first seen after it never expire (a refreshed session
  // outlives the run). -1: no expiry.
  int session_token_calls = -1;
  // Member accounts whose role refuses sts:AssumeRole (AccessDenied, as a missing trust policy does).
  std::set<std::string> deny_assume_role;
  // A service's request rate limit, as AWS enforces one: requests per second per account, service and
  // region (a token bucket holding one second's worth); above it the protocol's throttling error.
  // 0: none.
  double rate_limit = 0;
};

struct EndpointOptions {
  std::filesystem::path fixture;  // a snapshot directory: the account the configured keys belong to
  // More snapshot directories of the same account, searched in order when `fixture` has no file for
  // a call (examples/demo-account holds EC2, tests/data/aws-account the other services).
  std::vector<std::filesystem::path> more_fixtures;
  size_t page_size = 2;
  // Member accounts (multi-account collection): sts:AssumeRole of arn:aws:iam::<ID>:role/<role> for
  // an ID here, signed with a configured key, issues temporary credentials for that account, and
  // requests signed with them are answered from the same fixtures with the fixture's own account ID
  // (its get-caller-identity Account) replaced by <ID> in every answer; sts:GetCallerIdentity answers
  // the assumed role. With `members_from_org`, every ACTIVE account of the fixture's
  // organizations/list-accounts.json is a member too.
  std::set<std::string> members;
  bool members_from_org = false;
  std::set<std::string> roles = {"FortressAudit"};  // role names that exist in every member account
  std::string external_id;                           // when set, AssumeRole must carry it
  int role_session_seconds = 3600;                   // lifetime of issued credentials (DurationSeconds wins)
  std::map<std::string, std::string> secrets = {{"AKIDFORTRESSTEST", "fortress-test-secret-key"}};
  // HTTPS with this certificate and key (PEM files); "" = plain HTTP.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_key;
  bool compress = false;  // compress answers in the best encoding the client accepts (br, gzip)
  Faults faults;
  size_t threads = 64;  // server worker threads (a hung region holds one per request)
  std::function<void(const struct ServedCall&)> on_call;  // called once per request answered
};

// One answered (or refused) request, for tests and the endpoint's --verbose log.
struct ServedCall {
  std::string service;    // botocore name, "" when the request could not be attributed
  std::string operation;  // "" when unknown
  std::string account;    // the account the credentials belong to ("" for the configured keys)
  std::string region;
  int status = 0;
  std::string error_code;  // "" for 200
};

class AwsTestEndpoint {
 public:
  explicit AwsTestEndpoint(EndpointOptions options);
  ~AwsTestEndpoint();  // stops the server
  AwsTestEndpoint(const AwsTestEndpoint&) = delete;
  AwsTestEndpoint& operator=(const AwsTestEndpoint&) = delete;

  // Binds 127.0.0.1 (port 0: a free one) and serves on a background thread.
  [[nodiscard]] Expected<int> start(int port = 0);
  void stop();
  [[nodiscard]] std::string url() const;  // "http://127.0.0.1:PORT"

  [[nodiscard]] std::vector<ServedCall> calls() const;
  // The most requests the endpoint was answering at once (a dead region's count too).
  [[nodiscard]] int peak_in_flight() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace fortress::endpoint
