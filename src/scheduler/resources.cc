#include "resources.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

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

namespace {

// One PodRequests sum, fed container by container (so that both flavours
// can share one walk over the pod and one parse of each container's
// requests).
class RequestsSum {
 public:
  explicit RequestsSum(bool non_missing_defaults) : non_missing_(non_missing_defaults) {}

  void AddContainer(ResourceList r) {
    if (non_missing_) r = ApplyNonMissing(std::move(r));
    AddList(reqs_, r);
  }
  // Init containers run one at a time, but restartable ones (sidecars,
  // restartPolicy: Always) keep running next to everything after them.
  void AddInitContainer(ResourceList r, bool restartable) {
    if (non_missing_) r = ApplyNonMissing(std::move(r));
    if (restartable) {
      AddList(reqs_, r);
      AddList(restartable_, r);
      r = restartable_;
    } else {
      AddList(r, restartable_);
    }
    MaxList(init_max_, r);
  }
  ResourceList Finish(const ResourceList* overhead) {
    MaxList(reqs_, init_max_);
    if (overhead) AddList(reqs_, *overhead);
    return std::move(reqs_);
  }

 private:
  bool non_missing_;
  ResourceList reqs_, restartable_, init_max_;
};

// Feeds `sums` with the pod's containers; false without a spec.
bool SumPodRequests(const api::Object& pod, std::initializer_list<RequestsSum*> sums,
                    std::optional<ResourceList>* overhead) {
  const api::Object* spec = Member(pod, "spec");
  if (!spec) return false;
  if (const api::Object* containers = Member(*spec, "containers");
      containers && containers->is_array()) {
    for (const api::Object& c : *containers) {
      const ResourceList r = ContainerRequests(c);
      for (RequestsSum* sum : sums) sum->AddContainer(r);
    }
  }
  if (const api::Object* inits = Member(*spec, "initContainers"); inits && inits->is_array()) {
    for (const api::Object& c : *inits) {
      const ResourceList r = ContainerRequests(c);
      const api::Object* policy = Member(c, "restartPolicy");
      const bool restartable =
          policy && policy->is_string() && policy->get<std::string>() == "Always";
      for (RequestsSum* sum : sums) sum->AddInitContainer(r, restartable);
    }
  }
  if (const api::Object* o = Member(*spec, "overhead")) overhead->emplace(ParseResourceList(o));
  return true;
}

}  // namespace

ResourceList PodRequests(const api::Object& pod, bool non_missing_defaults) {
  RequestsSum sum(non_missing_defaults);
  std::optional<ResourceList> overhead;
  if (!SumPodRequests(pod, {&sum}, &overhead)) return ResourceList();
  return sum.Finish(overhead ? &*overhead : nullptr);
}

void PodRequestsBoth(const api::Object& pod, ResourceList* requests,
                     ResourceList* non_missing_requests) {
  RequestsSum plain(false), non0(true);
  std::optional<ResourceList> overhead;
  if (!SumPodRequests(pod, {&plain, &non0}, &overhead)) {
    *requests = ResourceList();
    *non_missing_requests = ResourceList();
    return;
  }
  *requests = plain.Finish(overhead ? &*overhead : nullptr);
  *non_missing_requests = non0.Finish(overhead ? &*overhead : nullptr);
}

}  // namespace kubesim::scheduler
