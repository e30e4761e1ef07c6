// Private to src/controller/service: the shape the area's controllers share.
// A controller owns one loop ("kube-controller-manager/<name>"), builds its
// informers and work queue on each Start() (an informer cannot restart) and
// drops them on Stop(), as a restarted kube-controller-manager relists.
#ifndef KUBESIM_SRC_CONTROLLER_SERVICE_BASE_H_
#define KUBESIM_SRC_CONTROLLER_SERVICE_BASE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../reconciler.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/client/informer.h"
#include "kubesim/client/work_queue.h"
#include "kubesim/controller/controller.h"

namespace kubesim::controller::service {

// The shared reconciler shape (src/controller/reconciler.h).
using ReconcilerBase = controller::Reconciler;

// A service's selector as a map; false when it has none (such services are
// not managed by the endpoints controllers).
bool ServiceSelector(const api::Object& svc, std::map<std::string, std::string>* out);
// The pod's Ready condition is True.
bool IsPodReady(const api::Object& pod);
// The service's ports resolved against `pod` (targetPort numbers, or a named
// containerPort): {name, port, protocol}. False when a named port is missing.
bool ResolvePorts(const api::Object& svc, const api::Object& pod, api::Object* ports);

std::unique_ptr<Controller> NewEndpointsController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewEndpointSliceController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewServiceAccountsController(const ControllerContext& ctx);

}  // namespace kubesim::controller::service

#endif  // KUBESIM_SRC_CONTROLLER_SERVICE_BASE_H_
