// Tests for WorkQueue: client-go workqueue semantics on the simulated clock.
#include "kubesim/client/work_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kubesim/sim/executor.h"

namespace kubesim::client {
namespace {

const Time kStart = Time(seconds(1735689600));  // 2025-01-01T00:00:00Z

class WorkQueueTest : public ::testing::Test {
 protected:
  WorkQueueTest()
      : executor_(Executor::Create(kStart)), loop_(executor_->CreateDispatcher("ctl")) {}
  ~WorkQueueTest() override {
    queue_.reset();
    loop_.reset();
  }

  // Builds the queue; `sync` sees each key and decides the result.
  void MakeQueue(std::function<Status(const std::string&)> sync) {
    queue_ = std::make_unique<WorkQueue>(loop_.get(), [this, sync](const std::string& key) {
      calls_.push_back(key);
      times_.push_back(executor_->Now());
      return sync(key);
    });
  }

  std::unique_ptr<Executor> executor_;
  std::unique_ptr<Dispatcher> loop_;
  std::unique_ptr<WorkQueue> queue_;
  std::vector<std::string> calls_;  // Written only by tasks; read when idle.
  std::vector<Time> times_;
};

TEST_F(WorkQueueTest, DedupesKeysWhileTheyWait) {
  MakeQueue([](const std::string&) { return Status::Ok(); });
  queue_->Add("a");
  queue_->Add("a");
  queue_->Add("b");
  queue_->Add("a");
  EXPECT_EQ(queue_->Len(), 2u);
  executor_->RunUntilIdle();
  EXPECT_EQ(calls_, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(queue_->Len(), 0u);
  // Processed keys may be added again.
  queue_->Add("a");
  executor_->RunUntilIdle();
  EXPECT_EQ(calls_, (std::vector<std::string>{"a", "b", "a"}));
}

TEST_F(WorkQueueTest, KeyReAddedDuringProcessingRunsAgainAfterwards) {
  int runs = 0;
  size_t len_inside = 99;
  MakeQueue([&](const std::string& key) {
    if (key == "a" && ++runs == 1) {
      queue_->Add("a");  // Re-added while processing: not queued beside itself...
      queue_->Add("a");  // ...and collapsed with the first re-add.
      len_inside = queue_->Len();
      queue_->Add("b");
    }
    return Status::Ok();
  });
  queue_->Add("a");
  executor_->RunUntilIdle();
  EXPECT_EQ(len_inside, 0u);
  // "b" was queued while "a" was processing; "a" goes back in line after.
  EXPECT_EQ(calls_, (std::vector<std::string>{"a", "b", "a"}));
  EXPECT_EQ(runs, 2);
}

TEST_F(WorkQueueTest, FailuresBackOffExponentiallyOnTheSimulatedClock) {
  int failures_left = 3;
  MakeQueue([&](const std::string&) {
    if (failures_left > 0) {
      --failures_left;
      return Status::Conflict("try again");
    }
    return Status::Ok();
  });
  queue_->Add("k");
  executor_->RunUntilIdle();
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_EQ(queue_->NumRequeues("k"), 1);

  executor_->AdvanceTo(kStart + milliseconds(4));
  EXPECT_EQ(calls_.size(), 1u);
  executor_->AdvanceTo(kStart + milliseconds(5));
  ASSERT_EQ(calls_.size(), 2u);
  EXPECT_EQ(queue_->NumRequeues("k"), 2);

  executor_->AdvanceTo(kStart + milliseconds(14));
  EXPECT_EQ(calls_.size(), 2u);
  executor_->AdvanceTo(kStart + milliseconds(15));
  ASSERT_EQ(calls_.size(), 3u);

  executor_->AdvanceTo(kStart + milliseconds(34));
  EXPECT_EQ(calls_.size(), 3u);
  executor_->AdvanceTo(kStart + seconds(10));
  ASSERT_EQ(calls_.size(), 4u);

  // Delays between attempts: 5ms, 10ms, 20ms.
  EXPECT_EQ(times_[1] - times_[0], milliseconds(5));
  EXPECT_EQ(times_[2] - times_[1], milliseconds(10));
  EXPECT_EQ(times_[3] - times_[2], milliseconds(20));
  // Success forgets the failures.
  EXPECT_EQ(queue_->NumRequeues("k"), 0);
}

TEST_F(WorkQueueTest, ForgetResetsTheBackoff) {
  MakeQueue([](const std::string&) { return Status::Ok(); });
  queue_->AddRateLimited("k");  // 5ms
  queue_->AddRateLimited("k");  // 10ms
  queue_->AddRateLimited("k");  // 20ms
  EXPECT_EQ(queue_->NumRequeues("k"), 3);
  queue_->Forget("k");
  EXPECT_EQ(queue_->NumRequeues("k"), 0);
  EXPECT_EQ(queue_->Len(), 0u);  // Rate-limited keys wait on timers, not in line.

  // Timers already set still fire (at 5ms, 10ms and 20ms).
  executor_->AdvanceTo(kStart + seconds(1));
  EXPECT_EQ(calls_.size(), 3u);

  // After Forget, the next failure starts again at 5ms.
  const Time t0 = executor_->Now();
  queue_->AddRateLimited("k");
  executor_->AdvanceTo(t0 + milliseconds(4));
  EXPECT_EQ(calls_.size(), 3u);
  executor_->AdvanceTo(t0 + milliseconds(5));
  EXPECT_EQ(calls_.size(), 4u);
  EXPECT_EQ(times_.back(), t0 + milliseconds(5));
}

TEST_F(WorkQueueTest, BackoffIsCappedAndPerKey) {
  MakeQueue([](const std::string&) { return Status::Ok(); });
  for (int i = 0; i < 40; ++i) queue_->AddRateLimited("slow");
  queue_->AddRateLimited("fast");
  EXPECT_EQ(queue_->NumRequeues("slow"), 40);
  EXPECT_EQ(queue_->NumRequeues("fast"), 1);
  executor_->AdvanceTo(kStart + milliseconds(5));
  // "slow" first came due at 5ms too; "fast" was posted later at that instant.
  EXPECT_EQ(calls_, (std::vector<std::string>{"slow", "fast"}));
  Time next;
  ASSERT_TRUE(executor_->NextDeadline(&next));
  // The largest delay is capped at 1000s.
  executor_->AdvanceTo(kStart + seconds(999));
  size_t before = calls_.size();
  executor_->AdvanceTo(kStart + seconds(1000));
  EXPECT_GT(calls_.size(), before);
  EXPECT_EQ(times_.back(), kStart + seconds(1000));
  EXPECT_FALSE(executor_->NextDeadline(&next));
}

TEST_F(WorkQueueTest, AddAfterWaitsForTheDelay) {
  MakeQueue([](const std::string&) { return Status::Ok(); });
  queue_->AddAfter("k", seconds(3));
  queue_->AddAfter("j", Duration::zero());
  executor_->RunUntilIdle();
  EXPECT_EQ(calls_, (std::vector<std::string>{"j"}));
  executor_->AdvanceTo(kStart + seconds(3));
  EXPECT_EQ(calls_, (std::vector<std::string>{"j", "k"}));
  EXPECT_EQ(times_.back(), kStart + seconds(3));
}

TEST_F(WorkQueueTest, ShutDownDropsPendingKeys) {
  MakeQueue([](const std::string&) { return Status::Ok(); });
  queue_->Add("a");
  queue_->AddAfter("b", seconds(1));
  queue_->ShutDown();
  EXPECT_EQ(queue_->Len(), 0u);
  queue_->Add("c");
  executor_->AdvanceTo(kStart + seconds(2));
  EXPECT_TRUE(calls_.empty());
}

TEST_F(WorkQueueTest, DestroyingTheQueueWithPendingWorkIsSafe) {
  MakeQueue([](const std::string&) { return Status::Ok(); });
  queue_->Add("a");
  queue_->AddRateLimited("b");
  queue_.reset();
  executor_->AdvanceTo(kStart + seconds(2));
  EXPECT_TRUE(calls_.empty());
}

}  // namespace
}  // namespace kubesim::client
