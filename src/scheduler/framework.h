// The scheduling framework: plugin interfaces, their Status, the per-cycle
// CycleState, and the Framework that runs a profile's plugins at each
// extension point. A first cut in the shape of kube-scheduler 1.32's
// pkg/scheduler/framework (interface.go, cycle_state.go, types.go,
// runtime/framework.go) so later issues add plugins without reshaping it.
//
// Extension points (interface.go): PreEnqueue, QueueSort, PreFilter,
// Filter, PostFilter, PreScore, Score (+NormalizeScore), Reserve/Unreserve,
// Permit, PreBind, Bind, PostBind, and EnqueueExtensions (queueing hints).
// Plugins are built by name from a registry (registry.h) into one Framework
// per profile. Permit's Wait is not modelled (no in-tree plugin waits):
// a Wait from a Permit plugin is treated as an error.
//
// Thread-safety: none; everything runs on the scheduler's dispatcher.
#ifndef KUBESIM_SRC_SCHEDULER_FRAMEWORK_H_
#define KUBESIM_SRC_SCHEDULER_FRAMEWORK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/client/client.h"
#include "kubesim/sim/clock.h"
#include "node_info.h"

namespace kubesim::client {
class Client;
class EventRecorder;
}  // namespace kubesim::client
namespace kubesim::scheduler::preemption {
class Nominator;
}  // namespace kubesim::scheduler::preemption

namespace kubesim::scheduler::framework {

// interface.go: Code.
enum class Code {
  kSuccess,
  kError,
  // Rejected; preemption may help (e.g. Insufficient cpu).
  kUnschedulable,
  // Rejected; preemption can't help (taints, node affinity, ...).
  kUnschedulableAndUnresolvable,
  kWait,
  // PreFilter/PreScore: the plugin has nothing to do for this pod.
  kSkip,
  kPending,
};

inline constexpr int64_t kMaxNodeScore = 100;
inline constexpr int64_t kMinNodeScore = 0;

// interface.go: Status. Default-constructed is Success.
//
// The framework builds and drops a Status per plugin and node (Filter,
// Score) and nearly all of them are Success: a Success holds no reasons and
// no plugin name, so it is one word plus the code, with nothing to allocate
// or free. Reasons and the plugin live in a side record allocated only for
// a Status that has them (rejections, errors).
class Status {
 public:
  Status() = default;
  explicit Status(Code code, std::vector<std::string> reasons = {}) : code_(code) {
    if (!reasons.empty()) rep_ = std::make_unique<Rep>(Rep{std::move(reasons), {}});
  }
  Status(const Status& other)
      : code_(other.code_), rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}
  Status& operator=(const Status& other) {
    if (this != &other) {
      code_ = other.code_;
      rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
    }
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  static Status Error(std::string message) { return Status(Code::kError, {std::move(message)}); }

  Code code() const { return code_; }
  const std::vector<std::string>& reasons() const { return rep_ ? rep_->reasons : kNoReasons; }
  // The reasons joined with ", " (Status.Message()).
  std::string Message() const;
  // The plugin that returned this status (set by the Framework).
  const std::string& plugin() const { return rep_ ? rep_->plugin : kNoPlugin; }
  Status& WithPlugin(std::string plugin) {
    if (!rep_) rep_ = std::make_unique<Rep>();
    rep_->plugin = std::move(plugin);
    return *this;
  }

  bool IsSuccess() const { return code_ == Code::kSuccess; }
  bool IsSkip() const { return code_ == Code::kSkip; }
  // Unschedulable, UnschedulableAndUnresolvable or Pending.
  bool IsRejected() const {
    return code_ == Code::kUnschedulable || code_ == Code::kUnschedulableAndUnresolvable ||
           code_ == Code::kPending;
  }

 private:
  struct Rep {
    std::vector<std::string> reasons;
    std::string plugin;
  };
  static const std::vector<std::string> kNoReasons;
  static const std::string kNoPlugin;

  Code code_ = Code::kSuccess;
  std::unique_ptr<Rep> rep_;  // null: no reasons, no plugin
};

// cycle_state.go: data plugins keep for the rest of one scheduling cycle.
class StateData {
 public:
  virtual ~StateData() = default;
  // Immutable state may return a shared copy of itself.
  virtual std::shared_ptr<StateData> Clone() const = 0;
};

// cycle_state.go StateKey: the key a plugin files its cycle data under.
// Plugins declare theirs as constants, so a StateKey must have static
// storage duration and never change: Read(const StateKey&) recognizes a
// repeated read of the same key by the StateKey's address instead of
// comparing its text (Score and Filter read their state once per node).
class StateKey {
 public:
  constexpr explicit StateKey(std::string_view name) : name_(name) {}
  constexpr std::string_view name() const { return name_; }
  constexpr operator std::string_view() const { return name_; }  // NOLINT: a key is its name

 private:
  std::string_view name_;
};

class CycleState {
 public:
  void Write(std::string_view key, std::shared_ptr<StateData> data) {
    read_type_ = nullptr;  // forget the last Read
    read_static_key_ = nullptr;
    storage_[std::string(key)] = std::move(data);
  }
  // nullptr when absent or of another type.
  template <typename T>
  T* Read(std::string_view key) const {
    // Score plugins read their state once per node, plugin after plugin:
    // the last answer is remembered by key and type, sparing the map walk
    // and the dynamic_cast.
    if (read_type_ == &typeid(T) && key == read_key_) return static_cast<T*>(read_value_);
    auto it = storage_.find(key);
    T* value = it == storage_.end() ? nullptr : dynamic_cast<T*>(it->second.get());
    read_key_.assign(key);
    read_type_ = &typeid(T);
    read_value_ = value;
    read_static_key_ = nullptr;
    return value;
  }
  // Read by a constant key: the same answer as Read(key.name()), with the
  // repeated read recognized by the key's address.
  template <typename T>
  T* Read(const StateKey& key) const {
    if (read_static_key_ == &key && read_type_ == &typeid(T)) return static_cast<T*>(read_value_);
    T* value = Read<T>(key.name());
    read_static_key_ = &key;
    return value;
  }
  CycleState Clone() const;

  // Filter plugins whose PreFilter returned Skip, and score plugins whose
  // PreScore did (CycleState.SkipFilterPlugins / SkipScorePlugins).
  std::set<std::string, std::less<>> skip_filter_plugins;
  std::set<std::string, std::less<>> skip_score_plugins;
  // The positions in the framework's filter list of the plugins not in
  // skip_filter_plugins, built once per cycle by RunPreFilterPlugins so the
  // per-node loop neither looks names up nor steps over skipped plugins.
  // Used when filters_to_run_for equals the framework's filter count.
  std::vector<uint32_t> filters_to_run;
  size_t filters_to_run_for = static_cast<size_t>(-1);

 private:
  std::map<std::string, std::shared_ptr<StateData>, std::less<>> storage_;
  // Read's last lookup; cleared by Write.
  mutable std::string read_key_;
  mutable const std::type_info* read_type_ = nullptr;
  mutable void* read_value_ = nullptr;
  // The StateKey of the last Read(const StateKey&), if that was the last Read.
  mutable const StateKey* read_static_key_ = nullptr;
};

// types.go: NodeToStatus. Nodes without an explicit status share
// absent_nodes_status (UnschedulableAndUnresolvable, no reasons, by default).
class NodeToStatus {
 public:
  NodeToStatus() : absent_(Code::kUnschedulableAndUnresolvable) {}
  void Set(const std::string& node, Status status) { explicit_[node] = std::move(status); }
  const Status& Get(const std::string& node) const {
    auto it = explicit_.find(node);
    return it == explicit_.end() ? absent_ : it->second;
  }
  size_t Len() const { return explicit_.size(); }
  const std::map<std::string, Status>& explicit_statuses() const { return explicit_; }
  const Status& absent_nodes_status() const { return absent_; }
  void SetAbsentNodesStatus(Status s) { absent_ = std::move(s); }

 private:
  std::map<std::string, Status> explicit_;
  Status absent_;
};

// types.go: Diagnosis.
struct Diagnosis {
  NodeToStatus node_to_status;
  std::set<std::string> unschedulable_plugins;
  std::set<std::string> pending_plugins;
  std::string pre_filter_msg;
  std::string post_filter_msg;

  // Diagnosis.AddPluginStatus.
  void AddPluginStatus(const Status& s);
};

// types.go: FitError.Error(): "0/N nodes are available: <PreFilterMsg>." or
// "0/N nodes are available: <count> <reason>, ...." (counts over all nodes,
// "<count> <reason>" strings sorted), then " <PostFilterMsg>" if any.
std::string FitErrorMessage(int num_all_nodes, const Diagnosis& diagnosis);

// interface.go: PreFilterResult. nullopt node_names = all nodes.
struct PreFilterResult {
  std::optional<std::set<std::string>> node_names;
  bool AllNodes() const { return !node_names.has_value(); }
};

// --- Queueing hints (EnqueueExtensions), types.go ClusterEvent. ---

enum class EventResource { kNode, kAssignedPod, kUnscheduledPod, kWildCard };

namespace action {
inline constexpr uint32_t kAdd = 1 << 0;
inline constexpr uint32_t kDelete = 1 << 1;
inline constexpr uint32_t kUpdateNodeAllocatable = 1 << 2;
inline constexpr uint32_t kUpdateNodeLabel = 1 << 3;
inline constexpr uint32_t kUpdateNodeTaint = 1 << 4;
inline constexpr uint32_t kUpdateNodeCondition = 1 << 5;
inline constexpr uint32_t kUpdateNodeAnnotation = 1 << 6;
inline constexpr uint32_t kUpdatePodLabel = 1 << 7;
inline constexpr uint32_t kUpdatePodScaleDown = 1 << 8;
inline constexpr uint32_t kUpdatePodTolerations = 1 << 9;
inline constexpr uint32_t kUpdatePodOther = 1 << 10;
inline constexpr uint32_t kUpdatePodSchedulingGatesEliminated = 1 << 11;
inline constexpr uint32_t kUpdate = kUpdateNodeAllocatable | kUpdateNodeLabel | kUpdateNodeTaint |
                                    kUpdateNodeCondition | kUpdateNodeAnnotation | kUpdatePodLabel |
                                    kUpdatePodScaleDown | kUpdatePodTolerations | kUpdatePodOther |
                                    kUpdatePodSchedulingGatesEliminated;
inline constexpr uint32_t kAll = kAdd | kDelete | kUpdate;
}  // namespace action

struct ClusterEvent {
  EventResource resource;
  uint32_t action_type;
  std::string label;  // for logs

  bool IsWildCard() const {
    return resource == EventResource::kWildCard && action_type == action::kAll;
  }
  // ClusterEvent.Match: same resource (or a wildcard) and overlapping actions.
  bool Match(const ClusterEvent& registered) const {
    const bool resource_ok = registered.resource == EventResource::kWildCard ||
                             resource == EventResource::kWildCard ||
                             resource == registered.resource;
    return resource_ok && (action_type & registered.action_type) != 0;
  }
};

// The events kube-scheduler's event handlers fire (internal/queue/events.go).
ClusterEvent NodeAddEvent();
ClusterEvent AssignedPodAddEvent();
ClusterEvent AssignedPodDeleteEvent();
ClusterEvent UnschedulableTimeoutEvent();

enum class QueueingHint { kQueueSkip, kQueue };

// (pod being requeued, old object or nullptr, new object or nullptr).
using QueueingHintFn = std::function<QueueingHint(const PodInfo& pod, const api::ObjectPtr& old_obj,
                                                  const api::ObjectPtr& new_obj)>;

struct ClusterEventWithHint {
  ClusterEvent event;
  QueueingHintFn hint;  // empty = always Queue
};

// --- Plugins (interface.go). ---

class Framework;

// What plugins may reach of the scheduler (framework.Handle).
class Handle {
 public:
  virtual ~Handle() = default;
  // The nodes of this cycle's snapshot, sorted by name.
  virtual const std::vector<NodeInfo*>& Nodes() = 0;
  virtual NodeInfo* GetNode(const std::string& name) = 0;
  // The latest informer copy of a pod ("ns/name"), or nullptr.
  virtual api::ObjectPtr GetPod(const std::string& key) = 0;
  virtual Framework& framework() = 0;
  // The scheduler's API client (DefaultBinder's ClientSet()).
  virtual client::Client* ClientSet() = 0;
  // The informer caches of Services and ReplicaSets in `ns`, sorted by
  // name (helper.DefaultSelector's listers). Empty before Start().
  virtual std::vector<api::ObjectPtr> ListServices(const std::string& ns) = 0;
  virtual api::ObjectPtr GetReplicaSet(const std::string& ns, const std::string& name) = 0;
  // The namespace lister (InterPodAffinity's namespaceSelector): every
  // Namespace object the scheduler's informer holds.
  virtual std::vector<api::ObjectPtr> ListNamespaces() { return {}; }
  // How many snapshot nodes report `image` in node.status.images.
  virtual int ImageNumNodes(const std::string& image) = 0;
  // False when no node has a pod with pod (anti-)affinity terms / with a
  // required anti-affinity term (the snapshot's HavePodsWithAffinityList /
  // HavePodsWithRequiredAntiAffinityList are empty); true when some may
  // (the default: plugins then look at every node).
  virtual bool HavePodsWithAffinity() { return true; }
  virtual bool HavePodsWithRequiredAntiAffinity() { return true; }

  // --- For DefaultPreemption (src/scheduler/preemption/): Handle's
  // EventRecorder and PodNominator, the PDB lister, the scheduler's seeded
  // randomness and clock.
  virtual client::EventRecorder* EventRecorder() = 0;
  virtual const preemption::Nominator* PodNominator() = 0;
  virtual std::vector<api::ObjectPtr> PodDisruptionBudgets() = 0;
  virtual uint64_t RandomUniform(uint64_t n) = 0;  // in [0, n); n > 0
  virtual Time Now() = 0;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual std::string Name() const = 0;
};

class PreFilterPlugin : public virtual Plugin {
 public:
  // Skip means the plugin's Filter is not run for this pod.
  virtual Status PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult* result) = 0;
  // TODO(issue 4): PreFilterExtensions (AddPod/RemovePod) for the
  // preemption dry run, needed by InterPodAffinity and PodTopologySpread.
};

class FilterPlugin : public virtual Plugin {
 public:
  virtual Status Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) = 0;
  // True only when Filter returns Success for `pod` on every node, whatever
  // the node is or holds. Such a plugin can never be the first failure, so
  // RunPreFilterPlugins leaves it out of the cycle's per-node filter list
  // (the result is the same; a virtual call per node is spared).
  virtual bool FitsEveryNode(const PodInfo& pod) const { return false; }
};

class PostFilterPlugin : public virtual Plugin {
 public:
  virtual Status PostFilter(CycleState& state, const PodInfo& pod,
                            const NodeToStatus& filtered) = 0;
};

class PreScorePlugin : public virtual Plugin {
 public:
  virtual Status PreScore(CycleState& state, const PodInfo& pod,
                          const std::vector<NodeInfo*>& nodes) = 0;
};

// Names point at the NodeInfo's name, valid for the cycle.
struct NodeScore {
  std::string_view name;
  int64_t score = 0;
};

class ScorePlugin : public virtual Plugin {
 public:
  virtual int64_t Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                        Status* status) = 0;
  // ScoreExtensions.NormalizeScore; plugins without one return false.
  // NormalizeScore rewrites the scores only: the names and the order stay
  // (the framework writes the names once per cycle, not per plugin).
  virtual bool HasNormalizeScore() const { return false; }
  virtual Status NormalizeScore(CycleState& state, const PodInfo& pod,
                                std::vector<NodeScore>& scores) {
    return Status();
  }
};

class EnqueueExtensions : public virtual Plugin {
 public:
  virtual std::vector<ClusterEventWithHint> EventsToRegister() const = 0;
};

// Runs before a pod enters activeQ; a non-Success keeps it in
// unschedulablePods (gated) until an event its plugin registered for.
class PreEnqueuePlugin : public virtual Plugin {
 public:
  virtual Status PreEnqueue(const PodInfo& pod) = 0;
};

// Orders activeQ. Every profile must use the same one (validation.go).
class QueueSortPlugin : public virtual Plugin {
 public:
  // (priority, timestamp) of two queued pods: true if `a` goes first.
  virtual bool Less(int32_t a_priority, int64_t a_timestamp_ns, int32_t b_priority,
                    int64_t b_timestamp_ns) const = 0;
};

// Reserve/Unreserve: keep plugin state in step with the assumed pod. Unreserve
// runs (in reverse order) when a later phase fails, and must be idempotent.
class ReservePlugin : public virtual Plugin {
 public:
  virtual Status Reserve(CycleState& state, const PodInfo& pod, const std::string& node) = 0;
  virtual void Unreserve(CycleState& state, const PodInfo& pod, const std::string& node) = 0;
};

// Permit: Success, a rejection, or Wait (not modelled; an error here).
class PermitPlugin : public virtual Plugin {
 public:
  virtual Status Permit(CycleState& state, const PodInfo& pod, const std::string& node) = 0;
};

class PreBindPlugin : public virtual Plugin {
 public:
  virtual Status PreBind(CycleState& state, const PodInfo& pod, const std::string& node) = 0;
};

// Bind: Skip hands the pod to the next Bind plugin.
class BindPlugin : public virtual Plugin {
 public:
  virtual Status Bind(CycleState& state, const PodInfo& pod, const std::string& node) = 0;
};

class PostBindPlugin : public virtual Plugin {
 public:
  virtual void PostBind(CycleState& state, const PodInfo& pod, const std::string& node) = 0;
};

// The extension points a profile configures (config/types.go Plugins).
enum class ExtensionPoint {
  kPreEnqueue,
  kQueueSort,
  kPreFilter,
  kFilter,
  kPostFilter,
  kPreScore,
  kScore,
  kReserve,
  kPermit,
  kPreBind,
  kBind,
  kPostBind,
};
// "preEnqueue", "queueSort", ... as in KubeSchedulerConfiguration.
const char* ExtensionPointName(ExtensionPoint p);
// True if `plugin` implements the interface of extension point `p`.
bool Implements(const Plugin& plugin, ExtensionPoint p);

// helper/normalize_score.go: DefaultNormalizeScore.
void DefaultNormalizeScore(int64_t max_priority, bool reverse, std::vector<NodeScore>& scores);

// types.go: NodePluginScores. Names point at the plugin's and the node's.
struct PluginScore {
  std::string_view name;
  int64_t score = 0;  // after normalization and weight
};
struct NodePluginScores {
  std::string_view name;
  std::vector<PluginScore> scores;
  int64_t total_score = 0;
};

// One profile's plugins, in extension-point order, with score weights.
class Framework {
 public:
  struct ScoreEntry {
    ScorePlugin* plugin;
    int64_t weight;
    std::string name;
  };

  Framework() = default;
  Framework(const Framework&) = delete;
  Framework& operator=(const Framework&) = delete;

  // Registers `plugin` at every extension point it implements, in call order.
  // `score_weight` is used if it is a ScorePlugin.
  void AddPlugin(std::unique_ptr<Plugin> plugin, int64_t score_weight = 1);
  // Takes ownership of `plugin` without enabling it anywhere yet; its queueing
  // hints count from now on (upstream registers every enabled plugin's
  // EnqueueExtensions). Returns the plugin.
  Plugin* Own(std::unique_ptr<Plugin> plugin);
  // Appends an owned plugin to extension point `p` (call order = order of
  // Enable calls). Precondition: Implements(*plugin, p).
  void Enable(ExtensionPoint p, Plugin* plugin, int64_t score_weight = 1);
  // The plugin names enabled at `p`, in call order.
  std::vector<std::string> EnabledAt(ExtensionPoint p) const;

  // The profile's scheduler name and percentageOfNodesToScore (nullopt:
  // the global setting).
  std::string profile_name = "default-scheduler";
  std::optional<int32_t> percentage_of_nodes_to_score;

  // RunPreEnqueuePlugins: the first non-Success status, with its plugin.
  Status RunPreEnqueuePlugins(const PodInfo& pod);
  // RunReservePluginsReserve: stops at the first failure.
  Status RunReservePluginsReserve(CycleState& state, const PodInfo& pod, const std::string& node);
  // RunReservePluginsUnreserve: every Reserve plugin, in reverse order.
  void RunReservePluginsUnreserve(CycleState& state, const PodInfo& pod, const std::string& node);
  Status RunPermitPlugins(CycleState& state, const PodInfo& pod, const std::string& node);
  Status RunPreBindPlugins(CycleState& state, const PodInfo& pod, const std::string& node);
  // RunBindPlugins: the first plugin not returning Skip decides; Skip from
  // all of them is an error.
  Status RunBindPlugins(CycleState& state, const PodInfo& pod, const std::string& node);
  void RunPostBindPlugins(CycleState& state, const PodInfo& pod, const std::string& node);
  bool HasFilterPlugins() const { return !filter_.empty(); }
  bool HasScorePlugins() const { return !score_.empty(); }

  // RunPreFilterPlugins: merges the plugins' PreFilterResults; a rejecting
  // plugin ends the run. `plugins_with_nodes` names plugins that narrowed
  // the node set.
  Status RunPreFilterPlugins(CycleState& state, const PodInfo& pod, PreFilterResult* result,
                             std::vector<std::string>* plugins_with_nodes);
  // RunFilterPlugins: stops at the first plugin that does not return
  // Success; the status carries that plugin's name.
  Status RunFilterPlugins(CycleState& state, const PodInfo& pod, const NodeInfo& node);
  Status RunPostFilterPlugins(CycleState& state, const PodInfo& pod, const NodeToStatus& filtered);
  bool HasPostFilterPlugins() const { return !post_filter_.empty(); }
  Status RunPreScorePlugins(CycleState& state, const PodInfo& pod,
                            const std::vector<NodeInfo*>& nodes);
  // What RunScorePlugins saw, per plugin that ran ([plugin][node]).
  // Kept per pod for `why`, so it is flat: one allocation per table instead
  // of one per plugin, and normalized scores (0..100 once validated) in a
  // byte each. A scheduler keeps one per pod it scheduled.
  struct ScoreDetail {
    std::vector<std::string> plugins;
    std::vector<int64_t> weights;
    size_t nodes = 0;                 // columns: the scored (feasible) nodes
    std::vector<int64_t> raw;         // [plugin * nodes + node], before NormalizeScore
    std::vector<uint8_t> normalized;  // same layout, after NormalizeScore

    int64_t Raw(size_t plugin, size_t node) const { return raw[plugin * nodes + node]; }
    int64_t Normalized(size_t plugin, size_t node) const {
      return normalized[plugin * nodes + node];
    }
  };
  // RunScorePlugins: each plugin's scores, normalized, times its weight.
  // `detail` (optional) receives the raw and normalized scores; with it,
  // NodePluginScores::scores is left empty (the totals are filled).
  std::vector<NodePluginScores> RunScorePlugins(CycleState& state, const PodInfo& pod,
                                                const std::vector<NodeInfo*>& nodes, Status* status,
                                                ScoreDetail* detail = nullptr);

  // plugin name -> its registered events and hints.
  const std::map<std::string, std::vector<ClusterEventWithHint>>& queueing_hints() const {
    return hints_;
  }
  const std::vector<ScoreEntry>& score_plugins() const { return score_; }

 private:
  std::vector<std::unique_ptr<Plugin>> plugins_;
  // Plugins with their names, looked up once.
  template <typename T>
  struct Named {
    T* plugin;
    std::string name;
  };
  std::vector<Named<PreFilterPlugin>> pre_filter_;
  std::vector<Named<FilterPlugin>> filter_;
  std::vector<Named<PostFilterPlugin>> post_filter_;
  std::vector<Named<PreScorePlugin>> pre_score_;
  std::vector<ScoreEntry> score_;
  std::vector<Named<PreEnqueuePlugin>> pre_enqueue_;
  std::vector<Named<QueueSortPlugin>> queue_sort_;
  std::vector<Named<ReservePlugin>> reserve_;
  std::vector<Named<PermitPlugin>> permit_;
  std::vector<Named<PreBindPlugin>> pre_bind_;
  std::vector<Named<BindPlugin>> bind_;
  std::vector<Named<PostBindPlugin>> post_bind_;
  std::map<std::string, std::vector<ClusterEventWithHint>> hints_;
  // RunScorePlugins' working buffer (a Framework runs one cycle at a time).
  std::vector<NodeScore> score_buffer_;
};

}  // namespace kubesim::scheduler::framework

#endif  // KUBESIM_SRC_SCHEDULER_FRAMEWORK_H_
