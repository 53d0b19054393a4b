// The STS calls the credential chain needs (query protocol, XML responses).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "aws/credentials.h"
#include "aws/retry.h"

namespace fortress::aws {

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::string external_id;  // "" = none
  int duration_seconds = 0;  // 0 = the role's default
};

// sts:AssumeRole signed with `source`.
[[nodiscard]] Expected<TimedCredentials> assume_role(const Environment& env, const Credentials& source,
                                                     const std::string& region, const std::string& endpoint_url,
                                                     const AssumeRoleRequest& request);

// sts:AssumeRole as above, retried as the standard retry mode retries (throttling, 5xx, connection
// errors; never AccessDenied): `retry` decides, `sleep` waits between attempts.
[[nodiscard]] Expected<TimedCredentials> assume_role_retrying(const Environment& env, const Credentials& source,
                                                              const std::string& region,
                                                              const std::string& endpoint_url,
                                                              const AssumeRoleRequest& request, RetryStrategy& retry,
                                                              const std::function<void(std::chrono::milliseconds)>& sleep);

// sts:AssumeRoleWithWebIdentity (unsigned: the token is the proof).
[[nodiscard]] Expected<TimedCredentials> assume_role_with_web_identity(const Environment& env, const std::string& region,
                                                                       const std::string& endpoint_url,
                                                                       const std::string& role_arn,
                                                                       const std::string& session_name,
                                                                       const std::string& token);

// Parses an STS XML response carrying <Credentials>, or an <ErrorResponse> into an Error
// ("AccessDenied: User ... is not authorized ..."). `operation` names the call in errors.
[[nodiscard]] Expected<TimedCredentials> parse_sts_credentials(const std::string& xml, long http_status,
                                                               const std::string& operation);

// "20261203T180000Z" for a time point.
[[nodiscard]] std::string amz_date(Clock::time_point t);

}  // namespace fortress::aws
