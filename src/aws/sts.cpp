#include "aws/sts.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <ctime>
#include <functional>

#include "aws/endpoints.h"

namespace fortress::aws {

namespace {

Error sts_error(std::string message) {
  Error e;
  e.code = ErrorCode::kIo;
  e.message = std::move(message);
  return e;
}

std::string form_body(std::initializer_list<std::pair<std::string_view, std::string_view>> params) {
  std::string body;
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    if (!body.empty()) body.push_back('&');
    body += uri_encode(k, false);
    body.push_back('=');
    body += uri_encode(v, false);
  }
  return body;
}

std::string host_of(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// One STS request: the credentials, or the error and what the retry layer needs to judge it.
struct StsAttempt {
  Expected<TimedCredentials> credentials = sts_error("not sent");
  AttemptOutcome outcome;  // without error_code (a view): point it at `error_code` once this has moved
  std::string error_code;
};

// The <Code> of an STS <ErrorResponse>, "" when there is none.
std::string sts_error_code(const std::string& xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return {};
  return doc.child("ErrorResponse").child("Error").child_value("Code");
}

StsAttempt call_sts_once(const Environment& env, const Credentials* signer, const std::string& region,
                         const std::string& endpoint_url, const std::string& operation, const std::string& body) {
  StsAttempt attempt;
  if (env.http == nullptr) {
    attempt.credentials = sts_error("no HTTP transport for STS");
    return attempt;
  }
  std::string url = endpoint_url.empty() ? default_endpoint("sts", region).url : endpoint_url;
  HttpRequest req;
  req.method = "POST";
  req.headers = {{"Host", host_of(url)}, {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = body;
  // The global endpoint (AWS_STS_REGIONAL_ENDPOINTS=legacy) is signed for us-east-1 whatever the region.
  const std::string signing_region = url == sts_endpoint("us-east-1", true).url ? "us-east-1" : region;
  if (signer != nullptr) sign(req, *signer, SigningParams{signing_region, "sts", amz_date(env.now ? env.now() : Clock::now())});
  HttpCall call;
  call.method = "POST";
  call.url = url;
  call.url.push_back('/');
  call.headers = req.headers;
  call.body = req.body;
  auto reply = env.http->send(call);
  if (!reply) {
    attempt.outcome.transport_error = true;
    const std::string& m = reply.error().message;
    attempt.outcome.timeout = m.find("imeout") != std::string::npos || m.find("timed out") != std::string::npos;
    attempt.credentials = sts_error(fmt::format("sts:{} could not reach {}: {}", operation, url, m));
    return attempt;
  }
  attempt.credentials = parse_sts_credentials(reply->body, reply->status, operation);
  if (!attempt.credentials) {
    attempt.outcome.http_status = reply->status;
    attempt.error_code = sts_error_code(reply->body);
  }
  return attempt;  // outcome.error_code is set by the caller: it views error_code, which moves
}

Expected<TimedCredentials> call_sts(const Environment& env, const Credentials* signer, const std::string& region,
                                    const std::string& endpoint_url, const std::string& operation, std::string body) {
  return std::move(call_sts_once(env, signer, region, endpoint_url, operation, body).credentials);
}

}  // namespace

std::string amz_date(Clock::time_point t) {
  std::time_t secs = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Expected<TimedCredentials> parse_sts_credentials(const std::string& xml, long http_status,
                                                 const std::string& operation) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return sts_error(fmt::format("sts:{}: HTTP {} with an unreadable body ({})", operation, http_status,
                                 parsed.description()));
  }
  if (pugi::xml_node err = doc.child("ErrorResponse").child("Error"); err) {
    return sts_error(fmt::format("sts:{}: {}: {}", operation, err.child_value("Code"), err.child_value("Message")));
  }
  pugi::xml_node result = doc.first_child().child((operation + "Result").c_str());
  pugi::xml_node creds = result.child("Credentials");
  if (http_status != 200 || !creds) {
    return sts_error(fmt::format("sts:{}: HTTP {} without credentials in the response", operation, http_status));
  }
  TimedCredentials out;
  out.credentials.access_key_id = creds.child_value("AccessKeyId");
  out.credentials.secret_access_key = creds.child_value("SecretAccessKey");
  out.credentials.session_token = creds.child_value("SessionToken");
  out.expiration = parse_aws_time(creds.child_value("Expiration"));
  if (out.credentials.access_key_id.empty() || out.credentials.secret_access_key.empty()) {
    return sts_error(fmt::format("sts:{}: the response's credentials are incomplete", operation));
  }
  return out;
}

Expected<TimedCredentials> assume_role(const Environment& env, const Credentials& source, const std::string& region,
                                       const std::string& endpoint_url, const AssumeRoleRequest& r) {
  std::string duration = r.duration_seconds > 0 ? std::to_string(r.duration_seconds) : "";
  auto result = call_sts(env, &source, region, endpoint_url, "AssumeRole",
                         form_body({{"Action", "AssumeRole"},
                                    {"Version", "2011-06-15"},
                                    {"RoleArn", r.role_arn},
                                    {"RoleSessionName", r.session_name},
                                    {"ExternalId", r.external_id},
                                    {"DurationSeconds", duration}}));
  if (result) result->source = "assume-role " + r.role_arn;
  return result;
}

Expected<TimedCredentials> assume_role_retrying(const Environment& env, const Credentials& source,
                                                const std::string& region, const std::string& endpoint_url,
                                                const AssumeRoleRequest& r, RetryStrategy& retry,
                                                const std::function<void(std::chrono::milliseconds)>& sleep) {
  std::string duration = r.duration_seconds > 0 ? std::to_string(r.duration_seconds) : "";
  const std::string body = form_body({{"Action", "AssumeRole"},
                                      {"Version", "2011-06-15"},
                                      {"RoleArn", r.role_arn},
                                      {"RoleSessionName", r.session_name},
                                      {"ExternalId", r.external_id},
                                      {"DurationSeconds", duration}});
  for (int attempt = 1;; ++attempt) {
    StsAttempt a = call_sts_once(env, &source, region, endpoint_url, "AssumeRole", body);
    if (a.credentials) {
      retry.on_success(attempt);
      a.credentials->source = "assume-role " + r.role_arn;
      return std::move(a.credentials);
    }
    a.outcome.error_code = a.error_code;
    const std::chrono::milliseconds delay = retry.on_failure(attempt, a.outcome);
    if (delay.count() < 0) {
      Error e = a.credentials.error();
      if (attempt > 1) e.message += fmt::format(" (after {} attempts)", attempt);
      return e;
    }
    if (sleep) sleep(delay);
  }
}

Expected<TimedCredentials> assume_role_with_web_identity(const Environment& env, const std::string& region,
                                                         const std::string& endpoint_url, const std::string& role_arn,
                                                         const std::string& session_name, const std::string& token) {
  auto result = call_sts(env, nullptr, region, endpoint_url, "AssumeRoleWithWebIdentity",
                         form_body({{"Action", "AssumeRoleWithWebIdentity"},
                                    {"Version", "2011-06-15"},
                                    {"RoleArn", role_arn},
                                    {"RoleSessionName", session_name},
                                    {"WebIdentityToken", token}}));
  if (result) result->source = "web identity " + role_arn;
  return result;
}

}  // namespace fortress::aws
