// Private to src/api: how the API server runs the admission plugins
// (kubesim/api/admission.h) of its registry, and the ObjectReader over its
// own store that the plugins read through.
#ifndef KUBESIM_SRC_API_ADMISSION_ADMISSION_CHAIN_H_
#define KUBESIM_SRC_API_ADMISSION_ADMISSION_CHAIN_H_

#include <functional>

#include "kubesim/api/admission.h"
#include "kubesim/api/resource.h"
#include "kubesim/store/store.h"

namespace kubesim::api::admission {

// Reads objects straight from the store (both must outlive the reader).
class StoreObjectReader final : public ObjectReader {
 public:
  // How a stored value becomes an object (resourceVersion set); null =
  // parse it. The API server passes its watch-cache-backed decoder, so
  // admission's reads (e.g. the PriorityClasses on every pod create) neither
  // parse nor copy unchanged objects. `decode` must outlive the reader.
  using Decoder = std::function<StatusOr<ObjectPtr>(const store::KeyValue&)>;
  StoreObjectReader(store::Store* store, const ResourceRegistry* registry,
                    const Decoder* decode = nullptr)
      : store_(store), registry_(registry), decode_(decode) {}
  std::vector<ObjectPtr> List(const GroupVersionResource& gvr,
                              const std::string& ns) const override;
  StatusOr<ObjectPtr> Get(const GroupVersionResource& gvr, const std::string& ns,
                          const std::string& name) const override;

 private:
  StatusOr<ObjectPtr> DecodeKv(const store::KeyValue& kv) const;

  store::Store* const store_;
  const ResourceRegistry* const registry_;
  const Decoder* const decode_;
};

// Runs every plugin's Mutate (mutating = true) or Validate in order; the
// first failure becomes the response (a 403 Forbidden with upstream's
// details for kForbidden). Returns an OK response (code 200) when all pass.
Response RunAdmission(const ResourceRegistry& registry, const ObjectReader& reader,
                      const AdmissionAttributes& attributes, Object& obj, bool mutating);

}  // namespace kubesim::api::admission

#endif  // KUBESIM_SRC_API_ADMISSION_ADMISSION_CHAIN_H_
