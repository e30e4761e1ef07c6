// The admission chain (k8s.io/apiserver/pkg/admission/chain.go): plugins in
// order, the first error wins; admission.NewForbidden's error shape.
#include "admission_chain.h"

#include "kubesim/api/errors.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::api {

Status NewForbidden(const AdmissionAttributes& a, const std::string& reason) {
  // errors.NewForbidden(qualifiedResource, name, err).
  const std::string resource =
      a.gvr.group.empty() ? a.gvr.resource : a.gvr.resource + "." + a.gvr.group;
  return Status(StatusCode::kForbidden, resource + " \"" + a.name + "\" is forbidden: " + reason);
}

namespace admission {
namespace {

StatusOr<ObjectPtr> Decode(const store::KeyValue& kv) {
  Object o = Object::parse(kv.value, nullptr, /*allow_exceptions=*/false);
  if (o.is_discarded()) return Status::Internal("corrupt object at " + kv.key);
  o["metadata"]["resourceVersion"] = std::to_string(kv.mod_revision);
  return Share(std::move(o));
}

}  // namespace

StatusOr<ObjectPtr> StoreObjectReader::DecodeKv(const store::KeyValue& kv) const {
  return decode_ != nullptr && *decode_ ? (*decode_)(kv) : Decode(kv);
}

std::vector<ObjectPtr> StoreObjectReader::List(const GroupVersionResource& gvr,
                                               const std::string& ns) const {
  std::vector<ObjectPtr> out;
  const ResourceStrategy* s = registry_->Find(gvr);
  if (s == nullptr) return out;
  std::string prefix = s->info().storage_prefix + "/";
  if (s->info().namespaced && !ns.empty()) prefix += ns + "/";
  auto range = store_->Range(prefix);
  if (!range.ok()) return out;
  for (const auto& kv : range->kvs) {
    auto obj = DecodeKv(kv);
    if (obj.ok()) out.push_back(std::move(*obj));
  }
  return out;
}

StatusOr<ObjectPtr> StoreObjectReader::Get(const GroupVersionResource& gvr, const std::string& ns,
                                           const std::string& name) const {
  const ResourceStrategy* s = registry_->Find(gvr);
  if (s == nullptr) return Status::NotFound("the server could not find the requested resource");
  auto kv = store_->Get(s->info().StorageKey(ns, name));
  if (!kv.ok()) return kv.status();
  return DecodeKv(*kv);
}

Response RunAdmission(const ResourceRegistry& registry, const ObjectReader& reader,
                      const AdmissionAttributes& attributes, Object& obj, bool mutating) {
  for (const AdmissionPlugin* plugin : registry.AdmissionPlugins()) {
    Status st = mutating ? plugin->Mutate(attributes, obj, reader)
                         : plugin->Validate(attributes, obj, reader);
    if (st.ok()) continue;
    Response r = FromStatus(st);
    if (st.code() == StatusCode::kForbidden) {
      // StatusDetails of errors.NewForbidden: name, group, kind = resource.
      Object details = {{"name", attributes.name}};
      if (!attributes.gvr.group.empty()) details["group"] = attributes.gvr.group;
      details["kind"] = attributes.gvr.resource;
      r.body["details"] = std::move(details);
    }
    return r;
  }
  Response ok;
  ok.code = 200;
  return ok;
}

}  // namespace admission
}  // namespace kubesim::api
