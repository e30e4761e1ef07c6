// Deployments: the strategy, the deployment-controller (ReplicaSet named
// with the template hash, rolling updates within maxSurge/maxUnavailable,
// revisions, undo, cascading deletion) and the shell's scale, rollout, set
// image and patch, on the simulated clock.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

// Like the seed's hello-world Deployment (2 replicas).
const char kDeploy[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hello-world\nspec:\n"
    "  replicas: 2\n  selector:\n    matchLabels: {app: hello-world}\n  template:\n"
    "    metadata:\n      labels: {app: hello-world}\n    spec:\n      containers:\n"
    "      - name: app\n        image: ghcr.io/learnk8s/podinfo:2023.03\n";

nlohmann::json Json(ShellHarness& h, const std::string& cmd) {
  auto r = h.Run(cmd);
  EXPECT_EQ(r.code, 0) << cmd << ": " << r.err;
  return nlohmann::json::parse(r.out);
}

struct Counts {
  int total = 0, running = 0;
  std::map<std::string, int> per_rs;  // active pods by pod-template-hash
  std::set<std::string> nodes;
};

Counts PodCounts(ShellHarness& h) {
  Counts c;
  auto pods = Json(h, "get pods -l app=hello-world -o json");
  for (const auto& p : pods["items"]) {
    if (p["metadata"].contains("deletionTimestamp")) continue;
    ++c.total;
    if (p["status"]["phase"] == "Running") ++c.running;
    c.per_rs[p["metadata"]["labels"]["pod-template-hash"]]++;
    if (p["spec"].contains("nodeName")) c.nodes.insert(p["spec"]["nodeName"]);
  }
  return c;
}

void Apply(ShellHarness& h) {
  h.SetStdin(kDeploy);
  auto r = h.Run("apply -f -");
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(r.out, "deployment.apps/hello-world created\n");
}

TEST(DeploymentTest, AppliedDeploymentRunsTwoPodsOnTheWorkers) {
  ShellHarness h;
  Apply(h);
  h.Run("sleep 30s");
  auto d = Json(h, "get deploy hello-world -o json");
  EXPECT_EQ(d["metadata"]["generation"], 1);
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(d["spec"]["strategy"]["rollingUpdate"]["maxSurge"], "25%");
  EXPECT_EQ(d["spec"]["revisionHistoryLimit"], 10);
  EXPECT_EQ(d["spec"]["progressDeadlineSeconds"], 600);
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(d["status"]["observedGeneration"], 1);
  EXPECT_EQ(d["status"]["replicas"], 2);
  EXPECT_EQ(d["status"]["updatedReplicas"], 2);
  EXPECT_EQ(d["status"]["availableReplicas"], 2);
  EXPECT_FALSE(d["status"].contains("unavailableReplicas"));
  ASSERT_EQ(d["status"]["conditions"].size(), 2u);
  EXPECT_EQ(d["status"]["conditions"][0]["type"], "Available");
  EXPECT_EQ(d["status"]["conditions"][0]["reason"], "MinimumReplicasAvailable");
  EXPECT_EQ(d["status"]["conditions"][1]["type"], "Progressing");
  EXPECT_EQ(d["status"]["conditions"][1]["reason"], "NewReplicaSetAvailable");

  auto rss = Json(h, "get rs -o json");
  ASSERT_EQ(rss["items"].size(), 1u);
  const auto& rs = rss["items"][0];
  std::string hash = rs["metadata"]["labels"]["pod-template-hash"];
  EXPECT_TRUE(std::regex_match(hash, std::regex("[bcdfghjklmnpqrstvwxz2456789]{6,10}"))) << hash;
  EXPECT_EQ(rs["metadata"]["name"], "hello-world-" + hash);
  EXPECT_EQ(rs["spec"]["selector"]["matchLabels"]["pod-template-hash"], hash);
  EXPECT_EQ(rs["metadata"]["ownerReferences"][0]["kind"], "Deployment");
  EXPECT_EQ(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");

  Counts c = PodCounts(h);
  EXPECT_EQ(c.running, 2);
  EXPECT_EQ(c.nodes, (std::set<std::string>{"worker-1", "worker-2"}));
  EXPECT_EQ(h.Run("get deploy").out,
            "NAME          READY   UP-TO-DATE   AVAILABLE   AGE\n"
            "hello-world   2/2     2            2           30s\n");
  auto wide = h.Run("get deploy -o wide").out;
  EXPECT_NE(wide.find("CONTAINERS   IMAGES"), std::string::npos) << wide;
  EXPECT_NE(wide.find("app=hello-world"), std::string::npos);
  auto events = h.Run("get events -o json").out;
  EXPECT_NE(events.find("Scaled up replica set hello-world-" + hash + " from 0 to 2"),
            std::string::npos);
}

TEST(DeploymentTest, DeletedPodIsReplacedAndScaleUpAndDown) {
  ShellHarness h;
  Apply(h);
  h.Run("sleep 30s");
  auto pods = Json(h, "get pods -l app=hello-world -o json");
  std::string victim = pods["items"][0]["metadata"]["name"];
  EXPECT_EQ(h.Run("delete pod " + victim).code, 0);
  h.Run("sleep 30s");
  EXPECT_EQ(PodCounts(h).running, 2);

  EXPECT_EQ(h.Run("scale deployment hello-world --replicas 5").out,
            "deployment.apps/hello-world scaled\n");
  h.Run("sleep 30s");
  EXPECT_EQ(PodCounts(h).running, 5);
  auto d = Json(h, "get deploy hello-world -o json");
  EXPECT_EQ(d["metadata"]["generation"], 2);
  EXPECT_EQ(d["status"]["availableReplicas"], 5);

  EXPECT_EQ(h.Run("scale deploy/hello-world --replicas=1").code, 0);
  h.Run("sleep 60s");
  EXPECT_EQ(PodCounts(h).total, 1);
  EXPECT_EQ(h.Run("get rs").out.find("hello-world-") != std::string::npos, true);
}

TEST(DeploymentTest, RollingUpdateObeysSurgeAndUnavailabilityThenUndo) {
  ShellHarness h;
  std::string manifest = kDeploy;
  manifest.replace(manifest.find("replicas: 2"), 11, "replicas: 4");
  h.SetStdin(manifest);
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  h.Run("sleep 30s");
  ASSERT_EQ(PodCounts(h).running, 4);
  auto set = h.Run("set image deployment/hello-world app=ghcr.io/learnk8s/podinfo:2024.01");
  EXPECT_EQ(set.out, "deployment.apps/hello-world image updated\n") << set.err;
  // replicas 4, maxSurge 25% -> 1, maxUnavailable 25% -> 1: at every step at
  // most 5 pods exist and at least 3 are running and ready.
  int max_total = 0, min_running = 100;
  for (int i = 0; i < 60; ++i) {
    h.Run("sleep 1s");
    Counts c = PodCounts(h);
    max_total = std::max(max_total, c.total);
    min_running = std::min(min_running, c.running);
  }
  EXPECT_LE(max_total, 5);
  EXPECT_GE(min_running, 3);
  auto d = Json(h, "get deploy hello-world -o json");
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
  EXPECT_EQ(d["status"]["updatedReplicas"], 4);
  auto rss = Json(h, "get rs -o json");
  ASSERT_EQ(rss["items"].size(), 2u);
  for (const auto& rs : rss["items"]) {
    bool is_new = rs["spec"]["template"]["spec"]["containers"][0]["image"] ==
                  "ghcr.io/learnk8s/podinfo:2024.01";
    EXPECT_EQ(rs["spec"]["replicas"], is_new ? 4 : 0);
  }
  auto history = h.Run("rollout history deployment/hello-world");
  EXPECT_EQ(history.out,
            "deployment.apps/hello-world \nREVISION  CHANGE-CAUSE\n1         <none>\n"
            "2         <none>\n\n");

  EXPECT_EQ(h.Run("rollout undo deployment/hello-world").out,
            "deployment.apps/hello-world rolled back\n");
  auto status = h.Run("rollout status deployment/hello-world --timeout 5m");
  EXPECT_EQ(status.code, 0) << status.err;
  EXPECT_NE(status.out.find("deployment \"hello-world\" successfully rolled out\n"),
            std::string::npos);
  d = Json(h, "get deploy hello-world -o json");
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"][0]["image"],
            "ghcr.io/learnk8s/podinfo:2023.03");
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "3");
  EXPECT_EQ(Json(h, "get rs -o json")["items"].size(), 2u);
}

TEST(DeploymentTest, RolloutStatusPrintsProgressLines) {
  ShellHarness h;
  Apply(h);
  auto r = h.Run("rollout status deployment/hello-world");
  EXPECT_EQ(r.code, 0) << r.err;
  const std::string done = "deployment \"hello-world\" successfully rolled out\n";
  ASSERT_GE(r.out.size(), done.size());
  EXPECT_EQ(r.out.substr(r.out.size() - done.size()), done) << r.out;
  EXPECT_NE(r.out.find("Waiting for deployment \"hello-world\" rollout to finish: "),
            std::string::npos)
      << r.out;
}

TEST(DeploymentTest, DeletionCascadesToReplicaSetsAndPods) {
  ShellHarness h;
  Apply(h);
  h.Run("sleep 30s");
  EXPECT_EQ(h.Run("delete deployment hello-world").out,
            "deployment.apps \"hello-world\" deleted\n");
  h.Run("sleep 60s");
  EXPECT_TRUE(Json(h, "get rs -o json")["items"].empty());
  EXPECT_TRUE(Json(h, "get pods -o json")["items"].empty());
}

TEST(DeploymentTest, BadInputChangesNothing) {
  ShellHarness h;
  auto r = h.Run("scale deployment x --replicas 3");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "Error from server (NotFound): deployments.apps \"x\" not found\n");
  std::string bad = kDeploy;
  bad.replace(bad.find("matchLabels: {app: hello-world}"), 31, "matchLabels: {app: other}");
  h.SetStdin(bad);
  auto c = h.Run("apply -f -");
  EXPECT_EQ(c.code, 1);
  EXPECT_NE(c.err.find("The Deployment \"hello-world\" is invalid: "
                       "spec.template.metadata.labels: Invalid value: "),
            std::string::npos)
      << c.err;
  EXPECT_EQ(h.Run("get deploy").err, "No resources found in default namespace.\n");
  Apply(h);
  auto p = h.Run("patch deployment hello-world -p '{\"spec\":{\"replicas\":2}}'");
  EXPECT_EQ(p.out, "deployment.apps/hello-world patched (no change)\n") << p.err;
  p = h.Run("patch deployment hello-world --type merge -p '{\"spec\":{\"replicas\":3}}'");
  EXPECT_EQ(p.out, "deployment.apps/hello-world patched\n") << p.err;
  EXPECT_EQ(h.Run("scale deployment hello-world").code, 1);
}

}  // namespace
}  // namespace kubesim
