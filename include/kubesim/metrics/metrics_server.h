// metrics-server (kubernetes-sigs/metrics-server v0.7), the add-on behind
// `kubectl top`: it scrapes every kubelet's resource metrics endpoint each
// --metric-resolution (15 s), keeps the last two scrapes, and serves
// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics through the API
// server's aggregation layer.
//
// As upstream:
//  - a node or pod has metrics only once two consecutive scrapes saw it
//    (metrics-server turns cumulative counters into rates), so `kubectl top`
//    answers "metrics not available yet" for the first 15-30 s;
//  - a failed scrape (a stopped kubelet) drops that node and its pods until
//    it has been scraped twice again (`kubectl top node` shows <unknown>);
//  - the API answers 503 while the metrics-server Deployment in kube-system
//    has no available replica (the APIService is not Available).
// The usage figures come from the kubelet's model (src/kubelet/
// resource_usage.h).
#ifndef KUBESIM_METRICS_METRICS_SERVER_H_
#define KUBESIM_METRICS_METRICS_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/api/resource.h"
#include "kubesim/api/types.h"
#include "kubesim/client/client.h"
#include "kubesim/kubelet/kubelet.h"
#include "kubesim/sim/executor.h"

namespace kubesim::metrics {

// Registers NodeMetrics ("nodes") and PodMetrics ("pods") of
// metrics.k8s.io/v1beta1 as aggregated resources (served by MetricsServer,
// listed in discovery). Call only for clusters with the add-on.
void AddMetricsResources(api::ResourceRegistry* registry);

// The manifests the add-on applies (components.yaml of metrics-server
// v0.7.2, kube-system): its ServiceAccount, Deployment and Service.
std::vector<api::Object> MetricsServerManifests();

class MetricsServer {
 public:
  // `client` (for the Deployment's availability and node labels) and
  // `executor` must outlive this object; `kubelets` lists the kubelets to
  // scrape, called on the metrics-server's own dispatcher.
  MetricsServer(client::Client* client, Executor* executor,
                std::function<std::vector<kubelet::Kubelet*>()> kubelets,
                Duration resolution = std::chrono::seconds(15));
  ~MetricsServer();

  // Scrapes every `resolution` from now on (the first after one period, as
  // the container starts).
  void Start();

  // The aggregated API: get/list of nodes and pods in metrics.k8s.io
  // (label selectors, namespaces, tables). nullopt while unavailable.
  // Thread-safe.
  std::optional<api::Response> Handle(const api::Request& request) const;

 private:
  struct Sample {
    Time time{};
    int64_t cpu_nanocores = 0, memory_bytes = 0;
  };
  struct PodSample {
    Time time{};
    api::ObjectPtr pod;
    std::vector<kubelet::ResourceMetrics::Container> containers;
  };
  void Scrape();
  void ScheduleNext();

  client::Client* const client_;
  const std::function<std::vector<kubelet::Kubelet*>()> kubelets_;
  const Duration resolution_;
  std::unique_ptr<Dispatcher> loop_;

  mutable std::mutex mu_;
  bool available_ = false;                                                 // guarded by mu_
  std::map<std::string, std::map<std::string, std::string>> node_labels_;  // guarded by mu_
  // The last two scrapes that saw each node / pod ("ns/name").
  std::map<std::string, std::pair<Sample, Sample>> nodes_;       // guarded by mu_: {prev, last}
  std::map<std::string, std::pair<PodSample, PodSample>> pods_;  // guarded by mu_
};

}  // namespace kubesim::metrics

#endif  // KUBESIM_METRICS_METRICS_SERVER_H_
