#include "framework.h"

#include <algorithm>

namespace kubesim::scheduler::framework {
namespace {

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// Go's fmt %v of a []string: "[a b]".
std::string GoList(const std::vector<std::string>& items) { return "[" + Join(items, " ") + "]"; }

}  // namespace

const std::vector<std::string> Status::kNoReasons;
const std::string Status::kNoPlugin;

std::string Status::Message() const { return rep_ ? Join(rep_->reasons, ", ") : std::string(); }

CycleState CycleState::Clone() const {
  CycleState copy;
  for (const auto& [key, data] : storage_) copy.storage_[key] = data ? data->Clone() : nullptr;
  copy.skip_filter_plugins = skip_filter_plugins;
  copy.skip_score_plugins = skip_score_plugins;
  copy.filters_to_run = filters_to_run;
  copy.filters_to_run_for = filters_to_run_for;
  return copy;
}

void Diagnosis::AddPluginStatus(const Status& s) {
  if (s.plugin().empty()) return;
  if (s.IsRejected()) unschedulable_plugins.insert(s.plugin());
  if (s.code() == Code::kPending) pending_plugins.insert(s.plugin());
}

std::string FitErrorMessage(int num_all_nodes, const Diagnosis& diagnosis) {
  // pkg/scheduler/framework/types.go (1.32) FitError.Error().
  std::string msg = "0/" + std::to_string(num_all_nodes) + " nodes are available:";
  if (!diagnosis.pre_filter_msg.empty()) {
    msg += " " + diagnosis.pre_filter_msg + ".";
  } else {
    std::map<std::string, int> reasons;
    for (const auto& [node, status] : diagnosis.node_to_status.explicit_statuses()) {
      for (const std::string& r : status.reasons()) ++reasons[r];
    }
    const int explicit_count = static_cast<int>(diagnosis.node_to_status.Len());
    if (explicit_count < num_all_nodes) {
      for (const std::string& r : diagnosis.node_to_status.absent_nodes_status().reasons()) {
        reasons[r] += num_all_nodes - explicit_count;
      }
    }
    std::vector<std::string> histogram;
    for (const auto& [reason, count] : reasons) {
      histogram.push_back(std::to_string(count) + " " + reason);
    }
    std::sort(histogram.begin(), histogram.end());  // sort.Strings: byte order
    if (!histogram.empty()) msg += " " + Join(histogram, ", ") + ".";
  }
  if (!diagnosis.post_filter_msg.empty()) msg += " " + diagnosis.post_filter_msg;
  return msg;
}

// internal/queue/events.go.
ClusterEvent NodeAddEvent() { return {EventResource::kNode, action::kAdd, "NodeAdd"}; }
ClusterEvent AssignedPodAddEvent() {
  return {EventResource::kAssignedPod, action::kAdd, "AssignedPodAdd"};
}
ClusterEvent AssignedPodDeleteEvent() {
  return {EventResource::kAssignedPod, action::kDelete, "AssignedPodDelete"};
}
ClusterEvent UnschedulableTimeoutEvent() {
  return {EventResource::kWildCard, action::kAll, "UnschedulableTimeout"};
}

void DefaultNormalizeScore(int64_t max_priority, bool reverse, std::vector<NodeScore>& scores) {
  // pkg/scheduler/framework/plugins/helper/normalize_score.go.
  int64_t max_count = 0;
  for (const NodeScore& s : scores) max_count = std::max(max_count, s.score);
  if (max_count == 0) {
    if (reverse) {
      for (NodeScore& s : scores) s.score = max_priority;
    }
    return;
  }
  for (NodeScore& s : scores) {
    int64_t score = max_priority * s.score / max_count;
    if (reverse) score = max_priority - score;
    s.score = score;
  }
}

void Framework::AddPlugin(std::unique_ptr<Plugin> plugin, int64_t score_weight) {
  Plugin* p = Own(std::move(plugin));
  for (ExtensionPoint point :
       {ExtensionPoint::kPreEnqueue, ExtensionPoint::kQueueSort, ExtensionPoint::kPreFilter,
        ExtensionPoint::kFilter, ExtensionPoint::kPostFilter, ExtensionPoint::kPreScore,
        ExtensionPoint::kScore, ExtensionPoint::kReserve, ExtensionPoint::kPermit,
        ExtensionPoint::kPreBind, ExtensionPoint::kBind, ExtensionPoint::kPostBind}) {
    if (Implements(*p, point)) Enable(point, p, score_weight);
  }
}

Status Framework::RunPreFilterPlugins(CycleState& state, const PodInfo& pod,
                                      PreFilterResult* result,
                                      std::vector<std::string>* plugins_with_nodes) {
  // runtime/framework.go RunPreFilterPlugins (1.32).
  *result = PreFilterResult{};
  plugins_with_nodes->clear();
  std::set<std::string, std::less<>> skip;
  Status return_status;
  for (const auto& [pl, name] : pre_filter_) {
    PreFilterResult r;
    Status s = pl->PreFilter(state, pod, &r);
    if (s.IsSkip()) {
      skip.insert(name);
      continue;
    }
    if (!s.IsSuccess()) {
      s.WithPlugin(name);
      if (s.code() == Code::kUnschedulableAndUnresolvable) return s;
      if (s.code() == Code::kUnschedulable) {
        // Preemption may still help: run the remaining PreFilters.
        return_status = s;
        continue;
      }
      return Status::Error("running PreFilter plugin \"" + name + "\": " + s.Message())
          .WithPlugin(name);
    }
    if (r.AllNodes()) continue;
    plugins_with_nodes->push_back(name);
    if (result->AllNodes()) {
      result->node_names = r.node_names;
    } else {
      std::set<std::string> both;
      for (const std::string& n : *result->node_names) {
        if (r.node_names->contains(n)) both.insert(n);
      }
      result->node_names = std::move(both);
    }
    if (result->node_names->empty()) {
      std::vector<std::string> sorted = *plugins_with_nodes;
      std::sort(sorted.begin(), sorted.end());
      std::string msg = sorted.size() == 1 ? "node(s) didn't satisfy plugin " + sorted[0]
                                           : "node(s) didn't satisfy plugin(s) " + GoList(sorted) +
                                                 " simultaneously";
      return Status(Code::kUnschedulableAndUnresolvable, {msg});
    }
  }
  state.skip_filter_plugins = std::move(skip);
  state.filters_to_run.clear();
  // Plugins that pass this pod on every node are left out too: dropping a
  // Success from the loop cannot change which plugin fails first.
  for (size_t i = 0; i < filter_.size(); ++i) {
    if (!state.skip_filter_plugins.contains(filter_[i].name) &&
        !filter_[i].plugin->FitsEveryNode(pod)) {
      state.filters_to_run.push_back(static_cast<uint32_t>(i));
    }
  }
  state.filters_to_run_for = filter_.size();
  return return_status;
}

namespace {

// A Filter plugin's non-Success, as RunFilterPlugins returns it: a
// rejection keeps its reasons, anything else becomes an Error; both name
// the plugin. Out of line: the per-node loop only reaches it on failure.
Status FilterFailure(Status s, const std::string& plugin) {
  if (!s.IsRejected()) {
    s = Status::Error("running \"" + plugin + "\" filter plugin: " + s.Message());
  }
  s.WithPlugin(plugin);
  return s;
}

}  // namespace

Status Framework::RunFilterPlugins(CycleState& state, const PodInfo& pod, const NodeInfo& node) {
  // runtime/framework.go RunFilterPlugins: the first non-Success stops.
  if (state.filters_to_run_for == filter_.size()) {
    for (const uint32_t i : state.filters_to_run) {
      Status s = filter_[i].plugin->Filter(state, pod, node);
      if (!s.IsSuccess()) return FilterFailure(std::move(s), filter_[i].name);
    }
    return Status();
  }
  for (const Named<FilterPlugin>& entry : filter_) {
    if (!state.skip_filter_plugins.empty() && state.skip_filter_plugins.contains(entry.name)) {
      continue;
    }
    Status s = entry.plugin->Filter(state, pod, node);
    if (!s.IsSuccess()) return FilterFailure(std::move(s), entry.name);
  }
  return Status();
}

Status Framework::RunPostFilterPlugins(CycleState& state, const PodInfo& pod,
                                       const NodeToStatus& filtered) {
  // runtime/framework.go RunPostFilterPlugins.
  std::vector<std::string> reasons;
  std::string rejector;
  for (const auto& [pl, name] : post_filter_) {
    Status s = pl->PostFilter(state, pod, filtered);
    if (s.IsSuccess()) return s;
    if (s.code() == Code::kUnschedulableAndUnresolvable) return s.WithPlugin(name);
    if (!s.IsRejected()) return Status::Error(s.Message()).WithPlugin(name);
    reasons.insert(reasons.end(), s.reasons().begin(), s.reasons().end());
    if (rejector.empty()) rejector = name;
  }
  return Status(Code::kUnschedulable, std::move(reasons)).WithPlugin(rejector);
}

Status Framework::RunPreScorePlugins(CycleState& state, const PodInfo& pod,
                                     const std::vector<NodeInfo*>& nodes) {
  std::set<std::string, std::less<>> skip;
  for (const auto& [pl, name] : pre_score_) {
    Status s = pl->PreScore(state, pod, nodes);
    if (s.IsSkip()) {
      skip.insert(name);
      continue;
    }
    if (!s.IsSuccess()) {
      return Status::Error("running PreScore plugin \"" + name + "\": " + s.Message());
    }
  }
  state.skip_score_plugins = std::move(skip);
  return Status();
}

std::vector<NodePluginScores> Framework::RunScorePlugins(CycleState& state, const PodInfo& pod,
                                                         const std::vector<NodeInfo*>& nodes,
                                                         Status* status, ScoreDetail* detail) {
  // runtime/framework.go RunScorePlugins.
  *status = Status();
  std::vector<NodePluginScores> all(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    all[i].name = nodes[i]->name();
    // With `detail` the per-plugin scores live there; not repeating them per
    // node spares an allocation per node and cycle.
    if (!detail) all[i].scores.reserve(score_.size());
  }
  // The per-plugin scores reuse one buffer across cycles (a node-sized
  // allocation per cycle otherwise), and the detail's per-plugin rows are
  // reserved once.
  // Every plugin's loop below writes all n scores before anything reads
  // them, so the buffer is only sized, not cleared (a fill per cycle).
  std::vector<NodeScore>& scores = score_buffer_;
  scores.resize(nodes.size());
  // The names are the same for every plugin (NormalizeScore changes only
  // scores), so they are written once per cycle; the plugin loops write
  // just the score.
  for (size_t i = 0; i < nodes.size(); ++i) scores[i].name = nodes[i]->name();
  if (detail) {
    detail->plugins.reserve(score_.size());
    detail->weights.reserve(score_.size());
    detail->nodes = nodes.size();
    detail->raw.reserve(score_.size() * nodes.size());
    detail->normalized.reserve(score_.size() * nodes.size());
  }
  for (const ScoreEntry& entry : score_) {
    ScorePlugin* pl = entry.plugin;
    const std::string& name = entry.name;
    if (state.skip_score_plugins.contains(name)) continue;
    // One Status for the plugin's whole node loop: Score writes it only on
    // failure, and the loop stops at the first one, so this is the per-node
    // Status of runtime/framework.go without building one per node.
    Status s;
    // Local copies of the buffers' addresses: the loops call plugins
    // virtually, and through members the addresses would be reloaded per
    // node.
    const size_t n = nodes.size();
    NodeInfo* const* node_at = nodes.data();
    NodeScore* score_at = scores.data();
    NodePluginScores* total_at = all.data();
    for (size_t i = 0; i < n; ++i) {
      score_at[i].score = pl->Score(state, pod, *node_at[i], &s);
      if (!s.IsSuccess()) {
        *status = Status::Error("running Score plugin \"" + name + "\": " + s.Message());
        return {};
      }
    }
    // The detail rows were reserved above, so appending never reallocates;
    // appending (rather than resize, which zero-fills element by element,
    // then a copy) touches each score once.
    if (detail) {
      detail->plugins.push_back(name);
      detail->weights.push_back(entry.weight);
      std::vector<int64_t>& raw = detail->raw;
      for (size_t i = 0; i < n; ++i) raw.push_back(score_at[i].score);
    }
    if (pl->HasNormalizeScore()) {
      Status ns = pl->NormalizeScore(state, pod, scores);
      if (!ns.IsSuccess()) {
        *status = Status::Error("running Normalize on Score plugins: " + ns.Message());
        return {};
      }
      score_at = scores.data();  // NormalizeScore had the vector
    }
    auto invalid = [&](int64_t score) {
      *status = Status::Error("plugin \"" + name + "\" returns an invalid score " +
                              std::to_string(score) + ", it should in the range of [0, 100] " +
                              "after normalizing");
    };
    const int64_t weight = entry.weight;
    if (detail) {
      const size_t normalized_base = detail->normalized.size();
      detail->normalized.resize(normalized_base + n);
      uint8_t* normalized = detail->normalized.data() + normalized_base;
      for (size_t i = 0; i < n; ++i) {
        const int64_t score = score_at[i].score;
        if (score > kMaxNodeScore || score < kMinNodeScore) {
          // As if appended node by node: only the nodes before this one.
          detail->normalized.resize(normalized_base + i);
          invalid(score);
          return {};
        }
        normalized[i] = static_cast<uint8_t>(score);
        total_at[i].total_score += score * weight;
      }
    } else {
      for (size_t i = 0; i < n; ++i) {
        const int64_t score = score_at[i].score;
        if (score > kMaxNodeScore || score < kMinNodeScore) {
          invalid(score);
          return {};
        }
        const int64_t weighted = score * weight;
        total_at[i].scores.push_back(PluginScore{name, weighted});
        total_at[i].total_score += weighted;
      }
    }
  }
  return all;
}

}  // namespace kubesim::scheduler::framework

namespace kubesim::scheduler::framework {

const char* ExtensionPointName(ExtensionPoint p) {
  switch (p) {
    case ExtensionPoint::kPreEnqueue:
      return "preEnqueue";
    case ExtensionPoint::kQueueSort:
      return "queueSort";
    case ExtensionPoint::kPreFilter:
      return "preFilter";
    case ExtensionPoint::kFilter:
      return "filter";
    case ExtensionPoint::kPostFilter:
      return "postFilter";
    case ExtensionPoint::kPreScore:
      return "preScore";
    case ExtensionPoint::kScore:
      return "score";
    case ExtensionPoint::kReserve:
      return "reserve";
    case ExtensionPoint::kPermit:
      return "permit";
    case ExtensionPoint::kPreBind:
      return "preBind";
    case ExtensionPoint::kBind:
      return "bind";
    case ExtensionPoint::kPostBind:
      return "postBind";
  }
  return "";
}

bool Implements(const Plugin& plugin, ExtensionPoint p) {
  const Plugin* pl = &plugin;
  switch (p) {
    case ExtensionPoint::kPreEnqueue:
      return dynamic_cast<const PreEnqueuePlugin*>(pl) != nullptr;
    case ExtensionPoint::kQueueSort:
      return dynamic_cast<const QueueSortPlugin*>(pl) != nullptr;
    case ExtensionPoint::kPreFilter:
      return dynamic_cast<const PreFilterPlugin*>(pl) != nullptr;
    case ExtensionPoint::kFilter:
      return dynamic_cast<const FilterPlugin*>(pl) != nullptr;
    case ExtensionPoint::kPostFilter:
      return dynamic_cast<const PostFilterPlugin*>(pl) != nullptr;
    case ExtensionPoint::kPreScore:
      return dynamic_cast<const PreScorePlugin*>(pl) != nullptr;
    case ExtensionPoint::kScore:
      return dynamic_cast<const ScorePlugin*>(pl) != nullptr;
    case ExtensionPoint::kReserve:
      return dynamic_cast<const ReservePlugin*>(pl) != nullptr;
    case ExtensionPoint::kPermit:
      return dynamic_cast<const PermitPlugin*>(pl) != nullptr;
    case ExtensionPoint::kPreBind:
      return dynamic_cast<const PreBindPlugin*>(pl) != nullptr;
    case ExtensionPoint::kBind:
      return dynamic_cast<const BindPlugin*>(pl) != nullptr;
    case ExtensionPoint::kPostBind:
      return dynamic_cast<const PostBindPlugin*>(pl) != nullptr;
  }
  return false;
}

Plugin* Framework::Own(std::unique_ptr<Plugin> plugin) {
  Plugin* p = plugin.get();
  if (auto* e = dynamic_cast<EnqueueExtensions*>(p)) hints_[p->Name()] = e->EventsToRegister();
  plugins_.push_back(std::move(plugin));
  return p;
}

void Framework::Enable(ExtensionPoint p, Plugin* plugin, int64_t score_weight) {
  const std::string name = plugin->Name();
  switch (p) {
    case ExtensionPoint::kPreEnqueue:
      pre_enqueue_.push_back({dynamic_cast<PreEnqueuePlugin*>(plugin), name});
      break;
    case ExtensionPoint::kQueueSort:
      queue_sort_.push_back({dynamic_cast<QueueSortPlugin*>(plugin), name});
      break;
    case ExtensionPoint::kPreFilter:
      pre_filter_.push_back({dynamic_cast<PreFilterPlugin*>(plugin), name});
      break;
    case ExtensionPoint::kFilter:
      filter_.push_back({dynamic_cast<FilterPlugin*>(plugin), name});
      break;
    case ExtensionPoint::kPostFilter:
      post_filter_.push_back({dynamic_cast<PostFilterPlugin*>(plugin), name});
      break;
    case ExtensionPoint::kPreScore:
      pre_score_.push_back({dynamic_cast<PreScorePlugin*>(plugin), name});
      break;
    case ExtensionPoint::kScore:
      score_.push_back(ScoreEntry{dynamic_cast<ScorePlugin*>(plugin), score_weight, name});
      break;
    case ExtensionPoint::kReserve:
      reserve_.push_back({dynamic_cast<ReservePlugin*>(plugin), name});
      break;
    case ExtensionPoint::kPermit:
      permit_.push_back({dynamic_cast<PermitPlugin*>(plugin), name});
      break;
    case ExtensionPoint::kPreBind:
      pre_bind_.push_back({dynamic_cast<PreBindPlugin*>(plugin), name});
      break;
    case ExtensionPoint::kBind:
      bind_.push_back({dynamic_cast<BindPlugin*>(plugin), name});
      break;
    case ExtensionPoint::kPostBind:
      post_bind_.push_back({dynamic_cast<PostBindPlugin*>(plugin), name});
      break;
  }
}

std::vector<std::string> Framework::EnabledAt(ExtensionPoint p) const {
  std::vector<std::string> out;
  auto names = [&](const auto& list) {
    for (const auto& e : list) out.push_back(e.name);
  };
  switch (p) {
    case ExtensionPoint::kPreEnqueue:
      names(pre_enqueue_);
      break;
    case ExtensionPoint::kQueueSort:
      names(queue_sort_);
      break;
    case ExtensionPoint::kPreFilter:
      names(pre_filter_);
      break;
    case ExtensionPoint::kFilter:
      names(filter_);
      break;
    case ExtensionPoint::kPostFilter:
      names(post_filter_);
      break;
    case ExtensionPoint::kPreScore:
      names(pre_score_);
      break;
    case ExtensionPoint::kScore:
      names(score_);
      break;
    case ExtensionPoint::kReserve:
      names(reserve_);
      break;
    case ExtensionPoint::kPermit:
      names(permit_);
      break;
    case ExtensionPoint::kPreBind:
      names(pre_bind_);
      break;
    case ExtensionPoint::kBind:
      names(bind_);
      break;
    case ExtensionPoint::kPostBind:
      names(post_bind_);
      break;
  }
  return out;
}

Status Framework::RunPreEnqueuePlugins(const PodInfo& pod) {
  // runtime/framework.go RunPreEnqueuePlugins.
  for (const auto& [pl, name] : pre_enqueue_) {
    Status s = pl->PreEnqueue(pod);
    if (s.IsSuccess()) continue;
    if (s.IsRejected()) return s.WithPlugin(name);
    return Status::Error("running PreEnqueue plugin \"" + name + "\": " + s.Message())
        .WithPlugin(name);
  }
  return Status();
}

Status Framework::RunReservePluginsReserve(CycleState& state, const PodInfo& pod,
                                           const std::string& node) {
  for (const auto& [pl, name] : reserve_) {
    Status s = pl->Reserve(state, pod, node);
    if (s.IsSuccess()) continue;
    if (s.IsRejected()) return s.WithPlugin(name);
    return Status::Error("running Reserve plugin \"" + name + "\": " + s.Message())
        .WithPlugin(name);
  }
  return Status();
}

void Framework::RunReservePluginsUnreserve(CycleState& state, const PodInfo& pod,
                                           const std::string& node) {
  // Executed in reverse order (runtime/framework.go).
  for (auto it = reserve_.rbegin(); it != reserve_.rend(); ++it) {
    it->plugin->Unreserve(state, pod, node);
  }
}

Status Framework::RunPermitPlugins(CycleState& state, const PodInfo& pod, const std::string& node) {
  for (const auto& [pl, name] : permit_) {
    Status s = pl->Permit(state, pod, node);
    if (s.IsSuccess()) continue;
    if (s.IsRejected()) return s.WithPlugin(name);
    if (s.code() == Code::kWait) {
      // WaitingPods are not modelled (no in-tree plugin returns Wait).
      return Status::Error("Permit plugin \"" + name + "\" returned Wait, which kubesim does " +
                           "not model")
          .WithPlugin(name);
    }
    return Status::Error("running Permit plugin \"" + name + "\": " + s.Message()).WithPlugin(name);
  }
  return Status();
}

Status Framework::RunPreBindPlugins(CycleState& state, const PodInfo& pod,
                                    const std::string& node) {
  for (const auto& [pl, name] : pre_bind_) {
    Status s = pl->PreBind(state, pod, node);
    if (s.IsSuccess()) continue;
    if (s.IsRejected()) return s.WithPlugin(name);
    return Status::Error("running PreBind plugin \"" + name + "\": " + s.Message())
        .WithPlugin(name);
  }
  return Status();
}

Status Framework::RunBindPlugins(CycleState& state, const PodInfo& pod, const std::string& node) {
  // runtime/framework.go RunBindPlugins.
  if (bind_.empty()) return Status(Code::kSkip);
  Status s;
  for (const auto& [pl, name] : bind_) {
    s = pl->Bind(state, pod, node);
    if (s.IsSkip()) continue;
    if (!s.IsSuccess()) {
      if (s.IsRejected()) return s.WithPlugin(name);
      return Status::Error("running Bind plugin \"" + name + "\": " + s.Message()).WithPlugin(name);
    }
    return s;
  }
  return s;
}

void Framework::RunPostBindPlugins(CycleState& state, const PodInfo& pod, const std::string& node) {
  for (const auto& [pl, name] : post_bind_) pl->PostBind(state, pod, node);
}

}  // namespace kubesim::scheduler::framework
