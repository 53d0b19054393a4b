#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <random>

namespace fortress::aws {

bool is_throttling_code(std::string_view code) {
  static constexpr std::array<std::string_view, 14> kThrottling = {
      "Throttling",          "ThrottlingException",          "ThrottledException",
      "RequestThrottledException", "TooManyRequestsException", "ProvisionedThroughputExceededException",
      "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
      "LimitExceededException", "RequestThrottled",             "SlowDown",
      "PriorRequestNotComplete", "EC2ThrottledException",
  };
  return std::find(kThrottling.begin(), kThrottling.end(), code) != kThrottling.end();
}

RetryClass classify(const AttemptOutcome& o) {
  if (o.transport_error) return RetryClass::kTransient;
  if (is_throttling_code(o.error_code) || o.http_status == 429) return RetryClass::kThrottle;
  static constexpr std::array<std::string_view, 4> kTransientCodes = {
      "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable"};
  if (std::find(kTransientCodes.begin(), kTransientCodes.end(), o.error_code) != kTransientCodes.end()) {
    return RetryClass::kTransient;
  }
  if (o.http_status == 500 || o.http_status == 502 || o.http_status == 503 || o.http_status == 504) {
    return RetryClass::kTransient;
  }
  return RetryClass::kNone;
}

RetryStrategy::RetryStrategy(RetryOptions options, std::function<double()> random01)
    : options_(options), random01_(std::move(random01)), quota_(options.initial_quota) {
  if (!random01_) {
    random01_ = [] {
      thread_local std::mt19937_64 rng{std::random_device{}()};
      return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    };
  }
}

std::chrono::milliseconds RetryStrategy::on_failure(int attempt, const AttemptOutcome& outcome) {
  const RetryClass cls = classify(outcome);
  if (cls == RetryClass::kNone || attempt >= options_.max_attempts) return std::chrono::milliseconds(-1);
  const int cost = outcome.timeout ? options_.timeout_retry_cost : options_.retry_cost;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (quota_ < cost) return std::chrono::milliseconds(-1);
    quota_ -= cost;
    last_cost_ = cost;
  }
  // Full jitter: uniform in [0, min(max_backoff, base · 2^(attempt-1))].
  const double cap = std::min<double>(double(options_.max_backoff.count()),
                                      double(options_.base_delay.count()) * double(1ULL << std::min(attempt - 1, 30)));
  return std::chrono::milliseconds(int64_t(random01_() * cap));
}

void RetryStrategy::on_success(int attempts_used) {
  std::lock_guard<std::mutex> lock(mu_);
  // Standard mode: a success after retries refunds what the retry cost; a first-try success adds one.
  quota_ = std::min(options_.initial_quota, quota_ + (attempts_used > 1 ? last_cost_ : 1));
}

int RetryStrategy::quota() const {
  std::lock_guard<std::mutex> lock(mu_);
  return quota_;
}

}  // namespace fortress::aws
