// The scenario parser: valid files become steps and assertions; invalid
// ones are rejected with file:line:column and what is wrong.
#include <gtest/gtest.h>

#include "kubesim/scenario/scenario.h"

namespace kubesim::scenario {
namespace {

std::string ParseError(const std::string& yaml) {
  auto s = ParseScenario(yaml, "t.yaml");
  if (s.ok()) return "(parsed)";
  return s.status().message();
}

TEST(ScenarioParserTest, ParsesEveryStepType) {
  auto s = ParseScenario(R"(name: demo
cluster: {workers: 3, seed: 7}
steps:
- name: deploy
  apply: |
    apiVersion: v1
    kind: Pod
    metadata: {name: a}
    spec: {containers: [{name: a, image: nginx}]}
- apply: [{apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {containers: [{name: b, image: nginx}]}}]
- delete: pod b
- scale: {target: deployment/web, replicas: 3}
- run: get pods -o wide
- sleep: 5m
- waitFor: {condition: Ready, target: pod/a, timeout: 2m}
- nodeStop: worker-1
- nodeStart: worker-1
- nodeAdd: {name: worker-9, cpu: "4", memory: 8Gi, zone: zone-c, taints: ["a=b:NoSchedule"]}
- stop: scheduler
- start: scheduler
- run: get pod nope
  mayFail: true
)",
                         "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->name, "demo");
  EXPECT_EQ(*s->seed, 7u);
  EXPECT_EQ(s->cluster.nodes.size(), 4u);
  ASSERT_EQ(s->steps.size(), 13u);
  EXPECT_EQ(s->steps[0].name, "deploy");
  EXPECT_EQ(s->steps[0].command, "apply -f -");
  EXPECT_NE(s->steps[0].stdin_text.find("kind: Pod"), std::string::npos);
  EXPECT_EQ(s->steps[0].mark.line, 4);  // "- name: deploy"
  EXPECT_NE(s->steps[1].stdin_text.find("name: b"), std::string::npos);
  EXPECT_EQ(s->steps[2].command, "delete pod b");
  EXPECT_EQ(s->steps[3].command, "scale deployment/web --replicas=3");
  EXPECT_EQ(s->steps[4].command, "get pods -o wide");
  EXPECT_EQ(s->steps[5].command, "sleep 5m0s");
  EXPECT_EQ(s->steps[6].command, "wait pod/a --for=condition=Ready --timeout=2m0s");
  EXPECT_EQ(s->steps[7].command, "node stop worker-1");
  EXPECT_EQ(s->steps[8].command, "node start worker-1");
  EXPECT_EQ(s->steps[9].command,
            "node add worker-9 --cpu 4 --memory 8Gi --labels topology.kubernetes.io/zone=zone-c "
            "--taints a=b:NoSchedule");
  EXPECT_EQ(s->steps[10].command, "stop scheduler");
  EXPECT_EQ(s->steps[11].command, "start scheduler");
  EXPECT_TRUE(s->steps[12].may_fail);
}

TEST(ScenarioParserTest, ParsesEveryAssertionType) {
  auto s = ParseScenario(R"(steps:
- expect:
  - placement: {deployment/web: {worker-1: 2, worker-2: 1}}
    within: 1m
  - placement: {pod/x: worker-1}
  - placement: {deployment/web: {zone-a: 2}}
    by: topology.kubernetes.io/zone
  - pods: {status: Pending, count: 3, selector: app=web}
    namespace: prod
  - node: {name: worker-2, status: NotReady, conditions: {Ready: Unknown}, taints: ["node.kubernetes.io/unreachable:NoExecute"]}
  - event: {reason: Evicted, message: "^Marking", object: pod/x}
  - output: {command: get pods, matches: "web-.*Running"}
  - output: {command: get pods, contains: "Running"}
  - output: {command: get pods, golden: pods.txt}
  - fails: {command: get pod nope, message: "not found"}
)",
                         "dir/t.yaml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->steps.size(), 1u);
  const auto& a = s->steps[0].assertions;
  ASSERT_EQ(a.size(), 10u);
  EXPECT_EQ(a[0].type, Assertion::Type::kPlacement);
  EXPECT_EQ(a[0].target, "deployment/web");
  EXPECT_EQ(a[0].placement.at("worker-1"), 2);
  EXPECT_EQ(a[0].within, std::chrono::minutes(1));
  EXPECT_EQ(a[1].placement.at("worker-1"), 1);
  EXPECT_EQ(a[2].by, "topology.kubernetes.io/zone");
  EXPECT_EQ(a[3].type, Assertion::Type::kPods);
  EXPECT_EQ(a[3].namespace_, "prod");
  EXPECT_EQ(a[3].count, 3);
  EXPECT_EQ(a[4].conditions.at("Ready"), "Unknown");
  EXPECT_EQ(a[4].taints->size(), 1u);
  EXPECT_EQ(a[5].reason, "Evicted");
  EXPECT_EQ(a[6].regex, "web-.*Running");
  EXPECT_EQ(a[7].contains, "Running");
  EXPECT_EQ(a[8].golden_path, "dir/pods.txt");
  EXPECT_EQ(a[9].type, Assertion::Type::kFails);
  // The default cluster: a control plane and two workers.
  EXPECT_EQ(s->cluster.nodes.size(), 3u);
}

TEST(ScenarioParserTest, NodeListAndCountForms) {
  auto list = ParseScenario(R"(cluster:
  nodes:
  - {name: cp, controlPlane: true}
  - {name: big, cpu: "8", memory: 32Gi, zone: zone-a, taints: ["gpu=true:NoSchedule"]}
steps: []
)",
                            "t.yaml");
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->cluster.nodes.size(), 2u);
  EXPECT_EQ(list->cluster.nodes[1].cpu_millis, 8000);
  EXPECT_EQ(list->cluster.nodes[1].labels.at("topology.kubernetes.io/zone"), "zone-a");
  EXPECT_EQ(list->cluster.nodes[1].taints.size(), 1u);

  auto count = ParseScenario(R"(cluster:
  nodes: {count: 4, zones: [a, b], template: {cpu: "4"}}
steps: []
)",
                             "t.yaml");
  ASSERT_TRUE(count.ok()) << count.status().message();
  ASSERT_EQ(count->cluster.nodes.size(), 5u);
  EXPECT_EQ(count->cluster.nodes[0].name, "control-plane");
  EXPECT_TRUE(count->cluster.nodes[0].control_plane);
  EXPECT_EQ(count->cluster.nodes[4].name, "worker-4");
  EXPECT_EQ(count->cluster.nodes[3].labels.at("topology.kubernetes.io/zone"), "a");
  EXPECT_EQ(count->cluster.nodes[4].labels.at("topology.kubernetes.io/zone"), "b");
  EXPECT_EQ(count->cluster.nodes[4].cpu_millis, 4000);
}

TEST(ScenarioParserTest, ErrorsCarryFileLineColumn) {
  EXPECT_EQ(ParseError("cluster:\n  addons: [prometheus]\nsteps: []\n"),
            "t.yaml:2:12: cluster.addons: unknown add-on \"prometheus\" (kubesim has: "
            "metrics-server)");
  EXPECT_EQ(ParseError("steps:\n- bogus: 1\n"),
            "t.yaml:2:3: steps[0]: unknown step type \"bogus\" (expected one of: apply, delete, "
            "scale, run, sleep, waitFor, nodeStop, nodeStart, nodeAdd, stop, start, expect)");
  EXPECT_EQ(ParseError("steps:\n- sleep: 5x\n"),
            "t.yaml:2:10: steps[0].sleep: time: unknown unit \"x\" in duration \"5x\" (use e.g. "
            "30s, 5m, 1h30m)");
  EXPECT_EQ(ParseError("steps:\n- scale: {target: deployment/web}\n"),
            "t.yaml:2:10: steps[0].scale: missing field \"replicas\"");
  EXPECT_EQ(ParseError("steps:\n- name: x\n"),
            "t.yaml:2:3: steps[0]: missing step type (apply, run, expect, ...)");
  EXPECT_EQ(ParseError("cluster: {workers: 2}\n"), "t.yaml:1:1: scenario: missing field \"steps\"");
  EXPECT_EQ(ParseError("steps:\n- expect:\n    pods: {count: x}\n"),
            "t.yaml:3:19: steps[0].expect.pods.count: expected an integer, got \"x\"");
  EXPECT_EQ(ParseError("steps:\n- expect:\n    pod: {count: 1}\n"),
            "t.yaml:3:5: steps[0].expect: unknown assertion \"pod\" (expected one of: placement, "
            "pods, node, event, output, fails; modifiers: within, namespace, by)");
  EXPECT_EQ(ParseError("steps:\n- expect:\n    pods: {count: 1}\n    within: soon\n"),
            "t.yaml:4:13: steps[0].expect.within: time: invalid duration \"soon\" (use e.g. 30s, "
            "5m, 1h30m)");
  EXPECT_EQ(ParseError("steps:\n- apply: {file: missing.yaml}\n"),
            "t.yaml:2:17: steps[0].apply.file: no such file \"missing.yaml\"");
  EXPECT_EQ(ParseError("steps:\n- stop: kubelet\n"),
            "t.yaml:2:9: steps[0].stop: unknown component \"kubelet\" (expected apiserver, "
            "scheduler, controller-manager or etcd)");
  EXPECT_EQ(ParseError("cluster:\n  schedulerConfig: sched.yaml\nsteps: []\n"),
            "t.yaml:2:20: cluster.schedulerConfig: no such file \"sched.yaml\"");
  EXPECT_EQ(ParseError("cluster:\n  systemPods: maybe\nsteps: []\n"),
            "t.yaml:2:15: cluster.systemPods: expected true or false");
  EXPECT_EQ(ParseError("cluster:\n  nodes:\n  - {name: a}\n  - {name: b, cpu: lots}\nsteps: []\n"),
            "t.yaml:4:5: cluster config: nodes[1].cpu: quantities must match the regular "
            "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  EXPECT_EQ(ParseError("cluster:\n  nodes:\n  - {name: a}\n  - {name: a}\nsteps: []\n"),
            "t.yaml:4:5: cluster.nodes: duplicate node name \"a\"");
  EXPECT_EQ(ParseError("steps:\n- run: x\n  sleep: 1s\n"),
            "t.yaml:3:3: steps[0]: more than one step type (\"run\" and \"sleep\"); put each in "
            "its own step");
  EXPECT_EQ(ParseError("steps: [\n"), "t.yaml:2:1: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(ParseError("steps:\n- expect:\n    output: {command: x, matches: \"(\"}\n"),
            "t.yaml:3:35: steps[0].expect.output.matches: invalid regular expression: "
            "Mismatched '(' and ')' in regular expression");
  EXPECT_EQ(ParseError("steps:\n- expect:\n    node: {name: w, taints: [\"nope\"]}\n"),
            "t.yaml:3:30: steps[0].expect.node.taints: \"nope\" is not KEY[=VALUE]:EFFECT "
            "(NoSchedule, PreferNoSchedule, NoExecute)");
  EXPECT_EQ(ParseError("steps:\n- expect: {pods: {count: 0}}\n  mayFail: true\n"),
            "t.yaml:3:12: steps[0]: mayFail applies to command steps, not expect");
  EXPECT_EQ(ParseError("steps:\n- apply: app.yaml\n"),
            "t.yaml:2:10: steps[0].apply: \"app.yaml\" is not a manifest; for a file write "
            "{file: app.yaml}");
  EXPECT_EQ(ParseError("bogus: 1\nsteps: []\n"),
            "t.yaml:1:1: scenario: unknown field \"bogus\" (expected one of: cluster, "
            "description, name, steps)");
}

}  // namespace
}  // namespace kubesim::scenario
