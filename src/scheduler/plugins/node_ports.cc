// pkg/scheduler/framework/plugins/nodeports/node_ports.go (Kubernetes 1.32)
// with framework.HostPortInfo (types.go) for the conflict rule.
#include "in_tree.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler::plugins {
namespace {

constexpr char kPreFilterStateKey[] = "PreFilterNodePorts";
// ErrReason.
constexpr char kErrReason[] = "node(s) didn't have free ports for the requested pod ports";

struct PreFilterState final : framework::StateData {
  std::vector<HostPort> ports;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreFilterState>(*this);
  }
};

}  // namespace

bool HostPortConflicts(const std::vector<HostPort>& used, const HostPort& want) {
  for (const HostPort& u : used) {
    if (u.port != want.port || u.protocol != want.protocol) continue;
    // 0.0.0.0 on either side conflicts with every IP.
    if (want.host_ip == "0.0.0.0" || u.host_ip == "0.0.0.0" || u.host_ip == want.host_ip) {
      return true;
    }
  }
  return false;
}

Status NodePorts::PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult*) {
  if (pod.host_ports.empty()) return Status(framework::Code::kSkip);
  auto s = std::make_shared<PreFilterState>();
  s->ports = pod.host_ports;
  state.Write(kPreFilterStateKey, std::move(s));
  return Status();
}

Status NodePorts::Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) {
  const PreFilterState* s = state.Read<PreFilterState>(kPreFilterStateKey);
  if (!s) {
    return Status::Error("reading \"" + std::string(kPreFilterStateKey) +
                         "\" from cycleState: not found");
  }
  for (const HostPort& want : s->ports) {
    if (HostPortConflicts(node.used_ports(), want)) {
      return Status(framework::Code::kUnschedulable, {kErrReason});
    }
  }
  return Status();
}

std::vector<ClusterEventWithHint> NodePorts::EventsToRegister() const {
  using namespace framework;
  // isSchedulableAfterPodDeleted: a deleted assigned pod that used one of
  // the ports we want.
  auto pod_hint = [](const PodInfo& pod, const api::ObjectPtr& old_obj, const api::ObjectPtr&) {
    if (!old_obj || api::GetString(*old_obj, "/spec/nodeName").empty()) {
      return QueueingHint::kQueueSkip;
    }
    std::shared_ptr<const PodInfo> deleted = NewPodInfo(old_obj);
    for (const HostPort& want : pod.host_ports) {
      if (HostPortConflicts(deleted->host_ports, want)) return QueueingHint::kQueue;
    }
    return QueueingHint::kQueueSkip;
  };
  // isSchedulableAfterNodeChange: a new node, or one whose ports now fit.
  return {
      {ClusterEvent{EventResource::kAssignedPod, action::kDelete, "Pod"}, pod_hint},
      {ClusterEvent{EventResource::kNode, action::kAdd | action::kUpdate, "Node"}, {}},
  };
}

}  // namespace kubesim::scheduler::plugins
