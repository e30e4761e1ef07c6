// Tests for EventRecorder (client-go makeEvent + EventCorrelator
// aggregation) and for Client's typed helpers, against a fake Client that
// stores Events in memory.
#include "kubesim/client/event_recorder.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/sim/clock.h"
#include "kubesim/sim/executor.h"
#include "kubesim/store/store.h"

namespace kubesim::client {
namespace {

using api::Object;

const Time kStart = Time(seconds(1735689600));  // 2025-01-01T00:00:00Z

// Stores objects by "ns/name" with a resourceVersion counter; answers
// get/create/update as the API server would (404, 409 AlreadyExists, 409
// Conflict on a stale resourceVersion).
class FakeClient final : public Client {
 public:
  Response Do(Request request) override {
    requests.push_back(request);
    if (down) return Response{0, Object()};
    const std::string key = request.namespace_ + "/" + request.name;
    switch (request.verb) {
      case api::Verb::kGet: {
        auto it = objects.find(key);
        if (it == objects.end()) return api::NotFound(request.gvr.resource, request.name);
        return Response{200, it->second};
      }
      case api::Verb::kCreate: {
        Object obj = request.body;
        const std::string name = api::Name(obj);
        const std::string k = request.namespace_ + "/" + name;
        if (objects.contains(k)) return api::AlreadyExists(request.gvr.resource, name);
        obj["metadata"]["resourceVersion"] = std::to_string(++rv);
        obj["metadata"]["uid"] = "uid-" + std::to_string(rv);
        objects[k] = obj;
        return Response{201, obj};
      }
      case api::Verb::kUpdate: {
        auto it = objects.find(key);
        if (it == objects.end()) return api::NotFound(request.gvr.resource, request.name);
        if (conflicts > 0 ||
            api::ResourceVersion(request.body) != api::ResourceVersion(it->second)) {
          if (conflicts > 0) --conflicts;
          return api::Conflict(request.gvr.resource, request.name,
                               "the object has been modified; please apply your changes to "
                               "the latest version and try again");
        }
        Object obj = request.body;
        obj["metadata"]["resourceVersion"] = std::to_string(++rv);
        it->second = obj;
        return Response{200, obj};
      }
      case api::Verb::kDelete: {
        if (objects.erase(key) == 0) return api::NotFound(request.gvr.resource, request.name);
        return Response{200, Object{{"kind", "Status"}, {"status", "Success"}}};
      }
      default:
        return api::MethodNotSupported(request.gvr.resource, api::VerbName(request.verb));
    }
  }

  StatusOr<std::unique_ptr<api::WatchHandle>> Watch(Request, api::WatchSink) override {
    return Status::Unavailable("no watches here");
  }

  std::vector<Object> Events() const {
    std::vector<Object> out;
    for (const auto& [key, obj] : objects) out.push_back(obj);
    return out;
  }

  bool down = false;
  int conflicts = 0;  // How many updates to refuse with 409 Conflict.
  int64_t rv = 0;
  std::map<std::string, Object> objects;
  std::vector<Request> requests;
};

std::string HexNanos(Time t) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llx",
                static_cast<unsigned long long>(t.time_since_epoch().count()));
  return buf;
}

Object PodObject() {
  return Object{
      {"kind", "Pod"},
      {"apiVersion", "v1"},
      {"metadata",
       {{"name", "web"}, {"namespace", "shop"}, {"uid", "pod-uid-1"}, {"resourceVersion", "42"}}}};
}

const api::GroupVersionResource kEvents{"", "v1", "events"};

TEST(EventRecorderTest, CreatesAnEventShapedLikeClientGos) {
  SimulatedClock clock(kStart);
  FakeClient client;
  EventRecorder recorder(&client, clock, "kubelet", "node-1");
  recorder.Event(PodObject(), "Normal", "Pulled", "Successfully pulled image \"nginx\"",
                 "spec.containers{nginx}");

  ASSERT_EQ(client.requests.size(), 1u);
  const Request& create = client.requests[0];
  EXPECT_EQ(create.verb, api::Verb::kCreate);
  EXPECT_EQ(create.gvr, kEvents);
  EXPECT_EQ(create.namespace_, "shop");
  // The recorder reads only the outcome: the server may skip answering the
  // Event itself.
  EXPECT_TRUE(create.discard_result);

  const std::string name = "web." + HexNanos(kStart);
  EXPECT_EQ(name, "web.1816687ec0570000");  // 1735689600e9 in hex.
  Object expected = {
      {"kind", "Event"},
      {"apiVersion", "v1"},
      {"metadata", {{"name", name}, {"namespace", "shop"}}},
      {"involvedObject",
       {{"kind", "Pod"},
        {"namespace", "shop"},
        {"name", "web"},
        {"uid", "pod-uid-1"},
        {"apiVersion", "v1"},
        {"resourceVersion", "42"},
        {"fieldPath", "spec.containers{nginx}"}}},
      {"reason", "Pulled"},
      {"message", "Successfully pulled image \"nginx\""},
      {"source", {{"component", "kubelet"}, {"host", "node-1"}}},
      {"firstTimestamp", "2025-01-01T00:00:00Z"},
      {"lastTimestamp", "2025-01-01T00:00:00Z"},
      {"count", 1},
      {"type", "Normal"},
      {"eventTime", nullptr},
      {"reportingComponent", "kubelet"},
      {"reportingInstance", "node-1"},
  };
  EXPECT_EQ(create.body, expected) << create.body.dump(2);
  EXPECT_EQ(client.objects.size(), 1u);
}

TEST(EventRecorderTest, ClusterScopedObjectsGetDefaultNamespaceAndNoHost) {
  SimulatedClock clock(kStart);
  FakeClient client;
  EventRecorder recorder(&client, clock, "default-scheduler");
  Object node = {
      {"kind", "Node"}, {"apiVersion", "v1"}, {"metadata", {{"name", "node-1"}, {"uid", "n-uid"}}}};
  recorder.Event(node, "Warning", "NodeNotReady", "Node is not ready");

  ASSERT_EQ(client.objects.size(), 1u);
  const Object& ev = client.objects.begin()->second;
  EXPECT_EQ(api::Namespace(ev), "default");
  EXPECT_EQ(ev["involvedObject"],
            (Object{{"kind", "Node"}, {"name", "node-1"}, {"uid", "n-uid"}, {"apiVersion", "v1"}}));
  EXPECT_EQ(ev["source"], (Object{{"component", "default-scheduler"}}));
  EXPECT_EQ(ev["reportingComponent"], "default-scheduler");
  EXPECT_EQ(ev["reportingInstance"], "");
  EXPECT_EQ(ev["type"], "Warning");
}

TEST(EventRecorderTest, IdenticalEventsWithinTenMinutesAreCounted) {
  SimulatedClock clock(kStart);
  FakeClient client;
  EventRecorder recorder(&client, clock, "kubelet", "node-1");
  recorder.Event(PodObject(), "Warning", "BackOff", "Back-off restarting failed container");
  clock.Set(kStart + minutes(1));
  recorder.Event(PodObject(), "Warning", "BackOff", "Back-off restarting failed container");
  clock.Set(kStart + minutes(5));
  recorder.Event(PodObject(), "Warning", "BackOff", "Back-off restarting failed container");

  ASSERT_EQ(client.objects.size(), 1u);
  const Object& ev = client.objects.begin()->second;
  EXPECT_EQ(api::Name(ev), "web." + HexNanos(kStart));
  EXPECT_EQ(ev["count"], 3);
  EXPECT_EQ(ev["firstTimestamp"], "2025-01-01T00:00:00Z");
  EXPECT_EQ(ev["lastTimestamp"], "2025-01-01T00:05:00Z");
  // Aggregation reads then updates the existing event.
  std::vector<api::Verb> verbs;
  for (const Request& r : client.requests) verbs.push_back(r.verb);
  EXPECT_EQ(verbs, (std::vector<api::Verb>{api::Verb::kCreate, api::Verb::kGet, api::Verb::kUpdate,
                                           api::Verb::kGet, api::Verb::kUpdate}));

  // More than ten minutes after the last one: a fresh event.
  clock.Set(kStart + minutes(16));
  recorder.Event(PodObject(), "Warning", "BackOff", "Back-off restarting failed container");
  ASSERT_EQ(client.objects.size(), 2u);
  const Object& fresh = client.objects.at("shop/web." + HexNanos(kStart + minutes(16)));
  EXPECT_EQ(fresh["count"], 1);
  EXPECT_EQ(fresh["firstTimestamp"], "2025-01-01T00:16:00Z");
}

TEST(EventRecorderTest, DifferentEventsAtOneInstantGetDistinctNames) {
  SimulatedClock clock(kStart);
  FakeClient client;
  EventRecorder recorder(&client, clock, "kubelet", "node-1");
  recorder.Event(PodObject(), "Normal", "Pulling", "Pulling image \"nginx\"");
  recorder.Event(PodObject(), "Normal", "Pulled", "Successfully pulled image \"nginx\"");
  recorder.Event(PodObject(), "Normal", "Created", "Created container nginx", "spec.containers{a}");
  recorder.Event(PodObject(), "Normal", "Created", "Created container nginx", "spec.containers{b}");
  ASSERT_EQ(client.objects.size(), 4u);
  for (const Object& ev : client.Events()) EXPECT_EQ(ev["count"], 1);

  // Another recorder at the same instant collides on the name and moves on.
  EventRecorder scheduler(&client, clock, "default-scheduler");
  scheduler.Event(PodObject(), "Normal", "Scheduled", "Successfully assigned shop/web to node-1");
  EXPECT_EQ(client.objects.size(), 5u);
  bool found = false;
  for (const Object& ev : client.Events()) {
    if (ev["reason"] == "Scheduled") {
      found = true;
      EXPECT_EQ(ev["source"]["component"], "default-scheduler");
    }
  }
  EXPECT_TRUE(found);
}

TEST(EventRecorderTest, WriteErrorsAreIgnoredAndAggregationRecovers) {
  SimulatedClock clock(kStart);
  FakeClient client;
  EventRecorder recorder(&client, clock, "kubelet", "node-1");
  client.down = true;
  recorder.Event(PodObject(), "Normal", "Started", "Started container nginx");  // Lost.
  EXPECT_TRUE(client.objects.empty());

  // The server is back; the identical event is not found, so it is created
  // again under the remembered name with the running count.
  client.down = false;
  clock.Set(kStart + seconds(30));
  recorder.Event(PodObject(), "Normal", "Started", "Started container nginx");
  ASSERT_EQ(client.objects.size(), 1u);
  const Object& ev = client.objects.begin()->second;
  EXPECT_EQ(api::Name(ev), "web." + HexNanos(kStart));
  EXPECT_EQ(ev["count"], 2);
  EXPECT_EQ(ev["firstTimestamp"], "2025-01-01T00:00:00Z");
  EXPECT_EQ(ev["lastTimestamp"], "2025-01-01T00:00:30Z");

  // A conflicting update is retried with a fresh read.
  client.conflicts = 1;
  clock.Set(kStart + seconds(40));
  recorder.Event(PodObject(), "Normal", "Started", "Started container nginx");
  EXPECT_EQ(client.objects.begin()->second["count"], 3);

  // Deleted meanwhile (events expire): recreated.
  client.objects.clear();
  clock.Set(kStart + seconds(50));
  recorder.Event(PodObject(), "Normal", "Started", "Started container nginx");
  ASSERT_EQ(client.objects.size(), 1u);
  EXPECT_EQ(client.objects.begin()->second["count"], 4);

  // Everything refused: no crash, nothing written.
  client.down = true;
  clock.Set(kStart + seconds(60));
  recorder.Event(PodObject(), "Normal", "Started", "Started container nginx");
  recorder.Event(PodObject(), "Warning", "Failed", "Error: ErrImagePull");
  EXPECT_EQ(client.objects.begin()->second["count"], 4);
}

TEST(EventRecorderClientTest, TypedHelpersBuildRequestsAndMapFailures) {
  FakeClient client;
  const api::GroupVersionResource pods{"", "v1", "pods"};
  Object pod = {{"metadata", {{"name", "p"}, {"namespace", "ns"}}}};

  StatusOr<Object> created = client.Create(pods, "ns", pod);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(api::ResourceVersion(*created), "1");
  EXPECT_EQ(client.requests.back().namespace_, "ns");

  StatusOr<Object> dup = client.Create(pods, "ns", pod);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(), "pods \"p\" already exists");

  Status quiet = client.CreateDiscardingResult(pods, "ns", Object{{"metadata", {{"name", "q"}}}});
  EXPECT_TRUE(quiet.ok()) << quiet.ToString();
  EXPECT_TRUE(client.requests.back().discard_result);
  EXPECT_EQ(client.requests.back().verb, api::Verb::kCreate);
  EXPECT_EQ(client.requests.back().namespace_, "ns");
  EXPECT_FALSE(client.requests[0].discard_result);  // plain Create wants the object
  Status quiet_dup = client.CreateDiscardingResult(pods, "ns", pod);
  EXPECT_EQ(quiet_dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(quiet_dup.message(), "pods \"p\" already exists");

  StatusOr<Object> got = client.Get(pods, "ns", "p");
  ASSERT_TRUE(got.ok());
  Object changed = *got;
  changed["spec"] = {{"x", 1}};
  StatusOr<Object> updated = client.Update(pods, changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(client.requests.back().verb, api::Verb::kUpdate);
  EXPECT_EQ(client.requests.back().namespace_, "ns");
  EXPECT_EQ(client.requests.back().name, "p");
  EXPECT_EQ(client.requests.back().subresource, "");

  StatusOr<Object> stale = client.UpdateStatus(pods, changed);  // Old resourceVersion.
  EXPECT_EQ(stale.status().code(), StatusCode::kConflict);
  EXPECT_EQ(client.requests.back().subresource, "status");

  (void)client.Patch(pods, "ns", "p", api::kMergePatch, Object{{"a", 1}}, "status");
  EXPECT_EQ(client.requests.back().verb, api::Verb::kPatch);
  EXPECT_EQ(client.requests.back().content_type, api::kMergePatch);
  EXPECT_EQ(client.requests.back().subresource, "status");

  (void)client.List(pods, "ns", "app=x", "spec.nodeName=n");
  EXPECT_EQ(client.requests.back().verb, api::Verb::kList);
  EXPECT_EQ(client.requests.back().label_selector, "app=x");
  EXPECT_EQ(client.requests.back().field_selector, "spec.nodeName=n");

  EXPECT_TRUE(client.Delete(pods, "ns", "p", 0).ok());
  EXPECT_EQ(client.requests.back().grace_period_seconds, std::optional<int64_t>(0));
  Status missing = client.Delete(pods, "ns", "p");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "pods \"p\" not found");
  EXPECT_EQ(client.requests.back().grace_period_seconds, std::nullopt);

  client.down = true;
  EXPECT_EQ(client.Get(pods, "ns", "p").status().code(), StatusCode::kUnavailable);
}

// End to end through NewLocalClient and the real ApiServer.
TEST(EventRecorderApiServerTest, CreatesAndAggregatesEvents) {
  auto store = store::Store::CreateInMemory();
  auto executor = Executor::Create(kStart);
  auto server = api::ApiServer::Create(store.get(), executor.get(), api::NewBuiltinRegistry(), {});
  auto client = NewLocalClient(server.get(), "kubelet");
  (void)client->Create(
      {"", "v1", "namespaces"}, "",
      Object{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "default"}}}});
  StatusOr<Object> node = client->Create(
      {"", "v1", "nodes"}, "",
      Object{{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "node-1"}}}});
  ASSERT_TRUE(node.ok()) << node.status().ToString();

  EventRecorder recorder(client.get(), executor->clock(), "kubelet", "node-1");
  recorder.Event(*node, "Normal", "Starting", "Starting kubelet.");
  executor->AdvanceBy(seconds(5));
  recorder.Event(*node, "Normal", "Starting", "Starting kubelet.");
  recorder.Event(*node, "Normal", "NodeReady", "Node node-1 status is now: NodeReady");

  StatusOr<Object> list = client->List(kEvents, "default");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  const Object& items = (*list)["items"];
  ASSERT_EQ(items.size(), 2u) << list->dump(2);
  std::map<std::string, Object> by_reason;
  for (const Object& ev : items) by_reason[ev["reason"].get<std::string>()] = ev;
  const Object& starting = by_reason.at("Starting");
  EXPECT_EQ(api::Name(starting), "node-1." + HexNanos(kStart));
  EXPECT_EQ(starting["count"], 2);
  EXPECT_EQ(starting["firstTimestamp"], "2025-01-01T00:00:00Z");
  EXPECT_EQ(starting["lastTimestamp"], "2025-01-01T00:00:05Z");
  EXPECT_EQ(starting["involvedObject"]["uid"], api::Uid(*node));
  EXPECT_EQ(by_reason.at("NodeReady")["count"], 1);
  server.reset();
}

}  // namespace
}  // namespace kubesim::client
