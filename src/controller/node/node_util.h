// Private to src/controller/node: helpers shared by the node lifecycle, taint
// eviction and pod GC controllers, after upstream's
// pkg/controller/util/node/controller_utils.go, pkg/util/taints,
// pkg/apis/core/v1/helper (GetMatchingTolerations) and
// k8s.io/component-helpers/node/topology (GetZoneKey).
//
// Thread-safety: pure functions, plus ControllerLoop which is owned by one
// controller and used on its dispatcher only.
#ifndef KUBESIM_SRC_CONTROLLER_NODE_NODE_UTIL_H_
#define KUBESIM_SRC_CONTROLLER_NODE_NODE_UTIL_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/client/client.h"
#include "kubesim/sim/executor.h"

namespace kubesim::controller::node {

inline constexpr char kTaintNodeNotReady[] = "node.kubernetes.io/not-ready";
inline constexpr char kTaintNodeUnreachable[] = "node.kubernetes.io/unreachable";
inline constexpr char kTaintNodeUnschedulable[] = "node.kubernetes.io/unschedulable";

// A node condition of `type` in status.conditions, or nullptr.
const api::Object* GetCondition(const api::Object& obj, const std::string& type);
api::Object* GetMutableCondition(api::Object& obj, const std::string& type);

// Taints compare by key and effect (v1.Taint.MatchTaint).
bool TaintExists(const api::Object* taints, const std::string& key, const std::string& effect);
std::vector<api::Object> NoExecuteTaints(const api::Object& node);

// toleration.ToleratesTaint.
bool ToleratesTaint(const api::Object& toleration, const api::Object& taint);
// v1helper.GetMatchingTolerations: whether every taint is tolerated, and the
// toleration used for each.
bool GetMatchingTolerations(const std::vector<api::Object>& taints, const api::Object* tolerations,
                            std::vector<api::Object>* used);

// nodetopology.GetZoneKey: "" when the node has neither zone nor region.
std::string GetZoneKey(const api::Object& node);

// apipod.UpdatePodCondition on a status object: sets or replaces the
// condition, keeping lastTransitionTime when the status is unchanged.
// Returns whether anything changed.
bool UpdatePodCondition(api::Object& status, api::Object condition, Time now);

// controllerutil.SwapNodeControllerTaint: adds (with timeAdded = now) and
// removes taints on the node's spec, re-reading it on a conflict. Returns
// whether the API accepted the change (or nothing needed changing).
bool SwapNodeControllerTaint(client::Client* client, const api::Object& node,
                             const std::vector<api::Object>& add,
                             const std::vector<api::Object>& remove, Time now);

// A controller's event loop life cycle: a dispatcher, an epoch bumped on
// Start/Stop, and timers that do nothing once their epoch ended. Every task
// runs under `mu`.
class ControllerLoop {
 public:
  ControllerLoop(Executor* executor, const std::string& name)
      : loop_(executor->CreateDispatcher("kube-controller-manager/" + name)),
        clock_(executor->clock()) {}
  ~ControllerLoop() { loop_->Shutdown(); }

  Dispatcher* dispatcher() { return loop_.get(); }
  Time Now() const { return clock_.Now(); }
  const Clock& clock() const { return clock_; }

  // Called with mu held.
  void BeginEpoch() {
    ++epoch_;
    running_ = true;
  }
  void EndEpoch() {
    ++epoch_;
    running_ = false;
    for (const auto& [k, id] : timers_) loop_->Cancel(id);
    timers_.clear();
  }
  bool running() const { return running_; }

  // Runs fn on the loop after `delay`, under mu, unless the epoch ended.
  void After(std::mutex* mu, Duration delay, std::function<void()> fn) {
    const uint64_t key = ++timer_seq_;
    const uint64_t epoch = epoch_;
    const TaskId id = loop_->PostAfter(delay, [this, mu, key, epoch, fn = std::move(fn)] {
      std::lock_guard<std::mutex> lock(*mu);
      timers_.erase(key);
      if (!running_ || epoch != epoch_) return;
      fn();
    });
    if (id != 0) timers_[key] = id;
  }
  // Wraps an informer handler so it runs under mu and only in this epoch.
  template <typename F>
  auto Guard(std::mutex* mu, F fn) {
    const uint64_t epoch = epoch_;
    return [this, mu, epoch, fn](auto&&... args) {
      std::lock_guard<std::mutex> lock(*mu);
      if (!running_ || epoch != epoch_) return;
      fn(args...);
    };
  }

 private:
  std::unique_ptr<Dispatcher> loop_;
  const Clock& clock_;
  uint64_t epoch_ = 0;
  bool running_ = false;
  uint64_t timer_seq_ = 0;
  std::map<uint64_t, TaskId> timers_;
};

}  // namespace kubesim::controller::node

#endif  // KUBESIM_SRC_CONTROLLER_NODE_NODE_UTIL_H_
