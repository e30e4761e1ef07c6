// The API PodStatus of a pod, from the runtime state. Upstream references
// (kubernetes v1.32):
//  - pkg/kubelet/kubelet_pods.go: generateAPIPodStatus (three-way phase
//    merge, kubelet-owned conditions appended after the preserved ones, host
//    IPs), getPhase, convertToAPIContainerStatuses (default waiting reason
//    ContainerCreating / PodInitializing, statuses sorted by name for regular
//    containers, spec order for init containers).
//  - pkg/kubelet/status/generate.go: PodReadyToStartContainers, Initialized,
//    Ready and ContainersReady conditions and their messages ("containers
//    with unready status: [a b]" is Go's %s of a []string).
//  - pkg/kubelet/prober/prober_manager.go UpdatePodStatus: a running
//    container without probes is ready and started; an init container is
//    ready once it exited 0.
//  - pkg/kubelet/status/status_manager.go updateStatusInternal:
//    lastTransitionTime kept while a condition's status is unchanged,
//    startTime set once.
#include "pod_status.h"

#include <algorithm>

#include "kubesim/api/object_meta.h"

namespace kubesim::kubelet::internal {
namespace {

using api::Object;

constexpr char kPodCompleted[] = "PodCompleted";
constexpr char kPodFailed[] = "PodFailed";

bool IsKubeletCondition(const std::string& type) {
  // pkg/kubelet/types/pod_status.go PodConditionsByKubelet (+ the
  // PodReadyToStartContainers condition, on by default in 1.32).
  return type == "PodScheduled" || type == "Ready" || type == "Initialized" ||
         type == "ContainersReady" || type == "PodReadyToStartContainers";
}

// Go's fmt "%s" of a []string: "[a b]".
std::string GoList(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += " ";
    out += names[i];
  }
  return out + "]";
}

bool ContainerReady(const ContainerRuntime& c, bool init) {
  if (init) return c.state == ContainerState::kTerminated && c.exit_code == 0;
  return c.state == ContainerState::kRunning;
}

bool ContainerStarted(const ContainerRuntime& c) { return c.state == ContainerState::kRunning; }

Object ContainerStatus(const ContainerRuntime& c, bool init, bool pod_has_init) {
  Object s = {{"name", c.name}, {"restartCount", c.restart_count}, {"lastState", Object::object()}};
  if (c.has_last) {
    s["lastState"] = {{"terminated",
                       {{"containerID", c.last_container_id},
                        {"exitCode", c.last_exit_code},
                        {"reason", c.last_reason},
                        {"startedAt", FormatRfc3339(c.last_started_at)},
                        {"finishedAt", FormatRfc3339(c.last_finished_at)}}}};
  }
  s["ready"] = ContainerReady(c, init);
  s["started"] = ContainerStarted(c);
  switch (c.state) {
    case ContainerState::kWaiting: {
      // A container not created yet reports the spec's image and no ID; one
      // waiting to be restarted, its last instance's.
      if (c.has_last) {
        s["containerID"] = c.last_container_id;
        s["image"] = c.image_ref;
        s["imageID"] = c.image_id;
      } else {
        s["image"] = c.image;
        s["imageID"] = "";
      }
      Object waiting = {{"reason", c.waiting_reason.empty()
                                       ? (pod_has_init ? "PodInitializing" : "ContainerCreating")
                                       : c.waiting_reason}};
      if (!c.waiting_message.empty()) waiting["message"] = c.waiting_message;
      s["state"] = {{"waiting", waiting}};
      break;
    }
    case ContainerState::kRunning:
      s["containerID"] = c.container_id;
      s["image"] = c.image_ref;
      s["imageID"] = c.image_id;
      s["state"] = {{"running", {{"startedAt", FormatRfc3339(c.started_at)}}}};
      break;
    case ContainerState::kTerminated:
      s["containerID"] = c.container_id;
      s["image"] = c.image_ref;
      s["imageID"] = c.image_id;
      s["state"] = {{"terminated",
                     {{"containerID", c.container_id},
                      {"exitCode", c.exit_code},
                      {"reason", c.terminated_reason},
                      {"startedAt", FormatRfc3339(c.started_at)},
                      {"finishedAt", FormatRfc3339(c.finished_at)}}}};
      break;
  }
  return s;
}

Object Condition(const std::string& type, bool status, const std::string& reason = "",
                 const std::string& message = "") {
  Object c = {{"type", type}, {"status", status ? "True" : "False"}, {"lastProbeTime", nullptr}};
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

bool AnyRegularContainerStarted(const PodRuntime& pr) {
  // kubecontainer.HasAnyRegularContainerStarted: running or terminated.
  return std::any_of(pr.containers.begin(), pr.containers.end(),
                     [](const ContainerRuntime& c) { return c.state != ContainerState::kWaiting; });
}

}  // namespace

std::string PodPhase(const Object& pod, const PodRuntime& pr, bool terminal) {
  const std::string restart_policy = [&] {
    std::string p = api::GetString(pod, "/spec/restartPolicy");
    return p.empty() ? std::string("Always") : p;
  }();
  int pending_initialization = 0, failed_initialization = 0;
  for (const ContainerRuntime& c : pr.init_containers) {
    switch (c.state) {
      case ContainerState::kRunning:
        ++pending_initialization;
        break;
      case ContainerState::kTerminated:
        if (c.exit_code != 0) ++failed_initialization;
        break;
      case ContainerState::kWaiting:
        ++pending_initialization;
        break;
    }
  }
  int running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const ContainerRuntime& c : pr.containers) {
    switch (c.state) {
      case ContainerState::kRunning:
        ++running;
        break;
      case ContainerState::kTerminated:
        ++stopped;
        if (c.exit_code == 0) ++succeeded;
        break;
      case ContainerState::kWaiting:
        // getPhase: a container waiting to be restarted counts as stopped.
        if (c.has_last) {
          ++stopped;
        } else {
          ++waiting;
        }
        break;
    }
  }
  if (failed_initialization > 0 && restart_policy == "Never") return "Failed";
  if ((pending_initialization > 0 && !AnyRegularContainerStarted(pr)) || waiting > 0) {
    return "Pending";
  }
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (terminal) return stopped == succeeded ? "Succeeded" : "Failed";
    if (restart_policy == "Always") return "Running";
    if (stopped == succeeded) return "Succeeded";
    if (restart_policy == "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

Object GeneratePodStatus(const Object& pod, const PodRuntime& pr, const std::string& host_ip,
                         Time now) {
  const Object* old_ptr = api::Find(pod, "/status");
  const Object old = old_ptr && old_ptr->is_object() ? *old_ptr : Object::object();
  // Fields the kubelet does not own (qosClass, nominatedNodeName, ...) stay.
  Object s = old;
  const bool has_init = !pr.init_containers.empty();

  // Container statuses: init containers in spec order, the others by name.
  if (has_init) {
    Object init_statuses = Object::array();
    for (const ContainerRuntime& c : pr.init_containers) {
      init_statuses.push_back(ContainerStatus(c, true, has_init));
    }
    s["initContainerStatuses"] = std::move(init_statuses);
  } else {
    s.erase("initContainerStatuses");
  }
  std::vector<const ContainerRuntime*> sorted;
  for (const ContainerRuntime& c : pr.containers) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(),
            [](const ContainerRuntime* a, const ContainerRuntime* b) { return a->name < b->name; });
  Object statuses = Object::array();
  for (const ContainerRuntime* c : sorted) statuses.push_back(ContainerStatus(*c, false, has_init));
  s["containerStatuses"] = std::move(statuses);

  // Phase, with generateAPIPodStatus's three-way merge: a terminal phase
  // never goes back.
  std::string phase = PodPhase(pod, pr, pr.terminated);
  const std::string old_phase = api::GetString(old, "/phase");
  const bool old_terminal = old_phase == "Succeeded" || old_phase == "Failed";
  if (phase != "Succeeded" && phase != "Failed" && old_terminal) phase = old_phase;
  if (phase != old_phase) {
    // The reason and message belong to the phase they came with.
    s.erase("reason");
    s.erase("message");
  }
  s["phase"] = phase;

  // Conditions: the ones the kubelet does not own first, then its own.
  std::vector<std::string> unready, incomplete;
  for (const ContainerRuntime& c : pr.containers) {
    if (!ContainerReady(c, false)) unready.push_back(c.name);
  }
  for (const ContainerRuntime& c : pr.init_containers) {
    if (!ContainerReady(c, true)) incomplete.push_back(c.name);
  }
  Object containers_ready;
  if (phase == "Succeeded" || phase == "Failed") {
    containers_ready =
        Condition("ContainersReady", false, phase == "Succeeded" ? kPodCompleted : kPodFailed);
  } else if (!unready.empty()) {
    containers_ready = Condition("ContainersReady", false, "ContainersNotReady",
                                 "containers with unready status: " + GoList(unready));
  } else {
    containers_ready = Condition("ContainersReady", true);
  }
  Object initialized;
  if (phase == "Succeeded") {
    initialized = Condition("Initialized", true, kPodCompleted);
  } else if (AnyRegularContainerStarted(pr) || incomplete.empty()) {
    initialized = Condition("Initialized", true);
  } else {
    initialized = Condition("Initialized", false, "ContainersNotInitialized",
                            "containers with incomplete status: " + GoList(incomplete));
  }
  Object ready = containers_ready;
  ready["type"] = "Ready";

  Object conditions = Object::array();
  const Object* old_conditions = api::Find(old, "/conditions");
  if (old_conditions && old_conditions->is_array()) {
    for (const Object& c : *old_conditions) {
      if (!IsKubeletCondition(api::GetString(c, "/type"))) conditions.push_back(c);
    }
  }
  for (Object c : {Condition("PodReadyToStartContainers", pr.sandbox_ready), initialized, ready,
                   containers_ready, Condition("PodScheduled", true)}) {
    // status_manager.go updateLastTransitionTime.
    c["lastTransitionTime"] = FormatRfc3339(now);
    if (old_conditions && old_conditions->is_array()) {
      for (const Object& o : *old_conditions) {
        if (api::GetString(o, "/type") != c["type"].get<std::string>()) continue;
        if (api::GetString(o, "/status") == c["status"].get<std::string>()) {
          c["lastTransitionTime"] =
              o.contains("lastTransitionTime") ? o["lastTransitionTime"] : Object(nullptr);
        }
        break;
      }
    }
    conditions.push_back(std::move(c));
  }
  s["conditions"] = std::move(conditions);

  // Host and pod IPs.
  if (!host_ip.empty()) {
    s["hostIP"] = host_ip;
    s["hostIPs"] = Object::array({Object{{"ip", host_ip}}});
  }
  if (!pr.ip.empty()) {
    s["podIP"] = pr.ip;
    s["podIPs"] = Object::array({Object{{"ip", pr.ip}}});
  }
  const Object* start_time = api::Find(old, "/startTime");
  if (!start_time || !start_time->is_string() || start_time->get<std::string>().empty()) {
    s["startTime"] = FormatRfc3339(now);
  }
  return s;
}

}  // namespace kubesim::kubelet::internal
