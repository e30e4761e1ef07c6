// The REST-shaped request and response objects every client sends to the API
// server: the shell, the controllers, the kubelets, and (later) HTTP. There is
// one code path: ApiServer::Handle(Request) -> Response.
//
// Objects are JSON documents (nlohmann::json), exactly what travels on the
// wire to a real kube-apiserver. An object shared across threads is held as
// ObjectPtr (shared_ptr<const Object>) and never mutated after sharing.
#ifndef KUBESIM_API_TYPES_H_
#define KUBESIM_API_TYPES_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kubesim::api {

using Object = nlohmann::json;
using ObjectPtr = std::shared_ptr<const Object>;

inline ObjectPtr Share(Object o) { return std::make_shared<const Object>(std::move(o)); }

enum class Verb {
  kGet,
  kList,
  kWatch,
  kCreate,
  kUpdate,
  kPatch,
  kDelete,
  kDeleteCollection,
};
const char* VerbName(Verb v);  // "get", "list", ... as in RBAC/discovery

struct GroupVersionResource {
  std::string group;     // "" for the core group
  std::string version;   // "v1"
  std::string resource;  // plural, lower case: "pods"
  bool operator==(const GroupVersionResource&) const = default;
};

// Patch content types, as kubectl sends them.
inline constexpr char kJsonPatch[] = "application/json-patch+json";
inline constexpr char kMergePatch[] = "application/merge-patch+json";
inline constexpr char kStrategicMergePatch[] = "application/strategic-merge-patch+json";
inline constexpr char kApplyPatch[] = "application/apply-patch+yaml";

// The Accept header value that asks for a server-side table, as kubectl get.
inline constexpr char kAcceptTable[] = "application/json;as=Table;v=v1;g=meta.k8s.io";

struct Request {
  Verb verb = Verb::kGet;
  GroupVersionResource gvr;
  std::string namespace_;    // empty for cluster-scoped or all namespaces
  std::string name;          // empty for list/watch/create
  std::string subresource;   // "", "status", "binding"
  Object body;               // create/update/patch (a patch document for kPatch)
  std::string content_type;  // for kPatch: one of the constants above

  // Query parameters.
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // get/list: "" latest; watch: start after it
  bool allow_watch_bookmarks = false;
  int64_t limit = 0;
  int64_t timeout_seconds = 0;
  bool dry_run = false;
  std::string field_manager;
  // fieldValidation: "Strict", "Warn", "Ignore"; "" = the server default
  // (Warn for HTTP clients, as kube-apiserver 1.27+).
  std::string field_validation;
  bool force = false;  // server-side apply: take ownership of conflicting fields
  // Table requests: includeObject=None|Metadata|Object ("" = Metadata).
  std::string include_object;
  std::string accept;  // kAcceptTable for tables; "" for plain JSON
  // pods/log query parameters (PodLogOptions); the others (tailLines,
  // timestamps, ...) change nothing while simulated containers log nothing.
  struct LogOptions {
    std::string container;
    bool previous = false;
  } log_options;

  // DeleteOptions (kDelete).
  std::optional<int64_t> grace_period_seconds;
  std::string propagation_policy;  // "", "Background", "Foreground", "Orphan"
  std::optional<std::string> precondition_uid;

  std::string user_agent;  // who is asking: "kubectl", "kube-scheduler", ...

  // Set by in-process callers that read only a successful create's code and
  // warnings (an EventRecorder; a load generator): the 201 then has a null
  // body instead of the object created, which spares the server a copy of
  // that object (the watch cache keeps the one it stores instead). Failures,
  // dry runs and every other verb answer as usual. Not an HTTP parameter:
  // the HTTP server never sets it.
  bool discard_result = false;
};

struct Response {
  int code = 200;  // HTTP status code; 0 = no answer (server unreachable)
  // The object, list, Table, or a metav1 Status on failure.
  Object body;
  // "" = application/json. "text/plain" for pods/log, whose body is then a
  // JSON string holding the text.
  std::string content_type{};  // {}: aggregate init may omit it quietly
  // Warnings for the client (HTTP `Warning: 299 - "..."` headers; kubectl
  // prints them as "Warning: ...").
  std::vector<std::string> warnings{};
  bool ok() const { return code >= 200 && code < 300; }
};

struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark, kError };
  Type type = Type::kAdded;
  ObjectPtr object;  // the object (for kError, a metav1 Status)
};
const char* WatchEventTypeName(WatchEvent::Type t);  // "ADDED", ...

// Receives a watch's events in order. Called on the API server's watch
// fan-out thread: must be quick (post to your own loop) and must not call
// back into the API server.
using WatchSink = std::function<void(const WatchEvent&)>;

// An open watch. Destroying it (or Stop()) ends delivery; after Stop returns
// the sink is never called again.
class WatchHandle {
 public:
  virtual ~WatchHandle() = default;
  virtual void Stop() = 0;
};

}  // namespace kubesim::api

#endif  // KUBESIM_API_TYPES_H_
