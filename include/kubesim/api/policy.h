// PriorityClass and PodDisruptionBudget helpers shared outside src/api: the
// system PriorityClasses kube-apiserver serves from start, and which
// PodDisruptionBudgets cover a pod (for the disruption controller, the
// scheduler's preemption and the pods/eviction subresource).
//
// Thread-safety: pure functions.
#ifndef KUBESIM_API_POLICY_H_
#define KUBESIM_API_POLICY_H_

#include <vector>

#include "kubesim/api/gvr.h"
#include "kubesim/api/types.h"

namespace kubesim::api {

inline const GroupVersionResource kPriorityClasses{"scheduling.k8s.io", "v1", "priorityclasses"};
inline const GroupVersionResource kPodDisruptionBudgets{"policy", "v1", "poddisruptionbudgets"};

// system-node-critical (2000001000) and system-cluster-critical
// (2000000000) as PriorityClass objects to create, as kube-apiserver's
// post-start hook "scheduling/bootstrap-system-priority-classes" does
// (pkg/registry/scheduling/rest/storage_scheduling.go).
std::vector<Object> SystemPriorityClassObjects();

// Whether `pdb` (policy/v1) covers `pod`: same namespace and its selector
// matches the pod's labels. In policy/v1 an empty selector ({}) matches
// every pod of the namespace, a missing one none (pkg/apis/policy/v1
// conversion; pkg/controller/disruption getPdbForPod, pkg/registry/core/pod/
// storage/eviction.go getPodDisruptionBudgets, preemption filterPodsWithPDBViolation).
// A selector that does not parse matches nothing.
bool PodDisruptionBudgetCoversPod(const Object& pdb, const Object& pod);

}  // namespace kubesim::api

#endif  // KUBESIM_API_POLICY_H_
