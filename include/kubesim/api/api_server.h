// The API server: the only component that touches the store.
//
// It takes REST-shaped Requests (types.h) and answers Responses, as
// kube-apiserver does over HTTP: defaulting and validation through each
// kind's ResourceStrategy, metadata (uid, creationTimestamp, generateName,
// resourceVersion = the store's mod_revision), optimistic concurrency (409 on
// a stale resourceVersion), errors as metav1.Status objects, tables for
// `Accept: ...;as=Table`, and watches fed from the store through a watch
// cache with its own fan-out loop.
//
// Thread-safety: Handle() and Watch() may be called from any thread,
// concurrently. Watch sinks are never called concurrently, and each sink
// sees its events in revision order.
#ifndef KUBESIM_API_API_SERVER_H_
#define KUBESIM_API_API_SERVER_H_

#include <functional>
#include <memory>
#include <optional>

#include "kubesim/api/resource.h"
#include "kubesim/api/types.h"
#include "kubesim/sim/executor.h"
#include "kubesim/store/store.h"
#include "kubesim/util/status.h"

namespace kubesim::api {

class ApiServer {
 public:
  struct Options {
    uint64_t seed = 0;  // for uids and generateName suffixes
    // How often history is compacted (kube-apiserver's
    // --etcd-compaction-interval default: 5m).
    Duration compaction_interval = std::chrono::minutes(5);
  };

  // `store` and `executor` must outlive the server. The server creates its
  // own dispatcher ("kube-apiserver") for watch fan-out and compaction.
  static std::unique_ptr<ApiServer> Create(store::Store* store, Executor* executor,
                                           std::unique_ptr<ResourceRegistry> registry,
                                           const Options& options);
  virtual ~ApiServer() = default;

  // Serves one non-watch request. Never throws.
  virtual Response Handle(const Request& request) = 0;
  // The same, for a caller done with `request`: the server may take parts
  // of it (a create's body) instead of copying them. Same answer.
  virtual Response Handle(Request&& request) = 0;

  // Opens a watch (request.verb == kWatch): with resource_version "" the
  // current matching objects first arrive as ADDED events; with a version,
  // every later change. A version older than the watch cache holds fails
  // with 410 Expired ("too old resource version: X (Y)"). Label and field
  // selectors filter events; an object that stops matching arrives as
  // DELETED, one that starts matching as ADDED.
  virtual StatusOr<std::unique_ptr<WatchHandle>> Watch(const Request& request, WatchSink sink) = 0;

  virtual const ResourceRegistry& registry() const = 0;

  // Simulates the process being down (`stop apiserver`, `stop etcd`): while
  // not serving, Handle() answers code 0 (no response, as a refused
  // connection) and Watch() fails with kUnavailable; open watches get an
  // ERROR event (500) and end, so informers re-list once it serves again.
  virtual void SetServing(bool serving) = 0;
  virtual bool serving() const = 0;

  // kube-aggregator's proxy for an APIService: requests for resources whose
  // ResourceInfo::aggregated is set go to `handler` (called on the caller's
  // thread; must be thread-safe) instead of the store. The handler returns
  // nullopt while its server is unavailable, and the API server answers 503
  // with the aggregator's "service unavailable" body, as does a missing
  // handler. Watches of such resources are not served. Thread-safe.
  using AggregatedHandler = std::function<std::optional<Response>(const Request&)>;
  virtual void SetAggregatedHandler(AggregatedHandler handler) = 0;
};

}  // namespace kubesim::api

#endif  // KUBESIM_API_API_SERVER_H_
