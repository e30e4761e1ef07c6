// SharedInformerFactory: client-go's informers/factory.go reduced to what
// kubesim needs (no resync period, no per-type transform).
#include "kubesim/client/shared_informer_factory.h"

#include <utility>

namespace kubesim::client {
namespace {

std::string KeyOf(const api::GroupVersionResource& gvr, const ListWatchOptions& o) {
  return gvr.group + "/" + gvr.resource + "?" + o.namespace_ + "&" + o.label_selector + "&" +
         o.field_selector;
}

}  // namespace

SharedInformerFactory::SharedInformerFactory(Client* client, Executor* executor, std::string name)
    : client_(client), loop_(executor->CreateDispatcher(std::move(name))) {}

SharedInformerFactory::~SharedInformerFactory() {
  Stop();
  // Drop queued list/watch tasks and join the thread before the informers
  // (and the handlers' owners) go.
  loop_->Shutdown();
  retired_.clear();
  loop_.reset();
}

Informer* SharedInformerFactory::ForResource(const api::GroupVersionResource& gvr,
                                             const ListWatchOptions& options) {
  std::string key = KeyOf(gvr, options);
  for (const Entry& e : current_) {
    if (e.key == key) return e.informer.get();
  }
  current_.push_back(
      Entry{std::move(key), std::make_unique<Informer>(client_, loop_.get(), gvr, options)});
  return current_.back().informer.get();
}

void SharedInformerFactory::Start() {
  // Informer::Start is a no-op for one already started.
  for (Entry& e : current_) e.informer->Start();
}

void SharedInformerFactory::Stop() {
  for (Entry& e : current_) {
    e.informer->Stop();
    retired_.push_back(std::move(e.informer));
  }
  current_.clear();
}

}  // namespace kubesim::client
