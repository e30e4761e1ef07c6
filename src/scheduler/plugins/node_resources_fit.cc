// pkg/scheduler/framework/plugins/noderesources/fit.go (Filter, hints),
// resource_allocation.go and least_allocated.go (Score), Kubernetes 1.32.
// The scoring strategy is the default LeastAllocated with cpu and memory,
// weight 1 each, on requests with the non-zero defaults
// (pkg/scheduler/util/pod_resources.go).
#include <algorithm>

#include "kubesim/api/object_meta.h"
#include "plugins.h"

namespace kubesim::scheduler::plugins {
namespace {

constexpr char kPreFilterStateKey[] = "PreFilterNodeResourcesFit";
constexpr char kPreScoreStateKey[] = "PreScoreNodeResourcesFit";

struct PreFilterState final : framework::StateData {
  Resource request;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreFilterState>(*this);
  }
};

// podRequests in the order of the scoring resources: cpu, memory.
struct PreScoreState final : framework::StateData {
  std::vector<int64_t> pod_requests;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreScoreState>(*this);
  }
};

// The fit check against a node with no pods (isFit in fit.go).
bool FitsEmptyNode(const PodInfo& pod, const api::ObjectPtr& node) {
  if (!node) return false;
  NodeInfo info(api::Name(*node));
  info.SetNode(node);
  return InsufficientResources(pod.requests, info).empty();
}

// haveAnyRequestedResourcesIncreased.
bool RequestedResourcesIncreased(const PodInfo& pod, const api::ObjectPtr& old_node,
                                 const api::ObjectPtr& new_node) {
  NodeInfo a(api::Name(*old_node)), b(api::Name(*new_node));
  a.SetNode(old_node);
  b.SetNode(new_node);
  const Resource& r = pod.requests;
  if (b.allocatable().allowed_pod_number > a.allocatable().allowed_pod_number) return true;
  if (r.IsZero()) return false;
  if ((r.milli_cpu > 0 && b.allocatable().milli_cpu > a.allocatable().milli_cpu) ||
      (r.memory > 0 && b.allocatable().memory > a.allocatable().memory) ||
      (r.ephemeral_storage > 0 &&
       b.allocatable().ephemeral_storage > a.allocatable().ephemeral_storage)) {
    return true;
  }
  for (const auto& [name, q] : r.scalar) {
    if (q == 0) continue;
    auto get = [&](const Resource& res) {
      auto it = res.scalar.find(name);
      return it == res.scalar.end() ? int64_t{0} : it->second;
    };
    if (get(b.allocatable()) > get(a.allocatable())) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> InsufficientResources(const Resource& request, const NodeInfo& node) {
  std::vector<std::string> reasons;
  const Resource& alloc = node.allocatable();
  const Resource& used = node.requested();
  if (static_cast<int64_t>(node.pods().size()) + 1 > alloc.allowed_pod_number) {
    reasons.push_back("Too many pods");
  }
  if (request.IsZero()) return reasons;
  if (request.milli_cpu > 0 && request.milli_cpu > alloc.milli_cpu - used.milli_cpu) {
    reasons.push_back("Insufficient cpu");
  }
  if (request.memory > 0 && request.memory > alloc.memory - used.memory) {
    reasons.push_back("Insufficient memory");
  }
  if (request.ephemeral_storage > 0 &&
      request.ephemeral_storage > alloc.ephemeral_storage - used.ephemeral_storage) {
    reasons.push_back("Insufficient ephemeral-storage");
  }
  for (const auto& [name, q] : request.scalar) {
    if (q == 0) continue;
    auto a = alloc.scalar.find(name);
    auto u = used.scalar.find(name);
    const int64_t free =
        (a == alloc.scalar.end() ? 0 : a->second) - (u == used.scalar.end() ? 0 : u->second);
    if (q > free) reasons.push_back("Insufficient " + name);
  }
  return reasons;
}

int64_t LeastRequestedScore(int64_t requested, int64_t capacity) {
  if (capacity == 0) return 0;
  if (requested > capacity) return 0;
  return (capacity - requested) * framework::kMaxNodeScore / capacity;
}

int64_t LeastAllocatedScore(std::span<const int64_t> requested,
                            std::span<const int64_t> allocatable,
                            std::span<const int64_t> weights) {
  int64_t node_score = 0, weight_sum = 0;
  for (size_t i = 0; i < requested.size(); ++i) {
    if (allocatable[i] == 0) continue;
    node_score += LeastRequestedScore(requested[i], allocatable[i]) * weights[i];
    weight_sum += weights[i];
  }
  return weight_sum == 0 ? 0 : node_score / weight_sum;
}

Status NodeResourcesFit::PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult*) {
  auto s = std::make_shared<PreFilterState>();
  s->request = pod.requests;
  state.Write(kPreFilterStateKey, std::move(s));
  return Status();
}

Status NodeResourcesFit::Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) {
  const PreFilterState* s = state.Read<PreFilterState>(kPreFilterStateKey);
  if (!s) {
    return Status::Error("error reading \"" + std::string(kPreFilterStateKey) +
                         "\" from cycleState: not found");
  }
  std::vector<std::string> reasons = InsufficientResources(s->request, node);
  if (reasons.empty()) return Status();
  // 1.32 reports every insufficient resource, always as Unschedulable
  // (preemption might free them).
  return Status(framework::Code::kUnschedulable, std::move(reasons));
}

Status NodeResourcesFit::PreScore(CycleState& state, const PodInfo& pod,
                                  const std::vector<NodeInfo*>&) {
  auto s = std::make_shared<PreScoreState>();
  s->pod_requests = {pod.non0_milli_cpu, pod.non0_memory};
  state.Write(kPreScoreStateKey, std::move(s));
  return Status();
}

int64_t NodeResourcesFit::Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                                Status*) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  const int64_t pod_requests[2] = {s ? s->pod_requests[0] : pod.non0_milli_cpu,
                                   s ? s->pod_requests[1] : pod.non0_memory};
  // resourceAllocationScorer.score with useRequested=false: the node's
  // NonZeroRequested plus the pod's non-zero request, per resource.
  int64_t requested[2] = {0, 0}, allocatable[2] = {0, 0};
  static constexpr int64_t kWeights[2] = {1, 1};
  const int64_t alloc[2] = {node.allocatable().milli_cpu, node.allocatable().memory};
  const int64_t used[2] = {node.non_zero_requested().milli_cpu, node.non_zero_requested().memory};
  for (int i = 0; i < 2; ++i) {
    if (alloc[i] == 0) continue;
    allocatable[i] = alloc[i];
    requested[i] = used[i] + pod_requests[i];
  }
  return LeastAllocatedScore(std::span<const int64_t>(requested),
                             std::span<const int64_t>(allocatable),
                             std::span<const int64_t>(kWeights));
}

std::vector<ClusterEventWithHint> NodeResourcesFit::EventsToRegister() const {
  using namespace framework;
  // isSchedulableAfterPodEvent: the deletion of a scheduled pod may free
  // room.
  auto pod_hint = [](const PodInfo&, const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj) {
    if (new_obj || !old_obj) return QueueingHint::kQueueSkip;
    return api::GetString(*old_obj, "/spec/nodeName").empty() ? QueueingHint::kQueueSkip
                                                              : QueueingHint::kQueue;
  };
  // isSchedulableAfterNodeChange.
  auto node_hint = [](const PodInfo& pod, const api::ObjectPtr& old_obj,
                      const api::ObjectPtr& new_obj) {
    if (!FitsEmptyNode(pod, new_obj)) return QueueingHint::kQueueSkip;
    if (!old_obj) return QueueingHint::kQueue;
    return RequestedResourcesIncreased(pod, old_obj, new_obj) ? QueueingHint::kQueue
                                                              : QueueingHint::kQueueSkip;
  };
  return {
      {ClusterEvent{EventResource::kAssignedPod, action::kDelete, "Pod"}, pod_hint},
      {ClusterEvent{EventResource::kNode,
                    action::kAdd | action::kUpdateNodeAllocatable | action::kUpdateNodeTaint |
                        action::kUpdateNodeLabel,
                    "Node"},
       node_hint},
  };
}

}  // namespace kubesim::scheduler::plugins
