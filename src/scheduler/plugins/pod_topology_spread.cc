// pkg/scheduler/framework/plugins/podtopologyspread (Kubernetes 1.32):
// plugin.go (system default constraints, hints), common.go (constraint
// parsing, node inclusion policies, countPodsMatchSelector), filtering.go
// (DoNotSchedule: skew = matching pods in the node's domain + self - global
// minimum <= maxSkew) and scoring.go (ScheduleAnyway: fewer matching pods
// in the node's domains scores higher). helper/spread.go DefaultSelector
// builds the selector of system-defaulted constraints from the pod's
// Services and its ReplicaSet (ReplicationControllers and StatefulSets are
// not served by kubesim).
#include <cmath>
#include <limits>
#include <map>

#include "../semantic_equal.h"
#include "in_tree.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler::plugins {
namespace {

using framework::Code;
using framework::QueueingHint;
using Constraint = PodTopologySpread::Constraint;

constexpr char kPreFilterStateKey[] = "PreFilterPodTopologySpread";
constexpr char kPreScoreStateKey[] = "PreScorePodTopologySpread";
constexpr char kLabelHostname[] = "kubernetes.io/hostname";
constexpr char kLabelZone[] = "topology.kubernetes.io/zone";
// ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch.
constexpr char kErrReasonConstraintsNotMatch[] =
    "node(s) didn't match pod topology spread constraints";
constexpr char kErrReasonNodeLabelNotMatch[] =
    "node(s) didn't match pod topology spread constraints (missing required label)";

struct PreFilterState final : framework::StateData {
  std::vector<Constraint> constraints;
  // Per constraint: topology value -> matching pods.
  std::vector<std::map<std::string, int>> tp_value_to_match_num;
  std::vector<int> min_match;  // the critical path's minimum
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreFilterState>(*this);
  }
};

struct PreScoreState final : framework::StateData {
  std::vector<Constraint> constraints;
  std::set<std::string> ignored_nodes;
  std::vector<std::map<std::string, int64_t>> tp_value_to_pod_counts;
  std::vector<double> normalizing_weight;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreScoreState>(*this);
  }
};

bool NodeLabelsMatchSpreadConstraints(const Labels& labels, const std::vector<Constraint>& cs) {
  for (const Constraint& c : cs) {
    if (!labels.contains(c.topology_key)) return false;
  }
  return true;
}

// topologySpreadConstraint.matchNodeInclusionPolicies.
bool MatchNodeInclusionPolicies(const Constraint& c, const PodInfo& pod, const NodeInfo& node,
                                const RequiredNodeAffinity& affinity) {
  if (c.honor_node_affinity && !affinity.Matches(node.labels(), node.name())) return false;
  if (c.honor_node_taints &&
      FindMatchingUntoleratedTaint(node.taints(), pod.tolerations, [](const Taint& t) {
        return t.effect == "NoSchedule" || t.effect == "NoExecute";
      })) {
    return false;
  }
  return true;
}

// countPodsMatchSelector: terminating pods and other namespaces don't count.
int CountPodsMatchSelector(const NodeInfo& node, const api::LabelSelector& selector,
                           const std::string& ns) {
  if (selector.Empty()) return 0;
  int count = 0;
  for (const auto& p : node.pods()) {
    if (p->deleting || p->ns != ns) continue;
    if (selector.Matches(p->labels)) ++count;
  }
  return count;
}

// labels.Selector with every requirement of `extra` added.
api::LabelSelector MergeSelectors(const api::LabelSelector& a,
                                  const std::map<std::string, std::string>& extra) {
  std::string text = a.ToString();
  for (const auto& [k, v] : extra) {
    if (!text.empty()) text += ",";
    text += k + "=" + v;
  }
  auto parsed = api::LabelSelector::Parse(text);
  return parsed.ok() ? *parsed : a;
}

double TopologyNormalizingWeight(int size) { return std::log(static_cast<double>(size + 2)); }

double ScoreForCount(int64_t cnt, int32_t max_skew, double weight) {
  return static_cast<double>(cnt) * weight + static_cast<double>(max_skew - 1);
}

}  // namespace

PodTopologySpread::PodTopologySpread(framework::Handle* handle, PodTopologySpreadArgs args)
    : handle_(handle),
      args_(std::move(args)),
      system_defaulted_(args_.defaulting_type == "System") {}

std::vector<Constraint> PodTopologySpread::BuildConstraints(const PodInfo& pod,
                                                            const std::string& action) const {
  std::vector<TopologySpreadConstraint> raw;
  const api::Object* tsc = api::Find(*pod.pod, "/spec/topologySpreadConstraints");
  const bool own = tsc && tsc->is_array() && !tsc->empty();
  if (own) {
    for (const api::Object& c : *tsc) {
      TopologySpreadConstraint t;
      t.max_skew = static_cast<int32_t>(api::GetInt(c, "/maxSkew"));
      t.topology_key = api::GetString(c, "/topologyKey");
      t.when_unsatisfiable = api::GetString(c, "/whenUnsatisfiable");
      if (const api::Object* sel = api::Find(c, "/labelSelector")) t.label_selector = *sel;
      if (const api::Object* keys = api::Find(c, "/matchLabelKeys"); keys && keys->is_array()) {
        for (const api::Object& k : *keys) {
          if (k.is_string()) t.match_label_keys.push_back(k.get<std::string>());
        }
      }
      t.min_domains = static_cast<int32_t>(api::GetInt(c, "/minDomains"));
      t.node_affinity_policy = api::GetString(c, "/nodeAffinityPolicy");
      t.node_taints_policy = api::GetString(c, "/nodeTaintsPolicy");
      raw.push_back(std::move(t));
    }
  } else if (system_defaulted_) {
    // plugin.go systemDefaultConstraints.
    raw.push_back({3, kLabelHostname, "ScheduleAnyway", nullptr, {}, 0, "", ""});
    raw.push_back({5, kLabelZone, "ScheduleAnyway", nullptr, {}, 0, "", ""});
  } else {
    raw = args_.default_constraints;
  }

  // filterTopologySpreadConstraints.
  std::vector<Constraint> out;
  for (const TopologySpreadConstraint& t : raw) {
    if (t.when_unsatisfiable != action) continue;
    Constraint c;
    c.max_skew = t.max_skew;
    c.topology_key = t.topology_key;
    if (!t.label_selector.is_null()) {
      auto sel = api::LabelSelector::FromObject(t.label_selector);
      if (sel.ok()) c.selector = *sel;
    }
    // matchLabelKeys: in 1.32 the scheduler merges them here
    // (MatchLabelKeysInPodTopologySpread, beta and on); the API server does
    // not touch topology spread constraints until the later
    // MatchLabelKeysInPodTopologySpreadSelectorMerge.
    if (!t.match_label_keys.empty()) {
      std::map<std::string, std::string> match;
      for (const std::string& k : t.match_label_keys) {
        if (auto it = pod.labels.find(k); it != pod.labels.end()) match[k] = it->second;
      }
      // mergeLabelSetWithSelector: a nil labelSelector (labels.Nothing(),
      // which has no requirements) stays Nothing.
      if (!match.empty() && !t.label_selector.is_null()) {
        c.selector = MergeSelectors(c.selector, match);
      }
    }
    c.min_domains = t.min_domains > 0 ? t.min_domains : 1;
    c.honor_node_affinity = t.node_affinity_policy != "Ignore";
    c.honor_node_taints = t.node_taints_policy == "Honor";
    out.push_back(std::move(c));
  }
  if (own || out.empty()) return out;

  // buildDefaultConstraints: helper.DefaultSelector.
  std::map<std::string, std::string> label_set;
  for (const api::ObjectPtr& svc : handle_->ListServices(pod.ns)) {
    const api::Object* sel = api::Find(*svc, "/spec/selector");
    if (!sel || !sel->is_object()) continue;  // nil selectors match nothing
    std::map<std::string, std::string> m;
    for (const auto& [k, v] : sel->items()) {
      if (v.is_string()) m[k] = v.get<std::string>();
    }
    if (!api::LabelSelector::FromMap(m).Matches(pod.labels)) continue;
    for (const auto& [k, v] : m) label_set[k] = v;
  }
  api::LabelSelector selector = api::LabelSelector::FromMap(label_set);
  if (pod.owner_kind == "ReplicaSet" && pod.owner_api_version == "apps/v1") {
    if (api::ObjectPtr rs = handle_->GetReplicaSet(pod.ns, pod.owner_name)) {
      if (const api::Object* sel = api::Find(*rs, "/spec/selector")) {
        auto other = api::LabelSelector::FromObject(*sel);
        if (other.ok() && !other->Empty()) {
          auto merged = api::LabelSelector::Parse(
              selector.Empty() ? other->ToString() : selector.ToString() + "," + other->ToString());
          if (merged.ok()) selector = *merged;
        }
      }
    }
  }
  if (selector.Empty()) return {};
  for (Constraint& c : out) c.selector = selector;
  return out;
}

Status PodTopologySpread::PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult*) {
  // calPreFilterState.
  std::vector<Constraint> constraints = BuildConstraints(pod, "DoNotSchedule");
  if (constraints.empty()) return Status(Code::kSkip);
  auto s = std::make_shared<PreFilterState>();
  s->tp_value_to_match_num.resize(constraints.size());
  const RequiredNodeAffinity affinity(*pod.pod);
  for (const NodeInfo* node : handle_->Nodes()) {
    if (!NodeLabelsMatchSpreadConstraints(node->labels(), constraints)) continue;
    for (size_t i = 0; i < constraints.size(); ++i) {
      const Constraint& c = constraints[i];
      if (!MatchNodeInclusionPolicies(c, pod, *node, affinity)) continue;
      s->tp_value_to_match_num[i][node->labels().at(c.topology_key)] +=
          CountPodsMatchSelector(*node, c.selector, pod.ns);
    }
  }
  for (size_t i = 0; i < constraints.size(); ++i) {
    int min = std::numeric_limits<int32_t>::max();
    for (const auto& [value, num] : s->tp_value_to_match_num[i]) min = std::min(min, num);
    // minMatchNum: fewer eligible domains than minDomains means a global
    // minimum of 0.
    if (static_cast<int>(s->tp_value_to_match_num[i].size()) < constraints[i].min_domains) min = 0;
    s->min_match.push_back(min);
  }
  s->constraints = std::move(constraints);
  state.Write(kPreFilterStateKey, std::move(s));
  return Status();
}

Status PodTopologySpread::Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) {
  const PreFilterState* s = state.Read<PreFilterState>(kPreFilterStateKey);
  if (!s) {
    return Status::Error("reading \"" + std::string(kPreFilterStateKey) +
                         "\" from cycleState: not found");
  }
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const Constraint& c = s->constraints[i];
    auto it = node.labels().find(c.topology_key);
    if (it == node.labels().end()) {
      return Status(Code::kUnschedulableAndUnresolvable, {kErrReasonNodeLabelNotMatch});
    }
    const int self_match = c.selector.Matches(pod.labels) ? 1 : 0;
    auto m = s->tp_value_to_match_num[i].find(it->second);
    const int match_num = m == s->tp_value_to_match_num[i].end() ? 0 : m->second;
    const int64_t skew = static_cast<int64_t>(match_num) + self_match - s->min_match[i];
    if (skew > c.max_skew) return Status(Code::kUnschedulable, {kErrReasonConstraintsNotMatch});
  }
  return Status();
}

Status PodTopologySpread::PreScore(CycleState& state, const PodInfo& pod,
                                   const std::vector<NodeInfo*>& filtered) {
  const std::vector<NodeInfo*>& all_nodes = handle_->Nodes();
  if (all_nodes.empty()) return Status(Code::kSkip);
  auto s = std::make_shared<PreScoreState>();
  const api::Object* tsc = api::Find(*pod.pod, "/spec/topologySpreadConstraints");
  const bool own = tsc && tsc->is_array() && !tsc->empty();
  // Only user-given (or List-defaulted) constraints require every topology
  // key on a node, so hostname spreading works on nodes without zones.
  const bool require_all = own || !system_defaulted_;
  s->constraints = BuildConstraints(pod, "ScheduleAnyway");
  if (s->constraints.empty()) return Status(Code::kSkip);
  const size_t n = s->constraints.size();
  s->tp_value_to_pod_counts.resize(n);
  std::vector<int> topo_size(n, 0);
  for (const NodeInfo* node : filtered) {
    if (require_all && !NodeLabelsMatchSpreadConstraints(node->labels(), s->constraints)) {
      s->ignored_nodes.insert(node->name());
      continue;
    }
    for (size_t i = 0; i < n; ++i) {
      const Constraint& c = s->constraints[i];
      if (c.topology_key == kLabelHostname) continue;  // counted in Score
      auto it = node->labels().find(c.topology_key);
      const std::string value = it == node->labels().end() ? "" : it->second;
      if (s->tp_value_to_pod_counts[i].emplace(value, 0).second) ++topo_size[i];
    }
  }
  for (size_t i = 0; i < n; ++i) {
    int size = topo_size[i];
    if (s->constraints[i].topology_key == kLabelHostname) {
      size = static_cast<int>(filtered.size() - s->ignored_nodes.size());
    }
    s->normalizing_weight.push_back(TopologyNormalizingWeight(size));
  }
  const RequiredNodeAffinity affinity(*pod.pod);
  for (const NodeInfo* node : all_nodes) {
    if (require_all && !NodeLabelsMatchSpreadConstraints(node->labels(), s->constraints)) continue;
    for (size_t i = 0; i < n; ++i) {
      const Constraint& c = s->constraints[i];
      if (!MatchNodeInclusionPolicies(c, pod, *node, affinity)) continue;
      auto lit = node->labels().find(c.topology_key);
      const std::string value = lit == node->labels().end() ? "" : lit->second;
      auto it = s->tp_value_to_pod_counts[i].find(value);
      if (it == s->tp_value_to_pod_counts[i].end()) continue;
      it->second += CountPodsMatchSelector(*node, c.selector, pod.ns);
    }
  }
  state.Write(kPreScoreStateKey, std::move(s));
  return Status();
}

int64_t PodTopologySpread::Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                                 Status* status) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  if (!s) {
    *status = Status::Error("error reading \"" + std::string(kPreScoreStateKey) +
                            "\" from cycleState: not found");
    return 0;
  }
  if (s->ignored_nodes.contains(node.name())) return 0;
  double score = 0;
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const Constraint& c = s->constraints[i];
    auto it = node.labels().find(c.topology_key);
    if (it == node.labels().end()) continue;
    int64_t cnt = 0;
    if (c.topology_key == kLabelHostname) {
      cnt = CountPodsMatchSelector(node, c.selector, pod.ns);
    } else {
      auto v = s->tp_value_to_pod_counts[i].find(it->second);
      cnt = v == s->tp_value_to_pod_counts[i].end() ? 0 : v->second;
    }
    score += ScoreForCount(cnt, c.max_skew, s->normalizing_weight[i]);
  }
  return static_cast<int64_t>(std::round(score));
}

Status PodTopologySpread::NormalizeScore(CycleState& state, const PodInfo&,
                                         std::vector<NodeScore>& scores) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  if (!s) return Status();
  constexpr int64_t kInvalidScore = -1;
  int64_t min_score = std::numeric_limits<int64_t>::max(), max_score = 0;
  for (NodeScore& sc : scores) {
    if (s->ignored_nodes.contains(std::string(sc.name))) {
      sc.score = kInvalidScore;
      continue;
    }
    min_score = std::min(min_score, sc.score);
    max_score = std::max(max_score, sc.score);
  }
  for (NodeScore& sc : scores) {
    if (sc.score == kInvalidScore) {
      sc.score = 0;
      continue;
    }
    if (max_score == 0) {
      sc.score = framework::kMaxNodeScore;
      continue;
    }
    sc.score = framework::kMaxNodeScore * (max_score + min_score - sc.score) / max_score;
  }
  return Status();
}

// plugin.go EventsToRegister (1.32, queueing hints on): assigned pods
// coming, going or relabelled change the counts; the pod's own toleration
// update matters to a NodeTaintsPolicy: Honor constraint (upstream's Pod
// resource covers both, kubesim's queue tells assigned pods from the
// unscheduled pod's own updates); node add/delete/label/taint changes may
// change the domains.
std::vector<ClusterEventWithHint> PodTopologySpread::EventsToRegister() const {
  using namespace framework;
  constexpr uint32_t kPodActions =
      action::kAdd | action::kUpdatePodLabel | action::kUpdatePodTolerations | action::kDelete;
  auto pod_hint = [this](const PodInfo& pod, const api::ObjectPtr& old_obj,
                         const api::ObjectPtr& new_obj) {
    return IsSchedulableAfterPodChange(pod, old_obj, new_obj);
  };
  auto node_hint = [this](const PodInfo& pod, const api::ObjectPtr& old_obj,
                          const api::ObjectPtr& new_obj) {
    return IsSchedulableAfterNodeChange(pod, old_obj, new_obj);
  };
  return {
      {ClusterEvent{EventResource::kAssignedPod, kPodActions, "Pod"}, pod_hint},
      {ClusterEvent{EventResource::kUnscheduledPod, kPodActions, "Pod"}, pod_hint},
      {ClusterEvent{
           EventResource::kNode,
           action::kAdd | action::kDelete | action::kUpdateNodeLabel | action::kUpdateNodeTaint,
           "Node"},
       node_hint},
  };
}

// plugin.go isSchedulableAfterPodChange.
QueueingHint PodTopologySpread::IsSchedulableAfterPodChange(const PodInfo& pod,
                                                            const api::ObjectPtr& old_obj,
                                                            const api::ObjectPtr& new_obj) const {
  // involvedInTopologySpreading: the pod itself, or a scheduled pod of its
  // namespace.
  auto involved = [&pod](const api::Object& other) {
    return PodKey(other) == pod.uid ||
           (!api::GetString(other, "/spec/nodeName").empty() && api::Namespace(other) == pod.ns);
  };
  if ((new_obj && !involved(*new_obj)) || (old_obj && !involved(*old_obj))) {
    return QueueingHint::kQueueSkip;
  }
  // getConstraints: the hard constraints (own, else the defaulted ones).
  const std::vector<Constraint> constraints = BuildConstraints(pod, "DoNotSchedule");
  auto any_matches = [&constraints](const Labels& labels) {
    // podLabelsMatchSpreadConstraints.
    for (const Constraint& c : constraints) {
      if (c.selector.Matches(labels)) return true;
    }
    return false;
  };
  if (new_obj && old_obj) {
    // The pod itself got new tolerations and some constraint honours taints.
    if (PodKey(*new_obj) == pod.uid &&
        !SemanticallyEqual(api::Find(*new_obj, "/spec/tolerations"),
                           api::Find(*old_obj, "/spec/tolerations"))) {
      for (const Constraint& c : constraints) {
        if (c.honor_node_taints) return QueueingHint::kQueue;
      }
    }
    const Labels old_labels = api::Labels(*old_obj), new_labels = api::Labels(*new_obj);
    if (old_labels == new_labels) return QueueingHint::kQueueSkip;
    // Queue when the update makes the pod match, or stop matching, some
    // constraint's selector.
    for (const Constraint& c : constraints) {
      if (c.selector.Matches(old_labels) != c.selector.Matches(new_labels)) {
        return QueueingHint::kQueue;
      }
    }
    return QueueingHint::kQueueSkip;
  }
  // Added or deleted: Queue when it matches some constraint's selector.
  const api::ObjectPtr& changed = new_obj ? new_obj : old_obj;
  if (!changed) return QueueingHint::kQueueSkip;
  return any_matches(api::Labels(*changed)) ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
}

// plugin.go isSchedulableAfterNodeChange.
QueueingHint PodTopologySpread::IsSchedulableAfterNodeChange(const PodInfo& pod,
                                                             const api::ObjectPtr& old_obj,
                                                             const api::ObjectPtr& new_obj) const {
  const std::vector<Constraint> constraints = BuildConstraints(pod, "DoNotSchedule");
  const bool old_matching =
      old_obj && NodeLabelsMatchSpreadConstraints(api::Labels(*old_obj), constraints);
  const bool new_matching =
      new_obj && NodeLabelsMatchSpreadConstraints(api::Labels(*new_obj), constraints);
  if (old_obj && new_obj) {
    // Updated: the node joined or left the constraints' domains, or, still
    // in them, changed a topology value (checkTopologyKeyLabelsChanged) or
    // its taints.
    if (old_matching != new_matching) return QueueingHint::kQueue;
    if (!new_matching) return QueueingHint::kQueueSkip;
    const Labels old_labels = api::Labels(*old_obj), new_labels = api::Labels(*new_obj);
    for (const Constraint& c : constraints) {
      auto o = old_labels.find(c.topology_key);
      auto n = new_labels.find(c.topology_key);
      const std::string ov = o == old_labels.end() ? "" : o->second;
      const std::string nv = n == new_labels.end() ? "" : n->second;
      if (ov != nv) return QueueingHint::kQueue;
    }
    return SemanticallyEqual(api::Find(*old_obj, "/spec/taints"),
                             api::Find(*new_obj, "/spec/taints"))
               ? QueueingHint::kQueueSkip
               : QueueingHint::kQueue;
  }
  // Added or deleted: Queue when it has every topology key.
  return (new_obj ? new_matching : old_matching) ? QueueingHint::kQueue : QueueingHint::kQueueSkip;
}

}  // namespace kubesim::scheduler::plugins
