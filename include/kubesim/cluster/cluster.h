// A whole cluster in one process: store, API server, scheduler and one
// kubelet per node, all on one Executor. This is the wiring a thin main (and
// every end-to-end test) uses; it owns every component.
//
// Thread-safety: the Cluster object itself is used by one driver thread
// (the shell); components run on their own dispatcher threads.
#ifndef KUBESIM_CLUSTER_CLUSTER_H_
#define KUBESIM_CLUSTER_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/client/client.h"
#include "kubesim/cluster/sim_control.h"
#include "kubesim/controller/controller.h"
#include "kubesim/kubelet/kubelet.h"
#include "kubesim/metrics/metrics_server.h"
#include "kubesim/network/network.h"
#include "kubesim/scheduler/scheduler.h"
#include "kubesim/sim/executor.h"
#include "kubesim/store/store.h"

namespace kubesim::cluster {

class KubernetesServiceController;  // kube-apiserver's bootstrap controller

struct ClusterConfig {
  uint64_t seed = 1;
  // Where the simulated clock starts. Scripts use a fixed instant so runs
  // repeat byte for byte; the interactive shell starts at the wall time.
  Time start_time = DefaultStartTime();
  std::vector<kubelet::NodeConfig> nodes;
  // Bootstrap what kubeadm and the seed's CNI add (src/cluster/system_pods.h):
  // control-plane static pods on every control-plane node, the kube-proxy
  // and Flannel DaemonSets, CoreDNS and its kube-dns Service; Start() then
  // runs the clock until they are all Running and Ready.
  bool system_pods = false;
  // Add-ons installed at bootstrap, as `minikube addons enable` would:
  // "metrics-server" (kubesim/metrics/metrics_server.h; serves
  // metrics.k8s.io for `kubectl top`). kubeadm installs none.
  std::vector<std::string> addons;
  bool HasAddon(const std::string& name) const {
    for (const auto& a : addons) {
      if (a == name) return true;
    }
    return false;
  }
  // KubeSchedulerConfiguration (--scheduler-config); default profile if unset.
  scheduler::SchedulerConfig scheduler_config;
  // The scheduler's binding cycles on a thread of their own (SchedulerOptions::binding_thread).
  bool scheduler_binding_thread = true;

  // 2025-01-01T00:00:00Z.
  static Time DefaultStartTime();
  // One control-plane node ("control-plane", tainted NoSchedule) and
  // `workers` worker nodes ("worker-1", ...), 2 CPU / 8Gi / 110 pods each,
  // addresses 192.168.49.2... and pod CIDRs 10.244.N.0/24 as kubeadm assigns.
  static ClusterConfig Default(int workers);
};

// Parses a cluster file:
//   nodes:
//   - name: control-plane
//     controlPlane: true        # label + NoSchedule taint, role control-plane
//     cpu: "4"                  # quantity, default 2
//     memory: 16Gi              # quantity, default 8Gi
//     pods: 110                 # default 110
//     labels: {topology.kubernetes.io/zone: zone-a}
//     taints: ["dedicated=gpu:NoSchedule"]   # or {key, value, effect} maps
//   systemPods: false           # ClusterConfig::system_pods (default true)
//   addons: [metrics-server]    # ClusterConfig::addons
// Errors (kBadRequest) name the offending node and field.
StatusOr<ClusterConfig> ParseClusterConfig(const std::string& yaml_text);

// A node's config completed with defaults: IP and pod CIDR from its index.
kubelet::NodeConfig NodeDefaults(kubelet::NodeConfig node, int index);

class Cluster final : public SimulatorControl {
 public:
  // Builds and starts every component, then runs the simulation until the
  // bootstrap work (namespaces, node registration) is done.
  static StatusOr<std::unique_ptr<Cluster>> Start(ClusterConfig config);
  ~Cluster();

  Executor& executor() { return *executor_; }
  api::ApiServer& api_server() { return *api_server_; }
  // A client for a user or tool, stamped with `user_agent`.
  std::unique_ptr<client::Client> NewClient(const std::string& user_agent);
  const ClusterConfig& config() const { return config_; }
  std::vector<kubelet::Kubelet*> kubelets();
  kubelet::Kubelet* FindKubelet(const std::string& node);

  // SimulatorControl: failure controls. Each runs the simulation until idle
  // afterwards, so its immediate effects are visible to the next command.
  Status StopNode(const std::string& name) override;
  Status StartNode(const std::string& name) override;
  Status AddNode(kubelet::NodeConfig node) override;
  Status DeleteNode(const std::string& name) override;
  Status StopComponent(const std::string& component) override;
  Status StartComponent(const std::string& component) override;
  StatusOr<std::string> Curl(const std::string& url) override;
  StatusOr<api::Object> SchedulingExplanation(const std::string& ns,
                                              const std::string& name) override;

 private:
  Cluster() = default;
  Status SetComponentRunning(const std::string& component, bool run);

  ClusterConfig config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<api::ApiServer> api_server_;
  std::unique_ptr<client::Client> scheduler_client_;
  std::unique_ptr<scheduler::Scheduler> scheduler_;
  std::vector<std::unique_ptr<client::Client>> kubelet_clients_;
  std::vector<std::unique_ptr<kubelet::Kubelet>> kubelets_;
  std::unique_ptr<client::Client> controller_manager_client_;
  std::unique_ptr<controller::ControllerManager> controller_manager_;
  // Services area: the node network and its kube-proxies (Curl).
  std::unique_ptr<network::Network> network_;
  // kube-apiserver's own loop keeping the `kubernetes` Service in `default`.
  std::unique_ptr<client::Client> apiserver_client_;
  std::unique_ptr<KubernetesServiceController> kubernetes_service_;
  // The metrics-server add-on (config_.addons), and its client.
  std::unique_ptr<client::Client> metrics_client_;
  std::unique_ptr<metrics::MetricsServer> metrics_server_;
  bool scheduler_running_ = true;
  bool etcd_running_ = true;
  bool apiserver_running_ = true;
};

}  // namespace kubesim::cluster

#endif  // KUBESIM_CLUSTER_CLUSTER_H_
