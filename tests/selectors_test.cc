// Tests for kubesim/api/selectors.h. Cases marked "upstream" are copied from
// k8s.io/apimachinery/pkg/labels/selector_test.go and
// pkg/fields/selector_test.go; error texts follow pkg/labels/selector.go and
// pkg/fields/selector.go (and the apiserver test and kubectl outputs quoted).
#include "kubesim/api/selectors.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace kubesim::api {
namespace {

using Labels = std::map<std::string, std::string>;
using Op = LabelSelector::Op;

std::string ParseError(const std::string& text) {
  auto s = LabelSelector::Parse(text);
  EXPECT_FALSE(s.ok()) << text;
  if (s.ok()) return "";
  EXPECT_EQ(s.status().code(), StatusCode::kBadRequest);
  return s.status().message();
}

std::string Restring(const std::string& text) {
  auto s = LabelSelector::Parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.status().ToString();
  return s.ok() ? s->ToString() : "<error>";
}

bool Match(const std::string& text, const Labels& labels) {
  auto s = LabelSelector::Parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.status().ToString();
  return s.ok() && s->Matches(labels);
}

// upstream TestSelectorParse: good strings restring to themselves minus spaces.
TEST(LabelSelectorTest, UpstreamGoodStringsRestring) {
  EXPECT_EQ(Restring("x=a,y=b,z=c"), "x=a,y=b,z=c");
  EXPECT_EQ(Restring(""), "");
  EXPECT_EQ(Restring("x!=a,y=b"), "x!=a,y=b");
  EXPECT_EQ(Restring("x="), "x=");
  EXPECT_EQ(Restring("x= "), "x=");
  EXPECT_EQ(Restring("x=,z= "), "x=,z=");
  EXPECT_EQ(Restring("x= ,z= "), "x=,z=");
  EXPECT_EQ(Restring("!x"), "!x");
  EXPECT_EQ(Restring("x>1"), "x>1");
  EXPECT_EQ(Restring("x>1,z<5"), "x>1,z<5");
}

TEST(LabelSelectorTest, EveryOperatorAndCanonicalString) {
  EXPECT_EQ(Restring("app=web"), "app=web");
  EXPECT_EQ(Restring("app==web"), "app==web");
  EXPECT_EQ(Restring("app != web"), "app!=web");
  EXPECT_EQ(Restring("env in (prod, dev)"), "env in (dev,prod)");
  EXPECT_EQ(Restring("env notin (prod,dev,prod)"), "env notin (dev,prod)");
  EXPECT_EQ(Restring("gpu"), "gpu");
  EXPECT_EQ(Restring("!legacy"), "!legacy");
  // upstream TestSetSelectorParser: "x notin (abc,,def),bar,z in (),w".
  EXPECT_EQ(Restring("x notin (abc,,def),bar,z in (),w"), "bar,w,x notin (,abc,def),z in ()");
  EXPECT_EQ(Restring("x in (abc,)"), "x in (,abc)");
  // "in" and "notin" are identifiers where a value is expected.
  EXPECT_EQ(Restring("notin=in"), "notin=in");
  // upstream TestDeterministicParse.
  EXPECT_EQ(Restring("x=a,a=x"), Restring("a=x,x=a"));
  EXPECT_EQ(Restring("x=a,a=x"), "a=x,x=a");

  auto s = LabelSelector::Parse("app=web,tier!=db,env in (a,b),!legacy,gpu");
  ASSERT_TRUE(s.ok());
  const auto& r = s->requirements();
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].key, "app");
  EXPECT_EQ(r[0].op, Op::kEquals);
  EXPECT_EQ(r[0].values, std::vector<std::string>{"web"});
  EXPECT_EQ(r[1].key, "env");
  EXPECT_EQ(r[1].op, Op::kIn);
  EXPECT_EQ(r[1].values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r[2].key, "gpu");
  EXPECT_EQ(r[2].op, Op::kExists);
  EXPECT_EQ(r[3].key, "legacy");
  EXPECT_EQ(r[3].op, Op::kDoesNotExist);
  EXPECT_EQ(r[4].key, "tier");
  EXPECT_EQ(r[4].op, Op::kNotEquals);
  EXPECT_EQ(s->ToString(), "app=web,env in (a,b),gpu,!legacy,tier!=db");
  EXPECT_TRUE(LabelSelector::Parse("").value().Empty());
}

// upstream TestSelectorMatches.
TEST(LabelSelectorTest, UpstreamMatchTable) {
  EXPECT_TRUE(Match("", {{"x", "y"}}));
  EXPECT_TRUE(Match("x=y", {{"x", "y"}}));
  EXPECT_TRUE(Match("x=y,z=w", {{"x", "y"}, {"z", "w"}}));
  EXPECT_TRUE(Match("x!=y,z!=w", {{"x", "z"}, {"z", "a"}}));
  EXPECT_TRUE(Match("notin=in", {{"notin", "in"}}));
  EXPECT_TRUE(Match("x", {{"x", "z"}}));
  EXPECT_TRUE(Match("!x", {{"y", "z"}}));
  EXPECT_TRUE(Match("x>1", {{"x", "2"}}));
  EXPECT_TRUE(Match("x<1", {{"x", "0"}}));
  EXPECT_FALSE(Match("x=z", {}));
  EXPECT_FALSE(Match("x=y", {{"x", "z"}}));
  EXPECT_FALSE(Match("x=y,z=w", {{"x", "w"}, {"z", "w"}}));
  EXPECT_FALSE(Match("x!=y,z!=w", {{"x", "z"}, {"z", "w"}}));
  EXPECT_FALSE(Match("x", {{"y", "z"}}));
  EXPECT_FALSE(Match("!x", {{"x", "z"}}));
  EXPECT_FALSE(Match("x>1", {{"x", "0"}}));
  EXPECT_FALSE(Match("x<1", {{"x", "2"}}));

  Labels labelset = {{"foo", "bar"}, {"baz", "blah"}};
  EXPECT_TRUE(Match("foo=bar", labelset));
  EXPECT_TRUE(Match("baz=blah", labelset));
  EXPECT_TRUE(Match("foo=bar,baz=blah", labelset));
  EXPECT_FALSE(Match("foo=blah", labelset));
  EXPECT_FALSE(Match("baz=bar", labelset));
  EXPECT_FALSE(Match("foo=bar,foobar=bar,baz=blah", labelset));
}

// upstream TestRequirementSelectorMatching, written as selector strings.
TEST(LabelSelectorTest, SetBasedMatching) {
  EXPECT_TRUE(Match("x in (foo),y notin (alpha)", {{"x", "foo"}, {"y", "baz"}}));
  EXPECT_FALSE(Match("x in (foo),y in (alpha)", {{"x", "foo"}, {"y", "baz"}}));
  EXPECT_TRUE(Match("x notin (),y", {{"y", ""}}));  // NotIn matches an absent key
  EXPECT_TRUE(Match("!x,y", {{"y", ""}}));
  EXPECT_FALSE(Match("x notin (),!y", {{"y", ""}}));
  EXPECT_FALSE(Match("x in ()", {{"y", "baz"}}));
  EXPECT_TRUE(Match("z>1", {{"z", "2"}}));
  EXPECT_FALSE(Match("z>1", {{"z", "v2"}}));
  EXPECT_TRUE(Match("x!=a", {}));  // != matches when the key is absent
  EXPECT_FALSE(Match("x in (a,b)", {}));
  EXPECT_TRUE(Match("env in (a,b)", {{"env", "b"}}));
  EXPECT_FALSE(Match("env notin (a,b)", {{"env", "b"}}));
}

TEST(LabelSelectorTest, ParseErrors) {
  // upstream testBadStrings.
  EXPECT_EQ(
      ParseError("x=a||y=b"),
      "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": a valid label "
      "must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
      "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
      "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  EXPECT_EQ(ParseError("x==a==b"), "found '==', expected: ',' or 'end of string'");
  EXPECT_EQ(ParseError("!x=a"), "found '=', expected: ',' or 'end of string'");
  EXPECT_EQ(ParseError("x<a"),
            "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' "
            "operators, the value must be an integer");

  EXPECT_EQ(ParseError("=a"), "found '=', expected: !, identifier, or 'end of string'");
  EXPECT_EQ(ParseError("a=b,"), "found '', expected: identifier after ','");
  EXPECT_EQ(ParseError("a=b c"), "found 'c', expected: ',' or 'end of string'");
  EXPECT_EQ(ParseError("!!"), "unable to parse requirement: found '!', expected: identifier");
  EXPECT_EQ(ParseError("x y"),
            "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt");
  EXPECT_EQ(ParseError("x in a"), "unable to parse requirement: found 'a' expected: '('");
  EXPECT_EQ(ParseError("x in (a"), "unable to parse requirement: found '', expected: ',' or ')'");
  EXPECT_EQ(ParseError("x in (a b)"),
            "unable to parse requirement: found 'b', expected: ',' or ')'");
  EXPECT_EQ(ParseError("x in (=)"),
            "unable to parse requirement: found '=', expected: ',', ')' or identifier");

  // Key errors carry the nil field path "<nil>". Same text as kubectl prints
  // for `kubectl get pods -l app:monolith`, and as apiserver's
  // request_test.go expects for "*bar".
  EXPECT_EQ(ParseError("app:monolith"),
            "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part must "
            "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  EXPECT_EQ(ParseError("*bar"),
            "unable to parse requirement: <nil>: Invalid value: \"*bar\": name part must consist "
            "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  EXPECT_EQ(
      ParseError("app.kubernetes_io/name=vault"),
      R"x(unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'))x");
  EXPECT_EQ(ParseError("a/b/c ?=? def"),
            "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must "
            "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
            "subdomain prefix and '/' (e.g. 'example.com/MyName')");
  EXPECT_EQ(ParseError("good-key=" + std::string(64, 'z')),
            "unable to parse requirement: values[0][good-key]: Invalid value: \"" +
                std::string(64, 'z') + "\": must be no more than 63 characters");
}

TEST(LabelSelectorTest, FromObjectWithMatchExpressions) {
  auto sel = LabelSelector::FromObject(Object::parse(R"({
    "matchLabels": {"app": "web"},
    "matchExpressions": [
      {"key": "tier", "operator": "In", "values": ["fe", "be"]},
      {"key": "legacy", "operator": "DoesNotExist"},
      {"key": "env", "operator": "NotIn", "values": ["dev"]},
      {"key": "gpu", "operator": "Exists"}
    ]})"));
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->ToString(), "app=web,env notin (dev),gpu,!legacy,tier in (be,fe)");
  EXPECT_TRUE(sel->Matches({{"app", "web"}, {"tier", "fe"}, {"gpu", "1"}}));
  EXPECT_TRUE(sel->Matches({{"app", "web"}, {"tier", "be"}, {"gpu", ""}, {"env", "prod"}}));
  EXPECT_FALSE(sel->Matches({{"app", "web"}, {"tier", "fe"}, {"gpu", "1"}, {"env", "dev"}}));
  EXPECT_FALSE(sel->Matches({{"app", "web"}, {"tier", "fe"}, {"gpu", "1"}, {"legacy", "y"}}));
  EXPECT_FALSE(sel->Matches({{"app", "web"}, {"tier", "db"}, {"gpu", "1"}}));
  EXPECT_FALSE(sel->Matches({{"app", "web"}, {"tier", "fe"}}));
  EXPECT_FALSE(sel->Matches({{"tier", "fe"}, {"gpu", "1"}}));
}

TEST(LabelSelectorTest, FromObjectEmptyAndNull) {
  auto everything = LabelSelector::FromObject(Object::object());
  ASSERT_TRUE(everything.ok());
  EXPECT_TRUE(everything->Empty());
  EXPECT_TRUE(everything->Matches({}));
  EXPECT_TRUE(everything->Matches({{"a", "b"}}));
  auto empty_lists =
      LabelSelector::FromObject(Object::parse(R"({"matchLabels": {}, "matchExpressions": []})"));
  ASSERT_TRUE(empty_lists.ok());
  EXPECT_TRUE(empty_lists->Matches({{"a", "b"}}));

  auto nothing = LabelSelector::FromObject(Object());
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->Empty());
  EXPECT_FALSE(nothing->Matches({}));
  EXPECT_FALSE(nothing->Matches({{"a", "b"}}));
  EXPECT_EQ(nothing->ToString(), "");
}

TEST(LabelSelectorTest, FromObjectErrors) {
  auto err = [](const char* json) {
    auto s = LabelSelector::FromObject(Object::parse(json));
    EXPECT_FALSE(s.ok()) << json;
    return s.ok() ? std::string() : s.status().message();
  };
  EXPECT_EQ(err(R"({"matchExpressions": [{"key": "a", "operator": "Foo"}]})"),
            "\"Foo\" is not a valid label selector operator");
  EXPECT_EQ(err(R"({"matchExpressions": [{"key": "a", "operator": "In"}]})"),
            "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty");
  EXPECT_EQ(err(R"({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]})"),
            "values: Invalid value: [\"x\"]: values set must be empty for exists and does not "
            "exist");
  EXPECT_EQ(
      err(R"({"matchLabels": {"Foo_bar/x": "y"}})"),
      R"x(key: Invalid value: "Foo_bar/x": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'))x");
  EXPECT_EQ(err(R"({"matchLabels": {"app": "a b"}})"),
            "values[0][app]: Invalid value: \"a b\": a valid label must be an empty string or "
            "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
            "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
}

TEST(LabelSelectorTest, FromMap) {
  LabelSelector s = LabelSelector::FromMap({{"tier", "fe"}, {"app", "web"}});
  EXPECT_EQ(s.ToString(), "app=web,tier=fe");
  // upstream TestSetMatches.
  Labels labelset = {{"foo", "bar"}, {"baz", "blah"}};
  EXPECT_TRUE(LabelSelector::FromMap({}).Matches(labelset));
  EXPECT_TRUE(LabelSelector::FromMap({{"foo", "bar"}}).Matches(labelset));
  EXPECT_TRUE(LabelSelector::FromMap({{"foo", "bar"}, {"baz", "blah"}}).Matches(labelset));
  EXPECT_FALSE(LabelSelector::FromMap({{"foo", "=blah"}}).Matches(labelset));
  EXPECT_TRUE(LabelSelector::FromMap({}).Empty());
}

// A lookup over a flat field set that supports every field (fields.Set).
FieldSelector::FieldLookup SetLookup(const Labels& fields) {
  return [fields](const std::string& f, std::string* v) {
    auto it = fields.find(f);
    *v = it == fields.end() ? "" : it->second;
    return true;
  };
}

bool FieldMatch(const std::string& text, const Labels& fields) {
  auto s = FieldSelector::Parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.status().ToString();
  return s.ok() && s->Matches(SetLookup(fields));
}

TEST(FieldSelectorTest, ParseAndRestring) {
  // upstream TestSelectorParse good strings.
  for (const char* good : {"x=a,y=b,z=c", "", "x!=a,y=b"}) {
    auto s = FieldSelector::Parse(good);
    ASSERT_TRUE(s.ok()) << good;
    EXPECT_EQ(s->ToString(), good);
  }
  auto s = FieldSelector::Parse("status.phase!=Failed,spec.nodeName==worker-1");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->requirements().size(), 2u);
  EXPECT_EQ(s->requirements()[0].field, "spec.nodeName");
  EXPECT_TRUE(s->requirements()[0].equals);
  EXPECT_EQ(s->requirements()[0].value, "worker-1");
  EXPECT_EQ(s->requirements()[1].field, "status.phase");
  EXPECT_FALSE(s->requirements()[1].equals);
  EXPECT_EQ(s->ToString(), "spec.nodeName=worker-1,status.phase!=Failed");
  // upstream TestDeterministicParse.
  EXPECT_EQ(FieldSelector::Parse("x=a,a=x")->ToString(),
            FieldSelector::Parse("a=x,x=a")->ToString());
  EXPECT_TRUE(FieldSelector::Parse(",,")->Empty());
}

TEST(FieldSelectorTest, Escaping) {
  auto s = FieldSelector::Parse(R"(metadata.name=a\,b\=c\\d)");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->requirements().size(), 1u);
  EXPECT_EQ(s->requirements()[0].value, R"(a,b=c\d)");
  EXPECT_EQ(s->ToString(), R"(metadata.name=a\,b\=c\\d)");
}

TEST(FieldSelectorTest, ParseErrors) {
  auto err = [](const std::string& text) {
    auto s = FieldSelector::Parse(text);
    EXPECT_FALSE(s.ok()) << text;
    if (s.ok()) return std::string();
    EXPECT_EQ(s.status().code(), StatusCode::kBadRequest);
    return s.status().message();
  };
  EXPECT_EQ(err("spec.nodeName"),
            "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'");
  EXPECT_EQ(err("a=b,foo"), "invalid selector: 'a=b,foo'; can't understand 'foo'");
  // upstream testBadStrings: the rhs holds an unescaped '=' (printed as a rune
  // number by UnescapedRune.Error's %v).
  EXPECT_EQ(err("x=a||y=b"), "invalid field selector: unescaped character in value: 61");
  EXPECT_EQ(err("x==a==b"), "invalid field selector: unescaped character in value: 61");
  EXPECT_EQ(err(R"(x=a\b)"), R"(invalid field selector: invalid escape sequence: \b)");
  EXPECT_EQ(err(R"(x=a\)"), R"(invalid field selector: invalid escape sequence: \)");
}

// upstream TestSelectorMatches (fields).
TEST(FieldSelectorTest, UpstreamMatchTable) {
  EXPECT_TRUE(FieldMatch("", {{"x", "y"}}));
  EXPECT_TRUE(FieldMatch("x=y", {{"x", "y"}}));
  EXPECT_TRUE(FieldMatch("x=y,z=w", {{"x", "y"}, {"z", "w"}}));
  EXPECT_TRUE(FieldMatch("x!=y,z!=w", {{"x", "z"}, {"z", "a"}}));
  EXPECT_TRUE(FieldMatch("notin=in", {{"notin", "in"}}));
  EXPECT_FALSE(FieldMatch("x=y", {{"x", "z"}}));
  EXPECT_FALSE(FieldMatch("x=y,z=w", {{"x", "w"}, {"z", "w"}}));
  EXPECT_FALSE(FieldMatch("x!=y,z!=w", {{"x", "z"}, {"z", "w"}}));
  Labels set = {{"foo", "bar"}, {"baz", "blah"}};
  EXPECT_TRUE(FieldMatch("foo=bar", set));
  EXPECT_TRUE(FieldMatch("baz=blah", set));
  EXPECT_TRUE(FieldMatch("foo=bar,baz=blah", set));
  EXPECT_FALSE(FieldMatch("foo=blah", set));
  EXPECT_FALSE(FieldMatch("baz=bar", set));
  EXPECT_FALSE(FieldMatch("foo=bar,foobar=bar,baz=blah", set));
  EXPECT_TRUE(FieldMatch("spec.nodeName=", {}));  // an absent field reads as ""
}

TEST(FieldSelectorTest, UnsupportedFieldDetection) {
  // Pods support metadata.name, metadata.namespace, spec.nodeName, status.phase, ...
  FieldSelector::FieldLookup pods = [](const std::string& f, std::string* v) {
    if (f == "metadata.name") {
      *v = "web-1";
    } else if (f == "spec.nodeName") {
      *v = "worker-1";
    } else if (f == "status.phase") {
      *v = "Running";
    } else {
      return false;
    }
    return true;
  };
  auto ok = FieldSelector::Parse("spec.nodeName=worker-1,status.phase!=Failed");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->FirstUnsupported(pods), "");
  EXPECT_TRUE(ok->Matches(pods));
  auto bad = FieldSelector::Parse("spec.nodeName=worker-1,spec.foo=bar");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->FirstUnsupported(pods), "spec.foo");
  EXPECT_FALSE(bad->Matches(pods));
  EXPECT_FALSE(FieldSelector::Parse("status.phase=Pending")->Matches(pods));
}

}  // namespace
}  // namespace kubesim::api
