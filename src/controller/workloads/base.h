// Private to src/controller/workloads: the reconciler shape the area's
// controllers share (one loop "kube-controller-manager/<name>", informers and
// a work queue rebuilt on each Start(), as a restarted controller-manager
// relists), and the helpers of pkg/controller/controller_utils.go and
// pkg/controller/deployment/util they use.
#ifndef KUBESIM_SRC_CONTROLLER_WORKLOADS_BASE_H_
#define KUBESIM_SRC_CONTROLLER_WORKLOADS_BASE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/object_meta.h"
#include "kubesim/client/event_recorder.h"
#include "kubesim/client/informer.h"
#include "kubesim/client/work_queue.h"
#include "kubesim/controller/controller.h"

namespace kubesim::controller::workloads {

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

inline constexpr char kPodTemplateHashLabel[] = "pod-template-hash";
inline constexpr char kRevisionAnnotation[] = "deployment.kubernetes.io/revision";
inline constexpr char kDesiredReplicasAnnotation[] = "deployment.kubernetes.io/desired-replicas";
inline constexpr char kMaxReplicasAnnotation[] = "deployment.kubernetes.io/max-replicas";

// The annotation `key` of `obj`, "" when absent.
std::string Annotation(const api::Object& obj, const std::string& key);
// metav1.GetControllerOf: the ownerReference with controller: true, or null.
const api::Object* ControllerRef(const api::Object& obj);
// An ownerReference to `owner` with controller and blockOwnerDeletion set.
api::Object NewControllerRef(const api::Object& owner);
// The Ready condition is True (podutil.IsPodReady).
bool IsPodReady(const api::Object& pod);
// controller.IsPodActive: not Succeeded/Failed and no deletionTimestamp.
bool IsPodActive(const api::Object& pod);
// The Int32OrString at `json_pointer` scaled against `total`
// (intstr.GetScaledValueFromIntOrPercent).
int64_t ScaledValue(const api::Object& obj, const char* json_pointer, int64_t total, bool round_up);
// controller.ComputeHash + rand.SafeEncodeString: FNV-32a of the template
// (and collisionCount), encoded with the generateName alphabet.
std::string ComputeHash(const api::Object& pod_template, int64_t collision_count);

std::unique_ptr<Controller> NewReplicaSetController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewDeploymentController(const ControllerContext& ctx);
std::unique_ptr<Controller> NewGarbageCollector(const ControllerContext& ctx);

}  // namespace kubesim::controller::workloads

#endif  // KUBESIM_SRC_CONTROLLER_WORKLOADS_BASE_H_
