// ReplicaSets: the strategy (defaults, validation, table) and the
// replicaset-controller (create, replace, scale down by rank, status,
// garbage collection), driven through the shell on the simulated clock.
#include <gtest/gtest.h>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

const char kRs[] =
    "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: front\nspec:\n  replicas: 3\n"
    "  selector:\n    matchLabels: {app: front}\n  template:\n    metadata:\n"
    "      labels: {app: front}\n    spec:\n      containers:\n      - name: c\n"
    "        image: nginx:1.27\n";

nlohmann::json Json(ShellHarness& h, const std::string& cmd) {
  auto r = h.Run(cmd);
  EXPECT_EQ(r.code, 0) << cmd << ": " << r.err;
  return nlohmann::json::parse(r.out);
}

int CountPods(ShellHarness& h, const std::string& selector, bool running_only) {
  auto pods = Json(h, "get pods -l " + selector + " -o json");
  int n = 0;
  for (const auto& p : pods["items"]) {
    if (p["metadata"].contains("deletionTimestamp")) continue;
    if (running_only && p["status"]["phase"] != "Running") continue;
    ++n;
  }
  return n;
}

TEST(ReplicaSetTest, CreatesPodsWithOwnerAndStatus) {
  ShellHarness h;
  h.SetStdin(kRs);
  EXPECT_EQ(h.Run("apply -f -").out, "replicaset.apps/front created\n");
  h.Run("sleep 30s");
  auto pods = Json(h, "get pods -l app=front -o json");
  ASSERT_EQ(pods["items"].size(), 3u);
  for (const auto& p : pods["items"]) {
    std::string name = p["metadata"]["name"];
    EXPECT_EQ(name.rfind("front-", 0), 0u);
    EXPECT_EQ(name.size(), std::string("front-").size() + 5);
    const auto& ref = p["metadata"]["ownerReferences"][0];
    EXPECT_EQ(ref["kind"], "ReplicaSet");
    EXPECT_EQ(ref["controller"], true);
    EXPECT_EQ(ref["blockOwnerDeletion"], true);
    EXPECT_EQ(p["status"]["phase"], "Running");
  }
  auto rs = Json(h, "get rs front -o json");
  EXPECT_EQ(rs["metadata"]["generation"], 1);
  EXPECT_EQ(rs["status"]["replicas"], 3);
  EXPECT_EQ(rs["status"]["readyReplicas"], 3);
  EXPECT_EQ(rs["status"]["availableReplicas"], 3);
  EXPECT_EQ(rs["status"]["fullyLabeledReplicas"], 3);
  EXPECT_EQ(rs["status"]["observedGeneration"], 1);
  EXPECT_EQ(h.Run("get rs").out,
            "NAME    DESIRED   CURRENT   READY   AGE\nfront   3         3         3       30s\n");
  auto events = h.Run("get events -o json");
  EXPECT_NE(events.out.find("SuccessfulCreate"), std::string::npos);
  EXPECT_NE(events.out.find("Created pod: front-"), std::string::npos);
}

TEST(ReplicaSetTest, DeletedPodIsReplaced) {
  ShellHarness h;
  h.SetStdin(kRs);
  h.Run("apply -f -");
  h.Run("sleep 30s");
  auto pods = Json(h, "get pods -l app=front -o json");
  std::string victim = pods["items"][0]["metadata"]["name"];
  auto d = h.Run("delete pod " + victim);
  EXPECT_EQ(d.code, 0) << d.err;
  h.Run("sleep 30s");
  EXPECT_EQ(CountPods(h, "app=front", true), 3);
  EXPECT_EQ(h.Run("get pod " + victim).code, 1);
}

TEST(ReplicaSetTest, ScaleDownRemovesUnscheduledPodsFirst) {
  ShellHarness h;
  h.SetStdin(kRs);
  h.Run("apply -f -");
  h.Run("sleep 30s");
  // Two more pods that cannot be scheduled (stop the scheduler first).
  ASSERT_EQ(h.Run("stop scheduler").code, 0);
  EXPECT_EQ(h.Run("scale rs front --replicas 5").out, "replicaset.apps/front scaled\n");
  h.Run("sleep 5s");
  EXPECT_EQ(CountPods(h, "app=front", false), 5);
  EXPECT_EQ(h.Run("scale rs front --replicas 3").code, 0);
  h.Run("sleep 5s");
  // The two Pending pods went; the three Running ones stayed.
  EXPECT_EQ(CountPods(h, "app=front", false), 3);
  EXPECT_EQ(CountPods(h, "app=front", true), 3);
}

TEST(ReplicaSetTest, DeletingTheReplicaSetDeletesItsPods) {
  ShellHarness h;
  h.SetStdin(kRs);
  h.Run("apply -f -");
  h.Run("sleep 30s");
  EXPECT_EQ(h.Run("delete rs front").code, 0);
  h.Run("sleep 60s");
  EXPECT_EQ(CountPods(h, "app=front", false), 0);
  auto all = Json(h, "get pods -l app=front -o json");
  EXPECT_TRUE(all["items"].empty());
}

TEST(ReplicaSetTest, SelectorMustMatchTemplateLabels) {
  ShellHarness h;
  std::string bad = kRs;
  bad.replace(bad.find("matchLabels: {app: front}"), 25, "matchLabels: {app: back}");
  h.SetStdin(bad);
  auto r = h.Run("create -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("The ReplicaSet \"front\" is invalid: spec.template.metadata.labels: "
                       "Invalid value: "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("`selector` does not match template `labels`"), std::string::npos);
  EXPECT_EQ(h.Run("get rs").err, "No resources found in default namespace.\n");
}

}  // namespace
}  // namespace kubesim
