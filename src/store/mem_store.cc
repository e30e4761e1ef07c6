// The in-memory Store (contract in kubesim/store/store.h).
//
// Layout, chosen so that a Put costs one tree insert and two appends:
//  - keys_: key -> that key's history, a vector of records in mod_revision
//    order. An ordered map because Range is a sorted prefix walk. A record
//    with version 0 is a tombstone: the key was deleted at that revision.
//  - log_: (revision, key) of every event, in revision order. A watch keeps a
//    cursor (the next revision it wants) and rebuilds each Event from the
//    key's history, so the log costs 16 bytes an event and copies no values;
//    polling is a binary search plus the new events.
//  - index_: key -> its node in keys_, a hash index over the same keys for
//    point lookups (Get, a Txn's compares and puts, Delete): with tens of
//    thousands of /registry/pods/<ns>/<name> keys sharing long prefixes, a
//    tree walk costs ~15 string compares of those prefixes, a hash lookup one
//    hash and one compare. Its string_views point into keys_'s node keys,
//    which never move while the node lives; the key leaves the index when
//    Compact erases its node.
//  - dirty_: keys with more than one record or a tombstone, i.e. the only
//    ones Compact has anything to drop from. Keeps Compact proportional to
//    the keys written since the last one, not to the whole store.
//
// Compact(C) keeps revision C readable and watchable, as etcd does. So it
// keeps, per key, the records from C on plus the key's state at C-1 (the last
// record before C, unless a tombstone): exactly what reads at revisions >= C
// and the prev of events from C on need.

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "kubesim/store/store.h"

namespace kubesim::store {
namespace {

constexpr char kCompactedMessage[] = "mvcc: required revision has been compacted";
constexpr char kFutureMessage[] = "mvcc: required revision is a future revision";
constexpr char kDuplicateKeyMessage[] = "etcdserver: duplicate key given in txn request";

struct Record {
  Revision mod_revision = 0;
  Revision create_revision = 0;  // 0 for a tombstone
  int64_t version = 0;           // 0 for a tombstone
  std::string value;
  bool tombstone() const { return version == 0; }
};

struct KeyHistory {
  // Ascending mod_revision; never empty while the key is in the map.
  std::vector<Record> records;
  bool in_dirty_list = false;
};

using KeyMap = std::map<std::string, KeyHistory, std::less<>>;

struct LogEntry {
  Revision revision;
  KeyMap::iterator key;  // std::map iterators stay valid until the key is erased
};

KeyValue ToKeyValue(const std::string& key, const Record& r) {
  return KeyValue{key, r.value, r.create_revision, r.mod_revision, r.version};
}

// The key's live record at revision `at`, or null if the key was absent then.
const Record* StateAt(const KeyHistory& h, Revision at) {
  const std::vector<Record>& recs = h.records;
  // Latest reads are the common case: skip the search.
  if (recs.back().mod_revision <= at) return recs.back().tombstone() ? nullptr : &recs.back();
  auto it = std::upper_bound(recs.begin(), recs.end(), at,
                             [](Revision rev, const Record& r) { return rev < r.mod_revision; });
  if (it == recs.begin()) return nullptr;
  --it;
  return it->tombstone() ? nullptr : &*it;
}

const Record* Latest(const KeyHistory& h) {
  return h.records.back().tombstone() ? nullptr : &h.records.back();
}

Event MakeEvent(const LogEntry& entry) {
  const std::string& key = entry.key->first;
  const std::vector<Record>& recs = entry.key->second.records;
  // Events are usually read soon after the write: search from the back.
  auto it = recs.end();
  do {
    --it;
  } while (it->mod_revision > entry.revision && it != recs.begin());
  assert(it->mod_revision == entry.revision);
  const Record* prev = nullptr;
  if (it != recs.begin() && !std::prev(it)->tombstone()) prev = &*std::prev(it);
  Event ev;
  if (prev != nullptr) {
    ev.has_prev = true;
    ev.prev = ToKeyValue(key, *prev);
  }
  if (it->tombstone()) {
    // A tombstone is only written over a live record, which compaction keeps
    // (it is the key's state just before the delete).
    assert(prev != nullptr);
    ev.type = Event::Type::kDelete;
    ev.kv = ev.prev;
    ev.kv.mod_revision = entry.revision;
  } else {
    ev.type = Event::Type::kPut;
    ev.kv = ToKeyValue(key, *it);
  }
  return ev;
}

// etcd refuses a transaction branch that writes one key twice; so do we, which
// also keeps (key, revision) unique in a history.
bool HasDuplicateKeys(const std::vector<Op>& ops) {
  if (ops.size() < 2) return false;
  std::vector<std::string_view> keys;
  keys.reserve(ops.size());
  for (const Op& op : ops) keys.push_back(op.key);
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

class MemStore;

class MemWatch final : public Watch {
 public:
  MemWatch(MemStore* store, std::string prefix, Revision next_revision)
      : store_(store), prefix_(std::move(prefix)), next_revision_(next_revision) {}
  ~MemWatch() override;

  Status Poll(std::vector<Event>* out) override;
  Status WaitAndPoll(std::vector<Event>* out, std::chrono::milliseconds timeout) override;

 private:
  friend class MemStore;

  MemStore* const store_;
  const std::string prefix_;
  // The polling thread (one at a time) touches these holding store_->mu_
  // shared; Compact holding it exclusive.
  Revision next_revision_;  // Guarded by store_->mu_. The first revision not yet polled.
  bool compacted_ = false;  // Guarded by store_->mu_. Set when unread events were compacted.
};

class MemStore final : public Store {
 public:
  MemStore() = default;
  ~MemStore() override { assert(watches_.empty() && "destroy every Watch before its Store"); }

  Revision CurrentRevision() const override { return current_.load(); }

  Revision CompactedRevision() const override {
    std::shared_lock lock(mu_);
    return compacted_;
  }

  StatusOr<KeyValue> Get(const std::string& key, Revision revision) const override {
    std::shared_lock lock(mu_);
    Revision at = 0;
    KUBESIM_RETURN_IF_ERROR(ResolveReadRevisionLocked(revision, &at));
    const KeyHistory* h = FindLocked(key);
    const Record* r = h == nullptr ? nullptr : StateAt(*h, at);
    if (r == nullptr) return Status::NotFound("key \"" + key + "\" not found");
    return ToKeyValue(key, *r);
  }

  StatusOr<KeyValue> GetRevisions(const std::string& key) const override {
    std::shared_lock lock(mu_);
    const KeyHistory* h = FindLocked(key);
    const Record* r = h == nullptr ? nullptr : Latest(*h);
    if (r == nullptr) return Status::NotFound("key \"" + key + "\" not found");
    return KeyValue{key, {}, r->create_revision, r->mod_revision, r->version};
  }

  StatusOr<RangeResult> Range(const std::string& prefix, Revision revision,
                              size_t limit) const override {
    std::shared_lock lock(mu_);
    RangeResult result;
    KUBESIM_RETURN_IF_ERROR(ResolveReadRevisionLocked(revision, &result.revision));
    for (auto it = keys_.lower_bound(prefix); it != keys_.end() && it->first.starts_with(prefix);
         ++it) {
      const Record* r = StateAt(it->second, result.revision);
      if (r == nullptr) continue;
      result.kvs.push_back(ToKeyValue(it->first, *r));
      if (limit != 0 && result.kvs.size() >= limit) break;
    }
    return result;
  }

  StatusOr<Revision> Put(const std::string& key, std::string value) override {
    Revision rev;
    {
      std::unique_lock lock(mu_);
      rev = current_.load(std::memory_order_relaxed) + 1;
      PutLocked(key, std::move(value), rev);
      current_.store(rev);
    }
    AfterCommit(rev);
    return rev;
  }

  StatusOr<Revision> Delete(const std::string& key) override {
    Revision rev;
    {
      std::unique_lock lock(mu_);
      auto it = index_.find(key);
      if (it == index_.end() || Latest(it->second->second) == nullptr) {
        return Status::NotFound("key \"" + key + "\" not found");
      }
      rev = current_.load(std::memory_order_relaxed) + 1;
      DeleteLocked(it->second, rev);
      current_.store(rev);
    }
    AfterCommit(rev);
    return rev;
  }

  StatusOr<TxnResult> Txn(const std::vector<Compare>& compares, std::vector<Op> then_ops,
                          std::vector<Op> else_ops) override {
    if (HasDuplicateKeys(then_ops) || HasDuplicateKeys(else_ops)) {
      return Status::BadRequest(kDuplicateKeyMessage);
    }
    TxnResult result;
    Revision committed = 0;
    {
      std::unique_lock lock(mu_);
      result.succeeded = true;
      // The compares' lookups, reused by puts of the same keys: the API
      // server's writes compare and put one key, so each write hashes its
      // (long) key once instead of twice.
      std::vector<Lookup> looked_up;
      looked_up.reserve(compares.size());
      for (const Compare& c : compares) {
        auto found = index_.find(c.key);
        const KeyMap::iterator it = found == index_.end() ? keys_.end() : found->second;
        looked_up.push_back(Lookup{&c.key, it});
        const Record* r = it == keys_.end() ? nullptr : Latest(it->second);
        if ((r == nullptr ? 0 : r->mod_revision) == c.mod_revision) continue;
        result.succeeded = false;
        result.current.push_back(r == nullptr ? KeyValue{.key = c.key, .value = {}}
                                              : ToKeyValue(c.key, *r));
      }
      const Revision rev = current_.load(std::memory_order_relaxed) + 1;
      if (ApplyLocked(result.succeeded ? then_ops : else_ops, rev, looked_up)) {
        current_.store(rev);
        committed = rev;
      }
      result.revision = current_.load(std::memory_order_relaxed);
    }
    if (committed != 0) AfterCommit(committed);
    return result;
  }

  StatusOr<std::unique_ptr<store::Watch>> Watch(const std::string& prefix,
                                                Revision start_revision) override {
    std::unique_lock lock(mu_);
    if (start_revision < 0) return Status::BadRequest("mvcc: negative start revision");
    if (start_revision != 0 && start_revision < compacted_) {
      return Status::Gone(kCompactedMessage);
    }
    Revision next =
        start_revision == 0 ? current_.load(std::memory_order_relaxed) + 1 : start_revision;
    auto watch = std::make_unique<MemWatch>(this, prefix, next);
    watches_.insert(watch.get());
    return std::unique_ptr<store::Watch>(std::move(watch));
  }

  void AddCommitListener(std::function<void(Revision)> listener) override {
    std::unique_lock lock(mu_);
    listeners_.push_back(std::move(listener));
  }

  Status Compact(Revision revision) override {
    std::unique_lock lock(mu_);
    if (revision <= compacted_) return Status::Gone(kCompactedMessage);
    if (revision > current_.load(std::memory_order_relaxed)) {
      return Status::BadRequest(kFutureMessage);
    }
    // Revision `revision` itself stays readable: drop what is before it.
    const Revision last_dropped = revision - 1;
    // A watch behind `revision` dies only if one of the dropped events was
    // its own; otherwise it just skips past them, so quiet prefixes survive.
    auto dropped_end = LogLowerBound(revision);
    for (MemWatch* w : watches_) {
      if (w->compacted_ || w->next_revision_ >= revision) continue;
      for (auto it = LogLowerBound(w->next_revision_); it != dropped_end; ++it) {
        if (it->key->first.starts_with(w->prefix_)) {
          w->compacted_ = true;
          break;
        }
      }
      if (!w->compacted_) w->next_revision_ = revision;
    }
    log_.erase(log_.begin(), dropped_end);

    std::vector<KeyMap::iterator> still_dirty;
    for (KeyMap::iterator key : dirty_) {
      std::vector<Record>& recs = key->second.records;
      auto after =
          std::upper_bound(recs.begin(), recs.end(), last_dropped,
                           [](Revision rev, const Record& r) { return rev < r.mod_revision; });
      if (after != recs.begin()) {
        auto state = std::prev(after);
        recs.erase(recs.begin(), state->tombstone() ? after : state);
      }
      if (recs.empty()) {
        // Every event of this key was before `revision`, so no log entry
        // points at it any more.
        index_.erase(std::string_view(key->first));
        keys_.erase(key);
      } else if (recs.size() > 1 || recs.back().tombstone()) {
        still_dirty.push_back(key);
      } else {
        key->second.in_dirty_list = false;
        if (recs.capacity() > 4) recs.shrink_to_fit();
      }
    }
    dirty_ = std::move(still_dirty);
    compacted_ = revision;
    return Status::Ok();
  }

  // For MemWatch.
  void Unregister(MemWatch* w) {
    std::unique_lock lock(mu_);
    watches_.erase(w);
  }

  // Appends the watch's new events; `*seen` = the last revision it covered.
  Status PollWatch(MemWatch* w, std::vector<Event>* out, Revision* seen) const {
    std::shared_lock lock(mu_);
    if (w->compacted_) return Status::Gone(kCompactedMessage);
    const Revision current = current_.load(std::memory_order_relaxed);
    if (w->next_revision_ <= current) {
      for (auto it = LogLowerBound(w->next_revision_); it != log_.end(); ++it) {
        if (it->key->first.starts_with(w->prefix_)) out->push_back(MakeEvent(*it));
      }
      w->next_revision_ = current + 1;
    }
    *seen = w->next_revision_ - 1;
    return Status::Ok();
  }

  // Blocks until the store is past `revision` or `deadline`; false on timeout.
  bool WaitForRevisionAfter(Revision revision,
                            std::chrono::steady_clock::time_point deadline) const {
    std::unique_lock lock(wait_mu_);
    waiters_.fetch_add(1);
    bool ok = wait_cv_.wait_until(lock, deadline, [&] { return current_.load() > revision; });
    waiters_.fetch_sub(1);
    return ok;
  }

 private:
  Status ResolveReadRevisionLocked(Revision revision, Revision* at) const {
    const Revision current = current_.load(std::memory_order_relaxed);
    if (revision == 0) {
      *at = current;
      return Status::Ok();
    }
    if (revision < 0) return Status::BadRequest("mvcc: negative revision");
    if (revision > current) return Status::BadRequest(kFutureMessage);
    if (revision < compacted_) return Status::Gone(kCompactedMessage);
    *at = revision;
    return Status::Ok();
  }

  std::deque<LogEntry>::const_iterator LogLowerBound(Revision revision) const {
    return std::lower_bound(log_.begin(), log_.end(), revision,
                            [](const LogEntry& e, Revision rev) { return e.revision < rev; });
  }

  // The key's history, or null if the key has none (never written, or every
  // record compacted away).
  const KeyHistory* FindLocked(std::string_view key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }

  void MarkDirtyLocked(KeyMap::iterator key) {
    if (key->second.in_dirty_list) return;
    key->second.in_dirty_list = true;
    dirty_.push_back(key);
  }

  // A key looked up in index_ during this write: its node, or keys_.end()
  // if it had none. Map iterators stay valid while other keys are inserted,
  // so a lookup made before a transaction's ops holds through them (the ops
  // never repeat a key).
  struct Lookup {
    const std::string* key;
    KeyMap::iterator it;
  };

  void PutLocked(const std::string& key, std::string value, Revision rev,
                 const std::vector<Lookup>& looked_up = {}) {
    // Updates (most writes: binds, status) find the key in the index and skip
    // the tree walk; only a new key pays for the ordered insert.
    const Lookup* known = nullptr;
    for (const Lookup& l : looked_up) {
      if (*l.key == key) known = &l;
    }
    KeyMap::iterator it;
    if (known != nullptr && known->it != keys_.end()) {
      it = known->it;
    } else if (auto found = known != nullptr ? index_.end() : index_.find(key);
               found != index_.end()) {
      it = found->second;
    } else {
      it = keys_.try_emplace(key).first;
      index_.emplace(std::string_view(it->first), it);
    }
    std::vector<Record>& recs = it->second.records;
    Revision create_revision = rev;
    int64_t version = 1;
    if (!recs.empty() && !recs.back().tombstone()) {
      create_revision = recs.back().create_revision;
      version = recs.back().version + 1;
    }
    recs.push_back(Record{rev, create_revision, version, std::move(value)});
    if (recs.size() > 1) MarkDirtyLocked(it);
    log_.push_back(LogEntry{rev, it});
  }

  // REQUIRES: the key is live.
  void DeleteLocked(KeyMap::iterator it, Revision rev) {
    it->second.records.push_back(Record{rev, 0, 0, {}});
    MarkDirtyLocked(it);
    log_.push_back(LogEntry{rev, it});
  }

  // Applies `ops` at revision `rev`, taking their values; returns whether
  // anything was written (deleting an absent key is a no-op, as in etcd).
  // `looked_up`: keys already looked up under this lock (see Lookup).
  bool ApplyLocked(std::vector<Op>& ops, Revision rev, const std::vector<Lookup>& looked_up) {
    bool wrote = false;
    for (Op& op : ops) {
      if (op.type == Op::Type::kPut) {
        // Moved, not copied: a value is a whole encoded object.
        PutLocked(op.key, std::move(op.value), rev, looked_up);
        wrote = true;
      } else {
        auto it = index_.find(op.key);
        if (it == index_.end() || Latest(it->second->second) == nullptr) continue;
        DeleteLocked(it->second, rev);
        wrote = true;
      }
    }
    return wrote;
  }

  // Runs after a write's lock is released.
  void AfterCommit(Revision rev) {
    // Pairs with WaitForRevisionAfter: current_ was stored before this load
    // and waiters_ is bumped before the waiter reads current_ (both seq_cst),
    // so either we see the waiter or it sees the new revision.
    if (waiters_.load() > 0) {
      std::lock_guard lock(wait_mu_);
      wait_cv_.notify_all();
    }
    for (const auto& listener : listeners_) listener(rev);
  }

  mutable std::shared_mutex mu_;
  KeyMap keys_;  // Guarded by mu_.
  // Guarded by mu_. Exactly the keys of keys_, each to its node.
  std::unordered_map<std::string_view, KeyMap::iterator> index_;
  std::deque<LogEntry> log_;               // Guarded by mu_. Events from compacted_ on.
  std::vector<KeyMap::iterator> dirty_;    // Guarded by mu_.
  std::unordered_set<MemWatch*> watches_;  // Guarded by mu_.
  Revision compacted_ = 0;                 // Guarded by mu_.
  // Written only holding mu_ exclusive; atomic so that CurrentRevision and
  // waiters can read it without mu_.
  std::atomic<Revision> current_{1};
  // Added under mu_ but read without it: the contract adds listeners before
  // concurrent use, and calling them must not hold mu_.
  std::vector<std::function<void(Revision)>> listeners_;

  // Wakes WaitAndPoll; independent of mu_ so writers notify after unlocking.
  mutable std::mutex wait_mu_;
  mutable std::condition_variable wait_cv_;  // Waited on with wait_mu_.
  mutable std::atomic<int> waiters_{0};      // Threads in WaitForRevisionAfter.
};

MemWatch::~MemWatch() { store_->Unregister(this); }

Status MemWatch::Poll(std::vector<Event>* out) {
  Revision seen;
  return store_->PollWatch(this, out, &seen);
}

Status MemWatch::WaitAndPoll(std::vector<Event>* out, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const size_t before = out->size();
  while (true) {
    Revision seen;
    KUBESIM_RETURN_IF_ERROR(store_->PollWatch(this, out, &seen));
    if (out->size() > before) return Status::Ok();
    // New revisions may all be outside our prefix: then poll and wait again.
    if (!store_->WaitForRevisionAfter(seen, deadline)) return Status::Ok();
  }
}

}  // namespace

std::unique_ptr<Store> Store::CreateInMemory() { return std::make_unique<MemStore>(); }

}  // namespace kubesim::store
