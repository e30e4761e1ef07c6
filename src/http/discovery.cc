// Discovery documents (discovery.h). Shapes from
// k8s.io/apimachinery/pkg/apis/meta/v1/types.go (APIVersions, APIGroupList,
// APIResourceList) and what kube-apiserver 1.32 lists for each resource
// (pkg/registry/*/rest/storage_*.go: subresource kinds and groups).
#include "discovery.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "kubesim/api/subresources.h"

namespace kubesim::http {
namespace {

using api::Object;

// The order kube-apiserver lists API groups in /apis
// (pkg/controlplane/apiserver/options: the group priority list).
int GroupPriority(const std::string& group) {
  static const std::vector<std::string> kOrder = {"apiregistration.k8s.io",
                                                  "apps",
                                                  "events.k8s.io",
                                                  "authentication.k8s.io",
                                                  "authorization.k8s.io",
                                                  "autoscaling",
                                                  "batch",
                                                  "certificates.k8s.io",
                                                  "networking.k8s.io",
                                                  "policy",
                                                  "rbac.authorization.k8s.io",
                                                  "storage.k8s.io",
                                                  "admissionregistration.k8s.io",
                                                  "apiextensions.k8s.io",
                                                  "scheduling.k8s.io",
                                                  "coordination.k8s.io",
                                                  "node.k8s.io",
                                                  "discovery.k8s.io",
                                                  "flowcontrol.apiserver.k8s.io",
                                                  "resource.k8s.io"};
  auto it = std::find(kOrder.begin(), kOrder.end(), group);
  return it == kOrder.end() ? static_cast<int>(kOrder.size())
                            : static_cast<int>(it - kOrder.begin());
}

Object ResourceList(const api::ResourceRegistry& registry, const std::string& group,
                    const std::string& version) {
  std::vector<Object> resources;
  for (const api::ResourceStrategy* s : registry.All()) {
    const api::ResourceInfo& info = s->info();
    if (info.gvr.group != group || info.gvr.version != version) continue;
    Object r = {{"name", info.gvr.resource},
                {"singularName", info.singular},
                {"namespaced", info.namespaced},
                {"kind", info.kind},
                {"verbs", info.verbs}};
    if (!info.short_names.empty()) r["shortNames"] = info.short_names;
    if (!info.categories.empty()) r["categories"] = info.categories;
    resources.push_back(std::move(r));
    for (const std::string& sub : info.subresources) {
      // One description of each subresource, shared with the API server
      // (kubesim/api/subresources.h).
      api::SubresourceDiscovery shape = api::DescribeSubresource(info, sub);
      Object sr = {{"name", info.gvr.resource + "/" + sub},
                   {"singularName", ""},
                   {"namespaced", info.namespaced},
                   {"kind", shape.kind.empty() ? info.kind : shape.kind},
                   {"verbs", shape.verbs}};
      if (!shape.group.empty()) {
        sr["group"] = shape.group;
        sr["version"] = shape.version;
      }
      resources.push_back(std::move(sr));
    }
  }
  // Upstream lists resources sorted by name (subresources after their parent).
  std::stable_sort(resources.begin(), resources.end(), [](const Object& a, const Object& b) {
    return a["name"].get<std::string>() < b["name"].get<std::string>();
  });
  Object list = {{"kind", "APIResourceList"},
                 {"apiVersion", "v1"},
                 {"groupVersion", group.empty() ? version : group + "/" + version},
                 {"resources", Object::array()}};
  for (auto& r : resources) list["resources"].push_back(std::move(r));
  return list;
}

// Served groups (non-core) and their versions, in upstream order.
std::vector<std::pair<std::string, std::vector<std::string>>> Groups(
    const api::ResourceRegistry& registry) {
  std::map<std::string, std::vector<std::string>> versions;
  for (const api::ResourceStrategy* s : registry.All()) {
    const auto& gvr = s->info().gvr;
    if (gvr.group.empty()) continue;
    auto& v = versions[gvr.group];
    if (std::find(v.begin(), v.end(), gvr.version) == v.end()) v.push_back(gvr.version);
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> out(versions.begin(),
                                                                    versions.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return GroupPriority(a.first) < GroupPriority(b.first);
  });
  return out;
}

Object GroupDoc(const std::string& name, const std::vector<std::string>& versions) {
  Object g = {{"name", name}, {"versions", Object::array()}};
  for (const auto& v : versions) {
    g["versions"].push_back({{"groupVersion", name + "/" + v}, {"version", v}});
  }
  g["preferredVersion"] = {{"groupVersion", name + "/" + versions.front()},
                           {"version", versions.front()}};
  return g;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::optional<Object> DiscoveryDocument(const api::ResourceRegistry& registry,
                                        const std::string& path,
                                        const std::string& server_address) {
  std::vector<std::string> seg = Split(path);
  if (seg.empty()) return std::nullopt;
  if (seg[0] == "api") {
    if (seg.size() == 1) {
      return Object{{"kind", "APIVersions"},
                    {"versions", {"v1"}},
                    {"serverAddressByClientCIDRs",
                     {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}}}};
    }
    if (seg.size() == 2 && seg[1] == "v1") return ResourceList(registry, "", "v1");
    return std::nullopt;
  }
  if (seg[0] != "apis") return std::nullopt;
  auto groups = Groups(registry);
  if (seg.size() == 1) {
    Object list = {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", Object::array()}};
    for (const auto& [name, versions] : groups) list["groups"].push_back(GroupDoc(name, versions));
    return list;
  }
  for (const auto& [name, versions] : groups) {
    if (name != seg[1]) continue;
    if (seg.size() == 2) {
      Object g = GroupDoc(name, versions);
      g["kind"] = "APIGroup";
      g["apiVersion"] = "v1";
      return g;
    }
    if (seg.size() == 3 && std::find(versions.begin(), versions.end(), seg[2]) != versions.end()) {
      return ResourceList(registry, name, seg[2]);
    }
  }
  return std::nullopt;
}

std::string VersionInfoJson() {
  // What a v1.32.0 kube-apiserver reports (kubesim's shell `version` prints
  // the same gitVersion), in version.Info's field order and indented as its
  // handler writes it (responsewriters.WriteRawJSON: MarshalIndent, 2 spaces).
  // Values as the released v1.32.0 kube-apiserver binary reports them.
  nlohmann::ordered_json info = {{"major", "1"},
                                 {"minor", "32"},
                                 {"gitVersion", "v1.32.0"},
                                 {"gitCommit", "70d3cc986aa8221cd1dfb1121852688902d3bf53"},
                                 {"gitTreeState", "clean"},
                                 {"buildDate", "2024-12-11T17:59:15Z"},
                                 {"goVersion", "go1.23.3"},
                                 {"compiler", "gc"},
                                 {"platform", "linux/amd64"}};
  return info.dump(2);
}

}  // namespace kubesim::http
