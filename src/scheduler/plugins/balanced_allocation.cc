// pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go and
// resource_allocation.go (Kubernetes 1.32): useRequested=true, so the
// node's plain Requested plus the pod's request without defaults, for cpu
// and memory.
#include <cmath>

#include "plugins.h"

namespace kubesim::scheduler::plugins {
namespace {

constexpr framework::StateKey kPreScoreStateKey{"PreScoreNodeResourcesBalancedAllocation"};

struct PreScoreState final : framework::StateData {
  std::vector<int64_t> pod_requests;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreScoreState>(*this);
  }
};

}  // namespace

int64_t BalancedResourceScore(std::span<const int64_t> requested,
                              std::span<const int64_t> allocatable) {
  // The fractions requested/allocatable of resources with allocatable,
  // capped at 1 (computed on the fly: no allocation per node).
  auto fraction = [&](size_t i) {
    double f = static_cast<double>(requested[i]) / static_cast<double>(allocatable[i]);
    return f > 1 ? 1.0 : f;
  };
  size_t count = 0;
  double total = 0, first = 0, second = 0;
  for (size_t i = 0; i < requested.size(); ++i) {
    if (allocatable[i] == 0) continue;
    const double f = fraction(i);
    if (count == 0) first = f;
    if (count == 1) second = f;
    total += f;
    ++count;
  }
  double stddev = 0;
  if (count == 2) {
    // For two resources the std is simply |f1 - f2| / 2.
    stddev = std::abs((first - second) / 2);
  } else if (count > 2) {
    const double mean = total / static_cast<double>(count);
    double sum = 0;
    for (size_t i = 0; i < requested.size(); ++i) {
      if (allocatable[i] == 0) continue;
      const double f = fraction(i);
      sum += (f - mean) * (f - mean);
    }
    stddev = std::sqrt(sum / static_cast<double>(count));
  }
  return static_cast<int64_t>((1 - stddev) * static_cast<double>(framework::kMaxNodeScore));
}

// TODO(issue 4): 1.33 skips best-effort pods here (kubernetes#129138); 1.32
// scores them like any other pod.
Status NodeResourcesBalancedAllocation::PreScore(CycleState& state, const PodInfo& pod,
                                                 const std::vector<NodeInfo*>&) {
  auto s = std::make_shared<PreScoreState>();
  s->pod_requests = {pod.requests.milli_cpu, pod.requests.memory};
  state.Write(kPreScoreStateKey, std::move(s));
  return Status();
}

int64_t NodeResourcesBalancedAllocation::Score(CycleState& state, const PodInfo& pod,
                                               const NodeInfo& node, Status*) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  const int64_t pod_requests[2] = {s ? s->pod_requests[0] : pod.requests.milli_cpu,
                                   s ? s->pod_requests[1] : pod.requests.memory};
  int64_t requested[2] = {0, 0}, allocatable[2] = {0, 0};
  const int64_t alloc[2] = {node.allocatable().milli_cpu, node.allocatable().memory};
  const int64_t used[2] = {node.requested().milli_cpu, node.requested().memory};
  for (int i = 0; i < 2; ++i) {
    if (alloc[i] == 0) continue;
    allocatable[i] = alloc[i];
    requested[i] = used[i] + pod_requests[i];
  }
  // BalancedResourceScore for these two resources, inline (this runs per
  // node and cycle): the same fractions, capped at 1, and for two of them
  // the same |f1 - f2| / 2; fewer than two leave a std of 0.
  double fractions[2] = {0, 0};
  int count = 0;
  for (int i = 0; i < 2; ++i) {
    if (allocatable[i] == 0) continue;
    const double f = static_cast<double>(requested[i]) / static_cast<double>(allocatable[i]);
    fractions[count++] = f > 1 ? 1.0 : f;
  }
  const double stddev = count == 2 ? std::abs((fractions[0] - fractions[1]) / 2) : 0;
  return static_cast<int64_t>((1 - stddev) * static_cast<double>(framework::kMaxNodeScore));
}

}  // namespace kubesim::scheduler::plugins
