// `cmake --build build --target bench && ./build/kubesim_bench`
// Prints each figure on its own line; docs/performance.md records them.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "benchmarks.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--scheduler") == 0) {
    // Just the scheduler_perf-style figures (docs/performance.md).
    struct Case {
      int nodes, pods;
      bool controller_manager;
      const char* suffix;
      bool binding_thread = true;
    };
    std::vector<Case> cases = {Case{500, 1000, true, ""}, Case{5000, 10000, true, ""},
                               Case{5000, 10000, false, ", kube-controller-manager stopped"}};
    // `--scheduler NODES PODS [no-kcm] [inline-bind]`: one case only (for
    // profiling and A/B runs).
    if (argc >= 4) {
      bool kcm = true, binding_thread = true;
      for (int i = 4; i < argc; ++i) {
        if (std::strcmp(argv[i], "no-kcm") == 0) kcm = false;
        if (std::strcmp(argv[i], "inline-bind") == 0) binding_thread = false;
      }
      cases = {Case{std::atoi(argv[2]), std::atoi(argv[3]), kcm,
                    kcm ? (binding_thread ? "" : ", binding cycles inline")
                        : (binding_thread ? ", kube-controller-manager stopped"
                                          : ", kube-controller-manager stopped, binding cycles "
                                            "inline"),
                    binding_thread}};
    }
    for (const Case& c : cases) {
      double cpu = 0;
      SchedulingBasicCounts counts;
      double rate = SchedulingBasicPodsPerSecond(c.nodes, c.pods, &cpu, c.controller_manager,
                                                 &counts, c.binding_thread);
      std::printf(
          "SchedulingBasic %d nodes, %d pods%s: %.0f pods/s (%.0f us CPU/pod, %.1f tasks/pod, "
          "%.1f context switches/pod)\n",
          c.nodes, c.pods, c.suffix, rate, cpu, counts.tasks_per_pod,
          counts.context_switches_per_pod);
    }
    return 0;
  }
  if (argc > 1 && std::strcmp(argv[1], "--http") == 0) {
    // Only the HTTP API figures (docs/performance.md, issue 6).
    return HttpBench(/*clients=*/4, /*per_client=*/1000);
  }
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  int scale = quick ? 10 : 1;
  if (argc > 1 && std::strcmp(argv[1], "--scenarios") == 0) {
    // Only the scenario figure (docs/performance.md, issue 5). Run from the
    // repository root: the example paths are relative.
    std::printf("example scenarios/s (node-failure, scheduling, rolling-update; 10 rounds): %.1f\n",
                ScenariosPerSecond(
                    {"examples/node-failure/scenario.yaml", "examples/scheduling/scenario.yaml",
                     "examples/rolling-update/scenario.yaml"},
                    10));
    return 0;
  }
  std::printf("store puts/s (1 thread, %d keys): %.0f\n", 1000000 / scale,
              StorePutsPerSecond(1000000 / scale));
  double best = 1e9;
  for (int i = 0; i < 5; ++i) {
    double ms = ClusterStartMillis(2);
    if (ms < best) best = ms;
  }
  std::printf("cluster start to all 3 nodes Ready (best of 5): %.2f ms\n", best);
  std::printf("cluster start with 100 workers: %.2f ms\n", ClusterStartMillis(100));
  std::printf("API creates/s (namespaces, %d): %.0f\n", 20000 / scale,
              ApiCreatesPerSecond(20000 / scale));
  std::printf("pods created->Running per second (10 workers, %d pods): %.0f\n", 1000 / scale,
              PodsRunningPerSecond(10, 1000 / scale));
  return 0;
}
