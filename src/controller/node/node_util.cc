#include "node_util.h"

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::controller::node {

using api::Object;

const Object* GetCondition(const Object& obj, const std::string& type) {
  const Object* conditions = api::Find(obj, "/status/conditions");
  if (!conditions || !conditions->is_array()) return nullptr;
  for (const Object& c : *conditions) {
    if (api::GetString(c, "/type") == type) return &c;
  }
  return nullptr;
}

Object* GetMutableCondition(Object& obj, const std::string& type) {
  if (!obj.contains("status") || !obj["status"].contains("conditions")) return nullptr;
  Object& conditions = obj["status"]["conditions"];
  if (!conditions.is_array()) return nullptr;
  for (Object& c : conditions) {
    if (api::GetString(c, "/type") == type) return &c;
  }
  return nullptr;
}

bool TaintExists(const Object* taints, const std::string& key, const std::string& effect) {
  if (!taints || !taints->is_array()) return false;
  for (const Object& t : *taints) {
    if (api::GetString(t, "/key") == key && api::GetString(t, "/effect") == effect) return true;
  }
  return false;
}

std::vector<Object> NoExecuteTaints(const Object& node) {
  std::vector<Object> out;
  const Object* taints = api::Find(node, "/spec/taints");
  if (!taints || !taints->is_array()) return out;
  for (const Object& t : *taints) {
    if (api::GetString(t, "/effect") == "NoExecute") out.push_back(t);
  }
  return out;
}

bool ToleratesTaint(const Object& toleration, const Object& taint) {
  // k8s.io/api/core/v1/toleration.go ToleratesTaint.
  const std::string effect = api::GetString(toleration, "/effect");
  if (!effect.empty() && effect != api::GetString(taint, "/effect")) return false;
  const std::string key = api::GetString(toleration, "/key");
  if (!key.empty() && key != api::GetString(taint, "/key")) return false;
  const std::string op = api::GetString(toleration, "/operator");
  if (op.empty() || op == "Equal") {
    return api::GetString(toleration, "/value") == api::GetString(taint, "/value");
  }
  return op == "Exists";
}

bool GetMatchingTolerations(const std::vector<Object>& taints, const Object* tolerations,
                            std::vector<Object>* used) {
  used->clear();
  if (taints.empty()) return true;
  if (!tolerations || !tolerations->is_array() || tolerations->empty()) return false;
  for (const Object& taint : taints) {
    bool tolerated = false;
    for (const Object& t : *tolerations) {
      if (ToleratesTaint(t, taint)) {
        used->push_back(t);
        tolerated = true;
        break;
      }
    }
    if (!tolerated) {
      used->clear();
      return false;
    }
  }
  return true;
}

std::string GetZoneKey(const Object& node) {
  auto label = [&](const char* stable, const char* beta) {
    const Object* labels = api::Find(node, "/metadata/labels");
    if (!labels || !labels->is_object()) return std::string();
    for (const char* k : {stable, beta}) {
      auto it = labels->find(k);
      if (it != labels->end() && it->is_string() && !it->get<std::string>().empty()) {
        return it->get<std::string>();
      }
    }
    return std::string();
  };
  const std::string zone =
      label("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone");
  const std::string region =
      label("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region");
  if (zone.empty() && region.empty()) return "";
  // Nul separated: "region:\x00:zone", as upstream.
  return region + ":" + std::string(1, '\0') + ":" + zone;
}

bool UpdatePodCondition(Object& status, Object condition, Time now) {
  // pkg/api/v1/pod/util.go UpdatePodCondition.
  const std::string now_text = FormatRfc3339(now);
  if (!status.is_object()) status = Object::object();
  if (!status.contains("conditions") || !status["conditions"].is_array()) {
    status["conditions"] = Object::array();
  }
  Object& conditions = status["conditions"];
  const std::string type = api::GetString(condition, "/type");
  for (Object& c : conditions) {
    if (api::GetString(c, "/type") != type) continue;
    const bool status_changed =
        api::GetString(c, "/status") != api::GetString(condition, "/status");
    if (status_changed || !c.contains("lastTransitionTime")) {
      condition["lastTransitionTime"] = now_text;
    } else {
      condition["lastTransitionTime"] = c["lastTransitionTime"];
    }
    if (c.contains("lastProbeTime") && !condition.contains("lastProbeTime")) {
      condition["lastProbeTime"] = c["lastProbeTime"];
    }
    const bool same = !status_changed &&
                      api::GetString(c, "/reason") == api::GetString(condition, "/reason") &&
                      api::GetString(c, "/message") == api::GetString(condition, "/message") &&
                      c.value("lastTransitionTime", Object()) == condition["lastTransitionTime"];
    c = std::move(condition);
    return !same;
  }
  condition["lastTransitionTime"] = now_text;
  conditions.push_back(std::move(condition));
  return true;
}

namespace {

// AddOrUpdateTaint + RemoveTaint on a node copy; whether it changed.
bool ApplyTaints(Object& node, const std::vector<Object>& add, const std::vector<Object>& remove,
                 Time now) {
  if (!node.contains("spec") || !node["spec"].is_object()) node["spec"] = Object::object();
  Object& spec = node["spec"];
  Object taints =
      spec.contains("taints") && spec["taints"].is_array() ? spec["taints"] : Object::array();
  bool changed = false;
  for (const Object& r : remove) {
    Object kept = Object::array();
    for (const Object& t : taints) {
      if (api::GetString(t, "/key") == api::GetString(r, "/key") &&
          api::GetString(t, "/effect") == api::GetString(r, "/effect")) {
        changed = true;
        continue;
      }
      kept.push_back(t);
    }
    taints = std::move(kept);
  }
  for (Object a : add) {
    if (TaintExists(&taints, api::GetString(a, "/key"), api::GetString(a, "/effect"))) continue;
    a["timeAdded"] = FormatRfc3339(now);
    taints.push_back(std::move(a));
    changed = true;
  }
  if (taints.empty()) {
    spec.erase("taints");
  } else {
    spec["taints"] = std::move(taints);
  }
  return changed;
}

}  // namespace

bool SwapNodeControllerTaint(client::Client* client, const Object& node,
                             const std::vector<Object>& add, const std::vector<Object>& remove,
                             Time now) {
  // pkg/controller/controller_utils.go AddOrUpdateTaintOnNode / RemoveTaintOffNode:
  // the first try uses the cached node, retries re-read it (retry on conflict).
  Object current = node;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (attempt > 0) {
      StatusOr<Object> fresh = client->Get(api::kNodes, "", api::Name(node));
      if (!fresh.ok()) return false;
      current = std::move(fresh).value();
    }
    Object updated = current;
    if (!ApplyTaints(updated, add, remove, now)) return true;
    StatusOr<Object> result = client->Update(api::kNodes, std::move(updated));
    if (result.ok()) return true;
    if (result.status().code() != StatusCode::kConflict) return false;
  }
  return false;
}

}  // namespace kubesim::controller::node
