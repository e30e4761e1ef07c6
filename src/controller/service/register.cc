// The services area's controllers (kube-controller-manager's
// "endpoints-controller", "endpointslice-controller",
// "serviceaccount-controller") and the helpers they share.
#include "base.h"

namespace kubesim::controller {
namespace service {

bool ServiceSelector(const api::Object& svc, std::map<std::string, std::string>* out) {
  const api::Object* sel = api::Find(svc, "/spec/selector");
  if (!sel || !sel->is_object() || sel->empty()) return false;
  for (auto it = sel->begin(); it != sel->end(); ++it) {
    if (it.value().is_string()) (*out)[it.key()] = it.value().get<std::string>();
  }
  return true;
}

bool IsPodReady(const api::Object& pod) {
  const api::Object* conds = api::Find(pod, "/status/conditions");
  if (!conds || !conds->is_array()) return false;
  for (const auto& c : *conds) {
    if (api::GetString(c, "/type") == "Ready") return api::GetString(c, "/status") == "True";
  }
  return false;
}

// podutil.FindPort.
bool ResolvePorts(const api::Object& svc, const api::Object& pod, api::Object* ports) {
  *ports = api::Object::array();
  const api::Object* sp = api::Find(svc, "/spec/ports");
  if (!sp || !sp->is_array()) return true;
  for (const auto& p : *sp) {
    const std::string proto = api::GetString(p, "/protocol");
    int64_t port = 0;
    const api::Object* tp = api::Find(p, "/targetPort");
    if (tp && tp->is_number_integer()) {
      port = tp->get<int64_t>();
    } else if (tp && tp->is_string()) {
      const std::string want = tp->get<std::string>();
      const api::Object* containers = api::Find(pod, "/spec/containers");
      if (containers && containers->is_array()) {
        for (const auto& c : *containers) {
          const api::Object* cps = api::Find(c, "/ports");
          if (!cps || !cps->is_array()) continue;
          for (const auto& cp : *cps) {
            std::string cproto = api::GetString(cp, "/protocol");
            if (cproto.empty()) cproto = "TCP";
            if (api::GetString(cp, "/name") == want && cproto == proto) {
              port = api::GetInt(cp, "/containerPort");
            }
          }
        }
      }
      if (port == 0) return false;
    } else {
      port = api::GetInt(p, "/port");
    }
    api::Object ep = {{"port", port}, {"protocol", proto}};
    const std::string name = api::GetString(p, "/name");
    ep["name"] = name;
    ports->push_back(std::move(ep));
  }
  return true;
}

}  // namespace service

std::vector<std::unique_ptr<Controller>> ServiceControllers(const ControllerContext& ctx) {
  std::vector<std::unique_ptr<Controller>> out;
  out.push_back(service::NewServiceAccountsController(ctx));
  out.push_back(service::NewEndpointsController(ctx));
  out.push_back(service::NewEndpointSliceController(ctx));
  return out;
}

}  // namespace kubesim::controller
