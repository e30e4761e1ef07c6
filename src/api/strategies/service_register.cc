#include "strategies.h"

namespace kubesim::api::strategies {

// Placeholder until this area's kinds land: none yet.
void AddServiceResources(ResourceRegistry& registry) {}

}  // namespace kubesim::api::strategies
