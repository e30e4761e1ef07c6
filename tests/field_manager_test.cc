// metadata.managedFields and server-side apply through ApiServer::Handle
// (src/api/field_manager.h): FieldsV1 of writes by kubectl, controllers and
// kubelets, apply ownership, pruning of dropped fields, conflicts and force,
// ownership moving on updates, and the encoding helpers. Expected FieldsV1
// are hand-checked against what kube-apiserver 1.32 records for the same
// writes (structured-merge-diff's compare/toFieldSet rules).
#include "../src/api/field_manager.h"

#include <gtest/gtest.h>

#include "api_server_fixture.h"
#include "kubesim/api/api_server.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/cluster/cluster.h"
#include "shell_test_util.h"

namespace kubesim::api {
namespace {

Object J(const char* text) { return Object::parse(text); }

class FieldManagerTest : public testing::ApiServerFixture {
 protected:
  Response Do(Verb verb, const GroupVersionResource& gvr, const std::string& name, Object body,
              const std::string& manager, const std::string& ua = "kubectl/v1.32.0 (linux/amd64)",
              const std::string& type = "", const std::string& sub = "", bool force = false) {
    Request r;
    r.verb = verb;
    r.gvr = gvr;
    r.namespace_ = "default";
    r.name = name;
    r.subresource = sub;
    r.content_type = type;
    r.body = std::move(body);
    r.field_manager = manager;
    r.user_agent = ua;
    r.force = force;
    return server_->Handle(r);
  }
  Response Apply(const std::string& name, Object config, const std::string& manager = "kubectl",
                 bool force = false) {
    return Do(Verb::kPatch, kDeployments, name, std::move(config), manager, "kubectl/v1.32.0",
              kApplyPatch, "", force);
  }
  Object Get(const GroupVersionResource& gvr, const std::string& name) {
    return Do(Verb::kGet, gvr, name, Object(), "").body;
  }
  // The managedFields entry of `manager` (and operation), or null.
  static Object Entry(const Object& obj, const std::string& manager,
                      const std::string& operation = "") {
    const Object* list = Find(obj, "/metadata/managedFields");
    if (list == nullptr) return Object();
    for (const auto& e : *list) {
      if (e.value("manager", "") == manager &&
          (operation.empty() || e.value("operation", "") == operation)) {
        return e;
      }
    }
    return Object();
  }

  static Object WebConfig(int replicas) {
    Object d = J(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
      "spec":{"selector":{"matchLabels":{"app":"web"}},
        "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
          {"name":"nginx","image":"nginx:1.27"}]}}}})");
    d["spec"]["replicas"] = replicas;
    return d;
  }
};

TEST_F(FieldManagerTest, CreateRecordsTheCreatorsFieldsAfterDefaulting) {
  // kubectl create deployment web --image=nginx:1.27 --port=80 (the body
  // kubectl sends, with fieldManager=kubectl-create).
  Object body = J(R"({"apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"web","labels":{"app":"web"}},
    "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
        {"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}],"resources":{}}]}},
      "strategy":{}},"status":{}})");
  Response r = Do(Verb::kCreate, kDeployments, "", body, "kubectl-create");
  ASSERT_EQ(r.code, 201) << r.body.dump();
  const Object* list = Find(r.body, "/metadata/managedFields");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->size(), 1u);
  const Object& e = (*list)[0];
  EXPECT_EQ(e["manager"], "kubectl-create");
  EXPECT_EQ(e["operation"], "Update");
  EXPECT_EQ(e["apiVersion"], "apps/v1");
  EXPECT_EQ(e["fieldsType"], "FieldsV1");
  EXPECT_EQ(e["time"], GetString(r.body, "/metadata/creationTimestamp"));
  EXPECT_FALSE(e.contains("subresource"));
  // What a 1.32 cluster shows for this create: the body plus the defaults
  // (SetDefaults_Deployment, _PodSpec, _Container), no status, no "." on
  // structs the Go zero value already has (spec, strategy, template,
  // containers), "." on what the write added (labels, rollingUpdate, the
  // container and port items).
  Object want = J(R"({
    "f:metadata":{"f:labels":{".":{},"f:app":{}}},
    "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},
      "f:selector":{},
      "f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},
                    "f:type":{}},
      "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
        "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},
            "f:imagePullPolicy":{},"f:name":{},
            "f:ports":{".":{},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},
              "f:containerPort":{},"f:protocol":{}}},
            "f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},
          "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},
          "f:terminationGracePeriodSeconds":{}}}}})");
  EXPECT_EQ(e["fieldsV1"], want) << e["fieldsV1"].dump(1);
}

TEST_F(FieldManagerTest, PodCreateByControllerAndStatusByKubelet) {
  // A ReplicaSet's pod: generateName, labels, an owner reference; the
  // admission-set fields (serviceAccountName, priority, default
  // tolerations) are nobody's.
  Object pod = J(R"({"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-6d4b-",
    "labels":{"app":"web"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet",
    "name":"web-6d4b","uid":"u-1","controller":true,"blockOwnerDeletion":true}]},
    "spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}})");
  Response r = Do(Verb::kCreate, kPods, "", pod, "",
                  "kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/"
                  "system:serviceaccount:kube-system:replicaset-controller");
  ASSERT_EQ(r.code, 201) << r.body.dump();
  Object e = Entry(r.body, "kube-controller-manager");
  ASSERT_FALSE(e.is_null()) << r.body.dump();
  Object want = J(R"({
    "f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{}},
      "f:ownerReferences":{".":{},"k:{\"uid\":\"u-1\"}":{}}},
    "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},
        "f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},
        "f:terminationMessagePolicy":{}}},
      "f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},
      "f:securityContext":{},"f:terminationGracePeriodSeconds":{}}})");
  EXPECT_EQ(e["fieldsV1"], want) << e["fieldsV1"].dump(1);
  const std::string name = Name(r.body);

  // Binding bypasses the field manager (pod/storage BindingREST).
  Request bind;
  bind.verb = Verb::kCreate;
  bind.gvr = kPods;
  bind.namespace_ = "default";
  bind.name = name;
  bind.subresource = "binding";
  bind.body = {{"target", {{"kind", "Node"}, {"name", "node-1"}}}};
  bind.user_agent = "kube-scheduler/v1.32.0";
  ASSERT_EQ(server_->Handle(bind).code, 201);
  Object bound = Get(kPods, name);
  EXPECT_EQ(bound["metadata"]["managedFields"], r.body["metadata"]["managedFields"]);

  // The kubelet's status write: its own entry with subresource status.
  executor_->AdvanceBy(std::chrono::seconds(5));
  Object status = bound;
  status["status"]["phase"] = "Running";
  status["status"]["podIP"] = "10.244.1.5";
  status["status"]["podIPs"] = J(R"([{"ip":"10.244.1.5"}])");
  status["status"]["conditions"].push_back(
      J(R"({"type":"Ready","status":"True","lastProbeTime":null,
            "lastTransitionTime":"2024-01-01T00:00:05Z"})"));
  status["status"]["containerStatuses"] = J(R"([{"name":"nginx","ready":true}])");
  Response w =
      Do(Verb::kUpdate, kPods, name, status, "", "kubelet/v1.32.0 (linux/amd64)", "", "status");
  ASSERT_EQ(w.code, 200) << w.body.dump();
  Object k = Entry(w.body, "kubelet");
  ASSERT_FALSE(k.is_null()) << w.body.dump();
  EXPECT_EQ(k["subresource"], "status");
  EXPECT_EQ(k["apiVersion"], "v1");
  EXPECT_EQ(k["fieldsV1"], J(R"({"f:status":{
      "f:conditions":{"k:{\"type\":\"Ready\"}":{".":{},"f:lastProbeTime":{},
        "f:lastTransitionTime":{},"f:status":{},"f:type":{}}},
      "f:containerStatuses":{},"f:phase":{},"f:podIP":{},
      "f:podIPs":{".":{},"k:{\"ip\":\"10.244.1.5\"}":{".":{},"f:ip":{}}}}})"))
      << k.dump(1);
  // The creator's entry and time are untouched; the kubelet's is newer.
  EXPECT_EQ(Entry(w.body, "kube-controller-manager"), e);
  EXPECT_NE(k["time"], e["time"]);
  // Entries are sorted by operation, then time.
  EXPECT_EQ(w.body["metadata"]["managedFields"][1]["manager"], "kubelet");

  // The same status again takes no fields: the entry keeps its time.
  executor_->AdvanceBy(std::chrono::seconds(5));
  Response again = Do(Verb::kUpdate, kPods, name, w.body, "", "kubelet/v1.32.0", "", "status");
  ASSERT_EQ(again.code, 200);
  EXPECT_EQ(Entry(again.body, "kubelet")["time"], k["time"]);
  // Changing only fields it already owns alone moves its time, nothing else.
  Object refresh = again.body;
  for (auto& cond : refresh["status"]["conditions"]) {
    if (cond["type"] == "Ready") cond["lastTransitionTime"] = "2024-01-01T00:00:10Z";
  }
  Response moved = Do(Verb::kUpdate, kPods, name, refresh, "", "kubelet/v1.32.0", "", "status");
  ASSERT_EQ(moved.code, 200);
  Object k2 = Entry(moved.body, "kubelet");
  EXPECT_EQ(k2["fieldsV1"], k["fieldsV1"]);
  EXPECT_EQ(k2["time"], FormatRfc3339(executor_->Now()));
  EXPECT_NE(k2["time"], k["time"]);
  EXPECT_EQ(Entry(moved.body, "kube-controller-manager"), e);
  // A field another manager owns moves to the writer (the general path).
  Object relabel = moved.body;
  relabel["metadata"]["labels"]["app"] = "api";
  Response taken = Do(Verb::kUpdate, kPods, name, relabel, "", "kubelet/v1.32.0", "", "status");
  ASSERT_EQ(taken.code, 200) << taken.body.dump();
  EXPECT_EQ(
      Find(Entry(taken.body, "kube-controller-manager"), "/fieldsV1/f:metadata/f:labels/f:app"),
      nullptr);
  EXPECT_NE(Find(Entry(taken.body, "kubelet"), "/fieldsV1/f:metadata/f:labels/f:app"), nullptr);
}

TEST_F(FieldManagerTest, ApplyOwnsItsConfigurationAndPrunesWhatItDrops) {
  Object v1 = WebConfig(2);
  v1["metadata"]["labels"] = {{"team", "a"}, {"tier", "web"}};
  v1["spec"]["template"]["spec"]["containers"][0]["env"] =
      J(R"([{"name":"A","value":"1"},{"name":"B","value":"2"}])");
  Response r = Apply("web", v1);
  ASSERT_EQ(r.code, 201) << r.body.dump();
  Object e = Entry(r.body, "kubectl", "Apply");
  ASSERT_FALSE(e.is_null()) << r.body.dump();
  EXPECT_FALSE(e.contains("subresource"));
  // The applied set is the configuration only: no defaults, no "." on
  // labels (ToFieldSet marks list items, not maps).
  EXPECT_EQ(e["fieldsV1"], J(R"({
    "f:metadata":{"f:labels":{"f:team":{},"f:tier":{}}},
    "f:spec":{"f:replicas":{},"f:selector":{},"f:template":{
      "f:metadata":{"f:labels":{"f:app":{}}},
      "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},
        "f:env":{"k:{\"name\":\"A\"}":{".":{},"f:name":{},"f:value":{}},
                 "k:{\"name\":\"B\"}":{".":{},"f:name":{},"f:value":{}}},
        "f:image":{},"f:name":{}}}}}}})"))
      << e["fieldsV1"].dump(1);

  // Another manager adds a label of its own (kubectl label).
  ASSERT_EQ(Do(Verb::kPatch, kDeployments, "web", J(R"({"metadata":{"labels":{"owner":"x"}}})"),
               "kubectl-label", "kubectl/v1.32.0", kMergePatch)
                .code,
            200);
  // Re-applying without the tier label and without env B removes both;
  // the other manager's label stays.
  Object v2 = v1;
  v2["metadata"]["labels"].erase("tier");
  v2["spec"]["template"]["spec"]["containers"][0]["env"] = J(R"([{"name":"A","value":"1"}])");
  Response r2 = Apply("web", v2);
  ASSERT_EQ(r2.code, 200) << r2.body.dump();
  EXPECT_EQ(r2.body["metadata"]["labels"], J(R"({"owner":"x","team":"a"})"));
  EXPECT_EQ(r2.body["spec"]["template"]["spec"]["containers"][0]["env"],
            J(R"([{"name":"A","value":"1"}])"));
  EXPECT_EQ(Entry(r2.body, "kubectl-label")["fieldsV1"],
            J(R"({"f:metadata":{"f:labels":{"f:owner":{}}}})"));
  // Dropping a field another manager also owns keeps it.
  Object v3 = v2;
  v3["metadata"]["labels"]["owner"] = "x";  // shared: same value, no conflict
  ASSERT_EQ(Apply("web", v3).code, 200);
  Object v4 = v2;  // drop it again: kubectl-label still owns it
  Response r4 = Apply("web", v4);
  ASSERT_EQ(r4.code, 200);
  EXPECT_EQ(GetString(r4.body, "/metadata/labels/owner"), "x");
}

TEST_F(FieldManagerTest, ScaleThenApplyConflictsUntilForced) {
  ASSERT_EQ(Apply("web", WebConfig(2)).code, 201);
  // kubectl scale: a merge patch on the scale subresource, no fieldManager
  // (the manager is the User-Agent's "kubectl").
  Response s = Do(Verb::kPatch, kDeployments, "web", J(R"({"spec":{"replicas":5}})"), "",
                  "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9", kMergePatch, "scale");
  ASSERT_EQ(s.code, 200) << s.body.dump();
  Object live = Get(kDeployments, "web");
  Object scale_entry = Entry(live, "kubectl", "Update");
  EXPECT_EQ(scale_entry["subresource"], "scale");
  EXPECT_EQ(scale_entry["apiVersion"], "apps/v1");
  EXPECT_EQ(scale_entry["fieldsV1"], J(R"({"f:spec":{"f:replicas":{}}})"));
  EXPECT_EQ(Find(Entry(live, "kubectl", "Apply"), "/fieldsV1/f:spec/f:replicas"), nullptr);

  // Applying the old count conflicts, worded as kube-apiserver does.
  Response c = Apply("web", WebConfig(2));
  ASSERT_EQ(c.code, 409) << c.body.dump();
  EXPECT_EQ(c.body["reason"], "Conflict");
  EXPECT_EQ(c.body["status"], "Failure");
  EXPECT_EQ(c.body["message"],
            "Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" "
            "using apps/v1: .spec.replicas");
  EXPECT_EQ(c.body["details"], J(R"({"causes":[{"reason":"FieldManagerConflict",
      "message":"conflict with \"kubectl\" with subresource \"scale\" using apps/v1",
      "field":".spec.replicas"}]})"));
  EXPECT_EQ(GetInt(Get(kDeployments, "web"), "/spec/replicas"), 5);
  // The same count is no conflict (nothing changes), and ownership is shared.
  Response same = Apply("web", WebConfig(5));
  ASSERT_EQ(same.code, 200) << same.body.dump();
  EXPECT_NE(Find(Entry(same.body, "kubectl", "Apply"), "/fieldsV1/f:spec/f:replicas"), nullptr);
  EXPECT_NE(Find(Entry(same.body, "kubectl", "Update"), "/fieldsV1/f:spec/f:replicas"), nullptr);

  // force=true takes the field: the scale entry, left empty, goes.
  Response forced = Apply("web", WebConfig(3), "kubectl", /*force=*/true);
  ASSERT_EQ(forced.code, 200) << forced.body.dump();
  EXPECT_EQ(GetInt(forced.body, "/spec/replicas"), 3);
  EXPECT_TRUE(Entry(forced.body, "kubectl", "Update").is_null()) << forced.body.dump(1);
}

TEST_F(FieldManagerTest, SeveralConflictsAreListedByManager) {
  ASSERT_EQ(Apply("web", WebConfig(2), "alice").code, 201);
  Object other = WebConfig(4);
  other["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28";
  Response c = Apply("web", other, "bob");
  ASSERT_EQ(c.code, 409);
  EXPECT_EQ(c.body["message"],
            "Apply failed with 2 conflicts: conflicts with \"alice\":\n- .spec.replicas\n"
            "- .spec.template.spec.containers[name=\"nginx\"].image");
  ASSERT_EQ(c.body["details"]["causes"].size(), 2u);
  EXPECT_EQ(c.body["details"]["causes"][1]["field"],
            ".spec.template.spec.containers[name=\"nginx\"].image");
  EXPECT_EQ(c.body["details"]["causes"][1]["message"], "conflict with \"alice\"");
}

TEST_F(FieldManagerTest, UpdatesTakeOwnershipFromAppliersWithoutConflict) {
  ASSERT_EQ(Apply("web", WebConfig(2)).code, 201);
  // kubectl set image: a strategic patch by kubectl-set.
  Response r =
      Do(Verb::kPatch, kDeployments, "web", J(R"({"spec":{"template":{"spec":{"containers":[
                       {"name":"nginx","image":"nginx:1.28"}]}}}})"),
         "kubectl-set", "kubectl/v1.32.0", kStrategicMergePatch);
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(Entry(r.body, "kubectl-set")["fieldsV1"],
            J(R"({"f:spec":{"f:template":{"f:spec":{"f:containers":{
                 "k:{\"name\":\"nginx\"}":{"f:image":{}}}}}}})"));
  const Object apply_entry = Entry(r.body, "kubectl", "Apply");
  const Object* applied = Find(apply_entry, "/fieldsV1/f:spec/f:template/f:spec/f:containers");
  ASSERT_NE(applied, nullptr);
  EXPECT_EQ(*applied, J(R"({"k:{\"name\":\"nginx\"}":{".":{},"f:name":{}}})"));
  // Re-applying the old image now conflicts with kubectl-set.
  Response c = Apply("web", WebConfig(2));
  ASSERT_EQ(c.code, 409);
  EXPECT_EQ(c.body["message"],
            "Apply failed with 1 conflict: conflict with \"kubectl-set\" using apps/v1: "
            ".spec.template.spec.containers[name=\"nginx\"].image");
}

TEST_F(FieldManagerTest, ClientSentManagedFieldsAreHonouredOrReset) {
  ASSERT_EQ(Apply("web", WebConfig(2)).code, 201);
  Object live = Get(kDeployments, "web");
  // A PUT of what was read keeps the entries (no fields change hands).
  Response same = Do(Verb::kUpdate, kDeployments, "web", live, "kubectl-replace");
  ASSERT_EQ(same.code, 200);
  EXPECT_EQ(same.body["metadata"]["managedFields"], live["metadata"]["managedFields"]);
  // An empty list resets them (isResetManagedFields).
  Object reset = same.body;
  reset["metadata"]["managedFields"] = Object::array();
  Response r = Do(Verb::kUpdate, kDeployments, "web", reset, "kubectl-replace");
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_FALSE(r.body["metadata"].contains("managedFields")) << r.body.dump(1);
  // Garbage falls back to live's (none now) and never fails the write.
  Object junk = r.body;
  junk["metadata"]["managedFields"] = J(R"([{"manager":"x","operation":"Bogus"}])");
  junk["spec"]["replicas"] = 3;
  Response j = Do(Verb::kUpdate, kDeployments, "web", junk, "kubectl-replace");
  ASSERT_EQ(j.code, 200) << j.body.dump();
  EXPECT_EQ(Entry(j.body, "kubectl-replace")["fieldsV1"], J(R"({"f:spec":{"f:replicas":{}}})"));
  EXPECT_EQ(j.body["metadata"]["managedFields"].size(), 1u);
  // Apply refuses managedFields in the configuration.
  Object bad = WebConfig(2);
  bad["metadata"]["managedFields"] = Object::array();
  Response b = Apply("web", bad);
  EXPECT_EQ(b.code, 400);
  EXPECT_EQ(b.body["message"], "metadata.managedFields must be nil");
}

TEST_F(FieldManagerTest, PatchOptionsAreValidated) {
  ASSERT_EQ(Apply("web", WebConfig(2)).code, 201);
  // ValidatePatchOptions: force only with apply; ValidateFieldManager.
  Response f = Do(Verb::kPatch, kDeployments, "web", J(R"({"spec":{"replicas":3}})"), "me",
                  "kubectl/v1.32.0", kMergePatch, "", /*force=*/true);
  EXPECT_EQ(f.code, 422);
  EXPECT_EQ(f.body["message"],
            "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for "
            "non-apply patch");
  Response l = Do(Verb::kPatch, kDeployments, "web", J(R"({"spec":{"replicas":3}})"),
                  std::string(129, 'm'), "kubectl/v1.32.0", kMergePatch);
  EXPECT_EQ(l.code, 422);
  EXPECT_EQ(l.body["details"]["causes"][0]["field"], "fieldManager");
  EXPECT_EQ(l.body["details"]["causes"][0]["reason"], "FieldValueTooLong");
  EXPECT_EQ(GetInt(Get(kDeployments, "web"), "/spec/replicas"), 2);
}

TEST_F(FieldManagerTest, KubectlServerSideApplyTakesOverFromClientSideApply) {
  // kubectl apply (client-side) creates with the last-applied annotation.
  Object body = WebConfig(2);
  body["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      WebConfig(2).dump() + "\n";
  ASSERT_EQ(Do(Verb::kCreate, kDeployments, "", body, "kubectl-client-side-apply").code, 201);
  // Another manager's apply of a new image conflicts with the client-side
  // applier...
  Object v2 = WebConfig(3);
  v2["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28";
  Response other = Apply("web", v2, "ci");
  ASSERT_EQ(other.code, 409);
  EXPECT_EQ(other.body["details"]["causes"].size(), 2u);
  // ... kubectl's does not (lastappliedmanager.go), and it rewrites the
  // annotation (lastappliedupdater.go).
  Response r = Apply("web", v2, "kubectl");
  ASSERT_EQ(r.code, 200) << r.body.dump();
  EXPECT_EQ(GetInt(r.body, "/spec/replicas"), 3);
  EXPECT_EQ(
      GetString(r.body, "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"),
      v2.dump());
  Object csa = Entry(r.body, "kubectl-client-side-apply");
  EXPECT_EQ(Find(csa, "/fieldsV1/f:spec/f:replicas"), nullptr) << csa.dump();
  // A field changed since the last client-side apply is still a conflict.
  ASSERT_EQ(Do(Verb::kPatch, kDeployments, "web", J(R"({"spec":{"replicas":7}})"), "",
               "kubectl/v1.32.0", kMergePatch, "scale")
                .code,
            200);
  Response c = Apply("web", v2, "kubectl");
  ASSERT_EQ(c.code, 409);
  EXPECT_EQ(c.body["message"],
            "Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" "
            "using apps/v1: .spec.replicas");
}

TEST(FieldSetTest, PathStringsAndFieldsV1RoundTrip) {
  FieldSet s;
  s.Insert({"f:spec", "f:replicas"});
  s.Insert({"f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}"});
  s.Insert({"f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image"});
  s.Insert({"f:metadata", "f:finalizers", "v:\"a/b\""});
  Object v1 = s.ToFieldsV1();
  EXPECT_EQ(v1.dump(),
            R"({"f:metadata":{"f:finalizers":{"v:\"a/b\"":{}}},"f:spec":{"f:replicas":{},)"
            R"("f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},)"
            R"("f:image":{}}}}}}})");
  auto back = FieldSet::FromFieldsV1(v1);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, s);
  std::vector<std::string> paths;
  s.Iterate([&](const FieldPath& p) { paths.push_back(FieldPathString(p)); });
  EXPECT_EQ(paths,
            (std::vector<std::string>{".metadata.finalizers[=\"a/b\"]", ".spec.replicas",
                                      ".spec.template.spec.containers[name=\"web\"]",
                                      ".spec.template.spec.containers[name=\"web\"].image"}));
  EXPECT_EQ(FieldPathString({"f:spec", "f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}"}),
            ".spec.ports[port=80,protocol=\"TCP\"]");
  EXPECT_FALSE(FieldSet::FromFieldsV1(J(R"({"x:y":{}})")).ok());
  EXPECT_EQ(ManagerOrUserAgent("", "kubectl/v1.32.0 (linux/amd64)"), "kubectl");
  EXPECT_EQ(ManagerOrUserAgent("mine", "kubectl/v1.32.0"), "mine");
}

TEST(FieldManagerShellTest, GetHidesManagedFieldsUnlessAsked) {
  testing::ShellHarness h;
  h.SetStdin(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
)");
  ASSERT_EQ(h.Run("create -f -").code, 0);
  auto plain = h.Run("get deployment web -o yaml");
  EXPECT_EQ(plain.out.find("managedFields"), std::string::npos) << plain.out;
  auto shown = h.Run("get deployment web -o yaml --show-managed-fields");
  EXPECT_NE(shown.out.find("  managedFields:\n  - apiVersion: apps/v1\n    fieldsType: FieldsV1\n"),
            std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("    manager: kubectl-create\n    operation: Update\n"),
            std::string::npos)
      << shown.out;
  auto json = h.Run("get deployment web -o json");
  EXPECT_EQ(json.out.find("managedFields"), std::string::npos);
}

}  // namespace
}  // namespace kubesim::api
