// The namespace controller (pkg/controller/namespace/deletion/
// namespaced_resources_deleter.go): a namespace being deleted is emptied of
// every namespaced object, then its "kubernetes" finalizer is removed through
// the finalize subresource and the API server deletes it.
#include "kubesim/api/errors.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "reconciler.h"

namespace kubesim::controller {
namespace {

// The namespaced kinds kubesim serves, as the controller would discover them.
const std::vector<api::GroupVersionResource>& NamespacedKinds() {
  static const std::vector<api::GroupVersionResource> kinds = {
      api::kDeployments, api::kReplicaSets,     api::kPods,   api::kServices, api::kEndpointSlices,
      api::kEndpoints,   api::kServiceAccounts, api::kLeases, api::kEvents};
  return kinds;
}

class NamespaceController final : public Reconciler {
 public:
  explicit NamespaceController(const ControllerContext& ctx)
      : Reconciler(ctx, "namespace-controller") {}

 protected:
  void SetUpInformers() override {
    client::EventHandler h;
    h.on_add = [this](const api::ObjectPtr& ns) { EnqueueIfDeleting(*ns); };
    h.on_update = [this](const api::ObjectPtr&, const api::ObjectPtr& ns) {
      EnqueueIfDeleting(*ns);
    };
    namespaces_ = AddInformer(api::kNamespaces, std::move(h));
  }

  Status Sync(const std::string& name) override {
    api::ObjectPtr ns = namespaces_->Get(name);
    if (!ns || !api::Find(*ns, "/metadata/deletionTimestamp")) return Status::Ok();
    // Delete everything in it; what is still there (pods terminating) is
    // checked again shortly, as upstream's estimate-and-requeue does.
    size_t remaining = 0;
    for (const auto& gvr : NamespacedKinds()) {
      auto list = ctx_.client->List(gvr, name);
      if (!list.ok()) return list.status();
      for (const auto& item : (*list)["items"]) {
        ++remaining;
        if (api::Find(item, "/metadata/deletionTimestamp")) continue;
        Status st = ctx_.client->Delete(gvr, name, api::Name(item));
        if (!st.ok() && st.code() != StatusCode::kNotFound) return st;
      }
    }
    if (remaining > 0) {
      queue_->AddAfter(name, std::chrono::seconds(2));
      return Status::Ok();
    }
    // Finalize: drop "kubernetes" from spec.finalizers.
    api::Object updated = *ns;
    api::Object kept = api::Object::array();
    for (const auto& f : updated["spec"].value("finalizers", api::Object::array())) {
      if (f != "kubernetes") kept.push_back(f);
    }
    updated["spec"]["finalizers"] = kept;
    api::Request req;
    req.verb = api::Verb::kUpdate;
    req.gvr = api::kNamespaces;
    req.name = name;
    req.subresource = "finalize";
    req.body = std::move(updated);
    api::Response r = ctx_.client->Do(std::move(req));
    if (!r.ok() && r.code != 404) return api::ToStatus(r);
    return Status::Ok();
  }

 private:
  void EnqueueIfDeleting(const api::Object& ns) {
    if (api::Find(ns, "/metadata/deletionTimestamp")) Enqueue(api::Name(ns));
  }

  client::Informer* namespaces_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewNamespaceController(const ControllerContext& ctx) {
  return std::make_unique<NamespaceController>(ctx);
}

}  // namespace kubesim::controller
