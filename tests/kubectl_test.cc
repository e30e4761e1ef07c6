// The real kubectl v1.32 against `kubesim serve` (docs/kubectl.md). One
// server per test: each starts from a fresh cluster. The simulated clock is
// moved with POST /kubesim/v1/clock/advance, never by waiting.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "kubectl_test_util.h"

namespace kubesim {
namespace {

using testing::CommandResult;
using testing::KubesimServer;
using testing::PollUntil;

// Runs kubectl and expects success; evaluates to its output.
std::string Ok(const KubesimServer& s, const std::string& args) {
  return testing::KubectlOk(s, args);
}

using testing::Squeeze;

const char kDeployment[] = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
)";

TEST(KubectlTest, ServePrintsUrlAndKubeconfig) {
  START_SERVER(s);
  std::string log = s.log();
  EXPECT_NE(log.find("serving the Kubernetes API at http://127.0.0.1:" + std::to_string(s.port())),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("export KUBECONFIG=" + s.kubeconfig()), std::string::npos) << log;
  std::string cfg = testing::ReadFile(s.kubeconfig());
  EXPECT_NE(cfg.find("current-context: kubesim"), std::string::npos) << cfg;
}

TEST(KubectlTest, VersionClusterInfoApiResources) {
  START_SERVER(s);
  std::string v = Ok(s, "version");
  EXPECT_NE(v.find("Server Version: v1.32.0"), std::string::npos) << v;
  std::string info = Ok(s, "cluster-info");
  EXPECT_NE(info.find("Kubernetes control plane is running at http://127.0.0.1:" +
                      std::to_string(s.port())),
            std::string::npos)
      << info;
  std::string res = Ok(s, "api-resources");
  EXPECT_NE(Squeeze(res).find("pods po v1 true Pod"), std::string::npos) << res;
  EXPECT_NE(Squeeze(res).find("deployments deploy apps/v1 true Deployment"), std::string::npos)
      << res;
  EXPECT_NE(Squeeze(res).find("nodes no v1 false Node"), std::string::npos) << res;
  std::string api_versions = Ok(s, "api-versions");
  EXPECT_NE(api_versions.find("apps/v1\n"), std::string::npos) << api_versions;
}

TEST(KubectlTest, GetNodesTableAndFormats) {
  START_SERVER(s);
  std::string nodes = Squeeze(Ok(s, "get nodes"));
  EXPECT_EQ(nodes.substr(0, nodes.find('\n')), "NAME STATUS ROLES AGE VERSION") << nodes;
  EXPECT_NE(nodes.find("control-plane Ready control-plane"), std::string::npos) << nodes;
  EXPECT_NE(nodes.find("worker-1 Ready <none>"), std::string::npos) << nodes;
  std::string wide = Squeeze(Ok(s, "get nodes -o wide"));
  EXPECT_NE(wide.find("INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME"),
            std::string::npos)
      << wide;
  EXPECT_NE(wide.find("192.168.49.2"), std::string::npos) << wide;
  EXPECT_EQ(Ok(s, "get nodes -o name"), "node/control-plane\nnode/worker-1\nnode/worker-2\n");
  EXPECT_EQ(
      Ok(s, "get node worker-1 -o jsonpath='{.metadata.name} {.status.nodeInfo.kubeletVersion}'"),
      "worker-1 v1.32.0");
  std::string json = Ok(s, "get node worker-2 -o json");
  EXPECT_NE(json.find("\"kind\": \"Node\""), std::string::npos) << json;
  std::string yaml = Ok(s, "get node worker-2 -o yaml");
  EXPECT_NE(yaml.find("kind: Node\n"), std::string::npos) << yaml;
  EXPECT_EQ(Squeeze(Ok(s, "get nodes -o custom-columns=N:.metadata.name,CIDR:.spec.podCIDR")),
            "N CIDR\ncontrol-plane 10.244.0.0/24\nworker-1 10.244.1.0/24\nworker-2 "
            "10.244.2.0/24\n");
  std::string labels = Ok(s, "get nodes --show-labels");
  EXPECT_NE(labels.find("kubernetes.io/hostname=worker-1"), std::string::npos) << labels;
  std::string l = Ok(s, "get nodes -l node-role.kubernetes.io/control-plane -o name");
  EXPECT_EQ(l, "node/control-plane\n");
}

TEST(KubectlTest, GetEveryServedKind) {
  START_SERVER(s);
  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kDeployment));
  Ok(s, "expose deployment web --port 80");
  s.Advance("30s");
  // Every kind the API server serves, through discovery and its table.
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"pods", "NAMESPACE NAME READY STATUS RESTARTS AGE"},
      {"nodes", "NAME STATUS ROLES AGE VERSION"},
      {"namespaces", "NAME STATUS AGE"},
      {"events", "NAMESPACE LAST SEEN TYPE REASON OBJECT MESSAGE"},
      {"services", "NAMESPACE NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE"},
      {"endpoints", "NAMESPACE NAME ENDPOINTS AGE"},
      {"endpointslices", "NAMESPACE NAME ADDRESSTYPE PORTS ENDPOINTS AGE"},
      {"serviceaccounts", "NAMESPACE NAME SECRETS AGE"},
      {"deployments", "NAMESPACE NAME READY UP-TO-DATE AVAILABLE AGE"},
      {"replicasets", "NAMESPACE NAME DESIRED CURRENT READY AGE"},
      {"leases", "NAMESPACE NAME HOLDER AGE"}};
  for (const auto& [kind, header] : kinds) {
    std::string out = Squeeze(Ok(s, "get " + kind + " -A"));
    EXPECT_EQ(out.substr(0, out.find('\n')), header) << kind << "\n" << out;
    EXPECT_GT(std::count(out.begin(), out.end(), '\n'), 1) << kind << "\n" << out;
  }
}

TEST(KubectlTest, RunGetPodsAcrossFormats) {
  START_SERVER(s);
  EXPECT_EQ(Ok(s, "run web --image nginx:1.27 --labels app=web,tier=front"), "pod/web created\n");
  s.Advance("30s");
  std::string wide = Squeeze(Ok(s, "get pods -o wide"));
  EXPECT_EQ(wide.substr(0, wide.find('\n')),
            "NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES")
      << wide;
  EXPECT_NE(wide.find("web 1/1 Running 0"), std::string::npos) << wide;
  EXPECT_NE(wide.find("worker-"), std::string::npos) << wide;
  std::string all = Squeeze(Ok(s, "get pods -A"));
  EXPECT_EQ(all.substr(0, all.find('\n')), "NAMESPACE NAME READY STATUS RESTARTS AGE") << all;
  EXPECT_NE(all.find("default web 1/1 Running 0"), std::string::npos) << all;
  EXPECT_EQ(Ok(s, "get pods -l app=web -o name"), "pod/web\n");
  EXPECT_EQ(Ok(s, "get pods -l app=db -o name"), "");
  EXPECT_EQ(Ok(s, "get pods --field-selector status.phase=Running -o name"), "pod/web\n");
  std::string cols = Squeeze(Ok(s, "get pods -L tier --show-labels"));
  EXPECT_NE(cols.find("TIER LABELS"), std::string::npos) << cols;
  EXPECT_NE(cols.find("front app=web,tier=front"), std::string::npos) << cols;
  EXPECT_EQ(Ok(s, "get pod web -o jsonpath={.status.phase}"), "Running");
  CommandResult missing = s.Kubectl("get pod nope");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.output, "Error from server (NotFound): pods \"nope\" not found\n");
}

TEST(KubectlTest, ApplyCreateChangeReapplyDelete) {
  START_SERVER(s);
  std::string file = s.WriteManifest("web.yaml", kDeployment);
  EXPECT_EQ(Ok(s, "apply -f " + file), "deployment.apps/web created\n");
  s.Advance("30s");
  std::string deploy = Squeeze(Ok(s, "get deploy"));
  EXPECT_NE(deploy.find("web 2/2 2 2"), std::string::npos) << deploy;
  EXPECT_EQ(Ok(s, "apply -f " + file), "deployment.apps/web unchanged\n");
  std::string changed = kDeployment;
  changed.replace(changed.find("replicas: 2"), 11, "replicas: 3");
  file = s.WriteManifest("web3.yaml", changed);
  EXPECT_EQ(Ok(s, "apply -f " + file), "deployment.apps/web configured\n");
  s.Advance("30s");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.status.readyReplicas}"), "3");
  std::string pods = Ok(s, "get pods -l app=web -o name");
  EXPECT_EQ(std::count(pods.begin(), pods.end(), '\n'), 3) << pods;
  std::string all = Squeeze(Ok(s, "get all"));
  EXPECT_NE(all.find("deployment.apps/web 3/3 3 3"), std::string::npos) << all;
  EXPECT_NE(all.find("replicaset.apps/web-"), std::string::npos) << all;
  EXPECT_EQ(Ok(s, "delete -f " + file + " --wait=false"), "deployment.apps \"web\" deleted\n");
  s.Advance("1m");
  EXPECT_EQ(Ok(s, "get deploy -o name"), "");
}

TEST(KubectlTest, CreateFromFileAndAlreadyExists) {
  START_SERVER(s);
  std::string file = s.WriteManifest("web.yaml", kDeployment);
  EXPECT_EQ(Ok(s, "create -f " + file), "deployment.apps/web created\n");
  CommandResult again = s.Kubectl("create -f " + file);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.output, "Error from server (AlreadyExists): error when creating \"" + file +
                              "\": deployments.apps \"web\" already exists\n");
}

TEST(KubectlTest, DeletePodWaitsUntilGone) {
  START_SERVER(s);
  Ok(s, "run web --image nginx");
  s.Advance("20s");
  // delete waits (GET + watch) until the kubelet has finished the pod; the
  // clock follows wall time, so the 30 s grace period is shortened here.
  CommandResult r = s.Kubectl("delete pod web --grace-period=1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "pod \"web\" deleted\n");
  CommandResult gone = s.Kubectl("get pod web");
  EXPECT_EQ(gone.output, "Error from server (NotFound): pods \"web\" not found\n");
}

TEST(KubectlTest, DescribePodNodeDeploymentService) {
  START_SERVER(s);
  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kDeployment));
  Ok(s, "run solo --image nginx");
  s.Advance("30s");
  std::string pod = Ok(s, "describe pod solo");
  EXPECT_NE(pod.find("Name:             solo\n"), std::string::npos) << pod;
  EXPECT_NE(pod.find("Status:           Running\n"), std::string::npos) << pod;
  EXPECT_NE(Squeeze(pod).find("Normal Scheduled"), std::string::npos) << pod;
  EXPECT_NE(Squeeze(pod).find("Successfully assigned default/solo to worker-"), std::string::npos)
      << pod;
  std::string node = Ok(s, "describe node worker-1");
  EXPECT_NE(node.find("Name:               worker-1\n"), std::string::npos) << node;
  EXPECT_NE(node.find("Non-terminated Pods:"), std::string::npos) << node;
  std::string deploy = Ok(s, "describe deployment web");
  EXPECT_NE(deploy.find("Replicas:               2 desired | 2 updated | 2 total | 2 available"),
            std::string::npos)
      << deploy;
  EXPECT_EQ(Ok(s, "expose deployment web --port 80"), "service/web exposed\n");
  std::string svc = Squeeze(Ok(s, "describe service web"));
  EXPECT_NE(svc.find("Name: web\n"), std::string::npos) << svc;
  EXPECT_NE(svc.find("Selector: app=web\n"), std::string::npos) << svc;
  EXPECT_NE(svc.find("Port: <unset> 80/TCP\n"), std::string::npos) << svc;
}

TEST(KubectlTest, GetWatchStreamsUntilKilled) {
  START_SERVER(s);
  Ok(s, "run w0 --image nginx");
  std::string out = s.dir() + "/watch.txt";
  pid_t pid = fork();
  if (pid == 0) {
    std::string cmd = "exec env " + s.KubectlCommand("get pods -w") + " > " + out + " 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // The watch is open once kubectl printed the list (w0).
  EXPECT_TRUE(PollUntil([&] { return testing::ReadFile(out).find("w0") != std::string::npos; }));
  Ok(s, "run w1 --image nginx");
  s.Advance("30s");
  bool seen = PollUntil([&] {
    std::string text = testing::ReadFile(out);
    return text.find("Running") != std::string::npos;
  });
  // Still streaming: kubectl has not exited.
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), 0);
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  std::string text = Squeeze(testing::ReadFile(out));
  EXPECT_TRUE(seen) << text;
  EXPECT_NE(text.find("NAME READY STATUS RESTARTS AGE"), std::string::npos) << text;
  EXPECT_NE(text.find("w1 0/1 Pending 0"), std::string::npos) << text;
  EXPECT_NE(text.find("w1 1/1 Running 0"), std::string::npos) << text;
}

TEST(KubectlTest, LabelAnnotatePatchSetImageRollout) {
  START_SERVER(s);
  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kDeployment));
  s.Advance("30s");
  EXPECT_EQ(Ok(s, "label deployment web tier=front"), "deployment.apps/web labeled\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.metadata.labels.tier}"), "front");
  EXPECT_EQ(Ok(s, "annotate deployment web note=hi"), "deployment.apps/web annotated\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.metadata.annotations.note}"), "hi");
  EXPECT_EQ(Ok(s, "patch deployment web --type=merge -p '{\"spec\":{\"minReadySeconds\":1}}'"),
            "deployment.apps/web patched\n");
  EXPECT_EQ(Ok(s,
               "patch deployment web --type=json -p "
               "'[{\"op\":\"replace\",\"path\":\"/spec/minReadySeconds\",\"value\":2}]'"),
            "deployment.apps/web patched\n");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.minReadySeconds}"), "2");
  EXPECT_EQ(Ok(s, "set image deployment/web nginx=nginx:1.28"),
            "deployment.apps/web image updated\n");
  s.Advance("2m");
  EXPECT_EQ(Ok(s, "rollout status deployment/web --timeout=30s"),
            "deployment \"web\" successfully rolled out\n");
  std::string history = Squeeze(Ok(s, "rollout history deployment/web"));
  EXPECT_NE(history.find("REVISION CHANGE-CAUSE\n1 <none>\n2 <none>"), std::string::npos)
      << history;
}

TEST(KubectlTest, ScaleDeployment) {
  START_SERVER(s);
  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kDeployment));
  s.Advance("30s");
  // kubectl scale PATCHes deployments/scale (an autoscaling/v1 Scale).
  EXPECT_EQ(Ok(s, "scale deployment web --replicas=4"), "deployment.apps/web scaled\n");
  s.Advance("30s");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.status.readyReplicas}"), "4");
  std::string rs = Ok(s, "get rs -l app=web -o name");
  ASSERT_FALSE(rs.empty());
  rs.pop_back();
  EXPECT_EQ(Ok(s, "scale " + rs + " --replicas=4"), rs + " scaled\n");
  // --current-replicas is a precondition checked against the Scale.
  CommandResult bad = s.Kubectl("scale deployment web --current-replicas=3 --replicas=1");
  EXPECT_NE(bad.exit_code, 0) << bad.output;
  std::string raw = Ok(s, "get --raw /apis/apps/v1/namespaces/default/deployments/web/scale");
  EXPECT_NE(raw.find("\"kind\":\"Scale\""), std::string::npos) << raw;
  EXPECT_NE(raw.find("\"selector\":\"app=web\""), std::string::npos) << raw;
}

TEST(KubectlTest, CordonUncordonTaint) {
  START_SERVER(s);
  EXPECT_EQ(Ok(s, "cordon worker-1"), "node/worker-1 cordoned\n");
  std::string nodes = Squeeze(Ok(s, "get node worker-1"));
  EXPECT_NE(nodes.find("worker-1 Ready,SchedulingDisabled <none>"), std::string::npos) << nodes;
  EXPECT_EQ(Ok(s, "uncordon worker-1"), "node/worker-1 uncordoned\n");
  EXPECT_EQ(Ok(s, "taint nodes worker-2 dedicated=gpu:NoSchedule"), "node/worker-2 tainted\n");
  EXPECT_EQ(Ok(s, "get node worker-2 -o jsonpath={.spec.taints[0].key}"), "dedicated");
  EXPECT_EQ(Ok(s, "taint nodes worker-2 dedicated=gpu:NoSchedule-"), "node/worker-2 untainted\n");
}

TEST(KubectlTest, CreateNamespaceSendsProtobuf) {
  START_SERVER(s);
  // kubectl's typed client writes the Namespace as protobuf.
  EXPECT_EQ(Ok(s, "create namespace team-a"), "namespace/team-a created\n");
  EXPECT_EQ(Ok(s, "get ns team-a -o jsonpath={.status.phase}"), "Active");
  EXPECT_EQ(Ok(s, "run web --image nginx -n team-a"), "pod/web created\n");
  EXPECT_EQ(Ok(s, "get pods -n team-a -o name"), "pod/web\n");
}

TEST(KubectlTest, DrainEmptiesTheNode) {
  START_SERVER(s);
  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kDeployment));
  s.Advance("30s");
  std::string pods = Ok(s, "get pods -o wide");
  std::string node = pods.find("worker-1") != std::string::npos ? "worker-1" : "worker-2";
  CommandResult drain =
      s.Kubectl("drain " + node + " --ignore-daemonsets --grace-period=1 --timeout=60s");
  EXPECT_EQ(drain.exit_code, 0) << drain.output;
  EXPECT_NE(drain.output.find("node/" + node + " cordoned\n"), std::string::npos) << drain.output;
  EXPECT_NE(drain.output.find("node/" + node + " drained\n"), std::string::npos) << drain.output;
  EXPECT_EQ(Ok(s, "get pods --field-selector spec.nodeName=" + node + " -o name"), "");
  s.Advance("30s");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.status.readyReplicas}"), "2");
}

TEST(KubectlTest, WaitForReadyAndEvents) {
  START_SERVER(s);
  Ok(s, "run web --image nginx");
  s.Advance("30s");
  EXPECT_EQ(Ok(s, "wait --for=condition=Ready pod/web --timeout=30s"), "pod/web condition met\n");
  std::string events = Squeeze(Ok(s, "events"));
  EXPECT_NE(events.find("LAST SEEN TYPE REASON OBJECT MESSAGE"), std::string::npos) << events;
  EXPECT_NE(events.find("Normal Scheduled Pod/web Successfully assigned default/web to"),
            std::string::npos)
      << events;
  std::string ev = Squeeze(Ok(s, "get events"));
  EXPECT_NE(ev.find("Normal Started pod/web"), std::string::npos) << ev;
}

TEST(KubectlTest, NodeFailureThroughKubesimControls) {
  START_SERVER(s);
  std::string stopped = s.Control("POST", "/kubesim/v1/nodes/worker-1/stop");
  EXPECT_EQ(stopped,
            "200 "
            R"({"apiVersion":"v1","kind":"Status","message":"node worker-1 stopped",)"
            R"("metadata":{},"status":"Success"})");
  // The node lifecycle controller marks the node NotReady after its 40 s
  // grace period without heartbeats.
  s.Advance("1m");
  std::string nodes = Squeeze(Ok(s, "get node worker-1"));
  EXPECT_NE(nodes.find("worker-1 NotReady <none>"), std::string::npos) << nodes;
  std::string taints = Ok(s, "get node worker-1 -o jsonpath={.spec.taints[*].key}");
  EXPECT_NE(taints.find("node.kubernetes.io/unreachable"), std::string::npos) << taints;
  EXPECT_EQ(s.Control("POST", "/kubesim/v1/nodes/worker-1/start").substr(0, 4), "200 ");
  s.Advance("30s");
  nodes = Squeeze(Ok(s, "get node worker-1"));
  EXPECT_NE(nodes.find("worker-1 Ready <none>"), std::string::npos) << nodes;
  std::string bad = s.Control("POST", "/kubesim/v1/nodes/nope/stop");
  EXPECT_EQ(bad.substr(0, 4), "404 ") << bad;
}

TEST(KubectlTest, StoppedApiServerRefusesConnectionsThenRecovers) {
  START_SERVER(s);
  EXPECT_EQ(s.Control("POST", "/kubesim/v1/components/apiserver/stop").substr(0, 4), "200 ");
  // The API port closes (the server notices within 50 ms of wall time).
  EXPECT_TRUE(PollUntil([&] {
    httplib::Client cli("127.0.0.1", s.port());
    return !cli.Get("/version");
  }));
  CommandResult down = s.Kubectl("get nodes");
  EXPECT_EQ(down.exit_code, 1);
  std::string want = "The connection to the server 127.0.0.1:" + std::to_string(s.port()) +
                     " was refused - did you specify the right host or port?\n";
  ASSERT_GE(down.output.size(), want.size()) << down.output;
  EXPECT_EQ(down.output.substr(down.output.size() - want.size()), want) << down.output;
  EXPECT_EQ(s.Control("POST", "/kubesim/v1/components/apiserver/start").substr(0, 4), "200 ");
  // Reopened on the same port.
  EXPECT_TRUE(PollUntil([&] { return s.Kubectl("get nodes").exit_code == 0; }));
  EXPECT_NE(Ok(s, "get nodes").find("worker-1"), std::string::npos);
}

TEST(KubectlTest, ControlsAlsoServedOnTheApiPort) {
  START_SERVER(s);
  httplib::Client cli("127.0.0.1", s.port());
  auto res = cli.Get("/kubesim/v1/clock");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("\"now\":"), std::string::npos) << res->body;
  httplib::Client control("127.0.0.1", s.control_port());
  auto other = control.Get("/api/v1/pods");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST(KubectlTest, WatchFromCompactedVersionIsAnExpiredErrorEvent) {
  START_SERVER(s);
  s.Advance("11m");  // past two 5-minute compactions
  httplib::Client cli("127.0.0.1", s.port());
  cli.set_read_timeout(20, 0);
  auto res = cli.Get("/api/v1/namespaces/default/pods?watch=true&resourceVersion=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(std::regex_match(
      res->body,
      std::regex(R"re(\{"object":\{"apiVersion":"v1","code":410,"kind":"Status",)re"
                 R"re("message":"too old resource version: 1 \(\d+\)","metadata":\{\},)re"
                 R"re("reason":"Expired","status":"Failure"\},"type":"ERROR"\}\n)re")))
      << res->body;
}

TEST(KubectlTest, WatchEndsAfterTimeoutSeconds) {
  START_SERVER(s);
  httplib::Client cli("127.0.0.1", s.port());
  cli.set_read_timeout(30, 0);  // the stream must end long before
  auto res = cli.Get("/api/v1/nodes?watch=true&timeoutSeconds=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json;stream=watch");
  std::vector<std::string> types;
  std::istringstream lines(res->body);
  for (std::string line; std::getline(lines, line);) {
    auto event = nlohmann::json::parse(line);
    types.push_back(event["type"].get<std::string>() + " " +
                    event["object"]["metadata"]["name"].get<std::string>());
  }
  EXPECT_EQ(types,
            (std::vector<std::string>{"ADDED control-plane", "ADDED worker-1", "ADDED worker-2"}));
}

TEST(KubectlTest, AbandonedWatchesFreeTheirThreads) {
  START_SERVER(s);
  // More idle watches than the server has threads (64), each dropped by its
  // client after a second: the server must notice and go on serving.
  std::vector<std::thread> clients;
  for (int i = 0; i < 80; ++i) {
    clients.emplace_back([&] {
      httplib::Client cli("127.0.0.1", s.port());
      cli.set_read_timeout(1, 0);
      cli.Get("/api/v1/pods?watch=true");
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_TRUE(PollUntil(
      [&] {
        httplib::Client cli("127.0.0.1", s.port());
        cli.set_read_timeout(2, 0);
        auto res = cli.Get("/api/v1/nodes");
        return res && res->status == 200;
      },
      std::chrono::seconds(30)));
}

TEST(KubectlTest, RolloutRestartAndUndo) {
  START_SERVER(s);
  Ok(s, "apply -f " + s.WriteManifest("web.yaml", kDeployment));
  s.Advance("30s");
  EXPECT_EQ(Ok(s, "rollout restart deployment/web"), "deployment.apps/web restarted\n");
  s.Advance("2m");
  std::string restarted = Ok(s, "get deploy web -o jsonpath={.spec.template.metadata.annotations}");
  EXPECT_NE(restarted.find("kubectl.kubernetes.io/restartedAt"), std::string::npos) << restarted;
  EXPECT_EQ(Ok(s, "rollout undo deployment/web"), "deployment.apps/web rolled back\n");
  s.Advance("2m");
  EXPECT_EQ(Ok(s, "get deploy web -o jsonpath={.spec.template.metadata.annotations}"), "");
  EXPECT_EQ(Ok(s,
               "get deploy web -o "
               "'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'"),
            "3");
}

TEST(KubectlTest, RawPaths) {
  START_SERVER(s);
  EXPECT_EQ(Ok(s, "get --raw /version"), R"({
  "major": "1",
  "minor": "32",
  "gitVersion": "v1.32.0",
  "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53",
  "gitTreeState": "clean",
  "buildDate": "2024-12-11T17:59:15Z",
  "goVersion": "go1.23.3",
  "compiler": "gc",
  "platform": "linux/amd64"
})");
  EXPECT_EQ(Ok(s, "get --raw /healthz"), "ok");
  std::string clock = Ok(s, "get --raw /kubesim/v1/clock");
  EXPECT_NE(clock.find("\"now\":"), std::string::npos) << clock;
}

TEST(KubectlTest, InteractiveShellServesTooWithServeFlag) {
  REQUIRE_KUBECTL();
  if (std::system("command -v script >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "script (util-linux) is not on PATH: needed for a terminal";
  }
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                              ("kubesim_serve_tty_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string out = (dir / "out.txt").string();
  std::string kubeconfig = (dir / "kubesim.kubeconfig").string();
  int to_shell[2];
  ASSERT_EQ(pipe(to_shell), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(to_shell[0], 0);
    close(to_shell[1]);
    std::string cmd = "cd " + dir.string() + " && exec script -qfc '" + KUBESIM_BINARY +
                      " --serve 0' /dev/null > " + out + " 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(to_shell[0]);
  auto say = [&](const std::string& line) {
    ASSERT_EQ(write(to_shell[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
  };
  ASSERT_TRUE(PollUntil([&] { return std::filesystem::exists(kubeconfig); }));
  ASSERT_TRUE(
      PollUntil([&] { return testing::ReadFile(out).find("kubesim> ") != std::string::npos; }));
  std::string kubectl = "HOME=" + dir.string() + " KUBECACHEDIR=" + (dir / "cache").string() +
                        " kubectl --kubeconfig " + kubeconfig + " ";
  CommandResult run = testing::RunCommand(kubectl + "run fromkubectl --image nginx");
  EXPECT_EQ(run.output, "pod/fromkubectl created\n");
  say("get pods -o name\n");
  EXPECT_TRUE(PollUntil([&] {
    return testing::ReadFile(out).find("pod/fromkubectl") != std::string::npos;
  })) << testing::ReadFile(out);
  // The shell drives the clock: controls that would drive it are refused.
  std::string cfg = testing::ReadFile(kubeconfig);
  int port = std::atoi(cfg.c_str() + cfg.find("http://127.0.0.1:") + 17);
  httplib::Client cli("127.0.0.1", port);
  auto res = cli.Post("/kubesim/v1/clock/advance?duration=1m");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  say("exit\n");
  close(to_shell[1]);
  bool exited =
      PollUntil([&] { return waitpid(pid, nullptr, WNOHANG) == pid; }, std::chrono::seconds(30));
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  EXPECT_TRUE(exited);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TEST(KubectlTest, ClockControl) {
  START_SERVER(s);
  std::string before = s.Control("GET", "/kubesim/v1/clock");
  ASSERT_EQ(before.substr(0, 4), "200 ") << before;
  std::string after = s.Control("POST", "/kubesim/v1/clock/advance?duration=1h");
  ASSERT_EQ(after.substr(0, 4), "200 ") << after;
  EXPECT_NE(before, after);
  std::string bad = s.Control("POST", "/kubesim/v1/clock/advance?duration=soon");
  EXPECT_EQ(bad.substr(0, 4), "400 ") << bad;
}

TEST(KubectlTest, LogsThroughPodLogSubresource) {
  START_SERVER(s);
  Ok(s, "run web --image nginx");
  s.Advance("30s");
  // Simulated containers log nothing: an empty, successful stream.
  EXPECT_EQ(Ok(s, "logs web"), "");
  EXPECT_EQ(Ok(s, "logs web -c web --tail=10 --timestamps"), "");
  EXPECT_EQ(Ok(s, "logs pod/web --since=1h --limit-bytes=100"), "");
  CommandResult bad = s.Kubectl("logs web -c sidecar");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(bad.output, "error: container sidecar is not valid for pod web\n");
  CommandResult prev = s.Kubectl("logs web -p");
  EXPECT_NE(prev.exit_code, 0);
  EXPECT_EQ(prev.output,
            "Error from server (BadRequest): previous terminated container \"web\" in pod "
            "\"web\" not found\n");
}

// `kubectl top` against the metrics-server add-on's metrics.k8s.io API
// (aggregated: listed in discovery, NodeMetrics/PodMetrics JSON).
TEST(KubectlTest, TopNodeAndPodThroughTheMetricsApi) {
  REQUIRE_KUBECTL();
  ::kubesim::testing::KubesimServer s("--addons metrics-server");
  ASSERT_TRUE(s.ok()) << s.log();
  s.Advance("30s");
  std::string nodes = Ok(s, "top node");
  EXPECT_EQ(nodes.substr(0, nodes.find('\n')),
            "NAME            CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ");
  EXPECT_NE(nodes.find("\nworker-2 "), std::string::npos) << nodes;
  std::string pods = Ok(s, "top pod -n kube-system --containers");
  EXPECT_NE(pods.find("metrics-server-"), std::string::npos) << pods;
  EXPECT_NE(pods.find(" kube-apiserver "), std::string::npos) << pods;
  std::string raw = Ok(s, "get --raw /apis/metrics.k8s.io/v1beta1/nodes/worker-1");
  EXPECT_NE(raw.find("\"kind\":\"NodeMetrics\""), std::string::npos) << raw;
  EXPECT_NE(raw.find("\"window\":\"15s\""), std::string::npos) << raw;
  CommandResult missing = s.Kubectl("top node worker-9");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(missing.output,
            "Error from server (NotFound): nodemetrics.metrics.k8s.io \"worker-9\" not found\n");
}

TEST(KubectlTest, TopWithoutMetricsServer) {
  START_SERVER(s);
  CommandResult r = s.Kubectl("top node");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.output, "error: Metrics API not available\n");
}

}  // namespace
}  // namespace kubesim
