// The patchStrategy / patchMergeKey tags of the built-in kinds (see
// patch_schema.h). Each entry cites the upstream field:
//  - apimachinery/pkg/apis/meta/v1/types.go: ObjectMeta.Finalizers
//    `patchStrategy:"merge"`, ObjectMeta.OwnerReferences `patchStrategy:"merge"
//    patchMergeKey:"uid"`.
//  - k8s.io/api/core/v1/types.go: PodSpec.Volumes `merge,retainKeys` by name;
//    InitContainers, Containers, EphemeralContainers `merge` by name;
//    ImagePullSecrets `merge` by name; HostAliases `merge` by ip;
//    TopologySpreadConstraints `merge` by topologyKey; SchedulingGates `merge`
//    by name; ResourceClaims `merge,retainKeys` by name. Container (and
//    EphemeralContainerCommon) Ports `merge` by containerPort, Env `merge` by
//    name, VolumeMounts `merge` by mountPath, VolumeDevices `merge` by
//    devicePath (Command, Args, EnvFrom, ResizePolicy: untagged, replaced).
//    PodStatus.Conditions `merge` by type, PodIPs and HostIPs `merge` by ip.
//    NodeSpec.PodCIDRs `merge` (a list of strings; Taints untagged: replaced).
//    NodeStatus.Conditions and Addresses `merge` by type.
//    NamespaceStatus.Conditions `merge` by type. ServiceSpec.Ports `merge` by
//    port; ServiceStatus.Conditions `merge` by type. ServiceAccount.Secrets
//    `merge` by name. PodSpec.Tolerations: untagged (replaced).
//  - k8s.io/api/apps/v1/types.go: DeploymentSpec.Strategy `retainKeys`;
//    DeploymentStatus, ReplicaSetStatus, DaemonSetStatus Conditions `merge` by
//    type; DaemonSetSpec.UpdateStrategy: untagged.
#include "patch_schema.h"

namespace kubesim::api {
namespace {

struct Schema {
  PatchType object_meta, container, pod_spec, pod_status, pod, pod_template_spec;
  PatchType deployment_spec, conditions_status, deployment, replicaset_spec, replicaset;
  PatchType daemonset_spec, daemonset, node_spec, node_status, node, namespace_, service_spec;
  PatchType service, service_account, metadata_only;

  Schema() {
    object_meta.fields = {{"finalizers", {"merge", "", nullptr}},
                          {"ownerReferences", {"merge", "uid", nullptr}}};
    container.fields = {{"ports", {"merge", "containerPort", nullptr}},
                        {"env", {"merge", "name", nullptr}},
                        {"volumeMounts", {"merge", "mountPath", nullptr}},
                        {"volumeDevices", {"merge", "devicePath", nullptr}}};
    pod_spec.fields = {{"volumes", {"merge,retainKeys", "name", nullptr}},
                       {"initContainers", {"merge", "name", &container}},
                       {"containers", {"merge", "name", &container}},
                       {"ephemeralContainers", {"merge", "name", &container}},
                       {"imagePullSecrets", {"merge", "name", nullptr}},
                       {"hostAliases", {"merge", "ip", nullptr}},
                       {"topologySpreadConstraints", {"merge", "topologyKey", nullptr}},
                       {"schedulingGates", {"merge", "name", nullptr}},
                       {"resourceClaims", {"merge,retainKeys", "name", nullptr}}};
    pod_status.fields = {{"conditions", {"merge", "type", nullptr}},
                         {"podIPs", {"merge", "ip", nullptr}},
                         {"hostIPs", {"merge", "ip", nullptr}},
                         {"resourceClaimStatuses", {"merge,retainKeys", "name", nullptr}}};
    pod.fields = {{"metadata", {"", "", &object_meta}},
                  {"spec", {"", "", &pod_spec}},
                  {"status", {"", "", &pod_status}}};
    pod_template_spec.fields = {{"metadata", {"", "", &object_meta}},
                                {"spec", {"", "", &pod_spec}}};
    conditions_status.fields = {{"conditions", {"merge", "type", nullptr}}};
    deployment_spec.fields = {{"template", {"", "", &pod_template_spec}},
                              {"strategy", {"retainKeys", "", nullptr}}};
    deployment.fields = {{"metadata", {"", "", &object_meta}},
                         {"spec", {"", "", &deployment_spec}},
                         {"status", {"", "", &conditions_status}}};
    replicaset_spec.fields = {{"template", {"", "", &pod_template_spec}}};
    replicaset.fields = {{"metadata", {"", "", &object_meta}},
                         {"spec", {"", "", &replicaset_spec}},
                         {"status", {"", "", &conditions_status}}};
    daemonset_spec.fields = {{"template", {"", "", &pod_template_spec}}};
    daemonset.fields = {{"metadata", {"", "", &object_meta}},
                        {"spec", {"", "", &daemonset_spec}},
                        {"status", {"", "", &conditions_status}}};
    node_spec.fields = {{"podCIDRs", {"merge", "", nullptr}}};
    node_status.fields = {{"conditions", {"merge", "type", nullptr}},
                          {"addresses", {"merge", "type", nullptr}}};
    node.fields = {{"metadata", {"", "", &object_meta}},
                   {"spec", {"", "", &node_spec}},
                   {"status", {"", "", &node_status}}};
    namespace_.fields = {{"metadata", {"", "", &object_meta}},
                         {"status", {"", "", &conditions_status}}};
    service_spec.fields = {{"ports", {"merge", "port", nullptr}}};
    service.fields = {{"metadata", {"", "", &object_meta}},
                      {"spec", {"", "", &service_spec}},
                      {"status", {"", "", &conditions_status}}};
    service_account.fields = {{"metadata", {"", "", &object_meta}},
                              {"secrets", {"merge", "name", nullptr}}};
    metadata_only.fields = {{"metadata", {"", "", &object_meta}}};
  }
};

const Schema& TheSchema() {
  static const Schema* schema = new Schema();
  return *schema;
}

}  // namespace

const PatchType* PatchSchemaForKind(const std::string& kind) {
  const Schema& s = TheSchema();
  if (kind == "Pod") return &s.pod;
  if (kind == "Deployment") return &s.deployment;
  if (kind == "ReplicaSet") return &s.replicaset;
  if (kind == "DaemonSet") return &s.daemonset;
  if (kind == "Node") return &s.node;
  if (kind == "Namespace") return &s.namespace_;
  if (kind == "Service") return &s.service;
  if (kind == "ServiceAccount") return &s.service_account;
  return &s.metadata_only;  // Event, Lease, Endpoints, EndpointSlice, Scale, ...
}

}  // namespace kubesim::api
