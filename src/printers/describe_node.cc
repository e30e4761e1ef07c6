// describeNode and its helpers, ported from k8s.io/kubectl/pkg/describe/
// describe.go (release-1.32) and k8s.io/kubectl/pkg/util/resource
// (PodRequestsAndLimits).
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "describe_internal.h"
#include "kubesim/printers/describe.h"

namespace kubesim::printers {

using namespace describe_internal;

namespace {

using ResourceList = std::map<std::string, Quantity>;

ResourceList ToResourceList(const Json& list) {
  ResourceList out;
  if (!list.is_object()) return out;
  for (const auto& [name, q] : list.items()) out[name] = ParseQuantityOrZero(q);
  return out;
}

// addResourceList.
void AddResourceList(ResourceList& list, const ResourceList& add) {
  for (const auto& [name, q] : add) {
    auto it = list.find(name);
    if (it == list.end()) {
      list[name] = q;
    } else {
      it->second.Add(q);
    }
  }
}

// maxResourceList.
void MaxResourceList(ResourceList& list, const ResourceList& other) {
  for (const auto& [name, q] : other) {
    auto it = list.find(name);
    if (it == list.end()) {
      list[name] = q;
    } else if (q.Cmp(it->second) > 0) {
      it->second = q;
    }
  }
}

// resourcehelper's max(a, b).
ResourceList MaxOf(const ResourceList& a, const ResourceList& b) {
  ResourceList result;
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it != b.end() && value.Cmp(it->second) <= 0) {
      result[key] = it->second;
      continue;
    }
    result[key] = value;
  }
  for (const auto& [key, value] : b) {
    if (!result.count(key)) result[key] = value;
  }
  return result;
}

bool IsRestartableInit(const Json& c) { return Str(c, "restartPolicy") == "Always"; }

// podRequests.
ResourceList PodRequests(const Json& pod) {
  const Json& spec = Obj(pod, "spec");
  const Json& status = Obj(pod, "status");
  ResourceList reqs;
  std::map<std::string, const Json*> statuses;
  for (const Json& cs : Arr(status, "containerStatuses")) statuses[Str(cs, "name")] = &cs;
  for (const Json& c : Arr(spec, "containers")) {
    ResourceList container_reqs = ToResourceList(Obj(Obj(c, "resources"), "requests"));
    auto it = statuses.find(Str(c, "name"));
    if (it != statuses.end()) {
      ResourceList allocated = ToResourceList(Obj(*it->second, "allocatedResources"));
      if (Str(status, "resize") == "Infeasible") {
        container_reqs = allocated;
      } else {
        container_reqs = MaxOf(container_reqs, allocated);
      }
    }
    AddResourceList(reqs, container_reqs);
  }
  ResourceList restartable, init_reqs;
  for (const Json& c : Arr(spec, "initContainers")) {
    ResourceList container_reqs = ToResourceList(Obj(Obj(c, "resources"), "requests"));
    if (IsRestartableInit(c)) {
      AddResourceList(reqs, container_reqs);
      AddResourceList(restartable, container_reqs);
      container_reqs = restartable;
    } else {
      ResourceList tmp;
      AddResourceList(tmp, container_reqs);
      AddResourceList(tmp, restartable);
      container_reqs = tmp;
    }
    MaxResourceList(init_reqs, container_reqs);
  }
  MaxResourceList(reqs, init_reqs);
  if (const Json* o = Get(spec, "overhead"); o && o->is_object()) {
    AddResourceList(reqs, ToResourceList(*o));
  }
  return reqs;
}

// podLimits.
ResourceList PodLimits(const Json& pod) {
  const Json& spec = Obj(pod, "spec");
  ResourceList limits;
  for (const Json& c : Arr(spec, "containers")) {
    AddResourceList(limits, ToResourceList(Obj(Obj(c, "resources"), "limits")));
  }
  ResourceList restartable, init_limits;
  for (const Json& c : Arr(spec, "initContainers")) {
    ResourceList container_limits = ToResourceList(Obj(Obj(c, "resources"), "limits"));
    if (IsRestartableInit(c)) {
      AddResourceList(limits, container_limits);
      AddResourceList(restartable, container_limits);
      container_limits = restartable;
    } else {
      ResourceList tmp;
      AddResourceList(tmp, container_limits);
      AddResourceList(tmp, restartable);
      container_limits = tmp;
    }
    MaxResourceList(init_limits, container_limits);
  }
  MaxResourceList(limits, init_limits);
  if (const Json* o = Get(spec, "overhead"); o && o->is_object()) {
    for (const auto& [name, q] : ToResourceList(*o)) {
      auto it = limits.find(name);
      if (it != limits.end()) it->second.Add(q);
    }
  }
  return limits;
}

Quantity Lookup(const ResourceList& list, const std::string& name) {
  auto it = list.find(name);
  return it == list.end() ? Quantity() : it->second;
}

// int64(float64(a) / float64(b) * 100) as Go computes it on amd64, where a
// NaN or out-of-range conversion yields the minimum int64.
int64_t Percent(int64_t a, int64_t b) {
  double f = static_cast<double>(a) / static_cast<double>(b) * 100;
  if (!std::isfinite(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(f);
}

std::string WithPercent(const Quantity& q, int64_t pct) {
  return q.String() + " (" + std::to_string(pct) + "%)";
}

// describeNodeResource.
void DescribeNodeResource(const std::vector<Json>& pods, const Json& node, Time now,
                          PrefixWriter& w) {
  w.Write(kLevel0, "Non-terminated Pods:\t(" + std::to_string(pods.size()) + " in total)\n");
  w.Write(kLevel1,
          "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory "
          "Limits\tAge\n");
  w.Write(kLevel1,
          "---------\t----\t\t------------\t----------\t---------------\t-------------"
          "\t---\n");
  const Json& status = Obj(node, "status");
  ResourceList allocatable = ToResourceList(Obj(status, "capacity"));
  if (!Obj(status, "allocatable").empty()) allocatable = ToResourceList(Obj(status, "allocatable"));
  const Quantity alloc_cpu = Lookup(allocatable, "cpu");
  const Quantity alloc_mem = Lookup(allocatable, "memory");
  const Quantity alloc_eph = Lookup(allocatable, "ephemeral-storage");

  for (const Json& pod : pods) {
    ResourceList req = PodRequests(pod), limit = PodLimits(pod);
    Quantity cpu_req = Lookup(req, "cpu"), cpu_limit = Lookup(limit, "cpu");
    Quantity mem_req = Lookup(req, "memory"), mem_limit = Lookup(limit, "memory");
    const Json& meta = Obj(pod, "metadata");
    w.Write(kLevel1,
            Str(meta, "namespace") + "\t" + Str(meta, "name") + "\t\t" +
                WithPercent(cpu_req, Percent(cpu_req.MilliValue(), alloc_cpu.MilliValue())) + "\t" +
                WithPercent(cpu_limit, Percent(cpu_limit.MilliValue(), alloc_cpu.MilliValue())) +
                "\t" + WithPercent(mem_req, Percent(mem_req.Value(), alloc_mem.Value())) + "\t" +
                WithPercent(mem_limit, Percent(mem_limit.Value(), alloc_mem.Value())) + "\t" +
                TimestampSinceAt(meta, "creationTimestamp", now) + "\n");
  }

  w.Write(kLevel0,
          "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.Write(kLevel1, "Resource\tRequests\tLimits\n");
  w.Write(kLevel1, "--------\t--------\t------\n");
  // getPodsTotalRequestsAndLimits
  ResourceList reqs, limits;
  for (const Json& pod : pods) {
    AddResourceList(reqs, PodRequests(pod));
    AddResourceList(limits, PodLimits(pod));
  }
  auto row = [&](const std::string& name, const Quantity& alloc, bool milli) {
    Quantity r = Lookup(reqs, name), l = Lookup(limits, name);
    int64_t fr = 0, fl = 0;
    const int64_t denom = milli ? alloc.MilliValue() : alloc.Value();
    if (denom != 0) {
      fr = Percent(milli ? r.MilliValue() : r.Value(), denom);
      fl = Percent(milli ? l.MilliValue() : l.Value(), denom);
    }
    w.Write(kLevel1, name + "\t" + WithPercent(r, fr) + "\t" + WithPercent(l, fl) + "\n");
  };
  row("cpu", alloc_cpu, true);
  row("memory", alloc_mem, false);
  row("ephemeral-storage", alloc_eph, false);

  std::vector<std::string> ext_resources, huge_page_resources;
  for (const auto& [name, q] : allocatable) {
    if (name.rfind("hugepages-", 0) == 0) {
      huge_page_resources.push_back(name);
    } else if (name != "cpu" && name != "memory" && name != "ephemeral-storage" && name != "pods") {
      ext_resources.push_back(name);
    }
  }
  for (const auto& name : huge_page_resources) row(name, Lookup(allocatable, name), false);
  for (const auto& name : ext_resources) {
    w.Write(kLevel1, name + "\t" + Lookup(reqs, name).String() + "\t" +
                         Lookup(limits, name).String() + "\n");
  }
}

// findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role.
std::vector<std::string> FindNodeRoles(const std::map<std::string, std::string>& labels) {
  const std::string prefix = "node-role.kubernetes.io/";
  std::set<std::string> roles;
  for (const auto& [k, v] : labels) {
    if (k.rfind(prefix, 0) == 0) {
      if (k.size() > prefix.size()) roles.insert(k.substr(prefix.size()));
    } else if (k == "kubernetes.io/role" && !v.empty()) {
      roles.insert(v);
    }
  }
  return {roles.begin(), roles.end()};
}

// printTaintsMultilineWithIndent(w, "", "Taints", "\t", taints).
void PrintTaintsMultiline(PrefixWriter& w, const Json& input) {
  w.Write(kLevel0, "Taints:\t");
  if (input.empty()) {
    w.WriteLine("<none>");
    return;
  }
  std::vector<Json> taints(input.begin(), input.end());
  GoSort(taints, [](const Json& a, const Json& b) {
    return Str(a, "effect") + "," + Str(a, "key") < Str(b, "effect") + "," + Str(b, "key");
  });
  for (size_t i = 0; i < taints.size(); ++i) {
    if (i != 0) {
      w.Write(kLevel0, "");
      w.Write(kLevel0, "\t");
    }
    const Json& t = taints[i];
    // Taint.ToString()
    const std::string value = Str(t, "value");
    std::string text = value.empty() ? Str(t, "key") + ":" + Str(t, "effect")
                                     : Str(t, "key") + "=" + value + ":" + Str(t, "effect");
    w.Write(kLevel0, text + "\n");
  }
}

}  // namespace

std::string DescribeNode(const nlohmann::json& node,
                         const std::vector<nlohmann::json>& pods_on_node,
                         const nlohmann::json* lease, const std::vector<nlohmann::json>& events,
                         Time now, bool show_events, const std::string& lease_error) {
  PrefixWriter w;
  const Json& meta = Obj(node, "metadata");
  const Json& spec = Obj(node, "spec");
  const Json& status = Obj(node, "status");
  const std::string name = Str(meta, "name");
  w.Write(kLevel0, "Name:\t" + name + "\n");
  const auto labels = StringMap(meta, "labels");
  auto roles = FindNodeRoles(labels);
  w.Write(kLevel0, "Roles:\t" + (roles.empty() ? std::string("<none>") : Join(roles, ",")) + "\n");
  PrintLabelsMultiline(w, "Labels", labels);
  PrintAnnotationsMultiline(w, "Annotations", StringMap(meta, "annotations"));
  w.Write(kLevel0, "CreationTimestamp:\t" + Rfc1123zAt(meta, "creationTimestamp") + "\n");
  PrintTaintsMultiline(w, Arr(spec, "taints"));
  w.Write(kLevel0, std::string("Unschedulable:\t") +
                       (Bool(spec, "unschedulable") ? "true" : "false") + "\n");

  if (lease) {
    // describeNodeLease
    const Json& lspec = Obj(*lease, "spec");
    w.Write(kLevel0, "Lease:\n");
    std::string holder = "<unset>";
    if (const Json* h = Get(lspec, "holderIdentity"); h && h->is_string())
      holder = Str(lspec, "holderIdentity");
    w.Write(kLevel1, "HolderIdentity:\t" + holder + "\n");
    Time t;
    w.Write(kLevel1, "AcquireTime:\t" +
                         (TimeAt(lspec, "acquireTime", &t) ? FormatRfc1123z(t) : "<unset>") + "\n");
    w.Write(kLevel1, "RenewTime:\t" +
                         (TimeAt(lspec, "renewTime", &t) ? FormatRfc1123z(t) : "<unset>") + "\n");
  } else {
    const std::string err =
        lease_error.empty() ? "leases.coordination.k8s.io \"" + name + "\" not found" : lease_error;
    w.Write(kLevel0, "Lease:\tFailed to get lease: " + err + "\n");
  }

  const Json& conditions = Arr(status, "conditions");
  if (!conditions.empty()) {
    w.Write(
        kLevel0,
        "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.Write(kLevel1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const Json& c : conditions) {
      w.Write(kLevel1, Str(c, "type") + " \t" + Str(c, "status") + " \t" +
                           Rfc1123zAt(c, "lastHeartbeatTime") + " \t" +
                           Rfc1123zAt(c, "lastTransitionTime") + " \t" + Str(c, "reason") + " \t" +
                           Str(c, "message") + "\n");
    }
  }

  w.Write(kLevel0, "Addresses:\n");
  for (const Json& a : Arr(status, "addresses")) {
    w.Write(kLevel1, Str(a, "type") + ":\t" + Str(a, "address") + "\n");
  }

  auto print_resource_list = [&](const Json& list) {
    for (const auto& res : SortedResourceNames(list)) {
      w.Write(kLevel0, "  " + res + ":\t" + QuantityString(list[res]) + "\n");
    }
  };
  if (!Obj(status, "capacity").empty()) {
    w.Write(kLevel0, "Capacity:\n");
    print_resource_list(Obj(status, "capacity"));
  }
  if (!Obj(status, "allocatable").empty()) {
    w.Write(kLevel0, "Allocatable:\n");
    print_resource_list(Obj(status, "allocatable"));
  }

  const Json& info = Obj(status, "nodeInfo");
  w.Write(kLevel0, "System Info:\n");
  w.Write(kLevel0, "  Machine ID:\t" + Str(info, "machineID") + "\n");
  w.Write(kLevel0, "  System UUID:\t" + Str(info, "systemUUID") + "\n");
  w.Write(kLevel0, "  Boot ID:\t" + Str(info, "bootID") + "\n");
  w.Write(kLevel0, "  Kernel Version:\t" + Str(info, "kernelVersion") + "\n");
  w.Write(kLevel0, "  OS Image:\t" + Str(info, "osImage") + "\n");
  w.Write(kLevel0, "  Operating System:\t" + Str(info, "operatingSystem") + "\n");
  w.Write(kLevel0, "  Architecture:\t" + Str(info, "architecture") + "\n");
  w.Write(kLevel0, "  Container Runtime Version:\t" + Str(info, "containerRuntimeVersion") + "\n");
  w.Write(kLevel0, "  Kubelet Version:\t" + Str(info, "kubeletVersion") + "\n");
  w.Write(kLevel0, "  Kube-Proxy Version:\t" + Str(info, "kubeProxyVersion") + "\n");

  if (!Str(spec, "podCIDR").empty()) w.Write(kLevel0, "PodCIDR:\t" + Str(spec, "podCIDR") + "\n");
  if (!Arr(spec, "podCIDRs").empty()) {
    std::vector<std::string> cidrs;
    for (const Json& c : Arr(spec, "podCIDRs")) cidrs.push_back(Scalar(c));
    w.Write(kLevel0, "PodCIDRs:\t" + Join(cidrs, ",") + "\n");
  }
  if (!Str(spec, "providerID").empty()) {
    w.Write(kLevel0, "ProviderID:\t" + Str(spec, "providerID") + "\n");
  }
  DescribeNodeResource(pods_on_node, node, now, w);
  if (show_events) DescribeEvents(events, w, now);
  return w.Finish();
}

}  // namespace kubesim::printers
