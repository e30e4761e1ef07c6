// `label`, `annotate`, `cordon`, `uncordon`, `taint` and `drain` in the
// shell. Every expected text is what the real kubectl v1.32 printed for the
// same command on the same cluster state (run against `kubesim serve`, with
// system pods), so the shell teaches kubectl's exact words.
#include <gtest/gtest.h>

#include <string>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

cluster::ClusterConfig WithSystemPods() {
  cluster::ClusterConfig c = cluster::ClusterConfig::Default(2);
  c.system_pods = true;
  return c;
}

struct Step {
  const char* command;
  int code;
  const char* out;
  const char* err;
};

void RunSteps(ShellHarness& h, const std::vector<Step>& steps) {
  for (const Step& s : steps) {
    auto r = h.Run(s.command);
    EXPECT_EQ(r.code, s.code) << s.command << "\n" << r.err;
    EXPECT_EQ(r.out, s.out) << s.command;
    EXPECT_EQ(r.err, s.err) << s.command;
  }
}

TEST(NodeMaintenanceTest, LabelAndAnnotateAsKubectl) {
  ShellHarness h;
  h.Run("run web --image nginx --labels app=web,tier=fe");
  RunSteps(
      h,
      {
          {"label pod web app=x", 1, "",
           "error: 'app' already has a value (web), and --overwrite is false\n"},
          {"label pod web app=x --overwrite", 0, "pod/web labeled\n", ""},
          {"label pod web app=x --overwrite", 0, "pod/web not labeled\n", ""},
          {"label pod web tier-", 0, "pod/web unlabeled\n", ""},
          {"label pod web tier-", 0, "label \"tier\" not found.\npod/web not labeled\n", ""},
          {"label pod web new=1 app-", 0, "pod/web labeled\n", ""},
          {"label pod web", 1, "", "error: at least one label update is required\n"},
          {"label pod web --list", 0, "new=1\n", ""},
          {"label pods --all env=dev", 0, "pod/web labeled\n", ""},
          {"label pod nope a=b", 1, "", "Error from server (NotFound): pods \"nope\" not found\n"},
          {"label pod web a=b=c", 1, "", "error: invalid label spec: a=b=c\n"},
          {"label pod web a=b a-", 1, "",
           "error: can not both modify and remove a label in the same command\n"},
          {"annotate pod web note=x", 0, "pod/web annotated\n", ""},
          {"annotate pod web note=y", 1, "",
           "error: --overwrite is false but found the following declared annotation(s): "
           "'note' already has a value (x)\n"},
          {"annotate pod web note=y --overwrite", 0, "pod/web annotated\n", ""},
          {"annotate pod web note-", 0, "pod/web annotated\n", ""},
          {"annotate pod web note-", 0, "pod/web annotated\n", ""},
      });
  // The server validates keys: kubectl's invalid-object error.
  auto bad = h.Run("label pod web 'bad key=1'");
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(
      bad.err.rfind("The Pod \"web\" is invalid: metadata.labels: Invalid value: \"bad key\"", 0),
      0u)
      << bad.err;
  EXPECT_EQ(h.Run("get pod web --show-labels --no-headers").out.find("env=dev,new=1") !=
                std::string::npos,
            true);
}

TEST(NodeMaintenanceTest, CordonAndTaintAsKubectl) {
  ShellHarness h;
  RunSteps(
      h,
      {
          {"cordon worker-2", 0, "node/worker-2 cordoned\n", ""},
          {"cordon worker-2", 0, "node/worker-2 already cordoned\n", ""},
          {"get node worker-2 --no-headers", 0,
           "worker-2   Ready,SchedulingDisabled   <none>   0s    v1.32.0\n", ""},
          {"uncordon worker-2", 0, "node/worker-2 uncordoned\n", ""},
          {"uncordon worker-2", 0, "node/worker-2 already uncordoned\n", ""},
          {"cordon nope", 1, "", "Error from server (NotFound): nodes \"nope\" not found\n"},
          {"cordon", 1, "",
           "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n"},
          {"uncordon", 1, "",
           "error: USAGE: uncordon NODE [flags]\nSee 'kubectl uncordon -h' for help and "
           "examples\n"},
          {"drain", 1, "",
           "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n"},
          {"taint nodes worker-2 dedicated=gpu:NoSchedule", 0, "node/worker-2 tainted\n", ""},
          {"taint nodes worker-2 dedicated=gpu:NoSchedule", 1, "",
           "error: node worker-2 already has dedicated taint(s) with same effect(s) and "
           "--overwrite is false\n"},
          {"taint nodes worker-2 dedicated=cpu:NoSchedule --overwrite", 0,
           "node/worker-2 modified\n", ""},
          {"taint nodes worker-2 dedicated:NoSchedule-", 0, "node/worker-2 untainted\n", ""},
          {"taint nodes worker-2 dedicated:NoSchedule-", 1, "",
           "error: taint \"dedicated:NoSchedule\" not found\n"},
          {"taint nodes worker-2 x", 1, "", "error: at least one taint update is required\n"},
          {"taint nodes worker-2 x=y:Bad", 1, "",
           "error: invalid taint effect: Bad, unsupported taint effect\n"
           "See 'kubectl taint -h' for help and examples\n"},
          {"taint nodes worker-2 a=b:NoExecute c=d:NoSchedule", 0, "node/worker-2 tainted\n", ""},
          {"taint nodes worker-2 a-", 0, "node/worker-2 untainted\n", ""},
          {"taint nodes worker-2 c:NoSchedule-", 0, "node/worker-2 untainted\n", ""},
      });
  // The scheduler sees what the taint did: a NoSchedule taint on worker-2
  // keeps a new pod off it.
  h.Run("taint nodes worker-2 only=me:NoSchedule");
  h.Run("run p1 --image nginx");
  h.Run("sleep 1");
  EXPECT_EQ(h.Run("get pod p1 -o jsonpath={.spec.nodeName}").out, "worker-1");
}

TEST(NodeMaintenanceTest, DrainAsKubectl) {
  ShellHarness h(WithSystemPods(), 1);
  h.Run("run web --image nginx");
  h.Run("sleep 10");
  // The names of the system pods on worker-1 (generated, seed-dependent).
  auto on = [&](const std::string& prefix) {
    std::string names = h.Run(
                             "get pods -A --field-selector spec.nodeName=worker-1 -o "
                             "jsonpath='{range .items[*]}{.metadata.namespace}/"
                             "{.metadata.name}{\"\\n\"}{end}'")
                            .out;
    std::string out;
    for (size_t b = 0; b < names.size();) {
      size_t e = names.find('\n', b);
      std::string line = names.substr(b, e - b);
      if (line.find(prefix) != std::string::npos) out += (out.empty() ? "" : ", ") + line;
      b = e + 1;
    }
    return out;
  };
  const std::string ds = on("kube-flannel-ds") + ", " + on("kube-proxy");
  const std::string coredns = on("coredns");
  ASSERT_FALSE(coredns.empty());

  RunSteps(h,
           {
               {"drain worker-1", 1, "node/worker-1 cordoned\n",
                ("error: unable to drain node \"worker-1\" due to error: [cannot delete cannot "
                 "delete Pods that declare no controller (use --force to override): default/web, "
                 "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): " +
                 ds +
                 "], continuing command...\nThere are pending nodes to be drained:\n worker-1\n"
                 "cannot delete cannot delete Pods that declare no controller (use --force to "
                 "override): default/web\ncannot delete DaemonSet-managed Pods (use "
                 "--ignore-daemonsets to ignore): " +
                 ds + "\n")
                    .c_str()},
           });
  RunSteps(h, {{"uncordon worker-1", 0, "node/worker-1 uncordoned\n", ""}});
  RunSteps(h, {
                  {"drain worker-1 --ignore-daemonsets --force", 0,
                   ("node/worker-1 cordoned\nevicting pod default/web\nevicting pod " + coredns +
                    "\npod/web evicted\npod/" + coredns.substr(coredns.find('/') + 1) +
                    " evicted\nnode/worker-1 drained\n")
                       .c_str(),
                   ("Warning: deleting Pods that declare no controller: default/web; ignoring "
                    "DaemonSet-managed Pods: " +
                    ds + "\n")
                       .c_str()},
                  {"drain worker-1 --ignore-daemonsets", 0,
                   "node/worker-1 already cordoned\nnode/worker-1 drained\n",
                   ("Warning: ignoring DaemonSet-managed Pods: " + ds + "\n").c_str()},
              });
  // Only the DaemonSet pods are left; CoreDNS's replacement went elsewhere.
  EXPECT_EQ(on("coredns"), "");
  EXPECT_EQ(on("web"), "");
}

TEST(NodeMaintenanceTest, DrainWaitsOnAPodDisruptionBudget) {
  ShellHarness h;
  h.SetStdin(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 1\n"
      "  selector:\n    matchLabels:\n      app: app\n  template:\n    metadata:\n      labels:\n"
      "        app: app\n    spec:\n      nodeSelector:\n        kubernetes.io/hostname: worker-1\n"
      "      containers:\n      - name: c\n        image: nginx\n---\n"
      "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: app\nspec:\n"
      "  minAvailable: 1\n  selector:\n    matchLabels:\n      app: app\n");
  ASSERT_EQ(h.Run("apply -f -").code, 0);
  h.Run("sleep 10");
  // One replica, pinned to worker-1, minAvailable 1: never evictable.
  auto r = h.Run("drain worker-1 --timeout=12s");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("(will retry after 5s): Cannot evict pod as it would violate the pod's "
                       "disruption budget.\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("error: unable to drain node \"worker-1\" due to error: drain did not "
                       "complete within 12s, continuing command...\n"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace kubesim
