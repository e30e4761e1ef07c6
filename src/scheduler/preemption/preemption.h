// Preemption as kube-scheduler 1.32 does it: the generic evaluator of
// pkg/scheduler/framework/preemption/preemption.go and the default plugin's
// rules in pkg/scheduler/framework/plugins/defaultpreemption/
// default_preemption.go, as pure functions over NodeInfo copies so that
// tests can drive each rule (plugins/default_preemption.cc wires them to the
// API: DisruptionTarget condition, delete, events, nominatedNodeName).
//
// Thread-safety: none; runs on the scheduler's dispatcher.
#ifndef KUBESIM_SRC_SCHEDULER_PREEMPTION_PREEMPTION_H_
#define KUBESIM_SRC_SCHEDULER_PREEMPTION_PREEMPTION_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../framework.h"
#include "../node_info.h"
#include "kubesim/sim/clock.h"
#include "nominator.h"

namespace kubesim::scheduler::preemption {

using PodList = std::vector<std::shared_ptr<const PodInfo>>;

// DefaultPreemptionArgs defaults (pkg/scheduler/apis/config/v1/defaults.go).
inline constexpr int kMinCandidateNodesPercentage = 10;
inline constexpr int kMinCandidateNodesAbsolute = 100;

// The scheduler's PostFilter result (framework.PostFilterResult's
// NominatingInfo, ModeOverride), handed back through the CycleState under
// kNominatingInfoKey: the node the preemptor is nominated to, or "" to clear
// its nomination.
inline constexpr char kNominatingInfoKey[] = "kubesim/NominatingInfo";
struct NominatingInfo final : framework::StateData {
  std::string node;
  std::shared_ptr<framework::StateData> Clone() const override {
    return std::make_shared<NominatingInfo>(*this);
  }
};

// extenderv1.Victims and preemption.candidate.
struct Victims {
  PodList pods;  // highest priority first
  int num_pdb_violations = 0;
};
struct Candidate {
  std::string node;
  Victims victims;
};

// util.GetPodStartTime: status.startTime, else `now` (upstream: time.Now()).
Time PodStartTime(const PodInfo& pod, Time now);
// util.MoreImportantPod: higher priority, then the earlier start time.
bool MoreImportantPod(const PodInfo& a, const PodInfo& b, Time now);

// PodEligibleToPreemptOthers: "" when eligible, else the reason ("not
// eligible due to preemptionPolicy=Never.", "not eligible due to a
// terminating pod on the nominated node."). `nominated` is the NodeInfo of
// the pod's status.nominatedNodeName (nullptr if none/unknown) and
// `nominated_status` that node's filter status in this cycle.
std::string PodEligibleToPreemptOthers(const PodInfo& pod, const NodeInfo* nominated,
                                       const framework::Status& nominated_status);
// podTerminatingByPreemption: being deleted with DisruptionTarget=True,
// reason PreemptionByScheduler.
bool PodTerminatingByPreemption(const PodInfo& pod);

// RunFilterPluginsWithNominatedPods (runtime/framework.go): with the
// nominated pods of the node whose priority is >= the pod's added first;
// when that passes and pods were added, once more without them.
framework::Status RunFilterPluginsWithNominatedPods(framework::Framework& fwk,
                                                    const Nominator* nominator,
                                                    framework::CycleState& state,
                                                    const PodInfo& pod, const NodeInfo& node);

// filterPodsWithPDBViolation: splits `pods` (order kept) into those whose
// eviction would exceed a PodDisruptionBudget's status.disruptionsAllowed
// (decremented as pods are counted; pods listed in status.disruptedPods do
// not count) and the others. A PDB with an empty selector matches nothing
// here, as upstream's comment says.
std::pair<PodList, PodList> FilterPodsWithPDBViolation(const PodList& pods,
                                                       const std::vector<api::ObjectPtr>& pdbs);

// SelectVictimsOnNode: removes every lower-priority pod from `node` (a
// copy), checks the pod fits, then reprieves as many as possible (PDB
// violating ones first, each group highest priority first). On success
// `out` holds the victims (highest priority first) and their number of PDB
// violations. Failures: "No preemption victims found for incoming pod"
// (UnschedulableAndUnresolvable) or the filter status of the emptied node.
framework::Status SelectVictimsOnNode(framework::Framework& fwk, const Nominator* nominator,
                                      framework::CycleState& state, const PodInfo& pod,
                                      NodeInfo& node, const std::vector<api::ObjectPtr>& pdbs,
                                      Time now, Victims* out);

// calculateNumCandidates: 10% of the nodes, at least 100, at most all.
int CalculateNumCandidates(int num_nodes);

// pickOneNodeForPreemption over `candidates` (in dry-run order): fewest PDB
// violations, lowest highest-victim priority, smallest sum of priorities
// (each + MaxInt32 + 1), fewest victims, latest start time of the
// highest-priority victims; then the first. "" when empty.
std::string PickOneNodeForPreemption(const std::vector<Candidate>& candidates, Time now);

// DryRunPreemption: SelectVictimsOnNode on potential_nodes from `offset`
// round the list, until `num_candidates` candidates with at least one
// non-violating one; non-violating candidates first. Nodes that failed get
// their status in `statuses`.
std::vector<Candidate> DryRunPreemption(framework::Framework& fwk, const Nominator* nominator,
                                        const framework::CycleState& state, const PodInfo& pod,
                                        const std::vector<NodeInfo*>& potential_nodes,
                                        const std::vector<api::ObjectPtr>& pdbs, int offset,
                                        int num_candidates, Time now,
                                        framework::NodeToStatus* statuses);

}  // namespace kubesim::scheduler::preemption

#endif  // KUBESIM_SRC_SCHEDULER_PREEMPTION_PREEMPTION_H_
