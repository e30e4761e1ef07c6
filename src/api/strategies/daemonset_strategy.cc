// apps/v1 DaemonSet: pkg/registry/apps/daemonset/strategy.go (status
// cleared on create; templateGeneration 1 on create and +1 whenever the pod
// template changes; generation bumped on spec changes),
// pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet,
// pkg/apis/apps/validation/validation.go ValidateDaemonSet (the subset
// kubesim models) and printDaemonSet in
// pkg/printers/internalversion/printers.go.
//
// The internal Spec.TemplateGeneration has no apps/v1 field: the v1
// conversion (pkg/apis/apps/v1/conversion.go) carries it in the annotation
// deprecated.daemonset.template.generation, which is how kubectl shows it and
// how kubesim stores it.
#include "kubesim/api/selectors.h"
#include "workloads_common.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

constexpr char kTemplateGenerationAnnotation[] = "deprecated.daemonset.template.generation";

// A non-negative int or a percentage ("25%"); false with `*value` untouched
// when malformed. Percent values are returned as their number.
bool IntOrPercent(const Object& v, int64_t* value, bool* percent) {
  *percent = false;
  if (v.is_number_integer()) {
    *value = v.get<int64_t>();
    return true;
  }
  if (!v.is_string()) return false;
  std::string s = v.get<std::string>();
  if (s.empty()) return false;
  if (s.back() == '%') {
    *percent = true;
    s.pop_back();
  }
  if (s.empty()) return false;
  try {
    size_t used = 0;
    *value = std::stoll(s, &used);
    return used == s.size();
  } catch (...) {
    return false;
  }
}

int64_t TemplateGenerationOf(const Object& obj) {
  const Object* a = Find(obj, "/metadata/annotations");
  if (!a || !a->is_object()) return 0;
  std::string v = Str(*a, kTemplateGenerationAnnotation);
  if (v.empty()) return 0;
  try {
    return std::stoll(v);
  } catch (...) {
    return 0;
  }
}

void SetTemplateGeneration(Object& obj, int64_t gen) {
  if (!obj["metadata"].contains("annotations") || !obj["metadata"]["annotations"].is_object())
    obj["metadata"]["annotations"] = Object::object();
  obj["metadata"]["annotations"][kTemplateGenerationAnnotation] = std::to_string(gen);
}

// metav1 labels.FormatLabels: "k=v,k2=v2" sorted by key, "<none>" if empty.
std::string FormatLabels(const Object* m) {
  if (!m || !m->is_object() || m->empty()) return "<none>";
  std::string out;
  for (auto it = m->begin(); it != m->end(); ++it) {  // nlohmann objects iterate sorted
    out += (out.empty() ? "" : ",") + it.key() + "=" +
           (it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  }
  return out;
}

class DaemonSetStrategy final : public ResourceStrategy {
 public:
  DaemonSetStrategy() {
    info_.gvr = {"apps", "v1", "daemonsets"};
    info_.kind = "DaemonSet";
    info_.singular = "daemonset";
    info_.namespaced = true;
    info_.short_names = {"ds"};
    info_.categories = {"all"};
    info_.verbs = AllVerbs();
    info_.subresources = {"status"};
    info_.storage_prefix = "/registry/daemonsets";
  }
  const ResourceInfo& info() const override { return info_; }

  // SetDefaults_DaemonSet, plus the template's pod defaults.
  static void Default(Object& obj) {
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Object::object();
    Object& spec = obj["spec"];
    if (!spec.contains("updateStrategy") || !spec["updateStrategy"].is_object())
      spec["updateStrategy"] = Object::object();
    Object& us = spec["updateStrategy"];
    if (Str(us, "type").empty()) us["type"] = "RollingUpdate";
    if (Str(us, "type") == "RollingUpdate") {
      if (!us.contains("rollingUpdate") || !us["rollingUpdate"].is_object())
        us["rollingUpdate"] = Object::object();
      Object& ru = us["rollingUpdate"];
      if (!ru.contains("maxUnavailable") || ru["maxUnavailable"].is_null())
        ru["maxUnavailable"] = 1;
      if (!ru.contains("maxSurge") || ru["maxSurge"].is_null()) ru["maxSurge"] = 0;
    }
    if (!spec.contains("revisionHistoryLimit") || spec["revisionHistoryLimit"].is_null())
      spec["revisionHistoryLimit"] = 10;
    if (!spec.contains("template") || !spec["template"].is_object())
      spec["template"] = Object::object();
    workloads::DefaultPodTemplate(spec["template"]);
  }

  void PrepareForCreate(Object& obj) const override {
    Default(obj);
    // DaemonSetStatus{}: the four counters without omitempty stay as 0.
    obj["status"] = Object{{"currentNumberScheduled", 0},
                           {"desiredNumberScheduled", 0},
                           {"numberMisscheduled", 0},
                           {"numberReady", 0}};
    obj["metadata"]["generation"] = 1;
    SetTemplateGeneration(obj, std::max<int64_t>(1, TemplateGenerationOf(obj)));
  }

  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    if (subresource.empty()) Default(obj);
    workloads::PrepareWorkloadUpdate(obj, old_obj, subresource,
                                     /*annotations_bump_generation=*/false);
    if (!subresource.empty()) return;
    // "update is not allowed to set TemplateGeneration"; a template change
    // bumps it.
    int64_t gen = TemplateGenerationOf(old_obj);
    const Object* nt = Find(obj, "/spec/template");
    const Object* ot = Find(old_obj, "/spec/template");
    if (!workloads::SemanticEqual(nt ? *nt : Object(), ot ? *ot : Object())) ++gen;
    SetTemplateGeneration(obj, std::max<int64_t>(1, gen));
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    workloads::ValidateWorkloadSpec(obj, &errs, "daemonset");
    if (const Object* ads = Find(obj, "/spec/template/spec/activeDeadlineSeconds");
        ads && !ads->is_null()) {
      errs.push_back({Type::kForbidden, "spec.template.spec.activeDeadlineSeconds", nullptr,
                      "activeDeadlineSeconds in DaemonSet is not Supported"});
    }
    // ValidateDaemonSetUpdateStrategy.
    const std::string type = GetString(obj, "/spec/updateStrategy/type");
    if (type == "RollingUpdate") {
      const Object* ru = Find(obj, "/spec/updateStrategy/rollingUpdate");
      if (!ru || !ru->is_object()) {
        errs.push_back({Type::kRequired, "spec.updateStrategy.rollingUpdate", nullptr, ""});
      } else {
        ValidateRollingUpdate(*ru, &errs);
      }
    } else if (type != "OnDelete") {
      const Object* us = Find(obj, "/spec/updateStrategy");
      errs.push_back({Type::kNotSupported, "spec.updateStrategy", us ? *us : Object(),
                      "supported values: \"RollingUpdate\", \"OnDelete\""});
    }
    if (const Object* rhl = Find(obj, "/spec/revisionHistoryLimit");
        rhl && rhl->is_number_integer() && rhl->get<int64_t>() < 0) {
      errs.push_back({Type::kInvalid, "spec.revisionHistoryLimit", *rhl,
                      "must be greater than or equal to 0"});
    }
    if (const Object* mrs = Find(obj, "/spec/minReadySeconds");
        mrs && mrs->is_number_integer() && mrs->get<int64_t>() < 0) {
      errs.push_back(
          {Type::kInvalid, "spec.minReadySeconds", *mrs, "must be greater than or equal to 0"});
    }
    return errs;
  }

  // ValidateRollingUpdateDaemonSet: exactly one of maxUnavailable and
  // maxSurge is non-zero.
  static void ValidateRollingUpdate(const Object& ru, std::vector<FieldError>* errs) {
    bool has_unavailable = false, has_surge = false;
    for (const char* field : {"maxUnavailable", "maxSurge"}) {
      if (!ru.contains(field) || ru[field].is_null()) continue;
      const std::string path = std::string("spec.updateStrategy.rollingUpdate.") + field;
      int64_t v = 0;
      bool pct = false;
      if (!IntOrPercent(ru[field], &v, &pct)) {
        errs->push_back({Type::kInvalid, path, ru[field],
                         "a valid percent string must be a numeric string followed by an ending "
                         "'%' (e.g. '1%',  or '93%', regex used for validation is "
                         "'[0-9]+%')"});
        continue;
      }
      if (v == 0) continue;
      (std::string(field) == "maxSurge" ? has_surge : has_unavailable) = true;
      if (v < 0) {
        errs->push_back({Type::kInvalid, path, ru[field], "must be greater than or equal to 0"});
      } else if (pct && v > 100) {
        errs->push_back({Type::kInvalid, path, ru[field], "must not be greater than 100%"});
      }
    }
    if (has_unavailable && has_surge) {
      errs->push_back({Type::kInvalid, "spec.updateStrategy.rollingUpdate.maxSurge", ru["maxSurge"],
                       "may not be set when maxUnavailable is non-zero"});
    } else if (!has_unavailable && !has_surge) {
      errs->push_back({Type::kRequired, "spec.updateStrategy.rollingUpdate.maxUnavailable", nullptr,
                       "cannot be 0 when maxSurge is 0"});
    }
  }

  std::vector<FieldError> ValidateUpdate(const Object& obj, const Object& old_obj) const override {
    std::vector<FieldError> errs = Validate(obj);
    const Object* ns = Find(obj, "/spec/selector");
    const Object* os = Find(old_obj, "/spec/selector");
    if (ns && os && !workloads::SemanticEqual(*ns, *os)) {
      errs.push_back({Type::kInvalid, "spec.selector", *ns, "field is immutable"});
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Desired", "integer", "",
               "The total number of nodes that should be running the daemon pod (including "
               "nodes correctly running the daemon pod). More info: "
               "https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
        Column("Current", "integer", "",
               "The number of nodes that are running at least 1 daemon pod and are supposed to "
               "run the daemon pod. More info: "
               "https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
        Column("Ready", "integer", "",
               "numberReady is the number of nodes that should be running the daemon pod and "
               "have one or more of the daemon pod running with a Ready Condition."),
        Column("Up-to-date", "integer", "",
               "The total number of nodes that are running updated daemon pod"),
        Column("Available", "integer", "",
               "The number of nodes that should be running the daemon pod and have one or more "
               "of the daemon pod running and available (ready for at least "
               "spec.minReadySeconds)"),
        Column("Node Selector", "string", "",
               "NodeSelector is a selector which must be true for the pod to fit on a node. "
               "Selector which must match a node's labels for the pod to be scheduled on that "
               "node. More info: "
               "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
        Column("Age", "string", "", kCreationTimestampDescription),
        Column("Containers", "string", "", "Names of each container in the template.", 1),
        Column("Images", "string", "", "Images referenced by each container in the template.", 1),
        Column("Selector", "string", "",
               "A label query over pods that are managed by the daemon set. Must match in order "
               "to be controlled. It must match the pod template's labels. More info: "
               "https://kubernetes.io/docs/concepts/overview/working-with-objects/"
               "labels/#label-selectors",
               1),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    return Object::array(
        {Name(obj), GetInt(obj, "/status/desiredNumberScheduled"),
         GetInt(obj, "/status/currentNumberScheduled"), GetInt(obj, "/status/numberReady"),
         GetInt(obj, "/status/updatedNumberScheduled"), GetInt(obj, "/status/numberAvailable"),
         FormatLabels(Find(obj, "/spec/template/spec/nodeSelector")),
         TranslateTimestampSince(obj, "/metadata/creationTimestamp", now),
         workloads::ContainerNames(obj), workloads::ContainerImages(obj),
         workloads::FormatSelector(obj)});
  }

 private:
  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewDaemonSetStrategy() {
  return std::make_unique<DaemonSetStrategy>();
}

}  // namespace kubesim::api::strategies
