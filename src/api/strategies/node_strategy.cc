// v1 Node: pkg/registry/core/node/strategy.go, the v1 defaults
// (pkg/apis/core/v1/defaults.go) and printNode.

#include <set>
#include <string>
#include <vector>

#include "kubesim/api/validation.h"
#include "strategies.h"

namespace kubesim::api::strategies {
namespace {

constexpr char kLabelNodeRolePrefix[] = "node-role.kubernetes.io/";
constexpr char kNodeLabelRole[] = "kubernetes.io/role";

// What kube-apiserver serves for an object created with fields left out:
// the v1 defaults plus the non-omitempty structs of NodeSpec/NodeStatus.
void ApplyDefaults(Object& node) {
  if (!node.contains("spec") || !node["spec"].is_object()) node["spec"] = Object::object();
  if (!node.contains("status") || !node["status"].is_object()) node["status"] = Object::object();
  Object& status = node["status"];
  // SetDefaults_NodeStatus: allocatable defaults to capacity.
  if (!status.contains("allocatable") && status.contains("capacity") &&
      status["capacity"].is_object()) {
    status["allocatable"] = status["capacity"];
  }
  if (!status.contains("daemonEndpoints") || !status["daemonEndpoints"].is_object()) {
    status["daemonEndpoints"] = Object::object();
  }
  Object& endpoints = status["daemonEndpoints"];
  if (!endpoints.contains("kubeletEndpoint") || !endpoints["kubeletEndpoint"].is_object()) {
    endpoints["kubeletEndpoint"] = Object::object();
  }
  if (!endpoints["kubeletEndpoint"].contains("Port")) endpoints["kubeletEndpoint"]["Port"] = 0;
  if (!status.contains("nodeInfo") || !status["nodeInfo"].is_object()) {
    status["nodeInfo"] = Object::object();
  }
  Object& info = status["nodeInfo"];
  for (const char* key :
       {"architecture", "bootID", "containerRuntimeVersion", "kernelVersion", "kubeProxyVersion",
        "kubeletVersion", "machineID", "operatingSystem", "osImage", "systemUUID"}) {
    if (!info.contains(key)) info[key] = "";
  }
}

// The first address of `type` in status.addresses, or "<none>".
std::string NodeAddress(const Object& node, const std::string& type) {
  const Object* addresses = Find(node, "/status/addresses");
  if (addresses && addresses->is_array()) {
    for (const auto& a : *addresses) {
      if (Str(a, "type") == type) return Str(a, "address");
    }
  }
  return "<none>";
}

// findNodeRoles: node-role.kubernetes.io/<role> labels and
// kubernetes.io/role=<role>, sorted and de-duplicated.
std::vector<std::string> FindNodeRoles(const Object& node) {
  std::set<std::string> roles;
  const std::string prefix = kLabelNodeRolePrefix;
  for (const auto& [k, v] : Labels(node)) {
    if (k.rfind(prefix, 0) == 0) {
      std::string role = k.substr(prefix.size());
      if (!role.empty()) roles.insert(role);
    } else if (k == kNodeLabelRole && !v.empty()) {
      roles.insert(v);
    }
  }
  return {roles.begin(), roles.end()};
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string OrUnknown(std::string s) { return s.empty() ? "<unknown>" : s; }

class NodeStrategy final : public ResourceStrategy {
 public:
  NodeStrategy() {
    info_.gvr = {"", "v1", "nodes"};
    info_.kind = "Node";
    info_.singular = "node";
    info_.namespaced = false;
    info_.short_names = {"no"};
    info_.verbs = AllVerbs();
    info_.subresources = {"status"};             // (proxy is not served)
    info_.storage_prefix = "/registry/minions";  // sic: kube-apiserver's key
  }

  const ResourceInfo& info() const override { return info_; }

  // nodeStrategy.PrepareForCreate keeps the status (kubelets register with it).
  void PrepareForCreate(Object& obj) const override { ApplyDefaults(obj); }

  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    if (subresource == "status") {
      CopyField(obj, old_obj, "spec");  // nodeStatusStrategy
    } else {
      CopyField(obj, old_obj, "status");  // nodeStrategy
    }
    ApplyDefaults(obj);
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    ValidateTaints(obj, &errs);
    return errs;
  }

  std::vector<FieldError> ValidateUpdate(const Object& obj, const Object& old_obj) const override {
    std::vector<FieldError> errs = Validate(obj);
    // ValidateNodeUpdate: podCIDRs and providerID may only go from unset to set.
    const Object* old_cidrs = Find(old_obj, "/spec/podCIDRs");
    if (old_cidrs && old_cidrs->is_array() && !old_cidrs->empty()) {
      const Object* new_cidrs = Find(obj, "/spec/podCIDRs");
      const Object empty = Object::array();
      const Object& cidrs = new_cidrs && new_cidrs->is_array() ? *new_cidrs : empty;
      const char* msg = "node updates may not change podCIDR except from \"\" to valid";
      if (cidrs.size() != old_cidrs->size()) {
        errs.push_back({FieldError::Type::kForbidden, "spec.podCIDRs", nullptr, msg});
      } else {
        for (size_t i = 0; i < cidrs.size(); ++i) {
          if (cidrs[i] != (*old_cidrs)[i]) {
            errs.push_back({FieldError::Type::kForbidden, "spec.podCIDRs", nullptr, msg});
          }
        }
      }
    }
    const std::string old_provider = GetString(old_obj, "/spec/providerID");
    if (!old_provider.empty() && old_provider != GetString(obj, "/spec/providerID")) {
      errs.push_back({FieldError::Type::kForbidden, "spec.providerID", nullptr,
                      "node updates may not change providerID except from \"\" to valid"});
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Status", "string", "", "The status of the node"),
        Column("Roles", "string", "", "The roles of the node"),
        Column("Age", "string", "", kCreationTimestampDescription),
        Column("Version", "string", "", "Kubelet Version reported by the node."),
        Column("Internal-IP", "string", "", kAddressesDescription, 1),
        Column("External-IP", "string", "", kAddressesDescription, 1),
        Column("OS-Image", "string", "",
               "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
               "(wheezy)).",
               1),
        Column("Kernel-Version", "string", "",
               "Kernel Version reported by the node from 'uname -r' (e.g. "
               "3.16.0-0.bpo.4-amd64).",
               1),
        Column("Container-Runtime", "string", "",
               "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
               "containerd://1.4.2).",
               1),
    });
  }

  // printNode, with Wide (kube-apiserver always generates the wide cells).
  Object TableCells(const Object& obj, Time now) const override {
    // Only the Ready condition counts; the last one of that type wins.
    const Object* ready = nullptr;
    const Object* conditions = Find(obj, "/status/conditions");
    if (conditions && conditions->is_array()) {
      for (const auto& c : *conditions) {
        if (Str(c, "type") == "Ready") ready = &c;
      }
    }
    std::vector<std::string> status;
    if (ready) status.push_back(Str(*ready, "status") == "True" ? "Ready" : "NotReady");
    if (status.empty()) status.push_back("Unknown");
    const Object* unschedulable = Find(obj, "/spec/unschedulable");
    if (unschedulable && unschedulable->is_boolean() && unschedulable->get<bool>()) {
      status.push_back("SchedulingDisabled");
    }
    std::string roles = Join(FindNodeRoles(obj), ",");
    if (roles.empty()) roles = "<none>";
    return Object::array({
        Name(obj),
        Join(status, ","),
        roles,
        TranslateTimestampSince(obj, "/metadata/creationTimestamp", now),
        GetString(obj, "/status/nodeInfo/kubeletVersion"),
        NodeAddress(obj, "InternalIP"),
        NodeAddress(obj, "ExternalIP"),
        OrUnknown(GetString(obj, "/status/nodeInfo/osImage")),
        OrUnknown(GetString(obj, "/status/nodeInfo/kernelVersion")),
        OrUnknown(GetString(obj, "/status/nodeInfo/containerRuntimeVersion")),
    });
  }

  // NodeToSelectableFields: spec.unschedulable ("true"/"false") + metadata.name.
  bool FieldValue(const Object& obj, const std::string& field, std::string* out) const override {
    if (field == "spec.unschedulable") {
      const Object* u = Find(obj, "/spec/unschedulable");
      *out = u && u->is_boolean() && u->get<bool>() ? "true" : "false";
      return true;
    }
    return ResourceStrategy::FieldValue(obj, field, out);
  }

 private:
  static constexpr char kAddressesDescription[] =
      "List of addresses reachable to the node. Queried from cloud provider, if available. More "
      "info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field "
      "is declared as mergeable, but the merge key is not sufficiently unique, which can cause "
      "data corruption when it is merged. Callers should instead use a full-replacement patch. "
      "See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can "
      "change during the lifetime of a Node. However, there are some exceptions where this may "
      "not be possible, such as Pods that inherit a Node's address in its own status or "
      "consumers of the downward API (status.hostIP).";

  static void CopyField(Object& obj, const Object& old_obj, const char* key) {
    if (old_obj.is_object() && old_obj.contains(key)) {
      obj[key] = old_obj[key];
    } else {
      obj.erase(key);
    }
  }

  // validateNodeTaints (pkg/apis/core/validation).
  static void ValidateTaints(const Object& node, std::vector<FieldError>* errs) {
    const Object* taints = Find(node, "/spec/taints");
    if (!taints || !taints->is_array()) return;
    std::set<std::pair<std::string, std::string>> seen;  // (effect, key)
    for (size_t i = 0; i < taints->size(); ++i) {
      const Object& t = (*taints)[i];
      const std::string path = "spec.taints[" + std::to_string(i) + "]";
      const std::string key = Str(t, "key");
      const std::string value = Str(t, "value");
      const std::string effect = Str(t, "effect");
      for (const auto& msg : IsQualifiedName(key)) {
        errs->push_back({FieldError::Type::kInvalid, path + ".key", key, msg});
      }
      auto value_errs = IsValidLabelValue(value);
      if (!value_errs.empty()) {
        std::string joined;
        for (size_t j = 0; j < value_errs.size(); ++j) joined += (j ? ";" : "") + value_errs[j];
        errs->push_back({FieldError::Type::kInvalid, path + ".value", value, joined});
      }
      if (effect.empty()) {
        errs->push_back({FieldError::Type::kRequired, path + ".effect", nullptr, ""});
      } else if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute") {
        errs->push_back({FieldError::Type::kNotSupported, path + ".effect", effect,
                         "supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""});
      }
      if (!seen.insert({effect, key}).second) {
        errs->push_back({FieldError::Type::kDuplicate, path, t,
                         "taints must be unique by key and effect pair"});
      }
    }
  }

  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewNodeStrategy() { return std::make_unique<NodeStrategy>(); }

}  // namespace kubesim::api::strategies
