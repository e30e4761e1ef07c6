// OpenApiV3Document (openapi.h). Shapes from k8s.io/kube-openapi/pkg/handler3
// (the index) and kube-apiserver 1.32's /openapi/v3/apis/apps/v1 (operation
// ids, x-kubernetes-action, x-kubernetes-group-version-kind, the PATCH query
// parameters).
#include "openapi.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>

namespace kubesim::http {
namespace {

using api::Object;

std::string GroupVersionPath(const api::GroupVersionResource& gvr) {
  return gvr.group.empty() ? "api/" + gvr.version : "apis/" + gvr.group + "/" + gvr.version;
}

std::string Capitalized(const std::string& s) {
  std::string out = s;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// "patchAppsV1NamespacedDeployment", "patchCoreV1Node": the operation id
// kube-apiserver generates (group's first label, capitalized).
std::string OperationId(const api::ResourceInfo& info) {
  std::string group = info.gvr.group.empty() ? "core" : info.gvr.group;
  std::string id;
  bool upper = true;
  for (char c : group.substr(0, group.find(".k8s.io"))) {
    if (c == '.' || c == '-') {
      upper = true;
      continue;
    }
    id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return "patch" + id + Capitalized(info.gvr.version) + (info.namespaced ? "Namespaced" : "") +
         info.kind;
}

Object QueryParameter(const std::string& name, const std::string& description) {
  return {{"name", name},
          {"in", "query"},
          {"description", description},
          {"schema", {{"type", name == "force" ? "boolean" : "string"}}},
          {"uniqueItems", true}};
}

Object PatchOperation(const api::ResourceInfo& info) {
  // The PATCH query parameters of every built-in kind (PatchOptions).
  Object params = Object::array();
  params.push_back(QueryParameter(
      "dryRun",
      "When present, indicates that modifications should not be persisted. An invalid or "
      "unrecognized dryRun directive will result in an error response and no further "
      "processing of the request. Valid values are: - All: all dry run stages will be "
      "processed"));
  params.push_back(QueryParameter(
      "fieldManager",
      "fieldManager is a name associated with the actor or entity that is making these "
      "changes. The value must be less than or 128 characters long, and only contain "
      "printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This "
      "field is required for apply requests (application/apply-patch) but optional for "
      "non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch)."));
  params.push_back(QueryParameter(
      "fieldValidation",
      "fieldValidation instructs the server on how to handle objects in the request "
      "(POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: "
      "This will ignore any unknown fields that are silently dropped from the object, and "
      "will ignore all but the last duplicate field that the decoder encounters. This is "
      "the default behavior prior to v1.23. - Warn: This will send a warning via the "
      "standard warning response header for each unknown field that is dropped from the "
      "object, and for each duplicate field that is encountered. The request will still "
      "succeed if there are no other errors, and will only persist the last of any "
      "duplicate fields. This is the default in v1.23+ - Strict: This will fail the request "
      "with a BadRequest error if any unknown fields would be dropped from the object, or "
      "if any duplicate fields are present. The error returned from the server will contain "
      "all unknown and duplicate fields encountered."));
  params.push_back(QueryParameter(
      "force",
      "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting "
      "fields owned by other people. Force flag must be unset for non-apply patch requests."));
  return {{"tags", {GroupVersionPath(info.gvr)}},
          {"description", "partially update the specified " + info.kind},
          {"operationId", OperationId(info)},
          {"parameters", std::move(params)},
          {"responses", {{"200", {{"description", "OK"}}}, {"201", {{"description", "Created"}}}}},
          {"x-kubernetes-action", "patch"},
          {"x-kubernetes-group-version-kind",
           {{"group", info.gvr.group}, {"kind", info.kind}, {"version", info.gvr.version}}}};
}

// Every served group/version and its resources, keyed by "apis/G/V".
std::map<std::string, std::vector<const api::ResourceInfo*>> ByGroupVersion(
    const api::ResourceRegistry& registry) {
  std::map<std::string, std::vector<const api::ResourceInfo*>> out;
  for (const api::ResourceStrategy* s : registry.All()) {
    out[GroupVersionPath(s->info().gvr)].push_back(&s->info());
  }
  return out;
}

Object GroupVersionDocument(const std::vector<const api::ResourceInfo*>& resources) {
  Object paths = Object::object();
  for (const api::ResourceInfo* info : resources) {
    const auto& verbs = info->verbs;
    if (std::find(verbs.begin(), verbs.end(), "patch") == verbs.end()) continue;
    std::string path = "/" + GroupVersionPath(info->gvr) +
                       (info->namespaced ? "/namespaces/{namespace}/" : "/") + info->gvr.resource +
                       "/{name}";
    paths[path] = {{"patch", PatchOperation(*info)}};
  }
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
          {"paths", std::move(paths)}};
}

}  // namespace

std::optional<Object> OpenApiV3Document(const api::ResourceRegistry& registry,
                                        const std::string& path) {
  const std::string prefix = "/openapi/v3";
  if (path.rfind(prefix, 0) != 0) return std::nullopt;
  auto groups = ByGroupVersion(registry);
  if (path == prefix || path == prefix + "/") {
    Object index = Object::object();
    for (const auto& [gv, resources] : groups) {
      // The hash makes the URL immutable for kubectl's cache; a content
      // hash as upstream's (which is SHA-512).
      char hash[32];
      std::snprintf(hash, sizeof(hash), "%016zX",
                    std::hash<std::string>{}(GroupVersionDocument(resources).dump()));
      index[gv] = {{"serverRelativeURL", prefix + "/" + gv + "?hash=" + hash}};
    }
    return Object{{"paths", std::move(index)}};
  }
  auto it = groups.find(path.substr(prefix.size() + 1));
  if (it == groups.end()) return std::nullopt;
  return GroupVersionDocument(it->second);
}

}  // namespace kubesim::http
