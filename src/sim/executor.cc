// Executor and Dispatcher implementation: one global task queue, one thread
// per dispatcher, and a baton that lets exactly one task run at a time.
//
// Locking: every piece of shared state lives in Core and is guarded by
// Core::mu. A task runs with Core::mu released; the baton (Core::baton) says
// whose turn it is, so no two tasks ever run concurrently even though the
// mutex is free while one runs.
//
// Baton protocol (all under Core::mu):
//   * baton == nullptr: the driver (or nobody) holds it; nothing runs.
//   * baton == d: dispatcher d's thread may run tasks. When it finishes one it
//     looks at the queue head: its own due task -> runs it with no thread
//     switch; another dispatcher's due task -> sets baton to that dispatcher
//     and notifies its condition variable; nothing due -> sets baton to
//     nullptr and wakes the driver. The driver starts a run the same way
//     (Core::PassBaton) and then waits for baton == nullptr.
//
// Lifetime: Core is shared by the Executor and every Dispatcher, so a
// dispatcher outliving its executor (a bug; asserted in debug builds) cannot
// touch freed memory and the executor's destructor never blocks. Each
// dispatcher thread holds its own DispatcherState by shared_ptr, so a
// dispatcher destroyed from inside its own task detaches instead of joining
// itself.
#include "kubesim/sim/executor.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <cassert>
#include <condition_variable>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kubesim {
namespace {

struct DispatcherState;

// A queue entry: ordering key and id only; the closure lives in Core::pending
// so that cancelling a task frees its captures at once.
struct HeapEntry {
  int64_t due_ns;
  uint64_t seq;  // == TaskId: the global post sequence number.
};

// std::push_heap builds a max-heap; "greater" puts the earliest on top.
struct HeapLater {
  bool operator()(const HeapEntry& a, const HeapEntry& b) const {
    if (a.due_ns != b.due_ns) return a.due_ns > b.due_ns;
    return a.seq > b.seq;
  }
};

struct PendingTask {
  DispatcherState* owner;
  std::function<void()> fn;
};

// The one CPU every dispatcher thread of an executor runs on, or nullopt
// to leave them to the kernel (a single allowed CPU, or no affinity API).
// Only one task runs at a time, so the threads never compete for it; but a
// baton hand-over to a thread on another, idle CPU costs an inter-processor
// wake-up: measured on this project's 2-CPU VM, 21 us per hand-over across
// CPUs against 2 us on one (docs/performance.md). The CPU is the one the
// creating thread runs on, so concurrent kubesim processes spread out.
std::optional<cpu_set_t> ChooseDispatcherCpu() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || CPU_COUNT(&allowed) < 2) {
    return std::nullopt;
  }
  int cpu = sched_getcpu();
  if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed)) {
    for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed); ++cpu) {
    }
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  return one;
}

// While it drives (RunUntilIdle, AdvanceTo), the driver thread joins the
// dispatchers' CPU: it passes the baton out and takes it back at every
// deadline, and those hand-overs too are cheap only on one CPU. Its own
// CPUs come back when it returns, so what it does between runs (a shell
// parsing commands, an HTTP thread encoding a response) may use any CPU.
class DriverOnCpu {
 public:
  explicit DriverOnCpu(const std::optional<cpu_set_t>& cpu) {
    if (!cpu || pthread_getaffinity_np(pthread_self(), sizeof(saved_), &saved_) != 0) return;
    if (CPU_EQUAL(&saved_, &*cpu)) return;
    restore_ = pthread_setaffinity_np(pthread_self(), sizeof(*cpu), &*cpu) == 0;
  }
  ~DriverOnCpu() {
    if (restore_) (void)pthread_setaffinity_np(pthread_self(), sizeof(saved_), &saved_);
  }
  DriverOnCpu(const DriverOnCpu&) = delete;
  DriverOnCpu& operator=(const DriverOnCpu&) = delete;

 private:
  cpu_set_t saved_;
  bool restore_ = false;
};

struct Core {
  Core(Time start, bool share_one_cpu)
      : clock(start), dispatcher_cpu(share_one_cpu ? ChooseDispatcherCpu() : std::nullopt) {}

  std::mutex mu;
  // Set only by the driver with `mu` held; read lock-free through Now().
  SimulatedClock clock;

  // Binary heap (HeapLater) of queued tasks, possibly including stale entries
  // whose id is no longer in `pending` (cancelled or dropped). Invariant
  // (restored by PurgeHead): the top, if any, is live. GUARDED_BY(mu)
  std::vector<HeapEntry> heap;
  // Live (not yet started, not cancelled) tasks by id. GUARDED_BY(mu)
  std::unordered_map<TaskId, PendingTask> pending;
  // Next TaskId / sequence number; 0 is never used. GUARDED_BY(mu)
  uint64_t next_seq = 1;
  // Who may run tasks now; nullptr = the driver. GUARDED_BY(mu)
  DispatcherState* baton = nullptr;
  // True while a driver is inside RunUntilIdle/AdvanceTo. GUARDED_BY(mu)
  bool driving = false;
  // Tasks executed since creation. GUARDED_BY(mu)
  uint64_t tasks_run = 0;
  // Dispatchers created and not yet destroyed. GUARDED_BY(mu)
  int live_dispatchers = 0;
  // The driver waits here for the baton to come back. Used with `mu`.
  std::condition_variable driver_cv;
  // Where dispatcher threads run (ChooseDispatcherCpu). Set at creation.
  const std::optional<cpu_set_t> dispatcher_cpu;

  // Drops stale entries from the top of the heap; compacts the heap when
  // stale entries dominate. REQUIRES: mu held.
  void PurgeHead() {
    while (!heap.empty() && pending.find(heap.front().seq) == pending.end()) {
      std::pop_heap(heap.begin(), heap.end(), HeapLater());
      heap.pop_back();
    }
    if (heap.size() > 1024 && heap.size() > 2 * pending.size()) {
      std::erase_if(heap, [this](const HeapEntry& e) { return !pending.contains(e.seq); });
      std::make_heap(heap.begin(), heap.end(), HeapLater());
    }
  }

  // The owner of the head task if it is due now, else nullptr.
  // REQUIRES: mu held, PurgeHead() invariant.
  DispatcherState* DueOwner() {
    if (heap.empty() || heap.front().due_ns > clock.Now().time_since_epoch().count()) {
      return nullptr;
    }
    return pending.find(heap.front().seq)->second.owner;
  }

  // Passes the baton to whoever must act next: the owner of the next due
  // task, or the driver when nothing is due. REQUIRES: mu held.
  void PassBaton();
};

struct DispatcherState {
  DispatcherState(std::shared_ptr<Core> c, std::string n)
      : core(std::move(c)), name(std::move(n)) {}

  const std::shared_ptr<Core> core;
  const std::string name;
  // Set once by the creating thread before the dispatcher is published.
  std::thread::id thread_id;
  // This thread waits here for the baton. Used with core->mu.
  std::condition_variable cv;
  // Posts are refused once set. GUARDED_BY(core->mu)
  bool shut_down = false;
  // The thread exits once this is set, it does not hold the baton and no
  // notify is in flight. GUARDED_BY(core->mu)
  bool stop = false;
  // Threads that have handed us the baton and are about to notify `cv` with
  // the mutex released; the thread does not exit while this is nonzero.
  // GUARDED_BY(core->mu)
  int notifies_in_flight = 0;

  // The thread body: waits for the baton, runs own due tasks back to back,
  // passes the baton on.
  void Loop();
};

void Core::PassBaton() {
  DispatcherState* next = DueOwner();
  baton = next;
  if (next != nullptr) {
    next->cv.notify_one();
  } else {
    driver_cv.notify_one();
  }
}

void DispatcherState::Loop() {
  Core& c = *core;
  std::unique_lock<std::mutex> lock(c.mu);
  for (;;) {
    cv.wait(lock, [this, &c] { return c.baton == this || (stop && notifies_in_flight == 0); });
    if (c.baton != this) return;  // Stopped, not our turn, nobody touching us.
    // We hold the baton: run our own due tasks without switching threads.
    while (c.DueOwner() == this) {
      const HeapEntry head = c.heap.front();
      std::pop_heap(c.heap.begin(), c.heap.end(), HeapLater());
      c.heap.pop_back();
      auto it = c.pending.find(head.seq);
      std::function<void()> fn = std::move(it->second.fn);
      c.pending.erase(it);
      lock.unlock();
      try {
        fn();
      } catch (const std::exception& e) {
        std::cerr << "kubesim: task on dispatcher '" << name << "' threw: " << e.what() << "\n";
      } catch (...) {
        std::cerr << "kubesim: task on dispatcher '" << name << "' threw a non-exception\n";
      }
      fn = nullptr;  // Destroy captures before retaking the lock.
      lock.lock();
      ++c.tasks_run;
      c.PurgeHead();
    }
    // Pass the baton on, notifying with the mutex released so the woken
    // thread does not immediately block on it (twice the ping-pong rate).
    // `notifies_in_flight` keeps the target's state alive until notify_one
    // has returned; the driver's condition variable lives in Core, which
    // this state keeps alive.
    DispatcherState* next = c.DueOwner();
    c.baton = next;
    if (next != nullptr) ++next->notifies_in_flight;
    lock.unlock();
    (next != nullptr ? next->cv : c.driver_cv).notify_one();
    lock.lock();
    if (next != nullptr && --next->notifies_in_flight == 0 && next->stop) next->cv.notify_all();
  }
}

class DispatcherImpl final : public Dispatcher {
 public:
  explicit DispatcherImpl(std::shared_ptr<DispatcherState> state) : state_(std::move(state)) {
    thread_ = std::thread([s = state_] { s->Loop(); });
    state_->thread_id = thread_.get_id();
    if (const auto& cpu = state_->core->dispatcher_cpu) {
      // Best effort: a refusal (e.g. a cgroup change) only costs speed.
      (void)pthread_setaffinity_np(thread_.native_handle(), sizeof(*cpu), &*cpu);
    }
  }

  ~DispatcherImpl() override {
    Shutdown();
    {
      std::lock_guard<std::mutex> lock(state_->core->mu);
      state_->stop = true;
      --state_->core->live_dispatchers;
    }
    state_->cv.notify_all();
    if (IsThreadSafe()) {
      // Destroyed from one of its own tasks: the thread exits after the task
      // returns and passes the baton on; it owns `state_` by shared_ptr.
      thread_.detach();
    } else {
      thread_.join();
    }
  }

  const std::string& name() const override { return state_->name; }
  const Clock& clock() const override { return state_->core->clock; }

  TaskId Post(std::function<void()> task) override {
    return Enqueue(std::nullopt, std::move(task));
  }
  TaskId PostAt(Time when, std::function<void()> task) override {
    return Enqueue(when, std::move(task));
  }

  bool Cancel(TaskId id) override {
    std::function<void()> doomed;  // Destroyed after the lock is released.
    {
      Core& c = *state_->core;
      std::lock_guard<std::mutex> lock(c.mu);
      auto it = c.pending.find(id);
      if (it == c.pending.end() || it->second.owner != state_.get()) return false;
      doomed = std::move(it->second.fn);
      c.pending.erase(it);
      c.PurgeHead();
    }
    return true;
  }

  bool IsThreadSafe() const override { return std::this_thread::get_id() == state_->thread_id; }

  void Shutdown() override {
    std::vector<std::function<void()>> doomed;  // Destroyed after unlocking.
    {
      Core& c = *state_->core;
      std::lock_guard<std::mutex> lock(c.mu);
      if (state_->shut_down) return;
      state_->shut_down = true;
      for (auto it = c.pending.begin(); it != c.pending.end();) {
        if (it->second.owner == state_.get()) {
          doomed.push_back(std::move(it->second.fn));
          it = c.pending.erase(it);
        } else {
          ++it;
        }
      }
      c.PurgeHead();
      // If the baton was just handed to us for a task now dropped, our thread
      // passes it on when it wakes (DueOwner() is no longer us).
    }
  }

 private:
  TaskId Enqueue(std::optional<Time> when, std::function<void()> task) {
    if (!task) return 0;
    Core& c = *state_->core;
    std::lock_guard<std::mutex> lock(c.mu);
    if (state_->shut_down) return 0;
    const int64_t now = c.clock.Now().time_since_epoch().count();
    const int64_t due = when ? std::max(now, when->time_since_epoch().count()) : now;
    const TaskId id = c.next_seq++;
    c.pending.emplace(id, PendingTask{state_.get(), std::move(task)});
    c.heap.push_back(HeapEntry{due, id});
    std::push_heap(c.heap.begin(), c.heap.end(), HeapLater());
    return id;
  }

  std::shared_ptr<DispatcherState> state_;
  std::thread thread_;
};

class ExecutorImpl final : public Executor {
 public:
  ExecutorImpl(Time start, bool share_one_cpu)
      : core_(std::make_shared<Core>(start, share_one_cpu)) {}

  ~ExecutorImpl() override {
    // Dispatchers must be destroyed first. If one is still alive it keeps
    // Core alive through its shared_ptr, so nothing here can hang or dangle.
    std::lock_guard<std::mutex> lock(core_->mu);
    assert(core_->live_dispatchers == 0 && "destroy every Dispatcher before the Executor");
  }

  const Clock& clock() const override { return core_->clock; }

  std::unique_ptr<Dispatcher> CreateDispatcher(std::string name) override {
    {
      std::lock_guard<std::mutex> lock(core_->mu);
      ++core_->live_dispatchers;
    }
    return std::make_unique<DispatcherImpl>(
        std::make_shared<DispatcherState>(core_, std::move(name)));
  }

  uint64_t RunUntilIdle() override {
    std::unique_lock<std::mutex> lock(core_->mu);
    core_->PurgeHead();
    // Nothing due: no hand-over, so no reason to move the driver.
    if (core_->DueOwner() == nullptr) return 0;
    DriverOnCpu on_cpu(core_->dispatcher_cpu);
    return RunLocked(lock);
  }

  uint64_t AdvanceTo(Time t) override {
    Core& c = *core_;
    std::unique_lock<std::mutex> lock(c.mu);
    const int64_t target = t.time_since_epoch().count();
    c.PurgeHead();
    std::optional<DriverOnCpu> on_cpu;
    if (!c.heap.empty() &&
        c.heap.front().due_ns <= std::max(target, c.clock.Now().time_since_epoch().count())) {
      on_cpu.emplace(c.dispatcher_cpu);
    }
    uint64_t total = 0;
    for (;;) {
      c.PurgeHead();
      if (c.heap.empty() || c.heap.front().due_ns > target) break;
      const int64_t now = c.clock.Now().time_since_epoch().count();
      c.clock.Set(Time(Duration(std::max(now, c.heap.front().due_ns))));
      total += RunLocked(lock);
    }
    if (target > c.clock.Now().time_since_epoch().count()) c.clock.Set(t);
    total += RunLocked(lock);
    return total;
  }

  bool NextDeadline(Time* out) const override {
    std::lock_guard<std::mutex> lock(core_->mu);
    core_->PurgeHead();
    if (core_->heap.empty()) return false;
    *out = Time(Duration(core_->heap.front().due_ns));
    return true;
  }

  int DispatcherCpu() const override {
    if (!core_->dispatcher_cpu) return -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &*core_->dispatcher_cpu)) return cpu;
    }
    return -1;
  }

  uint64_t tasks_run() const override {
    std::lock_guard<std::mutex> lock(core_->mu);
    return core_->tasks_run;
  }

 private:
  // Hands the baton out and waits until it comes back with nothing due.
  // REQUIRES: `lock` holds core_->mu; not called from a task.
  uint64_t RunLocked(std::unique_lock<std::mutex>& lock) {
    Core& c = *core_;
    assert(!c.driving && "RunUntilIdle/AdvanceTo must not be re-entered or run concurrently");
    assert(c.baton == nullptr);
    const uint64_t before = c.tasks_run;
    c.driving = true;
    c.PurgeHead();
    c.PassBaton();
    c.driver_cv.wait(lock, [&c] { return c.baton == nullptr; });
    c.driving = false;
    return c.tasks_run - before;
  }

  std::shared_ptr<Core> core_;
};

}  // namespace

std::unique_ptr<Executor> Executor::Create(Time start) { return Create(start, Options()); }

std::unique_ptr<Executor> Executor::Create(Time start, const Options& options) {
  return std::make_unique<ExecutorImpl>(start, options.share_one_cpu);
}

}  // namespace kubesim
