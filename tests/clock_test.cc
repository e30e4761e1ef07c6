#include "kubesim/sim/clock.h"

#include <gtest/gtest.h>

namespace kubesim {
namespace {

Time At(int64_t secs, int64_t nanos = 0) { return Time(seconds(secs) + Duration(nanos)); }

TEST(ClockTest, FormatKnownInstants) {
  EXPECT_EQ(FormatRfc3339(At(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(At(1735689600)), "2025-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(At(1709210096)), "2024-02-29T12:34:56Z");
  EXPECT_EQ(FormatRfc3339(At(951782400)), "2000-02-29T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(At(4102444799)), "2099-12-31T23:59:59Z");
  // Sub-second parts are truncated, also before the epoch.
  EXPECT_EQ(FormatRfc3339(At(1735689600, 999999999)), "2025-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(At(-1)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(At(0, -1)), "1969-12-31T23:59:59Z");
}

TEST(ClockTest, FormatMicro) {
  EXPECT_EQ(FormatRfc3339Micro(At(1735689600)), "2025-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339Micro(At(1735689600, 123456789)), "2025-01-01T00:00:00.123456Z");
  EXPECT_EQ(FormatRfc3339Micro(At(1709210096, 1000)), "2024-02-29T12:34:56.000001Z");
  EXPECT_EQ(FormatRfc3339Micro(At(0, -1000)), "1969-12-31T23:59:59.999999Z");
}

TEST(ClockTest, ParseKnownInstants) {
  Time t;
  ASSERT_TRUE(ParseRfc3339("2025-01-01T00:00:00Z", &t));
  EXPECT_EQ(t, At(1735689600));
  ASSERT_TRUE(ParseRfc3339("2024-02-29T12:34:56Z", &t));
  EXPECT_EQ(t, At(1709210096));
  ASSERT_TRUE(ParseRfc3339("1970-01-01T00:00:00Z", &t));
  EXPECT_EQ(t, At(0));
  ASSERT_TRUE(ParseRfc3339("2025-01-01T00:00:00.123456Z", &t));
  EXPECT_EQ(t, At(1735689600, 123456000));
  ASSERT_TRUE(ParseRfc3339("2025-01-01T00:00:00.5Z", &t));
  EXPECT_EQ(t, At(1735689600, 500000000));
  ASSERT_TRUE(ParseRfc3339("2025-01-01T00:00:00.123456789Z", &t));
  EXPECT_EQ(t, At(1735689600, 123456789));
  ASSERT_TRUE(ParseRfc3339("2025-01-01T02:00:00+02:00", &t));
  EXPECT_EQ(t, At(1735689600));
  ASSERT_TRUE(ParseRfc3339("2024-12-31T19:30:00-04:30", &t));
  EXPECT_EQ(t, At(1735689600));
}

TEST(ClockTest, RoundTrips) {
  for (int64_t s : {int64_t{0}, int64_t{1735689600}, int64_t{1709210096}, int64_t{951782400},
                    int64_t{-86400 * 365}, int64_t{4102444799}, int64_t{1234567890}}) {
    Time t;
    ASSERT_TRUE(ParseRfc3339(FormatRfc3339(At(s)), &t)) << s;
    EXPECT_EQ(t, At(s));
    ASSERT_TRUE(ParseRfc3339(FormatRfc3339Micro(At(s, 654321000)), &t)) << s;
    EXPECT_EQ(t, At(s, 654321000));
  }
  // Every day across several years, including leap days and century rules.
  for (int64_t day = -800; day < 365 * 140; day += 1) {
    const Time when = At(day * 86400 + 45296);
    Time parsed;
    ASSERT_TRUE(ParseRfc3339(FormatRfc3339(when), &parsed)) << FormatRfc3339(when);
    ASSERT_EQ(parsed, when);
  }
}

TEST(ClockTest, RejectsMalformed) {
  Time t = At(7);
  for (const char* bad : {
           "",
           "2025-01-01",
           "2025-01-01T00:00:00",              // no zone
           "2025-01-01 00:00:00Z",             // space separator
           "2025-1-01T00:00:00Z",              // short month
           "2025-13-01T00:00:00Z",             // month 13
           "2025-00-01T00:00:00Z",             // month 0
           "2025-02-29T00:00:00Z",             // not a leap year
           "2100-02-29T00:00:00Z",             // century, not a leap year
           "2025-04-31T00:00:00Z",             // April has 30 days
           "2025-01-00T00:00:00Z",             // day 0
           "2025-01-01T24:00:00Z",             // hour 24
           "2025-01-01T00:60:00Z",             // minute 60
           "2025-01-01T00:00:60Z",             // leap second
           "2025-01-01T00:00:00.Z",            // empty fraction
           "2025-01-01T00:00:00.1234567891Z",  // beyond nanoseconds
           "2025-01-01T00:00:00Zjunk",         // trailing garbage
           "2025-01-01T00:00:00+0200",         // offset without colon
           "2025-01-01T00:00:00+24:00",        // offset hour out of range
           "20a5-01-01T00:00:00Z",             // non-digit
           "9999-12-31T23:59:59Z",             // beyond int64 nanoseconds
       }) {
    EXPECT_FALSE(ParseRfc3339(bad, &t)) << bad;
  }
  EXPECT_EQ(t, At(7));  // Untouched on failure.
}

TEST(ClockTest, SimulatedClock) {
  SimulatedClock c(At(100));
  EXPECT_EQ(c.Now(), At(100));
  c.Set(At(200, 5));
  EXPECT_EQ(c.Now(), At(200, 5));
}

}  // namespace
}  // namespace kubesim
