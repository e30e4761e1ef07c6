// The create fast path of UpdateManagedFields (src/api/field_manager.cc
// CreateFieldsV1) against the general Compare/FieldSet path it replaces on
// creates: the same managedFields (or none) for objects of several kinds,
// for zero values, atomic values, lists with duplicate and defaulted keys,
// values of the wrong type, the admission-set fields with and without a
// request body, and seeded random mutations of a pod and a deployment.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../src/api/field_manager.h"
#include "kubesim/sim/random.h"

namespace kubesim::api {
namespace {

Object J(const char* text) { return Object::parse(text); }

const FieldManagerScope kScopes[] = {
    {"Pod", "v1", true},
    {"Pod", "v1", false},
    {"Deployment", "apps/v1", true},
    {"Service", "v1", true},
    {"Node", "v1", true},
    {"Event", "v1", false},
    {"ConfigMap", "v1", false},
    {"Widget", "example.com/v1", true},
};

// Both paths over `obj` as a create, with `request_body` as sent: the same
// object, or the same exception (a metadata that is not an object, which
// the API server never passes, makes both throw).
std::string Run(bool fast_path, const FieldManagerScope& scope, const Object& obj,
                const Object* request_body, const std::string& manager) {
  Object out = obj;
  const std::string now = "2026-11-22T10:00:00Z";
  try {
    if (fast_path) {
      UpdateManagedFields(scope, nullptr, out, manager, "", now, request_body);
    } else {
      UpdateManagedFieldsWithoutFastPathForTest(scope, nullptr, out, manager, "", now,
                                                request_body);
    }
  } catch (const Object::exception& e) {
    return std::string("exception: ") + e.what();
  }
  return out.dump();
}

void ExpectSameAsGeneral(const FieldManagerScope& scope, const Object& obj,
                         const Object* request_body, const std::string& manager = "kubectl") {
  EXPECT_EQ(Run(true, scope, obj, request_body, manager),
            Run(false, scope, obj, request_body, manager))
      << scope.kind << " status_reset=" << scope.status_reset << "\nobject: " << obj.dump()
      << "\nrequest body: " << (request_body ? request_body->dump() : "none");
}

void ExpectSameEverywhere(const Object& obj) {
  for (const auto& scope : kScopes) {
    ExpectSameAsGeneral(scope, obj, nullptr);
    ExpectSameAsGeneral(scope, obj, &obj);
    Object empty = Object::object();
    ExpectSameAsGeneral(scope, obj, &empty, "");
  }
}

const char kPod[] = R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "p", "namespace": "default", "uid": "u", "creationTimestamp": "t",
               "generateName": "p-", "labels": {"app": "web", "tier": ""},
               "annotations": {"a": "b"}, "finalizers": ["x", "y", "x"],
               "ownerReferences": [{"uid": "o1", "kind": "ReplicaSet", "name": "rs"}]},
  "spec": {"containers": [{"name": "c", "image": "nginx",
                           "ports": [{"containerPort": 80}, {"containerPort": 80, "protocol": "UDP"},
                                     {"containerPort": 80, "protocol": "TCP"}],
                           "env": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}],
                           "resources": {"requests": {"cpu": "100m"}, "limits": {}},
                           "command": ["sh", "-c"]}],
           "initContainers": [], "volumes": null,
           "tolerations": [{"key": "k", "operator": "Exists"}],
           "priority": 0, "priorityClassName": "", "preemptionPolicy": "PreemptLowerPriority",
           "serviceAccountName": "default", "serviceAccount": "default",
           "nodeSelector": {}, "affinity": {"nodeAffinity": null},
           "schedulerName": "default-scheduler", "restartPolicy": "Always"},
  "status": {"phase": "Pending", "qosClass": "Burstable", "conditions": []}})";

const char kDeployment[] = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "d", "labels": {"app": "web"}},
  "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
           "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}},
           "template": {"metadata": {"labels": {"app": "web"}, "creationTimestamp": null},
                        "spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
  "status": {}})";

TEST(FieldManagerFastPathTest, KindsAndShapes) {
  for (const char* text : {
           kPod,
           kDeployment,
           R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}})",
           R"({"metadata": {}})",
           R"({"metadata": {"name": "n"}, "spec": {}, "status": {}})",
           R"({"metadata": {"name": "n"}, "spec": null, "status": null, "data": {}})",
           R"({"metadata": null, "spec": [], "data": {"k": "v", "e": ""}})",
           R"({"metadata": {"labels": null, "annotations": {}}, "spec": {"containers": null}})",
           R"({"metadata": {"labels": []}, "spec": {"containers": {}}})",
           R"({"spec": {"containers": [1, "x", null, {}, []]}})",
           R"({"spec": {"containers": [{"name": "a"}, {"name": "a"}, {}]}})",
           R"({"spec": {"priority": 5}})",
           R"({"spec": {"priority": 5, "tolerations": []}})",
           R"({"spec": {"tolerations": [{"key": "a"}, {"key": "a"}]}, "status": {"x": 1}})",
           R"({"spec": {"ports": [{"port": 80}, {"port": 80, "protocol": "UDP"}],
                        "selector": {"a": "b"}, "type": "ClusterIP"}})",
           R"({"spec": {"taints": [{"key": "k", "effect": "NoSchedule"}], "unschedulable": true},
               "status": {"capacity": {"cpu": "4"}}})",
           R"({"involvedObject": {"kind": "Pod", "name": "p"}, "reason": "Scheduled",
               "count": 1, "source": {}, "metadata": {"name": "e"}})",
           R"({"apiVersion": "v1", "kind": "Pod"})",
           R"({})",
       }) {
    SCOPED_TRACE(text);
    ExpectSameEverywhere(J(text));
  }
}

// The request body decides which admission-set fields stay the client's.
TEST(FieldManagerFastPathTest, AdmissionSetFieldsFollowTheRequestBody) {
  const Object pod = J(kPod);
  for (const char* sent : {
           R"({})",
           R"({"spec": {}})",
           R"({"spec": {"priority": null}})",
           R"({"spec": {"tolerations": [], "serviceAccountName": "x"}})",
           R"({"spec": "not an object"})",
           R"({"spec": {"priority": 1, "priorityClassName": "", "preemptionPolicy": "Never",
                        "serviceAccount": "", "serviceAccountName": "", "tolerations": null}})",
       }) {
    SCOPED_TRACE(sent);
    const Object body = J(sent);
    for (const auto& scope : kScopes) ExpectSameAsGeneral(scope, pod, &body);
  }
  // A spec made only of admission-set fields: removing them prunes spec.
  const Object only = J(R"({"metadata": {"name": "p"}, "spec": {"priority": 0,
                                "tolerations": [{"key": "a", "operator": "Exists"}]}})");
  const Object empty = Object::object();
  ExpectSameAsGeneral({"Pod", "v1", true}, only, &empty);
}

// Replaces, drops or duplicates parts of `v` at random.
void Mutate(Object& v, Random& rng, int depth) {
  static const char* kReplacements[] = {
      "null", "{}", "[]", "\"x\"", "1", "[{}]", "{\"a\":null}", "[null]", "{\"name\":\"n\"}",
      "true"};
  if (v.is_object()) {
    std::vector<std::string> keys;
    for (const auto& [k, child] : v.items()) keys.push_back(k);
    for (const auto& k : keys) {
      const uint64_t roll = rng.Uniform(12);
      if (roll == 0) {
        v.erase(k);
      } else if (roll == 1) {
        v[k] = J(kReplacements[rng.Uniform(std::size(kReplacements))]);
      } else if (depth > 0) {
        Mutate(v[k], rng, depth - 1);
      }
    }
    if (rng.Uniform(6) == 0) v["extra"] = J(kReplacements[rng.Uniform(std::size(kReplacements))]);
  } else if (v.is_array()) {
    if (!v.empty() && rng.Uniform(5) == 0) v.push_back(v[rng.Uniform(v.size())]);
    for (auto& item : v) {
      if (depth > 0) Mutate(item, rng, depth - 1);
    }
  }
}

TEST(FieldManagerFastPathTest, RandomMutationsMatchGeneralPath) {
  Random rng(11, "field_manager_fast_path_test");
  const Object bases[] = {J(kPod), J(kDeployment)};
  for (int i = 0; i < 400 && !HasFailure(); ++i) {
    SCOPED_TRACE("mutation " + std::to_string(i));
    Object obj = bases[i % 2];
    Mutate(obj, rng, 6);
    Object body = obj;
    Mutate(body, rng, 3);
    const FieldManagerScope& scope = kScopes[rng.Uniform(std::size(kScopes))];
    ExpectSameAsGeneral(scope, obj, &obj);
    ExpectSameAsGeneral(scope, obj, &body);
    ExpectSameAsGeneral(scope, obj, nullptr);
  }
}

// Sent managedFields take the general path, which the fast path must not
// shadow: the client's entries are honoured (or reset by []).
TEST(FieldManagerFastPathTest, SentManagedFieldsKeepTheGeneralPath) {
  Object obj = J(R"({"metadata": {"name": "p", "managedFields": []}, "spec": {"a": 1}})");
  ExpectSameEverywhere(obj);
  // "m" keeps spec.b, which this create does not set; spec.a moves to kubectl.
  obj["metadata"]["managedFields"] = J(
      R"([{"manager": "m", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1",
           "fieldsV1": {"f:spec": {"f:a": {}, "f:b": {}}}}])");
  ExpectSameEverywhere(obj);
  Object out = obj;
  UpdateManagedFields({"Pod", "v1", true}, nullptr, out, "kubectl", "", "t");
  const Object& mf = out["metadata"]["managedFields"];
  ASSERT_EQ(mf.size(), 2u);
  EXPECT_EQ(mf[0]["manager"], "m");
  EXPECT_EQ(mf[0]["fieldsV1"].dump(), R"({"f:spec":{"f:b":{}}})");
  EXPECT_EQ(mf[1]["manager"], "kubectl");
}

// The fast path's output itself for a minimal create, as upstream's walk
// gives it: no "." for metadata or spec, which the Go zero value of a Pod
// already carries; "." for the labels map and the container item, absent
// before.
TEST(FieldManagerFastPathTest, MinimalPodFieldsV1) {
  Object obj = J(R"({"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": "p", "labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "c", "image": "nginx"}]}})");
  UpdateManagedFields({"Pod", "v1", true}, nullptr, obj, "kubectl", "", "T");
  EXPECT_EQ(
      obj["metadata"]["managedFields"].dump(),
      R"([{"apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":)"
      R"({".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},)"
      R"("f:image":{},"f:name":{}}}}},"manager":"kubectl","operation":"Update","time":"T"}])");
}

// The API server may hand UpdateManagedFields RequestBodyPresence(body)
// instead of the body itself (it moves the body into the object it
// creates): both paths must then give what the body gives.
TEST(FieldManagerFastPathTest, RequestBodyPresenceStandsInForTheBody) {
  const Object pod = J(kPod);
  const Object deployment = J(kDeployment);
  for (const char* sent : {
           R"({})",
           R"({"spec": {}})",
           R"({"spec": null})",
           R"({"spec": {"priority": null}})",
           R"({"spec": {"tolerations": [], "serviceAccountName": "x"}})",
           R"({"spec": "not an object"})",
           R"({"spec": [1, 2]})",
           R"({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}})",
           R"({"spec": {"priority": 1, "priorityClassName": "", "preemptionPolicy": "Never",
                        "serviceAccount": "", "serviceAccountName": "", "tolerations": null}})",
           kPod,
           kDeployment,
       }) {
    SCOPED_TRACE(sent);
    const Object body = J(sent);
    for (const auto& scope : kScopes) {
      const Object presence = RequestBodyPresence(scope.kind, body);
      for (const Object* obj : {&pod, &deployment}) {
        for (bool fast : {true, false}) {
          EXPECT_EQ(api::Run(fast, scope, *obj, &presence, "kubectl"),
                    api::Run(fast, scope, *obj, &body, "kubectl"))
              << scope.kind << " fast=" << fast << " presence=" << presence.dump();
        }
      }
    }
  }
  // Only presence is kept, and only of the admission-set fields.
  EXPECT_EQ(RequestBodyPresence("Pod", J(R"({"spec": {"priority": 3, "tolerations": [{}],
                                                       "nodeName": "n"}})"))
                .dump(),
            R"({"spec":{"priority":null,"tolerations":null}})");
  EXPECT_EQ(RequestBodyPresence("Deployment", deployment).dump(), "{}");
}

}  // namespace
}  // namespace kubesim::api
