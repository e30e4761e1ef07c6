// Subresources through ApiServer::Handle: deployments/scale and
// replicasets/scale (autoscaling/v1 Scale, as kubectl scale uses it),
// pods/eviction (policy/v1, as kubectl drain uses it), pods/log (text/plain)
// and discovery's description of each.
#include "kubesim/api/subresources.h"

#include <gtest/gtest.h>

#include "kubesim/api/api_server.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/cluster/cluster.h"

namespace kubesim::api {
namespace {

Object J(const char* text) { return Object::parse(text); }

class SubresourcesTest : public ::testing::Test {
 protected:
  SubresourcesTest() {
    store_ = store::Store::CreateInMemory();
    executor_ = Executor::Create(cluster::ClusterConfig::DefaultStartTime());
    server_ = ApiServer::Create(store_.get(), executor_.get(), NewBuiltinRegistry(), {});
    EXPECT_EQ(Do(Verb::kCreate, kNamespaces, "", "", J(R"({"metadata":{"name":"default"}})")).code,
              201);
  }
  ~SubresourcesTest() override { server_.reset(); }

  Response Do(Verb verb, const GroupVersionResource& gvr, const std::string& name,
              const std::string& sub, Object body = Object(), const char* type = "") {
    Request r;
    r.verb = verb;
    r.gvr = gvr;
    r.namespace_ = gvr == kNamespaces || gvr == kNodes ? "" : "default";
    r.name = name;
    r.subresource = sub;
    r.body = std::move(body);
    r.content_type = type;
    return server_->Handle(r);
  }
  Response Log(const std::string& pod, const std::string& container = "", bool previous = false) {
    Request r;
    r.verb = Verb::kGet;
    r.gvr = kPods;
    r.namespace_ = "default";
    r.name = pod;
    r.subresource = "log";
    r.log_options.container = container;
    r.log_options.previous = previous;
    return server_->Handle(r);
  }
  void CreateDeployment() {
    ASSERT_EQ(Do(Verb::kCreate, kDeployments, "", "",
                 J(R"({"metadata":{"name":"web"},"spec":{"replicas":2,
                   "selector":{"matchLabels":{"app":"web","tier":"fe"}},
                   "template":{"metadata":{"labels":{"app":"web","tier":"fe"}},
                   "spec":{"containers":[{"name":"web","image":"nginx"}]}}}})"))
                  .code,
              201);
  }
  void CreatePod(const char* json) {
    ASSERT_EQ(Do(Verb::kCreate, kPods, "", "", J(json)).code, 201);
  }
  void Bind(const std::string& pod) {
    ASSERT_EQ(Do(Verb::kCreate, kPods, pod, "binding",
                 {{"metadata", {{"name", pod}}}, {"target", {{"name", "n1"}}}})
                  .code,
              201);
  }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<ApiServer> server_;
};

TEST_F(SubresourcesTest, ScaleGetShowsTheDeploymentAsAScale) {
  CreateDeployment();
  Response d = Do(Verb::kGet, kDeployments, "web", "");
  Response r = Do(Verb::kGet, kDeployments, "web", "scale");
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(r.body["kind"], "Scale");
  EXPECT_EQ(r.body["apiVersion"], "autoscaling/v1");
  EXPECT_EQ(r.body["metadata"]["name"], "web");
  EXPECT_EQ(r.body["metadata"]["uid"], d.body["metadata"]["uid"]);
  EXPECT_EQ(r.body["metadata"]["resourceVersion"], d.body["metadata"]["resourceVersion"]);
  EXPECT_EQ(r.body["spec"], J(R"({"replicas":2})"));
  EXPECT_EQ(r.body["status"], J(R"({"replicas":0,"selector":"app=web,tier=fe"})"));
  EXPECT_EQ(Do(Verb::kGet, kDeployments, "nope", "scale").body["message"],
            "deployments.apps \"nope\" not found");
}

TEST_F(SubresourcesTest, KubectlScalePatchesTheScale) {
  CreateDeployment();
  // kubectl scale --replicas=5: merge patch on .../scale.
  Response r =
      Do(Verb::kPatch, kDeployments, "web", "scale", J(R"({"spec":{"replicas":5}})"), kMergePatch);
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(r.body["kind"], "Scale");
  EXPECT_EQ(r.body["spec"]["replicas"], 5);
  Response d = Do(Verb::kGet, kDeployments, "web", "");
  EXPECT_EQ(d.body["spec"]["replicas"], 5);
  EXPECT_EQ(r.body["metadata"]["resourceVersion"], d.body["metadata"]["resourceVersion"]);
  // PUT with a stale resourceVersion (kubectl scale --resource-version).
  Object scale = r.body;
  scale["spec"]["replicas"] = 1;
  scale["metadata"]["resourceVersion"] = "1";
  r = Do(Verb::kUpdate, kDeployments, "web", "scale", scale);
  EXPECT_EQ(r.code, 409);
  scale["metadata"]["resourceVersion"] = d.body["metadata"]["resourceVersion"];
  r = Do(Verb::kUpdate, kDeployments, "web", "scale", scale);
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(Do(Verb::kGet, kDeployments, "web", "").body["spec"]["replicas"], 1);
  // Scaling to zero: ScaleSpec.replicas is omitempty.
  r = Do(Verb::kPatch, kDeployments, "web", "scale", J(R"({"spec":{"replicas":0}})"), kMergePatch);
  ASSERT_EQ(r.code, 200);
  EXPECT_EQ(r.body["spec"], Object::object());
}

TEST_F(SubresourcesTest, NegativeScaleIsInvalid) {
  CreateDeployment();
  Response r =
      Do(Verb::kPatch, kDeployments, "web", "scale", J(R"({"spec":{"replicas":-1}})"), kMergePatch);
  EXPECT_EQ(r.code, 422);
  EXPECT_EQ(r.body["message"],
            "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be "
            "greater than or equal to 0");
}

TEST_F(SubresourcesTest, ReplicaSetScale) {
  ASSERT_EQ(
      Do(Verb::kCreate, kReplicaSets, "", "", J(R"({"metadata":{"name":"rs"},"spec":{"replicas":1,
                 "selector":{"matchLabels":{"app":"rs"}},
                 "template":{"metadata":{"labels":{"app":"rs"}},
                 "spec":{"containers":[{"name":"c","image":"nginx"}]}}}})"))
          .code,
      201);
  Response r =
      Do(Verb::kPatch, kReplicaSets, "rs", "scale", J(R"({"spec":{"replicas":3}})"), kMergePatch);
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(Do(Verb::kGet, kReplicaSets, "rs", "").body["spec"]["replicas"], 3);
}

TEST_F(SubresourcesTest, EvictionDeletesGracefullyWithDisruptionTarget) {
  CreatePod(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}})");
  Bind("p");
  Response r =
      Do(Verb::kCreate, kPods, "p", "eviction", J(R"({"apiVersion":"policy/v1","kind":"Eviction",
                        "metadata":{"name":"p","namespace":"default"}})"));
  ASSERT_EQ(r.code, 201) << r.body.dump();
  EXPECT_EQ(r.body, J(R"({"kind":"Status","apiVersion":"v1","metadata":{},
                          "status":"Success","code":201})"));
  Response pod = Do(Verb::kGet, kPods, "p", "");
  ASSERT_EQ(pod.code, 200);  // bound and running: graceful, the kubelet finishes it
  EXPECT_TRUE(pod.body["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(pod.body["metadata"]["deletionGracePeriodSeconds"], 30);
  bool found = false;
  for (const auto& c : pod.body["status"]["conditions"]) {
    if (c["type"] != "DisruptionTarget") continue;
    found = true;
    EXPECT_EQ(c["status"], "True");
    EXPECT_EQ(c["reason"], "EvictionByEvictionAPI");
    EXPECT_EQ(c["message"], "Eviction API: evicting");
  }
  EXPECT_TRUE(found) << pod.body.dump();
}

TEST_F(SubresourcesTest, EvictionErrors) {
  CreatePod(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}})");
  Response r = Do(Verb::kCreate, kPods, "p", "eviction", J(R"({"metadata":{"name":"other"}})"));
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(r.body["message"], "name in URL does not match name in Eviction object");
  r = Do(Verb::kCreate, kPods, "nope", "eviction", J(R"({"metadata":{"name":"nope"}})"));
  EXPECT_EQ(r.code, 404);
  EXPECT_EQ(r.body["message"], "pods \"nope\" not found");
  // An unscheduled pod goes at once.
  r = Do(Verb::kCreate, kPods, "p", "eviction", J(R"({"metadata":{"name":"p"}})"));
  EXPECT_EQ(r.code, 201);
  EXPECT_EQ(Do(Verb::kGet, kPods, "p", "").code, 404);
}

// eviction.go checkAndDecrement: a running, ready pod under a PDB.
TEST_F(SubresourcesTest, EvictionChecksAndDecrementsTheDisruptionBudget) {
  const GroupVersionResource pdbs{"policy", "v1", "poddisruptionbudgets"};
  CreatePod(R"({"metadata":{"name":"p","labels":{"app":"web"}},
                "spec":{"containers":[{"name":"c","image":"nginx"}]}})");
  Bind("p");
  Object pod = Do(Verb::kGet, kPods, "p", "").body;
  pod["status"]["phase"] = "Running";
  pod["status"]["conditions"] = J(R"([{"type":"Ready","status":"True"}])");
  ASSERT_EQ(Do(Verb::kUpdate, kPods, "p", "status", pod).code, 200);
  ASSERT_EQ(
      Do(Verb::kCreate, pdbs, "", "", J(R"({"metadata":{"name":"web"},"spec":{"minAvailable":1,
                     "selector":{"matchLabels":{"app":"web"}}}})"))
          .code,
      201);
  // What the disruption controller would write: one healthy of one needed.
  auto set_status = [&](int allowed, int generation) {
    Object pdb = Do(Verb::kGet, pdbs, "web", "").body;
    pdb["status"] = {{"observedGeneration", generation},
                     {"disruptionsAllowed", allowed},
                     {"currentHealthy", 1},
                     {"desiredHealthy", 1},
                     {"expectedPods", 1}};
    ASSERT_EQ(Do(Verb::kUpdate, pdbs, "web", "status", pdb).code, 200);
  };
  const Object evict = J(R"({"metadata":{"name":"p"}})");
  Response r = Do(Verb::kCreate, kPods, "p", "eviction", evict);
  EXPECT_EQ(r.code, 429) << r.body.dump();
  EXPECT_EQ(r.body["reason"], "TooManyRequests");
  EXPECT_EQ(r.body["message"], "Cannot evict pod as it would violate the pod's disruption budget.");
  EXPECT_EQ(r.body["details"]["causes"][0]["reason"], "DisruptionBudget");
  EXPECT_EQ(r.body["details"]["causes"][0]["message"],
            "The disruption budget web is still being processed by the server.");
  EXPECT_EQ(r.body["details"]["retryAfterSeconds"], 10);
  set_status(0, 1);
  r = Do(Verb::kCreate, kPods, "p", "eviction", evict);
  EXPECT_EQ(r.code, 429) << r.body.dump();
  EXPECT_EQ(r.body["details"]["causes"][0]["message"],
            "The disruption budget web needs 1 healthy pods and has 1 currently");
  EXPECT_FALSE(Do(Verb::kGet, kPods, "p", "").body["metadata"].contains("deletionTimestamp"));
  set_status(1, 1);
  Request dry;
  dry.verb = Verb::kCreate;
  dry.gvr = kPods;
  dry.namespace_ = "default";
  dry.name = "p";
  dry.subresource = "eviction";
  dry.body = evict;
  dry.dry_run = true;
  EXPECT_EQ(server_->Handle(dry).code, 201);
  EXPECT_EQ(Do(Verb::kGet, pdbs, "web", "").body["status"]["disruptionsAllowed"], 1);
  r = Do(Verb::kCreate, kPods, "p", "eviction", evict);
  EXPECT_EQ(r.code, 201) << r.body.dump();
  Object status = Do(Verb::kGet, pdbs, "web", "").body["status"];
  EXPECT_EQ(status["disruptionsAllowed"], 0);
  EXPECT_TRUE(status["disruptedPods"].contains("p")) << status.dump();
  EXPECT_EQ(status["conditions"][0]["type"], "DisruptionAllowed");
  EXPECT_EQ(status["conditions"][0]["status"], "False");
  EXPECT_EQ(status["conditions"][0]["reason"], "InsufficientPods");
  // A second matching PDB: upstream's bare 500.
  CreatePod(R"({"metadata":{"name":"q","labels":{"app":"web"}},
                "spec":{"containers":[{"name":"c","image":"nginx"}]}})");
  Bind("q");
  Object q = Do(Verb::kGet, kPods, "q", "").body;
  q["status"]["phase"] = "Running";
  ASSERT_EQ(Do(Verb::kUpdate, kPods, "q", "status", q).code, 200);
  ASSERT_EQ(
      Do(Verb::kCreate, pdbs, "", "", J(R"({"metadata":{"name":"all"},"spec":{"maxUnavailable":1,
                     "selector":{"matchExpressions":[{"key":"app","operator":"Exists"}]}}})"))
          .code,
      201);
  r = Do(Verb::kCreate, kPods, "q", "eviction", J(R"({"metadata":{"name":"q"}})"));
  EXPECT_EQ(r.code, 500) << r.body.dump();
  EXPECT_EQ(r.body["message"],
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does "
            "not support.");
  EXPECT_FALSE(r.body.contains("reason"));
}

TEST_F(SubresourcesTest, LogChoosesTheContainerLikeKubeApiserver) {
  CreatePod(R"({"metadata":{"name":"two"},"spec":{
      "initContainers":[{"name":"init","image":"busybox"}],
      "containers":[{"name":"a","image":"nginx"},{"name":"b","image":"nginx"}]}})");
  Response r = Log("two");
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(r.body["message"],
            "a container name must be specified for pod two, choose one of: [a b] or one of the "
            "init containers: [init]");
  r = Log("two", "zzz");
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(r.body["message"], "container zzz is not valid for pod two");
  // Not scheduled yet: an empty stream.
  r = Log("two", "a");
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.content_type, "text/plain");
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(Log("nope").code, 404);
}

TEST_F(SubresourcesTest, LogOfAScheduledPodFollowsContainerState) {
  CreatePod(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}})");
  Bind("p");
  Response r = Log("p");
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(r.body["message"], "container \"c\" in pod \"p\" is not available");
  Response pod = Do(Verb::kGet, kPods, "p", "");
  Object status = pod.body;
  status["status"]["containerStatuses"] = J(R"([{"name":"c","ready":false,"restartCount":0,
      "image":"nginx","imageID":"","started":false,
      "state":{"waiting":{"reason":"ContainerCreating"}}}])");
  ASSERT_EQ(Do(Verb::kUpdate, kPods, "p", "status", status).code, 200);
  r = Log("p");
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(r.body["message"],
            "container \"c\" in pod \"p\" is waiting to start: ContainerCreating");
  status = Do(Verb::kGet, kPods, "p", "").body;
  status["status"]["containerStatuses"][0]["state"] =
      J(R"({"running":{"startedAt":"2025-01-01T00:00:05Z"}})");
  ASSERT_EQ(Do(Verb::kUpdate, kPods, "p", "status", status).code, 200);
  r = Log("p");
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, "");  // simulated containers print nothing
  r = Log("p", "", /*previous=*/true);
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(r.body["message"], "previous terminated container \"c\" in pod \"p\" not found");
}

TEST_F(SubresourcesTest, DiscoveryDescribesSubresources) {
  const ResourceRegistry& reg = server_->registry();
  const ResourceInfo& pods = reg.Find(kPods)->info();
  SubresourceDiscovery e = DescribeSubresource(pods, "eviction");
  EXPECT_EQ(e.group, "policy");
  EXPECT_EQ(e.version, "v1");
  EXPECT_EQ(e.kind, "Eviction");
  EXPECT_EQ(e.verbs, std::vector<std::string>{"create"});
  SubresourceDiscovery s = DescribeSubresource(reg.Find(kDeployments)->info(), "scale");
  EXPECT_EQ(s.group, "autoscaling");
  EXPECT_EQ(s.kind, "Scale");
  EXPECT_EQ(s.verbs, (std::vector<std::string>{"get", "patch", "update"}));
  EXPECT_EQ(DescribeSubresource(pods, "log").verbs, std::vector<std::string>{"get"});
  EXPECT_EQ(DescribeSubresource(pods, "status").kind, "Pod");
}

TEST_F(SubresourcesTest, EvictionDryRunChangesNothing) {
  CreatePod(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}})");
  Bind("p");
  store::Revision before = store_->CurrentRevision();
  Request r;
  r.verb = Verb::kCreate;
  r.gvr = kPods;
  r.namespace_ = "default";
  r.name = "p";
  r.subresource = "eviction";
  r.body = J(R"({"metadata":{"name":"p"},"deleteOptions":{"dryRun":["All"]}})");
  EXPECT_EQ(server_->Handle(r).code, 201);
  EXPECT_EQ(store_->CurrentRevision(), before);
  Response pod = Do(Verb::kGet, kPods, "p", "");
  EXPECT_FALSE(pod.body["metadata"].contains("deletionTimestamp"));
  // A grace period of 0 in the Eviction's deleteOptions removes it at once.
  r.body = J(R"({"metadata":{"name":"p"},"deleteOptions":{"gracePeriodSeconds":0}})");
  EXPECT_EQ(server_->Handle(r).code, 201);
  EXPECT_EQ(Do(Verb::kGet, kPods, "p", "").code, 404);
}

}  // namespace
}  // namespace kubesim::api
