// Preemption rules as pure functions (src/scheduler/preemption/), each case
// named after its counterpart in upstream's
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go
// (TestSelectNodesForPreemption, TestDryRunPreemption,
// TestPickOneNodeForPreemption, TestPodEligibleToPreemptOthers,
// TestGetOffsetAndNumCandidates) and preemption_test.go
// (filterPodsWithPDBViolation).
#include "../src/scheduler/preemption/preemption.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../src/scheduler/plugins/plugins.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler::preemption {
namespace {

using api::Object;
using framework::Code;
using framework::CycleState;

const Time kStart = Time(std::chrono::seconds(1735689600));  // 2025-01-01T00:00:00Z

Object MakeNode(const std::string& name, const std::string& cpu) {
  Object res = {{"cpu", cpu}, {"memory", "8Gi"}, {"pods", "110"}};
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}}},
          {"spec", Object::object()},
          {"status", {{"capacity", res}, {"allocatable", res}}}};
}

struct PodSpec {
  std::string name;
  int priority = 0;
  std::string cpu = "1";
  Time start = kStart;
  std::map<std::string, std::string> labels = {};
};

std::shared_ptr<const PodInfo> MakePod(const PodSpec& p, const std::string& node = "") {
  Object labels = Object::object();
  for (const auto& [k, v] : p.labels) labels[k] = v;
  Object pod = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata",
       {{"name", p.name}, {"namespace", "default"}, {"uid", "uid-" + p.name}, {"labels", labels}}},
      {"spec",
       {{"priority", p.priority},
        {"containers", Object::array({{{"name", "c"},
                                       {"image", "nginx"},
                                       {"resources", {{"requests", {{"cpu", p.cpu}}}}}}})}}},
      {"status", {{"startTime", FormatRfc3339(p.start)}}}};
  if (!node.empty()) pod["spec"]["nodeName"] = node;
  return NewPodInfo(api::Share(std::move(pod)));
}

NodeInfo MakeNodeInfo(const std::string& name, const std::string& cpu,
                      const std::vector<PodSpec>& pods) {
  NodeInfo n(name);
  n.SetNode(api::Share(MakeNode(name, cpu)));
  for (const auto& p : pods) n.AddPod(MakePod(p, name));
  return n;
}

// A profile with the NodeResourcesFit filter only (enough for the
// resource-conflict cases upstream's tests use).
class PreemptionTest : public ::testing::Test {
 protected:
  PreemptionTest() { fwk_.AddPlugin(std::make_unique<plugins::NodeResourcesFit>()); }
  CycleState PreFiltered(const PodInfo& pod) {
    CycleState state;
    framework::PreFilterResult res;
    std::vector<std::string> names;
    fwk_.RunPreFilterPlugins(state, pod, &res, &names);
    return state;
  }
  std::vector<std::string> Names(const PodList& pods) {
    std::vector<std::string> out;
    for (const auto& p : pods) out.push_back(p->name);
    return out;
  }
  framework::Framework fwk_;
};

Object Pdb(const std::string& app, int allowed, std::vector<std::string> disrupted = {}) {
  Object pdb = {{"metadata", {{"name", "pdb-" + app}, {"namespace", "default"}}},
                {"spec", {{"selector", {{"matchLabels", {{"app", app}}}}}}},
                {"status", {{"disruptionsAllowed", allowed}}}};
  for (const auto& d : disrupted) pdb["status"]["disruptedPods"][d] = FormatRfc3339(kStart);
  return pdb;
}

// TestSelectNodesForPreemption "medium priority pod is preempted, but lower
// priority one stays as it is small".
TEST_F(PreemptionTest, ReprievesHighestPriorityFirst) {
  NodeInfo node = MakeNodeInfo("node1", "4", {{"p1", 1, "1"}, {"p2", 5, "2"}, {"p3", 100, "1"}});
  auto pod = MakePod({"preemptor", 10, "2"});
  CycleState state = PreFiltered(*pod);
  Victims v;
  framework::Status s = SelectVictimsOnNode(fwk_, nullptr, state, *pod, node, {}, kStart, &v);
  ASSERT_TRUE(s.IsSuccess()) << s.Message();
  // p2 (priority 5) is tried first: with it back, 2 cpu are used + p3's 1
  // = 3, the preemptor does not fit; p1 fits back.
  EXPECT_EQ(Names(v.pods), (std::vector<std::string>{"p2"}));
  EXPECT_EQ(v.num_pdb_violations, 0);
}

// TestSelectNodesForPreemption "a pod that would fit on the nodes, but
// other pods running are higher priority, no preemption would happen".
TEST_F(PreemptionTest, NoLowerPriorityPodsNoVictims) {
  NodeInfo node = MakeNodeInfo("node1", "2", {{"p1", 10, "2"}});
  auto pod = MakePod({"preemptor", 10, "1"});
  CycleState state = PreFiltered(*pod);
  Victims v;
  framework::Status s = SelectVictimsOnNode(fwk_, nullptr, state, *pod, node, {}, kStart, &v);
  EXPECT_EQ(s.code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(s.Message(), "No preemption victims found for incoming pod");
}

// TestSelectNodesForPreemption "a pod that does not fit on any node":
// removing every lower-priority pod is not enough; the filter's reason.
TEST_F(PreemptionTest, DoesNotFitEvenWithoutLowerPriorityPods) {
  NodeInfo node = MakeNodeInfo("node1", "2", {{"p1", 1, "1"}, {"p2", 50, "1"}});
  auto pod = MakePod({"preemptor", 10, "2"});
  CycleState state = PreFiltered(*pod);
  Victims v;
  framework::Status s = SelectVictimsOnNode(fwk_, nullptr, state, *pod, node, {}, kStart, &v);
  EXPECT_EQ(s.code(), Code::kUnschedulable);
  EXPECT_EQ(s.Message(), "Insufficient cpu");
}

// TestDryRunPreemption "preemption with violation of the pdb with pod whose
// eviction was processed": PDB-violating victims are reprieved first, and a
// pod in disruptedPods does not count against the budget.
TEST_F(PreemptionTest, PdbViolatingVictimsAreReprievedFirst) {
  // Four 1-cpu pods of equal priority; the preemptor needs 2 cpu on a 4-cpu
  // node: two must go. a1 and a2 are covered by a PDB allowing 1 disruption.
  NodeInfo node = MakeNodeInfo("node1", "4",
                               {{"a1", 1, "1", kStart, {{"app", "a"}}},
                                {"a2", 1, "1", kStart, {{"app", "a"}}},
                                {"b1", 1, "1", kStart, {{"app", "b"}}},
                                {"b2", 1, "1", kStart, {{"app", "b"}}}});
  auto pod = MakePod({"preemptor", 10, "2"});
  std::vector<api::ObjectPtr> pdbs = {api::Share(Pdb("a", 0))};
  auto [violating, non_violating] = FilterPodsWithPDBViolation(node.pods(), pdbs);
  EXPECT_EQ(Names(violating), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(Names(non_violating), (std::vector<std::string>{"b1", "b2"}));
  CycleState state = PreFiltered(*pod);
  Victims v;
  ASSERT_TRUE(SelectVictimsOnNode(fwk_, nullptr, state, *pod, node, pdbs, kStart, &v).IsSuccess());
  EXPECT_EQ(Names(v.pods), (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(v.num_pdb_violations, 0);

  // A budget of 1 with a1 already disrupted: a1 does not count, a2 fits the
  // budget; nothing violates.
  std::vector<api::ObjectPtr> processed = {api::Share(Pdb("a", 1, {"a1"}))};
  auto [v2, nv2] = FilterPodsWithPDBViolation(node.pods(), processed);
  EXPECT_TRUE(v2.empty());
  // A budget of 1 without it: the second covered pod violates.
  std::vector<api::ObjectPtr> one = {api::Share(Pdb("a", 1))};
  auto [v3, nv3] = FilterPodsWithPDBViolation(node.pods(), one);
  EXPECT_EQ(Names(v3), (std::vector<std::string>{"a2"}));
}

// When every victim is PDB-covered, the count of violations is reported.
TEST_F(PreemptionTest, CountsPdbViolations) {
  NodeInfo node = MakeNodeInfo(
      "node1", "2",
      {{"a1", 1, "1", kStart, {{"app", "a"}}}, {"a2", 1, "1", kStart, {{"app", "a"}}}});
  auto pod = MakePod({"preemptor", 10, "2"});
  std::vector<api::ObjectPtr> pdbs = {api::Share(Pdb("a", 0))};
  CycleState state = PreFiltered(*pod);
  Victims v;
  ASSERT_TRUE(SelectVictimsOnNode(fwk_, nullptr, state, *pod, node, pdbs, kStart, &v).IsSuccess());
  EXPECT_EQ(v.pods.size(), 2u);
  EXPECT_EQ(v.num_pdb_violations, 2);
}

Candidate MakeCandidate(const std::string& node, std::vector<PodSpec> victims, int pdb = 0) {
  Candidate c{node, {}};
  for (const auto& p : victims) c.victims.pods.push_back(MakePod(p, node));
  c.victims.num_pdb_violations = pdb;
  return c;
}

// TestPickOneNodeForPreemption, one rule at a time.
TEST(PickOneNodeForPreemptionTest, RulesInOrder) {
  // "a pod that fits on a machine with fewer PDB violations".
  EXPECT_EQ(PickOneNodeForPreemption(
                {MakeCandidate("n1", {{"a", 1}}, 1), MakeCandidate("n2", {{"b", 5}, {"c", 5}}, 0)},
                kStart),
            "n2");
  // "machine with min highest priority pod is picked".
  EXPECT_EQ(PickOneNodeForPreemption({MakeCandidate("n1", {{"a", 10}, {"b", 1}}),
                                      MakeCandidate("n2", {{"c", 5}, {"d", 5}, {"e", 5}}),
                                      MakeCandidate("n3", {{"f", 8}})},
                                     kStart),
            "n2");
  // "when highest priorities are the same, minimum sum of lower priority
  // pods is used".
  EXPECT_EQ(PickOneNodeForPreemption({MakeCandidate("n1", {{"a", 10}, {"b", 5}}),
                                      MakeCandidate("n2", {{"c", 10}, {"d", 1}})},
                                     kStart),
            "n2");
  // "sum of adjusted priorities is considered": two victims of -5 weigh
  // more than one of -5 (each shifted by MaxInt32+1).
  EXPECT_EQ(
      PickOneNodeForPreemption(
          {MakeCandidate("n1", {{"a", -5}, {"b", -5}}), MakeCandidate("n2", {{"c", -5}})}, kStart),
      "n2");
  // Fewer victims of the same priority: with every priority shifted by
  // MaxInt32+1 the sum rule already prefers them (equal shifted sums imply
  // equal counts, so the minimum-number-of-pods rule never decides alone).
  EXPECT_EQ(
      PickOneNodeForPreemption(
          {MakeCandidate("n1", {{"a", 0}, {"b", 0}}), MakeCandidate("n2", {{"c", 0}})}, kStart),
      "n2");
  // "same priority, same number of victims, different start time for each
  // node's pod": the latest-started highest-priority victim wins.
  EXPECT_EQ(PickOneNodeForPreemption(
                {MakeCandidate("n1", {{"a", 5, "1", kStart + std::chrono::seconds(10)}}),
                 MakeCandidate("n2", {{"b", 5, "1", kStart + std::chrono::seconds(20)}}),
                 MakeCandidate("n3", {{"c", 5, "1", kStart}})},
                kStart),
            "n2");
  // Full tie: the first candidate.
  EXPECT_EQ(PickOneNodeForPreemption(
                {MakeCandidate("n1", {{"a", 5}}), MakeCandidate("n2", {{"b", 5}})}, kStart),
            "n1");
  EXPECT_EQ(PickOneNodeForPreemption({}, kStart), "");
}

// TestGetOffsetAndNumCandidates / calculateNumCandidates.
TEST(PreemptionCandidatesTest, NumCandidates) {
  EXPECT_EQ(CalculateNumCandidates(1), 1);
  EXPECT_EQ(CalculateNumCandidates(10), 10);
  EXPECT_EQ(CalculateNumCandidates(100), 100);
  EXPECT_EQ(CalculateNumCandidates(1000), 100);
  EXPECT_EQ(CalculateNumCandidates(5000), 500);
}

// TestPodEligibleToPreemptOthers.
TEST(PodEligibleToPreemptOthersTest, Cases) {
  framework::Status ok;
  // "Pod with nominatedNode, preemptionPolicy Never": not eligible.
  Object never = *MakePod({"p", 10})->pod;
  never["spec"]["preemptionPolicy"] = "Never";
  EXPECT_EQ(PodEligibleToPreemptOthers(*NewPodInfo(api::Share(never)), nullptr, ok),
            "not eligible due to preemptionPolicy=Never.");
  // "Pod with nominated node, but without nominated node status": eligible
  // when nothing on the node is terminating.
  Object nominated = *MakePod({"p", 10})->pod;
  nominated["status"]["nominatedNodeName"] = "node1";
  auto pod = NewPodInfo(api::Share(nominated));
  NodeInfo node = MakeNodeInfo("node1", "2", {});
  EXPECT_EQ(PodEligibleToPreemptOthers(*pod, &node, ok), "");
  // "Pod with nominated node, and a lower-priority pod terminating because
  // of preemption": not eligible.
  Object victim = *MakePod({"victim", 1}, "node1")->pod;
  victim["metadata"]["deletionTimestamp"] = FormatRfc3339(kStart);
  victim["status"]["conditions"] = Object::array(
      {{{"type", "DisruptionTarget"}, {"status", "True"}, {"reason", "PreemptionByScheduler"}}});
  node.AddPod(NewPodInfo(api::Share(victim)));
  EXPECT_EQ(PodEligibleToPreemptOthers(*pod, &node, ok),
            "not eligible due to a terminating pod on the nominated node.");
  // "Pod with nominated node, and the node is UnschedulableAndUnresolvable":
  // eligible to preempt again.
  EXPECT_EQ(PodEligibleToPreemptOthers(*pod, &node,
                                       framework::Status(Code::kUnschedulableAndUnresolvable)),
            "");
}

// RunFilterPluginsWithNominatedPods: a nominated pod of higher or equal
// priority takes its room; a lower-priority one does not.
TEST_F(PreemptionTest, NominatedPodsAreAccountedFor) {
  NodeInfo node = MakeNodeInfo("node1", "2", {});
  Nominator nominator;
  Object nominated = *MakePod({"big", 50, "2"})->pod;
  nominated["status"]["nominatedNodeName"] = "node1";
  nominator.Add(NewPodInfo(api::Share(nominated)), std::nullopt);
  ASSERT_EQ(nominator.PodsForNode("node1").size(), 1u);

  auto low = MakePod({"low", 10, "1"});
  CycleState s1 = PreFiltered(*low);
  EXPECT_EQ(RunFilterPluginsWithNominatedPods(fwk_, &nominator, s1, *low, node).Message(),
            "Insufficient cpu");
  auto high = MakePod({"high", 100, "1"});
  CycleState s2 = PreFiltered(*high);
  EXPECT_TRUE(RunFilterPluginsWithNominatedPods(fwk_, &nominator, s2, *high, node).IsSuccess());

  nominator.Delete("uid-big");
  EXPECT_TRUE(nominator.PodsForNode("node1").empty());
}

// DryRunPreemption: nodes from the offset round the list; candidates
// without PDB violations first; failed nodes keep their status.
TEST_F(PreemptionTest, DryRunOrdersCandidatesAndRecordsFailures) {
  NodeInfo n1 = MakeNodeInfo("node1", "2", {{"a1", 1, "2", kStart, {{"app", "a"}}}});
  NodeInfo n2 = MakeNodeInfo("node2", "2", {{"b1", 1, "2"}});
  NodeInfo n3 = MakeNodeInfo("node3", "2", {{"c1", 100, "2"}});
  auto pod = MakePod({"preemptor", 10, "2"});
  std::vector<api::ObjectPtr> pdbs = {api::Share(Pdb("a", 0))};
  CycleState state = PreFiltered(*pod);
  framework::NodeToStatus statuses;
  auto candidates = DryRunPreemption(fwk_, nullptr, state, *pod, {&n1, &n2, &n3}, pdbs,
                                     /*offset=*/0, /*num_candidates=*/3, kStart, &statuses);
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0].node, "node2");
  EXPECT_EQ(candidates[1].node, "node1");
  EXPECT_EQ(candidates[1].victims.num_pdb_violations, 1);
  EXPECT_EQ(statuses.Get("node3").Message(), "No preemption victims found for incoming pod");
  EXPECT_EQ(PickOneNodeForPreemption(candidates, kStart), "node2");
}

}  // namespace
}  // namespace kubesim::scheduler::preemption
