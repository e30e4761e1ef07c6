// An etcd-like MVCC key-value store: the only state kubesim keeps.
//
// Semantics follow etcd v3 (go.etcd.io/etcd/server/mvcc):
//  - One cluster-wide revision. A new store is at revision 1 (as etcd, whose
//    first write gets revision 2). Every successful write transaction bumps it
//    by exactly one, whatever number of keys it touches.
//  - Each live key has create_revision (revision of the write that created
//    it), mod_revision (of its last write) and version (writes since
//    creation, 1 on create). A deleted key is gone: its next create starts a
//    new life with version 1.
//  - Reads see the latest revision, or an older one not yet compacted.
//  - Txn: all compares hold -> then-ops, else else-ops, atomically. Compare on
//    mod_revision is how the API server does optimistic concurrency: create =
//    "mod_revision == 0" (key absent), update/delete = "mod_revision == the one
//    I read".
//  - Watch(prefix, start_revision): every event on keys under prefix with
//    revision >= start_revision, in revision order, with no gaps; events of
//    one transaction share its revision. A start revision below the
//    compacted revision fails with kGone ("compacted").
//  - Compact(rev): history older than rev is dropped; reads below it fail
//    with kGone.
//
// Keys are laid out as kube-apiserver does: /registry/pods/<ns>/<name>,
// /registry/minions/<name> (nodes), /registry/namespaces/<name>, ...
//
// Thread-safety: a Store is safe for concurrent use by many threads. Watches
// may be polled from any one thread at a time each.
#ifndef KUBESIM_STORE_STORE_H_
#define KUBESIM_STORE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/util/status.h"

namespace kubesim::store {

using Revision = int64_t;

struct KeyValue {
  std::string key;
  std::string value;
  Revision create_revision = 0;
  Revision mod_revision = 0;
  int64_t version = 0;
};

struct Event {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  // For kPut: the new key-value (its mod_revision is the event's revision).
  // For kDelete: key set, value holds the value just before deletion,
  // mod_revision the delete's revision, create_revision and version of the
  // deleted life.
  KeyValue kv;
  // The previous key-value, when the key existed before this event.
  bool has_prev = false;
  KeyValue prev;
  Revision revision() const { return kv.mod_revision; }
};

struct RangeResult {
  std::vector<KeyValue> kvs;  // sorted by key
  Revision revision = 0;      // the store revision the read was served at
};

// One condition of a transaction.
struct Compare {
  std::string key;
  // Holds when the key's mod_revision equals this (0 = the key is absent).
  Revision mod_revision = 0;
};

struct Op {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  std::string key;
  std::string value;  // for kPut
};

struct TxnResult {
  bool succeeded = false;  // whether the compares held
  Revision revision = 0;   // store revision after the transaction
  // For each compare that failed, the key's current state (mod_revision 0 if
  // absent). Lets a caller tell "already exists" from "conflict" in one call.
  std::vector<KeyValue> current;
};

// A stream of events. Returned by Store::Watch; must be destroyed before the
// Store.
class Watch {
 public:
  virtual ~Watch() = default;
  // Appends to `out` every event not yet returned (possibly none); never
  // blocks. Fails with kGone if the events this watch still needs were
  // compacted away before it read them (the watch is then dead).
  virtual Status Poll(std::vector<Event>* out) = 0;
  // Like Poll but waits until at least one event is available or `timeout`
  // (real time) passes. For tests and tools that run outside an Executor.
  virtual Status WaitAndPoll(std::vector<Event>* out, std::chrono::milliseconds timeout) = 0;
};

class Store {
 public:
  // A new, empty, in-memory store at revision 1.
  static std::unique_ptr<Store> CreateInMemory();
  virtual ~Store() = default;

  virtual Revision CurrentRevision() const = 0;
  virtual Revision CompactedRevision() const = 0;

  // Reads one key at `revision` (0 = latest). kNotFound if absent then;
  // kGone if revision < compacted (as etcd: the compacted revision itself
  // stays readable); kBadRequest if revision > current.
  virtual StatusOr<KeyValue> Get(const std::string& key, Revision revision = 0) const = 0;

  // Get at the latest revision without the value (KeyValue::value left
  // empty): for a caller that holds the value decoded already, e.g. the API
  // server's watch cache, and needs only the revisions to know it is
  // current. Spares a copy of the value. Errors as Get.
  virtual StatusOr<KeyValue> GetRevisions(const std::string& key) const = 0;

  // Reads all keys starting with `prefix` at `revision` (0 = latest), sorted
  // by key. `limit` 0 = no limit. Errors as Get (never kNotFound).
  virtual StatusOr<RangeResult> Range(const std::string& prefix, Revision revision = 0,
                                      size_t limit = 0) const = 0;

  // Unconditional put; returns the new revision.
  virtual StatusOr<Revision> Put(const std::string& key, std::string value) = 0;
  // Deletes `key`; kNotFound if absent. Returns the new revision.
  virtual StatusOr<Revision> Delete(const std::string& key) = 0;

  // Atomic compare-and-swap. A transaction whose chosen branch writes nothing
  // does not bump the revision. The ops are taken by value so that a caller
  // done with them can move them in: the store then keeps their values
  // without copying them.
  virtual StatusOr<TxnResult> Txn(const std::vector<Compare>& compares, std::vector<Op> then_ops,
                                  std::vector<Op> else_ops = {}) = 0;

  // Events on keys under `prefix` from `start_revision` (0 = from the next
  // write). kGone ("compacted") if start_revision < CompactedRevision().
  // (The return type is qualified because this member hides the class name.)
  virtual StatusOr<std::unique_ptr<store::Watch>> Watch(const std::string& prefix,
                                                        Revision start_revision) = 0;

  // Calls `listener(revision)` after every committed write, on the writer's
  // thread, outside the store's locks. Listeners are added at set-up, before
  // concurrent use; they must be quick (e.g. post a task).
  virtual void AddCommitListener(std::function<void(Revision)> listener) = 0;

  // Drops history before `revision`. kGone if already compacted past it;
  // kBadRequest if revision > current.
  virtual Status Compact(Revision revision) = 0;
};

}  // namespace kubesim::store

#endif  // KUBESIM_STORE_STORE_H_
