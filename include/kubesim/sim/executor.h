// Executor and Dispatcher: deterministic, virtual-time event loops.
//
// Every component (scheduler, each kubelet, each controller, the API server's
// watch fan-out, ...) owns one Dispatcher: an event loop with its own thread,
// in the style of Envoy's Event::Dispatcher. Work reaches a component only as
// tasks posted to its Dispatcher, now or at a simulated time.
//
// Determinism: the Executor keeps ONE global queue of tasks ordered by
// (due time, post sequence number). It runs exactly one task at a time, each
// on the thread of the Dispatcher that owns it, passing a baton from thread
// to thread. Because tasks are posted only from inside tasks (or from the
// driver while nothing runs), the sequence numbers, and so the whole run, are
// the same on every run with the same inputs, however the OS schedules the
// threads. Components therefore need no locks for their own loop state, and a
// task may call the API server synchronously (a plain function call).
//
// Time moves only through the driver: RunUntilIdle() runs every task due at
// Now(); AdvanceTo(t) steps the clock from deadline to deadline up to t,
// running each instant to quiescence. The interactive shell's pump calls
// AdvanceTo(wall-derived time); scripts call it for `sleep` and `wait`.
//
// CPU: since only one task runs at a time, every dispatcher thread of an
// executor is pinned to one CPU (the creating thread's) when the process
// may use several: passing the baton to a thread on another, idle CPU
// costs an inter-processor wake-up, ten times a switch on the same CPU on
// a VM. The driver thread joins that CPU while inside RunUntilIdle or
// AdvanceTo (its own affinity is restored when they return); other threads
// stay free to use the other CPUs.
//
// Thread-safety: Post*/Cancel may be called from any thread. RunUntilIdle,
// AdvanceTo and Step must be called by one driver thread at a time (callers
// serialize them with their own mutex) and never from inside a task.
#ifndef KUBESIM_SIM_EXECUTOR_H_
#define KUBESIM_SIM_EXECUTOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "kubesim/sim/clock.h"

namespace kubesim {

class Executor;

// Identifies a scheduled task so it can be cancelled. 0 is never used.
using TaskId = uint64_t;

// One component's event loop. Created by Executor::CreateDispatcher; must be
// destroyed before the Executor. Destroying it (or Shutdown()) drops its
// pending tasks and joins its thread; a task running at that moment finishes
// first.
class Dispatcher {
 public:
  virtual ~Dispatcher() = default;

  virtual const std::string& name() const = 0;
  virtual const Clock& clock() const = 0;

  // Runs `task` on this dispatcher's thread at the current simulated time,
  // after every task already due. Thread-safe.
  virtual TaskId Post(std::function<void()> task) = 0;
  // Runs `task` once the simulated clock reaches `when` (immediately-due if
  // `when` is in the past). Thread-safe.
  virtual TaskId PostAt(Time when, std::function<void()> task) = 0;
  TaskId PostAfter(Duration delay, std::function<void()> task) {
    return PostAt(clock().Now() + delay, std::move(task));
  }
  // Drops a task that has not started. Returns false if it already ran, is
  // running, or was never posted here. Thread-safe.
  virtual bool Cancel(TaskId id) = 0;

  // True when called from this dispatcher's own thread (use in asserts).
  virtual bool IsThreadSafe() const = 0;

  // Drops pending tasks and stops accepting new ones (posts after this are
  // silently dropped and return 0). Idempotent.
  virtual void Shutdown() = 0;
};

class Executor {
 public:
  struct Options {
    // Pin every dispatcher thread to one CPU (see the file comment). Off,
    // the kernel places them; tasks still run one at a time.
    bool share_one_cpu = true;
  };
  // Creates an executor whose clock starts at `start`.
  static std::unique_ptr<Executor> Create(Time start);
  static std::unique_ptr<Executor> Create(Time start, const Options& options);
  virtual ~Executor() = default;

  virtual const Clock& clock() const = 0;
  Time Now() const { return clock().Now(); }

  // A new event loop with its own thread, named `name` in logs.
  virtual std::unique_ptr<Dispatcher> CreateDispatcher(std::string name) = 0;

  // Runs every task due at or before Now(), including tasks those tasks post
  // for Now(), until none is left. Returns the number of tasks run.
  virtual uint64_t RunUntilIdle() = 0;

  // Moves the clock forward to `t` (no-op if t <= Now()), stopping at each
  // task deadline on the way and running that instant until idle. Returns
  // the number of tasks run.
  virtual uint64_t AdvanceTo(Time t) = 0;
  uint64_t AdvanceBy(Duration d) { return AdvanceTo(Now() + d); }

  // The deadline of the earliest pending task, if any is pending.
  virtual bool NextDeadline(Time* out) const = 0;

  // Tasks run since creation (for benchmarks and tests).
  virtual uint64_t tasks_run() const = 0;
  // The CPU the dispatcher threads are pinned to, or -1 when they are not
  // (Options::share_one_cpu off, or a process allowed a single CPU).
  virtual int DispatcherCpu() const = 0;
  // True when the dispatcher threads were pinned to one CPU.
  bool DispatchersShareOneCpu() const { return DispatcherCpu() >= 0; }
};

}  // namespace kubesim

#endif  // KUBESIM_SIM_EXECUTOR_H_
