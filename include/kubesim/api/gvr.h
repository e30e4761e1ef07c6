// The group/version/resources kubesim serves, as constants.
#ifndef KUBESIM_API_GVR_H_
#define KUBESIM_API_GVR_H_

#include "kubesim/api/types.h"

namespace kubesim::api {

inline const GroupVersionResource kNamespaces{"", "v1", "namespaces"};
inline const GroupVersionResource kNodes{"", "v1", "nodes"};
inline const GroupVersionResource kPods{"", "v1", "pods"};
inline const GroupVersionResource kEvents{"", "v1", "events"};
inline const GroupVersionResource kLeases{"coordination.k8s.io", "v1", "leases"};
// Workloads area (src/api/strategies/workloads_register.cc).
inline const GroupVersionResource kDeployments{"apps", "v1", "deployments"};
inline const GroupVersionResource kReplicaSets{"apps", "v1", "replicasets"};
inline const GroupVersionResource kDaemonSets{"apps", "v1", "daemonsets"};
inline const GroupVersionResource kControllerRevisions{"apps", "v1", "controllerrevisions"};
// Services area (src/api/strategies/service_register.cc).
inline const GroupVersionResource kServices{"", "v1", "services"};
inline const GroupVersionResource kEndpoints{"", "v1", "endpoints"};
inline const GroupVersionResource kServiceAccounts{"", "v1", "serviceaccounts"};
inline const GroupVersionResource kEndpointSlices{"discovery.k8s.io", "v1", "endpointslices"};

}  // namespace kubesim::api

#endif  // KUBESIM_API_GVR_H_
