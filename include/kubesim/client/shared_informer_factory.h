// SharedInformerFactory: one informer (one list+watch, one cache) per
// resource for a whole component, every user registering its handlers on it
// (client-go's informers.NewSharedInformerFactory, which
// cmd/kube-controller-manager/app/controllermanager.go builds once as
// ControllerContext.InformerFactory and starts after every controller's
// constructor has registered its handlers).
//
// Life cycle: ForResource(...)* (users add handlers), Start(); later Stop().
// Informers cannot restart (informer.h), so Stop() retires the current set
// and the next ForResource call builds a fresh informer that relists from
// the API on the next Start(), as a restarted kube-controller-manager does.
// Retired informers stay alive (stopped) until the factory is destroyed, so
// a pointer a user still holds never dangles.
//
// Threads: the factory owns one Dispatcher (`name`); every list, watch event
// and handler of its informers runs there, not on the users' loops. Handlers
// must therefore only read the object and the caches (readable from any
// thread) and enqueue work for their owner (WorkQueue::Add is thread-safe),
// or guard whatever else they touch. A handler with nothing to do costs its
// owner nothing.
//
// Thread-safety: ForResource, Start and Stop must be called by one thread at
// a time while no handler of this factory runs (the driver, or a task of the
// caller's, as the Executor runs one task at a time; executor.h).
#ifndef KUBESIM_CLIENT_SHARED_INFORMER_FACTORY_H_
#define KUBESIM_CLIENT_SHARED_INFORMER_FACTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/client/client.h"
#include "kubesim/client/informer.h"
#include "kubesim/sim/executor.h"

namespace kubesim::client {

class SharedInformerFactory {
 public:
  // `client` and `executor` must outlive the factory.
  SharedInformerFactory(Client* client, Executor* executor, std::string name);
  // Stops every informer and shuts the dispatcher down: no handler runs
  // after it returns.
  ~SharedInformerFactory();

  SharedInformerFactory(const SharedInformerFactory&) = delete;
  SharedInformerFactory& operator=(const SharedInformerFactory&) = delete;

  // The one informer of `gvr` (with `options`; equal options share) in the
  // current generation, created unstarted if absent. Owned by the factory;
  // valid until the factory is destroyed. Register handlers before Start().
  Informer* ForResource(const api::GroupVersionResource& gvr, const ListWatchOptions& options = {});

  // Starts every informer not yet started, in creation order (each lists on
  // the factory's dispatcher, then watches).
  void Start();
  // Stops every informer of the current generation and retires them; no
  // handler of theirs runs afterwards.
  void Stop();

  Dispatcher* dispatcher() { return loop_.get(); }

 private:
  struct Entry {
    std::string key;  // group/resource?namespace&labels&fields
    std::unique_ptr<Informer> informer;
  };

  Client* const client_;
  std::unique_ptr<Dispatcher> loop_;
  std::vector<Entry> current_;                      // creation order
  std::vector<std::unique_ptr<Informer>> retired_;  // stopped; kept for held pointers
};

}  // namespace kubesim::client

#endif  // KUBESIM_CLIENT_SHARED_INFORMER_FACTORY_H_
