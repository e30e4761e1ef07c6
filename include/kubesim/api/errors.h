// Kubernetes API errors as metav1.Status objects, with kube-apiserver's exact
// reasons and messages (k8s.io/apimachinery/pkg/api/errors/errors.go).
//
// Every builder returns a Response whose body is the Status object and whose
// code is the HTTP code, ready to hand back to a client.
#ifndef KUBESIM_API_ERRORS_H_
#define KUBESIM_API_ERRORS_H_

#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/util/status.h"

namespace kubesim::api {

// One validation failure (apimachinery/pkg/util/validation/field.Error).
struct FieldError {
  enum class Type {
    kRequired,      // "Required value"
    kInvalid,       // "Invalid value"
    kNotSupported,  // "Unsupported value"
    kDuplicate,     // "Duplicate value"
    kForbidden,     // "Forbidden"
    kTooLong,       // "Too long"
    kTooMany,       // "Too many"
  };
  Type type = Type::kInvalid;
  std::string field;  // "metadata.name", "spec.containers[0].image"
  Object bad_value;   // shown for kInvalid/kNotSupported/kDuplicate
  std::string detail;

  // "metadata.name: Invalid value: \"X\": a lowercase RFC 1123 ..." exactly as
  // field.Error.Error().
  std::string ToString() const;
  // The message without the field name (field.Error.ErrorBody()), as carried in
  // a StatusCause "message": "Invalid value: \"X\": ...".
  std::string ErrorBody() const;
  // The StatusCause "reason" string: "FieldValueRequired", "FieldValueInvalid", ...
  std::string CauseType() const;

  // Builders named and worded as apimachinery's field.Required, field.Invalid, ...
  static FieldError Required(std::string field, std::string detail = "");
  static FieldError Invalid(std::string field, Object value, std::string detail);
  // detail "supported values: \"a\", \"b\"" (none when `valid` is empty).
  static FieldError NotSupported(std::string field, Object value,
                                 const std::vector<std::string>& valid);
  static FieldError Duplicate(std::string field, Object value);
  static FieldError Forbidden(std::string field, std::string detail);
  // "Too long: may not be more than N bytes" (field.TooLong).
  static FieldError TooLong(std::string field, int max_bytes);
  // "Too many: <actual>: must have at most N items" (field.TooMany); a
  // negative `actual` omits the value.
  static FieldError TooMany(std::string field, int64_t actual, int64_t max_items);
};

// Go's fmt %q / strconv.Quote of `s`: "\"a\\tb\"".
std::string GoQuote(const std::string& s);
// Go's encoding/json.Marshal of `v` (compact, HTML-escaped, map keys sorted),
// e.g. for printing a bad value: ["a","b"], {"k":1}, null.
std::string GoJson(const Object& v);

// Qualified resource names as kube-apiserver prints them: "pods", "nodes",
// "deployments.apps".
Response NotFound(const std::string& qualified_resource, const std::string& name);
Response AlreadyExists(const std::string& qualified_resource, const std::string& name);
// "Operation cannot be fulfilled on pods \"x\": the object has been modified;
// please apply your changes to the latest version and try again"
Response Conflict(const std::string& qualified_resource, const std::string& name,
                  const std::string& detail);
// `Pod "x" is invalid: ...` (kind is the Kind, e.g. "Pod"); with causes.
Response Invalid(const std::string& kind, const std::string& group, const std::string& name,
                 const std::vector<FieldError>& errors);
Response BadRequest(const std::string& message);
Response MethodNotSupported(const std::string& qualified_resource, const std::string& action);
Response Gone(const std::string& message);  // 410 Expired
Response InternalError(const std::string& message);
Response ServiceUnavailable(const std::string& message);
// errors.NewTooManyRequests: 429 TooManyRequests, details.retryAfterSeconds
// (omitted at 0) and one StatusCause {type: cause_type, message: cause}
// (omitted when cause_type is empty).
Response TooManyRequests(const std::string& message, int retry_after_seconds,
                         const std::string& cause_type = "", const std::string& cause = "");
// "the body of the request was in an unknown format - accepted media types
// include: ..." listing the PATCH content types kube-apiserver accepts.
Response UnsupportedMediaType(const std::string& content_type);
Response UnsupportedMediaType(const std::string& content_type,
                              const std::vector<std::string>& accepted);
// Any other failure with an explicit code.
// A metav1.Status with status "Success" and `code`, answered with that
// code (DELETE of a collection, an eviction: 201).
Response SuccessStatus(int code = 200);
Response FromStatus(const Status& status);

// The Status carried by a failed Response: code from its reason, message from
// its message. OK for 2xx responses.
Status ToStatus(const Response& response);

}  // namespace kubesim::api

#endif  // KUBESIM_API_ERRORS_H_
