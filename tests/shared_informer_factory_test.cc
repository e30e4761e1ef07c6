// Tests for SharedInformerFactory against the real ApiServer (one list+watch
// per resource whatever the number of handlers, handlers on the factory's
// thread, Stop/Start relists), and for kube-controller-manager built on it:
// a stopped and restarted controller-manager catches up on what changed
// while it was down.
#include "kubesim/client/shared_informer_factory.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/sim/executor.h"
#include "kubesim/store/store.h"
#include "shell_test_util.h"

namespace kubesim::client {
namespace {

using api::Object;

const Time kStart = Time(seconds(1735689600));  // 2025-01-01T00:00:00Z

Object Node(const std::string& name) {
  return Object{{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", name}}}};
}

// Counts the LISTs and WATCHes that reach the API server, by resource.
class CountingClient final : public Client {
 public:
  explicit CountingClient(Client* base) : base_(base) {}
  Response Do(Request request) override {
    if (request.verb == api::Verb::kList) ++lists[request.gvr.resource];
    return base_->Do(std::move(request));
  }
  StatusOr<std::unique_ptr<api::WatchHandle>> Watch(Request request, api::WatchSink sink) override {
    ++watches[request.gvr.resource];
    return base_->Watch(std::move(request), std::move(sink));
  }
  std::map<std::string, int> lists, watches;

 private:
  Client* const base_;
};

class SharedInformerFactoryTest : public ::testing::Test {
 protected:
  SharedInformerFactoryTest()
      : store_(store::Store::CreateInMemory()),
        executor_(Executor::Create(kStart)),
        server_(
            api::ApiServer::Create(store_.get(), executor_.get(), api::NewBuiltinRegistry(), {})),
        client_(NewLocalClient(server_.get(), "factory-test")),
        counting_(client_.get()),
        factory_(std::make_unique<SharedInformerFactory>(&counting_, executor_.get(),
                                                         "test/informers")) {}
  ~SharedInformerFactoryTest() override {
    factory_.reset();
    server_.reset();
  }

  // A handler that records "<tag> add|update|delete <name>" and whether it
  // ran on the factory's dispatcher.
  EventHandler Recorder(const std::string& tag) {
    auto note = [this, tag](const std::string& what, const api::ObjectPtr& o) {
      trace_.push_back(tag + " " + what + " " + api::Name(*o));
      if (!factory_->dispatcher()->IsThreadSafe()) off_thread_ = true;
    };
    return EventHandler{
        .on_add = [note](const api::ObjectPtr& o) { note("add", o); },
        .on_update = [note](const api::ObjectPtr&, const api::ObjectPtr& o) { note("update", o); },
        .on_delete = [note](const api::ObjectPtr& o) { note("delete", o); },
    };
  }
  std::vector<std::string> TakeTrace() { return std::exchange(trace_, {}); }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<api::ApiServer> server_;
  std::unique_ptr<Client> client_;
  CountingClient counting_;
  std::unique_ptr<SharedInformerFactory> factory_;
  std::vector<std::string> trace_;
  bool off_thread_ = false;
};

TEST_F(SharedInformerFactoryTest, OneListAndWatchPerResourceForEveryHandler) {
  ASSERT_TRUE(client_->Create(api::kNodes, "", Node("n1")).ok());
  Informer* a = factory_->ForResource(api::kNodes);
  Informer* b = factory_->ForResource(api::kNodes);
  ASSERT_EQ(a, b);
  // Other options are another informer.
  EXPECT_NE(factory_->ForResource(api::kNodes, ListWatchOptions{"", "zone=a", ""}), a);
  a->AddEventHandler(Recorder("first"));
  b->AddEventHandler(Recorder("second"));
  executor_->RunUntilIdle();
  EXPECT_TRUE(TakeTrace().empty()) << "nothing lists before Start";
  EXPECT_EQ(counting_.lists["nodes"], 0);

  factory_->Start();
  executor_->RunUntilIdle();
  EXPECT_TRUE(a->HasSynced());
  ASSERT_TRUE(client_->Create(api::kNodes, "", Node("n2")).ok());
  ASSERT_TRUE(client_->Delete(api::kNodes, "", "n1").ok());
  executor_->RunUntilIdle();

  EXPECT_EQ(TakeTrace(),
            (std::vector<std::string>{"first add n1", "second add n1", "first add n2",
                                      "second add n2", "first delete n1", "second delete n1"}));
  EXPECT_FALSE(off_thread_) << "handlers run on the factory's dispatcher";
  // One LIST and one WATCH for the shared informer, one each for the
  // label-selected one.
  EXPECT_EQ(counting_.lists["nodes"], 2);
  EXPECT_EQ(counting_.watches["nodes"], 2);
  EXPECT_EQ(a->Size(), 1u);
}

TEST_F(SharedInformerFactoryTest, StopRetiresTheInformersAndTheNextStartRelists) {
  ASSERT_TRUE(client_->Create(api::kNodes, "", Node("n1")).ok());
  Informer* first = factory_->ForResource(api::kNodes);
  first->AddEventHandler(Recorder("old"));
  factory_->Start();
  executor_->RunUntilIdle();
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"old add n1"}));

  factory_->Stop();
  ASSERT_TRUE(client_->Create(api::kNodes, "", Node("n2")).ok());
  executor_->RunUntilIdle();
  EXPECT_TRUE(TakeTrace().empty()) << "no handler runs after Stop";
  // The retired informer stays readable for whoever still holds it.
  EXPECT_EQ(first->Size(), 1u);

  Informer* second = factory_->ForResource(api::kNodes);
  EXPECT_NE(second, first);
  second->AddEventHandler(Recorder("new"));
  factory_->Start();
  executor_->RunUntilIdle();
  EXPECT_EQ(TakeTrace(), (std::vector<std::string>{"new add n1", "new add n2"}));
  EXPECT_EQ(counting_.lists["nodes"], 2);
  EXPECT_EQ(second->Size(), 2u);
}

TEST_F(SharedInformerFactoryTest, StartAfterStartOnlyStartsNewInformers) {
  factory_->ForResource(api::kNodes)->AddEventHandler(Recorder("nodes"));
  factory_->Start();
  executor_->RunUntilIdle();
  factory_->ForResource(api::kPods)->AddEventHandler(Recorder("pods"));
  factory_->Start();
  executor_->RunUntilIdle();
  EXPECT_EQ(counting_.lists["nodes"], 1);
  EXPECT_EQ(counting_.lists["pods"], 1);
  EXPECT_EQ(counting_.watches["nodes"], 1);
}

// kube-controller-manager on the shared factory: what changed while it was
// stopped is seen after it starts again (the new informers relist), and the
// ReplicaSet controller's expectations, lowered by handlers on the
// factory's thread, do not hold its syncs.
TEST(ControllerManagerSharedInformersTest, RestartedControllerManagerCatchesUp) {
  testing::ShellHarness h;
  h.SetStdin(
      "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: front\nspec:\n  replicas: 2\n"
      "  selector:\n    matchLabels: {app: front}\n  template:\n    metadata:\n"
      "      labels: {app: front}\n    spec:\n      containers:\n      - name: c\n"
      "        image: nginx:1.27\n");
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  ASSERT_EQ(h.Run("sleep 30s").code, 0);
  auto count = [&h] {
    auto r = h.Run("get pods -l app=front -o json");
    EXPECT_EQ(r.code, 0) << r.err;
    const nlohmann::json pods = nlohmann::json::parse(r.out);
    int n = 0;
    for (const auto& p : pods["items"]) {
      if (!p["metadata"].contains("deletionTimestamp")) ++n;
    }
    return n;
  };
  EXPECT_EQ(count(), 2);

  ASSERT_EQ(h.Run("stop controller-manager").code, 0);
  ASSERT_EQ(h.Run("scale rs front --replicas=4").code, 0);
  ASSERT_EQ(h.Run("sleep 30s").code, 0);
  EXPECT_EQ(count(), 2) << "no controller runs while stopped";

  ASSERT_EQ(h.Run("start controller-manager").code, 0);
  ASSERT_EQ(h.Run("sleep 30s").code, 0);
  EXPECT_EQ(count(), 4);
  ASSERT_EQ(h.Run("scale rs front --replicas=1").code, 0);
  ASSERT_EQ(h.Run("sleep 60s").code, 0);
  EXPECT_EQ(count(), 1);
  auto rs = nlohmann::json::parse(h.Run("get rs front -o json").out);
  EXPECT_EQ(rs["status"]["replicas"], 1);
}

// The point of sharing: a pod no controller owns, selects or cares about
// costs kube-controller-manager one task in all (the factory's watch event),
// not one per controller with a pod informer (nine before the factory).
// Executor task counts are deterministic, so the difference is exact.
TEST(ControllerManagerSharedInformersTest, AnOwnerlessPodCostsTheControllerManagerOneTask) {
  auto extra_tasks = [](bool controller_manager) -> int64_t {
    auto cluster = cluster::Cluster::Start(cluster::ClusterConfig::Default(0));
    EXPECT_TRUE(cluster.ok());
    if (!cluster.ok()) return -1;
    Executor& executor = (*cluster)->executor();
    // Pods stay Pending: no binding, no kubelet, just the pod's ADDED event.
    EXPECT_TRUE((*cluster)->StopComponent("scheduler").ok());
    if (!controller_manager) EXPECT_TRUE((*cluster)->StopComponent("controller-manager").ok());
    auto client = (*cluster)->NewClient("factory-test");
    auto pod = [](const std::string& name) {
      return Object{{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata", {{"name", name}, {"namespace", "default"}}},
                    {"spec", {{"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}};
    };
    EXPECT_TRUE(client->Create(api::kPods, "default", pod("warm-up")).ok());
    executor.RunUntilIdle();
    const uint64_t before = executor.tasks_run();
    EXPECT_TRUE(client->Create(api::kPods, "default", pod("bare")).ok());
    executor.RunUntilIdle();
    return static_cast<int64_t>(executor.tasks_run() - before);
  };
  const int64_t with = extra_tasks(true), without = extra_tasks(false);
  EXPECT_GT(without, 0);
  EXPECT_EQ(with - without, 1) << with << " tasks with, " << without << " without";
}

}  // namespace
}  // namespace kubesim::client
