// The scheduling queue's nominator (pkg/scheduler/backend/queue/
// nominator.go, Kubernetes 1.32): which unscheduled pods were nominated to
// which node by preemption (status.nominatedNodeName, or the scheduler's
// own in-memory nomination before that status write is seen), so that
// filtering other pods accounts for them (RunFilterPluginsWithNominatedPods).
//
// Thread-safety: none; lives on the scheduler's dispatcher.
#ifndef KUBESIM_SRC_SCHEDULER_PREEMPTION_NOMINATOR_H_
#define KUBESIM_SRC_SCHEDULER_PREEMPTION_NOMINATOR_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../node_info.h"

namespace kubesim::scheduler::preemption {

class Nominator {
 public:
  // addNominatedPodUnlocked: `node` set = ModeOverride (that node; "" only
  // removes the nomination); nullopt = ModeNoop (the pod's own
  // status.nominatedNodeName, if any). A pod with spec.nodeName is never
  // nominated.
  void Add(std::shared_ptr<const PodInfo> pod, const std::optional<std::string>& node);
  // updateNominatedPodUnlocked: keeps an in-memory nomination when neither
  // the old nor the new object carries status.nominatedNodeName.
  void Update(const api::Object& old_pod, std::shared_ptr<const PodInfo> new_pod);
  // DeleteNominatedPodIfExists.
  void Delete(const std::string& uid);
  // NominatedPodsForNode, in nomination order.
  std::vector<std::shared_ptr<const PodInfo>> PodsForNode(const std::string& node) const;
  // The nominated pods of `node` without a copy, or nullptr if none. Valid
  // until the next Add/Update/Delete/Clear.
  const std::vector<std::shared_ptr<const PodInfo>>* FindPodsForNode(const std::string& node) const;
  // True when no pod is nominated anywhere (the filter loop's fast path).
  bool empty() const { return by_node_.empty(); }
  void Clear() {
    by_node_.clear();
    node_of_.clear();
  }

 private:
  std::map<std::string, std::vector<std::shared_ptr<const PodInfo>>> by_node_;
  std::map<std::string, std::string> node_of_;  // pod uid -> node
};

}  // namespace kubesim::scheduler::preemption

#endif  // KUBESIM_SRC_SCHEDULER_PREEMPTION_NOMINATOR_H_
