#include "kubesim/cluster/cluster.h"

#include <yaml-cpp/yaml.h>

#include <map>

#include "kubernetes_service.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/policy.h"
#include "kubesim/api/resource.h"
#include "kubesim/printers/quantity.h"
#include "system_pods.h"

namespace kubesim::cluster {

Time ClusterConfig::DefaultStartTime() {
  Time t;
  ParseRfc3339("2025-01-01T00:00:00Z", &t);
  return t;
}

kubelet::NodeConfig NodeDefaults(kubelet::NodeConfig node, int index) {
  // minikube's docker network hands out 192.168.49.2, .3, ...; kubeadm's
  // node IPAM gives node N the pod CIDR 10.244.N.0/24.
  if (node.internal_ip.empty()) node.internal_ip = "192.168.49." + std::to_string(2 + index);
  if (node.pod_cidr.empty()) node.pod_cidr = "10.244." + std::to_string(index) + ".0/24";
  if (node.control_plane) {
    bool tainted = false;
    for (const auto& t : node.taints) {
      tainted = tainted || t.key == "node-role.kubernetes.io/control-plane";
    }
    if (!tainted)
      node.taints.push_back({"node-role.kubernetes.io/control-plane", "", "NoSchedule"});
  }
  return node;
}

ClusterConfig ClusterConfig::Default(int workers) {
  ClusterConfig c;
  kubelet::NodeConfig cp;
  cp.name = "control-plane";
  cp.control_plane = true;
  c.nodes.push_back(NodeDefaults(cp, 0));
  for (int i = 1; i <= workers; ++i) {
    kubelet::NodeConfig w;
    w.name = "worker-" + std::to_string(i);
    c.nodes.push_back(NodeDefaults(w, i));
  }
  return c;
}

namespace {

StatusOr<kubelet::Taint> ParseTaint(const std::string& text) {
  // kubectl taint syntax: key[=value]:Effect
  auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    return Status::BadRequest("invalid taint spec: " + text);
  }
  kubelet::Taint t;
  std::string kv = text.substr(0, colon);
  t.effect = text.substr(colon + 1);
  auto eq = kv.find('=');
  t.key = kv.substr(0, eq);
  if (eq != std::string::npos) t.value = kv.substr(eq + 1);
  if (t.effect != "NoSchedule" && t.effect != "PreferNoSchedule" && t.effect != "NoExecute") {
    return Status::BadRequest("invalid taint effect: " + t.effect + ", unsupported taint effect");
  }
  return t;
}

}  // namespace

StatusOr<ClusterConfig> ParseClusterConfig(const std::string& yaml_text) {
  ClusterConfig config;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (!root.IsMap() || !root["nodes"] || !root["nodes"].IsSequence()) {
      return Status::BadRequest("cluster config: expected a map with a 'nodes' list");
    }
    int index = 0;
    for (const auto& n : root["nodes"]) {
      kubelet::NodeConfig node;
      std::string where = "cluster config: nodes[" + std::to_string(index) + "]";
      if (!n.IsMap() || !n["name"]) return Status::BadRequest(where + ": name is required");
      node.name = n["name"].as<std::string>();
      if (n["controlPlane"]) node.control_plane = n["controlPlane"].as<bool>();
      if (n["cpu"]) {
        auto q = printers::Quantity::Parse(n["cpu"].as<std::string>());
        if (!q.ok()) return Status::BadRequest(where + ".cpu: " + q.status().message());
        node.cpu_millis = q->MilliValue();
      }
      if (n["memory"]) {
        auto q = printers::Quantity::Parse(n["memory"].as<std::string>());
        if (!q.ok()) return Status::BadRequest(where + ".memory: " + q.status().message());
        node.memory_bytes = q->Value();
      }
      if (n["pods"]) node.max_pods = n["pods"].as<int64_t>();
      if (n["labels"]) {
        for (const auto& kv : n["labels"]) {
          node.labels[kv.first.as<std::string>()] = kv.second.as<std::string>();
        }
      }
      if (n["zone"]) node.labels["topology.kubernetes.io/zone"] = n["zone"].as<std::string>();
      if (n["taints"]) {
        for (const auto& t : n["taints"]) {
          if (t.IsScalar()) {
            auto taint = ParseTaint(t.as<std::string>());
            if (!taint.ok())
              return Status::BadRequest(where + ".taints: " + taint.status().message());
            node.taints.push_back(*taint);
          } else {
            kubelet::Taint taint{t["key"].as<std::string>(""), t["value"].as<std::string>(""),
                                 t["effect"].as<std::string>("NoSchedule")};
            node.taints.push_back(taint);
          }
        }
      }
      config.nodes.push_back(NodeDefaults(node, index));
      ++index;
    }
    // A cluster file describes a kubeadm cluster: system pods unless
    // `systemPods: false`.
    config.system_pods = root["systemPods"] ? root["systemPods"].as<bool>() : true;
    if (root["addons"]) {
      for (const auto& a : root["addons"]) {
        const std::string name = a.as<std::string>();
        if (name != "metrics-server") {
          return Status::BadRequest("addons: unknown add-on \"" + name +
                                    "\" (kubesim has: metrics-server)");
        }
        config.addons.push_back(name);
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::BadRequest(std::string("cluster config: ") + e.what());
  }
  return config;
}

StatusOr<std::unique_ptr<Cluster>> Cluster::Start(ClusterConfig config) {
  std::unique_ptr<Cluster> c(new Cluster());
  c->config_ = std::move(config);
  c->store_ = store::Store::CreateInMemory();
  c->executor_ = Executor::Create(c->config_.start_time);
  api::ApiServer::Options options;
  options.seed = c->config_.seed;
  std::unique_ptr<api::ResourceRegistry> registry = api::NewBuiltinRegistry();
  // metrics-server's APIService (v1beta1.metrics.k8s.io) is registered with
  // the add-on: without it, discovery has no metrics.k8s.io group.
  if (c->config_.HasAddon("metrics-server")) metrics::AddMetricsResources(registry.get());
  c->api_server_ =
      api::ApiServer::Create(c->store_.get(), c->executor_.get(), std::move(registry), options);

  // The namespaces kube-apiserver's system-namespaces controller creates.
  auto bootstrap = c->NewClient("kube-apiserver");
  for (const char* ns : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
    api::Object obj = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
    auto created = bootstrap->Create(api::kNamespaces, "", obj);
    if (!created.ok()) return created.status();
  }
  // The system PriorityClasses (kube-apiserver's post-start hook).
  for (const api::Object& pc : api::SystemPriorityClassObjects()) {
    auto created = bootstrap->Create(api::kPriorityClasses, "", pc);
    if (!created.ok()) return created.status();
  }
  // The `kubernetes` Service, its Endpoints and EndpointSlice (the
  // bootstrap controller), pointing at the first control-plane node.
  std::string apiserver_ip;
  for (const auto& node : c->config_.nodes) {
    if (node.control_plane) {
      apiserver_ip = node.internal_ip;
      break;
    }
  }
  c->apiserver_client_ = c->NewClient("kube-apiserver");
  c->kubernetes_service_ = std::make_unique<KubernetesServiceController>(
      c->apiserver_client_.get(), c->executor_.get(), apiserver_ip);
  c->kubernetes_service_->Start();

  c->scheduler_client_ = c->NewClient("kube-scheduler");
  scheduler::SchedulerOptions sched;
  sched.seed = c->config_.seed;
  sched.config = c->config_.scheduler_config;
  sched.binding_thread = c->config_.scheduler_binding_thread;
  c->scheduler_ =
      scheduler::Scheduler::Create(c->scheduler_client_.get(), c->executor_.get(), sched);
  c->scheduler_->Start();

  c->controller_manager_client_ = c->NewClient("kube-controller-manager");
  controller::ControllerContext cm;
  cm.client = c->controller_manager_client_.get();
  cm.executor = c->executor_.get();
  cm.seed = c->config_.seed;
  c->controller_manager_ = std::make_unique<controller::ControllerManager>(cm);
  c->controller_manager_->Start();

  for (auto& node : c->config_.nodes) {
    // kubeadm init writes the static pod manifests on the control plane.
    if (c->config_.system_pods && node.control_plane)
      node.static_pods = ControlPlaneStaticPods(node);
  }
  for (const auto& node : c->config_.nodes) {
    c->kubelet_clients_.push_back(c->NewClient("kubelet/" + node.name));
    c->kubelets_.push_back(kubelet::Kubelet::Create(c->kubelet_clients_.back().get(),
                                                    c->executor_.get(), node, c->config_.seed));
    c->kubelets_.back()->Start();
  }
  // Services area: the node network, one kube-proxy per node.
  c->network_ = network::Network::Create(
      {c->executor_.get(), [cl = c.get()](const std::string& ua) { return cl->NewClient(ua); },
       [cl = c.get()] { return cl->kubelets(); }});
  c->network_->EnsureProxies();
  c->executor_->RunUntilIdle();
  if (c->config_.HasAddon("metrics-server")) {
    // `kubectl apply -f components.yaml`, and the server its pod runs.
    auto admin = c->NewClient("kubectl");
    Status st = CreateManifests(*admin, metrics::MetricsServerManifests());
    if (!st.ok()) return st;
    c->metrics_client_ = c->NewClient("metrics-server");
    c->metrics_server_ = std::make_unique<metrics::MetricsServer>(
        c->metrics_client_.get(), c->executor_.get(), [cl = c.get()] { return cl->kubelets(); });
    metrics::MetricsServer* ms = c->metrics_server_.get();
    c->api_server_->SetAggregatedHandler([ms](const api::Request& r) { return ms->Handle(r); });
    c->metrics_server_->Start();
  }
  if (c->config_.system_pods) {
    // kubeadm's addon phase, then the CNI manifest, then wait (as a learner
    // would before the first command) until everything runs, at most 5m.
    auto kubeadm = c->NewClient("kubeadm");
    Status st = ApplyAddons(*kubeadm);
    if (!st.ok()) return st;
    c->executor_->RunUntilIdle();
    for (int i = 0; i < 300 && !SystemPodsReady(*kubeadm); ++i) {
      c->executor_->AdvanceBy(std::chrono::seconds(1));
    }
  }
  return c;
}

Cluster::~Cluster() {
  // Components first (they own dispatchers), then the API server, then the
  // executor and store.
  network_.reset();  // services area: kube-proxies
  kubernetes_service_.reset();
  if (api_server_) api_server_->SetAggregatedHandler(nullptr);
  metrics_server_.reset();
  kubelets_.clear();
  controller_manager_.reset();
  scheduler_.reset();
  api_server_.reset();
}

std::unique_ptr<client::Client> Cluster::NewClient(const std::string& user_agent) {
  return client::NewLocalClient(api_server_.get(), user_agent);
}

std::vector<kubelet::Kubelet*> Cluster::kubelets() {
  std::vector<kubelet::Kubelet*> out;
  for (auto& k : kubelets_) out.push_back(k.get());
  return out;
}

kubelet::Kubelet* Cluster::FindKubelet(const std::string& node) {
  for (auto& k : kubelets_) {
    if (k->config().name == node) return k.get();
  }
  return nullptr;
}

Status Cluster::StopNode(const std::string& name) {
  kubelet::Kubelet* k = FindKubelet(name);
  if (!k) return Status::NotFound("node \"" + name + "\" not found");
  k->Stop();
  // The control-plane components run as static pods on their node (kubeadm):
  // the machine going down takes them with it, so kubectl loses the API
  // server, as in the seed's `minikube node stop minikube`.
  if (!k->config().static_pods.empty()) {
    for (const char* c : {"controller-manager", "scheduler", "apiserver", "etcd"}) {
      Status st = SetComponentRunning(c, false);
      if (!st.ok()) return st;
    }
  }
  executor_->RunUntilIdle();
  return Status::Ok();
}

Status Cluster::StartNode(const std::string& name) {
  kubelet::Kubelet* k = FindKubelet(name);
  if (!k) return Status::NotFound("node \"" + name + "\" not found");
  // Its kubelet starts the static pods again on boot.
  if (!k->config().static_pods.empty()) {
    for (const char* c : {"etcd", "apiserver", "scheduler", "controller-manager"}) {
      Status st = SetComponentRunning(c, true);
      if (!st.ok()) return st;
    }
  }
  k->Start();
  executor_->RunUntilIdle();
  return Status::Ok();
}

Status Cluster::AddNode(kubelet::NodeConfig node) {
  if (FindKubelet(node.name)) {
    return Status::AlreadyExists("node \"" + node.name + "\" already exists");
  }
  // The first index whose address and pod CIDR no current node uses (a
  // deleted node's may be reused; a live one's never).
  int index = static_cast<int>(kubelets_.size());
  auto taken = [&](int i) {
    kubelet::NodeConfig probe = NodeDefaults(kubelet::NodeConfig{}, i);
    for (const auto& k : kubelets_) {
      if (k->config().internal_ip == probe.internal_ip || k->config().pod_cidr == probe.pod_cidr) {
        return true;
      }
    }
    return false;
  };
  while (taken(index)) ++index;
  node = NodeDefaults(std::move(node), index);
  kubelet_clients_.push_back(NewClient("kubelet/" + node.name));
  kubelets_.push_back(
      kubelet::Kubelet::Create(kubelet_clients_.back().get(), executor_.get(), node, config_.seed));
  config_.nodes.push_back(node);
  kubelets_.back()->Start();
  executor_->RunUntilIdle();
  return Status::Ok();
}

Status Cluster::DeleteNode(const std::string& name) {
  kubelet::Kubelet* k = FindKubelet(name);
  if (!k) return Status::NotFound("node \"" + name + "\" not found");
  // The Node goes first: if the API server cannot delete it, nothing changed.
  auto admin = NewClient("kubesim");
  Status st = admin->Delete(api::kNodes, "", name);
  if (!st.ok() && st.code() != StatusCode::kNotFound) return st;
  // The machine is gone, and its kubelet with it (before any of its tasks
  // runs again); its client goes after it.
  for (size_t i = 0; i < kubelets_.size(); ++i) {
    if (kubelets_[i].get() != k) continue;
    kubelets_[i]->Stop();
    kubelets_.erase(kubelets_.begin() + static_cast<std::ptrdiff_t>(i));
    kubelet_clients_.erase(kubelet_clients_.begin() + static_cast<std::ptrdiff_t>(i));
    break;
  }
  std::erase_if(config_.nodes, [&](const kubelet::NodeConfig& n) { return n.name == name; });
  executor_->RunUntilIdle();
  return Status::Ok();
}

Status Cluster::StopComponent(const std::string& component) {
  return SetComponentRunning(component, false);
}

Status Cluster::StartComponent(const std::string& component) {
  return SetComponentRunning(component, true);
}

Status Cluster::SetComponentRunning(const std::string& component, bool run) {
  if (component == "apiserver" || component == "kube-apiserver") {
    apiserver_running_ = run;
  } else if (component == "etcd") {
    // Without etcd the API server cannot serve; clients see it as down.
    etcd_running_ = run;
  } else if (component == "scheduler" || component == "kube-scheduler") {
    if (run != scheduler_running_) run ? scheduler_->Start() : scheduler_->Stop();
    scheduler_running_ = run;
  } else if (component == "controller-manager" || component == "kube-controller-manager") {
    run ? controller_manager_->Start() : controller_manager_->Stop();
  } else {
    return Status::BadRequest("unknown component \"" + component +
                              "\" (apiserver, etcd, scheduler, controller-manager)");
  }
  api_server_->SetServing(apiserver_running_ && etcd_running_);
  // The component's static pod (system pods): its kubelet sees the process
  // die and keep dying, then run again.
  static const std::map<std::string, std::string> kStaticPod = {
      {"apiserver", "kube-apiserver"},
      {"kube-apiserver", "kube-apiserver"},
      {"etcd", "etcd"},
      {"scheduler", "kube-scheduler"},
      {"kube-scheduler", "kube-scheduler"},
      {"controller-manager", "kube-controller-manager"},
      {"kube-controller-manager", "kube-controller-manager"}};
  for (auto& k : kubelets_) {
    if (!k->config().static_pods.empty()) k->SetStaticPodCrashing(kStaticPod.at(component), !run);
  }
  executor_->RunUntilIdle();
  return Status::Ok();
}

StatusOr<std::string> Cluster::Curl(const std::string& url) {
  // Services area: the simulated network (src/network/).
  return network_->Curl(url);
}

StatusOr<api::Object> Cluster::SchedulingExplanation(const std::string& ns,
                                                     const std::string& name) {
  return scheduler_->Explain(ns, name);
}

}  // namespace kubesim::cluster
