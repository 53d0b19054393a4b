// One AWS operation, all of its pages: serialize (protocol.h) → sign (SigV4, credentials from a
// CredentialCache) → send (HttpTransport) → classify and retry (retry.h) → parse → next page →
// merge the pages as the AWS CLI does.
//
// Read-only by construction: call() refuses, before anything is serialized, signed or sent, any
// operation that is_read_only_operation() (operations.h) does not allow.
//
// Nothing here logs. Error messages never contain the secret key, the session token, the access key
// ID or the Authorization header: a service's message (SignatureDoesNotMatch echoes the canonical
// request) is scrubbed of them before it is returned.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/rate_limiter.h"
#include "aws/retry.h"
#include "aws/shape_model.h"
#include "util/expected.h"
#include "util/json_value.h"

namespace fortress::collect {

// Why a call failed, after retries.
struct CollectError {
  // The AWS error code ("AccessDenied", "UnauthorizedOperation", "Throttling"), or fortress's own,
  // named as scripts/export-aws-cli.sh names the AWS CLI's failures: "EndpointConnectionError" (no
  // HTTP response: refused, DNS, TLS, connect or read timeout), "NoCredentials", "ReadOnlyGuard" (a
  // mutating operation was refused), "ResponseParseError" (a 2xx body that does not parse, retried
  // like a transient fault first), "InvalidRequest" (the parameters do not fit the model),
  // "UnknownOperation".
  std::string code;
  // As the AWS CLI words it: "An error occurred (AccessDenied) when calling the DescribeFlowLogs
  // operation: ...". Scrubbed of credentials.
  std::string message;
  long http_status = 0;  // 0 when no HTTP response was received or nothing was sent
  int attempts = 0;      // HTTP attempts made for the failing page (0: nothing was sent)
  // True when the service answered with an error (AWS CLI exit status 254); false for client-side
  // and connection failures (exit status 255).
  [[nodiscard]] bool service_error() const { return http_status >= 300; }
};

struct CallResult {
  JsonValue output;                   // the merged output, as `aws ... --output json` prints it
  std::optional<CollectError> error;  // set when the call failed; then `output` is null
  int attempts = 0;                   // HTTP attempts over all pages
  int retries = 0;                    // attempts beyond the first, over all pages
  int pages = 0;                      // pages received
  int throttles = 0;                  // attempts answered with a throttling error
  std::chrono::milliseconds paced{0};  // time waited for the service's rate limit (AdaptiveRateLimiter)
  [[nodiscard]] bool ok() const { return !error.has_value(); }
};

struct ClientOptions {
  std::string endpoint_url;  // --endpoint-url ("" = none)
  // Environment lookups for AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>; empty = no variables.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::chrono::milliseconds connect_timeout{3000};  // per attempt: a region that never answers fails fast
  std::chrono::milliseconds total_timeout{30000};
  // How the client waits between attempts (tests pass a recorder); empty = std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
  // Signing time; empty = the system clock.
  std::function<aws::Clock::time_point()> now;
  // Service model lookup; empty = aws::builtin_model.
  std::function<Expected<const aws::ServiceModel*>(std::string_view)> models;
  int max_pages = 100000;  // a service that never stops paging is an error, not a hang
};

// Whether the endpoints of one region (of one account) answer at all; shared by every call there.
// Once kHungAfterTimeouts attempts have timed out and no attempt there was ever answered, the region
// counts as hung and further attempts fail at once ("EndpointConnectionError ... not attempted"), so
// a region that never answers costs about one timeout, not one per call and attempt. Any HTTP
// answer, errors included, proves the region alive for good. Thread-safe.
class RegionHealth {
 public:
  static constexpr int kHungAfterTimeouts = 2;
  void on_answer() { answered_.store(true); }
  void on_timeout() { timeouts_.fetch_add(1); }
  [[nodiscard]] bool hung() const { return !answered_.load() && timeouts_.load() >= kHungAfterTimeouts; }
  [[nodiscard]] int timeouts() const { return timeouts_.load(); }

 private:
  std::atomic<int> timeouts_{0};
  std::atomic<bool> answered_{false};
};

// What the calls to one service endpoint share: the retry quota (required), the service's adaptive
// rate limit, and the health of the region it is in (both optional).
struct CallPolicy {
  aws::RetryStrategy* retry = nullptr;
  aws::AdaptiveRateLimiter* pacing = nullptr;
  RegionHealth* region = nullptr;
};

class AwsClient {
 public:
  // `transport` and `credentials` must outlive the client. A client is used by one thread at a
  // time (the transport is not shareable); the CredentialCache may be shared.
  AwsClient(aws::HttpTransport& transport, aws::CredentialCache& credentials, ClientOptions options = {});

  // Performs `operation` of `service` (botocore model name) in `region` with `params` (member
  // names as keys; null = none), following every page. `retry` decides on retries; share one per
  // service endpoint.
  [[nodiscard]] CallResult call(std::string_view service, std::string_view operation, std::string_view region,
                                const JsonValue& params, aws::RetryStrategy& retry);
  // The same with the service's pacing and the region's health taken into account.
  [[nodiscard]] CallResult call(std::string_view service, std::string_view operation, std::string_view region,
                                const JsonValue& params, const CallPolicy& policy);

 private:
  aws::HttpTransport& transport_;
  aws::CredentialCache& credentials_;
  ClientOptions options_;
};

// The pages of a paginated operation merged as the AWS CLI does (botocore build_full_result): each
// result_key's values in page order (lists concatenated), keys in the order first seen; every other
// member -- tokens, IsTruncated, any non-result member -- is left out, as the CLI prints it (none of
// the paginators fortress uses has non_aggregate_keys). Only top-level result keys are supported.
[[nodiscard]] JsonValue merge_pages(const aws::Paginator& paginator, const std::vector<JsonValue>& pages);

// "no AWS credentials: <why>" for the chain's error (scrubbed), without saying it twice when the
// chain's message already begins so.
[[nodiscard]] std::string no_credentials_message(const std::string& chain_error);

// `text` with every occurrence of the credentials' secret parts (secret key, session token, access
// key ID) and any "Signature=<hex>" replaced by "****", and access key IDs (AKIA/ASIA...) masked.
[[nodiscard]] std::string scrub_credentials(std::string text, const aws::Credentials* credentials);

}  // namespace fortress::collect
