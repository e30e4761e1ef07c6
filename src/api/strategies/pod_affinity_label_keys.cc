// pkg/registry/core/pod/strategy.go (mutatePodAffinity,
// applyMatchLabelKeysAndMismatchLabelKeys, applyLabelKeysToLabelSelector)
// and pkg/apis/core/validation/validation.go
// (validateMatchLabelKeysAndMismatchLabelKeys, validateLabelKeys), 1.32.
#include "pod_affinity_label_keys.h"

#include <map>
#include <set>
#include <string>

#include "kubesim/api/object_meta.h"
#include "kubesim/api/validation.h"

namespace kubesim::api::strategies {
namespace {

using LabelMap = std::map<std::string, std::string>;

// Calls `fn(term, path)` for each pod affinity term of `spec`, in
// validateAffinity's order: podAffinity then podAntiAffinity, each
// required then preferred.
template <typename SpecT, typename Fn>
void ForEachTerm(SpecT& spec, Fn fn) {
  if (!spec.is_object() || !spec.contains("affinity") || !spec["affinity"].is_object()) return;
  auto& affinity = spec["affinity"];
  for (const char* kind : {"podAffinity", "podAntiAffinity"}) {
    if (!affinity.contains(kind) || !affinity[kind].is_object()) continue;
    auto& a = affinity[kind];
    const std::string base = std::string("spec.affinity.") + kind;
    const char* kRequired = "requiredDuringSchedulingIgnoredDuringExecution";
    const char* kPreferred = "preferredDuringSchedulingIgnoredDuringExecution";
    if (a.contains(kRequired) && a[kRequired].is_array()) {
      auto& terms = a[kRequired];
      for (size_t i = 0; i < terms.size(); ++i) {
        if (!terms[i].is_object()) continue;
        fn(terms[i], base + "." + kRequired + "[" + std::to_string(i) + "]");
      }
    }
    if (a.contains(kPreferred) && a[kPreferred].is_array()) {
      auto& terms = a[kPreferred];
      for (size_t i = 0; i < terms.size(); ++i) {
        if (!terms[i].is_object() || !terms[i].contains("podAffinityTerm") ||
            !terms[i]["podAffinityTerm"].is_object()) {
          continue;
        }
        fn(terms[i]["podAffinityTerm"],
           base + "." + kPreferred + "[" + std::to_string(i) + "].podAffinityTerm");
      }
    }
  }
}

std::vector<std::string> StringList(const Object& term, const char* key) {
  std::vector<std::string> out;
  if (!term.contains(key) || !term[key].is_array()) return out;
  for (const Object& v : term[key]) out.push_back(v.is_string() ? v.get<std::string>() : "");
  return out;
}

bool HasSelector(const Object& term) {
  return term.contains("labelSelector") && !term["labelSelector"].is_null();
}

// applyLabelKeysToLabelSelector.
void ApplyLabelKeys(Object& selector, const std::vector<std::string>& keys, const char* op,
                    const LabelMap& pod_labels) {
  for (const std::string& key : keys) {
    auto it = pod_labels.find(key);
    if (it == pod_labels.end()) continue;
    if (!selector.contains("matchExpressions") || !selector["matchExpressions"].is_array()) {
      selector["matchExpressions"] = Object::array();
    }
    selector["matchExpressions"].push_back(
        Object{{"key", key}, {"operator", op}, {"values", Object::array({it->second})}});
  }
}

// validateLabelKeys.
void ValidateLabelKeys(const std::string& path, const std::vector<std::string>& keys,
                       bool has_selector, std::vector<FieldError>* errs) {
  if (keys.empty()) return;
  if (!has_selector) {
    errs->push_back(
        FieldError::Forbidden(path, "must not be specified when labelSelector is not set"));
    return;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    // metav1validation.ValidateLabelName.
    for (const std::string& msg : IsQualifiedName(keys[i])) {
      errs->push_back(
          FieldError::Invalid(path + "[" + std::to_string(i) + "]", Object(keys[i]), msg));
    }
  }
}

}  // namespace

void MutatePodAffinity(Object& pod) {
  if (!pod.is_object() || !pod.contains("spec")) return;
  const LabelMap pod_labels = Labels(pod);
  ForEachTerm(pod["spec"], [&pod_labels](Object& term, const std::string&) {
    const std::vector<std::string> match = StringList(term, "matchLabelKeys");
    const std::vector<std::string> mismatch = StringList(term, "mismatchLabelKeys");
    // A nil labelSelector matches nothing: nothing to merge into.
    if ((match.empty() && mismatch.empty()) || !HasSelector(term) ||
        !term["labelSelector"].is_object()) {
      return;
    }
    ApplyLabelKeys(term["labelSelector"], match, "In", pod_labels);
    ApplyLabelKeys(term["labelSelector"], mismatch, "NotIn", pod_labels);
  });
}

void ValidatePodAffinityLabelKeys(const Object& spec, std::vector<FieldError>* errs) {
  ForEachTerm(spec, [errs](const Object& term, const std::string& path) {
    const std::vector<std::string> match = StringList(term, "matchLabelKeys");
    const std::vector<std::string> mismatch = StringList(term, "mismatchLabelKeys");
    const bool has_selector = HasSelector(term);
    // 1. Valid label names (and a labelSelector to merge them into).
    ValidateLabelKeys(path + ".matchLabelKeys", match, has_selector, errs);
    ValidateLabelKeys(path + ".mismatchLabelKeys", mismatch, has_selector, errs);
    // 2. A matchLabelKeys key already in the labelSelector: the merged
    // selector then carries it twice (the merge ran before validation).
    if (has_selector && term["labelSelector"].is_object()) {
      const Object& selector = term["labelSelector"];
      std::map<std::string, size_t> index;  // key -> its last index in matchLabelKeys
      for (size_t i = 0; i < match.size(); ++i) index[match[i]] = i;
      std::set<std::string> selector_keys;
      if (selector.contains("matchLabels") && selector["matchLabels"].is_object()) {
        for (auto it = selector["matchLabels"].begin(); it != selector["matchLabels"].end(); ++it) {
          selector_keys.insert(it.key());
        }
      }
      if (selector.contains("matchExpressions") && selector["matchExpressions"].is_array()) {
        for (const Object& expr : selector["matchExpressions"]) {
          const std::string key =
              expr.is_object() && expr.contains("key") && expr["key"].is_string()
                  ? expr["key"].get<std::string>()
                  : "";
          auto it = index.find(key);
          if (it != index.end() && selector_keys.contains(key)) {
            errs->push_back(FieldError::Invalid(path + "[" + std::to_string(it->second) + "]",
                                                Object(key),
                                                "exists in both matchLabelKeys and labelSelector"));
          }
          selector_keys.insert(key);
        }
      }
    }
    // 3. No key in both lists.
    const std::set<std::string> mismatch_set(mismatch.begin(), mismatch.end());
    for (size_t i = 0; i < match.size(); ++i) {
      if (mismatch_set.contains(match[i])) {
        errs->push_back(FieldError::Invalid(path + ".matchLabelKeys[" + std::to_string(i) + "]",
                                            Object(match[i]),
                                            "exists in both matchLabelKeys and mismatchLabelKeys"));
      }
    }
  });
}

}  // namespace kubesim::api::strategies
