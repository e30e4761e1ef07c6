#include "node_info.h"

#include <algorithm>

#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler {

std::string PodKey(const api::Object& pod) {
  std::string uid = api::Uid(pod);
  return uid.empty() ? api::Namespace(pod) + "/" + api::Name(pod) : uid;
}

bool IsTerminalPhase(const std::string& phase) { return phase == "Succeeded" || phase == "Failed"; }

std::shared_ptr<const PodInfo> NewPodInfo(api::ObjectPtr pod) {
  auto info = std::make_shared<PodInfo>();
  const api::Object& p = *pod;
  info->ns = api::Namespace(p);
  info->name = api::Name(p);
  info->uid = PodKey(p);
  info->node_name = api::GetString(p, "/spec/nodeName");
  info->scheduler_name = api::GetString(p, "/spec/schedulerName");
  info->phase = api::GetString(p, "/status/phase");
  info->deleting = api::Find(p, "/metadata/deletionTimestamp") != nullptr &&
                   !api::Find(p, "/metadata/deletionTimestamp")->is_null();
  info->priority = static_cast<int32_t>(api::GetInt(p, "/spec/priority"));
  info->preemption_policy = api::GetString(p, "/spec/preemptionPolicy");
  info->labels = api::Labels(p);
  info->tolerations = ParseTolerations(api::Find(p, "/spec/tolerations"));
  info->requests.Add(PodRequests(p, /*non_missing_defaults=*/false));
  ResourceList non0 = PodRequests(p, /*non_missing_defaults=*/true);
  if (auto it = non0.find("cpu"); it != non0.end()) info->non0_milli_cpu = it->second.MilliValue();
  if (auto it = non0.find("memory"); it != non0.end()) info->non0_memory = it->second.Value();
  info->pod = std::move(pod);
  return info;
}

void NodeInfo::SetNode(api::ObjectPtr node) {
  labels_ = api::Labels(*node);
  taints_ = ParseTaints(api::Find(*node, "/spec/taints"));
  const api::Object* unsched = api::Find(*node, "/spec/unschedulable");
  unschedulable_ = unsched && unsched->is_boolean() && unsched->get<bool>();
  allocatable_ = Resource();
  allocatable_.Add(ParseResourceList(api::Find(*node, "/status/allocatable")));
  node_ = std::move(node);
  ++generation_;
}

void NodeInfo::RemoveNode() {
  node_ = nullptr;
  labels_.clear();
  taints_.clear();
  unschedulable_ = false;
  allocatable_ = Resource();
  ++generation_;
}

void NodeInfo::AddPod(std::shared_ptr<const PodInfo> pod) {
  requested_.Add(pod->requests);
  non_zero_requested_.milli_cpu += pod->non0_milli_cpu;
  non_zero_requested_.memory += pod->non0_memory;
  pods_.push_back(std::move(pod));
  ++generation_;
}

bool NodeInfo::RemovePod(const std::string& uid) {
  auto it = std::find_if(pods_.begin(), pods_.end(),
                         [&](const std::shared_ptr<const PodInfo>& p) { return p->uid == uid; });
  if (it == pods_.end()) return false;
  requested_.Sub((*it)->requests);
  non_zero_requested_.milli_cpu -= (*it)->non0_milli_cpu;
  non_zero_requested_.memory -= (*it)->non0_memory;
  pods_.erase(it);
  ++generation_;
  return true;
}

NodeInfo& Cache::NodeFor(const std::string& name) {
  auto& slot = nodes_[name];
  if (!slot) slot = std::make_unique<NodeInfo>(name);
  return *slot;
}

void Cache::AddNode(api::ObjectPtr node) {
  NodeInfo& info = NodeFor(api::Name(*node));
  if (!info.node()) node_list_dirty_ = true;
  info.SetNode(std::move(node));
}

void Cache::RemoveNode(const std::string& name) {
  auto it = nodes_.find(name);
  if (it == nodes_.end()) return;
  node_list_dirty_ = true;
  // A node whose pods are still known stays as a ghost (no Node object) so
  // their requests are counted if it comes back (cache.go RemoveNode).
  if (it->second->pods().empty()) {
    nodes_.erase(it);
  } else {
    it->second->RemoveNode();
  }
}

void Cache::AddPodToNode(std::shared_ptr<const PodInfo> pod) {
  NodeFor(pod->node_name).AddPod(std::move(pod));
}

void Cache::RemovePodFromNode(const PodInfo& pod) {
  auto it = nodes_.find(pod.node_name);
  if (it == nodes_.end()) return;
  it->second->RemovePod(pod.uid);
  if (!it->second->node() && it->second->pods().empty()) {
    nodes_.erase(it);
    node_list_dirty_ = true;
  }
}

void Cache::AddPod(api::ObjectPtr pod) {
  std::shared_ptr<const PodInfo> info = NewPodInfo(std::move(pod));
  auto it = pods_.find(info->uid);
  if (it != pods_.end()) {
    // An assumed pod confirmed (possibly on another node than assumed), or
    // a duplicate add: replace what we had.
    RemovePodFromNode(*it->second.pod);
    it->second = PodState{info, false};
  } else {
    pods_.emplace(info->uid, PodState{info, false});
  }
  AddPodToNode(std::move(info));
}

void Cache::UpdatePod(api::ObjectPtr pod) { AddPod(std::move(pod)); }

void Cache::RemovePod(const api::Object& pod) {
  auto it = pods_.find(PodKey(pod));
  if (it == pods_.end()) return;
  RemovePodFromNode(*it->second.pod);
  pods_.erase(it);
}

Status Cache::AssumePod(std::shared_ptr<const PodInfo> pod) {
  if (pods_.contains(pod->uid)) {
    return Status::Conflict("pod " + pod->ns + "/" + pod->name +
                            " is in the cache, so can't be assumed");
  }
  pods_.emplace(pod->uid, PodState{pod, true});
  AddPodToNode(std::move(pod));
  return Status::Ok();
}

void Cache::ForgetPod(const std::string& uid) {
  auto it = pods_.find(uid);
  if (it == pods_.end() || !it->second.assumed) return;
  RemovePodFromNode(*it->second.pod);
  pods_.erase(it);
}

bool Cache::IsAssumedPod(const std::string& uid) const {
  auto it = pods_.find(uid);
  return it != pods_.end() && it->second.assumed;
}

const std::vector<NodeInfo*>& Cache::NodeList() {
  if (node_list_dirty_) {
    node_list_.clear();
    for (const auto& [name, info] : nodes_) {
      if (info->node()) node_list_.push_back(info.get());
    }
    node_list_dirty_ = false;
  }
  return node_list_;
}

NodeInfo* Cache::GetNode(const std::string& name) {
  auto it = nodes_.find(name);
  return it == nodes_.end() || !it->second->node() ? nullptr : it->second.get();
}

}  // namespace kubesim::scheduler
