// apps/v1 workload kinds and the helpers their strategies share.
// Upstream: pkg/apis/apps/v1/defaults.go, pkg/apis/core/v1/defaults.go,
// pkg/apis/apps/validation/validation.go, pkg/registry/apps/{deployment,
// replicaset}/strategy.go.
#include "kubesim/api/selectors.h"
#include "workloads_common.h"

namespace kubesim::api::strategies {
namespace workloads {
namespace {

bool IsArray(const Object& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_array();
}
bool IsObject(const Object& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_object();
}
bool Has(const Object& o, const char* key) {
  return o.is_object() && o.contains(key) && !o[key].is_null();
}

Object Normalize(const Object& v) {
  if (v.is_object()) {
    Object out = Object::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      Object n = Normalize(it.value());
      if (n.is_null() || ((n.is_object() || n.is_array()) && n.empty())) continue;
      out[it.key()] = std::move(n);
    }
    return out;
  }
  if (v.is_array()) {
    Object out = Object::array();
    for (const auto& e : v) out.push_back(Normalize(e));
    return out;
  }
  return v;
}

}  // namespace

void DefaultPodTemplate(Object& tmpl) {
  if (!tmpl.is_object()) tmpl = Object::object();
  if (!IsObject(tmpl, "spec")) tmpl["spec"] = Object::object();
  // A Go metav1.ObjectMeta serializes its zero creationTimestamp as null,
  // which kubectl shows in every template ("creationTimestamp: null").
  if (!IsObject(tmpl, "metadata")) tmpl["metadata"] = Object::object();
  if (!tmpl["metadata"].contains("creationTimestamp"))
    tmpl["metadata"]["creationTimestamp"] = nullptr;
  Object& spec = tmpl["spec"];
  if (Str(spec, "dnsPolicy").empty()) spec["dnsPolicy"] = "ClusterFirst";
  if (Str(spec, "restartPolicy").empty()) spec["restartPolicy"] = "Always";
  if (!IsObject(spec, "securityContext")) spec["securityContext"] = Object::object();
  if (!Has(spec, "terminationGracePeriodSeconds")) spec["terminationGracePeriodSeconds"] = 30;
  if (Str(spec, "schedulerName").empty()) spec["schedulerName"] = "default-scheduler";
  for (const char* list : {"containers", "initContainers"}) {
    if (!IsArray(spec, list)) continue;
    for (auto& c : spec[list]) DefaultTemplateContainer(c);
  }
  if (!Str(spec, "serviceAccountName").empty()) spec["serviceAccount"] = spec["serviceAccountName"];
}

void ValidateWorkloadSpec(const Object& obj, std::vector<FieldError>* errs,
                          const std::string& kind) {
  using Type = FieldError::Type;
  static const Object kEmpty = Object::object();
  const Object& spec = IsObject(obj, "spec") ? obj["spec"] : kEmpty;
  if (Has(spec, "replicas") && spec["replicas"].is_number_integer() &&
      spec["replicas"].get<int64_t>() < 0) {
    errs->push_back(
        {Type::kInvalid, "spec.replicas", spec["replicas"], "must be greater than or equal to 0"});
  }
  const Object* tmpl_labels = Find(obj, "/spec/template/metadata/labels");
  std::map<std::string, std::string> labels;
  if (tmpl_labels && tmpl_labels->is_object()) {
    for (auto it = tmpl_labels->begin(); it != tmpl_labels->end(); ++it) {
      if (it.value().is_string()) labels[it.key()] = it.value().get<std::string>();
    }
  }
  if (!IsObject(spec, "selector")) {
    errs->push_back({Type::kRequired, "spec.selector", nullptr, ""});
  } else {
    const Object& sel = spec["selector"];
    bool empty = (!IsObject(sel, "matchLabels") || sel["matchLabels"].empty()) &&
                 (!IsArray(sel, "matchExpressions") || sel["matchExpressions"].empty());
    if (empty) {
      errs->push_back(
          {Type::kInvalid, "spec.selector", sel, "empty selector is invalid for " + kind});
    } else {
      auto selector = LabelSelector::FromObject(sel);
      if (!selector.ok()) {
        errs->push_back({Type::kInvalid, "spec.selector", sel, selector.status().message()});
      } else if (!selector->Matches(labels)) {
        errs->push_back({Type::kInvalid, "spec.template.metadata.labels",
                         tmpl_labels ? *tmpl_labels : Object(),
                         "`selector` does not match template `labels`"});
      }
    }
  }
  const Object* containers = Find(obj, "/spec/template/spec/containers");
  if (!containers || !containers->is_array() || containers->empty()) {
    errs->push_back({Type::kRequired, "spec.template.spec.containers", nullptr, ""});
  } else {
    for (size_t i = 0; i < containers->size(); ++i) {
      const std::string path = "spec.template.spec.containers[" + std::to_string(i) + "]";
      if (Str((*containers)[i], "name").empty())
        errs->push_back({Type::kRequired, path + ".name", nullptr, ""});
      if (Str((*containers)[i], "image").empty())
        errs->push_back({Type::kRequired, path + ".image", nullptr, ""});
    }
  }
  const std::string restart = GetString(obj, "/spec/template/spec/restartPolicy");
  if (!restart.empty() && restart != "Always") {
    errs->push_back({Type::kNotSupported, "spec.template.spec.restartPolicy", restart,
                     "supported values: \"Always\""});
  }
}

bool SemanticEqual(const Object& a, const Object& b) { return Normalize(a) == Normalize(b); }

std::string ContainerNames(const Object& obj) {
  std::string out;
  const Object* cs = Find(obj, "/spec/template/spec/containers");
  if (cs && cs->is_array()) {
    for (const auto& c : *cs) out += (out.empty() ? "" : ",") + Str(c, "name");
  }
  return out;
}

std::string ContainerImages(const Object& obj) {
  std::string out;
  const Object* cs = Find(obj, "/spec/template/spec/containers");
  if (cs && cs->is_array()) {
    for (const auto& c : *cs) out += (out.empty() ? "" : ",") + Str(c, "image");
  }
  return out;
}

std::string FormatSelector(const Object& obj) {
  const Object* sel = Find(obj, "/spec/selector");
  if (!sel || !sel->is_object()) return "<none>";
  auto s = LabelSelector::FromObject(*sel);
  if (!s.ok()) return "<error>";
  std::string text = s->ToString();
  return text.empty() ? "<none>" : text;
}

void PrepareWorkloadUpdate(Object& obj, const Object& old_obj, const std::string& subresource,
                           bool annotations_bump_generation) {
  if (subresource == "status") {
    // Status strategy (deploymentStatusStrategy.PrepareForUpdate): the spec
    // and labels stay; status and annotations (the controller's revision
    // annotations travel this way) change.
    Object status = obj.contains("status") ? obj["status"] : Object::object();
    const Object* ann = Find(obj, "/metadata/annotations");
    Object annotations = ann ? *ann : Object();
    const std::string rv = GetString(obj, "/metadata/resourceVersion");
    obj = old_obj;
    obj["status"] = std::move(status);
    if (annotations.is_object()) {
      obj["metadata"]["annotations"] = std::move(annotations);
    } else {
      obj["metadata"].erase("annotations");
    }
    if (!rv.empty()) obj["metadata"]["resourceVersion"] = rv;
    return;
  }
  if (old_obj.contains("status")) {
    obj["status"] = old_obj["status"];
  } else {
    obj.erase("status");
  }
  int64_t gen = GetInt(old_obj, "/metadata/generation");
  if (gen == 0) gen = 1;
  const Object* ns = Find(obj, "/spec");
  const Object* os = Find(old_obj, "/spec");
  bool changed = !SemanticEqual(ns ? *ns : Object(), os ? *os : Object());
  if (annotations_bump_generation) {
    const Object* na = Find(obj, "/metadata/annotations");
    const Object* oa = Find(old_obj, "/metadata/annotations");
    changed = changed || !SemanticEqual(na ? *na : Object(), oa ? *oa : Object());
  }
  obj["metadata"]["generation"] = changed ? gen + 1 : gen;
}

}  // namespace workloads

void AddWorkloadResources(ResourceRegistry& registry) {
  // kube-apiserver's discovery order for apps/v1 (alphabetical), which
  // `api-resources` keeps within the group.
  registry.Add(NewControllerRevisionStrategy());
  registry.Add(NewDaemonSetStrategy());
  registry.Add(NewDeploymentStrategy());
  registry.Add(NewReplicaSetStrategy());
}

}  // namespace kubesim::api::strategies
