// scheduling.k8s.io/v1 PriorityClasses and policy/v1 PodDisruptionBudgets,
// with the Priority admission plugin that reads PriorityClasses.
#include "../admission/priority_admission.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/policy.h"
#include "kubesim/api/selectors.h"
#include "scheduling_common.h"

namespace kubesim::api::strategies {
namespace scheduling {

const std::vector<SystemPriorityClass>& SystemPriorityClasses() {
  // pkg/apis/scheduling/types.go systemPriorityClasses.
  static const std::vector<SystemPriorityClass> classes = {
      {"system-node-critical", kSystemCriticalPriority + 1000,
       "Used for system critical pods that must not be moved from their current node."},
      {"system-cluster-critical", kSystemCriticalPriority,
       "Used for system critical pods that must run in the cluster, but can be moved to another "
       "node if necessary."},
  };
  return classes;
}

std::string IsKnownSystemPriorityClass(const std::string& name, int64_t value,
                                       bool global_default) {
  for (const auto& spc : SystemPriorityClasses()) {
    if (spc.name != name) continue;
    if (spc.value != value) {
      return "value of " + name + " PriorityClass must be " + std::to_string(spc.value);
    }
    if (global_default) return "globalDefault of " + name + " PriorityClass must be false";
    return "";
  }
  return name + " is not a known system priority class";
}

}  // namespace scheduling

void AddSchedulingResources(ResourceRegistry& registry) {
  registry.Add(NewPodDisruptionBudgetStrategy());
  registry.Add(NewPriorityClassStrategy());
  registry.AddAdmissionPlugin(admission::NewPriorityPlugin());
}

}  // namespace kubesim::api::strategies

namespace kubesim::api {

std::vector<Object> SystemPriorityClassObjects() {
  std::vector<Object> out;
  for (const auto& spc : strategies::scheduling::SystemPriorityClasses()) {
    out.push_back({{"apiVersion", "scheduling.k8s.io/v1"},
                   {"kind", "PriorityClass"},
                   {"metadata", {{"name", spc.name}}},
                   {"value", spc.value},
                   {"description", spc.description}});
  }
  return out;
}

bool PodDisruptionBudgetCoversPod(const Object& pdb, const Object& pod) {
  if (Namespace(pdb) != Namespace(pod)) return false;
  const Object* sel = Find(pdb, "/spec/selector");
  if (sel == nullptr || !sel->is_object()) return false;
  auto selector = LabelSelector::FromObject(*sel);
  if (!selector.ok()) return false;
  return selector->Matches(Labels(pod));
}

}  // namespace kubesim::api
