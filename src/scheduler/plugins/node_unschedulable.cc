// pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
// (Kubernetes 1.32).
#include "kubesim/api/object_meta.h"
#include "plugins.h"

namespace kubesim::scheduler::plugins {
namespace {

bool SpecUnschedulable(const api::ObjectPtr& node) {
  if (!node) return false;
  const api::Object* u = api::Find(*node, "/spec/unschedulable");
  return u && u->is_boolean() && u->get<bool>();
}

}  // namespace

Status NodeUnschedulable::Filter(CycleState&, const PodInfo& pod, const NodeInfo& node) {
  if (!node.unschedulable()) return Status();
  // A pod that tolerates the node.kubernetes.io/unschedulable:NoSchedule
  // taint also tolerates spec.unschedulable.
  const Taint unschedulable_taint{"node.kubernetes.io/unschedulable", "", "NoSchedule"};
  if (TolerationsTolerateTaint(pod.tolerations, unschedulable_taint)) return Status();
  return Status(framework::Code::kUnschedulableAndUnresolvable, {kErrReasonUnschedulable});
}

std::vector<ClusterEventWithHint> NodeUnschedulable::EventsToRegister() const {
  using namespace framework;
  // isSchedulableAfterNodeChange: the node went from unschedulable (or
  // absent) to schedulable.
  auto node_hint = [](const PodInfo&, const api::ObjectPtr& old_obj,
                      const api::ObjectPtr& new_obj) {
    const bool was = old_obj && !SpecUnschedulable(old_obj);
    const bool is = new_obj && !SpecUnschedulable(new_obj);
    return !was && is ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
  };
  // isSchedulableAfterPodTolerationChange.
  auto pod_hint = [](const PodInfo& pod, const api::ObjectPtr& old_obj,
                     const api::ObjectPtr& new_obj) {
    if (!old_obj || !new_obj || PodKey(*new_obj) != pod.uid) return QueueingHint::kQueueSkip;
    const Taint t{"node.kubernetes.io/unschedulable", "", "NoSchedule"};
    return TolerationsTolerateTaint(ParseTolerations(api::Find(*new_obj, "/spec/tolerations")), t)
               ? QueueingHint::kQueue
               : QueueingHint::kQueueSkip;
  };
  return {
      {ClusterEvent{EventResource::kNode, action::kAdd | action::kUpdateNodeTaint, "Node"},
       node_hint},
      {ClusterEvent{EventResource::kUnscheduledPod, action::kUpdatePodTolerations, "Pod"},
       pod_hint},
  };
}

}  // namespace kubesim::scheduler::plugins
