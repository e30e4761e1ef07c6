// "garbage-collector-controller", reduced: pkg/controller/garbagecollector
// deletes dependents whose owners are gone (background cascading deletion).
// kubesim watches Deployments, ReplicaSets, DaemonSets, ControllerRevisions
// and Pods and deletes a ReplicaSet, ControllerRevision or Pod whose
// controller owner (by kind, name and uid) no longer exists.
// Not reproduced: foreground deletion, orphaning, non-controller owners.
#include "base.h"
#include "kubesim/api/gvr.h"

namespace kubesim::controller::workloads {
namespace {

using api::Object;
using api::ObjectPtr;

class GarbageCollector final : public Reconciler {
 public:
  explicit GarbageCollector(const ControllerContext& ctx)
      : Reconciler(ctx, "garbage-collector-controller") {}

 protected:
  void SetUpInformers() override {
    client::EventHandler owner_handler;
    owner_handler.on_delete = [this](const ObjectPtr& o) { OwnerGone(*o); };
    deployments_ = AddInformer(api::kDeployments, owner_handler);
    client::EventHandler rs_handler;
    rs_handler.on_add = [this](const ObjectPtr& o) { Dependent("rs", *o); };
    rs_handler.on_update = [this](const ObjectPtr&, const ObjectPtr& o) { Dependent("rs", *o); };
    rs_handler.on_delete = [this](const ObjectPtr& o) { OwnerGone(*o); };
    rss_ = AddInformer(api::kReplicaSets, rs_handler);
    daemonsets_ = AddInformer(api::kDaemonSets, owner_handler);
    client::EventHandler cr_handler;
    cr_handler.on_add = [this](const ObjectPtr& o) { Dependent("cr", *o); };
    revisions_ = AddInformer(api::kControllerRevisions, cr_handler);
    client::EventHandler pod_handler;
    pod_handler.on_add = [this](const ObjectPtr& o) { Dependent("pod", *o); };
    pods_ = AddInformer(api::kPods, pod_handler);
  }

  void Dependent(const std::string& kind, const Object& o) {
    if (ControllerRef(o)) Enqueue(kind + "|" + api::KeyOf(o));
  }

  // The dependents of a deleted owner.
  void OwnerGone(const Object& owner) {
    const std::string uid = api::Uid(owner);
    auto scan = [&](client::Informer* inf, const std::string& kind) {
      for (const ObjectPtr& o : inf->List()) {
        const Object* ref = ControllerRef(*o);
        if (ref && ref->value("uid", "") == uid) Enqueue(kind + "|" + api::KeyOf(*o));
      }
    };
    scan(rss_, "rs");
    scan(revisions_, "cr");
    scan(pods_, "pod");
  }

  Status Sync(const std::string& item) override {
    if (!AllSynced()) {
      queue_->AddAfter(item, std::chrono::seconds(1));
      return Status::Ok();
    }
    const auto bar = item.find('|');
    const std::string kind = item.substr(0, bar), key = item.substr(bar + 1);
    client::Informer* inf = kind == "rs" ? rss_ : kind == "cr" ? revisions_ : pods_;
    ObjectPtr obj = inf->Get(key);
    if (!obj || api::Find(*obj, "/metadata/deletionTimestamp")) return Status::Ok();
    const Object* ref = ControllerRef(*obj);
    if (!ref) return Status::Ok();
    const std::string owner_kind = ref->value("kind", "");
    client::Informer* owners = nullptr;
    api::GroupVersionResource owner_gvr;
    if (owner_kind == "Deployment") {
      owners = deployments_;
      owner_gvr = api::kDeployments;
    } else if (owner_kind == "ReplicaSet") {
      owners = rss_;
      owner_gvr = api::kReplicaSets;
    } else if (owner_kind == "DaemonSet") {
      owners = daemonsets_;
      owner_gvr = api::kDaemonSets;
    } else {
      return Status::Ok();
    }
    const std::string ns = api::Namespace(*obj);
    const std::string owner_key = ns + "/" + ref->value("name", "");
    ObjectPtr owner = owners->Get(owner_key);
    if (owner && api::Uid(*owner) == ref->value("uid", "")) return Status::Ok();
    // The cache may lag: confirm with a live read, as the GC's attemptToDelete.
    auto live = ctx_.client->Get(owner_gvr, ns, ref->value("name", ""));
    if (live.ok() && api::Uid(*live) == ref->value("uid", "")) return Status::Ok();
    if (!live.ok() && live.status().code() != StatusCode::kNotFound) return live.status();
    const api::GroupVersionResource& gvr = kind == "rs"   ? api::kReplicaSets
                                           : kind == "cr" ? api::kControllerRevisions
                                                          : api::kPods;
    Status st = ctx_.client->Delete(gvr, ns, api::Name(*obj));
    return st.ok() || st.code() == StatusCode::kNotFound ? Status::Ok() : st;
  }

  client::Informer* deployments_ = nullptr;
  client::Informer* rss_ = nullptr;
  client::Informer* daemonsets_ = nullptr;
  client::Informer* revisions_ = nullptr;
  client::Informer* pods_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewGarbageCollector(const ControllerContext& ctx) {
  return std::make_unique<GarbageCollector>(ctx);
}

}  // namespace kubesim::controller::workloads
