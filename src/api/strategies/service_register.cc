// The services area's kinds: v1 Services, Endpoints, ServiceAccounts and
// discovery.k8s.io/v1 EndpointSlices (one strategy file each).
#include "strategies.h"

namespace kubesim::api::strategies {

std::unique_ptr<ResourceStrategy> NewServiceStrategy();         // service_strategy.cc
std::unique_ptr<ResourceStrategy> NewEndpointsStrategy();       // endpoints_strategy.cc
std::unique_ptr<ResourceStrategy> NewServiceAccountStrategy();  // serviceaccount_strategy.cc
std::unique_ptr<ResourceStrategy> NewEndpointSliceStrategy();   // endpointslice_strategy.cc

void AddServiceResources(ResourceRegistry& registry) {
  registry.Add(NewServiceStrategy());
  registry.Add(NewEndpointsStrategy());
  registry.Add(NewServiceAccountStrategy());
  registry.Add(NewEndpointSliceStrategy());
}

}  // namespace kubesim::api::strategies
