// Private to src/cluster: the `kubernetes` Service that kube-apiserver's
// bootstrap controller keeps in namespace `default`
// (pkg/controlplane/controller/kubernetesservice/controller.go), with the
// Endpoints and EndpointSlice its lease endpoint reconciler writes
// (pkg/controlplane/reconcilers/endpointsadapter.go).
//
// The Service takes the first address of the service CIDR (10.96.0.1, as
// kubeadm's serviceSubnet 10.96.0.0/12 gives), port 443 "https" to the
// apiserver's secure port 6443; it has no selector, so the endpoints and
// endpointslice controllers leave it alone. Its Endpoints carry the
// `endpointslice.kubernetes.io/skip-mirror: "true"` label and its
// EndpointSlice only `kubernetes.io/service-name: kubernetes` (no
// managed-by), as upstream's.
#ifndef KUBESIM_SRC_CLUSTER_KUBERNETES_SERVICE_H_
#define KUBESIM_SRC_CLUSTER_KUBERNETES_SERVICE_H_

#include <memory>
#include <string>

#include "kubesim/client/client.h"
#include "kubesim/sim/executor.h"

namespace kubesim::cluster {

// Re-creates what is missing every EndpointInterval (10 s of simulated time,
// kube-apiserver's --endpoint-reconciler-type=lease default), as upstream's
// controller does: a deleted `kubernetes` Service comes back. Writes go
// through `client` (not owned; must outlive this object); they fail quietly
// while the API server is not serving, as upstream's retry on the next tick.
// All work runs on its own dispatcher of `executor`.
class KubernetesServiceController {
 public:
  // `public_ip`: the apiserver's advertise address (the control-plane
  // node's InternalIP); empty when there is no control-plane node, in which
  // case only the Service is kept.
  KubernetesServiceController(client::Client* client, Executor* executor, std::string public_ip);
  ~KubernetesServiceController();

  // Reconciles once now (synchronously, on the caller's thread; call before
  // the executor runs) and then every 10 s.
  void Start();

 private:
  void Reconcile();
  void ScheduleNext();

  client::Client* const client_;
  const std::string public_ip_;
  std::unique_ptr<Dispatcher> loop_;
};

}  // namespace kubesim::cluster

#endif  // KUBESIM_SRC_CLUSTER_KUBERNETES_SERVICE_H_
