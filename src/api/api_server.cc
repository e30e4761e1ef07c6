// kube-apiserver, reduced to one process: REST semantics over the MVCC store.
//
// Upstream references for the behaviour copied here:
//  - k8s.io/apiserver/pkg/registry/generic/registry/store.go (Create, Update,
//    Delete, graceful deletion, AlreadyExists/NotFound/Conflict handling)
//  - k8s.io/apiserver/pkg/storage/etcd3/store.go (resourceVersion = etcd
//    mod_revision, create = txn on mod_revision 0, update = txn on the read one)
//  - k8s.io/apiserver/pkg/storage/cacher/ (watch cache: initial ADDED events for
//    a watch without resourceVersion, 410 "too old resource version")
//  - pkg/registry/core/pod/storage/storage.go (binding subresource)
//  - k8s.io/apiserver/pkg/storage/names/generate.go (generateName)
#include "kubesim/api/api_server.h"

#include <spdlog/spdlog.h>

#include <deque>
#include <mutex>
#include <set>

#include "admission/admission_chain.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/selectors.h"
#include "kubesim/api/validation.h"
#include "kubesim/sim/random.h"
#include "kubesim/util/logging.h"

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

bool IsTableRequest(const Request& r) { return r.accept.find("as=Table") != std::string::npos; }

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
    store_->AddCommitListener([this](store::Revision) { SchedulePump(); });
    ScheduleCompaction();
  }

  ~ApiServerImpl() override { loop_->Shutdown(); }

  const ResourceRegistry& registry() const override { return *registry_; }

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
    }
    watches_.clear();
  }
  bool serving() const override { return serving_.load(); }

  Response Handle(const Request& req) override {
    if (!serving_.load()) return Response{0, Object()};
    Response r;
    try {
      r = HandleUnsafe(req);
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
        watches_.erase(it);
        return;
      }
    }
  }

 private:
  Response HandleUnsafe(const Request& req);
  Response DoGet(const ResourceStrategy& s, const Request& req);
  Response DoList(const ResourceStrategy& s, const Request& req);
  Response DoCreate(const ResourceStrategy& s, const Request& req);
  Response DoUpdate(const ResourceStrategy& s, const Request& req);
  Response DoPatch(const ResourceStrategy& s, const Request& req);
  Response DoDelete(const ResourceStrategy& s, const Request& req);
  Response DoBinding(const ResourceStrategy& s, const Request& req);

  // Writes `obj` over the version read at `read_revision`: the common tail of
  // update, patch, binding and graceful delete.
  Response WriteUpdate(const ResourceStrategy& s, const std::string& key, Object obj,
                       const Object& old_obj, store::Revision read_revision,
                       const std::string& subresource, bool dry_run);

  StatusOr<Object> Decode(const store::KeyValue& kv) const {
    Object o = Object::parse(kv.value, nullptr, /*allow_exceptions=*/false);
    if (o.is_discarded()) return Status::Internal("corrupt object at " + kv.key);
    o["metadata"]["resourceVersion"] = std::to_string(kv.mod_revision);
    return o;
  }
  static std::string Encode(Object obj) {
    if (obj.contains("metadata")) obj["metadata"].erase("resourceVersion");
    return obj.dump();
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
  void Pump();
  void PumpLocked();                                   // REQUIRES: watch_mu_ held
  void Deliver(ServerWatch& w, const CachedEvent& e);  // REQUIRES: watch_mu_ held
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
  std::unique_ptr<store::Watch> store_watch_;  // guarded by watch_mu_
  std::deque<CachedEvent> cache_;              // guarded by watch_mu_
  store::Revision cache_start_revision_ = 0;   // guarded by watch_mu_: events after it are cached
  store::Revision head_revision_ = 0;          // guarded by watch_mu_: last event pumped
  std::vector<std::shared_ptr<ServerWatch>> watches_;  // guarded by watch_mu_
  uint64_t next_watch_id_ = 1;                         // guarded by watch_mu_
};

void WatchHandleImpl::Stop() {
  if (stopped_) return;
  stopped_ = true;
  server_->StopWatch(id_);
}

Response ApiServerImpl::HandleUnsafe(const Request& req) {
  const ResourceStrategy* s = registry_->Find(req.gvr);
  if (s == nullptr) {
    Response r = NotFound("", "");
    r.body["message"] = "the server could not find the requested resource";
    r.body.erase("details");
    return r;
  }
  const ResourceInfo& info = s->info();
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
  switch (req.verb) {
    case Verb::kGet:
      return DoGet(*s, req);
    case Verb::kList:
      return DoList(*s, req);
    case Verb::kCreate:
      if (req.subresource == "binding") return DoBinding(*s, req);
      return DoCreate(*s, req);
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
  auto kv = store_->Get(info.StorageKey(req.namespace_, req.name));
  if (!kv.ok()) {
    if (kv.status().code() == StatusCode::kNotFound) {
      return NotFound(info.QualifiedResource(), req.name);
    }
    return FromStatus(kv.status());
  }
  auto obj = Decode(*kv);
  if (!obj.ok()) return FromStatus(obj.status());
  if (IsTableRequest(req)) {
    return Ok(ToTable(s, {*obj}, ResourceVersion(*obj)));
  }
  return Ok(std::move(*obj));
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

Response ApiServerImpl::DoCreate(const ResourceStrategy& s, const Request& req) {
  const ResourceInfo& info = s.info();
  if (!req.body.is_object()) return BadRequest("the body of the request was not a JSON object");
  Object obj = req.body;
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
  meta["creationTimestamp"] = FormatRfc3339(executor_->Now());
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
  admission::StoreObjectReader reader(store_, registry_.get());
  Response denied = admission::RunAdmission(*registry_, reader, attrs, obj, /*mutating=*/true);
  if (!denied.ok()) return denied;
  s.PrepareForCreate(obj);
  Response invalid = Validate(s, obj, nullptr);
  if (!invalid.ok()) return invalid;
  denied = admission::RunAdmission(*registry_, reader, attrs, obj, /*mutating=*/false);
  if (!denied.ok()) return denied;

  const std::string ns = Namespace(obj);
  if (info.namespaced) {
    auto ns_kv = store_->Get(std::string("/registry/namespaces/") + ns);
    if (!ns_kv.ok()) return NotFound("namespaces", ns);
    auto ns_obj = Decode(*ns_kv);
    if (ns_obj.ok() && GetString(*ns_obj, "/status/phase") == "Terminating") {
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
    auto txn =
        store_->Txn({store::Compare{key, 0}}, {store::Op{store::Op::Type::kPut, key, Encode(obj)}});
    if (!txn.ok()) return FromStatus(txn.status());
    if (txn->succeeded) {
      obj["metadata"]["resourceVersion"] = std::to_string(txn->revision);
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
                                    const std::string& subresource, bool dry_run) {
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
  admission::StoreObjectReader reader(store_, registry_.get());
  if (subresource.empty()) {
    Response denied = admission::RunAdmission(*registry_, reader, attrs, obj, /*mutating=*/true);
    if (!denied.ok()) return denied;
  }
  s.PrepareForUpdate(obj, old_obj, subresource);
  Response invalid = Validate(s, obj, &old_obj);
  if (!invalid.ok()) return invalid;
  if (subresource.empty()) {
    Response denied = admission::RunAdmission(*registry_, reader, attrs, obj, /*mutating=*/false);
    if (!denied.ok()) return denied;
  }
  Object old_cmp = old_obj;
  old_cmp["metadata"].erase("resourceVersion");
  Object new_cmp = obj;
  new_cmp["metadata"].erase("resourceVersion");
  if (new_cmp == old_cmp || dry_run) {
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
  bool remove = meta.contains("deletionTimestamp") &&
                (!meta.contains("finalizers") || meta["finalizers"].empty()) &&
                meta.value("deletionGracePeriodSeconds", int64_t{1}) == 0 &&
                (info.gvr != kNamespaces || !spec_finalizers || spec_finalizers->empty());
  std::vector<store::Op> ops;
  if (remove) {
    ops.push_back(store::Op{store::Op::Type::kDelete, key, ""});
  } else {
    ops.push_back(store::Op{store::Op::Type::kPut, key, Encode(obj)});
  }
  auto txn = store_->Txn({store::Compare{key, read_revision}}, ops);
  if (!txn.ok()) return FromStatus(txn.status());
  if (!txn->succeeded) {
    return Conflict(info.QualifiedResource(), Name(obj),
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  obj["metadata"]["resourceVersion"] = std::to_string(txn->revision);
  return Ok(std::move(obj));
}

Response ApiServerImpl::DoUpdate(const ResourceStrategy& s, const Request& req) {
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
  auto kv = store_->Get(key);
  if (!kv.ok()) {
    if (kv.status().code() == StatusCode::kNotFound) {
      return NotFound(info.QualifiedResource(), req.name);
    }
    return FromStatus(kv.status());
  }
  auto old_obj = Decode(*kv);
  if (!old_obj.ok()) return FromStatus(old_obj.status());
  std::string rv = ResourceVersion(obj);
  if (!rv.empty() && rv != std::to_string(kv->mod_revision)) {
    return Conflict(info.QualifiedResource(), req.name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  return WriteUpdate(s, key, std::move(obj), *old_obj, kv->mod_revision, req.subresource,
                     req.dry_run);
}

Response ApiServerImpl::DoPatch(const ResourceStrategy& s, const Request& req) {
  const ResourceInfo& info = s.info();
  std::string key = info.StorageKey(req.namespace_, req.name);
  auto kv = store_->Get(key);
  if (!kv.ok()) {
    if (kv.status().code() == StatusCode::kNotFound) {
      return NotFound(info.QualifiedResource(), req.name);
    }
    return FromStatus(kv.status());
  }
  auto old_obj = Decode(*kv);
  if (!old_obj.ok()) return FromStatus(old_obj.status());
  Object patched = *old_obj;
  try {
    if (req.content_type == kJsonPatch) {
      if (!req.body.is_array())
        return BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
      patched = patched.patch(req.body);
    } else if (req.content_type == kMergePatch || req.content_type == kStrategicMergePatch) {
      // TODO(issue 6): strategic merge (list merge keys, $patch directives).
      // Until then a strategic patch is applied as a JSON merge patch.
      if (!req.body.is_object()) return BadRequest("the body of the request was not a JSON object");
      patched.merge_patch(req.body);
    } else {
      return UnsupportedMediaType(req.content_type);
    }
  } catch (const std::exception& e) {
    return Invalid(info.kind, info.gvr.group, req.name,
                   {FieldError{FieldError::Type::kInvalid, "", Object(), e.what()}});
  }
  std::string rv = ResourceVersion(patched);
  if (!rv.empty() && rv != std::to_string(kv->mod_revision)) {
    return Conflict(info.QualifiedResource(), req.name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  return WriteUpdate(s, key, std::move(patched), *old_obj, kv->mod_revision, req.subresource,
                     req.dry_run);
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
      auto txn = store_->Txn({store::Compare{key, kv->mod_revision}},
                             {store::Op{store::Op::Type::kPut, key, Encode(updated)}});
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
      auto txn = store_->Txn({store::Compare{key, kv->mod_revision}},
                             {store::Op{store::Op::Type::kPut, key, Encode(updated)}});
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
  auto kv = store_->Get(key);
  if (!kv.ok()) return NotFound(info.QualifiedResource(), name);
  auto pod = Decode(*kv);
  if (!pod.ok()) return FromStatus(pod.status());
  if (Find(*pod, "/metadata/deletionTimestamp")) {
    return Conflict(info.QualifiedResource(), name,
                    "pod " + name + " is being deleted, cannot be assigned to a host");
  }
  std::string current = GetString(*pod, "/spec/nodeName");
  if (!current.empty()) {
    return Conflict(info.QualifiedResource(), name,
                    "pod " + name + " is already assigned to node \"" + current + "\"");
  }
  Object updated = *pod;
  updated["spec"]["nodeName"] = target;
  Object cond = {{"type", "PodScheduled"},
                 {"status", "True"},
                 {"lastProbeTime", nullptr},
                 {"lastTransitionTime", FormatRfc3339(executor_->Now())}};
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
  if (req.dry_run)
    return Ok({{"kind", "Status"},
               {"apiVersion", "v1"},
               {"metadata", Object::object()},
               {"status", "Success"},
               {"code", 201}},
              201);
  auto txn = store_->Txn({store::Compare{key, kv->mod_revision}},
                         {store::Op{store::Op::Type::kPut, key, Encode(updated)}});
  if (!txn.ok()) return FromStatus(txn.status());
  if (!txn->succeeded) {
    return Conflict(info.QualifiedResource(), name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
  }
  return Ok({{"kind", "Status"},
             {"apiVersion", "v1"},
             {"metadata", Object::object()},
             {"status", "Success"},
             {"code", 201}},
            201);
}

// ---- Watch ----------------------------------------------------------------

bool ApiServerImpl::Matches(const ServerWatch& w, const Object& obj) const {
  if (!w.name.empty() && Name(obj) != w.name) return false;
  if (!w.labels.Matches(Labels(obj))) return false;
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
      Object prev = Object::parse(ev.prev.value, nullptr, false);
      if (!prev.is_discarded()) {
        prev["metadata"]["resourceVersion"] = std::to_string(ev.prev.mod_revision);
        ce.prev = Share(std::move(prev));
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
      Object obj = Object::parse(ev.kv.value, nullptr, false);
      if (obj.is_discarded()) continue;
      obj["metadata"]["resourceVersion"] = std::to_string(ev.revision());
      ce.object = Share(std::move(obj));
    }
    for (auto& w : watches_) Deliver(*w, ce);
    head_revision_ = ce.revision;
    cache_.push_back(std::move(ce));
  }
}

StatusOr<std::unique_ptr<WatchHandle>> ApiServerImpl::Watch(const Request& req, WatchSink sink) {
  if (!serving_.load()) return Status::Unavailable("connection refused");
  const ResourceStrategy* s = registry_->Find(req.gvr);
  if (s == nullptr) return Status::NotFound("the server could not find the requested resource");
  const ResourceInfo& info = s->info();
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
  return std::unique_ptr<WatchHandle>(new WatchHandleImpl(this, w->id));
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
