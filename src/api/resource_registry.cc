// ResourceRegistry (kubesim/api/resource.h): the resources the API server
// serves, and kubectl-style resolution of what a user types ("po", "Pod",
// "deployments.apps") to one of them.

#include <algorithm>
#include <cctype>
#include <string>

#include "kubesim/api/object_meta.h"
#include "kubesim/api/resource.h"

namespace kubesim::api {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Whether `name` (lower case) names `info`'s resource: plural, singular,
// a short name or the Kind, compared case-insensitively.
bool NamesResource(const ResourceInfo& info, const std::string& name) {
  if (name.empty()) return false;
  if (name == Lower(info.gvr.resource) || name == Lower(info.singular) ||
      name == Lower(info.kind)) {
    return true;
  }
  for (const auto& s : info.short_names) {
    if (name == Lower(s)) return true;
  }
  return false;
}

// Whether `qualifier` (the text after the first '.') names `info`'s group:
// "apps", "v1.apps", or for the core group "v1" (kubectl's "pods.v1.").
bool QualifierMatches(const ResourceInfo& info, const std::string& qualifier) {
  const std::string group = Lower(info.gvr.group);
  const std::string version = Lower(info.gvr.version);
  std::string q = qualifier;
  if (!q.empty() && q.back() == '.') q.pop_back();  // "pods.v1."
  if (q == group) return true;
  if (!group.empty() && q == version + "." + group) return true;
  if (group.empty() && q == version) return true;
  return false;
}

}  // namespace

bool ResourceStrategy::FieldValue(const Object& obj, const std::string& field,
                                  std::string* out) const {
  if (field == "metadata.name") {
    *out = Name(obj);
    return true;
  }
  if (field == "metadata.namespace" && info().namespaced) {
    *out = Namespace(obj);
    return true;
  }
  return false;
}

bool ResourceRegistry::Add(std::unique_ptr<ResourceStrategy> strategy) {
  if (!strategy) return false;
  if (Find(strategy->info().gvr) != nullptr) return false;
  strategies_.push_back(std::move(strategy));
  return true;
}

const ResourceStrategy* ResourceRegistry::Find(const GroupVersionResource& gvr) const {
  for (const auto& s : strategies_) {
    if (s->info().gvr == gvr) return s.get();
  }
  return nullptr;
}

const ResourceStrategy* ResourceRegistry::Resolve(const std::string& user_text) const {
  const std::string text = Lower(user_text);
  if (text.empty()) return nullptr;
  // Plain names first: "po", "pods", "Pod", "pod".
  for (const auto& s : strategies_) {
    if (NamesResource(s->info(), text)) return s.get();
  }
  // Then "resource.group" / "resource.version.group".
  const auto dot = text.find('.');
  if (dot == std::string::npos) return nullptr;
  const std::string name = text.substr(0, dot);
  const std::string qualifier = text.substr(dot + 1);
  for (const auto& s : strategies_) {
    if (NamesResource(s->info(), name) && QualifierMatches(s->info(), qualifier)) return s.get();
  }
  return nullptr;
}

std::vector<const ResourceStrategy*> ResourceRegistry::All() const {
  std::vector<const ResourceStrategy*> out;
  out.reserve(strategies_.size());
  for (const auto& s : strategies_) out.push_back(s.get());
  return out;
}

void ResourceRegistry::AddAdmissionPlugin(std::unique_ptr<AdmissionPlugin> plugin) {
  if (plugin) admission_.push_back(std::move(plugin));
}

std::vector<const AdmissionPlugin*> ResourceRegistry::AdmissionPlugins() const {
  std::vector<const AdmissionPlugin*> out;
  out.reserve(admission_.size());
  for (const auto& p : admission_) out.push_back(p.get());
  return out;
}

}  // namespace kubesim::api
