// `kubesim_bench --http`: request latency of the Kubernetes HTTP API
// (docs/performance.md, issue 6). The server runs in process on a free
// loopback port, driven by a WallClockPacer exactly as `kubesim serve` is
// (every request is one turn of the simulation: the API call, then the
// cluster runs until idle); K client threads each send their requests over
// one keep-alive connection with cpp-httplib's client.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks.h"
#include "kubesim/cluster/cluster.h"
#include "kubesim/http/http_server.h"
#include "kubesim/sim/wall_clock_pacer.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
  double requests_per_second = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  int errors = 0;
};

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// `clients` threads each send `per_client` requests made by `request(client,
// i, cli)`, which returns the HTTP status (0: no answer) and is counted an
// error unless it equals `want`.
template <typename Fn>
Figures Measure(int port, int clients, int per_client, int want, Fn request) {
  std::vector<std::vector<double>> latencies(clients);
  std::vector<int> errors(clients, 0);
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client cli("127.0.0.1", port);
      cli.set_keep_alive(true);
      cli.set_tcp_nodelay(true);  // as Go's net/http (client-go) connections
      latencies[c].reserve(per_client);
      for (int i = 0; i < per_client; ++i) {
        auto start = Clock::now();
        int status = request(c, i, cli);
        latencies[c].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        if (status != want) ++errors[c];
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<double> all;
  Figures f;
  for (int c = 0; c < clients; ++c) {
    all.insert(all.end(), latencies[c].begin(), latencies[c].end());
    f.errors += errors[c];
  }
  std::sort(all.begin(), all.end());
  f.requests_per_second = static_cast<double>(all.size()) / seconds;
  f.p50_ms = Percentile(all, 0.50);
  f.p99_ms = Percentile(all, 0.99);
  f.max_ms = all.empty() ? 0 : all.back();
  return f;
}

void Print(const char* what, int clients, int per_client, const Figures& f) {
  std::printf(
      "%s (%d clients x %d): %.0f req/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms, %d errors\n", what,
      clients, per_client, f.requests_per_second, f.p50_ms, f.p99_ms, f.max_ms, f.errors);
}

std::string PodBody(const std::string& name) {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
         R"("},"spec":{"containers":[{"name":"c","image":"nginx"}]}})";
}

}  // namespace

int HttpBench(int clients, int per_client) {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) == 3) {
    std::printf("load average before: %.2f %.2f %.2f, %u hardware threads\n", load[0], load[1],
                load[2], std::thread::hardware_concurrency());
  }
  // As `kubesim serve` starts by default: two workers and the kube-system pods.
  kubesim::cluster::ClusterConfig config = kubesim::cluster::ClusterConfig::Default(2);
  config.system_pods = true;
  auto cluster = kubesim::cluster::Cluster::Start(config);
  if (!cluster.ok()) return 1;
  kubesim::WallClockPacer pacer(&(*cluster)->executor(), 1.0);
  pacer.StartPump(std::chrono::milliseconds(50));
  kubesim::http::HttpServerOptions options;
  options.port = 0;
  options.control_port = 0;
  auto server = kubesim::http::HttpServer::Start(cluster->get(), &pacer, options);
  if (!server.ok()) return 1;
  const int port = (*server)->port();
  {
    httplib::Client cli("127.0.0.1", port);
    auto r = cli.Post("/api/v1/namespaces/default/pods", PodBody("bench"), "application/json");
    if (!r || r->status != 201) return 1;
  }
  Figures get = Measure(port, clients, per_client, 200, [](int, int, httplib::Client& cli) {
    auto r = cli.Get("/api/v1/namespaces/default/pods/bench");
    return r ? r->status : 0;
  });
  Print("GET pod", clients, per_client, get);
  Figures post = Measure(port, clients, per_client, 201, [](int c, int i, httplib::Client& cli) {
    auto r = cli.Post("/api/v1/namespaces/default/pods",
                      PodBody("bench-" + std::to_string(c) + "-" + std::to_string(i)),
                      "application/json");
    return r ? r->status : 0;
  });
  Print("POST pod", clients, per_client, post);
  if (getloadavg(load, 3) == 3) {
    std::printf("load average after: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  }
  server->reset();
  pacer.StopPump();
  return get.errors + post.errors == 0 ? 0 : 1;
}
