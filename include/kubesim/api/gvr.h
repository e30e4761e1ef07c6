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

}  // namespace kubesim::api

#endif  // KUBESIM_API_GVR_H_
