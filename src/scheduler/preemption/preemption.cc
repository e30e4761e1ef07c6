// See preemption.h. Upstream: pkg/scheduler/framework/preemption/
// preemption.go (DryRunPreemption, SelectCandidate, pickOneNodeForPreemption),
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go
// (SelectVictimsOnNode, PodEligibleToPreemptOthers, calculateNumCandidates,
// filterPodsWithPDBViolation), pkg/scheduler/util/utils.go (MoreImportantPod,
// GetPodStartTime, GetEarliestPodStartTime) and runtime/framework.go
// (RunFilterPluginsWithNominatedPods, addGENominatedPods).
#include "preemption.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <limits>
#include <optional>

#include "kubesim/api/object_meta.h"
#include "kubesim/api/selectors.h"

namespace kubesim::scheduler::preemption {

using framework::Code;
using framework::Status;

Time PodStartTime(const PodInfo& pod, Time now) {
  const api::Object* st = api::Find(*pod.pod, "/status/startTime");
  Time t;
  if (st && st->is_string() && ParseRfc3339(st->get<std::string>(), &t)) return t;
  return now;
}

bool MoreImportantPod(const PodInfo& a, const PodInfo& b, Time now) {
  if (a.priority != b.priority) return a.priority > b.priority;
  return PodStartTime(a, now) < PodStartTime(b, now);
}

bool PodTerminatingByPreemption(const PodInfo& pod) {
  if (!pod.deleting) return false;
  const api::Object* conds = api::Find(*pod.pod, "/status/conditions");
  if (!conds || !conds->is_array()) return false;
  for (const api::Object& c : *conds) {
    if (api::GetString(c, "/type") != "DisruptionTarget") continue;
    return api::GetString(c, "/status") == "True" &&
           api::GetString(c, "/reason") == "PreemptionByScheduler";
  }
  return false;
}

std::string PodEligibleToPreemptOthers(const PodInfo& pod, const NodeInfo* nominated,
                                       const Status& nominated_status) {
  if (pod.preemption_policy == "Never") return "not eligible due to preemptionPolicy=Never.";
  const std::string nominated_name = api::GetString(*pod.pod, "/status/nominatedNodeName");
  if (!nominated_name.empty()) {
    // A nominated node the filters now reject outright: preempt again.
    if (nominated_status.code() == Code::kUnschedulableAndUnresolvable) return "";
    if (nominated != nullptr) {
      for (const auto& p : nominated->pods()) {
        if (p->priority < pod.priority && PodTerminatingByPreemption(*p)) {
          return "not eligible due to a terminating pod on the nominated node.";
        }
      }
    }
  }
  return "";
}

namespace {

// addGENominatedPods: the node with the nominated pods of priority >= the
// pod's (other than the pod itself) added; false when none. The copy of the
// NodeInfo is made only when a nominated pod is added: the filter loop calls
// this for every node of every cycle, and almost always nothing is nominated.
bool AddGENominatedPods(const Nominator* nominator, const PodInfo& pod, const NodeInfo& node,
                        std::optional<NodeInfo>* out) {
  if (nominator == nullptr || nominator->empty() || node.node() == nullptr) return false;
  const PodList* nominated = nominator->FindPodsForNode(node.name());
  if (nominated == nullptr) return false;
  bool added = false;
  for (const auto& pi : *nominated) {
    if (pi->priority >= pod.priority && pi->uid != pod.uid) {
      if (!out->has_value()) out->emplace(node);
      (*out)->AddPod(pi);
      added = true;
    }
  }
  return added;
}

}  // namespace

Status RunFilterPluginsWithNominatedPods(framework::Framework& fwk, const Nominator* nominator,
                                         framework::CycleState& state, const PodInfo& pod,
                                         const NodeInfo& node) {
  // PreFilterExtensions AddPod/RemovePod are not modelled: none of kubesim's
  // PreFilter plugins keeps per-node state that other pods change.
  // Nearly always nothing is nominated anywhere: the (large) optional
  // NodeInfo is not even set up then, as this runs per node and cycle.
  if (nominator != nullptr && !nominator->empty()) {
    std::optional<NodeInfo> with_nominated;
    if (AddGENominatedPods(nominator, pod, node, &with_nominated)) {
      framework::CycleState state_copy = state.Clone();
      Status s = fwk.RunFilterPlugins(state_copy, pod, *with_nominated);
      if (!s.IsSuccess()) return s;
    }
  }
  return fwk.RunFilterPlugins(state, pod, node);
}

std::pair<PodList, PodList> FilterPodsWithPDBViolation(const PodList& pods,
                                                       const std::vector<api::ObjectPtr>& pdbs) {
  std::vector<int64_t> allowed;
  std::vector<std::optional<api::LabelSelector>> selectors;
  for (const auto& pdb : pdbs) {
    allowed.push_back(api::GetInt(*pdb, "/status/disruptionsAllowed"));
    const api::Object* sel = api::Find(*pdb, "/spec/selector");
    std::optional<api::LabelSelector> s;
    if (sel && sel->is_object()) {
      auto parsed = api::LabelSelector::FromObject(*sel);
      if (parsed.ok() && !parsed->Empty()) s = *parsed;
    }
    selectors.push_back(std::move(s));
  }
  PodList violating, non_violating;
  for (const auto& pod : pods) {
    bool violated = false;
    // A pod with no labels matches no PDB.
    if (!pod->labels.empty()) {
      for (size_t i = 0; i < pdbs.size(); ++i) {
        if (api::Namespace(*pdbs[i]) != pod->ns) continue;
        // A PDB with a nil or empty selector matches nothing.
        if (!selectors[i] || !selectors[i]->Matches(pod->labels)) continue;
        // Already in DisruptedPods: processed by the API server, not a
        // violation (and not decremented twice).
        const api::Object* disrupted = api::Find(*pdbs[i], "/status/disruptedPods");
        if (disrupted && disrupted->is_object() && disrupted->contains(pod->name)) continue;
        if (--allowed[i] < 0) violated = true;
      }
    }
    (violated ? violating : non_violating).push_back(pod);
  }
  return {std::move(violating), std::move(non_violating)};
}

Status SelectVictimsOnNode(framework::Framework& fwk, const Nominator* nominator,
                           framework::CycleState& state, const PodInfo& pod, NodeInfo& node,
                           const std::vector<api::ObjectPtr>& pdbs, Time now, Victims* out) {
  // First remove every pod eligible for preemption and check whether the
  // pod fits without them.
  PodList potential;
  for (const auto& p : node.pods()) {
    if (p->priority < pod.priority) potential.push_back(p);
  }
  for (const auto& p : potential) node.RemovePod(p->uid);
  if (potential.empty()) {
    return Status(Code::kUnschedulableAndUnresolvable,
                  {"No preemption victims found for incoming pod"});
  }
  if (Status s = RunFilterPluginsWithNominatedPods(fwk, nominator, state, pod, node);
      !s.IsSuccess()) {
    return s;
  }
  // Reprieve the highest-priority pods first (upstream sorts with the
  // unstable sort.Slice; kubesim keeps ties in node order).
  std::stable_sort(potential.begin(), potential.end(),
                   [&](const auto& a, const auto& b) { return MoreImportantPod(*a, *b, now); });
  auto [violating, non_violating] = FilterPodsWithPDBViolation(potential, pdbs);
  PodList victims;
  int num_violating = 0;
  auto reprieve = [&](const std::shared_ptr<const PodInfo>& p) {
    node.AddPod(p);
    const bool fits =
        RunFilterPluginsWithNominatedPods(fwk, nominator, state, pod, node).IsSuccess();
    if (!fits) {
      node.RemovePod(p->uid);
      victims.push_back(p);
    }
    return fits;
  };
  for (const auto& p : violating) {
    if (!reprieve(p)) ++num_violating;
  }
  for (const auto& p : non_violating) reprieve(p);
  // Keep the victims sorted from high to low priority.
  if (!violating.empty() && !non_violating.empty()) {
    std::stable_sort(victims.begin(), victims.end(),
                     [&](const auto& a, const auto& b) { return MoreImportantPod(*a, *b, now); });
  }
  out->pods = std::move(victims);
  out->num_pdb_violations = num_violating;
  return Status();
}

int CalculateNumCandidates(int num_nodes) {
  int n = num_nodes * kMinCandidateNodesPercentage / 100;
  if (n < kMinCandidateNodesAbsolute) n = kMinCandidateNodesAbsolute;
  if (n > num_nodes) n = num_nodes;
  return n;
}

namespace {

// util.GetEarliestPodStartTime: the earliest start time among the
// highest-priority victims.
Time EarliestPodStartTime(const Victims& v, Time now) {
  Time earliest = PodStartTime(*v.pods[0], now);
  int32_t max_priority = v.pods[0]->priority;
  for (const auto& p : v.pods) {
    if (p->priority == max_priority) {
      Time t = PodStartTime(*p, now);
      if (t < earliest) earliest = t;
    } else if (p->priority > max_priority) {
      max_priority = p->priority;
      earliest = PodStartTime(*p, now);
    }
  }
  return earliest;
}

}  // namespace

std::string PickOneNodeForPreemption(const std::vector<Candidate>& candidates, Time now) {
  if (candidates.empty()) return "";
  std::vector<const Candidate*> all;
  for (const auto& c : candidates) all.push_back(&c);
  using ScoreFn = int64_t (*)(const Candidate&, Time);
  const ScoreFn score_fns[] = {
      // A node with a minimum number of PDB violations.
      [](const Candidate& c, Time) -> int64_t { return -c.victims.num_pdb_violations; },
      // A node with a minimum highest-priority victim.
      [](const Candidate& c, Time) -> int64_t {
        return c.victims.pods.empty() ? 0 : -static_cast<int64_t>(c.victims.pods[0]->priority);
      },
      // A node with the smallest sum of priorities (each shifted by
      // MaxInt32 + 1 so negative priorities compare sensibly).
      [](const Candidate& c, Time) -> int64_t {
        int64_t sum = 0;
        for (const auto& p : c.victims.pods) {
          sum += static_cast<int64_t>(p->priority) + int64_t{INT32_MAX} + 1;
        }
        return -sum;
      },
      // A node with the minimum number of victims.
      [](const Candidate& c, Time) -> int64_t {
        return -static_cast<int64_t>(c.victims.pods.size());
      },
      // A node whose highest-priority victims started latest.
      [](const Candidate& c, Time now) -> int64_t {
        if (c.victims.pods.empty()) return std::numeric_limits<int64_t>::min();
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   EarliestPodStartTime(c.victims, now).time_since_epoch())
            .count();
      },
  };
  for (ScoreFn f : score_fns) {
    std::vector<const Candidate*> selected;
    int64_t max_score = std::numeric_limits<int64_t>::min();
    for (const Candidate* c : all) {
      const int64_t score = f(*c, now);
      if (score > max_score) {
        max_score = score;
        selected.clear();
      }
      if (score == max_score) selected.push_back(c);
    }
    if (selected.size() == 1) return selected[0]->node;
    all = std::move(selected);
  }
  // Still tied: the first. (Upstream's candidates come from a Go map, so
  // "first" is arbitrary there; kubesim takes dry-run order.)
  return all[0]->node;
}

std::vector<Candidate> DryRunPreemption(framework::Framework& fwk, const Nominator* nominator,
                                        const framework::CycleState& state, const PodInfo& pod,
                                        const std::vector<NodeInfo*>& potential_nodes,
                                        const std::vector<api::ObjectPtr>& pdbs, int offset,
                                        int num_candidates, Time now,
                                        framework::NodeToStatus* statuses) {
  std::vector<Candidate> non_violating, violating;
  const int n = static_cast<int>(potential_nodes.size());
  // Upstream checks nodes in parallel and cancels once enough candidates are
  // found; kubesim checks them in order, which is one of the outcomes the
  // parallel run can have.
  for (int i = 0; i < n; ++i) {
    const NodeInfo& original = *potential_nodes[(offset + i) % n];
    NodeInfo node_copy = original;
    framework::CycleState state_copy = state.Clone();
    Victims victims;
    Status s = SelectVictimsOnNode(fwk, nominator, state_copy, pod, node_copy, pdbs, now, &victims);
    if (s.IsSuccess() && !victims.pods.empty()) {
      Candidate c{original.name(), std::move(victims)};
      (c.victims.num_pdb_violations == 0 ? non_violating : violating).push_back(std::move(c));
      if (!non_violating.empty() &&
          static_cast<int>(non_violating.size() + violating.size()) >= num_candidates) {
        break;
      }
      continue;
    }
    if (s.IsSuccess()) {
      s = Status::Error("expected at least one victim pod on node \"" + original.name() + "\"");
    }
    statuses->Set(original.name(), std::move(s));
  }
  for (auto& c : violating) non_violating.push_back(std::move(c));
  return non_violating;
}

}  // namespace kubesim::scheduler::preemption
