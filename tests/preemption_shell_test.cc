// Preemption, PodDisruptionBudgets and the disruption controller in a whole
// cluster, through the shell: a full cluster of low-priority pods, a
// high-priority pod arrives, a victim is preempted (DisruptionTarget,
// Preempted event, nominatedNodeName) and the preemptor is bound once the
// victim is gone; a PDB steers the choice of node; a pod whose class says
// preemptionPolicy Never stays Pending.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using nlohmann::json;
using testing::ShellHarness;

std::string Classes() {
  return "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: low\n"
         "value: 10\n---\n"
         "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\n"
         "value: 1000\n---\n"
         "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: polite\n"
         "value: 1000\npreemptionPolicy: Never\n";
}

std::string Pod(const std::string& name, const std::string& cls, const std::string& node = "",
                const std::string& app = "") {
  std::string s = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n";
  if (!app.empty()) s += "  labels:\n    app: " + app + "\n";
  s += "spec:\n  priorityClassName: " + cls + "\n";
  if (!node.empty()) s += "  nodeName: " + node + "\n";
  s += "  containers:\n  - name: c\n    image: nginx\n    resources:\n      requests:\n"
       "        cpu: \"1\"\n";
  return s;
}

void Create(ShellHarness& h, const std::string& manifest) {
  h.SetStdin(manifest);
  auto r = h.Run("create -f -");
  ASSERT_EQ(r.code, 0) << r.err;
}

json GetJson(ShellHarness& h, const std::string& what) {
  auto r = h.Run("get " + what + " -o json");
  EXPECT_EQ(r.code, 0) << r.err;
  return json::parse(r.out);
}

std::vector<std::string> EventMessages(ShellHarness& h, const std::string& reason) {
  std::vector<std::string> out;
  const json list = GetJson(h, "events --field-selector reason=" + reason);
  for (const auto& e : list["items"]) {
    out.push_back(e["involvedObject"]["name"].get<std::string>() + ": " +
                  e["message"].get<std::string>());
  }
  return out;
}

TEST(PreemptionShellTest, HighPriorityPodPreemptsAVictim) {
  ShellHarness h;  // control plane + 2 workers with 2 cpu each
  Create(h, Classes());
  std::string low;
  for (int i = 1; i <= 4; ++i)
    low += (i > 1 ? "---\n" : "") + Pod("low-" + std::to_string(i), "low");
  Create(h, low);
  h.Run("sleep 30s");
  ASSERT_EQ(h.Run("get pods --field-selector status.phase=Running -o name").out,
            "pod/low-1\npod/low-2\npod/low-3\npod/low-4\n");

  // Right after vip arrives (no time has passed): the preemption is done
  // and the victim is terminating (its container exits within a second).
  Create(h, Pod("vip", "high"));
  json vip = GetJson(h, "pod vip");
  const std::string node = vip["status"].value("nominatedNodeName", "");
  ASSERT_FALSE(node.empty()) << vip.dump(2);
  EXPECT_EQ(vip["spec"]["priority"], 1000);
  EXPECT_FALSE(vip["spec"].contains("nodeName"));
  // Preemption succeeded: the FailedScheduling message has no preemption
  // part.
  EXPECT_EQ(
      EventMessages(h, "FailedScheduling"),
      (std::vector<std::string>{"vip: 0/3 nodes are available: 1 node(s) had untolerated taint "
                                "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."}));
  // Exactly one victim, on the nominated node, marked and being deleted.
  auto preempted = EventMessages(h, "Preempted");
  ASSERT_EQ(preempted.size(), 1u);
  const std::string victim = preempted[0].substr(0, preempted[0].find(':'));
  EXPECT_EQ(preempted[0], victim + ": Preempted by pod " +
                              vip["metadata"]["uid"].get<std::string>() + " on node " + node);
  json v = GetJson(h, "pod " + victim);
  EXPECT_EQ(v["spec"]["nodeName"], node);
  EXPECT_TRUE(v["metadata"].contains("deletionTimestamp")) << v.dump(2);
  bool found = false;
  for (const auto& c : v["status"]["conditions"]) {
    if (c["type"] != "DisruptionTarget") continue;
    found = true;
    EXPECT_EQ(c["status"], "True");
    EXPECT_EQ(c["reason"], "PreemptionByScheduler");
    EXPECT_EQ(c["message"], "default-scheduler: preempting to accommodate a higher priority pod");
  }
  EXPECT_TRUE(found) << v.dump(2);
  // The NOMINATED NODE column.
  auto wide = h.Run("get pod vip -o wide");
  EXPECT_EQ(wide.out,
            "NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   "
            "READINESS GATES\n"
            "vip    0/1     Pending   0          0s    <none>   <none>   " +
                node + "         <none>\n");

  // Once the victim has terminated, vip is bound there.
  h.Run("sleep 30s");
  vip = GetJson(h, "pod vip");
  EXPECT_EQ(vip["spec"]["nodeName"], node);
  EXPECT_EQ(vip["status"]["phase"], "Running");
  EXPECT_EQ(h.Run("get pod " + victim).err,
            "Error from server (NotFound): pods \"" + victim + "\" not found\n");
  // Scheduled follows FailedScheduling; every other low pod still runs.
  EXPECT_EQ(h.Run("get pods --field-selector status.phase=Running -o name").out.size(),
            std::string("pod/low-1\npod/low-2\npod/low-3\npod/vip\n").size());
}

TEST(PreemptionShellTest, PodDisruptionBudgetSteersTheVictim) {
  ShellHarness h;
  Create(h, Classes());
  Create(h, Pod("a-1", "low", "worker-1", "a") + "---\n" + Pod("a-2", "low", "worker-1", "a") +
                "---\n" + Pod("b-1", "low", "worker-2", "b") + "---\n" +
                Pod("b-2", "low", "worker-2", "b"));
  h.SetStdin(
      "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: keep-a\nspec:\n"
      "  minAvailable: 2\n  selector:\n    matchLabels:\n      app: a\n");
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.Run("sleep 30s");
  EXPECT_EQ(h.Run("get pdb").out,
            "NAME     MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n"
            "keep-a   2               N/A               0                     30s\n");
  json pdb = GetJson(h, "pdb keep-a");
  EXPECT_EQ(pdb["status"]["currentHealthy"], 2);
  EXPECT_EQ(pdb["status"]["desiredHealthy"], 2);
  EXPECT_EQ(pdb["status"]["expectedPods"], 2);
  EXPECT_EQ(pdb["status"]["observedGeneration"], 1);
  EXPECT_EQ(pdb["status"]["conditions"][0]["reason"], "InsufficientPods");

  Create(h, Pod("vip", "high"));
  h.Run("sleep 1s");
  EXPECT_EQ(GetJson(h, "pod vip")["status"]["nominatedNodeName"], "worker-2");
  auto preempted = EventMessages(h, "Preempted");
  ASSERT_EQ(preempted.size(), 1u);
  EXPECT_EQ(preempted[0].substr(0, 2), "b-");
}

TEST(PreemptionShellTest, NeverPolicyPodStaysPending) {
  ShellHarness h;
  Create(h, Classes());
  std::string low;
  for (int i = 1; i <= 4; ++i)
    low += (i > 1 ? "---\n" : "") + Pod("low-" + std::to_string(i), "low");
  Create(h, low);
  h.Run("sleep 30s");
  Create(h, Pod("polite", "polite"));
  h.Run("sleep 1s");
  json p = GetJson(h, "pod polite");
  EXPECT_EQ(p["spec"]["preemptionPolicy"], "Never");
  EXPECT_EQ(p["status"]["phase"], "Pending");
  EXPECT_FALSE(p["status"].contains("nominatedNodeName"));
  EXPECT_TRUE(EventMessages(h, "Preempted").empty());
  EXPECT_EQ(EventMessages(h, "FailedScheduling"),
            (std::vector<std::string>{
                "polite: 0/3 nodes are available: 1 node(s) had untolerated taint "
                "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: not "
                "eligible due to preemptionPolicy=Never."}));
}

TEST(PreemptionShellTest, EqualPriorityFindsNoVictims) {
  ShellHarness h;
  Create(h, Classes());
  std::string low;
  for (int i = 1; i <= 4; ++i)
    low += (i > 1 ? "---\n" : "") + Pod("low-" + std::to_string(i), "low");
  Create(h, low);
  h.Run("sleep 30s");
  Create(h, Pod("peer", "low"));
  h.Run("sleep 1s");
  EXPECT_EQ(EventMessages(h, "FailedScheduling"),
            (std::vector<std::string>{
                "peer: 0/3 nodes are available: 1 node(s) had untolerated taint "
                "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 "
                "nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption "
                "victims found for incoming pod."}));
}

}  // namespace
}  // namespace kubesim
