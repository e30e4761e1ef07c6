// Private to src/kubelet: what the simulated container runtime knows about a
// pod, and the API PodStatus the kubelet derives from it
// (pkg/kubelet/kubelet_pods.go generateAPIPodStatus / getPhase /
// convertToAPIContainerStatuses, pkg/kubelet/status/generate.go for the
// conditions, pkg/kubelet/status/status_manager.go for lastTransitionTime
// and startTime).
//
// Thread-safety: plain data and pure functions; the kubelet touches them on
// its own loop only.
#ifndef KUBESIM_SRC_KUBELET_POD_STATUS_H_
#define KUBESIM_SRC_KUBELET_POD_STATUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/sim/clock.h"

namespace kubesim::kubelet::internal {

enum class ContainerState { kWaiting, kRunning, kTerminated };

// One container as the runtime (containerd) sees it.
struct ContainerRuntime {
  std::string name;
  std::string image;         // as written in the pod spec ("nginx")
  std::string image_ref;     // normalized ("docker.io/library/nginx:latest")
  std::string image_id;      // repo digest ("docker.io/library/nginx@sha256:...")
  std::string container_id;  // "containerd://<64 hex>" once created
  ContainerState state = ContainerState::kWaiting;
  // Waiting reason/message; an empty reason is the default one
  // (ContainerCreating, or PodInitializing when the pod has init containers).
  std::string waiting_reason, waiting_message;
  Time started_at{}, finished_at{};
  int exit_code = 0;
  std::string terminated_reason;
  bool busy = false;    // a pull/create/start step is in flight
  bool failed = false;  // could not be started (ErrImageNeverPull); not retried
  // Restarts after the process exited (restartPolicy Always), the previous
  // instance (status.lastState.terminated) and the crash back-off
  // (kubelet: 10s doubling to 5m; 0 before the first crash).
  int restart_count = 0;
  bool has_last = false;
  std::string last_container_id, last_reason;
  int last_exit_code = 0;
  Time last_started_at{}, last_finished_at{};
  Duration backoff{};
};

// One pod admitted by this kubelet.
struct PodRuntime {
  std::string uid, ns, name;
  api::ObjectPtr pod;                             // the newest copy seen (informer or own write)
  std::vector<ContainerRuntime> init_containers;  // spec order
  std::vector<ContainerRuntime> containers;       // spec order
  bool sandbox_creating = false;
  bool sandbox_ready = false;     // a running sandbox with networking
  std::string ip;                 // from the node's pod CIDR, kept for the pod's life
  bool host_network = false;      // `ip` is the node's own
  bool terminating = false;       // deletion requested: containers being stopped
  bool terminated = false;        // every container stopped: terminal status next
  uint64_t gen = 0;               // bumped to abandon in-flight pipeline steps
  bool dirty = false;             // status to be written at the next relist
  bool advance_on_flush = false;  // continue the pipeline after that write
};

// The status the kubelet would write for `pod` given the runtime state `pr`:
// a copy of the pod's current status with every kubelet-owned field
// recomputed. Conditions keep their lastTransitionTime when their status is
// unchanged; a new one gets `now`. `host_ip` is the node's InternalIP.
api::Object GeneratePodStatus(const api::Object& pod, const PodRuntime& pr,
                              const std::string& host_ip, Time now);

// The pod phase per getPhase(); `terminal` once the pod's containers are
// stopped for good (deletion).
std::string PodPhase(const api::Object& pod, const PodRuntime& pr, bool terminal);

}  // namespace kubesim::kubelet::internal

#endif  // KUBESIM_SRC_KUBELET_POD_STATUS_H_
