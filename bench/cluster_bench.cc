// Whole-cluster figures: start-up to all nodes Ready, API creates/s.
#include <chrono>

#include "benchmarks.h"
#include "kubesim/api/gvr.h"
#include "kubesim/cluster/cluster.h"

using Clock = std::chrono::steady_clock;

double ClusterStartMillis(int workers) {
  auto t0 = Clock::now();
  auto cluster =
      kubesim::cluster::Cluster::Start(kubesim::cluster::ClusterConfig::Default(workers));
  // Start() returns once bootstrap work ran to quiescence: every node is
  // registered Ready (the shell's prompt would show next).
  auto t1 = Clock::now();
  if (!cluster.ok()) return -1;
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

double ApiCreatesPerSecond(int n) {
  auto cluster = kubesim::cluster::Cluster::Start(kubesim::cluster::ClusterConfig::Default(0));
  if (!cluster.ok()) return -1;
  auto client = (*cluster)->NewClient("bench");
  // Namespaces: validated, defaulted, stored, watched; nothing else reacts
  // to them, so this measures the API server and store alone.
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    kubesim::api::Object ns = {{"apiVersion", "v1"},
                               {"kind", "Namespace"},
                               {"metadata", {{"name", "bench-" + std::to_string(i)}}}};
    auto r = client->Create(kubesim::api::kNamespaces, "", ns);
    if (!r.ok()) return -1;
  }
  (*cluster)->executor().RunUntilIdle();  // the watch fan-out is part of the cost
  auto t1 = Clock::now();
  return n / std::chrono::duration<double>(t1 - t0).count();
}

double PodsRunningPerSecond(int workers, int pods) {
  auto cluster =
      kubesim::cluster::Cluster::Start(kubesim::cluster::ClusterConfig::Default(workers));
  if (!cluster.ok()) return -1;
  auto client = (*cluster)->NewClient("bench");
  auto t0 = Clock::now();
  for (int i = 0; i < pods; ++i) {
    kubesim::api::Object pod = {{"apiVersion", "v1"},
                                {"kind", "Pod"},
                                {"metadata", {{"name", "p-" + std::to_string(i)}}},
                                {"spec", {{"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}};
    auto r = client->Create(kubesim::api::kPods, "default", pod);
    if (!r.ok()) return -1;
  }
  // Scheduling, image pulls and starts happen within a minute of simulated time.
  (*cluster)->executor().AdvanceBy(std::chrono::minutes(1));
  auto t1 = Clock::now();
  return pods / std::chrono::duration<double>(t1 - t0).count();
}
