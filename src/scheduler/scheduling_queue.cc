#include "scheduling_queue.h"

#include <algorithm>
#include <vector>

#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler {
namespace {

using framework::ClusterEvent;
using framework::EventResource;
namespace action = framework::action;

bool SameJson(const api::Object* a, const api::Object* b) {
  if (!a || a->is_null()) return !b || b->is_null();
  if (!b || b->is_null()) return false;
  return *a == *b;
}

// framework.PodSchedulingPropertiesChange for an unscheduled pod (1.32):
// which of the pod's scheduling-relevant properties an update changed.
std::vector<ClusterEvent> PodSchedulingPropertiesChange(const api::Object& old_pod,
                                                        const api::Object& new_pod) {
  std::vector<ClusterEvent> events;
  auto add = [&](uint32_t a, const char* label) {
    events.push_back(ClusterEvent{EventResource::kUnscheduledPod, a, label});
  };
  if (api::Labels(old_pod) != api::Labels(new_pod)) add(action::kUpdatePodLabel, "UpdatePodLabel");
  if (!SameJson(api::Find(old_pod, "/spec/tolerations"), api::Find(new_pod, "/spec/tolerations"))) {
    add(action::kUpdatePodTolerations, "UpdatePodTolerations");
  }
  const api::Object* old_gates = api::Find(old_pod, "/spec/schedulingGates");
  const api::Object* new_gates = api::Find(new_pod, "/spec/schedulingGates");
  const bool had_gates = old_gates && old_gates->is_array() && !old_gates->empty();
  const bool has_gates = new_gates && new_gates->is_array() && !new_gates->empty();
  if (had_gates && !has_gates) {
    add(action::kUpdatePodSchedulingGatesEliminated, "UpdatePodSchedulingGatesEliminated");
  }
  // Not modelled: UpdatePodScaleDown (in-place resize is not served).
  if (events.empty()) add(action::kUpdatePodOther, "UpdatePodOther");
  return events;
}

}  // namespace

SchedulingQueue::SchedulingQueue(const Clock& clock, const HintMap* hints, QueueOptions options)
    : clock_(clock),
      hints_for_([hints](const PodInfo&) { return hints; }),
      pre_enqueue_([](const PodInfo&) { return framework::Status(); }),
      options_(options) {}

SchedulingQueue::SchedulingQueue(const Clock& clock,
                                 std::function<const HintMap*(const PodInfo&)> hints_for,
                                 std::function<framework::Status(const PodInfo&)> pre_enqueue,
                                 QueueOptions options)
    : clock_(clock),
      hints_for_(std::move(hints_for)),
      pre_enqueue_(std::move(pre_enqueue)),
      options_(options) {}

Duration SchedulingQueue::BackoffDuration(const QueuedPodInfo& p) const {
  if (p.attempts == 0) return Duration::zero();
  Duration d = options_.initial_backoff;
  for (int i = 1; i < p.attempts; ++i) {
    if (d > options_.max_backoff - d) return options_.max_backoff;
    d += d;
  }
  return d;
}

void SchedulingQueue::MoveToActive(std::unique_ptr<QueuedPodInfo> p) {
  const std::string uid = p->pod_info->uid;
  if (framework::Status s = pre_enqueue_(*p->pod_info); !s.IsSuccess()) {
    // Gated: the gating plugin's events may bring it back.
    p->unschedulable_plugins = {s.plugin()};
    p->pending_plugins.clear();
    gated_.insert(uid);
    pods_[uid] = Entry{std::move(p), Where::kUnschedulable, true, {}, {}};
    return;
  }
  ActiveKey key = KeyFor(*p);
  active_.insert(key);
  pods_[uid] = Entry{std::move(p), Where::kActive, false, std::move(key), {}};
}

void SchedulingQueue::MoveToBackoff(std::unique_ptr<QueuedPodInfo> p) {
  const std::string uid = p->pod_info->uid;
  BackoffKey key{BackoffTime(*p), p->seq, uid};
  backoff_.insert(key);
  pods_[uid] = Entry{std::move(p), Where::kBackoff, false, {}, std::move(key)};
}

void SchedulingQueue::MoveToUnschedulable(std::unique_ptr<QueuedPodInfo> p) {
  const std::string uid = p->pod_info->uid;
  unschedulable_.emplace(p->timestamp, uid);
  pods_[uid] = Entry{std::move(p), Where::kUnschedulable, false, {}, {}};
}

std::unique_ptr<QueuedPodInfo> SchedulingQueue::Take(const std::string& uid) {
  auto it = pods_.find(uid);
  if (it == pods_.end()) return nullptr;
  Entry& e = it->second;
  switch (e.where) {
    case Where::kActive:
      active_.erase(e.active_key);
      break;
    case Where::kBackoff:
      backoff_.erase(e.backoff_key);
      break;
    case Where::kUnschedulable:
      if (e.gated) {
        gated_.erase(uid);
      } else {
        unschedulable_.erase({e.info->timestamp, uid});
      }
      break;
  }
  std::unique_ptr<QueuedPodInfo> info = std::move(e.info);
  pods_.erase(it);
  return info;
}

std::string SchedulingQueue::Location(const std::string& uid) const {
  auto it = pods_.find(uid);
  if (it == pods_.end()) return "";
  switch (it->second.where) {
    case Where::kActive:
      return "activeQ";
    case Where::kBackoff:
      return "backoffQ";
    case Where::kUnschedulable:
      return "unschedulablePods";
  }
  return "";
}

void SchedulingQueue::Add(std::shared_ptr<const PodInfo> pod) {
  // PriorityQueue.Add: newQueuedPodInfo, then moveToActiveQ (which also
  // drops the pod from backoffQ / unschedulablePods).
  const std::string uid = pod->uid;
  if (in_flight_.contains(uid)) return;
  std::unique_ptr<QueuedPodInfo> existing = Take(uid);
  auto p = std::make_unique<QueuedPodInfo>();
  p->pod_info = std::move(pod);
  p->timestamp = clock_.Now();
  p->initial_attempt_timestamp = p->timestamp;
  p->seq = existing ? existing->seq : next_seq_++;
  MoveToActive(std::move(p));
}

void SchedulingQueue::Update(const api::ObjectPtr& old_pod,
                             std::shared_ptr<const PodInfo> new_pod) {
  const std::string uid = new_pod->uid;
  // An in-flight pod comes back through AddUnschedulableIfNotPresent with
  // the informer's latest copy.
  if (in_flight_.contains(uid)) return;
  auto it = pods_.find(uid);
  if (it == pods_.end()) {
    // Not in any queue: treat as an add.
    Add(std::move(new_pod));
    return;
  }
  Entry& e = it->second;
  if (e.where != Where::kUnschedulable) {
    // In activeQ or backoffQ: just refresh the object (priority, the sort
    // key, is immutable; gates can only be removed).
    e.info->pod_info = std::move(new_pod);
    return;
  }
  e.info->pod_info = new_pod;
  if (!old_pod) return;
  // Queueing hints decide whether the update may make the pod schedulable.
  for (const ClusterEvent& event : PodSchedulingPropertiesChange(*old_pod, *new_pod->pod)) {
    Strategy s = WorthRequeuing(*e.info, event, old_pod, new_pod->pod);
    if (s == Strategy::kSkip) continue;
    Requeue(Take(uid), s);
    return;
  }
}

void SchedulingQueue::Delete(const std::string& uid) {
  Take(uid);
  in_flight_.erase(uid);
}

std::unique_ptr<QueuedPodInfo> SchedulingQueue::Pop() {
  if (active_.empty()) return nullptr;
  std::unique_ptr<QueuedPodInfo> p = Take(active_.begin()->uid);
  ++p->attempts;
  if (p->attempts == 1) p->initial_attempt_timestamp = clock_.Now();
  p->unschedulable_plugins.clear();
  p->pending_plugins.clear();
  in_flight_.insert(p->pod_info->uid);
  return p;
}

void SchedulingQueue::Done(const std::string& uid) { in_flight_.erase(uid); }

void SchedulingQueue::AddUnschedulableIfNotPresent(std::unique_ptr<QueuedPodInfo> p) {
  const std::string uid = p->pod_info->uid;
  Done(uid);
  if (pods_.contains(uid)) return;  // already back in some queue
  p->timestamp = clock_.Now();
  // determineSchedulingHintForInFlightPod: without rejector plugins (an
  // error, not a rejection) retry after backoff; otherwise wait for an event
  // (no events can arrive mid-cycle here: a cycle is one task).
  const Strategy s = p->unschedulable_plugins.empty() && p->pending_plugins.empty()
                         ? Strategy::kAfterBackoff
                         : Strategy::kSkip;
  Requeue(std::move(p), s);
}

SchedulingQueue::Strategy SchedulingQueue::WorthRequeuing(const QueuedPodInfo& p,
                                                          const ClusterEvent& event,
                                                          const api::ObjectPtr& old_obj,
                                                          const api::ObjectPtr& new_obj) const {
  // isPodWorthRequeuing.
  if (p.unschedulable_plugins.empty() && p.pending_plugins.empty()) return Strategy::kAfterBackoff;
  if (event.IsWildCard()) return Strategy::kAfterBackoff;
  Strategy strategy = Strategy::kSkip;
  const HintMap* hints = hints_for_(*p.pod_info);
  if (!hints) return Strategy::kSkip;
  for (const auto& [plugin, registered] : *hints) {
    const bool unschedulable = p.unschedulable_plugins.contains(plugin);
    const bool pending = p.pending_plugins.contains(plugin);
    if (!unschedulable && !pending) continue;
    for (const framework::ClusterEventWithHint& h : registered) {
      if (!event.Match(h.event)) continue;
      framework::QueueingHint hint =
          h.hint ? h.hint(*p.pod_info, old_obj, new_obj) : framework::QueueingHint::kQueue;
      if (hint == framework::QueueingHint::kQueueSkip) continue;
      if (pending) return Strategy::kImmediately;
      if (p.pending_plugins.empty()) return Strategy::kAfterBackoff;
      strategy = Strategy::kAfterBackoff;
    }
  }
  return strategy;
}

void SchedulingQueue::Requeue(std::unique_ptr<QueuedPodInfo> p, Strategy strategy) {
  if (strategy == Strategy::kSkip) {
    MoveToUnschedulable(std::move(p));
  } else if (strategy == Strategy::kAfterBackoff && IsBackingOff(*p)) {
    MoveToBackoff(std::move(p));
  } else {
    MoveToActive(std::move(p));
  }
}

void SchedulingQueue::MoveAllToActiveOrBackoffQueue(
    const ClusterEvent& event, const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj,
    const std::function<bool(const PodInfo&)>& pre_check) {
  if (unschedulable_.empty() && gated_.empty()) return;
  // Cheap exit: no plugin registered for this event (pods without rejector
  // plugins are never parked in unschedulablePods).
  // (With several profiles every profile's hints are checked per pod.)
  // Unschedulable pods in uid order (upstream iterates a Go map).
  std::vector<std::string> uids(gated_.begin(), gated_.end());
  for (const auto& [ts, uid] : unschedulable_) uids.push_back(uid);
  std::sort(uids.begin(), uids.end());
  for (const std::string& uid : uids) {
    const QueuedPodInfo& p = *pods_.at(uid).info;
    if (pre_check && !pre_check(*p.pod_info)) continue;
    Strategy s = WorthRequeuing(p, event, old_obj, new_obj);
    if (s == Strategy::kSkip) continue;
    Requeue(Take(uid), s);
  }
}

void SchedulingQueue::FlushBackoffQCompleted() {
  const Time now = clock_.Now();
  while (!backoff_.empty() && std::get<0>(*backoff_.begin()) <= now) {
    MoveToActive(Take(std::get<2>(*backoff_.begin())));
  }
}

void SchedulingQueue::FlushUnschedulablePodsLeftover() {
  const Time now = clock_.Now();
  std::vector<std::string> uids;
  for (const auto& [ts, uid] : unschedulable_) {
    if (now - ts > options_.max_in_unschedulable) uids.push_back(uid);
  }
  for (const std::string& uid : uids) {
    Requeue(Take(uid), Strategy::kAfterBackoff);  // UnschedulableTimeout is a wildcard event
  }
}

std::optional<Time> SchedulingQueue::NextBackoffExpiry() const {
  if (backoff_.empty()) return std::nullopt;
  return std::get<0>(*backoff_.begin());
}

std::optional<Time> SchedulingQueue::OldestUnschedulableTimestamp() const {
  if (unschedulable_.empty()) return std::nullopt;
  return unschedulable_.begin()->first;
}

}  // namespace kubesim::scheduler
