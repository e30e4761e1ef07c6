// DaemonSets: the strategy (defaults, validation, table) and the
// daemonset-controller (a pod per eligible node, node selectors, taints and
// tolerations, nodes added and deleted, rolling update, ControllerRevisions,
// status counters), driven through the shell on the simulated clock.
#include <gtest/gtest.h>

#include <map>

#include "kubesim/api/gvr.h"
#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

// A DaemonSet "agent" in namespace default; `extra_spec` is appended to the
// pod template's spec (indented 6 spaces).
std::string Ds(const std::string& extra_spec = "", const std::string& image = "busybox:1.36") {
  return "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n"
         "  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n"
         "      labels: {app: agent}\n    spec:\n" +
         extra_spec + "      containers:\n      - name: agent\n        image: " + image + "\n";
}

const char kTolerateControlPlane[] =
    "      tolerations:\n      - key: node-role.kubernetes.io/control-plane\n"
    "        operator: Exists\n        effect: NoSchedule\n";

nlohmann::json Json(ShellHarness& h, const std::string& cmd) {
  auto r = h.Run(cmd);
  EXPECT_EQ(r.code, 0) << cmd << ": " << r.err;
  return nlohmann::json::parse(r.out);
}

// Live (not terminating) pods of the DaemonSet by node.
std::map<std::string, nlohmann::json> PodsByNode(ShellHarness& h) {
  std::map<std::string, nlohmann::json> out;
  const nlohmann::json list = Json(h, "get pods -l app=agent -o json");
  for (const auto& p : list["items"]) {
    if (p["metadata"].contains("deletionTimestamp")) continue;
    out[p["spec"].value("nodeName", "")] = p;
  }
  return out;
}

TEST(DaemonSetTest, DefaultsAndTemplateGeneration) {
  ShellHarness h;
  h.SetStdin(Ds());
  ASSERT_EQ(h.Run("apply -f -").out, "daemonset.apps/agent created\n");
  auto ds = Json(h, "get ds agent -o json");
  EXPECT_EQ(ds["spec"]["updateStrategy"]["type"], "RollingUpdate");
  EXPECT_EQ(ds["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"], 1);
  EXPECT_EQ(ds["spec"]["updateStrategy"]["rollingUpdate"]["maxSurge"], 0);
  EXPECT_EQ(ds["spec"]["revisionHistoryLimit"], 10);
  EXPECT_EQ(ds["spec"]["template"]["spec"]["restartPolicy"], "Always");
  EXPECT_EQ(ds["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(ds["metadata"]["generation"], 1);
  EXPECT_EQ(ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"], "1");
}

TEST(DaemonSetTest, OnePodPerSchedulableNodeWithControllerFields) {
  ShellHarness h;  // control-plane (tainted NoSchedule), worker-1, worker-2
  h.SetStdin(Ds());
  h.Run("apply -f -");
  h.Run("sleep 30s");
  auto pods = PodsByNode(h);
  ASSERT_EQ(pods.size(), 2u);
  ASSERT_TRUE(pods.count("worker-1") && pods.count("worker-2"));
  const auto cr = Json(h, "get controllerrevisions -o json")["items"];
  ASSERT_EQ(cr.size(), 1u);
  const std::string hash = cr[0]["metadata"]["labels"]["controller-revision-hash"];
  EXPECT_EQ(cr[0]["metadata"]["name"], "agent-" + hash);
  EXPECT_EQ(cr[0]["revision"], 1);
  EXPECT_EQ(cr[0]["data"]["spec"]["template"]["$patch"], "replace");
  for (auto& [node, p] : pods) {
    std::string name = p["metadata"]["name"];
    EXPECT_EQ(name.rfind("agent-", 0), 0u);
    EXPECT_EQ(name.size(), std::string("agent-").size() + 5);
    EXPECT_EQ(p["metadata"]["ownerReferences"][0]["kind"], "DaemonSet");
    EXPECT_EQ(p["metadata"]["labels"]["controller-revision-hash"], hash);
    EXPECT_EQ(p["metadata"]["labels"]["pod-template-generation"], "1");
    const auto& term = p["spec"]["affinity"]["nodeAffinity"]
                        ["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0];
    EXPECT_EQ(term["matchFields"][0]["key"], "metadata.name");
    EXPECT_EQ(term["matchFields"][0]["operator"], "In");
    EXPECT_EQ(term["matchFields"][0]["values"][0], node);
    // AddOrUpdateDaemonPodTolerations, in order; no tolerationSeconds
    // (DefaultTolerationSeconds skips pods that already tolerate them).
    std::vector<std::string> keys;
    for (const auto& t : p["spec"]["tolerations"]) {
      keys.push_back(t.value("key", "") + ":" + t.value("effect", ""));
      EXPECT_FALSE(t.contains("tolerationSeconds")) << t.dump();
    }
    EXPECT_EQ(keys, (std::vector<std::string>{
                        "node.kubernetes.io/not-ready:NoExecute",
                        "node.kubernetes.io/unreachable:NoExecute",
                        "node.kubernetes.io/disk-pressure:NoSchedule",
                        "node.kubernetes.io/memory-pressure:NoSchedule",
                        "node.kubernetes.io/pid-pressure:NoSchedule",
                        "node.kubernetes.io/unschedulable:NoSchedule",
                    }));
    EXPECT_EQ(p["status"]["phase"], "Running");
  }
  auto ds = Json(h, "get ds agent -o json");
  EXPECT_EQ(ds["status"]["desiredNumberScheduled"], 2);
  EXPECT_EQ(ds["status"]["currentNumberScheduled"], 2);
  EXPECT_EQ(ds["status"]["numberReady"], 2);
  EXPECT_EQ(ds["status"]["updatedNumberScheduled"], 2);
  EXPECT_EQ(ds["status"]["numberAvailable"], 2);
  EXPECT_EQ(ds["status"]["numberMisscheduled"], 0);
  EXPECT_FALSE(ds["status"].contains("numberUnavailable"));
  EXPECT_EQ(ds["status"]["observedGeneration"], 1);
  EXPECT_EQ(h.Run("get ds").out,
            "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n"
            "agent   2         2         2       2            2           <none>          30s\n");
  EXPECT_EQ(h.Run("get controllerrevisions").out,
            "NAME               CONTROLLER             REVISION   AGE\n"
            "agent-" +
                hash + "   daemonset.apps/agent   1          30s\n");
  ASSERT_EQ(hash.size(), 10u);  // the header above is laid out for it
  auto events = h.Run("get events --field-selector involvedObject.kind=DaemonSet");
  EXPECT_NE(events.out.find("SuccessfulCreate   daemonset/agent   Created pod: agent-"),
            std::string::npos)
      << events.out;
}

TEST(DaemonSetTest, Describe) {
  ShellHarness h;
  h.SetStdin(Ds());
  h.Run("apply -f -");
  h.Run("sleep 30s");
  auto r = h.Run("describe ds agent");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string head =
      "Name:           agent\n"
      "Namespace:      default\n"
      "Selector:       app=agent\n"
      "Node-Selector:  <none>\n"
      "Labels:         <none>\n"
      "Annotations:    deprecated.daemonset.template.generation: 1\n"
      "Desired Number of Nodes Scheduled: 2\n"
      "Current Number of Nodes Scheduled: 2\n"
      "Number of Nodes Scheduled with Up-to-date Pods: 2\n"
      "Number of Nodes Scheduled with Available Pods: 2\n"
      "Number of Nodes Misscheduled: 0\n"
      "Pods Status:  2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
      "Pod Template:\n"
      "  Labels:  app=agent\n"
      "  Containers:\n"
      "   agent:\n"
      "    Image:         busybox:1.36\n"
      "    Port:          <none>\n"
      "    Host Port:     <none>\n"
      "    Environment:   <none>\n"
      "    Mounts:        <none>\n"
      "  Volumes:         <none>\n"
      "  Node-Selectors:  <none>\n"
      "  Tolerations:     <none>\n"
      "Events:\n"
      "  Type    Reason            Age   From                  Message\n"
      "  ----    ------            ----  ----                  -------\n"
      "  Normal  SuccessfulCreate  30s   daemonset-controller  Created pod: agent-";
  EXPECT_EQ(r.out.substr(0, head.size()), head) << r.out;
}

TEST(DaemonSetTest, TolerationAddsTheControlPlane) {
  ShellHarness h;
  h.SetStdin(Ds(kTolerateControlPlane));
  h.Run("apply -f -");
  h.Run("sleep 30s");
  auto pods = PodsByNode(h);
  EXPECT_EQ(pods.size(), 3u);
  EXPECT_TRUE(pods.count("control-plane"));
  EXPECT_EQ(Json(h, "get ds agent -o json")["status"]["numberReady"], 3);
}

TEST(DaemonSetTest, NodeSelectorFollowsNodeLabels) {
  ShellHarness h;
  h.SetStdin(Ds("      nodeSelector: {disk: ssd}\n"));
  h.Run("apply -f -");
  h.Run("sleep 30s");
  EXPECT_TRUE(PodsByNode(h).empty());
  EXPECT_EQ(h.Run("get ds").out,
            "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n"
            "agent   0         0         0       0            0           disk=ssd        30s\n");
  auto r = h.Run("patch node worker-2 -p '{\"metadata\":{\"labels\":{\"disk\":\"ssd\"}}}'");
  ASSERT_EQ(r.code, 0) << r.err;
  h.Run("sleep 30s");
  auto pods = PodsByNode(h);
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_TRUE(pods.count("worker-2"));
  // The label goes: the pod is no longer wanted there and is deleted.
  r = h.Run("patch node worker-2 -p '{\"metadata\":{\"labels\":{\"disk\":null}}}'");
  ASSERT_EQ(r.code, 0) << r.err;
  h.Run("sleep 60s");
  EXPECT_TRUE(PodsByNode(h).empty());
  auto events = h.Run("get events --field-selector involvedObject.kind=DaemonSet");
  EXPECT_NE(events.out.find("SuccessfulDelete   daemonset/agent   Deleted pod: agent-"),
            std::string::npos)
      << events.out;
}

TEST(DaemonSetTest, NodeAddedGetsAPodAndDeletedNodeLosesIt) {
  ShellHarness h;
  h.SetStdin(Ds());
  h.Run("apply -f -");
  h.Run("sleep 30s");
  ASSERT_EQ(h.Run("node add worker-3").code, 0);
  h.Run("sleep 30s");
  auto pods = PodsByNode(h);
  ASSERT_EQ(pods.size(), 3u);
  EXPECT_TRUE(pods.count("worker-3"));
  EXPECT_EQ(pods["worker-3"]["status"]["phase"], "Running");
  EXPECT_EQ(Json(h, "get ds agent -o json")["status"]["desiredNumberScheduled"], 3);

  ASSERT_EQ(h.Run("node delete worker-3").code, 0);
  h.Run("sleep 2m");  // the pod GC controller removes pods bound to a gone node
  pods = PodsByNode(h);
  EXPECT_EQ(pods.size(), 2u);
  EXPECT_FALSE(pods.count("worker-3"));
  auto ds = Json(h, "get ds agent -o json");
  EXPECT_EQ(ds["status"]["desiredNumberScheduled"], 2);
  EXPECT_EQ(ds["status"]["currentNumberScheduled"], 2);
}

TEST(DaemonSetTest, StoppedNodeKeepsItsDaemonPod) {
  // Daemon pods tolerate not-ready/unreachable NoExecute forever: taint
  // eviction leaves them alone.
  ShellHarness h;
  h.SetStdin(Ds());
  h.Run("apply -f -");
  h.Run("sleep 30s");
  const std::string before = PodsByNode(h)["worker-2"]["metadata"]["name"];
  ASSERT_EQ(h.Run("node stop worker-2").code, 0);
  h.Run("sleep 10m");
  auto pods = PodsByNode(h);
  ASSERT_TRUE(pods.count("worker-2"));
  EXPECT_EQ(pods["worker-2"]["metadata"]["name"], before);
  // The unreachable node's NoSchedule taint is not tolerated: the node no
  // longer counts as desired, and its surviving pod is misscheduled
  // (storeDaemonSetStatus), as `kubectl get ds` shows on a real cluster.
  auto ds = Json(h, "get ds agent -o json");
  EXPECT_EQ(ds["status"]["desiredNumberScheduled"], 1);
  EXPECT_EQ(ds["status"]["numberReady"], 1);
  EXPECT_EQ(ds["status"]["numberMisscheduled"], 1);
  // Back: the same pod is wanted again.
  ASSERT_EQ(h.Run("node start worker-2").code, 0);
  h.Run("sleep 1m");
  ds = Json(h, "get ds agent -o json");
  EXPECT_EQ(ds["status"]["desiredNumberScheduled"], 2);
  EXPECT_EQ(ds["status"]["numberReady"], 2);
  EXPECT_EQ(ds["status"]["numberMisscheduled"], 0);
  EXPECT_EQ(PodsByNode(h)["worker-2"]["metadata"]["name"], before);
}

TEST(DaemonSetTest, RollingUpdateReplacesOneNodeAtATime) {
  ShellHarness h;
  h.SetStdin(Ds(kTolerateControlPlane));
  h.Run("apply -f -");
  h.Run("sleep 30s");
  const std::string old_hash =
      PodsByNode(h)["worker-1"]["metadata"]["labels"]["controller-revision-hash"];
  h.SetStdin(Ds(kTolerateControlPlane, "busybox:1.37"));
  ASSERT_EQ(h.Run("apply -f -").out, "daemonset.apps/agent configured\n");
  auto ds = Json(h, "get ds agent -o json");
  EXPECT_EQ(ds["metadata"]["generation"], 2);
  EXPECT_EQ(ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"], "2");
  // maxUnavailable 1: at every step at most one node lacks a ready pod.
  int max_unready = 0;
  for (int i = 0; i < 40; ++i) {
    h.Run("sleep 1s");
    int ready = 0;
    for (auto& [node, p] : PodsByNode(h)) {
      for (const auto& c : p["status"].value("conditions", nlohmann::json::array())) {
        if (c["type"] == "Ready" && c["status"] == "True") ++ready;
      }
    }
    max_unready = std::max(max_unready, 3 - ready);
  }
  EXPECT_EQ(max_unready, 1);
  auto pods = PodsByNode(h);
  ASSERT_EQ(pods.size(), 3u);
  std::string new_hash;
  for (auto& [node, p] : pods) {
    EXPECT_EQ(p["spec"]["containers"][0]["image"], "busybox:1.37");
    EXPECT_EQ(p["metadata"]["labels"]["pod-template-generation"], "2");
    new_hash = p["metadata"]["labels"]["controller-revision-hash"];
  }
  EXPECT_NE(new_hash, old_hash);
  ds = Json(h, "get ds agent -o json");
  EXPECT_EQ(ds["status"]["updatedNumberScheduled"], 3);
  EXPECT_EQ(ds["status"]["numberAvailable"], 3);
  EXPECT_EQ(h.Run("rollout status ds/agent").out, "daemon set \"agent\" successfully rolled out\n");
  EXPECT_EQ(
      h.Run("rollout history ds/agent").out,
      "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
  EXPECT_EQ(Json(h, "get controllerrevisions -o json")["items"].size(), 2u);
}

TEST(DaemonSetTest, RolloutStatusWaitsForTheUpdate) {
  ShellHarness h;
  h.SetStdin(Ds());
  h.Run("apply -f -");
  h.Run("sleep 30s");
  h.SetStdin(Ds("", "busybox:1.37"));
  h.Run("apply -f -");
  auto r = h.Run("rollout status ds/agent");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Waiting for daemon set \"agent\" rollout to finish: 0 out of 2 new pods "
                       "have been updated...\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("daemon set \"agent\" successfully rolled out\n"), std::string::npos);
}

TEST(DaemonSetTest, OnDeleteWaitsForPodsToBeDeleted) {
  ShellHarness h;
  const std::string on_delete = "  updateStrategy:\n    type: OnDelete\n";
  std::string v1 = Ds();
  v1.insert(v1.find("  template:"), on_delete);
  h.SetStdin(v1);
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  h.Run("sleep 30s");
  std::string v2 = Ds("", "busybox:1.37");
  v2.insert(v2.find("  template:"), on_delete);
  h.SetStdin(v2);
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  h.Run("sleep 30s");
  auto pods = PodsByNode(h);
  ASSERT_EQ(pods.size(), 2u);
  for (auto& [node, p] : pods) EXPECT_EQ(p["spec"]["containers"][0]["image"], "busybox:1.36");
  EXPECT_EQ(Json(h, "get ds agent -o json")["status"].value("updatedNumberScheduled", 0), 0);
  const std::string old_name = pods["worker-1"]["metadata"]["name"];
  ASSERT_EQ(h.Run("delete pod " + old_name).code, 0);
  h.Run("sleep 30s");
  pods = PodsByNode(h);
  EXPECT_NE(pods["worker-1"]["metadata"]["name"], old_name);
  EXPECT_EQ(pods["worker-1"]["spec"]["containers"][0]["image"], "busybox:1.37");
  EXPECT_EQ(pods["worker-2"]["spec"]["containers"][0]["image"], "busybox:1.36");
  EXPECT_EQ(Json(h, "get ds agent -o json")["status"]["updatedNumberScheduled"], 1);
}

TEST(DaemonSetTest, FailedPodIsDeletedAndReplaced) {
  ShellHarness h;
  h.SetStdin(Ds());
  h.Run("apply -f -");
  h.Run("sleep 30s");
  nlohmann::json failed = PodsByNode(h)["worker-1"];
  const std::string name = failed["metadata"]["name"];
  // As a kubelet that rejected or lost the pod would report it.
  failed["status"]["phase"] = "Failed";
  auto admin = h.cluster().NewClient("test");
  ASSERT_TRUE(admin->UpdateStatus(api::kPods, failed).ok());
  h.Run("sleep 30s");
  auto pods = PodsByNode(h);
  ASSERT_TRUE(pods.count("worker-1"));
  EXPECT_NE(pods["worker-1"]["metadata"]["name"], name);
  EXPECT_EQ(pods["worker-1"]["status"]["phase"], "Running");
  auto events = h.Run("get events --field-selector reason=FailedDaemonPod").out;
  EXPECT_NE(events.find("Found failed daemon pod default/" + name +
                        " on node worker-1, will try to kill it"),
            std::string::npos)
      << events;
}

TEST(DaemonSetTest, DeletingTheDaemonSetDeletesPodsAndRevisions) {
  ShellHarness h;
  h.SetStdin(Ds());
  h.Run("apply -f -");
  h.Run("sleep 30s");
  ASSERT_EQ(h.Run("delete ds agent").out, "daemonset.apps \"agent\" deleted\n");
  h.Run("sleep 60s");
  EXPECT_TRUE(Json(h, "get pods -l app=agent -o json")["items"].empty());
  EXPECT_TRUE(Json(h, "get controllerrevisions -o json")["items"].empty());
}

TEST(DaemonSetTest, Validation) {
  ShellHarness h;
  std::string bad = Ds();
  bad.replace(bad.find("matchLabels: {app: agent}"), 25, "matchLabels: {app: other}");
  h.SetStdin(bad);
  auto r = h.Run("create -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("The DaemonSet \"agent\" is invalid: spec.template.metadata.labels: "
                       "Invalid value: "),
            std::string::npos)
      << r.err;
  std::string zero = Ds();
  zero.replace(zero.find("  template:"), 0,
               "  updateStrategy:\n    rollingUpdate: {maxUnavailable: 0, maxSurge: 0}\n");
  h.SetStdin(zero);
  r = h.Run("create -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: "
                       "cannot be 0 when maxSurge is 0"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(h.Run("get ds").err, "No resources found in default namespace.\n");
}

}  // namespace
}  // namespace kubesim
