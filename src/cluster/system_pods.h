// Private to src/cluster: what a kubeadm 1.32 cluster runs in kube-system
// (and the CNI's namespace) besides the user's workloads.
//
//  - The control-plane static pods kubeadm writes to
//    /etc/kubernetes/manifests (cmd/kubeadm/app/phases/controlplane,
//    phases/etcd): etcd, kube-apiserver, kube-controller-manager,
//    kube-scheduler. The node's kubelet runs them and publishes them as mirror
//    pods (kubelet.h NodeConfig::static_pods).
//  - The addons kubeadm's addon phase applies (cmd/kubeadm/app/phases/addons/
//    {dns,proxy}/manifests.go): the kube-proxy DaemonSet, the CoreDNS
//    Deployment and its kube-dns Service (10.96.0.10), their ServiceAccounts.
//  - The CNI the seed walkthrough installs: Flannel's kube-flannel-ds
//    DaemonSet in namespace kube-flannel (flannel-io/flannel
//    Documentation/kube-flannel.yml).
//
// Not reproduced: ConfigMaps, RBAC objects and the kube-proxy/CoreDNS
// configuration (kubesim serves neither ConfigMaps nor RBAC; the manifests
// keep their configMap volumes, which the simulated kubelet does not mount).
#ifndef KUBESIM_SRC_CLUSTER_SYSTEM_PODS_H_
#define KUBESIM_SRC_CLUSTER_SYSTEM_PODS_H_

#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/client/client.h"
#include "kubesim/kubelet/kubelet.h"
#include "kubesim/util/status.h"

namespace kubesim::cluster {

// The static pod manifests of a control-plane node (pods as written in the
// manifest files: no nodeName, no kubelet annotations).
std::vector<api::Object> ControlPlaneStaticPods(const kubelet::NodeConfig& node);

// Creates `objects` (Namespaces, ServiceAccounts, Services, Deployments and
// DaemonSets) through `client`, in order; objects that already exist are
// left as they are. Fails on the first other error.
Status CreateManifests(client::Client& client, const std::vector<api::Object>& objects);

// Creates the addon objects through `client`, in kubeadm's order (CoreDNS,
// then kube-proxy), then the CNI. Objects that already exist are left as
// they are. Fails on the first other error.
Status ApplyAddons(client::Client& client);

// True when every pod in kube-system and kube-flannel is Running and Ready
// and the CoreDNS Deployment has all its replicas available.
bool SystemPodsReady(client::Client& client);

}  // namespace kubesim::cluster

#endif  // KUBESIM_SRC_CLUSTER_SYSTEM_PODS_H_
