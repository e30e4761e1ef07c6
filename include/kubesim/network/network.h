// The simulated node network: a kube-proxy per node and the HTTP servers
// the pods' containers run, reached from a jumpbox on the node network
// (`curl URL`, as in `docker run --network=minikube ... netshoot`).
//
// Each kube-proxy keeps its own view of Services and EndpointSlices through
// informers, as the real one does (pkg/proxy: ServiceChangeTracker /
// EndpointsChangeTracker over informers). When the API server is down it
// keeps its last view, so traffic keeps flowing.
//
// Routing of a request from the jumpbox to HOST:PORT:
//  - HOST is resolved as CoreDNS would for SERVICE, SERVICE.NS,
//    SERVICE.NS.svc, SERVICE.NS.svc.cluster.local (ClusterIP) and as the
//    node network's DNS does for node names (InternalIP); the service view is
//    the gateway kube-proxy's. Else: `curl: (6) Could not resolve host: H`.
//  - a node IP: that node's kube-proxy serves its NodePorts; a stopped node
//    answers nothing (connection timeout); another port is refused (no
//    ingress controller is modelled, so port 80 is refused too).
//  - a ClusterIP: routed through the gateway, the first node (config order)
//    whose kubelet runs, and its kube-proxy.
//  - a pod IP: straight to the pod.
// kube-proxy picks among the ready endpoints round robin (per kube-proxy,
// per service port) — upstream's iptables mode picks at random; round robin
// keeps runs repeatable. No ready endpoint: the REJECT rule refuses
// (`curl: (7) ...`). The chosen pod answers if its node runs and the pod's
// containers run (Kubelet::RunningPods); a pod on a stopped node times out
// (`curl: (28) ...`). A pod that declares containerPorts answers only on
// those; one that declares none answers on any port. Every simulated HTTP
// server answers any path with "Hello, <pod-name>\n".
//
// Time: curl does not move the simulated clock (a timed-out request reports
// Linux's default connect timeout, 130000 ms, without waiting for it).
//
// Thread-safety: Curl and EnsureProxies are called by the driver thread only,
// while no task runs.
#ifndef KUBESIM_NETWORK_NETWORK_H_
#define KUBESIM_NETWORK_NETWORK_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/client/client.h"
#include "kubesim/kubelet/kubelet.h"
#include "kubesim/sim/executor.h"
#include "kubesim/util/status.h"

namespace kubesim::network {

struct NetworkDeps {
  Executor* executor = nullptr;
  // A client for a kube-proxy, stamped with `user_agent`.
  std::function<std::unique_ptr<client::Client>(const std::string& user_agent)> new_client;
  // The nodes' kubelets, in config order (the first running one is the
  // gateway for ClusterIP traffic).
  std::function<std::vector<kubelet::Kubelet*>()> kubelets;
};

class Network {
 public:
  static std::unique_ptr<Network> Create(NetworkDeps deps);
  virtual ~Network() = default;
  // Starts a kube-proxy for every node that has none yet; returns whether
  // one was started (its informers list on the next executor run).
  virtual bool EnsureProxies() = 0;
  // The body a real `curl URL` prints, or a non-OK status (kUnavailable)
  // whose message is curl's error line.
  virtual StatusOr<std::string> Curl(const std::string& url) = 0;
};

}  // namespace kubesim::network

#endif  // KUBESIM_NETWORK_NETWORK_H_
