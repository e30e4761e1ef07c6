// Tests for Informer against a fake Client whose list results and watch
// events the test controls exactly. Watch events are delivered from a
// separate "apiserver" dispatcher, as the real API server's fan-out does.
#include "kubesim/client/informer.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/sim/executor.h"
#include "kubesim/store/store.h"

namespace kubesim::client {
namespace {

using api::Object;
using api::WatchEvent;

const Time kStart = Time(seconds(1735689600));  // 2025-01-01T00:00:00Z
const api::GroupVersionResource kPods{"", "v1", "pods"};

Object Pod(const std::string& ns, const std::string& name, const std::string& phase = "Pending") {
  return Object{{"metadata", {{"namespace", ns}, {"name", name}}}, {"status", {{"phase", phase}}}};
}

// An in-memory "server": objects, a resourceVersion counter, open watches.
// Do/Watch are called on the informer's loop; the test touches it only while
// the executor is idle.
class FakeClient final : public Client {
 public:
  FakeClient(Executor* executor, Dispatcher* server_loop)
      : executor_(executor), server_loop_(server_loop) {}

  struct WatchState {
    api::WatchSink sink;
    Request request;
    bool stopped = false;
  };

  Response Do(Request request) override {
    if (request.verb == api::Verb::kList) list_times.push_back(executor_->Now());
    if (down) return Response{0, Object()};
    if (request.verb != api::Verb::kList) {
      return Response{405, Object{{"kind", "Status"}, {"code", 405}}};
    }
    Object items = Object::array();
    for (const auto& [key, obj] : objects) {
      if (request.namespace_.empty() || api::Namespace(obj) == request.namespace_) {
        items.push_back(obj);
      }
    }
    return Response{200, Object{{"kind", "PodList"},
                                {"apiVersion", "v1"},
                                {"metadata", {{"resourceVersion", std::to_string(rv)}}},
                                {"items", items}}};
  }

  StatusOr<std::unique_ptr<api::WatchHandle>> Watch(Request request, api::WatchSink sink) override {
    watch_times.push_back(executor_->Now());
    if (down || fail_watches > 0) {
      if (fail_watches > 0) --fail_watches;
      return Status::Unavailable("connection refused");
    }
    auto state = std::make_shared<WatchState>();
    state->sink = std::move(sink);
    state->request = std::move(request);
    watches.push_back(state);
    class Handle final : public api::WatchHandle {
     public:
      explicit Handle(std::shared_ptr<WatchState> s) : s_(std::move(s)) {}
      ~Handle() override { Stop(); }
      void Stop() override { s_->stopped = true; }

     private:
      std::shared_ptr<WatchState> s_;
    };
    return std::unique_ptr<api::WatchHandle>(std::make_unique<Handle>(state));
  }

  // Stores `obj` with the next resourceVersion, silently (no event).
  Object Put(Object obj) {
    obj["metadata"]["resourceVersion"] = std::to_string(++rv);
    objects[api::KeyOf(obj)] = obj;
    return obj;
  }
  Object Remove(const std::string& key) {
    Object obj = objects.at(key);
    objects.erase(key);
    obj["metadata"]["resourceVersion"] = std::to_string(++rv);
    return obj;
  }

  // Sends an event on watch `index` (default: the newest) from the server's
  // dispatcher. Delivery happens when the executor runs.
  void Emit(WatchEvent::Type type, Object obj, int index = -1) {
    std::shared_ptr<WatchState> w = watches.at(index < 0 ? watches.size() - 1 : index);
    WatchEvent event{type, api::Share(std::move(obj))};
    server_loop_->Post([w, event] {
      if (!w->stopped) w->sink(event);
    });
  }
  // Put/Remove plus the matching event.
  void PutAndEmit(Object obj) {
    bool exists = objects.contains(api::KeyOf(obj));
    Object stored = Put(std::move(obj));
    Emit(exists ? WatchEvent::Type::kModified : WatchEvent::Type::kAdded, stored);
  }
  void RemoveAndEmit(const std::string& key) { Emit(WatchEvent::Type::kDeleted, Remove(key)); }

  bool down = false;
  int fail_watches = 0;
  int64_t rv = 100;
  std::map<std::string, Object> objects;
  std::vector<std::shared_ptr<WatchState>> watches;
  std::vector<Time> list_times;
  std::vector<Time> watch_times;

 private:
  Executor* const executor_;
  Dispatcher* const server_loop_;
};

class InformerTest : public ::testing::Test {
 protected:
  InformerTest()
      : executor_(Executor::Create(kStart)),
        loop_(executor_->CreateDispatcher("controller")),
        server_loop_(executor_->CreateDispatcher("kube-apiserver")),
        client_(executor_.get(), server_loop_.get()) {}

  ~InformerTest() override {
    informer_.reset();
    loop_.reset();
    server_loop_.reset();
  }

  void MakeInformer(ListWatchOptions options = {}) {
    informer_ = std::make_unique<Informer>(&client_, loop_.get(), kPods, options);
    informer_->AddEventHandler(EventHandler{
        .on_add =
            [this](const api::ObjectPtr& o) {
              EXPECT_TRUE(loop_->IsThreadSafe());
              trace_.push_back("add " + api::KeyOf(*o) + "@" + api::ResourceVersion(*o));
            },
        .on_update =
            [this](const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj) {
              EXPECT_TRUE(loop_->IsThreadSafe());
              trace_.push_back("update " + api::KeyOf(*new_obj) + "@" +
                               api::ResourceVersion(*old_obj) + "->" +
                               api::ResourceVersion(*new_obj));
            },
        .on_delete =
            [this](const api::ObjectPtr& o) {
              EXPECT_TRUE(loop_->IsThreadSafe());
              trace_.push_back("delete " + api::KeyOf(*o));
            },
    });
  }

  std::vector<std::string> TakeTrace() { return std::exchange(trace_, {}); }

  std::vector<std::string> CacheKeys() {
    std::vector<std::string> keys;
    for (const api::ObjectPtr& o : informer_->List()) keys.push_back(api::KeyOf(*o));
    return keys;
  }

  std::unique_ptr<Executor> executor_;
  std::unique_ptr<Dispatcher> loop_;
  std::unique_ptr<Dispatcher> server_loop_;
  FakeClient client_;
  std::unique_ptr<Informer> informer_;
  std::vector<std::string> trace_;  // Written by handlers; read when idle.
};

TEST_F(InformerTest, InitialListFillsTheCacheThenWatchesFromItsVersion) {
  client_.Put(Pod("default", "b"));      // rv 101
  client_.Put(Pod("default", "a"));      // rv 102
  client_.Put(Pod("kube-system", "c"));  // rv 103
  MakeInformer();
  EXPECT_FALSE(informer_->HasSynced());
  informer_->Start();
  EXPECT_FALSE(informer_->HasSynced());  // The list runs on the loop.
  executor_->RunUntilIdle();

  EXPECT_TRUE(informer_->HasSynced());
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"add default/a@102", "add default/b@101",
                                                   "add kube-system/c@103"}));
  EXPECT_EQ(informer_->Size(), 3u);
  EXPECT_EQ(CacheKeys(), (std::vector<std::string>{"default/a", "default/b", "kube-system/c"}));
  ASSERT_NE(informer_->Get("default/b"), nullptr);
  EXPECT_EQ(api::Name(*informer_->Get("default/b")), "b");
  EXPECT_EQ(informer_->Get("default/zzz"), nullptr);
  EXPECT_EQ(informer_->LastSyncResourceVersion(), "103");

  ASSERT_EQ(client_.watches.size(), 1u);
  const Request& watch = client_.watches[0]->request;
  EXPECT_EQ(watch.verb, api::Verb::kWatch);
  EXPECT_EQ(watch.gvr, kPods);
  EXPECT_EQ(watch.resource_version, "103");
  EXPECT_TRUE(watch.allow_watch_bookmarks);
}

TEST_F(InformerTest, NamespaceAndSelectorsReachListAndWatch) {
  client_.Put(Pod("default", "a"));
  client_.Put(Pod("other", "b"));
  MakeInformer(ListWatchOptions{
      .namespace_ = "other", .label_selector = "app=web", .field_selector = "spec.nodeName=n1"});
  informer_->Start();
  executor_->RunUntilIdle();
  EXPECT_EQ(CacheKeys(), (std::vector<std::string>{"other/b"}));
  ASSERT_EQ(client_.watches.size(), 1u);
  const Request& watch = client_.watches[0]->request;
  EXPECT_EQ(watch.namespace_, "other");
  EXPECT_EQ(watch.label_selector, "app=web");
  EXPECT_EQ(watch.field_selector, "spec.nodeName=n1");
}

TEST_F(InformerTest, WatchEventsUpdateTheCacheInOrder) {
  client_.Put(Pod("default", "a"));  // 101
  MakeInformer();
  informer_->Start();
  executor_->RunUntilIdle();
  TakeTrace();

  client_.PutAndEmit(Pod("default", "b"));               // ADDED 102
  client_.PutAndEmit(Pod("default", "a", "Running"));    // MODIFIED 103
  client_.RemoveAndEmit("default/b");                    // DELETED 104
  client_.PutAndEmit(Pod("default", "a", "Succeeded"));  // MODIFIED 105
  // Nothing is applied until the loop runs the posted events.
  EXPECT_EQ(informer_->Size(), 1u);
  executor_->RunUntilIdle();

  EXPECT_EQ(TakeTrace(),
            (std::vector<std::string>{"add default/b@102", "update default/a@101->103",
                                      "delete default/b", "update default/a@103->105"}));
  EXPECT_EQ(CacheKeys(), (std::vector<std::string>{"default/a"}));
  EXPECT_EQ(api::GetString(*informer_->Get("default/a"), "/status/phase"), "Succeeded");
  EXPECT_EQ(informer_->LastSyncResourceVersion(), "105");

  // A bookmark moves the resourceVersion only.
  client_.Emit(WatchEvent::Type::kBookmark,
               Object{{"kind", "Pod"}, {"metadata", {{"resourceVersion", "250"}}}});
  executor_->RunUntilIdle();
  EXPECT_TRUE(TakeTrace().empty());
  EXPECT_EQ(informer_->LastSyncResourceVersion(), "250");
  EXPECT_EQ(informer_->Size(), 1u);

  // A DELETED for an object never seen changes nothing.
  client_.Emit(WatchEvent::Type::kDeleted, Pod("default", "ghost"));
  executor_->RunUntilIdle();
  EXPECT_TRUE(TakeTrace().empty());
  EXPECT_EQ(client_.list_times.size(), 1u);  // No relist for plain events.
}

// A burst of watch events costs the informer's loop one task (one thread
// hand-over), not one per event, and keeps their order.
TEST_F(InformerTest, BurstOfEventsIsHandledInOneTaskInOrder) {
  MakeInformer();
  informer_->Start();
  executor_->RunUntilIdle();
  TakeTrace();

  for (const char* name : {"a", "b", "c", "d", "e"}) client_.PutAndEmit(Pod("default", name));
  client_.PutAndEmit(Pod("default", "a", "Running"));
  const uint64_t before = executor_->tasks_run();
  executor_->RunUntilIdle();
  // Six sink calls on the server's loop, then one drain on the informer's.
  EXPECT_EQ(executor_->tasks_run() - before, 7u);
  EXPECT_EQ(TakeTrace(),
            (std::vector<std::string>{"add default/a@101", "add default/b@102", "add default/c@103",
                                      "add default/d@104", "add default/e@105",
                                      "update default/a@101->106"}));

  // Events arriving after the drain started get a task of their own.
  client_.PutAndEmit(Pod("default", "f"));
  executor_->RunUntilIdle();
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"add default/f@107"}));
}

TEST_F(InformerTest, DeleteHandlerGetsTheFinalObject) {
  client_.Put(Pod("default", "a"));
  MakeInformer();
  api::ObjectPtr deleted;
  EventHandler handler;
  handler.on_delete = [&deleted](const api::ObjectPtr& o) { deleted = o; };
  informer_->AddEventHandler(std::move(handler));
  informer_->Start();
  executor_->RunUntilIdle();
  client_.RemoveAndEmit("default/a");
  executor_->RunUntilIdle();
  ASSERT_NE(deleted, nullptr);
  EXPECT_EQ(api::Name(*deleted), "a");
  EXPECT_EQ(api::ResourceVersion(*deleted), "102");
  EXPECT_EQ(informer_->Size(), 0u);
}

TEST_F(InformerTest, ExpiredWatchRelistsAndReplaysTheDifference) {
  client_.Put(Pod("default", "a"));  // 101
  client_.Put(Pod("default", "b"));  // 102
  client_.Put(Pod("default", "c"));  // 103
  MakeInformer();
  informer_->Start();
  executor_->RunUntilIdle();
  TakeTrace();
  ASSERT_EQ(client_.watches.size(), 1u);

  // Changes the informer never hears about, then the watch expires.
  client_.Put(Pod("default", "a", "Running"));  // 104
  client_.Remove("default/b");                  // 105
  client_.Put(Pod("default", "d"));             // 106
  client_.Emit(WatchEvent::Type::kError, Object{{"kind", "Status"},
                                                {"apiVersion", "v1"},
                                                {"status", "Failure"},
                                                {"message", "too old resource version: 103 (104)"},
                                                {"reason", "Expired"},
                                                {"code", 410}});
  // Queued behind the error on the old watch: must be ignored.
  client_.Emit(WatchEvent::Type::kAdded, Pod("default", "stale"), 0);
  executor_->RunUntilIdle();

  EXPECT_EQ(client_.list_times.size(), 2u);
  EXPECT_EQ(client_.list_times[1], kStart);  // Relisted at once, no backoff.
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"update default/a@101->104", "add default/d@106",
                                                   "delete default/b"}));
  EXPECT_EQ(CacheKeys(), (std::vector<std::string>{"default/a", "default/c", "default/d"}));
  EXPECT_EQ(informer_->LastSyncResourceVersion(), "106");

  // The old watch is closed, a new one runs from the new list's version.
  ASSERT_EQ(client_.watches.size(), 2u);
  EXPECT_TRUE(client_.watches[0]->stopped);
  EXPECT_FALSE(client_.watches[1]->stopped);
  EXPECT_EQ(client_.watches[1]->request.resource_version, "106");

  client_.PutAndEmit(Pod("default", "c", "Running"));  // 107
  executor_->RunUntilIdle();
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"update default/c@103->107"}));
}

TEST_F(InformerTest, OtherWatchErrorsRelistAfterBackoff) {
  client_.Put(Pod("default", "a"));
  MakeInformer();
  informer_->Start();
  executor_->RunUntilIdle();
  client_.Emit(WatchEvent::Type::kError,
               Object{{"kind", "Status"}, {"reason", "InternalError"}, {"code", 500}});
  executor_->RunUntilIdle();
  EXPECT_EQ(client_.list_times.size(), 1u);
  EXPECT_TRUE(client_.watches[0]->stopped);
  executor_->AdvanceTo(kStart + seconds(1));
  EXPECT_EQ(client_.list_times.size(), 2u);
  ASSERT_EQ(client_.watches.size(), 2u);
  EXPECT_FALSE(client_.watches[1]->stopped);
}

TEST_F(InformerTest, RetriesListAndWatchWithBackoffWhileTheServerIsDown) {
  client_.Put(Pod("default", "a"));
  client_.down = true;
  MakeInformer();
  informer_->Start();
  executor_->AdvanceTo(kStart + seconds(120));
  EXPECT_FALSE(informer_->HasSynced());
  // Attempts at 0, 1, 3, 7, 15, 31, 61, 91 (capped at 30s), 121...
  std::vector<Time> expected;
  for (int s : {0, 1, 3, 7, 15, 31, 61, 91}) expected.push_back(kStart + seconds(s));
  EXPECT_EQ(client_.list_times, expected);

  client_.down = false;
  executor_->AdvanceTo(kStart + seconds(121));
  EXPECT_TRUE(informer_->HasSynced());
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"add default/a@101"}));
  EXPECT_EQ(client_.watches.size(), 1u);
  Time next;
  EXPECT_FALSE(executor_->NextDeadline(&next));  // No polling once watching.
}

TEST_F(InformerTest, FailedWatchRetriesTheListAfterBackoff) {
  client_.Put(Pod("default", "a"));
  client_.fail_watches = 2;
  MakeInformer();
  informer_->Start();
  executor_->RunUntilIdle();
  EXPECT_TRUE(informer_->HasSynced());
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"add default/a@101"}));
  executor_->AdvanceTo(kStart + seconds(10));
  EXPECT_EQ(client_.watch_times,
            (std::vector<Time>{kStart, kStart + seconds(1), kStart + seconds(3)}));
  EXPECT_EQ(client_.list_times.size(), 3u);
  ASSERT_EQ(client_.watches.size(), 1u);
  EXPECT_TRUE(TakeTrace().empty());  // Relists of unchanged objects are silent.

  client_.PutAndEmit(Pod("default", "b"));
  executor_->RunUntilIdle();
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"add default/b@102"}));
}

TEST_F(InformerTest, NoHandlerRunsAfterStop) {
  client_.Put(Pod("default", "a"));
  MakeInformer();
  informer_->Start();
  executor_->RunUntilIdle();
  TakeTrace();

  client_.PutAndEmit(Pod("default", "b"));
  executor_->RunUntilIdle();
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"add default/b@102"}));

  // An event the sink already posted to the loop, still queued at Stop.
  api::WatchSink sink = client_.watches[0]->sink;
  sink(WatchEvent{WatchEvent::Type::kAdded, api::Share(client_.Put(Pod("default", "c")))});
  informer_->Stop();
  EXPECT_TRUE(client_.watches[0]->stopped);
  executor_->RunUntilIdle();
  EXPECT_TRUE(TakeTrace().empty());
  EXPECT_EQ(informer_->Size(), 2u);

  // A sink called after Stop posts nothing.
  sink(WatchEvent{WatchEvent::Type::kAdded, api::Share(client_.Put(Pod("default", "d")))});
  EXPECT_EQ(executor_->RunUntilIdle(), 0u);
  EXPECT_TRUE(TakeTrace().empty());
}

TEST_F(InformerTest, StopBeforeTheListRunsDeliversNothing) {
  client_.Put(Pod("default", "a"));
  MakeInformer();
  informer_->Start();
  informer_->Stop();
  executor_->RunUntilIdle();
  EXPECT_TRUE(TakeTrace().empty());
  EXPECT_FALSE(informer_->HasSynced());
  EXPECT_TRUE(client_.list_times.empty());
}

TEST_F(InformerTest, DestroyingTheInformerWithEventsInFlightIsSafe) {
  client_.Put(Pod("default", "a"));
  MakeInformer();
  informer_->Start();
  executor_->RunUntilIdle();
  TakeTrace();
  api::WatchSink sink = client_.watches[0]->sink;
  sink(WatchEvent{WatchEvent::Type::kAdded, api::Share(client_.Put(Pod("default", "b")))});
  informer_.reset();
  EXPECT_TRUE(client_.watches[0]->stopped);
  executor_->RunUntilIdle();
  // A sink outliving the informer is harmless.
  sink(WatchEvent{WatchEvent::Type::kAdded, api::Share(client_.Put(Pod("default", "c")))});
  executor_->RunUntilIdle();
  EXPECT_TRUE(TakeTrace().empty());
}

// End to end through NewLocalClient and the real ApiServer's watch cache.
TEST(InformerApiServerTest, ListsAndWatchesNodes) {
  const api::GroupVersionResource nodes{"", "v1", "nodes"};
  auto node = [](const std::string& name) {
    return Object{{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", name}}}};
  };
  auto store = store::Store::CreateInMemory();
  auto executor = Executor::Create(kStart);
  auto server = api::ApiServer::Create(store.get(), executor.get(), api::NewBuiltinRegistry(), {});
  auto client = NewLocalClient(server.get(), "informer-test");
  auto loop = executor->CreateDispatcher("controller");
  ASSERT_TRUE(client->Create(nodes, "", node("n1")).ok());

  std::vector<std::string> trace;
  auto informer = std::make_unique<Informer>(client.get(), loop.get(), nodes);
  informer->AddEventHandler(EventHandler{
      .on_add = [&](const api::ObjectPtr& o) { trace.push_back("add " + api::Name(*o)); },
      .on_update = [&](const api::ObjectPtr&,
                       const api::ObjectPtr& o) { trace.push_back("update " + api::Name(*o)); },
      .on_delete = [&](const api::ObjectPtr& o) { trace.push_back("delete " + api::Name(*o)); },
  });
  informer->Start();
  executor->RunUntilIdle();
  EXPECT_TRUE(informer->HasSynced());

  ASSERT_TRUE(client->Create(nodes, "", node("n2")).ok());
  StatusOr<Object> n1 = client->Get(nodes, "", "n1");
  ASSERT_TRUE(n1.ok()) << n1.status().ToString();
  (*n1)["metadata"]["labels"] = {{"zone", "a"}};
  StatusOr<Object> updated = client->Update(nodes, *n1);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  ASSERT_TRUE(client->Delete(nodes, "", "n2").ok());
  executor->RunUntilIdle();

  EXPECT_EQ(trace, (std::vector<std::string>{"add n1", "add n2", "update n1", "delete n2"}));
  ASSERT_EQ(informer->Size(), 1u);
  EXPECT_EQ(api::Labels(*informer->Get("n1")).at("zone"), "a");
  // The last event (n2's deletion) is the newest write.
  StatusOr<Object> list = client->List(nodes, "");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(informer->LastSyncResourceVersion(),
            api::GetString(*list, "/metadata/resourceVersion"));

  informer.reset();
  loop.reset();
  server.reset();
}

}  // namespace
}  // namespace kubesim::client
