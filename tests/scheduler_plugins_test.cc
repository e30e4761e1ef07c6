// Table-driven tests of the plugins added for issue 4 (PodTopologySpread,
// InterPodAffinity, NodePorts, ImageLocality, SchedulingGates), the plugin
// registry/profile expansion, KubeSchedulerConfiguration validation and the
// queue's gating. Expectations are hand-computed from the upstream rules;
// each case names the upstream test or rule it mirrors
// (pkg/scheduler/framework/plugins/*/..._test.go, Kubernetes 1.32).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "../src/scheduler/framework.h"
#include "../src/scheduler/node_info.h"
#include "../src/scheduler/plugins/in_tree.h"
#include "../src/scheduler/registry.h"
#include "../src/scheduler/scheduling_queue.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/scheduler/config.h"
#include "kubesim/sim/clock.h"

namespace kubesim::scheduler {
namespace {

using api::Object;
using framework::Code;
using framework::CycleState;
using framework::ExtensionPoint;
using framework::NodeScore;

// --- Builders ------------------------------------------------------------------

Object Node(const std::string& name, std::map<std::string, std::string> labels = {}) {
  labels["kubernetes.io/hostname"] = name;
  Object l = Object::object();
  for (const auto& [k, v] : labels) l[k] = v;
  Object res = {{"cpu", "4"}, {"memory", "8Gi"}, {"pods", "110"}};
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}, {"labels", l}}},
          {"spec", Object::object()},
          {"status", {{"capacity", res}, {"allocatable", res}}}};
}

Object Pod(const std::string& name, std::map<std::string, std::string> labels = {}) {
  Object l = Object::object();
  for (const auto& [k, v] : labels) l[k] = v;
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata",
           {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}, {"labels", l}}},
          {"spec", {{"containers", Object::array({{{"name", "c"}, {"image", "nginx"}}})}}}};
}

std::shared_ptr<const PodInfo> Info(const Object& pod) { return NewPodInfo(api::Share(pod)); }

// A snapshot of nodes with pods, behind a framework::Handle.
class FakeHandle final : public framework::Handle {
 public:
  NodeInfo* AddNode(const Object& node) {
    auto info = std::make_unique<NodeInfo>(api::Name(node));
    info->SetNode(api::Share(node));
    for (const auto& [image, size] : info->images()) ++image_nodes_[image];
    infos_.push_back(std::move(info));
    list_.push_back(infos_.back().get());
    return list_.back();
  }
  void AddPod(const std::string& node, Object pod) {
    pod["spec"]["nodeName"] = node;
    GetNode(node)->AddPod(Info(pod));
  }
  const std::vector<NodeInfo*>& Nodes() override { return list_; }
  NodeInfo* GetNode(const std::string& name) override {
    for (NodeInfo* n : list_) {
      if (n->name() == name) return n;
    }
    return nullptr;
  }
  api::ObjectPtr GetPod(const std::string&) override { return nullptr; }
  framework::Framework& framework() override { std::abort(); }
  client::Client* ClientSet() override { return nullptr; }
  std::vector<api::ObjectPtr> ListServices(const std::string&) override { return services; }
  api::ObjectPtr GetReplicaSet(const std::string&, const std::string& name) override {
    auto it = replicasets.find(name);
    return it == replicasets.end() ? nullptr : it->second;
  }
  int ImageNumNodes(const std::string& image) override { return image_nodes_[image]; }
  client::EventRecorder* EventRecorder() override { return nullptr; }
  const preemption::Nominator* PodNominator() override { return nullptr; }
  std::vector<api::ObjectPtr> PodDisruptionBudgets() override { return {}; }
  uint64_t RandomUniform(uint64_t) override { return 0; }
  Time Now() override { return Time(); }

  std::vector<api::ObjectPtr> services;
  std::map<std::string, api::ObjectPtr> replicasets;

 private:
  std::vector<std::unique_ptr<NodeInfo>> infos_;
  std::vector<NodeInfo*> list_;
  std::map<std::string, int> image_nodes_;
};

// Runs PreFilter then Filter on every node: node -> (code, reason).
std::map<std::string, std::pair<Code, std::string>> RunFilter(framework::PreFilterPlugin& pre,
                                                              framework::FilterPlugin& filter,
                                                              FakeHandle& h, const PodInfo& pod) {
  std::map<std::string, std::pair<Code, std::string>> out;
  CycleState state;
  framework::PreFilterResult r;
  framework::Status s = pre.PreFilter(state, pod, &r);
  for (NodeInfo* n : h.Nodes()) {
    if (s.IsSkip()) {
      out[n->name()] = {Code::kSuccess, ""};
      continue;
    }
    framework::Status fs = filter.Filter(state, pod, *n);
    out[n->name()] = {fs.code(), fs.Message()};
  }
  return out;
}

// Runs PreScore, Score and NormalizeScore over every node: node -> score.
template <typename P>
std::map<std::string, int64_t> RunScore(P& plugin, FakeHandle& h, const PodInfo& pod,
                                        bool* skipped = nullptr) {
  CycleState state;
  std::map<std::string, int64_t> out;
  framework::Status s = plugin.PreScore(state, pod, h.Nodes());
  if (skipped) *skipped = s.IsSkip();
  if (s.IsSkip()) return out;
  std::vector<NodeScore> scores;
  for (NodeInfo* n : h.Nodes()) {
    framework::Status st;
    scores.push_back({n->name(), plugin.Score(state, pod, *n, &st)});
    EXPECT_TRUE(st.IsSuccess()) << st.Message();
  }
  plugin.NormalizeScore(state, pod, scores);
  for (const NodeScore& sc : scores) out[std::string(sc.name)] = sc.score;
  return out;
}

Object SpreadConstraint(int max_skew, const std::string& key, const std::string& when,
                        const std::string& label) {
  return {{"maxSkew", max_skew},
          {"topologyKey", key},
          {"whenUnsatisfiable", when},
          {"labelSelector",
           {{"matchExpressions", Object::array({{{"key", label}, {"operator", "Exists"}}})}}}};
}

// --- PodTopologySpread ------------------------------------------------------------

constexpr char kZone[] = "topology.kubernetes.io/zone";

FakeHandle ZonedCluster() {
  // node-a, node-b in zone1; node-x, node-y in zone2 (filtering_test.go's
  // usual layout).
  FakeHandle h;
  h.AddNode(Node("node-a", {{kZone, "zone1"}}));
  h.AddNode(Node("node-b", {{kZone, "zone1"}}));
  h.AddNode(Node("node-x", {{kZone, "zone2"}}));
  h.AddNode(Node("node-y", {{kZone, "zone2"}}));
  return h;
}

TEST(PodTopologySpreadTest, FilterZoneSkew) {
  // filtering_test.go TestSingleConstraint "pods spread across zones as
  // 2/1": zone1 holds 2 matching pods, zone2 1; maxSkew 1 lets the pod go
  // only to zone2 (2+1-1 = 2 > 1 in zone1; 1+1-1 = 1 in zone2).
  FakeHandle h = ZonedCluster();
  h.AddPod("node-a", Pod("p-a", {{"foo", ""}}));
  h.AddPod("node-b", Pod("p-b", {{"foo", ""}}));
  h.AddPod("node-x", Pod("p-x", {{"foo", ""}}));
  Object pod = Pod("new", {{"foo", ""}});
  pod["spec"]["topologySpreadConstraints"] =
      Object::array({SpreadConstraint(1, kZone, "DoNotSchedule", "foo")});
  plugins::PodTopologySpread pl(&h, {});
  auto got = RunFilter(pl, pl, h, *Info(pod));
  const std::string reason = "node(s) didn't match pod topology spread constraints";
  EXPECT_EQ(got["node-a"], std::make_pair(Code::kUnschedulable, reason));
  EXPECT_EQ(got["node-b"], std::make_pair(Code::kUnschedulable, reason));
  EXPECT_EQ(got["node-x"].first, Code::kSuccess);
  EXPECT_EQ(got["node-y"].first, Code::kSuccess);
}

TEST(PodTopologySpreadTest, FilterMinDomainsTreatsGlobalMinimumAsZero) {
  // filtering_test.go "minDomains": fewer eligible domains (2) than
  // minDomains (3) makes the global minimum 0, so zone2 (1+1-0 = 2 > 1)
  // is rejected too.
  FakeHandle h = ZonedCluster();
  h.AddPod("node-a", Pod("p-a", {{"foo", ""}}));
  h.AddPod("node-x", Pod("p-x", {{"foo", ""}}));
  Object pod = Pod("new", {{"foo", ""}});
  Object c = SpreadConstraint(1, kZone, "DoNotSchedule", "foo");
  c["minDomains"] = 3;
  pod["spec"]["topologySpreadConstraints"] = Object::array({c});
  plugins::PodTopologySpread pl(&h, {});
  auto got = RunFilter(pl, pl, h, *Info(pod));
  for (const char* n : {"node-a", "node-b", "node-x", "node-y"}) {
    EXPECT_EQ(got[n].first, Code::kUnschedulable) << n;
  }
}

TEST(PodTopologySpreadTest, FilterNodeWithoutTopologyKey) {
  // filtering_test.go "node doesn't have the topology key":
  // UnschedulableAndUnresolvable with the "(missing required label)" reason.
  FakeHandle h = ZonedCluster();
  h.AddNode(Node("no-zone"));
  Object pod = Pod("new", {{"foo", ""}});
  pod["spec"]["topologySpreadConstraints"] =
      Object::array({SpreadConstraint(1, kZone, "DoNotSchedule", "foo")});
  plugins::PodTopologySpread pl(&h, {});
  auto got = RunFilter(pl, pl, h, *Info(pod));
  EXPECT_EQ(got["no-zone"],
            std::make_pair(Code::kUnschedulableAndUnresolvable,
                           std::string("node(s) didn't match pod topology spread constraints "
                                       "(missing required label)")));
  EXPECT_EQ(got["node-a"].first, Code::kSuccess);
}

TEST(PodTopologySpreadTest, ScoreHostnameConstraint) {
  // scoring.go: score = round(cnt * log(nodes+2) + maxSkew-1); normalized
  // 100*(max+min-s)/max. node-a has 2 matching pods: 2*log(4) = 2.77 -> 3;
  // node-b: 0. Normalized: a = 100*(3+0-3)/3 = 0, b = 100*(3+0-0)/3 = 100.
  FakeHandle h;
  h.AddNode(Node("node-a"));
  h.AddNode(Node("node-b"));
  h.AddPod("node-a", Pod("p1", {{"foo", ""}}));
  h.AddPod("node-a", Pod("p2", {{"foo", ""}}));
  Object pod = Pod("new", {{"foo", ""}});
  pod["spec"]["topologySpreadConstraints"] =
      Object::array({SpreadConstraint(1, "kubernetes.io/hostname", "ScheduleAnyway", "foo")});
  plugins::PodTopologySpread pl(&h, {});
  auto got = RunScore(pl, h, *Info(pod));
  EXPECT_EQ(got["node-a"], 0);
  EXPECT_EQ(got["node-b"], 100);
}

TEST(PodTopologySpreadTest, SystemDefaultsUseTheReplicaSetSelector) {
  // plugin.go systemDefaultConstraints (hostname maxSkew 3, zone maxSkew 5,
  // ScheduleAnyway) with helper.DefaultSelector from the owning ReplicaSet.
  // Nodes lack zone labels, so only hostname counts (requireAllTopologies
  // is false for system defaults): node-a with 1 sibling scores
  // round(1*log(5) + 2) = 4, the others round(0 + 2) = 2; normalized
  // 100*(4+2-4)/4 = 50 and 100*(4+2-2)/4 = 100.
  FakeHandle h;
  h.AddNode(Node("node-a"));
  h.AddNode(Node("node-b"));
  h.AddNode(Node("node-c"));
  h.replicasets["web-abc"] =
      api::Share(Object{{"metadata", {{"name", "web-abc"}, {"namespace", "default"}}},
                        {"spec", {{"selector", {{"matchLabels", {{"app", "web"}}}}}}}});
  auto owned = [](const std::string& name) {
    Object p = Pod(name, {{"app", "web"}});
    p["metadata"]["ownerReferences"] = Object::array({{{"apiVersion", "apps/v1"},
                                                       {"kind", "ReplicaSet"},
                                                       {"name", "web-abc"},
                                                       {"uid", "rs-uid"},
                                                       {"controller", true}}});
    return p;
  };
  h.AddPod("node-a", owned("web-1"));
  plugins::PodTopologySpread pl(&h, {});
  auto got = RunScore(pl, h, *Info(owned("web-2")));
  EXPECT_EQ(got["node-a"], 50);
  EXPECT_EQ(got["node-b"], 100);
  EXPECT_EQ(got["node-c"], 100);
  // A bare pod (no owner, no service) gets no default constraints: Skip.
  bool skipped = false;
  RunScore(pl, h, *Info(Pod("bare", {{"app", "web"}})), &skipped);
  EXPECT_TRUE(skipped);
}

// --- InterPodAffinity -------------------------------------------------------------

Object Term(const std::string& key, const std::string& value, const std::string& topology) {
  return {{"labelSelector", {{"matchLabels", {{key, value}}}}}, {"topologyKey", topology}};
}

TEST(InterPodAffinityTest, RequiredAntiAffinityOnePerNode) {
  // filtering_test.go "satisfies the PodAntiAffinity ... but not with the
  // existing pod": the incoming pod's anti-affinity (hostname) rejects the
  // node already running app=web as Unschedulable.
  FakeHandle h;
  h.AddNode(Node("node-a"));
  h.AddNode(Node("node-b"));
  h.AddPod("node-a", Pod("web-1", {{"app", "web"}}));
  Object pod = Pod("web-2", {{"app", "web"}});
  pod["spec"]["affinity"] = {{"podAntiAffinity",
                              {{"requiredDuringSchedulingIgnoredDuringExecution",
                                Object::array({Term("app", "web", "kubernetes.io/hostname")})}}}};
  plugins::InterPodAffinity pl(&h, {});
  auto got = RunFilter(pl, pl, h, *Info(pod));
  EXPECT_EQ(got["node-a"],
            std::make_pair(Code::kUnschedulable,
                           std::string("node(s) didn't match pod anti-affinity rules")));
  EXPECT_EQ(got["node-b"].first, Code::kSuccess);
}

TEST(InterPodAffinityTest, ExistingPodsAntiAffinity) {
  // filtering_test.go "existing pod's anti-affinity ...": the pod on node-a
  // refuses app=web pods on its host.
  FakeHandle h;
  h.AddNode(Node("node-a"));
  h.AddNode(Node("node-b"));
  Object existing = Pod("db", {{"app", "db"}});
  existing["spec"]["affinity"] = {
      {"podAntiAffinity",
       {{"requiredDuringSchedulingIgnoredDuringExecution",
         Object::array({Term("app", "web", "kubernetes.io/hostname")})}}}};
  h.AddPod("node-a", existing);
  plugins::InterPodAffinity pl(&h, {});
  auto got = RunFilter(pl, pl, h, *Info(Pod("web", {{"app", "web"}})));
  EXPECT_EQ(
      got["node-a"],
      std::make_pair(Code::kUnschedulable,
                     std::string("node(s) didn't satisfy existing pods anti-affinity rules")));
  EXPECT_EQ(got["node-b"].first, Code::kSuccess);
  // A pod the term doesn't select is not affected.
  got = RunFilter(pl, pl, h, *Info(Pod("other", {{"app", "other"}})));
  EXPECT_EQ(got["node-a"].first, Code::kSuccess);
}

TEST(InterPodAffinityTest, RequiredAffinityAndTheFirstPodOfAGroup) {
  // filtering_test.go: affinity to app=db with no db pod anywhere rejects
  // every node (UnschedulableAndUnresolvable) -- unless the pod matches its
  // own terms ("the first pod in a series that have affinity to themselves").
  FakeHandle h;
  h.AddNode(Node("node-a"));
  h.AddNode(Node("node-b"));
  Object pod = Pod("web", {{"app", "web"}});
  pod["spec"]["affinity"] = {{"podAffinity",
                              {{"requiredDuringSchedulingIgnoredDuringExecution",
                                Object::array({Term("app", "db", "kubernetes.io/hostname")})}}}};
  plugins::InterPodAffinity pl(&h, {});
  auto got = RunFilter(pl, pl, h, *Info(pod));
  EXPECT_EQ(got["node-a"], std::make_pair(Code::kUnschedulableAndUnresolvable,
                                          std::string("node(s) didn't match pod affinity rules")));
  Object self = pod;
  self["metadata"]["labels"]["app"] = "db";
  got = RunFilter(pl, pl, h, *Info(self));
  EXPECT_EQ(got["node-a"].first, Code::kSuccess);
  // Once a db pod runs on node-b, only node-b qualifies.
  h.AddPod("node-b", Pod("db-1", {{"app", "db"}}));
  got = RunFilter(pl, pl, h, *Info(pod));
  EXPECT_EQ(got["node-a"].first, Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(got["node-b"].first, Code::kSuccess);
}

TEST(InterPodAffinityTest, PreferredAffinityScoresByZone) {
  // scoring_test.go "Affinity: pod that matches topology key & pods in
  // nodes will get high score": weight 5 to app=db by zone; the db pod runs
  // in zone1, so node-a and node-b (zone1) score 5, node-c 0; min-max
  // normalized to 100, 100, 0.
  FakeHandle h;
  h.AddNode(Node("node-a", {{kZone, "zone1"}}));
  h.AddNode(Node("node-b", {{kZone, "zone1"}}));
  h.AddNode(Node("node-c", {{kZone, "zone2"}}));
  h.AddPod("node-a", Pod("db", {{"app", "db"}}));
  Object pod = Pod("web", {{"app", "web"}});
  pod["spec"]["affinity"] = {
      {"podAffinity",
       {{"preferredDuringSchedulingIgnoredDuringExecution",
         Object::array({{{"weight", 5}, {"podAffinityTerm", Term("app", "db", kZone)}}})}}}};
  plugins::InterPodAffinity pl(&h, {});
  auto got = RunScore(pl, h, *Info(pod));
  EXPECT_EQ(got, (std::map<std::string, int64_t>{{"node-a", 100}, {"node-b", 100}, {"node-c", 0}}));
  // Preferred anti-affinity mirrors it.
  Object anti = Pod("web", {{"app", "web"}});
  anti["spec"]["affinity"] = {
      {"podAntiAffinity",
       {{"preferredDuringSchedulingIgnoredDuringExecution",
         Object::array({{{"weight", 5}, {"podAffinityTerm", Term("app", "db", kZone)}}})}}}};
  got = RunScore(pl, h, *Info(anti));
  EXPECT_EQ(got, (std::map<std::string, int64_t>{{"node-a", 0}, {"node-b", 0}, {"node-c", 100}}));
}

TEST(InterPodAffinityTest, ExistingPodsRequiredAffinityUsesHardWeight) {
  // scoring.go processExistingPod: an existing pod's required affinity that
  // matches the incoming pod adds hardPodAffinityWeight (1) to its topology.
  FakeHandle h;
  h.AddNode(Node("node-a"));
  h.AddNode(Node("node-b"));
  Object existing = Pod("db", {{"app", "db"}});
  existing["spec"]["affinity"] = {
      {"podAffinity",
       {{"requiredDuringSchedulingIgnoredDuringExecution",
         Object::array({Term("app", "web", "kubernetes.io/hostname")})}}}};
  h.AddPod("node-a", existing);
  plugins::InterPodAffinity pl(&h, {});
  auto got = RunScore(pl, h, *Info(Pod("web", {{"app", "web"}})));
  EXPECT_EQ(got, (std::map<std::string, int64_t>{{"node-a", 100}, {"node-b", 0}}));
  plugins::InterPodAffinity zero(&h, {.hard_pod_affinity_weight = 0});
  bool skipped = false;
  RunScore(zero, h, *Info(Pod("web", {{"app", "web"}})), &skipped);
  EXPECT_TRUE(skipped);
}

// --- NodePorts ------------------------------------------------------------------

Object WithPort(Object pod, int port, const std::string& protocol = "",
                const std::string& ip = "") {
  Object p = {{"containerPort", port}, {"hostPort", port}};
  if (!protocol.empty()) p["protocol"] = protocol;
  if (!ip.empty()) p["hostIP"] = ip;
  pod["spec"]["containers"][0]["ports"] = Object::array({p});
  return pod;
}

TEST(NodePortsTest, Conflicts) {
  // node_ports_test.go TestNodePorts: same port/protocol conflicts, another
  // protocol does not; 0.0.0.0 conflicts with every IP; two distinct IPs
  // don't.
  struct Case {
    const char* name;
    Object existing, incoming;
    Code want;
  } cases[] = {
      {"same port", WithPort(Pod("a"), 8080), WithPort(Pod("b"), 8080), Code::kUnschedulable},
      {"other protocol", WithPort(Pod("a"), 8080), WithPort(Pod("b"), 8080, "UDP"), Code::kSuccess},
      {"other port", WithPort(Pod("a"), 8080), WithPort(Pod("b"), 8081), Code::kSuccess},
      {"distinct IPs", WithPort(Pod("a"), 8080, "TCP", "127.0.0.1"),
       WithPort(Pod("b"), 8080, "TCP", "127.0.0.2"), Code::kSuccess},
      {"wildcard vs IP", WithPort(Pod("a"), 8080, "TCP", "127.0.0.1"),
       WithPort(Pod("b"), 8080, "TCP", "0.0.0.0"), Code::kUnschedulable},
  };
  for (const Case& c : cases) {
    FakeHandle h;
    h.AddNode(Node("n"));
    h.AddPod("n", c.existing);
    plugins::NodePorts pl;
    auto got = RunFilter(pl, pl, h, *Info(c.incoming));
    EXPECT_EQ(got["n"].first, c.want) << c.name;
    if (c.want != Code::kSuccess) {
      EXPECT_EQ(got["n"].second, "node(s) didn't have free ports for the requested pod ports");
    }
  }
  // A pod without host ports skips the plugin (PreFilter returns Skip).
  plugins::NodePorts pl;
  CycleState state;
  framework::PreFilterResult r;
  EXPECT_TRUE(pl.PreFilter(state, *Info(Pod("p")), &r).IsSkip());
}

// --- ImageLocality -----------------------------------------------------------------

TEST(ImageLocalityTest, ScaledBySpread) {
  // image_locality.go: sum(size * nodesWithImage/allNodes), clamped to
  // [23Mi, 1000Mi * containers], mapped to 0..100. A 250Mi image on one of
  // two nodes: 125Mi -> 100*(125-23)/(1000-23) = 10. Without it: 0.
  const int64_t mb = 1024 * 1024;
  EXPECT_EQ(plugins::ImageLocalityPriority(0, 1), 0);
  EXPECT_EQ(plugins::ImageLocalityPriority(125 * mb, 1), 10);
  EXPECT_EQ(plugins::ImageLocalityPriority(5000 * mb, 1), 100);
  EXPECT_EQ(plugins::ImageLocalityPriority(1000 * mb, 2), 49);  // 100*977/1977
  FakeHandle h;
  Object with = Node("with");
  with["status"]["images"] = Object::array(
      {{{"names", Object::array({"docker.io/library/redis:7"})}, {"sizeBytes", 250 * mb}}});
  h.AddNode(with);
  h.AddNode(Node("without"));
  plugins::ImageLocality pl(&h);
  Object pod = Pod("p");
  pod["spec"]["containers"][0]["image"] = "docker.io/library/redis:7";
  CycleState state;
  framework::Status st;
  EXPECT_EQ(pl.Score(state, *Info(pod), *h.GetNode("with"), &st), 10);
  EXPECT_EQ(pl.Score(state, *Info(pod), *h.GetNode("without"), &st), 0);
  // normalizedImageName: "redis" means "redis:latest", which the node's
  // full reference does not match (as upstream).
  pod["spec"]["containers"][0]["image"] = "redis";
  EXPECT_EQ(pl.Score(state, *Info(pod), *h.GetNode("with"), &st), 0);
}

// --- NodeResourcesFit scoring strategies -------------------------------------------

TEST(NodeResourcesFitTest, ScoringStrategies) {
  // least_allocated.go / most_allocated.go / requested_to_capacity_ratio.go:
  // a 4-cpu 8Gi node already running 1 cpu + 2Gi, scoring a 2 cpu + 1Gi pod
  // (cpu 3000/4000, memory 3Gi/8Gi):
  //   LeastAllocated  cpu 25, memory 62 (62.5) -> (25+62)/2 = 43
  //   MostAllocated   cpu 75, memory 37 (37.5) -> (75+37)/2 = 56
  //   RTCR shape {0:0, 100:10} = MostAllocated's line -> 56
  //   RTCR shape {0:10, 100:0} -> cpu 25, memory 100-37 = 63 -> round(44) = 44
  FakeHandle h;
  NodeInfo* node = h.AddNode(Node("n"));
  Object existing = Pod("old");
  existing["spec"]["containers"][0]["resources"] = {
      {"requests", {{"cpu", "1"}, {"memory", "2Gi"}}}};
  existing["spec"]["nodeName"] = "n";
  node->AddPod(Info(existing));
  Object pod = Pod("new");
  pod["spec"]["containers"][0]["resources"] = {{"requests", {{"cpu", "2"}, {"memory", "1Gi"}}}};
  auto score = [&](plugins::NodeResourcesFitArgs args) {
    plugins::NodeResourcesFit pl(std::move(args));
    CycleState state;
    pl.PreScore(state, *Info(pod), h.Nodes());
    framework::Status st;
    return pl.Score(state, *Info(pod), *node, &st);
  };
  EXPECT_EQ(score({}), 43);
  EXPECT_EQ(score({.strategy = "MostAllocated"}), 56);
  EXPECT_EQ(score({.strategy = "RequestedToCapacityRatio", .shape = {{0, 0}, {100, 10}}}), 56);
  EXPECT_EQ(score({.strategy = "RequestedToCapacityRatio", .shape = {{0, 10}, {100, 0}}}), 44);
  // Weights: cpu 3, memory 1 under MostAllocated -> (75*3+37)/4 = 65.
  EXPECT_EQ(score({.strategy = "MostAllocated", .resources = {{"cpu", 3}, {"memory", 1}}}), 65);
}

// --- SchedulingGates ---------------------------------------------------------------

TEST(SchedulingGatesTest, PreEnqueueMessage) {
  // scheduling_gates_test.go: "waiting for scheduling gates: [foo bar]",
  // UnschedulableAndUnresolvable.
  plugins::SchedulingGates pl;
  Object pod = Pod("p");
  EXPECT_TRUE(pl.PreEnqueue(*Info(pod)).IsSuccess());
  pod["spec"]["schedulingGates"] = Object::array({{{"name", "foo"}}, {{"name", "bar"}}});
  framework::Status s = pl.PreEnqueue(*Info(pod));
  EXPECT_EQ(s.code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(s.Message(), "waiting for scheduling gates: [foo bar]");
}

TEST(SchedulingQueueGatingTest, GatedPodWaitsInUnschedulablePods) {
  // scheduling_queue.go moveToActiveQ: a pod failing PreEnqueue is parked
  // (gated) in unschedulablePods; removing its gates is an
  // UpdatePodSchedulingGatesEliminated event SchedulingGates queues on.
  SimulatedClock clock(Time(std::chrono::seconds(1000)));
  framework::Framework fwk;
  fwk.AddPlugin(std::make_unique<plugins::SchedulingGates>());
  SchedulingQueue q(
      clock, [&](const PodInfo&) { return &fwk.queueing_hints(); },
      [&](const PodInfo& p) { return fwk.RunPreEnqueuePlugins(p); });
  Object gated = Pod("g");
  gated["spec"]["schedulingGates"] = Object::array({{{"name", "wait"}}});
  q.Add(Info(gated));
  EXPECT_EQ(q.NumActive(), 0u);
  EXPECT_EQ(q.NumGated(), 1u);
  EXPECT_EQ(q.Location("uid-g"), "unschedulablePods");
  // A wildcard flush does not ungate it.
  clock.Set(Time(std::chrono::seconds(1000)) + std::chrono::minutes(10));
  q.FlushUnschedulablePodsLeftover();
  EXPECT_EQ(q.NumGated(), 1u);
  Object ungated = gated;
  ungated["spec"].erase("schedulingGates");
  q.Update(api::Share(gated), Info(ungated));
  EXPECT_EQ(q.NumGated(), 0u);
  EXPECT_EQ(q.Location("uid-g"), "activeQ");
}

// --- Extension points (runtime/framework.go) ----------------------------------------

// A plugin at Reserve, Permit, PreBind, Bind and PostBind that logs its
// calls and answers with a fixed code.
class Probe final : public framework::ReservePlugin,
                    public framework::PermitPlugin,
                    public framework::PreBindPlugin,
                    public framework::BindPlugin,
                    public framework::PostBindPlugin {
 public:
  Probe(std::string name, Code code, std::vector<std::string>* log)
      : name_(std::move(name)), code_(code), log_(log) {}
  std::string Name() const override { return name_; }
  framework::Status Reserve(CycleState&, const PodInfo&, const std::string& node) override {
    return Answer("reserve", node);
  }
  void Unreserve(CycleState&, const PodInfo&, const std::string& node) override {
    log_->push_back("unreserve " + name_ + " " + node);
  }
  framework::Status Permit(CycleState&, const PodInfo&, const std::string& node) override {
    return Answer("permit", node);
  }
  framework::Status PreBind(CycleState&, const PodInfo&, const std::string& node) override {
    return Answer("prebind", node);
  }
  framework::Status Bind(CycleState&, const PodInfo&, const std::string& node) override {
    return Answer("bind", node);
  }
  void PostBind(CycleState&, const PodInfo&, const std::string& node) override {
    log_->push_back("postbind " + name_ + " " + node);
  }

 private:
  framework::Status Answer(const std::string& what, const std::string& node) {
    log_->push_back(what + " " + name_ + " " + node);
    return code_ == Code::kSuccess ? framework::Status()
                                   : framework::Status(code_, {name_ + " says no"});
  }
  std::string name_;
  Code code_;
  std::vector<std::string>* log_;
};

TEST(SchedulerFrameworkPointsTest, ReserveStopsAtFailureUnreserveRunsInReverse) {
  std::vector<std::string> log;
  framework::Framework fwk;
  fwk.AddPlugin(std::make_unique<Probe>("A", Code::kSuccess, &log));
  fwk.AddPlugin(std::make_unique<Probe>("B", Code::kUnschedulable, &log));
  fwk.AddPlugin(std::make_unique<Probe>("C", Code::kSuccess, &log));
  CycleState state;
  auto pod = Info(Pod("p"));
  framework::Status s = fwk.RunReservePluginsReserve(state, *pod, "n1");
  EXPECT_EQ(s.code(), Code::kUnschedulable);
  EXPECT_EQ(s.plugin(), "B");
  EXPECT_EQ(s.Message(), "B says no");
  fwk.RunReservePluginsUnreserve(state, *pod, "n1");
  EXPECT_EQ(log, (std::vector<std::string>{"reserve A n1", "reserve B n1", "unreserve C n1",
                                           "unreserve B n1", "unreserve A n1"}));
}

TEST(SchedulerFrameworkPointsTest, BindSkipPassesOnPermitWaitIsAnError) {
  std::vector<std::string> log;
  framework::Framework fwk;
  fwk.AddPlugin(std::make_unique<Probe>("Skipper", Code::kSkip, &log));
  fwk.AddPlugin(std::make_unique<Probe>("Binder", Code::kSuccess, &log));
  CycleState state;
  auto pod = Info(Pod("p"));
  // Skip at Permit/PreBind is not Success; only Bind treats Skip as "next".
  EXPECT_TRUE(fwk.RunBindPlugins(state, *pod, "n1").IsSuccess());
  EXPECT_EQ(log, (std::vector<std::string>{"bind Skipper n1", "bind Binder n1"}));
  framework::Framework only_skip;
  only_skip.AddPlugin(std::make_unique<Probe>("Skipper", Code::kSkip, &log));
  EXPECT_TRUE(only_skip.RunBindPlugins(state, *pod, "n1").IsSkip());
  framework::Framework waiting;
  waiting.AddPlugin(std::make_unique<Probe>("Waiter", Code::kWait, &log));
  framework::Status w = waiting.RunPermitPlugins(state, *pod, "n1");
  EXPECT_EQ(w.code(), Code::kError);
  EXPECT_EQ(w.plugin(), "Waiter");
  log.clear();
  fwk.RunPostBindPlugins(state, *pod, "n1");
  EXPECT_EQ(log, (std::vector<std::string>{"postbind Skipper n1", "postbind Binder n1"}));
}

// --- Registry and profiles ------------------------------------------------------------

TEST(SchedulerRegistryTest, DefaultProfileOrderAndWeights) {
  // default_plugins.go (1.32) without the volume plugins.
  FakeHandle h;
  auto fwk = NewFramework(ProfileConfig{}, &h);
  ASSERT_TRUE(fwk.ok()) << fwk.status().ToString();
  EXPECT_EQ((*fwk)->EnabledAt(ExtensionPoint::kPreEnqueue),
            std::vector<std::string>({"SchedulingGates"}));
  EXPECT_EQ((*fwk)->EnabledAt(ExtensionPoint::kQueueSort),
            std::vector<std::string>({"PrioritySort"}));
  EXPECT_EQ((*fwk)->EnabledAt(ExtensionPoint::kFilter),
            std::vector<std::string>({"NodeUnschedulable", "NodeName", "TaintToleration",
                                      "NodeAffinity", "NodePorts", "NodeResourcesFit",
                                      "PodTopologySpread", "InterPodAffinity"}));
  EXPECT_EQ((*fwk)->EnabledAt(ExtensionPoint::kPreFilter),
            std::vector<std::string>({"NodeAffinity", "NodePorts", "NodeResourcesFit",
                                      "PodTopologySpread", "InterPodAffinity"}));
  EXPECT_EQ((*fwk)->EnabledAt(ExtensionPoint::kPostFilter),
            std::vector<std::string>({"DefaultPreemption"}));
  EXPECT_EQ((*fwk)->EnabledAt(ExtensionPoint::kBind), std::vector<std::string>({"DefaultBinder"}));
  std::vector<std::pair<std::string, int64_t>> weights;
  for (const auto& e : (*fwk)->score_plugins()) weights.emplace_back(e.name, e.weight);
  EXPECT_EQ(weights,
            (std::vector<std::pair<std::string, int64_t>>{{"TaintToleration", 3},
                                                          {"NodeAffinity", 2},
                                                          {"NodeResourcesFit", 1},
                                                          {"PodTopologySpread", 2},
                                                          {"InterPodAffinity", 2},
                                                          {"NodeResourcesBalancedAllocation", 1},
                                                          {"ImageLocality", 1}}));
}

TEST(SchedulerRegistryTest, DisableAndReweight) {
  // mergePlugins + expandMultiPointPlugins: a score entry overrides the
  // multiPoint weight and comes first; disabling at one point keeps the
  // plugin elsewhere; "*" disables every default at that point.
  FakeHandle h;
  ProfileConfig p;
  p.plugins[PluginsField::kScore].enabled = {{"ImageLocality", 7}};
  p.plugins[PluginsField::kScore].disabled = {"NodeResourcesBalancedAllocation"};
  p.plugins[PluginsField::kFilter].disabled = {"*"};
  p.plugins[PluginsField::kFilter].enabled = {{"NodeResourcesFit", 0}};
  auto fwk = NewFramework(p, &h);
  ASSERT_TRUE(fwk.ok()) << fwk.status().ToString();
  std::vector<std::pair<std::string, int64_t>> weights;
  for (const auto& e : (*fwk)->score_plugins()) weights.emplace_back(e.name, e.weight);
  EXPECT_EQ(weights, (std::vector<std::pair<std::string, int64_t>>{{"ImageLocality", 7},
                                                                   {"TaintToleration", 3},
                                                                   {"NodeAffinity", 2},
                                                                   {"NodeResourcesFit", 1},
                                                                   {"PodTopologySpread", 2},
                                                                   {"InterPodAffinity", 2}}));
  EXPECT_EQ((*fwk)->EnabledAt(ExtensionPoint::kFilter),
            std::vector<std::string>({"NodeResourcesFit"}));
  // PreFilter is untouched.
  EXPECT_EQ((*fwk)->EnabledAt(ExtensionPoint::kPreFilter).size(), 5u);
}

TEST(SchedulerConfigTest, ParsesProfilesAndRejectsBadInput) {
  auto ok = ParseSchedulerConfig(R"(apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packer
  percentageOfNodesToScore: 60
  plugins:
    multiPoint:
      disabled:
      - name: PodTopologySpread
  pluginConfig:
  - name: InterPodAffinity
    args:
      hardPodAffinityWeight: 5
)");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->profiles.size(), 2u);
  EXPECT_EQ(ok->percentage_of_nodes_to_score, 30);
  EXPECT_EQ(ok->profiles[1].scheduler_name, "bin-packer");
  EXPECT_EQ(ok->profiles[1].percentage_of_nodes_to_score, 60);

  struct Case {
    const char* yaml;
    const char* want;
  } cases[] = {
      {"apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n",
       "scheduler config: apiVersion: Unsupported value: \"kubescheduler.config.k8s.io/v1beta3\": "
       "supported values: \"kubescheduler.config.k8s.io/v1\""},
      {"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
       "percentageOfNodesToScore: 101\n",
       "percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]"},
      {"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
       "profiles:\n- schedulerName: a\n- schedulerName: a\n",
       "profiles[1].schedulerName: Duplicate value: \"a\""},
      {"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
       "profiles:\n- plugins:\n    score:\n      enabled:\n      - name: Foo\n",
       "profiles[default-scheduler].plugins: \"Foo\" does not exist"},
      {"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
       "profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: ImageLocality\n",
       "profiles[default-scheduler].plugins.filter: plugin \"ImageLocality\" does not extend "
       "filter plugin"},
      {"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
       "profiles:\n- plugins:\n    bind:\n      disabled:\n      - name: '*'\n",
       "profiles[default-scheduler].plugins.bind: Invalid value: at least one bind plugin is "
       "needed"},
      {"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
       "profiles:\n- pluginConfig:\n  - name: InterPodAffinity\n    args:\n"
       "      hardPodAffinityWeight: 101\n",
       "pluginConfig[InterPodAffinity].args.hardPodAffinityWeight: Invalid value: 101: not in "
       "valid range [0-100]"},
      {"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
       "profilez: []\n",
       "strict decoding error: unknown field \"profilez\""},
  };
  for (const Case& c : cases) {
    auto got = ParseSchedulerConfig(c.yaml);
    ASSERT_FALSE(got.ok()) << c.yaml;
    EXPECT_EQ(got.status().message(), c.want);
  }
}

}  // namespace
}  // namespace kubesim::scheduler
