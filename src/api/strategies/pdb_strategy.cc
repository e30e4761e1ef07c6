// policy/v1 PodDisruptionBudget: pkg/registry/policy/poddisruptionbudget/
// strategy.go (status cleared on create, generation bumped on spec changes,
// status subresource), pkg/apis/policy/validation/validation.go
// (ValidatePodDisruptionBudgetSpec) and printPodDisruptionBudget in
// pkg/printers/internalversion/printers.go.
#include <cctype>

#include "kubesim/api/selectors.h"
#include "scheduling_common.h"
#include "workloads_common.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

bool Has(const Object& o, const char* key) {
  return o.is_object() && o.contains(key) && !o[key].is_null();
}

// IntOrString.String(): the integer or the string.
std::string IntOrStringText(const Object& v) {
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// apps validation: ValidatePositiveIntOrPercent + IsNotMoreThan100Percent.
void ValidateIntOrPercent(const Object& v, const std::string& path, std::vector<FieldError>* errs) {
  if (v.is_number_integer()) {
    if (v.get<int64_t>() < 0) {
      errs->push_back({Type::kInvalid, path, v, "must be greater than or equal to 0"});
    }
    return;
  }
  const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  bool percent = s.size() >= 2 && s.back() == '%';
  for (size_t i = 0; percent && i + 1 < s.size(); ++i) {
    percent = std::isdigit(static_cast<unsigned char>(s[i])) != 0;
  }
  if (!percent) {
    errs->push_back({Type::kInvalid, path, s,
                     "a valid percent string must be a numeric string followed by an ending "
                     "'%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"});
    return;
  }
  if (std::stoll(s.substr(0, std::min<size_t>(s.size() - 1, 12))) > 100) {
    errs->push_back({Type::kInvalid, path, s, "must not be greater than 100%"});
  }
}

class PodDisruptionBudgetStrategy final : public ResourceStrategy {
 public:
  PodDisruptionBudgetStrategy() {
    info_.gvr = {"policy", "v1", "poddisruptionbudgets"};
    info_.kind = "PodDisruptionBudget";
    info_.singular = "poddisruptionbudget";
    info_.namespaced = true;
    info_.short_names = {"pdb"};
    info_.verbs = AllVerbs();
    info_.subresources = {"status"};
    info_.storage_prefix = "/registry/poddisruptionbudgets";
  }
  const ResourceInfo& info() const override { return info_; }

  void PrepareForCreate(Object& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Object::object();
    // PodDisruptionBudgetStatus{}: its int32 fields have no omitempty.
    obj["status"] = Object{{"currentHealthy", 0},
                           {"desiredHealthy", 0},
                           {"disruptionsAllowed", 0},
                           {"expectedPods", 0}};
    obj["metadata"]["generation"] = 1;
  }

  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    workloads::PrepareWorkloadUpdate(obj, old_obj, subresource,
                                     /*annotations_bump_generation=*/false);
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    static const Object kEmpty = Object::object();
    const Object& spec = obj.contains("spec") && obj["spec"].is_object() ? obj["spec"] : kEmpty;
    if (Has(spec, "minAvailable") && Has(spec, "maxUnavailable")) {
      // Upstream prints the Go struct (%#v) as the bad value; kubesim prints
      // the spec as JSON.
      errs.push_back(
          {Type::kInvalid, "spec", spec, "minAvailable and maxUnavailable cannot be both set"});
    }
    if (Has(spec, "minAvailable"))
      ValidateIntOrPercent(spec["minAvailable"], "spec.minAvailable", &errs);
    if (Has(spec, "maxUnavailable")) {
      ValidateIntOrPercent(spec["maxUnavailable"], "spec.maxUnavailable", &errs);
    }
    if (Has(spec, "selector")) {
      auto sel = LabelSelector::FromObject(spec["selector"]);
      if (!sel.ok()) {
        errs.push_back({Type::kInvalid, "spec.selector", spec["selector"], sel.status().message()});
      }
    }
    const std::string policy = Str(spec, "unhealthyPodEvictionPolicy");
    if (!policy.empty() && policy != "IfHealthyBudget" && policy != "AlwaysAllow") {
      errs.push_back({Type::kNotSupported, "spec.unhealthyPodEvictionPolicy", policy,
                      "supported values: \"AlwaysAllow\", \"IfHealthyBudget\""});
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Min Available", "string", "", "The minimum number of pods that must be available."),
        Column("Max Unavailable", "string", "",
               "The maximum number of pods that may be unavailable."),
        Column("Allowed Disruptions", "integer", "",
               "Calculated number of pods that may be disrupted at this time."),
        Column("Age", "string", "", kCreationTimestampDescription),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    const Object* min = Find(obj, "/spec/minAvailable");
    const Object* max = Find(obj, "/spec/maxUnavailable");
    return Object::array({Name(obj), min && !min->is_null() ? IntOrStringText(*min) : "N/A",
                          max && !max->is_null() ? IntOrStringText(*max) : "N/A",
                          GetInt(obj, "/status/disruptionsAllowed"),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now)});
  }

 private:
  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewPodDisruptionBudgetStrategy() {
  return std::make_unique<PodDisruptionBudgetStrategy>();
}

}  // namespace kubesim::api::strategies
