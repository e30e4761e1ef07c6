#include "resources.h"

#include <algorithm>

namespace kubesim::scheduler {
namespace {

using printers::Quantity;
using printers::QuantityFormat;

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// addResourceList in component-helpers/resource/helpers.go.
void AddList(ResourceList& into, const ResourceList& from) {
  for (const auto& [name, q] : from) {
    auto it = into.find(name);
    if (it == into.end()) {
      into.emplace(name, q);
    } else {
      it->second.Add(q);
    }
  }
}

// maxResourceList: into[name] = max(into[name], from[name]).
void MaxList(ResourceList& into, const ResourceList& from) {
  for (const auto& [name, q] : from) {
    auto it = into.find(name);
    if (it == into.end()) {
      into.emplace(name, q);
    } else if (q.Cmp(it->second) > 0) {
      it->second = q;
    }
  }
}

// applyNonMissing: a container's requests with the scheduler's defaults for
// cpu and memory where the container sets none.
ResourceList ApplyNonMissing(ResourceList reqs) {
  if (!reqs.contains("cpu")) {
    reqs.emplace("cpu",
                 Quantity::FromMilliValue(kDefaultMilliCpuRequest, QuantityFormat::kDecimalSI));
  }
  if (!reqs.contains("memory")) {
    reqs.emplace("memory", Quantity::FromValue(kDefaultMemoryRequest, QuantityFormat::kDecimalSI));
  }
  return reqs;
}

const api::Object* Member(const api::Object& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

ResourceList ContainerRequests(const api::Object& container) {
  const api::Object* resources = Member(container, "resources");
  return ParseResourceList(resources ? Member(*resources, "requests") : nullptr);
}

}  // namespace

ResourceList ParseResourceList(const api::Object* list) {
  ResourceList out;
  if (!list || !list->is_object()) return out;
  for (auto it = list->begin(); it != list->end(); ++it) {
    const api::Object& v = it.value();
    if (v.is_string()) {
      auto q = Quantity::Parse(v.get<std::string>());
      if (q.ok()) out.emplace(it.key(), *q);
    } else if (v.is_number_integer()) {
      out.emplace(it.key(), Quantity::FromValue(v.get<int64_t>(), QuantityFormat::kDecimalSI));
    } else if (v.is_number()) {
      auto q = Quantity::Parse(v.dump());
      if (q.ok()) out.emplace(it.key(), *q);
    }
  }
  return out;
}

void Resource::Add(const ResourceList& list) {
  for (const auto& [name, q] : list) {
    if (name == "cpu") {
      milli_cpu += q.MilliValue();
    } else if (name == "memory") {
      memory += q.Value();
    } else if (name == "pods") {
      allowed_pod_number += q.Value();
    } else if (name == "ephemeral-storage") {
      ephemeral_storage += q.Value();
    } else if (IsScalarResourceName(name)) {
      scalar[name] += q.Value();
    }
  }
}

void Resource::Add(const Resource& other) {
  milli_cpu += other.milli_cpu;
  memory += other.memory;
  ephemeral_storage += other.ephemeral_storage;
  allowed_pod_number += other.allowed_pod_number;
  for (const auto& [name, v] : other.scalar) scalar[name] += v;
}

void Resource::Sub(const Resource& other) {
  milli_cpu -= other.milli_cpu;
  memory -= other.memory;
  ephemeral_storage -= other.ephemeral_storage;
  allowed_pod_number -= other.allowed_pod_number;
  for (const auto& [name, v] : other.scalar) {
    int64_t& mine = scalar[name];
    mine -= v;
    if (mine == 0) scalar.erase(name);
  }
}

bool IsScalarResourceName(const std::string& name) {
  // v1helper.IsPrefixedNativeResource: contains "kubernetes.io/".
  const bool prefixed_native = name.find("kubernetes.io/") != std::string::npos;
  // v1helper.IsNativeResource: no '/' or prefixed native.
  const bool native = name.find('/') == std::string::npos || prefixed_native;
  // v1helper.IsExtendedResourceName (the qualified-name check after the
  // "requests." prefix is left to API validation).
  const bool extended = !native && !StartsWith(name, "requests.");
  return extended || StartsWith(name, "hugepages-") || prefixed_native ||
         StartsWith(name, "attachable-volumes-");
}

ResourceList PodRequests(const api::Object& pod, bool non_missing_defaults) {
  ResourceList reqs;
  const api::Object* spec = Member(pod, "spec");
  if (!spec) return reqs;
  if (const api::Object* containers = Member(*spec, "containers");
      containers && containers->is_array()) {
    for (const api::Object& c : *containers) {
      ResourceList r = ContainerRequests(c);
      if (non_missing_defaults) r = ApplyNonMissing(std::move(r));
      AddList(reqs, r);
    }
  }
  // Init containers run one at a time, but restartable ones (sidecars,
  // restartPolicy: Always) keep running next to everything after them.
  ResourceList restartable;
  ResourceList init_max;
  if (const api::Object* inits = Member(*spec, "initContainers"); inits && inits->is_array()) {
    for (const api::Object& c : *inits) {
      ResourceList r = ContainerRequests(c);
      if (non_missing_defaults) r = ApplyNonMissing(std::move(r));
      const api::Object* policy = Member(c, "restartPolicy");
      if (policy && policy->is_string() && policy->get<std::string>() == "Always") {
        AddList(reqs, r);
        AddList(restartable, r);
        r = restartable;
      } else {
        AddList(r, restartable);
      }
      MaxList(init_max, r);
    }
  }
  MaxList(reqs, init_max);
  if (const api::Object* overhead = Member(*spec, "overhead")) {
    AddList(reqs, ParseResourceList(overhead));
  }
  return reqs;
}

}  // namespace kubesim::scheduler
