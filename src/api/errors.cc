// Kubernetes API errors as metav1.Status objects.
//
// Upstream references (kubernetes/kubernetes, staging/src/k8s.io/...):
//  - apimachinery/pkg/api/errors/errors.go          (NewNotFound, NewInvalid, ...)
//  - apimachinery/pkg/util/validation/field/errors.go (field.Error, ErrorBody)
//  - apimachinery/pkg/util/errors/errors.go          (aggregate.Error)
//  - apiserver/pkg/endpoints/handlers/negotiation/errors.go (UnsupportedMediaType)
#include "kubesim/api/errors.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "kubesim/printers/go_format.h"

namespace kubesim::api {

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

// Decodes one UTF-8 sequence at s[i]. Returns the code point and sets *width;
// an invalid or truncated sequence yields -1 with *width = 1 (Go's RuneError
// with width 1, as utf8.DecodeRuneInString).
int32_t DecodeRune(const std::string& s, size_t i, size_t* width) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  *width = 1;
  if (c < 0x80) return c;
  int n = 0;
  int32_t cp = 0;
  int32_t min = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (i + n > s.size()) return -1;
  for (int k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  *width = n;
  return cp;
}

void AppendHex(std::string* out, uint32_t v, int digits) {
  for (int k = digits - 1; k >= 0; --k) out->push_back(kLowerHex[(v >> (4 * k)) & 0xF]);
}

// Shortest round-trip decimal digits of |v| and the decimal point position:
// |v| = 0.<digits> * 10^dp (Go's decimalSlice from strconv/ftoa.go).
void ShortestDigits(double v, std::string* digits, int* dp) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // "1.2345e+07"
  size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp10 = std::stoi(sci.substr(e + 1));
  digits->clear();
  for (char c : mant) {
    if (c != '.') digits->push_back(c);
  }
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
  *dp = exp10 + 1;
  if (*digits == "0") *dp = 0;
}

// strconv.FormatFloat(v, 'e', -1, 64): "1.5e+07", "1e-07".
std::string FormatE(bool neg, const std::string& d, int dp) {
  std::string out = neg ? "-" : "";
  out.push_back(d[0]);
  if (d.size() > 1) out += "." + d.substr(1);
  int exp = d == "0" ? 0 : dp - 1;
  out.push_back('e');
  out.push_back(exp < 0 ? '-' : '+');
  int a = exp < 0 ? -exp : exp;
  if (a < 10) out.push_back('0');
  out += std::to_string(a);
  return out;
}

// strconv.FormatFloat(v, 'f', -1, 64): "1500000", "0.000015".
std::string FormatF(bool neg, const std::string& d, int dp) {
  std::string out = neg ? "-" : "";
  int nd = static_cast<int>(d.size());
  if (dp <= 0) {
    out += "0";
    if (d != "0") out += "." + std::string(-dp, '0') + d;
  } else if (dp >= nd) {
    out += d + std::string(dp - nd, '0');
  } else {
    out += d.substr(0, dp) + "." + d.substr(dp);
  }
  return out;
}

// fmt's %v of a float64 (strconv 'g' with shortest precision: %e when the
// exponent is < -4 or >= 6): 1.5, 100000, 1e+06, 1.234567e+06.
std::string GoFloatV(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::string d;
  int dp;
  ShortestDigits(v, &d, &dp);
  bool neg = std::signbit(v);
  int exp = dp - 1;
  if (d == "0") exp = 0;
  if (exp < -4 || exp >= 6) return FormatE(neg, d, dp);
  return FormatF(neg, d, dp);
}

// encoding/json's float64 encoding (encode.go floatEncoder): 'f' format
// unless |v| < 1e-6 or |v| >= 1e21, then 'e' with "e-07" cleaned to "e-7".
std::string GoJsonFloat(double v) {
  if (std::isnan(v) || std::isinf(v)) return "null";  // json.Marshal fails; never stored
  std::string d;
  int dp;
  ShortestDigits(v, &d, &dp);
  bool neg = std::signbit(v) && v != 0;
  double a = std::fabs(v);
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    std::string s = FormatE(neg, d, dp);
    size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') {
      s[n - 2] = s[n - 1];
      s.pop_back();
    }
    return s;
  }
  return FormatF(neg, d, dp);
}

// encoding/json's string encoding with HTML escaping (encode.go appendString).
void AppendJsonString(std::string* out, const std::string& s) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          *out += "\\\"";
          break;
        case '\\':
          *out += "\\\\";
          break;
        case '\b':
          *out += "\\b";
          break;
        case '\f':
          *out += "\\f";
          break;
        case '\n':
          *out += "\\n";
          break;
        case '\r':
          *out += "\\r";
          break;
        case '\t':
          *out += "\\t";
          break;
        case '<':
        case '>':
        case '&':
          *out += "\\u00";
          AppendHex(out, c, 2);
          break;
        default:
          if (c < 0x20) {
            *out += "\\u00";
            AppendHex(out, c, 2);
          } else {
            out->push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    size_t w;
    int32_t r = DecodeRune(s, i, &w);
    if (r < 0) {
      *out += "\\ufffd";
    } else if (r == 0x2028 || r == 0x2029) {
      *out += "\\u";
      AppendHex(out, static_cast<uint32_t>(r), 4);
    } else {
      out->append(s, i, w);
    }
    i += w;
  }
  out->push_back('"');
}

void AppendJson(std::string* out, const Object& v) {
  switch (v.type()) {
    case Object::value_t::null:
    case Object::value_t::discarded:
      *out += "null";
      break;
    case Object::value_t::boolean:
      *out += v.get<bool>() ? "true" : "false";
      break;
    case Object::value_t::number_integer:
      *out += std::to_string(v.get<int64_t>());
      break;
    case Object::value_t::number_unsigned:
      *out += std::to_string(v.get<uint64_t>());
      break;
    case Object::value_t::number_float:
      *out += GoJsonFloat(v.get<double>());
      break;
    case Object::value_t::string:
      AppendJsonString(out, v.get_ref<const std::string&>());
      break;
    case Object::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out->push_back(',');
        first = false;
        AppendJson(out, e);
      }
      out->push_back(']');
      break;
    }
    case Object::value_t::object: {
      // nlohmann::json keeps keys sorted, as Go marshals map keys.
      out->push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(out, it.key());
        out->push_back(':');
        AppendJson(out, it.value());
      }
      out->push_back('}');
      break;
    }
    case Object::value_t::binary:
      *out += "null";
      break;
  }
}

const char* TypeString(FieldError::Type t) {
  // field.ErrorType.String() (field/errors.go).
  switch (t) {
    case FieldError::Type::kRequired:
      return "Required value";
    case FieldError::Type::kInvalid:
      return "Invalid value";
    case FieldError::Type::kNotSupported:
      return "Unsupported value";
    case FieldError::Type::kDuplicate:
      return "Duplicate value";
    case FieldError::Type::kForbidden:
      return "Forbidden";
    case FieldError::Type::kTooLong:
      return "Too long";
    case FieldError::Type::kTooMany:
      return "Too many";
  }
  return "Invalid value";
}

// Splits "deployments.apps" into resource "deployments" and group "apps"
// (schema.ParseGroupResource: the group is everything after the first dot).
void SplitQualified(const std::string& qualified, std::string* resource, std::string* group) {
  size_t dot = qualified.find('.');
  if (dot == std::string::npos) {
    *resource = qualified;
    group->clear();
  } else {
    *resource = qualified.substr(0, dot);
    *group = qualified.substr(dot + 1);
  }
}

// A metav1.Status with status Failure. Empty fields are omitted as the Go
// struct's `omitempty` tags do.
Object FailureStatus(int code, const std::string& reason, const std::string& message,
                     const Object& details) {
  Object s = {{"kind", "Status"},
              {"apiVersion", "v1"},
              {"metadata", Object::object()},
              {"status", "Failure"}};
  if (!message.empty()) s["message"] = message;
  if (!reason.empty()) s["reason"] = reason;
  if (details.is_object() && !details.empty()) s["details"] = details;
  if (code != 0) s["code"] = code;
  return s;
}

// metav1.StatusDetails {name, group, kind} with empty members omitted.
Object Details(const std::string& name, const std::string& group, const std::string& kind) {
  Object d = Object::object();
  if (!name.empty()) d["name"] = name;
  if (!group.empty()) d["group"] = group;
  if (!kind.empty()) d["kind"] = kind;
  return d;
}

Response Make(StatusCode code, const std::string& message, const Object& details = Object()) {
  int http = HttpCode(code);
  return Response{http, FailureStatus(http, ReasonName(code), message, details)};
}

// The StatusCode a client infers from a bare HTTP code when the Status has no
// known reason (client-go's NewGenericServerResponse).
StatusCode CodeFromHttp(int http) {
  switch (http) {
    case 400:
      return StatusCode::kBadRequest;
    case 401:
      return StatusCode::kUnauthorized;
    case 403:
      return StatusCode::kForbidden;
    case 404:
      return StatusCode::kNotFound;
    case 405:
      return StatusCode::kMethodNotAllowed;
    case 406:
      return StatusCode::kNotAcceptable;
    case 409:
      return StatusCode::kConflict;
    case 410:
      return StatusCode::kGone;
    case 413:
      return StatusCode::kRequestEntityTooLarge;
    case 415:
      return StatusCode::kUnsupportedMediaType;
    case 422:
      return StatusCode::kInvalid;
    case 429:
      return StatusCode::kTooManyRequests;
    case 503:
      return StatusCode::kServiceUnavailable;
    case 504:
      return StatusCode::kTimeout;
    default:
      return StatusCode::kInternal;
  }
}

}  // namespace

// strconv.Quote: one implementation, printers::GoQuote (go_format.h).
std::string GoQuote(const std::string& s) { return printers::GoQuote(s); }

std::string GoJson(const Object& v) {
  std::string out;
  AppendJson(&out, v);
  return out;
}

// field.Error.ErrorBody() (field/errors.go): Required, Forbidden and TooLong
// print only the type; the others print the bad value -- simple types with
// %v, strings with %q, anything else via json.Marshal -- then ": detail".
std::string FieldError::ErrorBody() const {
  std::string s = TypeString(type);
  switch (type) {
    case Type::kRequired:
    case Type::kForbidden:
    case Type::kTooLong:
      break;
    case Type::kTooMany:
      // field.TooMany with a negative quantity stores omitValue; kubesim
      // represents that as a null bad value.
      if (bad_value.is_null()) break;
      [[fallthrough]];
    default:
      s += ": ";
      switch (bad_value.type()) {
        case Object::value_t::string:
          s += GoQuote(bad_value.get_ref<const std::string&>());
          break;
        case Object::value_t::boolean:
          s += bad_value.get<bool>() ? "true" : "false";
          break;
        case Object::value_t::number_integer:
          s += std::to_string(bad_value.get<int64_t>());
          break;
        case Object::value_t::number_unsigned:
          s += std::to_string(bad_value.get<uint64_t>());
          break;
        case Object::value_t::number_float:
          s += GoFloatV(bad_value.get<double>());
          break;
        default:
          s += GoJson(bad_value);  // null, arrays, objects
      }
  }
  if (!detail.empty()) s += ": " + detail;
  return s;
}

// field.Error.Error(): fmt.Sprintf("%s: %s", v.Field, v.ErrorBody()).
std::string FieldError::ToString() const { return field + ": " + ErrorBody(); }

// field.ErrorType values, which are the metav1.CauseType strings.
std::string FieldError::CauseType() const {
  switch (type) {
    case Type::kRequired:
      return "FieldValueRequired";
    case Type::kInvalid:
      return "FieldValueInvalid";
    case Type::kNotSupported:
      return "FieldValueNotSupported";
    case Type::kDuplicate:
      return "FieldValueDuplicate";
    case Type::kForbidden:
      return "FieldValueForbidden";
    case Type::kTooLong:
      return "FieldValueTooLong";
    case Type::kTooMany:
      return "FieldValueTooMany";
  }
  return "FieldValueInvalid";
}

// field.Required: BadValue "" (never printed).
FieldError FieldError::Required(std::string field, std::string detail) {
  return FieldError{Type::kRequired, std::move(field), "", std::move(detail)};
}

FieldError FieldError::Invalid(std::string field, Object value, std::string detail) {
  return FieldError{Type::kInvalid, std::move(field), std::move(value), std::move(detail)};
}

// field.NotSupported: detail "supported values: " + strconv.Quote each, ", ".
FieldError FieldError::NotSupported(std::string field, Object value,
                                    const std::vector<std::string>& valid) {
  std::string detail;
  if (!valid.empty()) {
    detail = "supported values: ";
    for (size_t i = 0; i < valid.size(); ++i) {
      if (i > 0) detail += ", ";
      detail += GoQuote(valid[i]);
    }
  }
  return FieldError{Type::kNotSupported, std::move(field), std::move(value), std::move(detail)};
}

FieldError FieldError::Duplicate(std::string field, Object value) {
  return FieldError{Type::kDuplicate, std::move(field), std::move(value), ""};
}

FieldError FieldError::Forbidden(std::string field, std::string detail) {
  return FieldError{Type::kForbidden, std::move(field), "", std::move(detail)};
}

// field.TooLong: "may not be more than %d bytes" ("byte" for 1; "value is too
// long" when negative).
FieldError FieldError::TooLong(std::string field, int max_bytes) {
  std::string msg;
  if (max_bytes >= 0) {
    msg =
        "may not be more than " + std::to_string(max_bytes) + (max_bytes == 1 ? " byte" : " bytes");
  } else {
    msg = "value is too long";
  }
  return FieldError{Type::kTooLong, std::move(field), "<value omitted>", std::move(msg)};
}

// field.TooMany: "must have at most %d items" ("item" for 1; "has too many
// items" when negative).
FieldError FieldError::TooMany(std::string field, int64_t actual, int64_t max_items) {
  std::string msg;
  if (max_items >= 0) {
    msg = "must have at most " + std::to_string(max_items) + (max_items == 1 ? " item" : " items");
  } else {
    msg = "has too many items";
  }
  Object value = actual >= 0 ? Object(actual) : Object();
  return FieldError{Type::kTooMany, std::move(field), std::move(value), std::move(msg)};
}

// errors.NewNotFound: Message fmt.Sprintf("%s %q not found", qualifiedResource.String(), name);
// details {group, kind: resource, name}.
Response NotFound(const std::string& qualified_resource, const std::string& name) {
  std::string resource, group;
  SplitQualified(qualified_resource, &resource, &group);
  return Make(StatusCode::kNotFound, qualified_resource + " " + GoQuote(name) + " not found",
              Details(name, group, resource));
}

// errors.NewAlreadyExists: "%s %q already exists", 409 AlreadyExists.
Response AlreadyExists(const std::string& qualified_resource, const std::string& name) {
  std::string resource, group;
  SplitQualified(qualified_resource, &resource, &group);
  return Make(StatusCode::kAlreadyExists,
              qualified_resource + " " + GoQuote(name) + " already exists",
              Details(name, group, resource));
}

// errors.NewConflict: "Operation cannot be fulfilled on %s %q: %v", 409 Conflict.
Response Conflict(const std::string& qualified_resource, const std::string& name,
                  const std::string& detail) {
  std::string resource, group;
  SplitQualified(qualified_resource, &resource, &group);
  return Make(StatusCode::kConflict,
              "Operation cannot be fulfilled on " + qualified_resource + " " + GoQuote(name) +
                  ": " + detail,
              Details(name, group, resource));
}

// errors.NewInvalid: causes [{reason: err.Type, message: err.ErrorBody(),
// field: err.Field}] for every error; message "%s %q is invalid: %v" with the
// de-duplicated aggregate (field.ErrorList.ToAggregate, util/errors
// aggregate.Error: one error bare, several as "[e1, e2]"), or "%s %q is
// invalid" when there are none. qualifiedKind.String() is "Kind" or
// "Kind.group".
Response Invalid(const std::string& kind, const std::string& group, const std::string& name,
                 const std::vector<FieldError>& errors) {
  Object details = Details(name, group, kind);
  Object causes = Object::array();
  std::vector<std::string> msgs;
  std::set<std::string> seen;
  for (const FieldError& e : errors) {
    Object cause = Object::object();
    cause["reason"] = e.CauseType();
    std::string body = e.ErrorBody();
    if (!body.empty()) cause["message"] = body;
    if (!e.field.empty()) cause["field"] = e.field;
    causes.push_back(std::move(cause));
    std::string msg = e.ToString();
    if (seen.insert(msg).second) msgs.push_back(msg);
  }
  if (!causes.empty()) details["causes"] = causes;
  std::string qualified_kind = group.empty() ? kind : kind + "." + group;
  std::string message = qualified_kind + " " + GoQuote(name) + " is invalid";
  if (msgs.size() == 1) {
    message += ": " + msgs[0];
  } else if (msgs.size() > 1) {
    message += ": [";
    for (size_t i = 0; i < msgs.size(); ++i) {
      if (i > 0) message += ", ";
      message += msgs[i];
    }
    message += "]";
  }
  return Make(StatusCode::kInvalid, message, details);
}

// errors.NewBadRequest: the reason is the message; no details.
Response BadRequest(const std::string& message) { return Make(StatusCode::kBadRequest, message); }

// errors.NewMethodNotSupported: "%s is not supported on resources of kind %q"
// (action, qualifiedResource.String()); details {group, kind: resource}.
Response MethodNotSupported(const std::string& qualified_resource, const std::string& action) {
  std::string resource, group;
  SplitQualified(qualified_resource, &resource, &group);
  return Make(StatusCode::kMethodNotAllowed,
              action + " is not supported on resources of kind " + GoQuote(qualified_resource),
              Details("", group, resource));
}

// errors.NewResourceExpired: 410 with reason Expired (NewGone's reason "Gone"
// is deprecated upstream).
Response Gone(const std::string& message) { return Make(StatusCode::kGone, message); }

// errors.NewInternalError: "Internal error occurred: %v", details.causes
// [{message: err.Error()}].
Response InternalError(const std::string& message) {
  Object details = {{"causes", Object::array({Object{{"message", message}}})}};
  return Make(StatusCode::kInternal, "Internal error occurred: " + message, details);
}

// errors.NewServiceUnavailable: the reason is the message.
Response ServiceUnavailable(const std::string& message) {
  return Make(StatusCode::kServiceUnavailable, message);
}

Response TooManyRequests(const std::string& message, int retry_after_seconds,
                         const std::string& cause_type, const std::string& cause) {
  Object details = Object::object();
  if (!cause_type.empty()) {
    details["causes"] = Object::array({Object{{"reason", cause_type}, {"message", cause}}});
  }
  if (retry_after_seconds != 0) details["retryAfterSeconds"] = retry_after_seconds;
  return Make(StatusCode::kTooManyRequests, message, details);
}

// negotiation.NewUnsupportedMediaTypeError (apiserver handlers/negotiation/errors.go):
// "the body of the request was in an unknown format - accepted media types
// include: %v" with strings.Join(accepted, ", "), 415 UnsupportedMediaType.
Response UnsupportedMediaType(const std::string& content_type,
                              const std::vector<std::string>& accepted) {
  std::string list;
  for (size_t i = 0; i < accepted.size(); ++i) {
    if (i > 0) list += ", ";
    list += accepted[i];
  }
  return Make(
      StatusCode::kUnsupportedMediaType,
      "the body of the request was in an unknown format - accepted media types include: " + list);
}

// PATCH on a built-in resource: the supportedTypes list of
// apiserver/pkg/endpoints/installer.go (JSON patch, merge patch, strategic
// merge patch, apply YAML).
Response UnsupportedMediaType(const std::string& content_type) {
  return UnsupportedMediaType(content_type,
                              {kJsonPatch, kMergePatch, kStrategicMergePatch, kApplyPatch});
}

Response SuccessStatus(int code) {
  // Built once and copied with its code set: an initializer-list Object
  // costs several times a copy, and every pods/binding answers with this.
  static const Object* const kSuccess = new Object{{"kind", "Status"},
                                                   {"apiVersion", "v1"},
                                                   {"metadata", Object::object()},
                                                   {"status", "Success"},
                                                   {"code", 0}};
  Object body = *kSuccess;
  body["code"] = code;
  return Response{code, std::move(body)};
}

Response FromStatus(const Status& status) {
  if (status.ok()) return SuccessStatus(200);
  return Make(status.code(), status.message());
}

Status ToStatus(const Response& response) {
  if (response.ok()) return Status::Ok();
  std::string message;
  std::string reason;
  if (response.body.is_object()) {
    auto m = response.body.find("message");
    if (m != response.body.end() && m->is_string()) message = m->get<std::string>();
    auto r = response.body.find("reason");
    if (r != response.body.end() && r->is_string()) reason = r->get<std::string>();
  }
  if (response.code == 0) {
    return Status::Unavailable(message.empty() ? "the server is not reachable" : message);
  }
  StatusCode code = CodeFromHttp(response.code);
  if (reason == "Gone") {
    code = StatusCode::kGone;  // metav1.StatusReasonGone (NewGone)
  } else if (!reason.empty()) {
    StatusCode from_reason = CodeFromReason(reason);
    if (from_reason != StatusCode::kInternal || reason == ReasonName(StatusCode::kInternal)) {
      code = from_reason;
    }
  }
  if (message.empty()) {
    // client-go errors.NewGenericServerResponse.
    message = "the server responded with the status code " + std::to_string(response.code) +
              " but did not return more information";
  }
  return Status(code, message);
}

}  // namespace kubesim::api
