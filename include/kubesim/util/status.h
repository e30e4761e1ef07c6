// Status and StatusOr: the result of every fallible call in kubesim.
//
// Modelled on LevelDB's Status: a cheap value with named constructors. The
// codes mirror the Kubernetes API's StatusReason values (and their HTTP
// codes), so a Status can travel from the store through the API server to a
// client without losing meaning.
//
// Thread-safety: Status and StatusOr are values; distinct objects may be used
// from distinct threads freely, a shared one only read.
#ifndef KUBESIM_UTIL_STATUS_H_
#define KUBESIM_UTIL_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace kubesim {

enum class StatusCode {
  kOk = 0,
  kBadRequest,             // 400 BadRequest
  kUnauthorized,           // 401 Unauthorized
  kForbidden,              // 403 Forbidden
  kNotFound,               // 404 NotFound
  kMethodNotAllowed,       // 405 MethodNotAllowed
  kNotAcceptable,          // 406 NotAcceptable
  kAlreadyExists,          // 409 AlreadyExists
  kConflict,               // 409 Conflict
  kGone,                   // 410 Expired (e.g. a compacted revision)
  kRequestEntityTooLarge,  // 413 RequestEntityTooLarge
  kUnsupportedMediaType,   // 415 UnsupportedMediaType
  kInvalid,                // 422 Invalid
  kTooManyRequests,        // 429 TooManyRequests
  kInternal,               // 500 InternalError
  kServiceUnavailable,     // 503 ServiceUnavailable
  kTimeout,                // 504 Timeout
  kUnavailable,            // no answer at all (a stopped server): client side
};

// The HTTP status code kube-apiserver sends for `code` (0 for kUnavailable).
int HttpCode(StatusCode code);
// The metav1.StatusReason string for `code` ("NotFound", "Invalid", ...);
// empty for kOk.
const char* ReasonName(StatusCode code);
// The code for a metav1.StatusReason string; kInternal when unknown.
StatusCode CodeFromReason(const std::string& reason);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status BadRequest(std::string m) { return {StatusCode::kBadRequest, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status Gone(std::string m) { return {StatusCode::kGone, std::move(m)}; }
  static Status Invalid(std::string m) { return {StatusCode::kInvalid, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Timeout(std::string m) { return {StatusCode::kTimeout, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NotFound: pods \"x\" not found", or "OK".
  std::string ToString() const;

  bool operator==(const Status& other) const {
    return code_ == other.code_ && message_ == other.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
// REQUIRES: value() is called only when ok().
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "StatusOr built from an OK Status has no value");
    if (status_.ok()) status_ = Status::Internal("StatusOr built from OK Status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace kubesim

// Returns early from the enclosing function when `expr` is not OK.
#define KUBESIM_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::kubesim::Status _kubesim_status = (expr);        \
    if (!_kubesim_status.ok()) return _kubesim_status; \
  } while (0)

#endif  // KUBESIM_UTIL_STATUS_H_
