// kubectl's JSONPath (printers/jsonpath.h). Every expectation below is what
// the real kubectl v1.32 printed for the same template on the same object
// (`kubectl get pod web -o jsonpath=...` against `kubesim serve`), or
// upstream's own cases (client-go/util/jsonpath/jsonpath_test.go).
#include "kubesim/printers/jsonpath.h"

#include <gtest/gtest.h>

#include <string>

namespace kubesim::printers {
namespace {

using Json = nlohmann::json;

const Json& Pod() {
  static const Json pod = Json::parse(R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web", "namespace": "default",
                 "labels": {"app": "web", "tier": "fe"},
                 "annotations": {"note": "<a&b>"}},
    "spec": {
      "containers": [{"image": "nginx", "name": "web", "resources": {}}],
      "enableServiceLinks": true, "priority": 0,
      "tolerations": [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
         "operator": "Exists", "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
         "operator": "Exists", "tolerationSeconds": 300}]},
    "status": {"phase": "Running",
               "conditions": [{"lastProbeTime": null, "status": "True", "type": "Ready"},
                              {"lastProbeTime": null, "status": "True", "type": "PodScheduled"}]}
  })");
  return pod;
}

const Json& Nodes() {
  static const Json list = Json::parse(R"({
    "apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
    "items": [
      {"metadata": {"name": "control-plane"}, "spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]},
       "status": {"capacity": {"cpu": "2"}, "nodeInfo": {"kubeletVersion": "v1.32.0"}}},
      {"metadata": {"name": "worker-1"}, "spec": {},
       "status": {"capacity": {"cpu": "2"}, "nodeInfo": {"kubeletVersion": "v1.32.0"}}},
      {"metadata": {"name": "worker-2"}, "spec": {},
       "status": {"capacity": {"cpu": "4"}, "nodeInfo": {"kubeletVersion": "v1.32.0"}}}]
  })");
  return list;
}

std::string Exec(const std::string& tmpl, const Json& data) {
  auto jp = JsonPath::Parse(tmpl);
  if (!jp.ok()) return "PARSE ERROR: " + jp.status().message();
  auto out = jp->Execute(data);
  if (!out.ok()) return "EXEC ERROR: " + out.status().message();
  return *out;
}

struct Case {
  const char* tmpl;
  const char* want;
};

TEST(JsonPathTest, TemplatesPrintAsKubectlDoes) {
  const Case pod_cases[] = {
      {"{.metadata.name}", "web"},
      {"{.metadata.labels}", R"({"app":"web","tier":"fe"})"},
      // encoding/json escapes <, > and & in maps.
      {"{.metadata.annotations}", R"({"note":"\u003ca\u0026b\u003e"})"},
      {"{.metadata.annotations.note}", "<a&b>"},
      {"{.spec.containers}", R"([{"image":"nginx","name":"web","resources":{}}])"},
      {"{.spec.containers[0].ports}{.status.phase}{.spec.priority}{.spec.enableServiceLinks} "
       "{.missing}x",
       "Running0true x"},
      {R"({.status.conditions[?(@.type=="Ready")].status})", "True"},
      {"{.status.conditions[0].lastProbeTime}", "null"},
      {"{.status.conditions[*].lastProbeTime}", "null null"},
      {"{.metadata.labels.*}", "web fe"},
      {"{.spec.containers[?(@.x==true)]}", ""},
      {"{.spec.tolerations[?(@.tolerationSeconds==300)].key}",
       "node.kubernetes.io/not-ready node.kubernetes.io/unreachable"},
      {"{.spec.tolerations[?(@.tolerationSeconds>=300)].key}",
       "node.kubernetes.io/not-ready node.kubernetes.io/unreachable"},
      {R"({.spec.tolerations[?(@.tolerationSeconds<301)].key}{"|"})"
       R"({.spec.tolerations[?(@.effect!="NoExecute")].key})",
       "node.kubernetes.io/not-ready node.kubernetes.io/unreachable|"},
      {"{.spec.tolerations[*].key} and {.spec.tolerations[1:].operator}",
       "node.kubernetes.io/not-ready node.kubernetes.io/unreachable and Exists"},
      {R"({"a\tb\u00e9"}{'x'})", "a\tb\xC3\xA9x"},
      {"no braces", "no braces"},
      {"{$.metadata.name}", "web"},
      {"{.status..type}", "Ready PodScheduled"},
      // An integer compared with a float: text/template refuses.
      {"{.spec.tolerations[?(@.tolerationSeconds>=300.0)].key}",
       "EXEC ERROR: incompatible types for comparison"},
      {"{.spec.containers[5]}", "EXEC ERROR: array index out of bounds: index 5, length 1"},
      {"{.metadata[0]}", "EXEC ERROR: map[string]interface {} is not array or slice"},
      {"{.a b}", "EXEC ERROR: unrecognized identifier b"},
      {"{end}", "EXEC ERROR: not in range, nothing to end"},
      {"{.items[x]}", "PARSE ERROR: invalid array index x"},
      {"{.metadata.name", "PARSE ERROR: unclosed action"},
      {"{!}", "PARSE ERROR: unrecognized character in action: U+0021 '!'"},
      {"{.items[", "PARSE ERROR: unterminated array"},
      {"{.items[?(@.x==1}", "PARSE ERROR: unterminated filter"},
      {R"({"abc})", "PARSE ERROR: unterminated quoted string"},
      {"{....a}", "PARSE ERROR: invalid multiple recursive descent"},
  };
  for (const Case& c : pod_cases) EXPECT_EQ(Exec(c.tmpl, Pod()), c.want) << c.tmpl;

  const Case list_cases[] = {
      {R"({range .items[*]}{.metadata.name}{"\t"}{.status.capacity.cpu}{"\n"}{end})",
       "control-plane\t2\nworker-1\t2\nworker-2\t4\n"},
      {"{.items[0:2].metadata.name}", "control-plane worker-1"},
      {"{.items[-1:].metadata.name}", "worker-2"},
      {"{.items[*]['metadata.name','status.nodeInfo.kubeletVersion']}",
       "control-plane worker-1 worker-2 v1.32.0 v1.32.0 v1.32.0"},
      // A range without end: the rest of the template repeats per item.
      {"{range .items[*]}{.metadata.name}", "control-planeworker-1worker-2"},
      {R"({.items[?(@.metadata.name>"w")].metadata.name})", "worker-1 worker-2"},
      {"{.items[?(@.spec.taints)].metadata.name}", "control-plane"},
      {"{.x}{range .items[*]}[{.metadata.name}]{end}", "[control-plane][worker-1][worker-2]"},
      {"{range .items[*]}{range .spec.taints[*]}{.key}={.effect};{end}{.metadata.name},{end}",
       "k=NoSchedule;control-plane,worker-1,worker-2,"},
      {"{.kind}", "List"},
      {"{.items[0:3:2].metadata.name}", "control-plane worker-2"},
      {"{.items[-1].metadata.name}", "worker-2"},
      {"{.items[5:5].metadata.name}", ""},
      {"{.items[0:-1].metadata.name}", "control-plane worker-1"},
      {"{.items[].metadata.name}", "control-plane"},
      {"{.items[0].metadata.name.x}", ""},
      {"{range .items[*]}{range .spec.taints[*]}{.key}{end}{end}", "k"},
      {"{range .items[?(@.x)]}{.metadata.name}{end}after", "after"},
      {"{.items[2:1].metadata.name}",
       "EXEC ERROR: starting index 2 is greater than ending index 1"},
      {"{.items[0:3:0].metadata.name}", "EXEC ERROR: step must be > 0"},
      {"{.items[-5].metadata.name}", "EXEC ERROR: array index out of bounds: index -2, length 3"},
      {"{.items[*].status.capacity.cpu}", "2 2 4"},
      {R"({.items[?(@.status.capacity.cpu>1)].metadata.name})",
       "EXEC ERROR: incompatible types for comparison"},
  };
  for (const Case& c : list_cases) EXPECT_EQ(Exec(c.tmpl, Nodes()), c.want) << c.tmpl;
}

TEST(JsonPathTest, AsJsonPrintsEachPartAsAnIndentedArray) {
  auto jp = JsonPath::Parse(R"({.spec.containers[0].name}{"x"}{.metadata.labels})");
  ASSERT_TRUE(jp.ok());
  auto out = jp->ExecuteAsJson(Pod());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "[\n    \"web\"\n]\n[\n    \"x\"\n]\n[\n    {\n        \"app\": \"web\",\n"
            "        \"tier\": \"fe\"\n    }\n]\n");
}

TEST(JsonPathTest, GoFormatsForErrorsAndColumns) {
  Json v = Json::parse(R"({"b": [1, "x", null, true], "a": {}, "c": "q\"t"})");
  EXPECT_EQ(GoValueString(v), "map[a:map[] b:[1 x <nil> true] c:q\"t]");
  EXPECT_EQ(GoSyntaxString(v),
            R"(map[string]interface {}{"a":map[string]interface {}{}, )"
            R"("b":[]interface {}{1, "x", interface {}(nil), true}, "c":"q\"t"})");
  EXPECT_EQ(JsonPathExecutionError("{.a[1]}", "boom", Json::parse(R"({"a":[]})")),
            "error executing jsonpath \"{.a[1]}\": Error executing template: boom. Printing more "
            "information for debugging the template:\n\ttemplate was:\n\t\t{.a[1]}\n\tobject "
            "given to jsonpath engine was:\n\t\tmap[string]interface {}{\"a\":[]interface "
            "{}{}}\n\n");
}

TEST(JsonPathTest, RelaxedExpressions) {
  for (const char* e : {"a.b", ".a.b", "{a.b}", "{.a.b}"}) {
    auto r = RelaxedJsonPathExpression(e);
    ASSERT_TRUE(r.ok()) << e;
    EXPECT_EQ(*r, "{.a.b}") << e;
  }
  EXPECT_FALSE(RelaxedJsonPathExpression("{.a}{.b}").ok());
}

TEST(JsonPathTest, HostileTemplatesNeverCrash) {
  // Deep or long input: the parser loops instead of recursing per token.
  std::string long_path;
  for (int i = 0; i < 200000; ++i) long_path += ".a";
  EXPECT_EQ(Exec("{" + long_path + "}", Pod()), "");
  EXPECT_NE(Exec("{.items[3:1]}", Json::parse(R"({"items":[1,2,3,4]})")).find("EXEC ERROR"),
            std::string::npos);
  EXPECT_EQ(Exec("{.items[-9]}", Json::parse(R"({"items":[1]})")).substr(0, 10), "EXEC ERROR");
  EXPECT_EQ(Exec("{.items[99999999999999999999]}", Pod()),
            "PARSE ERROR: array index 99999999999999999999 is not a number");
  EXPECT_EQ(Exec("{range .items[*]}{end}{end}", Nodes()),
            "EXEC ERROR: not in range, nothing to end");
  EXPECT_EQ(Exec("{.items[0:4:9223372036854775807]}", Json::parse(R"({"items":[1,2,3,4]})")), "1");
}

}  // namespace
}  // namespace kubesim::printers
