// One scheduling cycle, as pkg/scheduler/schedule_one.go (Kubernetes 1.32):
// ScheduleOne -> schedulingCycle (SchedulePod: findNodesThatFitPod,
// prioritizeNodes, selectHost; PostFilter on a FitError; assume, Reserve,
// Permit) -> bindingCycle (PreBind, Bind -- DefaultBinder's POST
// pods/binding --, PostBind), with handleSchedulingFailure /
// handleBindingCycleError (Unreserve, forget) on the way out. Each attempt
// is recorded for `why` (explanation.cc).
//
// The binding cycle runs on the BindingWorker (binding_worker.h), as
// upstream runs it in a goroutine, while the next scheduling cycles go on;
// the assumed pod is in the cache before the bind, so those cycles count its
// resources.
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

const char* CodeName(Code c) {
  switch (c) {
    case Code::kUnschedulable:
      return "Unschedulable";
    case Code::kUnschedulableAndUnresolvable:
      return "UnschedulableAndUnresolvable";
    case Code::kPending:
      return "Pending";
    case Code::kError:
      return "Error";
    default:
      return "";
  }
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
  // Only what the EventRecorder reads of the object (its ObjectReference
  // and aggregation key: kind, apiVersion, namespace, name, uid,
  // resourceVersion), not a copy of the whole pod.
  api::Object ref = {{"kind", api::Kind(pod).empty() ? std::string("Pod") : api::Kind(pod)},
                     {"apiVersion", api::GetString(pod, "/apiVersion").empty()
                                        ? std::string("v1")
                                        : api::GetString(pod, "/apiVersion")}};
  api::Object meta = api::Object::object();
  for (const char* field : {"name", "namespace", "uid", "resourceVersion"}) {
    if (const api::Object* m = api::Find(pod, "/metadata"); m && m->is_object()) {
      if (auto it = m->find(field); it != m->end()) meta[field] = *it;
    }
  }
  ref["metadata"] = std::move(meta);
  return ref;
}

void SchedulerImpl::ScheduleOne() {
  std::unique_ptr<QueuedPodInfo> qpi = queue_->Pop();
  if (!qpi) return;
  std::shared_ptr<const PodInfo> pod = qpi->pod_info;
  Profile* profile = ProfileFor(pod->scheduler_name);
  if (!profile) {
    // frameworkForPod: the profile is gone; upstream logs and drops it.
    queue_->Done(pod->uid);
    return;
  }
  framework::Framework& fwk = *profile->fwk;

  // skipPodSchedule.
  if (pod->deleting) {
    FinishBindings();  // before the scheduler's own API call
    RecorderFor(*pod).Event(ForEvent(*pod->pod), "Warning", "FailedScheduling",
                            "skip schedule deleting pod: " + pod->ns + "/" + pod->name);
    queue_->Done(pod->uid);
    return;
  }
  if (cache_->IsAssumedPod(pod->uid)) {
    queue_->Done(pod->uid);
    return;
  }

  // schedulingCycle. The state goes with the pod to its binding cycle.
  auto state_owner = std::make_unique<framework::CycleState>();
  framework::CycleState& state = *state_owner;
  AttemptRecord record;
  record.ns = pod->ns;
  record.name = pod->name;
  record.uid = pod->uid;
  record.profile = fwk.profile_name;
  record.time = FormatRfc3339(dispatcher_->clock().Now());
  ScheduleResult result = SchedulePod(fwk, state, *pod, &record);
  // A failure is handled with API calls (events, status patches,
  // preemption): the bindings in flight are finished first.
  if (result.kind != ScheduleResult::Kind::kOk) FinishBindings();
  switch (result.kind) {
    case ScheduleResult::Kind::kOk:
      break;
    case ScheduleResult::Kind::kNoNodes:
      // UnschedulableAndUnresolvable, but no rejector plugins: retried after
      // backoff.
      record.result = "Unschedulable";
      record.message = kErrNoNodesAvailable;
      RecordAttempt(std::move(record), *pod);
      HandleSchedulingFailure(std::move(qpi), /*rejected=*/true, kErrNoNodesAvailable);
      return;
    case ScheduleResult::Kind::kError:
      record.result = "Error";
      record.message = result.error;
      RecordAttempt(std::move(record), *pod);
      HandleSchedulingFailure(std::move(qpi), /*rejected=*/false, result.error);
      return;
    case ScheduleResult::Kind::kFitError: {
      // Run PostFilter plugins (preemption) to make the pod schedulable in a
      // future cycle; their message joins the FitError's.
      // [preemption] The PostFilter's NominatingInfo travels in the
      // CycleState (preemption::kNominatingInfoKey).
      std::optional<std::string> nominated_node;
      if (fwk.HasPostFilterPlugins()) {
        framework::Status s =
            fwk.RunPostFilterPlugins(state, *pod, result.diagnosis.node_to_status);
        result.diagnosis.post_filter_msg = s.Message();
        if (auto* ni = state.Read<preemption::NominatingInfo>(preemption::kNominatingInfoKey)) {
          nominated_node = ni->node;
        }
      }
      qpi->unschedulable_plugins = result.diagnosis.unschedulable_plugins;
      qpi->pending_plugins = result.diagnosis.pending_plugins;
      const std::string msg = framework::FitErrorMessage(result.num_all_nodes, result.diagnosis);
      record.result = "Unschedulable";
      record.message = msg;
      record.pre_filter_msg = result.diagnosis.pre_filter_msg;
      record.post_filter_msg = result.diagnosis.post_filter_msg;
      RecordAttempt(std::move(record), *pod);
      HandleSchedulingFailure(std::move(qpi), /*rejected=*/true, msg, nominated_node);
      return;
    }
  }

  // assume: the pod as if bound, so the next cycle counts it.
  // The PodInfo is copied with node_name set; its pod object stays the
  // unbound one (only the bind-failure path needs an object with
  // spec.nodeName, built there), which spares a JSON copy and re-parse.
  auto assumed_copy = std::make_shared<PodInfo>(*pod);
  assumed_copy->node_name = result.host;
  std::shared_ptr<const PodInfo> assumed_info = std::move(assumed_copy);
  if (kubesim::Status s = cache_->AssumePod(assumed_info); !s.ok()) {
    FinishBindings();
    record.result = "Error";
    record.message = s.message();
    RecordAttempt(std::move(record), *pod);
    HandleSchedulingFailure(std::move(qpi), /*rejected=*/false, s.message());
    return;
  }
  // [preemption] An assumed pod is no longer nominated.
  nominator_.Delete(pod->uid);

  if (framework::Status s = fwk.RunReservePluginsReserve(state, *pod, result.host);
      !s.IsSuccess()) {
    FailAfterAssume(fwk, state, std::move(qpi), *pod, result.host, std::move(record), std::move(s),
                    false);
    return;
  }
  if (framework::Status s = fwk.RunPermitPlugins(state, *pod, result.host); !s.IsSuccess()) {
    FailAfterAssume(fwk, state, std::move(qpi), *pod, result.host, std::move(record), std::move(s),
                    false);
    return;
  }

  // bindingCycle: on the binding worker, as upstream runs it in a goroutine
  // while the next pod's scheduling cycle goes on (binding_worker.h).
  auto binding = std::make_unique<PendingBinding>();
  binding->qpi = std::move(qpi);
  binding->pod = pod;
  binding->fwk = &fwk;
  binding->state = std::move(state_owner);
  binding->record = std::move(record);
  binding->host = std::move(result.host);
  PendingBinding* job = binding.get();
  pending_bindings_.push_back(std::move(binding));
  if (!binding_worker_) {
    // With the dispatchers pinned to one CPU (a process allowed several,
    // executor.h) the worker takes the others; otherwise a second thread
    // would only take turns with the loop, so jobs run inline.
    const int loop_cpu = executor_->DispatcherCpu();
    binding_worker_ =
        std::make_unique<BindingWorker>(options_.binding_thread && loop_cpu >= 0, loop_cpu);
  }
  binding_worker_->Submit([this, job] { RunBindingCycle(*job); });
}

void SchedulerImpl::RunBindingCycle(PendingBinding& b) {
  framework::Status s = b.fwk->RunPreBindPlugins(*b.state, *b.pod, b.host);
  if (s.IsSuccess()) {
    s = b.fwk->RunBindPlugins(*b.state, *b.pod, b.host);
    if (s.IsSkip()) s = framework::Status::Error("all bind plugins skipped");
  }
  if (s.IsSuccess()) {
    RecorderFor(*b.pod).Event(
        ForEvent(*b.pod->pod), "Normal", "Scheduled",
        "Successfully assigned " + b.pod->ns + "/" + b.pod->name + " to " + b.host);
    // A success's record needs nothing of the scheduler's state (only a
    // failure's suggestions read the cache): stored here, under its own
    // mutex, in the same order as inline.
    b.record.result = "Scheduled";
    b.record.node = b.host;
    RecordAttempt(std::move(b.record), *b.pod);
  }
  b.status = std::move(s);
}

void SchedulerImpl::FinishBindings() {
  if (pending_bindings_.empty()) return;
  binding_worker_->Drain();
  std::vector<std::unique_ptr<PendingBinding>> done;
  done.swap(pending_bindings_);
  for (std::unique_ptr<PendingBinding>& b : done) {
    if (!b->status.IsSuccess()) {
      FailAfterAssume(*b->fwk, *b->state, std::move(b->qpi), *b->pod, b->host, std::move(b->record),
                      std::move(b->status), true);
      continue;
    }
    b->fwk->RunPostBindPlugins(*b->state, *b->pod, b->host);
    queue_->Done(b->pod->uid);
  }
}

// A rejection in Reserve/Permit/PreBind/Bind: undo, and report it as a
// FitError over that one node if a plugin rejected the pod, else as an
// error (schedule_one.go schedulingCycle / handleBindingCycleError).
void SchedulerImpl::FailAfterAssume(framework::Framework& fwk, framework::CycleState& state,
                                    std::unique_ptr<QueuedPodInfo> qpi, const PodInfo& pod,
                                    const std::string& host, AttemptRecord record,
                                    framework::Status s, bool binding) {
  FinishBindings();  // no-op when called from it
  fwk.RunReservePluginsUnreserve(state, pod, host);
  cache_->ForgetPod(pod.uid);
  if (binding) {
    // Forgetting the assumed pod frees its resources, like an assigned
    // pod's deletion.
    api::Object assumed = *pod.pod;
    assumed["spec"]["nodeName"] = host;
    queue_->MoveAllToActiveOrBackoffQueue(framework::AssignedPodDeleteEvent(),
                                          api::Share(std::move(assumed)), nullptr);
  }
  std::string msg = s.Message();
  const bool rejected = s.IsRejected();
  if (rejected) {
    framework::Diagnosis d;
    d.node_to_status.Set(host, s);
    d.AddPluginStatus(s);
    qpi->unschedulable_plugins = d.unschedulable_plugins;
    msg = framework::FitErrorMessage(1, d);
  }
  record.result = rejected ? "Unschedulable" : "Error";
  record.node.clear();
  record.message = msg;
  RecordAttempt(std::move(record), pod);
  HandleSchedulingFailure(std::move(qpi), rejected, msg);
}

SchedulerImpl::ScheduleResult SchedulerImpl::SchedulePod(framework::Framework& fwk,
                                                         framework::CycleState& state,
                                                         const PodInfo& pod,
                                                         AttemptRecord* record) {
  ScheduleResult result;
  const std::vector<NodeInfo*>& all_nodes = cache_->NodeList();
  record->node_names = cache_->NodeNames();
  result.num_all_nodes = static_cast<int>(all_nodes.size());
  record->num_all_nodes = result.num_all_nodes;
  if (all_nodes.empty()) {
    result.kind = ScheduleResult::Kind::kNoNodes;
    return result;
  }
  std::vector<NodeInfo*> feasible = FindNodesThatFitPod(fwk, state, pod, &result, record);
  if (result.kind == ScheduleResult::Kind::kError) return result;
  if (feasible.empty()) {
    result.kind = ScheduleResult::Kind::kFitError;
    return result;
  }
  result.feasible_nodes = static_cast<int>(feasible.size());
  record->feasible = result.feasible_nodes;
  // When only one node passes the filters, just use it.
  if (feasible.size() == 1) {
    result.host = feasible[0]->name();
    result.evaluated_nodes = 1 + static_cast<int>(result.diagnosis.node_to_status.Len());
    record->scoring_skipped = true;
    return result;
  }

  // prioritizeNodes. Without score plugins every node scores 1.
  std::vector<framework::NodePluginScores> scores;
  framework::Framework::ScoreDetail detail;
  if (!fwk.HasScorePlugins()) {
    scores.resize(feasible.size());
    for (size_t i = 0; i < feasible.size(); ++i) {
      scores[i].name = feasible[i]->name();
      scores[i].total_score = 1;
    }
  } else {
    framework::Status s = fwk.RunPreScorePlugins(state, pod, feasible);
    if (!s.IsSuccess()) {
      result.kind = ScheduleResult::Kind::kError;
      result.error = s.Message();
      return result;
    }
    scores = fwk.RunScorePlugins(state, pod, feasible, &s, &detail);
    if (!s.IsSuccess()) {
      result.kind = ScheduleResult::Kind::kError;
      result.error = s.Message();
      return result;
    }
  }
  result.host = SelectHost(scores, &record->tied);
  result.evaluated_nodes =
      static_cast<int>(feasible.size() + result.diagnosis.node_to_status.Len());

  // The score table for `why`: feasible rows point at their column.
  for (AttemptRecord::NodeRow& row : record->rows) {
    if (row.feasible) {
      row.score_index = row.feasible_seq;
      row.total = scores[row.feasible_seq].total_score;
    }
  }
  record->scores = std::move(detail);
  return result;
}

int SchedulerImpl::NumFeasibleNodesToFind(std::optional<int32_t> profile_percentage,
                                          int num_all_nodes) const {
  // numFeasibleNodesToFind: the profile's percentageOfNodesToScore, else
  // the global one; 0 = adaptive: 50% - nodes/125, at least 5%; and at
  // least 100 nodes.
  if (num_all_nodes < kMinFeasibleNodesToFind) return num_all_nodes;
  int percentage =
      profile_percentage.value_or(options_.config.percentage_of_nodes_to_score.value_or(0));
  if (percentage == 0) {
    percentage = 50 - num_all_nodes / 125;
    if (percentage < kMinFeasibleNodesPercentageToFind) {
      percentage = kMinFeasibleNodesPercentageToFind;
    }
  }
  int n = num_all_nodes * percentage / 100;
  return n < kMinFeasibleNodesToFind ? kMinFeasibleNodesToFind : n;
}

std::vector<NodeInfo*> SchedulerImpl::FindNodesThatFitPod(framework::Framework& fwk,
                                                          framework::CycleState& state,
                                                          const PodInfo& pod,
                                                          ScheduleResult* result,
                                                          AttemptRecord* record) {
  framework::Diagnosis& diagnosis = result->diagnosis;
  const std::vector<NodeInfo*>& all_nodes = cache_->NodeList();

  framework::PreFilterResult pre_res;
  std::vector<std::string> plugins_with_nodes;
  framework::Status s = fwk.RunPreFilterPlugins(state, pod, &pre_res, &plugins_with_nodes);
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
    const std::string message = s.Message();
    for (const NodeInfo* n : all_nodes) {
      AttemptRecord::Rejection& rej = record->AddRejected(n->list_index());
      rej.plugin = s.plugin();
      rej.code = CodeName(s.code());
      rej.reason = message;
    }
    record->evaluated = static_cast<int>(all_nodes.size());
    return {};
  }

  // [preemption] evaluateNominatedNode: a pod nominated by an earlier
  // preemption tries that node first; if it passes, it is the only one.
  const std::string nominated = api::GetString(*pod.pod, "/status/nominatedNodeName");
  if (!nominated.empty()) {
    if (NodeInfo* node = cache_->GetNode(nominated)) {
      framework::Status fs =
          preemption::RunFilterPluginsWithNominatedPods(fwk, &nominator_, state, pod, *node);
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
  const int num_to_find = NumFeasibleNodesToFind(fwk.percentage_of_nodes_to_score, num_nodes);
  record->num_to_find = num_to_find;
  record->start_index = num_nodes == 0 ? 0 : next_start_node_index_ % num_nodes;
  std::vector<NodeInfo*> feasible;
  feasible.reserve(std::min(num_nodes, num_to_find));
  int processed = 0;
  record->rows.reserve(std::min(num_nodes, num_to_find * 2));
  // How many nodes ahead of the one being filtered to prefetch.
  constexpr int kPrefetchAhead = 4;
  for (int i = 0; i < kPrefetchAhead && i < num_nodes; ++i) {
    (*nodes)[(next_start_node_index_ + i) % num_nodes]->Prefetch();
  }
  const bool no_nominations = nominator_.empty();
  for (int i = 0; i < num_nodes; ++i) {
    NodeInfo* node = (*nodes)[(next_start_node_index_ + i) % num_nodes];
    if (i + kPrefetchAhead < num_nodes) {
      (*nodes)[(next_start_node_index_ + i + kPrefetchAhead) % num_nodes]->Prefetch();
    }
    ++processed;
    // With nothing nominated anywhere (the usual case) the nominated-pods
    // pass is plain RunFilterPlugins: called directly, per node.
    framework::Status fs = no_nominations ? fwk.RunFilterPlugins(state, pod, *node)
                                          : preemption::RunFilterPluginsWithNominatedPods(
                                                fwk, &nominator_, state, pod, *node);
    if (fs.IsSuccess()) {
      // Built whole and pushed: the row is written once (emplace_back then
      // field by field wrote the defaults first).
      record->rows.push_back(
          AttemptRecord::NodeRow{.node = node->list_index(),
                                 .feasible_seq = static_cast<int32_t>(feasible.size()),
                                 .evaluated = true,
                                 .feasible = true});
      feasible.push_back(node);
      if (static_cast<int>(feasible.size()) >= num_to_find) break;
    } else if (fs.IsRejected()) {
      AttemptRecord::Rejection& rej = record->AddRejected(node->list_index());
      rej.plugin = fs.plugin();
      rej.code = CodeName(fs.code());
      rej.reason = fs.Message();
      diagnosis.AddPluginStatus(fs);
      diagnosis.node_to_status.Set(node->name(), std::move(fs));
    } else {
      result->kind = ScheduleResult::Kind::kError;
      result->error = fs.Message();
      return {};
    }
  }
  record->evaluated = processed;
  if (!all_nodes.empty()) {
    next_start_node_index_ =
        (next_start_node_index_ + processed) % static_cast<int>(all_nodes.size());
  }
  return feasible;
}

std::string SchedulerImpl::SelectHost(const std::vector<framework::NodePluginScores>& scores,
                                      int* tied) {
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
  *tied = static_cast<int>(count_of_max);
  return std::string(scores[selected].name);
}

void SchedulerImpl::HandleSchedulingFailure(std::unique_ptr<QueuedPodInfo> qpi, bool rejected,
                                            const std::string& message,
                                            const std::optional<std::string>& nominated_node) {
  // Its event and status patch are API calls: the bindings in flight first.
  FinishBindings();
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
  RecorderFor(*pod).Event(ForEvent(*pod->pod), "Warning", "FailedScheduling",
                          TruncateMessage(message));
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

}  // namespace kubesim::scheduler
