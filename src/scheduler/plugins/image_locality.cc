// pkg/scheduler/framework/plugins/imagelocality/image_locality.go
// (Kubernetes 1.32): favours nodes that already have the pod's images,
// scaled by how widely each image is spread (to avoid piling onto the one
// node that has it). Image names are compared after normalizedImageName on
// the pod side only, as upstream; the node side is node.status.images as
// the kubelet reports it (see docs/scheduler.md).
#include "in_tree.h"

namespace kubesim::scheduler::plugins {
namespace {

constexpr int64_t kMb = 1024 * 1024;
constexpr int64_t kMinThreshold = 23 * kMb;
constexpr int64_t kMaxContainerThreshold = 1000 * kMb;

}  // namespace

int64_t ImageLocalityPriority(int64_t sum_scores, int num_containers) {
  if (num_containers <= 0) return 0;
  const int64_t max_threshold = kMaxContainerThreshold * num_containers;
  if (sum_scores < kMinThreshold) {
    sum_scores = kMinThreshold;
  } else if (sum_scores > max_threshold) {
    sum_scores = max_threshold;
  }
  return framework::kMaxNodeScore * (sum_scores - kMinThreshold) / (max_threshold - kMinThreshold);
}

int64_t ImageLocality::Score(CycleState&, const PodInfo& pod, const NodeInfo& node, Status*) {
  int64_t sum = 0;
  // A node without images scores the floor: no need to ask the handle for
  // the node count (a virtual call per node and cycle).
  const int total_nodes = node.images().empty() ? 0 : static_cast<int>(handle_->Nodes().size());
  if (total_nodes > 0) {
    for (const std::string& image : pod.images) {
      auto it = node.images().find(image);
      if (it == node.images().end()) continue;
      // scaledImageScore: size * (nodes having it / all nodes).
      const double spread =
          static_cast<double>(handle_->ImageNumNodes(image)) / static_cast<double>(total_nodes);
      sum += static_cast<int64_t>(static_cast<double>(it->second) * spread);
    }
  }
  return ImageLocalityPriority(sum, static_cast<int>(pod.images.size()));
}

}  // namespace kubesim::scheduler::plugins
