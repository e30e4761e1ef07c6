// BookmarkObject and NextBookmarkTime (watch_bookmarks.h).
#include "watch_bookmarks.h"

#include <map>
#include <string>

namespace kubesim::api {
namespace {

// The zero value of each kind's Go type (k8s.io/api 1.32) beyond TypeMeta
// and ObjectMeta, as encoding/json writes it: a struct field is never
// omitted (omitempty does not apply to structs), a nil slice or pointer
// without omitempty is null, a number or string without omitempty is 0 or "".
// Kinds not listed have only optional fields (Endpoints, ServiceAccount).
const std::map<std::string, Object>& ZeroFields() {
  static const auto* fields = [] {
    // PodTemplateSpec{}: its ObjectMeta and a PodSpec with containers null.
    const Object template_spec = {{"metadata", {{"creationTimestamp", nullptr}}},
                                  {"spec", {{"containers", nullptr}}}};
    auto* m = new std::map<std::string, Object>{
        // core/v1 types.go
        {"Pod", {{"spec", {{"containers", nullptr}}}, {"status", Object::object()}}},
        {"Node",
         {{"spec", Object::object()},
          {"status",
           {{"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 0}}}}},
            {"nodeInfo",
             {{"machineID", ""},
              {"systemUUID", ""},
              {"bootID", ""},
              {"kernelVersion", ""},
              {"osImage", ""},
              {"containerRuntimeVersion", ""},
              {"kubeletVersion", ""},
              {"kubeProxyVersion", ""},
              {"operatingSystem", ""},
              {"architecture", ""}}}}}}},
        {"Namespace", {{"spec", Object::object()}, {"status", Object::object()}}},
        {"Service", {{"spec", Object::object()}, {"status", {{"loadBalancer", Object::object()}}}}},
        {"Event",
         {{"involvedObject", Object::object()},
          {"source", Object::object()},
          {"firstTimestamp", nullptr},
          {"lastTimestamp", nullptr},
          {"eventTime", nullptr},
          {"reportingComponent", ""},
          {"reportingInstance", ""}}},
        // coordination/v1, scheduling/v1, policy/v1, discovery/v1
        {"Lease", {{"spec", Object::object()}}},
        {"PriorityClass", {{"value", 0}}},
        {"PodDisruptionBudget",
         {{"spec", Object::object()},
          {"status",
           {{"disruptionsAllowed", 0},
            {"currentHealthy", 0},
            {"desiredHealthy", 0},
            {"expectedPods", 0}}}}},
        {"EndpointSlice", {{"addressType", ""}, {"endpoints", nullptr}, {"ports", nullptr}}},
        // apps/v1 types.go
        {"Deployment",
         {{"spec",
           {{"selector", nullptr}, {"template", template_spec}, {"strategy", Object::object()}}},
          {"status", Object::object()}}},
        {"ReplicaSet",
         {{"spec", {{"selector", nullptr}, {"template", template_spec}}},
          {"status", {{"replicas", 0}}}}},
        {"DaemonSet",
         {{"spec",
           {{"selector", nullptr},
            {"template", template_spec},
            {"updateStrategy", Object::object()}}},
          {"status",
           {{"currentNumberScheduled", 0},
            {"numberMisscheduled", 0},
            {"desiredNumberScheduled", 0},
            {"numberReady", 0}}}}},
        // RawExtension{} marshals as null.
        {"ControllerRevision", {{"data", nullptr}, {"revision", 0}}},
    };
    return m;
  }();
  return *fields;
}

}  // namespace

Object BookmarkObject(const ResourceInfo& info, store::Revision revision) {
  Object o = {{"kind", info.kind},
              {"apiVersion", info.ApiVersion()},
              {"metadata",
               {{"resourceVersion", std::to_string(revision)}, {"creationTimestamp", nullptr}}}};
  auto it = ZeroFields().find(info.kind);
  if (it != ZeroFields().end()) {
    for (const auto& [k, v] : it->second.items()) o[k] = v;
  }
  return o;
}

std::optional<Time> NextBookmarkTime(Time now, std::optional<Time> deadline) {
  Time next = now + kBookmarkFrequency;
  if (deadline) {
    Time pretimeout = *deadline - std::chrono::seconds(2);
    if (pretimeout < next) next = pretimeout;
  }
  // Upstream stops once the pre-timeout moment is before `now`; its timer
  // fires a little after that moment, while kubesim's fires exactly at it,
  // so "not after now" ends the series here (else it would repeat at once).
  if (next <= now) return std::nullopt;
  return next;
}

}  // namespace kubesim::api
