// Private to src/controller/service: the shape the area's controllers share.
// A controller owns one loop ("kube-controller-manager/<name>"), builds its
// informers and work queue on each Start() (an informer cannot restart) and
// drops them on Stop(), as a restarted kube-controller-manager relists.
#ifndef KUBESIM_SRC_CONTROLLER_SERVICE_BASE_H_
#define KUBESIM_SRC_CONTROLLER_SERVICE_BASE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/object_meta.h"
#include "kubesim/client/informer.h"
#include "kubesim/client/work_queue.h"
#include "kubesim/controller/controller.h"

namespace kubesim::controller::service {

class ReconcilerBase : public Controller {
 public:
  ReconcilerBase(const ControllerContext& ctx, std::string name)
      : ctx_(ctx), name_(std::move(name)) {
    loop_ = ctx_.executor->CreateDispatcher("kube-controller-manager/" + name_);
  }
  ~ReconcilerBase() override {
    Stop();
    retired_informers_.clear();
    retired_queues_.clear();
    loop_.reset();  // drops pending tasks, joins the thread
  }
  std::string name() const override { return name_; }

  void Start() override {
    if (running_) return;
    running_ = true;
    queue_ = std::make_unique<client::WorkQueue>(
        loop_.get(), [this](const std::string& key) { return Sync(key); });
    SetUpInformers();
    for (auto& [gvr, inf] : informers_) inf->Start();
  }

  void Stop() override {
    if (!running_) return;
    running_ = false;
    for (auto& [gvr, inf] : informers_) inf->Stop();
    if (queue_) queue_->ShutDown();
    // Keep the objects alive until the loop is gone (tasks may hold them);
    // they are replaced on the next Start().
    retired_informers_.push_back(std::move(informers_));
    informers_.clear();
    retired_queues_.push_back(std::move(queue_));
  }

 protected:
  virtual void SetUpInformers() = 0;
  virtual Status Sync(const std::string& key) = 0;

  client::Informer* AddInformer(const api::GroupVersionResource& gvr, client::EventHandler h) {
    auto inf = std::make_unique<client::Informer>(ctx_.client, loop_.get(), gvr);
    inf->AddEventHandler(std::move(h));
    client::Informer* raw = inf.get();
    informers_[gvr.group + "/" + gvr.resource] = std::move(inf);
    return raw;
  }
  void Enqueue(const std::string& key) {
    if (queue_) queue_->Add(key);
  }

  ControllerContext ctx_;
  const std::string name_;
  std::unique_ptr<Dispatcher> loop_;
  bool running_ = false;
  std::map<std::string, std::unique_ptr<client::Informer>> informers_;
  std::unique_ptr<client::WorkQueue> queue_;
  std::vector<std::map<std::string, std::unique_ptr<client::Informer>>> retired_informers_;
  std::vector<std::unique_ptr<client::WorkQueue>> retired_queues_;
};

// A service's selector as a map; false when it has none (such services are
// not managed by the endpoints controllers).
bool ServiceSelector(const api::Object& svc, std::map<std::string, std::string>* out);
// The pod's Ready condition is True.
bool IsPodReady(const api::Object& pod);
// The service's ports resolved against `pod` (targetPort numbers, or a named
// containerPort): {name, port, protocol}. False when a named port is missing.
bool ResolvePorts(const api::Object& svc, const api::Object& pod, api::Object* ports);

std::unique_ptr<Controller> NewEndpointsController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewEndpointSliceController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewServiceAccountsController(const ControllerContext& ctx);

}  // namespace kubesim::controller::service

#endif  // KUBESIM_SRC_CONTROLLER_SERVICE_BASE_H_
