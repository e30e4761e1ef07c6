// Private to src/api: the built-in kinds' strategies (one file each) and the
// small helpers they share. Public contract: kubesim/api/resource.h.
#ifndef KUBESIM_SRC_API_STRATEGIES_STRATEGIES_H_
#define KUBESIM_SRC_API_STRATEGIES_STRATEGIES_H_

#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/object_meta.h"
#include "kubesim/api/resource.h"
#include "kubesim/api/types.h"
#include "kubesim/printers/duration.h"
#include "kubesim/sim/clock.h"

namespace kubesim::api::strategies {

std::unique_ptr<ResourceStrategy> NewNamespaceStrategy();  // v1 namespaces
std::unique_ptr<ResourceStrategy> NewNodeStrategy();       // v1 nodes
std::unique_ptr<ResourceStrategy> NewPodStrategy();        // v1 pods
// SetDefaults_Container and friends for a container of a pod template (no
// pod-only rules such as requests from limits): the same code pods use.
void DefaultTemplateContainer(Object& container);
std::unique_ptr<ResourceStrategy> NewEventStrategy();  // v1 events
std::unique_ptr<ResourceStrategy> NewLeaseStrategy();  // coordination.k8s.io/v1 leases

// apps/v1 Deployments, ReplicaSets, DaemonSets (workloads_register.cc).
void AddWorkloadResources(ResourceRegistry& registry);
// v1 Services, Endpoints, ServiceAccounts; discovery.k8s.io/v1 EndpointSlices
// (service_register.cc).
void AddServiceResources(ResourceRegistry& registry);
// policy/v1 PodDisruptionBudgets, scheduling.k8s.io/v1 PriorityClasses and
// the Priority admission plugin (scheduling_register.cc).
void AddSchedulingResources(ResourceRegistry& registry);

// Discovery verbs of a resource that serves every verb (sorted, as served).
inline const std::vector<std::string>& AllVerbs() {
  static const std::vector<std::string> v = {"create", "delete", "deletecollection", "get",
                                             "list",   "patch",  "update",           "watch"};
  return v;
}

// One metav1.TableColumnDefinition.
inline Object Column(const std::string& name, const std::string& type, const std::string& format,
                     const std::string& description, int priority = 0) {
  return Object{{"name", name},
                {"type", type},
                {"format", format},
                {"description", description},
                {"priority", priority}};
}

// Swagger descriptions shared by many columns (metav1.ObjectMeta).
inline constexpr char kNameDescription[] =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
inline constexpr char kCreationTimestampDescription[] =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#metadata";

// The time at `json_pointer` in `obj`; false when absent, null or malformed
// (a zero metav1.Time).
inline bool ParseTimeAt(const Object& obj, const char* json_pointer, Time* out) {
  const Object* v = Find(obj, json_pointer);
  return v != nullptr && v->is_string() && ParseRfc3339(v->get<std::string>(), out);
}

// printers.go's translateTimestampSince: the human duration from `t` to
// `now` ("5m", "3d").
inline std::string TranslateTimeSince(Time t, Time now) { return printers::HumanDuration(now - t); }
// The same for the time at `json_pointer`: "<unknown>" for a zero time.
inline std::string TranslateTimestampSince(const Object& obj, const char* json_pointer, Time now) {
  Time t;
  if (!ParseTimeAt(obj, json_pointer, &t)) return "<unknown>";
  return TranslateTimeSince(t, now);
}

// The string at `key` of a JSON object, "" when absent or not a string.
inline std::string Str(const Object& o, const char* key) {
  if (!o.is_object()) return "";
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace kubesim::api::strategies

#endif  // KUBESIM_SRC_API_STRATEGIES_STRATEGIES_H_
