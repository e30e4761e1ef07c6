// Private to src/controller/workloads: the reconciler shape the area's
// controllers share (one loop "kube-controller-manager/<name>", informers and
// a work queue rebuilt on each Start(), as a restarted controller-manager
// relists), and the helpers of pkg/controller/controller_utils.go and
// pkg/controller/deployment/util they use.
#ifndef KUBESIM_SRC_CONTROLLER_WORKLOADS_BASE_H_
#define KUBESIM_SRC_CONTROLLER_WORKLOADS_BASE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../reconciler.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/client/event_recorder.h"
#include "kubesim/client/informer.h"
#include "kubesim/client/work_queue.h"
#include "kubesim/controller/controller.h"

namespace kubesim::controller::workloads {

using controller::Reconciler;  // src/controller/reconciler.h

inline constexpr char kPodTemplateHashLabel[] = "pod-template-hash";
inline constexpr char kRevisionAnnotation[] = "deployment.kubernetes.io/revision";
inline constexpr char kDesiredReplicasAnnotation[] = "deployment.kubernetes.io/desired-replicas";
inline constexpr char kMaxReplicasAnnotation[] = "deployment.kubernetes.io/max-replicas";

// The annotation `key` of `obj`, "" when absent.
std::string Annotation(const api::Object& obj, const std::string& key);
// metav1.GetControllerOf: the ownerReference with controller: true, or null.
const api::Object* ControllerRef(const api::Object& obj);
// An ownerReference to `owner` with controller and blockOwnerDeletion set.
api::Object NewControllerRef(const api::Object& owner);
// The Ready condition is True (podutil.IsPodReady).
bool IsPodReady(const api::Object& pod);
// controller.IsPodActive: not Succeeded/Failed and no deletionTimestamp.
bool IsPodActive(const api::Object& pod);
// The Int32OrString at `json_pointer` scaled against `total`
// (intstr.GetScaledValueFromIntOrPercent).
int64_t ScaledValue(const api::Object& obj, const char* json_pointer, int64_t total, bool round_up);
// controller.ComputeHash + rand.SafeEncodeString: FNV-32a of the template
// (and collisionCount), encoded with the generateName alphabet.
std::string ComputeHash(const api::Object& pod_template, int64_t collision_count);

std::unique_ptr<Controller> NewReplicaSetController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewDeploymentController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewGarbageCollector(const ControllerContext& ctx);
std::unique_ptr<Controller> NewDaemonSetController(const ControllerContext& ctx);

}  // namespace kubesim::controller::workloads

#endif  // KUBESIM_SRC_CONTROLLER_WORKLOADS_BASE_H_
