// Pod garbage collection, after kubernetes v1.32
// pkg/controller/podgc/gc_controller.go: every gcCheckPeriod (20 s)
//  - gcOrphaned: a pod bound to a node the informer does not know puts the
//    node in quarantine (a delaying queue, quarantineTime 40 s); a node
//    still missing afterwards (checked with a GET) has its pods marked
//    Failed with condition DisruptionTarget (DeletionByPodGC, "PodGC: node
//    no longer exists") and force-deleted (grace period 0);
//  - gcUnscheduledTerminating: terminating pods bound to no node are
//    force-deleted.
// gcTerminated (the 12500 terminated-pod threshold) and gcTerminating (the
// out-of-service taint) are out of scope.
#include <set>

#include "controllers.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/client/informer.h"
#include "node_util.h"

namespace kubesim::controller::node {
namespace {

using api::Object;
using api::ObjectPtr;

constexpr char kName[] = "pod-garbage-collector";
constexpr Duration kGcCheckPeriod = std::chrono::seconds(20);
constexpr Duration kQuarantineTime = std::chrono::seconds(40);

class PodGcController final : public Controller {
 public:
  explicit PodGcController(const ControllerContext& ctx)
      : client_(ctx.client), informers_(ctx.informers), loop_(ctx.executor, kName) {}
  ~PodGcController() override { Stop(); }

  std::string name() const override { return kName; }

  void Start() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (loop_.running()) return;
    loop_.BeginEpoch();
    quarantine_.clear();
    // Caches only, no handlers: the controller-manager's shared informers
    // cost this controller nothing per event.
    nodes_ = informers_->ForResource(api::kNodes);
    pods_ = informers_->ForResource(api::kPods);
    loop_.After(&mu_, kGcCheckPeriod, [this] { Tick(); });
  }

  // The informers are the factory's: the ControllerManager stops them.
  void Stop() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!loop_.running()) return;
    loop_.EndEpoch();
  }

 private:
  void Tick() {
    if (nodes_->HasSynced() && pods_->HasSynced()) Gc();
    loop_.After(&mu_, kGcCheckPeriod, [this] { Tick(); });
  }

  void Gc() {
    const std::vector<ObjectPtr> pods = pods_->List();
    std::set<std::string> existing;
    for (const ObjectPtr& n : nodes_->List()) existing.insert(api::Name(*n));
    const Time now = loop_.Now();
    // gcOrphaned: quarantine unknown nodes (AddAfter keeps the earliest).
    for (const ObjectPtr& p : pods) {
      const std::string node = api::GetString(*p, "/spec/nodeName");
      if (node.empty() || existing.contains(node)) continue;
      if (!quarantine_.contains(node)) quarantine_[node] = now + kQuarantineTime;
    }
    // discoverDeletedNodes: nodes whose quarantine is over.
    std::set<std::string> deleted;
    for (auto it = quarantine_.begin(); it != quarantine_.end();) {
      if (it->second > now) {
        ++it;
        continue;
      }
      if (!existing.contains(it->first)) {
        StatusOr<Object> got = client_->Get(api::kNodes, "", it->first);
        if (!got.ok() && got.status().code() == StatusCode::kNotFound) deleted.insert(it->first);
      }
      it = quarantine_.erase(it);
    }
    for (const ObjectPtr& p : pods) {
      if (!deleted.contains(api::GetString(*p, "/spec/nodeName"))) continue;
      MarkFailedAndDeletePod(*p, Object{{"type", "DisruptionTarget"},
                                        {"status", "True"},
                                        {"reason", "DeletionByPodGC"},
                                        {"message", "PodGC: node no longer exists"}});
    }
    // gcUnscheduledTerminating.
    for (const ObjectPtr& p : pods) {
      if (!api::GetString(*p, "/spec/nodeName").empty()) continue;
      if (!api::Find(*p, "/metadata/deletionTimestamp")) continue;
      MarkFailedAndDeletePod(*p, Object());
    }
  }

  // markFailedAndDeletePodWithCondition.
  void MarkFailedAndDeletePod(const Object& pod, const Object& condition) {
    const std::string phase = api::GetString(pod, "/status/phase");
    if (phase != "Succeeded" && phase != "Failed") {
      Object updated = pod;
      if (!updated.contains("status")) updated["status"] = Object::object();
      updated["status"]["phase"] = "Failed";
      if (!condition.is_null()) UpdatePodCondition(updated["status"], condition, loop_.Now());
      StatusOr<Object> result = client_->UpdateStatus(api::kPods, updated);
      if (!result.ok()) return;
    }
    api::Request del;
    del.verb = api::Verb::kDelete;
    del.gvr = api::kPods;
    del.namespace_ = api::Namespace(pod);
    del.name = api::Name(pod);
    del.grace_period_seconds = 0;
    del.precondition_uid = api::Uid(pod);
    client_->Do(std::move(del));
  }

  client::Client* const client_;
  client::SharedInformerFactory* const informers_;
  ControllerLoop loop_;

  std::mutex mu_;
  // Guarded by mu_.
  client::Informer* nodes_ = nullptr;  // shared, owned by informers_
  client::Informer* pods_ = nullptr;
  std::map<std::string, Time> quarantine_;  // node -> when it is checked
};

}  // namespace

std::unique_ptr<Controller> NewPodGcController(const ControllerContext& ctx) {
  return std::make_unique<PodGcController>(ctx);
}

}  // namespace kubesim::controller::node
