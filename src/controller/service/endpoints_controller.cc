// "endpoints-controller": pkg/controller/endpoint/endpoints_controller.go.
// For every Service with a selector, an Endpoints object of the same name
// lists the matching pods that have an IP: ready ones (Ready condition True)
// in subsets[].addresses, the others in notReadyAddresses; terminating pods
// are left out (publishNotReadyAddresses keeps them). Pods are grouped into
// subsets by their resolved ports (RepackSubsets); addresses sorted by IP.
// The Endpoints carries the Service's labels (+ service.kubernetes.io/headless
// for clusterIP None). It is deleted with its Service.

#include <algorithm>
#include <map>

#include "base.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/selectors.h"

namespace kubesim::controller::service {
namespace {

using api::Object;
using api::ObjectPtr;

class EndpointsController final : public ReconcilerBase {
 public:
  explicit EndpointsController(const ControllerContext& ctx)
      : ReconcilerBase(ctx, "endpoints-controller") {}

 protected:
  void SetUpInformers() override {
    client::EventHandler svc_handler;
    svc_handler.on_add = [this](const ObjectPtr& o) { Enqueue(api::KeyOf(*o)); };
    svc_handler.on_update = [this](const ObjectPtr&, const ObjectPtr& o) {
      Enqueue(api::KeyOf(*o));
    };
    svc_handler.on_delete = [this](const ObjectPtr& o) { Enqueue(api::KeyOf(*o)); };
    services_ = AddInformer(api::kServices, svc_handler);

    client::EventHandler pod_handler;
    pod_handler.on_add = [this](const ObjectPtr& o) { PodChanged(nullptr, *o); };
    pod_handler.on_update = [this](const ObjectPtr& old_obj, const ObjectPtr& o) {
      PodChanged(old_obj.get(), *o);
    };
    pod_handler.on_delete = [this](const ObjectPtr& o) { PodChanged(nullptr, *o); };
    pods_ = AddInformer(api::kPods, pod_handler);

    client::EventHandler ep_handler;
    ep_handler.on_delete = [this](const ObjectPtr& o) {
      if (services_->Get(api::KeyOf(*o))) Enqueue(api::KeyOf(*o));
    };
    endpoints_ = AddInformer(api::kEndpoints, ep_handler);
  }

  // getPodServiceMemberships: the services selecting the pod, old or new.
  void PodChanged(const Object* old_pod, const Object& pod) {
    const std::string ns = api::Namespace(pod);
    for (const ObjectPtr& svc : services_->List()) {
      if (api::Namespace(*svc) != ns) continue;
      std::map<std::string, std::string> sel;
      if (!ServiceSelector(*svc, &sel)) continue;
      const auto selector = api::LabelSelector::FromMap(sel);
      if (selector.Matches(api::Labels(pod)) ||
          (old_pod && selector.Matches(api::Labels(*old_pod)))) {
        Enqueue(api::KeyOf(*svc));
      }
    }
  }

  Status Sync(const std::string& key) override {
    if (!services_->HasSynced() || !pods_->HasSynced() || !endpoints_->HasSynced()) {
      queue_->AddAfter(key, std::chrono::seconds(1));
      return Status::Ok();
    }
    const auto slash = key.find('/');
    const std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
    ObjectPtr svc = services_->Get(key);
    ObjectPtr current = endpoints_->Get(key);
    if (!svc) {
      if (!current) return Status::Ok();
      Status st = ctx_.client->Delete(api::kEndpoints, ns, name);
      return st.ok() || st.code() == StatusCode::kNotFound ? Status::Ok() : st;
    }
    std::map<std::string, std::string> sel;
    if (!ServiceSelector(*svc, &sel)) return Status::Ok();
    const auto selector = api::LabelSelector::FromMap(sel);
    const bool publish_not_ready = api::Find(*svc, "/spec/publishNotReadyAddresses") &&
                                   (*api::Find(*svc, "/spec/publishNotReadyAddresses")) == true;

    // ports (as JSON text) -> {ready, notReady} addresses.
    std::map<std::string, std::pair<std::vector<Object>, std::vector<Object>>> subsets;
    for (const ObjectPtr& pod : pods_->List()) {
      if (api::Namespace(*pod) != ns || !selector.Matches(api::Labels(*pod))) continue;
      const std::string ip = api::GetString(*pod, "/status/podIP");
      if (ip.empty()) continue;
      const bool terminating = api::Find(*pod, "/metadata/deletionTimestamp") != nullptr;
      if (terminating && !publish_not_ready) continue;
      Object ports;
      if (!ResolvePorts(*svc, *pod, &ports)) continue;
      for (Object& p : ports) {
        if (p["name"] == "") p.erase("name");
      }
      Object addr = {{"ip", ip}};
      const std::string node = api::GetString(*pod, "/spec/nodeName");
      if (!node.empty()) addr["nodeName"] = node;
      addr["targetRef"] = {
          {"kind", "Pod"}, {"namespace", ns}, {"name", api::Name(*pod)}, {"uid", api::Uid(*pod)}};
      auto& entry = subsets[ports.dump()];
      (IsPodReady(*pod) || publish_not_ready ? entry.first : entry.second)
          .push_back(std::move(addr));
    }
    Object desired_subsets = Object::array();
    auto by_ip = [](const Object& a, const Object& b) {
      return api::GetString(a, "/ip") < api::GetString(b, "/ip");
    };
    for (auto& [ports, addrs] : subsets) {
      Object ss = Object::object();
      std::sort(addrs.first.begin(), addrs.first.end(), by_ip);
      std::sort(addrs.second.begin(), addrs.second.end(), by_ip);
      if (!addrs.first.empty()) ss["addresses"] = addrs.first;
      if (!addrs.second.empty()) ss["notReadyAddresses"] = addrs.second;
      ss["ports"] = Object::parse(ports);
      desired_subsets.push_back(std::move(ss));
    }

    Object labels = Object::object();
    for (const auto& [k, v] : api::Labels(*svc)) labels[k] = v;
    if (api::GetString(*svc, "/spec/clusterIP") == "None") {
      labels["service.kubernetes.io/headless"] = "";
    }

    if (current) {
      const Object* cur_subsets = api::Find(*current, "/subsets");
      const Object cur = cur_subsets ? *cur_subsets : Object::array();
      const Object* cur_labels = api::Find(*current, "/metadata/labels");
      const Object curl = cur_labels ? *cur_labels : Object::object();
      if (cur == desired_subsets && curl == labels) return Status::Ok();
      Object updated = *current;
      if (desired_subsets.empty()) {
        updated.erase("subsets");
      } else {
        updated["subsets"] = desired_subsets;
      }
      if (labels.empty()) {
        updated["metadata"].erase("labels");
      } else {
        updated["metadata"]["labels"] = labels;
      }
      auto r = ctx_.client->Update(api::kEndpoints, updated);
      return r.ok() ? Status::Ok() : r.status();
    }
    Object ep = {{"apiVersion", "v1"},
                 {"kind", "Endpoints"},
                 {"metadata", {{"name", name}, {"namespace", ns}}}};
    if (!labels.empty()) ep["metadata"]["labels"] = labels;
    if (!desired_subsets.empty()) ep["subsets"] = desired_subsets;
    auto r = ctx_.client->Create(api::kEndpoints, ns, ep);
    if (!r.ok() && r.status().code() == StatusCode::kAlreadyExists) return Status::Ok();
    return r.ok() ? Status::Ok() : r.status();
  }

 private:
  client::Informer* services_ = nullptr;
  client::Informer* pods_ = nullptr;
  client::Informer* endpoints_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewEndpointsController(const ControllerContext& ctx) {
  return std::make_unique<EndpointsController>(ctx);
}

}  // namespace kubesim::controller::service
