// The metrics-server add-on and `top` (kubesim/metrics/metrics_server.h,
// src/shell/top_command.cc). Layouts and messages are kubectl v1.32's
// (metricsutil/metrics_printer.go, top_node.go, top_pod.go), checked
// against the real kubectl through `kubesim --addons metrics-server serve`.
#include <gtest/gtest.h>

#include "kubesim/api/gvr.h"
#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

cluster::ClusterConfig WithMetrics(bool system_pods = true) {
  cluster::ClusterConfig c = cluster::ClusterConfig::Default(2);
  c.system_pods = system_pods;
  c.addons = {"metrics-server"};
  return c;
}

TEST(MetricsTest, NoAddonNoMetricsApi) {
  ShellHarness h;
  auto r = h.Run("top node");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: Metrics API not available\n");
  EXPECT_EQ(h.Run("api-resources").out.find("metrics.k8s.io"), std::string::npos);
}

TEST(MetricsTest, TopNodeAfterTwoScrapes) {
  ShellHarness h(WithMetrics(), 1);
  // metrics-server runs (the bootstrap waited for it) but has not scraped
  // twice yet.
  EXPECT_EQ(h.Run("top node").err, "error: metrics not available yet\n");
  h.Run("sleep 30s");
  auto r = h.Run("top node");
  EXPECT_EQ(r.code, 0) << r.err;
  // Three nodes by name, the header with its trailing cell, percentages of
  // allocatable (2 CPU, 8Gi).
  EXPECT_EQ(r.out.substr(0, r.out.find('\n') + 1),
            "NAME            CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n");
  EXPECT_NE(r.out.find("\ncontrol-plane   1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nworker-1        "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nworker-2        "), std::string::npos) << r.out;
  // Same seed, same figures.
  ShellHarness again(WithMetrics(), 1);
  again.Run("sleep 30s");
  EXPECT_EQ(again.Run("top node").out, r.out);

  // A stopped kubelet cannot be scraped: <unknown> for its node.
  h.Run("node stop worker-2");
  h.Run("sleep 15s");
  std::string out = h.Run("top node").out;
  EXPECT_NE(out.find("worker-2        <unknown>    <unknown>   <unknown>       <unknown>   \n"),
            std::string::npos)
      << out;
}

TEST(MetricsTest, TopPodUsesTheUsageAnnotations) {
  ShellHarness h(WithMetrics(false), 1);
  h.SetStdin(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: busy\n  annotations:\n"
      "    kubesim.io/cpu-usage: 500m\n    kubesim.io/memory-usage: 300Mi\nspec:\n"
      "  containers:\n  - name: c\n    image: nginx\n");
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.Run("run idle --image nginx");
  h.Run("sleep 20s");
  EXPECT_EQ(h.Run("top pod").err, "error: metrics not available yet\n");
  h.Run("sleep 60s");
  auto r = h.Run("top pod --sort-by=cpu");
  EXPECT_EQ(r.code, 0) << r.err;
  // Within the model's ±10 %: 450m-550m and 270Mi-330Mi; nginx idles at 0m.
  ASSERT_EQ(r.out.rfind("NAME   CPU(cores)   MEMORY(bytes)   \nbusy   ", 0), 0u) << r.out;
  const int cpu = std::stoi(r.out.substr(r.out.find("busy   ") + 7));
  EXPECT_GE(cpu, 450);
  EXPECT_LE(cpu, 550);
  EXPECT_NE(r.out.find("\nidle   0m           3Mi             \n"), std::string::npos) << r.out;
  // The node's usage includes the pod's (and the node's own ~40m).
  const std::string node = h.Run("get pod busy -o jsonpath={.spec.nodeName}").out;
  std::string line = h.Run("top node " + node + " --no-headers").out;
  line = line.substr(line.find_first_not_of(' ', node.size()));
  EXPECT_GE(std::stoi(line), 450 + 36) << line;
  EXPECT_EQ(h.Run("top pod nope").err,
            "Error from server (NotFound): podmetrics.metrics.k8s.io \"default/nope\" not found\n");
}

TEST(MetricsTest, UnavailableWhileMetricsServerIsDown) {
  ShellHarness h(WithMetrics(false), 1);
  h.Run("sleep 60s");
  ASSERT_EQ(h.Run("top node").code, 0);
  ASSERT_EQ(h.Run("scale deployment metrics-server -n kube-system --replicas 0").code, 0);
  h.Run("sleep 20s");
  auto r = h.Run("top node");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error from server (ServiceUnavailable): the server is currently unable to handle "
            "the request (get nodes.metrics.k8s.io)\n");
  // The API's own answer: the aggregator's 503.
  api::Request req;
  req.verb = api::Verb::kList;
  req.gvr = {"metrics.k8s.io", "v1beta1", "nodes"};
  api::Response raw = h.cluster().api_server().Handle(req);
  EXPECT_EQ(raw.code, 503);
  EXPECT_EQ(raw.body, "service unavailable\n");
}

}  // namespace
}  // namespace kubesim
