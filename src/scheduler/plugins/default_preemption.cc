// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go
// (PostFilter) and pkg/scheduler/framework/preemption/preemption.go
// (Evaluator.Preempt, prepareCandidate), Kubernetes 1.32. The rules
// themselves (eligibility, dry run, victim selection, PDBs, candidate
// ranking) are in src/scheduler/preemption/preemption.cc.
//
// Preempt: (1) PodEligibleToPreemptOthers; (2) findCandidates: nodes whose
// filter status is Unschedulable, dry run from a random offset until enough
// candidates; none -> "preemption: 0/N nodes are available: ..." and the
// pod's nomination cleared; (4) SelectCandidate; (5) prepareCandidate:
// DisruptionTarget condition on each victim, delete it, "Preempted" event,
// clear lower-priority nominations on that node; the preemptor is then
// nominated to the node (status.nominatedNodeName, written by the
// scheduler's failure handler) and retried when the victims are gone.
// Not modelled: extenders (step 3), waiting pods at Permit.
#include "../preemption/preemption.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/client/client.h"
#include "kubesim/client/event_recorder.h"
#include "plugins.h"

namespace kubesim::scheduler::plugins {
namespace {

using framework::Code;

// util.PatchPodStatus with only status.nominatedNodeName cleared
// (util.ClearNominatedNodeName); errors are only logged upstream.
void ClearNominatedNodeName(client::Client* client, const PodInfo& pod) {
  if (api::GetString(*pod.pod, "/status/nominatedNodeName").empty()) return;
  api::Request req;
  req.verb = api::Verb::kPatch;
  req.gvr = api::kPods;
  req.namespace_ = pod.ns;
  req.name = pod.name;
  req.subresource = "status";
  req.content_type = api::kStrategicMergePatch;
  req.body = {{"status", {{"nominatedNodeName", nullptr}}}};
  client->Do(std::move(req));
}

// The victim's status with the DisruptionTarget condition
// (apipod.UpdatePodCondition): nullopt when it is already there unchanged.
std::optional<api::Object> WithDisruptionTarget(const api::Object& pod, const std::string& message,
                                                Time now) {
  api::Object conditions = api::Object::array();
  if (const api::Object* c = api::Find(pod, "/status/conditions"); c && c->is_array()) {
    conditions = *c;
  }
  api::Object cond = {
      {"type", "DisruptionTarget"},        {"status", "True"},
      {"lastProbeTime", nullptr},          {"lastTransitionTime", FormatRfc3339(now)},
      {"reason", "PreemptionByScheduler"}, {"message", message}};
  for (api::Object& old : conditions) {
    if (api::GetString(old, "/type") != "DisruptionTarget") continue;
    if (api::GetString(old, "/status") == "True") {
      cond["lastTransitionTime"] = old.value("lastTransitionTime", api::Object());
      if (api::GetString(old, "/reason") == "PreemptionByScheduler" &&
          api::GetString(old, "/message") == message) {
        return std::nullopt;
      }
    }
    old = cond;
    return conditions;
  }
  conditions.push_back(cond);
  return conditions;
}

// The message of a failed API call.
std::string ResponseMessage(const api::Response& r) {
  if (r.code == 0) return "the server is currently unable to handle the request";
  std::string msg = api::GetString(r.body, "/message");
  return msg.empty() ? "unexpected response code " + std::to_string(r.code) : msg;
}

}  // namespace

Status DefaultPreemption::PostFilter(CycleState& state, const PodInfo& pod,
                                     const NodeToStatus& filtered) {
  Status s = Preempt(state, pod, filtered);
  const std::string msg = s.Message();
  if (!msg.empty()) return Status(s.code(), {"preemption: " + msg});
  return s;
}

Status DefaultPreemption::Preempt(CycleState& state, const PodInfo& pod,
                                  const NodeToStatus& filtered) {
  auto nominate = [&](std::string node) {
    auto info = std::make_shared<preemption::NominatingInfo>();
    info->node = std::move(node);
    state.Write(preemption::kNominatingInfoKey, std::move(info));
  };
  // 0) The latest version of the pod.
  api::ObjectPtr latest = handle_->GetPod(pod.ns + "/" + pod.name);
  if (!latest) return Status::Error("pod \"" + pod.name + "\" not found");
  std::shared_ptr<const PodInfo> current = NewPodInfo(latest);

  // 1) PodEligibleToPreemptOthers.
  const std::string nominated = api::GetString(*latest, "/status/nominatedNodeName");
  std::string reason = preemption::PodEligibleToPreemptOthers(
      *current, nominated.empty() ? nullptr : handle_->GetNode(nominated), filtered.Get(nominated));
  if (!reason.empty()) return Status(Code::kUnschedulable, {reason});

  // 2) findCandidates.
  const std::vector<NodeInfo*>& all_nodes = handle_->Nodes();
  if (all_nodes.empty()) return Status::Error("no nodes available");
  std::vector<NodeInfo*> potential;
  for (NodeInfo* node : all_nodes) {
    if (filtered.Get(node->name()).code() == Code::kUnschedulable) potential.push_back(node);
  }
  framework::Diagnosis diagnosis;
  std::vector<preemption::Candidate> candidates;
  const Time now = handle_->Now();
  if (potential.empty()) {
    // Preemption will not help: clear any nomination the pod has.
    ClearNominatedNodeName(handle_->ClientSet(), *current);
  } else {
    std::vector<api::ObjectPtr> pdbs = handle_->PodDisruptionBudgets();
    // GetOffsetAndNumCandidates: rand.Int31n(len(potentialNodes)).
    const int offset = static_cast<int>(handle_->RandomUniform(potential.size()));
    const int num = preemption::CalculateNumCandidates(static_cast<int>(potential.size()));
    candidates =
        preemption::DryRunPreemption(handle_->framework(), handle_->PodNominator(), state, *current,
                                     potential, pdbs, offset, num, now, &diagnosis.node_to_status);
  }
  if (candidates.empty()) {
    // A FitError over all nodes; nodes not dry-run are "Preemption is not
    // helpful for scheduling". The pod's nomination is cleared.
    diagnosis.node_to_status.SetAbsentNodesStatus(
        Status(Code::kUnschedulableAndUnresolvable, {"Preemption is not helpful for scheduling"}));
    nominate("");
    return Status(Code::kUnschedulable,
                  {framework::FitErrorMessage(static_cast<int>(all_nodes.size()), diagnosis)});
  }

  // 4) SelectCandidate.
  const preemption::Candidate* best = &candidates[0];
  if (candidates.size() > 1) {
    const std::string node = preemption::PickOneNodeForPreemption(candidates, now);
    for (const auto& c : candidates) {
      if (c.node == node) best = &c;
    }
  }

  // 5) prepareCandidate.
  client::Client* client = handle_->ClientSet();
  const std::string message =
      current->scheduler_name + ": preempting to accommodate a higher priority pod";
  for (const auto& victim : best->victims.pods) {
    if (auto conditions = WithDisruptionTarget(*victim->pod, message, now)) {
      api::Request req;
      req.verb = api::Verb::kPatch;
      req.gvr = api::kPods;
      req.namespace_ = victim->ns;
      req.name = victim->name;
      req.subresource = "status";
      req.content_type = api::kStrategicMergePatch;
      req.body = {{"status", {{"conditions", *conditions}}}};
      api::Response r = client->Do(std::move(req));
      if (!r.ok()) return Status::Error(ResponseMessage(r));
    }
    // util.DeletePod: a graceful delete with the default options.
    api::Request del;
    del.verb = api::Verb::kDelete;
    del.gvr = api::kPods;
    del.namespace_ = victim->ns;
    del.name = victim->name;
    api::Response r = client->Do(std::move(del));
    if (!r.ok()) return Status::Error(ResponseMessage(r));
    api::Object regarding = *victim->pod;
    if (api::Kind(regarding).empty()) regarding["kind"] = "Pod";
    if (api::GetString(regarding, "/apiVersion").empty()) regarding["apiVersion"] = "v1";
    handle_->EventRecorder()->Event(regarding, "Normal", "Preempted",
                                    "Preempted by pod " + current->uid + " on node " + best->node);
  }
  // Lower-priority pods nominated to this node may no longer fit there:
  // clear their nomination so they look for another place.
  if (const preemption::Nominator* nominator = handle_->PodNominator()) {
    for (const auto& p : nominator->PodsForNode(best->node)) {
      if (p->priority < current->priority) {
        api::ObjectPtr fresh = handle_->GetPod(p->ns + "/" + p->name);
        ClearNominatedNodeName(client, fresh ? *NewPodInfo(fresh) : *p);
      }
    }
  }
  nominate(best->node);
  return Status();
}

std::unique_ptr<framework::Framework> NewDefaultFramework(framework::Handle* handle) {
  auto fwk = std::make_unique<framework::Framework>();
  // Registration order is the call order at each extension point
  // (default_plugins.go): filters NodeUnschedulable, NodeName,
  // TaintToleration, NodeAffinity, NodeResourcesFit.
  fwk->AddPlugin(std::make_unique<NodeUnschedulable>());
  fwk->AddPlugin(std::make_unique<NodeName>());
  fwk->AddPlugin(std::make_unique<TaintToleration>(), /*score_weight=*/3);
  fwk->AddPlugin(std::make_unique<NodeAffinity>(), /*score_weight=*/2);
  fwk->AddPlugin(std::make_unique<NodeResourcesFit>(), /*score_weight=*/1);
  // TODO(issue 4): PodTopologySpread (2), InterPodAffinity (2).
  fwk->AddPlugin(std::make_unique<DefaultPreemption>(handle));
  fwk->AddPlugin(std::make_unique<NodeResourcesBalancedAllocation>(), /*score_weight=*/1);
  // TODO(issue 4): ImageLocality (1).
  return fwk;
}

}  // namespace kubesim::scheduler::plugins
