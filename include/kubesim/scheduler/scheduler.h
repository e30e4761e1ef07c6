// kube-scheduler: binds each unscheduled pod to a node.
//
// This is the first cut (issue 2), already in the shape of kube-scheduler's
// framework so the full framework (issue 4) grows from it: a scheduling
// queue fed by informers, one scheduling cycle per pod (filter plugins, then
// score plugins, then bind through the pods/binding subresource), an assumed
// cache so the next pod sees the last one's resources before its bind lands,
// and upstream's event wording.
//
// Threads: one Dispatcher ("kube-scheduler"); informer handlers and
// scheduling cycles all run there.
#ifndef KUBESIM_SCHEDULER_SCHEDULER_H_
#define KUBESIM_SCHEDULER_SCHEDULER_H_

#include <memory>
#include <string>

#include "kubesim/api/types.h"
#include "kubesim/client/client.h"
#include "kubesim/scheduler/config.h"
#include "kubesim/sim/executor.h"
#include "kubesim/util/status.h"

namespace kubesim::scheduler {

struct SchedulerOptions {
  uint64_t seed = 0;  // ties are broken from this
  // Profiles and global settings. Pods whose spec.schedulerName names no
  // profile are ignored (left Pending, no events), as upstream.
  SchedulerConfig config;
  // Binding cycles (PreBind, Bind, the Scheduled event) run on a thread of
  // their own, overlapping the next scheduling cycles, as upstream's
  // bindingCycle goroutine (src/scheduler/binding_worker.h). Outcomes are
  // the same either way; false runs them inline (and so does an executor
  // whose dispatchers are not pinned to one CPU, e.g. a process limited to
  // a single CPU: Executor::DispatcherCpu).
  bool binding_thread = true;
};

class Scheduler {
 public:
  // `client` and `executor` must outlive the scheduler.
  static std::unique_ptr<Scheduler> Create(client::Client* client, Executor* executor,
                                           SchedulerOptions options);
  virtual ~Scheduler() = default;
  // Starts informers and scheduling. Idempotent.
  virtual void Start() = 0;
  // Stops all work (no binding after it returns). Start() again resyncs.
  virtual void Stop() = 0;
  // The last scheduling attempt of pod ns/name as a JSON object (see
  // docs/commands.md `why`): kNotFound if the scheduler has not tried it
  // since it (re)started. Thread-safe: callable from any thread; the record
  // is kept under a mutex and dropped when the pod is deleted.
  virtual StatusOr<api::Object> Explain(const std::string& ns, const std::string& name) const = 0;
};

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SCHEDULER_SCHEDULER_H_
