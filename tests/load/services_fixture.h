// The fixture account tests/data/aws-account (every service fortress collects), loaded once per test
// binary for the per-service loader tests.
#pragma once

#include <gtest/gtest.h>

#include "load/snapshot.h"
#include "load_test_util.h"

namespace fortress::testing {

class AwsAccount : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (result_ != nullptr) return;
    auto loaded = load_snapshot(FORTRESS_SOURCE_DIR "/tests/data/aws-account", LoadOptions{2});
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    result_ = new LoadResult(std::move(*loaded));
  }
  static const LoadResult& result() { return *result_; }
  static const Account& account() { return result_->account; }
  static const Region& us() { return *account().region("us-east-1"); }
  static std::string file_of(uint32_t source) { return std::string(account().file(source)); }

  static inline LoadResult* result_ = nullptr;  // shared by every suite of the binary; never freed
};

inline UtcTime utc(std::string_view text) { return *parse_utc_time(text); }

}  // namespace fortress::testing
