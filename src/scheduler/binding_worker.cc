#include "binding_worker.h"

#include <pthread.h>
#include <sched.h>

#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace kubesim::scheduler {
namespace {

// How long each side polls before parking on its condition variable, in
// pause instructions (~40 ns each on current x86; no clock is read). While
// a batch of cycles runs, the scheduler submits a binding every few tens of
// microseconds and a binding takes about as long: parking and being woken
// costs a futex call and a cross-CPU wake-up, several times that on a VM.
// An idle simulator still parks within ~100 us.
constexpr int kSpinRounds = 2500;

// One polling round. Every 256th also yields, in case another thread
// waits for this CPU (a loaded machine).
void CpuRelax(int round) {
  if (round % 256 == 255) {
    std::this_thread::yield();
    return;
  }
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Lets the calling thread run on every CPU the process may use but
// `avoid_cpu` (if another one is left).
void LeaveCpu(int avoid_cpu) {
  cpu_set_t all;
  CPU_ZERO(&all);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) CPU_SET(cpu, &all);
  // The kernel keeps only the CPUs the process is allowed (cpusets).
  if (pthread_setaffinity_np(pthread_self(), sizeof(all), &all) != 0) return;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (pthread_getaffinity_np(pthread_self(), sizeof(allowed), &allowed) != 0) return;
  if (avoid_cpu < 0 || avoid_cpu >= CPU_SETSIZE || !CPU_ISSET(avoid_cpu, &allowed) ||
      CPU_COUNT(&allowed) < 2) {
    return;
  }
  CPU_CLR(avoid_cpu, &allowed);
  (void)pthread_setaffinity_np(pthread_self(), sizeof(allowed), &allowed);
}

}  // namespace

BindingWorker::BindingWorker(bool threaded, int avoid_cpu) {
  if (threaded) thread_ = std::thread([this, avoid_cpu] { Loop(avoid_cpu); });
}

BindingWorker::~BindingWorker() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    work_cv_.notify_one();
  }
  thread_.join();
}

void BindingWorker::Submit(std::function<void()> job) {
  if (!thread_.joinable()) {
    job();
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(job));
  submitted_.store(submitted_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  if (worker_waiting_) work_cv_.notify_one();
}

void BindingWorker::Drain() {
  if (!thread_.joinable()) return;
  const uint64_t target = submitted_.load(std::memory_order_relaxed);
  for (int i = 0; i < kSpinRounds; ++i) {
    if (finished_.load(std::memory_order_acquire) == target) return;
    CpuRelax(i);
  }
  std::unique_lock<std::mutex> lock(mu_);
  drainer_waiting_ = true;
  done_cv_.wait(lock, [&] { return finished_.load(std::memory_order_acquire) == target; });
  drainer_waiting_ = false;
}

void BindingWorker::Loop(int avoid_cpu) {
  LeaveCpu(avoid_cpu);
  uint64_t taken = 0;
  for (;;) {
    for (int i = 0; i < kSpinRounds && submitted_.load(std::memory_order_acquire) == taken; ++i) {
      CpuRelax(i);
    }
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      while (queue_.empty() && !stopping_) {
        worker_waiting_ = true;
        work_cv_.wait(lock);
        worker_waiting_ = false;
      }
      if (queue_.empty()) return;  // stopping, nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    ++taken;
    job();
    job = nullptr;  // what it captured goes before the drainer is told
    finished_.store(taken, std::memory_order_release);
    std::lock_guard<std::mutex> lock(mu_);
    if (drainer_waiting_) done_cv_.notify_one();
  }
}

}  // namespace kubesim::scheduler
