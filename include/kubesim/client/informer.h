// A shared informer: one list+watch of a resource into a local cache, with
// handlers run on the owner's event loop (client-go's
// tools/cache/shared_informer.go, reduced to what kubesim needs).
//
// Life cycle: construct, AddEventHandler(...)*, Start(). Start posts the
// initial LIST to `loop`; every object listed is passed to on_add, then the
// WATCH from the list's resourceVersion feeds on_add/on_update/on_delete.
// When the watch fails or ends (410 Expired, server restarted) the informer
// re-lists and replays the difference as adds/updates/deletes, as a
// Reflector does. No polling: all work is driven by watch events.
//
// Thread-safety: handlers run only on `loop`. The cache (Get/List) may be
// read from any thread. AddEventHandler must be called before Start.
// Several users sharing one informer (one cache, one watch) get it from a
// SharedInformerFactory (shared_informer_factory.h); their handlers then
// run on the factory's loop, not on their own.
#ifndef KUBESIM_CLIENT_INFORMER_H_
#define KUBESIM_CLIENT_INFORMER_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/client/client.h"
#include "kubesim/sim/executor.h"

namespace kubesim::client {

struct EventHandler {
  std::function<void(const api::ObjectPtr&)> on_add;
  std::function<void(const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj)> on_update;
  std::function<void(const api::ObjectPtr&)> on_delete;
};

struct ListWatchOptions {
  std::string namespace_;  // "" = all namespaces
  std::string label_selector;
  std::string field_selector;
};

class Informer {
 public:
  // `client` and `loop` must outlive the informer.
  Informer(Client* client, Dispatcher* loop, api::GroupVersionResource gvr,
           ListWatchOptions options = {});
  ~Informer();

  void AddEventHandler(EventHandler handler);
  void Start();
  // Stops the watch; no handler runs after Stop returns (on the loop).
  void Stop();
  // True once the initial list has been delivered to handlers.
  bool HasSynced() const;

  // Cache reads, by "ns/name" (or "name" for cluster-scoped kinds).
  api::ObjectPtr Get(const std::string& key) const;
  std::vector<api::ObjectPtr> List() const;  // sorted by key
  size_t Size() const;
  // The resourceVersion of the last event applied to the cache.
  std::string LastSyncResourceVersion() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with in-flight watch sinks
};

}  // namespace kubesim::client

#endif  // KUBESIM_CLIENT_INFORMER_H_
