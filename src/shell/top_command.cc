// `top node` and `top pod`: k8s.io/kubectl/pkg/cmd/top (top_node.go,
// top_pod.go) and pkg/metricsutil/metrics_printer.go, reading the
// metrics.k8s.io API that the metrics-server add-on serves.
#include <algorithm>
#include <map>

#include "commands.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/duration.h"
#include "kubesim/printers/quantity.h"
#include "kubesim/printers/tabwriter.h"

namespace kubesim::shell {
namespace {

const api::GroupVersionResource kNodeMetrics{"metrics.k8s.io", "v1beta1", "nodes"};
const api::GroupVersionResource kPodMetrics{"metrics.k8s.io", "v1beta1", "pods"};

// top pods use "pod" metrics of at most this age before saying they are
// missing (top_pod.go metricsCreationDelay).
constexpr Duration kMetricsCreationDelay = std::chrono::minutes(2);

struct Usage {
  int64_t milli_cpu = 0;
  int64_t bytes = 0;
};

Usage UsageOf(const api::Object& usage) {
  Usage u;
  if (auto c = printers::Quantity::Parse(api::GetString(usage, "/cpu")); c.ok()) {
    u.milli_cpu = c->MilliValue();
  }
  if (auto m = printers::Quantity::Parse(api::GetString(usage, "/memory")); m.ok()) {
    u.bytes = m->Value();
  }
  return u;
}

// printSingleResourceUsage: "%vm" and "%vMi".
std::string Cpu(const Usage& u) { return std::to_string(u.milli_cpu) + "m"; }
std::string Mem(const Usage& u) { return std::to_string(u.bytes / (1024 * 1024)) + "Mi"; }

// The API's answer when metrics-server is not Available: client-go's
// wording for a 503 without a Status body.
bool Unavailable(Env& env, const api::Response& r, const std::string& verb,
                 const std::string& resource) {
  if (r.code != 503) return false;
  env.err << "Error from server (ServiceUnavailable): the server is currently unable to handle "
             "the request ("
          << verb << " " << resource << ".metrics.k8s.io)\n";
  return true;
}

bool MetricsApiAvailable(Env& env) { return env.discovery().Find(kNodeMetrics) != nullptr; }

int TopNode(Env& env, const FlagSet& flags, const Args& pos) {
  const std::string name = pos.size() > 1 ? pos[1] : "";
  api::Request req;
  req.gvr = kNodeMetrics;
  req.verb = name.empty() ? api::Verb::kList : api::Verb::kGet;
  req.name = name;
  req.label_selector = flags.Get("selector");
  api::Response r = env.client().Do(req);
  if (Unavailable(env, r, "get", "nodes")) return 1;
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  std::vector<api::Object> metrics;
  if (name.empty()) {
    for (const auto& m : r.body["items"]) metrics.push_back(m);
  } else {
    metrics.push_back(r.body);
  }
  if (metrics.empty()) return PrintError(env, "metrics not available yet");

  // The nodes, for their allocatable (the % columns) and the ones without
  // metrics (<unknown>).
  std::map<std::string, api::Object> allocatable;
  if (!name.empty()) {
    api::Response node = Get(env, api::kNodes, "", name);
    if (!node.ok()) {
      PrintApiError(env, node);
      return 1;
    }
    allocatable[name] = api::Find(node.body, "/status/allocatable")
                            ? *api::Find(node.body, "/status/allocatable")
                            : api::Object::object();
  } else {
    api::Request list;
    list.verb = api::Verb::kList;
    list.gvr = api::kNodes;
    list.label_selector = flags.Get("selector");
    api::Response nodes = env.client().Do(list);
    if (!nodes.ok()) {
      PrintApiError(env, nodes);
      return 1;
    }
    for (const auto& n : nodes.body["items"]) {
      const api::Object* a = api::Find(n, "/status/allocatable");
      allocatable[api::Name(n)] = a ? *a : api::Object::object();
    }
  }
  const std::string sort_by = flags.Get("sort-by");
  std::stable_sort(metrics.begin(), metrics.end(), [&](const api::Object& a, const api::Object& b) {
    Usage ua = UsageOf(a["usage"]), ub = UsageOf(b["usage"]);
    if (sort_by == "cpu") return ua.milli_cpu > ub.milli_cpu;
    if (sort_by == "memory") return ua.bytes > ub.bytes;
    return api::Name(a) < api::Name(b);
  });
  printers::TabWriter tw;
  std::string text;
  if (!flags.GetBool("no-headers")) {
    text += "NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n";
  }
  for (const auto& m : metrics) {
    const std::string node = api::Name(m);
    Usage u = UsageOf(m["usage"]);
    text += node + "\t" + Cpu(u) + "\t";
    auto it = allocatable.find(node);
    if (it != allocatable.end()) {
      Usage avail = UsageOf(it->second);
      auto pct = [](int64_t used, int64_t total) {
        return total == 0 ? int64_t{0}
                          : static_cast<int64_t>(static_cast<double>(used) /
                                                 static_cast<double>(total) * 100);
      };
      // MilliValue of memory for the fraction, as upstream.
      text += std::to_string(pct(u.milli_cpu, avail.milli_cpu)) + "%\t" + Mem(u) + "\t" +
              std::to_string(pct(u.bytes, avail.bytes)) + "%\t";
      allocatable.erase(it);
    } else {
      text += Mem(u) + "\t";
    }
    text += "\n";
  }
  // Nodes without metrics (not scraped: a stopped kubelet).
  for (const auto& [node, unused] : allocatable) {
    text += node + "\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n";
  }
  tw.Write(text);
  tw.Flush();
  env.out << tw.TakeOutput();
  return 0;
}

int TopPod(Env& env, const FlagSet& flags, const Args& pos) {
  const std::string name = pos.size() > 1 ? pos[1] : "";
  const bool all_ns = flags.GetBool("all-namespaces");
  const std::string ns = NamespaceOf(flags);
  api::Request req;
  req.gvr = kPodMetrics;
  req.verb = name.empty() ? api::Verb::kList : api::Verb::kGet;
  req.name = name;
  req.namespace_ = all_ns ? "" : ns;
  req.label_selector = flags.Get("selector");
  api::Response r = env.client().Do(req);
  if (Unavailable(env, r, "get", "pods")) return 1;
  std::vector<api::Object> metrics;
  if (r.ok()) {
    if (name.empty()) {
      for (const auto& m : r.body["items"]) metrics.push_back(m);
    } else {
      metrics.push_back(r.body);
    }
  } else {
    PrintApiError(env, r);
    return 1;
  }
  if (metrics.empty()) {
    // top_pod.go verifyEmptyMetrics: young pods have no metrics yet; old
    // ones are reported.
    std::vector<api::Object> pods;
    if (!name.empty()) {
      api::Response pod = Get(env, api::kPods, ns, name);
      if (!pod.ok()) {
        PrintApiError(env, pod);
        return 1;
      }
      pods.push_back(pod.body);
    } else {
      api::Request list;
      list.verb = api::Verb::kList;
      list.gvr = api::kPods;
      list.namespace_ = all_ns ? "" : ns;
      list.label_selector = flags.Get("selector");
      api::Response listed = env.client().Do(list);
      if (!listed.ok()) {
        PrintApiError(env, listed);
        return 1;
      }
      for (const auto& p : listed.body["items"]) pods.push_back(p);
    }
    if (!pods.empty()) {
      const Time now = env.ctx.executor->Now();
      for (const auto& p : pods) {
        Time created{};
        ParseRfc3339(api::GetString(p, "/metadata/creationTimestamp"), &created);
        if (now - created > kMetricsCreationDelay) {
          return PrintError(env, "Metrics not available for pod " + api::Namespace(p) + "/" +
                                     api::Name(p) +
                                     ", age: " + printers::GoDurationString(now - created));
        }
      }
      return PrintError(env, "metrics not available yet");
    }
    if (all_ns) {
      env.err << "No resources found\n";
    } else {
      env.err << "No resources found in " << ns << " namespace.\n";
    }
    return 0;
  }
  const bool containers = flags.GetBool("containers");
  const std::string sort_by = flags.Get("sort-by");
  auto total = [](const api::Object& m) {
    Usage t;
    for (const auto& c : m["containers"]) {
      Usage u = UsageOf(c["usage"]);
      t.milli_cpu += u.milli_cpu;
      t.bytes += u.bytes;
    }
    return t;
  };
  std::stable_sort(metrics.begin(), metrics.end(), [&](const api::Object& a, const api::Object& b) {
    if (sort_by == "cpu") return total(a).milli_cpu > total(b).milli_cpu;
    if (sort_by == "memory") return total(a).bytes > total(b).bytes;
    if (all_ns && api::Namespace(a) != api::Namespace(b)) {
      return api::Namespace(a) < api::Namespace(b);
    }
    return api::Name(a) < api::Name(b);
  });
  std::string text;
  if (!flags.GetBool("no-headers")) {
    if (all_ns) text += "NAMESPACE\t";
    if (containers) text += "POD\t";
    text += "NAME\tCPU(cores)\tMEMORY(bytes)\t\n";
  }
  Usage sum;
  for (const auto& m : metrics) {
    if (containers) {
      for (const auto& c : m["containers"]) {
        if (all_ns) text += api::Namespace(m) + "\t";
        Usage u = UsageOf(c["usage"]);
        text += api::Name(m) + "\t" + c.value("name", "") + "\t" + Cpu(u) + "\t" + Mem(u) + "\t\n";
      }
    } else {
      if (all_ns) text += api::Namespace(m) + "\t";
      Usage u = total(m);
      text += api::Name(m) + "\t" + Cpu(u) + "\t" + Mem(u) + "\t\n";
    }
    Usage u = total(m);
    sum.milli_cpu += u.milli_cpu;
    sum.bytes += u.bytes;
  }
  if (flags.GetBool("sum")) {
    // printPodResourcesSum
    int width = 3 + (all_ns ? 1 : 0) + (containers ? 1 : 0);
    for (int i = 0; i < width - 2; ++i) text += "\t";
    text += "________\t________\t\n";
    for (int i = 0; i < width - 3; ++i) text += "\t";
    text += "\t" + Cpu(sum) + "\t" + Mem(sum) + "\t\n";
  }
  printers::TabWriter tw;
  tw.Write(text);
  tw.Flush();
  env.out << tw.TakeOutput();
  return 0;
}

}  // namespace

int RunTop(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.Bool("all-namespaces", 'A');
  flags.String("selector", 'l');
  flags.String("sort-by", 0);
  flags.Bool("no-headers", 0);
  flags.Bool("containers", 0);
  flags.Bool("sum", 0);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "top", st);
  const Args& pos = flags.positional();
  if (pos.empty() || (pos[0] != "node" && pos[0] != "nodes" && pos[0] != "no" && pos[0] != "pod" &&
                      pos[0] != "pods" && pos[0] != "po")) {
    env.err << "error: unknown command \"" << (pos.empty() ? "" : pos[0])
            << "\" for \"kubectl top\"\nSee 'kubectl top -h' for help and examples\n";
    return 1;
  }
  const std::string sort_by = flags.Get("sort-by");
  if (!sort_by.empty() && sort_by != "cpu" && sort_by != "memory") {
    return PrintError(env, "--sort-by accepts only cpu or memory");
  }
  // top_node.go / top_pod.go Validate: the group must be served.
  if (!MetricsApiAvailable(env)) return PrintError(env, "Metrics API not available");
  const bool nodes = pos[0] == "node" || pos[0] == "nodes" || pos[0] == "no";
  return nodes ? TopNode(env, flags, pos) : TopPod(env, flags, pos);
}

}  // namespace kubesim::shell
