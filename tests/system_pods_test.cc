// The kube-system (and kube-flannel) pods of a kubeadm cluster
// (ClusterConfig::system_pods): control-plane mirror pods, the kube-proxy
// and Flannel DaemonSets on every node (including nodes added later),
// CoreDNS and the kube-dns Service.
#include <gtest/gtest.h>

#include <map>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

cluster::ClusterConfig WithSystemPods(int workers) {
  cluster::ClusterConfig c = cluster::ClusterConfig::Default(workers);
  c.system_pods = true;
  return c;
}

nlohmann::json Json(ShellHarness& h, const std::string& cmd) {
  auto r = h.Run(cmd);
  EXPECT_EQ(r.code, 0) << cmd << ": " << r.err;
  return nlohmann::json::parse(r.out);
}

std::map<std::string, nlohmann::json> PodsByName(ShellHarness& h, const std::string& ns) {
  std::map<std::string, nlohmann::json> out;
  const nlohmann::json list = Json(h, "get pods -n " + ns + " -o json");
  for (const auto& p : list["items"]) {
    out[p["metadata"]["name"]] = p;
  }
  return out;
}

bool Ready(const nlohmann::json& pod) {
  for (const auto& c : pod["status"].value("conditions", nlohmann::json::array())) {
    if (c["type"] == "Ready") return c["status"] == "True";
  }
  return false;
}

TEST(SystemPodsTest, ControlPlaneMirrorPods) {
  ShellHarness h(WithSystemPods(2), 1);
  auto pods = PodsByName(h, "kube-system");
  const auto node = Json(h, "get node control-plane -o json");
  for (const std::string c :
       {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
    const std::string name = c + "-control-plane";
    ASSERT_TRUE(pods.count(name)) << name;
    const auto& p = pods[name];
    EXPECT_EQ(p["metadata"]["labels"]["component"], c);
    EXPECT_EQ(p["metadata"]["labels"]["tier"], "control-plane");
    const auto& ann = p["metadata"]["annotations"];
    EXPECT_EQ(ann["kubernetes.io/config.source"], "file");
    EXPECT_EQ(ann["kubernetes.io/config.mirror"], ann["kubernetes.io/config.hash"]);
    EXPECT_EQ(std::string(ann["kubernetes.io/config.hash"]).size(), 32u);
    const auto& ref = p["metadata"]["ownerReferences"][0];
    EXPECT_EQ(ref["kind"], "Node");
    EXPECT_EQ(ref["name"], "control-plane");
    EXPECT_EQ(ref["uid"], node["metadata"]["uid"]);
    EXPECT_EQ(p["spec"]["priorityClassName"], "system-node-critical");
    EXPECT_EQ(p["spec"]["priority"], 2000001000);
    EXPECT_EQ(p["spec"]["nodeName"], "control-plane");
    EXPECT_EQ(p["status"]["podIP"], "192.168.49.2");  // hostNetwork: the node's address
    EXPECT_EQ(p["status"]["phase"], "Running");
    EXPECT_TRUE(Ready(p));
  }
  // The kubelet's events about a static pod carry its source UID, so
  // describe finds them.
  auto d = h.Run("describe pod -n kube-system kube-scheduler-control-plane");
  EXPECT_EQ(d.code, 0) << d.err;
  EXPECT_NE(d.out.find("already present on machine"), std::string::npos) << d.out;
}

TEST(SystemPodsTest, AddonsRunEverywhere) {
  ShellHarness h(WithSystemPods(2), 1);
  auto pods = PodsByName(h, "kube-system");
  std::map<std::string, int> proxies, dns;
  for (auto& [name, p] : pods) {
    const std::string node = p["spec"].value("nodeName", "");
    if (name.rfind("kube-proxy-", 0) == 0) {
      ++proxies[node];
      EXPECT_EQ(p["status"]["podIP"], p["status"]["hostIP"]);
      EXPECT_TRUE(Ready(p)) << name;
    }
    if (name.rfind("coredns-", 0) == 0) {
      ++dns[node];
      EXPECT_EQ(std::string(p["status"]["podIP"]).rfind("10.244.", 0), 0u);
      EXPECT_EQ(p["spec"]["priorityClassName"], "system-cluster-critical");
      EXPECT_TRUE(Ready(p)) << name;
    }
  }
  EXPECT_EQ(proxies,
            (std::map<std::string, int>{{"control-plane", 1}, {"worker-1", 1}, {"worker-2", 1}}));
  int coredns = 0;
  for (auto& [n, k] : dns) coredns += k;
  EXPECT_EQ(coredns, 2);
  auto flannel = PodsByName(h, "kube-flannel");
  EXPECT_EQ(flannel.size(), 3u);
  for (auto& [name, p] : flannel) {
    EXPECT_EQ(name.rfind("kube-flannel-ds-", 0), 0u);
    EXPECT_TRUE(Ready(p)) << name;
    // hostNetwork daemon pods also tolerate network-unavailable.
    bool network_unavailable = false;
    for (const auto& t : p["spec"]["tolerations"]) {
      network_unavailable =
          network_unavailable || t.value("key", "") == "node.kubernetes.io/network-unavailable";
    }
    EXPECT_TRUE(network_unavailable) << p["spec"]["tolerations"].dump();
  }
  const std::string svc = h.Run("get svc -n kube-system").out;
  EXPECT_EQ(
      svc.rfind("NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n"
                "kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   ",
                0),
      0u)
      << svc;
}

TEST(SystemPodsTest, NodeAddedLaterGetsDaemonPods) {
  ShellHarness h(WithSystemPods(1), 1);
  ASSERT_EQ(h.Run("node add worker-2").code, 0);
  h.Run("sleep 30s");
  int proxy = 0, flannel = 0;
  for (auto& [name, p] : PodsByName(h, "kube-system")) {
    if (name.rfind("kube-proxy-", 0) == 0 && p["spec"]["nodeName"] == "worker-2" && Ready(p))
      ++proxy;
  }
  for (auto& [name, p] : PodsByName(h, "kube-flannel")) {
    if (p["spec"]["nodeName"] == "worker-2" && Ready(p)) ++flannel;
  }
  EXPECT_EQ(proxy, 1);
  EXPECT_EQ(flannel, 1);
  auto ds = Json(h, "get ds -n kube-system kube-proxy -o json");
  EXPECT_EQ(ds["status"]["desiredNumberScheduled"], 3);
  EXPECT_EQ(ds["status"]["numberReady"], 3);
}

TEST(SystemPodsTest, StoppingTheControlPlaneNodeTakesTheApiServerDown) {
  ShellHarness h(WithSystemPods(2), 1);
  ASSERT_EQ(h.Run("node stop control-plane").code, 0);
  auto r = h.Run("get pods -A");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right "
            "host or port?\n");
  h.Run("sleep 1m");
  ASSERT_EQ(h.Run("node start control-plane").code, 0);
  h.Run("sleep 1m");
  r = h.Run("get nodes");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("NotReady"), std::string::npos) << r.out;
  for (auto& [name, p] : PodsByName(h, "kube-system")) EXPECT_TRUE(Ready(p)) << name;
}

TEST(SystemPodsTest, StoppedComponentCrashLoopsThenRecovers) {
  ShellHarness h(WithSystemPods(2), 1);
  ASSERT_EQ(h.Run("stop scheduler").code, 0);
  h.Run("sleep 1m");
  auto pod = Json(h, "get pod -n kube-system kube-scheduler-control-plane -o json");
  const auto& cs = pod["status"]["containerStatuses"][0];
  EXPECT_GE(cs["restartCount"].get<int>(), 2) << cs.dump();
  EXPECT_EQ(cs["state"]["waiting"]["reason"], "CrashLoopBackOff") << cs.dump();
  EXPECT_EQ(cs["lastState"]["terminated"]["exitCode"], 1);
  EXPECT_EQ(cs["lastState"]["terminated"]["reason"], "Error");
  EXPECT_FALSE(Ready(pod));
  EXPECT_EQ(pod["status"]["phase"], "Running");
  auto row = h.Run("get pod -n kube-system kube-scheduler-control-plane").out;
  EXPECT_NE(row.find("0/1     CrashLoopBackOff"), std::string::npos) << row;
  auto events = h.Run("get events -n kube-system --field-selector reason=BackOff").out;
  EXPECT_NE(events.find("Back-off restarting failed container kube-scheduler in pod "
                        "kube-scheduler-control-plane_kube-system("),
            std::string::npos)
      << events;
  // The other components are untouched.
  EXPECT_TRUE(Ready(Json(h, "get pod -n kube-system etcd-control-plane -o json")));

  ASSERT_EQ(h.Run("start scheduler").code, 0);
  h.Run("sleep 2m");  // the next restart, after the current back-off, succeeds
  pod = Json(h, "get pod -n kube-system kube-scheduler-control-plane -o json");
  EXPECT_TRUE(Ready(pod)) << pod["status"].dump();
  EXPECT_TRUE(pod["status"]["containerStatuses"][0]["state"].contains("running"));
  EXPECT_GE(pod["status"]["containerStatuses"][0]["restartCount"].get<int>(), 3);
}

TEST(SystemPodsTest, DeletedMirrorPodComesBack) {
  ShellHarness h(WithSystemPods(1), 1);
  auto before = Json(h, "get pod -n kube-system etcd-control-plane -o json");
  auto r = h.Run("delete pod -n kube-system etcd-control-plane");
  EXPECT_EQ(r.out, "pod \"etcd-control-plane\" deleted\n") << r.err;
  h.Run("sleep 10s");
  auto after = Json(h, "get pod -n kube-system etcd-control-plane -o json");
  EXPECT_NE(after["metadata"]["uid"], before["metadata"]["uid"]);
  EXPECT_EQ(after["metadata"]["annotations"]["kubernetes.io/config.mirror"],
            before["metadata"]["annotations"]["kubernetes.io/config.mirror"]);
  EXPECT_TRUE(Ready(after));
}

TEST(SystemPodsTest, NoWorkers) {
  ShellHarness h(WithSystemPods(0), 1);
  auto pods = PodsByName(h, "kube-system");
  int running = 0;
  for (auto& [name, p] : pods) {
    EXPECT_EQ(p["spec"]["nodeName"], "control-plane") << name;
    if (Ready(p)) ++running;
  }
  // 4 mirror pods, kube-proxy, 2 CoreDNS (they tolerate the control-plane taint).
  EXPECT_EQ(pods.size(), 7u);
  EXPECT_EQ(running, 7);
}

}  // namespace
}  // namespace kubesim
