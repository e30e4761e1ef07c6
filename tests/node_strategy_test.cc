#include <gtest/gtest.h>

#include "kubesim/api/gvr.h"
#include "kubesim/api/resource.h"

namespace kubesim::api {
namespace {

Time At(const char* rfc3339) {
  Time t;
  EXPECT_TRUE(ParseRfc3339(rfc3339, &t));
  return t;
}

std::vector<std::string> Messages(const std::vector<FieldError>& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) out.push_back(e.ToString());
  return out;
}

class NodeStrategyTest : public ::testing::Test {
 protected:
  std::unique_ptr<ResourceRegistry> registry_ = NewBuiltinRegistry();
  const ResourceStrategy& s_ = *registry_->Find(kNodes);
  const Time now_ = At("2025-01-11T00:00:00Z");

  static Object ControlPlane() {
    return Object::parse(R"j({"apiVersion":"v1","kind":"Node",
      "metadata":{"name":"kind-control-plane","creationTimestamp":"2025-01-01T00:00:00Z",
        "labels":{"kubernetes.io/hostname":"kind-control-plane",
                  "node-role.kubernetes.io/control-plane":""}},
      "spec":{"podCIDR":"10.244.0.0/24","podCIDRs":["10.244.0.0/24"]},
      "status":{
        "addresses":[{"type":"InternalIP","address":"172.18.0.2"},
                     {"type":"Hostname","address":"kind-control-plane"}],
        "conditions":[{"type":"MemoryPressure","status":"False"},
                      {"type":"Ready","status":"True","reason":"KubeletReady"}],
        "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian GNU/Linux 12 (bookworm)",
                    "kernelVersion":"6.8.0-1017-gcp","containerRuntimeVersion":"containerd://1.7.24"}}})j");
  }
  Object Cells(const Object& node) const { return s_.TableCells(node, now_); }
};

TEST_F(NodeStrategyTest, Columns) {
  std::vector<std::string> names, wide;
  for (const auto& c : s_.TableColumns()) {
    (c["priority"] == 0 ? names : wide).push_back(c["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Status", "Roles", "Age", "Version"}));
  EXPECT_EQ(wide, (std::vector<std::string>{"Internal-IP", "External-IP", "OS-Image",
                                            "Kernel-Version", "Container-Runtime"}));
  EXPECT_EQ(s_.TableColumns()[0],
            Object::parse(R"({"name":"Name","type":"string","format":"name","priority":0,
              "description":"Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"})"));
}

TEST_F(NodeStrategyTest, ReadyControlPlane) {
  EXPECT_EQ(Cells(ControlPlane()), Object::parse(R"j(["kind-control-plane","Ready","control-plane",
    "10d","v1.32.0","172.18.0.2","<none>","Debian GNU/Linux 12 (bookworm)","6.8.0-1017-gcp",
    "containerd://1.7.24"])j"));
}

TEST_F(NodeStrategyTest, NotReady) {
  Object node = ControlPlane();
  node["status"]["conditions"][1]["status"] = "Unknown";
  node["metadata"]["labels"] = {{"kubernetes.io/hostname", "kind-worker"}};
  node["metadata"]["name"] = "kind-worker";
  EXPECT_EQ(Cells(node), Object::parse(R"j(["kind-worker","NotReady","<none>","10d","v1.32.0",
    "172.18.0.2","<none>","Debian GNU/Linux 12 (bookworm)","6.8.0-1017-gcp",
    "containerd://1.7.24"])j"));
  node["status"]["conditions"][1]["status"] = "False";
  EXPECT_EQ(Cells(node)[1], "NotReady");
}

TEST_F(NodeStrategyTest, SchedulingDisabled) {
  Object node = ControlPlane();
  node["spec"]["unschedulable"] = true;
  EXPECT_EQ(Cells(node)[1], "Ready,SchedulingDisabled");
  node["status"].erase("conditions");
  EXPECT_EQ(Cells(node)[1], "Unknown,SchedulingDisabled");
  node["spec"]["unschedulable"] = false;
  EXPECT_EQ(Cells(node)[1], "Unknown");
}

TEST_F(NodeStrategyTest, RolesAndEmptyNode) {
  Object node = Object::parse(R"({"metadata":{"name":"w","labels":{
    "node-role.kubernetes.io/worker":"","kubernetes.io/role":"infra",
    "node-role.kubernetes.io/":"x","node-role.kubernetes.io/gpu":"true"}}})");
  s_.PrepareForCreate(node);
  EXPECT_EQ(Cells(node), Object::parse(R"(["w","Unknown","gpu,infra,worker","<unknown>","",
    "<none>","<none>","<unknown>","<unknown>","<unknown>"])"));
  node["status"]["addresses"] = Object::parse(R"([{"type":"ExternalIP","address":"34.1.2.3"}])");
  EXPECT_EQ(Cells(node)[6], "34.1.2.3");
}

TEST_F(NodeStrategyTest, CreateDefaults) {
  Object node = Object::parse(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},
    "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"}}})");
  s_.PrepareForCreate(node);
  EXPECT_EQ(node, Object::parse(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},
    "spec":{},
    "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},
              "allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
              "daemonEndpoints":{"kubeletEndpoint":{"Port":0}},
              "nodeInfo":{"architecture":"","bootID":"","containerRuntimeVersion":"",
                          "kernelVersion":"","kubeProxyVersion":"","kubeletVersion":"",
                          "machineID":"","operatingSystem":"","osImage":"","systemUUID":""}}})"));
  EXPECT_TRUE(s_.Validate(node).empty());
}

TEST_F(NodeStrategyTest, UpdatesKeepTheOtherHalf) {
  Object old_node = ControlPlane();
  s_.PrepareForCreate(old_node);
  Object update = old_node;
  update["spec"]["unschedulable"] = true;
  update["status"]["conditions"] = Object::array();
  s_.PrepareForUpdate(update, old_node, "");
  EXPECT_EQ(update["status"], old_node["status"]);
  EXPECT_EQ(update["spec"]["unschedulable"], true);
  EXPECT_TRUE(s_.ValidateUpdate(update, old_node).empty());

  Object status = old_node;
  status["spec"]["unschedulable"] = true;
  status["status"]["conditions"] = Object::array();
  s_.PrepareForUpdate(status, old_node, "status");
  EXPECT_EQ(status["spec"], old_node["spec"]);
  EXPECT_EQ(status["status"]["conditions"], Object::array());

  Object cidr = old_node;
  cidr["spec"]["podCIDRs"] = {"10.244.9.0/24"};
  cidr["spec"]["providerID"] = "kind://x";
  old_node["spec"]["providerID"] = "kind://y";
  EXPECT_EQ(Messages(s_.ValidateUpdate(cidr, old_node)),
            (std::vector<std::string>{
                "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to "
                "valid",
                "spec.providerID: Forbidden: node updates may not change providerID except from "
                "\"\" to valid"}));
}

TEST_F(NodeStrategyTest, TaintValidation) {
  Object node = ControlPlane();
  node["spec"]["taints"] = Object::parse(R"([
    {"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"},
    {"key":"dedicated","value":"gpu","effect":"Sometimes"},
    {"key":"a"}])");
  EXPECT_EQ(Messages(s_.Validate(node)),
            (std::vector<std::string>{
                "spec.taints[1].effect: Unsupported value: \"Sometimes\": supported values: "
                "\"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                "spec.taints[2].effect: Required value"}));
}

TEST_F(NodeStrategyTest, FieldSelectors) {
  Object node = ControlPlane();
  std::string v;
  ASSERT_TRUE(s_.FieldValue(node, "spec.unschedulable", &v));
  EXPECT_EQ(v, "false");
  node["spec"]["unschedulable"] = true;
  ASSERT_TRUE(s_.FieldValue(node, "spec.unschedulable", &v));
  EXPECT_EQ(v, "true");
  EXPECT_FALSE(s_.FieldValue(node, "status.phase", &v));
}

}  // namespace
}  // namespace kubesim::api
