// The binding worker (src/scheduler/binding_worker.h): jobs in submission
// order, Drain as a barrier, and whole scheduling runs whose store contents
// (placements, events, resourceVersions, `why` records) are the same
// whether binding cycles run on the worker thread or inline.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../src/scheduler/binding_worker.h"
#include "kubesim/api/api_server.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/resource.h"
#include "kubesim/client/client.h"
#include "kubesim/scheduler/scheduler.h"
#include "kubesim/sim/executor.h"
#include "kubesim/store/store.h"

namespace kubesim::scheduler {
namespace {

using api::Object;

TEST(BindingWorkerTest, JobsRunOnceInSubmissionOrderAndDrainWaitsForThem) {
  for (bool threaded : {false, true}) {
    BindingWorker worker(threaded, /*avoid_cpu=*/-1);
    std::vector<int> ran;  // written by jobs only, read after Drain
    for (int round = 0; round < 50; ++round) {
      for (int i = 0; i < 20; ++i) worker.Submit([&ran, n = round * 20 + i] { ran.push_back(n); });
      worker.Drain();
      ASSERT_EQ(ran.size(), static_cast<size_t>((round + 1) * 20)) << "threaded=" << threaded;
    }
    for (size_t i = 0; i < ran.size(); ++i) ASSERT_EQ(ran[i], static_cast<int>(i));
  }
}

TEST(BindingWorkerTest, InlineWorkerRunsEachJobAtSubmit) {
  BindingWorker worker(/*threaded=*/false, -1);
  EXPECT_FALSE(worker.threaded());
  int ran = 0;
  worker.Submit([&] { ++ran; });
  EXPECT_EQ(ran, 1);
}

TEST(BindingWorkerTest, DestructionRunsWhatIsQueued) {
  int ran = 0;
  {
    BindingWorker worker(/*threaded=*/true, -1);
    EXPECT_TRUE(worker.threaded());
    for (int i = 0; i < 100; ++i) worker.Submit([&ran] { ++ran; });
  }
  EXPECT_EQ(ran, 100);
}

// --- Whole runs --------------------------------------------------------------

const Time kStart = Time(seconds(1735689600));  // 2025-01-01T00:00:00Z

Object MakeNode(const std::string& name, const std::string& cpu, bool tainted) {
  Object res = {{"cpu", cpu}, {"memory", "8Gi"}, {"pods", "110"}};
  Object node = {{"apiVersion", "v1"},
                 {"kind", "Node"},
                 {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
                 {"spec", Object::object()},
                 {"status",
                  {{"capacity", res},
                   {"allocatable", res},
                   {"conditions", Object::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
  if (tainted) {
    node["spec"]["taints"] =
        Object::array({{{"key", "dedicated"}, {"value", "infra"}, {"effect", "NoSchedule"}}});
  }
  return node;
}

Object MakePod(const std::string& name, const std::string& cpu) {
  return Object{
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"name", name}, {"namespace", "default"}}},
      {"spec",
       {{"containers",
         Object::array({{{"name", "app"},
                         {"image", "nginx"},
                         {"resources", {{"requests", {{"cpu", cpu}, {"memory", "64Mi"}}}}}}})}}}};
}

// Schedules a burst of pods, some of which cannot fit anywhere (so failures
// interleave with bindings in flight), on 120 nodes (so sampling and the
// rotating start index matter), and renders what the store then holds.
std::string RunCluster(bool binding_thread) {
  auto executor = Executor::Create(kStart);
  auto store = store::Store::CreateInMemory();
  auto server = api::ApiServer::Create(store.get(), executor.get(), api::NewBuiltinRegistry(), {});
  auto client = client::NewLocalClient(server.get(), "test");
  auto sched_client = client::NewLocalClient(server.get(), "kube-scheduler");
  EXPECT_TRUE(client->Create(api::kNamespaces, "", {{"metadata", {{"name", "default"}}}}).ok());
  SchedulerOptions options;
  options.seed = 7;
  options.binding_thread = binding_thread;
  auto scheduler = Scheduler::Create(sched_client.get(), executor.get(), options);
  for (int i = 0; i < 120; ++i) {
    const std::string cpu = i % 3 == 0 ? "2" : (i % 3 == 1 ? "4" : "8");
    EXPECT_TRUE(
        client->Create(api::kNodes, "", MakeNode("node-" + std::to_string(i), cpu, i % 10 == 0))
            .ok());
  }
  scheduler->Start();
  executor->RunUntilIdle();
  for (int i = 0; i < 150; ++i) {
    // Every seventh pod asks for more CPU than any node has.
    const std::string cpu = i % 7 == 3 ? "16" : (i % 2 == 0 ? "500m" : "1500m");
    EXPECT_TRUE(client->Create(api::kPods, "default", MakePod("p" + std::to_string(i), cpu)).ok());
    if (i % 50 == 49) executor->RunUntilIdle();
  }
  executor->RunUntilIdle();

  std::string out;
  auto pods = client->List(api::kPods, "default");
  EXPECT_TRUE(pods.ok());
  for (const Object& p : (*pods)["items"]) {
    out += api::Name(p) + " node=" + api::GetString(p, "/spec/nodeName") +
           " rv=" + api::ResourceVersion(p) + "\n";
  }
  auto events = client->List(api::kEvents, "default");
  EXPECT_TRUE(events.ok());
  for (const Object& e : (*events)["items"]) {
    out += api::Name(e) + " " + api::GetString(e, "/reason") + " rv=" + api::ResourceVersion(e) +
           " " + api::GetString(e, "/message") + "\n";
  }
  for (const char* pod : {"p0", "p3", "p149"}) {
    auto why = scheduler->Explain("default", pod);
    out += why.ok() ? why->dump() : why.status().ToString();
    out += "\n";
  }
  scheduler.reset();
  server.reset();
  return out;
}

TEST(SchedulerBindingWorkerTest, ThreadedAndInlineBindingLeaveTheSameStore) {
  const std::string inline_run = RunCluster(/*binding_thread=*/false);
  EXPECT_NE(inline_run.find("Scheduled"), std::string::npos);
  EXPECT_NE(inline_run.find("FailedScheduling"), std::string::npos);
  for (int run = 0; run < 3; ++run) EXPECT_EQ(RunCluster(/*binding_thread=*/true), inline_run);
}

}  // namespace
}  // namespace kubesim::scheduler
