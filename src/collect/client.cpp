#include "collect/client.h"

#include <fmt/format.h>

#include <regex>
#include <thread>
#include <utility>
#include <vector>

#include "aws/endpoints.h"
#include "aws/protocol.h"
#include "aws/protocol_models.h"
#include "aws/sigv4.h"
#include "aws/sts.h"
#include "collect/operations.h"

namespace fortress::collect {

namespace {

using std::chrono::milliseconds;

struct UrlParts {
  std::string scheme;  // "https"
  std::string host;    // "ec2.us-east-1.amazonaws.com" or "127.0.0.1:8080"
  std::string path;    // "" or "/base" (no trailing slash)
};

UrlParts split_url(std::string_view url) {
  UrlParts out;
  size_t scheme_end = url.find("://");
  size_t host_start = 0;
  if (scheme_end != std::string_view::npos) {
    out.scheme = std::string(url.substr(0, scheme_end));
    host_start = scheme_end + 3;
  } else {
    out.scheme = "https";
  }
  size_t path_start = url.find('/', host_start);
  out.host = std::string(url.substr(
      host_start, path_start == std::string_view::npos ? std::string_view::npos : path_start - host_start));
  if (path_start != std::string_view::npos) {
    out.path = std::string(url.substr(path_start));
    while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  }
  return out;
}

bool is_timeout_message(std::string_view message) {
  return message.find("imeout") != std::string_view::npos ||
         message.find("timed out") != std::string_view::npos;
}

// Throttled attempts of one request that, once its service is paced, do not count against the
// retry mode's maximum attempts.
constexpr int kPacedThrottleAttempts = 5;

bool is_expired_token_code(std::string_view code) {
  return code == "ExpiredToken" || code == "ExpiredTokenException" || code == "RequestExpired";
}

CollectError make_error(std::string code, std::string message, long http_status = 0, int attempts = 0) {
  CollectError e;
  e.code = std::move(code);
  e.message = std::move(message);
  e.http_status = http_status;
  e.attempts = attempts;
  return e;
}

// One page: the parsed output, or why it failed after retries.
struct PageResult {
  std::optional<JsonValue> output;
  CollectError error;
  int attempts = 0;
};

}  // namespace

std::string scrub_credentials(std::string text, const aws::Credentials* credentials) {
  auto replace_all = [&text](const std::string& secret) {
    if (secret.empty()) return;
    for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 4)) {
      text.replace(pos, secret.size(), "****");
    }
  };
  if (credentials != nullptr) {
    replace_all(credentials->secret_access_key);
    replace_all(credentials->session_token);
    replace_all(credentials->access_key_id);
  }
  static const std::regex kSignature("Signature=[0-9a-fA-F]+");
  static const std::regex kAccessKeyId("(AKIA|ASIA)[A-Z0-9]{16}");
  text = std::regex_replace(text, kSignature, "Signature=****");
  text = std::regex_replace(text, kAccessKeyId, "$1****************");
  return text;
}

std::string no_credentials_message(const std::string& chain_error) {
  std::string text = scrub_credentials(chain_error, nullptr);
  if (text.starts_with("no AWS credentials")) return text;
  return "no AWS credentials: " + text;
}

JsonValue merge_pages(const aws::Paginator& paginator, const std::vector<JsonValue>& pages) {
  JsonValue merged = JsonValue::object();
  for (const JsonValue& page : pages) {
    if (!page.is_object()) continue;
    for (const std::string& key : paginator.result_key) {
      const JsonValue* value = page.get(key);
      if (value == nullptr || value->is_null()) continue;
      const JsonValue* existing = merged.get(key);
      if (existing == nullptr) {
        merged.set(key, *value);
        continue;
      }
      if (value->is_array() && existing->is_array()) {
        JsonValue combined = *existing;
        for (const JsonValue& item : value->as_array()) combined.push(item);
        merged.set(key, std::move(combined));
      } else if (value->is_int() && existing->is_int()) {
        merged.set(key, existing->as_int() + value->as_int());
      } else if (value->is_string() && existing->is_string()) {
        merged.set(key, existing->as_string() + value->as_string());
      }
    }
  }
  return merged;
}

AwsClient::AwsClient(aws::HttpTransport& transport, aws::CredentialCache& credentials, ClientOptions options)
    : transport_(transport), credentials_(credentials), options_(std::move(options)) {
  if (!options_.sleep) options_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
  if (!options_.now) options_.now = [] { return aws::Clock::now(); };
  if (!options_.models) options_.models = [](std::string_view s) { return aws::builtin_model(s); };
  if (!options_.getenv)
    options_.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

CallResult AwsClient::call(std::string_view service, std::string_view operation_name, std::string_view region,
                           const JsonValue& params, aws::RetryStrategy& retry) {
  return call(service, operation_name, region, params, CallPolicy{&retry, nullptr, nullptr});
}

CallResult AwsClient::call(std::string_view service, std::string_view operation_name, std::string_view region,
                           const JsonValue& params, const CallPolicy& policy) {
  aws::RetryStrategy& retry = *policy.retry;
  CallResult result;
  auto fail = [&result](CollectError e) {
    result.error = std::move(e);
    result.output = JsonValue();
    return std::move(result);
  };

  // The guard comes first: a mutating operation is never serialized, signed or sent.
  if (!is_read_only_operation(service, operation_name)) {
    return fail(make_error("ReadOnlyGuard",
                           fmt::format("fortress refused to call {}:{}: it is not a read-only operation "
                                       "(only Describe*, Get*, List*, BatchGetAccountStatus and "
                                       "GenerateCredentialReport may be sent)",
                                       service, operation_name)));
  }
  auto model_or = options_.models(service);
  if (!model_or) return fail(make_error("UnknownOperation", model_or.error().message));
  const aws::ServiceModel& model = **model_or;
  const aws::Operation* operation = model.find_operation(operation_name);
  if (operation == nullptr) {
    return fail(make_error("UnknownOperation",
                           fmt::format("the {} model has no operation {}", service, operation_name)));
  }

  const aws::Endpoint endpoint =
      aws::resolve_endpoint(model.metadata.endpoint_prefix, model.metadata.service_id, region,
                            options_.endpoint_url, options_.getenv);
  const UrlParts url = split_url(endpoint.url);
  const std::string signing_name =
      model.metadata.signing_name.empty() ? model.metadata.endpoint_prefix : model.metadata.signing_name;

  // Sends one page, retrying as the strategy allows.
  auto send_page = [&](const JsonValue& page_params) -> PageResult {
    PageResult page;
    auto request = aws::serialize_request(model, *operation, page_params);
    if (!request) {
      page.error = make_error("InvalidRequest", request.error().message);
      return page;
    }
    const std::string host = request->host_prefix + url.host;
    bool refreshed_credentials = false;
    int paced_throttles = 0;
    for (int attempt = 1;; ++attempt) {
      if (policy.region != nullptr && policy.region->hung()) {
        // Earlier requests into this region all timed out: do not wait out another timeout.
        page.attempts = attempt - 1;
        page.error = make_error(
            "EndpointConnectionError",
            fmt::format("Not attempted: endpoint URL \"{}://{}{}/\": {} earlier requests in region {} timed out and "
                        "none was answered",
                        url.scheme, host, url.path, policy.region->timeouts(), region),
            0, attempt - 1);
        return page;
      }
      auto creds = credentials_.get();
      if (!creds) {
        page.error =
            make_error("NoCredentials", scrub_credentials(creds.error().message, nullptr), 0, attempt - 1);
        return page;
      }
      aws::HttpRequest signed_request = aws::to_http_request(*request, host);
      signed_request.path = url.path + request->path;
      aws::sign(signed_request, *creds,
                aws::SigningParams{endpoint.signing_region, signing_name, aws::amz_date(options_.now())});
      aws::HttpCall http;
      http.method = signed_request.method;
      http.url = url.scheme + "://" + host + signed_request.path +
                 (signed_request.query.empty() ? "" : "?" + signed_request.query);
      http.headers = std::move(signed_request.headers);
      http.body = std::move(signed_request.body);
      http.connect_timeout = options_.connect_timeout;
      http.total_timeout = options_.total_timeout;
      page.attempts = attempt;

      if (policy.pacing != nullptr) {
        const milliseconds wait = policy.pacing->acquire();
        if (wait.count() > 0) {
          options_.sleep(wait);
          result.paced += wait;
        }
      }
      auto reply = transport_.send(http);
      if (reply && policy.region != nullptr) policy.region->on_answer();
      aws::AttemptOutcome outcome;
      std::string code;
      std::string detail;
      long status = 0;
      if (!reply) {
        outcome.transport_error = true;
        outcome.timeout = is_timeout_message(reply.error().message);
        if (outcome.timeout && policy.region != nullptr) policy.region->on_timeout();
        code = "EndpointConnectionError";
        detail = fmt::format("{} endpoint URL: \"{}://{}{}/\": {}",
                             outcome.timeout ? "Timeout on" : "Could not connect to the", url.scheme, host,
                             url.path, reply.error().message);
      } else if (reply->status >= 200 && reply->status < 300) {
        if (policy.pacing != nullptr) policy.pacing->on_response(false);
        auto parsed = aws::parse_response(model, *operation, *reply);
        if (parsed) {
          retry.on_success(attempt);
          page.output = std::move(*parsed);
          return page;
        }
        // A truncated or garbled body: no answer to trust, but one a new attempt may get right.
        outcome.transport_error = true;
        status = reply->status;
        code = "ResponseParseError";
        detail =
            fmt::format("the HTTP {} response could not be read: {}", reply->status, parsed.error().message);
      } else {
        aws::ServiceError se = aws::parse_error(model, *reply);
        status = reply->status;
        code = se.code.empty() ? std::to_string(reply->status) : se.code;
        outcome.http_status = reply->status;
        outcome.error_code = code;
        const bool throttled = aws::classify(outcome) == aws::RetryClass::kThrottle;
        if (throttled) ++result.throttles;
        if (policy.pacing != nullptr) policy.pacing->on_response(throttled);
        detail = se.message.empty() ? "Unknown" : se.message;  // botocore's word for a missing message
        // The session token expired before its stated time (or none was stated): fetch fresh
        // credentials and try again, once per request, as the SDKs do.
        if (is_expired_token_code(code) && !refreshed_credentials) {
          refreshed_credentials = true;
          credentials_.invalidate(*creds);
          continue;
        }
      }

      // A throttled attempt, once the service is paced, waits its turn at the service's new rate
      // before it is tried again: up to kPacedThrottleAttempts of them do not count against the
      // attempts allowed (the retry quota still bounds them), so a rate-limited service is read in
      // full, slowly, instead of failing after three quick tries.
      if (aws::classify(outcome) == aws::RetryClass::kThrottle && policy.pacing != nullptr && policy.pacing->enabled()) {
        ++paced_throttles;
      }
      const int counted = attempt - std::min(paced_throttles, kPacedThrottleAttempts);
      const milliseconds delay = retry.on_failure(std::max(1, counted), outcome);
      if (delay.count() < 0) {
        std::string retries = attempt > 1 ? fmt::format(" (reached max retries: {})", attempt - 1) : "";
        std::string text =
            code == "EndpointConnectionError" || code == "ResponseParseError"
                ? fmt::format("{}{}", detail, attempt > 1 ? fmt::format(" (after {} attempts)", attempt) : "")
                : fmt::format("An error occurred ({}) when calling the {} operation{}: {}", code,
                              operation_name, retries, detail);
        page.error =
            make_error(std::move(code), scrub_credentials(std::move(text), &*creds), status, attempt);
        return page;
      }
      options_.sleep(delay);
    }
  };

  const aws::Paginator* paginator = model.find_paginator(operation_name);
  std::vector<JsonValue> pages;
  JsonValue current = params.is_null() ? JsonValue::object() : params;
  for (;;) {
    if (result.pages >= options_.max_pages) {
      return fail(make_error("PaginationLimit", fmt::format("{}:{} returned more than {} pages; stopped",
                                                            service, operation_name, options_.max_pages)));
    }
    PageResult page = send_page(current);
    result.attempts += page.attempts;
    result.retries += page.attempts > 0 ? page.attempts - 1 : 0;
    if (!page.output) {
      // A failed page fails the whole call: a partial list must never pass for the full one.
      return fail(std::move(page.error));
    }
    ++result.pages;
    pages.push_back(std::move(*page.output));
    if (paginator == nullptr) break;
    std::optional<JsonValue> next = aws::next_page_params(*paginator, current, pages.back());
    if (!next) break;
    current = std::move(*next);
  }
  result.output = paginator != nullptr ? merge_pages(*paginator, pages) : std::move(pages.front());
  return result;
}

}  // namespace fortress::collect
