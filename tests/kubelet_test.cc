// Tests for the simulated kubelet against a real in-process API server, with
// time driven through the Executor (never slept).
#include "kubesim/kubelet/kubelet.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "../src/kubelet/kubelet_util.h"
#include "kubesim/api/api_server.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/resource.h"
#include "kubesim/client/client.h"
#include "kubesim/sim/executor.h"
#include "kubesim/store/store.h"

namespace kubesim::kubelet {
namespace {

using api::Object;

const Time kStart = Time(seconds(1735689600));  // 2025-01-01T00:00:00Z

NodeConfig Worker() {
  NodeConfig c;
  c.name = "worker-1";
  c.internal_ip = "192.168.49.3";
  c.pod_cidr = "10.244.1.0/24";
  c.labels["topology.kubernetes.io/zone"] = "zone-a";
  return c;
}

Object NginxPod(const std::string& name, const std::string& image = "nginx",
                const std::string& node = "worker-1") {
  return Object{{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"name", name}, {"namespace", "default"}}},
                {"spec",
                 {{"nodeName", node},
                  {"containers", Object::array({{{"name", "nginx"}, {"image", image}}})}}}};
}

// One cluster's worth of plumbing: store, API server, clients, namespaces.
class KubeletTest : public ::testing::Test {
 protected:
  void SetUp() override { Boot(); }

  void Boot() {
    executor_ = Executor::Create(kStart);
    store_ = store::Store::CreateInMemory();
    server_ = api::ApiServer::Create(store_.get(), executor_.get(), api::NewBuiltinRegistry(), {});
    admin_ = client::NewLocalClient(server_.get(), "kubectl");
    kubelet_client_ = client::NewLocalClient(server_.get(), "kubelet/worker-1");
    for (const char* ns : {"default", "kube-node-lease"}) {
      Object obj = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
      ASSERT_TRUE(admin_->Create(api::kNamespaces, "", obj).ok());
    }
  }

  void TearDown() override { Shutdown(); }

  void Shutdown() {
    kubelet_.reset();
    admin_.reset();
    kubelet_client_.reset();
    server_.reset();
    store_.reset();
    executor_.reset();
  }

  Kubelet& StartKubelet(NodeConfig config = Worker(), uint64_t seed = 1) {
    kubelet_ = Kubelet::Create(kubelet_client_.get(), executor_.get(), std::move(config), seed);
    kubelet_->Start();
    executor_->RunUntilIdle();
    return *kubelet_;
  }

  Object Get(const api::GroupVersionResource& gvr, const std::string& ns, const std::string& name) {
    StatusOr<Object> obj = admin_->Get(gvr, ns, name);
    EXPECT_TRUE(obj.ok()) << obj.status().ToString();
    return obj.ok() ? *obj : Object();
  }

  // Events about `name`, in the order they were created.
  std::vector<Object> EventsFor(const std::string& name, const std::string& ns = "default") {
    StatusOr<Object> list = admin_->List(api::kEvents, ns);
    EXPECT_TRUE(list.ok());
    std::vector<Object> out;
    if (!list.ok()) return out;
    for (const Object& e : (*list)["items"]) {
      if (api::GetString(e, "/involvedObject/name") == name) out.push_back(e);
    }
    std::sort(out.begin(), out.end(), [](const Object& a, const Object& b) {
      return api::Name(a).size() != api::Name(b).size() ? api::Name(a).size() < api::Name(b).size()
                                                        : api::Name(a) < api::Name(b);
    });
    return out;
  }

  static std::vector<std::string> Reasons(const std::vector<Object>& events) {
    std::vector<std::string> out;
    for (const Object& e : events) out.push_back(api::GetString(e, "/reason"));
    return out;
  }

  static const Object* Condition(const Object& obj, const std::string& type) {
    const Object* conditions = api::Find(obj, "/status/conditions");
    if (!conditions) return nullptr;
    for (const Object& c : *conditions) {
      if (api::GetString(c, "/type") == type) return &c;
    }
    return nullptr;
  }

  std::string RenewTime() {
    return api::GetString(Get(api::kLeases, "kube-node-lease", "worker-1"), "/spec/renewTime");
  }

  std::unique_ptr<Executor> executor_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<api::ApiServer> server_;
  std::unique_ptr<client::Client> admin_;
  std::unique_ptr<client::Client> kubelet_client_;
  std::unique_ptr<Kubelet> kubelet_;
};

TEST_F(KubeletTest, RegistersReadyNodeWithLabelsCapacityAndEvents) {
  StartKubelet();
  EXPECT_TRUE(kubelet_->running());
  Object node = Get(api::kNodes, "", "worker-1");
  const Object& labels = node["metadata"]["labels"];
  EXPECT_EQ(labels["kubernetes.io/hostname"], "worker-1");
  EXPECT_EQ(labels["kubernetes.io/os"], "linux");
  EXPECT_EQ(labels["kubernetes.io/arch"], "amd64");
  EXPECT_EQ(labels["beta.kubernetes.io/os"], "linux");
  EXPECT_EQ(labels["beta.kubernetes.io/arch"], "amd64");
  EXPECT_EQ(labels["topology.kubernetes.io/zone"], "zone-a");
  EXPECT_FALSE(labels.contains("node-role.kubernetes.io/control-plane"));
  EXPECT_EQ(node["metadata"]["annotations"]["node.alpha.kubernetes.io/ttl"], "0");
  EXPECT_EQ(
      node["metadata"]["annotations"]["volumes.kubernetes.io/controller-managed-attach-detach"],
      "true");
  EXPECT_EQ(node["spec"]["podCIDR"], "10.244.1.0/24");
  EXPECT_EQ(node["spec"]["podCIDRs"], Object::array({"10.244.1.0/24"}));
  EXPECT_FALSE(node["spec"].contains("taints"));

  const Object& status = node["status"];
  EXPECT_EQ(status["capacity"]["cpu"], "2");
  EXPECT_EQ(status["capacity"]["memory"], "8Gi");
  EXPECT_EQ(status["capacity"]["pods"], "110");
  EXPECT_EQ(status["capacity"]["hugepages-2Mi"], "0");
  EXPECT_EQ(status["allocatable"], status["capacity"]);
  EXPECT_EQ(status["addresses"],
            Object::array({{{"type", "InternalIP"}, {"address", "192.168.49.3"}},
                           {{"type", "Hostname"}, {"address", "worker-1"}}}));
  EXPECT_EQ(status["daemonEndpoints"]["kubeletEndpoint"]["Port"], 10250);
  EXPECT_EQ(status["nodeInfo"]["kubeletVersion"], "v1.32.0");
  EXPECT_EQ(status["nodeInfo"]["containerRuntimeVersion"], "containerd://1.7.24");
  EXPECT_EQ(status["nodeInfo"]["osImage"], "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(api::GetString(status, "/nodeInfo/machineID").size(), 32u);

  std::vector<std::string> types;
  for (const Object& c : status["conditions"]) types.push_back(c["type"]);
  EXPECT_EQ(types,
            (std::vector<std::string>{"MemoryPressure", "DiskPressure", "PIDPressure", "Ready"}));
  const Object* ready = Condition(node, "Ready");
  ASSERT_NE(ready, nullptr);
  EXPECT_EQ((*ready)["status"], "True");
  EXPECT_EQ((*ready)["reason"], "KubeletReady");
  EXPECT_EQ((*ready)["message"], "kubelet is posting ready status");
  EXPECT_EQ((*ready)["lastHeartbeatTime"], "2025-01-01T00:00:00Z");
  const Object* memory = Condition(node, "MemoryPressure");
  EXPECT_EQ((*memory)["status"], "False");
  EXPECT_EQ((*memory)["reason"], "KubeletHasSufficientMemory");
  EXPECT_EQ((*memory)["message"], "kubelet has sufficient memory available");

  std::vector<Object> events = EventsFor("worker-1");
  EXPECT_EQ(Reasons(events), (std::vector<std::string>{
                                 "Starting", "NodeHasSufficientMemory", "NodeHasNoDiskPressure",
                                 "NodeHasSufficientPID", "NodeAllocatableEnforced", "NodeReady"}));
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[0]["message"], "Starting kubelet.");
  EXPECT_EQ(events[1]["message"], "Node worker-1 status is now: NodeHasSufficientMemory");
  EXPECT_EQ(events[4]["message"], "Updated Node Allocatable limit across pods");
  EXPECT_EQ(events[5]["message"], "Node worker-1 status is now: NodeReady");
  EXPECT_EQ(events[0]["source"]["component"], "kubelet");
  EXPECT_EQ(events[0]["source"]["host"], "worker-1");
  EXPECT_EQ(events[0]["involvedObject"]["kind"], "Node");
  EXPECT_EQ(events[0]["involvedObject"]["uid"], "worker-1");
}

TEST_F(KubeletTest, ControlPlaneNodeGetsRoleLabelsAndTaint) {
  NodeConfig config = Worker();
  config.name = "control-plane";
  config.control_plane = true;
  config.taints.push_back({"dedicated", "infra", "PreferNoSchedule"});
  kubelet_ = Kubelet::Create(kubelet_client_.get(), executor_.get(), config, 1);
  kubelet_->Start();
  executor_->RunUntilIdle();
  Object node = Get(api::kNodes, "", "control-plane");
  EXPECT_EQ(node["metadata"]["labels"]["node-role.kubernetes.io/control-plane"], "");
  EXPECT_EQ(node["metadata"]["labels"]["node.kubernetes.io/exclude-from-external-load-balancers"],
            "");
  EXPECT_EQ(node["spec"]["taints"],
            Object::array(
                {{{"key", "dedicated"}, {"value", "infra"}, {"effect", "PreferNoSchedule"}},
                 {{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}}}));
}

TEST_F(KubeletTest, NodeStatusWrittenOnlyOnChangeOrEveryFiveMinutes) {
  StartKubelet();
  const std::string rv = api::ResourceVersion(Get(api::kNodes, "", "worker-1"));
  executor_->AdvanceBy(minutes(4));
  EXPECT_EQ(api::ResourceVersion(Get(api::kNodes, "", "worker-1")), rv);
  executor_->AdvanceBy(minutes(1) + seconds(10));
  Object node = Get(api::kNodes, "", "worker-1");
  EXPECT_NE(api::ResourceVersion(node), rv);
  EXPECT_EQ((*Condition(node, "Ready"))["lastHeartbeatTime"], "2025-01-01T00:05:00Z");
  EXPECT_EQ((*Condition(node, "Ready"))["lastTransitionTime"], "2025-01-01T00:00:00Z");
}

TEST_F(KubeletTest, LeaseRenewedEveryTenSeconds) {
  StartKubelet();
  Object lease = Get(api::kLeases, "kube-node-lease", "worker-1");
  EXPECT_EQ(lease["spec"]["holderIdentity"], "worker-1");
  EXPECT_EQ(lease["spec"]["leaseDurationSeconds"], 40);
  EXPECT_EQ(lease["spec"]["renewTime"], "2025-01-01T00:00:00.000000Z");
  const Object node = Get(api::kNodes, "", "worker-1");
  ASSERT_EQ(lease["metadata"]["ownerReferences"].size(), 1u);
  const Object& owner = lease["metadata"]["ownerReferences"][0];
  EXPECT_EQ(owner["apiVersion"], "v1");
  EXPECT_EQ(owner["kind"], "Node");
  EXPECT_EQ(owner["name"], "worker-1");
  EXPECT_EQ(owner["uid"], api::Uid(node));

  executor_->AdvanceBy(seconds(9));
  EXPECT_EQ(RenewTime(), "2025-01-01T00:00:00.000000Z");
  executor_->AdvanceBy(seconds(1));
  EXPECT_EQ(RenewTime(), "2025-01-01T00:00:10.000000Z");
  executor_->AdvanceBy(seconds(10));
  EXPECT_EQ(RenewTime(), "2025-01-01T00:00:20.000000Z");
}

TEST_F(KubeletTest, PodGoesFromContainerCreatingToRunning) {
  StartKubelet();
  ASSERT_TRUE(admin_->Create(api::kPods, "default", NginxPod("nginx")).ok());
  executor_->RunUntilIdle();

  Object pod = Get(api::kPods, "default", "nginx");
  EXPECT_EQ(pod["status"]["phase"], "Pending");
  EXPECT_EQ(pod["status"]["hostIP"], "192.168.49.3");
  EXPECT_EQ(pod["status"]["hostIPs"], Object::array({{{"ip", "192.168.49.3"}}}));
  EXPECT_EQ(pod["status"]["startTime"], "2025-01-01T00:00:00Z");
  EXPECT_FALSE(pod["status"].contains("podIP"));
  const Object& waiting = pod["status"]["containerStatuses"][0];
  EXPECT_EQ(waiting["state"]["waiting"]["reason"], "ContainerCreating");
  EXPECT_EQ(waiting["ready"], false);
  EXPECT_EQ(waiting["started"], false);
  EXPECT_EQ(waiting["restartCount"], 0);
  EXPECT_EQ(waiting["image"], "nginx");
  EXPECT_EQ(waiting["imageID"], "");
  std::vector<std::string> types;
  for (const Object& c : pod["status"]["conditions"]) types.push_back(c["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"PodReadyToStartContainers", "Initialized", "Ready",
                                             "ContainersReady", "PodScheduled"}));
  EXPECT_EQ((*Condition(pod, "PodReadyToStartContainers"))["status"], "False");
  EXPECT_EQ((*Condition(pod, "Initialized"))["status"], "True");
  EXPECT_EQ((*Condition(pod, "Ready"))["status"], "False");
  EXPECT_EQ((*Condition(pod, "Ready"))["reason"], "ContainersNotReady");
  EXPECT_EQ((*Condition(pod, "Ready"))["message"], "containers with unready status: [nginx]");
  EXPECT_EQ((*Condition(pod, "ContainersReady"))["status"], "False");

  executor_->AdvanceBy(seconds(30));
  pod = Get(api::kPods, "default", "nginx");
  EXPECT_EQ(pod["status"]["phase"], "Running");
  EXPECT_EQ(pod["status"]["podIP"], "10.244.1.2");
  EXPECT_EQ(pod["status"]["podIPs"], Object::array({{{"ip", "10.244.1.2"}}}));
  for (const Object& c : pod["status"]["conditions"]) {
    EXPECT_EQ(c["status"], "True") << c.dump();
  }
  const Object& running = pod["status"]["containerStatuses"][0];
  EXPECT_EQ(running["ready"], true);
  EXPECT_EQ(running["started"], true);
  EXPECT_EQ(running["image"], "docker.io/library/nginx:latest");
  EXPECT_TRUE(std::regex_match(running["imageID"].get<std::string>(),
                               std::regex("docker\\.io/library/nginx@sha256:[0-9a-f]{64}")));
  EXPECT_TRUE(std::regex_match(running["containerID"].get<std::string>(),
                               std::regex("containerd://[0-9a-f]{64}")));
  EXPECT_TRUE(running["state"]["running"].contains("startedAt"));

  std::vector<Object> events = EventsFor("nginx");
  EXPECT_EQ(Reasons(events), (std::vector<std::string>{"Pulling", "Pulled", "Created", "Started"}));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0]["message"], "Pulling image \"nginx\"");
  EXPECT_TRUE(std::regex_match(
      events[1]["message"].get<std::string>(),
      std::regex("Successfully pulled image \"nginx\" in [0-9.]+m?s \\([0-9.]+m?s including "
                 "waiting\\)\\. Image size: [0-9]+ bytes\\.")))
      << events[1]["message"];
  EXPECT_EQ(events[2]["message"], "Created container nginx");
  EXPECT_EQ(events[3]["message"], "Started container nginx");
  for (const Object& e : events) {
    EXPECT_EQ(e["involvedObject"]["fieldPath"], "spec.containers{nginx}");
    EXPECT_EQ(e["source"]["component"], "kubelet");
  }

  // The node lists the pulled image at its next status update.
  executor_->AdvanceBy(seconds(10));
  Object node = Get(api::kNodes, "", "worker-1");
  ASSERT_TRUE(node["status"].contains("images"));
  EXPECT_EQ(node["status"]["images"][0]["names"][0], running["imageID"]);
  EXPECT_EQ(node["status"]["images"][0]["names"][1], "docker.io/library/nginx:latest");
}

TEST_F(KubeletTest, SecondPodWithSameImageFindsItPresent) {
  StartKubelet();
  ASSERT_TRUE(admin_->Create(api::kPods, "default", NginxPod("web-1", "nginx:1.25")).ok());
  executor_->AdvanceBy(seconds(30));
  ASSERT_TRUE(admin_->Create(api::kPods, "default", NginxPod("web-2", "nginx:1.25")).ok());
  executor_->AdvanceBy(seconds(5));

  Object pod = Get(api::kPods, "default", "web-2");
  EXPECT_EQ(pod["status"]["phase"], "Running");
  EXPECT_EQ(pod["status"]["podIP"], "10.244.1.3");
  std::vector<Object> events = EventsFor("web-2");
  EXPECT_EQ(Reasons(events), (std::vector<std::string>{"Pulled", "Created", "Started"}));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]["message"], "Container image \"nginx:1.25\" already present on machine");
  EXPECT_EQ(Get(api::kPods, "default", "web-1")["status"]["containerStatuses"][0]["imageID"],
            pod["status"]["containerStatuses"][0]["imageID"]);
}

TEST_F(KubeletTest, DeletedPodIsTerminatedThenRemoved) {
  StartKubelet();
  ASSERT_TRUE(admin_->Create(api::kPods, "default", NginxPod("nginx")).ok());
  executor_->AdvanceBy(seconds(30));
  ASSERT_TRUE(admin_->Delete(api::kPods, "default", "nginx").ok());
  executor_->RunUntilIdle();
  // Graceful: the pod is still there, terminating.
  Object pod = Get(api::kPods, "default", "nginx");
  EXPECT_TRUE(pod["metadata"].contains("deletionTimestamp"));
  std::vector<Object> events = EventsFor("nginx");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["reason"], "Killing");
  EXPECT_EQ(events.back()["message"], "Stopping container nginx");

  executor_->AdvanceBy(seconds(3));
  StatusOr<Object> gone = admin_->Get(api::kPods, "default", "nginx");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
}

TEST_F(KubeletTest, StopEndsRenewalsAndStartResumesThem) {
  StartKubelet();
  executor_->AdvanceBy(seconds(10));
  EXPECT_EQ(RenewTime(), "2025-01-01T00:00:10.000000Z");
  kubelet_->Stop();
  EXPECT_FALSE(kubelet_->running());
  executor_->AdvanceBy(seconds(60));
  EXPECT_EQ(RenewTime(), "2025-01-01T00:00:10.000000Z");

  kubelet_->Start();
  executor_->RunUntilIdle();
  EXPECT_TRUE(kubelet_->running());
  EXPECT_EQ(RenewTime(), "2025-01-01T00:01:10.000000Z");
  executor_->AdvanceBy(seconds(10));
  EXPECT_EQ(RenewTime(), "2025-01-01T00:01:20.000000Z");
  Object node = Get(api::kNodes, "", "worker-1");
  EXPECT_EQ((*Condition(node, "Ready"))["status"], "True");
  EXPECT_EQ((*Condition(node, "Ready"))["lastHeartbeatTime"], "2025-01-01T00:01:10Z");
}

TEST_F(KubeletTest, RestartReportsRunningPodsAndDropsDeletedOnes) {
  StartKubelet();
  ASSERT_TRUE(admin_->Create(api::kPods, "default", NginxPod("keep")).ok());
  ASSERT_TRUE(admin_->Create(api::kPods, "default", NginxPod("drop")).ok());
  executor_->AdvanceBy(seconds(30));
  const std::string ip = api::GetString(Get(api::kPods, "default", "keep"), "/status/podIP");
  ASSERT_FALSE(ip.empty());

  kubelet_->Stop();
  // While the kubelet is down: "drop" is force-deleted, and "keep" is marked
  // not ready (as the node lifecycle controller does).
  ASSERT_TRUE(admin_->Delete(api::kPods, "default", "drop", 0).ok());
  Object keep = Get(api::kPods, "default", "keep");
  for (Object& c : keep["status"]["conditions"]) {
    if (c["type"] == "Ready") {
      c["status"] = "False";
      c["lastTransitionTime"] = "2025-01-01T00:00:45Z";
    }
  }
  ASSERT_TRUE(admin_->UpdateStatus(api::kPods, keep).ok());
  executor_->AdvanceBy(seconds(60));

  kubelet_->Start();
  executor_->AdvanceBy(seconds(2));
  keep = Get(api::kPods, "default", "keep");
  EXPECT_EQ(keep["status"]["phase"], "Running");
  EXPECT_EQ(keep["status"]["podIP"], ip);
  EXPECT_EQ((*Condition(keep, "Ready"))["status"], "True");
  EXPECT_EQ(Reasons(EventsFor("drop")).back(), "Killing");
  EXPECT_FALSE(admin_->Get(api::kPods, "default", "drop").ok());

  // A new pod gets a fresh address: none is reused within a run.
  ASSERT_TRUE(admin_->Create(api::kPods, "default", NginxPod("next")).ok());
  executor_->AdvanceBy(seconds(30));
  EXPECT_EQ(Get(api::kPods, "default", "next")["status"]["podIP"], "10.244.1.4");
}

TEST_F(KubeletTest, HostNetworkPodUsesTheNodeAddress) {
  StartKubelet();
  Object pod = NginxPod("host");
  pod["spec"]["hostNetwork"] = true;
  ASSERT_TRUE(admin_->Create(api::kPods, "default", pod).ok());
  executor_->AdvanceBy(seconds(30));
  pod = Get(api::kPods, "default", "host");
  EXPECT_EQ(pod["status"]["phase"], "Running");
  EXPECT_EQ(pod["status"]["podIP"], "192.168.49.3");
  ASSERT_TRUE(admin_->Create(api::kPods, "default", NginxPod("bridged")).ok());
  executor_->AdvanceBy(seconds(30));
  EXPECT_EQ(Get(api::kPods, "default", "bridged")["status"]["podIP"], "10.244.1.2");
}

TEST_F(KubeletTest, PodOnAnotherNodeIsIgnored) {
  StartKubelet();
  ASSERT_TRUE(
      admin_->Create(api::kPods, "default", NginxPod("elsewhere", "nginx", "worker-2")).ok());
  executor_->AdvanceBy(seconds(30));
  EXPECT_FALSE(Get(api::kPods, "default", "elsewhere")["status"].contains("hostIP"));
}

TEST_F(KubeletTest, InitContainersRunToCompletionFirst) {
  StartKubelet();
  Object pod = NginxPod("with-init");
  pod["spec"]["initContainers"] = Object::array({{{"name", "setup"}, {"image", "busybox:1.36"}}});
  ASSERT_TRUE(admin_->Create(api::kPods, "default", pod).ok());
  executor_->RunUntilIdle();
  pod = Get(api::kPods, "default", "with-init");
  EXPECT_EQ(pod["status"]["initContainerStatuses"][0]["state"]["waiting"]["reason"],
            "PodInitializing");
  EXPECT_EQ((*Condition(pod, "Initialized"))["status"], "False");
  EXPECT_EQ((*Condition(pod, "Initialized"))["message"],
            "containers with incomplete status: [setup]");
  executor_->AdvanceBy(seconds(40));
  pod = Get(api::kPods, "default", "with-init");
  EXPECT_EQ(pod["status"]["phase"], "Running");
  const Object& init = pod["status"]["initContainerStatuses"][0];
  EXPECT_EQ(init["state"]["terminated"]["reason"], "Completed");
  EXPECT_EQ(init["state"]["terminated"]["exitCode"], 0);
  EXPECT_EQ(init["ready"], true);
  EXPECT_EQ((*Condition(pod, "Initialized"))["status"], "True");
  EXPECT_EQ(Reasons(EventsFor("with-init")),
            (std::vector<std::string>{"Pulling", "Pulled", "Created", "Started", "Pulling",
                                      "Pulled", "Created", "Started"}));
}

// Runs one scenario from scratch and renders what it produced.
std::string RunScenario(uint64_t seed) {
  auto executor = Executor::Create(kStart);
  auto store = store::Store::CreateInMemory();
  auto server = api::ApiServer::Create(store.get(), executor.get(), api::NewBuiltinRegistry(), {});
  auto admin = client::NewLocalClient(server.get(), "kubectl");
  auto kc = client::NewLocalClient(server.get(), "kubelet/worker-1");
  for (const char* ns : {"default", "kube-node-lease"}) {
    Object obj = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
    EXPECT_TRUE(admin->Create(api::kNamespaces, "", obj).ok());
  }
  auto kubelet = Kubelet::Create(kc.get(), executor.get(), Worker(), seed);
  kubelet->Start();
  executor->RunUntilIdle();
  EXPECT_TRUE(admin->Create(api::kPods, "default", NginxPod("a")).ok());
  EXPECT_TRUE(admin->Create(api::kPods, "default", NginxPod("b", "redis:7")).ok());
  executor->AdvanceBy(seconds(30));
  std::string out;
  for (const char* name : {"a", "b"}) {
    out += admin->Get(api::kPods, "default", name)->at("status").dump() + "\n";
  }
  StatusOr<Object> events = admin->List(api::kEvents, "default");
  for (const Object& e : (*events)["items"]) {
    out += api::GetString(e, "/message") + " @" + api::GetString(e, "/firstTimestamp") + "\n";
  }
  out += admin->Get(api::kNodes, "", "worker-1")->at("status").at("nodeInfo").dump();
  kubelet.reset();
  server.reset();
  return out;
}

TEST(KubeletDeterminismTest, SameSeedSameStatuses) {
  const std::string first = RunScenario(42);
  EXPECT_EQ(first, RunScenario(42));
  EXPECT_NE(first, RunScenario(43));
}

TEST(KubeletUtilTest, NormalizesImageReferences) {
  using internal::NormalizeImageRef;
  EXPECT_EQ(NormalizeImageRef("nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(NormalizeImageRef("nginx:1.25"), "docker.io/library/nginx:1.25");
  EXPECT_EQ(NormalizeImageRef("bitnami/redis"), "docker.io/bitnami/redis:latest");
  EXPECT_EQ(NormalizeImageRef("registry.k8s.io/pause:3.10"), "registry.k8s.io/pause:3.10");
  EXPECT_EQ(NormalizeImageRef("localhost:5000/app"), "localhost:5000/app:latest");
  EXPECT_EQ(NormalizeImageRef("index.docker.io/library/busybox"),
            "docker.io/library/busybox:latest");
  EXPECT_EQ(NormalizeImageRef("nginx@sha256:abc"), "docker.io/library/nginx@sha256:abc");
  EXPECT_EQ(internal::ImageRepository("docker.io/library/nginx:1.25"), "docker.io/library/nginx");
  EXPECT_EQ(internal::ImageRepository("localhost:5000/app:latest"), "localhost:5000/app");
}

TEST(KubeletUtilTest, FormatsDurationsAsGo) {
  using internal::GoDurationString;
  EXPECT_EQ(GoDurationString(Duration::zero()), "0s");
  EXPECT_EQ(GoDurationString(milliseconds(796)), "796ms");
  EXPECT_EQ(GoDurationString(milliseconds(2345)), "2.345s");
  EXPECT_EQ(GoDurationString(milliseconds(2300)), "2.3s");
  EXPECT_EQ(GoDurationString(seconds(2)), "2s");
  EXPECT_EQ(GoDurationString(milliseconds(62500)), "1m2.5s");
  EXPECT_EQ(GoDurationString(hours(1)), "1h0m0s");
  EXPECT_EQ(GoDurationString(std::chrono::microseconds(1500)), "1.5ms");
  EXPECT_EQ(GoDurationString(std::chrono::nanoseconds(1500)), "1.5\xC2\xB5s");
}

TEST(KubeletUtilTest, AllocatesAddressesRoundRobin) {
  internal::IpAllocator ips;
  ASSERT_TRUE(ips.Init("10.244.1.0/30"));
  EXPECT_EQ(ips.Allocate(), "10.244.1.2");
  EXPECT_EQ(ips.Allocate(), "");  // .3 is the broadcast address
  ips.Release("10.244.1.2");
  EXPECT_EQ(ips.Allocate(), "10.244.1.2");

  ASSERT_TRUE(ips.Init("10.244.2.0/24"));
  EXPECT_EQ(ips.Allocate(), "10.244.2.2");
  EXPECT_EQ(ips.Allocate(), "10.244.2.3");
  ips.Release("10.244.2.2");
  EXPECT_EQ(ips.Allocate(), "10.244.2.4");  // not reused before wrapping
  EXPECT_FALSE(ips.Init("fd00::/64"));
  EXPECT_EQ(ips.Allocate(), "");
}

}  // namespace
}  // namespace kubesim::kubelet
