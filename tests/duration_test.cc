#include "kubesim/printers/duration.h"

#include <gtest/gtest.h>

#include <chrono>

namespace kubesim::printers {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

constexpr hours kDay{24};

TEST(DurationTest, HumanDurationThresholds) {
  // Expectations from apimachinery pkg/util/duration/duration_test.go.
  EXPECT_EQ(HumanDuration(seconds(0)), "0s");
  EXPECT_EQ(HumanDuration(seconds(1)), "1s");
  EXPECT_EQ(HumanDuration(seconds(5)), "5s");
  EXPECT_EQ(HumanDuration(seconds(70)), "70s");
  EXPECT_EQ(HumanDuration(seconds(119)), "119s");
  EXPECT_EQ(HumanDuration(seconds(120)), "2m");
  EXPECT_EQ(HumanDuration(seconds(200)), "3m20s");
  EXPECT_EQ(HumanDuration(minutes(9) + seconds(59)), "9m59s");
  EXPECT_EQ(HumanDuration(minutes(10)), "10m");
  EXPECT_EQ(HumanDuration(minutes(10) + seconds(59)), "10m");
  EXPECT_EQ(HumanDuration(minutes(179)), "179m");
  EXPECT_EQ(HumanDuration(minutes(180)), "3h");
  EXPECT_EQ(HumanDuration(hours(3) + minutes(5)), "3h5m");
  EXPECT_EQ(HumanDuration(hours(7) + minutes(59)), "7h59m");
  EXPECT_EQ(HumanDuration(hours(8)), "8h");
  EXPECT_EQ(HumanDuration(hours(8) + minutes(59)), "8h");
  EXPECT_EQ(HumanDuration(hours(10)), "10h");
  EXPECT_EQ(HumanDuration(hours(47)), "47h");
  EXPECT_EQ(HumanDuration(hours(48)), "2d");
  EXPECT_EQ(HumanDuration(hours(50)), "2d2h");
  EXPECT_EQ(HumanDuration(kDay * 7 + hours(23)), "7d23h");
  EXPECT_EQ(HumanDuration(kDay * 8), "8d");
  EXPECT_EQ(HumanDuration(kDay * 729), "729d");
  EXPECT_EQ(HumanDuration(kDay * 730), "2y");
  EXPECT_EQ(HumanDuration(kDay * 731), "2y1d");
  EXPECT_EQ(HumanDuration(kDay * (365 * 8 - 1)), "7y364d");
  EXPECT_EQ(HumanDuration(kDay * 365 * 8), "8y");
  EXPECT_EQ(HumanDuration(kDay * 365 * 10), "10y");
}

TEST(DurationTest, HumanDurationNegative) {
  EXPECT_EQ(HumanDuration(milliseconds(-500)), "0s");
  EXPECT_EQ(HumanDuration(seconds(-1)), "0s");
  EXPECT_EQ(HumanDuration(milliseconds(-1999)), "0s");  // int(-1.999) == -1
  EXPECT_EQ(HumanDuration(seconds(-2)), "<invalid>");
  EXPECT_EQ(HumanDuration(hours(-5)), "<invalid>");
}

TEST(DurationTest, ShortHumanDuration) {
  EXPECT_EQ(ShortHumanDuration(seconds(0)), "0s");
  EXPECT_EQ(ShortHumanDuration(seconds(59)), "59s");
  EXPECT_EQ(ShortHumanDuration(seconds(60)), "1m");
  EXPECT_EQ(ShortHumanDuration(minutes(59)), "59m");
  EXPECT_EQ(ShortHumanDuration(minutes(60)), "1h");
  EXPECT_EQ(ShortHumanDuration(hours(23)), "23h");
  EXPECT_EQ(ShortHumanDuration(hours(24)), "1d");
  EXPECT_EQ(ShortHumanDuration(kDay * 364), "364d");
  EXPECT_EQ(ShortHumanDuration(kDay * 365), "1y");
  EXPECT_EQ(ShortHumanDuration(kDay * 365 * 3), "3y");
  EXPECT_EQ(ShortHumanDuration(seconds(-1)), "0s");
  EXPECT_EQ(ShortHumanDuration(seconds(-2)), "<invalid>");
}

TEST(DurationTest, ParseGoDuration) {
  struct Case {
    const char* in;
    nanoseconds want;
  } cases[] = {
      {"0", nanoseconds(0)},
      {"30s", seconds(30)},
      {"1m30s", seconds(90)},
      {"5m", minutes(5)},
      {"1.5h", minutes(90)},
      {"300ms", milliseconds(300)},
      {"-1.5h", -minutes(90)},
      {"+5s", seconds(5)},
      {".5s", milliseconds(500)},
      {"1.s", seconds(1)},
      {"2h45m", hours(2) + minutes(45)},
      {"1h2m3s4ms5us6ns",
       hours(1) + minutes(2) + seconds(3) + milliseconds(4) + microseconds(5) + nanoseconds(6)},
      {"1.5\xC2\xB5s", nanoseconds(1500)},  // µs
      {"7\xCE\xBCs", microseconds(7)},      // μs
      {"0.000000001s", nanoseconds(1)},
      {"9223372036854775807ns", nanoseconds(9223372036854775807LL)},
  };
  for (const auto& c : cases) {
    auto d = ParseGoDuration(c.in);
    ASSERT_TRUE(d.ok()) << c.in << ": " << d.status().message();
    EXPECT_EQ(d->count(), c.want.count()) << c.in;
  }
}

TEST(DurationTest, ParseGoDurationErrors) {
  struct Case {
    const char* in;
    const char* msg;
  } cases[] = {
      {"", "time: invalid duration \"\""},
      {"x", "time: invalid duration \"x\""},
      {"-", "time: invalid duration \"-\""},
      {".s", "time: invalid duration \".s\""},
      {"1", "time: missing unit in duration \"1\""},
      {"1d", "time: unknown unit \"d\" in duration \"1d\""},
      {"3000000h", "time: invalid duration \"3000000h\""},
      {"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
      {"1s x", "time: unknown unit \"s x\" in duration \"1s x\""},
  };
  for (const auto& c : cases) {
    auto d = ParseGoDuration(c.in);
    ASSERT_FALSE(d.ok()) << c.in;
    EXPECT_EQ(d.status().code(), StatusCode::kBadRequest);
    EXPECT_EQ(d.status().message(), c.msg);
  }
}

TEST(DurationTest, GoDurationString) {
  EXPECT_EQ(GoDurationString(nanoseconds(0)), "0s");
  EXPECT_EQ(GoDurationString(nanoseconds(1)), "1ns");
  EXPECT_EQ(GoDurationString(nanoseconds(1200)), "1.2\xC2\xB5s");
  EXPECT_EQ(GoDurationString(milliseconds(300)), "300ms");
  EXPECT_EQ(GoDurationString(milliseconds(1500)), "1.5s");
  EXPECT_EQ(GoDurationString(seconds(90)), "1m30s");
  EXPECT_EQ(GoDurationString(hours(1)), "1h0m0s");
  EXPECT_EQ(GoDurationString(hours(26) + milliseconds(3)), "26h0m0.003s");
  EXPECT_EQ(GoDurationString(-(minutes(2) + seconds(3))), "-2m3s");
}

}  // namespace
}  // namespace kubesim::printers
