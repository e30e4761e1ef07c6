// apps/v1 ControllerRevision: the history the DaemonSet (and StatefulSet)
// controllers keep of their pod templates.
// pkg/registry/apps/controllerrevision/strategy.go (no status, no
// generation), pkg/apis/apps/validation ValidateControllerRevision (data
// required and immutable, revision non-negative) and
// printControllerRevision in pkg/printers/internalversion/printers.go.
#include <algorithm>
#include <cctype>

#include "workloads_common.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

class ControllerRevisionStrategy final : public ResourceStrategy {
 public:
  ControllerRevisionStrategy() {
    info_.gvr = {"apps", "v1", "controllerrevisions"};
    info_.kind = "ControllerRevision";
    info_.singular = "controllerrevision";
    info_.namespaced = true;
    info_.verbs = AllVerbs();
    info_.storage_prefix = "/registry/controllerrevisions";
  }
  const ResourceInfo& info() const override { return info_; }

  void PrepareForCreate(Object&) const override {}
  void PrepareForUpdate(Object&, const Object&, const std::string&) const override {}

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    const Object* data = Find(obj, "/data");
    if (!data || data->is_null()) errs.push_back({Type::kRequired, "data", nullptr, ""});
    const Object* rev = Find(obj, "/revision");
    if (rev && rev->is_number_integer() && rev->get<int64_t>() < 0) {
      errs.push_back({Type::kInvalid, "revision", *rev, "must be greater than or equal to 0"});
    }
    return errs;
  }

  std::vector<FieldError> ValidateUpdate(const Object& obj, const Object& old_obj) const override {
    std::vector<FieldError> errs = Validate(obj);
    const Object* nd = Find(obj, "/data");
    const Object* od = Find(old_obj, "/data");
    if (!(nd && od && *nd == *od) && !(nd == nullptr && od == nullptr)) {
      errs.push_back({Type::kInvalid, "data", nd ? *nd : Object(), "field is immutable"});
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Controller", "string", "", "Controller of the object"),
        Column("Revision", "string", "",
               "Revision indicates the revision of the state represented by Data."),
        Column("Age", "string", "", kCreationTimestampDescription),
    });
  }

  // The controller as formatResourceName prints it: "daemonset.apps/name".
  Object TableCells(const Object& obj, Time now) const override {
    std::string controller = "<none>";
    const Object* refs = Find(obj, "/metadata/ownerReferences");
    if (refs && refs->is_array()) {
      for (const auto& r : *refs) {
        if (!r.is_object() || !r.value("controller", false)) continue;
        std::string kind = Str(r, "kind");
        std::transform(kind.begin(), kind.end(), kind.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        std::string api_version = Str(r, "apiVersion");
        auto slash = api_version.find('/');
        std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
        controller = kind + (group.empty() ? "" : "." + group) + "/" + Str(r, "name");
        break;
      }
    }
    return Object::array({Name(obj), controller, GetInt(obj, "/revision"),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now)});
  }

 private:
  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewControllerRevisionStrategy() {
  return std::make_unique<ControllerRevisionStrategy>();
}

}  // namespace kubesim::api::strategies
