// The simulator's own controls: what `minikube node stop` or pulling a cable
// would do to a real cluster. These are not Kubernetes API calls; the shell
// offers them as `node stop|start|add|delete`, `stop|start COMPONENT` and
// `curl`.
//
// Thread-safety: called by the driver thread (the shell) only.
#ifndef KUBESIM_CLUSTER_SIM_CONTROL_H_
#define KUBESIM_CLUSTER_SIM_CONTROL_H_

#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/kubelet/kubelet.h"
#include "kubesim/util/status.h"

namespace kubesim::cluster {

class SimulatorControl {
 public:
  virtual ~SimulatorControl() = default;
  // The node's kubelet stops (kNotFound if no such node).
  virtual Status StopNode(const std::string& name) = 0;
  virtual Status StartNode(const std::string& name) = 0;
  // A new node joins (kAlreadyExists if the name is taken); IP and pod CIDR
  // are assigned if empty.
  virtual Status AddNode(kubelet::NodeConfig node) = 0;
  // The machine goes away: kubelet stopped and its Node deleted via the API.
  virtual Status DeleteNode(const std::string& name) = 0;
  // "apiserver", "scheduler", "controller-manager", "etcd".
  virtual Status StopComponent(const std::string& component) = 0;
  virtual Status StartComponent(const std::string& component) = 0;
  // An HTTP request from a host on the node network (a jumpbox): the text a
  // real `curl URL` prints, or a non-OK status whose message is curl's
  // error line ("curl: (7) Failed to connect to ...").
  virtual StatusOr<std::string> Curl(const std::string& url) = 0;
  // The scheduler's record of its last attempt at pod ns/name (the JSON the
  // shell's `why` prints; layout in docs/commands.md). kNotFound when there
  // is none.
  virtual StatusOr<api::Object> SchedulingExplanation(const std::string& ns,
                                                      const std::string& name) {
    return Status::NotFound("no scheduler to ask");
  }
};

}  // namespace kubesim::cluster

#endif  // KUBESIM_CLUSTER_SIM_CONTROL_H_
