// Resource arithmetic for the scheduler: what a pod requests and what a node
// has, in the units kube-scheduler uses (milli-CPU, bytes, pod counts).
//
// Ports of:
//   - k8s.io/component-helpers/resource/helpers.go PodRequests (containers
//     summed, init containers as a max with restartable sidecars folded in,
//     plus pod overhead; NonMissingContainerRequests for the non-zero
//     defaults),
//   - pkg/scheduler/framework/types.go Resource (Add, SetMaxResource),
//   - pkg/scheduler/util/pod_resources.go (DefaultMilliCPURequest = 100,
//     DefaultMemoryRequest = 200 MiB),
//   - pkg/scheduler/util/utils.go IsScalarResourceName.
//
// Thread-safety: plain values.
#ifndef KUBESIM_SRC_SCHEDULER_RESOURCES_H_
#define KUBESIM_SRC_SCHEDULER_RESOURCES_H_

#include <cstdint>
#include <map>
#include <string>

#include "kubesim/api/types.h"
#include "kubesim/printers/quantity.h"

namespace kubesim::scheduler {

// pkg/scheduler/util/pod_resources.go.
inline constexpr int64_t kDefaultMilliCpuRequest = 100;                // 0.1 core
inline constexpr int64_t kDefaultMemoryRequest = 200LL * 1024 * 1024;  // 200 MiB

// A v1.ResourceList: resource name -> quantity.
using ResourceList = std::map<std::string, printers::Quantity>;

// Parses a ResourceList object ({"cpu": "100m", "memory": 1024, ...}).
// Unparseable entries are skipped (the API server validates them).
ResourceList ParseResourceList(const api::Object* list);

// framework.Resource.
struct Resource {
  int64_t milli_cpu = 0;
  int64_t memory = 0;
  int64_t ephemeral_storage = 0;
  int64_t allowed_pod_number = 0;
  std::map<std::string, int64_t> scalar;  // extended resources, hugepages, ...

  // Resource.Add(ResourceList): cpu in milli-units, everything else in units.
  void Add(const ResourceList& list);
  // Field-wise sum / difference of two Resources.
  void Add(const Resource& other);
  void Sub(const Resource& other);
  bool IsZero() const {
    return milli_cpu == 0 && memory == 0 && ephemeral_storage == 0 && scalar.empty();
  }
  bool operator==(const Resource&) const = default;
};

// schedutil.IsScalarResourceName: extended ("example.com/gpu"), hugepages-*,
// kubernetes.io/-prefixed native and attachable-volumes-* resources.
bool IsScalarResourceName(const std::string& name);

// resourcehelper.PodRequests for a Pod object. With `non_missing_defaults`,
// a container without a cpu (memory) request counts as requesting
// kDefaultMilliCpuRequest (kDefaultMemoryRequest), as the scheduler does for
// NodeInfo.NonZeroRequested and for scoring.
ResourceList PodRequests(const api::Object& pod, bool non_missing_defaults);
// PodRequests(pod, false) into `requests` and PodRequests(pod, true) into
// `non_missing_requests`, in one walk over the pod: each container's
// requests are parsed once for both.
void PodRequestsBoth(const api::Object& pod, ResourceList* requests,
                     ResourceList* non_missing_requests);

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_RESOURCES_H_
