// scheduling.k8s.io/v1 PriorityClass: pkg/registry/scheduling/priorityclass/
// strategy.go, pkg/apis/scheduling/v1/defaults.go (SetDefaults_PriorityClass:
// preemptionPolicy PreemptLowerPriority), pkg/apis/scheduling/validation/
// validation.go (ValidatePriorityClass, ValidatePriorityClassUpdate),
// pkg/apis/scheduling/types.go (the system classes) and printPriorityClass in
// pkg/printers/internalversion/printers.go.
#include "scheduling_common.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

class PriorityClassStrategy final : public ResourceStrategy {
 public:
  PriorityClassStrategy() {
    info_.gvr = {"scheduling.k8s.io", "v1", "priorityclasses"};
    info_.kind = "PriorityClass";
    info_.singular = "priorityclass";
    info_.namespaced = false;
    info_.short_names = {"pc"};
    info_.verbs = AllVerbs();
    info_.storage_prefix = "/registry/priorityclasses";
  }
  const ResourceInfo& info() const override { return info_; }

  static void Default(Object& obj) {
    if (Str(obj, "preemptionPolicy").empty()) obj["preemptionPolicy"] = "PreemptLowerPriority";
    // v1 `value` has no omitempty: a missing value is 0 on the wire.
    if (!obj.contains("value") || obj["value"].is_null()) obj["value"] = 0;
  }

  void PrepareForCreate(Object& obj) const override {
    Default(obj);
    obj["metadata"]["generation"] = 1;
  }
  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    Default(obj);
    // The generic registry keeps metadata.generation (PriorityClass has no
    // status, so the strategy does not bump it).
    const Object* gen = Find(old_obj, "/metadata/generation");
    if (gen) obj["metadata"]["generation"] = *gen;
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    const std::string name = Name(obj);
    const int64_t value = GetInt(obj, "/value");
    const bool global_default = obj.value("globalDefault", false) == true;
    if (name.rfind(scheduling::kSystemPriorityClassPrefix, 0) == 0) {
      std::string err = scheduling::IsKnownSystemPriorityClass(name, value, global_default);
      if (!err.empty()) {
        std::string detail = "priority class names with '";
        detail += scheduling::kSystemPriorityClassPrefix;
        detail += "' prefix are reserved for system use only. error: ";
        detail += err;
        errs.push_back(FieldError::Forbidden("metadata.name", detail));
      }
    } else if (value > scheduling::kHighestUserDefinablePriority) {
      errs.push_back(FieldError::Forbidden(
          "value", "maximum allowed value of a user defined priority is " +
                       std::to_string(scheduling::kHighestUserDefinablePriority)));
    }
    // Upstream calls ValidatePreemptionPolicy here but drops its result, so
    // an unknown policy is stored as given (and fails on the pods using it).
    return errs;
  }

  std::vector<FieldError> ValidateUpdate(const Object& obj, const Object& old_obj) const override {
    std::vector<FieldError> errs;
    if (GetInt(obj, "/value") != GetInt(old_obj, "/value")) {
      errs.push_back(FieldError::Forbidden("value", "may not be changed in an update."));
    }
    const std::string policy = Str(obj, "preemptionPolicy");
    if (policy != Str(old_obj, "preemptionPolicy")) {
      errs.push_back({Type::kInvalid, "preemptionPolicy", policy, "field is immutable"});
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Value", "integer", "",
               "value represents the integer value of this priority class. This is the actual "
               "priority that pods receive when they have the name of this class in their pod "
               "spec."),
        Column("Global-Default", "boolean", "",
               "globalDefault specifies whether this PriorityClass should be considered as the "
               "default priority for pods that do not have any priority class. Only one "
               "PriorityClass can be marked as `globalDefault`. However, if more than one "
               "PriorityClasses exists with their `globalDefault` field set to true, the "
               "smallest value of such global default PriorityClasses will be used as the "
               "default priority."),
        Column("Age", "string", "", kCreationTimestampDescription),
        Column("PreemptionPolicy", "string", "",
               "preemptionPolicy is the Policy for preempting pods with lower priority. One of "
               "Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    return Object::array({Name(obj), GetInt(obj, "/value"), obj.value("globalDefault", false),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now),
                          Str(obj, "preemptionPolicy")});
  }

 private:
  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewPriorityClassStrategy() {
  return std::make_unique<PriorityClassStrategy>();
}

}  // namespace kubesim::api::strategies
