// The first cut's in-tree plugins of kube-scheduler 1.32
// (pkg/scheduler/framework/plugins/...): NodeUnschedulable, NodeName,
// TaintToleration, NodeAffinity, NodeResourcesFit (with its scoring
// strategies), NodeResourcesBalancedAllocation and DefaultPreemption (default_preemption.cc,
// with preemption/), plus
// the pure functions behind their scores, exposed for tests. The plugins
// added for issue 4 are in in_tree.h; the default profile (order and
// weights, default_plugins.go) is built by name in ../registry.cc
// (DefaultMultiPoint); docs/scheduler.md lists it. NewDefaultFramework below
// is the first cut's fixed profile, no longer used by the scheduler.
//
// Thread-safety: none; plugins run on the scheduler's dispatcher.
#ifndef KUBESIM_SRC_SCHEDULER_PLUGINS_PLUGINS_H_
#define KUBESIM_SRC_SCHEDULER_PLUGINS_PLUGINS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "../framework.h"

namespace kubesim::scheduler::plugins {

using framework::ClusterEventWithHint;
using framework::CycleState;
using framework::NodeScore;
using framework::NodeToStatus;
using framework::PreFilterResult;
using framework::Status;

// pkg/scheduler/framework/plugins/names/names.go.
inline constexpr char kPrioritySort[] = "PrioritySort";
inline constexpr char kNodeUnschedulable[] = "NodeUnschedulable";
inline constexpr char kNodeName[] = "NodeName";
inline constexpr char kTaintToleration[] = "TaintToleration";
inline constexpr char kNodeAffinity[] = "NodeAffinity";
inline constexpr char kNodeResourcesFit[] = "NodeResourcesFit";
inline constexpr char kNodeResourcesBalancedAllocation[] = "NodeResourcesBalancedAllocation";
inline constexpr char kDefaultPreemption[] = "DefaultPreemption";
inline constexpr char kDefaultBinder[] = "DefaultBinder";

// Filter reasons, verbatim from upstream.
inline constexpr char kErrReasonUnschedulable[] = "node(s) were unschedulable";
inline constexpr char kErrReasonNodeName[] = "node(s) didn't match the requested node name";
inline constexpr char kErrReasonNodeAffinity[] =
    "node(s) didn't match Pod's node affinity/selector";

// --- nodeunschedulable/node_unschedulable.go ---
class NodeUnschedulable final : public framework::FilterPlugin,
                                public framework::EnqueueExtensions {
 public:
  std::string Name() const override { return kNodeUnschedulable; }
  Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) override;
  std::vector<ClusterEventWithHint> EventsToRegister() const override;
};

// --- nodename/node_name.go ---
class NodeName final : public framework::FilterPlugin, public framework::EnqueueExtensions {
 public:
  std::string Name() const override { return kNodeName; }
  Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) override;
  // Fits: an empty spec.nodeName fits every node.
  bool FitsEveryNode(const PodInfo& pod) const override { return pod.node_name.empty(); }
  std::vector<ClusterEventWithHint> EventsToRegister() const override;
};

// --- tainttoleration/taint_toleration.go ---
class TaintToleration final : public framework::FilterPlugin,
                              public framework::PreScorePlugin,
                              public framework::ScorePlugin,
                              public framework::EnqueueExtensions {
 public:
  std::string Name() const override { return kTaintToleration; }
  Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) override;
  Status PreScore(CycleState& state, const PodInfo& pod,
                  const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                Status* status) override;
  bool HasNormalizeScore() const override { return true; }
  Status NormalizeScore(CycleState& state, const PodInfo& pod,
                        std::vector<NodeScore>& scores) override;
  std::vector<ClusterEventWithHint> EventsToRegister() const override;
};
// countIntolerableTaintsPreferNoSchedule: PreferNoSchedule taints that no
// toleration with effect PreferNoSchedule or "" tolerates.
int64_t CountIntolerableTaintsPreferNoSchedule(const std::vector<Taint>& taints,
                                               const std::vector<Toleration>& tolerations);

// --- nodeaffinity/node_affinity.go ---
class NodeAffinity final : public framework::PreFilterPlugin,
                           public framework::FilterPlugin,
                           public framework::PreScorePlugin,
                           public framework::ScorePlugin,
                           public framework::EnqueueExtensions {
 public:
  std::string Name() const override { return kNodeAffinity; }
  Status PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult* result) override;
  Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) override;
  Status PreScore(CycleState& state, const PodInfo& pod,
                  const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                Status* status) override;
  bool HasNormalizeScore() const override { return true; }
  Status NormalizeScore(CycleState& state, const PodInfo& pod,
                        std::vector<NodeScore>& scores) override;
  std::vector<ClusterEventWithHint> EventsToRegister() const override;
};

// NodeResourcesFitArgs (config/types_pluginargs.go): the scoring strategy.
struct NodeResourcesFitArgs {
  // "LeastAllocated" (default), "MostAllocated", "RequestedToCapacityRatio".
  std::string strategy = "LeastAllocated";
  std::vector<std::pair<std::string, int64_t>> resources = {{"cpu", 1}, {"memory", 1}};
  // RequestedToCapacityRatio shape: (utilization 0..100, score 0..10).
  std::vector<std::pair<int64_t, int64_t>> shape;
  // Filter ignores these resources / resource groups (prefix before '/').
  std::vector<std::string> ignored_resources, ignored_resource_groups;
};

// --- noderesources/fit.go (Filter) + least_allocated.go, most_allocated.go,
// requested_to_capacity_ratio.go (Score) ---
class NodeResourcesFit final : public framework::PreFilterPlugin,
                               public framework::FilterPlugin,
                               public framework::PreScorePlugin,
                               public framework::ScorePlugin,
                               public framework::EnqueueExtensions {
 public:
  NodeResourcesFit() : NodeResourcesFit(NodeResourcesFitArgs()) {}
  explicit NodeResourcesFit(NodeResourcesFitArgs args);
  std::string Name() const override { return kNodeResourcesFit; }
  Status PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult* result) override;
  Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) override;
  Status PreScore(CycleState& state, const PodInfo& pod,
                  const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                Status* status) override;
  std::vector<ClusterEventWithHint> EventsToRegister() const override;

 private:
  // The args' resource names and strategy, classified once: Score runs per
  // node and cycle and should not compare strings.
  enum class ResourceKind { kCpu, kMemory, kEphemeralStorage, kScalar };
  enum class Strategy { kLeastAllocated, kMostAllocated, kRequestedToCapacityRatio };
  NodeResourcesFitArgs args_;
  std::vector<ResourceKind> resource_kinds_;  // parallel to args_.resources
  std::vector<int64_t> weights_;              // parallel to args_.resources
  // The args are the default shape: [cpu, memory], LeastAllocated.
  bool cpu_memory_least_allocated_ = false;
  Strategy strategy_ = Strategy::kLeastAllocated;
};
// fitsRequest: the reasons `request` does not fit on `node` ("Too many
// pods", "Insufficient cpu", "Insufficient memory", "Insufficient
// ephemeral-storage", "Insufficient <scalar>"), in that order.
std::vector<std::string> InsufficientResources(const Resource& request, const NodeInfo& node);
// InsufficientResources(request, node).empty(), without building the
// reasons: the Filter runs per node and cycle and nearly every node fits.
bool FitsResources(const Resource& request, const NodeInfo& node);
// least_allocated.go leastRequestedScore: (capacity - requested) * 100 /
// capacity, 0 when over capacity or capacity is 0.
int64_t LeastRequestedScore(int64_t requested, int64_t capacity);
// leastResourceScorer: the weighted mean of LeastRequestedScore over the
// resources with non-zero allocatable.
int64_t LeastAllocatedScore(std::span<const int64_t> requested,
                            std::span<const int64_t> allocatable, std::span<const int64_t> weights);
inline int64_t LeastAllocatedScore(const std::vector<int64_t>& requested,
                                   const std::vector<int64_t>& allocatable,
                                   const std::vector<int64_t>& weights) {
  return LeastAllocatedScore(std::span<const int64_t>(requested),
                             std::span<const int64_t>(allocatable),
                             std::span<const int64_t>(weights));
}

// --- noderesources/balanced_allocation.go ---
class NodeResourcesBalancedAllocation final : public framework::PreScorePlugin,
                                              public framework::ScorePlugin {
 public:
  std::string Name() const override { return kNodeResourcesBalancedAllocation; }
  Status PreScore(CycleState& state, const PodInfo& pod,
                  const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                Status* status) override;
};
// balancedResourceScorer: (1 - std) * 100 over the requested/allocatable
// fractions (capped at 1) of resources with non-zero allocatable.
int64_t BalancedResourceScore(std::span<const int64_t> requested,
                              std::span<const int64_t> allocatable);
inline int64_t BalancedResourceScore(const std::vector<int64_t>& requested,
                                     const std::vector<int64_t>& allocatable) {
  return BalancedResourceScore(std::span<const int64_t>(requested),
                               std::span<const int64_t>(allocatable));
}

// --- defaultpreemption/default_preemption.go + preemption/preemption.go ---
class DefaultPreemption final : public framework::PostFilterPlugin {
 public:
  explicit DefaultPreemption(framework::Handle* handle) : handle_(handle) {}
  std::string Name() const override { return kDefaultPreemption; }
  Status PostFilter(CycleState& state, const PodInfo& pod, const NodeToStatus& filtered) override;

 private:
  // Evaluator.Preempt: the status before PostFilter's "preemption: " prefix.
  Status Preempt(CycleState& state, const PodInfo& pod, const NodeToStatus& filtered);
  framework::Handle* const handle_;
};

// The default profile, with 1.32's default score weights.
std::unique_ptr<framework::Framework> NewDefaultFramework(framework::Handle* handle);

}  // namespace kubesim::scheduler::plugins

#endif  // KUBESIM_SRC_SCHEDULER_PLUGINS_PLUGINS_H_
