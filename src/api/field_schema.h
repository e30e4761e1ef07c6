// Private to src/api: the known fields of the built-in kinds, for
// fieldValidation (Strict/Warn/Ignore). kube-apiserver learns them from the Go
// structs when decoding (sigs.k8s.io/json strict mode, runtime's
// UnstructuredConverter); kubesim writes them down per type, as patch_schema
// does for the patch tags.
//
// Coverage (docs/api-semantics.md): the top level, ObjectMeta and
// OwnerReference of every kind; Pod/PodTemplate specs, Container,
// ContainerPort, EnvVar; Deployment, ReplicaSet, DaemonSet, Service, Node
// and Namespace specs. Any other subtree (status, volumes, probes, affinity,
// selectors, ...) is not checked and kept as sent.
#ifndef KUBESIM_SRC_API_FIELD_SCHEMA_H_
#define KUBESIM_SRC_API_FIELD_SCHEMA_H_

#include <string>
#include <vector>

#include "kubesim/api/types.h"

namespace kubesim::api {

// Removes from `obj` (an object of `kind`) the fields its Go type does not
// have, as decoding into the type drops them, and returns their paths named
// as the strict decoder names them: "spec.foo",
// "spec.template.spec.containers[0].bar". Kinds without a schema: none.
std::vector<std::string> PruneUnknownFields(Object& obj, const std::string& kind);

}  // namespace kubesim::api

#endif  // KUBESIM_SRC_API_FIELD_SCHEMA_H_
