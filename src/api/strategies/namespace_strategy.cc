// v1 Namespace: pkg/registry/core/namespace/strategy.go, the v1 defaults
// (pkg/apis/core/v1/defaults.go) and printNamespace.

#include <string>
#include <vector>

#include "kubesim/api/validation.h"
#include "strategies.h"

namespace kubesim::api::strategies {
namespace {

constexpr char kMetadataNameLabel[] = "kubernetes.io/metadata.name";
constexpr char kFinalizerKubernetes[] = "kubernetes";

// SetDefaults_Namespace / namespaceStrategy.Canonicalize: the label that
// mirrors the name, always overwritten.
void SetNameLabel(Object& ns) {
  const std::string name = Name(ns);
  if (name.empty()) return;
  Object& meta = ns["metadata"];
  if (!meta.contains("labels") || !meta["labels"].is_object()) meta["labels"] = Object::object();
  meta["labels"][kMetadataNameLabel] = name;
}

class NamespaceStrategy final : public ResourceStrategy {
 public:
  NamespaceStrategy() {
    info_.gvr = {"", "v1", "namespaces"};
    info_.kind = "Namespace";
    info_.singular = "namespace";
    info_.namespaced = false;
    info_.short_names = {"ns"};
    // Namespaces serve no deletecollection.
    info_.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
    info_.subresources = {"status", "finalize"};
    info_.storage_prefix = "/registry/namespaces";
  }

  const ResourceInfo& info() const override { return info_; }
  NameRule name_rule() const override { return NameRule::kDns1123Label; }

  void PrepareForCreate(Object& obj) const override {
    // On create, status is Active and the "kubernetes" finalizer is required.
    obj["status"] = Object{{"phase", "Active"}};
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Object::object();
    Object& spec = obj["spec"];
    if (!spec.contains("finalizers") || !spec["finalizers"].is_array()) {
      spec["finalizers"] = Object::array();
    }
    bool has_kube = false;
    for (const auto& f : spec["finalizers"]) {
      if (f.is_string() && f.get<std::string>() == kFinalizerKubernetes) has_kube = true;
    }
    if (!has_kube) spec["finalizers"].push_back(kFinalizerKubernetes);
    SetNameLabel(obj);
  }

  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    if (subresource == "status") {
      // namespaceStatusStrategy: the spec stays.
      CopyField(obj, old_obj, "spec");
    } else if (subresource == "finalize") {
      // namespaceFinalizeStrategy: only spec.finalizers may change.
      CopyField(obj, old_obj, "status");
    } else {
      // namespaceStrategy: finalizers and status are kept.
      if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Object::object();
      const Object* old_finalizers = Find(old_obj, "/spec/finalizers");
      if (old_finalizers) {
        obj["spec"]["finalizers"] = *old_finalizers;
      } else {
        obj["spec"].erase("finalizers");
      }
      CopyField(obj, old_obj, "status");
    }
    SetNameLabel(obj);
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    const Object* finalizers = Find(obj, "/spec/finalizers");
    if (finalizers && finalizers->is_array()) {
      for (const auto& f : *finalizers) {
        const std::string name = f.is_string() ? f.get<std::string>() : "";
        ValidateFinalizerName(name, &errs);
      }
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Status", "string", "", "The status of the namespace"),
        Column("Age", "string", "", kCreationTimestampDescription),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    return Object::array({Name(obj), GetString(obj, "/status/phase"),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now)});
  }

  bool FieldValue(const Object& obj, const std::string& field, std::string* out) const override {
    if (field == "status.phase") {
      *out = GetString(obj, "/status/phase");
      return true;
    }
    return ResourceStrategy::FieldValue(obj, field, out);
  }

 private:
  static void CopyField(Object& obj, const Object& old_obj, const char* key) {
    if (old_obj.is_object() && old_obj.contains(key)) {
      obj[key] = old_obj[key];
    } else if (obj.is_object()) {
      obj.erase(key);
    }
  }

  // validateFinalizerName (pkg/apis/core/validation): a qualified name, and
  // without a '/' one of the standard names.
  static void ValidateFinalizerName(const std::string& name, std::vector<FieldError>* errs) {
    const std::string path = "spec.finalizers";
    for (const auto& msg : IsQualifiedName(name)) {
      errs->push_back({FieldError::Type::kInvalid, path, name, msg});
    }
    if (name.find('/') == std::string::npos && name != "kubernetes" && name != "orphan" &&
        name != "foregroundDeletion") {
      errs->push_back({FieldError::Type::kInvalid, path, name,
                       "name is neither a standard finalizer name nor is it fully qualified"});
    }
  }

  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewNamespaceStrategy() {
  return std::make_unique<NamespaceStrategy>();
}

}  // namespace kubesim::api::strategies
