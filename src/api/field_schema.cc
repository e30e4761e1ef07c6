// Known fields of the built-in kinds (field_schema.h), from the 1.32 Go types:
// k8s.io/apimachinery/pkg/apis/meta/v1/types.go (ObjectMeta, OwnerReference),
// k8s.io/api/core/v1/types.go (PodSpec, Container, ContainerPort, EnvVar,
// ServiceSpec, ServicePort, NodeSpec, NamespaceSpec), k8s.io/api/apps/v1/types.go
// (DeploymentSpec, ReplicaSetSpec, DaemonSetSpec).
#include "field_schema.h"

#include <map>
#include <set>

namespace kubesim::api {
namespace {

struct KnownType {
  std::set<std::string> fields;
  // Checked children: field -> (type, is a list of that type).
  std::map<std::string, std::pair<const KnownType*, bool>> children;
};

struct Schema {
  KnownType owner_ref, meta, container_port, env_var, container, pod_spec, template_spec;
  KnownType pod, deployment_spec, deployment, rs_spec, rs, ds_spec, ds, service_port;
  KnownType service_spec, service, node_spec, node, ns_spec, ns;

  static KnownType Top(const KnownType* meta, const KnownType* spec) {
    KnownType t;
    t.fields = {"apiVersion", "kind", "metadata", "spec", "status"};
    t.children = {{"metadata", {meta, false}}};
    if (spec != nullptr) t.children["spec"] = {spec, false};
    return t;
  }

  Schema() {
    owner_ref.fields = {"apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"};
    meta.fields = {"name",
                   "generateName",
                   "namespace",
                   "selfLink",
                   "uid",
                   "resourceVersion",
                   "generation",
                   "creationTimestamp",
                   "deletionTimestamp",
                   "deletionGracePeriodSeconds",
                   "labels",
                   "annotations",
                   "ownerReferences",
                   "finalizers",
                   "managedFields"};
    meta.children = {{"ownerReferences", {&owner_ref, true}}};
    container_port.fields = {"name", "hostPort", "containerPort", "protocol", "hostIP"};
    env_var.fields = {"name", "value", "valueFrom"};
    container.fields = {"name",
                        "image",
                        "command",
                        "args",
                        "workingDir",
                        "ports",
                        "envFrom",
                        "env",
                        "resources",
                        "resizePolicy",
                        "restartPolicy",
                        "volumeMounts",
                        "volumeDevices",
                        "livenessProbe",
                        "readinessProbe",
                        "startupProbe",
                        "lifecycle",
                        "terminationMessagePath",
                        "terminationMessagePolicy",
                        "imagePullPolicy",
                        "securityContext",
                        "stdin",
                        "stdinOnce",
                        "tty"};
    container.children = {{"ports", {&container_port, true}}, {"env", {&env_var, true}}};
    pod_spec.fields = {"volumes",
                       "initContainers",
                       "containers",
                       "ephemeralContainers",
                       "restartPolicy",
                       "terminationGracePeriodSeconds",
                       "activeDeadlineSeconds",
                       "dnsPolicy",
                       "nodeSelector",
                       "serviceAccountName",
                       "serviceAccount",
                       "automountServiceAccountToken",
                       "nodeName",
                       "hostNetwork",
                       "hostPID",
                       "hostIPC",
                       "shareProcessNamespace",
                       "securityContext",
                       "imagePullSecrets",
                       "hostname",
                       "subdomain",
                       "affinity",
                       "schedulerName",
                       "tolerations",
                       "hostAliases",
                       "priorityClassName",
                       "priority",
                       "dnsConfig",
                       "readinessGates",
                       "runtimeClassName",
                       "enableServiceLinks",
                       "preemptionPolicy",
                       "overhead",
                       "topologySpreadConstraints",
                       "setHostnameAsFQDN",
                       "os",
                       "hostUsers",
                       "schedulingGates",
                       "resourceClaims",
                       "resources"};
    pod_spec.children = {{"containers", {&container, true}},
                         {"initContainers", {&container, true}}};
    template_spec.fields = {"metadata", "spec"};
    template_spec.children = {{"metadata", {&meta, false}}, {"spec", {&pod_spec, false}}};
    pod = Top(&meta, &pod_spec);
    deployment_spec.fields = {"replicas",        "selector",
                              "template",        "strategy",
                              "minReadySeconds", "revisionHistoryLimit",
                              "paused",          "progressDeadlineSeconds"};
    deployment_spec.children = {{"template", {&template_spec, false}}};
    deployment = Top(&meta, &deployment_spec);
    rs_spec.fields = {"replicas", "minReadySeconds", "selector", "template"};
    rs_spec.children = {{"template", {&template_spec, false}}};
    rs = Top(&meta, &rs_spec);
    ds_spec.fields = {"selector", "template", "updateStrategy", "minReadySeconds",
                      "revisionHistoryLimit"};
    ds_spec.children = {{"template", {&template_spec, false}}};
    ds = Top(&meta, &ds_spec);
    service_port.fields = {"name", "protocol", "appProtocol", "port", "targetPort", "nodePort"};
    service_spec.fields = {"ports",
                           "selector",
                           "clusterIP",
                           "clusterIPs",
                           "type",
                           "externalIPs",
                           "sessionAffinity",
                           "loadBalancerIP",
                           "loadBalancerSourceRanges",
                           "externalName",
                           "externalTrafficPolicy",
                           "healthCheckNodePort",
                           "publishNotReadyAddresses",
                           "sessionAffinityConfig",
                           "ipFamilies",
                           "ipFamilyPolicy",
                           "allocateLoadBalancerNodePorts",
                           "loadBalancerClass",
                           "internalTrafficPolicy",
                           "trafficDistribution"};
    service_spec.children = {{"ports", {&service_port, true}}};
    service = Top(&meta, &service_spec);
    node_spec.fields = {"podCIDR", "podCIDRs",     "providerID", "unschedulable",
                        "taints",  "configSource", "externalID"};
    node = Top(&meta, &node_spec);
    ns_spec.fields = {"finalizers"};
    ns = Top(&meta, &ns_spec);
  }
};

const KnownType* TypeForKind(const std::string& kind) {
  static const Schema* s = new Schema();
  if (kind == "Pod") return &s->pod;
  if (kind == "Deployment") return &s->deployment;
  if (kind == "ReplicaSet") return &s->rs;
  if (kind == "DaemonSet") return &s->ds;
  if (kind == "Service") return &s->service;
  if (kind == "Node") return &s->node;
  if (kind == "Namespace") return &s->ns;
  return nullptr;
}

void Prune(Object& obj, const KnownType& t, const std::string& path,
           std::vector<std::string>* unknown) {
  if (!obj.is_object()) return;
  std::vector<std::string> drop;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string child_path = path.empty() ? it.key() : path + "." + it.key();
    if (t.fields.count(it.key()) == 0) {
      drop.push_back(it.key());
      unknown->push_back(child_path);
      continue;
    }
    auto c = t.children.find(it.key());
    if (c == t.children.end()) continue;
    if (c->second.second) {
      if (!it.value().is_array()) continue;
      for (size_t i = 0; i < it.value().size(); ++i) {
        Prune(it.value()[i], *c->second.first, child_path + "[" + std::to_string(i) + "]", unknown);
      }
    } else {
      Prune(it.value(), *c->second.first, child_path, unknown);
    }
  }
  for (const auto& k : drop) obj.erase(k);
}

}  // namespace

std::vector<std::string> PruneUnknownFields(Object& obj, const std::string& kind) {
  std::vector<std::string> unknown;
  const KnownType* t = TypeForKind(kind);
  if (t != nullptr) Prune(obj, *t, "", &unknown);
  return unknown;
}

}  // namespace kubesim::api
