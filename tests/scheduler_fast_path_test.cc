// Tests for the scheduler's per-node and per-pod fast paths: each must give
// exactly what the path it shortcuts gives (the Status without a side
// record, FitsResources against InsufficientResources, PodRequestsBoth
// against PodRequests, RefreshPodInfo against NewPodInfo, the score loop's
// detail table against the per-node scores, and its error paths).
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "../src/scheduler/framework.h"
#include "../src/scheduler/node_info.h"
#include "../src/scheduler/plugins/plugins.h"
#include "../src/scheduler/resources.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler {
namespace {

using api::Object;
using framework::Code;
using framework::Status;

// --- Status ------------------------------------------------------------------

TEST(SchedulerFastPathTest, SuccessStatusHasNoReasonsNoPlugin) {
  Status s;
  EXPECT_TRUE(s.IsSuccess());
  EXPECT_TRUE(s.reasons().empty());
  EXPECT_EQ(s.plugin(), "");
  EXPECT_EQ(s.Message(), "");
  Status skip(Code::kSkip);
  EXPECT_TRUE(skip.IsSkip());
  EXPECT_TRUE(skip.reasons().empty());
}

TEST(SchedulerFastPathTest, StatusCopiesAndMovesReasonsAndPlugin) {
  Status s(Code::kUnschedulable, {"Insufficient cpu", "Insufficient memory"});
  s.WithPlugin("NodeResourcesFit");
  EXPECT_EQ(s.Message(), "Insufficient cpu, Insufficient memory");

  Status copy = s;  // deep copy: changing the copy leaves the original alone
  copy.WithPlugin("Other");
  EXPECT_EQ(s.plugin(), "NodeResourcesFit");
  EXPECT_EQ(copy.plugin(), "Other");
  EXPECT_EQ(copy.reasons(), s.reasons());
  EXPECT_EQ(copy.code(), Code::kUnschedulable);

  Status assigned;
  assigned = s;
  EXPECT_EQ(assigned.Message(), s.Message());
  EXPECT_EQ(assigned.plugin(), "NodeResourcesFit");
  assigned = Status();  // back to a bare Success
  EXPECT_TRUE(assigned.IsSuccess());
  EXPECT_TRUE(assigned.reasons().empty());
  EXPECT_EQ(assigned.plugin(), "");

  Status moved = std::move(s);
  EXPECT_EQ(moved.Message(), "Insufficient cpu, Insufficient memory");
  EXPECT_EQ(moved.plugin(), "NodeResourcesFit");

  // A plugin without reasons (PostFilter's rejector) and an Error.
  Status plugin_only(Code::kUnschedulable);
  plugin_only.WithPlugin("DefaultPreemption");
  EXPECT_EQ(plugin_only.plugin(), "DefaultPreemption");
  EXPECT_TRUE(plugin_only.reasons().empty());
  EXPECT_EQ(Status::Error("boom").Message(), "boom");
  EXPECT_EQ(Status::Error("boom").code(), Code::kError);
}

// --- FitsResources -------------------------------------------------------------

Object Node(const Object& allocatable) {
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", "n"}}},
          {"status", {{"allocatable", allocatable}}}};
}

Object PodWithRequests(const std::string& name, const Object& requests) {
  Object container = {{"name", "app"}, {"image", "nginx"}};
  if (!requests.empty()) container["resources"] = {{"requests", requests}};
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}}},
          {"spec", {{"nodeName", "n"}, {"containers", Object::array({container})}}}};
}

TEST(SchedulerFastPathTest, FitsResourcesAgreesWithInsufficientResources) {
  const Object allocatables[] = {
      {{"cpu", "1"}, {"memory", "1Gi"}, {"pods", "2"}},
      {{"cpu", "1"}, {"memory", "1Gi"}, {"pods", "1"}},
      {{"cpu", "0"}, {"memory", "0"}, {"pods", "0"}},
      {{"cpu", "2"},
       {"memory", "2Gi"},
       {"pods", "10"},
       {"ephemeral-storage", "1Gi"},
       {"example.com/gpu", "1"}},
      {{"cpu", "2"}, {"memory", "2Gi"}, {"pods", "10"}, {"hugepages-2Mi", "4Mi"}},
  };
  const Object bound[] = {
      Object::object(),
      {{"cpu", "500m"}, {"memory", "512Mi"}},
      {{"cpu", "1"}, {"example.com/gpu", "1"}},
  };
  const Object requests[] = {
      Object::object(),  // best effort: only the pod count can fail
      {{"cpu", "500m"}},
      {{"cpu", "501m"}, {"memory", "512Mi"}},
      {{"memory", "513Mi"}},
      {{"ephemeral-storage", "1Gi"}},
      {{"ephemeral-storage", "2Gi"}},
      {{"example.com/gpu", "1"}},
      {{"example.com/gpu", "0"}},  // a zero scalar request is skipped
      {{"hugepages-2Mi", "4Mi"}},
      {{"hugepages-2Mi", "6Mi"}, {"cpu", "3"}},
  };
  int checked = 0, fitting = 0;
  for (const Object& alloc : allocatables) {
    for (const Object& used : bound) {
      NodeInfo node("n");
      node.SetNode(api::Share(Node(alloc)));
      if (!used.empty()) node.AddPod(NewPodInfo(api::Share(PodWithRequests("bound", used))));
      for (const Object& req : requests) {
        auto pod = NewPodInfo(api::Share(PodWithRequests("p", req)));
        const bool fits = plugins::FitsResources(pod->requests, node);
        EXPECT_EQ(fits, plugins::InsufficientResources(pod->requests, node).empty())
            << alloc.dump() << " used " << used.dump() << " request " << req.dump();
        ++checked;
        fitting += fits ? 1 : 0;
      }
    }
  }
  // Both outcomes were exercised.
  EXPECT_GT(fitting, 0);
  EXPECT_LT(fitting, checked);
}

// --- PodRequestsBoth -----------------------------------------------------------

TEST(SchedulerFastPathTest, PodRequestsBothMatchesPodRequests) {
  std::vector<Object> pods;
  pods.push_back(PodWithRequests("empty", Object::object()));
  pods.push_back(PodWithRequests("cpu", {{"cpu", "250m"}}));
  Object sidecars = PodWithRequests("sidecars", {{"cpu", "1"}, {"memory", "1Gi"}});
  sidecars["spec"]["containers"].push_back({{"name", "b"}, {"image", "x"}});
  sidecars["spec"]["initContainers"] = Object::array(
      {{{"name", "i1"}, {"image", "x"}, {"resources", {{"requests", {{"cpu", "2"}}}}}},
       {{"name", "s1"},
        {"image", "x"},
        {"restartPolicy", "Always"},
        {"resources", {{"requests", {{"memory", "300Mi"}}}}}},
       {{"name", "i2"}, {"image", "x"}},
       {{"name", "s2"},
        {"image", "x"},
        {"restartPolicy", "Always"},
        {"resources", {{"requests", {{"cpu", "100m"}, {"example.com/gpu", "1"}}}}}}});
  sidecars["spec"]["overhead"] = {{"cpu", "10m"}, {"memory", "10Mi"}};
  pods.push_back(sidecars);
  Object no_spec = {{"metadata", {{"name", "x"}}}};
  pods.push_back(no_spec);
  Object numbers = PodWithRequests("numbers", {{"cpu", 2}, {"memory", 1048576}});
  pods.push_back(numbers);

  for (const Object& pod : pods) {
    ResourceList plain, non0;
    PodRequestsBoth(pod, &plain, &non0);
    const ResourceList want_plain = PodRequests(pod, false);
    const ResourceList want_non0 = PodRequests(pod, true);
    ASSERT_EQ(plain.size(), want_plain.size()) << pod.dump();
    for (const auto& [name, q] : want_plain) {
      ASSERT_TRUE(plain.contains(name)) << name;
      EXPECT_EQ(plain.at(name).Cmp(q), 0) << pod.dump() << " " << name;
    }
    ASSERT_EQ(non0.size(), want_non0.size()) << pod.dump();
    for (const auto& [name, q] : want_non0) {
      ASSERT_TRUE(non0.contains(name)) << name;
      EXPECT_EQ(non0.at(name).Cmp(q), 0) << pod.dump() << " " << name;
    }
  }
  // The sidecar pod's cpu by hand: containers 1 + sidecar s2 0.1 = 1.1;
  // init containers peak at 2 (i1, no sidecar started yet); max(1.1, 2)
  // plus 10m overhead.
  ResourceList plain, non0;
  PodRequestsBoth(sidecars, &plain, &non0);
  EXPECT_EQ(plain.at("cpu").MilliValue(), 2010);
  EXPECT_EQ(plain.at("example.com/gpu").Value(), 1);
}

// --- RefreshPodInfo ------------------------------------------------------------

// Every field of PodInfo, as text, so two PodInfos compare in one EXPECT.
std::string Describe(const PodInfo& p) {
  std::string out = p.ns + "|" + p.name + "|" + p.uid + "|" + p.node_name + "|" + p.scheduler_name +
                    "|" + p.phase + "|" + (p.deleting ? "del" : "-") + "|" +
                    std::to_string(p.priority) + "|" + p.preemption_policy + "|";
  for (const auto& [k, v] : p.labels) out += k + "=" + v + ",";
  out += "|";
  for (const Toleration& t : p.tolerations) out += t.key + t.op + t.value + t.effect + ",";
  out += "|" + std::to_string(p.requests.milli_cpu) + "," + std::to_string(p.requests.memory) +
         "," + std::to_string(p.requests.ephemeral_storage) + ",";
  for (const auto& [k, v] : p.requests.scalar) out += k + "=" + std::to_string(v) + ",";
  out += "|" + std::to_string(p.non0_milli_cpu) + "," + std::to_string(p.non0_memory) + "|";
  for (const HostPort& h : p.host_ports) out += h.protocol + h.host_ip + std::to_string(h.port);
  out += "|";
  for (const std::string& i : p.images) out += i + ",";
  out += "|" + std::to_string(p.required_affinity.size()) +
         std::to_string(p.required_anti_affinity.size()) +
         std::to_string(p.preferred_affinity.size()) +
         std::to_string(p.preferred_anti_affinity.size()) +
         (p.has_namespace_selectors ? "ns" : "-") + "|" + p.owner_kind + "/" + p.owner_name + "/" +
         p.owner_api_version;
  for (const auto* terms : {&p.required_affinity, &p.required_anti_affinity, &p.preferred_affinity,
                            &p.preferred_anti_affinity}) {
    for (const AffinityTerm& t : *terms) {
      out += "|" + t.topology_key + ":" + std::to_string(t.weight);
      for (const std::string& ns : t.namespaces) out += ns + ",";
    }
  }
  return out;
}

Object RichPod() {
  Object pod = PodWithRequests("rich", {{"cpu", "100m"}, {"memory", "64Mi"}});
  pod["metadata"]["labels"] = {{"app", "web"}};
  pod["metadata"]["resourceVersion"] = "7";
  pod["metadata"]["ownerReferences"] = Object::array({{{"apiVersion", "apps/v1"},
                                                       {"kind", "ReplicaSet"},
                                                       {"name", "web-1"},
                                                       {"controller", true}}});
  pod["spec"].erase("nodeName");
  pod["spec"]["schedulerName"] = "default-scheduler";
  pod["spec"]["priority"] = 5;
  pod["spec"]["tolerations"] = Object::array(
      {{{"key", "node.kubernetes.io/not-ready"}, {"operator", "Exists"}, {"effect", "NoExecute"}}});
  pod["spec"]["containers"][0]["ports"] =
      Object::array({{{"containerPort", 80}, {"hostPort", 8080}}});
  pod["spec"]["affinity"] = {
      {"podAntiAffinity",
       {{"requiredDuringSchedulingIgnoredDuringExecution",
         Object::array({{{"labelSelector", {{"matchLabels", {{"app", "web"}}}}},
                         {"topologyKey", "kubernetes.io/hostname"}}})}}}};
  pod["status"] = {{"phase", "Pending"}};
  return pod;
}

TEST(SchedulerFastPathTest, RefreshPodInfoEqualsNewPodInfo) {
  const Object base = RichPod();
  auto prev = NewPodInfo(api::Share(base));

  std::vector<std::pair<std::string, Object>> changes;
  {
    Object bound = base;  // the bind: only nodeName and the version move
    bound["spec"]["nodeName"] = "node-1";
    bound["metadata"]["resourceVersion"] = "8";
    changes.emplace_back("bound", bound);
    Object running = bound;  // the kubelet's status update
    running["status"]["phase"] = "Running";
    running["status"]["conditions"] = Object::array({{{"type", "Ready"}, {"status", "True"}}});
    changes.emplace_back("running", running);
  }
  {
    Object relabeled = base;
    relabeled["metadata"]["labels"]["tier"] = "front";
    changes.emplace_back("labels", relabeled);
  }
  {
    Object resized = base;
    resized["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "200m";
    changes.emplace_back("requests", resized);
  }
  {
    Object tolerant = base;
    tolerant["spec"]["tolerations"].push_back({{"operator", "Exists"}});
    changes.emplace_back("tolerations", tolerant);
  }
  {
    Object deleting = base;
    deleting["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z";
    changes.emplace_back("deleting", deleting);
  }
  {
    Object orphan = base;
    orphan["metadata"].erase("ownerReferences");
    changes.emplace_back("owner", orphan);
  }
  {
    Object other_ns = base;
    other_ns["metadata"]["namespace"] = "other";
    changes.emplace_back("namespace", other_ns);
  }
  {
    Object no_uid = base;
    no_uid["metadata"].erase("uid");
    changes.emplace_back("uid", no_uid);
  }
  {
    Object no_status = base;
    no_status.erase("status");
    changes.emplace_back("status", no_status);
  }
  {
    Object spec_key = base;  // a spec field only present on one side
    spec_key["spec"]["preemptionPolicy"] = "Never";
    changes.emplace_back("preemptionPolicy", spec_key);
  }
  {
    Object nodename_only = base;  // nodeName sorts between other keys
    nodename_only["spec"]["nodeName"] = "a";
    nodename_only["spec"]["nodeSelector"] = {{"zone", "a"}};
    changes.emplace_back("nodeSelector", nodename_only);
  }
  for (const auto& [what, pod] : changes) {
    auto refreshed = RefreshPodInfo(*prev, api::Share(pod));
    auto fresh = NewPodInfo(api::Share(pod));
    EXPECT_EQ(Describe(*refreshed), Describe(*fresh)) << what;
    EXPECT_EQ(refreshed->pod.get() != nullptr && *refreshed->pod == pod, true) << what;
  }
  // The bind really changed what NewPodInfo sees (nodeName), and the
  // refresh followed it.
  EXPECT_EQ(RefreshPodInfo(*prev, api::Share(changes[0].second))->node_name, "node-1");
  EXPECT_EQ(prev->node_name, "");
}

// --- RunScorePlugins -----------------------------------------------------------

// Scores a node by the number in its name ("n7" -> 7 * factor); with
// `normalize`, NormalizeScore maps the scores onto 0..100 (DefaultNormalize).
class NumberScore final : public framework::ScorePlugin {
 public:
  NumberScore(std::string name, int64_t factor, bool normalize, int64_t fail_at = -1)
      : name_(std::move(name)), factor_(factor), normalize_(normalize), fail_at_(fail_at) {}
  std::string Name() const override { return name_; }
  int64_t Score(framework::CycleState&, const PodInfo&, const NodeInfo& node,
                Status* status) override {
    const int64_t n = std::stoll(node.name().substr(1));
    if (n == fail_at_) *status = Status::Error("no score for " + node.name());
    return n * factor_;
  }
  bool HasNormalizeScore() const override { return normalize_; }
  Status NormalizeScore(framework::CycleState&, const PodInfo&,
                        std::vector<framework::NodeScore>& scores) override {
    framework::DefaultNormalizeScore(framework::kMaxNodeScore, false, scores);
    return Status();
  }

 private:
  std::string name_;
  int64_t factor_;
  bool normalize_;
  int64_t fail_at_;
};

TEST(SchedulerFastPathTest, ScoreDetailMatchesPerNodeScores) {
  framework::Framework fwk;
  fwk.AddPlugin(std::make_unique<NumberScore>("Linear", 10, false), 2);
  fwk.AddPlugin(std::make_unique<NumberScore>("Normalized", 1000, true), 3);
  std::vector<std::unique_ptr<NodeInfo>> owned;
  std::vector<NodeInfo*> nodes;
  for (int i : {1, 4, 10, 2}) {
    owned.push_back(std::make_unique<NodeInfo>("n" + std::to_string(i)));
    nodes.push_back(owned.back().get());
  }
  auto pod = NewPodInfo(api::Share(PodWithRequests("p", Object::object())));
  framework::CycleState state;
  Status status;
  // Without a detail table: per-plugin weighted scores per node.
  const auto plain = fwk.RunScorePlugins(state, *pod, nodes, &status);
  ASSERT_TRUE(status.IsSuccess());
  framework::Framework::ScoreDetail detail;
  const auto detailed = fwk.RunScorePlugins(state, *pod, nodes, &status, &detail);
  ASSERT_TRUE(status.IsSuccess());
  ASSERT_EQ(plain.size(), 4u);
  ASSERT_EQ(detailed.size(), 4u);
  EXPECT_EQ(detail.plugins, (std::vector<std::string>{"Linear", "Normalized"}));
  EXPECT_EQ(detail.weights, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(detail.nodes, 4u);
  const int64_t numbers[] = {1, 4, 10, 2};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(plain[i].name, nodes[i]->name());
    EXPECT_EQ(detailed[i].name, nodes[i]->name());
    ASSERT_EQ(plain[i].scores.size(), 2u);
    EXPECT_TRUE(detailed[i].scores.empty());
    EXPECT_EQ(detail.Raw(0, i), numbers[i] * 10);
    EXPECT_EQ(detail.Normalized(0, i), numbers[i] * 10);
    EXPECT_EQ(detail.Raw(1, i), numbers[i] * 1000);
    EXPECT_EQ(detail.Normalized(1, i), numbers[i] * 10);  // max 10000 -> 100
    EXPECT_EQ(plain[i].scores[0].score, 2 * numbers[i] * 10);
    EXPECT_EQ(plain[i].scores[1].score, 3 * numbers[i] * 10);
    EXPECT_EQ(plain[i].total_score, 5 * numbers[i] * 10);
    EXPECT_EQ(detailed[i].total_score, plain[i].total_score);
  }
}

TEST(SchedulerFastPathTest, ScoreErrorsStopTheLoop) {
  std::vector<std::unique_ptr<NodeInfo>> owned;
  std::vector<NodeInfo*> nodes;
  for (int i : {1, 4, 20, 2}) {
    owned.push_back(std::make_unique<NodeInfo>("n" + std::to_string(i)));
    nodes.push_back(owned.back().get());
  }
  auto pod = NewPodInfo(api::Share(PodWithRequests("p", Object::object())));
  framework::CycleState state;
  Status status;
  {
    framework::Framework fwk;
    fwk.AddPlugin(std::make_unique<NumberScore>("Failing", 1, false, /*fail_at=*/4));
    EXPECT_TRUE(fwk.RunScorePlugins(state, *pod, nodes, &status).empty());
    EXPECT_EQ(status.code(), Code::kError);
    EXPECT_EQ(status.Message(), "running Score plugin \"Failing\": no score for n4");
  }
  {
    // 20 * 10 = 200 is out of range and not normalized.
    framework::Framework fwk;
    fwk.AddPlugin(std::make_unique<NumberScore>("TooHigh", 10, false));
    framework::Framework::ScoreDetail detail;
    EXPECT_TRUE(fwk.RunScorePlugins(state, *pod, nodes, &status, &detail).empty());
    EXPECT_EQ(status.Message(),
              "plugin \"TooHigh\" returns an invalid score 200, it should in the range of "
              "[0, 100] after normalizing");
    // The two nodes before the bad one were recorded, as if appended.
    EXPECT_EQ(detail.normalized.size(), 2u);
  }
  {
    // A success after an error: the status is reset.
    framework::Framework fwk;
    fwk.AddPlugin(std::make_unique<NumberScore>("Fine", 1, false));
    EXPECT_EQ(fwk.RunScorePlugins(state, *pod, nodes, &status).size(), 4u);
    EXPECT_TRUE(status.IsSuccess());
  }
}

// --- Resource scores: the default-shape fast paths against the formulas ------

TEST(SchedulerFastPathTest, ResourceScoresMatchTheGeneralFormulas) {
  plugins::NodeResourcesFit fit;  // default args: [cpu, memory], LeastAllocated
  plugins::NodeResourcesFitArgs swapped_args;
  swapped_args.resources = {{"memory", 2}, {"cpu", 1}};  // the general path
  plugins::NodeResourcesFit swapped(swapped_args);
  plugins::NodeResourcesBalancedAllocation balanced;

  const Object allocatables[] = {
      {{"cpu", "4"}, {"memory", "8Gi"}, {"pods", "110"}},
      {{"cpu", "0"}, {"memory", "8Gi"}, {"pods", "110"}},
      {{"cpu", "4"}, {"memory", "0"}, {"pods", "110"}},
      {{"cpu", "0"}, {"memory", "0"}, {"pods", "110"}},
      {{"cpu", "1"}, {"memory", "1Gi"}, {"pods", "110"}},
  };
  const Object bound[] = {Object::object(),
                          {{"cpu", "500m"}, {"memory", "512Mi"}},
                          {{"cpu", "3"}},
                          {{"cpu", "7"}, {"memory", "9Gi"}}};
  const Object requests[] = {Object::object(),
                             {{"cpu", "100m"}},
                             {{"cpu", "1"}, {"memory", "1Gi"}},
                             {{"cpu", "5"}, {"memory", "100Mi"}}};
  int checked = 0;
  for (const Object& alloc : allocatables) {
    for (const Object& used : bound) {
      NodeInfo node("n");
      node.SetNode(api::Share(Node(alloc)));
      if (!used.empty()) node.AddPod(NewPodInfo(api::Share(PodWithRequests("bound", used))));
      for (const Object& req : requests) {
        auto pod = NewPodInfo(api::Share(PodWithRequests("p", req)));
        // Both NodeResourcesFit instances write the same state key: one
        // CycleState each.
        framework::CycleState state, swapped_state;
        const std::vector<NodeInfo*> nodes = {&node};
        ASSERT_TRUE(fit.PreScore(state, *pod, nodes).IsSuccess());
        ASSERT_TRUE(swapped.PreScore(swapped_state, *pod, nodes).IsSuccess());
        ASSERT_TRUE(balanced.PreScore(state, *pod, nodes).IsSuccess());
        const int64_t a_cpu = node.allocatable().milli_cpu, a_mem = node.allocatable().memory;
        const int64_t nz_cpu = node.non_zero_requested().milli_cpu + pod->non0_milli_cpu;
        const int64_t nz_mem = node.non_zero_requested().memory + pod->non0_memory;
        Status st;
        EXPECT_EQ(fit.Score(state, *pod, node, &st),
                  plugins::LeastAllocatedScore({nz_cpu, nz_mem}, {a_cpu, a_mem}, {1, 1}))
            << alloc.dump() << used.dump() << req.dump();
        EXPECT_EQ(swapped.Score(swapped_state, *pod, node, &st),
                  plugins::LeastAllocatedScore({nz_mem, nz_cpu}, {a_mem, a_cpu}, {2, 1}))
            << alloc.dump() << used.dump() << req.dump();
        // BalancedAllocation: plain requests; resources without allocatable
        // are left out (requested 0, allocatable 0).
        const int64_t r_cpu = a_cpu == 0 ? 0 : node.requested().milli_cpu + pod->requests.milli_cpu;
        const int64_t r_mem = a_mem == 0 ? 0 : node.requested().memory + pod->requests.memory;
        EXPECT_EQ(balanced.Score(state, *pod, node, &st),
                  plugins::BalancedResourceScore({r_cpu, r_mem}, {a_cpu, a_mem}))
            << alloc.dump() << used.dump() << req.dump();
        EXPECT_TRUE(st.IsSuccess());
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 5 * 4 * 4);
}

// --- RunFilterPlugins: the per-cycle list of filters to run --------------------

// Rejects nodes whose name is in `reject`; with `skip`, its PreFilter
// returns Skip. Counts its Filter calls.
class NameFilter final : public framework::PreFilterPlugin, public framework::FilterPlugin {
 public:
  NameFilter(std::string name, std::set<std::string> reject, bool skip, int* calls)
      : name_(std::move(name)), reject_(std::move(reject)), skip_(skip), calls_(calls) {}
  std::string Name() const override { return name_; }
  Status PreFilter(framework::CycleState&, const PodInfo&, framework::PreFilterResult*) override {
    return skip_ ? Status(Code::kSkip) : Status();
  }
  Status Filter(framework::CycleState&, const PodInfo&, const NodeInfo& node) override {
    ++*calls_;
    if (reject_.contains(node.name())) return Status(Code::kUnschedulable, {name_ + " says no"});
    return Status();
  }

 private:
  std::string name_;
  std::set<std::string> reject_;
  bool skip_;
  int* calls_;
};

TEST(SchedulerFastPathTest, FilterRunsOnlyUnskippedPluginsInOrder) {
  int a_calls = 0, b_calls = 0, c_calls = 0;
  framework::Framework fwk;
  fwk.AddPlugin(std::make_unique<NameFilter>("A", std::set<std::string>{"n1"}, false, &a_calls));
  fwk.AddPlugin(std::make_unique<NameFilter>("B", std::set<std::string>{"n2"}, true, &b_calls));
  fwk.AddPlugin(
      std::make_unique<NameFilter>("C", std::set<std::string>{"n2", "n3"}, false, &c_calls));
  auto pod = NewPodInfo(api::Share(PodWithRequests("p", Object::object())));
  NodeInfo n1("n1"), n2("n2"), n3("n3"), n4("n4");

  // After PreFilter: B (skipped) never runs; A before C.
  framework::CycleState state;
  framework::PreFilterResult result;
  std::vector<std::string> with_nodes;
  ASSERT_TRUE(fwk.RunPreFilterPlugins(state, *pod, &result, &with_nodes).IsSuccess());
  Status s1 = fwk.RunFilterPlugins(state, *pod, n1);
  EXPECT_EQ(s1.plugin(), "A");
  EXPECT_EQ(s1.Message(), "A says no");
  EXPECT_TRUE(fwk.RunFilterPlugins(state, *pod, n2).IsRejected());  // by C, not B
  EXPECT_EQ(fwk.RunFilterPlugins(state, *pod, n2).plugin(), "C");
  EXPECT_EQ(fwk.RunFilterPlugins(state, *pod, n3).plugin(), "C");
  EXPECT_TRUE(fwk.RunFilterPlugins(state, *pod, n4).IsSuccess());
  EXPECT_EQ(b_calls, 0);
  EXPECT_EQ(a_calls, 5);
  EXPECT_EQ(c_calls, 4);

  // A clone keeps the list; a state without PreFilter runs every plugin
  // but those named in skip_filter_plugins.
  framework::CycleState copy = state.Clone();
  EXPECT_EQ(fwk.RunFilterPlugins(copy, *pod, n2).plugin(), "C");
  EXPECT_EQ(b_calls, 0);
  framework::CycleState bare;
  EXPECT_EQ(fwk.RunFilterPlugins(bare, *pod, n2).plugin(), "B");
  EXPECT_EQ(b_calls, 1);
  bare.skip_filter_plugins.insert("B");
  EXPECT_EQ(fwk.RunFilterPlugins(bare, *pod, n2).plugin(), "C");
  EXPECT_EQ(b_calls, 1);
}

// NodeName passes a pod without spec.nodeName on every node, so the
// cycle's list leaves it out; with a nodeName it stays and still rejects
// first. Either way the answers equal the full loop's (a state without
// PreFilter runs every plugin).
TEST(SchedulerFastPathTest, FilterListLeavesOutPluginsThatFitEveryNode) {
  int a_calls = 0;
  framework::Framework fwk;
  fwk.AddPlugin(std::make_unique<plugins::NodeName>());
  fwk.AddPlugin(std::make_unique<NameFilter>("A", std::set<std::string>{"n1"}, false, &a_calls));
  NodeInfo n1("n1"), n2("n2"), n3("n3");

  Object unbound = PodWithRequests("p", Object::object());
  unbound["spec"].erase("nodeName");
  auto free_pod = NewPodInfo(api::Share(unbound));
  auto pinned_pod = NewPodInfo(api::Share(PodWithRequests("q", Object::object())));
  ASSERT_TRUE(free_pod->node_name.empty());
  ASSERT_EQ(pinned_pod->node_name, "n");

  for (const auto& pod : {free_pod, pinned_pod}) {
    framework::CycleState state;
    framework::PreFilterResult result;
    std::vector<std::string> with_nodes;
    ASSERT_TRUE(fwk.RunPreFilterPlugins(state, *pod, &result, &with_nodes).IsSuccess());
    EXPECT_EQ(state.filters_to_run.size(), pod->node_name.empty() ? 1u : 2u);
    for (const NodeInfo* node : {&n1, &n2, &n3}) {
      framework::CycleState bare;
      const Status fast = fwk.RunFilterPlugins(state, *pod, *node);
      const Status full = fwk.RunFilterPlugins(bare, *pod, *node);
      EXPECT_EQ(fast.code(), full.code()) << node->name();
      EXPECT_EQ(fast.plugin(), full.plugin()) << node->name();
      EXPECT_EQ(fast.Message(), full.Message()) << node->name();
    }
  }
  // The pinned pod ("n") is rejected by NodeName everywhere, before A.
  framework::CycleState state;
  framework::PreFilterResult result;
  std::vector<std::string> with_nodes;
  ASSERT_TRUE(fwk.RunPreFilterPlugins(state, *pinned_pod, &result, &with_nodes).IsSuccess());
  EXPECT_EQ(fwk.RunFilterPlugins(state, *pinned_pod, n1).plugin(), "NodeName");
  framework::CycleState free_state;
  ASSERT_TRUE(fwk.RunPreFilterPlugins(free_state, *free_pod, &result, &with_nodes).IsSuccess());
  EXPECT_EQ(fwk.RunFilterPlugins(free_state, *free_pod, n1).plugin(), "A");
  EXPECT_TRUE(fwk.RunFilterPlugins(free_state, *free_pod, n2).IsSuccess());
}

// --- CycleState::Read by StateKey ----------------------------------------------

struct IntData final : framework::StateData {
  explicit IntData(int v) : value(v) {}
  int value;
  std::shared_ptr<StateData> Clone() const override { return std::make_shared<IntData>(*this); }
};
struct OtherData final : framework::StateData {
  std::shared_ptr<StateData> Clone() const override { return std::make_shared<OtherData>(); }
};

constexpr framework::StateKey kKeyA{"A"};
constexpr framework::StateKey kKeyB{"B"};

TEST(SchedulerFastPathTest, ReadByStateKeyAnswersAsReadByName) {
  framework::CycleState state;
  EXPECT_EQ(state.Read<IntData>(kKeyA), nullptr);
  state.Write(kKeyA, std::make_shared<IntData>(1));
  ASSERT_NE(state.Read<IntData>(kKeyA), nullptr);
  EXPECT_EQ(state.Read<IntData>(kKeyA)->value, 1);   // the remembered answer
  EXPECT_EQ(state.Read<OtherData>(kKeyA), nullptr);  // another type
  EXPECT_EQ(state.Read<IntData>(kKeyA)->value, 1);
  EXPECT_EQ(state.Read<IntData>(kKeyB), nullptr);  // another key
  EXPECT_EQ(state.Read<IntData>("A")->value, 1);   // by name in between
  EXPECT_EQ(state.Read<IntData>(kKeyA)->value, 1);
  state.Write(kKeyA, std::make_shared<IntData>(2));  // a Write forgets
  EXPECT_EQ(state.Read<IntData>(kKeyA)->value, 2);
  state.Write("B", std::make_shared<IntData>(3));
  EXPECT_EQ(state.Read<IntData>(kKeyB)->value, 3);
  EXPECT_EQ(state.Read<IntData>(kKeyA)->value, 2);
  // A clone answers from its own copies.
  framework::CycleState copy = state.Clone();
  EXPECT_EQ(copy.Read<IntData>(kKeyA)->value, 2);
  EXPECT_NE(copy.Read<IntData>(kKeyA), state.Read<IntData>(kKeyA));
}

}  // namespace
}  // namespace kubesim::scheduler
