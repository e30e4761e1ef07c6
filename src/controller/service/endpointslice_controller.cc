// "endpointslice-controller": pkg/controller/endpointslice (reconciler.go,
// utils.go podToEndpoint). For every Service with a selector, one IPv4
// EndpointSlice named by generateName "<service>-" with the labels
// kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by and
// an owner reference to the Service. Every matching pod with an IP is an
// endpoint; conditions: ready = Ready && !terminating, serving = Ready,
// terminating = deletionTimestamp set. Simplifications: one slice per
// Service (upstream splits at 100 endpoints and by port set); the ports are
// those resolved against the first pod that resolves them; slices are
// deleted with their Service here (upstream leaves that to the garbage
// collector through the owner reference).

#include <algorithm>
#include <map>

#include "base.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/selectors.h"

namespace kubesim::controller::service {
namespace {

using api::Object;
using api::ObjectPtr;

constexpr char kServiceNameLabel[] = "kubernetes.io/service-name";
constexpr char kManagedByLabel[] = "endpointslice.kubernetes.io/managed-by";
constexpr char kManagedBy[] = "endpointslice-controller.k8s.io";

class EndpointSliceController final : public ReconcilerBase {
 public:
  explicit EndpointSliceController(const ControllerContext& ctx)
      : ReconcilerBase(ctx, "endpointslice-controller") {}

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

    client::EventHandler slice_handler;
    auto owner = [this](const ObjectPtr& o) {
      const auto labels = api::Labels(*o);
      auto it = labels.find(kServiceNameLabel);
      if (it != labels.end()) Enqueue(api::Namespace(*o) + "/" + it->second);
    };
    slice_handler.on_delete = owner;
    slices_ = AddInformer(api::kEndpointSlices, slice_handler);
  }

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
    if (!services_->HasSynced() || !pods_->HasSynced() || !slices_->HasSynced()) {
      queue_->AddAfter(key, std::chrono::seconds(1));
      return Status::Ok();
    }
    const auto slash = key.find('/');
    const std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
    ObjectPtr svc = services_->Get(key);
    std::vector<ObjectPtr> existing;
    for (const ObjectPtr& s : slices_->List()) {
      const auto labels = api::Labels(*s);
      auto it = labels.find(kServiceNameLabel);
      auto mb = labels.find(kManagedByLabel);
      if (api::Namespace(*s) == ns && it != labels.end() && it->second == name &&
          mb != labels.end() && mb->second == kManagedBy) {
        existing.push_back(s);
      }
    }
    std::map<std::string, std::string> sel;
    if (!svc || !ServiceSelector(*svc, &sel)) {
      for (const ObjectPtr& s : existing) {
        Status st = ctx_.client->Delete(api::kEndpointSlices, ns, api::Name(*s));
        if (!st.ok() && st.code() != StatusCode::kNotFound) return st;
      }
      return Status::Ok();
    }
    const auto selector = api::LabelSelector::FromMap(sel);
    Object ports;
    bool have_ports = false;
    std::vector<Object> endpoints;
    for (const ObjectPtr& pod : pods_->List()) {
      if (api::Namespace(*pod) != ns || !selector.Matches(api::Labels(*pod))) continue;
      const std::string ip = api::GetString(*pod, "/status/podIP");
      if (ip.empty()) continue;
      Object pod_ports;
      if (!ResolvePorts(*svc, *pod, &pod_ports)) continue;
      if (!have_ports) {
        ports = pod_ports;
        have_ports = true;
      } else if (pod_ports != ports) {
        continue;
      }
      const bool terminating = api::Find(*pod, "/metadata/deletionTimestamp") != nullptr;
      const bool ready = IsPodReady(*pod);
      Object ep = {
          {"addresses", Object::array({ip})},
          {"conditions",
           {{"ready", ready && !terminating}, {"serving", ready}, {"terminating", terminating}}}};
      const std::string node = api::GetString(*pod, "/spec/nodeName");
      if (!node.empty()) ep["nodeName"] = node;
      ep["targetRef"] = {
          {"kind", "Pod"}, {"namespace", ns}, {"name", api::Name(*pod)}, {"uid", api::Uid(*pod)}};
      endpoints.push_back(std::move(ep));
    }
    std::sort(endpoints.begin(), endpoints.end(), [](const Object& a, const Object& b) {
      return a["addresses"][0].get<std::string>() < b["addresses"][0].get<std::string>();
    });
    if (!have_ports) {
      // No pod to resolve against: numeric targetPorts still give the ports.
      Object empty_pod = Object::object();
      if (!ResolvePorts(*svc, empty_pod, &ports)) ports = Object::array();
    }

    Object labels = Object::object();
    for (const auto& [k, v] : api::Labels(*svc)) labels[k] = v;
    labels[kServiceNameLabel] = name;
    labels[kManagedByLabel] = kManagedBy;
    if (api::GetString(*svc, "/spec/clusterIP") == "None") {
      labels["service.kubernetes.io/headless"] = "";
    }
    const Object eps = endpoints.empty() ? Object(nullptr) : Object(endpoints);

    if (!existing.empty()) {
      // Extra slices (from an older controller run) go.
      for (size_t i = 1; i < existing.size(); ++i) {
        // Best effort: a slice already gone is what we want; anything else
        // is retried by the next sync of this service.
        Status st = ctx_.client->Delete(api::kEndpointSlices, ns, api::Name(*existing[i]));
        (void)st;
      }
      const Object& cur = *existing[0];
      const Object* cur_eps = api::Find(cur, "/endpoints");
      const Object* cur_ports = api::Find(cur, "/ports");
      const Object* cur_labels = api::Find(cur, "/metadata/labels");
      if ((cur_eps ? *cur_eps : Object(nullptr)) == eps &&
          (cur_ports ? *cur_ports : Object::array()) == ports &&
          (cur_labels ? *cur_labels : Object::object()) == labels) {
        return Status::Ok();
      }
      Object updated = cur;
      updated["endpoints"] = eps;
      updated["ports"] = ports;
      updated["metadata"]["labels"] = labels;
      auto r = ctx_.client->Update(api::kEndpointSlices, updated);
      return r.ok() ? Status::Ok() : r.status();
    }
    Object slice = {{"apiVersion", "discovery.k8s.io/v1"},
                    {"kind", "EndpointSlice"},
                    {"metadata",
                     {{"generateName", name + "-"},
                      {"namespace", ns},
                      {"labels", labels},
                      {"ownerReferences", Object::array({{{"apiVersion", "v1"},
                                                          {"kind", "Service"},
                                                          {"name", name},
                                                          {"uid", api::Uid(*svc)},
                                                          {"controller", true},
                                                          {"blockOwnerDeletion", true}}})}}},
                    {"addressType", "IPv4"},
                    {"endpoints", eps},
                    {"ports", ports}};
    auto r = ctx_.client->Create(api::kEndpointSlices, ns, slice);
    return r.ok() ? Status::Ok() : r.status();
  }

 private:
  client::Informer* services_ = nullptr;
  client::Informer* pods_ = nullptr;
  client::Informer* slices_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewEndpointSliceController(const ControllerContext& ctx) {
  return std::make_unique<EndpointSliceController>(ctx);
}

}  // namespace kubesim::controller::service
