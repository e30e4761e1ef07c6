// v1 ServiceAccount: pkg/registry/core/serviceaccount/strategy.go and
// printServiceAccount (pkg/printers/internalversion/printers.go).

#include <string>
#include <vector>

#include "strategies.h"

namespace kubesim::api::strategies {
namespace {

class ServiceAccountStrategy final : public ResourceStrategy {
 public:
  ServiceAccountStrategy() {
    info_.gvr = {"", "v1", "serviceaccounts"};
    info_.kind = "ServiceAccount";
    info_.singular = "serviceaccount";
    info_.namespaced = true;
    info_.short_names = {"sa"};
    info_.verbs = AllVerbs();
    info_.subresources = {"token"};
    info_.storage_prefix = "/registry/serviceaccounts";
  }

  const ResourceInfo& info() const override { return info_; }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Secrets", "string", "",
               "Secrets is a list of the secrets in the same namespace that pods running using "
               "this ServiceAccount are allowed to use. Pods are only limited to this list if "
               "this service account has a \"kubernetes.io/enforce-mountable-secrets\" "
               "annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" "
               "annotation is deprecated since v1.32. Prefer separate namespaces to isolate "
               "access to mounted secrets. This field should not be used to find auto-generated "
               "service account token secrets for use outside of pods. Instead, tokens can be "
               "requested directly using the TokenRequest API, or service account token secrets "
               "can be manually created. More info: "
               "https://kubernetes.io/docs/concepts/configuration/secret"),
        Column("Age", "string", "", kCreationTimestampDescription),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    const Object* secrets = Find(obj, "/secrets");
    const int64_t n = secrets && secrets->is_array() ? static_cast<int64_t>(secrets->size()) : 0;
    return Object::array(
        {Name(obj), n, TranslateTimestampSince(obj, "/metadata/creationTimestamp", now)});
  }

 private:
  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewServiceAccountStrategy() {
  return std::make_unique<ServiceAccountStrategy>();
}

}  // namespace kubesim::api::strategies
