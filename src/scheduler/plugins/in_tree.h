// The in-tree plugins added for issue 4 (kube-scheduler 1.32,
// pkg/scheduler/framework/plugins/...): the queue's PrioritySort and
// SchedulingGates, DefaultBinder, NodePorts, ImageLocality,
// PodTopologySpread and InterPodAffinity; plus the pure functions behind
// their scores, exposed for tests. plugins.h holds the first cut's plugins.
//
// Thread-safety: none; plugins run on the scheduler's dispatcher.
#ifndef KUBESIM_SRC_SCHEDULER_PLUGINS_IN_TREE_H_
#define KUBESIM_SRC_SCHEDULER_PLUGINS_IN_TREE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "plugins.h"

namespace kubesim::scheduler::plugins {

inline constexpr char kSchedulingGates[] = "SchedulingGates";
inline constexpr char kNodePorts[] = "NodePorts";
inline constexpr char kImageLocality[] = "ImageLocality";
inline constexpr char kPodTopologySpread[] = "PodTopologySpread";
inline constexpr char kInterPodAffinity[] = "InterPodAffinity";

// --- queuesort/priority_sort.go: higher priority first, then the earlier
// queue timestamp. The queue implements this order itself (its ActiveKey);
// the plugin exists so profiles can name it.
class PrioritySort final : public framework::QueueSortPlugin {
 public:
  std::string Name() const override { return kPrioritySort; }
  bool Less(int32_t a_priority, int64_t a_ts, int32_t b_priority, int64_t b_ts) const override {
    return a_priority > b_priority || (a_priority == b_priority && a_ts < b_ts);
  }
};

// --- schedulinggates/scheduling_gates.go ---
class SchedulingGates final : public framework::PreEnqueuePlugin,
                              public framework::EnqueueExtensions {
 public:
  std::string Name() const override { return kSchedulingGates; }
  // UnschedulableAndUnresolvable "waiting for scheduling gates: [g1 g2]".
  Status PreEnqueue(const PodInfo& pod) override;
  std::vector<ClusterEventWithHint> EventsToRegister() const override;
};

// --- defaultbinder/default_binder.go: POST pods/NAME/binding. ---
class DefaultBinder final : public framework::BindPlugin {
 public:
  explicit DefaultBinder(framework::Handle* handle) : handle_(handle) {}
  std::string Name() const override { return kDefaultBinder; }
  Status Bind(CycleState& state, const PodInfo& pod, const std::string& node) override;

 private:
  framework::Handle* const handle_;
};

// --- nodeports/node_ports.go ---
class NodePorts final : public framework::PreFilterPlugin,
                        public framework::FilterPlugin,
                        public framework::EnqueueExtensions {
 public:
  std::string Name() const override { return kNodePorts; }
  Status PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult* result) override;
  Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) override;
  std::vector<ClusterEventWithHint> EventsToRegister() const override;
};
// HostPortInfo.CheckConflict over `used`: 0.0.0.0 conflicts with every IP.
bool HostPortConflicts(const std::vector<HostPort>& used, const HostPort& want);

// --- imagelocality/image_locality.go ---
class ImageLocality final : public framework::ScorePlugin {
 public:
  explicit ImageLocality(framework::Handle* handle) : handle_(handle) {}
  std::string Name() const override { return kImageLocality; }
  int64_t Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                Status* status) override;

 private:
  framework::Handle* const handle_;
};
// calculatePriority: sum of scaled image sizes clamped to [23 MiB,
// 1000 MiB * containers], mapped linearly onto 0..100.
int64_t ImageLocalityPriority(int64_t sum_scores, int num_containers);

// --- podtopologyspread: plugin.go, filtering.go, scoring.go, common.go ---
struct TopologySpreadConstraint {
  int32_t max_skew = 1;
  std::string topology_key;
  std::string when_unsatisfiable;  // DoNotSchedule | ScheduleAnyway
  api::Object label_selector;      // null = selects nothing
  std::vector<std::string> match_label_keys;
  int32_t min_domains = 0;                               // 0 = unset (1)
  std::string node_affinity_policy, node_taints_policy;  // "" = Honor / Ignore
};
struct PodTopologySpreadArgs {
  // "System" (the 1.32 default) uses the system default constraints;
  // "List" uses default_constraints.
  std::string defaulting_type = "System";
  std::vector<TopologySpreadConstraint> default_constraints;
};
class PodTopologySpread final : public framework::PreFilterPlugin,
                                public framework::FilterPlugin,
                                public framework::PreScorePlugin,
                                public framework::ScorePlugin,
                                public framework::EnqueueExtensions {
 public:
  PodTopologySpread(framework::Handle* handle, PodTopologySpreadArgs args);
  std::string Name() const override { return kPodTopologySpread; }
  Status PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult* result) override;
  Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) override;
  Status PreScore(CycleState& state, const PodInfo& pod,
                  const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                Status* status) override;
  bool HasNormalizeScore() const override { return true; }
  Status NormalizeScore(CycleState& state, const PodInfo& pod,
                        std::vector<NodeScore>& scores) override;
  std::vector<ClusterEventWithHint> EventsToRegister() const override;
  // The queueing hints EventsToRegister registers (plugin.go
  // isSchedulableAfterPodChange / isSchedulableAfterNodeChange): whether an
  // assigned pod's (or the pod's own) add/update/delete, or a node's, may
  // make `pod` schedulable. Old/new objects are nullptr for add/delete.
  framework::QueueingHint IsSchedulableAfterPodChange(const PodInfo& pod,
                                                      const api::ObjectPtr& old_obj,
                                                      const api::ObjectPtr& new_obj) const;
  framework::QueueingHint IsSchedulableAfterNodeChange(const PodInfo& pod,
                                                       const api::ObjectPtr& old_obj,
                                                       const api::ObjectPtr& new_obj) const;

  // The parsed constraint (filterTopologySpreadConstraints).
  struct Constraint {
    int32_t max_skew;
    std::string topology_key;
    api::LabelSelector selector = api::LabelSelector::Nothing();
    int32_t min_domains;
    bool honor_node_affinity;
    bool honor_node_taints;
  };

 private:
  std::vector<Constraint> BuildConstraints(const PodInfo& pod, const std::string& action) const;
  framework::Handle* const handle_;
  const PodTopologySpreadArgs args_;
  const bool system_defaulted_;
};

// --- interpodaffinity: plugin.go, filtering.go, scoring.go ---
struct InterPodAffinityArgs {
  int32_t hard_pod_affinity_weight = 1;
  bool ignore_preferred_terms_of_existing_pods = false;
};
class InterPodAffinity final : public framework::PreFilterPlugin,
                               public framework::FilterPlugin,
                               public framework::PreScorePlugin,
                               public framework::ScorePlugin,
                               public framework::EnqueueExtensions {
 public:
  InterPodAffinity(framework::Handle* handle, InterPodAffinityArgs args)
      : handle_(handle), args_(args) {}
  std::string Name() const override { return kInterPodAffinity; }
  Status PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult* result) override;
  Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) override;
  Status PreScore(CycleState& state, const PodInfo& pod,
                  const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                Status* status) override;
  bool HasNormalizeScore() const override { return true; }
  Status NormalizeScore(CycleState& state, const PodInfo& pod,
                        std::vector<NodeScore>& scores) override;
  std::vector<ClusterEventWithHint> EventsToRegister() const override;
  // The queueing hints EventsToRegister registers (plugin.go
  // isSchedulableAfterPodChange / isSchedulableAfterNodeChange). Old/new
  // objects are nullptr for add/delete.
  static framework::QueueingHint IsSchedulableAfterPodChange(const PodInfo& pod,
                                                             const api::ObjectPtr& old_obj,
                                                             const api::ObjectPtr& new_obj);
  static framework::QueueingHint IsSchedulableAfterNodeChange(const PodInfo& pod,
                                                              const api::ObjectPtr& old_obj,
                                                              const api::ObjectPtr& new_obj);

 private:
  framework::Handle* const handle_;
  const InterPodAffinityArgs args_;
};

}  // namespace kubesim::scheduler::plugins

#endif  // KUBESIM_SRC_SCHEDULER_PLUGINS_IN_TREE_H_
