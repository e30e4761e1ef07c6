// The HTTP front end's pure parts: path/query -> api::Request, and the
// discovery documents kubectl reads. (kubectl_test.cc drives the real binary.)
#include <gtest/gtest.h>

#include "../src/http/discovery.h"
#include "../src/http/openapi.h"
#include "../src/http/protobuf.h"
#include "../src/http/routing.h"
#include "kubesim/api/resource.h"

namespace kubesim::http {
namespace {

class RoutingTest : public ::testing::Test {
 protected:
  RouteResult Route(const std::string& method, const std::string& path,
                    std::multimap<std::string, std::string> params = {},
                    const std::string& body = "", const std::string& content_type = "") {
    HttpInput in;
    in.method = method;
    in.path = path;
    in.params = std::move(params);
    in.body = body;
    in.content_type = content_type;
    auto r = RouteResourceRequest(*registry_, in);
    EXPECT_TRUE(r.has_value()) << path;
    return r.value_or(RouteResult{});
  }
  std::unique_ptr<api::ResourceRegistry> registry_ = api::NewBuiltinRegistry();
};

TEST_F(RoutingTest, NamespacedGetListWatch) {
  RouteResult r = Route("GET", "/api/v1/namespaces/default/pods/web");
  EXPECT_EQ(r.request.verb, api::Verb::kGet);
  EXPECT_EQ(r.request.gvr, (api::GroupVersionResource{"", "v1", "pods"}));
  EXPECT_EQ(r.request.namespace_, "default");
  EXPECT_EQ(r.request.name, "web");
  r = Route("GET", "/apis/apps/v1/namespaces/kube-system/deployments",
            {{"labelSelector", "app=web"}, {"limit", "500"}});
  EXPECT_EQ(r.request.verb, api::Verb::kList);
  EXPECT_EQ(r.request.gvr, (api::GroupVersionResource{"apps", "v1", "deployments"}));
  EXPECT_EQ(r.request.namespace_, "kube-system");
  EXPECT_EQ(r.request.label_selector, "app=web");
  EXPECT_EQ(r.request.limit, 500);
  r = Route("GET", "/api/v1/pods",
            {{"watch", "true"},
             {"resourceVersion", "42"},
             {"allowWatchBookmarks", "true"},
             {"timeoutSeconds", "30"},
             {"fieldSelector", "spec.nodeName=w"}});
  EXPECT_EQ(r.request.verb, api::Verb::kWatch);
  EXPECT_EQ(r.request.namespace_, "");
  EXPECT_EQ(r.request.resource_version, "42");
  EXPECT_TRUE(r.request.allow_watch_bookmarks);
  EXPECT_EQ(r.request.timeout_seconds, 30);
  EXPECT_EQ(r.request.field_selector, "spec.nodeName=w");
}

TEST_F(RoutingTest, ClusterScopedAndNamespaceSubresources) {
  RouteResult r = Route("GET", "/api/v1/nodes/worker-1");
  EXPECT_EQ(r.request.gvr.resource, "nodes");
  EXPECT_EQ(r.request.name, "worker-1");
  r = Route("GET", "/api/v1/namespaces/default");
  EXPECT_EQ(r.request.gvr.resource, "namespaces");
  EXPECT_EQ(r.request.name, "default");
  EXPECT_EQ(r.request.namespace_, "");
  r = Route("PUT", "/api/v1/namespaces/gone/finalize", {}, "{}");
  EXPECT_EQ(r.request.verb, api::Verb::kUpdate);
  EXPECT_EQ(r.request.gvr.resource, "namespaces");
  EXPECT_EQ(r.request.name, "gone");
  EXPECT_EQ(r.request.subresource, "finalize");
  r = Route("POST", "/api/v1/namespaces/default/pods/web/eviction", {}, "{}");
  EXPECT_EQ(r.request.verb, api::Verb::kCreate);
  EXPECT_EQ(r.request.gvr.resource, "pods");
  EXPECT_EQ(r.request.subresource, "eviction");
  r = Route("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", {},
            R"({"spec":{"replicas":3}})", "application/merge-patch+json");
  EXPECT_EQ(r.request.verb, api::Verb::kPatch);
  EXPECT_EQ(r.request.subresource, "scale");
  EXPECT_EQ(r.request.content_type, api::kMergePatch);
  EXPECT_EQ(r.request.body["spec"]["replicas"], 3);
}

TEST_F(RoutingTest, DeleteOptionsBodyAndQuery) {
  RouteResult r =
      Route("DELETE", "/api/v1/namespaces/default/pods/web", {{"gracePeriodSeconds", "5"}},
            R"({"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background",
                            "preconditions":{"uid":"u-1"},"dryRun":["All"]})");
  EXPECT_EQ(r.request.verb, api::Verb::kDelete);
  EXPECT_EQ(r.request.grace_period_seconds, 5);
  EXPECT_EQ(r.request.propagation_policy, "Background");
  EXPECT_EQ(r.request.precondition_uid, "u-1");
  EXPECT_TRUE(r.request.dry_run);
  r = Route("DELETE", "/api/v1/namespaces/default/pods");
  EXPECT_EQ(r.request.verb, api::Verb::kDeleteCollection);
}

TEST_F(RoutingTest, BadInputIsAnErrorResponse) {
  RouteResult r = Route("POST", "/api/v1/namespaces/default/pods", {}, "{not json");
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, 400);
  r = Route("PATCH", "/api/v1/nodes/n", {}, "{}", "text/plain");
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, 415);
  r = Route("GET", "/api/v1/pods", {{"limit", "many"}});
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, 400);
  HttpInput version;
  version.method = "GET";
  version.path = "/version";
  EXPECT_FALSE(RouteResourceRequest(*registry_, version).has_value());
  version.path = "/api/v1";  // discovery, not a resource
  EXPECT_FALSE(RouteResourceRequest(*registry_, version).has_value());
}

TEST_F(RoutingTest, ServerSideApplyBodyMayBeYaml) {
  RouteResult r =
      Route("PATCH", "/api/v1/namespaces/default/pods/web", {{"fieldManager", "me"}},
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n", "application/apply-patch+yaml");
  ASSERT_FALSE(r.error.has_value());
  EXPECT_EQ(r.request.body["metadata"]["name"], "web");
  EXPECT_EQ(r.request.field_manager, "me");
}

TEST_F(RoutingTest, PodLogOptions) {
  // kubectl logs web -c nginx -p --tail=10 --timestamps --follow
  RouteResult r = Route("GET", "/api/v1/namespaces/default/pods/web/log",
                        {{"container", "nginx"},
                         {"previous", "true"},
                         {"tailLines", "10"},
                         {"timestamps", "true"},
                         {"follow", "true"}});
  EXPECT_FALSE(r.error.has_value());
  EXPECT_EQ(r.request.verb, api::Verb::kGet);
  EXPECT_EQ(r.request.subresource, "log");
  EXPECT_EQ(r.request.log_options.container, "nginx");
  EXPECT_TRUE(r.request.log_options.previous);
  r = Route("GET", "/api/v1/namespaces/default/pods/web/log");
  EXPECT_EQ(r.request.log_options.container, "");
  EXPECT_FALSE(r.request.log_options.previous);
  r = Route("GET", "/api/v1/namespaces/default/pods/web/log", {{"tailLines", "ten"}});
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, 400);
  // Only pods/log reads them.
  r = Route("GET", "/api/v1/namespaces/default/pods/web", {{"container", "nginx"}});
  EXPECT_EQ(r.request.log_options.container, "");
}

TEST(OpenApiTest, IndexAndPatchParameters) {
  auto registry = api::NewBuiltinRegistry();
  auto index = OpenApiV3Document(*registry, "/openapi/v3");
  ASSERT_TRUE(index.has_value());
  ASSERT_TRUE((*index)["paths"].contains("apis/apps/v1")) << index->dump();
  std::string url = (*index)["paths"]["apis/apps/v1"]["serverRelativeURL"];
  EXPECT_EQ(url.rfind("/openapi/v3/apis/apps/v1?hash=", 0), 0u) << url;
  EXPECT_TRUE((*index)["paths"].contains("api/v1"));
  auto apps = OpenApiV3Document(*registry, "/openapi/v3/apis/apps/v1");
  ASSERT_TRUE(apps.has_value());
  const api::Object& patch =
      (*apps)["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
  EXPECT_EQ(patch["operationId"], "patchAppsV1NamespacedDeployment");
  EXPECT_EQ(patch["x-kubernetes-group-version-kind"],
            (api::Object{{"group", "apps"}, {"kind", "Deployment"}, {"version", "v1"}}));
  std::vector<std::string> params;
  for (const auto& p : patch["parameters"]) params.push_back(p["name"]);
  EXPECT_EQ(params,
            (std::vector<std::string>{"dryRun", "fieldManager", "fieldValidation", "force"}));
  // No request body: kubectl computes apply patches from its own types.
  EXPECT_FALSE(patch.contains("requestBody"));
  auto core = OpenApiV3Document(*registry, "/openapi/v3/api/v1");
  ASSERT_TRUE(core.has_value());
  EXPECT_EQ((*core)["paths"]["/api/v1/nodes/{name}"]["patch"]["operationId"], "patchCoreV1Node");
  EXPECT_FALSE(OpenApiV3Document(*registry, "/openapi/v3/apis/nope/v1").has_value());
  EXPECT_FALSE(OpenApiV3Document(*registry, "/api/v1").has_value());
}

TEST(DiscoveryTest, CoreResourceList) {
  auto registry = api::NewBuiltinRegistry();
  auto doc = DiscoveryDocument(*registry, "/api/v1", "127.0.0.1:6443");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ((*doc)["kind"], "APIResourceList");
  EXPECT_EQ((*doc)["groupVersion"], "v1");
  api::Object pods, status, binding;
  for (const auto& r : (*doc)["resources"]) {
    if (r["name"] == "pods") pods = r;
    if (r["name"] == "pods/status") status = r;
    if (r["name"] == "pods/binding") binding = r;
  }
  EXPECT_EQ(pods["singularName"], "pod");
  EXPECT_EQ(pods["kind"], "Pod");
  EXPECT_EQ(pods["namespaced"], true);
  EXPECT_EQ(pods["shortNames"], api::Object({"po"}));
  EXPECT_EQ(pods["categories"], api::Object({"all"}));
  EXPECT_EQ(status["verbs"], api::Object({"get", "patch", "update"}));
  EXPECT_EQ(binding["kind"], "Binding");
  // Sorted by name, as kube-apiserver lists them.
  std::string prev;
  for (const auto& r : (*doc)["resources"]) {
    EXPECT_LT(prev, r["name"].get<std::string>());
    prev = r["name"];
  }
}

TEST(DiscoveryTest, GroupsAndScaleSubresource) {
  auto registry = api::NewBuiltinRegistry();
  auto groups = DiscoveryDocument(*registry, "/apis", "x");
  ASSERT_TRUE(groups.has_value());
  EXPECT_EQ((*groups)["kind"], "APIGroupList");
  EXPECT_EQ((*groups)["groups"][0]["name"], "apps");
  EXPECT_EQ((*groups)["groups"][0]["preferredVersion"]["groupVersion"], "apps/v1");
  auto apps = DiscoveryDocument(*registry, "/apis/apps/v1", "x");
  ASSERT_TRUE(apps.has_value());
  bool found = false;
  for (const auto& r : (*apps)["resources"]) {
    if (r["name"] != "deployments/scale") continue;
    found = true;
    EXPECT_EQ(r["group"], "autoscaling");
    EXPECT_EQ(r["version"], "v1");
    EXPECT_EQ(r["kind"], "Scale");
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(DiscoveryDocument(*registry, "/apis/nope/v1", "x").has_value());
  EXPECT_FALSE(DiscoveryDocument(*registry, "/apis/apps/v9", "x").has_value());
  auto api = DiscoveryDocument(*registry, "/api", "127.0.0.1:1");
  ASSERT_TRUE(api.has_value());
  EXPECT_EQ((*api)["versions"], api::Object({"v1"}));
  EXPECT_EQ((*api)["serverAddressByClientCIDRs"][0]["serverAddress"], "127.0.0.1:1");
}

// Protobuf wire format, by hand: a length-delimited field.
std::string Field(int number, const std::string& bytes) {
  std::string out(1, static_cast<char>((number << 3) | 2));
  out.push_back(static_cast<char>(bytes.size()));  // < 128 in these tests
  return out + bytes;
}
std::string VarintField(int number, uint8_t v) {
  return std::string(1, static_cast<char>(number << 3)) + std::string(1, static_cast<char>(v));
}
std::string Envelope(const std::string& api_version, const std::string& kind,
                     const std::string& raw) {
  return std::string("k8s\0", 4) + Field(1, Field(1, api_version) + Field(2, kind)) + Field(2, raw);
}

TEST(ProtobufTest, NamespaceAsKubectlCreateNamespaceSendsIt) {
  std::string meta = Field(1, "foo") + Field(11, Field(1, "team") + Field(2, "a"));
  auto obj = DecodeProtobufBody(Envelope("v1", "Namespace", Field(1, meta) + Field(2, "")));
  ASSERT_TRUE(obj.ok()) << obj.status().ToString();
  EXPECT_EQ(
      obj->dump(),
      R"({"apiVersion":"v1","kind":"Namespace","metadata":{"labels":{"team":"a"},"name":"foo"},"spec":{}})");
}

TEST(ProtobufTest, EvictionWithDeleteOptions) {
  std::string meta = Field(1, "web") + Field(3, "default");
  std::string opts = VarintField(1, 5) + Field(2, Field(1, "u-1")) + Field(5, "All");
  auto obj = DecodeProtobufBody(Envelope("policy/v1", "Eviction", Field(1, meta) + Field(2, opts)));
  ASSERT_TRUE(obj.ok()) << obj.status().ToString();
  EXPECT_EQ(
      obj->dump(),
      R"({"apiVersion":"policy/v1","deleteOptions":{"dryRun":["All"],"gracePeriodSeconds":5,)"
      R"("preconditions":{"uid":"u-1"}},"kind":"Eviction","metadata":{"name":"web","namespace":"default"}})");
}

TEST(ProtobufTest, OtherKindsAndGarbageAreRefused) {
  auto other = DecodeProtobufBody(Envelope("apps/v1", "Deployment", ""));
  EXPECT_EQ(other.status().code(), StatusCode::kUnsupportedMediaType);
  EXPECT_EQ(DecodeProtobufBody("{}").status().code(), StatusCode::kBadRequest);
  std::string truncated = Envelope("v1", "Namespace", Field(1, Field(1, "foo")));
  truncated.pop_back();
  EXPECT_EQ(DecodeProtobufBody(truncated).status().code(), StatusCode::kBadRequest);
}

TEST_F(RoutingTest, ProtobufBodyBecomesJson) {
  std::string body = Envelope("v1", "Namespace", Field(1, Field(1, "foo")));
  RouteResult r = Route("POST", "/api/v1/namespaces", {}, body, kProtobuf);
  ASSERT_FALSE(r.error.has_value()) << r.error->body.dump();
  EXPECT_EQ(r.request.body["metadata"]["name"], "foo");
}

}  // namespace
}  // namespace kubesim::http
