// v1 Endpoints: pkg/registry/core/endpoint/strategy.go and printEndpoints /
// formatEndpoints (pkg/printers/internalversion/printers.go).

#include <string>
#include <vector>

#include "strategies.h"

namespace kubesim::api::strategies {
namespace {

class EndpointsStrategy final : public ResourceStrategy {
 public:
  EndpointsStrategy() {
    info_.gvr = {"", "v1", "endpoints"};
    info_.kind = "Endpoints";
    info_.singular = "endpoints";
    info_.namespaced = true;
    info_.short_names = {"ep"};
    info_.verbs = AllVerbs();
    info_.storage_prefix = "/registry/services/endpoints";
  }

  const ResourceInfo& info() const override { return info_; }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Endpoints", "string", "",
               "The set of all endpoints is the union of all subsets. Addresses are placed into "
               "subsets according to the IPs they share. A single address with multiple ports, "
               "some of which are ready and some of which are not (because they come from "
               "different containers) will result in the address being displayed in different "
               "subsets for the different ports. No address will appear in both Addresses and "
               "NotReadyAddresses in the same subset. Sets of addresses and ports that comprise "
               "a service."),
        Column("Age", "string", "", kCreationTimestampDescription),
    });
  }

  Object TableCells(const Object& obj, Time now) const override {
    return Object::array({Name(obj), FormatEndpoints(obj),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now)});
  }

 private:
  // formatEndpoints(endpoints, nil): ready addresses only, at most 3.
  static std::string FormatEndpoints(const Object& obj) {
    constexpr size_t kMax = 3;
    std::vector<std::string> list;
    size_t count = 0;
    const Object* subsets = Find(obj, "/subsets");
    if (subsets && subsets->is_array()) {
      for (const Object& ss : *subsets) {
        const Object* addrs = Find(ss, "/addresses");
        const Object* ports = Find(ss, "/ports");
        if (!addrs || !addrs->is_array()) continue;
        if (!ports || !ports->is_array() || ports->empty()) {
          for (const Object& a : *addrs) {
            if (list.size() < kMax) list.push_back(Str(a, "ip"));
            ++count;
          }
          continue;
        }
        for (const Object& p : *ports) {
          for (const Object& a : *addrs) {
            if (list.size() < kMax) {
              list.push_back(Str(a, "ip") + ":" + std::to_string(GetInt(p, "/port")));
            }
            ++count;
          }
        }
      }
    }
    std::string ret;
    for (const auto& s : list) ret += (ret.empty() ? "" : ",") + s;
    if (count > list.size()) ret += " + " + std::to_string(count - kMax) + " more...";
    return ret.empty() ? "<none>" : ret;
  }

  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewEndpointsStrategy() {
  return std::make_unique<EndpointsStrategy>();
}

}  // namespace kubesim::api::strategies
