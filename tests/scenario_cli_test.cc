// `kubesim run` as CI uses it: exit codes, errors with positions, reports,
// golden transcripts, directories and --jobs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kubesim/api/types.h"

namespace {

namespace fs = std::filesystem;

struct Exec {
  int code;
  std::string out;  // stdout only
  std::string err;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ScenarioCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kubesim-cli-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  Exec Kubesim(const std::string& args) {
    std::string cmd =
        std::string("'") + KUBESIM_BINARY + "' " + args + " 2>'" + (dir_ / "stderr").string() + "'";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int status = pclose(p);
    return {WEXITSTATUS(status), out, ReadFile(dir_ / "stderr")};
  }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  fs::path dir_;
};

// Without kube-system pods the cluster is up at 2025-01-01T00:00:00Z.
constexpr char kPassing[] = R"(name: passing
cluster: {systemPods: false}
steps:
- run: run web --image nginx
- expect:
    pods: {status: Running, count: 1}
    within: 1m
)";

constexpr char kFailing[] = R"(name: failing
cluster: {systemPods: false}
steps:
- expect:
    pods: {status: Running, count: 1}
)";

TEST_F(ScenarioCliTest, ExitCodes) {
  Write("pass.yaml", kPassing);
  Write("fail.yaml", kFailing);
  Write("bad.yaml", "steps:\n- sleep: 5m\n- wat: 1\n");
  Exec pass = Kubesim("run " + Path("pass.yaml"));
  EXPECT_EQ(pass.code, 0) << pass.out << pass.err;
  EXPECT_NE(pass.out.find("# PASS\n"), std::string::npos) << pass.out;
  Exec fail = Kubesim("run " + Path("fail.yaml"));
  EXPECT_EQ(fail.code, 1) << fail.out;
  EXPECT_NE(fail.out.find("FAIL: step 1 (line 5): pods with STATUS Running in default\n"),
            std::string::npos)
      << fail.out;
  Exec bad = Kubesim("run " + Path("bad.yaml"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err, "error: " + Path("bad.yaml") +
                         ":3:3: steps[1]: unknown step type \"wat\" (expected one of: apply, "
                         "delete, scale, run, sleep, waitFor, nodeStop, nodeStart, nodeAdd, stop, "
                         "start, expect)\n");
  Exec none = Kubesim("run " + Path("nope.yaml"));
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("no such file or directory"), std::string::npos);
}

TEST_F(ScenarioCliTest, PlainKubesimStillReadsAScript) {
  Exec r = Kubesim("< /dev/null");
  EXPECT_EQ(r.code, 0);
  Write("s.txt", "version --client\n");
  r = Kubesim("< '" + Path("s.txt") + "'");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Client Version: v1.32"), std::string::npos) << r.out;
}

TEST_F(ScenarioCliTest, JsonAndJUnitReports) {
  Write("fail.yaml", kFailing);
  Exec r = Kubesim("run " + Path("fail.yaml") + " --report junit " + Path("r.xml"));
  EXPECT_EQ(r.code, 1);
  std::string xml = ReadFile(dir_ / "r.xml");
  EXPECT_NE(xml.find("<testsuites name=\"kubesim run\" tests=\"1\" failures=\"1\" errors=\"0\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<failure message=\"pods with STATUS Running in default: expected 1, found 0"),
            std::string::npos)
      << xml;
  // Well-formed enough for CI: every opened element is closed.
  EXPECT_NE(xml.find("</testsuite>\n</testsuites>\n"), std::string::npos);

  r = Kubesim("run " + Path("fail.yaml") + " --report json " + Path("r.json") + " --seed 9");
  auto doc = kubesim::api::Object::parse(ReadFile(dir_ / "r.json"));
  EXPECT_EQ(doc["exitCode"], 1);
  EXPECT_EQ(doc["scenarios"][0]["seed"], 9);
  EXPECT_EQ(doc["scenarios"][0]["steps"][0]["assertions"][0]["found"], "0 (by status: {})");
  EXPECT_EQ(doc["scenarios"][0]["steps"][0]["assertions"][0]["time"], "2025-01-01T00:00:00Z");

  Write("bad.yaml", "steps:\n- sleep: 5\n");
  r = Kubesim("run " + Path("bad.yaml") + " --report junit " + Path("bad.xml"));
  EXPECT_EQ(r.code, 2);
  xml = ReadFile(dir_ / "bad.xml");
  EXPECT_NE(xml.find("<testcase classname=\"bad\" name=\"scenario file\">\n      <failure "
                     "message=\"" +
                     Path("bad.yaml") +
                     ":2:10: steps[0].sleep: time: missing unit in duration &quot;5&quot; (use "
                     "e.g. 30s, 5m, 1h30m)\"/>"),
            std::string::npos)
      << xml;

  Exec bad = Kubesim("run " + Path("fail.yaml") + " --report xml " + Path("r.x"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "error: --report must be json or junit, not \"xml\"\n");
}

TEST_F(ScenarioCliTest, GoldenTranscripts) {
  Write("pass.yaml", kPassing);
  Exec r = Kubesim("run " + Path("pass.yaml") + " --update-golden");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "wrote " + Path("pass.golden") + "\n");
  EXPECT_EQ(ReadFile(dir_ / "pass.golden"), r.out);
  r = Kubesim("run " + Path("pass.yaml"));
  EXPECT_EQ(r.code, 0) << r.out;
  // A different seed may change pod names; a changed golden file surely
  // changes the comparison.
  std::string golden = ReadFile(dir_ / "pass.golden");
  golden.replace(golden.find("pod/web created"), 15, "pod/web made");
  std::ofstream(dir_ / "pass.golden") << golden;
  r = Kubesim("run " + Path("pass.yaml"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("FAIL: the transcript differs from " + Path("pass.golden") +
                       " (run with --update-golden to accept it):\n--- " + Path("pass.golden") +
                       "\n+++ transcript\n@@ "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n-pod/web made\n+pod/web created\n"), std::string::npos) << r.out;
}

TEST_F(ScenarioCliTest, DirectoryInOrderWithAndWithoutJobs) {
  Write("a.yaml", kPassing);
  Write("b.yaml", kFailing);
  Write("c.yaml", "steps:\n- sleep: forever\n");
  Write("notes.txt", "not a scenario");
  Exec seq = Kubesim("run " + dir_.string() + " --report json " + Path("seq.json"));
  Exec par = Kubesim("run " + dir_.string() + " --jobs 3 --report json " + Path("par.json"));
  EXPECT_EQ(seq.code, 2);
  EXPECT_EQ(par.code, 2);
  EXPECT_EQ(seq.out, par.out);
  EXPECT_EQ(seq.err, par.err);
  EXPECT_EQ(ReadFile(dir_ / "seq.json"), ReadFile(dir_ / "par.json"));
  size_t a = seq.out.find("# scenario passing"), b = seq.out.find("# scenario failing");
  EXPECT_NE(a, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_NE(seq.out.find("# 1/3 scenarios passed\n"), std::string::npos) << seq.out;
  EXPECT_NE(seq.err.find("c.yaml:2:10: steps[0].sleep: time: invalid duration \"forever\""),
            std::string::npos)
      << seq.err;
}

}  // namespace
