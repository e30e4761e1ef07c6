// BindingWorker: runs the scheduler's binding cycles in order, on a thread
// of their own, while the scheduling cycles that follow go on.
//
// Upstream's scheduleOne starts each bindingCycle in a goroutine
// (pkg/scheduler/schedule_one.go: `go func() { ... sched.bindingCycle(...)
// }()`), so the PreBind/Bind API calls and the Scheduled event of one pod
// overlap the scheduling cycle of the next. kubesim keeps that overlap
// without giving up determinism:
//  - jobs run strictly in submission order, one at a time, so the API
//    writes they make reach the store in the same order on every run;
//  - the scheduler makes no API call and posts no task of its own while a
//    job may run: it calls Drain() first (before a failure's event, before
//    PostFilter, at the end of its batch of cycles);
//  - a scheduling cycle reads only the scheduler's own cache, queue and
//    informer caches, which no job touches (informers are fed by tasks,
//    and no other task runs while the scheduler's does).
// Unthreaded (the executor's dispatchers not pinned, e.g. a process on one
// CPU, or SchedulerOptions::binding_thread false) Submit runs the job at
// once, in the caller: the same writes in the same order, so placements, events and
// resourceVersions are identical on one core or two.
//
// Thread-safety: Submit and Drain must be called from one thread (the
// scheduler's loop). Jobs run on the worker thread and must not call
// Submit or Drain.
#ifndef KUBESIM_SRC_SCHEDULER_BINDING_WORKER_H_
#define KUBESIM_SRC_SCHEDULER_BINDING_WORKER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace kubesim::scheduler {

class BindingWorker {
 public:
  // `threaded` false: no thread; Submit runs each job inline. `avoid_cpu`
  // (>= 0): a CPU the worker thread keeps off when the process may use
  // another one -- Executor::DispatcherCpu(), where the scheduling cycles
  // run (threads started from a dispatcher inherit its pin, so the worker
  // sets its own affinity).
  BindingWorker(bool threaded, int avoid_cpu);
  // Runs what is still queued, then joins the thread.
  ~BindingWorker();
  BindingWorker(const BindingWorker&) = delete;
  BindingWorker& operator=(const BindingWorker&) = delete;

  // Queues `job` behind every job submitted before it.
  void Submit(std::function<void()> job);
  // Returns once every submitted job has finished (their effects are then
  // visible to the caller).
  void Drain();
  // True when jobs run on a thread of their own.
  bool threaded() const { return thread_.joinable(); }

 private:
  void Loop(int avoid_cpu);

  std::mutex mu_;
  std::condition_variable work_cv_;          // a job queued, or stopping
  std::condition_variable done_cv_;          // a job finished
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)
  bool worker_waiting_ = false;              // GUARDED_BY(mu_): parked on work_cv_
  bool drainer_waiting_ = false;             // GUARDED_BY(mu_): parked on done_cv_
  // Jobs submitted (written by the submitting thread only) and finished
  // (written by the worker only); both spun on without the lock.
  std::atomic<uint64_t> submitted_{0};
  std::atomic<uint64_t> finished_{0};
  std::thread thread_;
};

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_BINDING_WORKER_H_
