// pkg/scheduler/framework/plugins/interpodaffinity (Kubernetes 1.32):
// filtering.go (required affinity / anti-affinity of the incoming pod and
// the required anti-affinity of existing pods, counted per topology pair in
// PreFilter) and scoring.go (preferred terms of both sides, plus existing
// pods' required affinity at hardPodAffinityWeight, summed per topology
// pair in PreScore; normalized min-max onto 0..100).
//
// namespaceSelector as upstream: the incoming pod's terms get the matching
// namespaces merged in (mergeAffinityTermNamespacesIfNotEmpty), existing
// pods' terms are matched against the incoming pod's namespace labels
// (GetNamespaceLabelsSnapshot), both from the scheduler's namespace lister.
#include <limits>
#include <map>
#include <optional>

#include "in_tree.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler::plugins {
namespace {

using framework::Code;
using framework::QueueingHint;
using TopologyPair = std::pair<std::string, std::string>;

constexpr char kPreFilterStateKey[] = "PreFilterInterPodAffinity";
constexpr char kPreScoreStateKey[] = "PreScoreInterPodAffinity";
// ErrReason*.
constexpr char kErrReasonExistingAntiAffinityRulesNotMatch[] =
    "node(s) didn't satisfy existing pods anti-affinity rules";
constexpr char kErrReasonAffinityRulesNotMatch[] = "node(s) didn't match pod affinity rules";
constexpr char kErrReasonAntiAffinityRulesNotMatch[] =
    "node(s) didn't match pod anti-affinity rules";

struct PreFilterState final : framework::StateData {
  // The incoming pod's required terms with namespaceSelectors resolved
  // (only when it has any; otherwise the PodInfo's own are used).
  bool merged = false;
  std::vector<AffinityTerm> required_affinity, required_anti_affinity;
  std::map<TopologyPair, int64_t> existing_anti_affinity_counts;
  std::map<TopologyPair, int64_t> affinity_counts;
  std::map<TopologyPair, int64_t> anti_affinity_counts;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreFilterState>(*this);
  }
};

struct PreScoreState final : framework::StateData {
  // topology key -> value -> score.
  std::map<std::string, std::map<std::string, int64_t>> topology_score;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreScoreState>(*this);
  }
};

// GetNamespaceLabelsSnapshot: the labels of namespace `ns` (empty if the
// lister does not have it).
Labels NamespaceLabels(framework::Handle& handle, const std::string& ns) {
  for (const api::ObjectPtr& n : handle.ListNamespaces()) {
    if (api::Name(*n) == ns) return api::Labels(*n);
  }
  return {};
}

// mergeAffinityTermNamespacesIfNotEmpty: a copy of `terms` whose
// namespaceSelectors are replaced by the namespaces they select now.
std::vector<AffinityTerm> MergeNamespaces(framework::Handle& handle,
                                          const std::vector<AffinityTerm>& terms) {
  std::vector<AffinityTerm> out = terms;
  std::vector<api::ObjectPtr> namespaces;
  for (AffinityTerm& t : out) {
    if (!t.has_namespace_selector) continue;
    if (namespaces.empty()) namespaces = handle.ListNamespaces();
    for (const api::ObjectPtr& n : namespaces) {
      if (t.namespace_selector.Matches(api::Labels(*n))) t.namespaces.insert(api::Name(*n));
    }
    t.namespace_selector = api::LabelSelector::Nothing();
    t.has_namespace_selector = false;
  }
  return out;
}

bool PodMatchesAllAffinityTerms(const std::vector<AffinityTerm>& terms, const PodInfo& pod) {
  if (terms.empty()) return false;
  for (const AffinityTerm& t : terms) {
    if (!t.Matches(pod.ns, pod.labels)) return false;
  }
  return true;
}

// `ns_labels`: the incoming pod's namespace labels, for an existing pod's
// term matched against the incoming pod.
void ProcessTerm(std::map<std::string, std::map<std::string, int64_t>>& scores,
                 const AffinityTerm& term, int64_t weight, const PodInfo& pod, const NodeInfo& node,
                 int64_t multiplier, const Labels* ns_labels = nullptr) {
  if (!term.Matches(pod.ns, pod.labels, ns_labels)) return;
  auto it = node.labels().find(term.topology_key);
  if (it == node.labels().end()) return;
  scores[term.topology_key][it->second] += weight * multiplier;
}

void ProcessTerms(std::map<std::string, std::map<std::string, int64_t>>& scores,
                  const std::vector<AffinityTerm>& terms, const PodInfo& pod, const NodeInfo& node,
                  int64_t multiplier, const Labels* ns_labels = nullptr) {
  for (const AffinityTerm& t : terms) {
    ProcessTerm(scores, t, t.weight, pod, node, multiplier, ns_labels);
  }
}

}  // namespace

Status InterPodAffinity::PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult*) {
  const std::vector<NodeInfo*>& nodes = handle_->Nodes();
  bool any_existing_anti = false;
  // The cache's count says whether any node has such pods at all, sparing
  // a walk over every node for the common pod without affinity.
  if (handle_->HavePodsWithRequiredAntiAffinity()) {
    for (const NodeInfo* n : nodes) any_existing_anti |= n->pods_with_required_anti_affinity() > 0;
  }
  if (pod.required_affinity.empty() && pod.required_anti_affinity.empty() && !any_existing_anti) {
    return Status(Code::kSkip);
  }
  auto s = std::make_shared<PreFilterState>();
  if (pod.has_namespace_selectors) {
    s->merged = true;
    s->required_affinity = MergeNamespaces(*handle_, pod.required_affinity);
    s->required_anti_affinity = MergeNamespaces(*handle_, pod.required_anti_affinity);
  }
  const std::vector<AffinityTerm>& required_affinity =
      s->merged ? s->required_affinity : pod.required_affinity;
  const std::vector<AffinityTerm>& required_anti_affinity =
      s->merged ? s->required_anti_affinity : pod.required_anti_affinity;
  const Labels ns_labels = any_existing_anti ? NamespaceLabels(*handle_, pod.ns) : Labels{};
  for (const NodeInfo* node : nodes) {
    // getExistingAntiAffinityCounts.
    if (node->pods_with_required_anti_affinity() > 0) {
      for (const auto& existing : node->pods()) {
        for (const AffinityTerm& t : existing->required_anti_affinity) {
          auto it = node->labels().find(t.topology_key);
          if (it != node->labels().end() && t.Matches(pod.ns, pod.labels, &ns_labels)) {
            ++s->existing_anti_affinity_counts[{t.topology_key, it->second}];
          }
        }
      }
    }
    // getIncomingAffinityAntiAffinityCounts.
    if (required_affinity.empty() && required_anti_affinity.empty()) continue;
    for (const auto& existing : node->pods()) {
      if (PodMatchesAllAffinityTerms(required_affinity, *existing)) {
        for (const AffinityTerm& t : required_affinity) {
          auto it = node->labels().find(t.topology_key);
          if (it != node->labels().end()) ++s->affinity_counts[{t.topology_key, it->second}];
        }
      }
      for (const AffinityTerm& t : required_anti_affinity) {
        auto it = node->labels().find(t.topology_key);
        if (it != node->labels().end() && t.Matches(existing->ns, existing->labels)) {
          ++s->anti_affinity_counts[{t.topology_key, it->second}];
        }
      }
    }
  }
  state.Write(kPreFilterStateKey, std::move(s));
  return Status();
}

Status InterPodAffinity::Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) {
  const PreFilterState* s = state.Read<PreFilterState>(kPreFilterStateKey);
  if (!s) {
    return Status::Error("reading \"" + std::string(kPreFilterStateKey) +
                         "\" from cycleState: not found");
  }
  const std::vector<AffinityTerm>& required_affinity =
      s->merged ? s->required_affinity : pod.required_affinity;
  const std::vector<AffinityTerm>& required_anti_affinity =
      s->merged ? s->required_anti_affinity : pod.required_anti_affinity;
  // satisfyPodAffinity.
  bool pods_exist = true;
  for (const AffinityTerm& t : required_affinity) {
    auto it = node.labels().find(t.topology_key);
    if (it == node.labels().end()) {
      return Status(Code::kUnschedulableAndUnresolvable, {kErrReasonAffinityRulesNotMatch});
    }
    auto c = s->affinity_counts.find({t.topology_key, it->second});
    if (c == s->affinity_counts.end() || c->second <= 0) pods_exist = false;
  }
  // The first pod of a group with affinity to itself may go anywhere the
  // topology labels exist.
  if (!pods_exist &&
      !(s->affinity_counts.empty() && PodMatchesAllAffinityTerms(required_affinity, pod))) {
    return Status(Code::kUnschedulableAndUnresolvable, {kErrReasonAffinityRulesNotMatch});
  }
  // satisfyPodAntiAffinity.
  for (const AffinityTerm& t : required_anti_affinity) {
    auto it = node.labels().find(t.topology_key);
    if (it == node.labels().end()) continue;
    auto c = s->anti_affinity_counts.find({t.topology_key, it->second});
    if (c != s->anti_affinity_counts.end() && c->second > 0) {
      return Status(Code::kUnschedulable, {kErrReasonAntiAffinityRulesNotMatch});
    }
  }
  // satisfyExistingPodsAntiAffinity.
  if (!s->existing_anti_affinity_counts.empty()) {
    for (const auto& [key, value] : node.labels()) {
      auto c = s->existing_anti_affinity_counts.find({key, value});
      if (c != s->existing_anti_affinity_counts.end() && c->second > 0) {
        return Status(Code::kUnschedulable, {kErrReasonExistingAntiAffinityRulesNotMatch});
      }
    }
  }
  return Status();
}

Status InterPodAffinity::PreScore(CycleState& state, const PodInfo& pod,
                                  const std::vector<NodeInfo*>& nodes) {
  if (nodes.empty()) return Status(Code::kSkip);
  const bool has_constraints =
      !pod.preferred_affinity.empty() || !pod.preferred_anti_affinity.empty();
  if (args_.ignore_preferred_terms_of_existing_pods && !has_constraints) {
    return Status(Code::kSkip);
  }
  // Without preferred terms only nodes with pods having affinity matter; if
  // no node has any, nothing would be counted.
  if (!has_constraints && !handle_->HavePodsWithAffinity()) return Status(Code::kSkip);
  auto s = std::make_shared<PreScoreState>();
  std::vector<AffinityTerm> merged_affinity, merged_anti_affinity;
  if (pod.has_namespace_selectors) {
    merged_affinity = MergeNamespaces(*handle_, pod.preferred_affinity);
    merged_anti_affinity = MergeNamespaces(*handle_, pod.preferred_anti_affinity);
  }
  const std::vector<AffinityTerm>& preferred_affinity =
      pod.has_namespace_selectors ? merged_affinity : pod.preferred_affinity;
  const std::vector<AffinityTerm>& preferred_anti_affinity =
      pod.has_namespace_selectors ? merged_anti_affinity : pod.preferred_anti_affinity;
  const Labels ns_labels = NamespaceLabels(*handle_, pod.ns);
  for (const NodeInfo* node : handle_->Nodes()) {
    // Unless the pod has preferred terms, only nodes with pods having
    // affinity matter.
    if (!has_constraints && node->pods_with_affinity() == 0) continue;
    if (node->labels().empty()) continue;
    for (const auto& existing : node->pods()) {
      if (!has_constraints && !existing->HasAffinity()) continue;
      // processExistingPod.
      ProcessTerms(s->topology_score, preferred_affinity, *existing, *node, 1);
      ProcessTerms(s->topology_score, preferred_anti_affinity, *existing, *node, -1);
      if (args_.hard_pod_affinity_weight > 0) {
        for (const AffinityTerm& t : existing->required_affinity) {
          ProcessTerm(s->topology_score, t, args_.hard_pod_affinity_weight, pod, *node, 1,
                      &ns_labels);
        }
      }
      ProcessTerms(s->topology_score, existing->preferred_affinity, pod, *node, 1, &ns_labels);
      ProcessTerms(s->topology_score, existing->preferred_anti_affinity, pod, *node, -1,
                   &ns_labels);
    }
  }
  if (s->topology_score.empty()) return Status(Code::kSkip);
  state.Write(kPreScoreStateKey, std::move(s));
  return Status();
}

int64_t InterPodAffinity::Score(CycleState& state, const PodInfo&, const NodeInfo& node,
                                Status* status) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  if (!s) {
    *status = Status::Error("reading \"" + std::string(kPreScoreStateKey) +
                            "\" from cycleState: not found");
    return 0;
  }
  int64_t score = 0;
  for (const auto& [key, values] : s->topology_score) {
    auto it = node.labels().find(key);
    if (it == node.labels().end()) continue;
    auto v = values.find(it->second);
    if (v != values.end()) score += v->second;
  }
  return score;
}

Status InterPodAffinity::NormalizeScore(CycleState& state, const PodInfo&,
                                        std::vector<NodeScore>& scores) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  if (!s || s->topology_score.empty()) return Status();
  int64_t min_count = std::numeric_limits<int64_t>::max();
  int64_t max_count = std::numeric_limits<int64_t>::min();
  for (const NodeScore& sc : scores) {
    min_count = std::min(min_count, sc.score);
    max_count = std::max(max_count, sc.score);
  }
  const int64_t diff = max_count - min_count;
  for (NodeScore& sc : scores) {
    double f = 0;
    if (diff > 0) {
      f = static_cast<double>(framework::kMaxNodeScore) *
          (static_cast<double>(sc.score - min_count) / static_cast<double>(diff));
    }
    sc.score = static_cast<int64_t>(f);
  }
  return Status();
}

// plugin.go EventsToRegister (1.32): assigned pods added, relabelled or
// deleted; nodes added, relabelled or re-tainted (UpdateNodeTaint stands in
// for a NodeAdd that preCheck filtered out while the node was not ready).
// Upstream's Pod resource also matches the unscheduled pod's own label
// update, which the pod hint then skips (the pod is not scheduled); it is
// registered here the same way.
std::vector<ClusterEventWithHint> InterPodAffinity::EventsToRegister() const {
  using namespace framework;
  constexpr uint32_t kPodActions = action::kAdd | action::kUpdatePodLabel | action::kDelete;
  return {
      {ClusterEvent{EventResource::kAssignedPod, kPodActions, "Pod"}, &IsSchedulableAfterPodChange},
      {ClusterEvent{EventResource::kUnscheduledPod, kPodActions, "Pod"},
       &IsSchedulableAfterPodChange},
      {ClusterEvent{EventResource::kNode,
                    action::kAdd | action::kUpdateNodeLabel | action::kUpdateNodeTaint, "Node"},
       &IsSchedulableAfterNodeChange},
  };
}

// plugin.go isSchedulableAfterPodChange. The terms are the pod's required
// ones as framework.GetAffinityTerms builds them (namespaceSelectors not
// resolved: a term matches a pod of its namespaces, or by a selector that
// matches an empty label set).
QueueingHint InterPodAffinity::IsSchedulableAfterPodChange(const PodInfo& pod,
                                                           const api::ObjectPtr& old_obj,
                                                           const api::ObjectPtr& new_obj) {
  auto unscheduled = [](const api::ObjectPtr& p) {
    return p && api::GetString(*p, "/spec/nodeName").empty();
  };
  if (unscheduled(new_obj) || unscheduled(old_obj)) return QueueingHint::kQueueSkip;
  const Labels kNoNamespaceLabels;
  // podMatchesAllAffinityTerms with term.Matches(pod, nil).
  auto matches_all = [&kNoNamespaceLabels](const std::vector<AffinityTerm>& terms,
                                           const api::Object& other) {
    if (terms.empty()) return false;
    const std::string ns = api::Namespace(other);
    const Labels labels = api::Labels(other);
    for (const AffinityTerm& t : terms) {
      if (!t.Matches(ns, labels, &kNoNamespaceLabels)) return false;
    }
    return true;
  };
  const std::vector<AffinityTerm>& terms = pod.required_affinity;
  const std::vector<AffinityTerm>& anti_terms = pod.required_anti_affinity;
  if (new_obj && old_obj) {
    // Updated to match all affinity terms, or to no longer match all
    // anti-affinity terms. (One existing pod must satisfy all the terms, so
    // the terms are not looked at one by one.)
    if (!matches_all(terms, *old_obj) && matches_all(terms, *new_obj)) return QueueingHint::kQueue;
    if (matches_all(anti_terms, *old_obj) && !matches_all(anti_terms, *new_obj)) {
      return QueueingHint::kQueue;
    }
    return QueueingHint::kQueueSkip;
  }
  // Added: it matches the affinity terms.
  if (new_obj)
    return matches_all(terms, *new_obj) ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
  // Deleted: it matched the anti-affinity terms.
  if (!old_obj) return QueueingHint::kQueueSkip;
  return matches_all(anti_terms, *old_obj) ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
}

// plugin.go isSchedulableAfterNodeChange (with the finer hints of
// kubernetes#127470, in 1.32).
QueueingHint InterPodAffinity::IsSchedulableAfterNodeChange(const PodInfo& pod,
                                                            const api::ObjectPtr& old_obj,
                                                            const api::ObjectPtr& new_obj) {
  if (!new_obj) return QueueingHint::kQueueSkip;  // no Node/Delete is registered
  const Labels new_labels = api::Labels(*new_obj);
  const Labels old_labels = old_obj ? api::Labels(*old_obj) : Labels{};
  auto value = [](const Labels& labels, const std::string& key) -> std::optional<std::string> {
    auto it = labels.find(key);
    if (it == labels.end()) return std::nullopt;
    return it->second;
  };
  // Affinity: a node added with a term's topology key, or updated to gain
  // the key or change its value.
  for (const AffinityTerm& t : pod.required_affinity) {
    const auto now = value(new_labels, t.topology_key);
    if (!old_obj) {
      if (now) return QueueingHint::kQueue;
      continue;
    }
    const auto before = value(old_labels, t.topology_key);
    if (!before && now) return QueueingHint::kQueue;
    if (before && now && *before != *now) return QueueingHint::kQueue;
  }
  // Anti-affinity: any node added (a node without the key always passes
  // anti-affinity; whether one with it does depends on its domain's pods,
  // which the hint does not check), or updated to lose a term's key or
  // change its value.
  for (const AffinityTerm& t : pod.required_anti_affinity) {
    if (!old_obj) return QueueingHint::kQueue;
    const auto before = value(old_labels, t.topology_key);
    const auto now = value(new_labels, t.topology_key);
    if (before && !now) return QueueingHint::kQueue;
    if (before && now && *before != *now) return QueueingHint::kQueue;
  }
  return QueueingHint::kQueueSkip;
}

}  // namespace kubesim::scheduler::plugins
