#include "node_info.h"

#include <algorithm>

#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler {

std::string PodKey(const api::Object& pod) {
  std::string uid = api::Uid(pod);
  return uid.empty() ? api::Namespace(pod) + "/" + api::Name(pod) : uid;
}

bool IsTerminalPhase(const std::string& phase) { return phase == "Succeeded" || phase == "Failed"; }

namespace {

// imagelocality.normalizedImageName: a name without a tag gets ":latest"
// (digests are left alone as they contain no ':' after the last '/').
std::string NormalizedImageName(std::string name) {
  const size_t colon = name.rfind(':');
  const size_t slash = name.rfind('/');
  const bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (!has_tag) name += ":latest";
  return name;
}

// framework.newAffinityTerm (types.go): namespaces default to the pod's own
// when neither namespaces nor namespaceSelector is given.
AffinityTerm ParseAffinityTerm(const std::string& pod_ns, const api::Object& term, int32_t weight,
                               bool* ns_selector_ignored) {
  AffinityTerm t;
  t.weight = weight;
  t.topology_key = api::GetString(term, "/topologyKey");
  if (const api::Object* sel = api::Find(term, "/labelSelector"); sel && !sel->is_null()) {
    auto parsed = api::LabelSelector::FromObject(*sel);
    if (parsed.ok()) t.selector = *parsed;
  }
  const api::Object* nss = api::Find(term, "/namespaces");
  if (nss && nss->is_array()) {
    for (const api::Object& n : *nss) {
      if (n.is_string()) t.namespaces.insert(n.get<std::string>());
    }
  }
  const api::Object* ns_sel = api::Find(term, "/namespaceSelector");
  const bool has_ns_sel = ns_sel && ns_sel->is_object();
  if (t.namespaces.empty() && !has_ns_sel) t.namespaces.insert(pod_ns);
  if (has_ns_sel) {
    auto parsed = api::LabelSelector::FromObject(*ns_sel);
    if (parsed.ok() && parsed->Empty()) {
      t.all_namespaces = true;  // {} selects every namespace
    } else if (parsed.ok()) {
      // Resolved against the namespaces' labels by InterPodAffinity.
      t.namespace_selector = *parsed;
      t.has_namespace_selector = true;
      *ns_selector_ignored = true;
    }
  }
  return t;
}

void ParseTerms(const std::string& pod_ns, const api::Object* terms, bool weighted,
                std::vector<AffinityTerm>* out, bool* ns_selector_ignored) {
  if (!terms || !terms->is_array()) return;
  for (const api::Object& t : *terms) {
    if (weighted) {
      const api::Object* inner = api::Find(t, "/podAffinityTerm");
      if (!inner) continue;
      out->push_back(ParseAffinityTerm(
          pod_ns, *inner, static_cast<int32_t>(api::GetInt(t, "/weight")), ns_selector_ignored));
    } else {
      out->push_back(ParseAffinityTerm(pod_ns, t, 0, ns_selector_ignored));
    }
  }
}

}  // namespace

bool AffinityTerm::Matches(const std::string& pod_ns, const Labels& pod_labels,
                           const Labels* ns_labels) const {
  if (!all_namespaces && !namespaces.contains(pod_ns) &&
      !(has_namespace_selector && ns_labels && namespace_selector.Matches(*ns_labels))) {
    return false;
  }
  return selector.Matches(pod_labels);
}

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
  ResourceList requests, non0;
  PodRequestsBoth(p, &requests, &non0);
  info->requests.Add(requests);
  if (auto it = non0.find("cpu"); it != non0.end()) info->non0_milli_cpu = it->second.MilliValue();
  if (auto it = non0.find("memory"); it != non0.end()) info->non0_memory = it->second.Value();
  // Host ports: containers only, as nodeports.getContainerPorts and
  // NodeInfo.updateUsedPorts in 1.32.
  if (const api::Object* cs = api::Find(p, "/spec/containers"); cs && cs->is_array()) {
    for (const api::Object& c : *cs) {
      const api::Object* ports = api::Find(c, "/ports");
      if (!ports || !ports->is_array()) continue;
      for (const api::Object& port : *ports) {
        const int64_t host_port = api::GetInt(port, "/hostPort");
        if (host_port <= 0) continue;
        HostPort hp;
        hp.port = static_cast<int32_t>(host_port);
        hp.protocol = api::GetString(port, "/protocol");
        if (hp.protocol.empty()) hp.protocol = "TCP";
        hp.host_ip = api::GetString(port, "/hostIP");
        if (hp.host_ip.empty()) hp.host_ip = "0.0.0.0";
        info->host_ports.push_back(std::move(hp));
      }
    }
  }
  for (const char* list : {"/spec/initContainers", "/spec/containers"}) {
    if (const api::Object* cs = api::Find(p, list); cs && cs->is_array()) {
      for (const api::Object& c : *cs) {
        info->images.push_back(NormalizedImageName(api::GetString(c, "/image")));
      }
    }
  }
  // Most pods have no spec.affinity: one lookup instead of four long paths.
  if (const api::Object* affinity = api::Find(p, "/spec/affinity")) {
    const api::Object& a = *affinity;
    ParseTerms(info->ns,
               api::Find(a, "/podAffinity/requiredDuringSchedulingIgnoredDuringExecution"), false,
               &info->required_affinity, &info->has_namespace_selectors);
    ParseTerms(info->ns,
               api::Find(a, "/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution"),
               false, &info->required_anti_affinity, &info->has_namespace_selectors);
    ParseTerms(info->ns,
               api::Find(a, "/podAffinity/preferredDuringSchedulingIgnoredDuringExecution"), true,
               &info->preferred_affinity, &info->has_namespace_selectors);
    ParseTerms(info->ns,
               api::Find(a, "/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution"),
               true, &info->preferred_anti_affinity, &info->has_namespace_selectors);
  }
  if (const api::Object* owners = api::Find(p, "/metadata/ownerReferences");
      owners && owners->is_array()) {
    for (const api::Object& o : *owners) {
      const api::Object* controller = api::Find(o, "/controller");
      if (controller && controller->is_boolean() && controller->get<bool>()) {
        info->owner_kind = api::GetString(o, "/kind");
        info->owner_name = api::GetString(o, "/name");
        info->owner_api_version = api::GetString(o, "/apiVersion");
        break;
      }
    }
  }
  info->pod = std::move(pod);
  return info;
}

namespace {

const api::Object* Field(const api::Object& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

// Both absent, or both present and equal.
bool SameField(const api::Object& a, const api::Object& b, const char* key) {
  const api::Object* x = Field(a, key);
  const api::Object* y = Field(b, key);
  if (!x || !y) return x == y;
  return *x == *y;
}

// Two pod specs equal but for nodeName (both objects: keys in order).
bool SameSpecButNodeName(const api::Object* a, const api::Object* b) {
  if (!a || !b) return a == b;
  if (!a->is_object() || !b->is_object()) return *a == *b;
  auto x = a->begin(), y = b->begin();
  while (true) {
    if (x != a->end() && x.key() == "nodeName") ++x;
    if (y != b->end() && y.key() == "nodeName") ++y;
    if (x == a->end() || y == b->end()) return x == a->end() && y == b->end();
    if (x.key() != y.key() || x.value() != y.value()) return false;
    ++x;
    ++y;
  }
}

// Everything NewPodInfo reads, but spec.nodeName, is the same in `a` and
// `b`: metadata namespace, name, uid, deletionTimestamp, labels and
// ownerReferences; the spec; status.phase.
bool SamePodInfoInputs(const api::Object& a, const api::Object& b) {
  const api::Object* ma = Field(a, "metadata");
  const api::Object* mb = Field(b, "metadata");
  if (!ma || !mb) {
    if (ma != mb) return false;
  } else {
    for (const char* key :
         {"uid", "name", "namespace", "deletionTimestamp", "labels", "ownerReferences"}) {
      if (!SameField(*ma, *mb, key)) return false;
    }
  }
  if (!SameSpecButNodeName(Field(a, "spec"), Field(b, "spec"))) return false;
  return api::GetString(a, "/status/phase") == api::GetString(b, "/status/phase");
}

}  // namespace

std::shared_ptr<const PodInfo> RefreshPodInfo(const PodInfo& prev, api::ObjectPtr pod) {
  if (!prev.pod || !SamePodInfoInputs(*prev.pod, *pod)) return NewPodInfo(std::move(pod));
  auto info = std::make_shared<PodInfo>(prev);
  info->node_name = api::GetString(*pod, "/spec/nodeName");
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
  images_.clear();
  if (const api::Object* images = api::Find(*node, "/status/images");
      images && images->is_array()) {
    for (const api::Object& image : *images) {
      const int64_t size = api::GetInt(image, "/sizeBytes");
      if (const api::Object* names = api::Find(image, "/names"); names && names->is_array()) {
        for (const api::Object& n : *names) {
          if (n.is_string()) images_.emplace(n.get<std::string>(), size);
        }
      }
    }
  }
  node_ = std::move(node);
  ++generation_;
}

void NodeInfo::RemoveNode() {
  node_ = nullptr;
  labels_.clear();
  taints_.clear();
  unschedulable_ = false;
  allocatable_ = Resource();
  images_.clear();
  ++generation_;
}

void NodeInfo::AddPod(std::shared_ptr<const PodInfo> pod) {
  requested_.Add(pod->requests);
  non_zero_requested_.milli_cpu += pod->non0_milli_cpu;
  non_zero_requested_.memory += pod->non0_memory;
  used_ports_.insert(used_ports_.end(), pod->host_ports.begin(), pod->host_ports.end());
  if (pod->HasAffinity()) ++pods_with_affinity_;
  if (!pod->required_anti_affinity.empty()) ++pods_with_required_anti_affinity_;
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
  for (const HostPort& hp : (*it)->host_ports) {
    auto used = std::find(used_ports_.begin(), used_ports_.end(), hp);
    if (used != used_ports_.end()) used_ports_.erase(used);
  }
  if ((*it)->HasAffinity()) --pods_with_affinity_;
  if (!(*it)->required_anti_affinity.empty()) --pods_with_required_anti_affinity_;
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
  // cache.go removeNodeImageStates / addNodeImageStates.
  for (const auto& [image, size] : info.images()) {
    if (--image_num_nodes_[image] <= 0) image_num_nodes_.erase(image);
  }
  info.SetNode(std::move(node));
  for (const auto& [image, size] : info.images()) ++image_num_nodes_[image];
}

int Cache::ImageNumNodes(const std::string& image) const {
  auto it = image_num_nodes_.find(image);
  return it == image_num_nodes_.end() ? 0 : it->second;
}

void Cache::RemoveNode(const std::string& name) {
  auto it = nodes_.find(name);
  if (it == nodes_.end()) return;
  node_list_dirty_ = true;
  for (const auto& [image, size] : it->second->images()) {
    if (--image_num_nodes_[image] <= 0) image_num_nodes_.erase(image);
  }
  // A node whose pods are still known stays as a ghost (no Node object) so
  // their requests are counted if it comes back (cache.go RemoveNode).
  if (it->second->pods().empty()) {
    nodes_.erase(it);
  } else {
    it->second->RemoveNode();
  }
}

void Cache::AddPodToNode(std::shared_ptr<const PodInfo> pod) {
  if (pod->HasAffinity()) ++pods_with_affinity_;
  if (!pod->required_anti_affinity.empty()) ++pods_with_required_anti_affinity_;
  NodeFor(pod->node_name).AddPod(std::move(pod));
}

void Cache::RemovePodFromNode(const PodInfo& pod) {
  auto it = nodes_.find(pod.node_name);
  if (it == nodes_.end()) return;
  // The node holds this very PodInfo (or one with the same uid and terms).
  if (it->second->RemovePod(pod.uid)) {
    if (pod.HasAffinity()) --pods_with_affinity_;
    if (!pod.required_anti_affinity.empty()) --pods_with_required_anti_affinity_;
  }
  if (!it->second->node() && it->second->pods().empty()) {
    nodes_.erase(it);
    node_list_dirty_ = true;
  }
}

void Cache::AddPod(api::ObjectPtr pod) {
  // A pod the cache already holds (assumed, or an update) is refreshed from
  // its previous PodInfo rather than parsed again.
  auto it = pods_.find(PodKey(*pod));
  std::shared_ptr<const PodInfo> info = it != pods_.end()
                                            ? RefreshPodInfo(*it->second.pod, std::move(pod))
                                            : NewPodInfo(std::move(pod));
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
      info->list_index_ = -1;
      if (!info->node()) continue;
      info->list_index_ = static_cast<int>(node_list_.size());
      node_list_.push_back(info.get());
    }
    node_list_dirty_ = false;
    node_names_.reset();
  }
  return node_list_;
}

const std::shared_ptr<const std::vector<std::string>>& Cache::NodeNames() {
  const std::vector<NodeInfo*>& list = NodeList();
  if (!node_names_) {
    auto names = std::make_shared<std::vector<std::string>>();
    names->reserve(list.size());
    for (const NodeInfo* n : list) names->push_back(n->name());
    node_names_ = std::move(names);
  }
  return node_names_;
}

NodeInfo* Cache::GetNode(const std::string& name) {
  auto it = nodes_.find(name);
  return it == nodes_.end() || !it->second->node() ? nullptr : it->second.get();
}

}  // namespace kubesim::scheduler
