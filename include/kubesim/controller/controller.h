// Controllers of kube-controller-manager. Each is a reconciler: informers
// feed a WorkQueue of keys; a level-based sync(key) reads the informer caches,
// compares desired with actual, and writes through the Client.
//
// Threads: each controller owns one Dispatcher
// ("kube-controller-manager/<name>"); its informer handlers and syncs run
// there.
#ifndef KUBESIM_CONTROLLER_CONTROLLER_H_
#define KUBESIM_CONTROLLER_CONTROLLER_H_

#include <memory>
#include <string>
#include <vector>

#include "kubesim/client/client.h"
#include "kubesim/sim/executor.h"

namespace kubesim::controller {

struct ControllerContext {
  client::Client* client = nullptr;  // must outlive the controller
  Executor* executor = nullptr;      // must outlive the controller
  uint64_t seed = 0;                 // Random(seed, "<controller name>") for choices
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

// kube-controller-manager: owns and starts every controller.
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
  bool running_ = false;
};

}  // namespace kubesim::controller

#endif  // KUBESIM_CONTROLLER_CONTROLLER_H_
