// Private to src/controller: the creations and deletions a controller waits
// to see in its informer before it syncs a key again, after upstream's
// pkg/controller/controller_utils.go ControllerExpectations (used by the
// ReplicaSet and DaemonSet controllers).
//
// Thread-safety: all methods may be called from any thread. The shared
// informers' handlers observe pods on the informer factory's thread while
// the controller sets expectations in its sync on its own loop; upstream's
// ControllerExpectations is likewise a thread-safe store with atomic
// counters for the same reason.
#ifndef KUBESIM_SRC_CONTROLLER_EXPECTATIONS_H_
#define KUBESIM_SRC_CONTROLLER_EXPECTATIONS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kubesim/sim/clock.h"

namespace kubesim::controller {

class Expectations {
 public:
  // ExpectationsTimeout in controller_utils.go.
  static constexpr Duration kTimeout = std::chrono::minutes(5);

  // SetExpectations: `adds` creations and the deletion of `deletes` (pod
  // keys), replacing what `key` expected before.
  void Set(const std::string& key, int64_t adds, const std::vector<std::string>& deletes,
           Time now) {
    std::lock_guard<std::mutex> lock(mu_);
    Entry& e = entries_[key];
    e.adds = adds;
    e.deletes = std::set<std::string>(deletes.begin(), deletes.end());
    e.set_at = now;
  }
  // CreationObserved: one expected creation happened, or failed (only
  // whether the count is above zero matters, so it stops at zero).
  void CreationObserved(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.adds > 0) --it->second.adds;
  }
  // DeletionObserved: the pod `pod_key` is gone or terminating.
  void DeletionObserved(const std::string& key, const std::string& pod_key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) it->second.deletes.erase(pod_key);
  }
  // SatisfiedExpectations: nothing is pending, or the expectations expired.
  bool Satisfied(const std::string& key, Time now) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return true;
    if (it->second.adds <= 0 && it->second.deletes.empty()) return true;
    return now - it->second.set_at > kTimeout;
  }
  // DeleteExpectations.
  void Delete(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.erase(key);
  }
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.clear();
  }

 private:
  struct Entry {
    int64_t adds = 0;
    std::set<std::string> deletes;  // pod keys
    Time set_at;
  };

  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace kubesim::controller

#endif  // KUBESIM_SRC_CONTROLLER_EXPECTATIONS_H_
