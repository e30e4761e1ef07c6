#include "kubesim/controller/controller.h"

namespace kubesim::controller {

// Placeholder until this area's controllers land: none yet.
std::vector<std::unique_ptr<Controller>> WorkloadControllers(const ControllerContext& ctx) { return {}; }

}  // namespace kubesim::controller
