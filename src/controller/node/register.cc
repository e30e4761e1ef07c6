#include "controllers.h"
#include "kubesim/controller/controller.h"

namespace kubesim::controller {

// kube-controller-manager's node-area controllers, in its start order
// (cmd/kube-controller-manager/app/controllermanager.go NewControllerDescriptors).
std::vector<std::unique_ptr<Controller>> NodeControllers(const ControllerContext& ctx) {
  std::vector<std::unique_ptr<Controller>> out;
  out.push_back(node::NewNodeLifecycleController(ctx));
  out.push_back(node::NewTaintEvictionController(ctx));
  out.push_back(node::NewPodGcController(ctx));
  return out;
}

}  // namespace kubesim::controller
