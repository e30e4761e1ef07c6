// coordination.k8s.io/v1 Lease: pkg/registry/coordination/lease/strategy.go,
// ValidateLease (pkg/apis/coordination/validation) and printLease.

#include <string>
#include <vector>

#include "strategies.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

// LeaseSpec is not a pointer: always served, "{}" when empty. strategy and
// preferredHolder belong to CoordinatedLeaderElection (alpha, off in 1.32)
// and are dropped unless the stored lease already had them.
void Prepare(Object& lease, const Object* old_lease) {
  if (!lease.contains("spec") || !lease["spec"].is_object()) lease["spec"] = Object::object();
  for (const char* key : {"strategy", "preferredHolder"}) {
    const bool old_had = old_lease && Find(*old_lease, (std::string("/spec/") + key).c_str());
    if (!old_had) lease["spec"].erase(key);
  }
}

class LeaseStrategy final : public ResourceStrategy {
 public:
  LeaseStrategy() {
    info_.gvr = {"coordination.k8s.io", "v1", "leases"};
    info_.kind = "Lease";
    info_.singular = "lease";
    info_.namespaced = true;
    info_.verbs = AllVerbs();
    info_.storage_prefix = "/registry/leases";
  }

  const ResourceInfo& info() const override { return info_; }

  void PrepareForCreate(Object& obj) const override { Prepare(obj, nullptr); }
  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    Prepare(obj, &old_obj);
  }

  // ValidateLeaseSpec.
  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    const Object* duration = Find(obj, "/spec/leaseDurationSeconds");
    if (duration && duration->is_number() && duration->get<int64_t>() <= 0) {
      errs.push_back(
          {Type::kInvalid, "spec.leaseDurationSeconds", *duration, "must be greater than 0"});
    }
    const Object* transitions = Find(obj, "/spec/leaseTransitions");
    if (transitions && transitions->is_number() && transitions->get<int64_t>() < 0) {
      errs.push_back({Type::kInvalid, "spec.leaseTransitions", *transitions,
                      "must be greater than or equal to 0"});
    }
    const std::string preferred = GetString(obj, "/spec/preferredHolder");
    if (!preferred.empty() && GetString(obj, "/spec/strategy").empty()) {
      errs.push_back({Type::kForbidden, "spec.preferredHolder", nullptr,
                      "may only be specified if `strategy` is defined"});
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Holder", "string", "",
               "holderIdentity contains the identity of the holder of a current lease. If "
               "Coordinated Leader Election is used, the holder identity must be equal to the "
               "elected LeaseCandidate.metadata.name field."),
        Column("Age", "string", "", kCreationTimestampDescription),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    return Object::array({Name(obj), GetString(obj, "/spec/holderIdentity"),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now)});
  }

 private:
  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewLeaseStrategy() { return std::make_unique<LeaseStrategy>(); }

}  // namespace kubesim::api::strategies
