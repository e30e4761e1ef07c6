// Drives a `kubesim serve --port 0` child process with the real kubectl.
// Tests that use it skip when kubectl is not on PATH.
#ifndef KUBESIM_TESTS_KUBECTL_TEST_UTIL_H_
#define KUBESIM_TESTS_KUBECTL_TEST_UTIL_H_

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

namespace kubesim::testing {

inline bool KubectlOnPath() { return std::system("command -v kubectl >/dev/null 2>&1") == 0; }

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout then stderr (2>&1)
};

inline CommandResult RunCommand(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  CommandResult r;
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Polls `done` every 100 ms of wall time, up to `bound`. Only for waiting on
// another process (start-up, a streaming kubectl): never for the simulation,
// whose clock tests move through /kubesim/v1/clock/advance.
inline bool PollUntil(const std::function<bool()>& done,
                      std::chrono::seconds bound = std::chrono::seconds(60)) {
  auto end = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

// A `kubesim serve` child with its own kubeconfig and kubectl cache dir.
class KubesimServer {
 public:
  // Starts `kubesim serve --port 0 EXTRA`; check ok() afterwards.
  explicit KubesimServer(const std::string& extra_flags = "") {
    static int counter = 0;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("kubesim_kubectl_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    kubeconfig_ = (dir_ / "kubeconfig").string();
    log_ = (dir_ / "serve.log").string();
    std::string cmd = std::string("exec ") + KUBESIM_BINARY + " serve --port 0 --kubeconfig " +
                      kubeconfig_ + " " + extra_flags + " > " + log_ + " 2>&1 < /dev/null";
    pid_ = fork();
    if (pid_ == 0) {
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    ok_ = PollUntil([&] { return std::filesystem::exists(kubeconfig_); });
    if (ok_) {
      std::string cfg = ReadFile(kubeconfig_);
      auto at = cfg.find("http://127.0.0.1:");
      if (at != std::string::npos) port_ = std::atoi(cfg.c_str() + at + 17);
      std::string log = ReadFile(log_);
      auto c = log.find("/kubesim/v1\n");
      auto colon = log.rfind(':', c);
      if (c != std::string::npos && colon != std::string::npos) {
        control_port_ = std::atoi(log.c_str() + colon + 1);
      }
      ok_ = port_ > 0 && control_port_ > 0;
    }
  }
  ~KubesimServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      bool exited = PollUntil([&] { return waitpid(pid_, nullptr, WNOHANG) == pid_; },
                              std::chrono::seconds(20));
      if (!exited) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  KubesimServer(const KubesimServer&) = delete;
  KubesimServer& operator=(const KubesimServer&) = delete;

  bool ok() const { return ok_; }
  int port() const { return port_; }
  const std::string& kubeconfig() const { return kubeconfig_; }
  std::string log() const { return ReadFile(log_); }
  std::string dir() const { return dir_.string(); }

  // The real kubectl against this server (its own discovery cache).
  std::string KubectlCommand(const std::string& args) const {
    return "HOME=" + dir_.string() + " KUBECACHEDIR=" + (dir_ / "cache").string() +
           " kubectl --kubeconfig " + kubeconfig_ + " " + args;
  }
  CommandResult Kubectl(const std::string& args) const { return RunCommand(KubectlCommand(args)); }
  // Writes `text` to a file in the server's dir and returns its path.
  std::string WriteManifest(const std::string& name, const std::string& text) const {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  int control_port() const { return control_port_; }
  // POST/GET on kubesim's own controls (on the control port, which stays
  // open while the kube-apiserver is stopped); returns "CODE BODY".
  std::string Control(const std::string& method, const std::string& path) const {
    httplib::Client cli("127.0.0.1", control_port_);
    auto res = method == "GET" ? cli.Get(path.c_str()) : cli.Post(path.c_str());
    if (!res) return "no response";
    return std::to_string(res->status) + " " + res->body;
  }
  // Moves the simulated clock (all components react before it returns).
  void Advance(const std::string& duration) const {
    Control("POST", "/kubesim/v1/clock/advance?duration=" + duration);
  }

 private:
  std::filesystem::path dir_;
  std::string kubeconfig_;
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
  int control_port_ = 0;
  bool ok_ = false;
};

// Runs kubectl and expects success; evaluates to its output.
inline std::string KubectlOk(const KubesimServer& s, const std::string& args) {
  CommandResult r = s.Kubectl(args);
  EXPECT_EQ(r.exit_code, 0) << "kubectl " << args << "\n" << r.output;
  return r.output;
}

// Every run of whitespace collapsed to one space: compares table layouts
// without depending on AGE widths.
inline std::string Squeeze(const std::string& s) {
  return std::regex_replace(s, std::regex("[ \t]+"), " ");
}

}  // namespace kubesim::testing

// Skips the test with a message when kubectl is not on PATH.
#define REQUIRE_KUBECTL() \
  if (!::kubesim::testing::KubectlOnPath()) GTEST_SKIP() << "kubectl is not on PATH"

// Starts a server named `name` or fails the test.
#define START_SERVER(name)                \
  REQUIRE_KUBECTL();                      \
  ::kubesim::testing::KubesimServer name; \
  ASSERT_TRUE(name.ok()) << "kubesim serve did not come up:\n" << name.log()

#endif  // KUBESIM_TESTS_KUBECTL_TEST_UTIL_H_
