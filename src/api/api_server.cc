// kube-apiserver, reduced to one process: REST semantics over the MVCC store.
//
// Upstream references for the behaviour copied here:
//  - k8s.io/apiserver/pkg/registry/generic/registry/store.go (Create, Update,
//    Delete, graceful deletion, AlreadyExists/NotFound/Conflict handling)
//  - k8s.io/apiserver/pkg/storage/etcd3/store.go (resourceVersion = etcd
//    mod_revision, create = txn on mod_revision 0, update = txn on the read one)
//  - k8s.io/apiserver/pkg/storage/cacher/ (watch cache: initial ADDED events for
//    a watch without resourceVersion, 410 "too old resource version";
//    cacher.go/cache_watcher.go: BOOKMARK events, watch_bookmarks.h)
//  - pkg/registry/core/pod/storage/storage.go (binding subresource)
//  - k8s.io/apiserver/pkg/storage/names/generate.go (generateName)
#include "kubesim/api/api_server.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

#include "admission/admission_chain.h"
#include "compact_json.h"
#include "field_manager.h"
#include "field_schema.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/patch.h"
#include "kubesim/api/selectors.h"
#include "kubesim/api/subresources.h"
#include "kubesim/api/validation.h"
#include "kubesim/printers/yaml.h"
#include "kubesim/sim/random.h"
#include "kubesim/util/logging.h"
#include "metadata_decode.h"
#include "watch_bookmarks.h"

namespace kubesim::api {
namespace {

constexpr char kRegistryRoot[] = "/registry/";

std::string NewUid(Random& rng) {
  // RFC 4122 version 4, from the seeded generator.
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    int v = static_cast<int>(rng.Uniform(16));
    if (i == 12) v = 4;
    if (i == 16) v = 8 + (v & 3);
    s.push_back(hex[v]);
    if (i == 7 || i == 11 || i == 15 || i == 19) s.push_back('-');
  }
  return s;
}

Response Ok(Object body, int code = 200) { return Response{code, std::move(body)}; }

// One put of `value` at `key`, for Store::Txn. Built with push_back, not a
// braced list: an initializer_list's elements are const, so the vector would
// copy the encoded object instead of taking it.
std::vector<store::Op> PutOp(const std::string& key, std::string value) {
  std::vector<store::Op> ops;
  ops.push_back(store::Op{store::Op::Type::kPut, key, std::move(value)});
  return ops;
}

bool IsTableRequest(const Request& r) { return r.accept.find("as=Table") != std::string::npos; }

// The field manager's view of a kind (field_manager.h): the strategies of
// kinds with a status subresource reset status on main-resource writes.
FieldManagerScope ScopeOf(const ResourceInfo& info) {
  bool status = false;
  for (const auto& sub : info.subresources) status = status || sub == "status";
  return FieldManagerScope{info.kind, info.ApiVersion(), status};
}

// Who a write's managedFields entry names, and for which subresource.
struct FieldManagerWrite {
  std::string manager;
  std::string subresource;
};

FieldManagerWrite WriterOf(const Request& req, const std::string& subresource) {
  return FieldManagerWrite{ManagerOrUserAgent(req.field_manager, req.user_agent), subresource};
}

// Applies a PATCH request's document to `current` by its content type
// (apiserver/pkg/endpoints/handlers/patch.go: jsonPatcher, smpPatcher).
StatusOr<Object> ApplyPatchDocument(const ResourceInfo& info, const Object& current,
                                    const Request& req) {
  if (req.content_type == kJsonPatch) return ApplyJsonPatch(current, req.body);
  if (req.content_type == kMergePatch) return ApplyMergePatch(current, req.body);
  if (req.content_type == kStrategicMergePatch) {
    return ApplyStrategicMergePatch(current, req.body, info.kind);
  }
  return Status(StatusCode::kUnsupportedMediaType, req.content_type);
}

// ValidateCreateOptions / UpdateOptions / PatchOptions
// (apimachinery/pkg/apis/meta/internalversion/validation): `force` only with
// apply; ValidateFieldManager (at most 128 bytes, every character
// printable); fieldValidation "", "Ignore", "Strict" or "Warn".
bool ValidFieldValidation(const Request& req, Response* err) {
  std::vector<FieldError> errs;
  if (req.verb == Verb::kPatch && req.force && req.content_type != kApplyPatch) {
    errs.push_back(FieldError::Forbidden("force", "may not be specified for non-apply patch"));
  }
  const std::string& m = req.field_manager;
  if (m.size() > 128) errs.push_back(FieldError::TooLong("fieldManager", 128));
  for (size_t i = 0; i < m.size(); ++i) {
    const unsigned char ch = static_cast<unsigned char>(m[i]);
    if (ch >= 0x20 && ch != 0x7f) continue;  // non-ASCII UTF-8 is taken as printable
    char code[16];
    std::snprintf(code, sizeof(code), "U+%04X", ch);
    errs.push_back(FieldError::Invalid(
        "fieldManager", m,
        std::string("invalid character ") + code + " (at position " + std::to_string(i) + ")"));
  }
  const std::string& v = req.field_validation;
  if (!(v.empty() || v == "Ignore" || v == "Strict" || v == "Warn")) {
    errs.push_back(
        FieldError::NotSupported("fieldValidation", v, {"", "Ignore", "Strict", "Warn"}));
  }
  if (errs.empty()) return true;
  const char* kind = req.verb == Verb::kCreate   ? "CreateOptions"
                     : req.verb == Verb::kUpdate ? "UpdateOptions"
                                                 : "PatchOptions";
  *err = Invalid(kind, "meta.k8s.io", "", errs);
  return false;
}

std::string StrictDecodingError(const std::vector<std::string>& unknown) {
  std::string msg = "strict decoding error: ";
  for (size_t i = 0; i < unknown.size(); ++i) {
    if (i > 0) msg += ", ";
    msg += "unknown field " + GoQuote(unknown[i]);
  }
  return msg;
}

// Drops the unknown fields of a create/update body and applies the
// request's fieldValidation. Returns false with `err` set when Strict refuses
// the body: "Deployment in version \"v1\" cannot be handled as a Deployment:
// strict decoding error: unknown field \"spec.foo\"" (the serializer's
// wording).
bool DecodeBody(const ResourceInfo& info, const Request& req, Object* body,
                std::vector<std::string>* warnings, Response* err) {
  if (!ValidFieldValidation(req, err)) return false;
  if (!body->is_object()) return true;
  // serializer/json: "<Kind> in version "v1" cannot be handled as a <Kind>:
  // <decode error>" (runtime.NewStrictDecodingError's sibling for type
  // errors, as handlers/create.go's transformDecodeError passes it on).
  if (std::string decode = MetadataDecodeError(*body); !decode.empty()) {
    *err = BadRequest(info.kind + " in version " + GoQuote(info.gvr.version) +
                      " cannot be handled as a " + info.kind + ": " + decode);
    return false;
  }
  std::vector<std::string> unknown = PruneUnknownFields(*body, info.kind);
  if (unknown.empty() || req.field_validation == "Ignore") return true;
  if (req.field_validation == "Strict") {
    *err = BadRequest(info.kind + " in version " + GoQuote(info.gvr.version) +
                      " cannot be handled as a " + info.kind + ": " + StrictDecodingError(unknown));
    return false;
  }
  for (const auto& f : unknown) warnings->push_back("unknown field " + GoQuote(f));
  return true;
}

// How kube-apiserver answers a patch that fails to apply (see patch.h).
Response PatchErrorResponse(const Status& st) {
  auto status = [](int code, const std::string& message, const char* reason, bool details = false) {
    Object body = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", Object::object()},
                   {"status", "Failure"}, {"message", message}, {"code", code}};
    if (reason != nullptr) body["reason"] = reason;
    if (details) body["details"] = Object::object();
    return Response{code, std::move(body)};
  };
  switch (st.code()) {
    case StatusCode::kBadRequest:
      return BadRequest(st.message());
    case StatusCode::kUnsupportedMediaType:
      return UnsupportedMediaType(st.message());
    case StatusCode::kRequestEntityTooLarge:
      return status(413, "Request entity too large: " + st.message(), "RequestEntityTooLarge");
    case StatusCode::kInvalid:
      // errors.NewGenericServerResponse(422, ...): the library's text is not
      // passed on.
      return status(422, "the server rejected our request due to an error in our request",
                    "Invalid", /*details=*/true);
    default:
      // A plain Go error: ErrorToAPIStatus gives 500 with no reason.
      return status(500, st.message(), nullptr);
  }
}

// True if `a` and `b` are equal except for metadata.resourceVersion: an
// update that changes nothing else writes nothing. Compared in place, as
// copying both objects to erase the field costs more than the comparison.
bool SameButResourceVersion(const Object& a, const Object& b) {
  const auto ma = a.find("metadata"), mb = b.find("metadata");
  if (ma == a.end() || mb == b.end() || !ma->is_object() || !mb->is_object()) {
    Object ca = a, cb = b;
    ca["metadata"].erase("resourceVersion");
    cb["metadata"].erase("resourceVersion");
    return ca == cb;
  }
  if (a.size() != b.size()) return false;
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
    if (ia.key() != ib.key()) return false;
    if (ia.key() != "metadata") {
      if (*ia != *ib) return false;
      continue;
    }
    // Both metadata objects, key by key (sorted), skipping resourceVersion.
    auto ka = ia->begin(), kb = ib->begin();
    while (true) {
      if (ka != ia->end() && ka.key() == "resourceVersion") ++ka;
      if (kb != ib->end() && kb.key() == "resourceVersion") ++kb;
      if (ka == ia->end() || kb == ib->end()) {
        if (ka != ia->end() || kb != ib->end()) return false;
        break;
      }
      if (ka.key() != kb.key() || *ka != *kb) return false;
      ++ka;
      ++kb;
    }
  }
  return true;
}

// A decoded event in the watch cache.
struct CachedEvent {
  store::Revision revision = 0;
  WatchEvent::Type type = WatchEvent::Type::kAdded;
  std::string key;
  ObjectPtr object;  // new state (or last state for deletes), resourceVersion set
  ObjectPtr prev;    // state before, when there was one
};

class ApiServerImpl;

// One open watch.
struct ServerWatch {
  uint64_t id = 0;
  const ResourceStrategy* strategy = nullptr;
  std::string key_prefix;  // storage prefix (+ "/ns/" when namespaced & scoped)
  std::string name;        // metadata.name filter from the request path, if any
  LabelSelector labels;
  FieldSelector fields;
  WatchSink sink;
  bool stopped = false;  // guarded by ApiServerImpl::watch_mu_

  // Bookmarks (allowWatchBookmarks), all guarded by ApiServerImpl::watch_mu_.
  bool bookmarks = false;
  std::string resource_prefix;  // the kind's storage prefix + "/"
  // The watch's starting resourceVersion: a bookmark is sent only once the
  // kind's cache has moved past it (cache_watcher.go process: events with
  // ResourceVersion > resourceVersion).
  store::Revision start_revision = 0;
  std::optional<Time> deadline;  // from timeoutSeconds, in simulated time
  TaskId bookmark_task = 0;      // the next bookmark's timer on the fan-out loop
};

class WatchHandleImpl final : public WatchHandle {
 public:
  WatchHandleImpl(ApiServerImpl* server, uint64_t id) : server_(server), id_(id) {}
  ~WatchHandleImpl() override { Stop(); }
  void Stop() override;

 private:
  ApiServerImpl* server_;
  uint64_t id_;
  bool stopped_ = false;
};

class ApiServerImpl final : public ApiServer {
 public:
  ApiServerImpl(store::Store* store, Executor* executor, std::unique_ptr<ResourceRegistry> registry,
                const Options& options)
      : store_(store),
        executor_(executor),
        registry_(std::move(registry)),
        options_(options),
        rng_(options.seed, "kube-apiserver"),
        loop_(executor->CreateDispatcher("kube-apiserver")) {
    auto watch = store_->Watch(kRegistryRoot, store_->CurrentRevision() + 1);
    store_watch_ = std::move(watch.value());
    cache_start_revision_ = store_->CurrentRevision();
    head_revision_ = cache_start_revision_;
    for (const ResourceStrategy* s : registry_->All()) {
      resource_revision_.emplace(s->info().storage_prefix + "/", cache_start_revision_);
    }
    store_->AddCommitListener([this](store::Revision) { SchedulePump(); });
    ScheduleCompaction();
  }

  ~ApiServerImpl() override { loop_->Shutdown(); }

  const ResourceRegistry& registry() const override { return *registry_; }

  void SetAggregatedHandler(AggregatedHandler handler) override {
    std::lock_guard<std::mutex> lock(aggregated_mu_);
    aggregated_ = std::make_shared<AggregatedHandler>(std::move(handler));
  }
  // The aggregator's answer for an APIService without a ready backend
  // (kube-aggregator proxy: http.Error(w, "service unavailable", 503)).
  Response ProxyToAggregated(const Request& req) {
    std::shared_ptr<AggregatedHandler> handler;
    {
      std::lock_guard<std::mutex> lock(aggregated_mu_);
      handler = aggregated_;
    }
    if (handler && *handler) {
      if (std::optional<Response> r = (*handler)(req); r.has_value()) return *r;
    }
    Response r;
    r.code = 503;
    r.content_type = "text/plain";
    r.body = "service unavailable\n";
    return r;
  }

  void SetServing(bool serving) override {
    serving_.store(serving);
    if (serving) return;
    std::lock_guard<std::mutex> lock(watch_mu_);
    Object status = {{"kind", "Status"},
                     {"apiVersion", "v1"},
                     {"metadata", Object::object()},
                     {"status", "Failure"},
                     {"message", "apiserver is shutting down"},
                     {"reason", "InternalError"},
                     {"code", 500}};
    ObjectPtr shared = Share(std::move(status));
    for (auto& w : watches_) {
      if (!w->stopped) w->sink(WatchEvent{WatchEvent::Type::kError, shared});
      w->stopped = true;
      if (w->bookmark_task != 0) loop_->Cancel(w->bookmark_task);
    }
    watches_.clear();
  }
  bool serving() const override { return serving_.load(); }

  Response Handle(const Request& req) override { return HandleOwning(req, nullptr); }
  // A create then moves the body into the object it stores: spares a copy
  // of every created object (the client's pod, the recorder's Event).
  Response Handle(Request&& req) override { return HandleOwning(req, &req.body); }

  // `owned_body`, when not null, is req.body and may be moved from.
  Response HandleOwning(const Request& req, Object* owned_body) {
    if (!serving_.load()) return Response{0, Object()};
    Response r;
    try {
      r = HandleUnsafe(req, owned_body);
    } catch (const std::exception& e) {
      r = InternalError(e.what());
    }
    if (LogEnabled(LogLevel::kDebug)) {
      // kube-apiserver's httplog line (apiserver/pkg/server/httplog).
      LogDebug(executor_->Now(), "kube-apiserver",
               std::string("\"HTTP\" verb=\"") + VerbName(req.verb) + "\" resource=\"" +
                   req.gvr.resource + (req.subresource.empty() ? "" : "/" + req.subresource) +
                   "\" namespace=\"" + req.namespace_ + "\" name=\"" + req.name +
                   "\" userAgent=\"" + req.user_agent + "\" resp=" + std::to_string(r.code));
    }
    return r;
  }

  StatusOr<std::unique_ptr<WatchHandle>> Watch(const Request& req, WatchSink sink) override;
  void StopWatch(uint64_t id) {
    std::lock_guard<std::mutex> lock(watch_mu_);
    for (auto it = watches_.begin(); it != watches_.end(); ++it) {
      if ((*it)->id == id) {
        (*it)->stopped = true;
        if ((*it)->bookmark_task != 0) loop_->Cancel((*it)->bookmark_task);
        watches_.erase(it);
        return;
      }
    }
  }

 private:
  Response HandleUnsafe(const Request& req, Object* owned_body);
  Response DoGet(const ResourceStrategy& s, const Request& req);
  Response DoList(const ResourceStrategy& s, const Request& req);
  // `applied`: the body already carries the managedFields of a server-side
  // apply, which the create keeps as they are.
  Response DoCreate(const ResourceStrategy& s, const Request& req, bool applied = false,
                    Object* owned_body = nullptr);
  // `obj` is the decoded body; `req` gives the rest of the request;
  // `sent_body` stands for the body as sent (req.body or its
  // RequestBodyPresence) for managedFields when not `applied`.
  Response DoCreateDecoded(const ResourceStrategy& s, const Request& req, Object obj, bool applied,
                           const Object* sent_body);
  Response DoUpdate(const ResourceStrategy& s, const Request& req);
  Response DoUpdateDecoded(const ResourceStrategy& s, const Request& req);
  Response DoPatch(const ResourceStrategy& s, const Request& req);
  Response DoDelete(const ResourceStrategy& s, const Request& req);
  Response DoBinding(const ResourceStrategy& s, const Request& req);
  Response DoScale(const ResourceStrategy& s, const Request& req);
  Response CheckEvictionBudget(const Object& pod, const std::string& ns, bool dry_run);
  Response DoEviction(const ResourceStrategy& s, const Request& req);
  Response DoLog(const ResourceStrategy& s, const Request& req);
  Response DoApply(const ResourceStrategy& s, const Request& req);

  // Writes `obj` over the version read at `read_revision`: the common tail of
  // update, patch, scale, apply and eviction. With `fm`, the write is
  // recorded in metadata.managedFields (field_manager.h); without, obj's
  // managedFields are written as they are.
  Response WriteUpdate(const ResourceStrategy& s, const std::string& key, Object obj,
                       const Object& old_obj, store::Revision read_revision,
                       const std::string& subresource, bool dry_run,
                       const FieldManagerWrite* fm = nullptr);

  // An object read from the store for a handler: decoded, with the
  // revision an update must compare against.
  struct StoredObject {
    Object obj;
    store::Revision revision = 0;
  };
  // Reads and decodes `key` into *out; otherwise the answer to give: 404
  // naming `name` in `info`'s resource, or the store's error.
  std::optional<Response> ReadStored(const ResourceInfo& info, const std::string& key,
                                     const std::string& name, StoredObject* out) const {
    store::KeyValue kv;
    auto obj = ReadLatest(key, &kv);
    if (!obj.ok()) {
      if (obj.status().code() == StatusCode::kNotFound) {
        return NotFound(info.QualifiedResource(), name);
      }
      return FromStatus(obj.status());
    }
    out->obj = std::move(*obj);
    out->revision = kv.mod_revision;
    return std::nullopt;
  }

  // The latest state of `key`: its revisions in *kv and the decoded object.
  // When the watch cache holds that very revision, the object is copied from
  // it and the store's value is not even read (GetRevisions: spares a copy
  // of the encoded object per read); otherwise the value is read and parsed,
  // and *kv has it. Errors are the store's (kNotFound) or a corrupt value.
  StatusOr<Object> ReadLatest(const std::string& key, store::KeyValue* kv) const {
    ObjectPtr cached;
    KUBESIM_RETURN_IF_ERROR(ReadLatestRevisions(key, kv, &cached));
    if (cached) return Object(*cached);
    return Decode(*kv);
  }
  // ReadLatest for reading only: the watch cache's shared object, no copy.
  StatusOr<ObjectPtr> ReadLatestShared(const std::string& key, store::KeyValue* kv) const {
    ObjectPtr cached;
    KUBESIM_RETURN_IF_ERROR(ReadLatestRevisions(key, kv, &cached));
    if (cached) return cached;
    return DecodeShared(*kv);
  }
  // *kv = the latest revisions of `key`, and *cached = the watch cache's
  // object at them; or, without one, *kv = the latest key-value, value
  // included.
  Status ReadLatestRevisions(const std::string& key, store::KeyValue* kv, ObjectPtr* cached) const {
    auto revisions = store_->GetRevisions(key);
    if (!revisions.ok()) return revisions.status();
    *cached = LatestDecoded(*revisions);
    if (*cached) {
      *kv = std::move(*revisions);
      return Status::Ok();
    }
    // A fresh read: the key may have moved on since, which is as good a
    // latest read as the first.
    auto full = store_->Get(key);
    if (!full.ok()) return full.status();
    *kv = std::move(*full);
    return Status::Ok();
  }

  StatusOr<Object> Decode(const store::KeyValue& kv) const {
    // The watch cache's decoded copy of this very revision, if it has one:
    // a copy is much cheaper than parsing the stored JSON again.
    if (ObjectPtr cached = LatestDecoded(kv)) return Object(*cached);
    Object o = Object::parse(kv.value, nullptr, /*allow_exceptions=*/false);
    if (o.is_discarded()) return Status::Internal("corrupt object at " + kv.key);
    o["metadata"]["resourceVersion"] = std::to_string(kv.mod_revision);
    return o;
  }
  // Decode for reading only: the watch cache's shared object when it has
  // this revision (no copy), else a parse.
  StatusOr<ObjectPtr> DecodeShared(const store::KeyValue& kv) const {
    if (ObjectPtr cached = LatestDecoded(kv)) return cached;
    StatusOr<Object> parsed = Decode(kv);
    if (!parsed.ok()) return parsed.status();
    return Share(std::move(*parsed));
  }
  // The stored bytes: obj.dump() without metadata.resourceVersion, written by
  // CompactJson (the same bytes, a fraction of dump()'s instructions).
  static std::string Encode(const Object& obj) {
    // Without a resourceVersion to drop (creates), no copy is needed.
    auto meta = obj.find("metadata");
    if (meta == obj.end() || (meta->is_object() && !meta->contains("resourceVersion"))) {
      return CompactJson(obj);
    }
    Object copy = obj;
    copy["metadata"].erase("resourceVersion");
    return CompactJson(copy);
  }

  Object ToTable(const ResourceStrategy& s, const std::vector<Object>& items,
                 const std::string& resource_version) const;
  bool Matches(const ServerWatch& w, const Object& obj) const;
  Response Validate(const ResourceStrategy& s, const Object& obj, const Object* old_obj) const;

  void SchedulePump() {
    bool expected = false;
    if (pump_scheduled_.compare_exchange_strong(expected, true)) {
      loop_->Post([this] { Pump(); });
    }
  }
  // The watch cache's decoded object for `kv` (its key at exactly
  // kv.mod_revision, resourceVersion set), or nullptr.
  ObjectPtr LatestDecoded(const store::KeyValue& kv) const {
    std::lock_guard<std::mutex> lock(latest_mu_);
    auto it = latest_.find(kv.key);
    return it != latest_.end() && it->second.first == kv.mod_revision ? it->second.second : nullptr;
  }
  // Hands the pump the object just written at `revision` under `key`
  // (resourceVersion set, exactly what parsing the stored value would give),
  // so the watch cache need not parse it back. Single-put writes only.
  void RememberWritten(store::Revision revision, const std::string& key, ObjectPtr obj) {
    std::lock_guard<std::mutex> lock(latest_mu_);
    written_[revision] = {key, std::move(obj)};
  }
  void Pump();
  void PumpLocked();                                   // REQUIRES: watch_mu_ held
  void Deliver(ServerWatch& w, const CachedEvent& e);  // REQUIRES: watch_mu_ held
  // Sends watch `id` its bookmark if due, and schedules the next one.
  void FireBookmark(uint64_t id);
  void ScheduleBookmarkLocked(ServerWatch& w);  // REQUIRES: watch_mu_ held
  // The last revision the watch cache processed for the kind stored under
  // `resource_prefix` (cacher.go dispatchEvents: lastProcessedResourceVersion).
  store::Revision ResourceRevisionLocked(const std::string& resource_prefix) const;
  void ScheduleCompaction();

  store::Store* const store_;
  Executor* const executor_;
  const std::unique_ptr<ResourceRegistry> registry_;
  const Options options_;

  std::mutex rng_mu_;
  Random rng_;  // guarded by rng_mu_

  std::unique_ptr<Dispatcher> loop_;  // watch fan-out and compaction
  std::atomic<bool> pump_scheduled_{false};
  std::atomic<bool> serving_{true};
  store::Revision last_compaction_mark_ = 0;  // owned by loop_

  std::mutex watch_mu_;
  std::mutex aggregated_mu_;
  std::shared_ptr<AggregatedHandler> aggregated_;  // guarded by aggregated_mu_
  std::unique_ptr<store::Watch> store_watch_;      // guarded by watch_mu_
  std::deque<CachedEvent> cache_;                  // guarded by watch_mu_
  store::Revision cache_start_revision_ = 0;  // guarded by watch_mu_: events after it are cached
  store::Revision head_revision_ = 0;         // guarded by watch_mu_: last event pumped
  std::vector<std::shared_ptr<ServerWatch>> watches_;  // guarded by watch_mu_
  uint64_t next_watch_id_ = 1;                         // guarded by watch_mu_
  // Per kind (storage prefix + "/"): the revision of its last event, or the
  // revision the cache started at. Guarded by watch_mu_.
  std::map<std::string, store::Revision> resource_revision_;
  // The watch cache's current state: each live key's last decoded object and
  // its revision (the cacher's watchCache.store). An update's previous
  // object and a handler's read of an unchanged key reuse it instead of
  // parsing the stored JSON again. Written by the pump (under watch_mu_).
  // Decode, for admission's StoreObjectReader.
  const admission::StoreObjectReader::Decoder decoder_ = [this](const store::KeyValue& kv) {
    return DecodeShared(kv);
  };
  mutable std::mutex latest_mu_;
  std::unordered_map<std::string, std::pair<store::Revision, ObjectPtr>>
      latest_;  // guarded by latest_mu_
  // RememberWritten's objects not yet pumped, by revision: (key, object).
  std::map<store::Revision, std::pair<std::string, ObjectPtr>> written_;  // guarded by latest_mu_
};

void WatchHandleImpl::Stop() {
  if (stopped_) return;
  stopped_ = true;
  server_->StopWatch(id_);
}

Response ApiServerImpl::HandleUnsafe(const Request& req, Object* owned_body) {
  const ResourceStrategy* s = registry_->Find(req.gvr);
  if (s == nullptr) {
    Response r = NotFound("", "");
    r.body["message"] = "the server could not find the requested resource";
    r.body.erase("details");
    return r;
  }
  const ResourceInfo& info = s->info();
  if (info.aggregated) return ProxyToAggregated(req);
  if (!req.subresource.empty()) {
    bool known = false;
    for (const auto& sub : info.subresources) known = known || sub == req.subresource;
    if (!known) {
      Response r = NotFound("", "");
      r.body["message"] = "the server could not find the requested resource";
      r.body.erase("details");
      return r;
    }
  }
  if (req.subresource == "scale") return DoScale(*s, req);
  if (req.subresource == "eviction") {
    if (req.verb != Verb::kCreate)
      return MethodNotSupported(info.QualifiedResource(), VerbName(req.verb));
    return DoEviction(*s, req);
  }
  if (req.subresource == "log") {
    if (req.verb != Verb::kGet)
      return MethodNotSupported(info.QualifiedResource(), VerbName(req.verb));
    return DoLog(*s, req);
  }
  switch (req.verb) {
    case Verb::kGet:
      return DoGet(*s, req);
    case Verb::kList:
      return DoList(*s, req);
    case Verb::kCreate:
      if (req.subresource == "binding") return DoBinding(*s, req);
      return DoCreate(*s, req, /*applied=*/false, owned_body);
    case Verb::kUpdate:
      return DoUpdate(*s, req);
    case Verb::kPatch:
      return DoPatch(*s, req);
    case Verb::kDelete:
      return DoDelete(*s, req);
    case Verb::kWatch:
      return BadRequest("watch requests are served by ApiServer::Watch");
    case Verb::kDeleteCollection:
      return MethodNotSupported(info.QualifiedResource(), "deletecollection");
  }
  return BadRequest("unknown verb");
}

Response ApiServerImpl::DoGet(const ResourceStrategy& s, const Request& req) {
  const ResourceInfo& info = s.info();
  StoredObject obj;
  if (auto err = ReadStored(info, info.StorageKey(req.namespace_, req.name), req.name, &obj))
    return *err;
  if (IsTableRequest(req)) {
    return Ok(ToTable(s, {obj.obj}, ResourceVersion(obj.obj)));
  }
  return Ok(std::move(obj.obj));
}

Response ApiServerImpl::DoList(const ResourceStrategy& s, const Request& req) {
  const ResourceInfo& info = s.info();
  auto labels = LabelSelector::Parse(req.label_selector);
  if (!labels.ok()) return BadRequest(labels.status().message());
  auto fields = FieldSelector::Parse(req.field_selector);
  if (!fields.ok()) return BadRequest(fields.status().message());
  auto lookup_probe = [&](const std::string& f, std::string* v) {
    return s.FieldValue(Object::object(), f, v);
  };
  std::string unsupported = fields->FirstUnsupported(lookup_probe);
  if (!unsupported.empty()) {
    return BadRequest("field label not supported: " + unsupported);
  }
  std::string prefix = info.storage_prefix + "/";
  if (info.namespaced && !req.namespace_.empty()) prefix += req.namespace_ + "/";
  auto range = store_->Range(prefix);
  if (!range.ok()) return FromStatus(range.status());
  std::vector<Object> items;
  items.reserve(range->kvs.size());
  for (const auto& kv : range->kvs) {
    auto obj = Decode(kv);
    if (!obj.ok()) continue;
    if (!labels->Matches(Labels(*obj))) continue;
    if (!fields->Empty() && !fields->Matches([&](const std::string& f, std::string* v) {
          return s.FieldValue(*obj, f, v);
        })) {
      continue;
    }
    items.push_back(std::move(*obj));
  }
  std::string rv = std::to_string(range->revision);
  if (IsTableRequest(req)) return Ok(ToTable(s, items, rv));
  Object list = {{"apiVersion", info.ApiVersion()},
                 {"kind", info.kind + "List"},
                 {"metadata", {{"resourceVersion", rv}}},
                 {"items", Object::array()}};
  for (auto& item : items) list["items"].push_back(std::move(item));
  return Ok(std::move(list));
}

Object ApiServerImpl::ToTable(const ResourceStrategy& s, const std::vector<Object>& items,
                              const std::string& resource_version) const {
  Object table = {{"kind", "Table"},
                  {"apiVersion", "meta.k8s.io/v1"},
                  {"metadata", {{"resourceVersion", resource_version}}},
                  {"columnDefinitions", s.TableColumns()},
                  {"rows", Object::array()}};
  Time now = executor_->Now();
  for (const auto& item : items) {
    Object meta = item.value("metadata", Object::object());
    table["rows"].push_back({{"cells", s.TableCells(item, now)},
                             {"object",
                              {{"kind", "PartialObjectMetadata"},
                               {"apiVersion", "meta.k8s.io/v1"},
                               {"metadata", std::move(meta)}}}});
  }
  return table;
}

Response ApiServerImpl::Validate(const ResourceStrategy& s, const Object& obj,
                                 const Object* old_obj) const {
  const ResourceInfo& info = s.info();
  std::vector<FieldError> errs = ValidateObjectMeta(obj, info.namespaced, s.name_rule());
  std::vector<FieldError> more = old_obj ? s.ValidateUpdate(obj, *old_obj) : s.Validate(obj);
  errs.insert(errs.end(), more.begin(), more.end());
  if (errs.empty()) return Ok(Object());
  std::string name = Name(obj);
  if (name.empty()) name = GetString(obj, "/metadata/generateName");
  return Invalid(info.kind, info.gvr.group, name, errs);
}

// fieldValidation on a create or update body: unknown fields are dropped
// (decoding into the Go type drops them); Strict refuses the request, Warn
// (the default) reports each one (handlers/create.go, rest.go).
Response ApiServerImpl::DoCreate(const ResourceStrategy& s, const Request& req, bool applied,
                                 Object* owned_body) {
  // The body is taken when the caller is done with it, else copied once (not
  // the whole request). What the managedFields of a create need of the body
  // as sent is then kept apart: which admission-set fields it had.
  Object sent_presence;
  const Object* sent = &req.body;
  Object body;
  if (owned_body != nullptr) {
    sent_presence = RequestBodyPresence(s.info().kind, *owned_body);
    sent = &sent_presence;
    body = std::move(*owned_body);
  } else {
    body = req.body;
  }
  std::vector<std::string> warnings;
  Response err;
  if (!DecodeBody(s.info(), req, &body, &warnings, &err)) return err;
  Response r = DoCreateDecoded(s, req, std::move(body), applied, sent);
  if (r.ok()) r.warnings = std::move(warnings);
  return r;
}

Response ApiServerImpl::DoUpdate(const ResourceStrategy& s, const Request& req) {
  Request decoded = req;
  std::vector<std::string> warnings;
  Response err;
  if (!DecodeBody(s.info(), req, &decoded.body, &warnings, &err)) return err;
  Response r = DoUpdateDecoded(s, decoded);
  if (r.ok()) r.warnings = std::move(warnings);
  return r;
}

Response ApiServerImpl::DoCreateDecoded(const ResourceStrategy& s, const Request& req, Object obj,
                                        bool applied, const Object* sent_body) {
  const ResourceInfo& info = s.info();
  if (!obj.is_object()) return BadRequest("the body of the request was not a JSON object");
  if (obj.contains("kind") && obj["kind"].is_string() && obj["kind"] != info.kind) {
    return BadRequest("the API version in the data (" + obj.value("apiVersion", "") +
                      ") does not match the expected API version (" + info.ApiVersion() + ")");
  }
  obj["kind"] = info.kind;
  obj["apiVersion"] = info.ApiVersion();
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Object::object();
  Object& meta = obj["metadata"];
  if (info.namespaced) {
    std::string body_ns = meta.value("namespace", "");
    if (!body_ns.empty() && !req.namespace_.empty() && body_ns != req.namespace_) {
      return BadRequest(
          "the namespace of the provided object does not match the namespace sent on the "
          "request");
    }
    if (!req.namespace_.empty()) meta["namespace"] = req.namespace_;
  } else {
    meta.erase("namespace");
  }
  // Metadata the server owns (registry/rest/create.go FillObjectMetaSystemFields).
  meta.erase("resourceVersion");
  meta.erase("deletionTimestamp");
  meta.erase("deletionGracePeriodSeconds");
  // One formatted "now" for creationTimestamp and the managedFields time
  // (the same instant in simulated time; formatting twice cost a create
  // ~3,500 instructions).
  const std::string now = FormatRfc3339(executor_->Now());
  meta["creationTimestamp"] = now;
  {
    std::lock_guard<std::mutex> lock(rng_mu_);
    meta["uid"] = NewUid(rng_);
  }
  const bool generate = meta.value("name", "").empty() && !meta.value("generateName", "").empty();
  if (generate) {
    std::lock_guard<std::mutex> lock(rng_mu_);
    meta["name"] = meta["generateName"].get<std::string>() + rng_.String(5, kNameSuffixAlphabet);
  }
  // Mutating admission, then the strategy, then validating admission
  // (handlers/create.go; admission.h).
  AdmissionAttributes attrs{Verb::kCreate,
                            info.gvr,
                            "",
                            Namespace(obj),
                            generate ? GetString(obj, "/metadata/generateName") : Name(obj),
                            nullptr};
  admission::StoreObjectReader reader(store_, registry_.get(), &decoder_);
  Response denied = admission::RunAdmission(*registry_, reader, attrs, obj, /*mutating=*/true);
  if (!denied.ok()) return denied;
  s.PrepareForCreate(obj);
  if (!applied) {
    // handlers/create.go: FieldManager.UpdateNoErrors over an empty object.
    UpdateManagedFields(ScopeOf(info), nullptr, obj,
                        ManagerOrUserAgent(req.field_manager, req.user_agent), "", now, sent_body);
  }
  Response invalid = Validate(s, obj, nullptr);
  if (!invalid.ok()) return invalid;
  denied = admission::RunAdmission(*registry_, reader, attrs, obj, /*mutating=*/false);
  if (!denied.ok()) return denied;

  const std::string ns = Namespace(obj);
  if (info.namespaced) {
    store::KeyValue ns_kv;
    auto ns_obj = ReadLatestShared(std::string("/registry/namespaces/") + ns, &ns_kv);
    if (!ns_obj.ok() && ns_obj.status().code() == StatusCode::kNotFound) {
      return NotFound("namespaces", ns);
    }
    if (ns_obj.ok() && GetString(**ns_obj, "/status/phase") == "Terminating") {
      Response r = FromStatus(Status(StatusCode::kForbidden, ""));
      r.body["message"] = info.QualifiedResource() + " \"" + Name(obj) +
                          "\" is forbidden: unable to create new content in namespace " + ns +
                          " because it is being terminated";
      r.body["details"] = {{"name", Name(obj)}, {"kind", info.gvr.resource}};
      return r;
    }
  }
  // generateName collisions are retried, as 1.32's RetryGenerateName does.
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::string key = info.StorageKey(ns, Name(obj));
    if (req.dry_run) {
      auto existing = store_->Get(key);
      if (existing.ok()) return AlreadyExists(info.QualifiedResource(), Name(obj));
      return Ok(obj, 201);
    }
    auto txn = store_->Txn({store::Compare{key, 0}}, PutOp(key, Encode(obj)));
    if (!txn.ok()) return FromStatus(txn.status());
    if (txn->succeeded) {
      obj["metadata"]["resourceVersion"] = std::to_string(txn->revision);
      if (req.discard_result && req.verb == Verb::kCreate) {
        // The caller reads only the code: the watch cache takes the object
        // itself, sparing a copy of it per create (types.h).
        RememberWritten(txn->revision, key, Share(std::move(obj)));
        return Response{201, Object()};
      }
      RememberWritten(txn->revision, key, Share(Object(obj)));
      return Ok(std::move(obj), 201);
    }
    if (!generate) return AlreadyExists(info.QualifiedResource(), Name(obj));
    std::lock_guard<std::mutex> lock(rng_mu_);
    obj["metadata"]["name"] =
        obj["metadata"]["generateName"].get<std::string>() + rng_.String(5, kNameSuffixAlphabet);
  }
  return AlreadyExists(info.QualifiedResource(), Name(obj));
}

Response ApiServerImpl::WriteUpdate(const ResourceStrategy& s, const std::string& key, Object obj,
                                    const Object& old_obj, store::Revision read_revision,
                                    const std::string& subresource, bool dry_run,
                                    const FieldManagerWrite* fm) {
  const ResourceInfo& info = s.info();
  obj["kind"] = info.kind;
  obj["apiVersion"] = info.ApiVersion();
  Object& meta = obj["metadata"];
  const Object& old_meta = old_obj["metadata"];
  // Fields an update may not change (rest/update.go, ObjectMetaUpdateValidation).
  for (const char* f : {"uid", "creationTimestamp", "namespace", "name", "generateName"}) {
    if (old_meta.contains(f)) {
      meta[f] = old_meta[f];
    } else {
      meta.erase(f);
    }
  }
  for (const char* f : {"deletionTimestamp", "deletionGracePeriodSeconds"}) {
    if (old_meta.contains(f) && !meta.contains(f)) meta[f] = old_meta[f];
  }
  // Admission sees updates of the main resource only (plugins ignore
  // subresources); see admission.h for the order.
  AdmissionAttributes attrs{Verb::kUpdate,      info.gvr,      subresource,
                            Namespace(old_obj), Name(old_obj), &old_obj};
  admission::StoreObjectReader reader(store_, registry_.get(), &decoder_);
  if (subresource.empty()) {
    Response denied = admission::RunAdmission(*registry_, reader, attrs, obj, /*mutating=*/true);
    if (!denied.ok()) return denied;
  }
  s.PrepareForUpdate(obj, old_obj, subresource);
  if (fm != nullptr) {
    UpdateManagedFields(ScopeOf(info), &old_obj, obj, fm->manager, fm->subresource,
                        FormatRfc3339(executor_->Now()));
  }
  Response invalid = Validate(s, obj, &old_obj);
  if (!invalid.ok()) return invalid;
  if (subresource.empty()) {
    Response denied = admission::RunAdmission(*registry_, reader, attrs, obj, /*mutating=*/false);
    if (!denied.ok()) return denied;
  }
  if (SameButResourceVersion(obj, old_obj) || dry_run) {
    // A no-op update writes nothing (etcd3/store.go GuaranteedUpdate).
    obj["metadata"]["resourceVersion"] = std::to_string(read_revision);
    return Ok(std::move(obj));
  }
  // An object being deleted whose finalizers are gone is removed
  // (registry/store.go, deletion with finalizers).
  // A namespace also waits for its spec.finalizers ("kubernetes"), which the
  // namespace controller removes through the finalize subresource once the
  // namespace is empty (pkg/registry/core/namespace/storage).
  const Object* spec_finalizers = Find(obj, "/spec/finalizers");
  // Re-read: a strategy may have replaced obj (and its metadata) wholesale.
  const Object& meta_now = obj["metadata"];
  bool remove = meta_now.contains("deletionTimestamp") &&
                (!meta_now.contains("finalizers") || meta_now["finalizers"].empty()) &&
                meta_now.value("deletionGracePeriodSeconds", int64_t{1}) == 0 &&
                (info.gvr != kNamespaces || !spec_finalizers || spec_finalizers->empty());
  std::vector<store::Op> ops;
  if (remove) {
    ops.push_back(store::Op{store::Op::Type::kDelete, key, ""});
  } else {
    // The stored form has no resourceVersion; `obj` gets the new one below
    // (or is dropped on a conflict), so erase it in place rather than copy.
    if (auto m = obj.find("metadata"); m != obj.end() && m->is_object()) {
      m->erase("resourceVersion");
    }
    ops.push_back(store::Op{store::Op::Type::kPut, key, Encode(obj)});
  }
  auto txn = store_->Txn({store::Compare{key, read_revision}}, std::move(ops));
  if (!txn.ok()) return FromStatus(txn.status());
  if (!txn->succeeded) {
    return Conflict(info.QualifiedResource(), Name(obj),
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  obj["metadata"]["resourceVersion"] = std::to_string(txn->revision);
  if (!remove) RememberWritten(txn->revision, key, Share(Object(obj)));
  return Ok(std::move(obj));
}

Response ApiServerImpl::DoUpdateDecoded(const ResourceStrategy& s, const Request& req) {
  const ResourceInfo& info = s.info();
  if (!req.body.is_object()) return BadRequest("the body of the request was not a JSON object");
  Object obj = req.body;
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Object::object();
  std::string body_name = Name(obj);
  if (body_name != req.name) {
    return BadRequest("the name of the object (" + body_name +
                      ") does not match the name on the URL (" + req.name + ")");
  }
  std::string key = info.StorageKey(req.namespace_, req.name);
  StoredObject old_obj;
  if (auto err = ReadStored(info, key, req.name, &old_obj)) return *err;
  std::string rv = ResourceVersion(obj);
  if (!rv.empty() && rv != std::to_string(old_obj.revision)) {
    return Conflict(info.QualifiedResource(), req.name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  FieldManagerWrite fm = WriterOf(req, req.subresource);
  return WriteUpdate(s, key, std::move(obj), old_obj.obj, old_obj.revision, req.subresource,
                     req.dry_run, &fm);
}

Response ApiServerImpl::DoPatch(const ResourceStrategy& s, const Request& req) {
  const ResourceInfo& info = s.info();
  if (req.content_type == kApplyPatch) return DoApply(s, req);
  if (Response err; !ValidFieldValidation(req, &err)) return err;
  std::string key = info.StorageKey(req.namespace_, req.name);
  StoredObject old_obj;
  if (auto err = ReadStored(info, key, req.name, &old_obj)) return *err;
  StatusOr<Object> patched_or = ApplyPatchDocument(info, old_obj.obj, req);
  if (!patched_or.ok()) return PatchErrorResponse(patched_or.status());
  Object patched = std::move(*patched_or);
  // fieldValidation of the patched object (handlers/patch.go: Strict is a
  // 422 on field "patch" whose value is the patched JSON for JSON and merge
  // patches, the patch map for strategic ones).
  std::vector<std::string> warnings;
  const std::string patched_text = req.field_validation == "Strict" ? patched.dump() : "";
  std::vector<std::string> unknown = PruneUnknownFields(patched, info.kind);
  if (!unknown.empty() && req.field_validation == "Strict") {
    std::string value =
        req.content_type == kStrategicMergePatch ? GoFormatValue(req.body) : patched_text;
    return Invalid("", "", "", {FieldError::Invalid("patch", value, StrictDecodingError(unknown))});
  }
  if (req.field_validation != "Ignore") {
    for (const auto& f : unknown) warnings.push_back("unknown field " + GoQuote(f));
  }
  std::string rv = ResourceVersion(patched);
  if (!rv.empty() && rv != std::to_string(old_obj.revision)) {
    return Conflict(info.QualifiedResource(), req.name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  FieldManagerWrite fm = WriterOf(req, req.subresource);
  Response r = WriteUpdate(s, key, std::move(patched), old_obj.obj, old_obj.revision,
                           req.subresource, req.dry_run, &fm);
  if (r.ok()) r.warnings = std::move(warnings);
  return r;
}

Response ApiServerImpl::DoDelete(const ResourceStrategy& s, const Request& req) {
  const ResourceInfo& info = s.info();
  std::string key = info.StorageKey(req.namespace_, req.name);
  for (int attempt = 0; attempt < 16; ++attempt) {
    auto kv = store_->Get(key);
    if (!kv.ok()) {
      if (kv.status().code() == StatusCode::kNotFound) {
        return NotFound(info.QualifiedResource(), req.name);
      }
      return FromStatus(kv.status());
    }
    auto obj = Decode(*kv);
    if (!obj.ok()) return FromStatus(obj.status());
    if (req.precondition_uid && *req.precondition_uid != Uid(*obj)) {
      return Conflict(info.QualifiedResource(), req.name,
                      "Precondition failed: UID in precondition: " + *req.precondition_uid +
                          ", UID in object meta: " + Uid(*obj));
    }
    // Graceful deletion (pkg/registry/core/pod/strategy.go CheckGracefulDelete):
    // a pod bound to a node and not terminal waits for its kubelet; an
    // unscheduled or finished pod goes at once.
    int64_t grace = 0;
    bool graceful = false;
    if (info.gvr == kPods) {
      grace =
          req.grace_period_seconds.value_or(GetInt(*obj, "/spec/terminationGracePeriodSeconds"));
      if (!Find(*obj, "/spec/terminationGracePeriodSeconds") && !req.grace_period_seconds)
        grace = 30;
      std::string phase = GetString(*obj, "/status/phase");
      bool bound = !GetString(*obj, "/spec/nodeName").empty();
      graceful = bound && phase != "Succeeded" && phase != "Failed" && grace > 0;
    }
    bool has_finalizers =
        Find(*obj, "/metadata/finalizers") && !(*obj)["metadata"]["finalizers"].empty();
    if (info.gvr == kNamespaces) {
      // The namespace controller empties the namespace and removes the
      // "kubernetes" finalizer (pkg/registry/core/namespace/storage).
      if (GetString(*obj, "/status/phase") == "Terminating") return Ok(std::move(*obj));
      Object updated = *obj;
      updated["metadata"]["deletionTimestamp"] = FormatRfc3339(executor_->Now());
      updated["metadata"]["deletionGracePeriodSeconds"] = 0;
      updated["status"]["phase"] = "Terminating";
      if (req.dry_run) return Ok(std::move(updated));
      auto txn = store_->Txn({store::Compare{key, kv->mod_revision}}, PutOp(key, Encode(updated)));
      if (!txn.ok()) return FromStatus(txn.status());
      if (!txn->succeeded) continue;
      updated["metadata"]["resourceVersion"] = std::to_string(txn->revision);
      return Ok(std::move(updated));
    }
    if (graceful || has_finalizers) {
      Object updated = *obj;
      Object& meta = updated["metadata"];
      Time deadline = executor_->Now() + std::chrono::seconds(grace);
      if (meta.contains("deletionTimestamp")) {
        // Already terminating: only a shorter grace period changes anything.
        int64_t current = meta.value("deletionGracePeriodSeconds", int64_t{0});
        if (grace >= current || !graceful) return Ok(std::move(*obj));
      }
      meta["deletionTimestamp"] = FormatRfc3339(deadline);
      meta["deletionGracePeriodSeconds"] = grace;
      if (req.dry_run) return Ok(std::move(updated));
      auto txn = store_->Txn({store::Compare{key, kv->mod_revision}}, PutOp(key, Encode(updated)));
      if (!txn.ok()) return FromStatus(txn.status());
      if (!txn->succeeded) continue;
      updated["metadata"]["resourceVersion"] = std::to_string(txn->revision);
      return Ok(std::move(updated));
    }
    if (req.dry_run) return Ok(std::move(*obj));
    auto txn = store_->Txn({store::Compare{key, kv->mod_revision}},
                           {store::Op{store::Op::Type::kDelete, key, ""}});
    if (!txn.ok()) return FromStatus(txn.status());
    if (!txn->succeeded) continue;
    (*obj)["metadata"]["resourceVersion"] = std::to_string(txn->revision);
    return Ok(std::move(*obj));
  }
  return Conflict(info.QualifiedResource(), req.name, "too many concurrent changes");
}

Response ApiServerImpl::DoBinding(const ResourceStrategy& s, const Request& req) {
  // pkg/registry/core/pod/storage/storage.go (BindingREST.Create, assignPod).
  const ResourceInfo& info = s.info();
  if (!(info.gvr == kPods)) return MethodNotSupported(info.QualifiedResource(), "create");
  std::string target = GetString(req.body, "/target/name");
  std::string name = req.name.empty() ? Name(req.body) : req.name;
  if (target.empty()) {
    return Invalid("Binding", "", name,
                   {FieldError{FieldError::Type::kRequired, "target.name", Object(), ""}});
  }
  std::string key = info.StorageKey(req.namespace_, name);
  store::KeyValue kv;
  auto pod = ReadLatest(key, &kv);
  if (!pod.ok()) {
    if (pod.status().code() == StatusCode::kNotFound) {
      return NotFound(info.QualifiedResource(), name);
    }
    return FromStatus(pod.status());
  }
  if (Find(*pod, "/metadata/deletionTimestamp")) {
    return Conflict(info.QualifiedResource(), name,
                    "pod " + name + " is being deleted, cannot be assigned to a host");
  }
  std::string current = GetString(*pod, "/spec/nodeName");
  if (!current.empty()) {
    return Conflict(info.QualifiedResource(), name,
                    "pod " + name + " is already assigned to node \"" + current + "\"");
  }
  Object updated = std::move(*pod);
  updated["spec"]["nodeName"] = target;
  // The condition built once and copied per binding (cheaper than an
  // initializer-list Object), its time set.
  static const Object* const kScheduled = new Object{{"type", "PodScheduled"},
                                                     {"status", "True"},
                                                     {"lastProbeTime", nullptr},
                                                     {"lastTransitionTime", nullptr}};
  Object cond = *kScheduled;
  cond["lastTransitionTime"] = FormatRfc3339(executor_->Now());
  Object& conds = updated["status"]["conditions"];
  if (!conds.is_array()) conds = Object::array();
  bool replaced = false;
  for (auto& c : conds) {
    if (c.value("type", "") == "PodScheduled") {
      c = cond;
      replaced = true;
    }
  }
  if (!replaced) conds.push_back(cond);
  updated["metadata"].erase("resourceVersion");
  if (req.dry_run) return SuccessStatus(201);
  auto txn = store_->Txn({store::Compare{key, kv.mod_revision}}, PutOp(key, Encode(updated)));
  if (!txn.ok()) return FromStatus(txn.status());
  if (!txn->succeeded) {
    return Conflict(info.QualifiedResource(), name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  updated["metadata"]["resourceVersion"] = std::to_string(txn->revision);
  RememberWritten(txn->revision, key, Share(std::move(updated)));
  return SuccessStatus(201);
}

Response ApiServerImpl::DoScale(const ResourceStrategy& s, const Request& req) {
  // pkg/registry/apps/deployment/storage/storage.go ScaleREST (replicaset's
  // is the same): the Scale is a view of spec.replicas; a write changes only
  // spec.replicas of the workload, through the workload's own update path.
  const ResourceInfo& info = s.info();
  std::string key = info.StorageKey(req.namespace_, req.name);
  StoredObject obj;
  if (auto err = ReadStored(info, key, req.name, &obj)) return *err;
  Object scale = ScaleOf(obj.obj);
  if (req.verb == Verb::kGet) return Ok(std::move(scale));
  Object updated_scale;
  if (req.verb == Verb::kUpdate) {
    if (!req.body.is_object()) return BadRequest("the body of the request was not a JSON object");
    updated_scale = req.body;
  } else if (req.verb == Verb::kPatch) {
    if (req.content_type == kApplyPatch) return UnsupportedMediaType(req.content_type);
    StatusOr<Object> patched = ApplyPatchDocument(info, scale, req);
    if (!patched.ok()) return PatchErrorResponse(patched.status());
    updated_scale = std::move(*patched);
  } else {
    return MethodNotSupported(info.QualifiedResource() + "/scale", VerbName(req.verb));
  }
  std::string name = GetString(updated_scale, "/metadata/name");
  if (req.verb == Verb::kUpdate && !name.empty() && name != req.name) {
    return BadRequest("the name of the object (" + name + ") does not match the name on the URL (" +
                      req.name + ")");
  }
  // ValidateScale (pkg/apis/autoscaling/validation).
  const Object* replicas = Find(updated_scale, "/spec/replicas");
  int64_t want = 0;
  if (replicas != nullptr && !replicas->is_null()) {
    if (!replicas->is_number_integer()) {
      return BadRequest(
          "Scale in version \"v1\" cannot be handled as a Scale: json: cannot "
          "unmarshal " +
          std::string(replicas->type_name()) +
          " into Go struct field ScaleSpec.spec.replicas of type int32");
    }
    want = replicas->get<int64_t>();
  }
  if (want < 0) {
    return Invalid(
        "Scale", "autoscaling", req.name,
        {FieldError::Invalid("spec.replicas", want, "must be greater than or equal to 0")});
  }
  std::string rv = GetString(updated_scale, "/metadata/resourceVersion");
  if (!rv.empty() && rv != std::to_string(obj.revision)) {
    return Conflict(info.QualifiedResource(), req.name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  Object workload = obj.obj;
  workload["spec"]["replicas"] = want;
  // The scale subresource's writer owns spec.replicas of the workload
  // (fieldmanager's ScaleHandler maps it to the parent's managedFields).
  FieldManagerWrite fm = WriterOf(req, "scale");
  Response r =
      WriteUpdate(s, key, std::move(workload), obj.obj, obj.revision, "", req.dry_run, &fm);
  if (!r.ok()) return r;
  return Ok(ScaleOf(r.body));
}

Response ApiServerImpl::CheckEvictionBudget(const Object& pod, const std::string& ns,
                                            bool dry_run) {
  // eviction.go getPodDisruptionBudgets, the PDB part of Create and
  // checkAndDecrement. Answers 200 when the eviction may go on (the budget's
  // disruptionsAllowed decremented and the pod recorded in disruptedPods).
  const ResourceStrategy* pdbs = registry_->Find({"policy", "v1", "poddisruptionbudgets"});
  if (pdbs == nullptr) return Ok(Object::object());
  const ResourceInfo& info = pdbs->info();
  auto range = store_->Range(info.storage_prefix + "/" + ns + "/");
  if (!range.ok()) return FromStatus(range.status());
  const auto pod_labels = Labels(pod);
  std::vector<std::pair<Object, int64_t>> matching;  // the PDB, its mod revision
  for (const auto& kv : range->kvs) {
    auto pdb = Decode(kv);
    if (!pdb.ok()) continue;
    const Object* selector = Find(*pdb, "/spec/selector");
    // "A PDB with a nil or empty selector matches nothing."
    if (selector == nullptr || !selector->is_object() || selector->empty()) continue;
    auto parsed = LabelSelector::FromObject(*selector);
    if (!parsed.ok() || parsed->ToString().empty() || !parsed->Matches(pod_labels)) continue;
    matching.emplace_back(std::move(*pdb), kv.mod_revision);
  }
  if (matching.empty()) return Ok(Object::object());
  if (matching.size() > 1) {
    // Upstream returns this Status as the result (rtStatus): no reason, no
    // details, the message as is.
    Response r;
    r.code = 500;
    r.body = {{"kind", "Status"},
              {"apiVersion", "v1"},
              {"metadata", Object::object()},
              {"status", "Failure"},
              {"message",
               "This pod has more than one PodDisruptionBudget, which the eviction subresource "
               "does not support."},
              {"code", 500}};
    return r;
  }
  Object pdb = std::move(matching[0].first);
  const std::string name = Name(pdb);
  const int64_t desired = GetInt(pdb, "/status/desiredHealthy");
  const int64_t current = GetInt(pdb, "/status/currentHealthy");
  bool ready = false;
  if (const Object* conds = Find(pod, "/status/conditions"); conds && conds->is_array()) {
    for (const auto& c : *conds) {
      if (c.value("type", "") == "Ready") ready = c.value("status", "") == "True";
    }
  }
  if (!ready) {
    // An unready pod does not count towards currentHealthy: with
    // unhealthyPodEvictionPolicy AlwaysAllow, or while the budget is met
    // (IfHealthyBudget, the default), it goes without a decrement.
    if (GetString(pdb, "/spec/unhealthyPodEvictionPolicy") == "AlwaysAllow") {
      return Ok(Object::object());
    }
    if (current >= desired && desired > 0) return Ok(Object::object());
  }
  constexpr char kCause[] = "DisruptionBudget";
  const std::string refused = "Cannot evict pod as it would violate the pod's disruption budget.";
  if (GetInt(pdb, "/status/observedGeneration") < GetInt(pdb, "/metadata/generation")) {
    return TooManyRequests(refused, 10, kCause,
                           "The disruption budget " + name +
                               " is still being processed by the "
                               "server.");
  }
  const int64_t allowed = GetInt(pdb, "/status/disruptionsAllowed");
  if (allowed < 0) {
    return FromStatus(
        Status(StatusCode::kForbidden, "poddisruptionbudgets.policy \"" + name +
                                           "\" is forbidden: pdb disruptions allowed is negative"));
  }
  if (allowed == 0) {
    return TooManyRequests(refused, 0, kCause,
                           "The disruption budget " + name + " needs " + std::to_string(desired) +
                               " healthy pods and has " + std::to_string(current) + " currently");
  }
  if (dry_run) return Ok(Object::object());
  Object updated = pdb;
  updated["status"]["disruptionsAllowed"] = allowed - 1;
  if (allowed - 1 == 0) {
    // pdbhelper.UpdateDisruptionAllowedCondition.
    Object& conds = updated["status"]["conditions"];
    if (!conds.is_array()) conds = Object::array();
    Object cond = {{"type", "DisruptionAllowed"},
                   {"status", "False"},
                   {"reason", "InsufficientPods"},
                   {"message", ""},
                   {"observedGeneration", GetInt(pdb, "/status/observedGeneration")},
                   {"lastTransitionTime", FormatRfc3339(executor_->Now())}};
    bool found = false;
    for (auto& c : conds) {
      if (c.value("type", "") != "DisruptionAllowed") continue;
      found = true;
      if (c.value("status", "") == "False") cond["lastTransitionTime"] = c["lastTransitionTime"];
      c = cond;
    }
    if (!found) conds.push_back(cond);
  }
  updated["status"]["disruptedPods"][Name(pod)] = FormatRfc3339(executor_->Now());
  // Upstream writes the budget through its loopback client (UpdateStatus).
  FieldManagerWrite fm{"kube-apiserver", "status"};
  return WriteUpdate(*pdbs, info.StorageKey(ns, name), std::move(updated), pdb, matching[0].second,
                     "status", false, &fm);
}

Response ApiServerImpl::DoEviction(const ResourceStrategy& s, const Request& req) {
  // pkg/registry/core/pod/storage/eviction.go EvictionREST.Create: a pod
  // guarded by a PodDisruptionBudget is evicted only while the budget
  // allows a disruption (CheckEvictionBudget).
  const ResourceInfo& info = s.info();
  if (!(info.gvr == kPods)) return MethodNotSupported(info.QualifiedResource(), "create");
  const Object& eviction = req.body;
  if (!eviction.is_object()) return BadRequest("the body of the request was not a JSON object");
  std::string body_name = GetString(eviction, "/metadata/name");
  if (body_name != req.name) {
    return BadRequest("name in URL does not match name in Eviction object");
  }
  std::string key = info.StorageKey(req.namespace_, req.name);
  StoredObject pod;
  if (auto err = ReadStored(info, key, req.name, &pod)) return *err;
  Object options = eviction.value("deleteOptions", Object::object());
  if (!options.is_object()) options = Object::object();
  Request del;
  del.verb = Verb::kDelete;
  del.gvr = info.gvr;
  del.namespace_ = req.namespace_;
  del.name = req.name;
  del.user_agent = req.user_agent;
  del.dry_run = req.dry_run;
  for (const auto& d : options.value("dryRun", Object::array())) del.dry_run |= d == "All";
  if (options.contains("gracePeriodSeconds") && options["gracePeriodSeconds"].is_number_integer()) {
    del.grace_period_seconds = options["gracePeriodSeconds"].get<int64_t>();
  }
  if (const Object* uid = Find(options, "/preconditions/uid"); uid && uid->is_string()) {
    del.precondition_uid = uid->get<std::string>();
  }
  // The budget, unless the pod can ignore it (canIgnorePDB: terminal,
  // pending or already being deleted).
  const std::string phase = GetString(pod.obj, "/status/phase");
  const bool ignore_pdb = phase == "Succeeded" || phase == "Failed" || phase == "Pending" ||
                          Find(pod.obj, "/metadata/deletionTimestamp") != nullptr;
  if (!ignore_pdb) {
    Response budget = CheckEvictionBudget(pod.obj, req.namespace_, del.dry_run);
    if (!budget.ok()) return budget;
  }
  // addConditionAndDeletePod: the DisruptionTarget condition first (GA
  // PodDisruptionConditions), written through the status path, then a
  // normal (graceful) delete.
  if (!del.dry_run) {
    if (del.precondition_uid && *del.precondition_uid != Uid(pod.obj)) {
      return Conflict(info.QualifiedResource(), req.name,
                      "Precondition failed: UID in precondition: " + *del.precondition_uid +
                          ", UID in object meta: " + Uid(pod.obj));
    }
    Object updated = pod.obj;
    Object& conds = updated["status"]["conditions"];
    if (!conds.is_array()) conds = Object::array();
    Object cond = {{"type", "DisruptionTarget"},
                   {"status", "True"},
                   {"lastProbeTime", nullptr},
                   {"lastTransitionTime", FormatRfc3339(executor_->Now())},
                   {"reason", "EvictionByEvictionAPI"},
                   {"message", "Eviction API: evicting"}};
    bool found = false;
    for (auto& c : conds) {
      if (c.value("type", "") != "DisruptionTarget") continue;
      found = true;
      // podutil.UpdatePodCondition keeps the transition time when the status
      // is unchanged.
      if (c.value("status", "") == "True") cond["lastTransitionTime"] = c["lastTransitionTime"];
      c = cond;
    }
    if (!found) conds.push_back(cond);
    Response w = WriteUpdate(s, key, std::move(updated), pod.obj, pod.revision, "status", false);
    if (!w.ok()) return w;
  }
  Response d = DoDelete(s, del);
  if (!d.ok()) return d;
  return SuccessStatus(201);
}

Response ApiServerImpl::DoLog(const ResourceStrategy& s, const Request& req) {
  // pkg/registry/core/pod/strategy.go LogLocation, then the kubelet's
  // validateContainerLogStatus (pkg/kubelet/kubelet_pods.go). Simulated
  // containers run no program, so a started container's log is empty.
  const ResourceInfo& info = s.info();
  if (!(info.gvr == kPods)) return MethodNotSupported(info.QualifiedResource(), "get");
  StoredObject pod;
  if (auto err = ReadStored(info, info.StorageKey(req.namespace_, req.name), req.name, &pod))
    return *err;
  auto names = [&](const char* field) {
    std::string out;
    const Object* list = Find(pod.obj, field);
    if (list == nullptr || !list->is_array()) return out;
    for (const auto& c : *list) {
      if (!out.empty()) out += " ";
      out += c.value("name", "");
    }
    return out;
  };
  std::string container = req.log_options.container;
  const Object* containers = Find(pod.obj, "/spec/containers");
  size_t count = containers && containers->is_array() ? containers->size() : 0;
  if (container.empty()) {
    if (count == 1) {
      container = (*containers)[0].value("name", "");
    } else if (count == 0) {
      return BadRequest("a container name must be specified for pod " + req.name);
    } else {
      std::string msg = "a container name must be specified for pod " + req.name +
                        ", choose one of: [" + names("/spec/containers") + "]";
      std::string init = names("/spec/initContainers");
      if (!init.empty()) msg += " or one of the init containers: [" + init + "]";
      return BadRequest(msg);
    }
  } else {
    bool known = false;
    for (const char* field :
         {"/spec/containers", "/spec/initContainers", "/spec/ephemeralContainers"}) {
      const Object* list = Find(pod.obj, field);
      if (list == nullptr || !list->is_array()) continue;
      for (const auto& c : *list) known = known || c.value("name", "") == container;
    }
    if (!known) {
      return BadRequest("container " + container + " is not valid for pod " + req.name);
    }
  }
  Response text{200, Object(""), "text/plain"};
  // Not yet on a node: no location, an empty stream.
  if (GetString(pod.obj, "/spec/nodeName").empty()) return text;
  const Object* status = nullptr;
  for (const char* field : {"/status/containerStatuses", "/status/initContainerStatuses",
                            "/status/ephemeralContainerStatuses"}) {
    const Object* list = Find(pod.obj, field);
    if (list == nullptr || !list->is_array()) continue;
    for (const auto& c : *list) {
      if (c.value("name", "") == container) status = &c;
    }
  }
  const std::string quoted = GoQuote(container) + " in pod " + GoQuote(req.name);
  if (status == nullptr) {
    return BadRequest("container " + quoted + " is not available");
  }
  if (req.log_options.previous) {
    if (Find(*status, "/lastState/terminated") == nullptr) {
      return BadRequest("previous terminated container " + quoted + " not found");
    }
    return text;
  }
  if (const Object* waiting = Find(*status, "/state/waiting"); waiting != nullptr) {
    bool ran_before = Find(*status, "/lastState/terminated") != nullptr;
    if (!ran_before) {
      std::string reason = waiting->value("reason", "");
      if (reason == "ErrImagePull") {
        return BadRequest("container " + quoted + " is waiting to start: image can't be pulled");
      }
      if (reason == "ImagePullBackOff") {
        return BadRequest("container " + quoted +
                          " is waiting to start: trying and failing to pull image");
      }
      return BadRequest("container " + quoted + " is waiting to start: " + reason);
    }
  }
  return text;
}

Response ApiServerImpl::DoApply(const ResourceStrategy& s, const Request& req) {
  // Server-side apply (docs/api-semantics.md): handlers/patch.go
  // applyPatcher, then FieldManager.Apply (field_manager.h) merges the
  // applied configuration, records the manager's ownership, prunes what it
  // stopped applying and answers 409 on conflicts unless forced. A missing
  // object is created from the configuration applied to an empty one.
  const ResourceInfo& info = s.info();
  if (Response err; !ValidFieldValidation(req, &err)) return err;
  if (req.field_manager.empty()) {
    Response r = Invalid("PatchOptions", "meta.k8s.io", "",
                         {FieldError::Required("fieldManager", "is required for apply patch")});
    return r;
  }
  Object config = req.body;
  if (config.is_string()) {  // the YAML text as sent
    auto docs = printers::ParseYamlDocuments(config.get<std::string>());
    if (!docs.ok()) return BadRequest("error decoding YAML: " + docs.status().message());
    config = docs->empty() ? Object() : (*docs)[0];
  }
  if (!config.is_object()) {
    return BadRequest("error decoding YAML: json: cannot unmarshal " +
                      std::string(config.type_name()) +
                      " into Go value of type map[string]interface {}");
  }
  if (config.value("apiVersion", "") != info.ApiVersion() ||
      config.value("kind", "") != info.kind) {
    return BadRequest("the API version in the data (" + config.value("apiVersion", "") +
                      ") does not match the expected API version (" + info.ApiVersion() + ")");
  }
  // structuredmerge.go Apply.
  if (const Object* mf = Find(config, "/metadata/managedFields"); mf && !mf->is_null()) {
    return BadRequest("metadata.managedFields must be nil");
  }
  if (config.contains("metadata") && config["metadata"].is_object()) {
    config["metadata"].erase("resourceVersion");
  }
  // Decoding drops unknown fields before the merge; fieldValidation decides
  // what the client hears of them.
  std::vector<std::string> warnings;
  std::vector<std::string> unknown = PruneUnknownFields(config, info.kind);
  if (!unknown.empty() && req.field_validation == "Strict") {
    return BadRequest("error strict decoding YAML: " + StrictDecodingError(unknown));
  }
  if (req.field_validation != "Ignore") {
    for (const auto& f : unknown) warnings.push_back("unknown field " + GoQuote(f));
  }
  const FieldManagerScope scope = ScopeOf(info);
  const std::string now = FormatRfc3339(executor_->Now());
  std::string key = info.StorageKey(req.namespace_, req.name);
  auto kv = store_->Get(key);
  if (!kv.ok() && kv.status().code() != StatusCode::kNotFound) return FromStatus(kv.status());
  if (!kv.ok()) {
    ApplyResult applied =
        ApplyConfiguration(scope, Object::object(), config, req.field_manager, req.force, now);
    if (applied.code != 200) return Response{applied.code, std::move(applied.object)};
    Request create = req;
    create.verb = Verb::kCreate;
    create.body = std::move(applied.object);
    create.body["metadata"]["name"] = req.name;
    create.field_validation = "Ignore";  // pruned above
    Response r = DoCreate(s, create, /*applied=*/true);
    if (r.ok()) r.warnings = std::move(warnings);
    return r;
  }
  auto old_obj = Decode(*kv);
  if (!old_obj.ok()) return FromStatus(old_obj.status());
  ApplyResult applied =
      ApplyConfiguration(scope, *old_obj, config, req.field_manager, req.force, now);
  if (applied.code != 200) return Response{applied.code, std::move(applied.object)};
  Response r = WriteUpdate(s, key, std::move(applied.object), *old_obj, kv->mod_revision,
                           req.subresource, req.dry_run);
  if (r.ok()) r.warnings = std::move(warnings);
  return r;
}

// ---- Watch ----------------------------------------------------------------

bool ApiServerImpl::Matches(const ServerWatch& w, const Object& obj) const {
  if (!w.name.empty() && Name(obj) != w.name) return false;
  // An empty selector matches everything: no need to collect the labels
  // (a map per event per watch).
  if (!w.labels.Empty() && !w.labels.Matches(Labels(obj))) return false;
  if (!w.fields.Empty() && !w.fields.Matches([&](const std::string& f, std::string* v) {
        return w.strategy->FieldValue(obj, f, v);
      })) {
    return false;
  }
  return true;
}

void ApiServerImpl::Deliver(ServerWatch& w, const CachedEvent& e) {
  if (w.stopped) return;
  if (e.key.compare(0, w.key_prefix.size(), w.key_prefix) != 0) return;
  bool now_matches = e.type != WatchEvent::Type::kDeleted && Matches(w, *e.object);
  bool before_matched = e.prev && Matches(w, *e.prev);
  WatchEvent out;
  if (e.type == WatchEvent::Type::kDeleted) {
    if (!before_matched) return;
    out.type = WatchEvent::Type::kDeleted;
  } else if (now_matches && before_matched) {
    out.type = WatchEvent::Type::kModified;
  } else if (now_matches) {
    out.type = WatchEvent::Type::kAdded;
  } else if (before_matched) {
    out.type = WatchEvent::Type::kDeleted;  // stopped matching the selectors
  } else {
    return;
  }
  out.object = e.object;
  w.sink(out);
}

void ApiServerImpl::Pump() {
  pump_scheduled_.store(false);
  std::lock_guard<std::mutex> lock(watch_mu_);
  PumpLocked();
}

void ApiServerImpl::PumpLocked() {
  std::vector<store::Event> events;
  Status st = store_watch_->Poll(&events);
  if (!st.ok()) {
    spdlog::error("kube-apiserver: watch cache lost the store's history: {}", st.ToString());
    return;
  }
  for (const auto& ev : events) {
    CachedEvent ce;
    ce.revision = ev.revision();
    ce.key = ev.kv.key;
    if (ev.has_prev) {
      // Usually the cache's current object for the key (decoded when that
      // revision was pumped); parsed only when the cache does not have it.
      ce.prev = LatestDecoded(ev.prev);
      if (!ce.prev) {
        Object prev = Object::parse(ev.prev.value, nullptr, false);
        if (!prev.is_discarded()) {
          prev["metadata"]["resourceVersion"] = std::to_string(ev.prev.mod_revision);
          ce.prev = Share(std::move(prev));
        }
      }
    }
    if (ev.type == store::Event::Type::kDelete) {
      ce.type = WatchEvent::Type::kDeleted;
      Object last = ce.prev ? *ce.prev : Object::parse(ev.kv.value, nullptr, false);
      if (last.is_discarded()) continue;
      last["metadata"]["resourceVersion"] = std::to_string(ev.revision());
      ce.object = Share(std::move(last));
    } else {
      ce.type = ev.has_prev ? WatchEvent::Type::kModified : WatchEvent::Type::kAdded;
      {
        std::lock_guard<std::mutex> lock(latest_mu_);
        auto it = written_.find(ce.revision);
        if (it != written_.end() && it->second.first == ce.key) ce.object = it->second.second;
      }
      if (!ce.object) {
        Object obj = Object::parse(ev.kv.value, nullptr, false);
        if (obj.is_discarded()) continue;
        obj["metadata"]["resourceVersion"] = std::to_string(ev.revision());
        ce.object = Share(std::move(obj));
      }
    }
    {
      std::lock_guard<std::mutex> lock(latest_mu_);
      if (ce.type == WatchEvent::Type::kDeleted) {
        latest_.erase(ce.key);
      } else {
        latest_[ce.key] = {ce.revision, ce.object};
      }
    }
    for (auto& w : watches_) Deliver(*w, ce);
    head_revision_ = ce.revision;
    // Each kind has its own watch cache upstream; its bookmarks carry the
    // revision of its own last event.
    auto kind = resource_revision_.upper_bound(ce.key);
    if (kind != resource_revision_.begin()) {
      --kind;
      if (ce.key.compare(0, kind->first.size(), kind->first) == 0) kind->second = ce.revision;
    }
    cache_.push_back(std::move(ce));
  }
  // Objects remembered for revisions now pumped (used or not) are done.
  std::lock_guard<std::mutex> lock(latest_mu_);
  if (!written_.empty()) written_.erase(written_.begin(), written_.upper_bound(head_revision_));
}

StatusOr<std::unique_ptr<WatchHandle>> ApiServerImpl::Watch(const Request& req, WatchSink sink) {
  if (!serving_.load()) return Status::Unavailable("connection refused");
  const ResourceStrategy* s = registry_->Find(req.gvr);
  if (s == nullptr) return Status::NotFound("the server could not find the requested resource");
  const ResourceInfo& info = s->info();
  if (info.aggregated) {
    return Status(StatusCode::kMethodNotAllowed,
                  "the server does not allow this method on the requested resource");
  }
  auto w = std::make_shared<ServerWatch>();
  w->strategy = s;
  w->key_prefix = info.storage_prefix + "/";
  if (info.namespaced && !req.namespace_.empty()) w->key_prefix += req.namespace_ + "/";
  w->name = req.name;
  auto labels = LabelSelector::Parse(req.label_selector);
  if (!labels.ok()) return Status::BadRequest(labels.status().message());
  w->labels = std::move(*labels);
  auto fields = FieldSelector::Parse(req.field_selector);
  if (!fields.ok()) return Status::BadRequest(fields.status().message());
  w->fields = std::move(*fields);
  std::string unsupported = w->fields.FirstUnsupported(
      [&](const std::string& f, std::string* v) { return s->FieldValue(Object::object(), f, v); });
  if (!unsupported.empty()) return Status::BadRequest("field label not supported: " + unsupported);
  w->sink = std::move(sink);
  w->bookmarks = req.allow_watch_bookmarks;
  w->resource_prefix = info.storage_prefix + "/";
  if (req.timeout_seconds > 0) {
    w->deadline = executor_->Now() + std::chrono::seconds(req.timeout_seconds);
  }

  std::lock_guard<std::mutex> lock(watch_mu_);
  // Bring the cache up to date first so replay and live events meet exactly.
  PumpLocked();
  store::Revision rv = 0;
  const bool from_now = req.resource_version.empty() || req.resource_version == "0";
  if (!from_now) {
    try {
      rv = std::stoll(req.resource_version);
    } catch (...) {
      return Status::BadRequest("invalid resource version: " + req.resource_version);
    }
  }
  w->id = next_watch_id_++;
  // A watch from "now" starts at the kind's cache revision (the watch
  // cache's resourceVersion upstream).
  w->start_revision = from_now ? ResourceRevisionLocked(w->resource_prefix) : rv;
  if (from_now) {
    // Initial state as ADDED events at the cache's head, then every event
    // after it (a concurrent write lands in the next Pump).
    auto range = store_->Range(w->key_prefix, head_revision_);
    if (!range.ok()) return range.status();
    for (const auto& kv : range->kvs) {
      auto obj = Decode(kv);
      if (!obj.ok() || !Matches(*w, *obj)) continue;
      w->sink(WatchEvent{WatchEvent::Type::kAdded, Share(std::move(*obj))});
    }
  } else {
    if (rv < cache_start_revision_) {
      store::Revision current = store_->CurrentRevision();
      return Status::Gone("too old resource version: " + std::to_string(rv) + " (" +
                          std::to_string(current) + ")");
    }
    for (const auto& e : cache_) {
      if (e.revision > rv) Deliver(*w, e);
    }
  }
  watches_.push_back(w);
  if (w->bookmarks) ScheduleBookmarkLocked(*w);
  return std::unique_ptr<WatchHandle>(new WatchHandleImpl(this, w->id));
}

store::Revision ApiServerImpl::ResourceRevisionLocked(const std::string& resource_prefix) const {
  auto it = resource_revision_.find(resource_prefix);
  return it == resource_revision_.end() ? cache_start_revision_ : it->second;
}

void ApiServerImpl::ScheduleBookmarkLocked(ServerWatch& w) {
  // cacher.go keeps bookmark watchers in one-second buckets popped by a
  // ~1 s timer, so a bookmark leaves within about a second of its time;
  // kubesim sends it exactly at that simulated time.
  std::optional<Time> next = NextBookmarkTime(executor_->Now(), w.deadline);
  if (!next) return;
  const uint64_t id = w.id;
  w.bookmark_task = loop_->PostAt(*next, [this, id] { FireBookmark(id); });
}

void ApiServerImpl::FireBookmark(uint64_t id) {
  std::lock_guard<std::mutex> lock(watch_mu_);
  // Dispatch what the store already committed first: events and bookmarks
  // share one ordered stream upstream (dispatchEvents).
  PumpLocked();
  for (auto& w : watches_) {
    if (w->id != id) continue;
    w->bookmark_task = 0;
    if (w->stopped) return;
    store::Revision rv = ResourceRevisionLocked(w->resource_prefix);
    if (rv > w->start_revision) {
      w->sink(
          WatchEvent{WatchEvent::Type::kBookmark, Share(BookmarkObject(w->strategy->info(), rv))});
    }
    ScheduleBookmarkLocked(*w);
    return;
  }
}

void ApiServerImpl::ScheduleCompaction() {
  // kube-apiserver compacts etcd every --etcd-compaction-interval (5m) to the
  // revision it saw at the previous tick (storage/etcd3/compact.go).
  loop_->PostAfter(options_.compaction_interval, [this] {
    store::Revision mark = store_->CurrentRevision();
    if (last_compaction_mark_ > store_->CompactedRevision()) {
      Status st = store_->Compact(last_compaction_mark_);
      (void)st;
      std::lock_guard<std::mutex> lock(watch_mu_);
      while (!cache_.empty() && cache_.front().revision < last_compaction_mark_) {
        cache_start_revision_ = cache_.front().revision;
        cache_.pop_front();
      }
    }
    last_compaction_mark_ = mark;
    ScheduleCompaction();
  });
}

}  // namespace

std::unique_ptr<ApiServer> ApiServer::Create(store::Store* store, Executor* executor,
                                             std::unique_ptr<ResourceRegistry> registry,
                                             const Options& options) {
  return std::make_unique<ApiServerImpl>(store, executor, std::move(registry), options);
}

}  // namespace kubesim::api
