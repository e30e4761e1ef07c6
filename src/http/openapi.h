// A paths-only OpenAPI v3 for kubectl's query-parameter checks: GET
// /openapi/v3 (the index, k8s.io/kube-openapi/pkg/handler3: {"paths":
// {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=..."}}})
// and GET /openapi/v3/api/v1, /openapi/v3/apis/G/V (one spec3 document per
// group/version).
//
// Why: kubectl 1.32 decides from OpenAPI v3 whether the server supports
// `fieldValidation` (k8s.io/cli-runtime/pkg/resource/
// query_param_verifier_v3.go: the PATCH operation carrying the kind's
// x-kubernetes-group-version-kind must list the parameter). Without it,
// `--validate=warn` prints "cannot perform warn validation if server-side
// field validation is unsupported" and `--validate=strict` falls back to
// client-side schema validation. Each served kind's PATCH operation is listed
// with its query parameters (dryRun, fieldManager, fieldValidation, force),
// as kube-apiserver 1.32 lists them. There are no schemas and no request
// bodies: kubectl apply then computes strategic merge patches from its
// compiled-in types (patcher.go gvkSupportsPatchOpenAPIV3 answers false for a
// PATCH without requestBody), and `kubectl explain` has nothing to show.
//
// Thread-safety: pure functions.
#ifndef KUBESIM_HTTP_OPENAPI_H_
#define KUBESIM_HTTP_OPENAPI_H_

#include <optional>
#include <string>

#include "kubesim/api/resource.h"

namespace kubesim::http {

// The document for `path` ("/openapi/v3" or "/openapi/v3/apis/apps/v1"), or
// nullopt if `path` names no served group/version.
std::optional<api::Object> OpenApiV3Document(const api::ResourceRegistry& registry,
                                             const std::string& path);

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_OPENAPI_H_
