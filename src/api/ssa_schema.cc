// The list types and atomic markers of k8s.io/api 1.32 (core/v1/types.go,
// apps/v1/types.go, policy/v1/types.go, discovery/v1/types.go,
// apimachinery/pkg/apis/meta/v1/types.go: `+listType`, `+listMapKey`,
// `+structType=atomic`, `+mapType=atomic`, `patchMergeKey`), as kube-openapi's
// schemaconv (pkg/schemaconv/smd.go) turns them into structured-merge-diff
// types: a list with neither a list type nor a merge key is atomic.
#include "ssa_schema.h"

namespace kubesim::api {
namespace {

using Shape = SsaType::Shape;

struct Schemas {
  SsaType atomic{Shape::kAtomic};
  SsaType set_list{Shape::kSetList};
  SsaType owner_refs{Shape::kMapList};  // by uid, items +structType=atomic
  SsaType by_name{Shape::kMapList};     // list-map-keys: name
  SsaType by_type{Shape::kMapList};     // conditions, node addresses
  SsaType by_ip{Shape::kMapList};       // podIPs, hostAliases
  SsaType object_meta;
  SsaType container_ports{Shape::kMapList};  // containerPort, protocol
  SsaType env{Shape::kMapList};
  SsaType volume_mounts{Shape::kMapList};
  SsaType volume_devices{Shape::kMapList};
  SsaType resources;
  SsaType container;
  SsaType containers{Shape::kMapList};
  SsaType spread{Shape::kMapList};  // topologyKey, whenUnsatisfiable
  SsaType pod_spec;
  SsaType pod_status;
  SsaType pod;
  SsaType template_spec;
  SsaType conditions_status;
  SsaType deployment_spec;
  SsaType deployment;
  SsaType replicaset_spec;
  SsaType replicaset;
  SsaType daemonset_spec;
  SsaType daemonset;
  SsaType service_ports{Shape::kMapList};  // port, protocol
  SsaType service_spec;
  SsaType service_status;
  SsaType service;
  SsaType node_spec;
  SsaType node_status;
  SsaType node;
  SsaType namespace_spec;
  SsaType namespace_;
  SsaType service_account;
  SsaType pdb_spec;
  SsaType pdb;
  SsaType endpoint_slice;
  SsaType endpoints;
  SsaType metadata_only;

  Schemas() {
    owner_refs.keys = {"uid"};
    owner_refs.elem = &atomic;
    by_name.keys = {"name"};
    by_type.keys = {"type"};
    by_ip.keys = {"ip"};
    // ObjectMeta: finalizers +listType=set, ownerReferences +listType=map
    // +listMapKey=uid; labels and annotations are granular maps.
    // creationTimestamp is a metav1.Time: omitempty does not drop a struct,
    // so the zero value carries it as null (a pod template's stays null).
    object_meta.fields = {{"finalizers", {&set_list}},
                          {"ownerReferences", {&owner_refs}},
                          {"managedFields", {&atomic}},
                          {"creationTimestamp", {&atomic, true}}};
    // ContainerPort: +listType=map +listMapKey=containerPort
    // +listMapKey=protocol; protocol defaults to "TCP" in the OpenAPI.
    container_ports.keys = {"containerPort", "protocol"};
    container_ports.key_defaults = {{"protocol", "TCP"}};
    env.keys = {"name"};
    volume_mounts.keys = {"mountPath"};
    volume_devices.keys = {"devicePath"};
    resources.fields = {{"claims", {&by_name}}};
    container.fields = {{"ports", {&container_ports}},
                        {"env", {&env}},
                        {"volumeMounts", {&volume_mounts}},
                        {"volumeDevices", {&volume_devices}},
                        {"resources", {&resources, /*zero_present=*/true}}};
    containers.keys = {"name"};
    containers.elem = &container;
    spread.keys = {"topologyKey", "whenUnsatisfiable"};
    // PodSpec: containers has no omitempty (null in the zero value);
    // nodeSelector is +mapType=atomic; tolerations, readinessGates and
    // the like carry no list type and are atomic.
    pod_spec.fields = {{"containers", {&containers, /*zero_present=*/true}},
                       {"initContainers", {&containers}},
                       {"ephemeralContainers", {&containers}},
                       {"volumes", {&by_name}},
                       {"imagePullSecrets", {&by_name}},
                       {"hostAliases", {&by_ip}},
                       {"topologySpreadConstraints", {&spread}},
                       {"schedulingGates", {&by_name}},
                       {"resourceClaims", {&by_name}},
                       {"nodeSelector", {&atomic}}};
    // PodStatus: conditions by type, podIPs by ip; hostIPs +listType=atomic;
    // containerStatuses have no list type (atomic).
    pod_status.fields = {
        {"conditions", {&by_type}}, {"podIPs", {&by_ip}}, {"resourceClaimStatuses", {&by_name}}};
    pod.fields = {{"metadata", {&object_meta, true}},
                  {"spec", {&pod_spec, true}},
                  {"status", {&pod_status, true}}};
    template_spec.fields = {{"metadata", {&object_meta, true}}, {"spec", {&pod_spec, true}}};
    conditions_status.fields = {{"conditions", {&by_type}}};
    // LabelSelector is +structType=atomic; the strategies are non-pointer
    // structs.
    deployment_spec.fields = {{"selector", {&atomic}},
                              {"template", {&template_spec, true}},
                              {"strategy", {nullptr, true}}};
    deployment.fields = {{"metadata", {&object_meta, true}},
                         {"spec", {&deployment_spec, true}},
                         {"status", {&conditions_status, true}}};
    replicaset_spec.fields = {{"selector", {&atomic}}, {"template", {&template_spec, true}}};
    replicaset.fields = {{"metadata", {&object_meta, true}},
                         {"spec", {&replicaset_spec, true}},
                         {"status", {&conditions_status, true}}};
    daemonset_spec.fields = {{"selector", {&atomic}},
                             {"template", {&template_spec, true}},
                             {"updateStrategy", {nullptr, true}}};
    daemonset.fields = {{"metadata", {&object_meta, true}},
                        {"spec", {&daemonset_spec, true}},
                        {"status", {&conditions_status, true}}};
    // ServicePort: +listType=map +listMapKey=port +listMapKey=protocol;
    // selector +mapType=atomic; clusterIPs, ipFamilies atomic.
    service_ports.keys = {"port", "protocol"};
    service_ports.key_defaults = {{"protocol", "TCP"}};
    service_spec.fields = {{"ports", {&service_ports}}, {"selector", {&atomic}}};
    service_status.fields = {{"conditions", {&by_type}}, {"loadBalancer", {nullptr, true}}};
    service.fields = {{"metadata", {&object_meta, true}},
                      {"spec", {&service_spec, true}},
                      {"status", {&service_status, true}}};
    // NodeSpec.podCIDRs +listType=set; taints atomic; NodeStatus addresses
    // by type (patchMergeKey), conditions by type.
    node_spec.fields = {{"podCIDRs", {&set_list}}};
    node_status.fields = {{"conditions", {&by_type}},
                          {"addresses", {&by_type}},
                          {"daemonEndpoints", {nullptr, true}},
                          {"nodeInfo", {nullptr, true}}};
    node.fields = {{"metadata", {&object_meta, true}},
                   {"spec", {&node_spec, true}},
                   {"status", {&node_status, true}}};
    namespace_.fields = {{"metadata", {&object_meta, true}},
                         {"spec", {nullptr, true}},
                         {"status", {&conditions_status, true}}};
    service_account.fields = {{"metadata", {&object_meta, true}}, {"secrets", {&by_name}}};
    pdb_spec.fields = {{"selector", {&atomic}}};
    pdb.fields = {{"metadata", {&object_meta, true}},
                  {"spec", {&pdb_spec, true}},
                  {"status", {&conditions_status, true}}};
    // EndpointSlice.endpoints has no omitempty and no list type (atomic).
    endpoint_slice.fields = {{"metadata", {&object_meta, true}}, {"endpoints", {&atomic, true}}};
    endpoints.fields = {{"metadata", {&object_meta, true}}};
    metadata_only.fields = {{"metadata", {&object_meta, true}}};
  }
};

const Schemas& All() {
  static const Schemas* schemas = new Schemas();
  return *schemas;
}

}  // namespace

const SsaType* SsaSchemaForKind(const std::string& kind) {
  const Schemas& s = All();
  static const std::map<std::string, const SsaType*>* by_kind =
      new std::map<std::string, const SsaType*>{{"Pod", &s.pod},
                                                {"Deployment", &s.deployment},
                                                {"ReplicaSet", &s.replicaset},
                                                {"DaemonSet", &s.daemonset},
                                                {"Service", &s.service},
                                                {"Node", &s.node},
                                                {"Namespace", &s.namespace_},
                                                {"ServiceAccount", &s.service_account},
                                                {"PodDisruptionBudget", &s.pdb},
                                                {"EndpointSlice", &s.endpoint_slice},
                                                {"Endpoints", &s.endpoints}};
  auto it = by_kind->find(kind);
  return it == by_kind->end() ? &s.metadata_only : it->second;
}

const std::vector<std::string>& AdmissionSetFields(const std::string& kind) {
  // plugin/pkg/admission/serviceaccount (serviceAccountName), priority
  // (priority, preemptionPolicy, a default priorityClassName) and
  // defaulttolerationseconds (the not-ready/unreachable tolerations).
  static const std::vector<std::string>* pod = new std::vector<std::string>{
      "/spec/serviceAccountName", "/spec/serviceAccount",   "/spec/priority",
      "/spec/priorityClassName",  "/spec/preemptionPolicy", "/spec/tolerations"};
  static const std::vector<std::string>* none = new std::vector<std::string>{};
  return kind == "Pod" ? *pod : *none;
}

}  // namespace kubesim::api
