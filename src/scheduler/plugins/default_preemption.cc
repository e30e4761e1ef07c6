// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go and
// pkg/scheduler/framework/preemption/preemption.go (Kubernetes 1.32),
// reduced to the dry run: it finds whether any node could host the pod
// after evicting lower-priority pods, and produces upstream's message when
// none can ("preemption: 0/3 nodes are available: 1 Preemption is not
// helpful for scheduling, 2 No preemption victims found for incoming pod.").
//
// TODO(issue 4): when candidates exist, pick one (pickOneNodeForPreemption),
// evict its victims (DisruptionTarget condition + delete, "Preempted"
// events), set status.nominatedNodeName, honour PodDisruptionBudgets and
// the nominated-node checks of PodEligibleToPreemptOthers.
#include "kubesim/api/object_meta.h"
#include "plugins.h"

namespace kubesim::scheduler::plugins {
namespace {

using framework::Code;

// SelectVictimsOnNode's first step: remove every pod of lower priority and
// see whether the pod fits then.
Status DryRunNode(framework::Handle* handle, const CycleState& state, const PodInfo& pod,
                  const NodeInfo& node) {
  NodeInfo copy = node;
  CycleState state_copy = state.Clone();
  int victims = 0;
  for (const auto& p : node.pods()) {
    if (p->priority < pod.priority) {
      copy.RemovePod(p->uid);
      ++victims;
    }
  }
  if (victims == 0) {
    return Status(Code::kUnschedulableAndUnresolvable,
                  {"No preemption victims found for incoming pod"});
  }
  // RunFilterPluginsWithNominatedPods (no nominated pods yet).
  return handle->framework().RunFilterPlugins(state_copy, pod, copy);
}

}  // namespace

Status DefaultPreemption::PostFilter(CycleState& state, const PodInfo& pod,
                                     const NodeToStatus& filtered) {
  // 0) The latest version of the pod.
  api::ObjectPtr latest = handle_->GetPod(pod.ns + "/" + pod.name);
  if (!latest) return Status::Error("pod \"" + pod.name + "\" not found");
  std::shared_ptr<const PodInfo> current = NewPodInfo(latest);

  // 1) PodEligibleToPreemptOthers.
  std::string msg;
  if (current->preemption_policy == "Never") {
    msg = "not eligible due to preemptionPolicy=Never.";
    return Status(Code::kUnschedulable, {"preemption: " + msg});
  }

  // 2) findCandidates: only nodes rejected as Unschedulable (not
  // UnschedulableAndUnresolvable) may be helped by evicting pods.
  const std::vector<NodeInfo*>& all_nodes = handle_->Nodes();
  if (all_nodes.empty()) return Status::Error("no nodes available");
  NodeToStatus statuses;
  bool have_candidate = false;
  for (NodeInfo* node : all_nodes) {
    if (filtered.Get(node->name()).code() != Code::kUnschedulable) continue;
    Status s = DryRunNode(handle_, state, *current, *node);
    if (s.IsSuccess()) {
      have_candidate = true;
      continue;
    }
    statuses.Set(node->name(), std::move(s));
  }
  if (have_candidate) {
    // Upstream would evict victims and nominate the node here, returning
    // Success (so the failure message carries no preemption part).
    return Status();
  }
  // No candidates: a FitError over all nodes; nodes not dry-run count as
  // "Preemption is not helpful for scheduling".
  framework::Diagnosis diagnosis;
  diagnosis.node_to_status = std::move(statuses);
  diagnosis.node_to_status.SetAbsentNodesStatus(
      Status(Code::kUnschedulableAndUnresolvable, {"Preemption is not helpful for scheduling"}));
  msg = framework::FitErrorMessage(static_cast<int>(all_nodes.size()), diagnosis);
  return Status(Code::kUnschedulable, {"preemption: " + msg});
}

std::unique_ptr<framework::Framework> NewDefaultFramework(framework::Handle* handle) {
  auto fwk = std::make_unique<framework::Framework>();
  // Registration order is the call order at each extension point
  // (default_plugins.go): filters NodeUnschedulable, NodeName,
  // TaintToleration, NodeAffinity, NodeResourcesFit.
  fwk->AddPlugin(std::make_unique<NodeUnschedulable>());
  fwk->AddPlugin(std::make_unique<NodeName>());
  fwk->AddPlugin(std::make_unique<TaintToleration>(), /*score_weight=*/3);
  fwk->AddPlugin(std::make_unique<NodeAffinity>(), /*score_weight=*/2);
  fwk->AddPlugin(std::make_unique<NodeResourcesFit>(), /*score_weight=*/1);
  // TODO(issue 4): PodTopologySpread (2), InterPodAffinity (2).
  fwk->AddPlugin(std::make_unique<DefaultPreemption>(handle));
  fwk->AddPlugin(std::make_unique<NodeResourcesBalancedAllocation>(), /*score_weight=*/1);
  // TODO(issue 4): ImageLocality (1).
  return fwk;
}

}  // namespace kubesim::scheduler::plugins
