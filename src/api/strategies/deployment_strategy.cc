// apps/v1 Deployment: pkg/registry/apps/deployment/strategy.go (generation
// bumped on spec or annotation changes, status kept on main-resource
// updates), pkg/apis/apps/v1/defaults.go SetDefaults_Deployment,
// pkg/apis/apps/validation ValidateDeployment (the subset kubesim needs) and
// printDeployment in pkg/printers/internalversion/printers.go.
#include "workloads_common.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

class DeploymentStrategy final : public ResourceStrategy {
 public:
  DeploymentStrategy() {
    info_.gvr = {"apps", "v1", "deployments"};
    info_.kind = "Deployment";
    info_.singular = "deployment";
    info_.namespaced = true;
    info_.short_names = {"deploy"};
    info_.categories = {"all"};
    info_.verbs = AllVerbs();
    info_.subresources = {"scale", "status"};
    info_.storage_prefix = "/registry/deployments";
  }
  const ResourceInfo& info() const override { return info_; }

  // SetDefaults_Deployment.
  static void Default(Object& obj) {
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Object::object();
    Object& spec = obj["spec"];
    if (!spec.contains("replicas") || spec["replicas"].is_null()) spec["replicas"] = 1;
    if (!spec.contains("strategy") || !spec["strategy"].is_object())
      spec["strategy"] = Object::object();
    Object& strategy = spec["strategy"];
    if (Str(strategy, "type").empty()) strategy["type"] = "RollingUpdate";
    if (Str(strategy, "type") == "RollingUpdate") {
      if (!strategy.contains("rollingUpdate") || !strategy["rollingUpdate"].is_object())
        strategy["rollingUpdate"] = Object::object();
      Object& ru = strategy["rollingUpdate"];
      if (!ru.contains("maxUnavailable") || ru["maxUnavailable"].is_null())
        ru["maxUnavailable"] = "25%";
      if (!ru.contains("maxSurge") || ru["maxSurge"].is_null()) ru["maxSurge"] = "25%";
    }
    if (!spec.contains("revisionHistoryLimit") || spec["revisionHistoryLimit"].is_null())
      spec["revisionHistoryLimit"] = 10;
    if (!spec.contains("progressDeadlineSeconds") || spec["progressDeadlineSeconds"].is_null())
      spec["progressDeadlineSeconds"] = 600;
    if (!spec.contains("template") || !spec["template"].is_object())
      spec["template"] = Object::object();
    workloads::DefaultPodTemplate(spec["template"]);
  }

  void PrepareForCreate(Object& obj) const override {
    Default(obj);
    obj["status"] = Object::object();
    obj["metadata"]["generation"] = 1;
  }

  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    if (subresource.empty()) Default(obj);
    workloads::PrepareWorkloadUpdate(obj, old_obj, subresource,
                                     /*annotations_bump_generation=*/true);
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    workloads::ValidateWorkloadSpec(obj, &errs);
    const std::string type = GetString(obj, "/spec/strategy/type");
    if (type != "RollingUpdate" && type != "Recreate") {
      errs.push_back({Type::kNotSupported, "spec.strategy.type", type,
                      "supported values: \"Recreate\", \"RollingUpdate\""});
    }
    if (type == "Recreate" && Find(obj, "/spec/strategy/rollingUpdate")) {
      errs.push_back({Type::kForbidden, "spec.strategy.rollingUpdate", nullptr,
                      "may not be specified when strategy `type` is 'Recreate'"});
    }
    return errs;
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
        Column("Ready", "string", "", "Number of the pod with ready state"),
        Column("Up-to-date", "string", "",
               "Total number of non-terminated pods targeted by this deployment that have the "
               "desired template spec."),
        Column("Available", "string", "",
               "Total number of available pods (ready for at least minReadySeconds) targeted by "
               "this deployment."),
        Column("Age", "string", "", kCreationTimestampDescription),
        Column("Containers", "string", "", "Names of each container in the template.", 1),
        Column("Images", "string", "", "Images referenced by each container in the template.", 1),
        Column("Selector", "string", "",
               "Label selector for pods. Existing ReplicaSets whose pods are selected by this "
               "will be the ones affected by this deployment.",
               1),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    const int64_t desired = GetInt(obj, "/spec/replicas");
    const int64_t ready = GetInt(obj, "/status/readyReplicas");
    return Object::array({Name(obj), std::to_string(ready) + "/" + std::to_string(desired),
                          GetInt(obj, "/status/updatedReplicas"),
                          GetInt(obj, "/status/availableReplicas"),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now),
                          workloads::ContainerNames(obj), workloads::ContainerImages(obj),
                          workloads::FormatSelector(obj)});
  }

 private:
  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewDeploymentStrategy() {
  return std::make_unique<DeploymentStrategy>();
}

}  // namespace kubesim::api::strategies
