// End-to-end: pipe a script into the real binary and compare what it prints.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

struct RunResult {
  int exit_code;
  std::string output;  // stdout and stderr interleaved, as a terminal shows them
};

RunResult RunKubesim(const std::string& script, const std::string& flags = "",
                     const std::string& prefix = "") {
  // CTest runs tests in parallel processes: each run needs its own file.
  static int counter = 0;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string path = ::testing::TempDir() + "/kubesim_e2e_" + info->name() + "_" +
                     std::to_string(getpid()) + "_" + std::to_string(counter++) + ".txt";
  {
    std::ofstream f(path);
    f << script;
  }
  std::string cmd = prefix + std::string(KUBESIM_BINARY) + " " + flags + " < " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  std::remove(path.c_str());
  return {WEXITSTATUS(status), out};
}

const char* kWalkthrough = R"(# A first session, as in README.md
get nodes
run nginx --image nginx:1.27
get pods
sleep 30s
get pods -o wide
wait --for=condition=Ready pod/nginx --timeout=60s
delete pod nginx
get pods
)";

TEST(EndToEndTest, FirstSessionTranscript) {
  RunResult r = RunKubesim(kWalkthrough);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, R"(NAME            STATUS   ROLES           AGE   VERSION
control-plane   Ready    control-plane   15s   v1.32.0
worker-1        Ready    <none>          15s   v1.32.0
worker-2        Ready    <none>          15s   v1.32.0
pod/nginx created
NAME    READY   STATUS              RESTARTS   AGE
nginx   0/1     ContainerCreating   0          0s
NAME    READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES
nginx   1/1     Running   0          30s   10.244.1.3   worker-1   <none>           <none>
pod/nginx condition met
pod "nginx" deleted
No resources found in default namespace.
)");
}

TEST(EndToEndTest, SameSeedSameBytes) {
  std::string script =
      std::string(kWalkthrough) +
      "run a --image busybox\nrun b --image busybox\nsleep 10s\nget pods -A -o wide\n"
      "get nodes -o yaml\nget events -A\nget pods -o json\n";
  RunResult a = RunKubesim(script, "--seed 7");
  // The second run is pinned to one core: thread interleavings differ
  // completely, the output must not.
  RunResult b = RunKubesim(script, "--seed 7", "taskset -c 0 ");
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.exit_code, b.exit_code);
}

TEST(EndToEndTest, FailedCommandSetsExitCodeButRunContinues) {
  RunResult r = RunKubesim("get podz\nget nodes -o name\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output,
            "error: the server doesn't have a resource type \"podz\"\n"
            "node/control-plane\nnode/worker-1\nnode/worker-2\n");
}

TEST(EndToEndTest, BadFlagsAreRejectedCleanly) {
  RunResult r = RunKubesim("", "--workers nope");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--workers"), std::string::npos) << r.output;
}

}  // namespace
