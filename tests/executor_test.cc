// Tests for the deterministic Executor/Dispatcher and for Random.
// They drive the simulated clock; nothing sleeps on the wall clock.
#include "kubesim/sim/executor.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kubesim/sim/random.h"

namespace kubesim {
namespace {

const Time kStart = Time(seconds(1735689600));  // 2025-01-01T00:00:00Z

TEST(ExecutorTest, OrdersByTimeThenPostOrder) {
  auto ex = Executor::Create(kStart);
  auto a = ex->CreateDispatcher("a");
  auto b = ex->CreateDispatcher("b");
  std::vector<std::string> trace;  // Only one task runs at a time.
  a->PostAt(kStart + seconds(2), [&] { trace.push_back("a@2"); });
  b->PostAt(kStart + seconds(1), [&] { trace.push_back("b@1"); });
  a->Post([&] { trace.push_back("a@0#1"); });
  b->Post([&] { trace.push_back("b@0#2"); });
  a->Post([&] { trace.push_back("a@0#3"); });
  b->PostAt(kStart + seconds(1), [&] { trace.push_back("b@1#2"); });
  a->PostAt(kStart + seconds(1), [&] { trace.push_back("a@1#3"); });
  EXPECT_EQ(ex->RunUntilIdle(), 3u);
  EXPECT_EQ(trace, (std::vector<std::string>{"a@0#1", "b@0#2", "a@0#3"}));
  EXPECT_EQ(ex->AdvanceTo(kStart + seconds(10)), 4u);
  EXPECT_EQ(trace,
            (std::vector<std::string>{"a@0#1", "b@0#2", "a@0#3", "b@1", "b@1#2", "a@1#3", "a@2"}));
  EXPECT_EQ(ex->Now(), kStart + seconds(10));
  EXPECT_EQ(ex->tasks_run(), 7u);
}

TEST(ExecutorTest, PastTasksAreDueNowInPostOrder) {
  auto ex = Executor::Create(kStart);
  auto d = ex->CreateDispatcher("d");
  std::vector<int> trace;
  d->Post([&] { trace.push_back(1); });
  d->PostAt(kStart - seconds(100), [&] { trace.push_back(2); });
  d->Post([&] { trace.push_back(3); });
  ex->RunUntilIdle();
  EXPECT_EQ(trace, (std::vector<int>{1, 2, 3}));
}

TEST(ExecutorTest, TasksRunOnTheirOwnDispatcherThreads) {
  auto ex = Executor::Create(kStart);
  std::vector<std::unique_ptr<Dispatcher>> ds;
  for (int i = 0; i < 3; ++i) ds.push_back(ex->CreateDispatcher("d" + std::to_string(i)));
  std::vector<std::vector<std::thread::id>> ids(3);
  std::vector<std::vector<bool>> safe(3);
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 3; ++i) {
      ds[i]->PostAfter(seconds(round), [&, i] {
        ids[i].push_back(std::this_thread::get_id());
        for (int j = 0; j < 3; ++j) safe[i].push_back(ds[j]->IsThreadSafe() == (i == j));
      });
    }
  }
  ex->AdvanceTo(kStart + seconds(10));
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(ids[i].size(), 5u);
    for (auto id : ids[i]) EXPECT_EQ(id, ids[i][0]);
    EXPECT_NE(ids[i][0], std::this_thread::get_id());
    for (bool b : safe[i]) EXPECT_TRUE(b);
    EXPECT_FALSE(ds[i]->IsThreadSafe());
  }
  EXPECT_NE(ids[0][0], ids[1][0]);
  EXPECT_NE(ids[1][0], ids[2][0]);
  EXPECT_NE(ids[0][0], ids[2][0]);
}

TEST(ExecutorTest, OnlyOneTaskRunsAtATime) {
  auto ex = Executor::Create(kStart);
  constexpr int kDispatchers = 4;
  constexpr int kHops = 10000;
  std::vector<std::unique_ptr<Dispatcher>> ds;
  for (int i = 0; i < kDispatchers; ++i)
    ds.push_back(ex->CreateDispatcher("d" + std::to_string(i)));
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  int hops = 0;  // Touched only by tasks: no lock needed if they never overlap.
  std::function<void(int)> hop = [&](int from) {
    int now_running = running.fetch_add(1) + 1;
    int prev = max_running.load();
    while (now_running > prev && !max_running.compare_exchange_weak(prev, now_running)) {
    }
    ++hops;
    if (hops < kHops) {
      int to = (from * 7 + hops) % kDispatchers;
      // Fan out occasionally so several tasks are due at once.
      if (hops % 10 == 0) ds[(to + 1) % kDispatchers]->Post([&hop, to] { hop(to); });
      ds[to]->Post([&hop, to] { hop(to); });
    }
    running.fetch_sub(1);
  };
  ds[0]->Post([&] { hop(0); });
  ex->RunUntilIdle();
  EXPECT_GE(hops, kHops);
  EXPECT_EQ(max_running.load(), 1);
  EXPECT_EQ(ex->tasks_run(), static_cast<uint64_t>(hops) + 0u);
}

TEST(ExecutorTest, TasksPostedForNowRunInSameRunUntilIdle) {
  auto ex = Executor::Create(kStart);
  auto a = ex->CreateDispatcher("a");
  auto b = ex->CreateDispatcher("b");
  std::vector<std::string> trace;
  a->Post([&] {
    trace.push_back("a1");
    b->Post([&] {
      trace.push_back("b1");
      a->Post([&] { trace.push_back("a2"); });
      b->PostAfter(seconds(1), [&] { trace.push_back("b-later"); });
    });
  });
  EXPECT_EQ(ex->RunUntilIdle(), 3u);
  EXPECT_EQ(trace, (std::vector<std::string>{"a1", "b1", "a2"}));
  EXPECT_EQ(ex->RunUntilIdle(), 0u);
  Time next;
  ASSERT_TRUE(ex->NextDeadline(&next));
  EXPECT_EQ(next, kStart + seconds(1));
}

TEST(ExecutorTest, AdvanceToStopsAtEachDeadline) {
  auto ex = Executor::Create(kStart);
  auto d = ex->CreateDispatcher("d");
  std::vector<Time> seen;
  for (int s : {5, 1, 3}) d->PostAt(kStart + seconds(s), [&] { seen.push_back(d->clock().Now()); });
  // A task that schedules another inside the window.
  d->PostAt(kStart + seconds(2), [&] {
    seen.push_back(ex->Now());
    d->PostAfter(milliseconds(500), [&] { seen.push_back(ex->Now()); });
  });
  d->PostAt(kStart + seconds(20), [&] { seen.push_back(ex->Now()); });
  EXPECT_EQ(ex->AdvanceTo(kStart + seconds(10)), 5u);
  EXPECT_EQ(seen, (std::vector<Time>{kStart + seconds(1), kStart + seconds(2),
                                     kStart + milliseconds(2500), kStart + seconds(3),
                                     kStart + seconds(5)}));
  EXPECT_EQ(ex->Now(), kStart + seconds(10));
  Time next;
  ASSERT_TRUE(ex->NextDeadline(&next));
  EXPECT_EQ(next, kStart + seconds(20));
  // Time never goes backwards.
  EXPECT_EQ(ex->AdvanceTo(kStart + seconds(3)), 0u);
  EXPECT_EQ(ex->Now(), kStart + seconds(10));
  EXPECT_EQ(ex->AdvanceBy(seconds(10)), 1u);
  EXPECT_EQ(ex->Now(), kStart + seconds(20));
  EXPECT_FALSE(ex->NextDeadline(&next));
}

TEST(ExecutorTest, PostAfterIsRelativeToSimTime) {
  auto ex = Executor::Create(kStart);
  auto d = ex->CreateDispatcher("d");
  ex->AdvanceTo(kStart + minutes(5));
  Time ran{};
  d->PostAfter(seconds(30), [&] { ran = ex->Now(); });
  Time next;
  ASSERT_TRUE(ex->NextDeadline(&next));
  EXPECT_EQ(next, kStart + minutes(5) + seconds(30));
  ex->AdvanceBy(seconds(29));
  EXPECT_EQ(ran, Time{});
  ex->AdvanceBy(seconds(1));
  EXPECT_EQ(ran, kStart + minutes(5) + seconds(30));
}

TEST(ExecutorTest, CancelBeforeRun) {
  auto ex = Executor::Create(kStart);
  auto a = ex->CreateDispatcher("a");
  auto b = ex->CreateDispatcher("b");
  int ran = 0;
  TaskId t1 = a->PostAfter(seconds(1), [&] { ++ran; });
  TaskId t2 = a->PostAfter(seconds(2), [&] { ++ran; });
  TaskId t3 = a->Post([&] { ++ran; });
  EXPECT_NE(t1, 0u);
  EXPECT_NE(t1, t2);
  EXPECT_FALSE(b->Cancel(t1));  // Not posted on b.
  EXPECT_TRUE(a->Cancel(t1));
  EXPECT_FALSE(a->Cancel(t1));  // Already cancelled.
  EXPECT_FALSE(a->Cancel(12345));
  Time next;
  ASSERT_TRUE(ex->NextDeadline(&next));
  EXPECT_EQ(next, kStart);
  ex->RunUntilIdle();
  EXPECT_FALSE(a->Cancel(t3));  // Already ran.
  ASSERT_TRUE(ex->NextDeadline(&next));
  EXPECT_EQ(next, kStart + seconds(2));  // The cancelled deadline is not reported.
  // A task may cancel another one that is due at the same instant.
  TaskId victim = 0;
  a->PostAt(kStart + seconds(2), [&] { EXPECT_TRUE(b->Cancel(victim)); });
  victim = b->PostAt(kStart + seconds(2), [&] { ran += 100; });
  ex->AdvanceBy(seconds(5));
  EXPECT_EQ(ran, 2);
  // Cancel of the running task itself returns false.
  TaskId self = 0;
  bool cancelled_self = true;
  self = a->Post([&] { cancelled_self = a->Cancel(self); });
  ex->RunUntilIdle();
  EXPECT_FALSE(cancelled_self);
}

TEST(ExecutorTest, CancelManyTimersKeepsQueueSmall) {
  auto ex = Executor::Create(kStart);
  auto d = ex->CreateDispatcher("d");
  int ran = 0;
  TaskId id = 0;
  for (int i = 0; i < 100000; ++i) {
    if (id != 0) EXPECT_TRUE(d->Cancel(id));
    id = d->PostAfter(hours(1), [&] { ++ran; });
  }
  EXPECT_EQ(ex->AdvanceBy(hours(2)), 1u);
  EXPECT_EQ(ran, 1);
}

TEST(ExecutorTest, ShutdownDropsPending) {
  auto ex = Executor::Create(kStart);
  auto a = ex->CreateDispatcher("a");
  auto b = ex->CreateDispatcher("b");
  int a_ran = 0, b_ran = 0;
  a->Post([&] { ++a_ran; });
  a->PostAfter(seconds(1), [&] { ++a_ran; });
  b->Post([&] { ++b_ran; });
  a->Shutdown();
  a->Shutdown();  // Idempotent.
  EXPECT_EQ(a->Post([&] { ++a_ran; }), 0u);
  EXPECT_EQ(a->PostAfter(seconds(1), [&] { ++a_ran; }), 0u);
  ex->AdvanceBy(seconds(5));
  EXPECT_EQ(a_ran, 0);
  EXPECT_EQ(b_ran, 1);
  // Shutdown from inside another dispatcher's task, with a task of the victim
  // due at the same instant.
  auto c = ex->CreateDispatcher("c");
  int c_ran = 0;
  b->Post([&] { c->Shutdown(); });
  c->Post([&] { ++c_ran; });
  b->Post([&] { ++b_ran; });
  ex->RunUntilIdle();
  EXPECT_EQ(c_ran, 0);
  EXPECT_EQ(b_ran, 2);
  // Destroying a dispatcher with pending tasks while others go on.
  auto e = ex->CreateDispatcher("e");
  e->PostAfter(seconds(1), [&] { ADD_FAILURE() << "dropped task ran"; });
  b->PostAfter(seconds(1), [&] { ++b_ran; });
  e.reset();
  ex->AdvanceBy(seconds(1));
  EXPECT_EQ(b_ran, 3);
}

TEST(ExecutorTest, DispatcherDestroyedFromItsOwnTask) {
  auto ex = Executor::Create(kStart);
  auto a = ex->CreateDispatcher("a");
  auto b = ex->CreateDispatcher("b");
  int b_ran = 0;
  a->Post([&] { a.reset(); });
  b->Post([&] { ++b_ran; });
  ex->RunUntilIdle();
  EXPECT_EQ(a, nullptr);
  EXPECT_EQ(b_ran, 1);
}

TEST(ExecutorTest, PostFromForeignThreadRunsAtNextRunUntilIdle) {
  auto ex = Executor::Create(kStart);
  auto d = ex->CreateDispatcher("d");
  std::thread::id ran_on;
  bool ran = false;
  std::thread foreign([&] {
    d->Post([&] {
      ran = true;
      ran_on = std::this_thread::get_id();
    });
  });
  foreign.join();
  EXPECT_FALSE(ran);
  EXPECT_EQ(ex->RunUntilIdle(), 1u);
  EXPECT_TRUE(ran);
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

// Foreign threads posting to, creating and destroying dispatchers while the
// driver runs: nothing deterministic to check, but nothing may crash or hang
// (run under TSan/ASan to make this meaningful).
TEST(ExecutorTest, ForeignThreadsChurnDispatchersDuringRun) {
  auto ex = Executor::Create(kStart);
  auto a = ex->CreateDispatcher("a");
  auto b = ex->CreateDispatcher("b");
  int hops = 0;
  std::function<void()> pa, pb;
  pa = [&] {
    if (++hops < 20000) b->Post(pb);
  };
  pb = [&] {
    if (++hops < 20000) a->Post(pa);
  };
  a->Post(pa);
  std::atomic<bool> done{false};
  std::atomic<int> foreign_ran{0};
  std::thread foreign([&] {
    while (!done.load()) {
      auto x = ex->CreateDispatcher("x");
      x->Post([&] { foreign_ran.fetch_add(1); });
      a->PostAfter(hours(1), [] {});
      std::this_thread::yield();
      x.reset();
    }
  });
  while (hops < 20000) ex->RunUntilIdle();
  done = true;
  foreign.join();
  ex->RunUntilIdle();
  EXPECT_EQ(hops, 20000);
}

TEST(ExecutorTest, ExceptionInTaskDoesNotBreakExecutor) {
  auto ex = Executor::Create(kStart);
  auto a = ex->CreateDispatcher("a");
  auto b = ex->CreateDispatcher("b");
  std::vector<std::string> trace;
  a->Post([&] {
    trace.push_back("a1");
    throw std::runtime_error("boom");
  });
  a->Post([&] { trace.push_back("a2"); });
  b->Post([&] { throw 42; });
  b->Post([&] { trace.push_back("b2"); });
  EXPECT_EQ(ex->RunUntilIdle(), 4u);
  EXPECT_EQ(trace, (std::vector<std::string>{"a1", "a2", "b2"}));
  a->PostAfter(seconds(1), [&] { trace.push_back("a3"); });
  ex->AdvanceBy(seconds(1));
  EXPECT_EQ(trace.back(), "a3");
}

// A ping-pong between three dispatchers, each choosing the next hop and a
// delay from its own Random, with tasks posted at overlapping instants.
std::string RunPingPong(uint64_t seed) {
  auto ex = Executor::Create(kStart);
  std::vector<std::unique_ptr<Dispatcher>> ds;
  std::vector<Random> rngs;
  for (int i = 0; i < 3; ++i) {
    ds.push_back(ex->CreateDispatcher("p" + std::to_string(i)));
    rngs.emplace_back(seed, "p" + std::to_string(i));
  }
  std::string trace;
  int budget = 3000;
  std::function<void(int, int)> ball = [&](int at, int ball_id) {
    Random& r = rngs[at];
    trace += std::to_string(ball_id) + ":" + std::to_string(at) + "@" +
             std::to_string((ex->Now() - kStart).count() / 1000000) + r.String(2, "xyz") + ";";
    if (--budget <= 0) return;
    int to = static_cast<int>(r.Uniform(3));
    Duration delay = milliseconds(r.Uniform(3));  // Often 0: many ties at one instant.
    ds[to]->PostAfter(delay, [&ball, to, ball_id] { ball(to, ball_id); });
    if (r.Uniform(50) == 0) {
      int other = static_cast<int>(r.Uniform(3));
      ds[other]->Post([&ball, other, ball_id] { ball(other, ball_id + 1000); });
    }
  };
  for (int i = 0; i < 3; ++i) ds[i]->Post([&ball, i] { ball(i, i); });
  while (budget > 0) {
    Time next;
    if (!ex->NextDeadline(&next)) break;
    ex->AdvanceBy(milliseconds(7));
  }
  ex->AdvanceBy(seconds(10));
  ds.clear();
  return trace;
}

TEST(ExecutorTest, Deterministic) {
  std::string first = RunPingPong(42);
  std::string second = RunPingPong(42);
  EXPECT_GT(first.size(), 10000u);
  EXPECT_EQ(first, second);
  EXPECT_NE(first, RunPingPong(43));
}

TEST(RandomTest, SameSeedAndStreamSameSequence) {
  Random a(7, "scheduler"), b(7, "scheduler");
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Next(), b.Next());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Uniform(1000003), b.Uniform(1000003));
}

TEST(RandomTest, DifferentStreamsOrSeedsDiffer) {
  Random a(7, "scheduler"), b(7, "kubelet-1"), c(8, "scheduler");
  int same_ab = 0, same_ac = 0;
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.Next();
    same_ab += x == b.Next();
    same_ac += x == c.Next();
  }
  EXPECT_EQ(same_ab, 0);
  EXPECT_EQ(same_ac, 0);
}

TEST(RandomTest, UniformInRangeAndCoversIt) {
  Random r(1, "u");
  EXPECT_EQ(r.Uniform(1), 0u);
  std::vector<int> counts(10);
  for (int i = 0; i < 10000; ++i) {
    uint64_t v = r.Uniform(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_GT(c, 800);
  for (int i = 0; i < 1000; ++i) ASSERT_LT(r.Uniform(16), 16u);
  uint64_t big = (uint64_t{1} << 63) + 12345;
  for (int i = 0; i < 1000; ++i) ASSERT_LT(r.Uniform(big), big);
}

// Uniform skips computing its rejection bound for draws >= n; it must give
// exactly what the plain rejection sampler gives (accept x >= 2^64 mod n,
// return x % n) and consume the same draws, or every seeded run (placements,
// generated names) would change.
uint64_t ReferenceUniform(Random& r, uint64_t n) {
  if (n <= 1) return 0;
  if ((n & (n - 1)) == 0) return r.Next() & (n - 1);
  const uint64_t threshold = (0 - n) % n;
  for (;;) {
    const uint64_t x = r.Next();
    if (x >= threshold) return x % n;
  }
}

void ExpectUniformMatchesReference(const std::vector<uint64_t>& ns, int rounds, uint64_t seed) {
  Random got(seed, "u"), want(seed, "u");
  for (int round = 0; round < rounds; ++round) {
    for (const uint64_t n : ns) {
      ASSERT_EQ(got.Uniform(n), ReferenceUniform(want, n)) << "n=" << n << " round " << round;
    }
  }
  EXPECT_EQ(got.Next(), want.Next());  // the same number of draws
}

TEST(RandomTest, UniformMatchesThePlainRejectionSampler) {
  std::vector<uint64_t> small;  // e.g. the scheduler's counts of tied nodes
  for (uint64_t n = 1; n <= 600; ++n) small.push_back(n);
  ExpectUniformMatchesReference(small, 20, 1);
  ExpectUniformMatchesReference(small, 20, 42);
  // Above 2^63 about half the draws are rejected (2^64 mod n is near n):
  // the retry loop and the bound between n and 2^64 mod n.
  const uint64_t half = uint64_t{1} << 63;
  ExpectUniformMatchesReference({half + 1, half + 3, half + (half >> 1), ~uint64_t{0},
                                 ~uint64_t{0} - 1, (half >> 1) + 1, 3, half},
                                2000, 7);
}

TEST(RandomTest, StringUsesOnlyAlphabet) {
  Random r(3, "names");
  const std::string alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string s = r.String(500, alphabet);
  ASSERT_EQ(s.size(), 500u);
  for (char ch : s) EXPECT_NE(alphabet.find(ch), std::string::npos) << ch;
  Random r2(3, "names");
  EXPECT_EQ(r2.String(500, alphabet), s);
  EXPECT_EQ(r.String(0, alphabet), "");
}

TEST(RandomTest, Fnv1a64KnownValues) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
}

// The CPUs the calling thread may run on.
cpu_set_t ThreadCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  pthread_getaffinity_np(pthread_self(), sizeof(set), &set);
  return set;
}

// Only one task runs at a time, so an executor's dispatcher threads share
// one CPU (a hand-over across CPUs costs an inter-processor wake-up); with
// share_one_cpu off they keep the process's CPUs.
TEST(ExecutorTest, DispatcherThreadsShareOneCpu) {
  cpu_set_t process;
  CPU_ZERO(&process);
  ASSERT_EQ(sched_getaffinity(0, sizeof(process), &process), 0);
  if (CPU_COUNT(&process) < 2) GTEST_SKIP() << "one CPU: nothing to pin";
  for (bool share : {true, false}) {
    auto ex = Executor::Create(kStart, Executor::Options{share});
    EXPECT_EQ(ex->DispatchersShareOneCpu(), share);
    std::vector<std::unique_ptr<Dispatcher>> ds;
    std::vector<cpu_set_t> seen(3);
    for (int i = 0; i < 3; ++i) {
      ds.push_back(ex->CreateDispatcher("d" + std::to_string(i)));
      ds.back()->Post([&seen, i] { seen[i] = ThreadCpus(); });
    }
    const cpu_set_t driver_before = ThreadCpus();
    ex->RunUntilIdle();
    // The driver joins the dispatchers' CPU only while it drives.
    const cpu_set_t driver_after = ThreadCpus();
    EXPECT_TRUE(CPU_EQUAL(&driver_before, &driver_after));
    for (int i = 0; i < 3; ++i) {
      if (share) {
        EXPECT_EQ(CPU_COUNT(&seen[i]), 1) << "dispatcher " << i;
        EXPECT_TRUE(CPU_EQUAL(&seen[i], &seen[0])) << "dispatcher " << i;
        EXPECT_TRUE(CPU_ISSET(ex->DispatcherCpu(), &seen[i])) << "dispatcher " << i;
      } else {
        EXPECT_EQ(ex->DispatcherCpu(), -1);
        EXPECT_TRUE(CPU_EQUAL(&seen[i], &process)) << "dispatcher " << i;
      }
    }
  }
}

}  // namespace
}  // namespace kubesim
