// The three PATCH document formats kube-apiserver applies to an object
// (k8s.io/apiserver/pkg/endpoints/handlers/patch.go): JSON patch (RFC 6902,
// evanphx/json-patch), JSON merge patch (RFC 7386) and strategic merge patch
// (k8s.io/apimachinery/pkg/util/strategicpatch) for the built-in kinds.
//
// All functions are pure: they copy their inputs and never throw. A failure
// is a Status whose code says how kube-apiserver answers it:
//  - kBadRequest (400): the patch document is malformed (message is
//    upstream's: "invalid patch format of setElementOrder list", ...);
//  - kInvalid (422): the patch does not apply (a JSON patch op on a missing
//    path, a failed "test", lists of lists). kube-apiserver answers these
//    with the generic "the server rejected our request due to an error in our
//    request"; the message here is the library's own, for logs;
//  - kInternal (500, reason unset): errors strategicpatch returns unwrapped,
//    e.g. "map: map[image:x] does not contain declared merge key: name",
//    which kube-apiserver sends back verbatim.
#ifndef KUBESIM_API_PATCH_H_
#define KUBESIM_API_PATCH_H_

#include <string>

#include "kubesim/api/types.h"
#include "kubesim/util/status.h"

namespace kubesim::api {

// RFC 6902: add, remove, replace, move, copy, test; "-" appends; "~0"/"~1"
// escapes; negative array indices count from the end (evanphx v4). An "add"
// or "replace" without "value" writes null, as evanphx does. More than 10000
// operations fail with kRequestEntityTooLarge (413).
StatusOr<Object> ApplyJsonPatch(const Object& doc, const Object& patch);

// RFC 7386. The patch must be a JSON object (else 400 "Invalid JSON Patch",
// as evanphx's MergePatch).
StatusOr<Object> ApplyMergePatch(const Object& doc, const Object& patch);

// Strategic merge patch of `doc`, an object of `kind` ("Pod", "Deployment";
// any other kind merges with ObjectMeta's tags only): list merge keys and
// strategies from the upstream struct tags, the directives `$patch`
// (replace|delete|merge), `$retainKeys`, `$setElementOrder/<list>`,
// `$deleteFromPrimitiveList/<list>`, null deletes a field.
StatusOr<Object> ApplyStrategicMergePatch(const Object& doc, const Object& patch,
                                          const std::string& kind);

// Go's fmt "%v" of a decoded JSON value: map[a:1 b:[x y]], <nil>, ... (used
// in strategicpatch's error messages).
std::string GoFormatValue(const Object& v);

}  // namespace kubesim::api

#endif  // KUBESIM_API_PATCH_H_
