// The workloads area's controllers ("replicaset-controller",
// "deployment-controller", "garbage-collector-controller") and their shared
// helpers (pkg/controller/controller_utils.go).
#include <cmath>

#include "base.h"
#include "kubesim/api/validation.h"

namespace kubesim::controller {
namespace workloads {

std::string Annotation(const api::Object& obj, const std::string& key) {
  const api::Object* a = api::Find(obj, "/metadata/annotations");
  if (!a || !a->is_object()) return "";
  auto it = a->find(key);
  return it != a->end() && it->is_string() ? it->get<std::string>() : "";
}

const api::Object* ControllerRef(const api::Object& obj) {
  const api::Object* refs = api::Find(obj, "/metadata/ownerReferences");
  if (!refs || !refs->is_array()) return nullptr;
  for (const auto& r : *refs) {
    if (r.is_object() && r.value("controller", false)) return &r;
  }
  return nullptr;
}

api::Object NewControllerRef(const api::Object& owner) {
  return {{"apiVersion", owner.value("apiVersion", "")},
          {"kind", owner.value("kind", "")},
          {"name", api::Name(owner)},
          {"uid", api::Uid(owner)},
          {"controller", true},
          {"blockOwnerDeletion", true}};
}

bool IsPodReady(const api::Object& pod) {
  const api::Object* conds = api::Find(pod, "/status/conditions");
  if (!conds || !conds->is_array()) return false;
  for (const auto& c : *conds) {
    if (api::GetString(c, "/type") == "Ready") return api::GetString(c, "/status") == "True";
  }
  return false;
}

bool IsPodActive(const api::Object& pod) {
  const std::string phase = api::GetString(pod, "/status/phase");
  return phase != "Succeeded" && phase != "Failed" &&
         api::Find(pod, "/metadata/deletionTimestamp") == nullptr;
}

int64_t ScaledValue(const api::Object& obj, const char* json_pointer, int64_t total,
                    bool round_up) {
  const api::Object* v = api::Find(obj, json_pointer);
  if (!v) return 0;
  if (v->is_number_integer()) return v->get<int64_t>();
  if (!v->is_string()) return 0;
  std::string s = v->get<std::string>();
  if (s.empty()) return 0;
  if (s.back() != '%') {
    try {
      return std::stoll(s);
    } catch (...) {
      return 0;
    }
  }
  int64_t pct = 0;
  try {
    pct = std::stoll(s.substr(0, s.size() - 1));
  } catch (...) {
    return 0;
  }
  double value = static_cast<double>(pct) * static_cast<double>(total) / 100.0;
  return round_up ? static_cast<int64_t>(std::ceil(value))
                  : static_cast<int64_t>(std::floor(value));
}

// Upstream hashes spew's %#v dump of the Go struct (hashutil.DeepHashObject),
// whose bytes depend on Go's type layout and cannot be reproduced from JSON.
// kubesim hashes the template's canonical JSON (keys sorted) instead, with
// the same FNV-32a, collisionCount bytes and SafeEncodeString, so names have
// the real shape (e.g. web-5d6cfd9db8) but not the real values.
std::string ComputeHash(const api::Object& pod_template, int64_t collision_count) {
  std::string bytes = pod_template.dump();
  uint32_t h = 2166136261u;
  auto write = [&](const char* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(p[i]);
      h *= 16777619u;
    }
  };
  write(bytes.data(), bytes.size());
  if (collision_count > 0) {
    unsigned char cc[8] = {0};
    uint32_t c = static_cast<uint32_t>(collision_count);
    for (int i = 0; i < 4; ++i) cc[i] = static_cast<unsigned char>(c >> (8 * i));
    write(reinterpret_cast<const char*>(cc), 8);
  }
  std::string digits = std::to_string(h);
  static const std::string alphabet = api::kNameSuffixAlphabet;
  std::string out;
  for (char d : digits) out.push_back(alphabet[static_cast<unsigned char>(d) % alphabet.size()]);
  return out;
}

}  // namespace workloads

std::vector<std::unique_ptr<Controller>> WorkloadControllers(const ControllerContext& ctx) {
  std::vector<std::unique_ptr<Controller>> out;
  out.push_back(workloads::NewDeploymentController(ctx));
  out.push_back(workloads::NewReplicaSetController(ctx));
  out.push_back(workloads::NewDaemonSetController(ctx));
  out.push_back(workloads::NewGarbageCollector(ctx));
  return out;
}

}  // namespace kubesim::controller
