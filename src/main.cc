// kubesim: a whole Kubernetes cluster in one process. This file only wires:
// flags -> ClusterConfig -> Cluster -> shell (interactive or script).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "kubesim/cluster/cluster.h"
#include "kubesim/http/serve.h"
#include "kubesim/scenario/run_main.h"
#include "kubesim/shell/repl.h"
#include "kubesim/util/logging.h"

int main(int argc, char** argv) {
  CLI::App app{"kubesim: a whole Kubernetes cluster in one process"};
  uint64_t seed = 1;
  int workers = 2;
  std::string config_file;
  int verbosity = 0;
  double speed = 1.0;
  app.add_option("--seed", seed, "Seed for every random choice (same seed, same run)");
  app.add_option("--workers", workers, "Number of worker nodes (besides the control plane)")
      ->check(CLI::Range(0, 5000));
  app.add_option("--config", config_file,
                 "Cluster file (nodes: name, cpu, memory, pods, labels, taints)")
      ->check(CLI::ExistingFile);
  // A kubeadm cluster shows its kube-system pods; --system-pods=false (or
  // --no-system-pods) leaves them out.
  bool system_pods = true;
  CLI::Option* system_pods_flag =
      app.add_flag("--system-pods,!--no-system-pods", system_pods,
                   "Bootstrap kubeadm's kube-system pods (static control-plane pods, kube-proxy, "
                   "CoreDNS) and Flannel, and wait until they run (default true)");
  std::vector<std::string> addons;
  app.add_option("--addons", addons,
                 "Add-ons to install at bootstrap, comma-separated: metrics-server (for `top`)")
      ->delimiter(',')
      ->check(CLI::IsMember({"metrics-server"}));
  std::string scheduler_config_file;
  app.add_option("--scheduler-config", scheduler_config_file,
                 "KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1)")
      ->check(CLI::ExistingFile);
  app.add_option("--v,-v", verbosity, "Log verbosity (0 quiet; 2 info; 4 debug) on stderr");
  app.add_option("--speed", speed, "Interactive mode: simulated seconds per wall second")
      ->check(CLI::PositiveNumber);
  // `kubesim run SCENARIO|DIR`: scripted scenarios (docs/scenarios.md).
  kubesim::scenario::RunCommandOptions run_opts;
  uint64_t run_seed = 0;
  std::vector<std::string> run_report;
  CLI::App* run_cmd = app.add_subcommand("run", "Run scenario files with assertions");
  run_cmd->add_option("scenario", run_opts.path, "A scenario file or a directory of *.yaml")
      ->required();
  CLI::Option* run_seed_opt = run_cmd->add_option("--seed", run_seed, "Override the seed");
  run_cmd->add_option("--report", run_report, "json|junit FILE")->expected(2);
  run_cmd->add_flag("--update-golden", run_opts.update_golden, "Write <scenario>.golden");
  run_cmd->add_flag("--fail-fast", run_opts.fail_fast, "Stop at the first failure");
  run_cmd->add_option("--jobs,-j", run_opts.jobs, "Scenarios run in parallel processes");
  // The Kubernetes HTTP API for the real kubectl (docs/kubectl.md).
  kubesim::http::ServeOptions serve_options;
  int serve_port = -1;
  app.add_option("--serve", serve_port, "Interactive mode: also serve the Kubernetes API on PORT")
      ->check(CLI::Range(0, 65535));
  CLI::App* serve = app.add_subcommand("serve", "Serve the Kubernetes API over HTTP (headless)");
  serve->fallthrough();
  serve->add_option("--port", serve_options.port, "Port (0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--address", serve_options.address, "Address to bind (loopback by default)");
  serve
      ->add_option("--control-port", serve_options.control_port,
                   "Port for kubesim's /kubesim/v1 controls only (0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--kubeconfig", serve_options.kubeconfig,
                    "Where to write the kubeconfig (default ./kubesim.kubeconfig)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (run_cmd->parsed()) {
    if (run_seed_opt->count() > 0) run_opts.seed = run_seed;
    if (run_report.size() == 2) {
      run_opts.report_format = run_report[0];
      run_opts.report_file = run_report[1];
    }
  }
  auto logger = spdlog::stderr_color_mt("kubesim");
  logger->set_pattern("%v");  // lines are klog-formatted by kubesim::Log
  spdlog::set_default_logger(logger);
  kubesim::SetLogVerbosity(verbosity);
  spdlog::set_level(verbosity >= 4   ? spdlog::level::debug
                    : verbosity >= 2 ? spdlog::level::info
                    : verbosity >= 1 ? spdlog::level::warn
                                     : spdlog::level::off);

  if (run_cmd->parsed()) return kubesim::scenario::RunMain(run_opts);

  kubesim::cluster::ClusterConfig config = kubesim::cluster::ClusterConfig::Default(workers);
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = kubesim::cluster::ParseClusterConfig(text.str());
    if (!parsed.ok()) {
      std::cerr << "error: " << parsed.status().message() << "\n";
      return 2;
    }
    config = std::move(*parsed);
  }
  config.seed = seed;
  // The flag wins; otherwise the cluster file's systemPods (default true).
  if (system_pods_flag->count() > 0 || config_file.empty()) config.system_pods = system_pods;
  for (const auto& a : addons) {
    if (!config.HasAddon(a)) config.addons.push_back(a);
  }
  if (!scheduler_config_file.empty()) {
    std::ifstream in(scheduler_config_file);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = kubesim::scheduler::ParseSchedulerConfig(text.str());
    if (!parsed.ok()) {
      std::cerr << "error: " << scheduler_config_file << ": " << parsed.status().message() << "\n";
      return 2;
    }
    config.scheduler_config = std::move(*parsed);
  }
  const bool interactive = isatty(STDIN_FILENO);
  if (interactive || serve->parsed()) {
    // Follow the wall clock: creation times read like a real cluster's.
    config.start_time = std::chrono::time_point_cast<kubesim::Duration>(
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  }
  auto cluster = kubesim::cluster::Cluster::Start(std::move(config));
  if (!cluster.ok()) {
    std::cerr << "error: cluster failed to start: " << cluster.status().ToString() << "\n";
    return 2;
  }
  serve_options.speed = speed;
  if (serve->parsed()) return kubesim::http::RunServe(**cluster, serve_options);
  if (serve_port >= 0) {
    if (!interactive) {
      std::cerr << "error: --serve needs a terminal; use `kubesim serve` to serve headless\n";
      return 2;
    }
    serve_options.port = serve_port;
    return kubesim::http::RunInteractiveWithServer(**cluster, serve_options);
  }
  if (interactive) return kubesim::shell::RunInteractive(**cluster, speed);
  return kubesim::shell::RunScript(**cluster, std::cin, std::cout, std::cerr);
}
