// Queueing hints of PodTopologySpread and InterPodAffinity (Kubernetes
// 1.32, SchedulerQueueingHints on by default): the cases of upstream's
// pkg/scheduler/framework/plugins/podtopologyspread/plugin_test.go and
// interpodaffinity/plugin_test.go (Test_isSchedulableAfterPodChange,
// Test_isSchedulableAfterNodeChange), ported one for one with their names,
// in their versions after kubernetes#127447, #127470 and #127478 (the finer
// hints 1.32 shipped: taint changes, the pod's own tolerations, anti-affinity
// node rules), plus a few marked cases of ours and the events each plugin
// registers.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../src/scheduler/framework.h"
#include "../src/scheduler/node_info.h"
#include "../src/scheduler/plugins/in_tree.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler {
namespace {

using api::Object;
using framework::ClusterEvent;
using framework::EventResource;
using framework::QueueingHint;
namespace action = framework::action;

constexpr QueueingHint kQueue = QueueingHint::kQueue;
constexpr QueueingHint kSkip = QueueingHint::kQueueSkip;

// st.MakePod(): a pod in "default" without uid unless named (upstream's
// pods in these tables have no UID; the target pod "p" gets one here so
// that the other pods, uid-less, are not mistaken for it).
struct PodBuilder {
  Object obj = {{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"namespace", "default"}, {"labels", Object::object()}}},
                {"spec", Object::object()}};
  PodBuilder& Name(const std::string& n) {
    obj["metadata"]["name"] = n;
    obj["metadata"]["uid"] = "uid-" + n;
    return *this;
  }
  PodBuilder& Namespace(const std::string& ns) {
    obj["metadata"]["namespace"] = ns;
    return *this;
  }
  PodBuilder& Label(const std::string& k, const std::string& v) {
    obj["metadata"]["labels"][k] = v;
    return *this;
  }
  PodBuilder& Node(const std::string& n) {
    obj["spec"]["nodeName"] = n;
    return *this;
  }
  PodBuilder& Toleration(const std::string& key) {
    obj["spec"]["tolerations"].push_back(
        Object{{"key", key}, {"operator", "Exists"}, {"effect", "NoSchedule"}});
    return *this;
  }
  // SpreadConstraint(maxSkew, key, DoNotSchedule, Exists(selector_key), ...).
  PodBuilder& SpreadConstraint(int max_skew, const std::string& key,
                               const std::string& selector_key,
                               const std::string& taints_policy = "") {
    Object c = {
        {"maxSkew", max_skew},
        {"topologyKey", key},
        {"whenUnsatisfiable", "DoNotSchedule"},
        {"labelSelector",
         {{"matchExpressions", Object::array({{{"key", selector_key}, {"operator", "Exists"}}})}}}};
    if (!taints_policy.empty()) c["nodeTaintsPolicy"] = taints_policy;
    obj["spec"]["topologySpreadConstraints"].push_back(c);
    return *this;
  }
  // PodAffinity{In,Exists}/PodAntiAffinity with the required kind.
  PodBuilder& Term(const char* kind, const std::string& topology_key, Object selector) {
    obj["spec"]["affinity"][kind]["requiredDuringSchedulingIgnoredDuringExecution"].push_back(
        Object{{"labelSelector", selector}, {"topologyKey", topology_key}});
    return *this;
  }
  PodBuilder& PodAffinityIn(const std::string& key, const std::string& topology_key,
                            std::vector<std::string> values) {
    return Term("podAffinity", topology_key, InSelector(key, values));
  }
  PodBuilder& PodAffinityExists(const std::string& key, const std::string& topology_key) {
    return Term("podAffinity", topology_key,
                {{"matchExpressions", Object::array({{{"key", key}, {"operator", "Exists"}}})}});
  }
  PodBuilder& PodAntiAffinityIn(const std::string& key, const std::string& topology_key,
                                std::vector<std::string> values) {
    return Term("podAntiAffinity", topology_key, InSelector(key, values));
  }
  static Object InSelector(const std::string& key, const std::vector<std::string>& values) {
    Object v = Object::array();
    for (const auto& s : values) v.push_back(s);
    return {
        {"matchExpressions", Object::array({{{"key", key}, {"operator", "In"}, {"values", v}}})}};
  }
  api::ObjectPtr Ptr() const { return api::Share(obj); }
  std::shared_ptr<const PodInfo> Info() const { return NewPodInfo(Ptr()); }
};
PodBuilder MakePod() { return PodBuilder(); }

struct NodeBuilder {
  Object obj = {{"apiVersion", "v1"},
                {"kind", "Node"},
                {"metadata", {{"name", ""}, {"labels", Object::object()}}},
                {"spec", Object::object()}};
  NodeBuilder& Name(const std::string& n) {
    obj["metadata"]["name"] = n;
    return *this;
  }
  NodeBuilder& Label(const std::string& k, const std::string& v) {
    obj["metadata"]["labels"][k] = v;
    return *this;
  }
  NodeBuilder& Taint(const std::string& key) {
    obj["spec"]["taints"].push_back(Object{{"key", key}, {"effect", "NoSchedule"}});
    return *this;
  }
  api::ObjectPtr Ptr() const { return api::Share(obj); }
};
NodeBuilder MakeNode() { return NodeBuilder(); }

// plugintesting.SetupPlugin with PodTopologySpreadArgs{DefaultingType:
// List} and no default constraints: the plugin never reaches its handle.
plugins::PodTopologySpread ListDefaultedSpread() {
  plugins::PodTopologySpreadArgs args;
  args.defaulting_type = "List";
  return plugins::PodTopologySpread(nullptr, args);
}

struct PodCase {
  std::string name;
  PodBuilder pod;
  std::optional<PodBuilder> old_pod, new_pod;
  QueueingHint want;
};
struct NodeCase {
  std::string name;
  PodBuilder pod;
  std::optional<NodeBuilder> old_node, new_node;
  QueueingHint want;
};

api::ObjectPtr PtrOf(const std::optional<PodBuilder>& b) { return b ? b->Ptr() : nullptr; }
api::ObjectPtr PtrOf(const std::optional<NodeBuilder>& b) { return b ? b->Ptr() : nullptr; }

// --- PodTopologySpread -------------------------------------------------------

TEST(PodTopologySpreadHintTest, IsSchedulableAfterNodeChange) {
  auto p = [] { return MakePod().Name("p"); };
  const std::vector<NodeCase> cases = {
      // podtopologyspread/plugin_test.go Test_isSchedulableAfterNodeChange.
      {"node updates label which matches topologyKey", p().SpreadConstraint(1, "zone", "foo"),
       MakeNode().Name("node-a").Label("zone", "zone1"),
       MakeNode().Name("node-a").Label("zone", "zone2"), kQueue},
      {"node that doesn't match topologySpreadConstraints updates non-related label",
       p().SpreadConstraint(1, "zone", "foo"), MakeNode().Name("node-a").Label("foo", "bar1"),
       MakeNode().Name("node-a").Label("foo", "bar2"), kSkip},
      {"node that match topologySpreadConstraints adds non-related label",
       p().SpreadConstraint(1, "zone", "foo").SpreadConstraint(1, "node", "foo"),
       MakeNode().Name("node-a").Label("zone", "zone1").Label("node", "node1").Label("foo", "bar"),
       MakeNode().Name("node-a").Label("zone", "zone1").Label("node", "node1"), kSkip},
      {"create node with non-related labels", p().SpreadConstraint(1, "zone", "foo"), std::nullopt,
       MakeNode().Name("node-a").Label("foo", "bar"), kSkip},
      {"create node with related labels", p().SpreadConstraint(1, "zone", "foo"), std::nullopt,
       MakeNode().Name("node-a").Label("zone", "zone1"), kQueue},
      {"delete node with non-related labels", p().SpreadConstraint(1, "zone", "foo"),
       MakeNode().Name("node-a").Label("foo", "bar"), std::nullopt, kSkip},
      {"delete node with related labels", p().SpreadConstraint(1, "zone", "foo"),
       MakeNode().Name("node-a").Label("zone", "zone1"), std::nullopt, kQueue},
      {"add node with related labels that only match one of topologySpreadConstraints",
       p().SpreadConstraint(1, "zone", "foo").SpreadConstraint(1, "node", "foo"), std::nullopt,
       MakeNode().Name("node-a").Label("zone", "zone1"), kSkip},
      {"add node with related labels that match all topologySpreadConstraints",
       p().SpreadConstraint(1, "zone", "foo").SpreadConstraint(1, "node", "foo"), std::nullopt,
       MakeNode().Name("node-a").Label("zone", "zone1").Label("node", "node1"), kQueue},
      {"update node with related labels that only match one of topologySpreadConstraints",
       p().SpreadConstraint(1, "zone", "foo").SpreadConstraint(1, "node", "foo"),
       MakeNode().Name("node-a").Label("zone", "zone1"),
       MakeNode().Name("node-a").Label("zone", "zone1"), kSkip},
      {"update node with related labels that match all topologySpreadConstraints",
       p().SpreadConstraint(1, "zone", "foo").SpreadConstraint(1, "node", "foo"),
       MakeNode().Name("node-a").Label("zone", "zone1").Label("node", "node1"),
       MakeNode().Name("node-a").Label("zone", "zone1").Label("node", "node2"), kQueue},
      {"update node with different taints that match all topologySpreadConstraints",
       p().SpreadConstraint(1, "zone", "foo").SpreadConstraint(1, "node", "foo"),
       MakeNode().Name("node-a").Label("zone", "zone1").Label("node", "node1").Taint("aaa"),
       MakeNode().Name("node-a").Label("zone", "zone1").Label("node", "node1").Taint("ccc"),
       kQueue},
      {"update node with different taints that only match one of topologySpreadConstraints",
       p().SpreadConstraint(1, "zone", "foo").SpreadConstraint(1, "node", "foo"),
       MakeNode().Name("node-a").Label("node", "node1").Taint("aaa"),
       MakeNode().Name("node-a").Label("node", "node1").Taint("ccc"), kSkip},
      // Beyond upstream's table: the topology key appears or disappears.
      {"node gains the topology key", p().SpreadConstraint(1, "zone", "foo"),
       MakeNode().Name("node-a"), MakeNode().Name("node-a").Label("zone", "zone1"), kQueue},
      {"node loses the topology key", p().SpreadConstraint(1, "zone", "foo"),
       MakeNode().Name("node-a").Label("zone", "zone1"), MakeNode().Name("node-a"), kQueue},
  };
  const plugins::PodTopologySpread pl = ListDefaultedSpread();
  for (const NodeCase& c : cases) {
    EXPECT_EQ(pl.IsSchedulableAfterNodeChange(*c.pod.Info(), PtrOf(c.old_node), PtrOf(c.new_node)),
              c.want)
        << c.name;
  }
}

TEST(PodTopologySpreadHintTest, IsSchedulableAfterPodChange) {
  auto p = [] { return MakePod().Name("p").Label("foo", "").SpreadConstraint(1, "zone", "foo"); };
  auto p2 = [] {
    return MakePod()
        .Name("p")
        .Label("foo", "")
        .SpreadConstraint(1, "zone", "foo")
        .SpreadConstraint(1, "node", "bar");
  };
  // The first constraint with nodeTaintsPolicy `policy`, the second on bar.
  auto own = [](const std::string& policy) {
    return MakePod()
        .Name("p")
        .Label("foo", "")
        .SpreadConstraint(1, "zone", "foo", policy)
        .SpreadConstraint(1, "node", "bar");
  };
  const std::vector<PodCase> cases = {
      // podtopologyspread/plugin_test.go Test_isSchedulableAfterPodChange.
      {"add pod with labels match topologySpreadConstraints selector", p(), std::nullopt,
       MakePod().Node("fake-node").Label("foo", ""), kQueue},
      {"add un-scheduled pod", p(), std::nullopt, MakePod().Label("foo", ""), kSkip},
      {"update un-scheduled pod", p(), MakePod().Label("bar", ""), MakePod().Label("foo", ""),
       kSkip},
      {"delete un-scheduled pod", p(), MakePod().Label("foo", ""), std::nullopt, kSkip},
      {"add pod with different namespace", p(), std::nullopt,
       MakePod().Node("fake-node").Namespace("fake-namespace").Label("foo", ""), kSkip},
      {"add pod with labels don't match topologySpreadConstraints selector", p(), std::nullopt,
       MakePod().Node("fake-node").Label("bar", ""), kSkip},
      {"delete pod with labels that match topologySpreadConstraints selector", p(),
       MakePod().Node("fake-node").Label("foo", ""), std::nullopt, kQueue},
      {"delete pod with labels that don't match topologySpreadConstraints selector", p(),
       MakePod().Node("fake-node").Label("bar", ""), std::nullopt, kSkip},
      {"update pod's non-related label", p(),
       MakePod().Node("fake-node").Label("foo", "").Label("bar", "bar1"),
       MakePod().Node("fake-node").Label("foo", "").Label("bar", "bar2"), kSkip},
      {"add pod's label that matches topologySpreadConstraints selector", p(),
       MakePod().Node("fake-node"), MakePod().Node("fake-node").Label("foo", ""), kQueue},
      {"delete pod label that matches topologySpreadConstraints selector", p(),
       MakePod().Node("fake-node").Label("foo", ""), MakePod().Node("fake-node"), kQueue},
      {"change pod's label that matches topologySpreadConstraints selector", p(),
       MakePod().Node("fake-node").Label("foo", "foo1"),
       MakePod().Node("fake-node").Label("foo", "foo2"), kSkip},
      {"change pod's label that doesn't match topologySpreadConstraints selector", p(),
       MakePod().Node("fake-node").Label("foo", "").Label("bar", "bar1"),
       MakePod().Node("fake-node").Label("foo", "").Label("bar", "bar2"), kSkip},
      {"add pod's label that matches topologySpreadConstraints selector with multi "
       "topologySpreadConstraints",
       p2(), MakePod().Node("fake-node").Label("foo", ""),
       MakePod().Node("fake-node").Label("foo", "").Label("bar", "bar2"), kQueue},
      {"change pod's label that doesn't match topologySpreadConstraints selector with multi "
       "topologySpreadConstraints",
       p2(), MakePod().Node("fake-node").Label("foo", ""),
       MakePod().Node("fake-node").Label("foo", "").Label("baz", ""), kSkip},
      {"change pod's label that match topologySpreadConstraints selector with multi "
       "topologySpreadConstraints",
       p2(), MakePod().Node("fake-node").Label("foo", "").Label("bar", ""),
       MakePod().Node("fake-node").Label("foo", "").Label("bar", "bar2"), kSkip},
      // The target pod's own updates (involvedInTopologySpreading by UID).
      {"the unschedulable Pod has topologySpreadConstraint with NodeTaintsPolicy:Honor and has "
       "got a new toleration",
       own("Honor"), MakePod().Name("p").Label("foo", ""),
       MakePod().Name("p").Label("foo", "").Toleration("node.kubernetes.io/unschedulable"), kQueue},
      {"the unschedulable Pod has topologySpreadConstraint without NodeTaintsPolicy:Honor and has "
       "got a new toleration",
       own("Ignore"), MakePod().Name("p").Label("foo", ""),
       MakePod().Name("p").Label("foo", "").Toleration("node.kubernetes.io/unschedulable"), kSkip},
      {"the unschedulable Pod has topologySpreadConstraint and has got a new label matching the "
       "selector of the constraint",
       own("Ignore"), MakePod().Name("p"), MakePod().Name("p").Label("foo", ""), kQueue},
      {"the unschedulable Pod has topologySpreadConstraint and has got a new unrelated label",
       own("Ignore"), MakePod().Name("p"), MakePod().Name("p").Label("unrelated", ""), kSkip},
  };
  const plugins::PodTopologySpread pl = ListDefaultedSpread();
  for (const PodCase& c : cases) {
    EXPECT_EQ(pl.IsSchedulableAfterPodChange(*c.pod.Info(), PtrOf(c.old_pod), PtrOf(c.new_pod)),
              c.want)
        << c.name;
  }
}

// Without hard constraints (the system defaults are ScheduleAnyway) no
// pod or node event can help: getConstraints is empty.
TEST(PodTopologySpreadHintTest, WithoutHardConstraints) {
  const plugins::PodTopologySpread pl = ListDefaultedSpread();
  const auto pod = MakePod().Name("p").Label("foo", "").Info();
  EXPECT_EQ(
      pl.IsSchedulableAfterPodChange(*pod, nullptr, MakePod().Node("n").Label("foo", "").Ptr()),
      kSkip);
  EXPECT_EQ(
      pl.IsSchedulableAfterNodeChange(*pod, nullptr, MakeNode().Name("n").Label("zone", "a").Ptr()),
      kQueue)
      << "no constraint: every node has all (zero) topology keys";
}

// matchLabelKeys are merged by the scheduler in 1.32 (common.go
// filterTopologySpreadConstraints + mergeLabelSetWithSelector), so the
// hints see the merged selector; a constraint without labelSelector stays
// labels.Nothing() and matches no pod.
TEST(PodTopologySpreadHintTest, MatchLabelKeysAreMergedIntoTheSelector) {
  const plugins::PodTopologySpread pl = ListDefaultedSpread();
  auto with_keys = [](bool selector) {
    PodBuilder b = MakePod().Name("p").Label("foo", "").Label("app", "v2");
    Object c = {{"maxSkew", 1},
                {"topologyKey", "zone"},
                {"whenUnsatisfiable", "DoNotSchedule"},
                {"matchLabelKeys", Object::array({"app"})}};
    if (selector) {
      c["labelSelector"] = {
          {"matchExpressions", Object::array({{{"key", "foo"}, {"operator", "Exists"}}})}};
    }
    b.obj["spec"]["topologySpreadConstraints"].push_back(c);
    return b.Info();
  };
  const auto same = MakePod().Node("n").Label("foo", "").Label("app", "v2").Ptr();
  const auto other = MakePod().Node("n").Label("foo", "").Label("app", "v1").Ptr();
  EXPECT_EQ(pl.IsSchedulableAfterPodChange(*with_keys(true), nullptr, same), kQueue);
  EXPECT_EQ(pl.IsSchedulableAfterPodChange(*with_keys(true), nullptr, other), kSkip);
  EXPECT_EQ(pl.IsSchedulableAfterPodChange(*with_keys(false), nullptr, same), kSkip);
}

// --- InterPodAffinity ----------------------------------------------------------

TEST(InterPodAffinityHintTest, IsSchedulableAfterPodChange) {
  auto aff = [] {
    return MakePod().Name("p").PodAffinityIn("service", "region", {"securityscan", "value2"});
  };
  auto anti = [] {
    return MakePod().Name("p").PodAntiAffinityIn("service", "region", {"securityscan", "value2"});
  };
  auto multi = [] {
    return MakePod()
        .Name("p")
        .PodAffinityExists("aaa", "hostname")
        .PodAffinityExists("bbb", "hostname");
  };
  const std::vector<PodCase> cases = {
      // interpodaffinity/plugin_test.go Test_isSchedulableAfterPodChange.
      {"add a pod which matches the pod affinity", aff(), std::nullopt,
       MakePod().Node("fake-node").Label("service", "securityscan"), kQueue},
      {"add an un-scheduled pod", aff(), std::nullopt, MakePod().Label("service", "securityscan"),
       kSkip},
      {"add a pod which doesn't match the pod affinity", aff(), std::nullopt,
       MakePod().Node("fake-node").Label("aaa", "a"), kSkip},
      {"update a pod from non-match to match pod affinity", aff(),
       MakePod().Node("fake-node").Label("aaa", "a"),
       MakePod().Node("fake-node").Label("service", "securityscan"), kQueue},
      {"the updating pod matches target pod's affinity both before and after label changes", aff(),
       MakePod().Node("fake-node").Label("service", "value2"),
       MakePod().Node("fake-node").Label("service", "securityscan"), kSkip},
      {"update an un-scheduled pod", aff(), MakePod().Label("service", "securityscan"),
       MakePod().Label("service", "securityscan"), kSkip},
      {"update a pod from match to non-match the pod affinity", aff(),
       MakePod().Node("fake-node").Label("service", "securityscan"),
       MakePod().Node("fake-node").Label("aaa", "a"), kSkip},
      {"update a pod from match to non-match pod's affinity - multiple terms case", multi(),
       MakePod().Node("fake-node").Label("aaa", "a"),
       MakePod().Node("fake-node").Label("service", "securityscan"), kSkip},
      {"update a pod from non-match to match pod's affinity - multiple terms case", multi(),
       MakePod().Node("fake-node").Label("aaa", "a"),
       MakePod().Node("fake-node").Label("aaa", "").Label("bbb", ""), kQueue},
      {"modify pod label to change it from satisfying pod anti-affinity to not satisfying "
       "anti-affinity",
       anti(), MakePod().Node("fake-node").Label("service", "securityscan"),
       MakePod().Node("fake-node").Label("service", "aaaa"), kQueue},
      {"modify pod label to change it from not satisfying pod anti-affinity to satisfying "
       "anti-affinity",
       anti(), MakePod().Node("fake-node").Label("service", "bbb"),
       MakePod().Node("fake-node").Label("service", "securityscan"), kSkip},
      {"delete a pod which doesn't match pod's anti-affinity", anti(),
       MakePod().Node("fake-node").Label("aaa", "a"), std::nullopt, kSkip},
      {"delete a pod which matches pod's anti-affinity", anti(),
       MakePod().Node("fake-node").Label("service", "securityscan"), std::nullopt, kQueue},
      // Terms only cover the pod's own namespace unless they name others.
      {"add a matching pod in another namespace", aff(), std::nullopt,
       MakePod().Node("fake-node").Namespace("other").Label("service", "securityscan"), kSkip},
  };
  for (const PodCase& c : cases) {
    EXPECT_EQ(plugins::InterPodAffinity::IsSchedulableAfterPodChange(
                  *c.pod.Info(), PtrOf(c.old_pod), PtrOf(c.new_pod)),
              c.want)
        << c.name;
  }
}

TEST(InterPodAffinityHintTest, IsSchedulableAfterNodeChange) {
  auto aff = [](const std::string& key) {
    return MakePod().Name("p").PodAffinityIn("service", key, {"securityscan", "value2"});
  };
  auto anti = [] {
    return MakePod().Name("p").Term("podAntiAffinity", "zone",
                                    {{"matchLabels", {{"another", "label"}}}});
  };
  const std::vector<NodeCase> cases = {
      // interpodaffinity/plugin_test.go Test_isSchedulableAfterNodeChange.
      {"add a new node with matched pod affinity topologyKey", aff("zone"), std::nullopt,
       MakeNode().Name("node-a").Label("zone", "zone1"), kQueue},
      {"add a new node without matched topologyKey", aff("region"), std::nullopt,
       MakeNode().Name("node-a").Label("zone", "zone1"), kSkip},
      {"update node label but not topologyKey", aff("zone"),
       MakeNode().Name("node-a").Label("aaa", "a"), MakeNode().Name("node-a").Label("aaa", "b"),
       kSkip},
      {"update node label that isn't related to the pod affinity", aff("zone"),
       MakeNode().Name("node-a").Label("zone", "zone1"),
       MakeNode().Name("node-a").Label("zone", "zone1").Label("unrelated-label", "unrelated"),
       kSkip},
      {"update node with different affinity topologyKey value", aff("zone"),
       MakeNode().Name("node-a").Label("zone", "zone1"),
       MakeNode().Name("node-a").Label("zone", "zone2"), kQueue},
      {"update node to have the affinity topology label", aff("zone"),
       MakeNode().Name("node-a").Label("aaa", "a"),
       MakeNode().Name("node-a").Label("zone", "zone1"), kQueue},
      {"add a new node with matched pod anti-affinity topologyKey", anti(), std::nullopt,
       MakeNode().Name("node-a").Label("zone", "zone1"), kQueue},
      {"add a new node without matched pod anti-affinity topologyKey", anti(), std::nullopt,
       MakeNode().Name("node-a"), kQueue},
      {"update node label that isn't related to the pod anti-affinity", anti(),
       MakeNode().Name("node-a").Label("zone", "zone1"),
       MakeNode().Name("node-a").Label("zone", "zone1").Label("unrelated-label", "unrelated"),
       kSkip},
      {"update node with different anti-affinity topologyKey value", anti(),
       MakeNode().Name("node-a").Label("zone", "zone1"),
       MakeNode().Name("node-a").Label("zone", "zone2"), kQueue},
      {"update node to have the anti-affinity topology label", anti(),
       MakeNode().Name("node-a").Label("aaa", "a"),
       MakeNode().Name("node-a").Label("zone", "zone1"), kSkip},
      {"update node label not to have anti-affinity topology label", anti(),
       MakeNode().Name("node-a").Label("zone", "zone1"),
       MakeNode().Name("node-a").Label("aaa", "a"), kQueue},
      // No required terms at all: nothing a node does helps.
      {"pod without required terms", MakePod().Name("p"), std::nullopt,
       MakeNode().Name("node-a").Label("zone", "zone1"), kSkip},
  };
  for (const NodeCase& c : cases) {
    EXPECT_EQ(plugins::InterPodAffinity::IsSchedulableAfterNodeChange(
                  *c.pod.Info(), PtrOf(c.old_node), PtrOf(c.new_node)),
              c.want)
        << c.name;
  }
}

// --- Registered events -----------------------------------------------------------

// The plugin's verdict for `event` as the queue computes it for a pod that
// plugin rejected: Skip unless a registered event matches and its hint
// says Queue.
QueueingHint Verdict(const framework::EnqueueExtensions& pl, const ClusterEvent& event,
                     const PodInfo& pod, const api::ObjectPtr& old_obj,
                     const api::ObjectPtr& new_obj) {
  for (const framework::ClusterEventWithHint& h : pl.EventsToRegister()) {
    if (!event.Match(h.event)) continue;
    if (!h.hint || h.hint(pod, old_obj, new_obj) == kQueue) return kQueue;
  }
  return kSkip;
}

TEST(QueueingHintRegistrationTest, PodTopologySpreadEvents) {
  const plugins::PodTopologySpread pl = ListDefaultedSpread();
  const auto pod = MakePod().Name("p").Label("foo", "").SpreadConstraint(1, "zone", "foo", "Honor");
  const auto info = pod.Info();
  const auto matching = MakePod().Node("n").Label("foo", "").Ptr();
  EXPECT_EQ(Verdict(pl, {EventResource::kAssignedPod, action::kAdd, "AssignedPodAdd"}, *info,
                    nullptr, matching),
            kQueue);
  EXPECT_EQ(Verdict(pl, {EventResource::kAssignedPod, action::kDelete, "AssignedPodDelete"}, *info,
                    matching, nullptr),
            kQueue);
  // The pod's own new toleration (an unscheduled-pod update event).
  auto tolerating = pod;
  tolerating.Toleration("t");
  EXPECT_EQ(Verdict(pl, {EventResource::kUnscheduledPod, action::kUpdatePodTolerations, ""},
                    *tolerating.Info(), pod.Ptr(), tolerating.Ptr()),
            kQueue);
  // Node deletes and taint changes are registered; allocatable changes not.
  const auto zoned = MakeNode().Name("n").Label("zone", "a");
  auto tainted = zoned;
  tainted.Taint("t");
  EXPECT_EQ(Verdict(pl, {EventResource::kNode, action::kDelete, "NodeDelete"}, *info, zoned.Ptr(),
                    nullptr),
            kQueue);
  EXPECT_EQ(Verdict(pl, {EventResource::kNode, action::kUpdateNodeTaint, "NodeTaintChange"}, *info,
                    tainted.Ptr(), zoned.Ptr()),
            kQueue);
  EXPECT_EQ(Verdict(pl, {EventResource::kNode, action::kUpdateNodeAllocatable, ""}, *info,
                    zoned.Ptr(), zoned.Ptr()),
            kSkip);
}

TEST(QueueingHintRegistrationTest, InterPodAffinityEvents) {
  const plugins::InterPodAffinity pl(nullptr, {});
  const auto pod =
      MakePod().Name("p").Term("podAntiAffinity", "zone", {{"matchLabels", {{"app", "x"}}}});
  const auto info = pod.Info();
  // Upstream registers no Node/Delete for InterPodAffinity.
  EXPECT_EQ(Verdict(pl, {EventResource::kNode, action::kDelete, "NodeDelete"}, *info,
                    MakeNode().Name("n").Label("zone", "a").Ptr(), nullptr),
            kSkip);
  // A taint change is registered (the hint then looks at the labels only).
  EXPECT_EQ(Verdict(pl, {EventResource::kNode, action::kUpdateNodeTaint, "NodeTaintChange"}, *info,
                    MakeNode().Name("n").Label("zone", "a").Ptr(),
                    MakeNode().Name("n").Label("zone", "b").Taint("t").Ptr()),
            kQueue);
  // The pod's own label update reaches the hint, which skips it (unscheduled).
  auto relabelled = pod;
  relabelled.Label("app", "x");
  EXPECT_EQ(Verdict(pl, {EventResource::kUnscheduledPod, action::kUpdatePodLabel, ""},
                    *relabelled.Info(), pod.Ptr(), relabelled.Ptr()),
            kSkip);
  EXPECT_EQ(Verdict(pl, {EventResource::kAssignedPod, action::kDelete, "AssignedPodDelete"}, *info,
                    MakePod().Node("n").Label("app", "x").Ptr(), nullptr),
            kQueue);
}

}  // namespace
}  // namespace kubesim::scheduler
