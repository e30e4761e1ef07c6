// "serviceaccount-controller": pkg/controller/serviceaccount/
// serviceaccounts_controller.go. Every active namespace gets the
// ServiceAccount "default"; it is re-created if deleted.

#include "base.h"
#include "kubesim/api/gvr.h"

namespace kubesim::controller::service {
namespace {

using api::Object;
using api::ObjectPtr;

class ServiceAccountsController final : public ReconcilerBase {
 public:
  explicit ServiceAccountsController(const ControllerContext& ctx)
      : ReconcilerBase(ctx, "serviceaccount-controller") {}

 protected:
  void SetUpInformers() override {
    client::EventHandler ns_handler;
    ns_handler.on_add = [this](const ObjectPtr& o) { Enqueue(api::Name(*o)); };
    ns_handler.on_update = [this](const ObjectPtr&, const ObjectPtr& o) { Enqueue(api::Name(*o)); };
    namespaces_ = AddInformer(api::kNamespaces, ns_handler);
    client::EventHandler sa_handler;
    sa_handler.on_delete = [this](const ObjectPtr& o) { Enqueue(api::Namespace(*o)); };
    accounts_ = AddInformer(api::kServiceAccounts, sa_handler);
  }

  Status Sync(const std::string& ns) override {
    if (!namespaces_->HasSynced() || !accounts_->HasSynced()) {
      queue_->AddAfter(ns, std::chrono::seconds(1));
      return Status::Ok();
    }
    ObjectPtr obj = namespaces_->Get(ns);
    if (!obj || api::GetString(*obj, "/status/phase") != "Active") return Status::Ok();
    if (accounts_->Get(ns + "/default")) return Status::Ok();
    Object sa = {{"apiVersion", "v1"},
                 {"kind", "ServiceAccount"},
                 {"metadata", {{"name", "default"}, {"namespace", ns}}}};
    auto r = ctx_.client->Create(api::kServiceAccounts, ns, sa);
    if (!r.ok() && r.status().code() != StatusCode::kAlreadyExists) return r.status();
    return Status::Ok();
  }

 private:
  client::Informer* namespaces_ = nullptr;
  client::Informer* accounts_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewServiceAccountsController(const ControllerContext& ctx) {
  return std::make_unique<ServiceAccountsController>(ctx);
}

}  // namespace kubesim::controller::service
