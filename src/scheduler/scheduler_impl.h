// SchedulerImpl: the kube-scheduler process.
//
//   scheduler.cc     life cycle, informer event handlers
//                    (pkg/scheduler/eventhandlers.go), the queue's timers;
//   schedule_one.cc  one scheduling cycle (pkg/scheduler/schedule_one.go):
//                    filter, score, select, assume, reserve, permit, bind,
//                    failure handling;
//   explanation.cc   the record of each pod's last attempt (`why`).
//
// Threads: everything runs on one Dispatcher, "kube-scheduler". Start/Stop
// may be called from the driver or from another component's task (never
// concurrently with this dispatcher's tasks, as the Executor runs one task
// at a time).
#ifndef KUBESIM_SRC_SCHEDULER_SCHEDULER_IMPL_H_
#define KUBESIM_SRC_SCHEDULER_SCHEDULER_IMPL_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "binding_worker.h"
#include "framework.h"
#include "kubesim/client/client.h"
#include "kubesim/client/event_recorder.h"
#include "kubesim/client/informer.h"
#include "kubesim/scheduler/scheduler.h"
#include "kubesim/sim/executor.h"
#include "kubesim/sim/random.h"
#include "node_info.h"
#include "preemption/nominator.h"
#include "registry.h"
#include "scheduling_queue.h"

namespace kubesim::scheduler {

// One attempt's record for `why` (explanation.cc). Kept cheap to build on
// every cycle: a row is a few ints naming its node by index into
// `node_names` (the cache's shared name list of that cycle); only rejected
// rows carry strings, in `rejections`. ToJson renders it on demand.
struct AttemptRecord {
  // Why a node was rejected (the rejecting filter, or the PreFilter).
  struct Rejection {
    std::string plugin;
    std::string code;                      // "Unschedulable" / "UnschedulableAndUnresolvable"
    std::string reason;                    // the status message
    std::vector<std::string> suggestions;  // what would make it fit here
  };
  struct NodeRow {
    int32_t node = -1;          // index into node_names
    int32_t rejection = -1;     // index into rejections (rejected rows)
    int32_t feasible_seq = -1;  // index among the feasible nodes
    int32_t score_index = -1;   // column of `scores` (feasible and scored nodes)
    int64_t total = 0;
    bool evaluated = false;  // filters ran (false: not reached by sampling)
    bool feasible = false;
  };
  std::string ns, name, uid, profile;
  std::string time;    // RFC 3339, simulated clock
  std::string result;  // "Scheduled", "Unschedulable", "Error"
  std::string node;    // the chosen node
  std::string message;
  int num_all_nodes = 0, num_to_find = 0, evaluated = 0, feasible = 0;
  int start_index = 0;
  std::string pre_filter_msg, post_filter_msg;
  // Raw and normalized scores, [plugin][score_index]; weighted =
  // normalized * weight.
  framework::Framework::ScoreDetail scores;
  int tied = 0;                  // nodes sharing the top score
  bool scoring_skipped = false;  // only one feasible node
  std::shared_ptr<const std::vector<std::string>> node_names;
  std::vector<NodeRow> rows;
  std::vector<Rejection> rejections;
  std::vector<std::string> suggestions;  // cluster-wide, for Pending pods

  const std::string& NodeName(const NodeRow& row) const { return (*node_names)[row.node]; }
  // Appends a rejected row for node `index` and returns its Rejection.
  Rejection& AddRejected(int32_t index) {
    NodeRow& row = rows.emplace_back();
    row.node = index;
    row.evaluated = true;
    row.rejection = static_cast<int32_t>(rejections.size());
    return rejections.emplace_back();
  }
};

class SchedulerImpl final : public Scheduler {
 public:
  SchedulerImpl(client::Client* client, Executor* executor, SchedulerOptions options);
  ~SchedulerImpl() override;

  void Start() override;
  void Stop() override;
  StatusOr<api::Object> Explain(const std::string& ns, const std::string& name) const override;

  // For tests: the queue and cache (only while the executor is idle).
  const SchedulingQueue* queue() const { return queue_.get(); }
  Cache* cache() { return cache_.get(); }

 private:
  // framework::Handle for one profile.
  class ProfileHandle final : public framework::Handle {
   public:
    explicit ProfileHandle(SchedulerImpl* s) : s_(s) {}
    const std::vector<NodeInfo*>& Nodes() override { return s_->cache_->NodeList(); }
    NodeInfo* GetNode(const std::string& name) override { return s_->cache_->GetNode(name); }
    api::ObjectPtr GetPod(const std::string& key) override;
    framework::Framework& framework() override { return *fwk; }
    client::Client* ClientSet() override { return s_->client_; }
    std::vector<api::ObjectPtr> ListServices(const std::string& ns) override;
    api::ObjectPtr GetReplicaSet(const std::string& ns, const std::string& name) override;
    std::vector<api::ObjectPtr> ListNamespaces() override;
    int ImageNumNodes(const std::string& image) override {
      return s_->cache_->ImageNumNodes(image);
    }
    bool HavePodsWithAffinity() override { return s_->cache_->pods_with_affinity() > 0; }
    bool HavePodsWithRequiredAntiAffinity() override {
      return s_->cache_->pods_with_required_anti_affinity() > 0;
    }
    // For DefaultPreemption.
    client::EventRecorder* EventRecorder() override { return recorder; }
    const preemption::Nominator* PodNominator() override { return &s_->nominator_; }
    std::vector<api::ObjectPtr> PodDisruptionBudgets() override {
      return s_->PodDisruptionBudgets();
    }
    uint64_t RandomUniform(uint64_t n) override { return s_->random_.Uniform(n); }
    Time Now() override { return s_->dispatcher_->clock().Now(); }
    framework::Framework* fwk = nullptr;
    client::EventRecorder* recorder = nullptr;  // the profile's

   private:
    SchedulerImpl* const s_;
  };
  struct Profile {
    std::unique_ptr<ProfileHandle> handle;
    std::unique_ptr<framework::Framework> fwk;
    // Events name the profile's schedulerName as their source
    // (profile.NewRecorderFactory).
    std::unique_ptr<client::EventRecorder> recorder;
  };
  client::EventRecorder& RecorderFor(const PodInfo& pod);
  // The PDB lister's contents (preemption).
  std::vector<api::ObjectPtr> PodDisruptionBudgets();
  std::unique_ptr<SchedulingQueue> NewQueue();
  // The profile for spec.schedulerName, or nullptr.
  Profile* ProfileFor(const std::string& scheduler_name);
  const Profile* ProfileFor(const std::string& scheduler_name) const;

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
  // A pod past Reserve and Permit whose binding cycle was handed to the
  // BindingWorker; `status` is written by the job (Success once bound and
  // its Scheduled event sent) and read after BindingWorker::Drain.
  struct PendingBinding {
    std::unique_ptr<QueuedPodInfo> qpi;
    std::shared_ptr<const PodInfo> pod;
    framework::Framework* fwk = nullptr;
    std::unique_ptr<framework::CycleState> state;
    AttemptRecord record;
    std::string host;
    framework::Status status;
  };
  // bindingCycle's API half (PreBind, Bind, the Scheduled event and a
  // success's attempt record). Runs on the BindingWorker's thread: touches
  // only `b`, makes API calls and stores the record (under records_mu_).
  void RunBindingCycle(PendingBinding& b);
  // Waits for the submitted binding cycles and finishes each, in order, on
  // the scheduler's loop: PostBind and Done, or
  // handleBindingCycleError. Called before the scheduler makes an API call
  // or posts a task itself, so every write stays in one deterministic order.
  void FinishBindings();
  // Undoes an assumed pod whose Reserve, Permit, PreBind or Bind failed
  // (schedule_one.go handleBindingCycleError / the scheduling cycle's
  // Unreserve + forget) and handles the failure.
  void FailAfterAssume(framework::Framework& fwk, framework::CycleState& state,
                       std::unique_ptr<QueuedPodInfo> qpi, const PodInfo& pod,
                       const std::string& host, AttemptRecord record, framework::Status s,
                       bool binding);
  ScheduleResult SchedulePod(framework::Framework& fwk, framework::CycleState& state,
                             const PodInfo& pod, AttemptRecord* record);
  std::vector<NodeInfo*> FindNodesThatFitPod(framework::Framework& fwk,
                                             framework::CycleState& state, const PodInfo& pod,
                                             ScheduleResult* result, AttemptRecord* record);
  // numFeasibleNodesToFind(percentageOfNodesToScore, numAllNodes).
  int NumFeasibleNodesToFind(std::optional<int32_t> profile_percentage, int num_all_nodes) const;
  // `tied` gets how many nodes shared the top score.
  std::string SelectHost(const std::vector<framework::NodePluginScores>& scores, int* tied);
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
  api::Object ForEvent(const api::Object& pod) const;  // kind/apiVersion set

  // --- explanation.cc ---
  // Fills the per-node suggestions of a failed attempt and stores it.
  void RecordAttempt(AttemptRecord record, const PodInfo& pod);
  void DropRecord(const std::string& ns, const std::string& name);

  client::Client* const client_;
  Executor* const executor_;
  const SchedulerOptions options_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<client::EventRecorder> recorder_;
  Random random_;
  std::map<std::string, Profile> profiles_;  // by schedulerName

  // Per Start(): replaced on each start.
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<SchedulingQueue> queue_;
  std::unique_ptr<client::Informer> node_informer_;
  std::unique_ptr<client::Informer> pod_informer_;
  // Preemption: PodDisruptionBudgets (the PDB lister) and the queue's
  // nominator (preemption/nominator.h).
  std::unique_ptr<client::Informer> pdb_informer_;
  preemption::Nominator nominator_;
  std::unique_ptr<client::Informer> service_informer_;
  std::unique_ptr<client::Informer> replicaset_informer_;
  std::unique_ptr<client::Informer> namespace_informer_;  // InterPodAffinity's nsLister
  bool running_ = false;
  std::atomic<uint64_t> generation_{0};  // tasks of older runs do nothing
  Time run_start_;                       // phase of the emulated tickers
  int next_start_node_index_ = 0;
  // Binding cycles in flight, oldest first (owned by the scheduler's loop;
  // each job writes only its own entry's status).
  std::vector<std::unique_ptr<PendingBinding>> pending_bindings_;
  // Created on the loop's first binding (so it can see which CPU the loop
  // is pinned to); destroyed before the dispatcher.
  std::unique_ptr<BindingWorker> binding_worker_;
  TaskId schedule_task_ = 0;
  TaskId backoff_timer_ = 0;
  Time backoff_timer_at_;
  TaskId leftover_timer_ = 0;
  Time leftover_timer_at_;

  // Last attempt per pod ("ns/name"), for Explain (read from other threads).
  // Bounded: oldest records go once their rows exceed kMaxRecordRows.
  static constexpr size_t kMaxRecordRows = 200000;
  mutable std::mutex records_mu_;
  // Hashed: only looked up by key, never iterated in order.
  std::unordered_map<std::string, AttemptRecord> records_;     // guarded by records_mu_
  std::deque<std::pair<std::string, uint64_t>> record_order_;  // guarded by records_mu_
  std::unordered_map<std::string, uint64_t> record_seq_;       // guarded by records_mu_
  size_t record_rows_ = 0;                                     // guarded by records_mu_
  uint64_t next_record_seq_ = 0;                               // guarded by records_mu_
};

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_SCHEDULER_IMPL_H_
