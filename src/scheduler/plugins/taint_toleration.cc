// pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
// (Kubernetes 1.32).
#include "kubesim/api/object_meta.h"
#include "plugins.h"

namespace kubesim::scheduler::plugins {
namespace {

constexpr framework::StateKey kPreScoreStateKey{"PreScoreTaintToleration"};

// helper.DoNotScheduleTaintsFilterFunc: only NoSchedule and NoExecute
// taints keep pods off a node.
bool DoNotScheduleTaint(const Taint& t) {
  return t.effect == "NoSchedule" || t.effect == "NoExecute";
}

struct PreScoreState final : framework::StateData {
  std::vector<Toleration> tolerations_prefer_no_schedule;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreScoreState>(*this);
  }
};

}  // namespace

int64_t CountIntolerableTaintsPreferNoSchedule(const std::vector<Taint>& taints,
                                               const std::vector<Toleration>& tolerations) {
  int64_t count = 0;
  for (const Taint& t : taints) {
    if (t.effect != "PreferNoSchedule") continue;
    if (!TolerationsTolerateTaint(tolerations, t)) ++count;
  }
  return count;
}

Status TaintToleration::Filter(CycleState&, const PodInfo& pod, const NodeInfo& node) {
  if (node.taints().empty()) return Status();  // nothing to tolerate
  const Taint* taint =
      FindMatchingUntoleratedTaint(node.taints(), pod.tolerations, DoNotScheduleTaint);
  if (!taint) return Status();
  return Status(framework::Code::kUnschedulableAndUnresolvable,
                {"node(s) had untolerated taint {" + taint->key + ": " + taint->value + "}"});
}

Status TaintToleration::PreScore(CycleState& state, const PodInfo& pod,
                                 const std::vector<NodeInfo*>& nodes) {
  if (nodes.empty()) return Status();
  // getAllTolerationPreferNoSchedule: tolerations with effect
  // PreferNoSchedule or none (which means every effect).
  auto s = std::make_shared<PreScoreState>();
  for (const Toleration& t : pod.tolerations) {
    if (t.effect.empty() || t.effect == "PreferNoSchedule") {
      s->tolerations_prefer_no_schedule.push_back(t);
    }
  }
  state.Write(kPreScoreStateKey, std::move(s));
  return Status();
}

int64_t TaintToleration::Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                               Status* status) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  if (!s) {
    *status = Status::Error("reading \"" + std::string(kPreScoreStateKey.name()) +
                            "\" from cycleState: not found");
    return 0;
  }
  if (node.taints().empty()) return 0;  // nothing to count
  return CountIntolerableTaintsPreferNoSchedule(node.taints(), s->tolerations_prefer_no_schedule);
}

Status TaintToleration::NormalizeScore(CycleState&, const PodInfo&,
                                       std::vector<NodeScore>& scores) {
  // Fewer intolerable PreferNoSchedule taints is better: reverse.
  framework::DefaultNormalizeScore(framework::kMaxNodeScore, /*reverse=*/true, scores);
  return Status();
}

std::vector<ClusterEventWithHint> TaintToleration::EventsToRegister() const {
  using namespace framework;
  // isSchedulableAfterNodeChange: was untolerated (or absent), now tolerated.
  auto node_hint = [](const PodInfo& pod, const api::ObjectPtr& old_obj,
                      const api::ObjectPtr& new_obj) {
    if (!new_obj) return QueueingHint::kQueueSkip;
    bool was_untolerated = true;
    if (old_obj) {
      was_untolerated =
          FindMatchingUntoleratedTaint(ParseTaints(api::Find(*old_obj, "/spec/taints")),
                                       pod.tolerations, DoNotScheduleTaint) != nullptr;
    }
    const bool is_untolerated =
        FindMatchingUntoleratedTaint(ParseTaints(api::Find(*new_obj, "/spec/taints")),
                                     pod.tolerations, DoNotScheduleTaint) != nullptr;
    return was_untolerated && !is_untolerated ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
  };
  // isSchedulableAfterPodTolerationChange: tolerations can only be added,
  // so a different count means new ones.
  auto pod_hint = [](const PodInfo& pod, const api::ObjectPtr& old_obj,
                     const api::ObjectPtr& new_obj) {
    if (!old_obj || !new_obj || PodKey(*new_obj) != pod.uid) return QueueingHint::kQueueSkip;
    const api::Object* a = api::Find(*old_obj, "/spec/tolerations");
    const api::Object* b = api::Find(*new_obj, "/spec/tolerations");
    const size_t na = a && a->is_array() ? a->size() : 0;
    const size_t nb = b && b->is_array() ? b->size() : 0;
    return na != nb ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
  };
  return {
      {ClusterEvent{EventResource::kNode, action::kAdd | action::kUpdateNodeTaint, "Node"},
       node_hint},
      {ClusterEvent{EventResource::kUnscheduledPod, action::kUpdatePodTolerations, "Pod"},
       pod_hint},
  };
}

}  // namespace kubesim::scheduler::plugins
