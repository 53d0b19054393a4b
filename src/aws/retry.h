// AWS "standard" retry mode, as the SDKs define it: which failures are retried, how long to wait
// (truncated exponential backoff with full jitter), and a retry quota so a struggling service is not
// hammered. Time and randomness are injected so tests are exact.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

namespace fortress::aws {

// What went wrong with one attempt.
struct AttemptOutcome {
  bool transport_error = false;  // no HTTP response: connection refused/reset, DNS, TLS, timeout
  bool timeout = false;          // the transport error was a timeout
  long http_status = 0;          // 0 when transport_error
  std::string_view error_code;   // AWS error code from the body ("Throttling", "AccessDenied"), may be ""
};

enum class RetryClass : uint8_t {
  kNone,       // success or a failure retrying cannot fix (AccessDenied, validation, 404 ...)
  kThrottle,   // the service asked us to slow down
  kTransient,  // a server or network fault that may pass
};

[[nodiscard]] RetryClass classify(const AttemptOutcome& outcome);
[[nodiscard]] bool is_throttling_code(std::string_view code);

struct RetryOptions {
  int max_attempts = 3;                             // first try included (AWS_MAX_ATTEMPTS)
  std::chrono::milliseconds base_delay{1000};       // backoff base: delay ≤ base · 2^(attempt-1)
  std::chrono::milliseconds max_backoff{20000};
  int initial_quota = 500;                          // retry tokens
  int retry_cost = 5;
  int timeout_retry_cost = 10;
};

// Shared by every call to one service endpoint (thread-safe): decides whether and when to retry.
class RetryStrategy {
 public:
  explicit RetryStrategy(RetryOptions options = {}, std::function<double()> random01 = {});

  // After a failed attempt number `attempt` (1-based): the delay before the next attempt, or a negative
  // duration when the call must not be retried (not retryable, attempts or quota exhausted).
  [[nodiscard]] std::chrono::milliseconds on_failure(int attempt, const AttemptOutcome& outcome);
  // After a successful attempt (refunds quota as the standard mode does).
  void on_success(int attempts_used);

  [[nodiscard]] int quota() const;

 private:
  RetryOptions options_;
  std::function<double()> random01_;
  mutable std::mutex mu_;
  int quota_;
  int last_cost_ = 0;
};

}  // namespace fortress::aws
