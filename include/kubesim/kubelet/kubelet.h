// A simulated kubelet: one per node. It registers its Node, heartbeats
// through a Lease, reports node status, and "runs" the pods bound to it:
// image pulls (slower the first time on a node), container creation and
// start, pod IPs from the node's pod CIDR, conditions and events with the
// real kubelet's wording, and graceful termination.
//
// Timings are Kubernetes 1.32 defaults (see KubeletTimings) on the
// simulated clock. Threads: one Dispatcher ("kubelet/<node>").
#ifndef KUBESIM_KUBELET_KUBELET_H_
#define KUBESIM_KUBELET_KUBELET_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/client/client.h"
#include "kubesim/sim/executor.h"

namespace kubesim::kubelet {

struct Taint {
  std::string key, value, effect;  // effect: NoSchedule, PreferNoSchedule, NoExecute
};

struct NodeConfig {
  std::string name;
  int64_t cpu_millis = 2000;         // capacity
  int64_t memory_bytes = 8LL << 30;  // capacity
  int64_t max_pods = 110;
  std::map<std::string, std::string> labels;  // added to the standard ones
  std::vector<Taint> taints;
  bool control_plane = false;  // node-role.kubernetes.io/control-plane label
  std::string internal_ip;     // e.g. "192.168.49.2"
  std::string pod_cidr;        // e.g. "10.244.1.0/24"
  // Static pod manifests (kubeadm's /etc/kubernetes/manifests): the kubelet
  // runs them and publishes each as a mirror pod "<name>-<node>" once the
  // node is registered.
  std::vector<api::Object> static_pods;
};

// Kubernetes 1.32 defaults (kubelet config v1beta1; pkg/kubelet/kubelet.go).
struct KubeletTimings {
  Duration node_status_update_frequency = std::chrono::seconds(10);
  Duration node_status_report_frequency = std::chrono::minutes(5);
  int64_t node_lease_duration_seconds = 40;  // renewed every 1/4 of it
};

// A pod whose containers this kubelet is running, as its runtime knows it
// (no API involved): what answers on the pod network.
struct RunningPod {
  std::string ns, name, ip;
  std::vector<int> ports;  // declared containerPorts (TCP); empty = none declared
};

// What the kubelet's resource metrics endpoint (/metrics/resource, the one
// metrics-server scrapes) reports: usage now, per running container, and for
// the whole node. The figures come from a model (src/kubelet/resource_usage.h).
struct ResourceMetrics {
  struct Container {
    std::string name;
    int64_t cpu_nanocores = 0;
    int64_t memory_bytes = 0;  // working set
  };
  struct Pod {
    std::string ns, name;
    api::ObjectPtr object;  // the pod as the kubelet last saw it (labels)
    std::vector<Container> containers;
  };
  Time timestamp{};
  int64_t node_cpu_nanocores = 0;
  int64_t node_memory_bytes = 0;
  std::vector<Pod> pods;  // sorted by namespace/name
};

class Kubelet {
 public:
  // `client` and `executor` must outlive the kubelet; `seed` fixes image
  // pull durations and similar choices.
  static std::unique_ptr<Kubelet> Create(client::Client* client, Executor* executor,
                                         NodeConfig config, uint64_t seed,
                                         KubeletTimings timings = {});
  virtual ~Kubelet() = default;

  virtual const NodeConfig& config() const = 0;
  // Registers the node (or re-syncs it) and starts heartbeats and pod work.
  virtual void Start() = 0;
  // Stops everything: no more writes to the API (a dead node). The pods it
  // was running stay in its memory, as containers would keep running.
  virtual void Stop() = 0;
  virtual bool running() const = 0;
  // The pods with a ready sandbox and every container running, sorted by
  // namespace/name. Kept across Stop() (the containers keep running in
  // memory); whether they are reachable is the network's business.
  virtual std::vector<RunningPod> RunningPods() const = 0;
  // The resource metrics endpoint at `now`; kUnavailable while the kubelet
  // is stopped (the scrape fails, as against a dead node). Thread-safe.
  virtual StatusOr<ResourceMetrics> ScrapeResourceMetrics(Time now) const = 0;
  // The process of static pod `name` (its manifest name, e.g.
  // "kube-scheduler") dies whenever it starts, or runs again: the simulator's
  // `stop|start COMPONENT`. The kubelet sees the container exit (code 1,
  // Error) and restarts it with its crash back-off (CrashLoopBackOff); once
  // the process can run again, the next restart succeeds. Thread-safe.
  virtual void SetStaticPodCrashing(const std::string& name, bool crashing) {}
};

}  // namespace kubesim::kubelet

#endif  // KUBESIM_KUBELET_KUBELET_H_
