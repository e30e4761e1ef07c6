// The Kubernetes HTTP API on loopback, so the real kubectl (or k9s, or any
// client library) can drive a kubesim cluster.
//
// Every API request becomes one api::Request into the same
// ApiServer::Handle / ApiServer::Watch the shell uses: there is no second
// code path. The HTTP layer adds only what kube-apiserver's HTTP front end
// adds: path and query parsing, discovery (/api, /apis, ...), /version,
// health endpoints, an (empty) OpenAPI document, chunked watch streams, and
// kubesim's own controls under /kubesim/v1 (docs/kubectl.md).
//
// Threading: cpp-httplib serves connections on its own thread pool. Each
// request that touches the simulation runs inside WallClockPacer::RunExclusive, so
// HTTP requests, the wall-clock pump and the interactive shell take turns
// driving the Executor. Watch events are queued by the API server's fan-out
// thread and written by the connection's thread.
#ifndef KUBESIM_HTTP_HTTP_SERVER_H_
#define KUBESIM_HTTP_HTTP_SERVER_H_

#include <memory>
#include <string>

#include "kubesim/cluster/cluster.h"
#include "kubesim/sim/wall_clock_pacer.h"
#include "kubesim/util/status.h"

namespace kubesim::http {

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // loopback by default: no auth is served
  int port = 6443;                    // 0 = any free port
  // A second port serving only /kubesim/v1 (0 = any free port): it stays
  // open while the simulated kube-apiserver is stopped and the API port
  // refuses connections.
  int control_port = 0;
  // Simulated seconds per wall second, reported by GET /kubesim/v1/clock.
  double speed = 1.0;
};

class HttpServer {
 public:
  // Binds `options.address:port` and starts serving on background threads.
  // `cluster` and `pacer` must outlive the server. Fails (kUnavailable) when
  // the address cannot be bound. With a null `pacer` someone else (the
  // interactive shell) drives the Executor: requests call the thread-safe
  // API server directly, and the /kubesim/v1 controls that would drive the
  // simulation answer 409.
  static StatusOr<std::unique_ptr<HttpServer>> Start(cluster::Cluster* cluster,
                                                     WallClockPacer* pacer,
                                                     const HttpServerOptions& options);
  // While the cluster's API server is not serving (`stop apiserver`), the
  // API port is closed, so clients get "connection refused" as from a dead
  // kube-apiserver; it is reopened (same port) when it serves again.
  //
  // Stops listening, ends open watches and joins the server threads.
  virtual ~HttpServer() = default;

  // The bound port (the chosen one when options.port was 0).
  virtual int port() const = 0;
  // "http://127.0.0.1:PORT".
  virtual std::string url() const = 0;
  // The control port, and "http://127.0.0.1:CONTROL_PORT/kubesim/v1".
  virtual int control_port() const = 0;
  virtual std::string control_url() const = 0;
};

// A kubeconfig (cluster, context and user all named "kubesim", namespace
// default) pointing at `server_url`.
std::string KubeconfigYaml(const std::string& server_url);

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_HTTP_SERVER_H_
