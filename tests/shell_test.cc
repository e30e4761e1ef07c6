// The shell against a whole in-process cluster: output compared as strings.
#include <gtest/gtest.h>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

// Everything the user could see changing, rendered as one string.
std::string Snapshot(ShellHarness& h) {
  auto pods = h.Run("get pods -A -o yaml");
  auto nodes = h.Run("get nodes -o yaml");
  auto ns = h.Run("get ns -o name");
  return pods.out + nodes.out + ns.out;
}

TEST(ShellTest, GetNodesShowsControlPlaneAndWorkersReady) {
  ShellHarness h;
  auto r = h.Run("kubectl get nodes");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "NAME            STATUS   ROLES           AGE   VERSION\n"
            "control-plane   Ready    control-plane   0s    v1.32.0\n"
            "worker-1        Ready    <none>          0s    v1.32.0\n"
            "worker-2        Ready    <none>          0s    v1.32.0\n");
}

TEST(ShellTest, ControlPlaneIsTainted) {
  ShellHarness h;
  auto r = h.Run("get node control-plane -o json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto node = nlohmann::json::parse(r.out);
  ASSERT_TRUE(node["spec"]["taints"].is_array());
  EXPECT_EQ(node["spec"]["taints"][0]["key"], "node-role.kubernetes.io/control-plane");
  EXPECT_EQ(node["spec"]["taints"][0]["effect"], "NoSchedule");
}

TEST(ShellTest, RunSchedulesOnAWorkerAndBecomesReady) {
  ShellHarness h;
  EXPECT_EQ(h.Run("run web --image nginx").out, "pod/web created\n");
  auto w = h.Run("wait --for=condition=Ready pod/web --timeout=60s");
  EXPECT_EQ(w.code, 0) << w.err;
  EXPECT_EQ(w.out, "pod/web condition met\n");
  auto r = h.Run("get pod web -o jsonpath");  // unsupported output: an error
  EXPECT_EQ(r.code, 1);
  auto pod = nlohmann::json::parse(h.Run("get pod web -o json").out);
  EXPECT_EQ(pod["status"]["phase"], "Running");
  EXPECT_NE(pod["spec"]["nodeName"], "control-plane");
  EXPECT_EQ(pod["metadata"]["labels"]["run"], "web");
}

TEST(ShellTest, LabelSelectorAndOutputName) {
  ShellHarness h;
  h.Run("run a --image nginx --labels app=web,tier=front");
  h.Run("run b --image nginx --labels app=db");
  EXPECT_EQ(h.Run("get pods -l app=web -o name").out, "pod/a\n");
  EXPECT_EQ(h.Run("get pods -l 'app in (web,db)' -o name").out, "pod/a\npod/b\n");
  EXPECT_EQ(h.Run("get pods -n kube-system").err, "No resources found in kube-system namespace.\n");
}

TEST(ShellTest, CreateApplyAndDeleteFromStdin) {
  ShellHarness h;
  const std::string manifest =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: one\n  labels: {app: x}\nspec:\n"
      "  containers:\n  - name: c\n    image: nginx\n---\n"
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n"
      "  containers:\n  - name: c\n    image: nginx\n";
  h.SetStdin(manifest);
  auto c = h.Run("create -f -");
  EXPECT_EQ(c.out, "pod/one created\npod/two created\n");
  auto again = h.Run("create -f -");
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(
      again.err,
      "Error from server (AlreadyExists): error when creating \"STDIN\": pods \"one\" already "
      "exists\nError from server (AlreadyExists): error when creating \"STDIN\": pods \"two\" "
      "already exists\n");
  auto apply = h.Run("apply -f -");
  EXPECT_EQ(apply.code, 0) << apply.err;
  EXPECT_EQ(apply.out, "pod/one configured\npod/two configured\n");
  EXPECT_EQ(h.Run("apply -f -").out, "pod/one unchanged\npod/two unchanged\n");
  auto d = h.Run("delete -f -");
  EXPECT_EQ(d.out, "pod \"one\" deleted\npod \"two\" deleted\n");
  EXPECT_EQ(h.Run("get pods").err, "No resources found in default namespace.\n");
}

TEST(ShellTest, SleepMovesTheSimulatedClock) {
  ShellHarness h;
  EXPECT_EQ(h.Run("clock").out, "2025-01-01T00:00:00Z\n");
  h.Run("sleep 5m");
  EXPECT_EQ(h.Run("clock").out, "2025-01-01T00:05:00Z\n");
  h.Run("sleep 90");
  EXPECT_EQ(h.Run("clock").out, "2025-01-01T00:06:30Z\n");
}

TEST(ShellTest, FailedSchedulingMessageIsKubeSchedulers) {
  ShellHarness h;
  auto r = h.Run("run big --image nginx --requests cpu=3");
  ASSERT_EQ(r.code, 0) << r.err;
  h.Run("sleep 1s");
  auto events = h.Run("get events --field-selector reason=FailedScheduling -o json");
  auto list = nlohmann::json::parse(events.out);
  ASSERT_EQ(list["items"].size(), 1u) << events.out;
  EXPECT_EQ(list["items"][0]["message"],
            "0/3 nodes are available: 1 node(s) had untolerated taint "
            "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes "
            "are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims "
            "found for incoming pod.");
}

// ---- Bad input: a clear error in kubectl's words, and nothing changes ----

struct BadInputCase {
  const char* name;
  const char* stdin_text;
  const char* command;
  const char* expected_err;
};

class BadInputTest : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(BadInputTest, ClearErrorAndNothingChanged) {
  const BadInputCase& c = GetParam();
  ShellHarness h;
  h.Run("run keep --image nginx");
  std::string before = Snapshot(h);
  h.SetStdin(c.stdin_text);
  auto r = h.Run(c.command);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, c.expected_err);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Snapshot(h), before);
}

INSTANTIATE_TEST_SUITE_P(
    Shell, BadInputTest,
    ::testing::Values(
        BadInputCase{"MalformedYaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n bad: [\n",
                     "create -f -",
                     // go-yaml v2 reports a parser error at the 0-based problem line
                     // (decode.go, parser.fail), hence "line 4" for line 5.
                     "error: error parsing STDIN: error converting YAML to JSON: yaml: line 4: "
                     "did not find expected key\n"},
        BadInputCase{"UnknownKind", "apiVersion: v1\nkind: Podd\nmetadata:\n  name: x\n",
                     "apply -f -",
                     "error: resource mapping not found for name: \"x\" namespace: \"\" from "
                     "\"STDIN\": no matches for kind \"Podd\" in version \"v1\"\nensure CRDs are "
                     "installed first\n"},
        BadInputCase{"MissingName",
                     "apiVersion: v1\nkind: Pod\nmetadata: {}\nspec:\n  containers:\n  - name: c\n"
                     "    image: nginx\n",
                     "create -f -",
                     "The Pod \"\" is invalid: metadata.name: Required value: name or "
                     "generateName is required\n"},
        // YAML 1.1 (kubectl's sigs.k8s.io/yaml) reads `y` as true: the API
        // server's decoder refuses a non-string name (a 400, not a crash).
        BadInputCase{"NameNotAString",
                     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: y\nspec:\n  containers:\n"
                     "  - name: c\n    image: nginx\n",
                     "create -f -",
                     "Error from server (BadRequest): error when creating \"STDIN\": Pod in "
                     "version \"v1\" cannot be handled as a Pod: json: cannot unmarshal bool into "
                     "Go struct field ObjectMeta.metadata.name of type string\n"},
        BadInputCase{"LabelNotAString",
                     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {replicas: 3}\n"
                     "spec:\n  containers:\n  - name: c\n    image: nginx\n",
                     "create -f -",
                     "Error from server (BadRequest): error when creating \"STDIN\": Pod in "
                     "version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number "
                     "into Go struct field ObjectMeta.metadata.labels of type string\n"},
        BadInputCase{"InvalidName", "", "run Bad_Name --image nginx",
                     // Two causes (the container is named after the pod), printed
                     // as kubectl's MultilineError does.
                     "The Pod \"Bad_Name\" is invalid: \n"
                     "* metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 "
                     "subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                     "and must start and end with an alphanumeric character (e.g. 'example.com', "
                     "regex used for validation is "
                     "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
                     "* spec.containers[0].name: Invalid value: \"Bad_Name\": a lowercase RFC "
                     "1123 label must consist of lower case alphanumeric characters or '-', and "
                     "must start and end with an alphanumeric character (e.g. 'my-name',  or "
                     "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n"},
        BadInputCase{"WrongFlag", "", "get pods --bogus",
                     "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"},
        BadInputCase{"WrongShorthand", "", "get pods -z",
                     "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for "
                     "usage.\n"},
        BadInputCase{"UnknownResourceType", "", "get podz",
                     "error: the server doesn't have a resource type \"podz\"\n"},
        BadInputCase{"NotFound", "", "get pod nope",
                     "Error from server (NotFound): pods \"nope\" not found\n"},
        BadInputCase{"DeleteNotFound", "", "delete pod nope",
                     "Error from server (NotFound): pods \"nope\" not found\n"},
        BadInputCase{"UnknownCommand", "", "frobnicate pods",
                     "error: unknown command \"frobnicate\" for \"kubectl\"\nRun 'kubectl --help' "
                     "for usage.\n"},
        BadInputCase{"RunWithoutImage", "", "run x", "error: required flag(s) \"image\" not set\n"},
        BadInputCase{"UnterminatedQuote", "", "get pods -l 'app=x",
                     "error: unterminated quote in: get pods -l 'app=x\n"},
        BadInputCase{"MissingContainers", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n",
                     "create -f -", "The Pod \"x\" is invalid: spec.containers: Required value\n"},
        BadInputCase{"NamespaceMissing", "", "run x --image nginx -n nowhere",
                     "Error from server (NotFound): namespaces \"nowhere\" not found\n"},
        BadInputCase{"BadDuration", "", "sleep 5 minutes",
                     "error: sleep takes one duration, e.g. `sleep 30s` or `sleep 5m`\n"}),
    [](const ::testing::TestParamInfo<BadInputCase>& info) {
      return std::string(info.param.name);
    });

}  // namespace
}  // namespace kubesim

namespace kubesim {
namespace {

TEST(ClusterConfigTest, ParsesNodesWithDefaults) {
  auto c = cluster::ParseClusterConfig(
      "nodes:\n- name: cp\n  controlPlane: true\n- name: big\n  cpu: \"8\"\n  memory: 32Gi\n"
      "  pods: 50\n  zone: z1\n  labels: {disktype: ssd}\n  taints: [\"gpu=yes:NoSchedule\"]\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->nodes.size(), 2u);
  EXPECT_TRUE(c->nodes[0].control_plane);
  ASSERT_EQ(c->nodes[0].taints.size(), 1u);
  EXPECT_EQ(c->nodes[0].taints[0].key, "node-role.kubernetes.io/control-plane");
  EXPECT_EQ(c->nodes[1].cpu_millis, 8000);
  EXPECT_EQ(c->nodes[1].memory_bytes, 32LL << 30);
  EXPECT_EQ(c->nodes[1].max_pods, 50);
  EXPECT_EQ(c->nodes[1].labels.at("topology.kubernetes.io/zone"), "z1");
  EXPECT_EQ(c->nodes[1].labels.at("disktype"), "ssd");
  EXPECT_EQ(c->nodes[1].taints[0].value, "yes");
  EXPECT_EQ(c->nodes[1].internal_ip, "192.168.49.3");
  EXPECT_EQ(c->nodes[1].pod_cidr, "10.244.1.0/24");
}

TEST(ClusterConfigTest, BadFilesAreClearErrors) {
  EXPECT_EQ(cluster::ParseClusterConfig("nodes: [").status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(cluster::ParseClusterConfig("{}").status().message(),
            "cluster config: expected a map with a 'nodes' list");
  EXPECT_EQ(cluster::ParseClusterConfig("nodes:\n- cpu: \"2\"\n").status().message(),
            "cluster config: nodes[0]: name is required");
  EXPECT_EQ(cluster::ParseClusterConfig("nodes:\n- name: a\n  taints: [\"x=y:Sometimes\"]\n")
                .status()
                .message(),
            "cluster config: nodes[0].taints: invalid taint effect: Sometimes, unsupported taint "
            "effect");
  auto bad_cpu = cluster::ParseClusterConfig("nodes:\n- name: a\n  cpu: lots\n");
  EXPECT_EQ(bad_cpu.status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(bad_cpu.status().message().rfind("cluster config: nodes[0].cpu: ", 0), 0u);
}

}  // namespace
}  // namespace kubesim

namespace kubesim {
namespace {

TEST(ShellTest, GetAllExpandsTheAllCategoryInDiscoveryOrder) {
  testing::ShellHarness h;
  h.Run("run solo --image nginx");
  auto r = h.Run("get all -o name");
  EXPECT_EQ(r.code, 0) << r.err;
  // The `kubernetes` Service is kube-apiserver's, in every cluster.
  EXPECT_EQ(r.out, "pod/solo\nservice/kubernetes\n");
  auto table = h.Run("get all");
  EXPECT_EQ(table.out,
            "NAME       READY   STATUS              RESTARTS   AGE\n"
            "pod/solo   0/1     ContainerCreating   0          0s\n"
            "\n"
            "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
            "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   0s\n");
}

}  // namespace
}  // namespace kubesim

namespace kubesim {
namespace {

TEST(ShellTest, DeletingANamespaceDeletesItsContentThenItself) {
  testing::ShellHarness h;
  EXPECT_EQ(h.Run("create namespace team-a").out, "namespace/team-a created\n");
  h.Run("run web --image nginx -n team-a");
  h.Run("sleep 10s");
  EXPECT_EQ(h.Run("get pods -n team-a -o name").out, "pod/web\n");
  auto d = h.Run("delete namespace team-a");
  EXPECT_EQ(d.code, 0) << d.err;
  EXPECT_EQ(d.out, "namespace \"team-a\" deleted\n");
  EXPECT_EQ(h.Run("get ns team-a").err,
            "Error from server (NotFound): namespaces \"team-a\" not found\n");
  EXPECT_EQ(h.Run("get pods -n team-a").err, "No resources found in team-a namespace.\n");
  auto bad = h.Run("create namespace Bad_NS");
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err.rfind("The Namespace \"Bad_NS\" is invalid: metadata.name: Invalid value:", 0),
            0u)
      << bad.err;
}

}  // namespace
}  // namespace kubesim

namespace kubesim {
namespace {

// minikube's wording names the node's role (pkg/minikube/node/start.go).
TEST(ShellNodeStartTest, NamesTheRoleAsMinikubeDoes) {
  testing::ShellHarness h;
  ASSERT_EQ(h.Run("node stop worker-1").code, 0);
  EXPECT_EQ(h.Run("node start worker-1").out,
            "👍  Starting \"worker-1\" worker node in \"kubesim\" cluster\n"
            "😄  Successfully started node worker-1!\n");
  ASSERT_EQ(h.Run("node stop control-plane").code, 0);
  EXPECT_EQ(h.Run("node start control-plane").out,
            "👍  Starting \"control-plane\" primary control-plane node in \"kubesim\" cluster\n"
            "😄  Successfully started node control-plane!\n");
}

}  // namespace
}  // namespace kubesim

namespace kubesim {
namespace {

// `get -o jsonpath|jsonpath-as-json|custom-columns`: the texts are what the
// real kubectl v1.32 printed for the same commands against `kubesim serve`.
TEST(ShellTest, GetJsonPathAndCustomColumnsAsKubectl) {
  testing::ShellHarness h;
  auto names = h.Run("get nodes -o jsonpath='{.items[*].metadata.name}'");
  EXPECT_EQ(names.code, 0) << names.err;
  EXPECT_EQ(names.out, "control-plane worker-1 worker-2");
  EXPECT_EQ(
      h.Run("get nodes -o "
            "jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.capacity.cpu}{\"\\n\"}"
            "{end}'")
          .out,
      "control-plane\t2\nworker-1\t2\nworker-2\t2\n");
  EXPECT_EQ(h.Run("get node worker-1 -o jsonpath-as-json={.metadata.name}").out,
            "[\n    \"worker-1\"\n]\n");
  EXPECT_EQ(
      h.Run("get ns -o custom-columns=NAME:.metadata.name,PHASE:.status.phase,X:.missing").out,
      "NAME              PHASE    X\n"
      "default           Active   <none>\n"
      "kube-node-lease   Active   <none>\n"
      "kube-public       Active   <none>\n"
      "kube-system       Active   <none>\n");
  EXPECT_EQ(h.Run("get ns default -o custom-columns=L:.metadata.labels,F:.spec.finalizers,"
                  "N:.metadata.name --no-headers")
                .out,
            "map[kubernetes.io/metadata.name:default]   [kubernetes]   default\n");

  // Bad templates: kubectl's errors, exit 1, nothing printed on stdout.
  struct Bad {
    const char* command;
    const char* out;
    const char* err;
  };
  const Bad bad[] = {
      {"get ns -o jsonpath", "", "error: template format specified but no template given\n"},
      {"get ns -o jsonpath={.metadata.name", "",
       "error: error parsing jsonpath {.metadata.name, unclosed action\n"},
      {"get ns -o custom-columns=", "",
       "error: custom-columns format specified but no custom columns given\n"},
      {"get ns -o custom-columns=bad", "",
       "error: unexpected custom-columns spec: bad, expected <header>:<json-path-expr>\n"},
      // The header is out before the failing row, as kubectl's.
      {"get ns default -o custom-columns=name:.metadata.name,x:.spec.finalizers[3]", "name   x\n",
       "error: array index out of bounds: index 3, length 1\n"},
      {"get ns -o yml", "",
       "error: unable to match a printer suitable for the output format \"yml\", allowed formats "
       "are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
       "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"},
  };
  for (const Bad& b : bad) {
    auto r = h.Run(b.command);
    EXPECT_EQ(r.code, 1) << b.command;
    EXPECT_EQ(r.out, b.out) << b.command;
    EXPECT_EQ(r.err, b.err) << b.command;
  }
  auto exec = h.Run("get ns default -o jsonpath={.spec.finalizers[9]}");
  EXPECT_EQ(exec.code, 1);
  EXPECT_EQ(exec.out, "");
  EXPECT_EQ(
      exec.err.rfind("error: error executing jsonpath \"{.spec.finalizers[9]}\": Error "
                     "executing template: array index out of bounds: index 9, length 1. "
                     "Printing more information for debugging the template:\n"
                     "\ttemplate was:\n\t\t{.spec.finalizers[9]}\n"
                     "\tobject given to jsonpath engine was:\n"
                     "\t\tmap[string]interface {}{\"apiVersion\":\"v1\", \"kind\":\"Namespace\", ",
                     0),
      0u)
      << exec.err;
  EXPECT_EQ(exec.err.substr(exec.err.size() - 4), "}\n\n\n");
}

}  // namespace
}  // namespace kubesim
