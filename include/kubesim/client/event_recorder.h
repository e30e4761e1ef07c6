// Records core/v1 Events about objects, as client-go's record.EventRecorder
// with its EventCorrelator: event names "<object>.<hex unix nanos>", source
// {component, host}, reportingComponent/reportingInstance, first/last
// timestamps, and identical events (same object, type, reason, message,
// source) within 10 minutes aggregated into one event with count + 1.
//
// Thread-safety: Event() may be called from any thread; calls are
// serialized internally.
#ifndef KUBESIM_CLIENT_EVENT_RECORDER_H_
#define KUBESIM_CLIENT_EVENT_RECORDER_H_

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "kubesim/api/types.h"
#include "kubesim/client/client.h"
#include "kubesim/sim/clock.h"

namespace kubesim::client {

class EventRecorder {
 public:
  // `component` e.g. "default-scheduler", "kubelet"; `host` the node name for
  // kubelets, "" otherwise. `client` and `clock` must outlive the recorder.
  EventRecorder(Client* client, const Clock& clock, std::string component, std::string host = "");

  // `type` "Normal" or "Warning". `object` is the involved object (its kind,
  // apiVersion, namespace, name, uid, resourceVersion are referenced);
  // `field_path` e.g. "spec.containers{nginx}" for container events.
  void Event(const api::Object& object, const std::string& type, const std::string& reason,
             const std::string& message, const std::string& field_path = "");

 private:
  Client* const client_;
  const Clock& clock_;
  const std::string component_;
  const std::string host_;
  std::mutex mu_;
  // Aggregation key -> (event namespace/name, count, first and last seen).
  struct Seen {
    std::string ns, name;
    int64_t count = 0;
    Time first;
    Time last;
  };
  // Hashed: keys are long and only looked up (pruning order is irrelevant).
  std::unordered_map<std::string, Seen> seen_;  // guarded by mu_
  // seen_ is pruned of stale entries when it grows past this; raised when a
  // prune frees little, so a burst of distinct events at one instant does
  // not rescan the map on every event. Guarded by mu_.
  size_t prune_at_ = 0;
  // The unix nanos used in the last event name: names stay unique even when
  // several events happen at one simulated instant. Guarded by mu_.
  int64_t last_name_nanos_ = 0;
};

}  // namespace kubesim::client

#endif  // KUBESIM_CLIENT_EVENT_RECORDER_H_
