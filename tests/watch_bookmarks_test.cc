// BOOKMARK events from the API server's watch cache, on the simulated clock
// (k8s.io/apiserver/pkg/storage/cacher: defaultBookmarkFrequency = 1m, a
// bookmark 2 s before the watch's deadline, the kind's last revision).
#include <gtest/gtest.h>

#include "kubesim/api/api_server.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/cluster/cluster.h"

namespace kubesim::api {
namespace {

class WatchBookmarksTest : public ::testing::Test {
 protected:
  WatchBookmarksTest() {
    store_ = store::Store::CreateInMemory();
    executor_ = Executor::Create(cluster::ClusterConfig::DefaultStartTime());
    server_ = ApiServer::Create(store_.get(), executor_.get(), NewBuiltinRegistry(), {});
    for (const char* ns : {"default", "kube-system"}) {
      Request r;
      r.verb = Verb::kCreate;
      r.gvr = kNamespaces;
      r.body = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
      EXPECT_EQ(server_->Handle(r).code, 201);
    }
  }
  ~WatchBookmarksTest() override {
    handle_.reset();
    server_.reset();
  }

  // Creates pod `name` in `ns`; its resourceVersion.
  std::string CreatePod(const std::string& ns, const std::string& name) {
    Request r;
    r.verb = Verb::kCreate;
    r.gvr = kPods;
    r.namespace_ = ns;
    r.body = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", name}}},
              {"spec", {{"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}};
    Response resp = server_->Handle(r);
    EXPECT_EQ(resp.code, 201) << resp.body.dump();
    return ResourceVersion(resp.body);
  }

  // Watches pods in "default" from now; events land in events_.
  void WatchPods(bool bookmarks, int64_t timeout_seconds = 0) {
    Request w;
    w.verb = Verb::kWatch;
    w.gvr = kPods;
    w.namespace_ = "default";
    w.allow_watch_bookmarks = bookmarks;
    w.timeout_seconds = timeout_seconds;
    auto handle = server_->Watch(w, [this](const WatchEvent& e) {
      events_.push_back(std::string(WatchEventTypeName(e.type)) + " " + e.object->dump());
    });
    ASSERT_TRUE(handle.ok()) << handle.status().ToString();
    handle_ = std::move(*handle);
  }

  static std::string Bookmark(const std::string& rv) {
    // The shape kube-apiserver 1.32 writes: the zero Pod, encoded by Go.
    return "BOOKMARK " + Object::parse(R"({"kind":"Pod","apiVersion":"v1","metadata":{
             "resourceVersion":")" + rv +
                                       R"(","creationTimestamp":null},
             "spec":{"containers":null},"status":{}})")
                             .dump();
  }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<WatchHandle> handle_;
  std::vector<std::string> events_;  // written by the fan-out loop while the test drives
};

TEST_F(WatchBookmarksTest, EveryMinuteWithTheKindsLatestRevision) {
  WatchPods(/*bookmarks=*/true);
  // A pod the watch does not see (another namespace) still moves the pods
  // cache: the bookmark tells the client it may resume from there.
  std::string rv = CreatePod("kube-system", "elsewhere");
  executor_->AdvanceBy(std::chrono::seconds(59));
  EXPECT_TRUE(events_.empty());
  executor_->AdvanceBy(std::chrono::seconds(1));
  EXPECT_EQ(events_, std::vector<std::string>{Bookmark(rv)});
  EXPECT_EQ(rv, std::to_string(store_->CurrentRevision()));

  // Another kind's write moves the store but not the pods cache: the next
  // bookmark still carries the last pod revision.
  events_.clear();
  Request ns;
  ns.verb = Verb::kCreate;
  ns.gvr = kNamespaces;
  ns.body = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "other"}}}};
  ASSERT_EQ(server_->Handle(ns).code, 201);
  executor_->AdvanceBy(std::chrono::seconds(60));
  EXPECT_EQ(events_, std::vector<std::string>{Bookmark(rv)});

  // A pod the watch sees arrives as ADDED, then the bookmark a minute after
  // the previous one carries its revision.
  events_.clear();
  std::string seen = CreatePod("default", "here");
  executor_->AdvanceBy(std::chrono::seconds(60));
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[0].rfind("ADDED ", 0), 0u) << events_[0];
  EXPECT_EQ(events_[1], Bookmark(seen));
}

TEST_F(WatchBookmarksTest, NoneUnlessAsked) {
  WatchPods(/*bookmarks=*/false);
  CreatePod("kube-system", "elsewhere");
  executor_->AdvanceBy(std::chrono::minutes(5));
  EXPECT_TRUE(events_.empty());
}

TEST_F(WatchBookmarksTest, NoneWhileTheKindHasNotMovedPastTheWatchStart) {
  // cache_watcher.go sends only events newer than the watch's start.
  WatchPods(/*bookmarks=*/true);
  executor_->AdvanceBy(std::chrono::minutes(3));
  EXPECT_TRUE(events_.empty());
}

TEST_F(WatchBookmarksTest, OneTwoSecondsBeforeTheDeadlineThenNoMore) {
  WatchPods(/*bookmarks=*/true, /*timeout_seconds=*/30);
  std::string rv = CreatePod("kube-system", "elsewhere");
  executor_->AdvanceBy(std::chrono::seconds(27));
  EXPECT_TRUE(events_.empty());
  executor_->AdvanceBy(std::chrono::seconds(1));
  EXPECT_EQ(events_, std::vector<std::string>{Bookmark(rv)});
  executor_->AdvanceBy(std::chrono::minutes(5));
  EXPECT_EQ(events_.size(), 1u);
}

TEST_F(WatchBookmarksTest, StoppedWatchGetsNone) {
  WatchPods(/*bookmarks=*/true);
  CreatePod("kube-system", "elsewhere");
  handle_->Stop();
  executor_->AdvanceBy(std::chrono::minutes(2));
  EXPECT_TRUE(events_.empty());
}

}  // namespace
}  // namespace kubesim::api
