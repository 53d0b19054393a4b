// Where AWS credentials come from, in the AWS CLI's order, and keeping them fresh.
//
// The chain (first source that has credentials wins):
//   1. environment: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (skipped when a
//      profile was chosen with --profile, as the AWS CLI does);
//   2. the profile (--profile, else AWS_PROFILE, else "default") from the shared files:
//      role_arn + source_profile / credential_source → STS AssumeRole; web_identity_token_file;
//      SSO settings → `aws configure export-credentials`; static keys; credential_process;
//   3. web identity from the environment (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN);
//   4. container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI / _RELATIVE_URI, with
//      AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]) — how AWS CloudShell and ECS hand them out;
//   5. EC2 instance metadata (IMDSv2 token, then the role's credentials; IMDSv1 only when the token
//      call is refused).
// Every outside effect goes through Environment (variables, files, processes, HTTP, clock), so each
// source is tested with fakes. Nothing here prints, and no error message contains a secret.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aws/http.h"
#include "aws/shared_config.h"
#include "aws/sigv4.h"
#include "util/expected.h"

namespace fortress::aws {

using Clock = std::chrono::system_clock;

struct TimedCredentials {
  Credentials credentials;
  std::optional<Clock::time_point> expiration;  // nullopt: does not expire
  std::string source;                           // "environment", "profile audit (assume-role)", ...
};

struct ProcessResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// The outside world, as the credential chain sees it.
struct Environment {
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::function<Expected<std::string>(const std::string& path)> read_file;
  // Runs a command line through the shell; stdout and stderr captured.
  std::function<Expected<ProcessResult>(const std::string& command)> run;
  std::function<Clock::time_point()> now;
  // A transport for metadata endpoints (container, IMDS) and STS.
  HttpTransport* http = nullptr;

  // The real process environment, files, /bin/sh and clock, with `http` as given.
  static Environment system(HttpTransport* http);
};

// What the user asked for on the command line.
struct CredentialOptions {
  std::string profile;     // --profile ("" = AWS_PROFILE, else "default")
  std::string region;      // for regional STS endpoints ("" = AWS_REGION / profile / us-east-1)
  std::string sts_endpoint;  // override (AWS_ENDPOINT_URL_STS / --endpoint-url); "" = AWS's
};

// Parses credential_process / container / IMDS JSON ({"AccessKeyId","SecretAccessKey",
// "SessionToken"|"Token","Expiration"}). `what` names the source in errors.
[[nodiscard]] Expected<TimedCredentials> parse_credentials_json(std::string_view json, std::string_view what);
// RFC 3339 / ISO 8601 UTC timestamps as AWS writes them ("2026-12-03T18:00:00Z", with optional
// fraction and "+00:00").
[[nodiscard]] std::optional<Clock::time_point> parse_aws_time(std::string_view text);

// Resolves credentials once, walking the chain. The error says which sources were tried and what to
// do (for SSO without the aws CLI: which command to run).
[[nodiscard]] Expected<TimedCredentials> resolve_credentials(const Environment& env, const CredentialOptions& options);

// Thread-safe holder that refreshes temporary credentials `refresh_window` before they expire, so a
// long collection never signs with expired keys.
class CredentialCache {
 public:
  // Where fresh credentials come from, each time the held ones are stale.
  using Resolver = std::function<Expected<TimedCredentials>()>;

  // The credential chain (resolve_credentials) for `options`.
  CredentialCache(Environment env, CredentialOptions options,
                  std::chrono::seconds refresh_window = std::chrono::minutes(5));
  // Any other source (a role assumed in a member account: collect/accounts.h). `now` is the clock
  // expiry is judged by.
  CredentialCache(Resolver resolve, std::function<Clock::time_point()> now,
                  std::chrono::seconds refresh_window = std::chrono::minutes(5));
  [[nodiscard]] Expected<Credentials> get();
  // Drops the credentials held if they are still `used`, so the next get() resolves them again:
  // after a service said the session token has expired (ExpiredToken) although its stated
  // expiration had not come, or when nothing said when it would. Many requests in flight meet the
  // same expiry; only the first drops the credentials, the rest find the fresh ones.
  void invalidate(const Credentials& used);

 private:
  Resolver resolve_;
  std::function<Clock::time_point()> now_;
  std::chrono::seconds refresh_window_;
  std::mutex mu_;
  std::optional<TimedCredentials> current_;
};

}  // namespace fortress::aws
