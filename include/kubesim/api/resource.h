// Resources the API server serves, and the per-kind strategy that gives each
// its defaults, validation, table columns and field selectors (the shape of
// kube-apiserver's registry/<kind>/strategy.go + pkg/printers).
//
// Thread-safety: a ResourceRegistry is filled at start-up and read-only
// afterwards; strategies are stateless and safe to call from any thread.
#ifndef KUBESIM_API_RESOURCE_H_
#define KUBESIM_API_RESOURCE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/admission.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/types.h"
#include "kubesim/api/validation.h"  // NameRule
#include "kubesim/sim/clock.h"

namespace kubesim::api {

struct ResourceInfo {
  GroupVersionResource gvr;  // {"", "v1", "pods"}
  std::string kind;          // "Pod"
  std::string singular;      // "pod"
  bool namespaced = true;
  std::vector<std::string> short_names;   // {"po"}
  std::vector<std::string> categories;    // {"all"}
  std::vector<std::string> verbs;         // discovery verbs
  std::vector<std::string> subresources;  // {"status", "binding"}
  std::string storage_prefix;             // "/registry/pods" (no trailing '/')
  // Served by an aggregated API server (ApiServer::SetAggregatedHandler),
  // not from the store: metrics.k8s.io.
  bool aggregated = false;

  std::string ApiVersion() const {  // "v1", "apps/v1"
    return gvr.group.empty() ? gvr.version : gvr.group + "/" + gvr.version;
  }
  // "pods", "deployments.apps": how errors name the resource.
  std::string QualifiedResource() const {
    return gvr.group.empty() ? gvr.resource : gvr.resource + "." + gvr.group;
  }
  // The store key of an object: prefix/ns/name or prefix/name.
  std::string StorageKey(const std::string& ns, const std::string& name) const {
    return namespaced ? storage_prefix + "/" + ns + "/" + name : storage_prefix + "/" + name;
  }
};

class ResourceStrategy {
 public:
  virtual ~ResourceStrategy() = default;
  virtual const ResourceInfo& info() const = 0;

  // Name rule for metadata.name (most kinds: DNS-1123 subdomain; namespaces:
  // DNS-1123 label).
  virtual NameRule name_rule() const { return NameRule::kDns1123Subdomain; }

  // Applies the kind's defaults to an object being created (the apiserver has
  // already set metadata: name, uid, creationTimestamp, namespace, ...), and
  // clears what a create may not set (e.g. most of a Pod's status).
  virtual void PrepareForCreate(Object& obj) const {}
  // Applies defaults on update, and keeps what this write may not change:
  // for subresource "" the old status; for "status" the old spec/metadata
  // except labels/annotations.
  virtual void PrepareForUpdate(Object& obj, const Object& old_obj,
                                const std::string& subresource) const {}
  // Kind-specific validation (metadata is validated by the server).
  virtual std::vector<FieldError> Validate(const Object& obj) const { return {}; }
  virtual std::vector<FieldError> ValidateUpdate(const Object& obj, const Object& old_obj) const {
    return Validate(obj);
  }

  // metav1.TableColumnDefinition objects, upstream's columns for this kind
  // (pkg/printers/internalversion/printers.go); priority 1 = wide only.
  virtual Object TableColumns() const = 0;
  // The cells of one row, aligned with TableColumns(); `now` for AGE.
  virtual Object TableCells(const Object& obj, Time now) const = 0;

  // The value of a field-selector field for `obj`. Every kind supports
  // metadata.name and metadata.namespace; kinds add their own (pods:
  // spec.nodeName, spec.schedulerName, status.phase, status.podIP, ...).
  // Returns false for an unsupported field.
  virtual bool FieldValue(const Object& obj, const std::string& field, std::string* out) const;
};

class ResourceRegistry {
 public:
  // Registers a strategy; replaces none (a duplicate resource is a
  // programming error, reported by returning false).
  bool Add(std::unique_ptr<ResourceStrategy> strategy);

  // By group/version/resource; nullptr when not served.
  const ResourceStrategy* Find(const GroupVersionResource& gvr) const;
  // Resolves what a user types (kubectl's RESTMapper): plural, singular,
  // short name or Kind, case-insensitive, optionally "resource.group"
  // ("deployments.apps"). nullptr when unknown.
  const ResourceStrategy* Resolve(const std::string& user_text) const;
  // All strategies in registration order.
  std::vector<const ResourceStrategy*> All() const;

  // Admission plugins (admission.h), run in registration order on every
  // create and update of the main resource.
  void AddAdmissionPlugin(std::unique_ptr<AdmissionPlugin> plugin);
  std::vector<const AdmissionPlugin*> AdmissionPlugins() const;

 private:
  std::vector<std::unique_ptr<ResourceStrategy>> strategies_;
  std::vector<std::unique_ptr<AdmissionPlugin>> admission_;
};

// A registry with every built-in kind kubesim serves now: Namespace, Node,
// Pod (+binding, status), Event (core/v1), Lease (coordination.k8s.io/v1).
std::unique_ptr<ResourceRegistry> NewBuiltinRegistry();

}  // namespace kubesim::api

#endif  // KUBESIM_API_RESOURCE_H_
