// Services, Endpoints, EndpointSlices, ServiceAccounts and the simulated
// network (`curl`). Executor clock only: time moves through `sleep`/`wait`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

constexpr char kService[] = R"(apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  type: NodePort
  selector:
    app: hello
  ports:
  - port: 80
    nodePort: 30080
)";

// Two ready pods app=hello (one per worker) and the NodePort service.
void SetUpApp(ShellHarness& h) {
  ASSERT_EQ(h.Run("run hello-a --image nginx --labels app=hello").code, 0);
  ASSERT_EQ(h.Run("run hello-b --image nginx --labels app=hello").code, 0);
  ASSERT_EQ(h.Run("wait --for=condition=Ready pod/hello-a pod/hello-b --timeout=120s").code, 0);
  h.SetStdin(kService);
  ASSERT_EQ(h.Run("create -f -").out, "service/hello created\n");
  h.Run("sleep 1");
}

std::string NodeOf(ShellHarness& h, const std::string& pod) {
  auto j = nlohmann::json::parse(h.Run("get pod " + pod + " -o json").out);
  return j["spec"]["nodeName"].get<std::string>();
}

TEST(ServiceTest, DefaultsAndAllocation) {
  ShellHarness h;
  h.SetStdin(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n"
      "    app: web\n  ports:\n  - port: 8080\n");
  ASSERT_EQ(h.Run("create -f -").code, 0);
  auto svc = nlohmann::json::parse(h.Run("get svc web -o json").out);
  EXPECT_EQ(svc["spec"]["type"], "ClusterIP");
  // 10.96.0.1 is the `kubernetes` Service's.
  EXPECT_EQ(svc["spec"]["clusterIP"], "10.96.0.2");
  EXPECT_EQ(svc["spec"]["clusterIPs"], nlohmann::json::array({"10.96.0.2"}));
  EXPECT_EQ(svc["spec"]["sessionAffinity"], "None");
  EXPECT_EQ(svc["spec"]["ipFamilies"], nlohmann::json::array({"IPv4"}));
  EXPECT_EQ(svc["spec"]["ipFamilyPolicy"], "SingleStack");
  EXPECT_EQ(svc["spec"]["internalTrafficPolicy"], "Cluster");
  EXPECT_EQ(svc["spec"]["ports"][0]["protocol"], "TCP");
  EXPECT_EQ(svc["spec"]["ports"][0]["targetPort"], 8080);
  auto t = h.Run("get svc -o wide");
  EXPECT_EQ(t.out,
            "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE   SELECTOR\n"
            "kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP    0s    <none>\n"
            "web          ClusterIP   10.96.0.2    <none>        8080/TCP   0s    app=web\n");
  // No pods yet: Endpoints without addresses, a slice without endpoints.
  EXPECT_EQ(h.Run("get ep web").out, "NAME   ENDPOINTS   AGE\nweb    <none>      0s\n");
  auto slices = h.Run("get endpointslices -l kubernetes.io/service-name=web");
  EXPECT_NE(slices.out.find("IPv4          8080    <unset>"), std::string::npos) << slices.out;

  // A second service: the next address; NodePort allocated from 30000.
  h.SetStdin(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: np\nspec:\n  type: NodePort\n"
      "  ports:\n  - port: 80\n");
  ASSERT_EQ(h.Run("create -f -").code, 0);
  auto np = nlohmann::json::parse(h.Run("get svc np -o json").out);
  EXPECT_EQ(np["spec"]["clusterIP"], "10.96.0.3");
  EXPECT_EQ(np["spec"]["ports"][0]["nodePort"], 30000);
  EXPECT_EQ(np["spec"]["externalTrafficPolicy"], "Cluster");

  // Bad input: rejected, nothing created.
  h.SetStdin(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  type: NodePort\n"
      "  ports:\n  - port: 80\n    nodePort: 80\n");
  auto bad = h.Run("create -f -");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("provided port is not in the valid range"), std::string::npos) << bad.err;
  EXPECT_NE(h.Run("get svc bad").code, 0);
}

// kube-apiserver's bootstrap controller (pkg/controlplane/controller/
// kubernetesservice) and lease endpoint reconciler (pkg/controlplane/
// reconcilers/endpointsadapter.go): the `kubernetes` Service, its Endpoints
// and EndpointSlice exist from the start, and come back when deleted.
TEST(ServiceTest, KubernetesServiceOfTheApiServer) {
  ShellHarness h;
  EXPECT_EQ(h.Run("get svc").out,
            "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
            "kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   0s\n");
  auto svc = nlohmann::json::parse(h.Run("get svc kubernetes -o json").out);
  EXPECT_EQ(svc["metadata"]["labels"],
            nlohmann::json({{"component", "apiserver"}, {"provider", "kubernetes"}}));
  EXPECT_EQ(svc["spec"]["ports"], nlohmann::json::parse(R"([{"name":"https","port":443,)"
                                                        R"("protocol":"TCP","targetPort":6443}])"));
  EXPECT_FALSE(svc["spec"].contains("selector"));
  // The control-plane node's address and the secure port.
  EXPECT_EQ(h.Run("get ep kubernetes").out,
            "NAME         ENDPOINTS           AGE\n"
            "kubernetes   192.168.49.2:6443   0s\n");
  auto ep = nlohmann::json::parse(h.Run("get ep kubernetes -o json").out);
  EXPECT_EQ(ep["metadata"]["labels"]["endpointslice.kubernetes.io/skip-mirror"], "true");
  auto slice = nlohmann::json::parse(h.Run("get endpointslice kubernetes -o json").out);
  EXPECT_EQ(slice["metadata"]["labels"],
            nlohmann::json({{"kubernetes.io/service-name", "kubernetes"}}));
  EXPECT_EQ(slice["endpoints"], nlohmann::json::parse(R"([{"addresses":["192.168.49.2"],)"
                                                      R"("conditions":{"ready":true}}])"));
  // A steady state: a minute of reconciling rewrites nothing.
  const std::string rv = ep["metadata"]["resourceVersion"];
  h.Run("sleep 1m");
  ep = nlohmann::json::parse(h.Run("get ep kubernetes -o json").out);
  EXPECT_EQ(ep["metadata"]["resourceVersion"], rv);
  // Deleted, it is created again on the next 10 s tick.
  EXPECT_EQ(h.Run("delete svc kubernetes").code, 0);
  EXPECT_EQ(h.Run("get svc kubernetes").code, 1);
  h.Run("sleep 10s");
  svc = nlohmann::json::parse(h.Run("get svc kubernetes -o json").out);
  EXPECT_EQ(svc["spec"]["clusterIP"], "10.96.0.1");
  ep = nlohmann::json::parse(h.Run("get ep kubernetes -o json").out);
  EXPECT_EQ(ep["subsets"][0]["addresses"][0]["ip"], "192.168.49.2");
}

TEST(ServiceTest, DefaultServiceAccountInEveryNamespace) {
  ShellHarness h;
  EXPECT_EQ(h.Run("get sa").out, "NAME      SECRETS   AGE\ndefault   0         0s\n");
  EXPECT_EQ(h.Run("get sa -n kube-system -o name").out, "serviceaccount/default\n");
  h.SetStdin("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n");
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.Run("sleep 1");
  EXPECT_EQ(h.Run("get sa -n team -o name").out, "serviceaccount/default\n");
}

TEST(ServiceTest, EndpointsOfReadyPodsAndCurlRoundRobin) {
  ShellHarness h;
  SetUpApp(h);
  auto ep = nlohmann::json::parse(h.Run("get endpoints hello -o json").out);
  ASSERT_EQ(ep["subsets"].size(), 1u);
  EXPECT_EQ(ep["subsets"][0]["addresses"].size(), 2u);
  EXPECT_EQ(ep["subsets"][0]["ports"][0]["port"], 80);
  auto slices = nlohmann::json::parse(
      h.Run("get endpointslices -l kubernetes.io/service-name=hello -o json").out);
  ASSERT_EQ(slices["items"].size(), 1u);
  const auto& slice = slices["items"][0];
  EXPECT_EQ(slice["metadata"]["labels"]["kubernetes.io/service-name"], "hello");
  EXPECT_EQ(slice["endpoints"].size(), 2u);
  EXPECT_EQ(slice["endpoints"][0]["conditions"]["ready"], true);

  std::set<std::string> answers;
  for (int i = 0; i < 4; ++i) {
    auto r = h.Run("curl http://hello");
    EXPECT_EQ(r.code, 0) << r.err;
    answers.insert(r.out);
  }
  EXPECT_EQ(answers, (std::set<std::string>{"Hello, hello-a\n", "Hello, hello-b\n"}));
  // Alternating, by every name CoreDNS serves and by ClusterIP.
  const std::string first = h.Run("curl hello.default").out;
  EXPECT_NE(h.Run("curl hello.default.svc.cluster.local:80/anything").out, first);
  auto svc = nlohmann::json::parse(h.Run("get svc hello -o json").out);
  const std::string ip = svc["spec"]["clusterIP"];
  EXPECT_EQ(h.Run("curl " + ip + ":80").out.rfind("Hello, hello-", 0), 0u);
  // NodePort through every node, the control plane included.
  for (const char* node : {"192.168.49.2", "192.168.49.3", "192.168.49.4"}) {
    auto r = h.Run(std::string("curl http://") + node + ":30080");
    EXPECT_EQ(r.out.rfind("Hello, hello-", 0), 0u) << node << r.err;
  }
  // Port 80 of a node: no ingress controller, refused.
  EXPECT_EQ(h.Run("curl 192.168.49.3").err,
            "curl: (7) Failed to connect to 192.168.49.3 port 80 after 0 ms: Couldn't connect "
            "to server\n");
}

TEST(ServiceTest, TrafficFlowsWithTheApiServerDown) {
  ShellHarness h;
  SetUpApp(h);
  ASSERT_TRUE(h.cluster().StopComponent("apiserver").ok());
  h.Run("sleep 1m");
  std::set<std::string> answers;
  for (int i = 0; i < 2; ++i) answers.insert(h.Run("curl 192.168.49.3:30080").out);
  EXPECT_EQ(answers, (std::set<std::string>{"Hello, hello-a\n", "Hello, hello-b\n"}));
  // CoreDNS' view (the gateway kube-proxy's) survives too.
  EXPECT_EQ(h.Run("curl hello").code, 0);
}

TEST(ServiceTest, StoppedNodeEndpointTimesOutUntilRemoved) {
  ShellHarness h;
  SetUpApp(h);
  const std::string node_a = NodeOf(h, "hello-a");
  const std::string node_b = NodeOf(h, "hello-b");
  ASSERT_NE(node_a, node_b);
  const std::string ip_a = node_a == "worker-1" ? "192.168.49.3" : "192.168.49.4";
  const std::string ip_b = node_a == "worker-1" ? "192.168.49.4" : "192.168.49.3";
  ASSERT_TRUE(h.cluster().StopNode(node_a).ok());
  // The node itself answers nothing.
  EXPECT_EQ(h.Run("curl " + ip_a + ":30080").err,
            "curl: (28) Failed to connect to " + ip_a +
                " port 30080 after 130000 ms: Couldn't connect to server\n");
  // Until the pod is marked not ready, kube-proxy still sends half of the
  // requests to the dead node's pod: they time out.
  int timeouts = 0, answers = 0;
  for (int i = 0; i < 4; ++i) {
    auto r = h.Run("curl " + ip_b + ":30080");
    if (r.code == 0) {
      EXPECT_EQ(r.out, "Hello, hello-b\n");
      ++answers;
    } else {
      EXPECT_NE(r.err.find("curl: (28)"), std::string::npos) << r.err;
      ++timeouts;
    }
  }
  EXPECT_EQ(answers, 2);
  EXPECT_EQ(timeouts, 2);
  // Once the node lifecycle controller has marked the pod Ready=False (40 s
  // without heartbeats), the endpoint controllers drop it and kube-proxy
  // follows: every request answers, even with the API server down.
  h.Run("sleep 2m");
  auto ep = nlohmann::json::parse(h.Run("get ep hello -o json").out);
  ASSERT_EQ(ep["subsets"][0]["addresses"].size(), 1u);
  EXPECT_EQ(ep["subsets"][0]["notReadyAddresses"].size(), 1u);
  ASSERT_TRUE(h.cluster().StopComponent("apiserver").ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(h.Run("curl " + ip_b + ":30080").out, "Hello, hello-b\n");
}

TEST(ServiceTest, NoEndpointsUnknownHostAndBadInput) {
  ShellHarness h;
  h.SetStdin(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: empty\nspec:\n  selector:\n"
      "    app: none\n  ports:\n  - port: 80\n");
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.Run("sleep 1");
  auto r = h.Run("curl http://empty");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to "
            "server\n");
  EXPECT_EQ(h.Run("curl http://nosuch").err, "curl: (6) Could not resolve host: nosuch\n");
  EXPECT_EQ(h.Run("curl http://empty.other").err,
            "curl: (6) Could not resolve host: empty.other\n");
  EXPECT_EQ(h.Run("curl http://empty:99999").err,
            "curl: (3) URL using bad/illegal format or missing URL\n");
  EXPECT_EQ(h.Run("curl").code, 1);
  EXPECT_EQ(h.Run("curl -X POST http://empty").code, 1);
}

}  // namespace
}  // namespace kubesim
