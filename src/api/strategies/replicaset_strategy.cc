// apps/v1 ReplicaSet: pkg/registry/apps/replicaset/strategy.go (generation
// bumped on spec changes), pkg/apis/apps/v1/defaults.go
// SetDefaults_ReplicaSet, ValidateReplicaSet (subset) and printReplicaSet in
// pkg/printers/internalversion/printers.go.
#include "workloads_common.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

class ReplicaSetStrategy final : public ResourceStrategy {
 public:
  ReplicaSetStrategy() {
    info_.gvr = {"apps", "v1", "replicasets"};
    info_.kind = "ReplicaSet";
    info_.singular = "replicaset";
    info_.namespaced = true;
    info_.short_names = {"rs"};
    info_.categories = {"all"};
    info_.verbs = AllVerbs();
    info_.subresources = {"scale", "status"};
    info_.storage_prefix = "/registry/replicasets";
  }
  const ResourceInfo& info() const override { return info_; }

  static void Default(Object& obj) {
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Object::object();
    Object& spec = obj["spec"];
    if (!spec.contains("replicas") || spec["replicas"].is_null()) spec["replicas"] = 1;
    if (!spec.contains("template") || !spec["template"].is_object())
      spec["template"] = Object::object();
    workloads::DefaultPodTemplate(spec["template"]);
  }

  void PrepareForCreate(Object& obj) const override {
    Default(obj);
    obj["status"] = Object{{"replicas", 0}};
    obj["metadata"]["generation"] = 1;
  }

  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    if (subresource.empty()) Default(obj);
    workloads::PrepareWorkloadUpdate(obj, old_obj, subresource,
                                     /*annotations_bump_generation=*/false);
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    workloads::ValidateWorkloadSpec(obj, &errs);
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
        Column("Desired", "integer", "", "Number of desired pods"),
        Column("Current", "integer", "", "Number of actively running pods"),
        Column("Ready", "integer", "", "Number of pods ready"),
        Column("Age", "string", "", kCreationTimestampDescription),
        Column("Containers", "string", "", "Names of each container in the template.", 1),
        Column("Images", "string", "", "Images referenced by each container in the template.", 1),
        Column("Selector", "string", "",
               "Selector is a label query over pods that should match the replica count. Label "
               "keys and values that must match in order to be controlled by this replica set. "
               "It must match the pod template's labels. More info: "
               "https://kubernetes.io/docs/concepts/overview/working-with-objects/"
               "labels/#label-selectors",
               1),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    return Object::array({Name(obj), GetInt(obj, "/spec/replicas"), GetInt(obj, "/status/replicas"),
                          GetInt(obj, "/status/readyReplicas"),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now),
                          workloads::ContainerNames(obj), workloads::ContainerImages(obj),
                          workloads::FormatSelector(obj)});
  }

 private:
  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewReplicaSetStrategy() {
  return std::make_unique<ReplicaSetStrategy>();
}

}  // namespace kubesim::api::strategies
