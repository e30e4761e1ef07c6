// The scenario runner: each step type and each assertion type, passing and
// failing, through RunScenario (a real Cluster per test).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "kubesim/scenario/scenario.h"

namespace kubesim::scenario {
namespace {

constexpr char kPod[] = R"(- apply: |
    apiVersion: v1
    kind: Pod
    metadata: {name: web, labels: {app: web}}
    spec:
      nodeName: worker-1
      containers: [{name: web, image: nginx}]
)";

constexpr char kDeployment[] = R"(- apply:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: nginx}]}
)";

RunResult RunYaml(const std::string& yaml, RunOptions options = {},
                  const std::string& path = "t.yaml") {
  auto s = ParseScenario(yaml, path);
  EXPECT_TRUE(s.ok()) << s.status().message();
  if (!s.ok()) return {};
  return RunScenario(*s, options);
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ScenarioRunnerTest, CommandStepsRunThroughTheShell) {
  // Without kube-system pods the clock starts at 0s (no bootstrap wait).
  RunResult r = RunYaml(std::string("cluster: {systemPods: false}\nsteps:\n") + kPod +
                        "- sleep: 30s\n- run: get pods\n");
  EXPECT_EQ(r.exit_code, 0) << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "--- [0s] step 1 (apply)\n$ apply -f - <<EOF (inline manifest)\n"
                  "pod/web created\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "--- [0s] step 2 (sleep)\n$ sleep 30s\n")) << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "--- [30s] step 3 (run)\n$ get pods\nNAME   READY   STATUS    "
                  "RESTARTS   AGE\nweb    1/1     Running   0          30s\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "# 0/0 assertions held; simulated time 30s\n# PASS\n"));
  ASSERT_EQ(r.report["steps"].size(), 3u);
  EXPECT_EQ(r.report["steps"][2]["offset"], "30s");
  EXPECT_EQ(r.report["steps"][2]["time"], "2025-01-01T00:00:30Z");
}

TEST(ScenarioRunnerTest, AFailingCommandFailsTheRunUnlessMayFail) {
  RunResult r = RunYaml("steps:\n- run: get pod nope\n- run: version --client\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.transcript,
                  "Error from server (NotFound): pods \"nope\" not found\n"
                  "FAIL: step 1 (line 2): the command failed (exit code 1)\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "step 2 (run)")) << "the run carries on";
  EXPECT_EQ(RunYaml("steps:\n- run: get pod nope\n  mayFail: true\n").exit_code, 0);
}

TEST(ScenarioRunnerTest, FailFastStopsAtTheFirstFailure) {
  RunOptions o;
  o.fail_fast = true;
  RunResult r = RunYaml("steps:\n- run: get pod nope\n- run: version --client\n", o);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(Has(r.transcript, "step 2 (run)")) << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "(--fail-fast: stopped after the first failure)"));
}

TEST(ScenarioRunnerTest, ScaleWaitForNodeAddAndComponentSteps) {
  RunResult r = RunYaml(std::string("cluster: {workers: 1}\nsteps:\n") + kDeployment +
                        R"(- scale: {target: deployment/web, replicas: 3}
- waitFor: {condition: Available, target: deployment/web, timeout: 1m}
- expect:
    pods: {status: Running, count: 3}
- stop: scheduler
- scale: {target: deployment/web, replicas: 4}
- expect:
    pods: {status: Pending, count: 1}
- start: scheduler
- nodeAdd: {name: worker-2, cpu: "4", zone: zone-b}
- expect:
  - pods: {status: Running, count: 4}
    within: 1m
  - node: {name: worker-2, status: Ready}
)");
  EXPECT_EQ(r.exit_code, 0) << r.transcript;
  EXPECT_TRUE(
      Has(r.transcript, "$ scale deployment/web --replicas=3\ndeployment.apps/web scaled\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "$ wait deployment/web --for=condition=Available --timeout=1m0s\n"
                  "deployment.apps/web condition met\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "$ node add worker-2 --cpu 4 --labels "
                  "topology.kubernetes.io/zone=zone-b\n"))
      << r.transcript;
  EXPECT_TRUE(
      Has(r.transcript,
          "ok: pods with STATUS Pending in default: 1 (by status: {Pending: 1, Running: 3})\n"))
      << r.transcript;
}

TEST(ScenarioRunnerTest, DeleteNodeStartAndApplyFileSteps) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kubesim-steps-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "pod.yaml") << "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
                                     "spec: {containers: [{name: a, image: nginx}]}\n---\n"
                                     "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\n"
                                     "spec: {containers: [{name: b, image: nginx}]}\n";
  RunResult r = RunYaml(R"(steps:
- apply: {file: pod.yaml}
- sleep: 10s
- delete: pod a
- delete: {file: pod.yaml}
  mayFail: true
- expect:
    pods: {count: 0}
- nodeStop: worker-2
- nodeStart: worker-2
- expect:
    node: {name: worker-2, status: Ready}
)",
                        {}, (dir / "s.yaml").string());
  EXPECT_EQ(r.exit_code, 0) << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "$ apply -f pod.yaml\npod/a created\npod/b created\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "$ delete pod a\npod \"a\" deleted\n")) << r.transcript;
  // kubectl delete -f reports the pod already gone and exits 1: mayFail.
  EXPECT_TRUE(Has(r.transcript,
                  "$ delete -f pod.yaml\nError from server (NotFound): error when "
                  "deleting \"" +
                      (dir / "pod.yaml").string() +
                      "\": pods \"a\" not found\npod \"b\" deleted\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "$ node start worker-2\n")) << r.transcript;
  fs::remove_all(dir);
}

TEST(ScenarioRunnerTest, FailingStepsFailTheRun) {
  RunResult r = RunYaml(R"(steps:
- run: run web --image nginx
- stop: scheduler
- run: run stuck --image nginx
- waitFor: {condition: Ready, target: pod/stuck, timeout: 10s}
- nodeStop: worker-9
- scale: {target: deployment/nope, replicas: 2}
- delete: pod nope
)");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.transcript,
                  "error: timed out waiting for the condition on pods/stuck\n"
                  "FAIL: step 4 (line 5): the command failed (exit code 1)\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "FAIL: step 5 (line 6): the command failed")) << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "FAIL: step 6 (line 7): the command failed")) << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "FAIL: step 7 (line 8): the command failed")) << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "# 0/0 assertions held, 4 command(s) failed; simulated time 10s\n"
                  "# FAIL\n"))
      << r.transcript;
  EXPECT_EQ(r.report["failedCommands"], 4);
}

TEST(ScenarioRunnerTest, PodsAssertionPassesAndFailsWithContext) {
  RunResult r = RunYaml(std::string("steps:\n") + kPod + R"(- sleep: 30s
- expect:
  - pods: {status: Running, count: 1}
  - pods: {status: Pending, count: 2, selector: app=web}
)");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      Has(r.transcript, "ok: pods with STATUS Running in default: 1 (by status: {Running: 1})\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "FAIL: step 3 (line 12): pods with STATUS Pending matching app=web in default\n"
                  "  expected: 2\n"
                  "  found:    0 (by status: {Running: 1})\n"
                  "  | $ get pods -o wide -n default -l 'app=web'\n"
                  "  | NAME   READY   STATUS    RESTARTS   AGE   IP "))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "# 1/2 assertions held; simulated time 30s\n# FAIL\n"));
  const auto& a = r.report["steps"][2]["assertions"];
  EXPECT_TRUE(a[0]["passed"].get<bool>());
  EXPECT_FALSE(a[1]["passed"].get<bool>());
  EXPECT_EQ(a[1]["line"], 12);
}

TEST(ScenarioRunnerTest, PlacementOfAPodAndOfADeployment) {
  RunResult r =
      RunYaml(std::string("cluster: {workers: 1}\nsteps:\n") + kDeployment + R"(- sleep: 10s
- expect:
  - placement: {deployment/web: {worker-1: 2}}
  - placement: {deployment/web: {worker-1: 2, worker-2: 0}}
  - placement: {deployment/web: {zone-x: 2}}
    by: topology.kubernetes.io/zone
  - placement: {deployment/web: {worker-1: 1, control-plane: 1}}
  - placement: {deployment/nope: {worker-1: 1}}
)");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.transcript,
                  "ok: placement of deployment/web: {worker-1: 2}\n"
                  "ok: placement of deployment/web: {worker-1: 2}\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "FAIL: step 3 (line 17): placement of deployment/web by "
                  "topology.kubernetes.io/zone\n  expected: {zone-x: 2}\n"
                  "  found:    {<none>: 2}\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "  expected: {control-plane: 1, worker-1: 1}\n"
                  "  found:    {worker-1: 2}\n"
                  "  | $ get pods -o wide -l 'app=web' -n default\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "found:    error: deployments.apps \"nope\" not found"))
      << r.transcript;
  EXPECT_EQ(r.report["steps"][2]["assertions"][0]["placement"]["worker-1"], 2);

  RunResult pod = RunYaml(std::string("steps:\n") + kPod +
                          "- expect:\n  - placement: {pod/web: worker-1}\n"
                          "  - placement: {pod/web: worker-2}\n");
  EXPECT_EQ(pod.exit_code, 1);
  EXPECT_TRUE(Has(pod.transcript, "ok: placement of pod/web: {worker-1: 1}\n")) << pod.transcript;
  EXPECT_TRUE(Has(pod.transcript, "  expected: {worker-2: 1}\n  found:    {worker-1: 1}\n"));
}

TEST(ScenarioRunnerTest, NodeAssertionWithinPollsSimulatedTime) {
  RunResult r = RunYaml(R"(steps:
- nodeStop: worker-1
- expect:
  - node: {name: worker-1, status: NotReady, conditions: {Ready: Unknown}}
    within: 2m
  - node:
      name: worker-1
      taints: ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]
    within: 10s
  - node: {name: worker-2, status: Ready, taints: []}
  - node: {name: worker-1, taints: []}
- expect:
    node: {name: worker-1, status: Ready}
    within: 10s
)");
  EXPECT_EQ(r.exit_code, 1);
  // NotReady after the node-monitor grace period, not at once and not at
  // the 2 m limit.
  EXPECT_TRUE(Has(r.transcript, "ok: node worker-1: [status NotReady, Ready=Unknown] (held after "))
      << r.transcript;
  EXPECT_FALSE(Has(r.transcript, "(held after 2m0s)")) << r.transcript;
  EXPECT_FALSE(Has(r.transcript, "Ready=Unknown] (held after 0s)")) << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "ok: node worker-1: [taints [node.kubernetes.io/unreachable:NoExecute, "
                  "node.kubernetes.io/unreachable:NoSchedule]] (held after "))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "ok: node worker-2: [status Ready, taints []]\n")) << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "FAIL: step 2 (line 11): node worker-1\n"
                  "  expected: [taints []]\n"
                  "  found:    [taints [node.kubernetes.io/unreachable:NoExecute, "
                  "node.kubernetes.io/unreachable:NoSchedule]]\n"
                  "  | $ get node worker-1 -o wide\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "  waited: 10s\n  expected: [status Ready]\n"
                  "  found:    [status NotReady]\n"
                  "  | $ get node worker-1 -o wide\n"))
      << r.transcript;
  // The clock stays where each check ended: the last one waited 10 s.
  EXPECT_EQ(r.report["steps"][2]["assertions"][0]["waited"], "10s");
}

TEST(ScenarioRunnerTest, EventAssertion) {
  // No kube-system pods: CoreDNS would be scheduled to control-plane too.
  RunResult r = RunYaml(std::string("cluster: {systemPods: false}\nsteps:\n") +
                        R"(- run: run web --image nginx
- sleep: 5s
- expect:
  - event: {reason: Scheduled, object: pod/web, message: "^Successfully assigned default/web to worker-"}
  - event: {reason: Scheduled, message: "to control-plane$"}
  - event: {reason: NoSuchReason}
)");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.transcript,
                  "ok: an event with reason Scheduled for pod/web and a message "
                  "matching /^Successfully assigned default/web to worker-/: 1\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "  expected: at least 1\n"
                  "  found:    0 (1 with that reason, none with that message)\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "FAIL: step 3 (line 8): an event with reason NoSuchReason\n"
                  "  expected: at least 1\n  found:    0\n  | $ get events -A\n"))
      << r.transcript;
}

TEST(ScenarioRunnerTest, OutputAssertionRegexContainsAndGolden) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kubesim-scenario-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string yaml = R"(steps:
- expect:
  - output: {command: get nodes, matches: "^worker-2 +Ready"}
  - output: {command: get nodes, contains: "control-plane   Ready"}
  - output: {command: get nodes, matches: "NotReady"}
  - output: {command: get nodes, golden: nodes.txt}
)";
  const std::string path = (dir / "s.yaml").string();
  RunResult missing = RunYaml(yaml, {}, path);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Has(missing.transcript, "ok: output of `get nodes` matches /^worker-2 +Ready/\n"))
      << missing.transcript;
  EXPECT_TRUE(Has(missing.transcript,
                  "ok: output of `get nodes` contains \"control-plane   "
                  "Ready\"\n"));
  EXPECT_TRUE(Has(missing.transcript,
                  "FAIL: step 1 (line 5): output of `get nodes` matches "
                  "/NotReady/\n  expected: a match\n  found:    no match\n"
                  "  | $ get nodes\n  | NAME            STATUS"))
      << missing.transcript;
  EXPECT_TRUE(Has(missing.transcript,
                  "found:    error: cannot read nodes.txt (write it with "
                  "--update-golden)"))
      << missing.transcript;

  RunOptions update;
  update.update_golden = true;
  RunYaml(yaml, update, path);
  std::ifstream in(dir / "nodes.txt");
  std::string first_line;
  std::getline(in, first_line);
  EXPECT_EQ(first_line, "NAME            STATUS   ROLES           AGE   VERSION");
  RunResult again = RunYaml(yaml, {}, path);
  EXPECT_TRUE(Has(again.transcript, "ok: output of `get nodes` equals nodes.txt\n"))
      << again.transcript;

  std::ofstream(dir / "nodes.txt") << "NAME STATUS\n";
  RunResult changed = RunYaml(yaml, {}, path);
  EXPECT_TRUE(Has(changed.transcript,
                  "  found:    a different output:\n--- nodes.txt\n+++ output\n"
                  "@@ -1 +1,4 @@\n-NAME STATUS\n+NAME            STATUS"))
      << changed.transcript;
  fs::remove_all(dir);
}

TEST(ScenarioRunnerTest, FailsAssertion) {
  RunResult r = RunYaml(R"y(steps:
- expect:
  - fails: {command: get pod nope, message: "pods \"nope\" not found"}
  - fails: {command: get pod nope, matches: "^Error from server \\(NotFound\\)"}
  - fails: {command: get nodes}
  - fails: {command: get pod nope, message: "something else"}
)y");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.transcript, "ok: `get pod nope` fails with \"pods \"nope\" not found\"\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "ok: `get pod nope` fails matching /^Error from server "
                  "\\(NotFound\\)/\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript,
                  "FAIL: step 1 (line 5): `get nodes` fails\n"
                  "  expected: a non-zero exit code\n  found:    exit code 0\n"))
      << r.transcript;
  EXPECT_TRUE(Has(r.transcript, "  found:    exit code 1, output without the expected text\n"))
      << r.transcript;
}

TEST(ScenarioRunnerTest, SeedOverrideAndReportShape) {
  RunOptions o;
  o.seed = 42;
  RunResult r = RunYaml(
      "cluster: {seed: 7, systemPods: false}\nsteps:\n- expect:\n    pods: {count: 0}\n", o);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.report["seed"], 42);
  EXPECT_TRUE(Has(r.transcript, "# scenario t (seed 42, 3 nodes)\n")) << r.transcript;
  EXPECT_EQ(r.report["assertions"], 1);
  EXPECT_EQ(r.report["failedAssertions"], 0);
  EXPECT_TRUE(r.report["passed"].get<bool>());
  const auto& a = r.report["steps"][0]["assertions"][0];
  EXPECT_EQ(a["type"], "pods");
  EXPECT_EQ(a["time"], "2025-01-01T00:00:00Z");
}

TEST(ScenarioRunnerTest, JUnitHasOneTestcasePerAssertion) {
  RunResult r = RunYaml(R"(name: demo
steps:
- name: check
  expect:
  - pods: {count: 0}
  - pods: {count: 5}
- run: get pod nope
)");
  std::string xml = RenderJUnit({r.report});
  EXPECT_TRUE(Has(xml,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubesim "
                  "run\" tests=\"3\" failures=\"2\" errors=\"0\">\n  <testsuite "
                  "name=\"demo\" tests=\"3\" failures=\"2\" errors=\"0\" skipped=\"0\">\n"))
      << xml;
  EXPECT_TRUE(Has(xml,
                  "<testcase classname=\"demo\" name=\"step 1 [0s] check: pods in "
                  "default\"/>\n"))
      << xml;
  EXPECT_TRUE(Has(xml,
                  "<failure message=\"pods in default: expected 5, found 0 (by status: "
                  "{})\">"))
      << xml;
  EXPECT_TRUE(Has(xml,
                  "name=\"step 2 [0s]: get pod nope\">\n      <failure message=\"command "
                  "failed with exit code 1\">Error from server (NotFound): pods &quot;nope"
                  "&quot; not found\n</failure>"))
      << xml;
}

TEST(ScenarioRunnerTest, UnifiedDiff) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y"), "");
  EXPECT_EQ(UnifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", "x", "y"),
            "--- x\n+++ y\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  EXPECT_EQ(UnifiedDiff("a\n", "a\nb\n", "x", "y"), "--- x\n+++ y\n@@ -1 +1,2 @@\n a\n+b\n");
  EXPECT_EQ(UnifiedDiff("", "a\n", "x", "y"), "--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n");
  // Two changes far apart: two hunks.
  std::string a, b;
  for (int i = 0; i < 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 || i == 17 ? "x" : std::to_string(i)) + "\n";
  }
  EXPECT_EQ(UnifiedDiff(a, b, "x", "y"),
            "--- x\n+++ y\n@@ -1,6 +1,6 @@\n 0\n 1\n-2\n+x\n 3\n 4\n 5\n"
            "@@ -15,6 +15,6 @@\n 14\n 15\n 16\n-17\n+x\n 18\n 19\n");
}

// `cluster.addons: [metrics-server]` boots the add-on, so `top` works in a
// `run` step once metrics-server has scraped twice.
TEST(ScenarioRunnerTest, AddonsGiveTopItsMetrics) {
  RunResult r = RunYaml(R"yaml(cluster:
  systemPods: false
  addons: [metrics-server]
steps:
- sleep: 60s
- expect:
    output: {command: top node, contains: "NAME            CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)"}
)yaml");
  EXPECT_EQ(r.exit_code, 0) << r.transcript;
}

}  // namespace
}  // namespace kubesim::scenario
