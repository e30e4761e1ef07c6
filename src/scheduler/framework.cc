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

std::string Status::Message() const { return Join(reasons_, ", "); }

CycleState CycleState::Clone() const {
  CycleState copy;
  for (const auto& [key, data] : storage_) copy.storage_[key] = data ? data->Clone() : nullptr;
  copy.skip_filter_plugins = skip_filter_plugins;
  copy.skip_score_plugins = skip_score_plugins;
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
  Plugin* p = plugin.get();
  const std::string name = p->Name();
  if (auto* pf = dynamic_cast<PreFilterPlugin*>(p)) pre_filter_.push_back({pf, name});
  if (auto* f = dynamic_cast<FilterPlugin*>(p)) filter_.push_back({f, name});
  if (auto* pf = dynamic_cast<PostFilterPlugin*>(p)) post_filter_.push_back({pf, name});
  if (auto* ps = dynamic_cast<PreScorePlugin*>(p)) pre_score_.push_back({ps, name});
  if (auto* s = dynamic_cast<ScorePlugin*>(p)) score_.push_back(ScoreEntry{s, score_weight, name});
  if (auto* e = dynamic_cast<EnqueueExtensions*>(p)) hints_[name] = e->EventsToRegister();
  plugins_.push_back(std::move(plugin));
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
  return return_status;
}

Status Framework::RunFilterPlugins(CycleState& state, const PodInfo& pod, const NodeInfo& node) {
  for (const auto& [pl, name] : filter_) {
    if (!state.skip_filter_plugins.empty() && state.skip_filter_plugins.contains(name)) continue;
    Status s = pl->Filter(state, pod, node);
    if (!s.IsSuccess()) {
      if (!s.IsRejected()) {
        s = Status::Error("running \"" + name + "\" filter plugin: " + s.Message());
      }
      s.WithPlugin(name);
      return s;
    }
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
                                                         Status* status) {
  // runtime/framework.go RunScorePlugins.
  *status = Status();
  std::vector<NodePluginScores> all(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    all[i].name = nodes[i]->name();
    all[i].scores.reserve(score_.size());
  }
  std::vector<NodeScore> scores(nodes.size());
  for (const ScoreEntry& entry : score_) {
    ScorePlugin* pl = entry.plugin;
    const std::string& name = entry.name;
    if (state.skip_score_plugins.contains(name)) continue;
    for (size_t i = 0; i < nodes.size(); ++i) {
      Status s;
      scores[i] = NodeScore{nodes[i]->name(), pl->Score(state, pod, *nodes[i], &s)};
      if (!s.IsSuccess()) {
        *status = Status::Error("running Score plugin \"" + name + "\": " + s.Message());
        return {};
      }
    }
    if (pl->HasNormalizeScore()) {
      Status s = pl->NormalizeScore(state, pod, scores);
      if (!s.IsSuccess()) {
        *status = Status::Error("running Normalize on Score plugins: " + s.Message());
        return {};
      }
    }
    for (size_t i = 0; i < nodes.size(); ++i) {
      const int64_t score = scores[i].score;
      if (score > kMaxNodeScore || score < kMinNodeScore) {
        *status = Status::Error("plugin \"" + name + "\" returns an invalid score " +
                                std::to_string(score) + ", it should in the range of [0, 100] " +
                                "after normalizing");
        return {};
      }
      const int64_t weighted = score * entry.weight;
      all[i].scores.push_back(PluginScore{name, weighted});
      all[i].total_score += weighted;
    }
  }
  return all;
}

}  // namespace kubesim::scheduler::framework
