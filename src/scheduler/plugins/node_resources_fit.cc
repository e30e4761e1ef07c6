// pkg/scheduler/framework/plugins/noderesources/fit.go (Filter, hints),
// resource_allocation.go and least_allocated.go (Score), Kubernetes 1.32.
// The scoring strategy is the default LeastAllocated with cpu and memory,
// weight 1 each, on requests with the non-zero defaults
// (pkg/scheduler/util/pod_resources.go).
#include <algorithm>
#include <cmath>
#include <memory>

#include "kubesim/api/object_meta.h"
#include "plugins.h"

namespace kubesim::scheduler::plugins {
namespace {

constexpr framework::StateKey kPreFilterStateKey{"PreFilterNodeResourcesFit"};
constexpr framework::StateKey kPreScoreStateKey{"PreScoreNodeResourcesFit"};

struct PreFilterState final : framework::StateData {
  Resource request;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreFilterState>(*this);
  }
};

// podRequests in the order of the scoring resources (args.resources).
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

NodeResourcesFit::NodeResourcesFit(NodeResourcesFitArgs args) : args_(std::move(args)) {
  for (const auto& [name, weight] : args_.resources) {
    weights_.push_back(weight);
    resource_kinds_.push_back(name == "cpu"                 ? ResourceKind::kCpu
                              : name == "memory"            ? ResourceKind::kMemory
                              : name == "ephemeral-storage" ? ResourceKind::kEphemeralStorage
                                                            : ResourceKind::kScalar);
  }
  // Any other strategy name scores as LeastAllocated, as before.
  if (args_.strategy == "MostAllocated") {
    strategy_ = Strategy::kMostAllocated;
  } else if (args_.strategy == "RequestedToCapacityRatio") {
    strategy_ = Strategy::kRequestedToCapacityRatio;
  }
  cpu_memory_least_allocated_ =
      strategy_ == Strategy::kLeastAllocated &&
      resource_kinds_ == std::vector<ResourceKind>{ResourceKind::kCpu, ResourceKind::kMemory};
}

namespace {
// Allocatable minus requested of an extended resource (absent counts as 0).
int64_t FreeScalar(const Resource& alloc, const Resource& used, const std::string& name) {
  auto a = alloc.scalar.find(name);
  auto u = used.scalar.find(name);
  return (a == alloc.scalar.end() ? 0 : a->second) - (u == used.scalar.end() ? 0 : u->second);
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
    if (q != 0 && q > FreeScalar(alloc, used, name)) reasons.push_back("Insufficient " + name);
  }
  return reasons;
}

bool FitsResources(const Resource& request, const NodeInfo& node) {
  // The same checks as InsufficientResources, stopping at the first miss.
  const Resource& alloc = node.allocatable();
  const Resource& used = node.requested();
  if (static_cast<int64_t>(node.pods().size()) + 1 > alloc.allowed_pod_number) return false;
  if (request.IsZero()) return true;
  if (request.milli_cpu > 0 && request.milli_cpu > alloc.milli_cpu - used.milli_cpu) return false;
  if (request.memory > 0 && request.memory > alloc.memory - used.memory) return false;
  if (request.ephemeral_storage > 0 &&
      request.ephemeral_storage > alloc.ephemeral_storage - used.ephemeral_storage) {
    return false;
  }
  for (const auto& [name, q] : request.scalar) {
    if (q != 0 && q > FreeScalar(alloc, used, name)) return false;
  }
  return true;
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
    return Status::Error("error reading \"" + std::string(kPreFilterStateKey.name()) +
                         "\" from cycleState: not found");
  }
  const bool no_ignored = args_.ignored_resources.empty() && args_.ignored_resource_groups.empty();
  if (no_ignored && FitsResources(s->request, node)) return Status();
  std::vector<std::string> reasons;
  if (no_ignored) {
    reasons = InsufficientResources(s->request, node);
  } else {
    // fitsRequest skips ignored extended resources and resource groups.
    Resource request = s->request;
    for (auto it = request.scalar.begin(); it != request.scalar.end();) {
      const std::string& name = it->first;
      const std::string group = name.substr(0, name.find('/'));
      const bool ignored =
          std::find(args_.ignored_resources.begin(), args_.ignored_resources.end(), name) !=
              args_.ignored_resources.end() ||
          (name.find('/') != std::string::npos &&
           std::find(args_.ignored_resource_groups.begin(), args_.ignored_resource_groups.end(),
                     group) != args_.ignored_resource_groups.end());
      it = ignored ? request.scalar.erase(it) : std::next(it);
    }
    reasons = InsufficientResources(request, node);
  }
  if (reasons.empty()) return Status();
  // 1.32 reports every insufficient resource, always as Unschedulable
  // (preemption might free them).
  return Status(framework::Code::kUnschedulable, std::move(reasons));
}

Status NodeResourcesFit::PreScore(CycleState& state, const PodInfo& pod,
                                  const std::vector<NodeInfo*>&) {
  // calculatePodResourceRequest: cpu and memory with the non-zero
  // defaults, other resources as requested.
  auto s = std::make_shared<PreScoreState>();
  for (const auto& [name, weight] : args_.resources) {
    if (name == "cpu") {
      s->pod_requests.push_back(pod.non0_milli_cpu);
    } else if (name == "memory") {
      s->pod_requests.push_back(pod.non0_memory);
    } else if (name == "ephemeral-storage") {
      s->pod_requests.push_back(pod.requests.ephemeral_storage);
    } else {
      auto it = pod.requests.scalar.find(name);
      s->pod_requests.push_back(it == pod.requests.scalar.end() ? 0 : it->second);
    }
  }
  state.Write(kPreScoreStateKey, std::move(s));
  return Status();
}

static int64_t MostRequestedScore(int64_t requested, int64_t capacity) {
  if (capacity == 0) return 0;
  if (requested > capacity) requested = capacity;  // overcommitted: full
  return requested * framework::kMaxNodeScore / capacity;
}

static int64_t BrokenLinear(const std::vector<std::pair<int64_t, int64_t>>& shape, int64_t p) {
  // helper.BuildBrokenLinearFunction over (utilization, score*10) points.
  for (size_t i = 0; i < shape.size(); ++i) {
    if (p <= shape[i].first) {
      if (i == 0) return shape[0].second * 10;
      const auto [u0, s0] = shape[i - 1];
      const auto [u1, s1] = shape[i];
      return s0 * 10 + (s1 * 10 - s0 * 10) * (p - u0) / (u1 - u0);
    }
  }
  return shape.back().second * 10;
}

int64_t NodeResourcesFit::Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                                Status* status) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  if (!s) {
    *status = Status::Error("reading \"" + std::string(kPreScoreStateKey.name()) +
                            "\" from cycleState: not found");
    return 0;
  }
  // resourceAllocationScorer.score with useRequested=false: the node's
  // NonZeroRequested (cpu, memory) or Requested plus the pod's request,
  // per resource (calculateResourceAllocatableRequest).
  if (cpu_memory_least_allocated_) {
    // The default args (cpu then memory, LeastAllocated): the general path
    // below for exactly these two resources, without its per-resource
    // dispatch (this runs per node and cycle).
    const int64_t alloc[2] = {node.allocatable().milli_cpu, node.allocatable().memory};
    const int64_t req[2] = {node.non_zero_requested().milli_cpu + s->pod_requests[0],
                            node.non_zero_requested().memory + s->pod_requests[1]};
    int64_t score = 0, weight_sum = 0;
    for (int i = 0; i < 2; ++i) {
      if (alloc[i] == 0) continue;
      score += LeastRequestedScore(req[i], alloc[i]) * weights_[i];
      weight_sum += weights_[i];
    }
    return weight_sum == 0 ? 0 : score / weight_sum;
  }
  const size_t n = args_.resources.size();
  // Per-call buffers on the stack for the usual handful of resources; only
  // an unusually long resource list allocates. The weights were copied out
  // of the args once (weights_), not per node.
  int64_t requested[8], allocatable[8];
  std::unique_ptr<int64_t[]> big;
  int64_t* req = requested;
  int64_t* alloc = allocatable;
  if (n > 8) {
    big = std::make_unique<int64_t[]>(2 * n);
    req = big.get();
    alloc = big.get() + n;
  }
  const int64_t* w = weights_.data();
  for (size_t i = 0; i < n; ++i) {
    req[i] = 0;
    alloc[i] = 0;
    const int64_t pod_request = s->pod_requests[i];
    const ResourceKind kind = resource_kinds_[i];
    if (kind == ResourceKind::kCpu) {
      alloc[i] = node.allocatable().milli_cpu;
      req[i] = node.non_zero_requested().milli_cpu + pod_request;
    } else if (kind == ResourceKind::kMemory) {
      alloc[i] = node.allocatable().memory;
      req[i] = node.non_zero_requested().memory + pod_request;
    } else if (kind == ResourceKind::kEphemeralStorage) {
      alloc[i] = node.allocatable().ephemeral_storage;
      req[i] = node.requested().ephemeral_storage + pod_request;
    } else {
      // An extended resource the pod doesn't request is not scored.
      const std::string& name = args_.resources[i].first;
      auto a = node.allocatable().scalar.find(name);
      if ((pod_request == 0 && IsScalarResourceName(name)) ||
          a == node.allocatable().scalar.end()) {
        continue;
      }
      auto u = node.requested().scalar.find(name);
      alloc[i] = a->second;
      req[i] = (u == node.requested().scalar.end() ? 0 : u->second) + pod_request;
    }
  }
  const std::span<const int64_t> rs(req, n), as(alloc, n), ws(w, n);
  if (strategy_ == Strategy::kMostAllocated) {
    int64_t score = 0, weight_sum = 0;
    for (size_t i = 0; i < n; ++i) {
      if (as[i] == 0) continue;
      score += MostRequestedScore(rs[i], as[i]) * ws[i];
      weight_sum += ws[i];
    }
    return weight_sum == 0 ? 0 : score / weight_sum;
  }
  if (strategy_ == Strategy::kRequestedToCapacityRatio) {
    int64_t score = 0, weight_sum = 0;
    for (size_t i = 0; i < n; ++i) {
      if (as[i] == 0) continue;
      const int64_t r = rs[i] > as[i] ? BrokenLinear(args_.shape, 100)
                                      : BrokenLinear(args_.shape, rs[i] * 100 / as[i]);
      if (r > 0) {
        score += r * ws[i];
        weight_sum += ws[i];
      }
    }
    if (weight_sum == 0) return 0;
    return static_cast<int64_t>(std::llround(static_cast<double>(score) / weight_sum));
  }
  return LeastAllocatedScore(rs, as, ws);
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
