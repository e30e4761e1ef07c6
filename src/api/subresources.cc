// Discovery shapes of subresources and the Scale view (kubesim/api/subresources.h).
#include "kubesim/api/subresources.h"

#include "kubesim/api/object_meta.h"
#include "kubesim/api/selectors.h"

namespace kubesim::api {

SubresourceDiscovery DescribeSubresource(const ResourceInfo& parent, const std::string& sub) {
  // As served by kube-apiserver 1.32 (`kubectl get --raw /api/v1` etc.).
  if (sub == "status") return {"", "", parent.kind, {"get", "patch", "update"}};
  if (sub == "scale") return {"autoscaling", "v1", "Scale", {"get", "patch", "update"}};
  if (sub == "eviction") return {"policy", "v1", "Eviction", {"create"}};
  if (sub == "binding") return {"", "", "Binding", {"create"}};
  if (sub == "log") return {"", "", "Pod", {"get"}};
  if (sub == "finalize") return {"", "", parent.kind, {"update"}};
  if (sub == "token") return {"authentication.k8s.io", "v1", "TokenRequest", {"create"}};
  if (sub == "ephemeralcontainers") return {"", "", parent.kind, {"get", "patch", "update"}};
  return {"", "", parent.kind, {"get"}};
}

Object ScaleOf(const Object& workload) {
  Object meta = Object::object();
  for (const char* f : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    const Object* v = Find(workload, (std::string("/metadata/") + f).c_str());
    if (v != nullptr) meta[f] = *v;
  }
  Object spec = Object::object();
  // ScaleSpec.Replicas is `json:"replicas,omitempty"`.
  int64_t replicas = GetInt(workload, "/spec/replicas");
  if (replicas != 0) spec["replicas"] = replicas;
  Object status = {{"replicas", GetInt(workload, "/status/replicas")}};
  const Object* selector = Find(workload, "/spec/selector");
  if (selector != nullptr) {
    auto parsed = LabelSelector::FromObject(*selector);
    if (parsed.ok() && !parsed->ToString().empty()) status["selector"] = parsed->ToString();
  }
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata", std::move(meta)},
          {"spec", std::move(spec)},
          {"status", std::move(status)}};
}

}  // namespace kubesim::api
