// Scheduler throughput in the shape of upstream scheduler_perf's
// SchedulingBasic (test/integration/scheduler_perf/config/performance-config.yaml,
// templates node-default.yaml and pod-default.yaml): N nodes with 4 cpu,
// 32Gi, 110 pods and no kubelets, then M pods requesting 100m / 500Mi are
// created and scheduled; the figure is pods per wall second from the first
// create to the last pod bound (API create, informer, queue, filter, score,
// bind through pods/binding, all included).
#include <sys/resource.h>
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define KUBESIM_HAVE_CALLGRIND 1
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <utility>

#include "benchmarks.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/cluster/cluster.h"

using Clock = std::chrono::steady_clock;

namespace {
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Voluntary + involuntary context switches of the whole process so far: each
// hand-over of the executor's baton between dispatcher threads costs one.
long ProcessContextSwitches() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_nvcsw + usage.ru_nivcsw;
}

// `perf record -D -1 --control fifo:FIFO` profiles only the measured window
// when KUBESIM_PERF_CTL names that FIFO: "enable" at the first create,
// "disable" after the last bind (set-up and tear-down stay out).
//
// Under `valgrind --tool=callgrind --instr-atstart=no` the same two points
// start and stop callgrind's instrumentation, so its instruction count
// (repeatable whatever else the machine runs) covers only that window.
void PerfControl(const char* command) {
#ifdef KUBESIM_HAVE_CALLGRIND
  if (std::strcmp(command, "enable") == 0) {
    CALLGRIND_START_INSTRUMENTATION;
  } else {
    CALLGRIND_STOP_INSTRUMENTATION;
  }
#endif
  const char* fifo = std::getenv("KUBESIM_PERF_CTL");
  if (fifo == nullptr) return;
  if (std::FILE* f = std::fopen(fifo, "w")) {
    std::fprintf(f, "%s\n", command);
    std::fclose(f);
  }
}
}  // namespace

double SchedulingBasicPodsPerSecond(int nodes, int pods, double* cpu_us_per_pod,
                                    bool controller_manager, SchedulingBasicCounts* counts,
                                    bool binding_thread) {
  kubesim::cluster::ClusterConfig config = kubesim::cluster::ClusterConfig::Default(0);
  config.scheduler_binding_thread = binding_thread;
  auto cluster = kubesim::cluster::Cluster::Start(config);
  if (!cluster.ok()) return -1;
  if (!controller_manager && !(*cluster)->StopComponent("controller-manager").ok()) return -1;
  auto client = (*cluster)->NewClient("scheduler-perf");
  for (int i = 0; i < nodes; ++i) {
    const std::string name = "scheduler-perf-" + std::to_string(i);
    kubesim::api::Object res = {{"cpu", "4"}, {"memory", "32Gi"}, {"pods", "110"}};
    kubesim::api::Object node = {
        {"apiVersion", "v1"},
        {"kind", "Node"},
        {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
        {"spec", kubesim::api::Object::object()},
        {"status",
         {{"capacity", res},
          {"allocatable", res},
          {"conditions", kubesim::api::Object::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
    if (!client->Create(kubesim::api::kNodes, "", node).ok()) return -1;
  }
  (*cluster)->executor().RunUntilIdle();

  PerfControl("enable");
  auto t0 = Clock::now();
  const double cpu0 = ProcessCpuSeconds();
  const long switches0 = ProcessContextSwitches();
  const uint64_t tasks0 = (*cluster)->executor().tasks_run();
  for (int i = 0; i < pods; ++i) {
    kubesim::api::Object pod = {
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata", {{"generateName", "pod-"}}},
        {"spec",
         {{"containers",
           {{{"name", "pause"},
             {"image", "registry.k8s.io/pause:3.10"},
             {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "500Mi"}}}}}}}}}}};
    // The created pod comes back as to any client (scheduler_perf's client
    // gets it too); Client::CreateDiscardingResult would spare that copy.
    if (!client->Create(kubesim::api::kPods, "default", std::move(pod)).ok()) return -1;
    // Let the scheduler keep up as pods arrive (scheduler_perf creates
    // them with a client QPS limit while the scheduler runs).
    if (i % 100 == 99) (*cluster)->executor().RunUntilIdle();
  }
  (*cluster)->executor().RunUntilIdle();
  auto t1 = Clock::now();
  PerfControl("disable");
  if (cpu_us_per_pod) *cpu_us_per_pod = (ProcessCpuSeconds() - cpu0) * 1e6 / pods;
  if (counts) {
    counts->tasks_per_pod = static_cast<double>((*cluster)->executor().tasks_run() - tasks0) / pods;
    counts->context_switches_per_pod =
        static_cast<double>(ProcessContextSwitches() - switches0) / pods;
  }

  auto list = client->List(kubesim::api::kPods, "default");
  if (!list.ok()) return -1;
  int bound = 0;
  for (const kubesim::api::Object& p : (*list)["items"]) {
    if (!kubesim::api::GetString(p, "/spec/nodeName").empty()) ++bound;
  }
  if (bound != pods) return -bound;  // a failed run shows as a negative count
  return pods / std::chrono::duration<double>(t1 - t0).count();
}
