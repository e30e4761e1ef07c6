// The example scenarios (examples/*/ *.yaml run by `kubesim run`) pass and
// match their golden transcripts, and they are deterministic: 20 runs of
// each -- 10 pinned to one core, 10 on two cores next to a process spinning
// on a CPU -- print byte-identical transcripts and JSON reports.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

// Scenarios CI runs: every example scenario.
const char* const kCiScenarios[] = {
    "examples/node-failure/scenario.yaml",    "examples/scheduling/scenario.yaml",
    "examples/scheduling/anti-affinity.yaml", "examples/scheduling/topology-spread.yaml",
    "examples/scheduling/preemption.yaml",    "examples/rolling-update/scenario.yaml",
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Exec {
  int code;
  std::string out;
};

Exec Shell(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string RunCommand(const std::string& scenario, const std::string& report,
                       const std::string& prefix = "") {
  return "cd '" + std::string(KUBESIM_SOURCE_DIR) + "' && " + prefix + "'" + KUBESIM_BINARY +
         "' run " + scenario + " --report json '" + report + "' 2>&1";
}

TEST(ScenarioExamplesTest, EveryCiScenarioPassesAndMatchesItsGolden) {
  fs::path report = fs::temp_directory_path() / ("kubesim-ex-" + std::to_string(getpid()));
  for (const char* scenario : kCiScenarios) {
    Exec r = Shell(RunCommand(scenario, report.string()));
    EXPECT_EQ(r.code, 0) << scenario << "\n" << r.out;
    fs::path golden = fs::path(KUBESIM_SOURCE_DIR) / scenario;
    golden.replace_extension(".golden");
    EXPECT_TRUE(fs::exists(golden)) << golden;
  }
  fs::remove(report);
}

TEST(ScenarioExamplesTest, TwentyRunsAreByteIdenticalOnOneAndTwoCores) {
  fs::path report = fs::temp_directory_path() / ("kubesim-det-" + std::to_string(getpid()));
  for (const char* scenario : kCiScenarios) {
    Exec first = Shell(RunCommand(scenario, report.string()));
    const std::string first_report = ReadFile(report);
    ASSERT_FALSE(first_report.empty()) << scenario;
    auto check = [&](const std::string& prefix, const std::string& how) {
      for (int i = 0; i < 10; ++i) {
        Exec r = Shell(RunCommand(scenario, report.string(), prefix));
        ASSERT_EQ(r.out, first.out) << scenario << " run " << i << " " << how;
        ASSERT_EQ(ReadFile(report), first_report) << scenario << " run " << i << " " << how;
        ASSERT_EQ(r.code, first.code);
      }
    };
    check("taskset -c 0 ", "on one core");
    // A sibling spinning on a CPU, so the component threads are preempted at
    // arbitrary points.
    pid_t spinner = fork();
    if (spinner == 0) {
      for (volatile uint64_t i = 0;; i = i + 1) {
      }
    }
    ASSERT_GT(spinner, 0);
    check("", "on two cores with a busy sibling");
    kill(spinner, SIGKILL);
    waitpid(spinner, nullptr, 0);
  }
  fs::remove(report);
}

}  // namespace
