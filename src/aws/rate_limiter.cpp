#include "aws/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace fortress::aws {

namespace {
constexpr double kMeasureWindowSeconds = 1.0;
}

AdaptiveRateLimiter::AdaptiveRateLimiter(RateLimiterOptions options, std::function<SteadyClock::time_point()> now)
    : options_(options), now_(std::move(now)) {
  if (!now_) now_ = [] { return SteadyClock::now(); };
  start_ = now_();
  last_refill_ = start_;
}

double AdaptiveRateLimiter::seconds_since_start(SteadyClock::time_point t) const {
  return std::chrono::duration<double>(t - start_).count();
}

std::chrono::milliseconds AdaptiveRateLimiter::acquire() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!enabled_) return std::chrono::milliseconds(0);
  const SteadyClock::time_point t = now_();
  const double capacity = std::max(1.0, fill_rate_);
  const double elapsed = std::chrono::duration<double>(t - last_refill_).count();
  if (elapsed > 0) {
    tokens_ = std::min(capacity, tokens_ + elapsed * fill_rate_);
    last_refill_ = t;
  }
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return std::chrono::milliseconds(0);
  }
  // Not enough: take the token on credit, so the callers behind queue up after this one.
  const double wait_s = (1.0 - tokens_) / fill_rate_;
  tokens_ -= 1.0;
  return std::chrono::milliseconds(int64_t(std::ceil(wait_s * 1000.0)));
}

void AdaptiveRateLimiter::measure_send(SteadyClock::time_point t) {
  // Responses per second over the last measurement window, smoothed across windows.
  const auto bucket_ms = std::max<int64_t>(1, options_.measure_bucket.count());
  const long long index = std::chrono::duration_cast<std::chrono::milliseconds>(t - start_).count() / bucket_ms;
  if (index != bucket_index_) {
    if (bucket_index_ >= 0) {
      const double bucket_rate = double(bucket_count_) / (double(bucket_ms) / 1000.0);
      // Idle buckets in between count as zero.
      const long long gap = index - bucket_index_ - 1;
      double rate = measured_rate_ == 0 ? bucket_rate
                                        : options_.smoothing * bucket_rate + (1 - options_.smoothing) * measured_rate_;
      for (long long i = 0; i < std::min<long long>(gap, 8); ++i) rate *= (1 - options_.smoothing);
      measured_rate_ = rate;
    }
    bucket_index_ = index;
    bucket_count_ = 0;
  }
  ++bucket_count_;
}

void AdaptiveRateLimiter::on_response(bool throttled) {
  std::lock_guard<std::mutex> lock(mu_);
  const SteadyClock::time_point t = now_();
  measure_send(t);
  // The measured rate, counting the bucket in progress so a throttle in the first half second of a
  // burst does not read as "nothing was sent".
  const double bucket_s = double(std::max<int64_t>(1, options_.measure_bucket.count())) / 1000.0;
  const double current = std::max(measured_rate_, double(bucket_count_) / std::max(bucket_s, kMeasureWindowSeconds));
  const double now_s = seconds_since_start(t);
  if (throttled) {
    ++throttles_;
    if (!options_.adaptive) return;
    if (enabled_ && t - last_cut_ < options_.one_cut_per) return;  // the same congestion event
    last_cut_ = t;
    const double rate = enabled_ ? std::min(current, fill_rate_) : current;
    last_max_rate_ = std::max(rate, options_.min_rate);
    last_throttle_s_ = now_s;
    fill_rate_ = std::max(options_.min_rate, rate * options_.beta);
    if (!enabled_) {
      enabled_ = true;
      tokens_ = 0;
      last_refill_ = t;
    }
    tokens_ = std::min(tokens_, std::max(1.0, fill_rate_));
    return;
  }
  if (!enabled_) return;
  const double k = std::cbrt(last_max_rate_ * (1 - options_.beta) / options_.scale);
  const double dt = now_s - last_throttle_s_ - k;
  double next = options_.scale * dt * dt * dt + last_max_rate_;
  next = std::min(next, 2 * std::max(current, options_.min_rate));
  fill_rate_ = std::max(options_.min_rate, next);
}

bool AdaptiveRateLimiter::enabled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return enabled_;
}

double AdaptiveRateLimiter::fill_rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fill_rate_;
}

double AdaptiveRateLimiter::measured_rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return measured_rate_;
}

int AdaptiveRateLimiter::throttles() const {
  std::lock_guard<std::mutex> lock(mu_);
  return throttles_;
}

}  // namespace fortress::aws
