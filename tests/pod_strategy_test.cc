#include <gtest/gtest.h>

#include "kubesim/api/gvr.h"
#include "kubesim/api/resource.h"
#include "kubesim/api/validation.h"

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

class PodStrategyTest : public ::testing::Test {
 protected:
  std::unique_ptr<ResourceRegistry> registry_ = NewBuiltinRegistry();
  const ResourceStrategy& s_ = *registry_->Find(kPods);

  static Object MinimalPod() {
    return Object::parse(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"web","namespace":"default","uid":"u-1",
                  "creationTimestamp":"2025-01-01T00:00:00Z"},
      "spec":{"containers":[{"name":"nginx","image":"nginx"}]}})");
  }
  Object Created(Object pod) const {
    s_.PrepareForCreate(pod);
    return pod;
  }
  std::string PullPolicy(const std::string& image) const {
    Object pod = MinimalPod();
    pod["spec"]["containers"][0]["image"] = image;
    return Created(pod)["spec"]["containers"][0]["imagePullPolicy"];
  }
  std::string Qos(const char* resources_json) const {
    Object pod = MinimalPod();
    pod["spec"]["containers"][0]["resources"] = Object::parse(resources_json);
    return Created(pod)["status"]["qosClass"];
  }
};

TEST_F(PodStrategyTest, CreateAppliesDefaultsAdmissionAndStatus) {
  Object pod = MinimalPod();
  pod["status"] = {{"phase", "Running"}, {"podIP", "1.2.3.4"}};  // cleared on create
  s_.PrepareForCreate(pod);
  EXPECT_EQ(pod, Object::parse(R"({"apiVersion":"v1","kind":"Pod",
    "metadata":{"name":"web","namespace":"default","uid":"u-1",
                "creationTimestamp":"2025-01-01T00:00:00Z"},
    "spec":{
      "containers":[{"name":"nginx","image":"nginx","imagePullPolicy":"Always",
                     "resources":{},"terminationMessagePath":"/dev/termination-log",
                     "terminationMessagePolicy":"File"}],
      "dnsPolicy":"ClusterFirst",
      "enableServiceLinks":true,
      "restartPolicy":"Always",
      "schedulerName":"default-scheduler",
      "securityContext":{},
      "serviceAccount":"default",
      "serviceAccountName":"default",
      "terminationGracePeriodSeconds":30,
      "tolerations":[
        {"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists",
         "tolerationSeconds":300},
        {"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists",
         "tolerationSeconds":300}]},
    "status":{"phase":"Pending","qosClass":"BestEffort"}})"));
  EXPECT_TRUE(s_.Validate(pod).empty()) << testing::PrintToString(Messages(s_.Validate(pod)));
}

TEST_F(PodStrategyTest, DefaultsKeepWhatIsSet) {
  Object pod = Object::parse(R"({"metadata":{"name":"p","namespace":"d"},"spec":{
    "restartPolicy":"Never","dnsPolicy":"Default","schedulerName":"mine",
    "serviceAccountName":"robot","terminationGracePeriodSeconds":5,"enableServiceLinks":false,
    "priorityClassName":"system-node-critical","hostNetwork":true,
    "containers":[{"name":"c","image":"busybox:1.36","imagePullPolicy":"Never",
      "ports":[{"containerPort":8080}],
      "resources":{"limits":{"cpu":"500m"}},
      "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}],
      "livenessProbe":{"httpGet":{"port":8080}}}],
    "volumes":[{"name":"cache"},{"name":"cfg","configMap":{"name":"c"}}]}})");
  s_.PrepareForCreate(pod);
  const Object& spec = pod["spec"];
  EXPECT_EQ(spec["restartPolicy"], "Never");
  EXPECT_EQ(spec["dnsPolicy"], "Default");
  EXPECT_EQ(spec["schedulerName"], "mine");
  EXPECT_EQ(spec["serviceAccountName"], "robot");
  EXPECT_EQ(spec["serviceAccount"], "robot");
  EXPECT_EQ(spec["terminationGracePeriodSeconds"], 5);
  EXPECT_EQ(spec["enableServiceLinks"], false);
  // spec.priority comes from Priority admission (tests/priority_test.cc).
  EXPECT_FALSE(spec.contains("priority"));
  const Object& c = spec["containers"][0];
  EXPECT_EQ(c["imagePullPolicy"], "Never");
  EXPECT_EQ(c["ports"],
            Object::parse(R"([{"containerPort":8080,"hostPort":8080,"protocol":"TCP"}])"));
  EXPECT_EQ(c["resources"],
            Object::parse(R"({"limits":{"cpu":"500m"},"requests":{"cpu":"500m"}})"));
  EXPECT_EQ(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"], "v1");
  EXPECT_EQ(c["livenessProbe"],
            Object::parse(R"({"httpGet":{"port":8080,"path":"/","scheme":"HTTP"},
    "timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3})"));
  EXPECT_EQ(spec["volumes"], Object::parse(R"([{"name":"cache","emptyDir":{}},
    {"name":"cfg","configMap":{"name":"c","defaultMode":420}}])"));
  EXPECT_EQ(pod["status"]["qosClass"], "Burstable");
  EXPECT_TRUE(s_.Validate(pod).empty()) << testing::PrintToString(Messages(s_.Validate(pod)));
}

TEST_F(PodStrategyTest, ImagePullPolicy) {
  EXPECT_EQ(PullPolicy("nginx"), "Always");
  EXPECT_EQ(PullPolicy("nginx:latest"), "Always");
  EXPECT_EQ(PullPolicy("nginx:1.27"), "IfNotPresent");
  EXPECT_EQ(PullPolicy("registry.k8s.io/pause:3.10"), "IfNotPresent");
  EXPECT_EQ(PullPolicy("localhost:5000/app"), "Always");
  EXPECT_EQ(PullPolicy("localhost:5000/app:v1"), "IfNotPresent");
  EXPECT_EQ(
      PullPolicy("app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
      "IfNotPresent");
  EXPECT_EQ(
      PullPolicy(
          "app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
      "Always");
  EXPECT_EQ(PullPolicy(""), "IfNotPresent");
}

TEST_F(PodStrategyTest, TolerationsNotDuplicated) {
  Object pod = MinimalPod();
  pod["spec"]["tolerations"] = Object::parse(R"([
    {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute",
     "tolerationSeconds":60}])");
  s_.PrepareForCreate(pod);
  EXPECT_EQ(pod["spec"]["tolerations"], Object::parse(R"([
    {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute",
     "tolerationSeconds":60},
    {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute",
     "tolerationSeconds":300}])"));

  // Tolerating everything tolerates both.
  Object all = MinimalPod();
  all["spec"]["tolerations"] = Object::parse(R"([{"operator":"Exists"}])");
  s_.PrepareForCreate(all);
  EXPECT_EQ(all["spec"]["tolerations"], Object::parse(R"([{"operator":"Exists"}])"));

  // Creating twice (or updating) adds nothing more.
  Object again = Created(MinimalPod());
  Object before = again["spec"]["tolerations"];
  s_.PrepareForCreate(again);
  EXPECT_EQ(again["spec"]["tolerations"], before);
}

TEST_F(PodStrategyTest, QosClass) {
  EXPECT_EQ(Qos("{}"), "BestEffort");
  EXPECT_EQ(Qos(R"({"requests":{"cpu":"100m"}})"), "Burstable");
  EXPECT_EQ(Qos(R"({"limits":{"cpu":"1","memory":"1Gi"}})"), "Guaranteed");
  EXPECT_EQ(Qos(R"({"limits":{"cpu":"1","memory":"1Gi"},
                    "requests":{"cpu":"1000m","memory":"1073741824"}})"),
            "Guaranteed");
  EXPECT_EQ(Qos(R"({"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}})"), "Burstable");
  EXPECT_EQ(Qos(R"({"limits":{"cpu":"1"}})"), "Burstable");
  EXPECT_EQ(Qos(R"({"requests":{"cpu":"0"}})"), "BestEffort");
  EXPECT_EQ(Qos(R"({"requests":{"ephemeral-storage":"1Gi"}})"), "BestEffort");
}

TEST_F(PodStrategyTest, ValidationMessages) {
  Object no_containers = Object::parse(R"({"metadata":{"name":"p","namespace":"d"},"spec":{}})");
  s_.PrepareForCreate(no_containers);
  EXPECT_EQ(Messages(s_.Validate(no_containers)),
            std::vector<std::string>{"spec.containers: Required value"});

  Object no_image = Created(Object::parse(
      R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"c"}]}})"));
  EXPECT_EQ(Messages(s_.Validate(no_image)),
            std::vector<std::string>{"spec.containers[0].image: Required value"});

  Object policy = MinimalPod();
  policy["spec"]["restartPolicy"] = "Sometimes";
  s_.PrepareForCreate(policy);
  EXPECT_EQ(Messages(s_.Validate(policy)),
            std::vector<std::string>{"spec.restartPolicy: Unsupported value: \"Sometimes\": "
                                     "supported values: \"Always\", \"OnFailure\", \"Never\""});

  Object names = Created(Object::parse(R"({"metadata":{"name":"p","namespace":"d"},"spec":{
    "containers":[{"name":"app","image":"a"},{"name":"app","image":"b"},{"name":"Bad_Name","image":"c"}]}})"));
  std::vector<std::string> expected = {"spec.containers[1].name: Duplicate value: \"app\""};
  for (const auto& msg : IsDns1123Label("Bad_Name")) {
    expected.push_back("spec.containers[2].name: Invalid value: \"Bad_Name\": " + msg);
  }
  EXPECT_EQ(Messages(s_.Validate(names)), expected);

  Object resources = MinimalPod();
  resources["spec"]["containers"][0]["resources"] =
      Object::parse(R"({"limits":{"cpu":"1"},"requests":{"cpu":"2","memory":"abc"}})");
  s_.PrepareForCreate(resources);
  EXPECT_EQ(Messages(s_.Validate(resources)),
            (std::vector<std::string>{
                "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than "
                "or equal to cpu limit of 1",
                "spec.containers[0].resources.requests[memory]: Invalid value: \"abc\": "
                "quantities must match the regular expression "
                "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"}));

  Object ports = MinimalPod();
  ports["spec"]["containers"][0]["ports"] =
      Object::parse(R"([{"containerPort":0,"protocol":"HTTP"}])");
  s_.PrepareForCreate(ports);
  EXPECT_EQ(Messages(s_.Validate(ports)),
            (std::vector<std::string>{
                "spec.containers[0].ports[0].containerPort: Required value",
                "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported "
                "values: \"SCTP\", \"TCP\", \"UDP\""}));
}

TEST_F(PodStrategyTest, UpdateKeepsStatusAndAllowsImageChanges) {
  Object old_pod = Created(MinimalPod());
  old_pod["status"]["phase"] = "Running";
  Object update = old_pod;
  update["status"] = {{"phase", "Failed"}};
  update["spec"]["containers"][0]["image"] = "nginx:1.27";
  update["metadata"]["labels"] = {{"app", "web"}};
  s_.PrepareForUpdate(update, old_pod, "");
  EXPECT_EQ(update["status"], old_pod["status"]);
  EXPECT_EQ(update["spec"]["containers"][0]["image"], "nginx:1.27");
  EXPECT_TRUE(s_.ValidateUpdate(update, old_pod).empty())
      << testing::PrintToString(Messages(s_.ValidateUpdate(update, old_pod)));

  // A replace without the admission-set fields still keeps them.
  Object replaced = MinimalPod();
  replaced["spec"]["serviceAccountName"] = "default";
  s_.PrepareForUpdate(replaced, old_pod, "");
  EXPECT_EQ(replaced["spec"], old_pod["spec"]);
  EXPECT_TRUE(s_.ValidateUpdate(replaced, old_pod).empty());
}

TEST_F(PodStrategyTest, UpdateForbidsOtherSpecChanges) {
  Object old_pod = Created(MinimalPod());
  Object update = old_pod;
  update["spec"]["restartPolicy"] = "Never";
  s_.PrepareForUpdate(update, old_pod, "");
  auto errs = s_.ValidateUpdate(update, old_pod);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].field, "spec");
  EXPECT_EQ(errs[0].type, FieldError::Type::kForbidden);
  const std::string prefix =
      "spec: Forbidden: pod updates may not change fields other than "
      "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
      "`spec.tolerations` (only additions to existing tolerations),"
      "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
      "negative)\n";
  EXPECT_EQ(errs[0].ToString().substr(0, prefix.size()), prefix);
  EXPECT_NE(errs[0].ToString().find("restartPolicy"), std::string::npos);

  Object more = old_pod;
  more["spec"]["containers"].push_back({{"name", "sidecar"}, {"image", "busybox"}});
  s_.PrepareForUpdate(more, old_pod, "");
  EXPECT_EQ(Messages(s_.ValidateUpdate(more, old_pod)),
            std::vector<std::string>{
                "spec.containers: Forbidden: pod updates may not add or remove containers"});

  Object fewer_tolerations = old_pod;
  fewer_tolerations["spec"]["tolerations"] = Object::parse(
      R"([{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute",
           "tolerationSeconds":300},{"key":"x","operator":"Exists"}])");
  s_.PrepareForUpdate(fewer_tolerations, old_pod, "");  // admission re-adds unreachable
  EXPECT_TRUE(s_.ValidateUpdate(fewer_tolerations, old_pod).empty());
  Object changed = old_pod;
  changed["spec"]["tolerations"][0]["effect"] = "NoSchedule";
  changed["spec"]["tolerations"][0].erase("tolerationSeconds");
  EXPECT_EQ(Messages(s_.ValidateUpdate(changed, old_pod)),
            std::vector<std::string>{"spec.tolerations: Forbidden: existing toleration can not be "
                                     "modified except its tolerationSeconds"});
}

TEST_F(PodStrategyTest, StatusUpdateKeepsSpecAndMetadata) {
  Object old_pod = Created(MinimalPod());
  old_pod["metadata"]["resourceVersion"] = "5";
  Object update = old_pod;
  update["spec"]["nodeName"] = "sneaky";
  update["metadata"]["labels"] = {{"a", "b"}};
  update["metadata"]["ownerReferences"] = Object::array({{{"kind", "X"}}});
  update["status"] = {{"phase", "Running"}, {"podIPs", {{{"ip", "10.0.0.7"}}}}};
  s_.PrepareForUpdate(update, old_pod, "status");
  EXPECT_EQ(update["spec"], old_pod["spec"]);
  EXPECT_FALSE(update["metadata"].contains("ownerReferences"));
  EXPECT_EQ(update["metadata"]["labels"], Object::parse(R"({"a":"b"})"));
  EXPECT_EQ(
      update["status"],
      Object::parse(R"({"phase":"Running","podIPs":[{"ip":"10.0.0.7"}],"qosClass":"BestEffort"})"));
  EXPECT_TRUE(s_.ValidateUpdate(update, old_pod).empty())
      << testing::PrintToString(Messages(s_.ValidateUpdate(update, old_pod)));

  Object qos = update;
  qos["status"]["qosClass"] = "Guaranteed";
  EXPECT_EQ(Messages(s_.ValidateUpdate(qos, old_pod)),
            std::vector<std::string>{
                "status.qosClass: Invalid value: \"Guaranteed\": field is immutable"});
}

TEST_F(PodStrategyTest, TableColumns) {
  std::vector<std::string> names, wide;
  for (const auto& c : s_.TableColumns()) {
    (c["priority"] == 0 ? names : wide).push_back(c["name"]);
    EXPECT_EQ(c["type"], "string");
    EXPECT_FALSE(c["description"].get<std::string>().empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age"}));
  EXPECT_EQ(wide, (std::vector<std::string>{"IP", "Node", "Nominated Node", "Readiness Gates"}));
  EXPECT_EQ(s_.TableColumns()[0]["format"], "name");
  EXPECT_EQ(s_.TableColumns()[1]["format"], "");
}

class PodTableTest : public PodStrategyTest {
 protected:
  const Time now_ = At("2025-01-01T00:05:00Z");
  Object Cells(const Object& pod) const { return s_.TableCells(pod, now_); }
  Object Running() const {
    Object pod = Created(MinimalPod());
    pod["spec"]["nodeName"] = "worker-1";
    pod["status"] = Object::parse(R"({"phase":"Running","qosClass":"BestEffort",
      "podIP":"10.244.1.5","podIPs":[{"ip":"10.244.1.5"}],
      "conditions":[{"type":"Ready","status":"True"}],
      "containerStatuses":[{"name":"nginx","ready":true,"restartCount":2,"started":true,
        "state":{"running":{"startedAt":"2025-01-01T00:02:01Z"}},
        "lastState":{"terminated":{"exitCode":1,"reason":"Error",
                                   "finishedAt":"2025-01-01T00:02:00Z"}}}]})");
    return pod;
  }
};

TEST_F(PodTableTest, Pending) {
  EXPECT_EQ(
      Cells(Created(MinimalPod())),
      Object::parse(R"(["web","0/1","Pending","0","5m","<none>","<none>","<none>","<none>"])"));
}

TEST_F(PodTableTest, ContainerCreating) {
  Object pod = Created(MinimalPod());
  pod["spec"]["nodeName"] = "worker-1";
  pod["status"]["containerStatuses"] = Object::parse(R"([{"name":"nginx","ready":false,
    "restartCount":0,"image":"nginx","imageID":"",
    "state":{"waiting":{"reason":"ContainerCreating"}},"lastState":{}}])");
  EXPECT_EQ(
      Cells(pod),
      Object::parse(
          R"(["web","0/1","ContainerCreating","0","5m","<none>","worker-1","<none>","<none>"])"));
}

TEST_F(PodTableTest, RunningWithRestarts) {
  EXPECT_EQ(
      Cells(Running()),
      Object::parse(
          R"j(["web","1/1","Running","2 (3m ago)","5m","10.244.1.5","worker-1","<none>","<none>"])j"));
  Object no_restarts = Running();
  no_restarts["status"]["containerStatuses"][0]["restartCount"] = 0;
  EXPECT_EQ(Cells(no_restarts)[3], "0");
}

TEST_F(PodTableTest, Terminating) {
  Object pod = Running();
  pod["metadata"]["deletionTimestamp"] = "2025-01-01T00:04:00Z";
  EXPECT_EQ(
      Cells(pod),
      Object::parse(
          R"j(["web","1/1","Terminating","2 (3m ago)","5m","10.244.1.5","worker-1","<none>","<none>"])j"));
  // A pod on a lost node reads Unknown; a finished one keeps its status.
  Object lost = pod;
  lost["status"]["reason"] = "NodeLost";
  EXPECT_EQ(Cells(lost)[2], "Unknown");
  Object done = pod;
  done["status"]["phase"] = "Succeeded";
  done["status"]["containerStatuses"][0]["ready"] = false;
  done["status"]["containerStatuses"][0]["state"] =
      Object::parse(R"({"terminated":{"exitCode":0,"reason":"Completed"}})");
  EXPECT_EQ(Cells(done)[2], "Completed");
  EXPECT_EQ(Cells(done)[1], "0/1");
}

TEST_F(PodTableTest, ContainerFailures) {
  Object pod = Running();
  pod["status"]["containerStatuses"][0]["ready"] = false;
  pod["status"]["containerStatuses"][0]["state"] =
      Object::parse(R"({"waiting":{"reason":"CrashLoopBackOff"}})");
  EXPECT_EQ(Cells(pod)[2], "CrashLoopBackOff");
  pod["status"]["containerStatuses"][0]["state"] =
      Object::parse(R"({"terminated":{"exitCode":137,"signal":9}})");
  EXPECT_EQ(Cells(pod)[2], "Signal:9");
  pod["status"]["containerStatuses"][0]["state"] =
      Object::parse(R"({"terminated":{"exitCode":3}})");
  EXPECT_EQ(Cells(pod)[2], "ExitCode:3");
}

TEST_F(PodTableTest, InitContainers) {
  Object pod = Created(MinimalPod());
  pod["spec"]["initContainers"] = Object::parse(R"([{"name":"setup","image":"busybox"},
                                                     {"name":"migrate","image":"busybox"}])");
  pod["status"]["initContainerStatuses"] = Object::parse(R"([
    {"name":"setup","ready":true,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
    {"name":"migrate","ready":false,"restartCount":0,"state":{"running":{}}}])");
  EXPECT_EQ(Cells(pod)[2], "Init:1/2");
  pod["status"]["initContainerStatuses"][1]["state"] =
      Object::parse(R"({"waiting":{"reason":"CrashLoopBackOff"}})");
  pod["status"]["initContainerStatuses"][1]["restartCount"] = 3;
  EXPECT_EQ(Cells(pod)[2], "Init:CrashLoopBackOff");
  EXPECT_EQ(Cells(pod)[3], "3");
  pod["status"]["initContainerStatuses"][1]["state"] =
      Object::parse(R"({"terminated":{"exitCode":2}})");
  EXPECT_EQ(Cells(pod)[2], "Init:ExitCode:2");
}

TEST_F(PodTableTest, WideColumns) {
  Object pod = Running();
  pod["status"]["nominatedNodeName"] = "worker-2";
  pod["spec"]["readinessGates"] = Object::parse(R"([{"conditionType":"www.example.com/lb"},
                                                    {"conditionType":"other"}])");
  pod["status"]["conditions"].push_back({{"type", "www.example.com/lb"}, {"status", "True"}});
  Object cells = Cells(pod);
  EXPECT_EQ(cells[7], "worker-2");
  EXPECT_EQ(cells[8], "1/2");
  Object gated = Created(MinimalPod());
  gated["status"]["conditions"] =
      Object::parse(R"([{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}])");
  EXPECT_EQ(Cells(gated)[2], "SchedulingGated");
  Object unknown_age = Created(MinimalPod());
  unknown_age["metadata"].erase("creationTimestamp");
  EXPECT_EQ(Cells(unknown_age)[4], "<unknown>");
}

TEST_F(PodStrategyTest, FieldSelectors) {
  Object pod = Created(MinimalPod());
  pod["spec"]["nodeName"] = "worker-1";
  pod["status"]["podIPs"] = Object::parse(R"([{"ip":"10.0.0.9"}])");
  auto value = [&](const std::string& field) {
    std::string v;
    return s_.FieldValue(pod, field, &v) ? v : std::string("<unsupported>");
  };
  EXPECT_EQ(value("spec.nodeName"), "worker-1");
  EXPECT_EQ(value("spec.host"), "worker-1");
  EXPECT_EQ(value("spec.restartPolicy"), "Always");
  EXPECT_EQ(value("spec.schedulerName"), "default-scheduler");
  EXPECT_EQ(value("spec.serviceAccountName"), "default");
  EXPECT_EQ(value("spec.hostNetwork"), "false");
  EXPECT_EQ(value("status.phase"), "Pending");
  EXPECT_EQ(value("status.podIP"), "10.0.0.9");
  EXPECT_EQ(value("status.nominatedNodeName"), "");
  EXPECT_EQ(value("metadata.name"), "web");
  EXPECT_EQ(value("metadata.namespace"), "default");
  EXPECT_EQ(value("spec.containers"), "<unsupported>");
}

}  // namespace
}  // namespace kubesim::api
