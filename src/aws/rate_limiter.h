// Per-service pacing: a client-side rate limit that adapts to throttling, after the AWS SDKs'
// "adaptive" retry mode.
//
// Off until the service first throttles (so an account that is never throttled is collected at full
// speed). From the first throttling error on, requests to that service endpoint pass a token bucket:
// on each throttle (at most one cut a second, however many requests in flight were throttled) the fill
// rate drops to 70% of the rate requests were actually being sent at (never below min_rate), and on each success it grows back along a cubic curve toward, and then
// past, the rate at which the last throttle happened (CUBIC, as TCP uses), capped at twice the
// measured send rate. Standard-mode retries (retry.h) still decide *whether* to retry; this decides
// how fast requests go out at all.
//
// Thread-safe: every worker calling one service endpoint shares one limiter. Time is injected.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

namespace fortress::aws {

struct RateLimiterOptions {
  bool adaptive = true;         // false: never paces (for comparisons)
  double min_rate = 0.5;        // requests per second, the floor of the fill rate
  // Throttles within this time of the last cut are the same congestion event and cut no further:
  // with many requests in flight one overload answers several of them with throttling errors, and
  // cutting once per answer would drive the rate to the floor at once (TCP's CUBIC reacts once per
  // loss event for the same reason).
  std::chrono::milliseconds one_cut_per{1000};
  double beta = 0.7;            // multiplicative decrease on throttle
  double scale = 0.4;           // CUBIC scale constant
  double smoothing = 0.8;       // weight of the last measured send rate against the new bucket's
  std::chrono::milliseconds measure_bucket{500};  // send-rate measurement granularity
};

class AdaptiveRateLimiter {
 public:
  using SteadyClock = std::chrono::steady_clock;
  explicit AdaptiveRateLimiter(RateLimiterOptions options = {},
                               std::function<SteadyClock::time_point()> now = {});

  // Reserves the next send slot and returns how long the caller must wait before sending (zero while
  // the limiter is off or a token is at hand). The caller sleeps outside the limiter.
  [[nodiscard]] std::chrono::milliseconds acquire();
  // After an attempt got an answer: `throttled` when it was a throttling error.
  void on_response(bool throttled);

  [[nodiscard]] bool enabled() const;
  [[nodiscard]] double fill_rate() const;        // requests per second (meaningful when enabled)
  [[nodiscard]] double measured_rate() const;    // requests per second actually sent, smoothed
  [[nodiscard]] int throttles() const;

 private:
  void measure_send(SteadyClock::time_point t);
  [[nodiscard]] double seconds_since_start(SteadyClock::time_point t) const;

  RateLimiterOptions options_;
  std::function<SteadyClock::time_point()> now_;
  SteadyClock::time_point start_;
  mutable std::mutex mu_;
  bool enabled_ = false;
  int throttles_ = 0;
  // Token bucket: tokens at last_refill_, capacity = max(1, fill_rate_).
  double fill_rate_ = 0;
  double tokens_ = 0;
  SteadyClock::time_point last_refill_;
  // CUBIC state: the rate at the last throttle and when it happened.
  double last_max_rate_ = 0;
  double last_throttle_s_ = 0;
  SteadyClock::time_point last_cut_;
  // Send-rate measurement.
  double measured_rate_ = 0;
  long long bucket_index_ = -1;
  int bucket_count_ = 0;
};

}  // namespace fortress::aws
