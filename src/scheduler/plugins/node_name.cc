// pkg/scheduler/framework/plugins/nodename/node_name.go (Kubernetes 1.32).
#include "kubesim/api/object_meta.h"
#include "plugins.h"

namespace kubesim::scheduler::plugins {

Status NodeName::Filter(CycleState&, const PodInfo& pod, const NodeInfo& node) {
  // Fits: an empty spec.nodeName fits every node.
  if (pod.node_name.empty() || pod.node_name == node.name()) return Status();
  return Status(framework::Code::kUnschedulableAndUnresolvable, {kErrReasonNodeName});
}

std::vector<ClusterEventWithHint> NodeName::EventsToRegister() const {
  using namespace framework;
  auto hint = [](const PodInfo& pod, const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj) {
    if (!new_obj) return QueueingHint::kQueueSkip;
    const bool matches = api::Name(*new_obj) == pod.node_name;
    const bool matched = old_obj && api::Name(*old_obj) == pod.node_name;
    return matches && !matched ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
  };
  return {{ClusterEvent{EventResource::kNode, action::kAdd | action::kUpdate, "Node"}, hint}};
}

}  // namespace kubesim::scheduler::plugins
