// Node selectors and node affinity, as
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
// (LazyErrorNodeSelector, RequiredNodeAffinity, PreferredSchedulingTerms)
// with the requirement semantics of apimachinery's labels.Requirement.
//
// Terms are parsed once per pod (in PreFilter/PreScore) and then matched
// against many nodes.
//
// Thread-safety: plain values.
#ifndef KUBESIM_SRC_SCHEDULER_NODE_SELECTOR_H_
#define KUBESIM_SRC_SCHEDULER_NODE_SELECTOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/api/types.h"

namespace kubesim::scheduler {

using Labels = std::map<std::string, std::string>;

// One v1.NodeSelectorTerm: matchExpressions (on labels) and matchFields (on
// metadata.name) are ANDed.
class NodeSelectorTerm {
 public:
  explicit NodeSelectorTerm(const api::Object& term);
  // A term that failed to parse (e.g. Gt with a non-integer) matches nothing.
  bool Matches(const Labels& labels, const std::string& node_name) const;
  // An empty term (no expressions, no fields) selects nothing; callers skip it.
  bool empty() const { return empty_; }

 private:
  struct Requirement {
    std::string key, op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> expressions_;
  std::vector<Requirement> fields_;
  bool empty_ = true;
  bool parse_error_ = false;
};

// v1.NodeSelector: terms are ORed; empty terms are dropped, so a selector
// without any non-empty term matches no node.
class NodeSelector {
 public:
  explicit NodeSelector(const api::Object& selector);
  bool Matches(const Labels& labels, const std::string& node_name) const;

 private:
  std::vector<NodeSelectorTerm> terms_;
};

// nodeaffinity.RequiredNodeAffinity: pod.spec.nodeSelector (every pair must
// be a node label) AND requiredDuringSchedulingIgnoredDuringExecution.
class RequiredNodeAffinity {
 public:
  explicit RequiredNodeAffinity(const api::Object& pod);
  bool Matches(const Labels& labels, const std::string& node_name) const;

 private:
  std::map<std::string, std::string> node_selector_;
  std::optional<NodeSelector> required_;
};

// nodeaffinity.PreferredSchedulingTerms: the sum of the weights of the terms
// a node matches (terms with weight 0 or no requirements are dropped).
class PreferredSchedulingTerms {
 public:
  explicit PreferredSchedulingTerms(const api::Object* terms);
  int64_t Score(const Labels& labels, const std::string& node_name) const;
  bool empty() const { return terms_.empty(); }

 private:
  std::vector<std::pair<NodeSelectorTerm, int64_t>> terms_;
};

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_NODE_SELECTOR_H_
