// SchedulerImpl: the kube-scheduler process.
//
//   scheduler.cc     life cycle, informer event handlers
//                    (pkg/scheduler/eventhandlers.go), the queue's timers;
//   schedule_one.cc  one scheduling cycle (pkg/scheduler/schedule_one.go):
//                    filter, score, select, assume, bind, failure handling.
//
// Threads: everything runs on one Dispatcher, "kube-scheduler". Start/Stop
// may be called from the driver or from another component's task (never
// concurrently with this dispatcher's tasks, as the Executor runs one task
// at a time).
#ifndef KUBESIM_SRC_SCHEDULER_SCHEDULER_IMPL_H_
#define KUBESIM_SRC_SCHEDULER_SCHEDULER_IMPL_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "framework.h"
#include "kubesim/client/client.h"
#include "kubesim/client/event_recorder.h"
#include "kubesim/client/informer.h"
#include "kubesim/scheduler/scheduler.h"
#include "kubesim/sim/executor.h"
#include "kubesim/sim/random.h"
#include "node_info.h"
#include "preemption/nominator.h"
#include "scheduling_queue.h"

namespace kubesim::scheduler {

class SchedulerImpl final : public Scheduler, public framework::Handle {
 public:
  SchedulerImpl(client::Client* client, Executor* executor, SchedulerOptions options);
  ~SchedulerImpl() override;

  void Start() override;
  void Stop() override;

  // framework::Handle.
  const std::vector<NodeInfo*>& Nodes() override { return cache_->NodeList(); }
  NodeInfo* GetNode(const std::string& name) override { return cache_->GetNode(name); }
  api::ObjectPtr GetPod(const std::string& key) override;
  framework::Framework& framework() override { return *fwk_; }
  // framework::Handle, for DefaultPreemption.
  client::Client* ClientSet() override { return client_; }
  client::EventRecorder* EventRecorder() override { return recorder_.get(); }
  const preemption::Nominator* PodNominator() override { return &nominator_; }
  std::vector<api::ObjectPtr> PodDisruptionBudgets() override;
  uint64_t RandomUniform(uint64_t n) override { return random_.Uniform(n); }
  Time Now() override { return dispatcher_->clock().Now(); }

  // For tests: the queue and cache (only while the executor is idle).
  const SchedulingQueue* queue() const { return queue_.get(); }
  Cache* cache() { return cache_.get(); }

 private:
  // --- scheduler.cc ---
  bool ResponsibleForPod(const api::Object& pod) const;
  // Unassigned, ours, not finished, not being deleted, not gated.
  bool ForQueue(const api::Object& pod) const;
  void OnNodeAdd(const api::ObjectPtr& node);
  void OnNodeUpdate(const api::ObjectPtr& old_node, const api::ObjectPtr& new_node);
  void OnNodeDelete(const api::ObjectPtr& node);
  void OnPodAdd(const api::ObjectPtr& pod);
  void OnPodUpdate(const api::ObjectPtr& old_pod, const api::ObjectPtr& new_pod);
  void OnPodDelete(const api::ObjectPtr& pod);
  // Posts a scheduling cycle if activeQ has pods and none is posted.
  void MaybeScheduleNext();
  // (Re)arms the backoff and leftover-flush timers on the tick grid of
  // upstream's 1 s / 30 s tickers.
  void ArmTimers();
  Time NextTick(Time t, Duration period, bool strictly_after) const;

  // --- schedule_one.cc ---
  struct ScheduleResult {
    enum class Kind { kOk, kNoNodes, kFitError, kError } kind = Kind::kOk;
    std::string host;
    int evaluated_nodes = 0;
    int feasible_nodes = 0;
    int num_all_nodes = 0;
    framework::Diagnosis diagnosis;
    std::string error;
  };
  void ScheduleOne();
  ScheduleResult SchedulePod(framework::CycleState& state, const PodInfo& pod);
  std::vector<NodeInfo*> FindNodesThatFitPod(framework::CycleState& state, const PodInfo& pod,
                                             ScheduleResult* result);
  int NumFeasibleNodesToFind(int num_all_nodes) const;
  std::string SelectHost(const std::vector<framework::NodePluginScores>& scores);
  // handleSchedulingFailure: requeue, FailedScheduling event, PodScheduled
  // condition. `rejected` picks reason Unschedulable vs SchedulerError.
  // `nominated_node` is the PostFilter's NominatingInfo (ModeOverride), if
  // any: the nominator and status.nominatedNodeName follow it.
  void HandleSchedulingFailure(std::unique_ptr<QueuedPodInfo> qpi, bool rejected,
                               const std::string& message,
                               const std::optional<std::string>& nominated_node = std::nullopt);
  // updatePod: PATCH pods/status with the PodScheduled=False condition when
  // it changed, and status.nominatedNodeName when `nominated_node` differs.
  void UpdatePodScheduledCondition(const api::Object& pod, const std::string& reason,
                                   const std::string& message,
                                   const std::optional<std::string>& nominated_node);
  // Binds through pods/binding; returns "" or the failure message.
  std::string Bind(const PodInfo& pod, const std::string& node);
  api::Object ForEvent(const api::Object& pod) const;  // kind/apiVersion set

  client::Client* const client_;
  Executor* const executor_;
  const SchedulerOptions options_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<client::EventRecorder> recorder_;
  Random random_;
  std::unique_ptr<framework::Framework> fwk_;

  // Per Start(): replaced on each start.
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<SchedulingQueue> queue_;
  std::unique_ptr<client::Informer> node_informer_;
  std::unique_ptr<client::Informer> pod_informer_;
  // Preemption: PodDisruptionBudgets (the PDB lister) and the queue's
  // nominator (preemption/nominator.h).
  std::unique_ptr<client::Informer> pdb_informer_;
  preemption::Nominator nominator_;
  bool running_ = false;
  std::atomic<uint64_t> generation_{0};  // tasks of older runs do nothing
  Time run_start_;                       // phase of the emulated tickers
  int next_start_node_index_ = 0;
  TaskId schedule_task_ = 0;
  TaskId backoff_timer_ = 0;
  Time backoff_timer_at_;
  TaskId leftover_timer_ = 0;
  Time leftover_timer_at_;
};

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_SCHEDULER_IMPL_H_
