// The API server's REST semantics, through Request objects, against a real
// in-memory store. Expected messages are kube-apiserver's.
#include "kubesim/api/api_server.h"

#include <gtest/gtest.h>

#include <regex>

#include "kubesim/api/errors.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/cluster/cluster.h"

namespace kubesim::api {
namespace {

class ApiServerTest : public ::testing::Test {
 protected:
  ApiServerTest() {
    store_ = store::Store::CreateInMemory();
    executor_ = Executor::Create(cluster::ClusterConfig::DefaultStartTime());
    server_ = ApiServer::Create(store_.get(), executor_.get(), NewBuiltinRegistry(), {});
    for (const char* ns : {"default", "kube-system"}) {
      EXPECT_EQ(Do(Verb::kCreate, kNamespaces, "", "", Ns(ns)).code, 201);
    }
  }
  ~ApiServerTest() override { server_.reset(); }

  static Object Ns(const std::string& name) {
    return {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
  }
  static Object Pod(const std::string& name, Object labels = Object::object()) {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"labels", labels}}},
            {"spec", {{"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}};
  }
  Response Do(Verb verb, const GroupVersionResource& gvr, const std::string& ns,
              const std::string& name, Object body = Object(), const std::string& sub = "") {
    Request r;
    r.verb = verb;
    r.gvr = gvr;
    r.namespace_ = ns;
    r.name = name;
    r.body = std::move(body);
    r.subresource = sub;
    return server_->Handle(r);
  }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<ApiServer> server_;
};

TEST_F(ApiServerTest, CreateFillsServerMetadataAndDefaults) {
  Response r = Do(Verb::kCreate, kPods, "default", "", Pod("web"));
  ASSERT_EQ(r.code, 201) << r.body.dump();
  EXPECT_EQ(Namespace(r.body), "default");
  EXPECT_EQ(GetString(r.body, "/metadata/creationTimestamp"), "2025-01-01T00:00:00Z");
  EXPECT_TRUE(std::regex_match(Uid(r.body),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                          "[0-9a-f]{12}")));
  // resourceVersion is the store's mod_revision of the write.
  EXPECT_EQ(ResourceVersion(r.body), std::to_string(store_->CurrentRevision()));
  EXPECT_EQ(GetString(r.body, "/spec/restartPolicy"), "Always");
  EXPECT_EQ(GetString(r.body, "/spec/schedulerName"), "default-scheduler");
  EXPECT_EQ(GetString(r.body, "/status/phase"), "Pending");
  // DefaultTolerationSeconds admission.
  EXPECT_EQ(r.body["spec"]["tolerations"].size(), 2u);
  // Stored under kube-apiserver's key layout.
  EXPECT_TRUE(store_->Get("/registry/pods/default/web").ok());
}

TEST_F(ApiServerTest, GenerateNameAddsFiveCharactersFromUpstreamAlphabet) {
  Object pod = Pod("");
  pod["metadata"].erase("name");
  pod["metadata"]["generateName"] = "web-";
  Response a = Do(Verb::kCreate, kPods, "default", "", pod);
  Response b = Do(Verb::kCreate, kPods, "default", "", pod);
  ASSERT_EQ(a.code, 201);
  ASSERT_EQ(b.code, 201);
  std::regex shape("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
  EXPECT_TRUE(std::regex_match(Name(a.body), shape)) << Name(a.body);
  EXPECT_TRUE(std::regex_match(Name(b.body), shape)) << Name(b.body);
  EXPECT_NE(Name(a.body), Name(b.body));
}

TEST_F(ApiServerTest, ErrorsAreKubernetesStatusObjects) {
  Response missing = Do(Verb::kGet, kPods, "default", "nope");
  EXPECT_EQ(missing.code, 404);
  EXPECT_EQ(missing.body["kind"], "Status");
  EXPECT_EQ(missing.body["reason"], "NotFound");
  EXPECT_EQ(missing.body["message"], "pods \"nope\" not found");

  ASSERT_EQ(Do(Verb::kCreate, kPods, "default", "", Pod("web")).code, 201);
  Response dup = Do(Verb::kCreate, kPods, "default", "", Pod("web"));
  EXPECT_EQ(dup.code, 409);
  EXPECT_EQ(dup.body["reason"], "AlreadyExists");
  EXPECT_EQ(dup.body["message"], "pods \"web\" already exists");

  Object bad = Pod("web2");
  bad["spec"]["containers"] = Object::array();
  Response invalid = Do(Verb::kCreate, kPods, "default", "", bad);
  EXPECT_EQ(invalid.code, 422);
  EXPECT_EQ(invalid.body["reason"], "Invalid");
  EXPECT_EQ(invalid.body["message"], "Pod \"web2\" is invalid: spec.containers: Required value");
  EXPECT_EQ(invalid.body["details"]["causes"][0]["field"], "spec.containers");

  Response no_ns = Do(Verb::kCreate, kPods, "nowhere", "", Pod("x"));
  EXPECT_EQ(no_ns.code, 404);
  EXPECT_EQ(no_ns.body["message"], "namespaces \"nowhere\" not found");
}

TEST_F(ApiServerTest, StaleResourceVersionIsAConflict) {
  Response created = Do(Verb::kCreate, kPods, "default", "", Pod("web"));
  Object first = created.body;
  Object update = first;
  update["metadata"]["labels"]["v"] = "1";
  Response ok = Do(Verb::kUpdate, kPods, "default", "web", update);
  ASSERT_EQ(ok.code, 200) << ok.body.dump();
  EXPECT_NE(ResourceVersion(ok.body), ResourceVersion(first));
  // Writing again from the first read: 409, and the store is unchanged.
  store::Revision before = store_->CurrentRevision();
  Object stale = first;
  stale["metadata"]["labels"]["v"] = "2";
  Response conflict = Do(Verb::kUpdate, kPods, "default", "web", stale);
  EXPECT_EQ(conflict.code, 409);
  EXPECT_EQ(conflict.body["reason"], "Conflict");
  EXPECT_EQ(conflict.body["message"],
            "Operation cannot be fulfilled on pods \"web\": the object has been modified; please "
            "apply your changes to the latest version and try again");
  EXPECT_EQ(store_->CurrentRevision(), before);
}

TEST_F(ApiServerTest, NoOpUpdateWritesNothing) {
  Response created = Do(Verb::kCreate, kPods, "default", "", Pod("web"));
  store::Revision before = store_->CurrentRevision();
  Response same = Do(Verb::kUpdate, kPods, "default", "web", created.body);
  EXPECT_EQ(same.code, 200);
  EXPECT_EQ(store_->CurrentRevision(), before);
}

TEST_F(ApiServerTest, BindingSetsNodeAndConditionOnce) {
  Do(Verb::kCreate, kPods, "default", "", Pod("web"));
  Object binding = {{"apiVersion", "v1"},
                    {"kind", "Binding"},
                    {"metadata", {{"name", "web"}}},
                    {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", "worker-1"}}}};
  Response bound = Do(Verb::kCreate, kPods, "default", "web", binding, "binding");
  EXPECT_EQ(bound.code, 201);
  EXPECT_EQ(bound.body["status"], "Success");
  Object pod = Do(Verb::kGet, kPods, "default", "web").body;
  EXPECT_EQ(GetString(pod, "/spec/nodeName"), "worker-1");
  EXPECT_EQ(pod["status"]["conditions"][0]["type"], "PodScheduled");
  EXPECT_EQ(pod["status"]["conditions"][0]["status"], "True");
  Response again = Do(Verb::kCreate, kPods, "default", "web", binding, "binding");
  EXPECT_EQ(again.code, 409);
  EXPECT_EQ(again.body["message"],
            "Operation cannot be fulfilled on pods \"web\": pod web is already assigned to node "
            "\"worker-1\"");
}

TEST_F(ApiServerTest, StatusSubresourceChangesOnlyStatus) {
  Object pod = Do(Verb::kCreate, kPods, "default", "", Pod("web")).body;
  pod["status"]["phase"] = "Running";
  pod["spec"]["containers"][0]["image"] = "nginx:2";
  Response r = Do(Verb::kUpdate, kPods, "default", "web", pod, "status");
  ASSERT_EQ(r.code, 200) << r.body.dump();
  Object stored = Do(Verb::kGet, kPods, "default", "web").body;
  EXPECT_EQ(GetString(stored, "/status/phase"), "Running");
  EXPECT_EQ(stored["spec"]["containers"][0]["image"], "nginx");
}

TEST_F(ApiServerTest, DeleteIsGracefulOnlyForBoundPods) {
  Do(Verb::kCreate, kPods, "default", "", Pod("unbound"));
  Request del;
  del.verb = Verb::kDelete;
  del.gvr = kPods;
  del.namespace_ = "default";
  del.name = "unbound";
  EXPECT_EQ(server_->Handle(del).code, 200);
  EXPECT_EQ(Do(Verb::kGet, kPods, "default", "unbound").code, 404);

  Object pod = Pod("bound");
  pod["spec"]["nodeName"] = "worker-1";
  Do(Verb::kCreate, kPods, "default", "", pod);
  del.name = "bound";
  Response r = server_->Handle(del);
  EXPECT_EQ(r.code, 200);
  Object stored = Do(Verb::kGet, kPods, "default", "bound").body;
  EXPECT_EQ(GetString(stored, "/metadata/deletionTimestamp"), "2025-01-01T00:00:30Z");
  EXPECT_EQ(GetInt(stored, "/metadata/deletionGracePeriodSeconds"), 30);
  del.grace_period_seconds = 0;  // what the kubelet (or --force) sends
  EXPECT_EQ(server_->Handle(del).code, 200);
  EXPECT_EQ(Do(Verb::kGet, kPods, "default", "bound").code, 404);
}

TEST_F(ApiServerTest, ListFiltersBySelectorsAndAnswersTables) {
  Do(Verb::kCreate, kPods, "default", "", Pod("a", {{"app", "web"}}));
  Do(Verb::kCreate, kPods, "default", "", Pod("b", {{"app", "db"}}));
  Do(Verb::kCreate, kPods, "kube-system", "", Pod("c", {{"app", "web"}}));
  Request list;
  list.verb = Verb::kList;
  list.gvr = kPods;
  list.label_selector = "app=web";
  Response all = server_->Handle(list);
  ASSERT_EQ(all.code, 200);
  EXPECT_EQ(all.body["kind"], "PodList");
  ASSERT_EQ(all.body["items"].size(), 2u);
  list.namespace_ = "default";
  list.field_selector = "metadata.name=a";
  EXPECT_EQ(server_->Handle(list).body["items"].size(), 1u);
  list.field_selector = "spec.bogus=1";
  Response bad = server_->Handle(list);
  EXPECT_EQ(bad.code, 400);
  EXPECT_EQ(bad.body["message"], "field label not supported: spec.bogus");
  list.field_selector = "";
  list.accept = kAcceptTable;
  Response table = server_->Handle(list);
  EXPECT_EQ(table.body["kind"], "Table");
  EXPECT_EQ(table.body["columnDefinitions"][0]["name"], "Name");
  EXPECT_EQ(table.body["rows"][0]["cells"][0], "a");
  EXPECT_EQ(table.body["rows"][0]["object"]["kind"], "PartialObjectMetadata");
}

TEST_F(ApiServerTest, WatchDeliversInOrderWithSelectors) {
  std::vector<std::string> seen;
  auto sink = [&](const WatchEvent& e) {
    seen.push_back(std::string(WatchEventTypeName(e.type)) + " " + Name(*e.object));
  };
  Do(Verb::kCreate, kPods, "default", "", Pod("before", {{"app", "web"}}));
  Request w;
  w.verb = Verb::kWatch;
  w.gvr = kPods;
  w.namespace_ = "default";
  w.label_selector = "app=web";
  auto handle = server_->Watch(w, sink);
  ASSERT_TRUE(handle.ok());
  Do(Verb::kCreate, kPods, "default", "", Pod("other", {{"app", "db"}}));
  Object p = Do(Verb::kCreate, kPods, "default", "", Pod("after", {{"app", "web"}})).body;
  p["metadata"]["labels"]["app"] = "db";  // stops matching: DELETED
  Do(Verb::kUpdate, kPods, "default", "after", p);
  executor_->RunUntilIdle();
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED before", "ADDED after", "DELETED after"}));
}

TEST_F(ApiServerTest, WatchFromResourceVersionReplaysAndTooOldIsGone) {
  Object a = Do(Verb::kCreate, kPods, "default", "", Pod("a")).body;
  Do(Verb::kCreate, kPods, "default", "", Pod("b"));
  executor_->RunUntilIdle();
  std::vector<std::string> seen;
  Request w;
  w.verb = Verb::kWatch;
  w.gvr = kPods;
  w.resource_version = ResourceVersion(a);
  auto handle = server_->Watch(w, [&](const WatchEvent& e) { seen.push_back(Name(*e.object)); });
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ(seen, std::vector<std::string>{"b"});
  // Ten minutes later two compactions have dropped that history.
  executor_->AdvanceBy(std::chrono::minutes(11));
  Do(Verb::kCreate, kPods, "default", "", Pod("c"));
  executor_->AdvanceBy(std::chrono::minutes(11));
  auto old = server_->Watch(w, [](const WatchEvent&) {});
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kGone);
  EXPECT_EQ(old.status().message().rfind("too old resource version: " + ResourceVersion(a), 0), 0u)
      << old.status().message();
}

// Request::discard_result: the 201 carries no object, and nothing else
// changes. A twin server (same seed, same history) creating the same pod
// without the flag answers exactly the object the first one stored and
// hands its watchers.
TEST_F(ApiServerTest, CreateDiscardingResultStoresAndWatchesTheSameObject) {
  auto twin_store = store::Store::CreateInMemory();
  auto twin_executor = Executor::Create(cluster::ClusterConfig::DefaultStartTime());
  auto twin = ApiServer::Create(twin_store.get(), twin_executor.get(), NewBuiltinRegistry(), {});
  for (const char* ns : {"default", "kube-system"}) {
    Request r;
    r.verb = Verb::kCreate;
    r.gvr = kNamespaces;
    r.body = Ns(ns);
    ASSERT_EQ(twin->Handle(r).code, 201);
  }
  std::vector<ObjectPtr> watched;
  Request w;
  w.verb = Verb::kWatch;
  w.gvr = kPods;
  w.namespace_ = "default";
  auto handle = server_->Watch(w, [&](const WatchEvent& e) { watched.push_back(e.object); });
  ASSERT_TRUE(handle.ok());

  Object pod = Pod("web");
  pod["spec"]["unknownField"] = 1;  // its warning still comes back
  Request create;
  create.verb = Verb::kCreate;
  create.gvr = kPods;
  create.namespace_ = "default";
  create.body = pod;
  create.discard_result = true;
  Response discarded = server_->Handle(std::move(create));
  ASSERT_EQ(discarded.code, 201);
  EXPECT_TRUE(discarded.body.is_null()) << discarded.body.dump();
  EXPECT_EQ(discarded.warnings, (std::vector<std::string>{"unknown field \"spec.unknownField\""}));

  Request twin_create;
  twin_create.verb = Verb::kCreate;
  twin_create.gvr = kPods;
  twin_create.namespace_ = "default";
  twin_create.body = pod;
  Response full = twin->Handle(twin_create);
  ASSERT_EQ(full.code, 201);
  EXPECT_EQ(full.warnings, discarded.warnings);

  executor_->RunUntilIdle();
  ASSERT_EQ(watched.size(), 1u);
  EXPECT_EQ(*watched[0], full.body);
  Response got = Do(Verb::kGet, kPods, "default", "web");
  ASSERT_EQ(got.code, 200);
  EXPECT_EQ(got.body, full.body);
  EXPECT_EQ(store_->Get("/registry/pods/default/web")->value,
            twin_store->Get("/registry/pods/default/web")->value);

  // Failures still say why; a dry run still answers its object.
  Request again;
  again.verb = Verb::kCreate;
  again.gvr = kPods;
  again.namespace_ = "default";
  again.body = Pod("web");
  again.discard_result = true;
  Response exists = server_->Handle(again);
  EXPECT_EQ(exists.code, 409);
  EXPECT_EQ(exists.body.value("reason", ""), "AlreadyExists");
  again.body = Pod("dry");
  again.dry_run = true;
  Response dry = server_->Handle(again);
  EXPECT_EQ(dry.code, 201);
  EXPECT_EQ(Name(dry.body), "dry");
  handle.value()->Stop();
  twin.reset();
}

TEST_F(ApiServerTest, StoppedServerAnswersNothing) {
  server_->SetServing(false);
  EXPECT_EQ(Do(Verb::kGet, kNamespaces, "", "default").code, 0);
  server_->SetServing(true);
  EXPECT_EQ(Do(Verb::kGet, kNamespaces, "", "default").code, 200);
}

}  // namespace
}  // namespace kubesim::api
