// Legacy (unaggregated) discovery documents built from the ResourceRegistry:
// GET /api (APIVersions), /apis (APIGroupList), /apis/G (APIGroup),
// /api/v1 and /apis/G/V (APIResourceList), as kube-apiserver serves them
// (k8s.io/apiserver/pkg/endpoints/discovery/). kubectl 1.32 asks for
// aggregated discovery (apidiscovery.k8s.io/v2) first and falls back to these
// by the response's Content-Type (plain application/json).
#ifndef KUBESIM_HTTP_DISCOVERY_H_
#define KUBESIM_HTTP_DISCOVERY_H_

#include <optional>
#include <string>

#include "kubesim/api/resource.h"

namespace kubesim::http {

// The discovery document for `path`, or nullopt if `path` is no discovery
// path of a served group/version. `server_address` ("127.0.0.1:6443") goes
// into serverAddressByClientCIDRs.
std::optional<api::Object> DiscoveryDocument(const api::ResourceRegistry& registry,
                                             const std::string& path,
                                             const std::string& server_address);

// The /version document (k8s.io/apimachinery/pkg/version.Info) of the
// Kubernetes release kubesim models, as kube-apiserver writes it.
std::string VersionInfoJson();

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_DISCOVERY_H_
