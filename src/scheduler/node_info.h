// PodInfo and NodeInfo: what the scheduler knows about one pod and one node
// (pkg/scheduler/framework/types.go), and the Cache that keeps a NodeInfo
// per node from the informers plus the pods the scheduler has assumed
// (pkg/scheduler/backend/cache/cache.go, reduced to what kubesim needs).
//
// Thread-safety: none; everything lives on the scheduler's dispatcher.
#ifndef KUBESIM_SRC_SCHEDULER_NODE_INFO_H_
#define KUBESIM_SRC_SCHEDULER_NODE_INFO_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "kubesim/api/selectors.h"
#include "kubesim/api/types.h"
#include "kubesim/util/status.h"
#include "node_selector.h"
#include "resources.h"
#include "taints.h"

namespace kubesim::scheduler {

// A container port with a hostPort (NodePorts): protocol defaults to TCP,
// hostIP to 0.0.0.0 (schedutil.GetHostPorts / HostPortInfo.sanitize).
struct HostPort {
  std::string protocol, host_ip;
  int32_t port = 0;
  bool operator==(const HostPort&) const = default;
};

// framework.AffinityTerm: a parsed pod (anti-)affinity term.
struct AffinityTerm {
  api::LabelSelector selector = api::LabelSelector::Nothing();
  std::set<std::string> namespaces;  // namespaces + the pod's own if none given
  bool all_namespaces = false;       // namespaceSelector: {}
  // A namespaceSelector with requirements (Nothing() when absent or {}).
  api::LabelSelector namespace_selector = api::LabelSelector::Nothing();
  bool has_namespace_selector = false;
  std::string topology_key;
  int32_t weight = 0;  // preferred terms only
  // AffinityTerm.Matches: `pod` is in one of the namespaces, or its
  // namespace's labels (`ns_labels`, when known) match the namespace
  // selector, and its labels match the selector.
  bool Matches(const std::string& pod_ns, const Labels& pod_labels,
               const Labels* ns_labels = nullptr) const;
};

// framework.PodInfo: a pod object plus what the plugins keep asking about
// it, computed once (so no plugin parses JSON in the per-node hot path).
struct PodInfo {
  api::ObjectPtr pod;
  std::string ns, name;
  std::string uid;  // the cache key: metadata.uid, or "ns/name" without one
  std::string node_name;
  std::string scheduler_name;
  std::string phase;
  bool deleting = false;  // metadata.deletionTimestamp is set
  int32_t priority = 0;   // corev1helpers.PodPriority: spec.priority or 0
  std::string preemption_policy;
  Labels labels;
  std::vector<Toleration> tolerations;
  // PodRequests without defaults (Fit filter, NodeInfo.Requested) ...
  Resource requests;
  // ... and with the non-zero defaults for cpu and memory
  // (NodeInfo.NonZeroRequested, LeastAllocated scoring).
  int64_t non0_milli_cpu = 0;
  int64_t non0_memory = 0;
  // Container hostPorts (containers and init containers).
  std::vector<HostPort> host_ports;
  // normalizedImageName of every init container and container, in order.
  std::vector<std::string> images;
  // spec.affinity.podAffinity / podAntiAffinity, parsed.
  std::vector<AffinityTerm> required_affinity, required_anti_affinity;
  std::vector<AffinityTerm> preferred_affinity, preferred_anti_affinity;
  bool HasAffinity() const {
    return !required_affinity.empty() || !required_anti_affinity.empty() ||
           !preferred_affinity.empty() || !preferred_anti_affinity.empty();
  }
  // Some term has a namespaceSelector with requirements.
  bool has_namespace_selectors = false;
  // The controller ownerReference (metav1.GetControllerOf), if any.
  std::string owner_kind, owner_name, owner_api_version;
};

std::shared_ptr<const PodInfo> NewPodInfo(api::ObjectPtr pod);
// NewPodInfo(pod) for a newer copy of the pod `prev` was built from: when
// nothing NewPodInfo reads differs but spec.nodeName (a bind, a status
// update), `prev`'s parsed fields are reused instead of parsing the pod
// again (the cache sees every pod at least twice: assumed, then bound).
// Same result as NewPodInfo(pod) either way.
std::shared_ptr<const PodInfo> RefreshPodInfo(const PodInfo& prev, api::ObjectPtr pod);
// The key PodInfo::uid would have for `pod`.
std::string PodKey(const api::Object& pod);
bool IsTerminalPhase(const std::string& phase);  // Succeeded or Failed

// framework.NodeInfo.
class NodeInfo {
 public:
  explicit NodeInfo(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  // The node's position in the cache's NodeList() (and NodeNames()), or -1
  // while it is not listed. Set by Cache::NodeList.
  int list_index() const { return list_index_; }
  // Asks the CPU to start loading this NodeInfo. The filter and score loops
  // walk hundreds of NodeInfos per cycle out of thousands, each cold in the
  // cache; prefetching a few nodes ahead overlaps those misses. No effect on
  // results.
  void Prefetch() const {
    const char* p = reinterpret_cast<const char*>(this);
    for (size_t off = 0; off < sizeof(NodeInfo); off += 64) __builtin_prefetch(p + off);
  }
  // nullptr while the node is unknown (pods bound to it arrived first) or
  // after it was deleted while pods still reference it.
  const api::ObjectPtr& node() const { return node_; }
  void SetNode(api::ObjectPtr node);
  void RemoveNode();

  const Labels& labels() const { return labels_; }
  const std::vector<Taint>& taints() const { return taints_; }
  bool unschedulable() const { return unschedulable_; }
  const Resource& allocatable() const { return allocatable_; }
  // The sum of the pods' requests (NodeInfo.Requested), and the same with the
  // non-zero cpu/memory defaults (NodeInfo.NonZeroRequested).
  const Resource& requested() const { return requested_; }
  const Resource& non_zero_requested() const { return non_zero_requested_; }
  const std::vector<std::shared_ptr<const PodInfo>>& pods() const { return pods_; }
  // Bumped on every change (the snapshot's cheap "did it change" check).
  int64_t generation() const { return generation_; }

  // Host ports in use by the node's pods (NodeInfo.UsedPorts).
  const std::vector<HostPort>& used_ports() const { return used_ports_; }
  // How many of the node's pods have any pod (anti-)affinity, and required
  // anti-affinity (NodeInfo.PodsWithAffinity / PodsWithRequiredAntiAffinity).
  int pods_with_affinity() const { return pods_with_affinity_; }
  int pods_with_required_anti_affinity() const { return pods_with_required_anti_affinity_; }
  // node.status.images: normalized name -> sizeBytes (NodeInfo.ImageStates).
  const std::map<std::string, int64_t>& images() const { return images_; }

  void AddPod(std::shared_ptr<const PodInfo> pod);
  // Returns false when no pod with that key is on the node.
  bool RemovePod(const std::string& uid);

 private:
  friend class Cache;  // sets list_index_
  std::string name_;
  int list_index_ = -1;
  api::ObjectPtr node_;
  Labels labels_;
  std::vector<Taint> taints_;
  bool unschedulable_ = false;
  Resource allocatable_;
  Resource requested_;
  Resource non_zero_requested_;
  std::vector<std::shared_ptr<const PodInfo>> pods_;
  std::vector<HostPort> used_ports_;
  int pods_with_affinity_ = 0;
  int pods_with_required_anti_affinity_ = 0;
  std::map<std::string, int64_t> images_;
  int64_t generation_ = 0;
};

// The scheduler cache: NodeInfos from the node informer, pods from the
// assigned-pod informer, and assumed pods (sent for binding, not yet seen
// bound by the informer) so the next cycle already counts them.
class Cache {
 public:
  void AddNode(api::ObjectPtr node);
  void UpdateNode(api::ObjectPtr node) { AddNode(std::move(node)); }
  void RemoveNode(const std::string& name);

  // An assigned pod seen by the informer (confirms an assumed one).
  void AddPod(api::ObjectPtr pod);
  void UpdatePod(api::ObjectPtr pod);
  void RemovePod(const api::Object& pod);

  // cache.AssumePod: `pod` must have spec.nodeName set. Fails (kConflict)
  // when the pod is already in the cache.
  Status AssumePod(std::shared_ptr<const PodInfo> pod);
  // cache.ForgetPod: undoes AssumePod after a failed bind.
  void ForgetPod(const std::string& uid);
  bool IsAssumedPod(const std::string& uid) const;

  // Nodes whose Node object is known, sorted by name. Valid until the next
  // node add/remove.
  const std::vector<NodeInfo*>& NodeList();
  // The names of NodeList()'s nodes, in the same order, shared so that a
  // scheduling attempt's record can name its nodes by index (no string per
  // node and cycle). Rebuilt lazily after the list changes.
  const std::shared_ptr<const std::vector<std::string>>& NodeNames();
  NodeInfo* GetNode(const std::string& name);  // nullptr for unknown nodes
  size_t NumNodes() { return NodeList().size(); }
  size_t NumPods() const { return pods_.size(); }
  // How many known nodes report `image` (ImageStateSummary.NumNodes).
  int ImageNumNodes(const std::string& image) const;
  // Pods on the cache's nodes with any pod (anti-)affinity term, and with a
  // required anti-affinity term (the sums of NodeInfo::pods_with_affinity /
  // pods_with_required_anti_affinity over every NodeInfo). Zero means no node
  // has any: InterPodAffinity then skips its walk over all nodes, as
  // upstream's HavePodsWithAffinityList / HavePodsWithRequiredAntiAffinityList
  // are empty.
  int64_t pods_with_affinity() const { return pods_with_affinity_; }
  int64_t pods_with_required_anti_affinity() const { return pods_with_required_anti_affinity_; }

 private:
  struct PodState {
    std::shared_ptr<const PodInfo> pod;
    bool assumed = false;
  };
  NodeInfo& NodeFor(const std::string& name);
  void AddPodToNode(std::shared_ptr<const PodInfo> pod);
  void RemovePodFromNode(const PodInfo& pod);

  std::map<std::string, std::unique_ptr<NodeInfo>> nodes_;
  std::unordered_map<std::string, PodState> pods_;  // by PodInfo::uid; never iterated
  std::map<std::string, int> image_num_nodes_;
  std::vector<NodeInfo*> node_list_;
  bool node_list_dirty_ = true;
  std::shared_ptr<const std::vector<std::string>> node_names_;  // null: rebuild
  int64_t pods_with_affinity_ = 0;
  int64_t pods_with_required_anti_affinity_ = 0;
};

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_NODE_INFO_H_
