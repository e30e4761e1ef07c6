// The taint eviction controller, after kubernetes v1.32
// pkg/controller/tainteviction/taint_eviction.go and timed_workers.go:
// pods on a node with NoExecute taints are deleted once the smallest
// tolerationSeconds of the tolerations they use runs out (at once if a taint
// is not tolerated, never if tolerated without tolerationSeconds). The
// countdown starts when this controller sees the taint (processPodOnNode's
// `now`), not at the taint's timeAdded. Deletion: event TaintManagerEviction
// "Marking for deletion Pod ns/name", condition DisruptionTarget
// (DeletionByTaintManager), then a normal graceful delete. Taints removed →
// scheduled work cancelled with "Cancelling deletion of Pod ns/name".
//
// The TimedWorkerQueue's timers are PostAt tasks on this controller's
// dispatcher.
#include <optional>
#include <set>

#include "controllers.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/client/event_recorder.h"
#include "kubesim/client/informer.h"
#include "node_util.h"

namespace kubesim::controller::node {
namespace {

using api::Object;
using api::ObjectPtr;

constexpr char kName[] = "taint-eviction-controller";
constexpr int kRetries = 5;

class TaintEvictionController final : public Controller {
 public:
  explicit TaintEvictionController(const ControllerContext& ctx)
      : client_(ctx.client),
        informers_(ctx.informers),
        loop_(ctx.executor, kName),
        recorder_(ctx.client, ctx.executor->clock(), kName) {}
  ~TaintEvictionController() override { Stop(); }

  std::string name() const override { return kName; }

  void Start() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (loop_.running()) return;
    loop_.BeginEpoch();
    tainted_nodes_.clear();
    workers_.clear();
    // The controller-manager's shared informers. Upstream's handlers feed
    // nodeUpdateQueue/podUpdateQueue drained by workers; here the handlers do
    // that work directly, on the factory's thread, under mu_ and only in this
    // epoch (Guard) like every task of this controller, which keeps events
    // in their order. Timers still run on this controller's loop.
    nodes_ = informers_->ForResource(api::kNodes);
    pods_ = informers_->ForResource(api::kPods);
    client::EventHandler pod_handler;
    pod_handler.on_add = loop_.Guard(&mu_, [this](const ObjectPtr& p) { PodUpdated(nullptr, p); });
    pod_handler.on_update =
        loop_.Guard(&mu_, [this](const ObjectPtr& o, const ObjectPtr& p) { PodUpdated(o, p); });
    pod_handler.on_delete =
        loop_.Guard(&mu_, [this](const ObjectPtr& p) { PodUpdated(p, nullptr); });
    pods_->AddEventHandler(std::move(pod_handler));
    client::EventHandler node_handler;
    node_handler.on_add =
        loop_.Guard(&mu_, [this](const ObjectPtr& n) { NodeUpdated(nullptr, n); });
    node_handler.on_update =
        loop_.Guard(&mu_, [this](const ObjectPtr& o, const ObjectPtr& n) { NodeUpdated(o, n); });
    node_handler.on_delete =
        loop_.Guard(&mu_, [this](const ObjectPtr& n) { NodeUpdated(n, nullptr); });
    nodes_->AddEventHandler(std::move(node_handler));
  }

  // The informers are the factory's: the ControllerManager stops them.
  void Stop() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!loop_.running()) return;
    loop_.EndEpoch();  // cancels the eviction timers
    workers_.clear();
  }

 private:
  struct Worker {
    Time created_at, fire_at;
  };

  Time Now() const { return loop_.Now(); }

  // NodeUpdated / PodUpdated feed the work queues; both are handled here on
  // the one loop, node updates as they come (the upstream workers handle
  // node updates first).
  void NodeUpdated(const ObjectPtr& old_node, const ObjectPtr& new_node) {
    if (old_node && new_node && NoExecuteTaints(*old_node) == NoExecuteTaints(*new_node)) return;
    HandleNodeUpdate(api::Name(new_node ? *new_node : *old_node));
  }

  void PodUpdated(const ObjectPtr& old_pod, const ObjectPtr& new_pod) {
    if (old_pod && new_pod &&
        api::GetString(*old_pod, "/spec/nodeName") == api::GetString(*new_pod, "/spec/nodeName")) {
      const Object* a = api::Find(*old_pod, "/spec/tolerations");
      const Object* b = api::Find(*new_pod, "/spec/tolerations");
      if ((!a && !b) || (a && b && *a == *b)) return;
    }
    const Object& pod = new_pod ? *new_pod : *old_pod;
    HandlePodUpdate(api::Namespace(pod), api::Name(pod), api::GetString(pod, "/spec/nodeName"));
  }

  void HandlePodUpdate(const std::string& ns, const std::string& name, const std::string& node) {
    const std::string key = ns + "/" + name;
    ObjectPtr pod = pods_->Get(key);
    if (!pod) {
      CancelWorkWithEvent(ns, name);
      return;
    }
    if (api::GetString(*pod, "/spec/nodeName") != node || node.empty()) return;
    auto it = tainted_nodes_.find(node);
    if (it == tainted_nodes_.end()) return;
    ProcessPodOnNode(*pod, it->second, Now());
  }

  void HandleNodeUpdate(const std::string& node_name) {
    ObjectPtr node = nodes_->Get(node_name);
    if (!node) {
      tainted_nodes_.erase(node_name);
      return;
    }
    std::vector<Object> taints = NoExecuteTaints(*node);
    if (taints.empty()) {
      tainted_nodes_.erase(node_name);
    } else {
      tainted_nodes_[node_name] = taints;
    }
    std::vector<ObjectPtr> pods;
    for (const ObjectPtr& p : pods_->List()) {
      if (api::GetString(*p, "/spec/nodeName") == node_name) pods.push_back(p);
    }
    if (pods.empty()) return;
    if (taints.empty()) {
      for (const ObjectPtr& p : pods) CancelWorkWithEvent(api::Namespace(*p), api::Name(*p));
      return;
    }
    const Time now = Now();
    for (const ObjectPtr& p : pods) ProcessPodOnNode(*p, taints, now);
  }

  void ProcessPodOnNode(const Object& pod, const std::vector<Object>& taints, Time now) {
    const std::string ns = api::Namespace(pod), name = api::Name(pod);
    if (taints.empty()) CancelWorkWithEvent(ns, name);
    std::vector<Object> used;
    if (!GetMatchingTolerations(taints, api::Find(pod, "/spec/tolerations"), &used)) {
      // "Not all taints are tolerated": deleted right away.
      CancelWorkWithEvent(ns, name);
      AddWork(ns, name, now, now);
      return;
    }
    // getMinTolerationTime: -1 (forever) without any tolerationSeconds.
    std::optional<int64_t> min_seconds;
    if (used.empty()) min_seconds = 0;
    for (const Object& t : used) {
      const Object* s = api::Find(t, "/tolerationSeconds");
      if (!s || !s->is_number()) continue;
      const int64_t v = std::max<int64_t>(0, s->get<int64_t>());
      if (!min_seconds || v < *min_seconds) min_seconds = v;
    }
    if (!min_seconds) {
      CancelWorkWithEvent(ns, name);
      return;
    }
    Time start = now;
    const Time trigger = start + std::chrono::seconds(*min_seconds);
    auto it = workers_.find(ns + "/" + name);
    if (it != workers_.end() && it->second) {
      start = it->second->created_at;
      if (start + std::chrono::seconds(*min_seconds) < trigger) return;
      CancelWorkWithEvent(ns, name);
    }
    AddWork(ns, name, start, trigger);
  }

  // TimedWorkerQueue.AddWork: an existing entry (even a finished one) wins.
  void AddWork(const std::string& ns, const std::string& name, Time created, Time fire) {
    const std::string key = ns + "/" + name;
    if (workers_.contains(key)) return;
    workers_[key] = Worker{created, fire};
    const Time now = Now();
    loop_.After(&mu_, fire > now ? fire - now : Duration::zero(), [this, key, ns, name, fire] {
      auto it = workers_.find(key);
      if (it == workers_.end() || !it->second || it->second->fire_at != fire) return;
      // getWrappedWorkerFunc: a done key stays (as nil) to prevent re-adding.
      if (DeletePod(ns, name)) {
        it->second.reset();
      } else {
        workers_.erase(key);
      }
    });
  }

  // TimedWorkerQueue.CancelWork + emitCancelPodDeletionEvent.
  void CancelWorkWithEvent(const std::string& ns, const std::string& name) {
    auto it = workers_.find(ns + "/" + name);
    if (it == workers_.end()) return;
    const bool pending = it->second.has_value();
    workers_.erase(it);  // its timer finds no entry and does nothing
    if (pending) {
      recorder_.Event(PodRef(ns, name), "Normal", "TaintManagerEviction",
                      "Cancelling deletion of Pod " + ns + "/" + name);
    }
  }

  static Object PodRef(const std::string& ns, const std::string& name) {
    return Object{
        {"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", name}, {"namespace", ns}}}};
  }

  // deletePodHandler + addConditionAndDeletePod.
  bool DeletePod(const std::string& ns, const std::string& name) {
    recorder_.Event(PodRef(ns, name), "Normal", "TaintManagerEviction",
                    "Marking for deletion Pod " + ns + "/" + name);
    for (int i = 0; i < kRetries; ++i) {
      StatusOr<Object> pod = client_->Get(api::kPods, ns, name);
      if (!pod.ok()) {
        if (pod.status().code() == StatusCode::kNotFound) return false;
        continue;
      }
      Object updated = *pod;
      if (!updated.contains("status")) updated["status"] = Object::object();
      if (UpdatePodCondition(updated["status"],
                             {{"type", "DisruptionTarget"},
                              {"status", "True"},
                              {"reason", "DeletionByTaintManager"},
                              {"message", "Taint manager: deleting due to NoExecute taint"}},
                             Now())) {
        if (!client_->UpdateStatus(api::kPods, updated).ok()) continue;
      }
      if (client_->Delete(api::kPods, ns, name).ok()) return true;
    }
    return false;
  }

  client::Client* const client_;
  client::SharedInformerFactory* const informers_;
  ControllerLoop loop_;
  client::EventRecorder recorder_;

  std::mutex mu_;
  // Guarded by mu_.
  client::Informer* nodes_ = nullptr;  // shared, owned by informers_
  client::Informer* pods_ = nullptr;
  std::map<std::string, std::vector<Object>> tainted_nodes_;
  // "ns/name" -> scheduled eviction; nullopt once done.
  std::map<std::string, std::optional<Worker>> workers_;
};

}  // namespace

std::unique_ptr<Controller> NewTaintEvictionController(const ControllerContext& ctx) {
  return std::make_unique<TaintEvictionController>(ctx);
}

}  // namespace kubesim::controller::node
