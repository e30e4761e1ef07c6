// RunServe and RunInteractiveWithServer (kubesim/http/serve.h).
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "kubesim/http/http_server.h"
#include "kubesim/http/serve.h"
#include "kubesim/shell/repl.h"

namespace kubesim::http {
namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

// Writes the kubeconfig atomically (tests poll for the file).
Status WriteKubeconfig(const std::string& path, const std::string& url) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) return Status(StatusCode::kInvalid, "cannot write " + tmp);
    out << KubeconfigYaml(url);
    if (!out) return Status(StatusCode::kInvalid, "cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status(StatusCode::kInvalid, "cannot write " + path);
  }
  return Status::Ok();
}

// Starts the server and writes the kubeconfig; prints where. nullptr (after
// printing the error) on failure.
std::unique_ptr<HttpServer> StartAndAnnounce(cluster::Cluster& cluster, WallClockPacer* pacer,
                                             const ServeOptions& options) {
  HttpServerOptions http;
  http.address = options.address;
  http.port = options.port;
  http.control_port = options.control_port;
  http.speed = options.speed;
  auto server = HttpServer::Start(&cluster, pacer, http);
  if (!server.ok()) {
    std::cerr << "error: " << server.status().message() << "\n";
    return nullptr;
  }
  // Absolute, so the printed `export KUBECONFIG=...` works from anywhere.
  std::error_code ec;
  auto abs = std::filesystem::absolute(
      options.kubeconfig.empty() ? "kubesim.kubeconfig" : options.kubeconfig, ec);
  std::string path =
      ec ? (options.kubeconfig.empty() ? "kubesim.kubeconfig" : options.kubeconfig) : abs.string();
  Status st = WriteKubeconfig(path, (*server)->url());
  if (!st.ok()) {
    std::cerr << "error: " << st.message() << "\n";
    return nullptr;
  }
  int nodes = static_cast<int>(cluster.config().nodes.size());
  std::cout << "kubesim: Kubernetes v1.32 cluster with " << nodes << " node"
            << (nodes == 1 ? "" : "s") << " serving the Kubernetes API at " << (*server)->url()
            << "\n"
            << "kubeconfig written to " << path << "; use it with:\n"
            << "  export KUBECONFIG=" << path << "\n"
            << "  kubectl get nodes\n"
            << "kubesim's controls (node stop|start, clock advance, ...): "
            << (*server)->control_url() << "\n";
  std::cout.flush();
  return std::move(*server);
}

}  // namespace

int RunServe(cluster::Cluster& cluster, const ServeOptions& options) {
  // The pacer: the simulated clock follows wall time, as in the terminal.
  WallClockPacer pacer(&cluster.executor(), options.speed);
  pacer.StartPump(std::chrono::milliseconds(50));
  auto server = StartAndAnnounce(cluster, &pacer, options);
  if (!server) return 2;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  // The main thread only waits: the pacer drives the clock, httplib serves.
  while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server.reset();
  pacer.StopPump();
  return 0;
}

int RunInteractiveWithServer(cluster::Cluster& cluster, const ServeOptions& options) {
  // The shell's own pacer drives the clock; the server only calls the
  // (thread-safe) API server.
  auto server = StartAndAnnounce(cluster, nullptr, options);
  if (!server) return 2;
  int rc = shell::RunInteractive(cluster, options.speed);
  server.reset();
  return rc;
}

}  // namespace kubesim::http
