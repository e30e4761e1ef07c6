#include "nominator.h"

#include <algorithm>

#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler::preemption {

void Nominator::Add(std::shared_ptr<const PodInfo> pod, const std::optional<std::string>& node) {
  // Always delete first, so a pod is never stored twice.
  Delete(pod->uid);
  std::string node_name = node ? *node : api::GetString(*pod->pod, "/status/nominatedNodeName");
  if (node_name.empty()) return;
  if (!pod->node_name.empty()) return;  // already scheduled
  node_of_[pod->uid] = node_name;
  by_node_[node_name].push_back(std::move(pod));
}

void Nominator::Update(const api::Object& old_pod, std::shared_ptr<const PodInfo> new_pod) {
  std::optional<std::string> keep;
  if (api::GetString(old_pod, "/status/nominatedNodeName").empty() &&
      api::GetString(*new_pod->pod, "/status/nominatedNodeName").empty()) {
    if (auto it = node_of_.find(PodKey(old_pod)); it != node_of_.end()) keep = it->second;
  }
  Delete(PodKey(old_pod));
  Add(std::move(new_pod), keep);
}

void Nominator::Delete(const std::string& uid) {
  auto it = node_of_.find(uid);
  if (it == node_of_.end()) return;
  auto& pods = by_node_[it->second];
  pods.erase(std::remove_if(pods.begin(), pods.end(),
                            [&](const std::shared_ptr<const PodInfo>& p) { return p->uid == uid; }),
             pods.end());
  if (pods.empty()) by_node_.erase(it->second);
  node_of_.erase(it);
}

std::vector<std::shared_ptr<const PodInfo>> Nominator::PodsForNode(const std::string& node) const {
  auto it = by_node_.find(node);
  return it == by_node_.end() ? std::vector<std::shared_ptr<const PodInfo>>() : it->second;
}

const std::vector<std::shared_ptr<const PodInfo>>* Nominator::FindPodsForNode(
    const std::string& node) const {
  auto it = by_node_.find(node);
  return it == by_node_.end() || it->second.empty() ? nullptr : &it->second;
}

}  // namespace kubesim::scheduler::preemption
