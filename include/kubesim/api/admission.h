// Admission plugins: the API server's mutating and validating admission
// chain (k8s.io/apiserver/pkg/admission), for the built-in plugins that need
// more than one object's strategy, e.g. Priority, which resolves a pod's
// priorityClassName against the stored PriorityClasses.
//
// Order within a write, as kube-apiserver's create/update handlers:
//   Mutate (before the strategy's defaults and validation) ->
//   strategy PrepareForCreate/PrepareForUpdate + Validate ->
//   Validate (just before the object is written).
// A plugin's non-OK Status becomes the response: kForbidden statuses are
// made with NewForbidden below, as admission.NewForbidden does.
//
// Thread-safety: plugins are stateless (read only through the ObjectReader
// they are handed) and may be called from any thread, concurrently.
#ifndef KUBESIM_API_ADMISSION_H_
#define KUBESIM_API_ADMISSION_H_

#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/util/status.h"

namespace kubesim::api {

// The server's own storage, read-only: what admission plugins' listers see
// (upstream they read the apiserver's loopback informers). Never calls back
// into admission.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  // Every stored object of `gvr` (in `ns`, or all namespaces when empty), in
  // key order. An unserved resource yields an empty list. The objects are
  // shared and immutable (the watch cache's own when it has them), which
  // spares a copy of every PriorityClass on every pod create.
  virtual std::vector<ObjectPtr> List(const GroupVersionResource& gvr,
                                      const std::string& ns) const = 0;
  // One object (shared, immutable, never null); kNotFound when absent.
  virtual StatusOr<ObjectPtr> Get(const GroupVersionResource& gvr, const std::string& ns,
                                  const std::string& name) const = 0;
};

// admission.Attributes, reduced to what the built-in plugins read.
struct AdmissionAttributes {
  Verb operation = Verb::kCreate;  // kCreate or kUpdate
  GroupVersionResource gvr;
  std::string subresource;
  std::string ns;
  // metadata.name, or for a create with generateName the generateName (the
  // name is generated after admission: admission.extractResourceName).
  std::string name;
  const Object* old_obj = nullptr;  // the stored object on update
};

class AdmissionPlugin {
 public:
  virtual ~AdmissionPlugin() = default;
  virtual std::string Name() const = 0;
  // MutationInterface.Admit: may change `obj`; a non-OK Status rejects the
  // request and nothing is written.
  virtual Status Mutate(const AdmissionAttributes& a, Object& obj,
                        const ObjectReader& reader) const {
    return Status::Ok();
  }
  // ValidationInterface.Validate: may not change the object.
  virtual Status Validate(const AdmissionAttributes& a, const Object& obj,
                          const ObjectReader& reader) const {
    return Status::Ok();
  }
};

// admission.NewForbidden: a kForbidden Status whose message is
// `<resource> "<name>" is forbidden: <reason>` (qualified resource, e.g.
// "pods", "priorityclasses.scheduling.k8s.io").
Status NewForbidden(const AdmissionAttributes& a, const std::string& reason);

}  // namespace kubesim::api

#endif  // KUBESIM_API_ADMISSION_H_
