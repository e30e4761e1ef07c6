// Whole-cluster scheduling tests (issue 4): real API server, controllers,
// kubelets and scheduler, driven through the shell on the simulated clock.
// Placements are checked against what kube-scheduler 1.32's default profile
// does: LeastAllocated + system-default topology spread spread a Deployment,
// the control-plane taint keeps pods off, node affinity and pod
// anti-affinity hold, zone spread constraints balance, a pod Pending for
// CPU is placed once a node is added; the same seed gives the same
// placements.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/scheduler/config.h"
#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;
using testing::ZonedCluster;

// node -> number of pods with label app=APP on it.
std::map<std::string, int> Placement(ShellHarness& h, const std::string& app) {
  auto client = h.cluster().NewClient("test");
  auto list = client->List(api::kPods, "default");
  std::map<std::string, int> out;
  if (!list.ok()) return out;
  for (const api::Object& p : (*list)["items"]) {
    if (api::Labels(p)["app"] != app) continue;
    out[api::GetString(p, "/spec/nodeName")]++;
  }
  return out;
}

std::string Deployment(const std::string& name, int replicas, const std::string& cpu,
                       const std::string& extra_spec = "") {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
         "\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector:\n    matchLabels:\n      app: " + name +
         "\n  template:\n    metadata:\n      labels:\n        app: " + name + "\n    spec:\n" +
         extra_spec + "      containers:\n      - name: c\n        image: " +
         "nginx:1.27\n        resources:\n          requests:\n            cpu: " + cpu + "\n";
}

// Events with `reason`, as "SOURCE|object|message" lines, in creation order.
std::vector<std::string> Events(ShellHarness& h, const std::string& reason) {
  auto client = h.cluster().NewClient("test");
  auto list = client->List(api::kEvents, "default");
  std::vector<std::string> out;
  if (!list.ok()) return out;
  for (const api::Object& e : (*list)["items"]) {
    if (!reason.empty() && api::GetString(e, "/reason") != reason) continue;
    out.push_back(api::GetString(e, "/source/component") + "|" +
                  api::GetString(e, "/involvedObject/name") + "|" + api::GetString(e, "/message"));
  }
  return out;
}

// "pod=node" for every pod, sorted by name.
std::string PodNodes(ShellHarness& h) {
  auto client = h.cluster().NewClient("test");
  auto list = client->List(api::kPods, "default");
  std::map<std::string, std::string> m;
  if (list.ok()) {
    for (const api::Object& p : (*list)["items"]) {
      m[api::Name(p)] = api::GetString(p, "/spec/nodeName");
    }
  }
  std::string out;
  for (const auto& [pod, node] : m) out += pod + "=" + node + "\n";
  return out;
}

void Apply(ShellHarness& h, const std::string& manifest) {
  h.SetStdin(manifest);
  auto r = h.Run("apply -f -");
  ASSERT_EQ(r.code, 0) << r.err;
  h.Run("sleep 30s");
}

TEST(SchedulerClusterTest, DeploymentSpreadsAcrossWorkersNotTheControlPlane) {
  ShellHarness h(3);
  Apply(h, Deployment("web", 6, "100m"));
  // Equal workers: LeastAllocated, BalancedAllocation and the hostname
  // system-default spread all favour the emptier node: 2 per worker, none
  // on the tainted control plane.
  EXPECT_EQ(Placement(h, "web"),
            (std::map<std::string, int>{{"worker-1", 2}, {"worker-2", 2}, {"worker-3", 2}}));
}

TEST(SchedulerClusterTest, NodeAffinityPinsToLabelledNodes) {
  ShellHarness h(ZonedCluster(), 1);
  Apply(h, Deployment("zonal", 3, "100m",
                      "      affinity:\n        nodeAffinity:\n"
                      "          requiredDuringSchedulingIgnoredDuringExecution:\n"
                      "            nodeSelectorTerms:\n            - matchExpressions:\n"
                      "              - key: topology.kubernetes.io/zone\n"
                      "                operator: In\n                values: [b]\n"));
  EXPECT_EQ(Placement(h, "zonal"), (std::map<std::string, int>{{"worker-3", 3}}));
}

TEST(SchedulerClusterTest, AntiAffinityOnePerNodeLeavesTheRestPending) {
  ShellHarness h(3);
  Apply(h, Deployment("solo", 4, "100m",
                      "      affinity:\n        podAntiAffinity:\n"
                      "          requiredDuringSchedulingIgnoredDuringExecution:\n"
                      "          - labelSelector:\n              matchLabels:\n"
                      "                app: solo\n"
                      "            topologyKey: kubernetes.io/hostname\n"));
  EXPECT_EQ(Placement(h, "solo"), (std::map<std::string, int>{
                                      {"", 1}, {"worker-1", 1}, {"worker-2", 1}, {"worker-3", 1}}));
  std::vector<std::string> events = Events(h, "FailedScheduling");
  ASSERT_FALSE(events.empty());
  const std::string& last = events.back();
  EXPECT_EQ(last.substr(last.rfind('|') + 1),
            "0/4 nodes are available: 1 node(s) had untolerated taint "
            "{node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match pod "
            "anti-affinity rules. preemption: 0/4 nodes are available: 1 Preemption is not "
            "helpful for scheduling, 3 No preemption victims found for incoming pod.");
  EXPECT_EQ(last.substr(0, last.find('|')), "default-scheduler");
}

// InterPodAffinity's namespaceSelector (interpodaffinity/plugin.go
// mergeAffinityTermNamespacesIfNotEmpty; framework.AffinityTerm.Matches with
// the incoming pod's namespace labels): terms select pods in the namespaces
// whose labels match, for the incoming pod's terms and for existing pods'.
TEST(SchedulerClusterTest, AffinityNamespaceSelectorUsesNamespaceLabels) {
  ShellHarness h;
  ASSERT_EQ(h.Run("create namespace team").code, 0);
  ASSERT_EQ(h.Run("label namespace team env=prod").code, 0);
  auto pod = [](const std::string& name, const std::string& ns, const std::string& labels,
                const std::string& spec_extra) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + ns +
           "\n  labels: {" + labels + "}\nspec:\n" + spec_extra +
           "  containers:\n  - name: c\n    image: nginx\n";
  };
  // db on worker-1, in team (env=prod); guard on worker-2, in team, keeps
  // pods labelled app=intruder from namespaces named "default" off its node.
  Apply(h, pod("db", "team", "app: db", "  nodeSelector: {kubernetes.io/hostname: worker-1}\n"));
  Apply(h, pod("guard", "team", "app: guard",
               "  nodeSelector: {kubernetes.io/hostname: worker-2}\n"
               "  affinity:\n    podAntiAffinity:\n"
               "      requiredDuringSchedulingIgnoredDuringExecution:\n"
               "      - labelSelector: {matchLabels: {app: intruder}}\n"
               "        namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: default}}\n"
               "        topologyKey: kubernetes.io/hostname\n"));
  // The incoming pod's terms: near follows db into worker-1 through the
  // namespace's label; nowhere selects no namespace and stays Pending.
  const std::string affinity_to_db =
      "  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "      - labelSelector: {matchLabels: {app: db}}\n"
      "        namespaceSelector: {matchLabels: {env: ENV}}\n"
      "        topologyKey: kubernetes.io/hostname\n";
  auto with_env = [&](const std::string& env) {
    std::string a = affinity_to_db;
    a.replace(a.find("ENV"), 3, env);
    return a;
  };
  Apply(h, pod("near", "default", "app: near", with_env("prod")));
  Apply(h, pod("nowhere", "default", "app: nowhere", with_env("dev")));
  // An existing pod's term: intruder (in default) may not join guard.
  Apply(h, pod("intruder", "default", "app: intruder",
               "  nodeSelector: {kubernetes.io/hostname: worker-2}\n"));
  h.Run("sleep 5");
  EXPECT_EQ(h.Run("get pod near -o jsonpath={.spec.nodeName}").out, "worker-1");
  EXPECT_EQ(h.Run("get pod nowhere -o jsonpath={.spec.nodeName}").out, "");
  EXPECT_EQ(h.Run("get pod intruder -o jsonpath={.spec.nodeName}").out, "");
  std::string why = h.Run("get events --field-selector involvedObject.name=intruder").out;
  EXPECT_NE(why.find("didn't satisfy existing pods anti-affinity rules"), std::string::npos) << why;
  why = h.Run("get events --field-selector involvedObject.name=nowhere").out;
  EXPECT_NE(why.find("didn't match pod affinity rules"), std::string::npos) << why;
}

TEST(SchedulerClusterTest, TopologySpreadAcrossZones) {
  ShellHarness h(ZonedCluster(), 1);
  // Zone a has two workers, zone b one; maxSkew 1 by zone keeps 2/2.
  Apply(h, Deployment("spread", 4, "100m",
                      "      topologySpreadConstraints:\n      - maxSkew: 1\n"
                      "        topologyKey: topology.kubernetes.io/zone\n"
                      "        whenUnsatisfiable: DoNotSchedule\n"
                      "        labelSelector:\n          matchLabels:\n            app: spread\n"));
  std::map<std::string, int> by_node = Placement(h, "spread");
  EXPECT_EQ(by_node["worker-3"], 2);
  EXPECT_EQ(by_node["worker-1"] + by_node["worker-2"], 2);
  EXPECT_EQ(by_node[""], 0);
}

TEST(SchedulerClusterTest, PendingForCpuThenPlacedWhenANodeJoins) {
  ShellHarness h(1);
  Apply(h, Deployment("big", 1, "3"));
  EXPECT_EQ(Placement(h, "big"), (std::map<std::string, int>{{"", 1}}));
  auto why = h.Run("get pods -o name");
  ASSERT_EQ(why.code, 0);
  const std::string pod = why.out.substr(4, why.out.find('\n') - 4);
  auto explained = h.Run("why pod " + pod);
  EXPECT_EQ(explained.code, 0) << explained.err;
  EXPECT_NE(explained.out.find("free 1 cpu on worker-1"), std::string::npos) << explained.out;
  kubelet::NodeConfig n;
  n.name = "worker-big";
  n.cpu_millis = 8000;
  ASSERT_TRUE(h.cluster().AddNode(n).ok());
  h.Run("sleep 30s");
  EXPECT_EQ(Placement(h, "big"), (std::map<std::string, int>{{"worker-big", 1}}));
}

TEST(SchedulerClusterTest, SameSeedSamePlacements) {
  auto run = [] {
    ShellHarness h(4, 7);
    Apply(h, Deployment("a", 9, "100m"));
    Apply(h, Deployment("b", 5, "300m"));
    return PodNodes(h);
  };
  const std::string first = run();
  EXPECT_EQ(std::count(first.begin(), first.end(), '\n'), 14) << first;
  EXPECT_EQ(first.find("=\n"), std::string::npos) << "all bound: " << first;
  EXPECT_EQ(first, run());
}

TEST(SchedulerClusterTest, UnknownSchedulerNameStaysPendingWithoutEvents) {
  ShellHarness h(2);
  h.SetStdin(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: other\nspec:\n  schedulerName: nope\n"
      "  containers:\n  - name: c\n    image: nginx\n");
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  h.Run("sleep 1m");
  EXPECT_EQ(PodNodes(h), "other=\n");
  for (const std::string& e : Events(h, "")) {
    EXPECT_EQ(e.find("|other|"), std::string::npos) << e;
  }
  auto why = h.Run("why pod other");
  EXPECT_EQ(why.code, 1);
}

TEST(SchedulerClusterTest, SecondProfileSchedulesItsPods) {
  cluster::ClusterConfig c = cluster::ClusterConfig::Default(2);
  auto config = scheduler::ParseSchedulerConfig(
      "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
      "profiles:\n- schedulerName: default-scheduler\n- schedulerName: packer\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  c.scheduler_config = *config;
  ShellHarness h(c, 1);
  h.SetStdin(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: packed\nspec:\n  schedulerName: packer\n"
      "  containers:\n  - name: c\n    image: nginx\n");
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  h.Run("sleep 30s");
  std::vector<std::string> events = Events(h, "Scheduled");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].substr(0, events[0].find("worker-")),
            "packer|packed|Successfully assigned default/packed to ");
}

TEST(SchedulerClusterTest, WhyShowsFiltersScoresAndTieBreak) {
  ShellHarness h(2);
  h.Run("run web --image nginx:1.27");
  h.Run("sleep 10s");
  auto r = h.Run("why pod web");
  ASSERT_EQ(r.code, 0) << r.err;
  // Both workers are empty and equal: every plugin scores them alike, so
  // the pick is a tie broken by reservoir sampling.
  EXPECT_NE(r.out.find("control-plane   rejected   TaintToleration   node(s) had untolerated "
                       "taint {node-role.kubernetes.io/control-plane: }"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("2 nodes tied for the highest total; reservoir sampling"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("NodeResourcesFit"), std::string::npos);
  auto j = h.Run("why pod web -o json");
  ASSERT_EQ(j.code, 0);
  auto parsed = api::Object::parse(j.out);
  EXPECT_EQ(parsed["result"], "Scheduled");
  EXPECT_EQ(parsed["nodes"]["total"], 3);
  EXPECT_EQ(parsed["selection"]["tied"], 2);
  EXPECT_EQ(parsed["rows"].size(), 3u);
}

// 500 kubelet-less nodes: adaptive percentageOfNodesToScore is
// 50 - 500/125 = 46% -> 230 nodes to find; filtering starts where the last
// attempt stopped (nextStartNodeIndex). A profile setting of 10% gives
// 50, raised to the minimum of 100 (schedule_one.go numFeasibleNodesToFind).
void AddBareNodes(ShellHarness& h, int n) {
  auto client = h.cluster().NewClient("test");
  for (int i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "n-%03d", i);
    api::Object res = {{"cpu", "4"}, {"memory", "32Gi"}, {"pods", "110"}};
    api::Object node = {
        {"apiVersion", "v1"},
        {"kind", "Node"},
        {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
        {"spec", api::Object::object()},
        {"status",
         {{"capacity", res},
          {"allocatable", res},
          {"conditions", api::Object::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
    ASSERT_TRUE(client->Create(api::kNodes, "", node).ok());
  }
  h.cluster().executor().RunUntilIdle();
}

api::Object Why(ShellHarness& h, const std::string& pod) {
  auto r = h.Run("why pod " + pod + " -o json");
  EXPECT_EQ(r.code, 0) << r.err;
  return r.code == 0 ? api::Object::parse(r.out) : api::Object();
}

TEST(SchedulerClusterTest, AdaptiveSamplingRotatesStartIndex) {
  ShellHarness h(0);
  AddBareNodes(h, 500);
  h.Run("run a --image nginx:1.27");
  h.Run("run b --image nginx:1.27");
  h.Run("sleep 5s");
  api::Object a = Why(h, "a"), b = Why(h, "b");
  EXPECT_EQ(a["nodes"]["total"], 501);  // + the control plane
  EXPECT_EQ(a["nodes"]["toFind"], 230);
  EXPECT_EQ(a["nodes"]["evaluated"], 231);  // the tainted control plane is passed over
  EXPECT_EQ(a["nodes"]["feasible"], 230);
  EXPECT_EQ(a["nodes"]["startIndex"], 0);
  EXPECT_EQ(b["nodes"]["startIndex"], 231);
  EXPECT_EQ(b["rows"].size(), 230u);
}

TEST(SchedulerClusterTest, ProfilePercentageOfNodesToScore) {
  cluster::ClusterConfig c = cluster::ClusterConfig::Default(0);
  auto config = scheduler::ParseSchedulerConfig(
      "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
      "percentageOfNodesToScore: 50\n"
      "profiles:\n- schedulerName: default-scheduler\n  percentageOfNodesToScore: 10\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  c.scheduler_config = *config;
  ShellHarness h(c, 1);
  AddBareNodes(h, 500);
  h.Run("run a --image nginx:1.27");
  h.Run("sleep 5s");
  EXPECT_EQ(Why(h, "a")["nodes"]["toFind"], 100);
}

}  // namespace
}  // namespace kubesim
