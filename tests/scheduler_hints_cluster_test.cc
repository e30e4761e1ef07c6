// Whole-cluster tests of the 1.32 queueing hints of PodTopologySpread and
// InterPodAffinity, and of pod affinity matchLabelKeys merged by the API
// server: real API server, controllers, kubelets and scheduler on the
// simulated clock. A pod's retries are seen in its FailedScheduling event:
// identical failures aggregate into one event whose count is the number of
// attempts (client-go's EventCorrelator).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;
using testing::ZonedCluster;

void Create(ShellHarness& h, const std::string& manifest) {
  h.SetStdin(manifest);
  auto r = h.Run("create -f -");
  ASSERT_EQ(r.code, 0) << r.err;
}

void Sh(ShellHarness& h, const std::string& line) {
  auto r = h.Run(line);
  ASSERT_EQ(r.code, 0) << line << ": " << r.err;
}

// A bare pod; `node` set means bound by nodeName (no scheduling).
std::string Pod(const std::string& name, const std::map<std::string, std::string>& labels,
                const std::string& node = "", const std::string& extra_spec = "") {
  std::string m = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  labels:\n";
  for (const auto& [k, v] : labels) m += "    " + k + ": \"" + v + "\"\n";
  m += "spec:\n";
  if (!node.empty()) m += "  nodeName: " + node + "\n";
  m += extra_spec + "  containers:\n  - name: c\n    image: nginx:1.27\n";
  return m;
}

// The count of `pod`'s FailedScheduling event (0 without one).
int64_t FailedSchedulingCount(ShellHarness& h, const std::string& pod) {
  auto client = h.cluster().NewClient("test");
  auto list = client->List(api::kEvents, "default");
  int64_t count = 0;
  if (!list.ok()) return -1;
  for (const api::Object& e : (*list)["items"]) {
    if (api::GetString(e, "/reason") != "FailedScheduling") continue;
    if (api::GetString(e, "/involvedObject/name") != pod) continue;
    count += api::GetInt(e, "/count");
  }
  return count;
}

std::string NodeOf(ShellHarness& h, const std::string& pod) {
  auto client = h.cluster().NewClient("test");
  auto got = client->Get(api::kPods, "default", pod);
  return got.ok() ? api::GetString(*got, "/spec/nodeName") : "<error>";
}

// A pod rejected by PodTopologySpread (and TaintToleration) waits in
// unschedulablePods: an assigned pod that its selector does not match and
// a node label unrelated to its topology keys do not bring it back (the
// hints say QueueSkip, so there is no second attempt); deleting the pod
// that makes the skew does (Queue), and it is then placed.
TEST(SchedulerHintsClusterTest, TopologySpreadPodWaitsForARelevantEvent) {
  ShellHarness h(ZonedCluster(), 1);
  Sh(h, "taint nodes worker-3 dedicated=x:NoSchedule");
  Create(h, Pod("a1", {{"app", "s"}}, "worker-1"));
  Sh(h, "sleep 5s");
  Create(h, Pod("p", {{"app", "s"}}, "",
                "  topologySpreadConstraints:\n  - maxSkew: 1\n"
                "    topologyKey: topology.kubernetes.io/zone\n"
                "    whenUnsatisfiable: DoNotSchedule\n"
                "    labelSelector:\n      matchLabels:\n        app: s\n"));
  Sh(h, "sleep 10s");
  // Zone a has a1, zone b (tainted worker-3, still counted: nodeTaintsPolicy
  // Ignore) none: skew 2 in zone a.
  ASSERT_EQ(NodeOf(h, "p"), "");
  ASSERT_EQ(FailedSchedulingCount(h, "p"), 1);

  // Irrelevant: another app's pod lands in zone a; worker-1 gets a label
  // that is no topology key.
  Create(h, Pod("other", {{"app", "other"}}, "worker-2"));
  Sh(h, "label nodes worker-1 rack=r1");
  Sh(h, "sleep 60s");
  EXPECT_EQ(NodeOf(h, "p"), "");
  EXPECT_EQ(FailedSchedulingCount(h, "p"), 1) << "an irrelevant event re-queued the pod";

  // Relevant: a1 (matched by p's selector) goes; zone a's count drops to 0.
  Sh(h, "delete pod a1");
  Sh(h, "sleep 5s");
  const std::string node = NodeOf(h, "p");
  EXPECT_TRUE(node == "worker-1" || node == "worker-2") << node;
  EXPECT_EQ(FailedSchedulingCount(h, "p"), 1);
}

// The same for InterPodAffinity: a pod with required affinity to app=db
// waits; a non-matching assigned pod does not re-queue it, a matching one
// does and it goes to that pod's zone.
TEST(SchedulerHintsClusterTest, AffinityPodWaitsForAMatchingPod) {
  ShellHarness h(ZonedCluster(), 1);
  Create(h, Pod("p", {{"app", "web"}}, "",
                "  affinity:\n    podAffinity:\n"
                "      requiredDuringSchedulingIgnoredDuringExecution:\n"
                "      - labelSelector:\n          matchLabels:\n            app: db\n"
                "        topologyKey: topology.kubernetes.io/zone\n"));
  Sh(h, "sleep 10s");
  ASSERT_EQ(NodeOf(h, "p"), "");
  ASSERT_EQ(FailedSchedulingCount(h, "p"), 1);

  Create(h, Pod("cache", {{"app", "cache"}}, "worker-3"));
  Sh(h, "label nodes worker-3 rack=r1");
  Sh(h, "sleep 60s");
  EXPECT_EQ(NodeOf(h, "p"), "");
  EXPECT_EQ(FailedSchedulingCount(h, "p"), 1) << "an irrelevant event re-queued the pod";

  Create(h, Pod("db", {{"app", "db"}}, "worker-3"));
  Sh(h, "sleep 5s");
  EXPECT_EQ(NodeOf(h, "p"), "worker-3");
}

// matchLabelKeys: [pod-template-hash] narrows required anti-affinity to
// the pod's own revision. Old-revision pods on every worker do not block
// the new-revision pod (the API server merged pod-template-hash In [v2]
// into its selector); the same pod without matchLabelKeys stays Pending.
TEST(SchedulerHintsClusterTest, MatchLabelKeysNarrowAntiAffinityToTheRevision) {
  ShellHarness h(3);
  for (const char* node : {"worker-1", "worker-2", "worker-3"}) {
    Create(h, Pod(std::string("old-") + node, {{"app", "web"}, {"pod-template-hash", "v1"}}, node));
  }
  Sh(h, "sleep 5s");
  const std::string anti =
      "  affinity:\n    podAntiAffinity:\n"
      "      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "      - labelSelector:\n          matchLabels:\n            app: web\n"
      "        topologyKey: kubernetes.io/hostname\n";
  Create(h, Pod("new", {{"app", "web"}, {"pod-template-hash", "v2"}}, "",
                anti + "        matchLabelKeys: [pod-template-hash]\n"));
  Create(h, Pod("plain", {{"app", "web"}, {"pod-template-hash", "v3"}}, "", anti));
  Sh(h, "sleep 10s");
  const std::string node = NodeOf(h, "new");
  EXPECT_TRUE(node == "worker-1" || node == "worker-2" || node == "worker-3") << node;
  EXPECT_EQ(NodeOf(h, "plain"), "");

  auto r = h.Run(
      "get pod new -o jsonpath={.spec.affinity.podAntiAffinity."
      "requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector}");
  EXPECT_EQ(r.out,
            "{\"matchExpressions\":[{\"key\":\"pod-template-hash\",\"operator\":\"In\","
            "\"values\":[\"v2\"]}],\"matchLabels\":{\"app\":\"web\"}}");
}

// A Deployment's pods get their ReplicaSet's pod-template-hash merged in:
// with hostname anti-affinity on matchLabelKeys a rolling update surges a
// new pod onto nodes that still run old ones, which plain anti-affinity on
// app would forbid.
TEST(SchedulerHintsClusterTest, DeploymentRolloutWithMatchLabelKeysAntiAffinity) {
  ShellHarness h(3);
  h.SetStdin(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
      "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n"
      "      labels:\n        app: web\n    spec:\n      affinity:\n        podAntiAffinity:\n"
      "          requiredDuringSchedulingIgnoredDuringExecution:\n"
      "          - labelSelector:\n              matchLabels:\n                app: web\n"
      "            matchLabelKeys: [pod-template-hash]\n"
      "            topologyKey: kubernetes.io/hostname\n"
      "      containers:\n      - name: c\n        image: nginx:1.27\n");
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  Sh(h, "sleep 60s");
  Sh(h, "set image deployment/web c=nginx:1.28");
  auto status = h.Run("rollout status deployment/web --timeout 10m");
  EXPECT_EQ(status.code, 0) << status.out << status.err;

  // Every pod's selector carries its own hash; one pod per worker.
  auto client = h.cluster().NewClient("test");
  auto list = client->List(api::kPods, "default");
  ASSERT_TRUE(list.ok());
  std::set<std::string> nodes;
  int pods = 0;
  for (const api::Object& p : (*list)["items"]) {
    if (api::Labels(p)["app"] != "web" || api::Find(p, "/metadata/deletionTimestamp")) continue;
    ++pods;
    nodes.insert(api::GetString(p, "/spec/nodeName"));
    const std::string hash = api::Labels(p)["pod-template-hash"];
    const api::Object* terms = api::Find(
        p, "/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution");
    ASSERT_TRUE(terms && terms->is_array() && terms->size() == 1) << api::Name(p);
    const api::Object* exprs = api::Find((*terms)[0], "/labelSelector/matchExpressions");
    ASSERT_TRUE(exprs && exprs->is_array() && exprs->size() == 1) << api::Name(p);
    EXPECT_EQ((*exprs)[0], api::Object::parse("{\"key\":\"pod-template-hash\",\"operator\":\"In\","
                                              "\"values\":[\"" +
                                              hash + "\"]}"));
  }
  EXPECT_EQ(pods, 3);
  EXPECT_EQ(nodes, (std::set<std::string>{"worker-1", "worker-2", "worker-3"}));
}

}  // namespace
}  // namespace kubesim
