// The simulated kubelet: node registration and status, the node Lease, and a
// pod lifecycle on a simulated container runtime, with Kubernetes v1.32's
// timings, object shapes and event wording.
//
// Upstream references (kubernetes/kubernetes v1.32 unless noted):
//  - pkg/kubelet/kubelet.go: Run (lease controller, node status loop, "Starting
//    kubelet." event), nodeRef (kind Node, uid = node name).
//  - pkg/kubelet/kubelet_node_status.go: registerWithAPIServer (100 ms..7 s
//    backoff), tryRegisterWithAPIServer (existing node: reconcile the
//    controller-managed attach-detach annotation and the default labels),
//    initialNode, tryUpdateNodeStatus (write when the status changed, ignoring
//    heartbeats, or when nodeStatusReportFrequency passed since the last
//    report; 5 tries), recordNodeStatusEvent ("Node %s status is now: %s").
//  - pkg/kubelet/nodestatus/setters.go: NodeAddress, MachineInfo, VersionInfo,
//    DaemonEndpoints, Images (largest first, at most 50), Memory/Disk/PID
//    pressure and Ready conditions with their reasons, messages and events.
//  - pkg/kubelet/cm/node_container_manager_linux.go: NodeAllocatableEnforced.
//  - staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go:
//    renew every leaseDuration/4 from the last lease written (no GET), on
//    conflict re-read; create with backoff 200 ms..7 s.
//    pkg/kubelet/util/nodelease.go SetNodeOwnerFunc: ownerReference to the
//    Node (apiVersion v1, kind Node, name, uid).
//  - pkg/kubelet/images/image_manager.go: pull policy, "Pulling image %q",
//    "Successfully pulled image %q in %v (%v including waiting). Image size:
//    %v bytes.", "Container image %q already present on machine"; serialized
//    pulls (serializeImagePulls defaults to true), so "including waiting"
//    covers the queue.
//  - pkg/kubelet/kuberuntime/kuberuntime_container.go: "Created container %s",
//    "Started container %s", "Stopping container %s" (1.32 wording), events on
//    the container's field path spec.containers{name}.
//  - pkg/kubelet/pleg/generic.go: relist every 1 s; container changes reach
//    the pod status at the next relist.
//  - pkg/kubelet/status/status_manager.go: status written when it differs from
//    the API's (re-read on conflict); a terminated pod with a deletion
//    timestamp is deleted with grace period 0 and a UID precondition.
//
// Simplifications (deliberate): allocatable equals capacity (a real kubelet
// subtracts the reserved resources and the 100Mi hard-eviction threshold);
// the node-status and lease loops run without upstream's 4% jitter; images
// always pull successfully (unknown or failing images, back-off and
// ImagePullBackOff are out of scope); containers run until the pod is
// deleted (init containers exit 0 shortly after starting), exit 0 promptly
// when stopped, and have no probes; the pod CIDR comes from the config (the
// node IPAM controller's job upstream) as do the kubeadm labels, annotations
// and control-plane taint.
//
// Threads: everything runs on the "kubelet/<node>" dispatcher, under mu_;
// Start()/Stop() take mu_ from the caller's thread.
#include "kubesim/kubelet/kubelet.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "kubelet_util.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/client/event_recorder.h"
#include "kubesim/client/informer.h"
#include "kubesim/printers/go_format.h"
#include "kubesim/printers/quantity.h"
#include "kubesim/sim/random.h"
#include "pod_status.h"
#include "resource_usage.h"

namespace kubesim::kubelet {
namespace {

using api::Object;
using api::ObjectPtr;
using internal::ContainerRuntime;
using internal::ContainerState;
using internal::PodRuntime;
using std::chrono::milliseconds;

// What `kubectl get node -o wide` shows for a kind/kubeadm v1.32 node.
constexpr char kKubeletVersion[] = "v1.32.0";
constexpr char kContainerRuntimeVersion[] = "containerd://1.7.24";
constexpr char kKernelVersion[] = "6.1.0-28-amd64";
constexpr char kOsImage[] = "Debian GNU/Linux 12 (bookworm)";
constexpr int kKubeletPort = 10250;
constexpr char kEphemeralStorage[] = "100Gi";

constexpr char kNodeLeaseNamespace[] = "kube-node-lease";
constexpr char kLabelControlPlane[] = "node-role.kubernetes.io/control-plane";
constexpr char kLabelExcludeFromLb[] = "node.kubernetes.io/exclude-from-external-load-balancers";
constexpr char kAnnotationCmad[] = "volumes.kubernetes.io/controller-managed-attach-detach";
constexpr char kAnnotationTtl[] = "node.alpha.kubernetes.io/ttl";

constexpr int kNodeStatusUpdateRetry = 5;  // kubelet.go nodeStatusUpdateRetry
constexpr int kMaxLeaseUpdateRetries = 5;  // lease/controller.go maxUpdateRetries
constexpr Duration kMaxBackoff = std::chrono::seconds(7);
constexpr Duration kInitialBackoff = milliseconds(100);
constexpr Duration kRelistPeriod = std::chrono::seconds(1);        // PLEG
constexpr Duration kStatusRetryPeriod = std::chrono::seconds(10);  // status manager syncBatch
constexpr size_t kMaxNodeStatusImages = 50;  // nodestatus.MaxNamesPerImageInNodeStatus's list cap

constexpr char kHex[] = "0123456789abcdef";

// A pulled image as containerd lists it.
struct Image {
  std::string ref;          // "docker.io/library/nginx:latest"
  std::string repo_digest;  // "docker.io/library/nginx@sha256:..."
  int64_t size = 0;         // bytes
};

std::string Uuid(Random& rng) {
  std::string h = rng.String(32, kHex);
  h[12] = '4';                                                            // version 4
  h[16] = kHex[8 + (h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') % 4];  // variant
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

// resourceVersions are store revisions: larger is newer.
uint64_t RvOf(const Object& o) {
  const std::string rv = api::ResourceVersion(o);
  uint64_t v = 0;
  for (char c : rv) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// The pull policy the API server defaults (pkg/apis/core/v1/defaults.go):
// Always for :latest or untagged images, IfNotPresent otherwise.
std::string PullPolicy(const Object& container) {
  std::string policy = api::GetString(container, "/imagePullPolicy");
  if (!policy.empty()) return policy;
  const std::string image = api::GetString(container, "/image");
  if (!internal::ImageDigest(image).empty()) return "IfNotPresent";
  const std::string ref = internal::NormalizeImageRef(image);
  return ref.size() >= 7 && ref.compare(ref.size() - 7, 7, ":latest") == 0 ? "Always"
                                                                           : "IfNotPresent";
}

// A node status with the condition heartbeats taken out
// (kubelet_node_status.go nodeStatusHasChanged).
Object WithoutHeartbeats(const Object& node) {
  Object status = node.contains("status") ? node["status"] : Object::object();
  if (status.contains("conditions") && status["conditions"].is_array()) {
    for (Object& c : status["conditions"]) c.erase("lastHeartbeatTime");
  }
  return status;
}

class KubeletImpl final : public Kubelet {
 public:
  KubeletImpl(client::Client* client, Executor* executor, NodeConfig config, uint64_t seed,
              KubeletTimings timings)
      : client_(client),
        config_(std::move(config)),
        timings_(timings),
        seed_(seed),
        loop_(executor->CreateDispatcher("kubelet/" + config_.name)),
        clock_(executor->clock()),
        recorder_(client, executor->clock(), "kubelet", config_.name),
        rng_(seed, "kubelet/" + config_.name) {
    machine_id_ = rng_.String(32, kHex);
    system_uuid_ = Uuid(rng_);
    boot_id_ = Uuid(rng_);
    ips_.Init(config_.pod_cidr);
    // kubeadm pulls the control-plane images before it writes the static
    // pod manifests (preflight "Pulling images required for setting up a
    // Kubernetes cluster").
    for (const Object& pod : config_.static_pods) {
      const Object* cs = api::Find(pod, "/spec/containers");
      if (!cs || !cs->is_array()) continue;
      for (const auto& c : *cs) {
        const std::string ref = internal::NormalizeImageRef(c.value("image", ""));
        images_[ref] = RegistryImage(ref);
      }
    }
  }

  ~KubeletImpl() override {
    Stop();
    std::unique_ptr<client::Informer> informer;
    {
      std::lock_guard<std::mutex> lock(mu_);
      informer = std::move(informer_);
    }
    informer.reset();
    loop_.reset();  // drops pending tasks, joins the thread
  }

  const NodeConfig& config() const override { return config_; }

  void Start() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (running_) return;
    running_ = true;
    ++epoch_;
    relist_origin_ = clock_.Now();
    relist_scheduled_ = false;
    puller_free_at_ = Time{};
    reported_ = false;  // a restarted kubelet reports its status at once
    finished_.clear();
    // The pods this kubelet ran before a Stop() are picked up again once the
    // pod informer has listed them (or dropped if the API lost them).
    for (auto& [uid, pr] : pods_) {
      ++pr.gen;
      pr.sandbox_creating = false;
      pr.dirty = false;
      pr.advance_on_flush = false;
      for (ContainerRuntime& c : pr.init_containers) c.busy = false;
      for (ContainerRuntime& c : pr.containers) c.busy = false;
      resync_.insert(uid);
    }
    After(Duration::zero(), [this] { Bootstrap(); });
  }

  void Stop() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return;
    running_ = false;
    ++epoch_;
    for (const auto& [key, id] : timers_) loop_->Cancel(id);
    timers_.clear();
    if (informer_) informer_->Stop();
    runtime_up_ = false;
    latest_lease_.reset();
    relist_scheduled_ = false;
  }

  bool running() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return running_;
  }

  StatusOr<ResourceMetrics> ScrapeResourceMetrics(Time now) const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) {
      return Status(StatusCode::kUnavailable,
                    "dial tcp " + config_.internal_ip + ":10250: connect: no route to host");
    }
    ResourceMetrics m;
    m.timestamp = now;
    internal::Usage node = internal::NodeOverhead(config_.control_plane, seed_, config_.name, now);
    m.node_cpu_nanocores = node.cpu_nanocores;
    m.node_memory_bytes = node.memory_bytes;
    for (const auto& [uid, pr] : pods_) {
      if (!pr.sandbox_ready || pr.terminated || !pr.pod) continue;
      ResourceMetrics::Pod pod{pr.ns, pr.name, pr.pod, {}};
      for (size_t i = 0; i < pr.containers.size(); ++i) {
        const ContainerRuntime& c = pr.containers[i];
        if (c.state != ContainerState::kRunning) continue;
        internal::Usage u = internal::ContainerUsage(*pr.pod, i, c.name, c.image_ref, seed_, now);
        pod.containers.push_back({c.name, u.cpu_nanocores, u.memory_bytes});
        m.node_cpu_nanocores += u.cpu_nanocores;
        m.node_memory_bytes += u.memory_bytes;
      }
      if (!pod.containers.empty()) m.pods.push_back(std::move(pod));
    }
    std::sort(m.pods.begin(), m.pods.end(), [](const auto& a, const auto& b) {
      return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
    });
    return m;
  }

  std::vector<RunningPod> RunningPods() const override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<RunningPod> out;
    for (const auto& [uid, pr] : pods_) {
      if (!pr.sandbox_ready || pr.ip.empty() || pr.terminating || pr.terminated) continue;
      bool all_running = !pr.containers.empty();
      for (const ContainerRuntime& c : pr.containers) {
        all_running = all_running && c.state == ContainerState::kRunning;
      }
      if (!all_running) continue;
      RunningPod rp{pr.ns, pr.name, pr.ip, {}};
      const Object* containers = pr.pod ? api::Find(*pr.pod, "/spec/containers") : nullptr;
      if (containers && containers->is_array()) {
        for (const Object& c : *containers) {
          const Object* ports = api::Find(c, "/ports");
          if (!ports || !ports->is_array()) continue;
          for (const Object& p : *ports) {
            const std::string proto = api::GetString(p, "/protocol");
            if (proto.empty() || proto == "TCP") {
              rp.ports.push_back(static_cast<int>(api::GetInt(p, "/containerPort")));
            }
          }
        }
      }
      out.push_back(std::move(rp));
    }
    std::sort(out.begin(), out.end(), [](const RunningPod& a, const RunningPod& b) {
      return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
    });
    return out;
  }

 private:
  // ---------------------------------------------------------------------
  // Timers. Every task runs under mu_ and only while the epoch it was
  // scheduled in lasts (Stop/Start end an epoch).

  void After(Duration delay, std::function<void()> fn) {
    const uint64_t key = ++timer_seq_;
    const uint64_t epoch = epoch_;
    const TaskId id = loop_->PostAfter(delay, [this, key, epoch, fn = std::move(fn)] {
      std::lock_guard<std::mutex> lock(mu_);
      timers_.erase(key);
      if (!running_ || epoch != epoch_) return;
      fn();
    });
    if (id != 0) timers_[key] = id;
  }

  // A step of one pod's work: dropped if the pod is gone or its pipeline was
  // abandoned (termination, restart) meanwhile.
  void PodStep(const PodRuntime& pr, Duration delay, std::function<void(PodRuntime&)> fn) {
    After(delay, [this, uid = pr.uid, gen = pr.gen, fn = std::move(fn)] {
      auto it = pods_.find(uid);
      if (it == pods_.end() || it->second.gen != gen) return;
      fn(it->second);
    });
  }

  Time Now() const { return clock_.Now(); }
  Duration RandomMs(int64_t min_ms, int64_t max_ms) {
    return milliseconds(
        min_ms + static_cast<int64_t>(rng_.Uniform(static_cast<uint64_t>(max_ms - min_ms) + 1)));
  }

  // ---------------------------------------------------------------------
  // Node registration and status.

  // kubelet.go: nodeRef has the node's name as its UID.
  Object NodeRef() const {
    return Object{{"kind", "Node"}, {"metadata", {{"name", config_.name}, {"uid", config_.name}}}};
  }

  void RecordNodeStatusEvent(const std::string& event) {
    recorder_.Event(NodeRef(), "Normal", event,
                    "Node " + config_.name + " status is now: " + event);
  }

  void Bootstrap() {
    recorder_.Event(NodeRef(), "Normal", "Starting", "Starting kubelet.");
    runtime_up_ = false;
    register_backoff_ = kInitialBackoff;
    RegisterWithApiServer();
  }

  void RegisterWithApiServer() {
    if (!TryRegisterWithApiServer()) {
      register_backoff_ = std::min(register_backoff_ * 2, kMaxBackoff);
      After(register_backoff_, [this] { RegisterWithApiServer(); });
      return;
    }
    // The container manager starts once the runtime is up and enforces node
    // allocatable; the runtime status check then makes the node Ready, which
    // fastStatusUpdateOnce reports at once.
    recorder_.Event(NodeRef(), "Normal", "NodeAllocatableEnforced",
                    "Updated Node Allocatable limit across pods");
    runtime_up_ = true;
    UpdateNodeStatus();
    After(timings_.node_status_update_frequency, [this] { SyncNodeStatus(); });
    lease_backoff_ = kInitialBackoff;
    SyncLease();
    StartPodInformer();
    SyncMirrorPods();
  }

  // A static pod runs under the UID the file source gave it (its config
  // hash); its mirror pod keeps that UID in kubernetes.io/config.mirror, and
  // the kubelet's events about the pod name it (kubectl describe searches
  // them by that UID).
  static Object EventRef(const Object& pod) {
    const Object* mirror = api::Find(pod, "/metadata/annotations/kubernetes.io~1config.mirror");
    if (!mirror || !mirror->is_string()) return pod;
    Object ref = pod;
    ref["metadata"]["uid"] = *mirror;
    return ref;
  }

  // The static pod's config hash. Upstream: md5 over the pod's deep-hash dump,
  // the node name and the source (pkg/kubelet/config/common.go
  // applyDefaults); kubesim hashes the manifest's canonical JSON with two
  // FNV-1a-64 passes into 32 hex digits (the shape, not the value).
  std::string StaticPodHash(const Object& manifest) const {
    const std::string bytes = manifest.dump() + config_.name + "file";
    std::string out;
    for (uint64_t basis : {14695981039346656037ull, 1099511628211ull * 7}) {
      uint64_t h = basis;
      for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
      }
      static const char kDigits[] = "0123456789abcdef";
      for (int i = 60; i >= 0; i -= 4) out.push_back(kDigits[(h >> i) & 0xf]);
    }
    return out;
  }

  // The file source's applyDefaults and mirror_client.go CreateMirrorPod:
  // each static pod is published as "<name>-<node>" bound to this node, with
  // the config annotations, the NoExecute toleration every static pod gets,
  // and a controller ownerReference to the Node. A mirror pod that already
  // exists (a restarted kubelet) is kept; other failures retry with the pod
  // sync loop (10s).
  void SyncMirrorPods() {
    if (config_.static_pods.empty()) return;
    if (static_seen_.empty()) {
      std::string seen = FormatRfc3339Micro(Now());  // RFC3339Nano: zeros trimmed
      if (auto dot = seen.find('.'); dot != std::string::npos) {
        size_t z = seen.size() - 1;  // the 'Z'
        size_t end = z;
        while (end > dot + 1 && seen[end - 1] == '0') --end;
        if (end == dot + 1) end = dot;
        seen = seen.substr(0, end) + "Z";
      }
      static_seen_ = seen;
    }
    bool retry = false;
    for (const Object& manifest : config_.static_pods) {
      Object pod = manifest;
      const std::string hash = StaticPodHash(manifest);
      std::string node = config_.name;
      std::transform(node.begin(), node.end(), node.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      Object& meta = pod["metadata"];
      meta["name"] = api::Name(manifest) + "-" + node;
      if (api::Namespace(manifest).empty()) meta["namespace"] = "default";
      if (!meta.contains("annotations") || !meta["annotations"].is_object())
        meta["annotations"] = Object::object();
      meta["annotations"]["kubernetes.io/config.hash"] = hash;
      meta["annotations"]["kubernetes.io/config.mirror"] = hash;
      meta["annotations"]["kubernetes.io/config.seen"] = static_seen_;
      meta["annotations"]["kubernetes.io/config.source"] = "file";
      meta["ownerReferences"] = Object::array({{{"apiVersion", "v1"},
                                                {"kind", "Node"},
                                                {"name", config_.name},
                                                {"uid", node_uid_},
                                                {"controller", true}}});
      Object& spec = pod["spec"];
      spec["nodeName"] = config_.name;
      if (!spec.contains("tolerations") || !spec["tolerations"].is_array())
        spec["tolerations"] = Object::array();
      spec["tolerations"].push_back({{"operator", "Exists"}, {"effect", "NoExecute"}});
      auto created = client_->Create(api::kPods, api::Namespace(pod), pod);
      if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists) retry = true;
    }
    if (retry) After(std::chrono::seconds(10), [this] { SyncMirrorPods(); });
  }

  bool TryRegisterWithApiServer() {
    Object node = InitialNode();
    StatusOr<Object> created = client_->Create(api::kNodes, "", node);
    if (created.ok()) {
      node_uid_ = api::Uid(*created);
      return true;
    }
    if (created.status().code() != StatusCode::kAlreadyExists) return false;
    StatusOr<Object> existing = client_->Get(api::kNodes, "", config_.name);
    if (!existing.ok()) return false;
    Object updated = *existing;
    bool requires_update = ReconcileCmadAnnotation(node, updated);
    requires_update = UpdateDefaultLabels(node, updated) || requires_update;
    if (requires_update) {
      StatusOr<Object> result = client_->Update(api::kNodes, updated);
      if (!result.ok()) return false;
    }
    node_uid_ = api::Uid(*existing);
    return true;
  }

  // reconcileCMADAnnotationWithExistingNode.
  static bool ReconcileCmadAnnotation(const Object& node, Object& existing) {
    const Object& want_annotations = node["metadata"]["annotations"];
    Object& meta = existing["metadata"];
    if (!meta.contains("annotations") || !meta["annotations"].is_object()) {
      meta["annotations"] = Object::object();
    }
    Object& annotations = meta["annotations"];
    if (!want_annotations.contains(kAnnotationCmad)) {
      return annotations.erase(kAnnotationCmad) > 0;
    }
    const Object& want = want_annotations[kAnnotationCmad];
    if (annotations.contains(kAnnotationCmad) && annotations[kAnnotationCmad] == want) return false;
    annotations[kAnnotationCmad] = want;
    return true;
  }

  // updateDefaultLabels: the kubelet's own labels win on an existing node.
  static bool UpdateDefaultLabels(const Object& node, Object& existing) {
    static const char* kDefaultLabels[] = {"kubernetes.io/hostname",
                                           "topology.kubernetes.io/zone",
                                           "topology.kubernetes.io/region",
                                           "failure-domain.beta.kubernetes.io/zone",
                                           "failure-domain.beta.kubernetes.io/region",
                                           "node.kubernetes.io/instance-type",
                                           "beta.kubernetes.io/instance-type",
                                           "kubernetes.io/os",
                                           "kubernetes.io/arch",
                                           "beta.kubernetes.io/os",
                                           "beta.kubernetes.io/arch"};
    const Object& want = node["metadata"]["labels"];
    Object& meta = existing["metadata"];
    if (!meta.contains("labels") || !meta["labels"].is_object()) meta["labels"] = Object::object();
    Object& labels = meta["labels"];
    bool needs_update = false;
    for (const char* label : kDefaultLabels) {
      if (!want.contains(label)) continue;
      if (!labels.contains(label) || labels[label] != want[label]) {
        labels[label] = want[label];
        needs_update = true;
      }
      if (labels[label] == "") labels.erase(label);
    }
    return needs_update;
  }

  // initialNode, plus what kubeadm and kube-controller-manager add right
  // after registration (role labels, control-plane taint, TTL annotation,
  // pod CIDR).
  Object InitialNode() {
    Object labels = {{"beta.kubernetes.io/arch", "amd64"},
                     {"beta.kubernetes.io/os", "linux"},
                     {"kubernetes.io/arch", "amd64"},
                     {"kubernetes.io/hostname", config_.name},
                     {"kubernetes.io/os", "linux"}};
    if (config_.control_plane) {
      labels[kLabelControlPlane] = "";
      labels[kLabelExcludeFromLb] = "";
    }
    for (const auto& [k, v] : config_.labels) labels[k] = v;

    Object spec = Object::object();
    if (!config_.pod_cidr.empty()) {
      spec["podCIDR"] = config_.pod_cidr;
      spec["podCIDRs"] = Object::array({config_.pod_cidr});
    }
    Object taints = Object::array();
    bool has_control_plane_taint = false;
    for (const Taint& t : config_.taints) {
      Object taint = {{"key", t.key}, {"effect", t.effect}};
      if (!t.value.empty()) taint["value"] = t.value;
      if (t.effect == "NoExecute") taint["timeAdded"] = FormatRfc3339(Now());
      taints.push_back(std::move(taint));
      has_control_plane_taint = has_control_plane_taint || t.key == kLabelControlPlane;
    }
    if (config_.control_plane && !has_control_plane_taint) {
      taints.push_back({{"key", kLabelControlPlane}, {"effect", "NoSchedule"}});
    }
    if (!taints.empty()) spec["taints"] = std::move(taints);

    Object node = {{"apiVersion", "v1"},
                   {"kind", "Node"},
                   {"metadata",
                    {{"name", config_.name},
                     {"labels", std::move(labels)},
                     {"annotations", {{kAnnotationCmad, "true"}, {kAnnotationTtl, "0"}}}}},
                   {"spec", std::move(spec)},
                   {"status", Object::object()}};
    SetNodeStatus(node);
    return node;
  }

  // The nodestatus setters, in defaultNodeStatusFuncs order.
  void SetNodeStatus(Object& node) {
    const Time now = Now();
    const std::string now_text = FormatRfc3339(now);
    if (!node.contains("status") || !node["status"].is_object()) node["status"] = Object::object();
    Object& status = node["status"];

    // NodeAddress.
    Object addresses = Object::array();
    if (!config_.internal_ip.empty()) {
      addresses.push_back({{"type", "InternalIP"}, {"address", config_.internal_ip}});
    }
    addresses.push_back({{"type", "Hostname"}, {"address", config_.name}});
    status["addresses"] = std::move(addresses);

    // MachineInfo. Allocatable is capacity here (see the file comment).
    Object capacity = {{"cpu", printers::Quantity::FromMilliValue(
                                   config_.cpu_millis, printers::QuantityFormat::kDecimalSI)
                                   .String()},
                       {"ephemeral-storage", kEphemeralStorage},
                       {"hugepages-1Gi", "0"},
                       {"hugepages-2Mi", "0"},
                       {"memory", printers::Quantity::FromValue(config_.memory_bytes,
                                                                printers::QuantityFormat::kBinarySI)
                                      .String()},
                       {"pods", std::to_string(config_.max_pods)}};
    status["capacity"] = capacity;
    status["allocatable"] = capacity;

    // VersionInfo, GoRuntime and the machine's identity.
    status["nodeInfo"] = {{"architecture", "amd64"},
                          {"bootID", boot_id_},
                          {"containerRuntimeVersion", kContainerRuntimeVersion},
                          {"kernelVersion", kKernelVersion},
                          {"kubeProxyVersion", kKubeletVersion},
                          {"kubeletVersion", kKubeletVersion},
                          {"machineID", machine_id_},
                          {"operatingSystem", "linux"},
                          {"osImage", kOsImage},
                          {"systemUUID", system_uuid_}};

    // DaemonEndpoints.
    status["daemonEndpoints"] = {{"kubeletEndpoint", {{"Port", kKubeletPort}}}};

    // Images: largest first, at most 50.
    std::vector<const Image*> images;
    for (const auto& [ref, image] : images_) images.push_back(&image);
    std::stable_sort(images.begin(), images.end(),
                     [](const Image* a, const Image* b) { return a->size > b->size; });
    if (images.size() > kMaxNodeStatusImages) images.resize(kMaxNodeStatusImages);
    if (images.empty()) {
      status.erase("images");
    } else {
      Object list = Object::array();
      for (const Image* image : images) {
        Object names = Object::array({image->repo_digest});
        if (internal::ImageDigest(image->ref).empty()) names.push_back(image->ref);
        list.push_back({{"names", std::move(names)}, {"sizeBytes", image->size}});
      }
      status["images"] = std::move(list);
    }

    // Conditions.
    if (!status.contains("conditions") || !status["conditions"].is_array()) {
      status["conditions"] = Object::array();
    }
    Object& conditions = status["conditions"];
    SetNoPressureCondition(conditions, "MemoryPressure", "KubeletHasSufficientMemory",
                           "kubelet has sufficient memory available", "NodeHasSufficientMemory",
                           now_text);
    SetNoPressureCondition(conditions, "DiskPressure", "KubeletHasNoDiskPressure",
                           "kubelet has no disk pressure", "NodeHasNoDiskPressure", now_text);
    SetNoPressureCondition(conditions, "PIDPressure", "KubeletHasSufficientPID",
                           "kubelet has sufficient PID available", "NodeHasSufficientPID",
                           now_text);
    SetReadyCondition(conditions, now_text);
  }

  // MemoryPressureCondition & co.: a new condition starts Unknown, so it
  // transitions (with its event) to False on first sight.
  void SetNoPressureCondition(Object& conditions, const std::string& type,
                              const std::string& reason, const std::string& message,
                              const std::string& event, const std::string& now_text) {
    Object* condition = nullptr;
    for (Object& c : conditions) {
      if (api::GetString(c, "/type") == type) condition = &c;
    }
    if (!condition) {
      conditions.push_back({{"type", type}, {"status", "Unknown"}});
      condition = &conditions.back();
    }
    (*condition)["lastHeartbeatTime"] = now_text;
    if (api::GetString(*condition, "/status") != "False") {
      (*condition)["status"] = "False";
      (*condition)["reason"] = reason;
      (*condition)["message"] = message;
      (*condition)["lastTransitionTime"] = now_text;
      RecordNodeStatusEvent(event);
    }
  }

  // ReadyCondition: an event only when an existing condition changes.
  void SetReadyCondition(Object& conditions, const std::string& now_text) {
    Object ready =
        runtime_up_
            ? Object{{"type", "Ready"},
                     {"status", "True"},
                     {"reason", "KubeletReady"},
                     {"message", "kubelet is posting ready status"}}
            : Object{{"type", "Ready"},
                     {"status", "False"},
                     {"reason", "KubeletNotReady"},
                     {"message", "container runtime status check may not have completed yet"}};
    ready["lastHeartbeatTime"] = now_text;
    for (Object& c : conditions) {
      if (api::GetString(c, "/type") != "Ready") continue;
      const bool changed = api::GetString(c, "/status") != ready["status"].get<std::string>();
      ready["lastTransitionTime"] =
          changed || !c.contains("lastTransitionTime") ? Object(now_text) : c["lastTransitionTime"];
      c = std::move(ready);
      if (changed) RecordNodeStatusEvent(runtime_up_ ? "NodeReady" : "NodeNotReady");
      return;
    }
    ready["lastTransitionTime"] = now_text;
    conditions.push_back(std::move(ready));
  }

  void SyncNodeStatus() {
    UpdateNodeStatus();
    After(timings_.node_status_update_frequency, [this] { SyncNodeStatus(); });
  }

  // updateNodeStatus / tryUpdateNodeStatus.
  void UpdateNodeStatus() {
    for (int attempt = 0; attempt < kNodeStatusUpdateRetry; ++attempt) {
      StatusOr<Object> got = client_->Get(api::kNodes, "", config_.name);
      if (!got.ok()) {
        if (got.status().code() == StatusCode::kNotFound) return;  // deleted: until restart
        continue;
      }
      Object node = std::move(got).value();
      const Object original_status = WithoutHeartbeats(node);
      SetNodeStatus(node);
      const Time now = Now();
      if (attempt == 0 && reported_ &&
          now < last_status_report_ + timings_.node_status_report_frequency &&
          WithoutHeartbeats(node) == original_status) {
        return;  // nothing changed and the report is not due
      }
      StatusOr<Object> result = client_->UpdateStatus(api::kNodes, std::move(node));
      if (result.ok()) {
        node_uid_ = api::Uid(*result);
        last_status_report_ = now;
        reported_ = true;
        return;
      }
    }
  }

  // ---------------------------------------------------------------------
  // Lease.

  Duration RenewInterval() const {
    return std::chrono::duration_cast<Duration>(
        std::chrono::milliseconds(timings_.node_lease_duration_seconds * 1000 / 4));
  }

  // newLease + SetNodeOwnerFunc. Returns false when a new lease cannot get
  // its owner reference yet.
  bool NewLease(const Object* base, Object* out) {
    Object lease;
    if (base) {
      lease = *base;
    } else {
      lease = {{"apiVersion", "coordination.k8s.io/v1"},
               {"kind", "Lease"},
               {"metadata", {{"name", config_.name}, {"namespace", kNodeLeaseNamespace}}},
               {"spec",
                {{"holderIdentity", config_.name},
                 {"leaseDurationSeconds", timings_.node_lease_duration_seconds}}}};
    }
    lease["spec"]["renewTime"] = FormatRfc3339Micro(Now());
    const Object* owners = api::Find(lease, "/metadata/ownerReferences");
    if (!owners || !owners->is_array() || owners->empty()) {
      if (node_uid_.empty()) {
        *out = std::move(lease);
        return base != nullptr;
      }
      lease["metadata"]["ownerReferences"] = Object::array(
          {{{"apiVersion", "v1"}, {"kind", "Node"}, {"name", config_.name}, {"uid", node_uid_}}});
    }
    *out = std::move(lease);
    return true;
  }

  // ensureLease: get it, or create it.
  Status EnsureLease(Object* lease, bool* created) {
    *created = false;
    StatusOr<Object> got = client_->Get(api::kLeases, kNodeLeaseNamespace, config_.name);
    if (got.ok()) {
      *lease = std::move(got).value();
      return Status::Ok();
    }
    if (got.status().code() != StatusCode::kNotFound) return got.status();
    Object fresh;
    if (!NewLease(nullptr, &fresh)) return Status::Unavailable("node uid not known yet");
    StatusOr<Object> result = client_->Create(api::kLeases, kNodeLeaseNamespace, fresh);
    if (!result.ok()) return result.status();
    *lease = std::move(result).value();
    *created = true;
    return Status::Ok();
  }

  // retryUpdateLease.
  bool RetryUpdateLease(Object base) {
    for (int i = 0; i < kMaxLeaseUpdateRetries; ++i) {
      Object lease;
      NewLease(&base, &lease);
      StatusOr<Object> result = client_->Update(api::kLeases, lease);
      if (result.ok()) {
        latest_lease_ = std::move(result).value();
        return true;
      }
      if (result.status().code() == StatusCode::kConflict ||
          result.status().code() == StatusCode::kNotFound) {
        bool created = false;
        if (!EnsureLease(&base, &created).ok()) return false;
        if (created) {
          latest_lease_ = base;
          return true;
        }
      }
    }
    return false;
  }

  void SyncLease() {
    if (latest_lease_ && RetryUpdateLease(*latest_lease_)) {
      After(RenewInterval(), [this] { SyncLease(); });
      return;
    }
    // backoffEnsureLease: retry with a doubling backoff until it exists.
    Object lease;
    bool created = false;
    if (!EnsureLease(&lease, &created).ok()) {
      lease_backoff_ = std::min(lease_backoff_ * 2, kMaxBackoff);
      After(lease_backoff_, [this] { SyncLease(); });
      return;
    }
    lease_backoff_ = kInitialBackoff;
    latest_lease_ = lease;
    if (!created) RetryUpdateLease(lease);
    After(RenewInterval(), [this] { SyncLease(); });
  }

  // ---------------------------------------------------------------------
  // Pods: informer and admission.

  void StartPodInformer() {
    if (informer_) informer_->Stop();
    informer_ = std::make_unique<client::Informer>(
        client_, loop_.get(), api::kPods,
        client::ListWatchOptions{"", "", "spec.nodeName=" + config_.name});
    const uint64_t epoch = epoch_;
    auto guard = [this, epoch](auto fn) {
      return [this, epoch, fn](auto&&... args) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!running_ || epoch != epoch_) return;
        fn(args...);
      };
    };
    client::EventHandler handler;
    handler.on_add = guard([this](const ObjectPtr& pod) { OnPod(pod); });
    handler.on_update = guard([this](const ObjectPtr&, const ObjectPtr& pod) { OnPod(pod); });
    handler.on_delete = guard([this](const ObjectPtr& pod) { OnPodDeleted(pod); });
    informer_->AddEventHandler(std::move(handler));
    informer_->Start();
    // Runs after the informer's initial list (posted first, same instant).
    After(Duration::zero(), [this] { CheckPodsSynced(); });
  }

  // HandlePodRemoves for what disappeared while the kubelet was stopped: once
  // the informer has listed, a remembered pod that the API no longer binds
  // here is killed.
  void CheckPodsSynced() {
    if (!informer_ || !informer_->HasSynced()) {
      After(kRelistPeriod, [this] { CheckPodsSynced(); });
      return;
    }
    std::vector<std::string> gone;
    for (const auto& [uid, pr] : pods_) {
      ObjectPtr cached = informer_->Get(pr.ns + "/" + pr.name);
      if (!cached || api::Uid(*cached) != uid) gone.push_back(uid);
    }
    for (const std::string& uid : gone) KillAndForget(uid);
    resync_.clear();
  }

  static bool HasDeletionTimestamp(const Object& pod) {
    const Object* ts = api::Find(pod, "/metadata/deletionTimestamp");
    return ts && ts->is_string();
  }

  void OnPod(const ObjectPtr& pod) {
    const std::string uid = api::Uid(*pod);
    auto it = pods_.find(uid);
    if (it == pods_.end()) {
      if (finished_.contains(uid)) return;  // deleted by us; its last events trail
      // A new pod under a name a known one had: the old one is gone.
      std::vector<std::string> replaced;
      for (const auto& [other_uid, pr] : pods_) {
        if (pr.ns == api::Namespace(*pod) && pr.name == api::Name(*pod)) {
          replaced.push_back(other_uid);
        }
      }
      for (const std::string& u : replaced) KillAndForget(u);
      const std::string phase = api::GetString(*pod, "/status/phase");
      if (phase == "Succeeded" || phase == "Failed" || HasDeletionTimestamp(*pod)) {
        // Nothing runs here for it; a deleted one is finished off.
        if (HasDeletionTimestamp(*pod) && DeletePod(api::Namespace(*pod), api::Name(*pod), uid)) {
          finished_.insert(uid);
        }
        return;
      }
      Admit(pod);
      return;
    }
    PodRuntime& pr = it->second;
    if (RvOf(*pod) >= RvOf(*pr.pod)) pr.pod = pod;
    if (resync_.erase(uid)) {
      Resync(pr);
      return;
    }
    if (HasDeletionTimestamp(*pod) && !pr.terminating) BeginTermination(pr);
  }

  void OnPodDeleted(const ObjectPtr& pod) {
    const std::string uid = api::Uid(*pod);
    finished_.erase(uid);
    if (pods_.contains(uid)) KillAndForget(uid);
    // A deleted mirror pod of one of our static pods is recreated at the
    // next pod sync (kubelet.go syncPod: "Creating a mirror pod for static
    // pod"); the static pod itself is not the API's to delete.
    if (!config_.static_pods.empty() &&
        api::Find(*pod, "/metadata/annotations/kubernetes.io~1config.mirror") &&
        api::GetString(*pod, "/spec/nodeName") == config_.name) {
      After(kRelistPeriod, [this] { SyncMirrorPods(); });
    }
  }

  void Admit(const ObjectPtr& pod) {
    PodRuntime pr;
    pr.uid = api::Uid(*pod);
    pr.ns = api::Namespace(*pod);
    pr.name = api::Name(*pod);
    pr.pod = pod;
    auto add = [](const Object* list, std::vector<ContainerRuntime>* out) {
      if (!list || !list->is_array()) return;
      for (const Object& c : *list) {
        ContainerRuntime cr;
        cr.name = api::GetString(c, "/name");
        cr.image = api::GetString(c, "/image");
        out->push_back(std::move(cr));
      }
    };
    add(api::Find(*pod, "/spec/initContainers"), &pr.init_containers);
    add(api::Find(*pod, "/spec/containers"), &pr.containers);
    const std::string uid = pr.uid;
    pods_.emplace(uid, std::move(pr));
    // SyncPod starts by reporting the pod's status (Pending, containers
    // ContainerCreating), then creates the sandbox and the containers.
    WritePodStatus(pods_.at(uid));
    if (auto it = pods_.find(uid); it != pods_.end()) Advance(it->second);
  }

  // The kubelet came back: report the pod again and go on where it was.
  void Resync(PodRuntime& pr) {
    if (pr.terminated) {
      MarkDirty(pr);
      return;
    }
    if (pr.terminating || HasDeletionTimestamp(*pr.pod)) {
      pr.terminating = false;
      BeginTermination(pr);
      return;
    }
    for (size_t i = 0; i < pr.init_containers.size(); ++i) {
      if (pr.init_containers[i].state == ContainerState::kRunning) ScheduleInitExit(pr, i);
    }
    MarkDirty(pr);
    Advance(pr);
  }

  // ---------------------------------------------------------------------
  // The pod worker: sandbox, then init containers one by one to completion,
  // then the containers in order.

  ContainerRuntime& ContainerAt(PodRuntime& pr, bool init, size_t i) {
    return init ? pr.init_containers[i] : pr.containers[i];
  }

  const Object* ContainerSpec(const PodRuntime& pr, bool init, const std::string& name) const {
    const Object* list = api::Find(*pr.pod, init ? "/spec/initContainers" : "/spec/containers");
    if (!list || !list->is_array()) return nullptr;
    for (const Object& c : *list) {
      if (api::GetString(c, "/name") == name) return &c;
    }
    return nullptr;
  }

  static std::string FieldPath(bool init, const std::string& name) {
    return (init ? "spec.initContainers{" : "spec.containers{") + name + "}";
  }

  void Advance(PodRuntime& pr) {
    if (pr.terminating) return;
    if (!pr.sandbox_ready) {
      if (pr.sandbox_creating) return;
      pr.sandbox_creating = true;
      // RunPodSandbox: the pause container plus CNI (host-local IPAM).
      PodStep(pr, RandomMs(300, 1000), [this](PodRuntime& p) {
        p.sandbox_creating = false;
        p.sandbox_ready = true;
        // A hostNetwork pod shares the node's address; others get one from
        // the pod CIDR.
        const Object* host_network = api::Find(*p.pod, "/spec/hostNetwork");
        if (host_network && host_network->is_boolean() && host_network->get<bool>()) {
          p.ip = config_.internal_ip;
          p.host_network = true;
        } else if (p.ip.empty()) {
          p.ip = ips_.Allocate();
        }
        Advance(p);
      });
      return;
    }
    for (size_t i = 0; i < pr.init_containers.size(); ++i) {
      const ContainerRuntime& c = pr.init_containers[i];
      if (c.state == ContainerState::kTerminated && c.exit_code == 0) continue;
      if (c.busy || c.state == ContainerState::kRunning) return;  // wait for it
      if (c.failed) {
        MarkDirty(pr);  // stuck: report it
        return;
      }
      StartContainer(pr, true, i);
      return;
    }
    for (size_t i = 0; i < pr.containers.size(); ++i) {
      const ContainerRuntime& c = pr.containers[i];
      if (c.busy) return;
      if (c.state == ContainerState::kWaiting && !c.failed) {
        StartContainer(pr, false, i);
        return;
      }
    }
    MarkDirty(pr);  // every container started: the next relist reports it
  }

  // Image info as the registry serves it: the same digest and size on every
  // node of a run, so it comes from a stream keyed by the reference.
  Image RegistryImage(const std::string& ref) const {
    Random registry(seed_, "registry/" + ref);
    Image image;
    image.ref = ref;
    std::string digest = internal::ImageDigest(ref);
    if (digest.empty()) digest = "sha256:" + registry.String(64, kHex);
    image.repo_digest = internal::ImageRepository(ref) + "@" + digest;
    image.size = 2'000'000 + static_cast<int64_t>(registry.Uniform(150'000'000));
    return image;
  }

  // EnsureImageExists, then createContainer/startContainer.
  void StartContainer(PodRuntime& pr, bool init, size_t i) {
    ContainerRuntime& c = ContainerAt(pr, init, i);
    c.busy = true;
    const Object* spec = ContainerSpec(pr, init, c.name);
    const std::string policy = spec ? PullPolicy(*spec) : "IfNotPresent";
    const std::string ref = internal::NormalizeImageRef(c.image);
    const std::string field_path = FieldPath(init, c.name);
    const std::string quoted = printers::GoQuote(c.image);
    const bool present = images_.contains(ref);

    if (policy == "Never" && !present) {
      const std::string message =
          "Container image " + quoted + " is not present with pull policy of Never";
      recorder_.Event(EventRef(*pr.pod), "Warning", "ErrImageNeverPull", message, field_path);
      c.busy = false;
      c.failed = true;
      c.waiting_reason = "ErrImageNeverPull";
      c.waiting_message = message;
      Advance(pr);  // SyncPod goes on with the other containers
      return;
    }
    if (present && policy != "Always") {
      recorder_.Event(EventRef(*pr.pod), "Normal", "Pulled",
                      "Container image " + quoted + " already present on machine", field_path);
      CreateContainer(pr, init, i, images_.at(ref));
      return;
    }

    // A pull on the serialized puller: it waits for the pulls queued before
    // it; layers already fetched (the same image pulled or queued before)
    // make it quick.
    recorder_.Event(EventRef(*pr.pod), "Normal", "Pulling", "Pulling image " + quoted, field_path);
    const Time requested = Now();
    const Time start = std::max(requested, puller_free_at_);
    const Image image = RegistryImage(ref);
    Duration pull;
    if (pulls_queued_.contains(ref)) {
      pull = RandomMs(100, 600);
    } else {
      const int64_t mb_per_s = 20 + static_cast<int64_t>(rng_.Uniform(41));
      pull = milliseconds(300 + image.size / (mb_per_s * 1000)) + RandomMs(0, 99);
    }
    pulls_queued_.insert(ref);
    const Time done = start + pull;
    puller_free_at_ = done;
    // The pull completes whatever happens to the pod meanwhile.
    After(done - requested, [this, image] { images_[image.ref] = image; });
    PodStep(pr, done - requested,
            [this, init, i, image, pull, requested, quoted, field_path](PodRuntime& p) {
              const Duration waited = std::chrono::duration_cast<milliseconds>(Now() - requested);
              recorder_.Event(
                  EventRef(*p.pod), "Normal", "Pulled",
                  "Successfully pulled image " + quoted + " in " +
                      internal::GoDurationString(std::chrono::duration_cast<milliseconds>(pull)) +
                      " (" + internal::GoDurationString(waited) +
                      " including waiting). Image size: " + std::to_string(image.size) + " bytes.",
                  field_path);
              CreateContainer(p, init, i, image);
            });
  }

  void CreateContainer(PodRuntime& pr, bool init, size_t i, const Image& image) {
    ContainerRuntime& c = ContainerAt(pr, init, i);
    c.container_id = "containerd://" + rng_.String(64, kHex);
    c.image_ref = image.ref;
    c.image_id = image.repo_digest;
    const std::string field_path = FieldPath(init, c.name);
    recorder_.Event(EventRef(*pr.pod), "Normal", "Created", "Created container " + c.name,
                    field_path);
    PodStep(pr, RandomMs(30, 150), [this, init, i, field_path](PodRuntime& p) {
      ContainerRuntime& started = ContainerAt(p, init, i);
      started.busy = false;
      started.state = ContainerState::kRunning;
      started.started_at = Now();
      started.waiting_reason.clear();
      started.waiting_message.clear();
      recorder_.Event(EventRef(*p.pod), "Normal", "Started", "Started container " + started.name,
                      field_path);
      if (init) {
        ScheduleInitExit(p, i);
      } else {
        if (IsCrashing(p)) {
          // The component's process dies again right after starting.
          PodStep(p, RandomMs(500, 1500), [this, i](PodRuntime& q) { Crash(q, i); });
        }
        Advance(p);
      }
    });
  }

  // ---------------------------------------------------------------------
  // Crashing static pods (SetStaticPodCrashing): the container exits with
  // code 1, the pod worker restarts it at once the first time and then with
  // the crash back-off (pkg/kubelet/kuberuntime computePodActions and
  // doBackOff: 10s doubling to 5m, "Back-off restarting failed container",
  // waiting reason CrashLoopBackOff).

  void SetStaticPodCrashing(const std::string& name, bool crashing) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (crashing) {
      crashing_static_.insert(name);
    } else {
      crashing_static_.erase(name);
    }
    if (!crashing || !running_) return;
    for (auto& [uid, pr] : pods_) {
      if (!IsCrashing(pr) || pr.terminating) continue;
      for (size_t i = 0; i < pr.containers.size(); ++i) {
        if (pr.containers[i].state == ContainerState::kRunning) Crash(pr, i);
      }
    }
  }

  bool IsCrashing(const PodRuntime& pr) const {
    const Object* mirror = api::Find(*pr.pod, "/metadata/annotations/kubernetes.io~1config.mirror");
    if (!mirror) return false;
    std::string node = config_.name;
    std::transform(node.begin(), node.end(), node.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const std::string suffix = "-" + node;
    if (pr.name.size() <= suffix.size() ||
        pr.name.compare(pr.name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      return false;
    }
    return crashing_static_.contains(pr.name.substr(0, pr.name.size() - suffix.size()));
  }

  void Crash(PodRuntime& pr, size_t i) {
    ContainerRuntime& c = pr.containers[i];
    if (c.state != ContainerState::kRunning || !IsCrashing(pr)) return;
    c.state = ContainerState::kTerminated;
    c.exit_code = 1;
    c.terminated_reason = "Error";
    c.finished_at = Now();
    MarkDirty(pr);
    // The PLEG reports the exit at its next relist; the pod worker acts then.
    PodStep(pr, kRelistPeriod, [this, i](PodRuntime& p) { RestartOrBackOff(p, i); });
  }

  static void RetireInstance(ContainerRuntime& c) {
    c.has_last = true;
    c.last_container_id = c.container_id;
    c.last_exit_code = c.exit_code;
    c.last_reason = c.terminated_reason;
    c.last_started_at = c.started_at;
    c.last_finished_at = c.finished_at;
  }

  void RestartOrBackOff(PodRuntime& pr, size_t i) {
    ContainerRuntime& c = pr.containers[i];
    if (c.state != ContainerState::kTerminated || pr.terminating) return;
    if (c.backoff.count() == 0) {  // not in back-off yet: restart now
      c.backoff = std::chrono::seconds(10);
      Restart(pr, i);
      return;
    }
    const Duration delay = c.backoff;
    c.backoff = std::min<Duration>(c.backoff * 2, std::chrono::minutes(5));
    RetireInstance(c);
    c.state = ContainerState::kWaiting;
    c.busy = true;  // the restart below is pending
    const std::string pod_ref = pr.name + "_" + pr.ns + "(" + api::Uid(EventRef(*pr.pod)) + ")";
    c.waiting_reason = "CrashLoopBackOff";
    c.waiting_message = "back-off " + internal::GoDurationString(delay) +
                        " restarting failed container=" + c.name + " pod=" + pod_ref;
    recorder_.Event(EventRef(*pr.pod), "Warning", "BackOff",
                    "Back-off restarting failed container " + c.name + " in pod " + pod_ref,
                    FieldPath(false, c.name));
    MarkDirty(pr);
    PodStep(pr, delay, [this, i](PodRuntime& p) { Restart(p, i); });
  }

  void Restart(PodRuntime& pr, size_t i) {
    ContainerRuntime& c = pr.containers[i];
    if (pr.terminating) return;
    if (c.state == ContainerState::kTerminated) RetireInstance(c);
    ++c.restart_count;
    c.state = ContainerState::kWaiting;
    c.busy = false;
    StartContainer(pr, false, i);
  }

  // An init container runs briefly and exits 0; the next relist reports it
  // and the pod worker goes on.
  void ScheduleInitExit(PodRuntime& pr, size_t i) {
    PodStep(pr, RandomMs(200, 1000), [this, i](PodRuntime& p) {
      ContainerRuntime& c = p.init_containers[i];
      if (c.state != ContainerState::kRunning) return;
      c.state = ContainerState::kTerminated;
      c.exit_code = 0;
      c.terminated_reason = "Completed";
      c.finished_at = Now();
      p.advance_on_flush = true;
      MarkDirty(p);
    });
  }

  // ---------------------------------------------------------------------
  // Status (PLEG relist + status manager).

  void MarkDirty(PodRuntime& pr) {
    pr.dirty = true;
    if (relist_scheduled_) return;
    relist_scheduled_ = true;
    // The next relist tick strictly after now.
    const Duration since = Now() - relist_origin_;
    const int64_t ticks = since.count() / kRelistPeriod.count() + 1;
    const Time next = relist_origin_ + kRelistPeriod * ticks;
    After(next - Now(), [this] { Relist(); });
  }

  void Relist() {
    relist_scheduled_ = false;
    std::vector<std::string> dirty;
    for (const auto& [uid, pr] : pods_) {
      if (pr.dirty) dirty.push_back(uid);
    }
    for (const std::string& uid : dirty) {
      auto it = pods_.find(uid);
      if (it == pods_.end()) continue;
      PodRuntime& pr = it->second;
      pr.dirty = false;
      if (pr.terminated) {
        FinishTermination(pr);
        continue;
      }
      // The pod worker does not wait for the status manager.
      if (WritePodStatus(pr) == Write::kGone) continue;
      if (pr.advance_on_flush) {
        pr.advance_on_flush = false;
        Advance(pr);
      }
    }
  }

  enum class Write {
    kDone,   // the API has the status
    kGone,   // the pod left the API: forgotten (`pr` is dangling)
    kRetry,  // a write failed: retried after kStatusRetryPeriod
  };

  // The status manager's syncPod: write the status when it differs from the
  // API's, re-reading on a conflict.
  Write WritePodStatus(PodRuntime& pr) {
    ObjectPtr base = pr.pod;
    for (int attempt = 0; attempt < kNodeStatusUpdateRetry; ++attempt) {
      Object status = internal::GeneratePodStatus(*base, pr, config_.internal_ip, Now());
      if (base->contains("status") && (*base)["status"] == status) return Write::kDone;
      Object updated = *base;
      updated["status"] = std::move(status);
      StatusOr<Object> result = client_->UpdateStatus(api::kPods, std::move(updated));
      if (result.ok()) {
        pr.pod = api::Share(std::move(result).value());
        return Write::kDone;
      }
      const StatusCode code = result.status().code();
      if (code == StatusCode::kNotFound) {
        Forget(pr.uid);
        return Write::kGone;
      }
      if (code != StatusCode::kConflict) break;
      StatusOr<Object> fresh = client_->Get(api::kPods, pr.ns, pr.name);
      if (!fresh.ok() || api::Uid(*fresh) != pr.uid) {
        if (!fresh.ok() && fresh.status().code() != StatusCode::kNotFound) break;
        Forget(pr.uid);
        return Write::kGone;
      }
      base = api::Share(std::move(fresh).value());
      pr.pod = base;
    }
    // syncBatch tries again later.
    PodStep(pr, kStatusRetryPeriod, [this](PodRuntime& p) { MarkDirty(p); });
    return Write::kRetry;
  }

  // ---------------------------------------------------------------------
  // Termination.

  int64_t GracePeriodSeconds(const Object& pod) const {
    const Object* grace = api::Find(pod, "/metadata/deletionGracePeriodSeconds");
    if (grace && grace->is_number()) return grace->get<int64_t>();
    grace = api::Find(pod, "/spec/terminationGracePeriodSeconds");
    if (grace && grace->is_number()) return grace->get<int64_t>();
    return 30;
  }

  // Records Killing for every running container; returns whether any ran.
  bool RecordKilling(const PodRuntime& pr) {
    bool any = false;
    for (bool init : {true, false}) {
      for (const ContainerRuntime& c : init ? pr.init_containers : pr.containers) {
        if (c.state != ContainerState::kRunning) continue;
        recorder_.Event(EventRef(*pr.pod), "Normal", "Killing", "Stopping container " + c.name,
                        FieldPath(init, c.name));
        any = true;
      }
    }
    return any;
  }

  // SyncTerminatingPod: stop the containers (they exit promptly, well within
  // the grace period), then the terminal status and the final delete.
  void BeginTermination(PodRuntime& pr) {
    pr.terminating = true;
    ++pr.gen;  // abandon the pipeline
    pr.sandbox_creating = false;
    for (ContainerRuntime& c : pr.init_containers) c.busy = false;
    for (ContainerRuntime& c : pr.containers) c.busy = false;
    const bool any_running = RecordKilling(pr);
    Duration exit_after = any_running ? RandomMs(100, 600) : Duration::zero();
    exit_after = std::min<Duration>(exit_after, std::chrono::seconds(GracePeriodSeconds(*pr.pod)));
    PodStep(pr, exit_after, [this](PodRuntime& p) {
      for (ContainerRuntime* c : AllContainers(p)) {
        if (c->state != ContainerState::kRunning) continue;
        c->state = ContainerState::kTerminated;
        c->exit_code = 0;
        c->terminated_reason = "Completed";
        c->finished_at = Now();
      }
      p.sandbox_ready = false;
      p.terminated = true;
      MarkDirty(p);
    });
  }

  static std::vector<ContainerRuntime*> AllContainers(PodRuntime& pr) {
    std::vector<ContainerRuntime*> all;
    for (ContainerRuntime& c : pr.init_containers) all.push_back(&c);
    for (ContainerRuntime& c : pr.containers) all.push_back(&c);
    return all;
  }

  void FinishTermination(PodRuntime& pr) {
    const std::string uid = pr.uid;
    if (WritePodStatus(pr) != Write::kDone) return;
    if (!DeletePod(pr.ns, pr.name, uid)) {
      PodStep(pr, kStatusRetryPeriod, [this](PodRuntime& p) { MarkDirty(p); });
      return;
    }
    Forget(uid);
    finished_.insert(uid);
  }

  // The status manager's final delete: grace period 0, UID precondition.
  // True unless the API failed (a pod already gone counts as deleted).
  bool DeletePod(const std::string& ns, const std::string& name, const std::string& uid) {
    api::Request request;
    request.verb = api::Verb::kDelete;
    request.gvr = api::kPods;
    request.namespace_ = ns;
    request.name = name;
    request.grace_period_seconds = 0;
    if (!uid.empty()) request.precondition_uid = uid;
    const api::Response response = client_->Do(std::move(request));
    return response.ok() || response.code == 404 || response.code == 409;
  }

  // The pod left the API (or this node) while the kubelet ran it: stop its
  // containers and forget it.
  void KillAndForget(const std::string& uid) {
    auto it = pods_.find(uid);
    if (it == pods_.end()) return;
    if (!it->second.terminating) RecordKilling(it->second);
    Forget(uid);
  }

  void Forget(const std::string& uid) {
    auto it = pods_.find(uid);
    if (it == pods_.end()) return;
    if (!it->second.ip.empty() && !it->second.host_network) ips_.Release(it->second.ip);
    pods_.erase(it);
    resync_.erase(uid);
  }

  // Constant after construction.
  client::Client* const client_;
  const NodeConfig config_;
  const KubeletTimings timings_;
  const uint64_t seed_;
  std::unique_ptr<Dispatcher> loop_;
  const Clock& clock_;
  client::EventRecorder recorder_;  // thread-safe itself

  mutable std::mutex mu_;
  // Everything below is guarded by mu_.
  Random rng_;
  std::string machine_id_, system_uuid_, boot_id_;
  bool running_ = false;
  uint64_t epoch_ = 0;
  uint64_t timer_seq_ = 0;
  std::map<uint64_t, TaskId> timers_;  // pending timers of this epoch

  // Node.
  bool runtime_up_ = false;
  std::string node_uid_;
  std::string static_seen_;                // when the static pod manifests were first seen
  std::set<std::string> crashing_static_;  // static pods whose process dies (by manifest name)
  bool reported_ = false;
  Time last_status_report_{};
  Duration register_backoff_ = kInitialBackoff;

  // Lease.
  std::optional<Object> latest_lease_;
  Duration lease_backoff_ = kInitialBackoff;

  // Pods.
  std::unique_ptr<client::Informer> informer_;
  std::map<std::string, PodRuntime> pods_;  // by uid
  std::set<std::string> resync_;            // uids to pick up again after Start()
  std::set<std::string> finished_;          // uids deleted by us, until the API's delete event
  internal::IpAllocator ips_;
  Time relist_origin_{};
  bool relist_scheduled_ = false;

  // Images.
  std::map<std::string, Image> images_;  // on the node, by normalized reference
  std::set<std::string> pulls_queued_;   // pulled or queued on the puller
  Time puller_free_at_{};
};

}  // namespace

std::unique_ptr<Kubelet> Kubelet::Create(client::Client* client, Executor* executor,
                                         NodeConfig config, uint64_t seed, KubeletTimings timings) {
  return std::make_unique<KubeletImpl>(client, executor, std::move(config), seed, timings);
}

}  // namespace kubesim::kubelet
