// PATCH through ApiServer::Handle: strategic merge (as kubectl apply, set
// image, rollout restart, cordon, taint send it), JSON patch, JSON merge
// patch, and how kube-apiserver answers a failing patch; dryRun=All on every
// write. Expected messages are kube-apiserver 1.32's.
#include <gtest/gtest.h>

#include "api_server_fixture.h"
#include "kubesim/api/api_server.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/cluster/cluster.h"
#include "shell_test_util.h"

namespace kubesim::api {
namespace {

Object J(const char* text) { return Object::parse(text); }

class ApiPatchTest : public testing::ApiServerFixture {
 protected:
  Response Patch(const GroupVersionResource& gvr, const std::string& name, const char* type,
                 Object body, const std::string& sub = "", bool dry_run = false) {
    Request r;
    r.verb = Verb::kPatch;
    r.gvr = gvr;
    r.namespace_ = gvr == kNodes ? "" : "default";
    r.name = name;
    r.subresource = sub;
    r.content_type = type;
    r.body = std::move(body);
    r.dry_run = dry_run;
    return server_->Handle(r);
  }
  Response Create(const GroupVersionResource& gvr, Object body, bool dry_run = false) {
    Request r;
    r.verb = Verb::kCreate;
    r.gvr = gvr;
    r.namespace_ = gvr == kNodes ? "" : "default";
    r.body = std::move(body);
    r.dry_run = dry_run;
    return server_->Handle(r);
  }
  Response Get(const GroupVersionResource& gvr, const std::string& name,
               const std::string& sub = "") {
    Request r;
    r.verb = Verb::kGet;
    r.gvr = gvr;
    r.namespace_ = gvr == kNodes ? "" : "default";
    r.name = name;
    r.subresource = sub;
    return server_->Handle(r);
  }

  static Object Deployment() {
    return J(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
      "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
        "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
          {"name":"web","image":"nginx:1.26","env":[{"name":"A","value":"1"}]},
          {"name":"log","image":"busybox"}]}}}})");
  }
};

TEST_F(ApiPatchTest, StrategicPatchMergesContainersByName) {
  ASSERT_EQ(Create(kDeployments, Deployment()).code, 201);
  // kubectl set image deployment/web web=nginx:1.27 (CreateTwoWayMergePatch).
  Response r = Patch(kDeployments, "web", kStrategicMergePatch, J(R"({"spec":{"template":{"spec":{
      "$setElementOrder/containers":[{"name":"web"},{"name":"log"}],
      "containers":[{"image":"nginx:1.27","name":"web"}]}}}})"));
  ASSERT_EQ(r.code, 200) << r.body.dump();
  const Object& containers = r.body["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(containers.size(), 2u);
  EXPECT_EQ(containers[0]["image"], "nginx:1.27");
  EXPECT_EQ(containers[0]["env"], J(R"([{"name":"A","value":"1"}])"));
  EXPECT_EQ(containers[1]["name"], "log");
  // A JSON merge patch replaces the whole list instead.
  r = Patch(kDeployments, "web", kMergePatch,
            J(R"({"spec":{"template":{"spec":{"containers":[{"name":"web","image":"x"}]}}}})"));
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(r.body["spec"]["template"]["spec"]["containers"].size(), 1u);
}

TEST_F(ApiPatchTest, RolloutRestartAndApplyAnnotations) {
  ASSERT_EQ(Create(kDeployments, Deployment()).code, 201);
  // kubectl rollout restart (polymorphichelpers/objectrestarter.go).
  Response r = Patch(kDeployments, "web", kStrategicMergePatch,
                     J(R"({"spec":{"template":{"metadata":{"annotations":{
      "kubectl.kubernetes.io/restartedAt":"2025-01-01T00:00:00Z"}}}}})"));
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(
      r.body["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"],
      "2025-01-01T00:00:00Z");
  EXPECT_EQ(r.body["spec"]["template"]["metadata"]["labels"]["app"], "web");
  EXPECT_EQ(r.body["metadata"]["generation"], 2);
}

TEST_F(ApiPatchTest, KubectlApplyGetThenThreeWayPatch) {
  // kubectl apply: create with the last-applied annotation, then GET and a
  // three-way strategic patch that removes a container the last applied
  // configuration had ($patch: delete) and changes replicas.
  Object d = Deployment();
  d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      Deployment().dump() + "\n";
  ASSERT_EQ(Create(kDeployments, d).code, 201);
  ASSERT_EQ(Get(kDeployments, "web").code, 200);
  Response r = Patch(kDeployments, "web", kStrategicMergePatch, J(R"({
      "metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},
      "spec":{"replicas":3,"template":{"spec":{
        "$setElementOrder/containers":[{"name":"web"}],
        "containers":[{"$patch":"delete","name":"log"}]}}}})"));
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(r.body["spec"]["replicas"], 3);
  ASSERT_EQ(r.body["spec"]["template"]["spec"]["containers"].size(), 1u);
  EXPECT_EQ(r.body["spec"]["template"]["spec"]["containers"][0]["name"], "web");
  EXPECT_EQ(r.body["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"],
            "{}\n");
}

TEST_F(ApiPatchTest, CordonAndTaintPatchANode) {
  ASSERT_EQ(Create(kNodes, J(R"({"metadata":{"name":"n1"},"spec":{"taints":[
      {"key":"a","effect":"NoSchedule"}]}})"))
                .code,
            201);
  // kubectl cordon (drain.go RunCordonOrUncordon).
  Response r = Patch(kNodes, "n1", kStrategicMergePatch, J(R"({"spec":{"unschedulable":true}})"));
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(r.body["spec"]["unschedulable"], true);
  // kubectl taint: the whole new list (taints are not merged by key).
  r = Patch(kNodes, "n1", kStrategicMergePatch, J(R"({"spec":{"taints":[
      {"key":"b","value":"1","effect":"NoExecute"}]}})"));
  ASSERT_EQ(r.code, 200) << r.body.dump();
  ASSERT_EQ(r.body["spec"]["taints"].size(), 1u);
  EXPECT_EQ(r.body["spec"]["taints"][0]["key"], "b");
}

TEST_F(ApiPatchTest, JsonPatchOperations) {
  ASSERT_EQ(Create(kDeployments, Deployment()).code, 201);
  Response r = Patch(kDeployments, "web", kJsonPatch, J(R"([
      {"op":"test","path":"/spec/replicas","value":2},
      {"op":"replace","path":"/spec/replicas","value":4},
      {"op":"add","path":"/metadata/annotations","value":{}},
      {"op":"add","path":"/metadata/annotations/example.com~1team","value":"a~b"},
      {"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"c3","image":"x"}},
      {"op":"copy","from":"/spec/template/spec/containers/0/image","path":"/metadata/labels"},
      {"op":"remove","path":"/metadata/labels"},
      {"op":"move","from":"/spec/template/spec/containers/1","path":"/spec/template/spec/containers/0"},
      {"op":"remove","path":"/spec/template/spec/containers/0/image"},
      {"op":"add","path":"/spec/template/spec/containers/0/image","value":"busybox:1"}])"));
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(r.body["spec"]["replicas"], 4);
  EXPECT_EQ(r.body["metadata"]["annotations"]["example.com/team"], "a~b");
  const Object& c = r.body["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0]["name"], "log");
  EXPECT_EQ(c[0]["image"], "busybox:1");
  EXPECT_EQ(c[1]["name"], "web");
  EXPECT_EQ(c[2]["name"], "c3");
}

TEST_F(ApiPatchTest, FailingPatchesAnswerAsKubeApiserver) {
  ASSERT_EQ(Create(kDeployments, Deployment()).code, 201);
  std::string rv = ResourceVersion(Get(kDeployments, "web").body);
  // A failed "test" (or any op that does not apply): 422 with the generic
  // message (errors.NewGenericServerResponse drops the library's text).
  Response r = Patch(kDeployments, "web", kJsonPatch,
                     J(R"([{"op":"test","path":"/spec/replicas","value":5}])"));
  EXPECT_EQ(r.code, 422);
  EXPECT_EQ(r.body["reason"], "Invalid");
  EXPECT_EQ(r.body["message"], "the server rejected our request due to an error in our request");
  r = Patch(kDeployments, "web", kJsonPatch,
            J(R"([{"op":"replace","path":"/spec/nope/x","value":1}])"));
  EXPECT_EQ(r.code, 422);
  r = Patch(kDeployments, "web", kJsonPatch,
            J(R"([{"op":"add","path":"/spec/template/spec/containers/9","value":{}}])"));
  EXPECT_EQ(r.code, 422);
  r = Patch(kDeployments, "web", kJsonPatch, J(R"([{"op":"frobnicate","path":"/spec"}])"));
  EXPECT_EQ(r.code, 422);
  // Not a JSON patch document: 400 with encoding/json's text.
  r = Patch(kDeployments, "web", kJsonPatch, J(R"({"op":"add"})"));
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(r.body["message"],
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  // A strategic patch without a merge key: strategicpatch's error, 500.
  r = Patch(kDeployments, "web", kStrategicMergePatch,
            J(R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})"));
  EXPECT_EQ(r.code, 500);
  EXPECT_EQ(r.body["message"], "map: map[image:x] does not contain declared merge key: name");
  // Patching a missing object: 404.
  r = Patch(kDeployments, "nope", kMergePatch, J(R"({"spec":{"replicas":1}})"));
  EXPECT_EQ(r.code, 404);
  EXPECT_EQ(r.body["message"], "deployments.apps \"nope\" not found");
  // A patch that makes the object invalid: 422 from validation.
  r = Patch(kDeployments, "web", kMergePatch, J(R"({"spec":{"replicas":-1}})"));
  EXPECT_EQ(r.code, 422);
  EXPECT_EQ(r.body["message"],
            "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be "
            "greater than or equal to 0");
  // An unknown patch type: 415.
  r = Patch(kDeployments, "web", "application/xml", J(R"({})"));
  EXPECT_EQ(r.code, 415);
  // Nothing above changed the object.
  EXPECT_EQ(ResourceVersion(Get(kDeployments, "web").body), rv);
}

TEST_F(ApiPatchTest, MergePatchFollowsRfc7386) {
  ASSERT_EQ(Create(kPods, J(R"({"metadata":{"name":"p","labels":{"a":"1","b":"2"}},
      "spec":{"containers":[{"name":"c","image":"nginx"}]}})"))
                .code,
            201);
  // kubectl label p b- c=3 sends a merge patch.
  Response r = Patch(kPods, "p", kMergePatch, J(R"({"metadata":{"labels":{"b":null,"c":"3"}}})"));
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(r.body["metadata"]["labels"], J(R"({"a":"1","c":"3"})"));
  r = Patch(kPods, "p", kMergePatch, J(R"([1,2])"));
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(r.body["message"], "Invalid JSON Patch");
}

TEST_F(ApiPatchTest, DryRunPersistsNothing) {
  store::Revision before = store_->CurrentRevision();
  Response r = Create(kDeployments, Deployment(), /*dry_run=*/true);
  ASSERT_EQ(r.code, 201) << r.body.dump();
  EXPECT_EQ(r.body["metadata"]["name"], "web");
  EXPECT_EQ(store_->CurrentRevision(), before);
  EXPECT_EQ(Get(kDeployments, "web").code, 404);

  ASSERT_EQ(Create(kDeployments, Deployment()).code, 201);
  before = store_->CurrentRevision();
  r = Patch(kDeployments, "web", kMergePatch, J(R"({"spec":{"replicas":7}})"), "", true);
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(r.body["spec"]["replicas"], 7);
  EXPECT_EQ(store_->CurrentRevision(), before);
  EXPECT_EQ(Get(kDeployments, "web").body["spec"]["replicas"], 2);

  Request del;
  del.verb = Verb::kDelete;
  del.gvr = kDeployments;
  del.namespace_ = "default";
  del.name = "web";
  del.dry_run = true;
  EXPECT_EQ(server_->Handle(del).code, 200);
  EXPECT_EQ(store_->CurrentRevision(), before);
  EXPECT_EQ(Get(kDeployments, "web").code, 200);
}

TEST_F(ApiPatchTest, FieldValidationStrictWarnIgnore) {
  Object d = Deployment();
  d["spec"]["foo"] = 1;
  d["spec"]["template"]["spec"]["containers"][0]["bar"] = true;
  Request r;
  r.verb = Verb::kCreate;
  r.gvr = kDeployments;
  r.namespace_ = "default";
  r.body = d;
  r.field_validation = "Strict";
  Response resp = server_->Handle(r);
  EXPECT_EQ(resp.code, 400);
  EXPECT_EQ(resp.body["reason"], "BadRequest");
  EXPECT_EQ(resp.body["message"],
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding "
            "error: unknown field \"spec.foo\", unknown field "
            "\"spec.template.spec.containers[0].bar\"");
  EXPECT_EQ(Get(kDeployments, "web").code, 404);
  // Warn (the default): created, the fields dropped, one warning each.
  r.field_validation = "";
  resp = server_->Handle(r);
  ASSERT_EQ(resp.code, 201) << resp.body.dump();
  EXPECT_EQ(resp.warnings,
            (std::vector<std::string>{"unknown field \"spec.foo\"",
                                      "unknown field \"spec.template.spec.containers[0].bar\""}));
  EXPECT_FALSE(resp.body["spec"].contains("foo"));
  EXPECT_FALSE(Get(kDeployments, "web").body["spec"].contains("foo"));
  // Ignore: silently dropped.
  r.field_validation = "Ignore";
  r.body["metadata"]["name"] = "web2";
  resp = server_->Handle(r);
  ASSERT_EQ(resp.code, 201);
  EXPECT_TRUE(resp.warnings.empty());
  EXPECT_FALSE(resp.body["spec"].contains("foo"));
  // A patch adding an unknown field: Strict is a 422 on "patch".
  Request p;
  p.verb = Verb::kPatch;
  p.gvr = kDeployments;
  p.namespace_ = "default";
  p.name = "web";
  p.content_type = kStrategicMergePatch;
  p.body = J(R"({"spec":{"foo":1}})");
  p.field_validation = "Strict";
  resp = server_->Handle(p);
  EXPECT_EQ(resp.code, 422);
  EXPECT_EQ(resp.body["message"],
            " \"\" is invalid: patch: Invalid value: \"map[spec:map[foo:1]]\": strict decoding "
            "error: unknown field \"spec.foo\"");
  p.field_validation = "Warn";
  resp = server_->Handle(p);
  EXPECT_EQ(resp.code, 200);
  EXPECT_EQ(resp.warnings, std::vector<std::string>{"unknown field \"spec.foo\""});
  // An unsupported value is refused (ValidatePatchOptions).
  p.field_validation = "Loose";
  resp = server_->Handle(p);
  EXPECT_EQ(resp.code, 422);
  EXPECT_EQ(resp.body["message"],
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: "
            "\"Loose\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
  // Fields of unchecked subtrees (status, volumes, ...) are kept as sent.
  Object pod = J(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x"}],
      "volumes":[{"name":"v","emptyDir":{},"whatever":1}]}})");
  resp = Create(kPods, pod);
  ASSERT_EQ(resp.code, 201) << resp.body.dump();
  EXPECT_TRUE(resp.warnings.empty());
}

TEST_F(ApiPatchTest, ServerSideApplyCreatesThenMerges) {
  Request r;
  r.verb = Verb::kPatch;
  r.gvr = kDeployments;
  r.namespace_ = "default";
  r.name = "web";
  r.content_type = kApplyPatch;
  r.body = Deployment();
  // fieldManager is required (kubectl sends "kubectl").
  Response resp = server_->Handle(r);
  EXPECT_EQ(resp.code, 422);
  EXPECT_EQ(resp.body["message"],
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required "
            "for apply patch");
  r.field_manager = "kubectl";
  resp = server_->Handle(r);
  ASSERT_EQ(resp.code, 201) << resp.body.dump();
  EXPECT_EQ(resp.body["spec"]["replicas"], 2);
  // Another manager applies YAML text with a new replica count and image:
  // they are "kubectl"'s, so it forces; what it does not mention stays
  // (the fields are still kubectl's, tests/field_manager_test.cc).
  r.field_manager = "ci";
  r.force = true;
  r.body =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
      "  replicas: 4\n  template:\n    spec:\n      containers:\n      - name: web\n"
      "        image: nginx:1.27\n";
  resp = server_->Handle(r);
  ASSERT_EQ(resp.code, 200) << resp.body.dump();
  EXPECT_EQ(resp.body["spec"]["replicas"], 4);
  const Object& c = resp.body["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0]["image"], "nginx:1.27");
  EXPECT_EQ(c[0]["env"], J(R"([{"name":"A","value":"1"}])"));
  // The applied kind must match the resource.
  r.body = J(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"}})");
  EXPECT_EQ(server_->Handle(r).code, 400);
}

// The shell's patch (strategic by default, as kubectl) and scale (through the
// scale subresource) on a running cluster.
TEST(ShellPatchTest, StrategicPatchMergesContainersAndScaleUsesTheSubresource) {
  testing::ShellHarness h;
  h.SetStdin(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
      "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
      "      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n"
      "        image: nginx:1.26\n      - name: side\n        image: busybox\n");
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  auto r = h.Run(
      "patch deployment web -p "
      "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\","
      "\"env\":[{\"name\":\"X\",\"value\":\"1\"}]}]}}}}'");
  EXPECT_EQ(r.out, "deployment.apps/web patched\n") << r.err;
  r = h.Run("get deployment web -o json");
  Object d = Object::parse(r.out);
  const Object& c = d["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0]["image"], "nginx:1.26");
  EXPECT_EQ(c[0]["env"], J(R"([{"name":"X","value":"1"}])"));
  EXPECT_EQ(c[1]["name"], "side");
  r = h.Run("scale deployment web --replicas 3");
  EXPECT_EQ(r.out, "deployment.apps/web scaled\n") << r.err;
  EXPECT_EQ(Object::parse(h.Run("get deployment web -o json").out)["spec"]["replicas"], 3);
  r = h.Run(
      "patch deployment web -p "
      "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"x\"}]}}}}'");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error from server: map: map[image:x] does not contain declared merge key: name\n");
}

TEST(ShellPatchTest, CreateWithAnUnknownFieldFailsAsKubectlStrictValidation) {
  testing::ShellHarness h;
  h.SetStdin(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 2\n"
      "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
      "      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n"
      "        image: nginx:1.26\n");
  auto r = h.Run("create -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error from server (BadRequest): error when creating \"STDIN\": Deployment in version "
            "\"v1\" cannot be handled as a Deployment: strict decoding error: unknown field "
            "\"spec.replica\"\n");
  EXPECT_EQ(h.Run("get deployments").err, "No resources found in default namespace.\n");
}

}  // namespace
}  // namespace kubesim::api
