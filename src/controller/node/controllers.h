// Private to src/controller/node: factories of this area's controllers.
#ifndef KUBESIM_SRC_CONTROLLER_NODE_CONTROLLERS_H_
#define KUBESIM_SRC_CONTROLLER_NODE_CONTROLLERS_H_

#include <memory>

#include "kubesim/controller/controller.h"

namespace kubesim::controller::node {

// kube-controller-manager 1.32 defaults (cmd/kube-controller-manager/app/options,
// pkg/controller/nodelifecycle/config/v1alpha1/defaults.go).
struct NodeLifecycleOptions {
  Duration node_monitor_period = std::chrono::seconds(5);
  Duration node_monitor_grace_period = std::chrono::seconds(50);  // 40 s before 1.32 (#126287)
  Duration node_startup_grace_period = std::chrono::seconds(60);
  double node_eviction_rate = 0.1;
  double secondary_node_eviction_rate = 0.01;
  int large_cluster_size_threshold = 50;
  double unhealthy_zone_threshold = 0.55;
};

std::unique_ptr<Controller> NewNodeLifecycleController(const ControllerContext& ctx,
                                                       NodeLifecycleOptions options = {});
std::unique_ptr<Controller> NewTaintEvictionController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewPodGcController(const ControllerContext& ctx);

}  // namespace kubesim::controller::node

#endif  // KUBESIM_SRC_CONTROLLER_NODE_CONTROLLERS_H_
