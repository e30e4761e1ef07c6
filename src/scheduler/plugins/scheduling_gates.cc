// pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go
// (Kubernetes 1.32): a pod with spec.schedulingGates never enters activeQ;
// removing its last gate (an update) requeues it.
#include "in_tree.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler::plugins {

Status SchedulingGates::PreEnqueue(const PodInfo& pod) {
  const api::Object* gates = api::Find(*pod.pod, "/spec/schedulingGates");
  if (!gates || !gates->is_array() || gates->empty()) return Status();
  std::string list = "[";
  for (size_t i = 0; i < gates->size(); ++i) {
    if (i > 0) list += " ";
    list += api::GetString((*gates)[i], "/name");
  }
  list += "]";
  return Status(framework::Code::kUnschedulableAndUnresolvable,
                {"waiting for scheduling gates: " + list});
}

std::vector<ClusterEventWithHint> SchedulingGates::EventsToRegister() const {
  using namespace framework;
  // isSchedulableAfterUpdatePodSchedulingGatesEliminated: only the pod's own
  // update matters.
  auto hint = [](const PodInfo& pod, const api::ObjectPtr&, const api::ObjectPtr& new_obj) {
    return new_obj && PodKey(*new_obj) == pod.uid ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
  };
  return {{ClusterEvent{EventResource::kUnscheduledPod, action::kUpdatePodSchedulingGatesEliminated,
                        "Pod"},
           hint}};
}

}  // namespace kubesim::scheduler::plugins
