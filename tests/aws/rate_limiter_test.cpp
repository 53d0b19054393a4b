// Per-service pacing (aws/rate_limiter.h) with a fake clock: off until the service throttles, then a
// rate below what was being sent, recovering along the cubic curve on success.
#include "aws/rate_limiter.h"

#include <gtest/gtest.h>

namespace fortress::aws {
namespace {

using std::chrono::milliseconds;
using Clock = AdaptiveRateLimiter::SteadyClock;

class RateLimiterTest : public ::testing::Test {
 protected:
  Clock::time_point now_{std::chrono::seconds(1000)};  // before limiter_, which reads it when built
  AdaptiveRateLimiter limiter_{RateLimiterOptions{}, [this] { return now_; }};

  // `n` requests answered `throttled`, evenly over `span`, each waiting what the limiter says.
  milliseconds send(int n, milliseconds span, bool throttled) {
    milliseconds waited{0};
    for (int i = 0; i < n; ++i) {
      milliseconds wait = limiter_.acquire();
      waited += wait;
      now_ += wait + span / n;
      limiter_.on_response(throttled);
    }
    return waited;
  }
};

TEST_F(RateLimiterTest, OffUntilTheFirstThrottle) {
  // 400 requests a second for 5 seconds: nothing is held back while the service never objects.
  EXPECT_EQ(send(2000, milliseconds(5000), false).count(), 0);
  EXPECT_FALSE(limiter_.enabled());
}

TEST_F(RateLimiterTest, AThrottleCutsTheRateBelowWhatWasSent) {
  send(200, milliseconds(2000), false);  // 100 requests/s
  const double sent = limiter_.measured_rate();
  EXPECT_NEAR(sent, 100, 25);
  send(1, milliseconds(10), true);
  ASSERT_TRUE(limiter_.enabled());
  EXPECT_LT(limiter_.fill_rate(), sent);
  EXPECT_NEAR(limiter_.fill_rate(), 0.7 * sent, 0.1 * sent);
  // A burst now waits: 50 requests at once are spread at about the fill rate.
  milliseconds waited{0};
  for (int i = 0; i < 50; ++i) waited += limiter_.acquire();
  EXPECT_GT(waited.count(), 0);
  const double per_request_ms = 1000.0 / limiter_.fill_rate();
  // The last of them waits about 49 intervals (less the one token at hand).
  EXPECT_GT(limiter_.acquire().count(), int64_t(40 * per_request_ms));
}

TEST_F(RateLimiterTest, RepeatedThrottlesKeepCuttingButNeverBelowTheFloor) {
  send(20, milliseconds(1000), false);
  for (int i = 0; i < 40; ++i) send(1, milliseconds(1100), true);  // one throttle a second
  EXPECT_GE(limiter_.fill_rate(), RateLimiterOptions{}.min_rate);
  EXPECT_LT(limiter_.fill_rate(), 2.0);
  EXPECT_EQ(limiter_.throttles(), 40);
}

TEST_F(RateLimiterTest, ThrottlesOfOneOverloadCutOnce) {
  send(200, milliseconds(2000), false);  // 100 requests/s
  // 30 requests in flight all come back throttled within 50 ms: one congestion event.
  for (int i = 0; i < 30; ++i) {
    now_ += milliseconds(1);
    limiter_.on_response(true);
  }
  EXPECT_EQ(limiter_.throttles(), 30);
  EXPECT_GT(limiter_.fill_rate(), 50.0) << "cut once to about 70, not 0.7^30 to the floor";
  now_ += milliseconds(1500);
  limiter_.on_response(true);  // a new overload a second and a half later cuts again
  EXPECT_LT(limiter_.fill_rate(), 60.0);
}

TEST_F(RateLimiterTest, NotAdaptiveNeverPaces) {
  AdaptiveRateLimiter off(RateLimiterOptions{.adaptive = false}, [this] { return now_; });
  for (int i = 0; i < 10; ++i) {
    off.on_response(true);
    EXPECT_EQ(off.acquire().count(), 0);
  }
  EXPECT_FALSE(off.enabled());
  EXPECT_EQ(off.throttles(), 10);
}

TEST_F(RateLimiterTest, SuccessesGrowTheRateBackPastTheLastThrottle) {
  send(100, milliseconds(1000), false);  // 100/s
  send(1, milliseconds(10), true);
  const double after_throttle = limiter_.fill_rate();
  // Keep sending as fast as the limiter lets through, for a while, without throttles.
  for (int second = 0; second < 30; ++second) {
    const Clock::time_point end = now_ + std::chrono::seconds(1);
    while (now_ < end) {
      now_ += limiter_.acquire() + milliseconds(1);
      limiter_.on_response(false);
    }
  }
  EXPECT_GT(limiter_.fill_rate(), after_throttle);
  EXPECT_GT(limiter_.fill_rate(), 100.0) << "CUBIC probes past the rate of the last throttle";
}

}  // namespace
}  // namespace fortress::aws
