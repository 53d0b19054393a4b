#include "aws/retry.h"

#include <gtest/gtest.h>

namespace fortress::aws {
namespace {

AttemptOutcome http(long status, std::string_view code = "") {
  AttemptOutcome o;
  o.http_status = status;
  o.error_code = code;
  return o;
}

TEST(Retry, Classification) {
  EXPECT_EQ(classify(http(400, "Throttling")), RetryClass::kThrottle);
  EXPECT_EQ(classify(http(400, "ThrottlingException")), RetryClass::kThrottle);
  EXPECT_EQ(classify(http(503, "RequestLimitExceeded")), RetryClass::kThrottle);
  EXPECT_EQ(classify(http(400, "TooManyRequestsException")), RetryClass::kThrottle);
  EXPECT_EQ(classify(http(429)), RetryClass::kThrottle);
  for (long s : {500L, 502L, 503L, 504L}) EXPECT_EQ(classify(http(s)), RetryClass::kTransient) << s;
  AttemptOutcome reset;
  reset.transport_error = true;
  EXPECT_EQ(classify(reset), RetryClass::kTransient);
  EXPECT_EQ(classify(http(403, "AccessDenied")), RetryClass::kNone);
  EXPECT_EQ(classify(http(403, "UnauthorizedOperation")), RetryClass::kNone);
  EXPECT_EQ(classify(http(400, "InvalidParameterValue")), RetryClass::kNone);
  EXPECT_EQ(classify(http(200)), RetryClass::kNone);
}

TEST(Retry, FullJitterExponentialBackoffCappedAt20s) {
  RetryOptions o;
  o.max_attempts = 10;
  RetryStrategy s(o, [] { return 1.0; });  // the top of each jitter window
  EXPECT_EQ(s.on_failure(1, http(503)).count(), 1000);
  EXPECT_EQ(s.on_failure(2, http(503)).count(), 2000);
  EXPECT_EQ(s.on_failure(3, http(503)).count(), 4000);
  EXPECT_EQ(s.on_failure(6, http(503)).count(), 20000);
  RetryStrategy low(o, [] { return 0.25; });
  EXPECT_EQ(low.on_failure(3, http(503)).count(), 1000);
}

TEST(Retry, StopsAtMaxAttemptsAndForNonRetryable) {
  RetryStrategy s({}, [] { return 0.5; });
  EXPECT_GE(s.on_failure(1, http(500)).count(), 0);
  EXPECT_GE(s.on_failure(2, http(500)).count(), 0);
  EXPECT_LT(s.on_failure(3, http(500)).count(), 0);  // 3 attempts in all
  EXPECT_LT(s.on_failure(1, http(403, "AccessDenied")).count(), 0);
}

TEST(Retry, QuotaDrainsAndRefills) {
  RetryOptions o;
  o.initial_quota = 12;
  RetryStrategy s(o, [] { return 0.0; });
  AttemptOutcome timeout;
  timeout.transport_error = true;
  timeout.timeout = true;
  EXPECT_GE(s.on_failure(1, timeout).count(), 0);  // costs 10
  EXPECT_EQ(s.quota(), 2);
  EXPECT_LT(s.on_failure(1, http(503)).count(), 0);  // needs 5: quota exhausted, fail fast
  s.on_success(2);                                     // refund the last retry's cost
  EXPECT_EQ(s.quota(), 12);
}

}  // namespace
}  // namespace fortress::aws
