// One scheduling cycle, as pkg/scheduler/schedule_one.go (Kubernetes 1.32):
// ScheduleOne -> schedulingCycle (SchedulePod: findNodesThatFitPod,
// prioritizeNodes, selectHost; PostFilter on a FitError; assume) ->
// bindingCycle (DefaultBinder's POST pods/binding), with
// handleSchedulingFailure / handleBindingCycleError on the way out.
//
// The binding cycle runs synchronously right after the scheduling cycle
// (upstream runs it in a goroutine); the assumed pod is in the cache before
// the bind, so the next cycle counts its resources either way.
#include <algorithm>
#include <utility>

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "plugins/plugins.h"
#include "preemption/preemption.h"
#include "scheduler_impl.h"

namespace kubesim::scheduler {
namespace {

using framework::Code;

// schedule_one.go: minFeasibleNodesToFind, minFeasibleNodesPercentageToFind.
constexpr int kMinFeasibleNodesToFind = 100;
constexpr int kMinFeasibleNodesPercentageToFind = 5;
// ErrNoNodesAvailable.
constexpr char kErrNoNodesAvailable[] = "no nodes available to schedule pods";
// validation.NoteLengthLimit, used by truncateMessage for events.
constexpr size_t kNoteLengthLimit = 1024;

std::string TruncateMessage(const std::string& message) {
  if (message.size() <= kNoteLengthLimit) return message;
  const std::string suffix = " ...";
  return message.substr(0, kNoteLengthLimit - suffix.size()) + suffix;
}

// The message of a failed API call, as the client's error would print.
std::string ResponseMessage(const api::Response& r) {
  if (r.code == 0) return "the server is currently unable to handle the request";
  std::string msg = api::GetString(r.body, "/message");
  return msg.empty() ? "unexpected response code " + std::to_string(r.code) : msg;
}

// Go's fmt %v of a []string: "[a b]".
std::string GoList(const std::set<std::string>& items) {
  std::string out = "[";
  bool first = true;
  for (const std::string& s : items) {
    if (!first) out += " ";
    out += s;
    first = false;
  }
  return out + "]";
}

}  // namespace

api::Object SchedulerImpl::ForEvent(const api::Object& pod) const {
  api::Object copy = pod;
  if (api::Kind(copy).empty()) copy["kind"] = "Pod";
  if (api::GetString(copy, "/apiVersion").empty()) copy["apiVersion"] = "v1";
  return copy;
}

void SchedulerImpl::ScheduleOne() {
  std::unique_ptr<QueuedPodInfo> qpi = queue_->Pop();
  if (!qpi) return;
  std::shared_ptr<const PodInfo> pod = qpi->pod_info;

  // skipPodSchedule.
  if (pod->deleting) {
    recorder_->Event(ForEvent(*pod->pod), "Warning", "FailedScheduling",
                     "skip schedule deleting pod: " + pod->ns + "/" + pod->name);
    queue_->Done(pod->uid);
    return;
  }
  if (cache_->IsAssumedPod(pod->uid)) {
    queue_->Done(pod->uid);
    return;
  }

  // schedulingCycle.
  framework::CycleState state;
  ScheduleResult result = SchedulePod(state, *pod);
  switch (result.kind) {
    case ScheduleResult::Kind::kOk:
      break;
    case ScheduleResult::Kind::kNoNodes:
      // UnschedulableAndUnresolvable, but no rejector plugins: retried after
      // backoff.
      HandleSchedulingFailure(std::move(qpi), /*rejected=*/true, kErrNoNodesAvailable);
      return;
    case ScheduleResult::Kind::kError:
      HandleSchedulingFailure(std::move(qpi), /*rejected=*/false, result.error);
      return;
    case ScheduleResult::Kind::kFitError: {
      // Run PostFilter plugins (preemption) to make the pod schedulable in a
      // future cycle; their message joins the FitError's.
      // [preemption] The PostFilter's NominatingInfo travels in the
      // CycleState (preemption::kNominatingInfoKey).
      std::optional<std::string> nominated_node;
      if (fwk_->HasPostFilterPlugins()) {
        framework::Status s =
            fwk_->RunPostFilterPlugins(state, *pod, result.diagnosis.node_to_status);
        result.diagnosis.post_filter_msg = s.Message();
        if (auto* ni = state.Read<preemption::NominatingInfo>(preemption::kNominatingInfoKey)) {
          nominated_node = ni->node;
        }
      }
      qpi->unschedulable_plugins = result.diagnosis.unschedulable_plugins;
      qpi->pending_plugins = result.diagnosis.pending_plugins;
      HandleSchedulingFailure(std::move(qpi), /*rejected=*/true,
                              framework::FitErrorMessage(result.num_all_nodes, result.diagnosis),
                              nominated_node);
      return;
    }
  }

  // assume: the pod as if bound, so the next cycle counts it.
  api::Object assumed = *pod->pod;
  assumed["spec"]["nodeName"] = result.host;
  std::shared_ptr<const PodInfo> assumed_info = NewPodInfo(api::Share(std::move(assumed)));
  if (kubesim::Status s = cache_->AssumePod(assumed_info); !s.ok()) {
    HandleSchedulingFailure(std::move(qpi), /*rejected=*/false, s.message());
    return;
  }
  // [preemption] An assumed pod is no longer nominated.
  nominator_.Delete(pod->uid);
  // TODO(issue 4): Reserve / Permit / PreBind plugins (volume binding).

  // bindingCycle.
  std::string bind_error = Bind(*pod, result.host);
  if (!bind_error.empty()) {
    // handleBindingCycleError: forgetting the assumed pod frees its
    // resources, like an assigned pod's deletion.
    cache_->ForgetPod(assumed_info->uid);
    queue_->MoveAllToActiveOrBackoffQueue(framework::AssignedPodDeleteEvent(), assumed_info->pod,
                                          nullptr);
    HandleSchedulingFailure(
        std::move(qpi), /*rejected=*/false,
        "running Bind plugin \"" + std::string(plugins::kDefaultBinder) + "\": " + bind_error);
    return;
  }
  recorder_->Event(ForEvent(*assumed_info->pod), "Normal", "Scheduled",
                   "Successfully assigned " + pod->ns + "/" + pod->name + " to " + result.host);
  queue_->Done(pod->uid);
}

SchedulerImpl::ScheduleResult SchedulerImpl::SchedulePod(framework::CycleState& state,
                                                         const PodInfo& pod) {
  ScheduleResult result;
  const std::vector<NodeInfo*>& all_nodes = cache_->NodeList();
  result.num_all_nodes = static_cast<int>(all_nodes.size());
  if (all_nodes.empty()) {
    result.kind = ScheduleResult::Kind::kNoNodes;
    return result;
  }
  std::vector<NodeInfo*> feasible = FindNodesThatFitPod(state, pod, &result);
  if (result.kind == ScheduleResult::Kind::kError) return result;
  if (feasible.empty()) {
    result.kind = ScheduleResult::Kind::kFitError;
    return result;
  }
  result.feasible_nodes = static_cast<int>(feasible.size());
  // When only one node passes the filters, just use it.
  if (feasible.size() == 1) {
    result.host = feasible[0]->name();
    result.evaluated_nodes = 1 + static_cast<int>(result.diagnosis.node_to_status.Len());
    return result;
  }

  // prioritizeNodes.
  framework::Status s = fwk_->RunPreScorePlugins(state, pod, feasible);
  if (!s.IsSuccess()) {
    result.kind = ScheduleResult::Kind::kError;
    result.error = s.Message();
    return result;
  }
  std::vector<framework::NodePluginScores> scores = fwk_->RunScorePlugins(state, pod, feasible, &s);
  if (!s.IsSuccess()) {
    result.kind = ScheduleResult::Kind::kError;
    result.error = s.Message();
    return result;
  }
  result.host = SelectHost(scores);
  result.evaluated_nodes =
      static_cast<int>(feasible.size() + result.diagnosis.node_to_status.Len());
  return result;
}

int SchedulerImpl::NumFeasibleNodesToFind(int num_all_nodes) const {
  // numFeasibleNodesToFind with the default percentageOfNodesToScore (0 =
  // adaptive: 50% - nodes/125, at least 5%, and at least 100 nodes).
  if (num_all_nodes < kMinFeasibleNodesToFind) return num_all_nodes;
  int percentage = 50 - num_all_nodes / 125;
  if (percentage < kMinFeasibleNodesPercentageToFind) {
    percentage = kMinFeasibleNodesPercentageToFind;
  }
  int n = num_all_nodes * percentage / 100;
  return n < kMinFeasibleNodesToFind ? kMinFeasibleNodesToFind : n;
}

std::vector<NodeInfo*> SchedulerImpl::FindNodesThatFitPod(framework::CycleState& state,
                                                          const PodInfo& pod,
                                                          ScheduleResult* result) {
  framework::Diagnosis& diagnosis = result->diagnosis;
  const std::vector<NodeInfo*>& all_nodes = cache_->NodeList();

  framework::PreFilterResult pre_res;
  std::vector<std::string> plugins_with_nodes;
  framework::Status s = fwk_->RunPreFilterPlugins(state, pod, &pre_res, &plugins_with_nodes);
  for (const std::string& p : plugins_with_nodes) diagnosis.unschedulable_plugins.insert(p);
  if (!s.IsSuccess()) {
    if (!s.IsRejected()) {
      result->kind = ScheduleResult::Kind::kError;
      result->error = s.Message();
      return {};
    }
    // Every node gets the PreFilter's status (for preemption), and the
    // message is the PreFilter's alone.
    diagnosis.node_to_status.SetAbsentNodesStatus(s);
    diagnosis.pre_filter_msg = s.Message();
    diagnosis.AddPluginStatus(s);
    return {};
  }

  // [preemption] evaluateNominatedNode: a pod nominated by an earlier
  // preemption tries that node first; if it passes, it is the only one.
  const std::string nominated = api::GetString(*pod.pod, "/status/nominatedNodeName");
  if (!nominated.empty()) {
    if (NodeInfo* node = cache_->GetNode(nominated)) {
      framework::Status fs =
          preemption::RunFilterPluginsWithNominatedPods(*fwk_, &nominator_, state, pod, *node);
      if (fs.IsSuccess()) return {node};
      if (!fs.IsRejected()) {
        result->kind = ScheduleResult::Kind::kError;
        result->error = fs.Message();
        return {};
      }
    }
  }

  std::vector<NodeInfo*> restricted;
  const std::vector<NodeInfo*>* nodes = &all_nodes;
  if (!pre_res.AllNodes()) {
    for (const std::string& name : *pre_res.node_names) {
      if (NodeInfo* n = cache_->GetNode(name)) restricted.push_back(n);
    }
    nodes = &restricted;
    std::set<std::string> names(plugins_with_nodes.begin(), plugins_with_nodes.end());
    diagnosis.node_to_status.SetAbsentNodesStatus(
        framework::Status(Code::kUnschedulableAndUnresolvable,
                          {"node(s) didn't satisfy plugin(s) " + GoList(names)}));
  }

  // findNodesThatPassFilters: from nextStartNodeIndex round the list, until
  // enough feasible nodes are found.
  const int num_nodes = static_cast<int>(nodes->size());
  const int num_to_find = NumFeasibleNodesToFind(num_nodes);
  std::vector<NodeInfo*> feasible;
  int processed = 0;
  for (int i = 0; i < num_nodes; ++i) {
    NodeInfo* node = (*nodes)[(next_start_node_index_ + i) % num_nodes];
    ++processed;
    framework::Status fs =
        preemption::RunFilterPluginsWithNominatedPods(*fwk_, &nominator_, state, pod, *node);
    if (fs.IsSuccess()) {
      feasible.push_back(node);
      if (static_cast<int>(feasible.size()) >= num_to_find) break;
    } else if (fs.IsRejected()) {
      diagnosis.AddPluginStatus(fs);
      diagnosis.node_to_status.Set(node->name(), std::move(fs));
    } else {
      result->kind = ScheduleResult::Kind::kError;
      result->error = fs.Message();
      return {};
    }
  }
  if (!all_nodes.empty()) {
    next_start_node_index_ =
        (next_start_node_index_ + processed) % static_cast<int>(all_nodes.size());
  }
  return feasible;
}

std::string SchedulerImpl::SelectHost(const std::vector<framework::NodePluginScores>& scores) {
  // selectHost: the highest total score; ties broken by reservoir sampling
  // (the k-th node with the top score replaces the pick with probability
  // 1/k), with the scheduler's seeded Random.
  size_t selected = 0;
  int64_t max_score = scores[0].total_score;
  uint64_t count_of_max = 1;
  for (size_t i = 1; i < scores.size(); ++i) {
    if (scores[i].total_score > max_score) {
      max_score = scores[i].total_score;
      selected = i;
      count_of_max = 1;
    } else if (scores[i].total_score == max_score) {
      ++count_of_max;
      if (random_.Uniform(count_of_max) == 0) selected = i;
    }
  }
  return std::string(scores[selected].name);
}

void SchedulerImpl::HandleSchedulingFailure(std::unique_ptr<QueuedPodInfo> qpi, bool rejected,
                                            const std::string& message,
                                            const std::optional<std::string>& nominated_node) {
  const std::string reason = rejected ? "Unschedulable" : "SchedulerError";
  std::shared_ptr<const PodInfo> pod = qpi->pod_info;
  // Requeue the informer's latest copy, unless the pod is gone or has been
  // bound meanwhile.
  api::ObjectPtr cached = pod_informer_->Get(pod->ns + "/" + pod->name);
  if (!cached || !api::GetString(*cached, "/spec/nodeName").empty()) {
    queue_->Done(pod->uid);
  } else {
    qpi->pod_info = NewPodInfo(cached);
    queue_->AddUnschedulableIfNotPresent(std::move(qpi));
  }
  recorder_->Event(ForEvent(*pod->pod), "Warning", "FailedScheduling", TruncateMessage(message));
  // [preemption] AddNominatedPod with the PostFilter's nomination.
  if (nominated_node && cached) nominator_.Add(NewPodInfo(cached), nominated_node);
  UpdatePodScheduledCondition(cached ? *cached : *pod->pod, reason, message, nominated_node);
}

void SchedulerImpl::UpdatePodScheduledCondition(const api::Object& pod, const std::string& reason,
                                                const std::string& message,
                                                const std::optional<std::string>& nominated_node) {
  // NominatedNodeName is written only when set and different (updatePod).
  const bool nnn_needs_update =
      nominated_node && api::GetString(pod, "/status/nominatedNodeName") != *nominated_node;
  // podutil.UpdatePodCondition: lastTransitionTime moves only when the
  // status changes; nothing is written when nothing changed.
  api::Object conditions = api::Object::array();
  if (const api::Object* c = api::Find(pod, "/status/conditions"); c && c->is_array()) {
    conditions = *c;
  }
  api::Object cond = {
      {"type", "PodScheduled"},   {"status", "False"},
      {"lastProbeTime", nullptr}, {"lastTransitionTime", FormatRfc3339(dispatcher_->clock().Now())},
      {"reason", reason},         {"message", message}};
  bool found = false;
  for (api::Object& old : conditions) {
    if (api::GetString(old, "/type") != "PodScheduled") continue;
    found = true;
    if (api::GetString(old, "/status") == "False") {
      cond["lastTransitionTime"] = old.value("lastTransitionTime", api::Object());
    }
    if (api::GetString(old, "/status") == "False" && api::GetString(old, "/reason") == reason &&
        api::GetString(old, "/message") == message && !nnn_needs_update) {
      return;  // unchanged
    }
    old = cond;
    break;
  }
  if (!found) conditions.push_back(cond);

  // util.PatchPodStatus. The full list is sent: right under both a JSON
  // merge patch and a strategic merge (conditions merge on "type").
  api::Request req;
  req.verb = api::Verb::kPatch;
  req.gvr = api::kPods;
  req.namespace_ = api::Namespace(pod);
  req.name = api::Name(pod);
  req.subresource = "status";
  req.content_type = api::kStrategicMergePatch;
  req.body = {{"status", {{"conditions", conditions}}}};
  if (nnn_needs_update) {
    req.body["status"]["nominatedNodeName"] =
        nominated_node->empty() ? api::Object() : api::Object(*nominated_node);
  }
  client_->Do(std::move(req));  // errors are only logged upstream
}

std::string SchedulerImpl::Bind(const PodInfo& pod, const std::string& node) {
  // defaultbinder/default_binder.go: POST pods/<name>/binding.
  api::Request req;
  req.verb = api::Verb::kCreate;
  req.gvr = api::kPods;
  req.namespace_ = pod.ns;
  req.name = pod.name;
  req.subresource = "binding";
  req.body = {
      {"apiVersion", "v1"},
      {"kind", "Binding"},
      {"metadata", {{"name", pod.name}, {"namespace", pod.ns}, {"uid", api::Uid(*pod.pod)}}},
      {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", node}}}};
  api::Response r = client_->Do(std::move(req));
  return r.ok() ? "" : ResponseMessage(r);
}

}  // namespace kubesim::scheduler
