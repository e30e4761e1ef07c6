// The real kubectl v1.32 against `kubesim serve`, exercising the server-side
// semantics it relies on (docs/api-semantics.md, docs/kubectl.md): three-way
// strategic merge from `apply`, `set image`, strategic and JSON patches,
// fieldValidation and Warning headers, server dry-run, server-side apply,
// subresources (scale, eviction through drain, log) and the kube-system
// pods a default cluster boots. One server per test; the simulated clock is
// moved through the control API, never by waiting.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "kubectl_test_util.h"

namespace kubesim {
namespace {

using testing::CommandResult;
using testing::KubesimServer;

// Runs kubectl and expects success; evaluates to its output.
std::string Ok(const KubesimServer& s, const std::string& args) {
  return testing::KubectlOk(s, args);
}

using testing::Squeeze;

nlohmann::json Json(const KubesimServer& s, const std::string& args) {
  return nlohmann::json::parse(Ok(s, args + " -o json"), nullptr, /*allow_exceptions=*/false);
}

const char kWeb[] = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        env:
        - name: A
          value: "1"
        - name: B
          value: "2"
      - name: sidecar
        image: busybox:1.36
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(KubectlApiSemanticsTest, ApplyThreeWayStrategicMerge) {
  START_SERVER(s);
  std::string v1 = s.WriteManifest("v1.yaml", kWeb);
  EXPECT_EQ(Ok(s, "apply -f " + v1), "deployment.apps/web created\n");
  EXPECT_EQ(Ok(s, "apply -f " + v1), "deployment.apps/web unchanged\n");
  // Someone else adds an env var: apply must keep it (three-way: it is not
  // in last-applied). A new element without $setElementOrder goes first
  // (strategicpatch mergeSortedSlice).
  EXPECT_EQ(Ok(s,
               "patch deployment web -p "
               "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\","
               "\"env\":[{\"name\":\"X\",\"value\":\"live\"}]}]}}}}'"),
            "deployment.apps/web patched\n");
  // Change the image, B's value, drop A, add C, and the replica count.
  std::string v2 = Replace(kWeb, "image: nginx:1.27", "image: nginx:1.28");
  v2 = Replace(v2, "        - name: A\n          value: \"1\"\n", "");
  v2 = Replace(v2, "value: \"2\"", "value: \"22\"\n        - name: C\n          value: \"3\"");
  v2 = Replace(v2, "replicas: 2", "replicas: 3");
  EXPECT_EQ(Ok(s, "apply -f " + s.WriteManifest("v2.yaml", v2)),
            "deployment.apps/web configured\n");
  nlohmann::json d = Json(s, "get deploy web");
  ASSERT_TRUE(d.is_object());
  EXPECT_EQ(d["spec"]["replicas"], 3);
  const auto& containers = d["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(containers.size(), 2u) << containers.dump();
  EXPECT_EQ(containers[0]["name"], "nginx");
  EXPECT_EQ(containers[0]["image"], "nginx:1.28");
  EXPECT_EQ(containers[1]["name"], "sidecar");
  EXPECT_EQ(containers[1]["image"], "busybox:1.36");
  // $setElementOrder/env [B, C] orders the applied items; X, which only the
  // server has, keeps its place before B (normalizeElementOrder).
  std::string env;
  for (const auto& e : containers[0]["env"]) {
    env += e["name"].get<std::string>() + "=" + e["value"].get<std::string>() + " ";
  }
  EXPECT_EQ(env, "X=live B=22 C=3 ") << containers[0].dump();
  EXPECT_EQ(d.dump().find("$setElementOrder"), std::string::npos) << d.dump();
  EXPECT_EQ(d.dump().find("$patch"), std::string::npos) << d.dump();
  // Removing the sidecar from the file removes it from the object.
  std::string v3 = Replace(v2, "      - name: sidecar\n        image: busybox:1.36\n", "");
  EXPECT_EQ(Ok(s, "apply -f " + s.WriteManifest("v3.yaml", v3)),
            "deployment.apps/web configured\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[*].name}"), "nginx");
  s.Advance("2m");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.status.updatedReplicas}"), "3");
}

TEST(KubectlApiSemanticsTest, SetImageAndPatchTypes) {
  START_SERVER(s);
  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kWeb));
  EXPECT_EQ(Ok(s, "set image deployment/web sidecar=busybox:1.37"),
            "deployment.apps/web image updated\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[*].image}"),
            "nginx:1.27 busybox:1.37");
  // Strategic: containers merge by name; the patch's order wins for the
  // patched ones, the server-only sidecar stays after nginx
  // (strategicpatch normalizeElementOrder / mergeSortedSlice).
  EXPECT_EQ(Ok(s,
               "patch deployment web --type=strategic -p "
               "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\","
               "\"image\":\"nginx:1.29\"},{\"name\":\"log\",\"image\":\"fluentd\"}]}}}}'"),
            "deployment.apps/web patched\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[*].name}"),
            "nginx log sidecar");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[*].image}"),
            "nginx:1.29 fluentd busybox:1.37");
  // $patch: delete removes one element by its key.
  EXPECT_EQ(Ok(s,
               "patch deployment web -p "
               "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"log\","
               "\"$patch\":\"delete\"}]}}}}'"),
            "deployment.apps/web patched\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[*].name}"),
            "nginx sidecar");
  // JSON patch.
  EXPECT_EQ(Ok(s,
               "patch deployment web --type=json -p "
               "'[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/1/image\","
               "\"value\":\"busybox:1.38\"},{\"op\":\"add\",\"path\":\"/metadata/labels\","
               "\"value\":{\"tier\":\"front\"}}]'"),
            "deployment.apps/web patched\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[1].image}"),
            "busybox:1.38");
  EXPECT_EQ(Ok(s, "get deploy -l tier=front -o name"), "deployment.apps/web\n");
  CommandResult bad = s.Kubectl(
      "patch deployment web --type=json -p "
      "'[{\"op\":\"remove\",\"path\":\"/spec/nothing\"}]'");
  EXPECT_EQ(bad.exit_code, 1);
  // 422 without causes, as kube-apiserver answers a JSON patch that does not
  // apply (docs/api-semantics.md).
  EXPECT_EQ(bad.output,
            "The request is invalid: the server rejected our request due to an error in our "
            "request\n");
  // Nothing to change: kubectl says so without a write.
  EXPECT_EQ(Ok(s, "patch deployment web --type=merge -p '{\"spec\":{\"replicas\":2}}'"),
            "deployment.apps/web patched (no change)\n");
}

TEST(KubectlApiSemanticsTest, FieldValidationStrictWarnIgnore) {
  START_SERVER(s);
  std::string bad = Replace(kWeb, "  replicas: 2\n", "  replicas: 2\n  replica: 3\n");
  bad = Replace(bad, "        image: nginx:1.27\n",
                "        image: nginx:1.27\n        imagePolicy: x\n");
  std::string file = s.WriteManifest("bad.yaml", bad);
  // kubectl 1.32 defaults to --validate=strict: fieldValidation=Strict.
  CommandResult strict = s.Kubectl("create -f " + file);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(strict.output,
            "Error from server (BadRequest): error when creating \"" + file +
                "\": Deployment in version \"v1\" cannot be handled as a Deployment: strict "
                "decoding error: unknown field \"spec.replica\", unknown field "
                "\"spec.template.spec.containers[0].imagePolicy\"\n");
  EXPECT_EQ(Ok(s, "get deploy -o name"), "");
  // --validate=warn: the server's Warning headers reach kubectl's stderr.
  CommandResult warn = s.Kubectl("create --validate=warn -f " + file);
  EXPECT_EQ(warn.exit_code, 0) << warn.output;
  EXPECT_EQ(warn.output,
            "Warning: unknown field \"spec.replica\"\n"
            "Warning: unknown field \"spec.template.spec.containers[0].imagePolicy\"\n"
            "deployment.apps/web created\n");
  EXPECT_EQ(Ok(s, "delete deploy web --wait=false"), "deployment.apps \"web\" deleted\n");
  EXPECT_EQ(Ok(s, "apply --validate=ignore -f " + file), "deployment.apps/web created\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.replicas}"), "2");
}

TEST(KubectlApiSemanticsTest, ServerDryRun) {
  START_SERVER(s);
  std::string file = s.WriteManifest("web.yaml", kWeb);
  EXPECT_EQ(Ok(s, "create --dry-run=server -f " + file),
            "deployment.apps/web created (server dry run)\n");
  EXPECT_EQ(Ok(s, "apply --dry-run=server -f " + file),
            "deployment.apps/web created (server dry run)\n");
  EXPECT_EQ(Ok(s, "get deploy -o name"), "");
  EXPECT_EQ(Ok(s, "apply -f " + file), "deployment.apps/web created\n");
  std::string rv = Ok(s, "get deploy web -o jsonpath={.metadata.resourceVersion}");
  std::string v2 = Replace(kWeb, "replicas: 2", "replicas: 5");
  EXPECT_EQ(Ok(s, "apply --dry-run=server -f " + s.WriteManifest("v2.yaml", v2)),
            "deployment.apps/web configured (server dry run)\n");
  EXPECT_EQ(Ok(s, "delete deploy web --dry-run=server"),
            "deployment.apps \"web\" deleted (server dry run)\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.replicas}"), "2");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.metadata.resourceVersion}"), rv);
  // -o yaml shows what would have been stored, defaults included.
  std::string out = Ok(s, "apply --dry-run=server -f " + s.WriteManifest("v2.yaml", v2) +
                              " -o jsonpath={.spec.replicas},{.spec.strategy.type}");
  EXPECT_EQ(out, "5,RollingUpdate");
}

TEST(KubectlApiSemanticsTest, ServerSideApply) {
  START_SERVER(s);
  std::string file = s.WriteManifest("web.yaml", kWeb);
  EXPECT_EQ(Ok(s, "apply --server-side -f " + file), "deployment.apps/web serverside-applied\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[*].name}"),
            "nginx sidecar");
  std::string v2 = Replace(kWeb, "image: nginx:1.27", "image: nginx:1.28");
  v2 = Replace(v2, "replicas: 2", "replicas: 4");
  EXPECT_EQ(Ok(s, "apply --server-side -f " + s.WriteManifest("v2.yaml", v2)),
            "deployment.apps/web serverside-applied\n");
  EXPECT_EQ(Ok(s,
               "get deploy web -o jsonpath={.spec.replicas},{.spec.template.spec.containers[0]"
               ".image}"),
            "4,nginx:1.28");
  EXPECT_EQ(Ok(s, "apply --server-side --dry-run=server -f " + file),
            "deployment.apps/web serverside-applied (server dry run)\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.replicas}"), "4");
  s.Advance("1m");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.status.readyReplicas}"), "4");
}

// Field ownership through the real kubectl (docs/api-semantics.md,
// "Server-side apply"): a field dropped from the configuration disappears,
// `kubectl scale` takes spec.replicas so the next apply conflicts with the
// server's 409 (kubectl adds its own advice), --force-conflicts wins, and
// `get --show-managed-fields` shows the managers.
TEST(KubectlApiSemanticsTest, ServerSideApplyManagedFieldsAndConflicts) {
  START_SERVER(s);
  std::string file = s.WriteManifest("web.yaml", kWeb);
  EXPECT_EQ(Ok(s, "apply --server-side -f " + file), "deployment.apps/web serverside-applied\n");
  // Drop env B: it goes, since no other manager owns it.
  std::string v2 = Replace(kWeb, "        - name: B\n          value: \"2\"\n", "");
  ASSERT_NE(v2, kWeb);
  EXPECT_EQ(Ok(s, "apply --server-side -f " + s.WriteManifest("v2.yaml", v2)),
            "deployment.apps/web serverside-applied\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[0].env[*].name}"),
            "A");
  // kubectl get hides managedFields unless asked.
  EXPECT_EQ(Ok(s, "get deploy web -o yaml").find("managedFields"), std::string::npos);
  nlohmann::json shown =
      nlohmann::json::parse(Ok(s, "get deploy web -o json --show-managed-fields"), nullptr, false);
  ASSERT_TRUE(shown.is_object());
  ASSERT_TRUE(shown["metadata"]["managedFields"].is_array());
  EXPECT_EQ(shown["metadata"]["managedFields"][0]["manager"], "kubectl");
  EXPECT_EQ(shown["metadata"]["managedFields"][0]["operation"], "Apply");
  EXPECT_TRUE(shown["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"].contains("f:replicas"));

  EXPECT_EQ(Ok(s, "scale deploy web --replicas=5"), "deployment.apps/web scaled\n");
  CommandResult conflict = s.Kubectl("apply --server-side -f " + s.dir() + "/v2.yaml");
  EXPECT_EQ(conflict.exit_code, 1);
  EXPECT_EQ(conflict.output.rfind(
                "error: Apply failed with 1 conflict: conflict with \"kubectl\" with subresource "
                "\"scale\" using apps/v1: .spec.replicas\n"
                "Please review the fields above--they currently have other managers. Here\n"
                "are the ways you can resolve this warning:\n"
                "* If you intend to manage all of these fields, please re-run the apply\n"
                "  command with the `--force-conflicts` flag.\n",
                0),
            0u)
      << conflict.output;
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.replicas}"), "5");
  EXPECT_EQ(Ok(s, "apply --server-side --force-conflicts -f " + s.dir() + "/v2.yaml"),
            "deployment.apps/web serverside-applied\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.replicas}"), "2");
  std::string managers = Ok(s,
                            "get deploy web --show-managed-fields -o jsonpath="
                            "'{range .metadata.managedFields[*]}{.manager}/{.operation}/"
                            "{.subresource};{end}'");
  // The scale entry lost its only field; the controller's status entry stays.
  EXPECT_EQ(managers.find("kubectl/Update/scale"), std::string::npos) << managers;
  EXPECT_EQ(managers.rfind("kubectl/Apply/;", 0), 0u) << managers;
  s.Advance("1m");
  managers = Ok(s,
                "get deploy web --show-managed-fields -o jsonpath="
                "'{range .metadata.managedFields[*]}{.manager}/{.operation}/{.subresource};{end}'");
  EXPECT_NE(managers.find("kube-controller-manager/Update/status;"), std::string::npos) << managers;
}

// `kubectl apply` then `kubectl apply --server-side`: kubectl migrates the
// client-side applier's managedFields (csaupgrade, a JSON patch of
// metadata.managedFields) and the server lets the apply through; the Apply
// entry then owns the fields.
TEST(KubectlApiSemanticsTest, ClientSideThenServerSideApply) {
  START_SERVER(s);
  std::string file = s.WriteManifest("web.yaml", kWeb);
  EXPECT_EQ(Ok(s, "apply -f " + file), "deployment.apps/web created\n");
  std::string v2 = Replace(kWeb, "image: nginx:1.27", "image: nginx:1.28");
  EXPECT_EQ(Ok(s, "apply --server-side -f " + s.WriteManifest("v2.yaml", v2)),
            "deployment.apps/web serverside-applied\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.spec.containers[0].image}"),
            "nginx:1.28");
  std::string managers = Ok(s,
                            "get deploy web --show-managed-fields -o jsonpath="
                            "'{range .metadata.managedFields[*]}{.manager}/{.operation};{end}'");
  // csaupgrade gives the annotation to kubectl's "kubectl-last-applied"
  // applier and the rest of the client-side applier's fields to "kubectl".
  EXPECT_NE(managers.find("kubectl-last-applied/Apply;"), std::string::npos) << managers;
  EXPECT_NE(managers.find(";kubectl/Apply;"), std::string::npos) << managers;
  EXPECT_EQ(managers.find("kubectl-client-side-apply"), std::string::npos) << managers;
}

TEST(KubectlApiSemanticsTest, SystemPodsDaemonSetsAndDrain) {
  START_SERVER(s);
  s.Advance("1m");
  std::string pods = Squeeze(Ok(s, "get pods -A"));
  EXPECT_EQ(pods.substr(0, pods.find('\n')), "NAMESPACE NAME READY STATUS RESTARTS AGE") << pods;
  EXPECT_NE(pods.find("kube-system kube-proxy-"), std::string::npos) << pods;
  EXPECT_NE(pods.find("kube-flannel kube-flannel-ds-"), std::string::npos) << pods;
  EXPECT_NE(pods.find("kube-system coredns-"), std::string::npos) << pods;
  EXPECT_EQ(pods.find("Pending"), std::string::npos) << pods;
  std::string ds = Squeeze(Ok(s, "get ds -A"));
  EXPECT_EQ(ds.substr(0, ds.find('\n')),
            "NAMESPACE NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE")
      << ds;
  EXPECT_NE(ds.find("kube-system kube-proxy 3 3 3 3 3 kubernetes.io/os=linux"), std::string::npos)
      << ds;
  EXPECT_EQ(Ok(s, "rollout status ds/kube-proxy -n kube-system --timeout=10s"),
            "daemon set \"kube-proxy\" successfully rolled out\n");
  std::string pc = Squeeze(Ok(s, "get pc"));
  EXPECT_EQ(pc.substr(0, pc.find('\n')), "NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY") << pc;
  EXPECT_NE(pc.find("system-cluster-critical 2000000000 false"), std::string::npos) << pc;
  EXPECT_NE(pc.find("system-node-critical 2000001000 false"), std::string::npos) << pc;
  CommandResult pdb = s.Kubectl("get pdb");
  EXPECT_EQ(pdb.exit_code, 0) << pdb.output;
  EXPECT_EQ(pdb.output, "No resources found in default namespace.\n");

  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kWeb));
  s.Advance("1m");
  std::string node = Squeeze(Ok(s, "describe node worker-1"));
  EXPECT_NE(node.find("Lease:\n HolderIdentity: worker-1\n"), std::string::npos) << node;
  EXPECT_NE(node.find("Non-terminated Pods: ("), std::string::npos) << node;
  EXPECT_NE(node.find(" kube-system kube-proxy-"), std::string::npos) << node;

  CommandResult drain = s.Kubectl("drain worker-1 --ignore-daemonsets --grace-period=1");
  EXPECT_EQ(drain.exit_code, 0) << drain.output;
  EXPECT_NE(drain.output.find("node/worker-1 cordoned\n"), std::string::npos) << drain.output;
  EXPECT_NE(
      drain.output.find("Warning: ignoring DaemonSet-managed Pods: kube-flannel/kube-flannel-ds-"),
      std::string::npos)
      << drain.output;
  EXPECT_NE(drain.output.find("evicting pod "), std::string::npos) << drain.output;
  EXPECT_NE(drain.output.find("node/worker-1 drained\n"), std::string::npos) << drain.output;
  // Only DaemonSet pods are left on the node.
  std::string left = Ok(s,
                        "get pods -A --field-selector spec.nodeName=worker-1 -o "
                        "jsonpath='{range .items[*]}{.metadata.ownerReferences[0].kind} {end}'");
  EXPECT_EQ(std::regex_replace(left, std::regex("DaemonSet "), ""), "") << left;
  // Without --ignore-daemonsets kubectl refuses.
  CommandResult refuse = s.Kubectl("drain worker-2");
  EXPECT_EQ(refuse.exit_code, 1) << refuse.output;
  EXPECT_NE(refuse.output.find("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets "
                               "to ignore): kube-flannel/kube-flannel-ds-"),
            std::string::npos)
      << refuse.output;
}

TEST(KubectlApiSemanticsTest, EvictionRespectsPodDisruptionBudget) {
  START_SERVER(s);
  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kWeb));
  // (`kubectl create pdb` sends protobuf, which kubesim cannot decode for
  // this kind: docs/kubectl.md.)
  EXPECT_EQ(Ok(s, "apply -f " + s.WriteManifest("pdb.yaml",
                                                "apiVersion: policy/v1\n"
                                                "kind: PodDisruptionBudget\n"
                                                "metadata:\n  name: web\n"
                                                "spec:\n  minAvailable: 2\n"
                                                "  selector:\n    matchLabels:\n"
                                                "      app: web\n")),
            "poddisruptionbudget.policy/web created\n");
  s.Advance("1m");
  std::string pdb = Squeeze(Ok(s, "get pdb web"));
  EXPECT_NE(pdb.find("web 2 N/A 0"), std::string::npos) << pdb;
  std::string pod = Ok(s, "get pods -l app=web -o jsonpath={.items[0].metadata.name}");
  // The eviction API answers 429 with the budget as the cause.
  std::string eviction =
      "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\","
      "\"metadata\":{\"name\":\"" +
      pod + "\",\"namespace\":\"default\"}}";
  std::string file = s.WriteManifest("eviction.json", eviction);
  CommandResult refused =
      s.Kubectl("create --raw /api/v1/namespaces/default/pods/" + pod + "/eviction -f " + file);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_EQ(refused.output,
            "Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's "
            "disruption budget.\n")
      << refused.output;
  // kubectl drain retries every 5 s until its timeout.
  std::string node = Ok(s, "get pod " + pod + " -o jsonpath={.spec.nodeName}");
  CommandResult drain = s.Kubectl("drain " + node + " --ignore-daemonsets --timeout=2s");
  EXPECT_EQ(drain.exit_code, 1) << drain.output;
  EXPECT_NE(drain.output.find("error when evicting pods/\"" + pod +
                              "\" -n \"default\" (will retry after 5s): Cannot evict pod as it "
                              "would violate the pod's disruption budget."),
            std::string::npos)
      << drain.output;
  EXPECT_EQ(Ok(s, "get pod " + pod + " -o jsonpath={.metadata.name}"), pod);
  // With room in the budget the eviction goes through and is recorded.
  Ok(s, "scale deploy web --replicas=3");
  s.Advance("1m");
  EXPECT_EQ(Ok(s, "get pdb web -o jsonpath={.status.disruptionsAllowed}"), "1");
  CommandResult allowed =
      s.Kubectl("create --raw /api/v1/namespaces/default/pods/" + pod + "/eviction -f " + file);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
  s.Advance("1m");
  CommandResult gone = s.Kubectl("get pod " + pod);
  EXPECT_EQ(gone.output, "Error from server (NotFound): pods \"" + pod + "\" not found\n");
}

}  // namespace
}  // namespace kubesim
