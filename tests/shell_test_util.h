// Test helpers: a cluster plus a shell whose output is captured as strings.
#ifndef KUBESIM_TESTS_SHELL_TEST_UTIL_H_
#define KUBESIM_TESTS_SHELL_TEST_UTIL_H_

#include <sstream>
#include <string>

#include "kubesim/cluster/cluster.h"
#include "kubesim/shell/shell.h"

namespace kubesim::testing {

class ShellHarness {
 public:
  explicit ShellHarness(int workers = 2, uint64_t seed = 1)
      : ShellHarness(cluster::ClusterConfig::Default(workers), seed) {}
  ShellHarness(cluster::ClusterConfig config, uint64_t seed) {
    config.seed = seed;
    cluster_ = std::move(cluster::Cluster::Start(std::move(config)).value());
    client_ = cluster_->NewClient("kubectl");
    shell::ShellContext ctx;
    ctx.client = client_.get();
    ctx.discovery = &cluster_->api_server().registry();
    ctx.executor = &cluster_->executor();
    ctx.control = cluster_.get();
    ctx.out = &out_;
    ctx.err = &err_;
    ctx.read_stdin = [this] { return stdin_text_; };
    ctx_ = ctx;
    shell_ = std::make_unique<shell::Shell>(ctx);
  }

  // Gives the shell a wall-clock pacer on the fake wall clock `wall`, as an
  // interactive terminal has (`clock pause|resume|speed`).
  WallClockPacer& EnablePacer(WallClockPacer::WallClock wall, double speed = 1) {
    pacer_ = std::make_unique<WallClockPacer>(&cluster_->executor(), speed, std::move(wall));
    ctx_.pacer = pacer_.get();
    shell_ = std::make_unique<shell::Shell>(ctx_);
    return *pacer_;
  }

  struct Result {
    int code;
    std::string out;
    std::string err;
  };
  Result Run(const std::string& line) {
    out_.str("");
    err_.str("");
    int code = shell_->Execute(line);
    return {code, out_.str(), err_.str()};
  }
  void SetStdin(std::string text) { stdin_text_ = std::move(text); }
  cluster::Cluster& cluster() { return *cluster_; }

 private:
  std::unique_ptr<cluster::Cluster> cluster_;
  std::unique_ptr<client::Client> client_;
  std::unique_ptr<WallClockPacer> pacer_;
  shell::ShellContext ctx_;
  std::ostringstream out_, err_;
  std::string stdin_text_;
  std::unique_ptr<shell::Shell> shell_;
};

// Three workers: control-plane, worker-1 and worker-2 in zone a
// (topology.kubernetes.io/zone), worker-3 in zone b.
inline cluster::ClusterConfig ZonedCluster() {
  cluster::ClusterConfig c = cluster::ClusterConfig::Default(3);
  for (auto& n : c.nodes) {
    n.labels["topology.kubernetes.io/zone"] = n.name == "worker-3" ? "b" : "a";
  }
  return c;
}

}  // namespace kubesim::testing

#endif  // KUBESIM_TESTS_SHELL_TEST_UTIL_H_
