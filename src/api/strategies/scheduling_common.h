// Private to src/api: the scheduling.k8s.io and policy kinds (PriorityClass,
// PodDisruptionBudget) and the constants they share with the Priority
// admission plugin (pkg/apis/scheduling/types.go).
#ifndef KUBESIM_SRC_API_STRATEGIES_SCHEDULING_COMMON_H_
#define KUBESIM_SRC_API_STRATEGIES_SCHEDULING_COMMON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "strategies.h"

namespace kubesim::api::strategies {

std::unique_ptr<ResourceStrategy> NewPriorityClassStrategy();        // scheduling.k8s.io/v1
std::unique_ptr<ResourceStrategy> NewPodDisruptionBudgetStrategy();  // policy/v1

namespace scheduling {

inline constexpr char kSystemPriorityClassPrefix[] = "system-";
inline constexpr int64_t kHighestUserDefinablePriority = 1000000000;
inline constexpr int64_t kSystemCriticalPriority = 2 * kHighestUserDefinablePriority;
inline constexpr int64_t kDefaultPriorityWhenNoDefaultClassExists = 0;

struct SystemPriorityClass {
  const char* name;
  int64_t value;
  const char* description;
};
// scheduling.SystemPriorityClasses(), in upstream's order.
const std::vector<SystemPriorityClass>& SystemPriorityClasses();
// IsKnownSystemPriorityClass: "" when (name, value, globalDefault) is one of
// the system classes, else upstream's error text.
std::string IsKnownSystemPriorityClass(const std::string& name, int64_t value, bool global_default);

}  // namespace scheduling
}  // namespace kubesim::api::strategies

#endif  // KUBESIM_SRC_API_STRATEGIES_SCHEDULING_COMMON_H_
