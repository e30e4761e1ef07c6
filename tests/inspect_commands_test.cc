// `cluster-info`, `events` and `logs` in the shell, with kubectl v1.32's
// layouts and messages (compared with the real kubectl against `kubesim
// serve`: cluster-info's lines, events' LAST SEEN/TYPE/REASON/OBJECT/MESSAGE
// table, "No events found in default namespace.", logs' errors).
#include <gtest/gtest.h>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

TEST(InspectCommandsTest, ClusterInfoListsTheClusterServices) {
  cluster::ClusterConfig with_addons = cluster::ClusterConfig::Default(2);
  with_addons.system_pods = true;
  ShellHarness h(with_addons, 1);
  EXPECT_EQ(h.Run("cluster-info").out,
            "Kubernetes control plane is running at https://127.0.0.1:6443\n"
            "CoreDNS is running at "
            "https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n"
            "\n"
            "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
  ShellHarness bare;
  EXPECT_EQ(bare.Run("cluster-info").out,
            "Kubernetes control plane is running at https://127.0.0.1:6443\n"
            "\n"
            "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
}

TEST(InspectCommandsTest, EventsOldestFirstWithKubectlColumns) {
  ShellHarness h;
  h.Run("run web --image nginx");
  h.Run("sleep 5");
  EXPECT_EQ(h.Run("events --for pod/web").out,
            "LAST SEEN   TYPE     REASON      OBJECT    MESSAGE\n"
            "5s          Normal   Scheduled   Pod/web   Successfully assigned default/web to "
            "worker-1\n"
            "5s          Normal   Pulling     Pod/web   Pulling image \"nginx\"\n"
            "1s          Normal   Pulled      Pod/web   Successfully pulled image \"nginx\" in "
            "3.562s (3.562s including waiting). Image size: 130232834 bytes.\n"
            "1s          Normal   Created     Pod/web   Created container web\n"
            "1s          Normal   Started     Pod/web   Started container web\n");
  auto none = h.Run("events --types=Warning");
  EXPECT_EQ(none.code, 0);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, "No events found in default namespace.\n");
  EXPECT_EQ(h.Run("events -A --types=Warning").err, "No events found.\n");
  EXPECT_EQ(h.Run("events --types=x").err, "error: valid --types are Normal or Warning\n");
  EXPECT_EQ(h.Run("events --for web").err, "error: --for must be in resource/name form\n");
  // A repeated event shows its count and first time.
  h.Run("node stop worker-1");
  h.Run("sleep 2m");
  std::string all = h.Run("events -A --for node/worker-1 --no-headers").out;
  EXPECT_NE(all.find("default   "), std::string::npos) << all;
  EXPECT_NE(all.find("NodeNotReady"), std::string::npos) << all;
}

TEST(InspectCommandsTest, LogsAsKubectl) {
  ShellHarness h;
  h.Run("run web --image nginx");
  // Still pulling: the pods/log subresource's error.
  auto waiting = h.Run("logs web");
  EXPECT_EQ(waiting.code, 1);
  EXPECT_EQ(waiting.err,
            "Error from server (BadRequest): container \"web\" in pod \"web\" is waiting to "
            "start: ContainerCreating\n");
  h.Run("sleep 10");
  auto ok = h.Run("logs web");
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, "");  // simulated containers print nothing
  EXPECT_EQ(h.Run("logs nope").err,
            "error: error from server (NotFound): pods \"nope\" not found in namespace "
            "\"default\"\n");
  EXPECT_EQ(h.Run("logs web -c other").err,
            "error: container other is not valid for pod web\n");
}

}  // namespace
}  // namespace kubesim
