// The scheduling queue: kube-scheduler 1.32's PriorityQueue
// (pkg/scheduler/backend/queue/scheduling_queue.go) with queueing hints
// enabled (the 1.32 default, SchedulerQueueingHints beta):
//
//   activeQ           pods to schedule, PrioritySort order: higher
//                     spec.priority first, then earlier Timestamp (then
//                     first-enqueued, to keep ties deterministic);
//   backoffQ          pods waiting out their backoff (1s doubling to 10s per
//                     attempt) before returning to activeQ;
//   unschedulablePods pods rejected by plugins, moved back by cluster events
//                     their rejecting plugins' queueing hints accept, or
//                     after podMaxInUnschedulablePodsDuration (5 min); and
//                     gated pods, which a PreEnqueue plugin (SchedulingGates)
//                     keeps out of activeQ until an event of that plugin.
//
// The queue keeps no timers itself: the scheduler asks for the next expiry
// and calls FlushBackoffQCompleted / FlushUnschedulablePodsLeftover at the
// instants upstream's 1 s and 30 s tickers would fire.
//
// Thread-safety: none; it lives on the scheduler's dispatcher.
#ifndef KUBESIM_SRC_SCHEDULER_SCHEDULING_QUEUE_H_
#define KUBESIM_SRC_SCHEDULER_SCHEDULING_QUEUE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "framework.h"
#include "kubesim/sim/clock.h"
#include "node_info.h"

namespace kubesim::scheduler {

// framework.QueuedPodInfo.
struct QueuedPodInfo {
  std::shared_ptr<const PodInfo> pod_info;
  // When the pod was added to the queue, or last failed.
  Time timestamp;
  Time initial_attempt_timestamp;
  int attempts = 0;
  // Plugins that rejected the pod in its last attempt.
  std::set<std::string> unschedulable_plugins;
  std::set<std::string> pending_plugins;
  // First-enqueue order, the last tie-breaker of PrioritySort.
  uint64_t seq = 0;
};

struct QueueOptions {
  Duration initial_backoff = std::chrono::seconds(1);  // podInitialBackoffDuration
  Duration max_backoff = std::chrono::seconds(10);     // podMaxBackoffDuration
  // podMaxInUnschedulablePodsDuration.
  Duration max_in_unschedulable = std::chrono::minutes(5);
};

using HintMap = std::map<std::string, std::vector<framework::ClusterEventWithHint>>;

class SchedulingQueue {
 public:
  // `hints` is the framework's plugin -> registered events map; it must
  // outlive the queue.
  SchedulingQueue(const Clock& clock, const HintMap* hints, QueueOptions options = {});
  // With several profiles: `hints_for` gives the hints of the pod's profile
  // and `pre_enqueue` runs its PreEnqueue plugins (both must stay valid).
  SchedulingQueue(const Clock& clock, std::function<const HintMap*(const PodInfo&)> hints_for,
                  std::function<framework::Status(const PodInfo&)> pre_enqueue,
                  QueueOptions options = {});

  // An unscheduled pod appeared (informer add): straight to activeQ.
  void Add(std::shared_ptr<const PodInfo> pod);
  // The informer saw `new_pod` replace `old_pod`.
  void Update(const api::ObjectPtr& old_pod, std::shared_ptr<const PodInfo> new_pod);
  void Delete(const std::string& uid);

  // The head of activeQ (attempts incremented, rejector plugins cleared),
  // or nullptr. The pod is "in flight" until AddUnschedulableIfNotPresent or
  // Done.
  std::unique_ptr<QueuedPodInfo> Pop();
  void Done(const std::string& uid);
  // After a failed attempt: to unschedulablePods if plugins rejected it,
  // else (an error) to backoffQ. Timestamp is reset to now.
  void AddUnschedulableIfNotPresent(std::unique_ptr<QueuedPodInfo> pod);

  // MoveAllToActiveOrBackoffQueue: every unschedulable pod passing
  // `pre_check` (if set) whose rejecting plugins' hints say Queue for
  // `event` moves to backoffQ (still backing off) or activeQ.
  void MoveAllToActiveOrBackoffQueue(const framework::ClusterEvent& event,
                                     const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj,
                                     const std::function<bool(const PodInfo&)>& pre_check = {});

  // Moves backoffQ pods whose backoff has expired to activeQ.
  void FlushBackoffQCompleted();
  // Moves pods that have sat in unschedulablePods longer than
  // max_in_unschedulable (strictly) to activeQ/backoffQ.
  void FlushUnschedulablePodsLeftover();

  // The earliest backoff expiry in backoffQ.
  std::optional<Time> NextBackoffExpiry() const;
  // The earliest Timestamp in unschedulablePods.
  std::optional<Time> OldestUnschedulableTimestamp() const;
  const QueueOptions& options() const { return options_; }

  bool HasActive() const { return !active_.empty(); }
  size_t NumActive() const { return active_.size(); }
  size_t NumBackoff() const { return backoff_.size(); }
  size_t NumUnschedulable() const { return unschedulable_.size() + gated_.size(); }
  // Gated pods (held back by a PreEnqueue plugin), part of unschedulablePods.
  size_t NumGated() const { return gated_.size(); }
  bool InFlight(const std::string& uid) const { return in_flight_.contains(uid); }
  // Where a pod is: "activeQ", "backoffQ", "unschedulablePods", or "".
  std::string Location(const std::string& uid) const;

  // calculateBackoffDuration: initial * 2^(attempts-1), capped; 0 before
  // the first attempt.
  Duration BackoffDuration(const QueuedPodInfo& p) const;

 private:
  enum class Strategy { kSkip, kAfterBackoff, kImmediately };

  struct ActiveKey {
    int32_t priority;
    Time timestamp;
    uint64_t seq;
    std::string uid;
    bool operator<(const ActiveKey& o) const {
      if (priority != o.priority) return priority > o.priority;
      if (timestamp != o.timestamp) return timestamp < o.timestamp;
      if (seq != o.seq) return seq < o.seq;
      return uid < o.uid;
    }
  };
  using BackoffKey = std::tuple<Time, uint64_t, std::string>;  // expiry, seq, uid

  static ActiveKey KeyFor(const QueuedPodInfo& p) {
    return ActiveKey{p.pod_info->priority, p.timestamp, p.seq, p.pod_info->uid};
  }
  Time BackoffTime(const QueuedPodInfo& p) const { return p.timestamp + BackoffDuration(p); }
  bool IsBackingOff(const QueuedPodInfo& p) const { return BackoffTime(p) > clock_.Now(); }

  // moveToActiveQ: runs PreEnqueue plugins first; a rejected pod is parked
  // gated in unschedulablePods.
  void MoveToActive(std::unique_ptr<QueuedPodInfo> p);
  void MoveToBackoff(std::unique_ptr<QueuedPodInfo> p);
  void MoveToUnschedulable(std::unique_ptr<QueuedPodInfo> p);
  // Removes a pod from whichever sub-queue holds it.
  std::unique_ptr<QueuedPodInfo> Take(const std::string& uid);
  Strategy WorthRequeuing(const QueuedPodInfo& p, const framework::ClusterEvent& event,
                          const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj) const;
  // requeuePodViaQueueingHint.
  void Requeue(std::unique_ptr<QueuedPodInfo> p, Strategy strategy);

  const Clock& clock_;
  std::function<const HintMap*(const PodInfo&)> hints_for_;
  std::function<framework::Status(const PodInfo&)> pre_enqueue_;
  std::set<std::string> gated_;  // uids of gated pods (in unschedulablePods)
  const QueueOptions options_;
  uint64_t next_seq_ = 0;

  enum class Where { kActive, kBackoff, kUnschedulable };
  struct Entry {
    std::unique_ptr<QueuedPodInfo> info;
    Where where;
    bool gated = false;      // kUnschedulable, held by a PreEnqueue plugin
    ActiveKey active_key;    // when kActive
    BackoffKey backoff_key;  // when kBackoff
  };

  std::map<std::string, Entry> pods_;  // everything queued, by uid
  std::set<ActiveKey> active_;
  std::set<BackoffKey> backoff_;
  std::set<std::pair<Time, std::string>> unschedulable_;  // (timestamp, uid)
  std::set<std::string> in_flight_;
};

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_SCHEDULING_QUEUE_H_
