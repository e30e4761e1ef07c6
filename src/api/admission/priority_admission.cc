// The Priority admission plugin, plugin/pkg/admission/priority/admission.go
// (Kubernetes 1.32):
// - pods, create: resolve spec.priorityClassName (or the global default
//   class, the one with the lowest value if several) into spec.priority and
//   spec.preemptionPolicy; an unknown class, or a priority/preemptionPolicy
//   in the spec that differs from the computed one, is Forbidden;
// - pods, update: keep the priority computed at create;
// - priorityclasses, create/update (validate): only one globalDefault.
#include "priority_admission.h"

#include "kubesim/api/admission.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::api::admission {
namespace {

const GroupVersionResource kPriorityClasses{"scheduling.k8s.io", "v1", "priorityclasses"};

// getDefaultPriorityClass: the lowest-valued class with globalDefault, or
// nullptr.
ObjectPtr DefaultPriorityClass(const ObjectReader& reader) {
  ObjectPtr best;
  for (ObjectPtr& pc : reader.List(kPriorityClasses, "")) {
    if (pc->value("globalDefault", false) != true) continue;
    if (!best || GetInt(*best, "/value") > GetInt(*pc, "/value")) best = std::move(pc);
  }
  return best;
}

class PriorityPlugin final : public AdmissionPlugin {
 public:
  std::string Name() const override { return "Priority"; }

  Status Mutate(const AdmissionAttributes& a, Object& obj,
                const ObjectReader& reader) const override {
    if (!a.subresource.empty() || a.gvr != kPods) return Status::Ok();
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Object::object();
    Object& spec = obj["spec"];
    if (a.operation == Verb::kUpdate) {
      // Validation forbids changing priority; keep what create computed.
      if (a.old_obj != nullptr) {
        const Object* old_priority = Find(*a.old_obj, "/spec/priority");
        if ((!spec.contains("priority") || spec["priority"].is_null()) && old_priority) {
          spec["priority"] = *old_priority;
        }
      }
      return Status::Ok();
    }
    if (a.operation != Verb::kCreate) return Status::Ok();
    int64_t priority = 0;
    Object preemption_policy;  // null = the class sets none
    const std::string class_name = spec.value("priorityClassName", "");
    if (class_name.empty()) {
      // getDefaultPriority: the default class's name, value and policy, or
      // 0 and PreemptLowerPriority when there is none.
      ObjectPtr dpc = DefaultPriorityClass(reader);
      if (dpc) {
        spec["priorityClassName"] = api::Name(*dpc);
        priority = GetInt(*dpc, "/value");
        if (dpc->contains("preemptionPolicy")) preemption_policy = (*dpc)["preemptionPolicy"];
      } else {
        priority = 0;  // scheduling.DefaultPriorityWhenNoDefaultClassExists
        preemption_policy = "PreemptLowerPriority";
      }
    } else {
      auto pc = reader.Get(kPriorityClasses, "", class_name);
      if (!pc.ok()) {
        if (pc.status().code() == StatusCode::kNotFound) {
          return NewForbidden(a, "no PriorityClass with name " + class_name + " was found");
        }
        return Status::Internal("failed to get PriorityClass with name " + class_name + ": " +
                                pc.status().message());
      }
      priority = GetInt(**pc, "/value");
      if ((*pc)->contains("preemptionPolicy")) preemption_policy = (**pc)["preemptionPolicy"];
    }
    if (spec.contains("priority") && !spec["priority"].is_null()) {
      const Object& given = spec["priority"];
      if (!given.is_number_integer() || given.get<int64_t>() != priority) {
        return NewForbidden(a, "the integer value of priority (" + given.dump() +
                                   ") must not be provided in pod spec; priority admission "
                                   "controller computed " +
                                   std::to_string(priority) + " from the given PriorityClass name");
      }
    }
    spec["priority"] = priority;
    if (preemption_policy.is_string()) {
      const std::string computed = preemption_policy.get<std::string>();
      if (spec.contains("preemptionPolicy") && spec["preemptionPolicy"].is_string() &&
          spec["preemptionPolicy"].get<std::string>() != computed) {
        return NewForbidden(a, "the string value of PreemptionPolicy (" +
                                   spec["preemptionPolicy"].get<std::string>() +
                                   ") must not be provided in pod spec; priority admission "
                                   "controller computed " +
                                   computed + " from the given PriorityClass name");
      }
      spec["preemptionPolicy"] = computed;
    }
    return Status::Ok();
  }

  Status Validate(const AdmissionAttributes& a, const Object& obj,
                  const ObjectReader& reader) const override {
    if (!a.subresource.empty() || a.gvr != kPriorityClasses) return Status::Ok();
    if (obj.value("globalDefault", false) != true) return Status::Ok();
    ObjectPtr dpc = DefaultPriorityClass(reader);
    if (!dpc) return Status::Ok();
    if (a.operation == Verb::kCreate ||
        (a.operation == Verb::kUpdate && api::Name(*dpc) != api::Name(obj))) {
      return NewForbidden(a, "PriorityClass " + api::Name(*dpc) +
                                 " is already marked as default. Only one default can exist");
    }
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<AdmissionPlugin> NewPriorityPlugin() { return std::make_unique<PriorityPlugin>(); }

}  // namespace kubesim::api::admission
