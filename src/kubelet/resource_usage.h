// Private to src/kubelet: how much CPU and memory a simulated container
// uses, for the kubelet's resource metrics endpoint (what cAdvisor would
// measure and metrics-server scrapes).
//
// Simulated containers do no work, so the figures are a model, chosen to
// look like an idle kubeadm cluster and to stay deterministic:
//  - a pod annotation `kubesim.io/cpu-usage` / `kubesim.io/memory-usage`
//    (quantities, e.g. "250m", "300Mi") sets the usage of the pod's first
//    container, so demo authors can load a node;
//  - otherwise a baseline per well-known image (the control-plane
//    components, CoreDNS, kube-proxy, Flannel, metrics-server; nginx ~0m and
//    3Mi), else 1m and 8Mi;
//  - each scrape varies the figures by up to ±10 %, from a hash of the seed,
//    the container and the scrape time (no generator state: any order of
//    scrapes gives the same numbers).
// Node usage is the sum of its containers plus the node's own processes
// (kubelet, containerd, the OS): 40m/450Mi on a worker, 60m/550Mi on a
// control-plane node.
#ifndef KUBESIM_SRC_KUBELET_RESOURCE_USAGE_H_
#define KUBESIM_SRC_KUBELET_RESOURCE_USAGE_H_

#include <cstdint>
#include <string>

#include "kubesim/api/types.h"
#include "kubesim/sim/clock.h"

namespace kubesim::kubelet::internal {

struct Usage {
  int64_t cpu_nanocores = 0;
  int64_t memory_bytes = 0;
};

// The usage of container `index` (spec order) named `name` running `image`
// in `pod` at `now`.
Usage ContainerUsage(const api::Object& pod, size_t index, const std::string& name,
                     const std::string& image, uint64_t seed, Time now);

// The node's own processes.
Usage NodeOverhead(bool control_plane, uint64_t seed, const std::string& node, Time now);

}  // namespace kubesim::kubelet::internal

#endif  // KUBESIM_SRC_KUBELET_RESOURCE_USAGE_H_
