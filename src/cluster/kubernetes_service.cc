// KubernetesServiceController (kubernetes_service.h).
#include "kubernetes_service.h"

#include <chrono>
#include <utility>

#include "kubesim/api/gvr.h"
#include "kubesim/api/resource.h"

namespace kubesim::cluster {
namespace {

using api::Object;

constexpr char kNamespace[] = "default";
constexpr char kName[] = "kubernetes";
// kubeadm: the first address of serviceSubnet 10.96.0.0/12, and the
// apiserver's --secure-port.
constexpr char kServiceIp[] = "10.96.0.1";
constexpr int kServicePort = 443;
constexpr int kSecurePort = 6443;
// pkg/controlplane/apiserver/options: DefaultEndpointReconcilerInterval.
constexpr auto kEndpointInterval = std::chrono::seconds(10);

Object ServiceObject() {
  // controller.go CreateOrUpdateMasterServiceIfNeeded.
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata",
           {{"name", kName},
            {"namespace", kNamespace},
            {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
          {"spec",
           {{"ports", Object::array({{{"name", "https"},
                                      {"port", kServicePort},
                                      {"protocol", "TCP"},
                                      {"targetPort", kSecurePort}}})},
            {"clusterIP", kServiceIp},
            {"ipFamilyPolicy", "SingleStack"},
            {"sessionAffinity", "None"},
            {"type", "ClusterIP"}}}};
}

Object EndpointPorts() {
  return Object::array({{{"name", "https"}, {"port", kSecurePort}, {"protocol", "TCP"}}});
}

// endpointsadapter.go updateEndpoints.
Object EndpointsLabels() { return {{"endpointslice.kubernetes.io/skip-mirror", "true"}}; }
Object EndpointsSubsets(const std::string& ip) {
  return Object::array(
      {{{"addresses", Object::array({{{"ip", ip}}})}, {"ports", EndpointPorts()}}});
}

// endpointsadapter.go updateEndpointSlice.
Object SliceLabels() { return {{"kubernetes.io/service-name", kName}}; }
Object SliceEndpoints(const std::string& ip) {
  return Object::array({{{"addresses", Object::array({ip})}, {"conditions", {{"ready", true}}}}});
}

bool IsNotFound(const Status& s) { return s.code() == StatusCode::kNotFound; }

}  // namespace

KubernetesServiceController::KubernetesServiceController(client::Client* client, Executor* executor,
                                                         std::string public_ip)
    : client_(client),
      public_ip_(std::move(public_ip)),
      loop_(executor->CreateDispatcher("kube-apiserver/kubernetes-service")) {}

KubernetesServiceController::~KubernetesServiceController() { loop_->Shutdown(); }

void KubernetesServiceController::Start() {
  Reconcile();
  ScheduleNext();
}

void KubernetesServiceController::ScheduleNext() {
  loop_->PostAfter(kEndpointInterval, [this] {
    Reconcile();
    ScheduleNext();
  });
}

void KubernetesServiceController::Reconcile() {
  // The Service is created when missing and otherwise left alone ("Service
  // definition is not reconciled after first run").
  auto svc = client_->Get(api::kServices, kNamespace, kName);
  if (!svc.ok() && IsNotFound(svc.status())) {
    (void)client_->Create(api::kServices, kNamespace, ServiceObject());
  }
  if (public_ip_.empty()) return;

  // Endpoints: created, or reset when their subsets or labels changed.
  auto ep = client_->Get(api::kEndpoints, kNamespace, kName);
  if (!ep.ok() && IsNotFound(ep.status())) {
    Object obj = {
        {"apiVersion", "v1"},
        {"kind", "Endpoints"},
        {"metadata", {{"name", kName}, {"namespace", kNamespace}, {"labels", EndpointsLabels()}}},
        {"subsets", EndpointsSubsets(public_ip_)}};
    (void)client_->Create(api::kEndpoints, kNamespace, std::move(obj));
  } else if (ep.ok()) {
    Object& cur = *ep;
    if (cur.value("subsets", Object()) != EndpointsSubsets(public_ip_) ||
        cur["metadata"].value("labels", Object()) != EndpointsLabels()) {
      cur["metadata"]["labels"] = EndpointsLabels();
      cur["subsets"] = EndpointsSubsets(public_ip_);
      (void)client_->Update(api::kEndpoints, std::move(cur));
    }
  }

  // The IPv4 EndpointSlice of the same name.
  auto slice = client_->Get(api::kEndpointSlices, kNamespace, kName);
  if (!slice.ok() && IsNotFound(slice.status())) {
    Object obj = {
        {"apiVersion", "discovery.k8s.io/v1"},
        {"kind", "EndpointSlice"},
        {"metadata", {{"name", kName}, {"namespace", kNamespace}, {"labels", SliceLabels()}}},
        {"addressType", "IPv4"},
        {"endpoints", SliceEndpoints(public_ip_)},
        {"ports", EndpointPorts()}};
    (void)client_->Create(api::kEndpointSlices, kNamespace, std::move(obj));
  } else if (slice.ok()) {
    Object& cur = *slice;
    if (cur.value("endpoints", Object()) != SliceEndpoints(public_ip_) ||
        cur.value("ports", Object()) != EndpointPorts() ||
        cur["metadata"].value("labels", Object()) != SliceLabels()) {
      cur["metadata"]["labels"] = SliceLabels();
      cur["endpoints"] = SliceEndpoints(public_ip_);
      cur["ports"] = EndpointPorts();
      (void)client_->Update(api::kEndpointSlices, std::move(cur));
    }
  }
}

}  // namespace kubesim::cluster
