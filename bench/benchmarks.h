// Benchmarks run by bench/main.cc; each returns its figure.
#ifndef KUBESIM_BENCH_BENCHMARKS_H_
#define KUBESIM_BENCH_BENCHMARKS_H_

// Put() calls per second on `n` distinct keys, one thread, small values.
double StorePutsPerSecond(int n);
// Wall milliseconds from nothing to a cluster with every node Ready.
double ClusterStartMillis(int workers);
// Namespace creates per second through the API server (validation,
// defaulting, store txn, watch fan-out).
double ApiCreatesPerSecond(int n);
// Pods created, scheduled, pulled and Running, per wall second.
double PodsRunningPerSecond(int workers, int pods);
// Scenario files (parsed once) run `rounds` times each, in process; runs
// per wall second.
#include <string>
#include <vector>
double ScenariosPerSecond(const std::vector<std::string>& files, int rounds);
// scheduler_perf SchedulingBasic: pods created -> bound per wall second on
// `nodes` kubelet-less nodes (negative: only that many pods got bound).
// `cpu_us_per_pod` (optional) gets the process CPU time per pod over the
// same interval (all threads), a figure less noisy than wall time on a
// shared machine.
// `controller_manager` false stops kube-controller-manager first (closer to
// scheduler_perf, which runs only the API server, the scheduler and the
// garbage-collector and namespace controllers).
// `counts` (optional) gets executor tasks and process context switches per
// pod over the same interval.
// `binding_thread` false runs the scheduler's binding cycles inline (the
// A/B of src/scheduler/binding_worker.h).
struct SchedulingBasicCounts {
  double tasks_per_pod = 0;
  double context_switches_per_pod = 0;
};
double SchedulingBasicPodsPerSecond(int nodes, int pods, double* cpu_us_per_pod = nullptr,
                                    bool controller_manager = true,
                                    SchedulingBasicCounts* counts = nullptr,
                                    bool binding_thread = true);
// The HTTP API served in process (bench/http_bench.cc): `clients` keep-alive
// client threads each GET one pod `per_client` times, then each POST
// `per_client` new pods; prints requests/s and p50/p99/max latency of each.
// Returns 0 when every request got its expected status.
int HttpBench(int clients, int per_client);

#endif  // KUBESIM_BENCH_BENCHMARKS_H_
