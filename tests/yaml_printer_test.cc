#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "kubesim/printers/yaml.h"
#include "kubesim/printers/yaml_resolve.h"

namespace kubesim::printers {
namespace {

nlohmann::json Json(const char* text) { return nlohmann::json::parse(text); }

TEST(YamlPrinterTest, PodLikeKubectl) {
  nlohmann::json pod = Json(R"({
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
      "creationTimestamp": "2025-01-01T00:00:00Z",
      "labels": {"run": "nginx"},
      "name": "nginx",
      "namespace": "default",
      "resourceVersion": "1234",
      "uid": "6f1c8a3e-0d7b-4d0e-9a8f-1c2b3d4e5f60"
    },
    "spec": {
      "containers": [{
        "image": "nginx",
        "imagePullPolicy": "Always",
        "name": "nginx",
        "ports": [{"containerPort": 80, "protocol": "TCP"}],
        "resources": {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File"
      }],
      "dnsPolicy": "ClusterFirst",
      "enableServiceLinks": true,
      "nodeName": "worker-1",
      "restartPolicy": "Always",
      "schedulerName": "default-scheduler",
      "securityContext": {},
      "terminationGracePeriodSeconds": 30,
      "tolerations": [{
        "effect": "NoExecute",
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "tolerationSeconds": 300
      }]
    },
    "status": {
      "conditions": [{
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T00:00:05Z",
        "status": "True",
        "type": "Ready"
      }],
      "containerStatuses": [{
        "containerID": "containerd://0123abcd",
        "image": "docker.io/library/nginx:latest",
        "ready": true,
        "restartCount": 0,
        "started": true,
        "state": {"running": {"startedAt": "2025-01-01T00:00:04Z"}}
      }],
      "hostIP": "192.168.49.2",
      "phase": "Running",
      "podIP": "10.244.1.5",
      "podIPs": [{"ip": "10.244.1.5"}],
      "qosClass": "BestEffort",
      "startTime": "2025-01-01T00:00:00Z"
    }
  })");
  const std::string want = R"(apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2025-01-01T00:00:00Z"
  labels:
    run: nginx
  name: nginx
  namespace: default
  resourceVersion: "1234"
  uid: 6f1c8a3e-0d7b-4d0e-9a8f-1c2b3d4e5f60
spec:
  containers:
  - image: nginx
    imagePullPolicy: Always
    name: nginx
    ports:
    - containerPort: 80
      protocol: TCP
    resources: {}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeName: worker-1
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  terminationGracePeriodSeconds: 30
  tolerations:
  - effect: NoExecute
    key: node.kubernetes.io/not-ready
    operator: Exists
    tolerationSeconds: 300
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2025-01-01T00:00:05Z"
    status: "True"
    type: Ready
  containerStatuses:
  - containerID: containerd://0123abcd
    image: docker.io/library/nginx:latest
    ready: true
    restartCount: 0
    started: true
    state:
      running:
        startedAt: "2025-01-01T00:00:04Z"
  hostIP: 192.168.49.2
  phase: Running
  podIP: 10.244.1.5
  podIPs:
  - ip: 10.244.1.5
  qosClass: BestEffort
  startTime: "2025-01-01T00:00:00Z"
)";
  EXPECT_EQ(ToYaml(pod), want);
}

TEST(YamlPrinterTest, ScalarQuoting) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"", "\"\""},
      {"plain", "plain"},
      {"true", "\"true\""},
      {"True", "\"True\""},
      {"false", "\"false\""},
      {"yes", "\"yes\""},
      {"no", "\"no\""},
      {"on", "\"on\""},
      {"off", "\"off\""},
      {"y", "\"y\""},
      {"N", "\"N\""},
      {"null", "\"null\""},
      {"~", "\"~\""},
      {"123", "\"123\""},
      {"-5", "\"-5\""},
      {"1.5", "\"1.5\""},
      {"1e3", "\"1e3\""},
      {".5", "\".5\""},
      {"0x1F", "\"0x1F\""},
      {"1_000", "\"1_000\""},
      {".inf", "\".inf\""},
      {"2025-01-01", "\"2025-01-01\""},
      {"2025-01-01T00:00:00Z", "\"2025-01-01T00:00:00Z\""},
      {"2025-1-2 3:04:05", "\"2025-1-2 3:04:05\""},
      {"2025-02-30", "2025-02-30"},  // not a valid date: plain
      {"1:30", "\"1:30\""},
      {"<<", "<<"},  // '<' has no resolve hint, so "<<" stays a plain string
      {"10.0.0.1", "10.0.0.1"},
      {"v1.32.0", "v1.32.0"},
      {"foo: bar", "'foo: bar'"},
      {"key:", "'key:'"},
      {"http://x:80/y", "http://x:80/y"},
      {"foo #bar", "'foo #bar'"},
      {"foo#bar", "foo#bar"},
      {" lead", "' lead'"},
      {"trail ", "'trail '"},
      {"*star", "'*star'"},
      {"&anchor", "'&anchor'"},
      {"!tag", "'!tag'"},
      {"@home", "'@home'"},
      {"%x", "'%x'"},
      {"`cmd`", "'`cmd`'"},
      {"- dash", "'- dash'"},
      {"-dash", "-dash"},
      {"-", "'-'"},
      {"?", "'?'"},
      {"[x]", "'[x]'"},
      {"{x}", "'{x}'"},
      {"a,b", "a,b"},
      {"a[0]", "a[0]"},
      {"---", "'---'"},
      {"'quoted'", "'''quoted'''"},
      {"\"dq\"", "'\"dq\"'"},
      {"it's", "it's"},
      {"tab\there", "\"tab\\there\""},
      {"bell\x07", "\"bell\\a\""},
      {"\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9"},
      {"emoji \xF0\x9F\x98\x80", "\"emoji \\U0001F600\""},
      {"nbsp\xC2\xA0x", "nbsp\xC2\xA0x"},
      {"a \nb", "\"a \\nb\""},
  };
  for (const auto& c : cases) {
    nlohmann::json obj = {{"k", c.in}};
    EXPECT_EQ(ToYaml(obj), std::string("k: ") + c.out + "\n") << "input: " << c.in;
  }
}

TEST(YamlPrinterTest, LiteralBlocks) {
  nlohmann::json obj = {{"data",
                         {{"script", "#!/bin/sh\necho hi\n"},
                          {"nofinal", "a\nb"},
                          {"keep", "a\n\n"},
                          {"indented", "  x\ny\n"},
                          {"blank", "one\n\ntwo\n"}}},
                        {"list", {"l1\nl2\n"}}};
  EXPECT_EQ(ToYaml(obj),
            "data:\n"
            "  blank: |\n"
            "    one\n"
            "\n"
            "    two\n"
            "  indented: |2\n"
            "      x\n"
            "    y\n"
            "  keep: |+\n"
            "    a\n"
            "\n"
            "  nofinal: |-\n"
            "    a\n"
            "    b\n"
            "  script: |\n"
            "    #!/bin/sh\n"
            "    echo hi\n"
            "list:\n"
            "- |\n"
            "  l1\n"
            "  l2\n");
}

TEST(YamlPrinterTest, LongStringsFoldAtColumn80) {
  std::string words;
  for (int i = 0; i < 10; ++i) words += (i ? " " : "") + std::string("aaaaaaaaa");
  EXPECT_EQ(ToYaml({{"k", words}}),
            "k: aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa\n"
            "  aaaaaaaaa aaaaaaaaa\n");
  // Quoted strings fold too; a long word is never split.
  EXPECT_EQ(ToYaml({{"k", " " + words}}),
            "k: ' aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "
            "aaaaaaaaa\n"
            "  aaaaaaaaa aaaaaaaaa'\n");
  std::string one_word(100, 'x');
  EXPECT_EQ(ToYaml({{"k", one_word}}), "k: " + one_word + "\n");
}

TEST(YamlPrinterTest, CollectionsAndNumbers) {
  nlohmann::json obj = {
      {"emptyMap", nlohmann::json::object()},
      {"emptyList", nlohmann::json::array()},
      {"nested", {{1, 2}, {nlohmann::json::array(), {{"a", nullptr}}}}},
      {"int", 42},
      {"neg", -7},
      {"big", 18446744073709551615ULL},
      {"half", 0.5},
      {"two", 2.0},
      {"million", 1234567.5},
      {"tiny", 0.000001},
      {"huge", 1e21},
      {"bool", false},
      {"null", nullptr},
  };
  EXPECT_EQ(ToYaml(obj),
            "big: 18446744073709551615\n"
            "bool: false\n"
            "emptyList: []\n"
            "emptyMap: {}\n"
            "half: 0.5\n"
            "huge: 1e+21\n"
            "int: 42\n"
            "million: 1.2345675e+06\n"
            "neg: -7\n"
            "nested:\n"
            "- - 1\n"
            "  - 2\n"
            "- - []\n"
            "  - a: null\n"
            "\"null\": null\n"
            "tiny: 1e-06\n"
            "two: 2\n");
  EXPECT_EQ(ToYaml(nlohmann::json::object()), "{}\n");
  EXPECT_EQ(ToYaml(nlohmann::json::array()), "[]\n");
  EXPECT_EQ(ToYaml("hello"), "hello\n");
  EXPECT_EQ(ToYaml({1, "two"}), "- 1\n- two\n");
}

TEST(YamlPrinterTest, KeyOrderIsGoYamlNatural) {
  nlohmann::json obj = {{"b", 1}, {"a10", 1}, {"a9", 1}, {"A", 1}, {"_x", 1}, {"a", 1}};
  EXPECT_EQ(ToYaml(obj), "_x: 1\nA: 1\na: 1\na9: 1\na10: 1\nb: 1\n");
  nlohmann::json labels = {{"app.kubernetes.io/name", "x"},
                           {"app", "y"},
                           {"app-version", "z"},
                           {"pod-template-hash", "abc"}};
  EXPECT_EQ(ToYaml(labels),
            "app: \"y\"\napp-version: z\napp.kubernetes.io/name: x\npod-template-hash: abc\n");
}

TEST(YamlPrinterTest, SpecialKeys) {
  nlohmann::json obj = {{"true", 1}, {"k: v", 2}, {"", 3}, {"multi\nline", 4}};
  // A multi-line key is not a simple key: go-yaml writes "? " and a block.
  EXPECT_EQ(ToYaml(obj), "\"\": 3\n'k: v': 2\n? |-\n  multi\n  line\n: 4\n\"true\": 1\n");
  std::string long_key(130, 'k');
  EXPECT_EQ(ToYaml({{long_key, "v"}}), "? " + long_key + "\n: v\n");
}

// --- Parsing -----------------------------------------------------------------

TEST(YamlParseTest, MultiDocumentWithComments) {
  const std::string text = R"(# A config map and a pod.
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings   # trailing comment
data:
  mode: "123"
---
# only a comment: skipped
---

---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: "fe"}
spec:
  containers:
  - name: web
    image: nginx:1.27
    args: ["--port", "8080"]
    ports:
    - containerPort: 8080
--- # separator with a comment
apiVersion: v1
kind: Namespace
metadata:
  name: dev
)";
  auto docs = ParseYamlDocuments(text);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 3u);
  EXPECT_EQ((*docs)[0], Json(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"settings"},"data":{"mode":"123"}})"));
  EXPECT_EQ((*docs)[1], Json(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"web","labels":{"app":"web","tier":"fe"}},
      "spec":{"containers":[{"name":"web","image":"nginx:1.27","args":["--port","8080"],
                             "ports":[{"containerPort":8080}]}]}})"));
  EXPECT_EQ((*docs)[2],
            Json(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"}})"));
}

TEST(YamlParseTest, TypeResolution) {
  const std::string text = R"(
a: yes
b: "yes"
c: 123
d: "123"
e: 1.5
f: ~
g: 0x1F
h: 2025-01-01
i: 1e3
j: on
k: Off
l: 017
m: 1_000
n1: .5
o: 2.0
p: y
q: NO
r: nULL
s: 12:30
t: !!str 5
u: |
  x
v: ''
w:
x: 0o17
y1: -0b101
z: 10.0.0.1
aa: 9223372036854775808
bb: 'true'
cc: !!float 3
dd: >-
  folded
  text
ee: 1.0e+2
ff: +12
gg: 08
)";
  auto docs = ParseYamlDocuments(text);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 1u);
  const nlohmann::json& d = (*docs)[0];
  EXPECT_EQ(d["a"], true);
  EXPECT_EQ(d["b"], "yes");
  EXPECT_TRUE(d["c"].is_number_integer());
  EXPECT_EQ(d["c"], 123);
  EXPECT_EQ(d["d"], "123");
  EXPECT_TRUE(d["e"].is_number_float());
  EXPECT_EQ(d["e"], 1.5);
  EXPECT_TRUE(d["f"].is_null());
  EXPECT_EQ(d["g"], 31);
  EXPECT_EQ(d["h"], "2025-01-01");
  EXPECT_TRUE(d["i"].is_number_integer());
  EXPECT_EQ(d["i"], 1000);
  EXPECT_EQ(d["j"], true);
  EXPECT_EQ(d["k"], false);
  EXPECT_EQ(d["l"], 15);
  EXPECT_EQ(d["m"], 1000);
  EXPECT_EQ(d["n1"], 0.5);
  EXPECT_TRUE(d["o"].is_number_integer());
  EXPECT_EQ(d["o"], 2);
  EXPECT_EQ(d["p"], true);
  EXPECT_EQ(d["q"], false);
  EXPECT_EQ(d["r"], "nULL");
  EXPECT_EQ(d["s"], "12:30");
  EXPECT_EQ(d["t"], "5");
  EXPECT_EQ(d["u"], "x\n");
  EXPECT_EQ(d["v"], "");
  EXPECT_TRUE(d["w"].is_null());
  EXPECT_EQ(d["x"], 15);
  EXPECT_EQ(d["y1"], -5);
  EXPECT_EQ(d["z"], "10.0.0.1");
  EXPECT_TRUE(d["aa"].is_number_float());  // beyond int64: float after the JSON round trip
  EXPECT_EQ(d["bb"], "true");
  EXPECT_EQ(d["cc"], 3);
  EXPECT_EQ(d["dd"], "folded text");
  EXPECT_EQ(d["ee"], 100);
  EXPECT_EQ(d["ff"], 12);
  EXPECT_EQ(d["gg"], 8);  // invalid octal, read as a float by go-yaml
}

TEST(YamlParseTest, KeysAndMerge) {
  const std::string text = R"(
1: one
true: t
yes: y
n: no
1.5: f
base: &base
  a: 1
  b: 2
derived:
  <<: *base
  b: 3
multi:
  <<: [{x: 1}, {x: 2, z: 2}]
alias: *base
)";
  auto docs = ParseYamlDocuments(text);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  // YAML 1.1: the keys yes/n and the value y are booleans; later keys win.
  EXPECT_EQ((*docs)[0], Json(R"({"1":"one","true":true,"false":false,"1.5":"f",
      "base":{"a":1,"b":2},"derived":{"a":1,"b":3},"multi":{"x":1,"z":2},
      "alias":{"a":1,"b":2}})"));
}

TEST(YamlParseTest, Errors) {
  auto r = ParseYamlDocuments("apiVersion: v1\nkind: Pod\nmetadata: name: x\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(r.status().message(),
            "error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this "
            "context");

  // Line numbers are relative to the document, as kubectl splits first.
  r = ParseYamlDocuments("a: 1\n---\nb: 2\nc: d: e\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this "
            "context");

  r = ParseYamlDocuments("key: @value\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "error converting YAML to JSON: yaml: line 1: found character that cannot start any "
            "token");

  r = ParseYamlDocuments("a: *missing\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "error converting YAML to JSON: yaml: unknown anchor 'missing' referenced");

  r = ParseYamlDocuments("a: 1\n---x\nb: 2\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "invalid Yaml document separator: x");

  r = ParseYamlDocuments("a: [1, 2\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("error converting YAML to JSON: yaml: "), std::string::npos);

  // The messages below were checked against kubectl 1.32 (label --local -f).
  struct Case {
    const char* text;
    const char* msg;
  } cases[] = {
      // Unterminated quote: libyaml reports the end of the stream.
      {"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"abc\n",
       "yaml: line 7: found unexpected end of stream"},
      {"key: \"unterminated\nnext: 1\n", "yaml: line 3: found unexpected end of stream"},
      // Parser errors carry go-yaml's 0-based line.
      {"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n labels: y\n",
       "yaml: line 4: did not find expected key"},
      {"a:\n  - b\n  c: d\n", "yaml: line 2: did not find expected '-' indicator"},
      {"a:\n  - b: 1\n    x: 2\n  c: d\n", "yaml: line 3: did not find expected '-' indicator"},
      {"metadata:\n  name: x\n  name2: [a, b]]\n", "yaml: line 2: did not find expected key"},
      {"data: [1, 2\n", "yaml: line 1: did not find expected ',' or ']'"},
      {"data: {a: 1\n", "yaml: line 1: did not find expected ',' or '}'"},
      {"apiVersion: v1\nkind: ConfigMap\n- a\n", "yaml: line 2: did not find expected key"},
      // Scanner errors carry the 1-based line.
      {"data:\n\t- b\n", "yaml: line 2: found character that cannot start any token"},
      {"name: \"a\\qb\"\n", "yaml: line 1: found unknown escape character"},
      {"a: b\n  c: d\n", "yaml: line 2: mapping values are not allowed in this context"},
  };
  for (const auto& c : cases) {
    r = ParseYamlDocuments(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().message(), std::string("error converting YAML to JSON: ") + c.msg)
        << c.text;
  }
  // Quotes inside block scalars and plain scalars are fine.
  r = ParseYamlDocuments("a: \"x\"\nb: |\n  it's \"fine\"\nc: it's\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)[0], Json(R"({"a":"x","b":"it's \"fine\"\n","c":"it's"})"));

  r = ParseYamlDocuments("n: !!int abc\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!int");
}

TEST(YamlParseTest, JsonInput) {
  auto docs = ParseYamlDocuments(R"(  {"kind": "List", "apiVersion": "v1",
      "items": [{"kind": "Pod", "metadata": {"name": "a"}}]}
    {"kind": "Service", "spec": {"port": 80.0, "ratio": 0.25}})");
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0], Json(R"({"kind":"List","apiVersion":"v1",
      "items":[{"kind":"Pod","metadata":{"name":"a"}}]})"));
  EXPECT_TRUE((*docs)[1]["spec"]["port"].is_number_integer());
  EXPECT_EQ((*docs)[1]["spec"]["ratio"], 0.25);

  // Checked against kubectl 1.32.
  auto bad = ParseYamlDocuments("{\"apiVersion\": \"v1\", \"kind\": }\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(bad.status().message(),
            "json: offset 30: invalid character '}' looking for beginning of value");
  bad = ParseYamlDocuments("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unexpected EOF");
}

TEST(YamlParseTest, EmptyInput) {
  auto docs = ParseYamlDocuments("");
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE(docs->empty());
  docs = ParseYamlDocuments("# nothing\n---\n---\n");
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE(docs->empty());
}

TEST(YamlParseTest, RoundTrip) {
  std::string long_text;
  for (int i = 0; i < 30; ++i) long_text += "word" + std::to_string(i) + " ";
  long_text += "end";
  nlohmann::json objects[] = {
      Json(R"({"apiVersion":"apps/v1","kind":"Deployment",
        "metadata":{"name":"web","labels":{"app":"web","version":"1.0"},
                    "annotations":{"note":"yes","n":"123","when":"2025-01-01T00:00:00Z"}},
        "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                "template":{"metadata":{"labels":{"app":"web"}},
                  "spec":{"containers":[{"name":"web","image":"nginx","command":["sh","-c","echo hi; sleep 10"],
                    "env":[{"name":"EMPTY","value":""},{"name":"T","value":"true"},{"name":"N","value":"null"}],
                    "resources":{"limits":{"cpu":"500m","memory":"128Mi"}}}]}}}})"),
      {{"s1", " leading and trailing "},
       {"s2", "multi\nline\ntext\n"},
       {"s3", "  indented\nblock"},
       {"s4", "tab\tand \"quotes\" and 'single'"},
       {"s5", long_text},
       {"s6", "\xF0\x9F\x98\x80 \xC3\xA9"},
       {"s7", "trailing space \nline"},
       {"s8", "a: b # c"},
       {"s9", "1:30"},
       {"s10", "~"},
       {"s11", "\"" + long_text + "\""},
       {"n1", 1.5},
       {"n2", -3},
       {"n3", 0.001},
       {"b", true},
       {"nil", nullptr},
       {"list", {nlohmann::json::object(), nlohmann::json::array(), {1, {2, 3}}}}},
  };
  for (const auto& obj : objects) {
    std::string text = ToYaml(obj);
    auto docs = ParseYamlDocuments(text);
    ASSERT_TRUE(docs.ok()) << docs.status().message() << "\n" << text;
    ASSERT_EQ(docs->size(), 1u) << text;
    EXPECT_EQ((*docs)[0], obj) << text;
  }
}

TEST(YamlParseTest, ResolvePlainScalar) {
  EXPECT_EQ(ResolvePlainScalar("Yes").tag, YamlTag::kBool);
  EXPECT_EQ(ResolvePlainScalar("yES").tag, YamlTag::kStr);
  EXPECT_EQ(ResolvePlainScalar("").tag, YamlTag::kNull);
  EXPECT_EQ(ResolvePlainScalar("-.inf").tag, YamlTag::kFloat);
  EXPECT_EQ(ResolvePlainScalar("1e400").tag, YamlTag::kStr);  // out of range
  EXPECT_EQ(ResolvePlainScalar("2025-01-01t10:00:00+02:00").tag, YamlTag::kTimestamp);
  EXPECT_EQ(ResolvePlainScalar("2025-01-01 10:00:00.5").tag, YamlTag::kTimestamp);
  EXPECT_EQ(ResolvePlainScalar("2025-13-01").tag, YamlTag::kStr);
  EXPECT_TRUE(IsYamlBase60Float("-12:30:45.5"));
  EXPECT_TRUE(IsYamlBase60Float("190:20:30"));
  EXPECT_FALSE(IsYamlBase60Float("1:60"));
  EXPECT_FALSE(IsYamlBase60Float("12:345"));
}

}  // namespace
}  // namespace kubesim::printers
