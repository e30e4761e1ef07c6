// Informer: a Reflector (list, then watch from the list's resourceVersion,
// relist on 410 Expired) feeding a cache and handlers on the owner's loop.
//
// Threads: all list/watch/handler work runs in tasks on `loop`. The watch sink
// runs on the API server's fan-out thread and only posts to `loop`. The cache
// is read from any thread under State::mu.
//
// Staleness: each watch gets a generation number; events posted by an older
// watch (one that errored or was replaced) are dropped when their task runs,
// and nothing runs once `stopped` is set.
#include "kubesim/client/informer.h"

#include <algorithm>
#include <atomic>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "kubesim/api/object_meta.h"

namespace kubesim::client {
namespace {

// Backoff for a failed list or watch (the simulated clock's time).
constexpr Duration kInitialBackoff = std::chrono::seconds(1);
constexpr Duration kMaxBackoff = std::chrono::seconds(30);

bool IsExpired(const api::ObjectPtr& status) {
  if (!status) return false;
  const std::string reason = api::GetString(*status, "/reason");
  return api::GetInt(*status, "/code") == 410 || reason == "Expired" || reason == "Gone";
}

}  // namespace

struct Informer::State : std::enable_shared_from_this<State> {
  State(Client* c, Dispatcher* l, api::GroupVersionResource g, ListWatchOptions o)
      : client(c), loop(l), gvr(std::move(g)), options(std::move(o)) {}

  Client* const client;
  Dispatcher* const loop;
  const api::GroupVersionResource gvr;
  const ListWatchOptions options;

  // Written before Start, then read only on `loop`.
  std::vector<EventHandler> handlers;

  std::atomic<bool> started{false};
  std::atomic<bool> stopped{false};
  std::atomic<bool> synced{false};

  mutable std::mutex mu;
  std::map<std::string, api::ObjectPtr> cache;  // GUARDED_BY(mu)
  // Point lookups into `cache` by key (watch events, Get): a hash probe
  // instead of a walk down a tree of thousands of keys. The views point at
  // the map's own keys, which never move. GUARDED_BY(mu)
  using CacheIter = std::map<std::string, api::ObjectPtr>::iterator;
  std::unordered_map<std::string_view, CacheIter> index;

  // REQUIRES: mu held.
  void RebuildIndex() {
    index.clear();
    index.reserve(cache.size());
    for (auto it = cache.begin(); it != cache.end(); ++it) index.emplace(it->first, it);
  }
  // The cache's slot for `key`, created empty if absent. REQUIRES: mu held.
  api::ObjectPtr& Slot(const std::string& key) {
    if (auto it = index.find(key); it != index.end()) return it->second->second;
    auto [pos, inserted] = cache.emplace(key, nullptr);
    index.emplace(pos->first, pos);
    return pos->second;
  }
  std::string last_rv;                      // GUARDED_BY(mu)
  std::unique_ptr<api::WatchHandle> watch;  // GUARDED_BY(mu)

  // Watch events received and not yet handled, with the generation of the
  // watch that sent them. The sink appends and posts one drain task only
  // when none is pending, so a burst of events (a pump delivering a hundred
  // creates) costs the loop one task and one thread hand-over instead of one
  // each, as a reflector drains its watch channel. Deterministic: whether a
  // drain is pending depends only on the executor's task order.
  std::mutex pending_mu;
  std::vector<std::pair<uint64_t, api::WatchEvent>> pending;  // GUARDED_BY(pending_mu)
  bool drain_posted = false;                                  // GUARDED_BY(pending_mu)

  // Only touched on `loop`.
  uint64_t generation = 0;  // of the current watch; older events are dropped
  Duration backoff = kInitialBackoff;
  bool have_quick_relist = false;  // an immediate relist happened at...
  Time quick_relist_at;            // ...this instant

  void ListAndWatch();
  void StartWatch();
  void OnEvent(uint64_t gen, const api::WatchEvent& event);
  // Queues `event` for the loop (the sink's side). Thread-safe.
  void Enqueue(uint64_t gen, const api::WatchEvent& event);
  // Handles every queued event, in order (the loop's side).
  void Drain();
  void ScheduleRetry();
  // Relists at once, unless that already happened at this instant (a server
  // that keeps failing must not spin the loop without time passing).
  void RelistSoon();
  void StopWatch();

  void NotifyAdd(const api::ObjectPtr& obj) {
    for (const EventHandler& h : handlers) {
      if (stopped) return;
      if (h.on_add) h.on_add(obj);
    }
  }
  void NotifyUpdate(const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj) {
    for (const EventHandler& h : handlers) {
      if (stopped) return;
      if (h.on_update) h.on_update(old_obj, new_obj);
    }
  }
  void NotifyDelete(const api::ObjectPtr& obj) {
    for (const EventHandler& h : handlers) {
      if (stopped) return;
      if (h.on_delete) h.on_delete(obj);
    }
  }
};

void Informer::State::ListAndWatch() {
  if (stopped) return;
  Request request;
  request.verb = api::Verb::kList;
  request.gvr = gvr;
  request.namespace_ = options.namespace_;
  request.label_selector = options.label_selector;
  request.field_selector = options.field_selector;
  Response response = client->Do(std::move(request));
  if (stopped) return;
  if (!response.ok()) {
    ScheduleRetry();
    return;
  }

  // The listed objects, in the server's order.
  std::vector<std::pair<std::string, api::ObjectPtr>> listed;
  std::map<std::string, api::ObjectPtr> fresh;
  if (auto it = response.body.find("items"); it != response.body.end() && it->is_array()) {
    for (api::Object& item : *it) {
      if (!item.is_object()) continue;
      api::ObjectPtr obj = api::Share(std::move(item));
      std::string key = api::KeyOf(*obj);
      auto [pos, inserted] = fresh.emplace(key, obj);
      if (!inserted) continue;  // A duplicate key: keep the first.
      listed.emplace_back(std::move(key), std::move(obj));
    }
  }

  // Replace the cache, remembering what each key held before.
  std::vector<std::pair<api::ObjectPtr, api::ObjectPtr>> changes;  // (old, new)
  std::vector<api::ObjectPtr> deleted;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& [key, obj] : listed) {
      auto old = cache.find(key);
      if (old == cache.end()) {
        changes.emplace_back(nullptr, obj);
      } else if (api::ResourceVersion(*old->second) != api::ResourceVersion(*obj) ||
                 api::ResourceVersion(*obj).empty()) {
        changes.emplace_back(old->second, obj);
      }
    }
    for (const auto& [key, obj] : cache) {
      if (!fresh.contains(key)) deleted.push_back(obj);
    }
    cache = std::move(fresh);
    RebuildIndex();
    last_rv = api::GetString(response.body, "/metadata/resourceVersion");
  }

  for (const auto& [old_obj, new_obj] : changes) {
    if (old_obj) {
      NotifyUpdate(old_obj, new_obj);
    } else {
      NotifyAdd(new_obj);
    }
  }
  for (const api::ObjectPtr& obj : deleted) NotifyDelete(obj);
  if (stopped) return;
  synced = true;
  StartWatch();
}

void Informer::State::StartWatch() {
  if (stopped) return;
  Request request;
  request.verb = api::Verb::kWatch;
  request.gvr = gvr;
  request.namespace_ = options.namespace_;
  request.label_selector = options.label_selector;
  request.field_selector = options.field_selector;
  request.allow_watch_bookmarks = true;
  {
    std::lock_guard<std::mutex> lock(mu);
    request.resource_version = last_rv;
  }
  const uint64_t gen = ++generation;
  std::weak_ptr<State> weak = weak_from_this();
  // Runs on the API server's fan-out thread: only post.
  api::WatchSink sink = [weak, gen](const api::WatchEvent& event) {
    std::shared_ptr<State> self = weak.lock();
    if (!self || self->stopped) return;
    self->Enqueue(gen, event);
  };
  StatusOr<std::unique_ptr<api::WatchHandle>> result = client->Watch(std::move(request), sink);
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kGone) {
      RelistSoon();
    } else {
      ScheduleRetry();
    }
    return;
  }
  backoff = kInitialBackoff;
  std::unique_ptr<api::WatchHandle> handle = std::move(result).value();
  std::unique_ptr<api::WatchHandle> old;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stopped) {
      old = std::move(handle);  // Stop() ran meanwhile: close the new watch.
    } else {
      old = std::move(watch);
      watch = std::move(handle);
    }
  }
  if (old) old->Stop();
}

void Informer::State::StopWatch() {
  std::unique_ptr<api::WatchHandle> handle;
  {
    std::lock_guard<std::mutex> lock(mu);
    handle = std::move(watch);
  }
  if (handle) handle->Stop();
}

void Informer::State::ScheduleRetry() {
  if (stopped) return;
  const Duration delay = backoff;
  backoff = std::min(backoff * 2, kMaxBackoff);
  loop->PostAfter(delay, [weak = weak_from_this()] {
    if (std::shared_ptr<State> s = weak.lock()) s->ListAndWatch();
  });
}

void Informer::State::RelistSoon() {
  if (stopped) return;
  const Time now = loop->clock().Now();
  if (have_quick_relist && quick_relist_at == now) {
    ScheduleRetry();
    return;
  }
  have_quick_relist = true;
  quick_relist_at = now;
  loop->Post([weak = weak_from_this()] {
    if (std::shared_ptr<State> s = weak.lock()) s->ListAndWatch();
  });
}

void Informer::State::Enqueue(uint64_t gen, const api::WatchEvent& event) {
  {
    std::lock_guard<std::mutex> lock(pending_mu);
    pending.emplace_back(gen, event);
    if (drain_posted) return;
    drain_posted = true;
  }
  loop->Post([weak = weak_from_this()] {
    if (std::shared_ptr<State> s = weak.lock()) s->Drain();
  });
}

void Informer::State::Drain() {
  std::vector<std::pair<uint64_t, api::WatchEvent>> batch;
  {
    std::lock_guard<std::mutex> lock(pending_mu);
    batch.swap(pending);
    drain_posted = false;
  }
  for (const auto& [gen, event] : batch) OnEvent(gen, event);
}

void Informer::State::OnEvent(uint64_t gen, const api::WatchEvent& event) {
  if (stopped || gen != generation) return;
  using Type = api::WatchEvent::Type;
  switch (event.type) {
    case Type::kAdded:
    case Type::kModified: {
      if (!event.object) return;
      const std::string key = api::KeyOf(*event.object);
      api::ObjectPtr old;
      {
        std::lock_guard<std::mutex> lock(mu);
        api::ObjectPtr& slot = Slot(key);
        old = std::move(slot);
        slot = event.object;
        std::string rv = api::ResourceVersion(*event.object);
        if (!rv.empty()) last_rv = std::move(rv);
      }
      // As client-go's processDeltas: a known key is an update whatever the
      // event type says, an unknown one an add.
      if (old) {
        NotifyUpdate(old, event.object);
      } else {
        NotifyAdd(event.object);
      }
      return;
    }
    case Type::kDeleted: {
      if (!event.object) return;
      const std::string key = api::KeyOf(*event.object);
      api::ObjectPtr old;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (auto ix = index.find(key); ix != index.end()) {
          CacheIter it = ix->second;
          old = std::move(it->second);
          index.erase(ix);  // before the key it views goes
          cache.erase(it);
        }
        std::string rv = api::ResourceVersion(*event.object);
        if (!rv.empty()) last_rv = std::move(rv);
      }
      // The event carries the object's final state, the last one known.
      if (old) NotifyDelete(event.object);
      return;
    }
    case Type::kBookmark: {
      if (!event.object) return;
      std::string rv = api::ResourceVersion(*event.object);
      if (rv.empty()) return;
      std::lock_guard<std::mutex> lock(mu);
      last_rv = std::move(rv);
      return;
    }
    case Type::kError: {
      // The watch is over: drop whatever it still has queued, close it, and
      // list again (at once for 410 Expired, else after a backoff).
      ++generation;
      StopWatch();
      if (IsExpired(event.object)) {
        RelistSoon();
      } else {
        ScheduleRetry();
      }
      return;
    }
  }
}

Informer::Informer(Client* client, Dispatcher* loop, api::GroupVersionResource gvr,
                   ListWatchOptions options)
    : state_(std::make_shared<State>(client, loop, std::move(gvr), std::move(options))) {}

Informer::~Informer() { Stop(); }

void Informer::AddEventHandler(EventHandler handler) {
  state_->handlers.push_back(std::move(handler));
}

void Informer::Start() {
  if (state_->started.exchange(true)) return;
  state_->loop->Post([weak = std::weak_ptr<State>(state_)] {
    if (std::shared_ptr<State> s = weak.lock()) s->ListAndWatch();
  });
}

void Informer::Stop() {
  state_->stopped = true;
  state_->StopWatch();
}

bool Informer::HasSynced() const { return state_->synced; }

api::ObjectPtr Informer::Get(const std::string& key) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->index.find(key);
  return it == state_->index.end() ? nullptr : it->second->second;
}

std::vector<api::ObjectPtr> Informer::List() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<api::ObjectPtr> out;
  out.reserve(state_->cache.size());
  for (const auto& [key, obj] : state_->cache) out.push_back(obj);
  return out;
}

size_t Informer::Size() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->cache.size();
}

std::string Informer::LastSyncResourceVersion() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->last_rv;
}

}  // namespace kubesim::client
