// NewBuiltinRegistry (kubesim/api/resource.h): every kind kubesim serves, in
// the order kube-apiserver's discovery lists them.

#include "kubesim/api/resource.h"
#include "strategies/strategies.h"

namespace kubesim::api {

std::unique_ptr<ResourceRegistry> NewBuiltinRegistry() {
  auto registry = std::make_unique<ResourceRegistry>();
  registry->Add(strategies::NewEventStrategy());
  registry->Add(strategies::NewNamespaceStrategy());
  registry->Add(strategies::NewNodeStrategy());
  registry->Add(strategies::NewPodStrategy());
  registry->Add(strategies::NewLeaseStrategy());
  // Kinds added by later areas (src/api/strategies/<area>_register.cc).
  strategies::AddWorkloadResources(*registry);
  strategies::AddServiceResources(*registry);
  strategies::AddSchedulingResources(*registry);
  return registry;
}

}  // namespace kubesim::api
