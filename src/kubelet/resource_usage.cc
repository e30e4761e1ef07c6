// ContainerUsage and NodeOverhead (resource_usage.h).
#include "resource_usage.h"

#include <chrono>

#include "kubesim/api/object_meta.h"
#include "kubesim/printers/quantity.h"
#include "kubesim/sim/random.h"

namespace kubesim::kubelet::internal {
namespace {

constexpr int64_t kMilli = 1000 * 1000;  // nanocores per millicore
constexpr int64_t kMi = 1024 * 1024;

struct Baseline {
  const char* image_part;  // matched as a substring of the image
  int64_t milli_cpu;
  int64_t mi_memory;
};

// Typical idle figures of a kubeadm cluster's components, as `kubectl top
// pod -A` shows them on a small cluster.
constexpr Baseline kBaselines[] = {
    {"kube-apiserver", 45, 260}, {"etcd", 25, 45},          {"kube-controller-manager", 18, 50},
    {"kube-scheduler", 4, 22},   {"coredns", 3, 14},        {"kube-proxy", 1, 18},
    {"flannel", 4, 12},          {"metrics-server", 4, 20}, {"nginx", 0, 3},
};

// A fraction in [0.9, 1.1] from a hash of the inputs.
double Jitter(uint64_t seed, const std::string& who, Time now) {
  const int64_t t =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  uint64_t h = Fnv1a64(std::to_string(seed) + "/" + who + "/" + std::to_string(t));
  return 0.9 + 0.2 * static_cast<double>(h % 10001) / 10000.0;
}

// Memory is counted in whole 4 KiB pages, as the kernel's working set is
// (so metrics-server's figures print in Ki).
Usage Scale(int64_t nanocores, int64_t bytes, double f) {
  const int64_t mem = static_cast<int64_t>(static_cast<double>(bytes) * f);
  return {static_cast<int64_t>(static_cast<double>(nanocores) * f), mem / 4096 * 4096};
}

}  // namespace

Usage ContainerUsage(const api::Object& pod, size_t index, const std::string& name,
                     const std::string& image, uint64_t seed, Time now) {
  int64_t cpu = 1 * kMilli, mem = 8 * kMi;
  for (const Baseline& b : kBaselines) {
    if (image.find(b.image_part) != std::string::npos) {
      cpu = b.milli_cpu * kMilli;
      mem = b.mi_memory * kMi;
      break;
    }
  }
  if (index == 0) {
    // The demo author's figures; an unparsable one is ignored.
    const std::string cpu_text = api::GetString(pod, "/metadata/annotations/kubesim.io~1cpu-usage");
    const std::string mem_text =
        api::GetString(pod, "/metadata/annotations/kubesim.io~1memory-usage");
    if (auto q = printers::Quantity::Parse(cpu_text); !cpu_text.empty() && q.ok()) {
      cpu = q->ScaledValue(-9);
    }
    if (auto q = printers::Quantity::Parse(mem_text); !mem_text.empty() && q.ok()) {
      mem = q->Value();
    }
  }
  return Scale(cpu, mem, Jitter(seed, api::Uid(pod) + "/" + name, now));
}

Usage NodeOverhead(bool control_plane, uint64_t seed, const std::string& node, Time now) {
  const int64_t cpu = (control_plane ? 60 : 40) * kMilli;
  const int64_t mem = (control_plane ? 550 : 450) * kMi;
  return Scale(cpu, mem, Jitter(seed, "node/" + node, now));
}

}  // namespace kubesim::kubelet::internal
