// Private to the apps/v1 workload strategies (deployment_strategy.cc,
// replicaset_strategy.cc): pod template defaults and the checks both kinds
// share.
#ifndef KUBESIM_SRC_API_STRATEGIES_WORKLOADS_COMMON_H_
#define KUBESIM_SRC_API_STRATEGIES_WORKLOADS_COMMON_H_

#include <string>
#include <vector>

#include "strategies.h"

namespace kubesim::api::strategies {

std::unique_ptr<ResourceStrategy> NewDeploymentStrategy();          // apps/v1 deployments
std::unique_ptr<ResourceStrategy> NewReplicaSetStrategy();          // apps/v1 replicasets
std::unique_ptr<ResourceStrategy> NewDaemonSetStrategy();           // apps/v1 daemonsets
std::unique_ptr<ResourceStrategy> NewControllerRevisionStrategy();  // apps/v1 controllerrevisions

namespace workloads {

// The v1 defaults of a PodTemplateSpec (pkg/apis/core/v1/defaults.go
// SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_ContainerPort; the
// Pod-only defaults such as enableServiceLinks are not applied to templates).
// A minimal copy of the pod strategy's defaulting, which is private to
// pod_strategy.cc.
void DefaultPodTemplate(Object& template_spec);

// Shared validation of a workload spec (pkg/apis/apps/validation):
// selector required and non-empty, template labels matched by it, replicas
// non-negative, containers present. `kind` names the kind in the empty
// selector message (upstream's ReplicaSet check also says "deployment").
void ValidateWorkloadSpec(const Object& obj, std::vector<FieldError>* errs,
                          const std::string& kind = "deployment");

// Go's semantic equality ignores nulls and empty maps/lists.
bool SemanticEqual(const Object& a, const Object& b);

// The containers' names and images joined by ",", and the selector as
// metav1.FormatLabelSelector prints it ("<none>" when empty).
std::string ContainerNames(const Object& obj);
std::string ContainerImages(const Object& obj);
std::string FormatSelector(const Object& obj);

// The apps/v1 object status rules shared by both kinds: on create,
// status cleared and generation 1; on update of the main resource, status
// kept; of "status", everything but the status kept.
void PrepareWorkloadUpdate(Object& obj, const Object& old_obj, const std::string& subresource,
                           bool annotations_bump_generation);

}  // namespace workloads
}  // namespace kubesim::api::strategies

#endif  // KUBESIM_SRC_API_STRATEGIES_WORKLOADS_COMMON_H_
