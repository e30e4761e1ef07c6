// Maps an HTTP request of the Kubernetes REST API to an api::Request
// (kube-apiserver: k8s.io/apiserver/pkg/endpoints/request/requestinfo.go for
// the path grammar, handlers/rest.go and handlers/delete.go for query
// parameters and DeleteOptions).
#ifndef KUBESIM_HTTP_ROUTING_H_
#define KUBESIM_HTTP_ROUTING_H_

#include <map>
#include <optional>
#include <string>

#include "kubesim/api/resource.h"
#include "kubesim/api/types.h"

namespace kubesim::http {

struct HttpInput {
  std::string method;  // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string path;    // decoded, without the query
  std::multimap<std::string, std::string> params;
  std::string content_type;  // the raw header
  std::string accept;
  std::string user_agent;
  std::string body;
};

// A request for a resource path (/api/v1/..., /apis/G/V/RESOURCE...): the
// api::Request, or an error response (bad body or parameter). Returns
// nullopt when `in.path` is not a resource path (discovery, /version, ...).
struct RouteResult {
  api::Request request;
  std::optional<api::Response> error;
  bool body_error = false;  // `error` is about the body (body_decode.h)
};
std::optional<RouteResult> RouteResourceRequest(const api::ResourceRegistry& registry,
                                                const HttpInput& in);

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_ROUTING_H_
