// Parallelizer (src/scheduler/parallelizer.h): every piece runs exactly
// once whatever the parallelism, small jobs stay on the caller, and jobs
// back to back (one per scheduling cycle) neither hang nor leak pieces
// into the next job.
#include "../src/scheduler/parallelizer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace kubesim::scheduler {
namespace {

TEST(ParallelizerTest, EveryPieceRunsOnce) {
  for (int parallelism : {1, 2, 4, 16}) {
    Parallelizer p(parallelism);
    EXPECT_EQ(p.parallelism(), parallelism < 1 ? 1 : parallelism);
    for (int pieces : {0, 1, 31, 32, 33, 100, 1000, 5000}) {
      std::vector<std::atomic<int>> runs(static_cast<size_t>(pieces));
      p.Until(pieces, [&](int i) { runs[static_cast<size_t>(i)].fetch_add(1); });
      for (int i = 0; i < pieces; ++i) {
        ASSERT_EQ(runs[static_cast<size_t>(i)].load(), 1)
            << "parallelism " << parallelism << ", pieces " << pieces << ", piece " << i;
      }
    }
  }
}

TEST(ParallelizerTest, FewPiecesStayOnTheCaller) {
  Parallelizer p(4);
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> elsewhere{0};
  p.Until(Parallelizer::kMinPiecesToSplit - 1, [&](int) {
    if (std::this_thread::get_id() != caller) elsewhere.fetch_add(1);
  });
  EXPECT_EQ(elsewhere.load(), 0);
}

TEST(ParallelizerTest, ManyJobsBackToBack) {
  Parallelizer p(3);
  std::vector<int> slots(64);
  for (int job = 0; job < 20000; ++job) {
    p.Until(64, [&](int i) { slots[static_cast<size_t>(i)] = job; });
    for (int i = 0; i < 64; ++i) ASSERT_EQ(slots[static_cast<size_t>(i)], job) << "job " << job;
  }
}

TEST(ParallelizerTest, AvailableCpusIsPositive) { EXPECT_GE(AvailableCpus(), 1); }

}  // namespace
}  // namespace kubesim::scheduler
