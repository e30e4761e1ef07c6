// What kube-apiserver's subresources look like from outside: the kind each
// one speaks (for discovery) and the autoscaling/v1 Scale view of a workload.
// The requests themselves are served by ApiServer::Handle:
//  - deployments/scale, replicasets/scale: GET, PUT, PATCH of an
//    autoscaling/v1 Scale (pkg/registry/apps/deployment/storage/storage.go
//    ScaleREST);
//  - pods/eviction: POST a policy/v1 Eviction (pkg/registry/core/pod/storage/
//    eviction.go);
//  - pods/log: GET, text/plain (pkg/registry/core/pod/rest/log.go);
//  - */status, pods/binding, namespaces/finalize as before.
//
// Thread-safety: pure functions.
#ifndef KUBESIM_API_SUBRESOURCES_H_
#define KUBESIM_API_SUBRESOURCES_H_

#include <string>
#include <vector>

#include "kubesim/api/resource.h"
#include "kubesim/api/types.h"

namespace kubesim::api {

// A subresource as an APIResourceList entry describes it ("pods/eviction":
// group "policy", version "v1", kind "Eviction", verbs ["create"]). The group
// and version are empty when they are the parent's.
struct SubresourceDiscovery {
  std::string group;
  std::string version;
  std::string kind;
  std::vector<std::string> verbs;
};
// For `sub` of `parent` (one of parent.subresources), as kube-apiserver 1.32
// lists it.
SubresourceDiscovery DescribeSubresource(const ResourceInfo& parent, const std::string& sub);

// The autoscaling/v1 Scale of a Deployment or ReplicaSet
// (scaleFromDeployment / scaleFromReplicaSet): name, namespace, uid,
// resourceVersion, creationTimestamp; spec.replicas; status.replicas and the
// label selector as a string.
Object ScaleOf(const Object& workload);

}  // namespace kubesim::api

#endif  // KUBESIM_API_SUBRESOURCES_H_
