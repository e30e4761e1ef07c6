// Decoding a request body as kube-apiserver's handlers do, with their
// errors for malformed bodies (k8s.io/apiserver/pkg/endpoints/handlers/):
//
//  - create and update (create.go, update.go): Content-Type picks the
//    serializer (none = application/json); others are 415 "the body of the
//    request was in an unknown format - accepted media types include:
//    application/json, application/yaml, application/vnd.kubernetes.protobuf".
//    A malformed body is 400 from transformDecodeError: "the object
//    provided is unrecognized (must be of type KIND): couldn't get
//    version/kind; json parse error: <Go's json error> (<summarizeData>)",
//    or for YAML "...: error converting YAML to JSON: yaml: line N: ...".
//  - patch (patch.go): json-patch and strategic-merge-patch give Go's json
//    error as a 400, merge-patch evanphx/json-patch's "Invalid JSON Patch",
//    apply-patch+yaml "error decoding YAML: error converting YAML to JSON:
//    yaml: ...".
//  - delete (delete.go): DeleteOptions through the same serializers; a
//    decode error is not an API status there, so it is a 500 with no
//    reason whose message is the decoder's.
//
// Upstream decodes a patch only after reading the object, so a malformed
// patch of a missing object is that object's 404: the HTTP server checks
// for it when DecodeBody fails on a patch.
#ifndef KUBESIM_HTTP_BODY_DECODE_H_
#define KUBESIM_HTTP_BODY_DECODE_H_

#include <optional>
#include <string>

#include "kubesim/api/resource.h"
#include "kubesim/api/types.h"

namespace kubesim::http {

struct DecodedBody {
  api::Object object;                  // the body when error is unset
  std::optional<api::Response> error;  // the Status to answer instead
};

// Decodes `body` (not empty) of `request` (verb, gvr and subresource set)
// sent with media type `media` (lower case, no parameters; not protobuf).
DecodedBody DecodeBody(const api::ResourceRegistry& registry, const api::Request& request,
                       const std::string& media, const std::string& body);

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_BODY_DECODE_H_
