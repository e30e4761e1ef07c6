// RouteResourceRequest (routing.h).
#include "routing.h"

#include <vector>

#include "body_decode.h"
#include "kubesim/api/errors.h"
#include "kubesim/printers/yaml.h"
#include "kubesim/util/numbers.h"
#include "protobuf.h"

namespace kubesim::http {
namespace {

using api::Object;

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string Param(const HttpInput& in, const std::string& key) {
  auto it = in.params.find(key);
  return it == in.params.end() ? "" : it->second;
}

bool Truthy(const std::string& v) { return v == "true" || v == "1" || v == "True"; }

// The media type without parameters, lower case: "application/json".
std::string MediaType(const std::string& header) {
  std::string t = header.substr(0, header.find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t;
}

RouteResult WithDeleteOptions(RouteResult out) {
  api::Request& req = out.request;
  // DeleteOptions in the body (handlers/delete.go), over the query.
  if ((req.verb == api::Verb::kDelete || req.verb == api::Verb::kDeleteCollection) &&
      req.body.is_object()) {
    const Object& opts = req.body;
    if (opts.contains("gracePeriodSeconds") && opts["gracePeriodSeconds"].is_number_integer()) {
      req.grace_period_seconds = opts["gracePeriodSeconds"].get<int64_t>();
    }
    if (opts.contains("propagationPolicy") && opts["propagationPolicy"].is_string()) {
      req.propagation_policy = opts["propagationPolicy"].get<std::string>();
    }
    if (opts.contains("preconditions") && opts["preconditions"].is_object() &&
        opts["preconditions"].contains("uid") && opts["preconditions"]["uid"].is_string()) {
      req.precondition_uid = opts["preconditions"]["uid"].get<std::string>();
    }
    if (opts.contains("dryRun") && opts["dryRun"].is_array() && !opts["dryRun"].empty()) {
      req.dry_run = true;
    }
  }
  return out;
}

}  // namespace

std::optional<RouteResult> RouteResourceRequest(const api::ResourceRegistry& registry,
                                                const HttpInput& in) {
  std::vector<std::string> seg = Split(in.path);
  api::GroupVersionResource gv;
  size_t rest = 0;
  if (seg.size() >= 3 && seg[0] == "api") {
    gv.version = seg[1];
    rest = 2;
  } else if (seg.size() >= 4 && seg[0] == "apis") {
    gv.group = seg[1];
    gv.version = seg[2];
    rest = 3;
  } else {
    return std::nullopt;
  }
  std::vector<std::string> r(seg.begin() + static_cast<long>(rest), seg.end());
  RouteResult out;
  api::Request& req = out.request;
  req.gvr = gv;
  // requestinfo.go: /namespaces/NS/RESOURCE/... is namespaced unless it is
  // the namespace object's own subresource (/namespaces/NS/status).
  bool namespaced_path = false;
  if (r.size() >= 3 && r[0] == "namespaces") {
    const api::ResourceStrategy* s = registry.Find({gv.group, gv.version, r[2]});
    // An unknown RESOURCE is still a resource name there (a 404 later).
    namespaced_path = s != nullptr ? s->info().namespaced : true;
    if (gv.group.empty() && r.size() == 3 && (r[2] == "status" || r[2] == "finalize")) {
      namespaced_path = false;
    }
  }
  size_t i = 0;
  if (namespaced_path) {
    req.namespace_ = r[1];
    i = 2;
  }
  req.gvr.resource = r[i];
  if (r.size() > i + 1) req.name = r[i + 1];
  if (r.size() > i + 2) {
    req.subresource = r[i + 2];
    for (size_t k = i + 3; k < r.size(); ++k) req.subresource += "/" + r[k];
  }

  // Query parameters (metav1.ListOptions, CreateOptions, PatchOptions, ...).
  req.label_selector = Param(in, "labelSelector");
  req.field_selector = Param(in, "fieldSelector");
  req.resource_version = Param(in, "resourceVersion");
  req.allow_watch_bookmarks = Truthy(Param(in, "allowWatchBookmarks"));
  req.field_manager = Param(in, "fieldManager");
  req.field_validation = Param(in, "fieldValidation");
  req.force = Truthy(Param(in, "force"));
  req.include_object = Param(in, "includeObject");
  req.propagation_policy = Param(in, "propagationPolicy");
  req.dry_run = !Param(in, "dryRun").empty();
  req.accept = in.accept;
  req.user_agent = in.user_agent;
  // pods/log (PodLogOptions, pkg/apis/core/v1 conversion of the query):
  // container and previous pick the stream; follow, tailLines, sinceSeconds,
  // sinceTime, timestamps, limitBytes, insecureSkipTLSVerifyBackend are
  // accepted and change nothing, since simulated containers log nothing
  // (docs/api-semantics.md). Numeric ones are still parsed so that a bad
  // value fails as upstream's query decoding does.
  if (req.subresource == "log") {
    req.log_options.container = Param(in, "container");
    req.log_options.previous = Truthy(Param(in, "previous"));
    for (const char* key : {"tailLines", "sinceSeconds", "limitBytes"}) {
      std::string v = Param(in, key);
      int64_t n = 0;
      if (!v.empty() && !ParseInt64(v, &n)) {
        out.error = api::BadRequest("invalid value \"" + v + "\" for " + key);
        return out;
      }
    }
  }
  for (const char* key : {"limit", "timeoutSeconds", "gracePeriodSeconds"}) {
    std::string v = Param(in, key);
    if (v.empty()) continue;
    int64_t n = 0;
    if (!ParseInt64(v, &n)) {
      out.error = api::BadRequest("invalid value \"" + v + "\" for " + key);
      return out;
    }
    if (std::string(key) == "limit") req.limit = n;
    if (std::string(key) == "timeoutSeconds") req.timeout_seconds = n;
    if (std::string(key) == "gracePeriodSeconds") req.grace_period_seconds = n;
  }

  const bool watch = Truthy(Param(in, "watch"));
  const std::string media = MediaType(in.content_type);
  if (in.method == "GET") {
    req.verb = watch ? api::Verb::kWatch : req.name.empty() ? api::Verb::kList : api::Verb::kGet;
  } else if (in.method == "POST") {
    req.verb = api::Verb::kCreate;
  } else if (in.method == "PUT") {
    req.verb = api::Verb::kUpdate;
  } else if (in.method == "PATCH") {
    req.verb = api::Verb::kPatch;
  } else if (in.method == "DELETE") {
    req.verb = req.name.empty() ? api::Verb::kDeleteCollection : api::Verb::kDelete;
  } else {
    out.error = api::MethodNotSupported(req.gvr.resource, in.method);
    return out;
  }
  req.content_type = media;

  // PATCH: handlers/patch.go checks the patch type before it reads the body.
  if (req.verb == api::Verb::kPatch && media != api::kJsonPatch && media != api::kMergePatch &&
      media != api::kStrategicMergePatch && media != api::kApplyPatch) {
    out.error = api::UnsupportedMediaType(in.content_type);
    return out;
  }
  // The body: JSON, YAML, or the protobuf kubectl's typed clients send for
  // a few kinds (protobuf.h); a malformed one fails as body_decode.h says.
  if (in.body.empty() ||
      (media != kProtobuf && in.body.find_first_not_of(" \t\r\n") == std::string::npos)) {
    return out;  // no body: a request without one, or the API server's own error
  }
  if (media == kProtobuf) {
    auto decoded = DecodeProtobufBody(in.body);
    if (!decoded.ok()) {
      out.error = api::FromStatus(decoded.status());
      return out;
    }
    req.body = std::move(*decoded);
    return WithDeleteOptions(std::move(out));
  }
  DecodedBody body = DecodeBody(registry, req, media, in.body);
  if (body.error) {
    out.error = std::move(body.error);
    out.body_error = true;
    return out;
  }
  req.body = std::move(body.object);
  return WithDeleteOptions(std::move(out));
}

}  // namespace kubesim::http
