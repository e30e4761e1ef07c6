// MetricsServer, AddMetricsResources and MetricsServerManifests
// (kubesim/metrics/metrics_server.h). Upstream: kubernetes-sigs/
// metrics-server pkg/scraper (scrape every kubelet), pkg/storage (keep the
// previous and last batch; a node or pod missing from a batch is dropped),
// pkg/api (NodeMetrics/PodMetrics, NotFound as "nodemetrics.metrics.k8s.io
// \"x\" not found"), manifests/components.yaml v0.7.2.
#include "kubesim/metrics/metrics_server.h"

#include <algorithm>
#include <chrono>

#include "kubesim/api/errors.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/selectors.h"
#include "kubesim/printers/duration.h"
#include "kubesim/printers/quantity.h"
#include "kubesim/printers/yaml.h"

namespace kubesim::metrics {
namespace {

using api::Object;

constexpr char kGroup[] = "metrics.k8s.io";
constexpr char kVersion[] = "v1beta1";
constexpr char kApiVersion[] = "metrics.k8s.io/v1beta1";

// NodeMetrics / PodMetrics as the aggregated API lists them.
class MetricsStrategy final : public api::ResourceStrategy {
 public:
  MetricsStrategy(const char* resource, const char* kind, bool namespaced) {
    info_.gvr = {kGroup, kVersion, resource};
    info_.kind = kind;
    info_.singular = "";
    info_.namespaced = namespaced;
    info_.verbs = {"get", "list"};
    info_.aggregated = true;
  }
  const api::ResourceInfo& info() const override { return info_; }
  // metrics-server's table: NAME, CPU, MEMORY, WINDOW (pkg/api/table.go).
  Object TableColumns() const override {
    auto col = [](const char* name, const char* format, const char* desc) {
      return Object{{"name", name},
                    {"type", "string"},
                    {"format", format},
                    {"description", desc},
                    {"priority", 0}};
    };
    return Object::array({col("Name", "name", "Name of the resource"), col("CPU", "", "CPU usage"),
                          col("Memory", "", "Memory usage"),
                          col("Window", "", "Time window used to compute usage")});
  }
  Object TableCells(const Object& obj, Time) const override {
    int64_t cpu = 0, mem = 0;
    auto add = [&](const Object& usage) {
      auto c = printers::Quantity::Parse(api::GetString(usage, "/cpu"));
      auto m = printers::Quantity::Parse(api::GetString(usage, "/memory"));
      if (c.ok()) cpu += c->MilliValue();
      if (m.ok()) mem += m->Value();
    };
    if (const Object* u = api::Find(obj, "/usage")) add(*u);
    if (const Object* cs = api::Find(obj, "/containers"); cs && cs->is_array()) {
      for (const auto& c : *cs) {
        if (const Object* u = api::Find(c, "/usage")) add(*u);
      }
    }
    return Object::array({api::Name(obj), std::to_string(cpu) + "m",
                          std::to_string(mem / 1024) + "Ki", obj.value("window", "")});
  }

 private:
  api::ResourceInfo info_;
};

std::string CpuQuantity(int64_t nanocores) {
  auto q = printers::Quantity::Parse(std::to_string(nanocores) + "n");
  return q.ok() ? q->String() : "0";
}
std::string MemoryQuantity(int64_t bytes) {
  return printers::Quantity::FromValue(bytes, printers::QuantityFormat::kBinarySI).String();
}

std::map<std::string, std::string> LabelsOf(const Object* obj) {
  std::map<std::string, std::string> out;
  const Object* labels = obj ? api::Find(*obj, "/metadata/labels") : nullptr;
  if (labels && labels->is_object()) {
    for (auto it = labels->begin(); it != labels->end(); ++it) {
      if (it->is_string()) out[it.key()] = it->get<std::string>();
    }
  }
  return out;
}

Object LabelsObject(const std::map<std::string, std::string>& labels) {
  Object o = Object::object();
  for (const auto& [k, v] : labels) o[k] = v;
  return o;
}

constexpr char kManifests[] = R"(apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    k8s-app: metrics-server
  name: metrics-server
  namespace: kube-system
---
apiVersion: v1
kind: Service
metadata:
  labels:
    k8s-app: metrics-server
  name: metrics-server
  namespace: kube-system
spec:
  ports:
  - name: https
    port: 443
    protocol: TCP
    targetPort: https
  selector:
    k8s-app: metrics-server
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    k8s-app: metrics-server
  name: metrics-server
  namespace: kube-system
spec:
  selector:
    matchLabels:
      k8s-app: metrics-server
  strategy:
    rollingUpdate:
      maxUnavailable: 0
  template:
    metadata:
      labels:
        k8s-app: metrics-server
    spec:
      containers:
      - args:
        - --cert-dir=/tmp
        - --secure-port=10250
        - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
        - --kubelet-use-node-status-port
        - --metric-resolution=15s
        image: registry.k8s.io/metrics-server/metrics-server:v0.7.2
        imagePullPolicy: IfNotPresent
        name: metrics-server
        ports:
        - containerPort: 10250
          name: https
          protocol: TCP
        resources:
          requests:
            cpu: 100m
            memory: 200Mi
        volumeMounts:
        - mountPath: /tmp
          name: tmp-dir
      nodeSelector:
        kubernetes.io/os: linux
      priorityClassName: system-cluster-critical
      serviceAccountName: metrics-server
      volumes:
      - emptyDir: {}
        name: tmp-dir
)";

}  // namespace

void AddMetricsResources(api::ResourceRegistry* registry) {
  registry->Add(std::make_unique<MetricsStrategy>("nodes", "NodeMetrics", false));
  registry->Add(std::make_unique<MetricsStrategy>("pods", "PodMetrics", true));
}

std::vector<api::Object> MetricsServerManifests() {
  auto docs = printers::ParseYamlDocuments(kManifests);
  // A constant of this file: a parse failure is a programming error the
  // tests catch, not user input.
  return docs.ok() ? *docs : std::vector<api::Object>{};
}

MetricsServer::MetricsServer(client::Client* client, Executor* executor,
                             std::function<std::vector<kubelet::Kubelet*>()> kubelets,
                             Duration resolution)
    : client_(client),
      kubelets_(std::move(kubelets)),
      resolution_(resolution),
      loop_(executor->CreateDispatcher("metrics-server")) {}

MetricsServer::~MetricsServer() { loop_->Shutdown(); }

void MetricsServer::Start() { ScheduleNext(); }

void MetricsServer::ScheduleNext() {
  loop_->PostAfter(resolution_, [this] {
    Scrape();
    ScheduleNext();
  });
}

void MetricsServer::Scrape() {
  // The APIService is Available while the Deployment has a ready replica.
  auto deployment = client_->Get(api::kDeployments, "kube-system", "metrics-server");
  const bool available =
      deployment.ok() && api::GetInt(*deployment, "/status/availableReplicas") > 0;
  std::map<std::string, std::map<std::string, std::string>> node_labels;
  if (auto nodes = client_->List(api::kNodes, ""); nodes.ok()) {
    for (const auto& n : (*nodes)["items"]) node_labels[api::Name(n)] = LabelsOf(&n);
  }
  const Time now = loop_->clock().Now();
  // One batch: every kubelet that answers.
  std::map<std::string, Sample> node_batch;
  std::map<std::string, PodSample> pod_batch;
  if (available) {
    for (kubelet::Kubelet* k : kubelets_()) {
      auto m = k->ScrapeResourceMetrics(now);
      if (!m.ok()) continue;  // "Failed to scrape node": left out of the batch
      node_batch[k->config().name] = {now, m->node_cpu_nanocores, m->node_memory_bytes};
      for (auto& p : m->pods) {
        pod_batch[p.ns + "/" + p.name] = {now, p.object, std::move(p.containers)};
      }
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  available_ = available;
  node_labels_ = std::move(node_labels);
  // storage.Store: what is not in this batch is forgotten; what was in the
  // last one becomes its previous sample.
  std::map<std::string, std::pair<Sample, Sample>> nodes;
  for (auto& [name, s] : node_batch) {
    auto it = nodes_.find(name);
    nodes[name] = {it == nodes_.end() ? Sample{} : it->second.second, s};
  }
  nodes_ = std::move(nodes);
  std::map<std::string, std::pair<PodSample, PodSample>> pods;
  for (auto& [key, s] : pod_batch) {
    auto it = pods_.find(key);
    pods[key] = {it == pods_.end() ? PodSample{} : it->second.second, std::move(s)};
  }
  pods_ = std::move(pods);
}

std::optional<api::Response> MetricsServer::Handle(const api::Request& req) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!available_) return std::nullopt;
  const bool nodes = req.gvr.resource == "nodes";
  auto selector = api::LabelSelector::Parse(req.label_selector);
  if (!selector.ok()) return api::BadRequest(selector.status().message());

  std::vector<Object> items;
  const std::string created = FormatRfc3339(loop_->clock().Now());
  if (nodes) {
    for (const auto& [name, samples] : nodes_) {
      const auto& [prev, last] = samples;
      if (prev.time == Time{}) continue;  // one sample: no rate yet
      auto labels_it = node_labels_.find(name);
      const auto labels = labels_it == node_labels_.end() ? std::map<std::string, std::string>{}
                                                          : labels_it->second;
      if (!req.name.empty() && req.name != name) continue;
      if (!selector->Matches(labels)) continue;
      items.push_back(
          {{"kind", "NodeMetrics"},
           {"apiVersion", kApiVersion},
           {"metadata",
            {{"name", name}, {"creationTimestamp", created}, {"labels", LabelsObject(labels)}}},
           {"timestamp", FormatRfc3339(last.time)},
           {"window", printers::GoDurationString(last.time - prev.time)},
           {"usage",
            {{"cpu", CpuQuantity(last.cpu_nanocores)},
             {"memory", MemoryQuantity(last.memory_bytes)}}}});
    }
  } else {
    for (const auto& [key, samples] : pods_) {
      const auto& [prev, last] = samples;
      if (prev.time == Time{} || !last.pod) continue;
      const std::string ns = api::Namespace(*last.pod), name = api::Name(*last.pod);
      if (!req.namespace_.empty() && req.namespace_ != ns) continue;
      if (!req.name.empty() && req.name != name) continue;
      const auto labels = LabelsOf(last.pod.get());
      if (!selector->Matches(labels)) continue;
      Object containers = Object::array();
      for (const auto& c : last.containers) {
        containers.push_back({{"name", c.name},
                              {"usage",
                               {{"cpu", CpuQuantity(c.cpu_nanocores)},
                                {"memory", MemoryQuantity(c.memory_bytes)}}}});
      }
      items.push_back({{"kind", "PodMetrics"},
                       {"apiVersion", kApiVersion},
                       {"metadata",
                        {{"name", name},
                         {"namespace", ns},
                         {"creationTimestamp", created},
                         {"labels", LabelsObject(labels)}}},
                       {"timestamp", FormatRfc3339(last.time)},
                       {"window", printers::GoDurationString(last.time - prev.time)},
                       {"containers", containers}});
    }
  }

  if (req.verb == api::Verb::kGet) {
    if (items.empty()) {
      // pkg/api/pod.go names a missing pod "namespace/name".
      return api::NotFound(std::string(nodes ? "nodemetrics" : "podmetrics") + "." + kGroup,
                           nodes ? req.name : req.namespace_ + "/" + req.name);
    }
    return api::Response{200, items[0]};
  }
  if (req.verb != api::Verb::kList) {
    return api::MethodNotSupported(req.gvr.resource + "." + kGroup, api::VerbName(req.verb));
  }
  if (req.accept.find("as=Table") != std::string::npos) {
    MetricsStrategy s(nodes ? "nodes" : "pods", "", !nodes);
    Object rows = Object::array();
    for (const auto& item : items) {
      rows.push_back({{"cells", s.TableCells(item, Time{})},
                      {"object",
                       {{"kind", "PartialObjectMetadata"},
                        {"apiVersion", "meta.k8s.io/v1"},
                        {"metadata", item["metadata"]}}}});
    }
    return api::Response{200,
                         {{"kind", "Table"},
                          {"apiVersion", "meta.k8s.io/v1"},
                          {"metadata", {{"resourceVersion", ""}}},
                          {"columnDefinitions", s.TableColumns()},
                          {"rows", rows}}};
  }
  return api::Response{200,
                       {{"kind", nodes ? "NodeMetricsList" : "PodMetricsList"},
                        {"apiVersion", kApiVersion},
                        {"metadata", Object::object()},
                        {"items", items}}};
}

}  // namespace kubesim::metrics
