// `create deployment` and `expose` in the shell build the objects the real
// kubectl v1.32 builds (compared with `kubectl create deployment ...
// --dry-run=client -o json` and `kubectl expose ... --dry-run=client -o
// json` against `kubesim serve`).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

TEST(ImperativeCommandsTest, CreateDeploymentAsKubectl) {
  ShellHarness h;
  auto r = h.Run(
      "create deployment hello --image=registry.k8s.io/e2e-test-images/agnhost:2.39 "
      "--image=nginx:1.25 --replicas=2 --port=8080");
  EXPECT_EQ(r.out, "deployment.apps/hello created\n") << r.err;
  auto d = nlohmann::json::parse(h.Run("get deployment hello -o json").out);
  EXPECT_EQ(d["metadata"]["labels"], nlohmann::json({{"app", "hello"}}));
  EXPECT_EQ(d["spec"]["replicas"], 2);
  EXPECT_EQ(d["spec"]["selector"]["matchLabels"], nlohmann::json({{"app", "hello"}}));
  EXPECT_EQ(d["spec"]["template"]["metadata"]["labels"], nlohmann::json({{"app", "hello"}}));
  const auto& c = d["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0]["name"], "agnhost");
  EXPECT_EQ(c[0]["ports"][0]["containerPort"], 8080);
  EXPECT_EQ(c[1]["name"], "nginx");
  EXPECT_FALSE(c[1].contains("ports"));
  // The managers kubectl would leave.
  auto full =
      nlohmann::json::parse(h.Run("get deployment hello -o json --show-managed-fields").out);
  bool by_kubectl_create = false;
  for (const auto& m : full["metadata"]["managedFields"]) {
    by_kubectl_create = by_kubectl_create || m["manager"] == "kubectl-create";
  }
  EXPECT_TRUE(by_kubectl_create) << full["metadata"]["managedFields"].dump();

  EXPECT_EQ(h.Run("create deployment x").err, "error: required flag(s) \"image\" not set\n");
  EXPECT_EQ(h.Run("create deployment hello --image nginx").err,
            "Error from server (AlreadyExists): deployments.apps \"hello\" already exists\n");
  EXPECT_EQ(
      h.Run("create deployment Bad --image nginx")
          .err.rfind("The Deployment \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\"", 0),
      0u);
}

TEST(ImperativeCommandsTest, ExposeAsKubectl) {
  ShellHarness h;
  h.Run("create deployment hello --image=nginx --port=80");
  EXPECT_EQ(h.Run("expose deployment hello").out, "service/hello exposed\n");
  auto svc = nlohmann::json::parse(h.Run("get svc hello -o json").out);
  EXPECT_EQ(svc["metadata"]["labels"], nlohmann::json({{"app", "hello"}}));
  EXPECT_EQ(svc["spec"]["selector"], nlohmann::json({{"app", "hello"}}));
  EXPECT_EQ(svc["spec"]["ports"],
            nlohmann::json::parse(R"([{"port":80,"protocol":"TCP","targetPort":80}])"));
  EXPECT_EQ(
      h.Run("expose deployment hello --port=8080 --target-port=80 --type=NodePort --name=web").out,
      "service/web exposed\n");
  svc = nlohmann::json::parse(h.Run("get svc web -o json").out);
  EXPECT_EQ(svc["spec"]["type"], "NodePort");
  EXPECT_EQ(svc["spec"]["ports"][0]["port"], 8080);
  EXPECT_EQ(svc["spec"]["ports"][0]["targetPort"], 80);
  h.Run("sleep 10");
  EXPECT_EQ(h.Run("curl web:8080").out.rfind("Hello, hello-", 0), 0u);

  // Several ports, one with two protocols: kubectl's port-N[-proto] names.
  h.SetStdin(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dns\nspec:\n  selector:\n"
      "    matchLabels:\n      app: dns\n  template:\n    metadata:\n      labels:\n"
      "        app: dns\n    spec:\n      containers:\n      - name: c\n        image: coredns\n"
      "        ports:\n        - containerPort: 53\n          protocol: UDP\n"
      "        - containerPort: 53\n          protocol: TCP\n        - containerPort: 9153\n");
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  ASSERT_EQ(h.Run("expose deployment dns").code, 0);
  svc = nlohmann::json::parse(h.Run("get svc dns -o json").out);
  EXPECT_EQ(
      svc["spec"]["ports"],
      nlohmann::json::parse(R"([{"name":"port-1-udp","port":53,"protocol":"UDP","targetPort":53},
                                      {"name":"port-1-tcp","port":53,"protocol":"TCP","targetPort":53},
                                      {"name":"port-2","port":9153,"protocol":"TCP","targetPort":9153}])"));

  h.Run("create deployment noport --image nginx");
  EXPECT_EQ(h.Run("expose deploy noport").err,
            "error: couldn't find port via --port flag or introspection\n"
            "See 'kubectl expose -h' for help and examples\n");
  EXPECT_EQ(h.Run("expose deploy nope").err,
            "Error from server (NotFound): deployments.apps \"nope\" not found\n");
  EXPECT_EQ(h.Run("expose deployment hello").err,
            "Error from server (AlreadyExists): services \"hello\" already exists\n");
}

}  // namespace
}  // namespace kubesim
