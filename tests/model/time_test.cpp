#include "model/time.h"

#include <gtest/gtest.h>

namespace fortress {
namespace {

TEST(UtcTime, ReadsTheFormsAwsPrints) {
  std::optional<UtcTime> t = parse_utc_time("2026-11-30T08:15:02+00:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_utc_time(*t), "2026-11-30T08:15:02Z");
  EXPECT_EQ(parse_utc_time("2026-11-30T08:15:02Z"), t);
  EXPECT_EQ(parse_utc_time("2026-11-30T08:15:02.421Z"), t);  // fractions dropped
  EXPECT_EQ(parse_utc_time("2026-11-30T09:15:02+01:00"), t);
  EXPECT_EQ(parse_utc_time("2026-11-30T03:15:02-0500"), t);
  EXPECT_EQ(parse_utc_time("2026-11-30T08:15:02"), t);  // no zone: UTC
  EXPECT_EQ(format_utc_time(*parse_utc_time("2026-11-30")), "2026-11-30T00:00:00Z");
  EXPECT_EQ(utc_time_from_epoch(1796313600.9), UtcTime(std::chrono::seconds(1796313600)));
}

TEST(UtcTime, RejectsWhatIsNoTime) {
  for (const char* bad : {"", "N/A", "no_information", "2026-02-30T00:00:00Z", "2026-11-30T24:00:00Z",
                          "2026-11-30T08:15Z", "2026-11-30T08:15:02+25:00", "2026-11-30T08:15:02Zjunk",
                          "2026-11-30T08:15:02.Z", "26-11-30"}) {
    EXPECT_FALSE(parse_utc_time(bad).has_value()) << bad;
  }
  EXPECT_FALSE(utc_time_from_epoch(-1).has_value());
  EXPECT_FALSE(utc_time_from_epoch(1e300).has_value());
}

}  // namespace
}  // namespace fortress
