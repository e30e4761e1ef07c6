// Node failure, taint eviction, pod GC and component stop/start, driven by
// the executor's clock through the shell (never sleeping).
#include <gtest/gtest.h>

#include <set>

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

api::Object GetObj(ShellHarness& h, const api::GroupVersionResource& gvr, const std::string& ns,
                   const std::string& name) {
  auto c = h.cluster().NewClient("test");
  auto got = c->Get(gvr, ns, name);
  return got.ok() ? *got : api::Object();
}

std::string Cond(const api::Object& obj, const std::string& type, const char* field = "status") {
  const api::Object* conds = api::Find(obj, "/status/conditions");
  if (!conds) return "";
  for (const auto& c : *conds) {
    if (c.value("type", "") == type) return c.value(field, "");
  }
  return "";
}

bool HasTaint(const api::Object& node, const std::string& key, const std::string& effect) {
  const api::Object* taints = api::Find(node, "/spec/taints");
  if (!taints) return false;
  for (const auto& t : *taints) {
    if (t.value("key", "") == key && t.value("effect", "") == effect) return true;
  }
  return false;
}

void Sleep(ShellHarness& h, const std::string& d) { ASSERT_EQ(h.Run("sleep " + d).code, 0); }

// A pod pinned to worker-2, Running; the clock is then 5 s past a lease
// renewal (renewals every 10 s from 00:00:00).
void RunPinnedPod(ShellHarness& h, const std::string& name, const std::string& node) {
  h.SetStdin("apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
             "\nspec:\n  nodeName: " + node + "\n  containers:\n  - name: c\n    image: nginx\n");
  ASSERT_EQ(h.Run("create -f -").code, 0);
  Sleep(h, "25s");  // t = 25 s
}

TEST(NodeLifecycleTest, StoppedNodeGoesNotReadyTaintedAndPodIsEvicted) {
  ShellHarness h(2);
  RunPinnedPod(h, "web", "worker-2");
  ASSERT_EQ(api::GetString(GetObj(h, api::kPods, "default", "web"), "/status/phase"), "Running");

  auto stop = h.Run("node stop worker-2");
  ASSERT_EQ(stop.code, 0) << stop.err;
  EXPECT_EQ(stop.out,
            "✋  Stopping node \"worker-2\"  ...\n🛑  Successfully stopped node worker-2\n");

  Sleep(h, "40s");
  EXPECT_EQ(Cond(GetObj(h, api::kNodes, "", "worker-2"), "Ready"), "True");
  Sleep(h, "15s");  // +55 s
  api::Object node = GetObj(h, api::kNodes, "", "worker-2");
  for (const char* type : {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}) {
    EXPECT_EQ(Cond(node, type), "Unknown") << type;
    EXPECT_EQ(Cond(node, type, "reason"), "NodeStatusUnknown");
    EXPECT_EQ(Cond(node, type, "message"), "Kubelet stopped posting node status.");
  }
  EXPECT_NE(h.Run("get nodes").out.find("worker-2        NotReady"), std::string::npos)
      << h.Run("get nodes").out;
  Sleep(h, "6s");
  node = GetObj(h, api::kNodes, "", "worker-2");
  EXPECT_TRUE(HasTaint(node, "node.kubernetes.io/unreachable", "NoSchedule"));
  EXPECT_TRUE(HasTaint(node, "node.kubernetes.io/unreachable", "NoExecute"));
  api::Object pod = GetObj(h, api::kPods, "default", "web");
  EXPECT_EQ(api::GetString(pod, "/status/phase"), "Running");
  EXPECT_EQ(Cond(pod, "Ready"), "False");
  auto events = h.Run("get events");
  EXPECT_NE(events.out.find("Node is not ready"), std::string::npos) << events.out;
  EXPECT_NE(events.out.find("Node worker-2 status is now: NodeNotReady"), std::string::npos);
  EXPECT_NE(events.out.find("Registered Node worker-2 in Controller"), std::string::npos);

  Sleep(h, "4m50s");  // toleration (300 s) not yet over
  EXPECT_FALSE(api::Find(GetObj(h, api::kPods, "default", "web"), "/metadata/deletionTimestamp"));
  Sleep(h, "15s");
  pod = GetObj(h, api::kPods, "default", "web");
  EXPECT_TRUE(api::Find(pod, "/metadata/deletionTimestamp"));
  EXPECT_EQ(Cond(pod, "DisruptionTarget", "reason"), "DeletionByTaintManager");
  EXPECT_NE(h.Run("get pods").out.find("Terminating"), std::string::npos);
  EXPECT_NE(h.Run("get events").out.find("Marking for deletion Pod default/web"),
            std::string::npos);

  ASSERT_EQ(h.Run("node start worker-2").code, 0);
  Sleep(h, "10s");
  node = GetObj(h, api::kNodes, "", "worker-2");
  EXPECT_EQ(Cond(node, "Ready"), "True");
  EXPECT_FALSE(HasTaint(node, "node.kubernetes.io/unreachable", "NoExecute"));
  EXPECT_FALSE(HasTaint(node, "node.kubernetes.io/unreachable", "NoSchedule"));
  EXPECT_TRUE(GetObj(h, api::kPods, "default", "web").is_null());
}

TEST(NodeLifecycleTest, PendingWhileAllWorkersDownThenScheduled) {
  ShellHarness h(2);
  Sleep(h, "5s");
  ASSERT_EQ(h.Run("node stop worker-1").code, 0);
  ASSERT_EQ(h.Run("node stop worker-2").code, 0);
  Sleep(h, "70s");
  ASSERT_EQ(h.Run("run late --image nginx").code, 0);
  Sleep(h, "30s");
  EXPECT_EQ(api::GetString(GetObj(h, api::kPods, "default", "late"), "/status/phase"), "Pending");
  ASSERT_EQ(h.Run("node start worker-1").code, 0);
  Sleep(h, "2m");
  EXPECT_EQ(api::GetString(GetObj(h, api::kPods, "default", "late"), "/status/phase"), "Running");
}

TEST(NodeLifecycleTest, NodeDeleteFreesTerminatingPods) {
  ShellHarness h(2);
  RunPinnedPod(h, "web", "worker-2");
  ASSERT_EQ(h.Run("node stop worker-2").code, 0);
  Sleep(h, "7m");
  ASSERT_TRUE(api::Find(GetObj(h, api::kPods, "default", "web"), "/metadata/deletionTimestamp"));
  auto del = h.Run("node delete worker-2");
  ASSERT_EQ(del.code, 0) << del.err;
  Sleep(h, "30s");
  EXPECT_FALSE(GetObj(h, api::kPods, "default", "web").is_null());  // quarantine
  Sleep(h, "40s");
  EXPECT_TRUE(GetObj(h, api::kPods, "default", "web").is_null());
}

TEST(NodeLifecycleTest, ApiServerStopAndStart) {
  ShellHarness h(2);
  auto stop = h.Run("stop apiserver");
  ASSERT_EQ(stop.code, 0) << stop.err;
  auto get = h.Run("get pods");
  EXPECT_EQ(get.code, 1);
  EXPECT_EQ(get.err,
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right "
            "host or port?\n");
  ASSERT_EQ(h.Run("start apiserver").code, 0);
  Sleep(h, "2s");
  EXPECT_EQ(h.Run("get pods").code, 0);
  ASSERT_EQ(h.Run("run after --image nginx").code, 0);
  Sleep(h, "40s");
  EXPECT_EQ(api::GetString(GetObj(h, api::kPods, "default", "after"), "/status/phase"), "Running");
}

TEST(NodeLifecycleTest, SchedulerStopAndStart) {
  ShellHarness h(2);
  ASSERT_EQ(h.Run("stop scheduler").code, 0);
  ASSERT_EQ(h.Run("run p --image nginx").code, 0);
  Sleep(h, "30s");
  EXPECT_TRUE(api::GetString(GetObj(h, api::kPods, "default", "p"), "/spec/nodeName").empty());
  ASSERT_EQ(h.Run("start scheduler").code, 0);
  Sleep(h, "30s");
  EXPECT_EQ(api::GetString(GetObj(h, api::kPods, "default", "p"), "/status/phase"), "Running");
}

TEST(NodeLifecycleTest, ControllerManagerStopHaltsEviction) {
  ShellHarness h(2);
  RunPinnedPod(h, "web", "worker-2");
  ASSERT_EQ(h.Run("stop controller-manager").code, 0);
  ASSERT_EQ(h.Run("node stop worker-2").code, 0);
  Sleep(h, "7m");
  api::Object pod = GetObj(h, api::kPods, "default", "web");
  EXPECT_FALSE(api::Find(pod, "/metadata/deletionTimestamp"));
  EXPECT_EQ(Cond(GetObj(h, api::kNodes, "", "worker-2"), "Ready"), "True");
  ASSERT_EQ(h.Run("start controller-manager").code, 0);
  Sleep(h, "7m");
  EXPECT_TRUE(api::Find(GetObj(h, api::kPods, "default", "web"), "/metadata/deletionTimestamp"));
}

TEST(NodeLifecycleTest, FullDisruptionStopsTaintingUntilANodeReturns) {
  ShellHarness h(2);
  RunPinnedPod(h, "web", "worker-2");
  for (const char* n : {"control-plane", "worker-1", "worker-2"}) {
    ASSERT_EQ(h.Run(std::string("node stop ") + n).code, 0);
  }
  Sleep(h, "7m");
  api::Object node = GetObj(h, api::kNodes, "", "worker-2");
  EXPECT_EQ(Cond(node, "Ready"), "Unknown");
  EXPECT_TRUE(HasTaint(node, "node.kubernetes.io/unreachable", "NoSchedule"));
  EXPECT_FALSE(HasTaint(node, "node.kubernetes.io/unreachable", "NoExecute"));
  EXPECT_FALSE(api::Find(GetObj(h, api::kPods, "default", "web"), "/metadata/deletionTimestamp"));
  // One node back: the zone leaves full disruption and tainting resumes
  // (with fresh 50 s grace periods).
  ASSERT_EQ(h.Run("node start worker-1").code, 0);
  Sleep(h, "2m");
  EXPECT_TRUE(HasTaint(GetObj(h, api::kNodes, "", "worker-2"), "node.kubernetes.io/unreachable",
                       "NoExecute"));
}

TEST(NodeLifecycleTest, BadInput) {
  ShellHarness h(2);
  auto r = h.Run("node stop nope");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: node \"nope\" not found\n");
  EXPECT_EQ(r.out, "");
  r = h.Run("stop kube-nothing");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error: unknown component"), std::string::npos);
  r = h.Run("node add worker-1");
  EXPECT_EQ(r.code, 1);
  r = h.Run("node add w9 --taints bad");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: invalid taint spec: bad\n");
  r = h.Run("node frob worker-1");
  EXPECT_EQ(r.code, 1);
  r = h.Run("node add worker-3 --cpu 4 --memory 16Gi --labels zone=a --taints gpu=yes:NoSchedule");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(h.Run("get nodes").out.find("worker-3"), std::string::npos);
  r = h.Run("node add worker-3");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: node \"worker-3\" already exists\n");
  EXPECT_EQ(r.out, "");
  // A deleted machine is gone: it cannot be started, its name can be reused,
  // and a new node never takes a live node's address.
  ASSERT_EQ(h.Run("node delete worker-1").code, 0);
  EXPECT_EQ(h.Run("node start worker-1").code, 1);
  ASSERT_EQ(h.Run("node add worker-4").code, 0);
  ASSERT_EQ(h.Run("node add worker-1").code, 0);
  std::set<std::string> ips;
  for (kubelet::Kubelet* k : h.cluster().kubelets()) {
    EXPECT_TRUE(ips.insert(k->config().internal_ip).second) << k->config().internal_ip;
  }
  EXPECT_EQ(ips.size(), 5u);
}

}  // namespace
}  // namespace kubesim
