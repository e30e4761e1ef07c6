// The node lifecycle controller, after kubernetes v1.32
// pkg/controller/nodelifecycle/node_lifecycle_controller.go:
//  - monitorNodeHealth every node-monitor-period (5 s): a node's health is
//    the controller's own clock reading when it last saw the Ready
//    condition's lastHeartbeatTime or the node Lease's renewTime change
//    (tryUpdateNodeHealth's probeTimestamp); past node-monitor-grace-period
//    (50 s; node-startup-grace-period 60 s for a node that never posted
//    Ready) Ready/MemoryPressure/DiskPressure/PIDPressure become Unknown,
//    reason NodeStatusUnknown, "Kubelet stopped posting node status.";
//  - RegisteredNode / RemovingNode events (controllerutil.RecordNodeEvent),
//    NodeNotReady status-change event (RecordNodeStatusChange) and
//    MarkPodsNotReady (pkg/controller/util/node/controller_utils.go) with
//    the per-pod NodeNotReady Warning "Node is not ready";
//  - processTaintBaseEviction: nodes whose last observed Ready is
//    False/Unknown go to their zone's rate-limited queue
//    (scheduler.RateLimitedTimedQueue, token bucket, burst 1) drained by
//    doNoExecuteTaintingPass every NodeEvictionPeriod (100 ms), which adds
//    not-ready/unreachable:NoExecute; Ready again → markNodeAsReachable;
//  - doNoScheduleTaintingPass on node events: NoSchedule taints mirroring
//    conditions (Ready False/Unknown, pressures, NetworkUnavailable) and
//    spec.unschedulable;
//  - handleDisruption / ComputeZoneState: Normal, PartialDisruption
//    (> 2 not ready and ratio >= unhealthy-zone-threshold: secondary rate if
//    the zone has more than large-cluster-size-threshold nodes, else 0),
//    FullDisruption (no Ready node: normal rate), and all zones fully
//    disrupted → every NoExecute taint removed and tainting stopped.
//
// The periodic passes are timers on this controller's dispatcher; the
// 100 ms tainting pass is only scheduled while a zone queue holds work, at
// the 100 ms tick when a token is next available (an idle tick does
// nothing upstream either). The DaemonSet and label-reconciling parts are
// out of scope.
#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

#include "controllers.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/client/event_recorder.h"
#include "kubesim/client/informer.h"
#include "kubesim/client/work_queue.h"
#include "node_util.h"

namespace kubesim::controller::node {
namespace {

using api::Object;
using api::ObjectPtr;

constexpr char kName[] = "node-lifecycle-controller";
constexpr Duration kNodeEvictionPeriod = std::chrono::milliseconds(100);
constexpr char kLabelDisruptionExclusion[] = "node.kubernetes.io/exclude-disruption";

enum class ZoneState { kInitial, kNormal, kFullDisruption, kPartialDisruption };

// flowcontrol.NewTokenBucketRateLimiter(qps, 1); qps <= 0 never accepts.
class TokenBucket {
 public:
  TokenBucket() = default;
  TokenBucket(double qps, Time now) : qps_(qps), tokens_(1), last_(now) {}
  double qps() const { return qps_; }
  bool TryAccept(Time now) {
    if (qps_ <= 0) return false;
    Refill(now);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }
  // When the next token is available (now if one is).
  Time NextToken(Time now) {
    Refill(now);
    if (tokens_ >= 1) return now;
    const double secs = (1 - tokens_) / qps_;
    return now + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(secs));
  }

 private:
  void Refill(Time now) {
    if (now <= last_) return;
    tokens_ = std::min(1.0, tokens_ + std::chrono::duration<double>(now - last_).count() * qps_);
    last_ = now;
  }
  double qps_ = 0;
  double tokens_ = 0;
  Time last_{};
};

// scheduler.RateLimitedTimedQueue over a UniqueQueue: a node stays in `set`
// after it was processed (RemoveFromQueue) until Remove.
struct TaintQueue {
  struct Item {
    std::string node, uid;
    Time process_at;
  };
  std::deque<Item> queue;
  std::set<std::string> set;
  TokenBucket limiter;

  bool Add(const std::string& node, const std::string& uid, Time now) {
    if (set.contains(node)) return false;
    set.insert(node);
    queue.push_back({node, uid, now});
    return true;
  }
  bool Remove(const std::string& node) {
    const bool had = set.erase(node) > 0;
    queue.erase(
        std::remove_if(queue.begin(), queue.end(), [&](const Item& i) { return i.node == node; }),
        queue.end());
    return had;
  }
  // SwapLimiter: a limiter that was exhausted leaves the new one exhausted.
  void SwapLimiter(double qps, Time now) {
    if (limiter.qps() == qps) return;
    TokenBucket fresh(qps, now);
    if (qps > 0 && !limiter.TryAccept(now)) fresh.TryAccept(now);
    limiter = fresh;
  }
};

struct NodeHealth {
  Time probe{};
  Time ready_transition{};
  std::optional<Object> ready;  // the Ready condition last seen
  std::string lease_renew;      // renewTime of the lease last seen ("" none)
  Time lease_renew_time{};
};

class NodeLifecycleController final : public Controller {
 public:
  NodeLifecycleController(const ControllerContext& ctx, NodeLifecycleOptions options)
      : client_(ctx.client),
        informers_(ctx.informers),
        options_(options),
        loop_(ctx.executor, kName),
        recorder_(ctx.client, ctx.executor->clock(), "node-controller") {}

  ~NodeLifecycleController() override { Stop(); }

  std::string name() const override { return kName; }

  void Start() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (loop_.running()) return;
    loop_.BeginEpoch();
    known_nodes_.clear();
    health_.clear();
    zone_states_.clear();
    tainters_.clear();
    nodes_to_retry_.clear();
    tainting_scheduled_ = false;
    start_ = loop_.Now();
    Dispatcher* d = loop_.dispatcher();
    node_queue_ = std::make_unique<client::WorkQueue>(d, [this](const std::string& key) {
      std::lock_guard<std::mutex> lock(mu_);
      if (loop_.running()) DoNoScheduleTaintingPass(key);
      return Status::Ok();
    });
    // The controller-manager's shared informers; their handlers run on the
    // factory's thread, under mu_ and only in this epoch (Guard), like every
    // task of this controller.
    leases_ =
        informers_->ForResource(api::kLeases, client::ListWatchOptions{"kube-node-lease", "", ""});
    nodes_ = informers_->ForResource(api::kNodes);
    pods_ = informers_->ForResource(api::kPods);
    client::EventHandler node_handler;
    node_handler.on_add =
        loop_.Guard(&mu_, [this](const ObjectPtr& n) { node_queue_->Add(api::Name(*n)); });
    node_handler.on_update = loop_.Guard(
        &mu_, [this](const ObjectPtr&, const ObjectPtr& n) { node_queue_->Add(api::Name(*n)); });
    node_handler.on_delete =
        loop_.Guard(&mu_, [this](const ObjectPtr& n) { nodes_to_retry_.erase(api::Name(*n)); });
    nodes_->AddEventHandler(std::move(node_handler));
    // podUpdated: a pod newly bound to a node already not Ready is marked
    // NotReady at once (upstream queues it for a worker; here the handler
    // does it, under mu_, and returns early for every other pod).
    client::EventHandler pod_handler;
    pod_handler.on_add = loop_.Guard(&mu_, [this](const ObjectPtr& p) { PodUpdated(nullptr, p); });
    pod_handler.on_update =
        loop_.Guard(&mu_, [this](const ObjectPtr& o, const ObjectPtr& p) { PodUpdated(o, p); });
    pods_->AddEventHandler(std::move(pod_handler));
    // wait.UntilWithContext(monitorNodeHealth, nodeMonitorPeriod), once the
    // caches have synced.
    loop_.After(&mu_, Duration::zero(), [this] { MonitorTick(); });
  }

  // The informers are the factory's: the ControllerManager stops them.
  void Stop() override {
    std::unique_ptr<client::WorkQueue> queue;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!loop_.running()) return;
      loop_.EndEpoch();
      queue = std::move(node_queue_);
    }
    if (queue) queue->ShutDown();
  }

 private:
  Time Now() const { return loop_.Now(); }

  void MonitorTick() {
    if (nodes_->HasSynced() && leases_->HasSynced() && pods_->HasSynced()) MonitorNodeHealth();
    loop_.After(&mu_, options_.node_monitor_period, [this] { MonitorTick(); });
  }

  static Object NodeRef(const Object& node) {
    return Object{{"apiVersion", "v1"},
                  {"kind", "Node"},
                  {"metadata", {{"name", api::Name(node)}, {"uid", api::Uid(node)}}}};
  }

  // controllerutil.RecordNodeEvent.
  void RecordNodeEvent(const Object& node, const std::string& reason, const std::string& event) {
    recorder_.Event(NodeRef(node), "Normal", reason,
                    "Node " + api::Name(node) + " event: " + event);
  }

  std::map<std::string, std::vector<ObjectPtr>> PodsByNode() const {
    std::map<std::string, std::vector<ObjectPtr>> out;
    for (const ObjectPtr& p : pods_->List()) {
      const std::string node = api::GetString(*p, "/spec/nodeName");
      if (!node.empty()) out[node].push_back(p);
    }
    return out;
  }

  void AddTainterForZone(const std::string& zone) {
    if (zone_states_.contains(zone)) return;
    zone_states_[zone] = ZoneState::kInitial;
    tainters_[zone].limiter = TokenBucket(options_.node_eviction_rate, Now());
  }

  void MonitorNodeHealth() {
    std::vector<ObjectPtr> nodes = nodes_->List();
    // classifyNodes.
    std::set<std::string> seen;
    for (const ObjectPtr& n : nodes) {
      const std::string name = api::Name(*n);
      seen.insert(name);
      if (!known_nodes_.contains(name)) {
        RecordNodeEvent(*n, "RegisteredNode", "Registered Node " + name + " in Controller");
        known_nodes_[name] = n;
        AddTainterForZone(GetZoneKey(*n));
        MarkNodeAsReachable(*n);
      } else {
        AddTainterForZone(GetZoneKey(*n));
      }
    }
    for (auto it = known_nodes_.begin(); it != known_nodes_.end();) {
      if (seen.contains(it->first)) {
        ++it;
        continue;
      }
      RecordNodeEvent(*it->second, "RemovingNode",
                      "Removing Node " + it->first + " from Controller");
      health_.erase(it->first);
      it = known_nodes_.erase(it);
    }

    const auto pods_by_node = PodsByNode();
    std::map<std::string, std::vector<std::optional<Object>>> zone_conditions;
    for (const ObjectPtr& cached : nodes) {
      Object node = *cached;
      Object observed;
      std::optional<Object> current;
      bool ok = false;
      for (int attempt = 0; attempt < 5 && !ok; ++attempt) {
        ok = TryUpdateNodeHealth(node, &observed, &current);
        if (ok) break;
        StatusOr<Object> fresh = client_->Get(api::kNodes, "", api::Name(node));
        if (!fresh.ok()) break;
        node = std::move(fresh).value();
      }
      if (!ok) continue;  // "Skipping - no pods will be evicted"
      const Object* labels = api::Find(node, "/metadata/labels");
      if (!(labels && labels->is_object() && labels->contains(kLabelDisruptionExclusion))) {
        zone_conditions[GetZoneKey(node)].push_back(current);
      }
      if (!current) continue;
      const std::string name = api::Name(node);
      ProcessTaintBaseEviction(node, observed);
      const std::string cur_status = api::GetString(*current, "/status");
      const std::string obs_status = api::GetString(observed, "/status");
      const bool needs_retry = nodes_to_retry_.contains(name);
      bool mark = false;
      if (cur_status != "True" && obs_status == "True") {
        // RecordNodeStatusChange: reported once, when the status changes.
        recorder_.Event(NodeRef(node), "Normal", "NodeNotReady",
                        "Node " + name + " status is now: NodeNotReady");
        mark = true;
      } else if (needs_retry && obs_status != "True") {
        mark = true;
      }
      if (mark) {
        auto it = pods_by_node.find(name);
        if (it != pods_by_node.end() && !MarkPodsNotReady(it->second, name)) {
          nodes_to_retry_.insert(name);
          continue;
        }
      }
      nodes_to_retry_.erase(name);
    }
    HandleDisruption(zone_conditions, nodes);
  }

  // tryUpdateNodeHealth. Returns false when the status update failed.
  bool TryUpdateNodeHealth(Object& node, Object* observed, std::optional<Object>* current_out) {
    const std::string name = api::Name(node);
    const Time now = Now();
    Duration grace;
    const Object* current = GetCondition(node, "Ready");
    Time created{};
    ParseRfc3339(api::GetString(node, "/metadata/creationTimestamp"), &created);
    auto found = health_.find(name);
    std::optional<NodeHealth> health;
    if (found != health_.end()) health = found->second;
    if (!current) {
      *observed = Object{{"type", "Ready"},
                         {"status", "Unknown"},
                         {"lastHeartbeatTime", FormatRfc3339(created)},
                         {"lastTransitionTime", FormatRfc3339(created)}};
      grace = options_.node_startup_grace_period;
      if (!health) {
        health = NodeHealth{created, created, std::nullopt, "", {}};
      }
    } else {
      *observed = *current;
      grace = options_.node_monitor_grace_period;
    }
    const Object* saved = health && health->ready ? &*health->ready : nullptr;
    if (!health) {
      health =
          NodeHealth{now, now, current ? std::optional<Object>(*current) : std::nullopt, "", {}};
    } else if (!saved && current) {
      health = NodeHealth{now, now, *current, health->lease_renew, health->lease_renew_time};
    } else if (saved && current &&
               api::GetString(*saved, "/lastHeartbeatTime") !=
                   api::GetString(*current, "/lastHeartbeatTime")) {
      Time transition = health->ready_transition;
      if (api::GetString(*saved, "/lastTransitionTime") !=
          api::GetString(*current, "/lastTransitionTime")) {
        transition = now;
      }
      health = NodeHealth{now, transition, *current, health->lease_renew, health->lease_renew_time};
    }
    // "Always update the probe time if node lease is renewed."
    if (ObjectPtr lease = leases_->Get(std::string("kube-node-lease/") + name)) {
      const std::string renew = api::GetString(*lease, "/spec/renewTime");
      Time renew_time{};
      ParseRfc3339(renew, &renew_time);
      if (!renew.empty() &&
          (health->lease_renew.empty() || health->lease_renew_time < renew_time)) {
        health->lease_renew = renew;
        health->lease_renew_time = renew_time;
        health->probe = now;
      }
    }
    health_[name] = *health;

    if (now > health->probe + grace) {
      const std::string now_text = FormatRfc3339(now);
      for (const char* type : {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}) {
        Object* c = GetMutableCondition(node, type);
        if (!c) {
          if (!node.contains("status") || !node["status"].is_object()) {
            node["status"] = Object::object();
          }
          if (!node["status"].contains("conditions"))
            node["status"]["conditions"] = Object::array();
          node["status"]["conditions"].push_back({{"type", type},
                                                  {"status", "Unknown"},
                                                  {"reason", "NodeStatusNeverUpdated"},
                                                  {"message", "Kubelet never posted node status."},
                                                  {"lastHeartbeatTime", FormatRfc3339(created)},
                                                  {"lastTransitionTime", now_text}});
        } else if (api::GetString(*c, "/status") != "Unknown") {
          (*c)["status"] = "Unknown";
          (*c)["reason"] = "NodeStatusUnknown";
          (*c)["message"] = "Kubelet stopped posting node status.";
          (*c)["lastTransitionTime"] = now_text;
        }
      }
      const Object* updated_ready = GetCondition(node, "Ready");
      if (updated_ready && *updated_ready != *observed) {
        StatusOr<Object> result = client_->UpdateStatus(api::kNodes, node);
        if (!result.ok()) {
          *current_out = current ? std::optional<Object>(*current) : std::nullopt;
          return false;
        }
        node = std::move(result).value();
        NodeHealth& h = health_[name];
        h.ready = *GetCondition(node, "Ready");
        h.ready_transition = now;
      }
    }
    const Object* final_ready = GetCondition(node, "Ready");
    *current_out = final_ready ? std::optional<Object>(*final_ready) : std::nullopt;
    return true;
  }

  // controllerutil.MarkPodsNotReady. False when a status write failed.
  bool MarkPodsNotReady(const std::vector<ObjectPtr>& pods, const std::string& node_name) {
    bool ok = true;
    for (const ObjectPtr& p : pods) {
      if (api::GetString(*p, "/spec/nodeName") != node_name) continue;
      Object pod = *p;
      const Object* ready = GetCondition(pod, "Ready");
      if (!ready) continue;
      Object cond = *ready;
      cond["status"] = "False";
      if (!UpdatePodCondition(pod["status"], std::move(cond), Now())) continue;
      StatusOr<Object> result = client_->UpdateStatus(api::kPods, pod);
      if (!result.ok()) {
        if (result.status().code() == StatusCode::kNotFound) continue;
        ok = false;
      }
      // "record NodeNotReady event after updateStatus to make sure pod still exists"
      recorder_.Event(result.ok() ? *result : pod, "Warning", "NodeNotReady", "Node is not ready");
    }
    return ok;
  }

  // podUpdated + processPod: a pod newly bound to a node that is not Ready
  // is marked not ready at once.
  void PodUpdated(const ObjectPtr& old_pod, const ObjectPtr& pod) {
    const std::string node_name = api::GetString(*pod, "/spec/nodeName");
    if (node_name.empty()) return;
    if (old_pod && api::GetString(*old_pod, "/spec/nodeName") == node_name) return;
    auto h = health_.find(node_name);
    if (h == health_.end() || !h->second.ready) return;
    if (!nodes_->Get(node_name)) return;
    if (api::GetString(*h->second.ready, "/status") != "True") MarkPodsNotReady({pod}, node_name);
  }

  void ProcessTaintBaseEviction(const Object& node, const Object& observed) {
    const std::string status = api::GetString(observed, "/status");
    const Object* taints = api::Find(node, "/spec/taints");
    const Object unreachable = {{"key", kTaintNodeUnreachable}, {"effect", "NoExecute"}};
    const Object not_ready = {{"key", kTaintNodeNotReady}, {"effect", "NoExecute"}};
    if (status == "False") {
      if (TaintExists(taints, kTaintNodeUnreachable, "NoExecute")) {
        SwapNodeControllerTaint(client_, node, {not_ready}, {unreachable}, Now());
      } else {
        MarkNodeForTainting(node, "False");
      }
    } else if (status == "Unknown") {
      if (TaintExists(taints, kTaintNodeNotReady, "NoExecute")) {
        SwapNodeControllerTaint(client_, node, {unreachable}, {not_ready}, Now());
      } else {
        MarkNodeForTainting(node, "Unknown");
      }
    } else if (status == "True") {
      MarkNodeAsReachable(node);
    }
  }

  void MarkNodeForTainting(const Object& node, const std::string& status) {
    TaintQueue& q = tainters_[GetZoneKey(node)];
    const Object* taints = api::Find(node, "/spec/taints");
    const std::string name = api::Name(node);
    if (status == "False" && !TaintExists(taints, kTaintNodeNotReady, "NoExecute")) q.Remove(name);
    if (status == "Unknown" && !TaintExists(taints, kTaintNodeUnreachable, "NoExecute")) {
      q.Remove(name);
    }
    if (q.Add(name, api::Uid(node), Now())) ScheduleTaintingPass();
  }

  bool MarkNodeAsReachable(const Object& node) {
    const Object unreachable = {{"key", kTaintNodeUnreachable}, {"effect", "NoExecute"}};
    const Object not_ready = {{"key", kTaintNodeNotReady}, {"effect", "NoExecute"}};
    const Object* taints = api::Find(node, "/spec/taints");
    if (TaintExists(taints, kTaintNodeUnreachable, "NoExecute") ||
        TaintExists(taints, kTaintNodeNotReady, "NoExecute")) {
      if (!SwapNodeControllerTaint(client_, node, {}, {unreachable, not_ready}, Now()))
        return false;
    }
    auto it = tainters_.find(GetZoneKey(node));
    return it != tainters_.end() && it->second.Remove(api::Name(node));
  }

  // The next 100 ms tick (from Start) at which a queued node could be
  // tainted: its head is due and the zone's limiter has a token.
  void ScheduleTaintingPass() {
    if (tainting_scheduled_) return;
    const Time now = Now();
    std::optional<Time> next;
    for (auto& [zone, q] : tainters_) {
      if (q.queue.empty() || q.limiter.qps() <= 0) continue;
      Time t = std::max(q.limiter.NextToken(now), q.queue.front().process_at);
      if (!next || t < *next) next = t;
    }
    if (!next) return;
    const auto since = (*next - start_).count();
    const auto period = kNodeEvictionPeriod.count();
    const auto ticks = (since + period - 1) / period;
    Time at = start_ + Duration(ticks * period);
    if (at < now) at = now;
    tainting_scheduled_ = true;
    loop_.After(&mu_, at - now, [this] {
      tainting_scheduled_ = false;
      DoNoExecuteTaintingPass();
      ScheduleTaintingPass();
    });
  }

  // doNoExecuteTaintingPass with RateLimitedTimedQueue.Try.
  void DoNoExecuteTaintingPass() {
    const Time now = Now();
    for (auto& [zone, q] : tainters_) {
      while (!q.queue.empty()) {
        if (!q.limiter.TryAccept(now)) break;
        TaintQueue::Item item = q.queue.front();
        if (now < item.process_at) break;
        bool done = true;
        Duration wait = Duration::zero();
        ObjectPtr node = nodes_->Get(item.node);
        if (node) {
          const Object* ready = GetCondition(*node, "Ready");
          if (!ready) {
            done = false;
            wait = std::chrono::milliseconds(50);
          } else {
            const std::string status = api::GetString(*ready, "/status");
            const Object unreachable = {{"key", kTaintNodeUnreachable}, {"effect", "NoExecute"}};
            const Object not_ready = {{"key", kTaintNodeNotReady}, {"effect", "NoExecute"}};
            if (status == "False") {
              done = SwapNodeControllerTaint(client_, *node, {not_ready}, {unreachable}, now);
            } else if (status == "Unknown") {
              done = SwapNodeControllerTaint(client_, *node, {unreachable}, {not_ready}, now);
            }
          }
        }
        q.queue.pop_front();
        if (!done) {
          item.process_at = now + wait + Duration(1);
          q.queue.push_back(item);  // Replace: re-sorted by time
          std::stable_sort(q.queue.begin(), q.queue.end(), [](const auto& a, const auto& b) {
            return a.process_at < b.process_at;
          });
        }
      }
    }
  }

  // ComputeZoneState.
  std::pair<int, ZoneState> ComputeZoneState(
      const std::vector<std::optional<Object>>& conds) const {
    int ready = 0, not_ready = 0;
    for (const auto& c : conds) {
      if (c && api::GetString(*c, "/status") == "True") {
        ++ready;
      } else {
        ++not_ready;
      }
    }
    if (ready == 0 && not_ready > 0) return {not_ready, ZoneState::kFullDisruption};
    if (not_ready > 2 &&
        static_cast<double>(not_ready) / (not_ready + ready) >= options_.unhealthy_zone_threshold) {
      return {not_ready, ZoneState::kPartialDisruption};
    }
    return {not_ready, ZoneState::kNormal};
  }

  void SetLimiterInZone(const std::string& zone, int zone_size, ZoneState state) {
    TaintQueue& q = tainters_[zone];
    switch (state) {
      case ZoneState::kNormal:
      case ZoneState::kFullDisruption:  // HealthyQPSFunc
        q.SwapLimiter(options_.node_eviction_rate, Now());
        break;
      case ZoneState::kPartialDisruption:  // ReducedQPSFunc
        q.SwapLimiter(zone_size > options_.large_cluster_size_threshold
                          ? options_.secondary_node_eviction_rate
                          : 0,
                      Now());
        break;
      case ZoneState::kInitial:
        break;
    }
    ScheduleTaintingPass();
  }

  void HandleDisruption(const std::map<std::string, std::vector<std::optional<Object>>>& zones,
                        const std::vector<ObjectPtr>& nodes) {
    std::map<std::string, ZoneState> new_states;
    bool all_are_fully_disrupted = true;
    for (const auto& [zone, conds] : zones) {
      ZoneState state = ComputeZoneState(conds).second;
      if (state != ZoneState::kFullDisruption) all_are_fully_disrupted = false;
      new_states[zone] = state;
      if (!zone_states_.contains(zone)) zone_states_[zone] = ZoneState::kInitial;
    }
    bool all_was_fully_disrupted = true;
    for (auto it = zone_states_.begin(); it != zone_states_.end();) {
      if (!zones.contains(it->first)) {
        it = zone_states_.erase(it);
        continue;
      }
      if (it->second != ZoneState::kFullDisruption) {
        all_was_fully_disrupted = false;
        break;
      }
      ++it;
    }
    if (all_are_fully_disrupted && all_was_fully_disrupted) return;
    if (all_are_fully_disrupted) {
      // "Controller detected that all Nodes are not-Ready. Entering master disruption mode"
      for (const ObjectPtr& n : nodes) MarkNodeAsReachable(*n);
      for (auto& [zone, state] : zone_states_) {
        tainters_[zone].SwapLimiter(0, Now());
        state = ZoneState::kFullDisruption;
      }
      return;
    }
    if (all_was_fully_disrupted) {
      // "Exiting master disruption mode": fresh probe timestamps everywhere.
      const Time now = Now();
      for (const ObjectPtr& n : nodes) {
        NodeHealth& h = health_[api::Name(*n)];
        h.probe = now;
        h.ready_transition = now;
      }
      for (auto& [zone, state] : zone_states_) {
        auto z = zones.find(zone);
        SetLimiterInZone(zone, z == zones.end() ? 0 : static_cast<int>(z->second.size()),
                         new_states[zone]);
        state = new_states[zone];
      }
      return;
    }
    for (auto& [zone, state] : zone_states_) {
      const ZoneState next = new_states[zone];
      if (state == next) continue;
      auto z = zones.find(zone);
      SetLimiterInZone(zone, z == zones.end() ? 0 : static_cast<int>(z->second.size()), next);
      state = next;
    }
  }

  // doNoScheduleTaintingPass.
  void DoNoScheduleTaintingPass(const std::string& name) {
    ObjectPtr node = nodes_ ? nodes_->Get(name) : nullptr;
    if (!node) return;
    static const std::map<std::string, std::map<std::string, std::string>> kConditionTaints = {
        {"Ready", {{"False", kTaintNodeNotReady}, {"Unknown", kTaintNodeUnreachable}}},
        {"MemoryPressure", {{"True", "node.kubernetes.io/memory-pressure"}}},
        {"DiskPressure", {{"True", "node.kubernetes.io/disk-pressure"}}},
        {"NetworkUnavailable", {{"True", "node.kubernetes.io/network-unavailable"}}},
        {"PIDPressure", {{"True", "node.kubernetes.io/pid-pressure"}}},
    };
    static const std::set<std::string> kConditionTaintKeys = {
        kTaintNodeNotReady,
        kTaintNodeUnreachable,
        "node.kubernetes.io/memory-pressure",
        "node.kubernetes.io/disk-pressure",
        "node.kubernetes.io/network-unavailable",
        "node.kubernetes.io/pid-pressure"};
    std::vector<std::string> want;
    const Object* conditions = api::Find(*node, "/status/conditions");
    if (conditions && conditions->is_array()) {
      for (const Object& c : *conditions) {
        auto m = kConditionTaints.find(api::GetString(c, "/type"));
        if (m == kConditionTaints.end()) continue;
        auto k = m->second.find(api::GetString(c, "/status"));
        if (k != m->second.end()) want.push_back(k->second);
      }
    }
    const Object* unschedulable = api::Find(*node, "/spec/unschedulable");
    if (unschedulable && unschedulable->is_boolean() && unschedulable->get<bool>()) {
      want.push_back(kTaintNodeUnschedulable);
    }
    std::vector<std::string> have;
    const Object* taints = api::Find(*node, "/spec/taints");
    if (taints && taints->is_array()) {
      for (const Object& t : *taints) {
        if (api::GetString(t, "/effect") != "NoSchedule") continue;
        const std::string key = api::GetString(t, "/key");
        if (key == kTaintNodeUnschedulable || kConditionTaintKeys.contains(key))
          have.push_back(key);
      }
    }
    std::vector<Object> add, remove;
    for (const std::string& k : want) {
      if (std::find(have.begin(), have.end(), k) == have.end()) {
        add.push_back({{"key", k}, {"effect", "NoSchedule"}});
      }
    }
    for (const std::string& k : have) {
      if (std::find(want.begin(), want.end(), k) == want.end()) {
        remove.push_back({{"key", k}, {"effect", "NoSchedule"}});
      }
    }
    if (add.empty() && remove.empty()) return;
    SwapNodeControllerTaint(client_, *node, add, remove, Now());
  }

  client::Client* const client_;
  client::SharedInformerFactory* const informers_;
  const NodeLifecycleOptions options_;
  ControllerLoop loop_;
  client::EventRecorder recorder_;

  std::mutex mu_;
  // Guarded by mu_ (touched by this controller's tasks and, under mu_, by its
  // handlers on the shared informers' thread).
  client::Informer* nodes_ = nullptr;  // shared, owned by informers_
  client::Informer* leases_ = nullptr;
  client::Informer* pods_ = nullptr;
  std::unique_ptr<client::WorkQueue> node_queue_;
  std::map<std::string, ObjectPtr> known_nodes_;
  std::map<std::string, NodeHealth> health_;
  std::map<std::string, ZoneState> zone_states_;
  std::map<std::string, TaintQueue> tainters_;
  std::set<std::string> nodes_to_retry_;
  bool tainting_scheduled_ = false;
  Time start_{};
};

}  // namespace

std::unique_ptr<Controller> NewNodeLifecycleController(const ControllerContext& ctx,
                                                       NodeLifecycleOptions options) {
  return std::make_unique<NodeLifecycleController>(ctx, options);
}

}  // namespace kubesim::controller::node
