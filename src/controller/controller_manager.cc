#include "kubesim/controller/controller.h"

namespace kubesim::controller {

ControllerManager::ControllerManager(ControllerContext ctx) : ctx_(ctx) {
  for (auto* make : {&NodeControllers, &WorkloadControllers, &ServiceControllers}) {
    for (auto& c : make(ctx_)) controllers_.push_back(std::move(c));
  }
  controllers_.push_back(NewNamespaceController(ctx_));
  controllers_.push_back(NewDisruptionController(ctx_));
}

ControllerManager::~ControllerManager() { Stop(); }

void ControllerManager::Start() {
  if (running_) return;
  running_ = true;
  for (auto& c : controllers_) c->Start();
}

void ControllerManager::Stop() {
  if (!running_) return;
  running_ = false;
  for (auto& c : controllers_) c->Stop();
}

}  // namespace kubesim::controller
