// Private to src/controller: the reconciler shape every controller of
// kube-controller-manager shares. A controller owns one loop
// ("kube-controller-manager/<name>") and builds its work queue on each
// Start(); its informers are the controller-manager's shared ones
// (ctx.informers), on which SetUpInformers registers handlers at each
// Start() (the ControllerManager starts the factory afterwards, and retires
// its informers on Stop(), so a restart relists). Handlers run on the
// factory's thread and only enqueue keys; a level-based Sync(key) does the
// work on the controller's loop (client-go's controller pattern).
#ifndef KUBESIM_SRC_CONTROLLER_RECONCILER_H_
#define KUBESIM_SRC_CONTROLLER_RECONCILER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/object_meta.h"
#include "kubesim/client/event_recorder.h"
#include "kubesim/client/informer.h"
#include "kubesim/client/work_queue.h"
#include "kubesim/controller/controller.h"

namespace kubesim::controller {

class Reconciler : public Controller {
 public:
  Reconciler(const ControllerContext& ctx, std::string name) : ctx_(ctx), name_(std::move(name)) {
    loop_ = ctx_.executor->CreateDispatcher("kube-controller-manager/" + name_);
    recorder_ = std::make_unique<client::EventRecorder>(ctx_.client, loop_->clock(), name_);
  }
  ~Reconciler() override {
    Stop();
    retired_queues_.clear();
    loop_.reset();
  }
  std::string name() const override { return name_; }

  void Start() override {
    if (running_) return;
    running_ = true;
    queue_ = std::make_unique<client::WorkQueue>(
        loop_.get(), [this](const std::string& key) { return Sync(key); });
    SetUpInformers();
  }

  void Stop() override {
    if (!running_) return;
    running_ = false;
    if (queue_) queue_->ShutDown();
    informers_.clear();  // the factory stops and retires them
    // Kept until destruction, as before the shared factory (its pending
    // tasks would be harmless anyway: they check the queue's alive_ token).
    retired_queues_.push_back(std::move(queue_));
  }

 protected:
  virtual void SetUpInformers() = 0;
  virtual Status Sync(const std::string& key) = 0;

  // The shared informer of `gvr`, with `h` registered on it. Call only from
  // SetUpInformers. `h` runs on the factory's thread: it may read the object
  // and the caches and Enqueue; anything else it touches needs a lock.
  client::Informer* AddInformer(const api::GroupVersionResource& gvr, client::EventHandler h) {
    client::Informer* inf = ctx_.informers->ForResource(gvr);
    inf->AddEventHandler(std::move(h));
    informers_[gvr.group + "/" + gvr.resource] = inf;
    return inf;
  }
  // Callable from handlers on the factory's thread: queue_ changes only in
  // Start/Stop, which run while no handler does (executor.h runs one task at
  // a time; ControllerManager calls them from the driver), and
  // WorkQueue::Add is thread-safe.
  void Enqueue(const std::string& key) {
    if (queue_) queue_->Add(key);
  }
  bool AllSynced() const {
    for (const auto& [k, inf] : informers_) {
      if (!inf->HasSynced()) return false;
    }
    return true;
  }
  Time Now() const { return loop_->clock().Now(); }

  ControllerContext ctx_;
  const std::string name_;
  std::unique_ptr<Dispatcher> loop_;
  std::unique_ptr<client::EventRecorder> recorder_;
  bool running_ = false;
  // The shared informers this controller uses (owned by ctx_.informers).
  std::map<std::string, client::Informer*> informers_;
  std::unique_ptr<client::WorkQueue> queue_;
  std::vector<std::unique_ptr<client::WorkQueue>> retired_queues_;
};

}  // namespace kubesim::controller

#endif  // KUBESIM_SRC_CONTROLLER_RECONCILER_H_
