// Controllers of kube-controller-manager. Each is a reconciler: informers
// feed a WorkQueue of keys; a level-based sync(key) reads the informer caches,
// compares desired with actual, and writes through the Client.
//
// Threads: each controller owns one Dispatcher
// ("kube-controller-manager/<name>") where its syncs and timers run. The
// informers are the controller-manager's shared ones
// (client::SharedInformerFactory, "kube-controller-manager/informers"): one
// list+watch and one cache per resource, every controller's handlers run on
// the factory's dispatcher and only enqueue keys for their controller.
#ifndef KUBESIM_CONTROLLER_CONTROLLER_H_
#define KUBESIM_CONTROLLER_CONTROLLER_H_

#include <memory>
#include <string>
#include <vector>

#include "kubesim/client/client.h"
#include "kubesim/client/shared_informer_factory.h"
#include "kubesim/sim/executor.h"

namespace kubesim::controller {

struct ControllerContext {
  client::Client* client = nullptr;  // must outlive the controller
  Executor* executor = nullptr;      // must outlive the controller
  uint64_t seed = 0;                 // Random(seed, "<controller name>") for choices
  // The controller-manager's shared informers (set by ControllerManager);
  // controllers take their informers from it and never start or stop them.
  client::SharedInformerFactory* informers = nullptr;
};

class Controller {
 public:
  virtual ~Controller() = default;
  virtual std::string name() const = 0;  // upstream's name, e.g. "replicaset-controller"
  // Starts informers and reconciling. After Stop(), Start() resyncs from the
  // API (a restarted controller-manager loses nothing).
  virtual void Start() = 0;
  // No writes after it returns.
  virtual void Stop() = 0;
};

// The controllers of each area, in start order. Defined in
// src/controller/<area>/register.cc.
std::vector<std::unique_ptr<Controller>> NodeControllers(const ControllerContext& ctx);
std::vector<std::unique_ptr<Controller>> WorkloadControllers(const ControllerContext& ctx);
std::vector<std::unique_ptr<Controller>> ServiceControllers(const ControllerContext& ctx);
// Empties a namespace being deleted, then finalizes it
// (src/controller/namespace_controller.cc).
std::unique_ptr<Controller> NewNamespaceController(const ControllerContext& ctx);
// PodDisruptionBudget status (src/controller/disruption_controller.cc).
std::unique_ptr<Controller> NewDisruptionController(const ControllerContext& ctx);

// kube-controller-manager: owns the shared informer factory and every
// controller. Start() starts the controllers (which register their handlers)
// and then the factory, as controllermanager.go calls
// InformerFactory.Start after the controllers' constructors; Stop() stops
// the controllers, then retires the informers, so the next Start() relists.
class ControllerManager {
 public:
  explicit ControllerManager(ControllerContext ctx);
  ~ControllerManager();
  void Start();
  void Stop();
  bool running() const { return running_; }

 private:
  ControllerContext ctx_;
  std::vector<std::unique_ptr<Controller>> controllers_;
  // Declared after controllers_ so it is destroyed first: once it is gone no
  // handler (which points into a controller) can run.
  std::unique_ptr<client::SharedInformerFactory> informers_;
  bool running_ = false;
};

}  // namespace kubesim::controller

#endif  // KUBESIM_CONTROLLER_CONTROLLER_H_
