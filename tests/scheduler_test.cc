// Tests for the scheduler: plugins as pure functions (scores hand-checked
// against the upstream formulas), the FitError message, the scheduling
// queue's backoff, and whole scheduling runs against a real ApiServer,
// driven only by the Executor's simulated clock.
#include "kubesim/scheduler/scheduler.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../src/scheduler/framework.h"
#include "../src/scheduler/node_info.h"
#include "../src/scheduler/plugins/plugins.h"
#include "../src/scheduler/scheduling_queue.h"
#include "kubesim/api/api_server.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/resource.h"
#include "kubesim/client/client.h"
#include "kubesim/sim/executor.h"
#include "kubesim/store/store.h"

namespace kubesim::scheduler {
namespace {

using api::Object;
using framework::Code;
using framework::CycleState;
using framework::NodeScore;

const Time kStart = Time(seconds(1735689600));  // 2025-01-01T00:00:00Z

// --- Object builders -------------------------------------------------------

struct NodeSpec {
  std::string name;
  std::string cpu = "4";
  std::string memory = "8Gi";
  std::string pods = "110";
  std::map<std::string, std::string> labels;
  Object taints = Object::array();
  bool unschedulable = false;
};

Object MakeNode(const NodeSpec& n) {
  Object labels = {{"kubernetes.io/hostname", n.name}};
  for (const auto& [k, v] : n.labels) labels[k] = v;
  Object resources = {{"cpu", n.cpu}, {"memory", n.memory}, {"pods", n.pods}};
  Object node = {{"apiVersion", "v1"},
                 {"kind", "Node"},
                 {"metadata", {{"name", n.name}, {"labels", labels}}},
                 {"spec", Object::object()},
                 {"status",
                  {{"capacity", resources},
                   {"allocatable", resources},
                   {"conditions", Object::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
  if (!n.taints.empty()) node["spec"]["taints"] = n.taints;
  if (n.unschedulable) node["spec"]["unschedulable"] = true;
  return node;
}

Object Taint(const std::string& key, const std::string& value, const std::string& effect) {
  Object t = {{"key", key}, {"effect", effect}};
  if (!value.empty()) t["value"] = value;
  return t;
}

Object MakePod(const std::string& name, const std::string& cpu = "",
               const std::string& memory = "") {
  Object requests = Object::object();
  if (!cpu.empty()) requests["cpu"] = cpu;
  if (!memory.empty()) requests["memory"] = memory;
  Object container = {{"name", "app"}, {"image", "nginx"}};
  if (!requests.empty()) container["resources"] = {{"requests", requests}};
  return Object{{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"name", name}, {"namespace", "default"}}},
                {"spec", {{"containers", Object::array({container})}}}};
}

std::shared_ptr<const PodInfo> PodInfoOf(Object pod) {
  return NewPodInfo(api::Share(std::move(pod)));
}

NodeInfo NodeInfoOf(const NodeSpec& spec) {
  NodeInfo info(spec.name);
  info.SetNode(api::Share(MakeNode(spec)));
  return info;
}

// Adds a bound pod to `node` (its requests count against the node).
void AddBoundPod(NodeInfo& node, const std::string& name, const std::string& cpu,
                 const std::string& memory) {
  Object pod = MakePod(name, cpu, memory);
  pod["metadata"]["uid"] = "uid-" + name;
  pod["spec"]["nodeName"] = node.name();
  node.AddPod(PodInfoOf(pod));
}

// --- Pure plugin tests -------------------------------------------------------

TEST(SchedulerPluginsTest, PodRequestsSumContainersMaxInitAddOverhead) {
  // component-helpers PodRequests: containers summed (1 + 0.5 cpu), init
  // containers as a max (2 cpu wins), overhead added (100m).
  Object pod = MakePod("p", "1", "1Gi");
  pod["spec"]["containers"].push_back(
      {{"name", "b"}, {"image", "x"}, {"resources", {{"requests", {{"cpu", "500m"}}}}}});
  pod["spec"]["initContainers"] = Object::array(
      {{{"name", "init"}, {"image", "x"}, {"resources", {{"requests", {{"cpu", "2"}}}}}}});
  pod["spec"]["overhead"] = {{"cpu", "100m"}, {"memory", "10Mi"}};
  auto info = PodInfoOf(pod);
  EXPECT_EQ(info->requests.milli_cpu, 2100);
  EXPECT_EQ(info->requests.memory, (1LL << 30) + 10 * (1LL << 20));
  // Non-zero defaults: container "b" has no memory request -> +200Mi; the
  // init container none either -> max(2 cpu, ...) as before.
  EXPECT_EQ(info->non0_milli_cpu, 2100);
  EXPECT_EQ(info->non0_memory, (1LL << 30) + 200 * (1LL << 20) + 10 * (1LL << 20));
}

TEST(SchedulerPluginsTest, BestEffortPodCountsDefaultsOnlyForScoring) {
  auto info = PodInfoOf(MakePod("p"));
  EXPECT_EQ(info->requests.milli_cpu, 0);
  EXPECT_EQ(info->requests.memory, 0);
  EXPECT_EQ(info->non0_milli_cpu, kDefaultMilliCpuRequest);
  EXPECT_EQ(info->non0_memory, kDefaultMemoryRequest);
}

TEST(SchedulerPluginsTest, FitReasonsInUpstreamOrder) {
  NodeInfo node = NodeInfoOf({.name = "n", .cpu = "1", .memory = "1Gi", .pods = "1"});
  AddBoundPod(node, "a", "500m", "512Mi");
  auto pod = PodInfoOf(MakePod("p", "600m", "600Mi"));
  EXPECT_EQ(plugins::InsufficientResources(pod->requests, node),
            (std::vector<std::string>{"Too many pods", "Insufficient cpu", "Insufficient memory"}));
  // A best-effort pod can only run out of pod slots.
  EXPECT_EQ(plugins::InsufficientResources(PodInfoOf(MakePod("q"))->requests, node),
            (std::vector<std::string>{"Too many pods"}));
  // Exactly the free amount fits.
  NodeInfo roomy = NodeInfoOf({.name = "m", .cpu = "1", .memory = "1Gi"});
  AddBoundPod(roomy, "a", "400m", "512Mi");
  EXPECT_TRUE(
      plugins::InsufficientResources(PodInfoOf(MakePod("p", "600m", "512Mi"))->requests, roomy)
          .empty());
}

TEST(SchedulerPluginsTest, LeastAllocatedScores) {
  // least_allocated.go: ((capacity - requested) * 100) / capacity per
  // resource, then the weighted mean (cpu:1, memory:1), integer division.
  EXPECT_EQ(plugins::LeastRequestedScore(2000, 4000), 50);
  EXPECT_EQ(plugins::LeastRequestedScore(3000, 4000), 25);
  EXPECT_EQ(plugins::LeastRequestedScore(5000, 4000), 0);  // over capacity
  EXPECT_EQ(plugins::LeastRequestedScore(1, 0), 0);
  // cpu 25, memory 50 -> 37 (75/2 truncated).
  EXPECT_EQ(plugins::LeastAllocatedScore({3000, 4096}, {4000, 8192}, {1, 1}), 37);
  // A resource with zero allocatable is left out of the mean.
  EXPECT_EQ(plugins::LeastAllocatedScore({3000, 10}, {4000, 0}, {1, 1}), 25);

  // Through the plugin: node 4 cpu / 8Gi with a bound 1 cpu / 2Gi pod; the
  // incoming pod asks 1 cpu / 2Gi: cpu (4000-2000)*100/4000 = 50, memory
  // (8-4)/8 = 50 -> 50.
  NodeInfo node = NodeInfoOf({.name = "n"});
  AddBoundPod(node, "a", "1", "2Gi");
  auto pod = PodInfoOf(MakePod("p", "1", "2Gi"));
  plugins::NodeResourcesFit fit;
  CycleState state;
  framework::Status s;
  ASSERT_TRUE(fit.PreScore(state, *pod, {&node}).IsSuccess());
  EXPECT_EQ(fit.Score(state, *pod, node, &s), 50);
  // A best-effort pod on an empty 1 cpu / 1000Mi node counts as 100m /
  // 200Mi: cpu 900*100/1000 = 90, memory 800*100/1000 = 80 -> 85.
  NodeInfo small = NodeInfoOf({.name = "s", .cpu = "1", .memory = "1000Mi"});
  auto be = PodInfoOf(MakePod("be"));
  CycleState state2;
  ASSERT_TRUE(fit.PreScore(state2, *be, {&small}).IsSuccess());
  EXPECT_EQ(fit.Score(state2, *be, small, &s), 85);
}

TEST(SchedulerPluginsTest, BalancedAllocationScores) {
  // balanced_allocation.go (1.32): std of the two fractions is |f1-f2|/2;
  // score = (1 - std) * 100, truncated.
  // cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5: std 0.125 -> 87.
  EXPECT_EQ(plugins::BalancedResourceScore({3000, 5000}, {4000, 10000}), 87);
  // Equal fractions: 100. Fractions are capped at 1: (1, 0) -> std 0.5 -> 50.
  EXPECT_EQ(plugins::BalancedResourceScore({2000, 4000}, {4000, 8000}), 100);
  EXPECT_EQ(plugins::BalancedResourceScore({8000, 0}, {4000, 8000}), 50);
  // Three resources: std over the mean. (0.2, 0.5, 0.8): mean 0.5, std
  // sqrt(0.18/3) = 0.2449 -> 75.
  EXPECT_EQ(plugins::BalancedResourceScore({2, 5, 8}, {10, 10, 10}), 75);

  // Through the plugin (useRequested: requests without defaults): node 4
  // cpu / 8Gi with 1 cpu / 1Gi bound, pod 1 cpu / 1Gi -> 0.5 vs 0.25 ->
  // std 0.125 -> 87.
  NodeInfo node = NodeInfoOf({.name = "n"});
  AddBoundPod(node, "a", "1", "1Gi");
  auto pod = PodInfoOf(MakePod("p", "1", "1Gi"));
  plugins::NodeResourcesBalancedAllocation ba;
  CycleState state;
  framework::Status s;
  ASSERT_TRUE(ba.PreScore(state, *pod, {&node}).IsSuccess());
  EXPECT_EQ(ba.Score(state, *pod, node, &s), 87);
}

TEST(SchedulerPluginsTest, TaintTolerationFilterAndScore) {
  plugins::TaintToleration tt;
  CycleState state;
  Object cp_taints =
      Object::array({Taint("node-role.kubernetes.io/control-plane", "", "NoSchedule")});
  NodeInfo cp = NodeInfoOf({.name = "cp", .taints = cp_taints});
  auto pod = PodInfoOf(MakePod("p"));
  framework::Status s = tt.Filter(state, *pod, cp);
  EXPECT_EQ(s.code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(s.Message(), "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");

  NodeInfo dedicated =
      NodeInfoOf({.name = "d", .taints = Object::array({Taint("dedicated", "gpu", "NoExecute")})});
  EXPECT_EQ(tt.Filter(state, *pod, dedicated).Message(),
            "node(s) had untolerated taint {dedicated: gpu}");

  // Exists with an empty key tolerates everything; Equal needs the value.
  Object tolerant = MakePod("t");
  tolerant["spec"]["tolerations"] = Object::array({{{"operator", "Exists"}}});
  EXPECT_TRUE(tt.Filter(state, *PodInfoOf(tolerant), dedicated).IsSuccess());
  Object wrong_value = MakePod("w");
  wrong_value["spec"]["tolerations"] =
      Object::array({{{"key", "dedicated"}, {"operator", "Equal"}, {"value", "cpu"}}});
  EXPECT_FALSE(tt.Filter(state, *PodInfoOf(wrong_value), dedicated).IsSuccess());

  // PreferNoSchedule taints don't filter, they score: counts 0, 1, 2 ->
  // DefaultNormalizeScore reversed: 100, 50, 0.
  NodeInfo n0 = NodeInfoOf({.name = "n0"});
  NodeInfo n1 =
      NodeInfoOf({.name = "n1", .taints = Object::array({Taint("a", "", "PreferNoSchedule")})});
  NodeInfo n2 = NodeInfoOf({.name = "n2",
                            .taints = Object::array({Taint("a", "", "PreferNoSchedule"),
                                                     Taint("b", "", "PreferNoSchedule")})});
  EXPECT_TRUE(tt.Filter(state, *pod, n2).IsSuccess());
  ASSERT_TRUE(tt.PreScore(state, *pod, {&n0, &n1, &n2}).IsSuccess());
  std::vector<NodeScore> scores;
  for (NodeInfo* n : {&n0, &n1, &n2}) scores.push_back({n->name(), tt.Score(state, *pod, *n, &s)});
  EXPECT_EQ(scores[0].score, 0);
  EXPECT_EQ(scores[1].score, 1);
  EXPECT_EQ(scores[2].score, 2);
  ASSERT_TRUE(tt.NormalizeScore(state, *pod, scores).IsSuccess());
  EXPECT_EQ(scores[0].score, 100);
  EXPECT_EQ(scores[1].score, 50);
  EXPECT_EQ(scores[2].score, 0);
}

TEST(SchedulerPluginsTest, NodeUnschedulableToleratedByUnschedulableTaint) {
  plugins::NodeUnschedulable nu;
  CycleState state;
  NodeInfo cordoned = NodeInfoOf({.name = "c", .unschedulable = true});
  EXPECT_EQ(nu.Filter(state, *PodInfoOf(MakePod("p")), cordoned).Message(),
            "node(s) were unschedulable");
  Object pod = MakePod("t");
  pod["spec"]["tolerations"] = Object::array({{{"key", "node.kubernetes.io/unschedulable"},
                                               {"operator", "Exists"},
                                               {"effect", "NoSchedule"}}});
  EXPECT_TRUE(nu.Filter(state, *PodInfoOf(pod), cordoned).IsSuccess());
}

TEST(SchedulerPluginsTest, NodeAffinityFilterAndPreferredScore) {
  plugins::NodeAffinity na;
  NodeInfo ssd = NodeInfoOf({.name = "ssd", .labels = {{"disk", "ssd"}, {"gen", "5"}}});
  NodeInfo hdd = NodeInfoOf({.name = "hdd", .labels = {{"disk", "hdd"}, {"gen", "3"}}});

  Object pod = MakePod("p");
  pod["spec"]["nodeSelector"] = {{"disk", "ssd"}};
  auto info = PodInfoOf(pod);
  CycleState state;
  framework::PreFilterResult res;
  ASSERT_TRUE(na.PreFilter(state, *info, &res).IsSuccess());
  EXPECT_TRUE(na.Filter(state, *info, ssd).IsSuccess());
  EXPECT_EQ(na.Filter(state, *info, hdd).Message(),
            "node(s) didn't match Pod's node affinity/selector");

  // required matchExpressions: Gt on an integer label; terms are ORed.
  Object aff = MakePod("a");
  aff["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms",
       Object::array({{{"matchExpressions",
                        Object::array({{{"key", "gen"}, {"operator", "Gt"}, {"values", {"4"}}}})}},
                      {{"matchFields", Object::array({{{"key", "metadata.name"},
                                                       {"operator", "In"},
                                                       {"values", {"nowhere"}}}})}}})}};
  auto aff_info = PodInfoOf(aff);
  CycleState state2;
  ASSERT_TRUE(na.PreFilter(state2, *aff_info, &res).IsSuccess());
  EXPECT_TRUE(res.AllNodes());  // the first term has no metadata.name field
  EXPECT_TRUE(na.Filter(state2, *aff_info, ssd).IsSuccess());
  EXPECT_FALSE(na.Filter(state2, *aff_info, hdd).IsSuccess());

  // A pod without selector or required affinity skips the filter.
  CycleState state3;
  EXPECT_TRUE(na.PreFilter(state3, *PodInfoOf(MakePod("plain")), &res).IsSkip());

  // Preferred terms: ssd matches weights 2 + 3 = 5, hdd only 3 ->
  // normalized (max 5): 100, 60.
  Object pref = MakePod("pref");
  pref["spec"]["affinity"]["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] =
      Object::array(
          {{{"weight", 2},
            {"preference",
             {{"matchExpressions",
               Object::array({{{"key", "disk"}, {"operator", "In"}, {"values", {"ssd"}}}})}}}},
           {{"weight", 3},
            {"preference",
             {{"matchExpressions", Object::array({{{"key", "gen"}, {"operator", "Exists"}}})}}}}});
  auto pref_info = PodInfoOf(pref);
  CycleState state4;
  framework::Status s;
  ASSERT_TRUE(na.PreScore(state4, *pref_info, {&ssd, &hdd}).IsSuccess());
  std::vector<NodeScore> scores = {{"ssd", na.Score(state4, *pref_info, ssd, &s)},
                                   {"hdd", na.Score(state4, *pref_info, hdd, &s)}};
  EXPECT_EQ(scores[0].score, 5);
  EXPECT_EQ(scores[1].score, 3);
  ASSERT_TRUE(na.NormalizeScore(state4, *pref_info, scores).IsSuccess());
  EXPECT_EQ(scores[0].score, 100);
  EXPECT_EQ(scores[1].score, 60);
  // No preferred terms: PreScore skips the plugin.
  EXPECT_TRUE(na.PreScore(state4, *PodInfoOf(MakePod("x")), {&ssd}).IsSkip());
}

TEST(SchedulerPluginsTest, DefaultNormalizeScore) {
  std::vector<NodeScore> scores = {{"a", 0}, {"b", 0}};
  framework::DefaultNormalizeScore(100, /*reverse=*/false, scores);
  EXPECT_EQ(scores[0].score, 0);
  framework::DefaultNormalizeScore(100, /*reverse=*/true, scores);
  EXPECT_EQ(scores[0].score, 100);  // all zero + reverse -> max
  std::vector<NodeScore> s2 = {{"a", 1}, {"b", 3}};
  framework::DefaultNormalizeScore(100, false, s2);
  EXPECT_EQ(s2[0].score, 33);
  EXPECT_EQ(s2[1].score, 100);
}

TEST(SchedulerFrameworkTest, FitErrorMessageSortsReasonHistogram) {
  // types.go FitError.Error(): "<count> <reason>" strings sorted as strings.
  framework::Diagnosis d;
  d.node_to_status.Set("cp", framework::Status(Code::kUnschedulableAndUnresolvable,
                                               {"node(s) had untolerated taint "
                                                "{node-role.kubernetes.io/control-plane: }"}));
  d.node_to_status.Set("w1", framework::Status(Code::kUnschedulable, {"Insufficient cpu"}));
  d.node_to_status.Set(
      "w2", framework::Status(Code::kUnschedulable, {"Insufficient cpu", "Insufficient memory"}));
  d.post_filter_msg = "preemption: x.";
  EXPECT_EQ(framework::FitErrorMessage(3, d),
            "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint "
            "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: x.");
  // A PreFilter rejection replaces the per-node histogram.
  framework::Diagnosis pre;
  pre.pre_filter_msg = "pod affinity terms conflict";
  EXPECT_EQ(framework::FitErrorMessage(2, pre),
            "0/2 nodes are available: pod affinity terms conflict.");
}

TEST(SchedulerQueueTest, BackoffDoublesToTenSeconds) {
  SimulatedClock clock(kStart);
  std::map<std::string, std::vector<framework::ClusterEventWithHint>> hints;
  SchedulingQueue q(clock, &hints);
  QueuedPodInfo p;
  const std::vector<int> expected = {0, 1, 2, 4, 8, 10, 10};
  for (int attempts = 0; attempts < static_cast<int>(expected.size()); ++attempts) {
    p.attempts = attempts;
    EXPECT_EQ(q.BackoffDuration(p), std::chrono::seconds(expected[attempts])) << attempts;
  }
}

TEST(SchedulerQueueTest, PrioritySortThenTimestamp) {
  SimulatedClock clock(kStart);
  std::map<std::string, std::vector<framework::ClusterEventWithHint>> hints;
  SchedulingQueue q(clock, &hints);
  auto pod = [](const std::string& name, int priority) {
    Object p = MakePod(name);
    p["metadata"]["uid"] = "uid-" + name;
    p["spec"]["priority"] = priority;
    return PodInfoOf(p);
  };
  q.Add(pod("low-early", 0));
  clock.Set(kStart + seconds(1));
  q.Add(pod("high", 100));
  q.Add(pod("low-late", 0));
  EXPECT_EQ(q.Pop()->pod_info->name, "high");
  EXPECT_EQ(q.Pop()->pod_info->name, "low-early");
  EXPECT_EQ(q.Pop()->pod_info->name, "low-late");
  EXPECT_TRUE(q.Pop() == nullptr);
}

// --- Whole runs against a real ApiServer -------------------------------------

class Env {
 public:
  explicit Env(uint64_t seed = 1) {
    executor = Executor::Create(kStart);
    store = store::Store::CreateInMemory();
    server = api::ApiServer::Create(store.get(), executor.get(), api::NewBuiltinRegistry(), {});
    client = client::NewLocalClient(server.get(), "test");
    sched_client = client::NewLocalClient(server.get(), "kube-scheduler");
    EXPECT_TRUE(client->Create(api::kNamespaces, "", {{"metadata", {{"name", "default"}}}}).ok());
    SchedulerOptions options;
    options.seed = seed;
    scheduler = Scheduler::Create(sched_client.get(), executor.get(), options);
  }
  ~Env() {
    scheduler.reset();
    server.reset();
  }

  void Start() {
    scheduler->Start();
    executor->RunUntilIdle();
  }
  void AddNode(const NodeSpec& spec) {
    auto r = client->Create(api::kNodes, "", MakeNode(spec));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    executor->RunUntilIdle();
  }
  void AddPod(Object pod) {
    auto r = client->Create(api::kPods, "default", std::move(pod));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    executor->RunUntilIdle();
  }
  Object GetPod(const std::string& name) {
    auto r = client->Get(api::kPods, "default", name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Object();
  }
  std::string NodeOf(const std::string& pod) {
    return api::GetString(GetPod(pod), "/spec/nodeName");
  }
  // Events about `pod` with `reason`, in creation order.
  std::vector<Object> Events(const std::string& pod, const std::string& reason) {
    std::vector<Object> out;
    auto r = client->List(api::kEvents, "default");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return out;
    for (const Object& e : (*r)["items"]) {
      if (api::GetString(e, "/involvedObject/name") == pod &&
          api::GetString(e, "/reason") == reason) {
        out.push_back(e);
      }
    }
    return out;
  }
  Object PodScheduledCondition(const std::string& pod) {
    Object p = GetPod(pod);
    if (const Object* conds = api::Find(p, "/status/conditions"); conds && conds->is_array()) {
      for (const Object& c : *conds) {
        if (api::GetString(c, "/type") == "PodScheduled") return c;
      }
    }
    return Object();
  }

  std::unique_ptr<Executor> executor;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<api::ApiServer> server;
  std::unique_ptr<client::Client> client;
  std::unique_ptr<client::Client> sched_client;
  std::unique_ptr<Scheduler> scheduler;
};

Object ControlPlaneTaints() {
  return Object::array({Taint("node-role.kubernetes.io/control-plane", "", "NoSchedule")});
}

TEST(SchedulerTest, PodLandsOnTheOnlyFeasibleNode) {
  Env env;
  env.AddNode({.name = "worker-1", .cpu = "1"});
  env.AddNode({.name = "worker-2", .cpu = "4"});
  env.Start();
  env.AddPod(MakePod("web-1", "2"));
  EXPECT_EQ(env.NodeOf("web-1"), "worker-2");
  std::vector<Object> events = env.Events("web-1", "Scheduled");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(api::GetString(events[0], "/type"), "Normal");
  EXPECT_EQ(api::GetString(events[0], "/message"),
            "Successfully assigned default/web-1 to worker-2");
  EXPECT_EQ(api::GetString(events[0], "/source/component"), "default-scheduler");
  EXPECT_EQ(api::GetString(env.PodScheduledCondition("web-1"), "/status"), "True");
}

TEST(SchedulerTest, PodsCreatedBeforeStartAreScheduledOnStart) {
  Env env;
  env.AddNode({.name = "worker-1"});
  env.AddPod(MakePod("early"));
  EXPECT_EQ(env.NodeOf("early"), "");
  env.Start();
  EXPECT_EQ(env.NodeOf("early"), "worker-1");
}

TEST(SchedulerTest, ControlPlaneTaintKeepsPodsOff) {
  Env env;
  env.AddNode({.name = "control-plane", .taints = ControlPlaneTaints()});
  env.AddNode({.name = "worker-1"});
  env.Start();
  for (int i = 0; i < 5; ++i) env.AddPod(MakePod("p" + std::to_string(i)));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(env.NodeOf("p" + std::to_string(i)), "worker-1");
  // A pod tolerating the taint and selecting the node goes there.
  Object tolerant = MakePod("admin");
  tolerant["spec"]["tolerations"] =
      Object::array({{{"key", "node-role.kubernetes.io/control-plane"}, {"operator", "Exists"}}});
  tolerant["spec"]["nodeSelector"] = {{"kubernetes.io/hostname", "control-plane"}};
  env.AddPod(tolerant);
  EXPECT_EQ(env.NodeOf("admin"), "control-plane");
}

TEST(SchedulerTest, NodeSelector) {
  Env env;
  env.AddNode({.name = "worker-1", .labels = {{"disk", "hdd"}}});
  env.AddNode({.name = "worker-2", .labels = {{"disk", "ssd"}}});
  env.Start();
  Object pod = MakePod("db");
  pod["spec"]["nodeSelector"] = {{"disk", "ssd"}};
  env.AddPod(pod);
  EXPECT_EQ(env.NodeOf("db"), "worker-2");

  Object nowhere = MakePod("nowhere");
  nowhere["spec"]["nodeSelector"] = {{"disk", "nvme"}};
  env.AddPod(nowhere);
  EXPECT_EQ(env.NodeOf("nowhere"), "");
  std::vector<Object> events = env.Events("nowhere", "FailedScheduling");
  ASSERT_EQ(events.size(), 1u);
  // Node affinity is UnschedulableAndUnresolvable: preemption isn't tried.
  EXPECT_EQ(api::GetString(events[0], "/message"),
            "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. "
            "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");

  // Labelling a node to match moves the pod out of unschedulablePods.
  Object node = *env.client->Get(api::kNodes, "", "worker-1");
  node["metadata"]["labels"]["disk"] = "nvme";
  ASSERT_TRUE(env.client->Update(api::kNodes, node).ok());
  env.executor->AdvanceBy(seconds(2));
  EXPECT_EQ(env.NodeOf("nowhere"), "worker-1");
}

TEST(SchedulerTest, InsufficientCpuThenNodeAdded) {
  Env env;
  env.AddNode({.name = "control-plane", .taints = ControlPlaneTaints()});
  env.AddNode({.name = "worker-1", .cpu = "1"});
  env.AddNode({.name = "worker-2", .cpu = "1"});
  env.Start();
  env.AddPod(MakePod("big", "2"));
  EXPECT_EQ(env.NodeOf("big"), "");

  const std::string expected =
      "0/3 nodes are available: 1 node(s) had untolerated taint "
      "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are "
      "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for "
      "incoming pod.";
  std::vector<Object> events = env.Events("big", "FailedScheduling");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(api::GetString(events[0], "/type"), "Warning");
  EXPECT_EQ(api::GetString(events[0], "/message"), expected);
  Object cond = env.PodScheduledCondition("big");
  EXPECT_EQ(api::GetString(cond, "/status"), "False");
  EXPECT_EQ(api::GetString(cond, "/reason"), "Unschedulable");
  EXPECT_EQ(api::GetString(cond, "/message"), expected);

  // Node updates that change nothing relevant (a heartbeat-like label-free
  // update) leave the pod alone; a big enough new node gets it, once its
  // 1 s backoff is over.
  env.AddNode({.name = "worker-3", .cpu = "4"});
  env.executor->AdvanceBy(milliseconds(999));
  EXPECT_EQ(env.NodeOf("big"), "");
  env.executor->AdvanceBy(milliseconds(1));
  EXPECT_EQ(env.NodeOf("big"), "worker-3");
  EXPECT_EQ(env.Events("big", "Scheduled").size(), 1u);
}

TEST(SchedulerTest, NoNodesRetriesWithBackoff) {
  Env env;
  env.Start();
  env.AddPod(MakePod("lonely"));
  std::vector<Object> events = env.Events("lonely", "FailedScheduling");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(api::GetString(events[0], "/message"), "no nodes available to schedule pods");
  env.AddNode({.name = "worker-1"});
  env.executor->AdvanceBy(seconds(1));
  EXPECT_EQ(env.NodeOf("lonely"), "worker-1");
}

TEST(SchedulerTest, DeletedAssignedPodFreesRoom) {
  Env env;
  env.AddNode({.name = "worker-1", .cpu = "2"});
  env.Start();
  env.AddPod(MakePod("first", "2"));
  EXPECT_EQ(env.NodeOf("first"), "worker-1");
  env.AddPod(MakePod("second", "2"));
  EXPECT_EQ(env.NodeOf("second"), "");
  ASSERT_TRUE(env.client->Delete(api::kPods, "default", "first", 0).ok());
  env.executor->AdvanceBy(seconds(1));
  EXPECT_EQ(env.NodeOf("second"), "worker-1");
}

TEST(SchedulerTest, UnschedulablePodRetriedAfterFiveMinutes) {
  Env env;
  env.AddNode({.name = "worker-1", .unschedulable = true});
  env.Start();
  env.AddPod(MakePod("stuck"));
  std::vector<Object> events = env.Events("stuck", "FailedScheduling");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(api::GetString(events[0], "/message"),
            "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are "
            "available: 1 Preemption is not helpful for scheduling.");
  // No event moves it; the leftover flush (every 30 s, > 5 min in the pool)
  // retries it: the identical event is aggregated (count 2).
  env.executor->AdvanceBy(minutes(5));
  EXPECT_EQ(env.Events("stuck", "FailedScheduling")[0].value("count", 0), 1);
  env.executor->AdvanceBy(seconds(30));
  EXPECT_EQ(env.Events("stuck", "FailedScheduling")[0].value("count", 0), 2);
  // Uncordoning is an event its rejecting plugin (NodeUnschedulable) wants.
  Object node = *env.client->Get(api::kNodes, "", "worker-1");
  node["spec"].erase("unschedulable");
  ASSERT_TRUE(env.client->Update(api::kNodes, node).ok());
  env.executor->AdvanceBy(seconds(10));
  EXPECT_EQ(env.NodeOf("stuck"), "worker-1");
}

TEST(SchedulerTest, LeastAllocatedSpreadsAcrossEqualNodes) {
  Env env;
  env.AddNode({.name = "worker-1"});
  env.AddNode({.name = "worker-2"});
  env.Start();
  std::map<std::string, int> per_node;
  for (int i = 0; i < 6; ++i) {
    const std::string name = "web-" + std::to_string(i);
    env.AddPod(MakePod(name, "500m", "1Gi"));
    ++per_node[env.NodeOf(name)];
    // After each pod the two nodes differ by at most one.
    EXPECT_LE(std::abs(per_node["worker-1"] - per_node["worker-2"]), 1);
  }
  EXPECT_EQ(per_node["worker-1"], 3);
  EXPECT_EQ(per_node["worker-2"], 3);
}

TEST(SchedulerTest, AssumedPodsCountBeforeBindsAreSeen) {
  // Pods created together are scheduled back to back: each cycle already
  // counts the previous (assumed) pods, so 4 pods of 1 cpu fill two 2-cpu
  // nodes exactly and the fifth fails.
  Env env;
  env.AddNode({.name = "worker-1", .cpu = "2"});
  env.AddNode({.name = "worker-2", .cpu = "2"});
  env.Start();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        env.client->Create(api::kPods, "default", MakePod("p" + std::to_string(i), "1")).ok());
  }
  env.executor->RunUntilIdle();
  std::map<std::string, int> per_node;
  for (int i = 0; i < 5; ++i) ++per_node[env.NodeOf("p" + std::to_string(i))];
  EXPECT_EQ(per_node["worker-1"], 2);
  EXPECT_EQ(per_node["worker-2"], 2);
  EXPECT_EQ(per_node[""], 1);
}

std::vector<std::string> RunPlacements(uint64_t seed) {
  Env env(seed);
  for (int i = 1; i <= 4; ++i) env.AddNode({.name = "worker-" + std::to_string(i)});
  env.Start();
  std::vector<std::string> placements;
  for (int i = 0; i < 12; ++i) {
    const std::string name = "p" + std::to_string(i);
    env.AddPod(MakePod(name, "100m", "100Mi"));
    placements.push_back(env.NodeOf(name));
  }
  return placements;
}

TEST(SchedulerTest, SameSeedSamePlacements) {
  std::vector<std::string> a = RunPlacements(42);
  std::vector<std::string> b = RunPlacements(42);
  EXPECT_EQ(a, b);
  for (const std::string& n : a) EXPECT_FALSE(n.empty());
  // Ties are broken randomly: across seeds the first pod's node varies.
  std::set<std::string> first_nodes;
  for (uint64_t seed = 1; seed <= 16; ++seed) first_nodes.insert(RunPlacements(seed)[0]);
  EXPECT_GT(first_nodes.size(), 1u);
}

TEST(SchedulerTest, OtherSchedulerNamesAndBoundPodsAreIgnored) {
  Env env;
  env.AddNode({.name = "worker-1"});
  env.AddNode({.name = "worker-2"});
  env.Start();
  Object other = MakePod("other");
  other["spec"]["schedulerName"] = "my-scheduler";
  env.AddPod(other);
  EXPECT_EQ(env.NodeOf("other"), "");
  EXPECT_TRUE(env.Events("other", "FailedScheduling").empty());
  Object pinned = MakePod("pinned");
  pinned["spec"]["nodeName"] = "worker-2";
  env.AddPod(pinned);
  EXPECT_EQ(env.NodeOf("pinned"), "worker-2");
  EXPECT_TRUE(env.Events("pinned", "Scheduled").empty());
}

TEST(SchedulerTest, GatedPodWaitsForItsGatesToGo) {
  Env env;
  env.AddNode({.name = "worker-1"});
  env.Start();
  Object gated = MakePod("gated");
  gated["spec"]["schedulingGates"] = Object::array({{{"name", "example.com/wait"}}});
  env.AddPod(gated);
  env.executor->AdvanceBy(minutes(6));
  EXPECT_EQ(env.NodeOf("gated"), "");
  EXPECT_TRUE(env.Events("gated", "FailedScheduling").empty());
  Object pod = env.GetPod("gated");
  pod["spec"].erase("schedulingGates");
  auto r = env.client->Update(api::kPods, pod);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  env.executor->RunUntilIdle();
  EXPECT_EQ(env.NodeOf("gated"), "worker-1");
}

TEST(SchedulerTest, StopStopsBinding) {
  Env env;
  env.AddNode({.name = "worker-1"});
  env.Start();
  env.scheduler->Stop();
  env.AddPod(MakePod("later"));
  env.executor->AdvanceBy(seconds(5));
  EXPECT_EQ(env.NodeOf("later"), "");
  env.scheduler->Start();
  env.executor->RunUntilIdle();
  EXPECT_EQ(env.NodeOf("later"), "worker-1");
}

}  // namespace
}  // namespace kubesim::scheduler
