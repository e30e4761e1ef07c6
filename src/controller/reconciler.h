// Private to src/controller: the reconciler shape every controller of
// kube-controller-manager shares. A controller owns one loop
// ("kube-controller-manager/<name>"), builds its informers and work queue on
// each Start() (an informer cannot restart) and drops them on Stop(), as a
// restarted kube-controller-manager relists; handlers only enqueue keys and a
// level-based Sync(key) does the work (client-go's controller pattern).
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
    retired_informers_.clear();
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
    for (auto& [gvr, inf] : informers_) inf->Start();
  }

  void Stop() override {
    if (!running_) return;
    running_ = false;
    for (auto& [gvr, inf] : informers_) inf->Stop();
    if (queue_) queue_->ShutDown();
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
  std::map<std::string, std::unique_ptr<client::Informer>> informers_;
  std::unique_ptr<client::WorkQueue> queue_;
  std::vector<std::map<std::string, std::unique_ptr<client::Informer>>> retired_informers_;
  std::vector<std::unique_ptr<client::WorkQueue>> retired_queues_;
};

}  // namespace kubesim::controller

#endif  // KUBESIM_SRC_CONTROLLER_RECONCILER_H_
