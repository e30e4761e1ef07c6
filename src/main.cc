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
  std::string scheduler_config_file;
  app.add_option("--scheduler-config", scheduler_config_file,
                 "KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1)")
      ->check(CLI::ExistingFile);
  app.add_option("--v,-v", verbosity, "Log verbosity (0 quiet; 2 info; 4 debug) on stderr");
  app.add_option("--speed", speed, "Interactive mode: simulated seconds per wall second")
      ->check(CLI::PositiveNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  auto logger = spdlog::stderr_color_mt("kubesim");
  logger->set_pattern("%v");  // lines are klog-formatted by kubesim::Log
  spdlog::set_default_logger(logger);
  kubesim::SetLogVerbosity(verbosity);
  spdlog::set_level(verbosity >= 4   ? spdlog::level::debug
                    : verbosity >= 2 ? spdlog::level::info
                    : verbosity >= 1 ? spdlog::level::warn
                                     : spdlog::level::off);

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
  if (interactive) {
    // Follow the wall clock: creation times read like a real cluster's.
    config.start_time = std::chrono::time_point_cast<kubesim::Duration>(
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  }
  auto cluster = kubesim::cluster::Cluster::Start(std::move(config));
  if (!cluster.ok()) {
    std::cerr << "error: cluster failed to start: " << cluster.status().ToString() << "\n";
    return 2;
  }
  if (interactive) return kubesim::shell::RunInteractive(**cluster, speed);
  return kubesim::shell::RunScript(**cluster, std::cin, std::cout, std::cerr);
}
