// Strategic merge patch (kubesim/api/patch.h). Cases follow
// k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go and the patches
// kubectl 1.32 sends (apply's three-way patch, set image, rollout restart,
// cordon, taint).
#include <gtest/gtest.h>

#include "kubesim/api/patch.h"

namespace kubesim::api {
namespace {

Object J(const char* text) { return Object::parse(text); }

Object MustPatch(const char* doc, const char* patch, const std::string& kind = "Pod") {
  auto r = ApplyStrategicMergePatch(J(doc), J(patch), kind);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Object();
}

constexpr char kPod[] = R"({
  "metadata": {"name": "web", "labels": {"app": "web", "tier": "fe"},
               "finalizers": ["a", "b"]},
  "spec": {
    "containers": [
      {"name": "app", "image": "nginx:1.26",
       "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
       "ports": [{"containerPort": 80, "protocol": "TCP"}]},
      {"name": "sidecar", "image": "busybox", "args": ["sleep", "1d"]}
    ],
    "tolerations": [{"key": "x", "operator": "Exists"}, {"key": "y", "operator": "Exists"}]
  },
  "status": {"conditions": [{"type": "Ready", "status": "False"},
                            {"type": "PodScheduled", "status": "True"}]}
})";

TEST(StrategicMergeTest, ContainersMergeByName) {
  Object out = MustPatch(kPod, R"({"spec":{"containers":[{"name":"sidecar","image":"alpine"}]}})");
  ASSERT_EQ(out["spec"]["containers"].size(), 2u);
  EXPECT_EQ(out["spec"]["containers"][0]["name"], "app");
  EXPECT_EQ(out["spec"]["containers"][0]["image"], "nginx:1.26");
  EXPECT_EQ(out["spec"]["containers"][1]["image"], "alpine");
  // Untouched fields of the merged element stay.
  EXPECT_EQ(out["spec"]["containers"][1]["args"], J(R"(["sleep","1d"])"));
}

TEST(StrategicMergeTest, NewElementGoesFirstWithoutSetElementOrder) {
  Object out = MustPatch(kPod, R"({"spec":{"containers":[{"name":"new","image":"x"}]}})");
  ASSERT_EQ(out["spec"]["containers"].size(), 3u);
  // normalizeElementOrder: a patch item not in the live list goes first,
  // then the server-only items in their live order.
  EXPECT_EQ(out["spec"]["containers"][0]["name"], "new");
  EXPECT_EQ(out["spec"]["containers"][1]["name"], "app");
  EXPECT_EQ(out["spec"]["containers"][2]["name"], "sidecar");
}

TEST(StrategicMergeTest, NestedEnvAndPortsMergeByTheirKeys) {
  Object out = MustPatch(kPod, R"({"spec":{"containers":[{"name":"app",
      "env":[{"name":"B","value":"20"},{"name":"C","value":"3"}],
      "ports":[{"containerPort":80,"name":"http"}]}]}})");
  const Object& app = out["spec"]["containers"][0];
  EXPECT_EQ(app["env"], J(R"([{"name":"A","value":"1"},{"name":"B","value":"20"},
                              {"name":"C","value":"3"}])"));
  EXPECT_EQ(app["ports"], J(R"([{"containerPort":80,"name":"http","protocol":"TCP"}])"));
}

TEST(StrategicMergeTest, DeleteDirectiveRemovesListElement) {
  Object out = MustPatch(kPod, R"({"spec":{"containers":[{"name":"app","$patch":"delete"}]}})");
  ASSERT_EQ(out["spec"]["containers"].size(), 1u);
  EXPECT_EQ(out["spec"]["containers"][0]["name"], "sidecar");
}

TEST(StrategicMergeTest, ReplaceDirectiveInListReplacesTheList) {
  Object out = MustPatch(
      kPod, R"({"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}})");
  EXPECT_EQ(out["spec"]["containers"], J(R"([{"name":"only","image":"x"}])"));
}

TEST(StrategicMergeTest, ReplaceAndDeleteDirectivesOnMaps) {
  Object out = MustPatch(kPod, R"({"metadata":{"labels":{"x":"1","$patch":"replace"}}})");
  EXPECT_EQ(out["metadata"]["labels"], J(R"({"x":"1"})"));
  out = MustPatch(kPod, R"({"metadata":{"labels":{"$patch":"delete"}}})");
  EXPECT_EQ(out["metadata"]["labels"], Object::object());
}

TEST(StrategicMergeTest, NullDeletesAField) {
  Object out = MustPatch(kPod, R"({"metadata":{"labels":{"tier":null,"missing":null}}})");
  EXPECT_EQ(out["metadata"]["labels"], J(R"({"app":"web"})"));
}

TEST(StrategicMergeTest, UntaggedListsAreReplaced) {
  // PodSpec.Tolerations and Container.Args carry no patchStrategy.
  Object out = MustPatch(kPod, R"({"spec":{"tolerations":[{"key":"z","operator":"Exists"}],
      "containers":[{"name":"sidecar","args":["true"]}]}})");
  EXPECT_EQ(out["spec"]["tolerations"], J(R"([{"key":"z","operator":"Exists"}])"));
  EXPECT_EQ(out["spec"]["containers"][1]["args"], J(R"(["true"])"));
}

TEST(StrategicMergeTest, PrimitiveMergeListAndDeleteFromPrimitiveList) {
  // ObjectMeta.Finalizers is `patchStrategy:"merge"`.
  Object out = MustPatch(kPod, R"({"metadata":{"finalizers":["b","c"]}})");
  EXPECT_EQ(out["metadata"]["finalizers"], J(R"(["a","b","c"])"));
  out = MustPatch(kPod, R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})");
  EXPECT_EQ(out["metadata"]["finalizers"], J(R"(["b"])"));
}

TEST(StrategicMergeTest, SetElementOrderReordersTheList) {
  Object out = MustPatch(kPod, R"({"spec":{
      "$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],
      "containers":[{"name":"app","image":"nginx:1.27"}]}})");
  ASSERT_EQ(out["spec"]["containers"].size(), 2u);
  EXPECT_EQ(out["spec"]["containers"][0]["name"], "sidecar");
  EXPECT_EQ(out["spec"]["containers"][1]["name"], "app");
  EXPECT_EQ(out["spec"]["containers"][1]["image"], "nginx:1.27");
  EXPECT_FALSE(out["spec"].contains("$setElementOrder/containers"));
}

TEST(StrategicMergeTest, StatusConditionsMergeByType) {
  Object out = MustPatch(kPod, R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})");
  EXPECT_EQ(out["status"]["conditions"],
            J(R"([{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}])"));
}

TEST(StrategicMergeTest, RetainKeysClearsOtherKeys) {
  // What kubectl apply sends when a Deployment's strategy becomes Recreate
  // (DeploymentSpec.Strategy is `patchStrategy:"retainKeys"`).
  const char* deployment = R"({"spec":{"strategy":{"type":"RollingUpdate",
      "rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}})";
  Object out =
      MustPatch(deployment, R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})",
                "Deployment");
  EXPECT_EQ(out["spec"]["strategy"], J(R"({"type":"Recreate"})"));
  // A key in the patch missing from $retainKeys is a malformed patch.
  auto bad = ApplyStrategicMergePatch(
      J(deployment), J(R"({"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}})"),
      "Deployment");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(bad.status().message(), "invalid patch format of retainKeys");
}

TEST(StrategicMergeTest, KubectlApplyThreeWayPatchOnDeployment) {
  // kubectl apply changing the image: last-applied annotation +
  // $setElementOrder + the changed container (CreateThreeWayMergePatch).
  const char* live = R"({"metadata":{"name":"web","annotations":{
      "kubectl.kubernetes.io/last-applied-configuration":"{\"old\":true}\n",
      "deployment.kubernetes.io/revision":"1"}},
    "spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{
      "containers":[{"name":"web","image":"nginx:1.26","imagePullPolicy":"IfNotPresent"}]}}}})";
  Object out = MustPatch(live, R"({"metadata":{"annotations":{
      "kubectl.kubernetes.io/last-applied-configuration":"{\"new\":true}\n"}},
    "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
      "containers":[{"image":"nginx:1.27","name":"web"}]}}}})",
                         "Deployment");
  EXPECT_EQ(out["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(out["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"],
            "{\"new\":true}\n");
  EXPECT_EQ(out["spec"]["replicas"], 2);
  EXPECT_EQ(out["spec"]["template"]["spec"]["containers"],
            J(R"([{"name":"web","image":"nginx:1.27","imagePullPolicy":"IfNotPresent"}])"));
}

TEST(StrategicMergeTest, NodeTaintsAreReplacedAndPodCidrsMerged) {
  // kubectl taint sends the whole new taints list (NodeSpec.Taints is untagged).
  const char* node = R"({"spec":{"podCIDRs":["10.244.1.0/24"],
      "taints":[{"key":"a","effect":"NoSchedule"},{"key":"b","effect":"NoSchedule"}]}})";
  Object out = MustPatch(node, R"({"spec":{"taints":[{"key":"b","effect":"NoSchedule"}],
      "podCIDRs":["fd00::/64"],"unschedulable":true}})",
                         "Node");
  EXPECT_EQ(out["spec"]["taints"], J(R"([{"key":"b","effect":"NoSchedule"}])"));
  EXPECT_EQ(out["spec"]["unschedulable"], true);
  EXPECT_EQ(out["spec"]["podCIDRs"].size(), 2u);
}

TEST(StrategicMergeTest, ErrorsAreUpstreamWorded) {
  auto r =
      ApplyStrategicMergePatch(J(kPod), J(R"({"spec":{"containers":[{"image":"x"}]}})"), "Pod");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_EQ(r.status().message(), "map: map[image:x] does not contain declared merge key: name");

  r = ApplyStrategicMergePatch(J(kPod), J(R"({"metadata":{"labels":{"$patch":"foo"}}})"), "Pod");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "unknown patch type: foo in map: map[$patch:foo]");

  r = ApplyStrategicMergePatch(J(kPod), J(R"({"spec":{"$setElementOrder/containers":{}}})"), "Pod");
  ASSERT_FALSE(r.ok());

  r = ApplyStrategicMergePatch(J(kPod), J(R"([1])"), "Pod");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(r.status().message(),
            "json: cannot unmarshal array into Go value of type map[string]interface {}");

  r = ApplyStrategicMergePatch(
      J(kPod), J(R"({"spec":{"containers":[{"name":"app","$patch":"merge"}]}})"), "Pod");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "merging lists cannot yet be specified in the patch");
}

TEST(StrategicMergeTest, DirectivesNeverLeakIntoTheResult) {
  // A new list whose patch carries directives (the field is absent live).
  Object out = MustPatch(R"({"spec":{}})", R"({"spec":{"containers":[
      {"name":"a","image":"x","env":[{"name":"E","value":null}]},
      {"name":"b","$patch":"delete"}]}})");
  EXPECT_EQ(out["spec"]["containers"], J(R"([{"name":"a","image":"x","env":[{"name":"E"}]}])"));
}

TEST(GoFormatValueTest, MatchesFmtV) {
  EXPECT_EQ(GoFormatValue(J(R"({"b":[1,"x"],"a":null,"c":1.5})")), "map[a:<nil> b:[1 x] c:1.5]");
}

}  // namespace
}  // namespace kubesim::api
