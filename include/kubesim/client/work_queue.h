// A work queue of keys, in the shape of client-go's util/workqueue: fair
// (FIFO), stingy (a key is processed by one call at a time and duplicates
// collapse while it waits), a key re-added while it is being processed runs
// again afterwards, and failures are retried with per-item exponential
// backoff (client-go's DefaultControllerRateLimiter: 5 ms doubling to 1000 s).
//
// Processing runs on `loop`: Add() posts a task that calls `sync(key)`.
// Time is the simulated clock's: backoff delays are PostAfter timers.
//
// Thread-safety: Add/AddAfter/AddRateLimited/Forget/NumRequeues/Len may be
// called from any thread, in particular from informer handlers running on
// another dispatcher (kube-controller-manager's shared informers run every
// controller's handlers on the factory's loop): the queue's state is under
// mu_ and each Add posts the processing task to `loop`, so `sync` runs only
// on `loop`, one key at a time.
#ifndef KUBESIM_CLIENT_WORK_QUEUE_H_
#define KUBESIM_CLIENT_WORK_QUEUE_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "kubesim/sim/executor.h"
#include "kubesim/util/status.h"

namespace kubesim::client {

class WorkQueue {
 public:
  // `sync(key)` reconciles one key; a non-OK result re-queues the key with
  // backoff, OK forgets its failures. `loop` must outlive the queue.
  WorkQueue(Dispatcher* loop, std::function<Status(const std::string&)> sync);
  ~WorkQueue();

  void Add(const std::string& key);
  void AddAfter(const std::string& key, Duration delay);
  void AddRateLimited(const std::string& key);
  void Forget(const std::string& key);
  int NumRequeues(const std::string& key) const;
  size_t Len() const;  // keys waiting (not counting one being processed)
  // Stops processing; pending keys are dropped.
  void ShutDown();

 private:
  void ProcessOne();

  Dispatcher* const loop_;
  const std::function<Status(const std::string&)> sync_;
  mutable std::mutex mu_;
  std::deque<std::string> queue_;        // guarded by mu_
  std::set<std::string> dirty_;          // guarded by mu_: keys waiting in queue_
  std::set<std::string> processing_;     // guarded by mu_
  std::map<std::string, int> failures_;  // guarded by mu_
  bool shut_down_ = false;               // guarded by mu_
  // Posted tasks hold a weak_ptr to this and do nothing once it is gone, so a
  // queue may be destroyed while its tasks and timers are still pending.
  const std::shared_ptr<const int> alive_ = std::make_shared<const int>(0);
};

}  // namespace kubesim::client

#endif  // KUBESIM_CLIENT_WORK_QUEUE_H_
