// Taints and tolerations, as k8s.io/api/core/v1/toleration.go
// (Toleration.ToleratesTaint) and pkg/apis/core/v1/helper/helpers.go
// (TolerationsTolerateTaint, FindMatchingUntoleratedTaint), Kubernetes 1.32.
//
// Thread-safety: plain values.
#ifndef KUBESIM_SRC_SCHEDULER_TAINTS_H_
#define KUBESIM_SRC_SCHEDULER_TAINTS_H_

#include <string>
#include <vector>

#include "kubesim/api/types.h"

namespace kubesim::scheduler {

struct Taint {
  std::string key, value, effect;  // effect: NoSchedule, PreferNoSchedule, NoExecute
};

struct Toleration {
  std::string key, op, value, effect;  // op: "", "Equal" or "Exists"

  // Toleration.ToleratesTaint: an empty effect matches every effect, an
  // empty key (with Exists) every key; Equal (or "") compares values.
  bool ToleratesTaint(const Taint& taint) const;
};

// From node.spec.taints / pod.spec.tolerations (missing fields read "").
std::vector<Taint> ParseTaints(const api::Object* taints);
std::vector<Toleration> ParseTolerations(const api::Object* tolerations);

bool TolerationsTolerateTaint(const std::vector<Toleration>& tolerations, const Taint& taint);

// The first taint (in node order) that passes `filter` (a callable
// bool(const Taint&)) and that no toleration tolerates; nullptr when all
// such taints are tolerated. A template rather than a std::function: the
// TaintToleration filter calls it per node and cycle.
template <typename Filter>
const Taint* FindMatchingUntoleratedTaint(const std::vector<Taint>& taints,
                                          const std::vector<Toleration>& tolerations,
                                          const Filter& filter) {
  for (const Taint& taint : taints) {
    if (!filter(taint)) continue;
    if (!TolerationsTolerateTaint(tolerations, taint)) return &taint;
  }
  return nullptr;
}

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_TAINTS_H_
