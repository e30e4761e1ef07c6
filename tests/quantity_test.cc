#include "kubesim/printers/quantity.h"

#include <gtest/gtest.h>

#include <string>

namespace kubesim::printers {
namespace {

Quantity MustParse(const std::string& s) {
  auto q = Quantity::Parse(s);
  EXPECT_TRUE(q.ok()) << s << ": " << q.status().message();
  return q.ok() ? *q : Quantity();
}

TEST(QuantityTest, ParseValues) {
  struct Case {
    const char* in;
    int64_t milli;
    int64_t value;
  } cases[] = {
      {"100m", 100, 1},
      {"0.5", 500, 1},
      {"2", 2000, 2},
      {"128Mi", 134217728000, 134217728},
      {"1Gi", 1073741824000, 1073741824},
      {"1G", 1000000000000, 1000000000},
      {"1e3", 1000000, 1000},
      {"500k", 500000000, 500000},
      {"1.5Gi", 1610612736000, 1610612736},
      {"0", 0, 0},
      {"-100m", -100, -1},
      {"1n", 1, 1},
      {"1.0001m", 2, 1},  // rounded up, away from zero
      {"250u", 1, 1},
      {"1Ki", 1024000, 1024},
      {"12e6", 12000000000, 12000000},
  };
  for (const auto& c : cases) {
    Quantity q = MustParse(c.in);
    EXPECT_EQ(q.MilliValue(), c.milli) << c.in;
    EXPECT_EQ(q.Value(), c.value) << c.in;
  }
  EXPECT_EQ(MustParse("1E").Value(), 1000000000000000000);
}

TEST(QuantityTest, CanonicalString) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"8Gi", "8Gi"},       {"128Mi", "128Mi"},
      {"1024Mi", "1Gi"},    {"1.5Gi", "1536Mi"},
      {"0.5Gi", "512Mi"},   {"1000Ki", "1000Ki"},
      {"0.5Ki", "512"},     {"1G", "1G"},
      {"1000M", "1G"},      {"1500m", "1500m"},
      {"2000m", "2"},       {"0.1", "100m"},
      {"1.5", "1500m"},     {"100m", "100m"},
      {"500k", "500k"},     {"1e3", "1e3"},
      {"1.5e3", "1500"},    {"1000e3", "1e6"},
      {"12e6", "12e6"},     {"0", "0"},
      {"0Mi", "0"},         {"-1", "-1"},
      {"+1", "+1"},         {"1n", "1n"},
      {"0.1n", "1n"},       {"128974848", "128974848"},
      {"129e6", "129e6"},   {"123Mi", "123Mi"},
      {"1200m", "1200m"},   {"12000m", "12"},
      {"-1Gi", "-1Gi"},     {"1.", "1."},
      {"01", "01"},         {"2.5Ki", "2560"},
      {"3000Ki", "3000Ki"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(MustParse(c.in).String(), c.out) << c.in;
  }
}

TEST(QuantityTest, Constructors) {
  EXPECT_EQ(Quantity::FromMilliValue(2000, QuantityFormat::kDecimalSI).String(), "2");
  EXPECT_EQ(Quantity::FromMilliValue(1500, QuantityFormat::kDecimalSI).String(), "1500m");
  EXPECT_EQ(Quantity::FromMilliValue(100, QuantityFormat::kDecimalSI).String(), "100m");
  EXPECT_EQ(Quantity::FromValue(8LL << 30, QuantityFormat::kBinarySI).String(), "8Gi");
  // BinarySI below 1024 is written as DecimalSI (CanonicalizeBytes).
  EXPECT_EQ(Quantity::FromValue(1000, QuantityFormat::kBinarySI).String(), "1k");
  EXPECT_EQ(Quantity::FromValue(1023, QuantityFormat::kBinarySI).String(), "1023");
  EXPECT_EQ(Quantity::FromValue(1025, QuantityFormat::kBinarySI).String(), "1025");
  EXPECT_EQ(Quantity::FromValue(2048, QuantityFormat::kBinarySI).String(), "2Ki");
  EXPECT_EQ(Quantity::FromValue(4000000000, QuantityFormat::kDecimalSI).String(), "4G");
  EXPECT_EQ(Quantity::FromMilliValue(1500, QuantityFormat::kBinarySI).String(), "1500m");
  EXPECT_EQ(Quantity().String(), "0");
}

TEST(QuantityTest, Arithmetic) {
  Quantity sum;
  sum.Add(MustParse("1Gi"));  // zero takes the other's format
  EXPECT_EQ(sum.format(), QuantityFormat::kBinarySI);
  sum.Add(MustParse("512Mi"));
  EXPECT_EQ(sum.String(), "1536Mi");

  Quantity cpu = MustParse("100m");
  cpu.Add(MustParse("200m"));
  EXPECT_EQ(cpu.String(), "300m");
  cpu.Add(MustParse("700m"));
  EXPECT_EQ(cpu.String(), "1");
  cpu.Sub(MustParse("1500m"));
  EXPECT_EQ(cpu.String(), "-500m");
  cpu.Neg();
  EXPECT_EQ(cpu.String(), "500m");

  EXPECT_EQ(MustParse("1").Cmp(MustParse("1000m")), 0);
  EXPECT_TRUE(MustParse("1") == MustParse("1000m"));
  EXPECT_EQ(MustParse("1Gi").Cmp(MustParse("1G")), 1);
  EXPECT_EQ(MustParse("100m").Cmp(MustParse("0.2")), -1);
  EXPECT_TRUE(MustParse("0").IsZero());
  EXPECT_EQ(MustParse("-3").Sign(), -1);
  EXPECT_DOUBLE_EQ(MustParse("1500m").AsApproximateFloat64(), 1.5);
}

TEST(QuantityTest, Errors) {
  const std::string kFormat =
      "quantities must match the regular expression "
      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  struct Case {
    const char* in;
    std::string msg;
  } cases[] = {
      {"", kFormat},
      {"abc", kFormat},
      {"1.2.3", kFormat},
      {"1Mb", kFormat},
      {"12x", kFormat},
      {"1 Gi", kFormat},
      {"1K", "unable to parse quantity's suffix"},
      {"1mi", "unable to parse quantity's suffix"},
      {"1e", "unable to parse quantity's suffix"},
  };
  for (const auto& c : cases) {
    auto q = Quantity::Parse(c.in);
    ASSERT_FALSE(q.ok()) << c.in;
    EXPECT_EQ(q.status().code(), StatusCode::kBadRequest);
    EXPECT_EQ(q.status().message(), c.msg) << c.in;
  }
}

}  // namespace
}  // namespace kubesim::printers
