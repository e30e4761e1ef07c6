// Tests for kubesim/api/validation.h. Value lists marked "upstream" come from
// k8s.io/apimachinery/pkg/util/validation/validation_test.go; messages are
// built from the constants of pkg/util/validation/validation.go, and the
// ObjectMeta cases follow pkg/api/validation/objectmeta.go.
#include "kubesim/api/validation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kubesim::api {
namespace {

using Msgs = std::vector<std::string>;

constexpr char kSubdomainMsg[] =
    R"x(a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'))x";
constexpr char kLabelMsg[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr char kNamePartMsg[] =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr char kLabelValueMsg[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
    "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// upstream TestIsDNS1123Subdomain.
TEST(ValidationTest, Dns1123SubdomainValues) {
  for (std::string v : {"a",         "ab",
                        "abc",       "a1",
                        "a-1",       "a--1--2--b",
                        "0",         "01",
                        "012",       "1a",
                        "1-a",       "1--a--b--2",
                        "a.a",       "ab.a",
                        "abc.a",     "a1.a",
                        "a-1.a",     "a--1--2--b.a",
                        "a.1",       "ab.1",
                        "abc.1",     "a1.1",
                        "a-1.1",     "a--1--2--b.1",
                        "0.a",       "01.a",
                        "012.a",     "1a.a",
                        "1-a.a",     "1--a--b--2",
                        "0.1",       "01.1",
                        "012.1",     "1a.1",
                        "1-a.1",     "1--a--b--2.1",
                        "a.b.c.d.e", "aa.bb.cc.dd.ee",
                        "1.2.3.4.5", "11.22.33.44.55"}) {
    EXPECT_EQ(IsDns1123Subdomain(v), Msgs{}) << v;
  }
  EXPECT_EQ(IsDns1123Subdomain(std::string(253, 'a')), Msgs{});
  for (std::string v : {"",
                        "A",
                        "ABC",
                        "aBc",
                        "A1",
                        "A-1",
                        "1-A",
                        "-",
                        "a-",
                        "-a",
                        "1-",
                        "-1",
                        "_",
                        "a_",
                        "_a",
                        "a_b",
                        "1_",
                        "_1",
                        "1_2",
                        ".",
                        "a.",
                        ".a",
                        "a..b",
                        "1.",
                        ".1",
                        "1..2",
                        " ",
                        "a ",
                        " a",
                        "a b",
                        "1 ",
                        " 1",
                        "1 2",
                        "A.a",
                        "aB.a",
                        "ab.A",
                        "A1.a",
                        "a1.A",
                        "A.1",
                        "aB.1",
                        "A1.1",
                        "1A.1",
                        "0.A",
                        "01.A",
                        "012.A",
                        "1A.a",
                        "1a.A",
                        "A.B.C.D.E",
                        "AA.BB.CC.DD.EE",
                        "a.B.c.d.e",
                        "aa.bB.cc.dd.ee",
                        "a@b",
                        "a,b",
                        "a_b",
                        "a;b",
                        "a:b",
                        "a%b",
                        "a?b",
                        "a$b"}) {
    EXPECT_EQ(IsDns1123Subdomain(v), Msgs{kSubdomainMsg}) << v;
  }
  EXPECT_EQ(IsDns1123Subdomain(std::string(254, 'a')), Msgs{"must be no more than 253 characters"});
  EXPECT_EQ(IsDns1123Subdomain("Foo_bar"), Msgs{kSubdomainMsg});
  EXPECT_EQ(IsDns1123Subdomain(std::string(254, 'A')),
            (Msgs{"must be no more than 253 characters", kSubdomainMsg}));
}

// upstream TestIsDNS1123Label.
TEST(ValidationTest, Dns1123LabelValues) {
  for (std::string v :
       {"a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2"}) {
    EXPECT_EQ(IsDns1123Label(v), Msgs{}) << v;
  }
  EXPECT_EQ(IsDns1123Label(std::string(63, 'a')), Msgs{});
  for (std::string v : {"",    "A",  "ABC", "aBc", "A1",  "A-1", "1-A", "-",   "a-", "-a", "1-",
                        "-1",  "_",  "a_",  "_a",  "a_b", "1_",  "_1",  "1_2", ".",  "a.", ".a",
                        "a.b", "1.", ".1",  "1.2", " ",   "a ",  " a",  "a b", "1 ", " 1", "1 2"}) {
    EXPECT_EQ(IsDns1123Label(v), Msgs{kLabelMsg}) << v;
  }
  EXPECT_EQ(IsDns1123Label(std::string(64, 'a')), Msgs{"must be no more than 63 characters"});
}

// upstream TestIsQualifiedName.
TEST(ValidationTest, QualifiedNames) {
  for (std::string v :
       {"simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
        "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple",
        "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678",
        "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo"}) {
    EXPECT_EQ(IsQualifiedName(v), Msgs{}) << v;
  }
  EXPECT_EQ(IsQualifiedName(std::string(63, 'a')), Msgs{});
  EXPECT_EQ(IsQualifiedName(std::string(253, 'a') + "/" + std::string(63, 'b')), Msgs{});

  EXPECT_EQ(IsQualifiedName("nospecialchars%^=@"), Msgs{kNamePartMsg});
  EXPECT_EQ(IsQualifiedName("cantendwithadash-"), Msgs{kNamePartMsg});
  EXPECT_EQ(IsQualifiedName("-cantstartwithadash-"), Msgs{kNamePartMsg});
  EXPECT_EQ(IsQualifiedName("only/one/slash"),
            Msgs{"a qualified name must consist of alphanumeric characters, '-', '_' or '.', and "
                 "must start and end with an alphanumeric character (e.g. 'MyName',  or "
                 "'my.name',  or '123-abc', regex used for validation is "
                 "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain "
                 "prefix and '/' (e.g. 'example.com/MyName')"});
  EXPECT_EQ(IsQualifiedName("Example.com/abc"), Msgs{std::string("prefix part ") + kSubdomainMsg});
  EXPECT_EQ(IsQualifiedName("example_com/abc"), Msgs{std::string("prefix part ") + kSubdomainMsg});
  EXPECT_EQ(IsQualifiedName("example.com/"), (Msgs{"name part must be non-empty", kNamePartMsg}));
  EXPECT_EQ(IsQualifiedName("/simple"), Msgs{"prefix part must be non-empty"});
  EXPECT_EQ(IsQualifiedName(std::string(64, 'a')),
            Msgs{"name part must be no more than 63 characters"});
  EXPECT_EQ(IsQualifiedName(std::string(254, 'a') + "/abc"),
            Msgs{"prefix part must be no more than 253 characters"});
}

// upstream TestIsValidLabelValue.
TEST(ValidationTest, LabelValues) {
  for (std::string v :
       {"simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", ""}) {
    EXPECT_EQ(IsValidLabelValue(v), Msgs{}) << v;
  }
  EXPECT_EQ(IsValidLabelValue(std::string(63, 'a')), Msgs{});
  for (std::string v : {"nospecialchars%^=@", "Tama-nui-te-r\xc4\x81.is.M\xc4\x81ori.sun",
                        "\\backslashes\\are\\bad", "-starts-with-dash", "ends-with-dash-",
                        ".starts.with.dot", "ends.with.dot."}) {
    EXPECT_EQ(IsValidLabelValue(v), Msgs{kLabelValueMsg}) << v;
  }
  EXPECT_EQ(IsValidLabelValue(std::string(64, 'a')), Msgs{"must be no more than 63 characters"});
}

std::vector<std::string> MetaErrors(const char* json, bool namespaced,
                                    NameRule rule = NameRule::kDns1123Subdomain) {
  std::vector<std::string> out;
  for (const FieldError& e : ValidateObjectMeta(Object::parse(json), namespaced, rule)) {
    out.push_back(e.ToString());
  }
  return out;
}

TEST(ValidationTest, ObjectMetaValid) {
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "web-1", "namespace": "default",
      "labels": {"app": "web", "example.com/tier": "", "Uppercase_OK": "V_1"},
      "annotations": {"Kubectl.Kubernetes.IO/x": "anything at all"}}})",
                       true),
            Msgs{});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "worker-1"}})", false), Msgs{});
}

TEST(ValidationTest, ObjectMetaMissingName) {
  std::vector<FieldError> errs =
      ValidateObjectMeta(Object::parse(R"({"metadata": {"namespace": "default"}})"), true,
                         NameRule::kDns1123Subdomain);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].type, FieldError::Type::kRequired);
  EXPECT_EQ(errs[0].field, "metadata.name");
  EXPECT_EQ(errs[0].ToString(), "metadata.name: Required value: name or generateName is required");
  EXPECT_EQ(MetaErrors("{}", false),
            Msgs{"metadata.name: Required value: name or generateName is required"});
}

TEST(ValidationTest, ObjectMetaInvalidName) {
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "Foo_bar", "namespace": "default"}})", true),
            Msgs{std::string("metadata.name: Invalid value: \"Foo_bar\": ") + kSubdomainMsg});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "a.b"}})", false, NameRule::kDns1123Label),
            Msgs{std::string("metadata.name: Invalid value: \"a.b\": ") + kLabelMsg});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "a.b"}})", false, NameRule::kDns1123Subdomain),
            Msgs{});
}

TEST(ValidationTest, ObjectMetaGenerateName) {
  // NameIsDNSSubdomain(prefix=true) masks a trailing '-'.
  EXPECT_EQ(MetaErrors(R"({"metadata": {"generateName": "web-", "namespace": "default"}})", true),
            Msgs{});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"generateName": "web-abc-", "namespace": "ns"}})", true,
                       NameRule::kDns1123Label),
            Msgs{});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"generateName": "Web-", "namespace": "default"}})", true),
            Msgs{std::string("metadata.generateName: Invalid value: \"Web-\": ") + kSubdomainMsg});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"generateName": "web-", "name": "web-x7k2p",
                                         "namespace": "default"}})",
                       true),
            Msgs{});
}

TEST(ValidationTest, ObjectMetaNamespace) {
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "web"}})", true),
            Msgs{"metadata.namespace: Required value"});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "web", "namespace": "Default"}})", true),
            Msgs{std::string("metadata.namespace: Invalid value: \"Default\": ") + kLabelMsg});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "node-1", "namespace": "default"}})", false),
            Msgs{"metadata.namespace: Forbidden: not allowed on this type"});
}

TEST(ValidationTest, ObjectMetaLabelsAndAnnotations) {
  EXPECT_EQ(
      MetaErrors(R"({"metadata": {"name": "web", "labels": {"app": "-bad", "a b": "ok"}}})", false),
      (Msgs{std::string("metadata.labels: Invalid value: \"a b\": ") + kNamePartMsg,
            std::string("metadata.labels: Invalid value: \"-bad\": ") + kLabelValueMsg}));
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "web", "annotations": {"a/b/c": "x"}}})", false),
            Msgs{"metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist "
                 "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                 "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
                 "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an "
                 "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"});
  Object big = {
      {"metadata", {{"name", "web"}, {"annotations", {{"k", std::string(256 * 1024, 'x')}}}}}};
  std::vector<FieldError> errs = ValidateObjectMeta(big, false, NameRule::kDns1123Subdomain);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].ToString(),
            "metadata.annotations: Too long: may not be more than 262144 bytes");
  EXPECT_EQ(errs[0].CauseType(), "FieldValueTooLong");
}

TEST(ValidationTest, ObjectMetaOtherFields) {
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "web", "generation": -1}})", false),
            Msgs{"metadata.generation: Invalid value: -1: must be greater than or equal to 0"});
  EXPECT_EQ(
      MetaErrors(R"({"metadata": {"name": "web", "finalizers": ["orphan", "foregroundDeletion"]}})",
                 false),
      Msgs{"metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: "
           "finalizer orphan and foregroundDeletion cannot be both set"});
  EXPECT_EQ(MetaErrors(R"({"metadata": {"name": "web", "ownerReferences": [
                          {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "", "uid": "u"}]}})",
                       false),
            Msgs{"metadata.ownerReferences.name: Invalid value: \"\": must not be empty"});
}

TEST(ValidationTest, InvalidResponseForBadPodName) {
  auto errs = ValidateObjectMeta(
      Object::parse(R"({"metadata": {"name": "Foo_bar", "namespace": "default"}})"), true,
      NameRule::kDns1123Subdomain);
  Response r = Invalid("Pod", "", "Foo_bar", errs);
  EXPECT_EQ(r.code, 422);
  EXPECT_EQ(r.body["message"],
            std::string("Pod \"Foo_bar\" is invalid: metadata.name: Invalid value: \"Foo_bar\": ") +
                kSubdomainMsg);
}

TEST(ValidationTest, NameSuffixAlphabet) {
  EXPECT_EQ(std::string(kNameSuffixAlphabet), "bcdfghjklmnpqrstvwxz2456789");
}

}  // namespace
}  // namespace kubesim::api
