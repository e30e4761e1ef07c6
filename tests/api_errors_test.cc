// Tests for kubesim/api/errors.h. Expected strings follow
// k8s.io/apimachinery/pkg/api/errors/errors.go and its errors_test.go, and
// pkg/util/validation/field/errors.go and its errors_test.go.
#include <gtest/gtest.h>

#include "kubesim/api/errors.h"
#include "kubesim/api/validation.h"

namespace kubesim::api {
namespace {

using T = FieldError::Type;

constexpr char kSubdomainMsg[] =
    R"x(a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'))x";

TEST(ApiErrorsTest, NotFoundBody) {
  Response r = NotFound("pods", "x");
  EXPECT_EQ(r.code, 404);
  EXPECT_EQ(r.body, Object::parse(R"({
    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
    "message": "pods \"x\" not found", "reason": "NotFound",
    "details": {"name": "x", "kind": "pods"}, "code": 404})"));
}

TEST(ApiErrorsTest, NotFoundWithGroup) {
  Response r = NotFound("deployments.apps", "web");
  EXPECT_EQ(r.code, 404);
  EXPECT_EQ(r.body["message"], "deployments.apps \"web\" not found");
  EXPECT_EQ(r.body["details"],
            Object::parse(R"({"name": "web", "group": "apps", "kind": "deployments"})"));
}

TEST(ApiErrorsTest, AlreadyExistsBody) {
  Response r = AlreadyExists("pods", "x");
  EXPECT_EQ(r.code, 409);
  EXPECT_EQ(r.body, Object::parse(R"({
    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
    "message": "pods \"x\" already exists", "reason": "AlreadyExists",
    "details": {"name": "x", "kind": "pods"}, "code": 409})"));
}

TEST(ApiErrorsTest, ConflictBody) {
  // The detail is registry/generic/registry/store.go's OptimisticLockErrorMsg.
  Response r = Conflict("deployments.apps", "web",
                        "the object has been modified; please apply your changes to the latest "
                        "version and try again");
  EXPECT_EQ(r.code, 409);
  EXPECT_EQ(r.body, Object::parse(R"({
    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
    "message": "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again",
    "reason": "Conflict",
    "details": {"name": "web", "group": "apps", "kind": "deployments"}, "code": 409})"));
}

TEST(ApiErrorsTest, InvalidOneCause) {
  std::vector<FieldError> errs = {FieldError::Invalid("metadata.name", "Foo", kSubdomainMsg)};
  Response r = Invalid("Pod", "", "Foo", errs);
  EXPECT_EQ(r.code, 422);
  Object expected = {
      {"kind", "Status"},
      {"apiVersion", "v1"},
      {"metadata", Object::object()},
      {"status", "Failure"},
      {"message", std::string("Pod \"Foo\" is invalid: metadata.name: Invalid value: \"Foo\": ") +
                      kSubdomainMsg},
      {"reason", "Invalid"},
      {"details",
       {{"name", "Foo"},
        {"kind", "Pod"},
        {"causes",
         Object::array({{{"reason", "FieldValueInvalid"},
                         {"message", std::string("Invalid value: \"Foo\": ") + kSubdomainMsg},
                         {"field", "metadata.name"}}})}}},
      {"code", 422}};
  EXPECT_EQ(r.body, expected);
}

TEST(ApiErrorsTest, InvalidTwoCauses) {
  std::vector<FieldError> errs = {
      FieldError::Invalid("spec.replicas", -1, "must be greater than or equal to 0"),
      FieldError::Required("spec.template.spec.containers"),
  };
  Response r = Invalid("Deployment", "apps", "web", errs);
  EXPECT_EQ(r.code, 422);
  EXPECT_EQ(r.body["message"],
            "Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: must be "
            "greater than or equal to 0, spec.template.spec.containers: Required value]");
  EXPECT_EQ(r.body["details"], Object::parse(R"({
    "name": "web", "group": "apps", "kind": "Deployment",
    "causes": [
      {"reason": "FieldValueInvalid", "message": "Invalid value: -1: must be greater than or equal to 0", "field": "spec.replicas"},
      {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.template.spec.containers"}
    ]})"));
}

TEST(ApiErrorsTest, InvalidDeduplicatesMessageButNotCauses) {
  // field.ErrorList.ToAggregate drops repeated messages; NewInvalid keeps
  // every cause.
  FieldError e = FieldError::Required("spec.containers");
  Response r = Invalid("Pod", "", "p", {e, e});
  EXPECT_EQ(r.body["message"], "Pod \"p\" is invalid: spec.containers: Required value");
  EXPECT_EQ(r.body["details"]["causes"].size(), 2u);
}

TEST(ApiErrorsTest, InvalidWithoutErrors) {
  Response r = Invalid("Pod", "", "p", {});
  EXPECT_EQ(r.body["message"], "Pod \"p\" is invalid");
  EXPECT_EQ(r.body["details"], Object::parse(R"({"name": "p", "kind": "Pod"})"));
}

// errors_test.go TestNewInvalid: one cause per error, message ErrorBody().
TEST(ApiErrorsTest, UpstreamNewInvalidTable) {
  struct Case {
    FieldError err;
    const char* reason;
    const char* message;
  } cases[] = {
      {FieldError::Duplicate("field[0].name", "bar"), "FieldValueDuplicate",
       "Duplicate value: \"bar\""},
      {FieldError::Invalid("field[0].name", "bar", "detail"), "FieldValueInvalid",
       "Invalid value: \"bar\": detail"},
      {FieldError::NotSupported("field[0].name", "bar", {}), "FieldValueNotSupported",
       "Unsupported value: \"bar\""},
      {FieldError::Required("field[0].name", ""), "FieldValueRequired", "Required value"},
  };
  for (const Case& c : cases) {
    Response r = Invalid("Kind", "", "name", {c.err});
    EXPECT_EQ(r.code, 422);
    EXPECT_EQ(r.body["reason"], "Invalid");
    Object want = {
        {"kind", "Kind"},
        {"name", "name"},
        {"causes",
         Object::array(
             {{{"reason", c.reason}, {"message", c.message}, {"field", "field[0].name"}}})}};
    EXPECT_EQ(r.body["details"], want) << c.reason;
  }
}

TEST(ApiErrorsTest, FieldErrorToString) {
  EXPECT_EQ(FieldError::Required("metadata.name", "name or generateName is required").ToString(),
            "metadata.name: Required value: name or generateName is required");
  EXPECT_EQ(FieldError::Required("spec.containers").ToString(), "spec.containers: Required value");
  EXPECT_EQ(FieldError::Invalid("metadata.name", "Foo", kSubdomainMsg).ToString(),
            std::string("metadata.name: Invalid value: \"Foo\": ") + kSubdomainMsg);
  EXPECT_EQ(FieldError::Forbidden("metadata.namespace", "not allowed on this type").ToString(),
            "metadata.namespace: Forbidden: not allowed on this type");
  // errors_test.go TestNotSupported.
  EXPECT_EQ(FieldError::NotSupported("f", "v", {"a", "b", "c"}).ErrorBody(),
            "Unsupported value: \"v\": supported values: \"a\", \"b\", \"c\"");
  EXPECT_EQ(FieldError::Duplicate("spec.ports[1].name", "http").ToString(),
            "spec.ports[1].name: Duplicate value: \"http\"");
  EXPECT_EQ(FieldError::TooLong("metadata.annotations", 262144).ToString(),
            "metadata.annotations: Too long: may not be more than 262144 bytes");
  EXPECT_EQ(FieldError::TooMany("spec.items", 5, 4).ToString(),
            "spec.items: Too many: 5: must have at most 4 items");
  EXPECT_EQ(FieldError::TooMany("spec.items", -1, 1).ToString(),
            "spec.items: Too many: must have at most 1 item");
}

TEST(ApiErrorsTest, FieldErrorBadValuePrinting) {
  auto body = [](Object v) { return FieldError::Invalid("f", std::move(v), "").ErrorBody(); };
  EXPECT_EQ(body(3), "Invalid value: 3");  // ints bare (%v)
  EXPECT_EQ(body(-7), "Invalid value: -7");
  EXPECT_EQ(body(true), "Invalid value: true");  // bools bare
  EXPECT_EQ(body(1.5), "Invalid value: 1.5");    // floats %v
  EXPECT_EQ(body(1e6), "Invalid value: 1e+06");
  EXPECT_EQ(body(Object()), "Invalid value: null");         // TestErrorUsefulMessage
  EXPECT_EQ(body("a\"b\n"), R"(Invalid value: "a\"b\n")");  // strings %q
  EXPECT_EQ(body(Object::array({"a", "b"})), R"(Invalid value: ["a","b"])");  // json.Marshal
  EXPECT_EQ(body(Object{{"k", 1}, {"a", "<x>"}}), R"(Invalid value: {"a":"\u003cx\u003e","k":1})");
  EXPECT_EQ(body(Object::array({1.0, 1e21, 1e-7})), "Invalid value: [1,1e+21,1e-7]");
  EXPECT_EQ(FieldError::Invalid("f", "x", "").ToString(), R"(f: Invalid value: "x")");
}

TEST(ApiErrorsTest, CauseTypes) {
  EXPECT_EQ(FieldError::Required("f").CauseType(), "FieldValueRequired");
  EXPECT_EQ(FieldError::Invalid("f", 1, "").CauseType(), "FieldValueInvalid");
  EXPECT_EQ(FieldError::NotSupported("f", "v", {}).CauseType(), "FieldValueNotSupported");
  EXPECT_EQ(FieldError::Duplicate("f", "v").CauseType(), "FieldValueDuplicate");
  EXPECT_EQ(FieldError::Forbidden("f", "").CauseType(), "FieldValueForbidden");
  EXPECT_EQ(FieldError::TooLong("f", 1).CauseType(), "FieldValueTooLong");
  EXPECT_EQ(FieldError::TooMany("f", 2, 1).CauseType(), "FieldValueTooMany");
  EXPECT_EQ((FieldError{T::kTooMany, "f", Object(), ""}).CauseType(), "FieldValueTooMany");
}

TEST(ApiErrorsTest, GoQuote) {
  EXPECT_EQ(GoQuote("x"), "\"x\"");
  EXPECT_EQ(GoQuote("a\tb\\c"), R"("a\tb\\c")");
  EXPECT_EQ(GoQuote("\x01\x7f"), R"("\x01\x7f")");
  EXPECT_EQ(GoQuote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // printable runes kept
  EXPECT_EQ(GoQuote("\xff"), R"("\xff")");               // invalid UTF-8 byte
}

TEST(ApiErrorsTest, OtherBuilders) {
  Response bad = BadRequest("fieldManager is required for apply patch");
  EXPECT_EQ(bad.code, 400);
  EXPECT_EQ(bad.body, Object::parse(R"({
    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
    "message": "fieldManager is required for apply patch", "reason": "BadRequest", "code": 400})"));

  Response mna = MethodNotSupported("pods", "create");
  EXPECT_EQ(mna.code, 405);
  EXPECT_EQ(mna.body["reason"], "MethodNotAllowed");
  EXPECT_EQ(mna.body["message"], "create is not supported on resources of kind \"pods\"");
  EXPECT_EQ(mna.body["details"], Object::parse(R"({"kind": "pods"})"));

  Response gone = Gone("too old resource version: 1 (5)");
  EXPECT_EQ(gone.code, 410);
  EXPECT_EQ(gone.body["reason"], "Expired");
  EXPECT_EQ(gone.body["message"], "too old resource version: 1 (5)");

  Response internal = InternalError("etcd is down");
  EXPECT_EQ(internal.code, 500);
  EXPECT_EQ(internal.body, Object::parse(R"({
    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
    "message": "Internal error occurred: etcd is down", "reason": "InternalError",
    "details": {"causes": [{"message": "etcd is down"}]}, "code": 500})"));

  Response unavailable = ServiceUnavailable("the server is shutting down");
  EXPECT_EQ(unavailable.code, 503);
  EXPECT_EQ(unavailable.body["reason"], "ServiceUnavailable");

  Response media = UnsupportedMediaType("text/plain");
  EXPECT_EQ(media.code, 415);
  EXPECT_EQ(media.body["reason"], "UnsupportedMediaType");
  EXPECT_EQ(media.body["message"],
            "the body of the request was in an unknown format - accepted media types include: "
            "application/json-patch+json, application/merge-patch+json, "
            "application/strategic-merge-patch+json, application/apply-patch+yaml");
}

TEST(ApiErrorsTest, ToStatusRoundTrips) {
  EXPECT_EQ(ToStatus(NotFound("pods", "x")), Status::NotFound("pods \"x\" not found"));
  EXPECT_EQ(ToStatus(AlreadyExists("pods", "x")),
            Status::AlreadyExists("pods \"x\" already exists"));
  EXPECT_EQ(ToStatus(Conflict("pods", "x", "boom")).code(), StatusCode::kConflict);
  EXPECT_EQ(ToStatus(Invalid("Pod", "", "x", {})), Status::Invalid("Pod \"x\" is invalid"));
  EXPECT_EQ(ToStatus(Gone("expired")), Status::Gone("expired"));
  EXPECT_EQ(ToStatus(InternalError("e")), Status::Internal("Internal error occurred: e"));
  EXPECT_EQ(ToStatus(ServiceUnavailable("down")).code(), StatusCode::kServiceUnavailable);
  EXPECT_EQ(ToStatus(BadRequest("b")), Status::BadRequest("b"));
  EXPECT_EQ(ToStatus(MethodNotSupported("pods", "x")).code(), StatusCode::kMethodNotAllowed);
  EXPECT_EQ(ToStatus(UnsupportedMediaType("x")).code(), StatusCode::kUnsupportedMediaType);
  EXPECT_TRUE(ToStatus(Response{200, Object::object()}).ok());
  EXPECT_EQ(ToStatus(Response{0, Object()}).code(), StatusCode::kUnavailable);
  // A Status without a known reason falls back on the HTTP code.
  Status generic = ToStatus(Response{404, Object::object()});
  EXPECT_EQ(generic.code(), StatusCode::kNotFound);
  EXPECT_EQ(generic.message(),
            "the server responded with the status code 404 but did not return more information");
  EXPECT_EQ(ToStatus(Response{410, {{"reason", "Gone"}, {"message", "m"}}}), Status::Gone("m"));
}

TEST(ApiErrorsTest, FromStatus) {
  Response r = FromStatus(Status::NotFound("pods \"x\" not found"));
  EXPECT_EQ(r.code, 404);
  EXPECT_EQ(r.body["reason"], "NotFound");
  EXPECT_EQ(r.body["message"], "pods \"x\" not found");
  EXPECT_EQ(r.body["status"], "Failure");
  EXPECT_EQ(ToStatus(FromStatus(Status::Conflict("c"))), Status::Conflict("c"));
  EXPECT_EQ(ToStatus(FromStatus(Status::Timeout("t"))), Status::Timeout("t"));
  EXPECT_TRUE(FromStatus(Status::Ok()).ok());
}

}  // namespace
}  // namespace kubesim::api
