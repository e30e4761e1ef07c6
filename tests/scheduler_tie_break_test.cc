// UniformDrawIsZero must answer exactly Random::Uniform(n) == 0 and consume
// the same draws, or placements (and every later draw) would change.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "../src/scheduler/tie_break.h"
#include "kubesim/sim/random.h"

namespace kubesim::scheduler {
namespace {

// Runs both on twin generators for each n, `rounds` times, and checks the
// answers agree and the streams stay in step.
void ExpectSameAsUniform(const std::vector<uint64_t>& ns, int rounds, uint64_t seed) {
  Random fast(seed, "scheduler");
  Random reference(seed, "scheduler");
  int zeros = 0;
  for (int r = 0; r < rounds; ++r) {
    for (const uint64_t n : ns) {
      const bool got = UniformDrawIsZero(&fast, n);
      const bool want = reference.Uniform(n) == 0;
      ASSERT_EQ(got, want) << "n=" << n << " round " << r;
      zeros += got ? 1 : 0;
    }
  }
  EXPECT_EQ(fast.Next(), reference.Next());  // same number of draws
  EXPECT_GT(zeros, 0);
}

TEST(SchedulerTieBreakTest, MatchesUniformForSmallCounts) {
  // selectHost's counts of tied nodes: 2, 3, ... (powers of two included).
  std::vector<uint64_t> ns;
  for (uint64_t n = 1; n <= 600; ++n) ns.push_back(n);
  ExpectSameAsUniform(ns, 20, 1);
  ExpectSameAsUniform(ns, 20, 42);
}

TEST(SchedulerTieBreakTest, MatchesUniformWhereDrawsAreRejected) {
  // Counts above 2^63 reject about half the draws (2^64 mod n is near n),
  // exercising the retry loop and the bound between n and 2^64 mod n.
  const uint64_t half = uint64_t{1} << 63;
  std::vector<uint64_t> ns = {
      half + 1, half + 3, half + (half >> 1), ~uint64_t{0}, ~uint64_t{0} - 1, (half >> 1) + 1,
      3,        half};
  ExpectSameAsUniform(ns, 2000, 7);
}

TEST(SchedulerTieBreakTest, OneIsZeroWithoutADraw) {
  Random fast(3, "scheduler");
  Random reference(3, "scheduler");
  EXPECT_TRUE(UniformDrawIsZero(&fast, 1));
  EXPECT_EQ(reference.Uniform(1), 0u);
  EXPECT_EQ(fast.Next(), reference.Next());
}

}  // namespace
}  // namespace kubesim::scheduler
