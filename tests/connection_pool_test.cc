// The HTTP server's growing connection pool (src/http/connection_pool.h).
// Jobs block on a latch the test opens, so growth is checked while they
// are all running; waits are bounded polls of wall time (the pool is
// outside the simulation).
#include "../src/http/connection_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace kubesim::http {
namespace {

bool PollUntil(const std::function<bool()>& done) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class Latch {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST(ConnectionPoolTest, GrowsForBusyJobsAndShrinksBackWhenIdle) {
  ConnectionPool pool(2, 100, std::chrono::milliseconds(50));
  EXPECT_EQ(pool.threads(), 2u);
  Latch latch;
  std::atomic<int> running{0};
  for (int i = 0; i < 30; ++i) {
    pool.enqueue([&] {
      ++running;
      latch.Wait();
    });
  }
  // Every job runs at once: none waits for another to finish.
  EXPECT_TRUE(PollUntil([&] { return running.load() == 30; })) << running.load();
  EXPECT_EQ(pool.threads(), 30u);
  latch.Open();
  EXPECT_TRUE(PollUntil([&] { return pool.threads() == 2u; })) << pool.threads();
  // And it grows again.
  Latch again;
  running = 0;
  for (int i = 0; i < 5; ++i) {
    pool.enqueue([&] {
      ++running;
      again.Wait();
    });
  }
  EXPECT_TRUE(PollUntil([&] { return running.load() == 5; }));
  again.Open();
}

TEST(ConnectionPoolTest, PastTheMaximumJobsWaitTheirTurn) {
  ConnectionPool pool(1, 4, std::chrono::seconds(10));
  Latch latch;
  std::atomic<int> started{0}, finished{0};
  for (int i = 0; i < 10; ++i) {
    pool.enqueue([&] {
      ++started;
      latch.Wait();
      ++finished;
    });
  }
  EXPECT_TRUE(PollUntil([&] { return started.load() == 4; }));
  EXPECT_EQ(pool.threads(), 4u);
  latch.Open();
  EXPECT_TRUE(PollUntil([&] { return finished.load() == 10; }));
}

TEST(ConnectionPoolTest, ShutdownRunsQueuedJobsThenDropsNewOnes) {
  std::atomic<int> ran{0};
  {
    ConnectionPool pool(1, 1, std::chrono::seconds(10));
    for (int i = 0; i < 5; ++i) pool.enqueue([&] { ++ran; });
    pool.shutdown();
    EXPECT_EQ(ran.load(), 5);
    pool.enqueue([&] { ++ran; });
    EXPECT_EQ(pool.threads(), 0u);
  }
  EXPECT_EQ(ran.load(), 5);
}

}  // namespace
}  // namespace kubesim::http
