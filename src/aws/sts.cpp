#include "aws/sts.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <ctime>

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

Expected<TimedCredentials> call_sts(const Environment& env, const Credentials* signer, const std::string& region,
                                    const std::string& endpoint_url, const std::string& operation, std::string body) {
  if (env.http == nullptr) return sts_error("no HTTP transport for STS");
  std::string url = endpoint_url.empty() ? default_endpoint("sts", region).url : endpoint_url;
  HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers = {{"Host", host_of(url)}, {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = std::move(body);
  if (signer != nullptr) sign(req, *signer, SigningParams{region, "sts", amz_date(env.now())});
  HttpCall call;
  call.method = "POST";
  call.url = url + "/";
  call.headers = req.headers;
  call.body = req.body;
  auto reply = env.http->send(call);
  if (!reply) return sts_error(fmt::format("sts:{} could not reach {}: {}", operation, url, reply.error().message));
  return parse_sts_credentials(reply->body, reply->status, operation);
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
