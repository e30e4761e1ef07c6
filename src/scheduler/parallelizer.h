// Parallelizer: runs the independent per-node pieces of one scheduling cycle
// (Filter, Score) on several threads, as kube-scheduler's
// parallelize.Parallelizer does (pkg/scheduler/framework/parallelize/
// parallelism.go: Until, chunkSizeFor; KubeSchedulerConfiguration's
// `parallelism`, default 16).
//
// Determinism: Until only returns once every piece has run, and each piece
// writes its own slot, so callers reduce the results in piece order: what a
// cycle decides never depends on which thread ran what, or on how many
// threads there are (ScenarioExamplesTest.TwentyRuns* checks one core and
// two). The workers are not dispatchers: they run only inside the caller's
// task, never on their own.
//
// Thread-safety: Until must be called by one thread at a time (the
// scheduler's dispatcher); `work` must be safe to call concurrently for
// different pieces and must not throw.
#ifndef KUBESIM_SRC_SCHEDULER_PARALLELIZER_H_
#define KUBESIM_SRC_SCHEDULER_PARALLELIZER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kubesim::scheduler {

// CPUs this process may run on (sched_getaffinity), at least 1.
int AvailableCpus();

class Parallelizer {
 public:
  // Uses up to `parallelism` threads per call, the caller's included (so
  // parallelism - 1 workers). 1 or less runs everything on the caller.
  explicit Parallelizer(int parallelism);
  ~Parallelizer();  // joins the workers
  Parallelizer(const Parallelizer&) = delete;
  Parallelizer& operator=(const Parallelizer&) = delete;

  int parallelism() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls work(i) once for every i in [0, pieces) and returns when all have
  // returned. Fewer than kMinPiecesToSplit pieces run on the caller alone
  // (waking a worker costs more than a few nodes' filters).
  void Until(int pieces, const std::function<void(int)>& work);

  static constexpr int kMinPiecesToSplit = 32;

 private:
  void WorkerLoop();
  // Claims chunks of the current job until none is left.
  void RunChunks();

  std::vector<std::thread> workers_;

  std::mutex mu_;
  std::condition_variable work_cv_;  // workers wait here for a job
  std::condition_variable done_cv_;  // the caller waits here for in_flight_ == 0
  uint64_t generation_ = 0;          // guarded by mu_: bumped per job
  bool job_open_ = false;            // guarded by mu_: workers may still join
  int in_flight_ = 0;                // guarded by mu_: workers inside RunChunks
  bool stop_ = false;                // guarded by mu_

  // The current job: written by the caller before it is opened (under mu_),
  // read by workers that joined it.
  const std::function<void(int)>* work_ = nullptr;
  int pieces_ = 0;
  int chunk_ = 1;
  std::atomic<int> next_{0};  // next unclaimed piece
};

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_PARALLELIZER_H_
