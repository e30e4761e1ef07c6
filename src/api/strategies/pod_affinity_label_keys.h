// matchLabelKeys / mismatchLabelKeys of pod (anti-)affinity terms
// (KEP-3633, feature gate MatchLabelKeysInPodAffinity: beta and on by
// default in 1.32, pkg/features/kube_features.go). The kube-apiserver, not
// the scheduler, merges them into each term's labelSelector when a pod is
// created (pkg/registry/core/pod/strategy.go mutatePodAffinity, called from
// podStrategy.PrepareForCreate), and validates them
// (pkg/apis/core/validation/validation.go
// validateMatchLabelKeysAndMismatchLabelKeys) after that merge.
//
// Thread-safety: pure functions.
#ifndef KUBESIM_SRC_API_STRATEGIES_POD_AFFINITY_LABEL_KEYS_H_
#define KUBESIM_SRC_API_STRATEGIES_POD_AFFINITY_LABEL_KEYS_H_

#include <vector>

#include "kubesim/api/errors.h"
#include "kubesim/api/types.h"

namespace kubesim::api::strategies {

// mutatePodAffinity: for every required and preferred term of
// spec.affinity.podAffinity and .podAntiAffinity that has a labelSelector,
// appends to its matchExpressions `key In [value]` for each matchLabelKeys
// entry and `key NotIn [value]` for each mismatchLabelKeys entry whose key
// the pod's labels carry (keys the pod lacks are skipped). Terms without a
// labelSelector (which match nothing) are left alone. matchLabelKeys and
// mismatchLabelKeys themselves stay in the object, as upstream.
void MutatePodAffinity(Object& pod);

// validateMatchLabelKeysAndMismatchLabelKeys for every pod (anti-)affinity
// term of `spec` (a pod spec), appending to `errs` in upstream's order and
// wording:
//   <term>.matchLabelKeys: Forbidden: must not be specified when
//     labelSelector is not set   (likewise mismatchLabelKeys)
//   <term>.matchLabelKeys[i]: Invalid value: "k": <label name problem>
//   <term>[i]: Invalid value: "k": exists in both matchLabelKeys and
//     labelSelector   (upstream's path omits "matchLabelKeys" here)
//   <term>.matchLabelKeys[i]: Invalid value: "k": exists in both
//     matchLabelKeys and mismatchLabelKeys
// where <term> is e.g. spec.affinity.podAffinity.
// requiredDuringSchedulingIgnoredDuringExecution[0] or
// ...preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.
void ValidatePodAffinityLabelKeys(const Object& spec, std::vector<FieldError>* errs);

}  // namespace kubesim::api::strategies

#endif  // KUBESIM_SRC_API_STRATEGIES_POD_AFFINITY_LABEL_KEYS_H_
