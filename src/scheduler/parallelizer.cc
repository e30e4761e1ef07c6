#include "parallelizer.h"

#include <sched.h>

#include <algorithm>
#include <cmath>

namespace kubesim::scheduler {

int AvailableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

Parallelizer::Parallelizer(int parallelism) {
  for (int i = 1; i < parallelism; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

Parallelizer::~Parallelizer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void Parallelizer::RunChunks() {
  for (;;) {
    const int start = next_.fetch_add(chunk_, std::memory_order_relaxed);
    if (start >= pieces_) return;
    const int end = std::min(pieces_, start + chunk_);
    for (int i = start; i < end; ++i) (*work_)(i);
  }
}

void Parallelizer::WorkerLoop() {
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stop_ || (job_open_ && generation_ != seen); });
    if (stop_) return;
    seen = generation_;
    ++in_flight_;
    lock.unlock();
    RunChunks();
    lock.lock();
    if (--in_flight_ == 0) done_cv_.notify_one();
  }
}

void Parallelizer::Until(int pieces, const std::function<void(int)>& work) {
  if (pieces <= 0) return;
  if (workers_.empty() || pieces < kMinPiecesToSplit) {
    for (int i = 0; i < pieces; ++i) work(i);
    return;
  }
  // chunkSizeFor: sqrt(n), but no more than n/parallelism + 1.
  int chunk = static_cast<int>(std::sqrt(static_cast<double>(pieces)));
  chunk = std::max(1, std::min(chunk, pieces / parallelism() + 1));
  {
    std::lock_guard<std::mutex> lock(mu_);
    work_ = &work;
    pieces_ = pieces;
    chunk_ = chunk;
    next_.store(0, std::memory_order_relaxed);
    ++generation_;
    job_open_ = true;
  }
  work_cv_.notify_all();
  RunChunks();
  // Every piece is claimed; close the job to late workers and wait for the
  // ones still running theirs.
  std::unique_lock<std::mutex> lock(mu_);
  job_open_ = false;
  done_cv_.wait(lock, [this] { return in_flight_ == 0; });
  work_ = nullptr;
}

}  // namespace kubesim::scheduler
