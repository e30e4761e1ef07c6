#include "kubesim/controller/controller.h"

namespace kubesim::controller {

ControllerManager::ControllerManager(ControllerContext ctx) : ctx_(ctx) {
  // cmd/kube-controller-manager/app/controllermanager.go CreateControllerContext:
  // one InformerFactory shared by every controller.
  informers_ = std::make_unique<client::SharedInformerFactory>(ctx_.client, ctx_.executor,
                                                               "kube-controller-manager/informers");
  ctx_.informers = informers_.get();
  for (auto* make : {&NodeControllers, &WorkloadControllers, &ServiceControllers}) {
    for (auto& c : make(ctx_)) controllers_.push_back(std::move(c));
  }
  controllers_.push_back(NewNamespaceController(ctx_));
  controllers_.push_back(NewDisruptionController(ctx_));
}

ControllerManager::~ControllerManager() {
  Stop();
  // Handlers capture their controllers: the factory (and its thread) goes
  // first.
  informers_.reset();
}

void ControllerManager::Start() {
  if (running_) return;
  running_ = true;
  // Controllers register their handlers on the factory's informers, then the
  // factory lists and watches (StartControllers, then InformerFactory.Start).
  for (auto& c : controllers_) c->Start();
  informers_->Start();
}

void ControllerManager::Stop() {
  if (!running_) return;
  running_ = false;
  for (auto& c : controllers_) c->Stop();
  // Retires the informers: a restart relists from the API.
  informers_->Stop();
}

}  // namespace kubesim::controller
