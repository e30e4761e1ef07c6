// Scheduler life cycle and informer event handlers
// (pkg/scheduler/scheduler.go, pkg/scheduler/eventhandlers.go, 1.32).
#include <utility>

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/policy.h"
#include "plugins/plugins.h"
#include "scheduler_impl.h"
#include "semantic_equal.h"

namespace kubesim::scheduler {
namespace {

using framework::ClusterEvent;
using framework::EventResource;
namespace action = framework::action;

// How often WaitForCacheSync looks again (client-go's syncedPollPeriod).
constexpr Duration kSyncPollPeriod = std::chrono::milliseconds(100);
// Scheduling cycles run back to back in one task, up to this many, before
// the loop yields to the informers (upstream's scheduleOne loop never waits
// for them: events are handled concurrently and the cache already holds the
// assumed pods). One task per pod cost a thread hand-over to the API
// server's fan-out and each informer per pod.
constexpr int kPodsPerScheduleTask = 16;
// The tickers of PriorityQueue.Run: flushBackoffQCompleted every second,
// flushUnschedulablePodsLeftover every 30 seconds.
constexpr Duration kBackoffFlushPeriod = std::chrono::seconds(1);
constexpr Duration kLeftoverFlushPeriod = std::chrono::seconds(30);

bool Assigned(const api::Object& pod) { return !api::GetString(pod, "/spec/nodeName").empty(); }
bool Terminal(const api::Object& pod) {
  return IsTerminalPhase(api::GetString(pod, "/status/phase"));
}
// The scheduler's pod informer lists with
// "status.phase!=Succeeded,status.phase!=Failed" (scheduler.go
// newPodInformer): finished pods are as good as deleted.
bool ForCache(const api::Object& pod) { return Assigned(pod) && !Terminal(pod); }

bool SameResources(const api::Object* a, const api::Object* b) {
  ResourceList ra = ParseResourceList(a), rb = ParseResourceList(b);
  if (ra.size() != rb.size()) return false;
  for (const auto& [name, q] : ra) {
    auto it = rb.find(name);
    if (it == rb.end() || !(it->second == q)) return false;
  }
  return true;
}

std::map<std::string, std::string> ConditionStatuses(const api::Object& node) {
  std::map<std::string, std::string> out;
  if (const api::Object* c = api::Find(node, "/status/conditions"); c && c->is_array()) {
    for (const api::Object& cond : *c) {
      out[api::GetString(cond, "/type")] = api::GetString(cond, "/status");
    }
  }
  return out;
}

bool SpecUnschedulable(const api::Object& node) {
  const api::Object* u = api::Find(node, "/spec/unschedulable");
  return u && u->is_boolean() && u->get<bool>();
}

// eventhandlers.go nodeSchedulingPropertiesChange.
std::vector<ClusterEvent> NodeSchedulingPropertiesChange(const api::Object& new_node,
                                                         const api::Object& old_node) {
  std::vector<ClusterEvent> events;
  auto add = [&](uint32_t a, const char* label) {
    events.push_back(ClusterEvent{EventResource::kNode, a, label});
  };
  // Only a node becoming schedulable can help a pending pod.
  if (SpecUnschedulable(old_node) && !SpecUnschedulable(new_node)) {
    add(action::kUpdateNodeTaint, "NodeSpecUnschedulableChange");
  }
  if (!SameResources(api::Find(old_node, "/status/allocatable"),
                     api::Find(new_node, "/status/allocatable"))) {
    add(action::kUpdateNodeAllocatable, "NodeAllocatableChange");
  }
  if (api::Labels(old_node) != api::Labels(new_node))
    add(action::kUpdateNodeLabel, "NodeLabelChange");
  if (!SemanticallyEqual(api::Find(old_node, "/spec/taints"),
                         api::Find(new_node, "/spec/taints"))) {
    add(action::kUpdateNodeTaint, "NodeTaintChange");
  }
  if (ConditionStatuses(old_node) != ConditionStatuses(new_node)) {
    add(action::kUpdateNodeCondition, "NodeConditionChange");
  }
  if (!SemanticallyEqual(api::Find(old_node, "/metadata/annotations"),
                         api::Find(new_node, "/metadata/annotations"))) {
    add(action::kUpdateNodeAnnotation, "NodeAnnotationChange");
  }
  return events;
}

}  // namespace

std::unique_ptr<Scheduler> Scheduler::Create(client::Client* client, Executor* executor,
                                             SchedulerOptions options) {
  return std::make_unique<SchedulerImpl>(client, executor, std::move(options));
}

SchedulerImpl::SchedulerImpl(client::Client* client, Executor* executor, SchedulerOptions options)
    : client_(client),
      executor_(executor),
      options_(std::move(options)),
      dispatcher_(executor->CreateDispatcher("kube-scheduler")),
      recorder_(std::make_unique<client::EventRecorder>(client, dispatcher_->clock(),
                                                        "default-scheduler")),
      random_(options_.seed, "kube-scheduler"),
      cache_(std::make_unique<Cache>()) {
  // One framework per profile (scheduler.go NewScheduler -> profile.NewMap).
  // The config was validated by ParseSchedulerConfig; a profile that still
  // fails to build is left out (its pods stay Pending).
  for (const ProfileConfig& pc : options_.config.profiles) {
    Profile profile;
    profile.handle = std::make_unique<ProfileHandle>(this);
    profile.recorder =
        std::make_unique<client::EventRecorder>(client, dispatcher_->clock(), pc.scheduler_name);
    profile.handle->recorder = profile.recorder.get();
    auto fwk = NewFramework(pc, profile.handle.get());
    if (!fwk.ok()) continue;
    profile.fwk = std::move(*fwk);
    profile.handle->fwk = profile.fwk.get();
    profiles_.emplace(pc.scheduler_name, std::move(profile));
  }
  queue_ = NewQueue();
}

std::unique_ptr<SchedulingQueue> SchedulerImpl::NewQueue() {
  return std::make_unique<SchedulingQueue>(
      dispatcher_->clock(),
      [this](const PodInfo& pod) -> const HintMap* {
        const Profile* p = ProfileFor(pod.scheduler_name);
        return p ? &p->fwk->queueing_hints() : nullptr;
      },
      [this](const PodInfo& pod) {
        Profile* p = ProfileFor(pod.scheduler_name);
        return p ? p->fwk->RunPreEnqueuePlugins(pod) : framework::Status();
      });
}

client::EventRecorder& SchedulerImpl::RecorderFor(const PodInfo& pod) {
  Profile* p = ProfileFor(pod.scheduler_name);
  return p ? *p->recorder : *recorder_;
}

SchedulerImpl::Profile* SchedulerImpl::ProfileFor(const std::string& scheduler_name) {
  auto it = profiles_.find(scheduler_name);
  return it == profiles_.end() ? nullptr : &it->second;
}

const SchedulerImpl::Profile* SchedulerImpl::ProfileFor(const std::string& scheduler_name) const {
  auto it = profiles_.find(scheduler_name);
  return it == profiles_.end() ? nullptr : &it->second;
}

api::ObjectPtr SchedulerImpl::ProfileHandle::GetPod(const std::string& key) {
  return s_->pod_informer_ ? s_->pod_informer_->Get(key) : nullptr;
}

std::vector<api::ObjectPtr> SchedulerImpl::ProfileHandle::ListServices(const std::string& ns) {
  std::vector<api::ObjectPtr> out;
  if (!s_->service_informer_) return out;
  for (api::ObjectPtr& svc : s_->service_informer_->List()) {
    if (api::Namespace(*svc) == ns) out.push_back(std::move(svc));
  }
  return out;
}

std::vector<api::ObjectPtr> SchedulerImpl::ProfileHandle::ListNamespaces() {
  return s_->namespace_informer_ ? s_->namespace_informer_->List() : std::vector<api::ObjectPtr>{};
}

api::ObjectPtr SchedulerImpl::ProfileHandle::GetReplicaSet(const std::string& ns,
                                                           const std::string& name) {
  return s_->replicaset_informer_ ? s_->replicaset_informer_->Get(ns + "/" + name) : nullptr;
}

SchedulerImpl::~SchedulerImpl() {
  Stop();
  // No task of ours runs after this; then the informers may go.
  dispatcher_->Shutdown();
  dispatcher_.reset();
  node_informer_.reset();
  pod_informer_.reset();
  pdb_informer_.reset();
  service_informer_.reset();
  replicaset_informer_.reset();
  namespace_informer_.reset();
}

void SchedulerImpl::Start() {
  if (running_) return;
  running_ = true;
  ++generation_;
  run_start_ = dispatcher_->clock().Now();
  next_start_node_index_ = 0;
  cache_ = std::make_unique<Cache>();
  queue_ = NewQueue();
  {
    std::lock_guard<std::mutex> lock(records_mu_);
    records_.clear();
    record_order_.clear();
    record_seq_.clear();
    record_rows_ = 0;
  }

  // The node informer starts first, so its initial list reaches the cache
  // before the pods' (both lists are tasks on our dispatcher, in order).
  node_informer_ = std::make_unique<client::Informer>(client_, dispatcher_.get(), api::kNodes);
  node_informer_->AddEventHandler(client::EventHandler{
      [this](const api::ObjectPtr& n) { OnNodeAdd(n); },
      [this](const api::ObjectPtr& o, const api::ObjectPtr& n) { OnNodeUpdate(o, n); },
      [this](const api::ObjectPtr& n) { OnNodeDelete(n); }});
  pod_informer_ = std::make_unique<client::Informer>(client_, dispatcher_.get(), api::kPods);
  pod_informer_->AddEventHandler(client::EventHandler{
      [this](const api::ObjectPtr& p) { OnPodAdd(p); },
      [this](const api::ObjectPtr& o, const api::ObjectPtr& n) { OnPodUpdate(o, n); },
      [this](const api::ObjectPtr& p) { OnPodDelete(p); }});
  // Preemption reads PodDisruptionBudgets (its PDB lister) and keeps the
  // queue's nominated pods.
  nominator_.Clear();
  pdb_informer_ =
      std::make_unique<client::Informer>(client_, dispatcher_.get(), api::kPodDisruptionBudgets);
  // helper.DefaultSelector's listers (PodTopologySpread system defaults).
  service_informer_ =
      std::make_unique<client::Informer>(client_, dispatcher_.get(), api::kServices);
  replicaset_informer_ =
      std::make_unique<client::Informer>(client_, dispatcher_.get(), api::kReplicaSets);
  namespace_informer_ =
      std::make_unique<client::Informer>(client_, dispatcher_.get(), api::kNamespaces);
  node_informer_->Start();
  pod_informer_->Start();
  pdb_informer_->Start();
  service_informer_->Start();
  replicaset_informer_->Start();
  namespace_informer_->Start();
}

void SchedulerImpl::Stop() {
  if (!running_) return;
  running_ = false;
  ++generation_;
  if (node_informer_) node_informer_->Stop();
  if (pod_informer_) pod_informer_->Stop();
  if (pdb_informer_) pdb_informer_->Stop();
  if (service_informer_) service_informer_->Stop();
  if (replicaset_informer_) replicaset_informer_->Stop();
  for (TaskId* t : {&schedule_task_, &backoff_timer_, &leftover_timer_}) {
    if (*t) dispatcher_->Cancel(*t);
    *t = 0;
  }
}

std::vector<api::ObjectPtr> SchedulerImpl::PodDisruptionBudgets() {
  return pdb_informer_ ? pdb_informer_->List() : std::vector<api::ObjectPtr>();
}

bool SchedulerImpl::ResponsibleForPod(const api::Object& pod) const {
  // responsibleForPod: the pod names one of our profiles.
  return ProfileFor(api::GetString(pod, "/spec/schedulerName")) != nullptr;
}

bool SchedulerImpl::ForQueue(const api::Object& pod) const {
  // eventhandlers.go: !assignedPod(pod) && responsibleForPod(pod), on the
  // non-terminal pod informer; pods being deleted are left alone too.
  // Gated pods are queued too: the SchedulingGates PreEnqueue plugin parks
  // them in unschedulablePods until their last gate is removed.
  const api::Object* deletion = api::Find(pod, "/metadata/deletionTimestamp");
  return !Assigned(pod) && ResponsibleForPod(pod) && !Terminal(pod) &&
         (!deletion || deletion->is_null());
}

// --- Node events (addNodeToCache, updateNodeInCache, deleteNodeFromCache).

void SchedulerImpl::OnNodeAdd(const api::ObjectPtr& node) {
  cache_->AddNode(node);
  queue_->MoveAllToActiveOrBackoffQueue(framework::NodeAddEvent(), nullptr, node);
  ArmTimers();
  MaybeScheduleNext();
}

void SchedulerImpl::OnNodeUpdate(const api::ObjectPtr& old_node, const api::ObjectPtr& new_node) {
  cache_->UpdateNode(new_node);
  for (const ClusterEvent& event : NodeSchedulingPropertiesChange(*new_node, *old_node)) {
    queue_->MoveAllToActiveOrBackoffQueue(event, old_node, new_node);
  }
  ArmTimers();
  MaybeScheduleNext();
}

void SchedulerImpl::OnNodeDelete(const api::ObjectPtr& node) {
  cache_->RemoveNode(api::Name(*node));
}

// --- Pod events: the assigned-pod handlers (cache) and the unscheduled-pod
// handlers (queue), each behind its filter as FilteringResourceEventHandler
// does (an update across the filter is an add or a delete).

void SchedulerImpl::OnPodAdd(const api::ObjectPtr& pod) {
  if (ForCache(*pod)) {
    cache_->AddPod(pod);
    queue_->MoveAllToActiveOrBackoffQueue(framework::AssignedPodAddEvent(), nullptr, pod);
  } else if (ForQueue(*pod)) {
    std::shared_ptr<const PodInfo> info = NewPodInfo(pod);
    nominator_.Add(info, std::nullopt);  // the queue's Add nominates too
    queue_->Add(std::move(info));
  }
  ArmTimers();
  MaybeScheduleNext();
}

void SchedulerImpl::OnPodUpdate(const api::ObjectPtr& old_pod, const api::ObjectPtr& new_pod) {
  const bool old_cache = ForCache(*old_pod), new_cache = ForCache(*new_pod);
  if (old_cache && new_cache) {
    cache_->UpdatePod(new_pod);
    if (api::Labels(*old_pod) != api::Labels(*new_pod)) {
      queue_->MoveAllToActiveOrBackoffQueue(
          ClusterEvent{EventResource::kAssignedPod, action::kUpdatePodLabel, "AssignedPodUpdate"},
          old_pod, new_pod);
    }
  } else if (old_cache) {
    cache_->RemovePod(*new_pod);
    queue_->MoveAllToActiveOrBackoffQueue(framework::AssignedPodDeleteEvent(), new_pod, nullptr);
  } else if (new_cache) {
    cache_->AddPod(new_pod);
    queue_->MoveAllToActiveOrBackoffQueue(framework::AssignedPodAddEvent(), nullptr, new_pod);
  }

  const bool old_queue = ForQueue(*old_pod), new_queue = ForQueue(*new_pod);
  if (old_queue && new_queue) {
    // updatePodInSchedulingQueue: skip no-op updates and assumed pods.
    if (api::ResourceVersion(*old_pod) != api::ResourceVersion(*new_pod) &&
        !cache_->IsAssumedPod(PodKey(*new_pod))) {
      std::shared_ptr<const PodInfo> info = NewPodInfo(new_pod);
      nominator_.Update(*old_pod, info);
      queue_->Update(old_pod, std::move(info));
    }
  } else if (old_queue) {
    nominator_.Delete(PodKey(*new_pod));
    queue_->Delete(PodKey(*new_pod));
  } else if (new_queue) {
    std::shared_ptr<const PodInfo> info = NewPodInfo(new_pod);
    nominator_.Add(info, std::nullopt);
    queue_->Add(std::move(info));
  }
  ArmTimers();
  MaybeScheduleNext();
}

void SchedulerImpl::OnPodDelete(const api::ObjectPtr& pod) {
  const std::string uid = PodKey(*pod);
  nominator_.Delete(uid);
  DropRecord(api::Namespace(*pod), api::Name(*pod));
  queue_->Delete(uid);
  const bool counted = ForCache(*pod) || cache_->IsAssumedPod(uid);
  cache_->RemovePod(*pod);
  if (counted) {
    queue_->MoveAllToActiveOrBackoffQueue(framework::AssignedPodDeleteEvent(), pod, nullptr);
  }
  ArmTimers();
  MaybeScheduleNext();
}

// --- Driving the cycle and the queue's timers.

void SchedulerImpl::MaybeScheduleNext() {
  if (!running_ || schedule_task_ != 0 || !queue_->HasActive()) return;
  const uint64_t gen = generation_;
  schedule_task_ = dispatcher_->Post([this, gen] {
    if (gen != generation_) return;
    schedule_task_ = 0;
    // WaitForCacheSync: no scheduling before both informers have listed.
    if (!node_informer_->HasSynced() || !pod_informer_->HasSynced() ||
        !pdb_informer_->HasSynced() || !service_informer_->HasSynced() ||
        !replicaset_informer_->HasSynced()) {
      schedule_task_ = dispatcher_->PostAfter(kSyncPollPeriod, [this, gen] {
        if (gen != generation_) return;
        schedule_task_ = 0;
        MaybeScheduleNext();
      });
      return;
    }
    for (int i = 0; i < kPodsPerScheduleTask && running_ && gen == generation_; ++i) {
      ScheduleOne();
      if (!queue_->HasActive()) break;
    }
    // The bindings of this batch finish before the loop posts anything
    // (binding_worker.h: the scheduler posts no task while one may run).
    FinishBindings();
    ArmTimers();
    MaybeScheduleNext();
  });
}

Time SchedulerImpl::NextTick(Time t, Duration period, bool strictly_after) const {
  if (t < run_start_) return run_start_;
  Time tick = run_start_ + ((t - run_start_) / period) * period;
  if (tick < t || (strictly_after && tick == t)) tick += period;
  return tick;
}

void SchedulerImpl::ArmTimers() {
  if (!running_) return;
  const uint64_t gen = generation_;
  // flushBackoffQCompleted: the first 1 s tick at or after the earliest
  // backoff expiry.
  if (std::optional<Time> expiry = queue_->NextBackoffExpiry()) {
    const Time at = NextTick(*expiry, kBackoffFlushPeriod, /*strictly_after=*/false);
    if (backoff_timer_ == 0 || backoff_timer_at_ != at) {
      if (backoff_timer_) dispatcher_->Cancel(backoff_timer_);
      backoff_timer_at_ = at;
      backoff_timer_ = dispatcher_->PostAt(at, [this, gen] {
        if (gen != generation_) return;
        backoff_timer_ = 0;
        queue_->FlushBackoffQCompleted();
        ArmTimers();
        MaybeScheduleNext();
      });
    }
  } else if (backoff_timer_) {
    dispatcher_->Cancel(backoff_timer_);
    backoff_timer_ = 0;
  }
  // flushUnschedulablePodsLeftover: the first 30 s tick at which the oldest
  // unschedulable pod has waited more than 5 minutes.
  if (std::optional<Time> oldest = queue_->OldestUnschedulableTimestamp()) {
    const Time at = NextTick(*oldest + queue_->options().max_in_unschedulable, kLeftoverFlushPeriod,
                             /*strictly_after=*/true);
    if (leftover_timer_ == 0 || leftover_timer_at_ != at) {
      if (leftover_timer_) dispatcher_->Cancel(leftover_timer_);
      leftover_timer_at_ = at;
      leftover_timer_ = dispatcher_->PostAt(at, [this, gen] {
        if (gen != generation_) return;
        leftover_timer_ = 0;
        queue_->FlushUnschedulablePodsLeftover();
        ArmTimers();
        MaybeScheduleNext();
      });
    }
  } else if (leftover_timer_) {
    dispatcher_->Cancel(leftover_timer_);
    leftover_timer_ = 0;
  }
}

}  // namespace kubesim::scheduler
